// custody verify: check a model against its signature and name every change.
#include <filesystem>
#include <optional>
#include <iostream>

#include "attest/model_signature.h"
#include "cli/commands.h"
#include "cli/tlog_entry.h"
#include "core/encoding.h"
#include "core/file.h"

namespace custody::cli {
namespace {

struct VerifyArgs {
  std::string path;
  std::string key;
  std::vector<std::string> trusted;  // --certificate-chain
  std::string signature;
  std::vector<std::string> ignore;
  std::string log_key;  // --log-key
};

int RunVerify(const VerifyArgs& args, const Options& options) {
  std::string sig_path = args.signature.empty() ? DefaultSignaturePath(args.path) : args.signature;
  if (args.key.empty() == args.trusted.empty()) {
    return ReportError(Error::Input("verify needs exactly one of --key PUBLIC_KEY (a key-signed bundle) or "
                                    "--certificate-chain CA.pem (a certificate-signed bundle)"),
                       options);
  }
  std::optional<PublicKey> key;
  if (!args.key.empty()) {
    auto pem = ReadFile(args.key, 1 << 20);
    if (!pem.ok()) return ReportError(pem.error(), options);
    auto parsed = PublicKey::FromPem(*pem, args.key);
    if (!parsed.ok()) return ReportError(parsed.error(), options);
    key = std::move(parsed).value();
  }
  std::optional<tlog::NoteVerifier> log_key;
  if (!args.log_key.empty()) {
    auto parsed = ReadLogKey(args.log_key);
    if (!parsed.ok()) return ReportError(parsed.error(), options);
    log_key = std::move(parsed).value();
  }
  std::vector<Certificate> trusted;
  if (!args.trusted.empty()) {
    auto read = ReadCertificates(args.trusted);
    if (!read.ok()) return ReportError(read.error(), options);
    trusted = std::move(read).value();
  }
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(sig_path, ec))) {
    return ReportError(Error::Input("no signature at " + sig_path +
                                    ": sign the model first (custody sign) or pass --signature FILE"),
                       options);
  }
  auto text = ReadFile(sig_path, size_t{1} << 30);
  if (!text.ok()) return ReportError(text.error(), options);
  auto bundle = Bundle::Parse(*text, sig_path);
  if (!bundle.ok()) return ReportError(bundle.error(), options);
  std::optional<Certificate> signer;
  if (!trusted.empty()) {
    auto certified = SignerFromChain(*bundle, trusted);
    if (!certified.ok()) return ReportError(certified.error().WithContext(sig_path), options);
    key = certified->key;
    signer = certified->certificate;
  }
  auto v = VerifyModel(args.path, *bundle, *key, sig_path, args.ignore, {options.threads, !options.quiet});
  if (!v.ok()) return ReportError(v.error(), options);
  std::optional<TlogVerification> logged;
  if (log_key) {
    auto checked = VerifyTlogEntry(*bundle, *key, *log_key);
    if (!checked.ok()) return ReportError(checked.error().WithContext(sig_path), options);
    logged = *checked;
  }

  const Manifest& m = v->signed_manifest;
  if (options.json()) {
    PrintJson({{"ok", v->ok()},
               {"verified", v->ok()},
               {"model", m.model_name},
               {"path", args.path},
               {"signature", sig_path},
               {"subject", {{"name", m.model_name}, {"digest", {{"sha256", HexEncode(m.SubjectDigest())}}}}},
               {"key_type", KeyTypeName(key->type())},
               {"key_hint", PublicKeyHint(*key)},
               {"certificate", signer ? CertificateJson(*signer) : Json()},
               {"serialization", {{"method", SerializationMethodName(m.serialization.method)},
                                  {"hash_type", HashAlgorithmName(m.serialization.hash)}}},
               {"files", v->actual_manifest.FileCount()},
               {"ignored", v->ignored},
               {"modified", v->diff.modified},
               {"added", v->diff.added},
               {"removed", v->diff.removed},
               {"tlog", logged ? Json{{"origin", logged->origin},
                                      {"logIndex", std::to_string(logged->log_index)},
                                      {"treeSize", std::to_string(logged->tree_size)}}
                               : Json()}});
    return v->ok() ? 0 : 1;
  }
  if (v->ok()) {
    if (!options.quiet) {
      std::cout << Green("verified") << " " << Bold(args.path) << ": " << Count(v->actual_manifest.FileCount(), "file") << ", " << HumanBytes(v->actual_manifest.TotalBytes()) << " match the signature\n"
                << "  model     " << m.model_name << " (as signed)\n"
                << "  subject   sha256:" << HexEncode(m.SubjectDigest()) << "\n"
                << "  key       " << KeyTypeName(key->type()) << " " << PublicKeyHint(*key) << "\n";
      if (logged) {
        std::cout << "  logged    entry " << logged->log_index << " of " << logged->origin << " (inclusion proof to a "
                  << "checkpoint of size " << logged->tree_size << " signed by the log key)\n";
      }
      if (signer) {
        std::cout << "  signer    " << signer->Subject() << " (issued by " << signer->Issuer()
                  << "; chain verified to the trusted certificates)\n";
      }
      // Paths the signer or the user chose to leave out: say so, they were not checked.
      std::string skipped;
      for (const auto& p : v->unchecked) skipped += (skipped.empty() ? "" : ", ") + p;
      if (!skipped.empty()) std::cout << "  not checked " << skipped << " (ignored when signing or by --ignore)\n";
    }
    return 0;
  }
  size_t changes = v->diff.modified.size() + v->diff.added.size() + v->diff.removed.size();
  std::cout << Red("FAILED") << " " << Bold(args.path) << ": the signature is valid but the model changed ("
            << Count(changes, "file") << ")\n";
  for (const auto& p : v->diff.modified) std::cout << "  modified  " << p << "\n";
  for (const auto& p : v->diff.added) std::cout << "  added     " << p << "\n";
  for (const auto& p : v->diff.removed) std::cout << "  removed   " << p << "\n";
  return 1;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, Options& options, int* exit_code) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand("verify", "Verify a model against its signature; list what changed");
  cmd->fallthrough();
  cmd->footer(
      "Checks the bundle's signature with the public key, then re-hashes the model with the settings\n"
      "recorded in the bundle and lists every modified, added and removed file.\n"
      "A bundle signed with a certificate (custody sign --certificate, model_signing's certificate\n"
      "method) is checked with --certificate-chain instead: its certificate chain must lead to one\n"
      "of the given trusted root certificates as of the signing certificate's notBefore, and the\n"
      "signing certificate must allow digitalSignature or codeSigning.\n"
      "With --log-key the bundle must also carry an entry of that transparency log whose inclusion\n"
      "proof and signed checkpoint verify offline (custody sign --log).\n"
      "Reads bundles from custody and from OpenSSF model_signing 1.0 and 1.1.\n\n"
      "Exit status: 0 verified, 1 verification failed (bad signature, changed model, or with\n"
      "--log-key a missing or failing log entry),\n"
      "2 usage or input error (missing file, malformed bundle, unsupported key).\n\n"
      "Examples:\n"
      "  custody verify ./my-model --key release.pub\n"
      "  custody verify ./my-model --key release.pub --signature my-model.sig --format json\n"
      "  custody verify ./my-model --certificate-chain root-ca.pem\n"
      "  custody verify ./my-model --key release.pub --log-key \"$(custody log key)\"");
  cmd->add_option("PATH", args->path, "Model directory or single model file")->required();
  auto* key = cmd->add_option("--key", args->key, "Public key (PEM) of the signer");
  cmd->add_option("--certificate-chain", args->trusted,
                  "Trusted root certificate(s) (PEM) for a certificate-signed bundle; repeatable")
      ->excludes(key);
  cmd->add_option("--signature", args->signature, "The bundle to check (default PATH/model.sig)");
  cmd->add_option("--ignore", args->ignore, "Also skip this path (relative to the model); repeatable");
  cmd->add_option("--log-key", args->log_key,
                  "Require the signature's transparency-log entry (custody sign --log) and check it offline\n"
                  "with this log verifier key (NAME+HEX8+BASE64 from 'custody log key', or a file holding it)");
  cmd->callback([args, &options, exit_code] { *exit_code = RunVerify(*args, options); });
}

}  // namespace custody::cli
