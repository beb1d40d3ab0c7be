// custody sign: hash a model and write a Sigstore bundle signing its manifest.
#include <iostream>

#include "attest/model_signature.h"
#include "cli/commands.h"
#include "cli/tlog_entry.h"
#include "core/encoding.h"
#include "core/file.h"
#include "store/store.h"

namespace custody::cli {
namespace {

struct SignArgs {
  std::string path;
  std::string key;
  std::string signature;
  std::string certificate;
  std::vector<std::string> chain;
  std::string log;    // "", "local" or a URL
  std::string store;  // for --log local
  SerializationFlags flags;
};

int RunSign(const SignArgs& args, const Options& options) {
  std::string sig_path = args.signature.empty() ? DefaultSignaturePath(args.path) : args.signature;
  auto pem = ReadFile(args.key, 1 << 20);
  if (!pem.ok()) return ReportError(pem.error(), options);
  auto key = PrivateKey::FromPem(*pem, args.key);
  if (!key.ok()) return ReportError(key.error(), options);
  std::vector<Certificate> certs;
  if (!args.certificate.empty()) {
    std::vector<std::string> paths = {args.certificate};
    paths.insert(paths.end(), args.chain.begin(), args.chain.end());
    auto read = ReadCertificates(paths);
    if (!read.ok()) return ReportError(read.error(), options);
    certs = std::move(read).value();
  }
  auto ser = BuildSerialization(args.flags, args.path, sig_path);
  if (!ser.ok()) return ReportError(ser.error(), options);
  auto manifest = HashModel(args.path, *ser, {options.threads, !options.quiet});
  if (!manifest.ok()) return ReportError(manifest.error(), options);
  auto bundle = SignManifest(*manifest, *key, certs);
  if (!bundle.ok()) return ReportError(bundle.error(), options);
  if (!args.log.empty()) {
    std::string store = args.store.empty() ? store::Store::DefaultLocation() : args.store;
    auto entry = LogSignature(*bundle, key->Public(), args.log, store);
    if (!entry.ok()) return ReportError(entry.error().WithContext("logging the signature (nothing was written)"), options);
    bundle->tlog_entries.push_back(std::move(entry).value());
  }
  auto written = WriteFileAtomic(sig_path, bundle->ToJson().dump(2) + "\n", 0644, /*overwrite=*/true);
  if (!written.ok()) return ReportError(written.error(), options);
  std::string subject = HexEncode(manifest->SubjectDigest());
  if (options.json()) {
    PrintJson({{"ok", true},
               {"signature", sig_path},
               {"model", manifest->model_name},
               {"subject", {{"name", manifest->model_name}, {"digest", {{"sha256", subject}}}}},
               {"key_type", KeyTypeName(key->type())},
               {"key_hint", bundle->public_key_hint},
               {"certificate", certs.empty() ? Json() : CertificateJson(certs.front())},
               {"files", manifest->FileCount()},
               {"resources", manifest->resources.size()},
               {"bytes", manifest->TotalBytes()},
               {"tlog", bundle->tlog_entries.empty()
                            ? Json()
                            : Json{{"logIndex", std::to_string(bundle->tlog_entries[0].log_index)},
                                   {"treeSize", std::to_string(bundle->tlog_entries[0].inclusion_proof->tree_size)},
                                   {"logId", Base64Encode(bundle->tlog_entries[0].log_id)}}}});
  } else if (!options.quiet) {
    std::cout << "signed " << Bold(manifest->model_name) << ": " << Count(manifest->FileCount(), "file") << ", "
              << HumanBytes(manifest->TotalBytes()) << " (" << Count(manifest->resources.size(), "resource") << ", method "
              << SerializationMethodName(ser->method) << ")\n"
              << "  subject   sha256:" << subject << "\n"
              << "  key       " << KeyTypeName(key->type()) << " " << bundle->public_key_hint << "\n";
    if (!certs.empty()) {
      std::cout << "  signer    " << certs.front().Subject() << " (issued by " << certs.front().Issuer() << "; "
                << Count(certs.size(), "certificate") << " in the bundle)\n";
    }
    if (!bundle->tlog_entries.empty()) {
      const TlogEntry& e = bundle->tlog_entries[0];
      std::cout << "  logged    entry " << e.log_index << " of " << (args.log == "local" ? "the local log" : args.log)
                << " (tree size " << e.inclusion_proof->tree_size << "; proof and checkpoint in the bundle)\n";
    }
    std::cout << "  signature " << sig_path << "\n";
  }
  return 0;
}

}  // namespace

void AddSignCommand(CLI::App& app, Options& options, int* exit_code) {
  auto args = std::make_shared<SignArgs>();
  CLI::App* cmd = app.add_subcommand("sign", "Sign a model: hash it and write a Sigstore bundle");
  cmd->fallthrough();
  cmd->footer(
      "The bundle (Sigstore bundle v0.3) holds a DSSE envelope of an in-toto Statement whose predicate\n"
      "is the OpenSSF model-signing v1.0 manifest; model_signing, cosign-style tooling and\n"
      "@sigstore/verify read it. The serialization settings are recorded so verify re-hashes the same way.\n\n"
      "Examples:\n"
      "  custody sign ./my-model --key release.key\n"
      "  custody sign ./my-model --key release.key --method shards --signature my-model.sig\n"
      "  custody sign ./my-model --key release.key --certificate release.crt --certificate-chain ca-chain.pem\n"
      "  custody sign ./my-model --key release.key --log local");
  cmd->add_option("PATH", args->path, "Model directory or single model file")->required();
  cmd->add_option("--key", args->key, "Private key (PKCS#8 PEM), e.g. from 'custody key generate'")->required();
  cmd->add_option("--signature", args->signature, "Where to write the bundle (default PATH/model.sig)");
  auto* cert = cmd->add_option("--certificate", args->certificate,
                               "Signing certificate (PEM) of --key from your PKI: the bundle carries it\n"
                               "instead of a key hint, and verifiers check it with --certificate-chain");
  cmd->add_option("--certificate-chain", args->chain,
                  "Intermediate certificates (PEM) between --certificate and the root, put in the\n"
                  "bundle after it; repeatable")
      ->needs(cert);
  auto* log = cmd->add_option("--log", args->log,
                              "Log the signature: 'local' (the store's log) or the URL of a 'custody log serve';\n"
                              "the bundle then carries the entry, its inclusion proof and checkpoint");
  cmd->add_option("--store", args->store, "Store whose log --log local appends to (default $CUSTODY_STORE or\n"
                                          "$CUSTODY_HOME/custody.db)")
      ->needs(log);
  AddSerializationFlags(*cmd, args->flags);
  cmd->callback([args, &options, exit_code] { *exit_code = RunSign(*args, options); });
}

}  // namespace custody::cli
