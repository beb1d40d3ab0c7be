// custody trust check: validate a trust file and show what it trusts.
#include <iomanip>
#include <iostream>

#include "attest/predicates.h"
#include "cli/commands.h"
#include "core/time.h"
#include "gate/trust.h"

namespace custody::cli {
namespace {

std::string NsText(const std::optional<int64_t>& ns) { return ns ? FormatRfc3339(*ns / 1000000000) : ""; }

int RunCheck(const std::string& path, const Options& o) {
  auto trust = gate::TrustPolicy::Load(path);
  if (!trust.ok()) return ReportError(trust.error(), o);
  Json keys = Json::array();
  for (const gate::TrustedKey& k : trust->keys()) {
    keys.push_back({{"name", k.name},
                    {"keyid", k.keyid},
                    {"line", k.line},
                    {"has_public_key", k.key.has_value()},
                    {"predicates", k.predicates},
                    {"models", k.models},
                    {"valid_after", k.valid_after_ns ? Json(NsText(k.valid_after_ns)) : Json()},
                    {"valid_before", k.valid_before_ns ? Json(NsText(k.valid_before_ns)) : Json()},
                    {"revoked", trust->IsRevoked(k.keyid)}});
  }
  Json thresholds = Json::array();
  for (const gate::Threshold& t : trust->thresholds()) {
    thresholds.push_back({{"predicate", t.predicate}, {"signers", t.signers}, {"line", t.line}});
  }
  if (o.json()) {
    PrintJson({{"ok", true}, {"file", path}, {"keys", keys}, {"revoked", trust->revoked()}, {"thresholds", thresholds}});
    return 0;
  }
  std::cout << Green("ok") << " " << path << ": " << Count(keys.size(), "key") << ", "
            << Count(trust->revoked().size(), "revoked key") << ", " << Count(thresholds.size(), "threshold") << "\n";
  for (const Json& k : keys) {
    std::string preds, models;
    for (const Json& p : k["predicates"]) preds += (preds.empty() ? "" : ",") + p.get<std::string>();
    for (const Json& m : k["models"]) models += (models.empty() ? "" : ",") + m.get<std::string>();
    std::cout << "  " << std::left << std::setw(14) << k["name"].get<std::string>() << " "
              << k["keyid"].get<std::string>().substr(0, 16) << "  predicates " << (preds.empty() ? "any" : preds)
              << "  models " << (models.empty() ? "any" : models);
    if (!k["valid_after"].is_null()) std::cout << "  after " << k["valid_after"].get<std::string>();
    if (!k["valid_before"].is_null()) std::cout << "  before " << k["valid_before"].get<std::string>();
    if (k["revoked"] == true) std::cout << "  " << Red("REVOKED");
    std::cout << "\n";
  }
  for (const Json& t : thresholds) {
    std::cout << "  threshold " << t["predicate"].get<std::string>() << ": " << t["signers"].get<int>()
              << " distinct signers\n";
  }
  return 0;
}

}  // namespace

void AddTrustCommand(CLI::App& app, Options& options, int* exit_code) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("trust", "Trust files: which keys the gate trusts, for what (docs/formats/trust.md)");
  cmd->require_subcommand(1);
  cmd->fallthrough();
  CLI::App* check = cmd->add_subcommand(
      "check",
      "Validate a trust file and list its keys, revocations and thresholds.\n"
      "Errors name the line. Exit codes: 0 valid, 2 invalid.");
  check->add_option("file", *path, "Trust file (YAML)")->required();
  check->fallthrough();
  check->callback([path, &options, exit_code] { *exit_code = RunCheck(*path, options); });
}

}  // namespace custody::cli
