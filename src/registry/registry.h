// The registry: what the store knows about models and the claims made about
// them. Attestations (Sigstore bundles holding DSSE in-toto statements) by
// subject digest, model versions by name, aliases (production, staging) and
// gate decisions. Append-only: a model version never changes its digest, an
// alias moves by a new row, an attestation is withdrawn only by a signed
// revocation that is kept beside it.
//
// A Registry owns one store connection: use it from one thread at a time
// (open one per thread; writers on both engines serialize in the store).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attest/bundle.h"
#include "attest/statement.h"
#include "core/error.h"
#include "store/store.h"

namespace custody::registry {

// Hex SHA-256 of the bundle's canonical JSON: the id `custody attest` prints
// and revocations name.
std::string AttestationId(const Bundle& bundle);

struct AttestationRecord {
  std::string id;
  std::string predicate_type;
  Statement statement;
  std::string bundle_json;  // the bundle as recorded (canonical JSON)
  std::string signer_keyid;
  std::string recorded_at;  // RFC 3339, when the store took it
  std::optional<uint64_t> log_index;
};

struct ModelVersion {
  std::string name;
  std::string version;
  std::string digest;  // hex sha256 of the model (its manifest's subject digest)
  std::string path;
  std::string signature_id;  // the model-signature attestation, "" when unsigned
  std::string created_at;
};

struct AliasRecord {
  std::string alias;
  std::string version;
  std::string decision_id;
  std::string created_at;
  int64_t seq = 0;
};

struct DecisionRecord {
  std::string id;  // hex sha256 of the signed decision bundle
  std::string subject_name;
  std::string subject_digest;
  bool allowed = false;
  std::string decision_json;  // the decision document (reasons, inputs' ids)
  std::string bundle_json;    // the decision signed by the gate's key
  std::optional<uint64_t> log_index;
  std::string created_at;
};

class Registry {
 public:
  static Result<std::unique_ptr<Registry>> Open(const std::string& location);
  explicit Registry(std::unique_ptr<store::Store> store) : store_(std::move(store)) {}

  const std::string& location() const { return store_->location(); }
  std::string_view engine() const { return store_->engine(); }

  // Records an attestation for every subject digest of its statement.
  // Returns false when the same attestation (same id) was already recorded.
  Result<bool> PutAttestation(const AttestationRecord& record);
  // Every attestation with a subject of this sha256 digest, oldest first.
  Result<std::vector<AttestationRecord>> AttestationsFor(const std::string& digest);

  // Registers a model version. The same name, version and digest again is a
  // no-op (returns false); the same name and version with another digest is
  // an error that names both digests.
  Result<bool> AddVersion(const ModelVersion& version);
  Result<std::optional<ModelVersion>> GetVersion(const std::string& name, const std::string& version);
  // Versions of `name` (all names when empty), oldest first.
  Result<std::vector<ModelVersion>> ListVersions(const std::string& name);
  // Versions whose digest is this one.
  Result<std::vector<ModelVersion>> VersionsWithDigest(const std::string& digest);

  // Points `alias` of model `name` at `version`: only with an allowing
  // decision about that version's digest (`decision_id`). Every move is kept.
  Status MoveAlias(const std::string& name, const std::string& alias, const std::string& version,
                   const std::string& decision_id);
  // The current target of each alias of `name`.
  Result<std::vector<AliasRecord>> Aliases(const std::string& name);
  // Every move of `alias`, oldest first.
  Result<std::vector<AliasRecord>> AliasHistory(const std::string& name, const std::string& alias);

  Status PutDecision(const DecisionRecord& decision);
  Result<std::optional<DecisionRecord>> GetDecision(const std::string& id);
  // Decisions about this digest, oldest first.
  Result<std::vector<DecisionRecord>> DecisionsFor(const std::string& digest);

 private:
  std::unique_ptr<store::Store> store_;
};

}  // namespace custody::registry
