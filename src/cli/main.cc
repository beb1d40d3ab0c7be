// custody: chain of custody for AI models. This file wires the subcommands
// together and turns command-line errors into exit code 2.
#include <exception>
#include <iostream>
#include <new>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"custody: hash, sign and verify AI models; keep their chain of custody.", "custody"};
  app.footer(
      "Examples:\n"
      "  custody key generate --type ed25519 --out release   # writes release.key, release.pub\n"
      "  custody sign ./my-model --key release.key           # writes ./my-model/model.sig\n"
      "  custody verify ./my-model --key release.pub         # exit 0 verified, 1 failed, 2 bad input\n"
      "  custody policy eval -d policy/ -i input.json data.example.allow   # Rego, as opa eval\n"
      "\nRun 'custody COMMAND --help' for a command's options; docs/commands/ has a page per command.");
  app.set_version_flag("--version", "custody 0.1.0");
  app.require_subcommand(1);

  custody::cli::Options options;
  app.add_option("--format", options.format, "Output: text for people, json for scripts")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_flag("-q,--quiet", options.quiet, "Print only errors (the exit code still tells the result)");
  app.add_option("--threads", options.threads, "Worker threads for hashing (default: one per CPU)");

  int exit_code = 0;
  custody::cli::AddHashCommand(app, options, &exit_code);
  custody::cli::AddKeyCommand(app, options, &exit_code);
  custody::cli::AddSignCommand(app, options, &exit_code);
  custody::cli::AddVerifyCommand(app, options, &exit_code);
  custody::cli::AddPolicyCommand(app, options, &exit_code);
  custody::cli::AddDriftCommand(app, options, &exit_code);
  custody::cli::AddLogCommand(app, options, &exit_code);
  custody::cli::AddDetectCommand(app, options, &exit_code);
  custody::cli::AddAttestCommand(app, options, &exit_code);
  custody::cli::AddRegistryCommand(app, options, &exit_code);
  custody::cli::AddTrustCommand(app, options, &exit_code);
  custody::cli::AddGateCommand(app, options, &exit_code);
  custody::cli::AddScanCommand(app, options, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "custody: out of memory\n";
    return 2;
  } catch (const std::exception& e) {
    // Commands return errors as values; reaching here is a custody bug.
    std::cerr << "custody: internal error: " << e.what() << " (please report this)\n";
    return 2;
  }
  return exit_code;
}
