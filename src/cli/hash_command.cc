// custody hash: print the manifest of a model directory or file.
#include <sys/stat.h>

#include <chrono>
#include <iostream>

#include "cli/commands.h"
#include "core/encoding.h"
#include "core/file.h"
#include "crypto/certificate.h"
#include "manifest/manifest.h"
#include "manifest/predicate.h"
#include "manifest/walk.h"

namespace custody::cli {

void AddSerializationFlags(CLI::App& cmd, SerializationFlags& flags) {
  cmd.add_option("--method", flags.method, "files: one digest per file; shards: one per --shard-size piece")
      ->check(CLI::IsMember({"files", "shards"}))
      ->capture_default_str();
  cmd.add_option("--algorithm,--hash", flags.algorithm, "Digest: sha256 or blake2b")
      ->check(CLI::IsMember({"sha256", "blake2b"}))
      ->capture_default_str();
  cmd.add_option("--shard-size", flags.shard_size, "Shard size in bytes (method shards)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd.add_option("--ignore", flags.ignore,
                 "Skip this path (relative to the model) and everything below it; repeatable. "
                 ".git, .gitattributes, .github, .gitignore and the signature file are always skipped");
  cmd.add_flag("--allow-symlinks", flags.allow_symlinks,
               "Hash a symlink to a file with its target's bytes under the link's name (default: error)");
}

std::string DefaultSignaturePath(const std::string& model) {
  struct stat st {};
  if (::stat(model.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return model + ".sig";
  return (std::filesystem::path(model) / "model.sig").string();
}

Result<std::vector<Certificate>> ReadCertificates(const std::vector<std::string>& paths) {
  std::vector<Certificate> out;
  for (const auto& path : paths) {
    CUSTODY_ASSIGN_OR_RETURN(std::string pem, ReadFile(path, 1 << 20));
    CUSTODY_ASSIGN_OR_RETURN(std::vector<Certificate> certs, Certificate::AllFromPem(pem, path));
    for (auto& c : certs) out.push_back(std::move(c));
  }
  return out;
}

Result<Serialization> BuildSerialization(const SerializationFlags& flags, const std::string& model,
                                         const std::string& signature) {
  Serialization s;
  CUSTODY_ASSIGN_OR_RETURN(s.method, ParseSerializationMethod(flags.method));
  CUSTODY_ASSIGN_OR_RETURN(s.hash, ParseHashAlgorithm(flags.algorithm));
  s.shard_size = flags.shard_size;
  s.allow_symlinks = flags.allow_symlinks;
  s.ignore_paths = DefaultIgnorePaths();
  std::string sig = NormalizeIgnorePath(model, std::filesystem::absolute(signature).string());
  if (!std::filesystem::path(sig).is_absolute()) s.ignore_paths.push_back(sig);
  for (const auto& p : flags.ignore) s.ignore_paths.push_back(NormalizeIgnorePath(model, p));
  return s;
}

namespace {

struct HashArgs {
  std::string path;
  SerializationFlags flags;
};

int RunHash(const HashArgs& args, const Options& options) {
  auto ser = BuildSerialization(args.flags, args.path, DefaultSignaturePath(args.path));
  if (!ser.ok()) return ReportError(ser.error(), options);
  auto start = std::chrono::steady_clock::now();
  auto manifest = HashModel(args.path, *ser, {options.threads, !options.quiet});
  if (!manifest.ok()) return ReportError(manifest.error(), options);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string subject = HexEncode(manifest->SubjectDigest());
  if (options.json()) {
    Json out = ManifestToPredicate(*manifest);
    out["model"] = manifest->model_name;
    out["subject"] = {{"name", manifest->model_name}, {"digest", {{"sha256", subject}}}};
    out["files"] = manifest->FileCount();
    out["bytes"] = manifest->TotalBytes();
    out["elapsed_seconds"] = secs;
    PrintJson(out);
    return 0;
  }
  if (options.quiet) return 0;
  for (const auto& r : manifest->resources) std::cout << HexEncode(r.digest) << "  " << r.name << "\n";
  double rate = secs > 0 ? static_cast<double>(manifest->TotalBytes()) / secs : 0;
  std::cout << "\n"
            << Bold(manifest->model_name) << ": " << Count(manifest->FileCount(), "file") << ", "
            << HumanBytes(manifest->TotalBytes()) << ", method " << SerializationMethodName(ser->method) << ", "
            << HashAlgorithmName(ser->hash) << ", " << HumanBytes(static_cast<uint64_t>(rate)) << "/s\n"
            << "subject sha256:" << subject << "\n";
  return 0;
}

}  // namespace

void AddHashCommand(CLI::App& app, Options& options, int* exit_code) {
  auto args = std::make_shared<HashArgs>();
  CLI::App* cmd = app.add_subcommand("hash", "Compute the manifest of a model (OpenSSF model-signing v1.0 form)");
  cmd->fallthrough();
  cmd->footer(
      "Prints one digest per file (or per shard) in manifest order, then the subject digest: SHA-256\n"
      "over all resource digests, which is what a signature covers.\n\n"
      "Examples:\n"
      "  custody hash ./my-model\n"
      "  custody hash ./my-model --method shards --shard-size 500000000 --format json\n"
      "  custody hash ./my-model --ignore checkpoints --ignore README.md");
  cmd->add_option("PATH", args->path, "Model directory or single model file")->required();
  AddSerializationFlags(*cmd, args->flags);
  cmd->callback([args, &options, exit_code] { *exit_code = RunHash(*args, options); });
}

}  // namespace custody::cli
