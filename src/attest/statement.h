// in-toto Statement v1: subjects (name + digests) and one typed predicate.
// Plain value; safe to share between threads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/json.h"

namespace custody {

inline constexpr const char* kStatementType = "https://in-toto.io/Statement/v1";

struct Subject {
  std::string name;
  std::map<std::string, std::string> digest;  // algorithm -> lower-case hex
};

struct Statement {
  std::vector<Subject> subjects;
  std::string predicate_type;
  Json predicate = Json::object();

  Json ToJson() const;
  // Checks "_type", at least one subject with a digest, and predicateType.
  static Result<Statement> FromJson(const Json& j, const std::string& path);
};

}  // namespace custody
