// custody key generate: create a signing key pair.
#include <sys/stat.h>

#include <iostream>

#include "attest/model_signature.h"
#include "cli/commands.h"
#include "core/file.h"
#include "crypto/key.h"

namespace custody::cli {
namespace {

struct KeyArgs {
  std::string type = "ecdsa-p256";
  std::string out;
  bool force = false;
};

int RunGenerate(const KeyArgs& args, const Options& options) {
  auto type = ParseKeyType(args.type);
  if (!type.ok()) return ReportError(type.error(), options);
  std::string key_path = args.out + ".key", pub_path = args.out + ".pub";
  if (!args.force) {
    struct stat st {};
    for (const auto& p : {key_path, pub_path}) {
      if (::lstat(p.c_str(), &st) == 0) {
        return ReportError(Error::Input(p + " already exists; pass --force to overwrite it"), options);
      }
    }
  }
  auto key = PrivateKey::Generate(*type);
  if (!key.ok()) return ReportError(key.error(), options);
  PublicKey pub = key->Public();
  auto s = WriteFileAtomic(key_path, key->ToPem(), 0600, args.force);
  if (!s.ok()) return ReportError(s.error(), options);
  s = WriteFileAtomic(pub_path, pub.ToPem(), 0644, args.force);
  if (!s.ok()) return ReportError(s.error(), options);
  std::string hint = PublicKeyHint(pub);
  if (options.json()) {
    PrintJson({{"ok", true}, {"type", args.type}, {"private_key", key_path}, {"public_key", pub_path}, {"hint", hint}});
  } else if (!options.quiet) {
    std::cout << "wrote " << key_path << " (" << args.type << " private key, PKCS#8, mode 0600: keep it secret)\n"
              << "wrote " << pub_path << " (public key: give it to verifiers)\n"
              << "key hint " << hint << "\n";
  }
  return 0;
}

}  // namespace

void AddKeyCommand(CLI::App& app, Options& options, int* exit_code) {
  CLI::App* key = app.add_subcommand("key", "Manage signing keys");
  key->fallthrough();
  key->require_subcommand(1);
  auto args = std::make_shared<KeyArgs>();
  CLI::App* gen = key->add_subcommand("generate", "Generate a key pair: NAME.key (private) and NAME.pub (public)");
  gen->fallthrough();
  gen->footer(
      "NAME.key is an unencrypted PKCS#8 PEM private key written with mode 0600; NAME.pub is a\n"
      "SubjectPublicKeyInfo PEM public key that openssl, cosign and model_signing read.\n"
      "Existing files are never overwritten without --force.\n\n"
      "Example:\n"
      "  custody key generate --type ed25519 --out release");
  gen->add_option("--type", args->type, "Key type: ecdsa-p256, ecdsa-p384, ecdsa-p521 or ed25519")
      ->check(CLI::IsMember({"ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "ed25519"}))
      ->capture_default_str();
  gen->add_option("--out", args->out, "Base name of the files to write")->required();
  gen->add_flag("--force", args->force, "Overwrite NAME.key and NAME.pub if they exist");
  gen->callback([args, &options, exit_code] { *exit_code = RunGenerate(*args, options); });
}

}  // namespace custody::cli
