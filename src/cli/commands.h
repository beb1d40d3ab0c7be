// The custody subcommands. Each Add*Command registers its options on `app`
// and a callback that runs the command and stores its exit code in `*exit_code`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/output.h"

namespace custody::cli {

void AddHashCommand(CLI::App& app, Options& options, int* exit_code);
void AddKeyCommand(CLI::App& app, Options& options, int* exit_code);
void AddSignCommand(CLI::App& app, Options& options, int* exit_code);
void AddVerifyCommand(CLI::App& app, Options& options, int* exit_code);
void AddPolicyCommand(CLI::App& app, Options& options, int* exit_code);
void AddDriftCommand(CLI::App& app, Options& options, int* exit_code);
void AddLogCommand(CLI::App& app, Options& options, int* exit_code);
void AddDetectCommand(CLI::App& app, Options& options, int* exit_code);
// custody detect events / detect feedback, registered under `detect`.
void AddDetectEventsCommands(CLI::App& detect, Options& options, int* exit_code);
void AddAttestCommand(CLI::App& app, Options& options, int* exit_code);
void AddRegistryCommand(CLI::App& app, Options& options, int* exit_code);
void AddTrustCommand(CLI::App& app, Options& options, int* exit_code);
void AddGateCommand(CLI::App& app, Options& options, int* exit_code);
void AddScanCommand(CLI::App& app, Options& options, int* exit_code);

// Options shared by hash and sign: how the model is serialized.
struct SerializationFlags {
  std::string method = "files";
  std::string algorithm = "sha256";
  uint64_t shard_size = 1'000'000'000;
  std::vector<std::string> ignore;
  bool allow_symlinks = false;
};
void AddSerializationFlags(CLI::App& cmd, SerializationFlags& flags);

}  // namespace custody::cli

namespace custody {
struct Serialization;
class Certificate;
}
namespace custody::cli {
// Builds the serialization settings from flags: default ignores, the user's
// --ignore paths and `signature` (when it lies inside the model) are recorded.
Result<Serialization> BuildSerialization(const SerializationFlags& flags, const std::string& model,
                                         const std::string& signature);
// The default signature path: MODEL/model.sig for a directory, MODEL.sig for a file.
std::string DefaultSignaturePath(const std::string& model);
// Every certificate of the PEM files `paths`, in order.
Result<std::vector<Certificate>> ReadCertificates(const std::vector<std::string>& paths);
}  // namespace custody::cli
