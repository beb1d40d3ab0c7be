#include "cli/tlog_entry.h"

#include <filesystem>

#include "attest/dsse.h"
#include "cli/chain.h"
#include "core/encoding.h"
#include "core/file.h"
#include "crypto/digest.h"
#include "tlog/merkle.h"
#include "tlog/proof_json.h"

namespace custody::cli {
namespace {

std::string ProofHashBytes(const tlog::Hash& h) { return std::string(tlog::AsBytes(h)); }

TlogEntry EntryOf(const std::string& body, const std::string& log_id, const tlog::ProofJson& proof) {
  TlogEntry e;
  e.log_index = *proof.log_index;
  e.log_id = log_id;
  e.kind = tlog::kHashedRekordKind;
  e.version = tlog::kHashedRekordVersion;
  e.integrated_time = 0;  // a checkpoint proves inclusion, not time
  TlogInclusionProof p;
  p.log_index = *proof.log_index;
  p.root_hash = ProofHashBytes(proof.root);
  p.tree_size = proof.tree_size;
  for (const auto& h : proof.hashes) p.hashes.push_back(ProofHashBytes(h));
  p.checkpoint = proof.checkpoint;
  e.inclusion_proof = std::move(p);
  e.canonicalized_body = body;
  return e;
}

Result<TlogEntry> AppendLocal(const std::string& body, const std::string& store) {
  CUSTODY_ASSIGN_OR_RETURN(auto log, OpenStoreLog(store, "", true));
  CUSTODY_ASSIGN_OR_RETURN(tlog::Appended a, log->Append(body));
  CUSTODY_ASSIGN_OR_RETURN(auto hashes, log->ProveInclusion(a.index, a.size));
  CUSTODY_ASSIGN_OR_RETURN(tlog::Note note, tlog::OpenNote(a.checkpoint, log->verifier()));
  CUSTODY_ASSIGN_OR_RETURN(tlog::Checkpoint cp, tlog::ParseCheckpoint(note.text));
  CUSTODY_ASSIGN_OR_RETURN(std::string log_id, tlog::LogId(log->verifier()));
  tlog::ProofJson proof;
  proof.log_index = a.index;
  proof.tree_size = a.size;
  proof.root = cp.root;
  proof.hashes = std::move(hashes);
  proof.checkpoint = a.checkpoint;
  return EntryOf(body, log_id, proof);
}

Result<TlogEntry> AppendRemote(const std::string& body, const std::string& url) {
  CUSTODY_ASSIGN_OR_RETURN(LogAnswer posted, PostToLog(url, body, "application/json"));
  const std::string& base = posted.base;
  const std::string source = base + "/add";
  const Json& answer = posted.body;
  if (!answer.is_object() || !HasField(answer, "logId")) {
    return Error::Input(source + ": the answer has no /logId; the log must be a 'custody log serve' of this "
                        "version or later");
  }
  CUSTODY_ASSIGN_OR_RETURN(const Json* log_id_json, RequireObject(answer, "", "logId"));
  CUSTODY_ASSIGN_OR_RETURN(std::string log_id_b64, RequireString(*log_id_json, "/logId", "keyId"));
  auto log_id = Base64Decode(log_id_b64);
  if (!log_id.ok()) return log_id.error().WithContext(source + ": /logId/keyId");
  CUSTODY_ASSIGN_OR_RETURN(const Json* proof_json, RequireObject(answer, "", "inclusionProof"));
  CUSTODY_ASSIGN_OR_RETURN(tlog::ProofJson proof, tlog::ParseProofJson(*proof_json, source + " /inclusionProof"));
  if (!proof.log_index || proof.checkpoint.empty()) {
    return Error::Input(source + ": /inclusionProof needs logIndex and checkpoint.envelope");
  }
  // The verifier key is not known here, so the checkpoint's signature waits for
  // verify; the answer must still be self-consistent, or the bundle would be useless.
  auto included = tlog::VerifyInclusion(*proof.log_index, proof.tree_size, tlog::LeafHash(body), proof.hashes,
                                        proof.root);
  if (!included.ok()) {
    return Error::Input("the log at " + base + " answered with a proof that does not include the entry: " +
                        included.error().message());
  }
  CUSTODY_ASSIGN_OR_RETURN(tlog::Note note, tlog::ParseNote(proof.checkpoint));
  CUSTODY_ASSIGN_OR_RETURN(tlog::Checkpoint cp, tlog::ParseCheckpoint(note.text));
  if (cp.size != proof.tree_size || cp.root != proof.root) {
    return Error::Input("the log at " + base + " answered with a checkpoint of another tree than its proof");
  }
  return EntryOf(body, *log_id, proof);
}

std::string Short(const std::string& bytes) { return HexEncode(bytes).substr(0, 16); }

Status CheckEntry(const TlogEntry& e, const std::string& path, const Bundle& bundle, const PublicKey& signer,
                  const tlog::NoteVerifier& log_key, TlogVerification& out) {
  if (e.kind != tlog::kHashedRekordKind || e.version != tlog::kHashedRekordVersion) {
    return Error::Input(path + "/kindVersion: the entry is " + e.kind + " " + e.version + "; custody checks " +
                        tlog::kHashedRekordKind + " " + tlog::kHashedRekordVersion + " entries (Rekor v2)");
  }
  if (!e.inclusion_proof) {
    return Error::Verification(path + ": the entry has no inclusionProof, so its inclusion cannot be checked offline");
  }
  auto body = tlog::ParseHashedRekord(e.canonicalized_body);
  if (!body.ok()) return body.error().WithContext(path + "/canonicalizedBody");
  const Envelope& env = bundle.envelope;
  if (env.signatures.size() != 1) {
    return Error::Input("/dsseEnvelope/signatures: a logged bundle has exactly one signature, this one has " +
                        std::to_string(env.signatures.size()));
  }
  if (body->digest_algorithm != "SHA2_256" || body->digest != Sha256(PreAuthEncoding(env.payload_type, env.payload))) {
    return Error::Verification(path + ": the log entry records another digest than the SHA-256 of the bundle's "
                               "signed bytes (DSSE pre-authentication encoding): it logs another signature");
  }
  if (body->signature != env.signatures[0].sig) {
    return Error::Verification(path + ": the log entry records another signature than the bundle's");
  }
  if (!bundle.certificate_chain.empty()) {
    if (body->certificate_der != bundle.certificate_chain.front()) {
      return Error::Verification(path + ": the log entry names another signing certificate than the bundle's");
    }
  } else if (body->public_key_der != signer.ToDer()) {
    return Error::Verification(path + ": the log entry names another signer than the key given");
  }
  const TlogInclusionProof& p = *e.inclusion_proof;
  const std::string pp = path + "/inclusionProof";
  if (p.log_index != e.log_index) {
    return Error::Verification(pp + "/logIndex: the proof is for entry " + std::to_string(p.log_index) +
                               ", the entry says it is " + std::to_string(e.log_index));
  }
  auto note = tlog::OpenNote(p.checkpoint, log_key);
  if (!note.ok()) return note.error().WithContext(pp + "/checkpoint");
  auto cp = tlog::ParseCheckpoint(note->text);
  if (!cp.ok()) return cp.error().WithContext(pp + "/checkpoint");
  auto root = tlog::HashFromBytes(p.root_hash, pp + "/rootHash");
  if (!root.ok()) return root.error();
  if (cp->size != p.tree_size || cp->root != *root) {
    return Error::Verification(pp + ": the signed checkpoint (size " + std::to_string(cp->size) +
                               ") does not state the proof's tree size " + std::to_string(p.tree_size) +
                               " and root hash");
  }
  std::vector<tlog::Hash> hashes;
  for (size_t i = 0; i < p.hashes.size(); ++i) {
    auto h = tlog::HashFromBytes(p.hashes[i], pp + "/hashes/" + std::to_string(i));
    if (!h.ok()) return h.error();
    hashes.push_back(*h);
  }
  auto included = tlog::VerifyInclusion(p.log_index, p.tree_size, tlog::LeafHash(e.canonicalized_body), hashes, *root);
  if (!included.ok()) return included.error().WithContext(pp);
  out.log_index = e.log_index;
  out.tree_size = p.tree_size;
  out.origin = cp->origin;
  out.entries += 1;
  return OkStatus();
}

}  // namespace

Result<tlog::HashedRekord> HashedRekordOf(const Bundle& bundle, const PublicKey& signer) {
  const Envelope& env = bundle.envelope;
  if (env.signatures.size() != 1) {
    return Error::Input("a bundle is logged with exactly one signature; this one has " +
                        std::to_string(env.signatures.size()));
  }
  tlog::HashedRekord r;
  r.digest = Sha256(PreAuthEncoding(env.payload_type, env.payload));
  r.signature = env.signatures[0].sig;
  r.key_details = tlog::KeyDetailsName(signer.type());
  if (!bundle.certificate_chain.empty()) {
    r.certificate_der = bundle.certificate_chain.front();
  } else {
    r.public_key_der = signer.ToDer();
  }
  return r;
}

Result<TlogEntry> LogSignature(const Bundle& bundle, const PublicKey& signer, const std::string& log,
                               const std::string& store) {
  CUSTODY_ASSIGN_OR_RETURN(tlog::HashedRekord entry, HashedRekordOf(bundle, signer));
  std::string body = tlog::CanonicalizedBody(entry);
  if (log == "local") return AppendLocal(body, store);
  return AppendRemote(body, log);
}

Result<TlogVerification> VerifyTlogEntry(const Bundle& bundle, const PublicKey& signer,
                                         const tlog::NoteVerifier& log_key) {
  if (bundle.tlog_entries.empty()) {
    return Error::Verification("the bundle has no transparency-log entry, and --log-key requires one: sign with "
                               "'custody sign --log local' (or --log URL) to log the signature");
  }
  CUSTODY_ASSIGN_OR_RETURN(std::string log_id, tlog::LogId(log_key));
  TlogVerification out;
  std::string others;
  for (size_t i = 0; i < bundle.tlog_entries.size(); ++i) {
    const TlogEntry& e = bundle.tlog_entries[i];
    if (e.log_id != log_id) {
      others += (others.empty() ? "" : ", ") + Short(e.log_id);
      continue;
    }
    CUSTODY_RETURN_IF_ERROR(
        CheckEntry(e, "/verificationMaterial/tlogEntries/" + std::to_string(i), bundle, signer, log_key, out));
  }
  if (out.entries == 0) {
    return Error::Verification("the bundle has no entry of the log " + log_key.name() + " (log ID " + Short(log_id) +
                               "...); its entries are in other logs (" + others + "...)");
  }
  return out;
}

Result<tlog::NoteVerifier> ReadLogKey(const std::string& value) {
  auto parsed = tlog::NoteVerifier::Parse(value);
  if (parsed.ok()) return parsed;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(value, ec)) {
    return Error::Input("--log-key '" + value + "' is neither a log verifier key (NAME+HEX8+BASE64, as 'custody "
                        "log key' prints it) nor a file holding one: " + parsed.error().message());
  }
  CUSTODY_ASSIGN_OR_RETURN(std::string text, ReadFile(value, 1 << 16));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  auto from_file = tlog::NoteVerifier::Parse(text);
  if (!from_file.ok()) return from_file.error().WithContext(value);
  return from_file;
}

}  // namespace custody::cli
