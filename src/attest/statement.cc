#include "attest/statement.h"

namespace custody {

Json Statement::ToJson() const {
  Json subs = Json::array();
  for (const auto& s : subjects) subs.push_back({{"name", s.name}, {"digest", s.digest}});
  return {{"_type", kStatementType}, {"subject", std::move(subs)}, {"predicateType", predicate_type},
          {"predicate", predicate}};
}

Result<Statement> Statement::FromJson(const Json& j, const std::string& path) {
  CUSTODY_ASSIGN_OR_RETURN(std::string type, RequireString(j, path, "_type"));
  if (type != kStatementType) {
    return Error::Input(path + "/_type: expected " + std::string(kStatementType) + ", found " + type);
  }
  Statement st;
  CUSTODY_ASSIGN_OR_RETURN(const Json* subs, RequireArray(j, path, "subject"));
  if (subs->empty()) return Error::Input(path + "/subject: at least one subject is required");
  for (size_t i = 0; i < subs->size(); ++i) {
    std::string spath = path + "/subject/" + std::to_string(i);
    const Json& s = (*subs)[i];
    Subject sub;
    if (HasField(s, "name")) {
      CUSTODY_ASSIGN_OR_RETURN(sub.name, RequireString(s, spath, "name"));
    }
    CUSTODY_ASSIGN_OR_RETURN(const Json* digest, RequireObject(s, spath, "digest"));
    for (auto it = digest->begin(); it != digest->end(); ++it) {
      if (!it.value().is_string()) {
        return Error::Input(spath + "/digest/" + it.key() + ": expected a string, found " + JsonTypeName(it.value()));
      }
      sub.digest[it.key()] = it.value().get<std::string>();
    }
    st.subjects.push_back(std::move(sub));
  }
  CUSTODY_ASSIGN_OR_RETURN(st.predicate_type, RequireString(j, path, "predicateType"));
  if (HasField(j, "predicate")) st.predicate = j["predicate"];
  return st;
}

}  // namespace custody
