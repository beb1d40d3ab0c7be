#include "registry/registry.h"

#include "core/encoding.h"
#include "core/time.h"
#include "crypto/digest.h"

namespace custody::registry {
namespace {

using store::Blob;
using store::Param;
using store::Row;

std::optional<uint64_t> OptIndex(const Row& r, size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return static_cast<uint64_t>(r.Int(i));
}

Param IndexParam(const std::optional<uint64_t>& v) {
  if (!v) return nullptr;
  return static_cast<int64_t>(*v);
}

Result<AttestationRecord> AttestationFromRow(const Row& r) {
  AttestationRecord a;
  a.id = r.Bytes(0);
  a.predicate_type = r.Bytes(1);
  a.bundle_json = r.Bytes(2);
  CUSTODY_ASSIGN_OR_RETURN(Json st, ParseJson(r.Bytes(3), "attestation " + a.id));
  CUSTODY_ASSIGN_OR_RETURN(a.statement, Statement::FromJson(st, ""));
  a.signer_keyid = r.Bytes(4);
  a.recorded_at = r.Bytes(5);
  a.log_index = OptIndex(r, 6);
  return a;
}

ModelVersion VersionFromRow(const Row& r) {
  return {r.Bytes(0), r.Bytes(1), r.Bytes(2), r.Bytes(3), r.IsNull(4) ? "" : r.Bytes(4), r.Bytes(5)};
}

DecisionRecord DecisionFromRow(const Row& r) {
  DecisionRecord d;
  d.id = r.Bytes(0);
  d.subject_name = r.Bytes(1);
  d.subject_digest = r.Bytes(2);
  d.allowed = r.Int(3) != 0;
  d.decision_json = r.Bytes(4);
  d.bundle_json = r.Bytes(5);
  d.log_index = OptIndex(r, 6);
  d.created_at = r.Bytes(7);
  return d;
}

const char kAttestationColumns[] =
    "a.id, a.predicate_type, a.bundle, a.statement, a.signer_keyid, a.recorded_at,"
    " (SELECT MIN(l.log_index) FROM attestation_log l WHERE l.attestation_id = a.id)";
const char kVersionColumns[] = "name, version, digest, path, signature_id, created_at";
const char kDecisionColumns[] =
    "id, subject_name, subject_digest, allowed, decision, bundle, log_index, created_at";

}  // namespace

std::string AttestationId(const Bundle& bundle) { return HexEncode(Sha256(bundle.ToJson().dump())); }

Result<std::unique_ptr<Registry>> Registry::Open(const std::string& location) {
  CUSTODY_ASSIGN_OR_RETURN(auto store, store::Store::Open(location));
  return std::make_unique<Registry>(std::move(store));
}

Result<bool> Registry::PutAttestation(const AttestationRecord& a) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
  CUSTODY_ASSIGN_OR_RETURN(auto existing, tx->Query("SELECT id FROM attestations WHERE id = ?", {a.id}));
  if (a.log_index) {
    CUSTODY_RETURN_IF_ERROR(tx->Exec(
        "INSERT INTO attestation_log (attestation_id, log_index) VALUES (?, ?) ON CONFLICT DO NOTHING",
        {a.id, static_cast<int64_t>(*a.log_index)}));
  }
  if (!existing.empty()) {
    CUSTODY_RETURN_IF_ERROR(tx->Commit());
    return false;
  }
  std::string statement = a.statement.ToJson().dump();
  // RETURNING tells whether this writer inserted the row: a racing writer on
  // PostgreSQL may have inserted it since the SELECT above.
  CUSTODY_ASSIGN_OR_RETURN(
      auto inserted,
      tx->Query("INSERT INTO attestations (id, predicate_type, bundle, statement, signer_keyid, recorded_at, recorded_ns)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                {a.id, a.predicate_type, Blob{a.bundle_json}, statement, a.signer_keyid, a.recorded_at, NowUnixNanos()}));
  if (inserted.empty()) {
    CUSTODY_RETURN_IF_ERROR(tx->Commit());
    return false;
  }
  for (const Subject& s : a.statement.subjects) {
    auto it = s.digest.find("sha256");
    if (it == s.digest.end()) continue;
    CUSTODY_RETURN_IF_ERROR(tx->Exec("INSERT INTO artifacts (digest, kind, name, created_at) VALUES (?, ?, ?, ?)"
                                     " ON CONFLICT DO NOTHING",
                                     {it->second, std::string_view("subject"), s.name, a.recorded_at}));
    CUSTODY_RETURN_IF_ERROR(tx->Exec(
        "INSERT INTO attestation_subjects (digest, attestation_id, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        {it->second, a.id, s.name}));
  }
  CUSTODY_RETURN_IF_ERROR(tx->Commit());
  return true;
}

Result<std::vector<AttestationRecord>> Registry::AttestationsFor(const std::string& digest) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
  CUSTODY_ASSIGN_OR_RETURN(
      auto rows, tx->Query(std::string("SELECT ") + kAttestationColumns +
                               " FROM attestations a JOIN attestation_subjects s ON s.attestation_id = a.id"
                               " WHERE s.digest = ? ORDER BY a.recorded_ns, a.id",
                           {digest}));
  std::vector<AttestationRecord> out;
  for (const Row& r : rows) {
    CUSTODY_ASSIGN_OR_RETURN(AttestationRecord a, AttestationFromRow(r));
    out.push_back(std::move(a));
  }
  return out;
}

Result<bool> Registry::AddVersion(const ModelVersion& v) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
  const char kSelect[] = "SELECT digest, created_at FROM registry WHERE name = ? AND version = ?";
  CUSTODY_ASSIGN_OR_RETURN(auto before, tx->Query(kSelect, {v.name, v.version}));
  std::string sig = v.signature_id;
  std::string created = v.created_at.empty() ? NowRfc3339() : v.created_at;
  if (before.empty()) {
    // ON CONFLICT: a racing writer on PostgreSQL may insert first; the
    // primary key keeps exactly one digest, checked below.
    CUSTODY_RETURN_IF_ERROR(tx->Exec(
        "INSERT INTO registry (name, version, digest, path, signature_id, created_at) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        {v.name, v.version, v.digest, v.path, sig.empty() ? Param(nullptr) : Param(std::string_view(sig)), created}));
    CUSTODY_RETURN_IF_ERROR(tx->Exec("INSERT INTO artifacts (digest, kind, name, created_at) VALUES (?, ?, ?, ?)"
                                     " ON CONFLICT DO NOTHING",
                                     {v.digest, std::string_view("model"), v.name, created}));
  }
  CUSTODY_ASSIGN_OR_RETURN(auto rows, tx->Query(kSelect, {v.name, v.version}));
  if (rows.empty()) return Error::Internal("registry: " + v.name + "@" + v.version + " vanished while adding it");
  if (rows[0].Bytes(0) != v.digest) {
    return Error::Input(v.name + "@" + v.version + " is already registered with digest sha256:" + rows[0].Bytes(0) +
                        " (since " + rows[0].Bytes(1) + "); a version never changes its digest: register sha256:" +
                        v.digest + " as a new version");
  }
  CUSTODY_RETURN_IF_ERROR(tx->Commit());
  return before.empty();
}

Result<std::optional<ModelVersion>> Registry::GetVersion(const std::string& name, const std::string& version) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
  CUSTODY_ASSIGN_OR_RETURN(auto rows, tx->Query(std::string("SELECT ") + kVersionColumns +
                                                    " FROM registry WHERE name = ? AND version = ?",
                                                {name, version}));
  if (rows.empty()) return std::optional<ModelVersion>();
  return std::optional<ModelVersion>(VersionFromRow(rows[0]));
}

Result<std::vector<ModelVersion>> Registry::ListVersions(const std::string& name) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
  std::string sql = std::string("SELECT ") + kVersionColumns + " FROM registry";
  std::vector<Param> params;
  if (!name.empty()) {
    sql += " WHERE name = ?";
    params.push_back(std::string_view(name));
  }
  sql += " ORDER BY name, created_at, version";
  CUSTODY_ASSIGN_OR_RETURN(auto rows, tx->Query(sql, params));
  std::vector<ModelVersion> out;
  for (const Row& r : rows) out.push_back(VersionFromRow(r));
  return out;
}

Result<std::vector<ModelVersion>> Registry::VersionsWithDigest(const std::string& digest) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
  CUSTODY_ASSIGN_OR_RETURN(auto rows, tx->Query(std::string("SELECT ") + kVersionColumns +
                                                    " FROM registry WHERE digest = ? ORDER BY name, version",
                                                {digest}));
  std::vector<ModelVersion> out;
  for (const Row& r : rows) out.push_back(VersionFromRow(r));
  return out;
}

Status Registry::MoveAlias(const std::string& name, const std::string& alias, const std::string& version,
                           const std::string& decision_id) {
  // Two writers racing on PostgreSQL may pick the same sequence number: the
  // primary key refuses the second, which then tries again.
  for (int attempt = 0;; ++attempt) {
    CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
    CUSTODY_ASSIGN_OR_RETURN(auto ver, tx->Query("SELECT digest FROM registry WHERE name = ? AND version = ?",
                                                 {name, version}));
    if (ver.empty()) {
      return Error::Input(name + "@" + version + " is not registered: add it with 'custody registry add' first");
    }
    CUSTODY_ASSIGN_OR_RETURN(auto dec, tx->Query("SELECT subject_digest, allowed FROM decisions WHERE id = ?",
                                                 {decision_id}));
    if (dec.empty()) return Error::Input("decision " + decision_id + " is not in the store");
    if (dec[0].Bytes(0) != ver[0].Bytes(0)) {
      return Error::Verification("decision " + decision_id + " is about sha256:" + dec[0].Bytes(0) + ", not " + name +
                                 "@" + version + " (sha256:" + ver[0].Bytes(0) + ")");
    }
    if (dec[0].Int(1) == 0) {
      return Error::Verification("decision " + decision_id + " denied " + name + "@" + version + ": alias '" + alias +
                                 "' moves only through an allowing gate decision");
    }
    CUSTODY_ASSIGN_OR_RETURN(auto seq, tx->Query("SELECT MAX(seq) FROM registry_aliases WHERE name = ? AND alias = ?",
                                                 {name, alias}));
    int64_t next = seq.empty() || seq[0].IsNull(0) ? 1 : seq[0].Int(0) + 1;
    auto inserted = tx->Exec(
        "INSERT INTO registry_aliases (name, alias, seq, version, decision_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        {name, alias, next, version, decision_id, NowRfc3339()});
    if (inserted.ok()) {
      auto committed = tx->Commit();
      if (committed.ok() || attempt >= 5) return committed;
      continue;
    }
    if (attempt >= 5) return inserted;
  }
}

Result<std::vector<AliasRecord>> Registry::Aliases(const std::string& name) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
  CUSTODY_ASSIGN_OR_RETURN(
      auto rows, tx->Query("SELECT a.alias, a.version, a.decision_id, a.created_at, a.seq FROM registry_aliases a"
                           " WHERE a.name = ? AND a.seq = (SELECT MAX(b.seq) FROM registry_aliases b"
                           " WHERE b.name = a.name AND b.alias = a.alias) ORDER BY a.alias",
                           {name}));
  std::vector<AliasRecord> out;
  for (const Row& r : rows) out.push_back({r.Bytes(0), r.Bytes(1), r.Bytes(2), r.Bytes(3), r.Int(4)});
  return out;
}

Result<std::vector<AliasRecord>> Registry::AliasHistory(const std::string& name, const std::string& alias) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
  CUSTODY_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT alias, version, decision_id, created_at, seq FROM registry_aliases"
                                                " WHERE name = ? AND alias = ? ORDER BY seq",
                                                {name, alias}));
  std::vector<AliasRecord> out;
  for (const Row& r : rows) out.push_back({r.Bytes(0), r.Bytes(1), r.Bytes(2), r.Bytes(3), r.Int(4)});
  return out;
}

Status Registry::PutDecision(const DecisionRecord& d) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
  CUSTODY_RETURN_IF_ERROR(tx->Exec(
      std::string("INSERT INTO decisions (") + kDecisionColumns + ", created_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {d.id, d.subject_name, d.subject_digest, int64_t{d.allowed ? 1 : 0}, d.decision_json, Blob{d.bundle_json},
       IndexParam(d.log_index), d.created_at.empty() ? NowRfc3339() : d.created_at, NowUnixNanos()}));
  return tx->Commit();
}

Result<std::optional<DecisionRecord>> Registry::GetDecision(const std::string& id) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
  CUSTODY_ASSIGN_OR_RETURN(auto rows,
                           tx->Query(std::string("SELECT ") + kDecisionColumns + " FROM decisions WHERE id = ?", {id}));
  if (rows.empty()) return std::optional<DecisionRecord>();
  return std::optional<DecisionRecord>(DecisionFromRow(rows[0]));
}

Result<std::vector<DecisionRecord>> Registry::DecisionsFor(const std::string& digest) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store_->Begin());
  CUSTODY_ASSIGN_OR_RETURN(auto rows, tx->Query(std::string("SELECT ") + kDecisionColumns +
                                                    " FROM decisions WHERE subject_digest = ? ORDER BY created_ns, id",
                                                {digest}));
  std::vector<DecisionRecord> out;
  for (const Row& r : rows) out.push_back(DecisionFromRow(r));
  return out;
}

}  // namespace custody::registry
