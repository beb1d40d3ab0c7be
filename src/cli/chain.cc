#include "cli/chain.h"

#include <httplib.h>

#include <filesystem>

#include "cli/commands.h"
#include "core/encoding.h"
#include "core/file.h"
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
  if (log.rfind("http://", 0) != 0 && log.rfind("https://", 0) != 0) {
    return Error::Input("--log '" + log + "': write local (the store's log) or the URL of a 'custody log serve'");
  }
  std::string base = log;
  while (!base.empty() && base.back() == '/') base.pop_back();
  httplib::Client client(base);
  client.set_connection_timeout(10);
  client.set_read_timeout(60);
  auto res = client.Post("/add", entry, "application/octet-stream");
  if (!res) return Error::Input("cannot reach the log at " + base + ": " + httplib::to_string(res.error()));
  if (res->status != 200) {
    return Error::Input("the log at " + base + " refused the entry (HTTP " + std::to_string(res->status) + "): " +
                        res->body.substr(0, 300));
  }
  CUSTODY_ASSIGN_OR_RETURN(Json body, ParseJson(res->body, base + "/add"));
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

}  // namespace custody::cli
