// Pieces the attestation, registry and gate commands share: what a SUBJECT
// argument names, and writing to the transparency log.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "tlog/log.h"

namespace custody::cli {

struct ResolvedSubject {
  std::string name;
  std::string digest;  // hex sha256
  std::string kind;    // "model" (a directory), "file", "digest", "registry"
  std::string path;    // the directory or file, when there is one
};

// SUBJECT is `sha256:HEX`, a model directory or file (hashed as `custody
// sign` hashes it: the digest is its manifest's subject digest), or
// NAME@VERSION registered in `store` (when `store` is given).
// `name` overrides the subject's name.
Result<ResolvedSubject> ResolveSubject(const std::string& subject, const std::string& name, const std::string& store,
                                       size_t threads, bool progress);

// The store's log, opened with its signing key when `writable`
// ($CUSTODY_HOME/log.key unless `key_path` names another). Every command
// that reads or appends to the log opens it here.
Result<std::unique_ptr<tlog::Log>> OpenStoreLog(const std::string& store, const std::string& key_path, bool writable);

struct LogReceipt {
  uint64_t index = 0;
  uint64_t tree_size = 0;
  std::string origin;  // "" for a remote log
};

// Logs `entry` in the store's own log (`log` = "local") or by POST to a
// `custody log serve` at `log` (an http:// or https:// URL).
Result<LogReceipt> AppendToLog(const std::string& log, const std::string& store, const std::string& entry);

// The log entry custody writes for a signed claim: "sha256:HEX\n" of its bundle.
std::string ClaimEntry(const std::string& bundle_id);

}  // namespace custody::cli
