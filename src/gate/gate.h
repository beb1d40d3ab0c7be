// The deployment gate: given a subject (a model by name and digest), the
// attestations offered for it, a trust policy and a Rego policy, decide
// whether it may deploy, with every reason.
//
// Each attestation is checked before the policy sees it: its signature, that
// it is about this digest, that its signer is trusted for its predicate type
// and for this model name, that the key was inside its validity window and
// is not revoked, that the attestation itself is not revoked (by a signed
// revocation from the same key or a key trusted for revocations), and, when
// a log is in use, that it is in the log. Thresholds of the trust policy
// (k distinct signers for a predicate type) deny by themselves. The Rego
// policy then decides from `data.custody.gate.deny` and `.warn` with the
// input documented in docs/commands/gate.md.
//
// A Gate is immutable apart from its verification cache (internally
// locked): Decide may run on many threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "attest/bundle.h"
#include "attest/statement.h"
#include "core/error.h"
#include "core/json.h"
#include "gate/trust.h"
#include "rego/compiler.h"

namespace custody::gate {

inline constexpr const char* kDecisionPredicateType = "https://custody.dev/attestation/decision/v1";

// An attestation offered to the gate.
struct Candidate {
  std::string id;  // registry::AttestationId of the bundle
  Bundle bundle;
  std::string source;           // "store" or the file it came from
  int64_t signed_at_ns = 0;     // when the store recorded it; the decision time for files
  std::optional<uint64_t> log_index;
};

struct Accepted {
  std::string id;
  std::string predicate_type;
  std::shared_ptr<const Json> predicate;
  std::string signer_name, keyid;
  int64_t signed_at_ns = 0;
  std::optional<uint64_t> log_index;
};

struct Rejected {
  std::string id;
  std::string predicate_type;  // "" when the statement could not be read
  std::string signer;          // the trusted name, else the key id
  std::string reason;
};

struct GateRequest {
  std::string subject_name;
  std::string subject_digest;  // hex sha256
  std::vector<Candidate> candidates;
  Json context = Json::object();
  int64_t now_ns = 0;  // 0: the clock
  // When set, called for each attestation that passed every other check:
  // returns a reason to reject it (e.g. "not in the transparency log").
  std::function<std::optional<std::string>(const Candidate&)> log_check;
};

struct GateDecision {
  bool allowed = false;
  std::vector<std::string> deny;  // threshold reasons first, then the policy's messages
  std::vector<std::string> warn;
  std::vector<Accepted> accepted;
  std::vector<Rejected> rejected;
  Json input;  // what the policy saw, less the attestations' predicates
  int64_t now_ns = 0;

  // The decision document that is signed and recorded.
  Json ToJson() const;
};

// The built-in pack (policies/gate/, with its data file) or the .rego and
// data files under `dir`; `data_files` are merged over the pack's data.
Result<std::shared_ptr<const rego::CompiledPolicy>> LoadGatePolicy(const std::string& dir_or_builtin,
                                                                   const std::vector<std::string>& data_files);

class Gate {
 public:
  static Result<std::unique_ptr<Gate>> Create(TrustPolicy trust, std::shared_ptr<const rego::CompiledPolicy> policy);

  Result<GateDecision> Decide(const GateRequest& request) const;

  const TrustPolicy& trust() const { return trust_; }

 private:
  Gate(TrustPolicy trust, std::shared_ptr<const rego::CompiledPolicy> policy, rego::CompiledQuery deny,
       rego::CompiledQuery warn)
      : trust_(std::move(trust)), policy_(std::move(policy)), deny_(std::move(deny)), warn_(std::move(warn)) {}

  // A candidate's statement as read (unverified), and its predicate as a
  // Rego value; cached by attestation id (a digest of the bundle).
  struct Parsed {
    bool ok = false;
    Statement statement;
    std::shared_ptr<const Json> predicate;
    rego::Value predicate_value;
    std::string error;
  };
  std::shared_ptr<const Parsed> Parse(const Candidate& c) const;
  // Signature and predicate check of one candidate with one key: "" when it
  // verifies, else why not; cached by attestation id and key id.
  std::string Verify(const Candidate& c, const std::string& keyid, const PublicKey& key) const;

  TrustPolicy trust_;
  std::shared_ptr<const rego::CompiledPolicy> policy_;
  rego::CompiledQuery deny_, warn_;
  mutable std::shared_mutex cache_mu_;
  mutable std::map<std::string, std::shared_ptr<const Parsed>, std::less<>> parsed_;
  mutable std::map<std::string, std::string, std::less<>> verified_;
};

}  // namespace custody::gate
