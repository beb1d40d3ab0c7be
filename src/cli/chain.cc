#include "cli/chain.h"

#include <httplib.h>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "attest/attestation.h"
#include "attest/predicates.h"
#include "cli/commands.h"
#include "core/encoding.h"
#include "core/file.h"
#include "core/time.h"
#include "crypto/digest.h"
#include "manifest/manifest.h"
#include "registry/registry.h"
#include "store/store.h"

namespace custody::cli {
namespace {

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Result<ResolvedSubject> ResolveSubject(const std::string& subject, const std::string& name, const std::string& store,
                                       size_t threads, bool progress) {
  ResolvedSubject r;
  if (subject.rfind("sha256:", 0) == 0) {
    std::string hex = subject.substr(7);
    for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!IsHex64(hex)) return Error::Input("'" + subject + "' is not a digest: write sha256: and 64 hex digits");
    r.kind = "digest";
    r.digest = hex;
    r.name = name.empty() ? subject : name;
    return r;
  }
  std::error_code ec;
  if (std::filesystem::exists(subject, ec)) {
    // Hashed exactly as `custody sign` hashes it, so that attestations and
    // signatures about the same path name the same digest.
    SerializationFlags flags;
    CUSTODY_ASSIGN_OR_RETURN(Serialization ser, BuildSerialization(flags, subject, DefaultSignaturePath(subject)));
    CUSTODY_ASSIGN_OR_RETURN(Manifest m, HashModel(subject, ser, {threads, progress}));
    r.kind = std::filesystem::is_directory(subject, ec) ? "model" : "file";
    r.digest = HexEncode(m.SubjectDigest());
    r.name = name.empty() ? m.model_name : name;
    r.path = subject;
    return r;
  }
  auto at = subject.rfind('@');
  if (at != std::string::npos && at > 0 && at + 1 < subject.size() && !store.empty()) {
    CUSTODY_ASSIGN_OR_RETURN(auto reg, registry::Registry::Open(store));
    std::string model = subject.substr(0, at), version = subject.substr(at + 1);
    CUSTODY_ASSIGN_OR_RETURN(auto v, reg->GetVersion(model, version));
    if (!v) {
      return Error::Input(subject + " is not registered in " + reg->location() +
                          " (see 'custody registry list'), and is not a file, directory or sha256:HEX");
    }
    r.kind = "registry";
    r.digest = v->digest;
    r.name = name.empty() ? model : name;
    r.path = v->path;
    return r;
  }
  return Error::Input("subject '" + subject +
                      "' is not a model directory, a file, sha256:HEX or a registered NAME@VERSION");
}

Result<std::unique_ptr<tlog::Log>> OpenStoreLog(const std::string& store, const std::string& key_path, bool writable) {
  // Open's errors already say which store and what to do ("... has no log: create one with 'custody log init'").
  auto ro = tlog::Log::Open(store);
  if (!ro.ok() || !writable) return ro;
  std::string path = key_path.empty() ? store::CustodyHome() + "/log.key" : key_path;
  auto pem = ReadFile(path, 1 << 20);
  if (!pem.ok()) {
    return pem.error().WithContext("the log's signing key (created by 'custody log init')");
  }
  CUSTODY_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::FromPem(*pem, path));
  CUSTODY_ASSIGN_OR_RETURN(tlog::NoteSigner signer, tlog::NoteSigner::Create((*ro)->verifier().name(), std::move(key)));
  ro->reset();
  return tlog::Log::Open(store, std::move(signer));
}

Result<LogAnswer> PostToLog(const std::string& url, const std::string& entry, const std::string& content_type) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Error::Input("--log '" + url + "': write local (the store's log) or the URL of a 'custody log serve'");
  }
  LogAnswer answer;
  answer.base = url;
  while (!answer.base.empty() && answer.base.back() == '/') answer.base.pop_back();
  httplib::Client client(answer.base);
  client.set_connection_timeout(10);
  client.set_read_timeout(60);
  auto res = client.Post("/add", entry, content_type);
  if (!res) return Error::Input("cannot reach the log at " + answer.base + ": " + httplib::to_string(res.error()));
  if (res->status != 200) {
    return Error::Input("the log at " + answer.base + " refused the entry (HTTP " + std::to_string(res->status) +
                        "): " + res->body.substr(0, 300));
  }
  CUSTODY_ASSIGN_OR_RETURN(answer.body, ParseJson(res->body, answer.base + "/add"));
  return answer;
}

Result<LogReceipt> AppendToLog(const std::string& log, const std::string& store, const std::string& entry) {
  LogReceipt receipt;
  if (log == "local") {
    CUSTODY_ASSIGN_OR_RETURN(auto l, OpenStoreLog(store, "", true));
    CUSTODY_ASSIGN_OR_RETURN(tlog::Appended a, l->Append(entry));
    receipt.index = a.index;
    receipt.tree_size = a.size;
    receipt.origin = l->origin();
    return receipt;
  }
  CUSTODY_ASSIGN_OR_RETURN(LogAnswer answer, PostToLog(log, entry, "application/octet-stream"));
  const Json& body = answer.body;
  const std::string& base = answer.base;
  CUSTODY_ASSIGN_OR_RETURN(std::string index, RequireString(body, "", "logIndex"));
  CUSTODY_ASSIGN_OR_RETURN(std::string size, RequireString(body, "", "treeSize"));
  char* end1 = nullptr;
  char* end2 = nullptr;
  receipt.index = std::strtoull(index.c_str(), &end1, 10);
  receipt.tree_size = std::strtoull(size.c_str(), &end2, 10);
  if (index.empty() || *end1 != '\0' || size.empty() || *end2 != '\0') {
    return Error::Input("the log at " + base + " answered with a malformed logIndex or treeSize");
  }
  return receipt;
}

std::string ClaimEntry(const std::string& bundle_id) { return "sha256:" + bundle_id + "\n"; }

std::string ClaimArgs::StoreLocation() const { return store.empty() ? store::Store::DefaultLocation() : store; }

void AddClaimOptions(CLI::App* cmd, ClaimArgs* args, const std::string& subject_help) {
  cmd->add_option("--key,-k", args->key, "Signing key (PEM private key) for --attest");
  cmd->add_option("--subject", args->subject,
                  "What the attestation is about: a model directory or file, sha256:HEX or NAME@VERSION (default: " +
                      subject_help + ")");
  cmd->add_option("--name", args->name, "Subject name (default: the directory or file name)");
  cmd->add_option("--attestation-out", args->out, "Also write the attestation bundle to this file ('-' for stdout)");
  cmd->add_option("--log", args->log, "Append the attestation's digest to a log: 'local' (the store's) or a URL");
  cmd->add_option("--store", args->store, "Store location (default $CUSTODY_STORE or $CUSTODY_HOME/custody.db)");
  cmd->add_flag("--no-store", args->no_store, "Do not record the attestation in the store");
}

Result<SignedClaim> SignClaim(const ClaimArgs& args, const ResolvedSubject& subject,
                              const std::string& predicate_type, const Json& predicate) {
  if (auto s = ValidatePredicate(predicate_type, predicate); !s.ok()) {
    return s.error().WithContext("the " + PredicateShortName(predicate_type) + " predicate");
  }
  CUSTODY_ASSIGN_OR_RETURN(std::string pem, ReadFile(args.key, 1 << 20));
  CUSTODY_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::FromPem(pem, args.key));
  Statement st;
  st.subjects.push_back({subject.name, {{"sha256", subject.digest}}});
  st.predicate_type = predicate_type;
  st.predicate = predicate;
  CUSTODY_ASSIGN_OR_RETURN(Bundle bundle, SignStatement(st, key));
  SignedClaim claim;
  claim.id = registry::AttestationId(bundle);
  claim.predicate_type = predicate_type;
  claim.subject = subject;
  claim.keyid = bundle.public_key_hint;
  claim.key_type = KeyTypeName(key.type());
  claim.bundle_text = bundle.ToJson().dump(2) + "\n";
  if (!args.out.empty() && args.out != "-") {
    CUSTODY_RETURN_IF_ERROR(WriteFileAtomic(args.out, claim.bundle_text, 0644, true));
  }
  const std::string store = args.StoreLocation();
  if (!args.log.empty()) {
    CUSTODY_ASSIGN_OR_RETURN(LogReceipt r, AppendToLog(args.log, store, ClaimEntry(claim.id)));
    claim.receipt = r;
  }
  if (!args.no_store) {
    CUSTODY_ASSIGN_OR_RETURN(auto reg, registry::Registry::Open(store));
    registry::AttestationRecord rec;
    rec.id = claim.id;
    rec.predicate_type = predicate_type;
    rec.statement = st;
    rec.bundle_json = bundle.ToJson().dump();
    rec.signer_keyid = bundle.public_key_hint;
    rec.recorded_at = NowRfc3339();
    if (claim.receipt) rec.log_index = claim.receipt->index;
    CUSTODY_RETURN_IF_ERROR(reg->PutAttestation(rec));
    claim.store = store;
  }
  return claim;
}

Json SignedClaimJson(const SignedClaim& claim, const std::string& out) {
  return {{"id", claim.id},
          {"predicateType", claim.predicate_type},
          {"type", PredicateShortName(claim.predicate_type)},
          {"subject",
           {{"name", claim.subject.name}, {"digest", {{"sha256", claim.subject.digest}}}, {"kind", claim.subject.kind}}},
          {"keyid", claim.keyid},
          {"out", out.empty() ? Json() : Json(out)},
          {"store", claim.store.empty() ? Json() : Json(claim.store)},
          {"logIndex", claim.receipt ? Json(claim.receipt->index) : Json()}};
}

void PrintSignedClaim(std::ostream& os, const SignedClaim& claim, const std::string& out) {
  os << "attested " << Bold(claim.subject.name) << " (" << PredicateShortName(claim.predicate_type) << ")\n"
     << "  id        " << claim.id << "\n"
     << "  subject   sha256:" << claim.subject.digest << "\n"
     << "  signer    " << claim.key_type << " " << claim.keyid << "\n";
  if (!out.empty() && out != "-") os << "  bundle    " << out << "\n";
  if (!claim.store.empty()) os << "  store     " << claim.store << "\n";
  if (claim.receipt) {
    os << "  log       index " << claim.receipt->index << " (tree size " << claim.receipt->tree_size << ")\n";
  }
}

Result<std::string> FileSha256(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error::Input("cannot open " + path + " to hash it");
  Hasher h(HashAlgorithm::kSha256);
  std::string buf(1 << 20, '\0');
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) h.Update(buf.data(), n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Error::Input("cannot read " + path + " to hash it");
  return HexEncode(h.Finish());
}

Result<ResolvedSubject> DataFileSubject(const std::string& path, const std::string& name) {
  ResolvedSubject r;
  CUSTODY_ASSIGN_OR_RETURN(r.digest, FileSha256(path));
  r.kind = "file";
  r.name = name.empty() ? std::filesystem::path(path).filename().string() : name;
  r.path = path;
  return r;
}

}  // namespace custody::cli
