// Trust: which keys may vouch for which predicate types about which models,
// when, and how many distinct signers a predicate type needs. Read from a
// YAML file (docs/formats/trust.md):
//
//   keys:
//     - name: ci
//       key: keys/ci.pub              # a PEM file (relative to this file) or a key id
//       predicates: [model-signature, slsa-provenance]   # absent: any
//       models: ["fraud-*"]           # globs on the subject name; absent: any
//       valid_after: 2026-01-01T00:00:00Z
//       valid_before: 2027-01-01T00:00:00Z
//   revoked: [3f1c...]                # key ids
//   thresholds:
//     - predicate: approval
//       signers: 2
//
// A key id is the hex SHA-256 of the key's PEM text, as bundles carry it.
// Immutable once loaded; safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "crypto/key.h"

namespace custody::gate {

struct TrustedKey {
  std::string name;
  std::string keyid;
  std::optional<PublicKey> key;         // absent when the file gives only a key id
  std::vector<std::string> predicates;  // short names or URIs; empty: any
  std::vector<std::string> models;      // globs; empty: any
  std::optional<int64_t> valid_after_ns, valid_before_ns;
  int line = 0;

  bool AllowsPredicate(std::string_view predicate_uri) const;
  bool AllowsModel(std::string_view model_name) const;
  // Inside [valid_after, valid_before).
  bool ValidAt(int64_t unix_ns) const;
};

struct Threshold {
  std::string predicate;  // as written (short name or URI)
  int signers = 1;
  int line = 0;
};

class TrustPolicy {
 public:
  static Result<TrustPolicy> Load(const std::string& path);
  // `base_dir` resolves relative key paths; `source` names the text in errors.
  static Result<TrustPolicy> Parse(std::string_view text, const std::string& source, const std::string& base_dir);

  const std::vector<TrustedKey>& keys() const { return keys_; }
  const std::set<std::string>& revoked() const { return revoked_; }
  const std::vector<Threshold>& thresholds() const { return thresholds_; }

  // Every entry for this key id (a key may appear under several names with
  // different permissions).
  std::vector<const TrustedKey*> Find(std::string_view keyid) const;
  bool IsRevoked(std::string_view keyid) const { return revoked_.count(std::string(keyid)) > 0; }

 private:
  std::vector<TrustedKey> keys_;
  std::set<std::string> revoked_;
  std::vector<Threshold> thresholds_;
};

}  // namespace custody::gate
