// custody log: the transparency log (init, key, append, checkpoint, proofs,
// offline verification, serve).
#include <iostream>

#include "cli/chain.h"
#include "cli/commands.h"
#include "cli/log_server.h"
#include "core/encoding.h"
#include "core/file.h"
#include "crypto/digest.h"
#include "store/store.h"
#include "tlog/log.h"
#include "tlog/proof_json.h"
#include "tlog/rekor.h"
#include "core/time.h"

namespace custody::cli {
namespace {

struct LogArgs {
  std::string store;
  std::string key;
  std::string origin;
  std::string input;
  bool digest = false;
  uint64_t index = 0;
  std::optional<uint64_t> size;
  uint64_t old_size = 0;
  std::optional<uint64_t> new_size;
  std::string checkpoint, verifier_key, proof, entry, old_checkpoint;
  std::string listen = "127.0.0.1:8080";
  size_t workers = kDefaultLogWorkers;
  std::string out, base_url;  // trusted-root
};

std::string StoreOf(const LogArgs& a) { return a.store.empty() ? store::Store::DefaultLocation() : a.store; }
std::string KeyOf(const LogArgs& a) { return a.key.empty() ? store::CustodyHome() + "/log.key" : a.key; }

// Opens the log; with `writable`, loads its key so that it can append.
Result<std::unique_ptr<tlog::Log>> OpenLog(const LogArgs& a, bool writable) {
  return OpenStoreLog(StoreOf(a), a.key, writable);
}

Result<tlog::Checkpoint> CheckpointOf(const std::string& note, const tlog::NoteVerifier& v) {
  auto opened = tlog::OpenNote(note, v);
  if (!opened.ok()) return opened.error();
  return tlog::ParseCheckpoint(opened->text);
}

int RunInit(const LogArgs& a, const Options& o) {
  std::string key_path = KeyOf(a);
  std::optional<PrivateKey> key;
  bool created_key = false;
  if (auto existing = ReadFile(key_path, 1 << 20); existing.ok()) {
    auto k = PrivateKey::FromPem(*existing, key_path);
    if (!k.ok()) return ReportError(k.error(), o);
    key = std::move(*k);
  } else {
    auto k = PrivateKey::Generate(KeyType::kEd25519);
    if (!k.ok()) return ReportError(k.error(), o);
    key = std::move(*k);
    std::error_code ec;
    auto parent = std::filesystem::path(key_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (auto s = WriteFileAtomic(key_path, key->ToPem(), 0600, false); !s.ok()) return ReportError(s.error(), o);
    created_key = true;
  }
  auto signer = tlog::NoteSigner::Create(a.origin, std::move(*key));
  if (!signer.ok()) return ReportError(signer.error(), o);
  if (auto s = tlog::Log::Create(StoreOf(a), a.origin, *signer); !s.ok()) return ReportError(s.error(), o);
  std::string vkey = signer->verifier().ToString();
  if (o.json()) {
    PrintJson({{"ok", true}, {"origin", a.origin}, {"verifier_key", vkey}, {"store", StoreOf(a)},
               {"key_file", key_path}, {"key_created", created_key}});
  } else if (!o.quiet) {
    std::cerr << "created log " << a.origin << " in " << StoreOf(a) << "\n"
              << (created_key ? "wrote its Ed25519 signing key to " : "signs with the existing key ") << key_path
              << (created_key ? " (mode 0600: keep it secret)\n" : "\n")
              << "verifier key (give it to anyone who checks the log):\n";
    std::cout << vkey << "\n";
  } else {
    std::cout << vkey << "\n";
  }
  return 0;
}

int RunKey(const LogArgs& a, const Options& o) {
  auto log = OpenLog(a, false);
  if (!log.ok()) return ReportError(log.error(), o);
  std::string vkey = (*log)->verifier().ToString();
  if (o.json()) {
    PrintJson({{"origin", (*log)->origin()}, {"verifier_key", vkey}});
  } else {
    std::cout << vkey << "\n";
  }
  return 0;
}

int RunAppend(const LogArgs& a, const Options& o) {
  std::string data;
  if (a.input == "-") {
    data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    auto r = ReadFile(a.input, a.digest ? (size_t{1} << 40) : (size_t{16} << 20));
    if (!r.ok()) return ReportError(r.error(), o);
    data = std::move(*r);
  }
  if (a.digest) data = "sha256:" + HexEncode(Sha256(data)) + "\n";
  if (data.size() > tlog::kMaxEntrySize) {
    return ReportError(Error::Input(a.input + " is " + std::to_string(data.size()) +
                                    " bytes; a log entry holds at most 65,535 (tlog-tiles): pass --digest to log "
                                    "its SHA-256 instead"),
                       o);
  }
  auto log = OpenLog(a, true);
  if (!log.ok()) return ReportError(log.error(), o);
  auto appended = (*log)->Append(std::move(data));
  if (!appended.ok()) return ReportError(appended.error(), o);
  std::string leaf = Base64Encode(tlog::AsBytes(appended->leaf));
  if (o.json()) {
    PrintJson({{"logIndex", std::to_string(appended->index)}, {"leafHash", leaf},
               {"treeSize", std::to_string(appended->size)}, {"checkpoint", {{"envelope", appended->checkpoint}}}});
  } else {
    std::cout << appended->index << " " << leaf << "\n";
    if (!o.quiet) {
      std::cerr << "appended entry " << appended->index << " to " << (*log)->origin() << "; tree size "
                << appended->size << ", checkpoint signed\n";
    }
  }
  return 0;
}

int RunCheckpoint(const LogArgs& a, const Options& o) {
  auto log = OpenLog(a, false);
  if (!log.ok()) return ReportError(log.error(), o);
  auto note = (*log)->Checkpoint();
  if (!note.ok()) return ReportError(note.error(), o);
  if (o.json()) {
    auto c = CheckpointOf(*note, (*log)->verifier());
    if (!c.ok()) return ReportError(c.error(), o);
    PrintJson({{"origin", c->origin}, {"treeSize", std::to_string(c->size)},
               {"rootHash", Base64Encode(tlog::AsBytes(c->root))}, {"checkpoint", {{"envelope", *note}}}});
  } else {
    std::cout << *note;
  }
  return 0;
}

int PrintProof(const tlog::ProofJson& p, const Options& o) {
  (void)o;
  PrintJson(tlog::ToJson(p));
  return 0;
}

int RunProveInclusion(const LogArgs& a, const Options& o) {
  auto log = OpenLog(a, false);
  if (!log.ok()) return ReportError(log.error(), o);
  auto current = (*log)->Size();
  if (!current.ok()) return ReportError(current.error(), o);
  uint64_t size = a.size.value_or(*current);
  auto proof = (*log)->ProveInclusion(a.index, size);
  if (!proof.ok()) return ReportError(proof.error(), o);
  auto root = (*log)->RootAt(size);
  if (!root.ok()) return ReportError(root.error(), o);
  auto note = (*log)->CheckpointAt(size);
  if (!note.ok()) return ReportError(note.error(), o);
  tlog::ProofJson p;
  p.log_index = a.index;
  p.tree_size = size;
  p.root = *root;
  p.hashes = std::move(*proof);
  if (note->has_value()) p.checkpoint = **note;
  return PrintProof(p, o);
}

int RunProveConsistency(const LogArgs& a, const Options& o) {
  auto log = OpenLog(a, false);
  if (!log.ok()) return ReportError(log.error(), o);
  auto current = (*log)->Size();
  if (!current.ok()) return ReportError(current.error(), o);
  uint64_t size = a.new_size.value_or(*current);
  auto proof = (*log)->ProveConsistency(a.old_size, size);
  if (!proof.ok()) return ReportError(proof.error(), o);
  auto root = (*log)->RootAt(size);
  auto old_root = (*log)->RootAt(a.old_size);
  if (!root.ok()) return ReportError(root.error(), o);
  if (!old_root.ok()) return ReportError(old_root.error(), o);
  auto note = (*log)->CheckpointAt(size);
  if (!note.ok()) return ReportError(note.error(), o);
  tlog::ProofJson p;
  p.old_size = a.old_size;
  p.tree_size = size;
  p.root = *root;
  p.old_root = *old_root;
  p.hashes = std::move(*proof);
  if (note->has_value()) p.checkpoint = **note;
  return PrintProof(p, o);
}

// Offline: checkpoint signature, then the proof against it.
int RunVerify(const LogArgs& a, const Options& o) {
  auto verifier = tlog::NoteVerifier::Parse(a.verifier_key);
  if (!verifier.ok()) return ReportError(verifier.error(), o);
  auto note = ReadFile(a.checkpoint, 1 << 20);
  if (!note.ok()) return ReportError(note.error(), o);
  std::string note_text = *note;
  // A proof file from 'prove-*' or 'log append --format json' may be given as the checkpoint too.
  if (!note_text.empty() && note_text[0] == '{') {
    auto j = ParseJson(note_text, a.checkpoint);
    if (!j.ok()) return ReportError(j.error(), o);
    if (!j->contains("checkpoint") || !(*j)["checkpoint"].contains("envelope")) {
      return ReportError(Error::Input(a.checkpoint + ": no /checkpoint/envelope in this JSON"), o);
    }
    note_text = (*j)["checkpoint"]["envelope"].get<std::string>();
  }
  auto cp = CheckpointOf(note_text, *verifier);
  if (!cp.ok()) return ReportError(cp.error().WithContext(a.checkpoint), o);
  Json out = {{"ok", true}, {"origin", cp->origin}, {"treeSize", std::to_string(cp->size)},
              {"rootHash", Base64Encode(tlog::AsBytes(cp->root))}};
  std::string what = "checkpoint of " + cp->origin + " at size " + std::to_string(cp->size) + " verified";
  if (!a.proof.empty()) {
    auto text = ReadFile(a.proof, 16 << 20);
    if (!text.ok()) return ReportError(text.error(), o);
    auto j = ParseJson(*text, a.proof);
    if (!j.ok()) return ReportError(j.error(), o);
    const Json& pj = j->contains("inclusionProof") ? (*j)["inclusionProof"] : *j;
    auto proof = tlog::ParseProofJson(pj, a.proof);
    if (!proof.ok()) return ReportError(proof.error(), o);
    if (proof->tree_size != cp->size || proof->root != cp->root) {
      return ReportError(Error::Verification("the proof is for tree size " + std::to_string(proof->tree_size) +
                                             " with another root than the checkpoint (size " +
                                             std::to_string(cp->size) + ")"),
                         o);
    }
    if (proof->log_index) {
      if (a.entry.empty()) {
        return ReportError(Error::Input("an inclusion proof needs --entry FILE (the logged bytes)"), o);
      }
      auto entry = ReadFile(a.entry, tlog::kMaxEntrySize + 1);
      if (!entry.ok()) return ReportError(entry.error(), o);
      auto s = tlog::VerifyInclusion(*proof->log_index, proof->tree_size, tlog::LeafHash(*entry), proof->hashes,
                                     proof->root);
      if (!s.ok()) return ReportError(s.error(), o);
      out["logIndex"] = std::to_string(*proof->log_index);
      what += "; entry " + std::to_string(*proof->log_index) + " is in the log";
    } else {
      if (a.old_checkpoint.empty()) {
        return ReportError(Error::Input("a consistency proof needs --old-checkpoint FILE"), o);
      }
      auto old_note = ReadFile(a.old_checkpoint, 1 << 20);
      if (!old_note.ok()) return ReportError(old_note.error(), o);
      auto old_cp = CheckpointOf(*old_note, *verifier);
      if (!old_cp.ok()) return ReportError(old_cp.error().WithContext(a.old_checkpoint), o);
      if (old_cp->size != *proof->old_size) {
        return ReportError(Error::Verification("the proof starts at size " + std::to_string(*proof->old_size) +
                                               ", the old checkpoint has size " + std::to_string(old_cp->size)),
                           o);
      }
      auto s = tlog::VerifyConsistency(old_cp->size, cp->size, proof->hashes, old_cp->root, cp->root);
      if (!s.ok()) return ReportError(s.error(), o);
      out["oldSize"] = std::to_string(old_cp->size);
      what += "; consistent with size " + std::to_string(old_cp->size) + " (append-only)";
    }
  }
  if (o.json()) {
    PrintJson(out);
  } else if (!o.quiet) {
    std::cout << Green("OK") << " " << what << "\n";
  }
  return 0;
}

// A Sigstore trusted_root.json naming this log, for Sigstore verifiers.
int RunTrustedRoot(const LogArgs& a, const Options& o) {
  auto log = OpenLog(a, false);
  if (!log.ok()) return ReportError(log.error(), o);
  const std::string& origin = (*log)->origin();
  std::string base_url = a.base_url.empty() ? "https://" + origin : a.base_url;
  std::string valid_from = (*log)->created_at().empty() ? NowRfc3339() : (*log)->created_at();
  auto root = tlog::TrustedRoot((*log)->verifier(), base_url, valid_from);
  if (!root.ok()) return ReportError(root.error(), o);
  if (base_url.find(origin) == std::string::npos && !o.quiet) {
    std::cerr << "warning: --base-url " << base_url << " does not contain the log's origin '" << origin
              << "': Sigstore verifiers match a checkpoint's signer name against the base URL and will not "
                 "accept this log's checkpoints\n";
  }
  std::string text = root->dump(2) + "\n";
  if (a.out.empty()) {
    std::cout << text;
    return 0;
  }
  if (auto s = WriteFileAtomic(a.out, text, 0644, /*overwrite=*/true); !s.ok()) return ReportError(s.error(), o);
  const Json& tlog = (*root)["tlogs"][0];
  if (o.json()) {
    PrintJson({{"ok", true}, {"out", a.out}, {"origin", origin}, {"baseUrl", base_url},
               {"logId", tlog["logId"]["keyId"]}, {"validFrom", valid_from}});
  } else if (!o.quiet) {
    std::cerr << "wrote " << a.out << ": a Sigstore trusted root naming the log " << origin << " (" << base_url
              << ", log ID " << tlog["logId"]["keyId"].get<std::string>() << ", valid from " << valid_from << ")\n";
  }
  return 0;
}

int RunServe(const LogArgs& a, const Options& o) {
  BlockStopSignals();
  auto log = OpenLog(a, true);
  if (!log.ok()) return ReportError(log.error(), o);
  auto s = ServeLog(**log, a.listen, o, a.workers);
  if (!s.ok()) return ReportError(s.error(), o);
  return 0;
}

}  // namespace

void AddLogCommand(CLI::App& app, Options& options, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("log", "The transparency log: append claims, prove them, serve tiles");
  cmd->fallthrough();
  cmd->require_subcommand(1);
  cmd->footer(
      "An append-only RFC 6962 Merkle log stored as C2SP tlog-tiles, with a C2SP checkpoint signed\n"
      "(Ed25519 signed note) after every append. It lives in the store: the SQLite file\n"
      "$CUSTODY_HOME/custody.db by default, or --store / $CUSTODY_STORE (a path or postgres:// URI).\n\n"
      "Examples:\n"
      "  custody log init --origin example.com/custody-log   # prints the verifier key\n"
      "  custody log append claim.json                        # prints: INDEX LEAF_HASH\n"
      "  custody log prove-inclusion --index 0 > proof.json\n"
      "  custody log verify --checkpoint proof.json --key \"$(custody log key)\" --proof proof.json --entry claim.json\n"
      "  custody log serve --listen 127.0.0.1:8080\n"
      "  custody log trusted-root --out trusted_root.json     # for Sigstore verifiers\n\n"
      "docs/commands/log.md has the details.");
  auto args = std::make_shared<LogArgs>();
  auto add_store = [&](CLI::App* c) {
    c->add_option("--store", args->store, "Store: SQLite file path or postgres:// URI (default: $CUSTODY_STORE, "
                                          "else $CUSTODY_HOME/custody.db)");
  };
  auto add_key = [&](CLI::App* c) {
    c->add_option("--key", args->key, "The log's Ed25519 signing key (default: $CUSTODY_HOME/log.key)");
  };

  CLI::App* init = cmd->add_subcommand("init", "Create the log and its signing key; print its verifier key");
  init->add_option("--origin", args->origin, "The log's name, the first line of its checkpoints (e.g. example.com/log)")
      ->required();
  add_store(init);
  add_key(init);
  init->callback([args, &options, exit_code] { *exit_code = RunInit(*args, options); });

  CLI::App* key = cmd->add_subcommand("key", "Print the log's verifier key (NAME+HEX8+BASE64, as Go's sumdb/note)");
  add_store(key);
  key->callback([args, &options, exit_code] { *exit_code = RunKey(*args, options); });

  CLI::App* append = cmd->add_subcommand("append", "Append FILE (or - for stdin); print its index and leaf hash");
  append->add_option("input", args->input, "The entry: at most 65,535 bytes")->required();
  append->add_flag("--digest", args->digest, "Log 'sha256:HEX' of FILE instead of its bytes (for larger claims)");
  add_store(append);
  add_key(append);
  append->callback([args, &options, exit_code] { *exit_code = RunAppend(*args, options); });

  CLI::App* cp = cmd->add_subcommand("checkpoint", "Print the latest signed checkpoint");
  add_store(cp);
  cp->callback([args, &options, exit_code] { *exit_code = RunCheckpoint(*args, options); });

  CLI::App* inc = cmd->add_subcommand("prove-inclusion", "Print the inclusion proof of entry --index (JSON)");
  inc->add_option("--index", args->index, "The entry's index")->required();
  inc->add_option("--size", args->size, "Tree size to prove against (default: the latest)");
  add_store(inc);
  inc->callback([args, &options, exit_code] { *exit_code = RunProveInclusion(*args, options); });

  CLI::App* con = cmd->add_subcommand("prove-consistency", "Print the consistency proof from --old to --new (JSON)");
  con->add_option("--old", args->old_size, "The older tree size")->required();
  con->add_option("--new", args->new_size, "The newer tree size (default: the latest)");
  add_store(con);
  con->callback([args, &options, exit_code] { *exit_code = RunProveConsistency(*args, options); });

  CLI::App* ver = cmd->add_subcommand("verify", "Offline: check a checkpoint's signature and a proof against it");
  ver->add_option("--checkpoint", args->checkpoint, "Signed checkpoint file (or a proof JSON that carries one)")
      ->required();
  ver->add_option("--key", args->verifier_key, "The log's verifier key string")->required();
  ver->add_option("--proof", args->proof, "Proof JSON from prove-inclusion or prove-consistency");
  ver->add_option("--entry", args->entry, "The logged bytes, for an inclusion proof");
  ver->add_option("--old-checkpoint", args->old_checkpoint, "The older signed checkpoint, for a consistency proof");
  ver->callback([args, &options, exit_code] { *exit_code = RunVerify(*args, options); });

  CLI::App* root = cmd->add_subcommand(
      "trusted-root", "Write a Sigstore trusted_root.json naming the log, for Sigstore verifiers");
  root->add_option("--out", args->out, "Where to write it (default: stdout)");
  root->add_option("--base-url", args->base_url,
                   "The log's URL in the trusted root (default https://ORIGIN); must contain the origin");
  add_store(root);
  root->callback([args, &options, exit_code] { *exit_code = RunTrustedRoot(*args, options); });

  CLI::App* serve = cmd->add_subcommand("serve", "Serve the log over HTTP (tlog-tiles GET endpoints, POST /add)");
  serve->add_option("--listen", args->listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--workers", args->workers,
                    "Requests handled at once (each keep-alive client holds one); POST /add batches gather "
                    "from these")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  add_store(serve);
  add_key(serve);
  serve->callback([args, &options, exit_code] { *exit_code = RunServe(*args, options); });
}

}  // namespace custody::cli
