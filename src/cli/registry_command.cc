// custody registry: model versions by name, their lineage, and aliases that
// move only through an allowing gate decision.
#include <iomanip>
#include <iostream>

#include "attest/model_signature.h"
#include "attest/predicates.h"
#include "cli/chain.h"
#include "cli/commands.h"
#include "core/encoding.h"
#include "core/file.h"
#include "core/time.h"
#include "manifest/manifest.h"
#include "manifest/predicate.h"
#include "registry/registry.h"
#include "store/store.h"

namespace custody::cli {
namespace {

struct RegistryArgs {
  std::string store;
  std::string name, version, path, key, alias, decision, target;
};

std::string StoreOf(const RegistryArgs& a) { return a.store.empty() ? store::Store::DefaultLocation() : a.store; }

int RunAdd(const RegistryArgs& a, const Options& o) {
  std::string store = StoreOf(a);
  SerializationFlags flags;
  auto ser = BuildSerialization(flags, a.path, DefaultSignaturePath(a.path));
  if (!ser.ok()) return ReportError(ser.error(), o);
  auto manifest = HashModel(a.path, *ser, {o.threads, !o.quiet && !o.json()});
  if (!manifest.ok()) return ReportError(manifest.error(), o);
  std::string digest = HexEncode(manifest->SubjectDigest());
  auto reg = registry::Registry::Open(store);
  if (!reg.ok()) return ReportError(reg.error(), o);
  // A version never changes its digest: refuse before signing anything.
  auto existing = (*reg)->GetVersion(a.name, a.version);
  if (!existing.ok()) return ReportError(existing.error(), o);
  if (*existing && (*existing)->digest != digest) {
    return ReportError(Error::Input(a.name + "@" + a.version + " is already registered with digest sha256:" +
                                    (*existing)->digest + "; a version never changes its digest: register sha256:" +
                                    digest + " as a new version"),
                       o);
  }
  std::string signature_id;
  if (!a.key.empty()) {
    auto pem = ReadFile(a.key, 1 << 20);
    if (!pem.ok()) return ReportError(pem.error(), o);
    auto key = PrivateKey::FromPem(*pem, a.key);
    if (!key.ok()) return ReportError(key.error(), o);
    manifest->model_name = a.name;
    auto bundle = SignManifest(*manifest, *key);
    if (!bundle.ok()) return ReportError(bundle.error(), o);
    registry::AttestationRecord rec;
    rec.id = registry::AttestationId(*bundle);
    rec.predicate_type = kModelSigningPredicateType;
    rec.statement = ModelStatement(*manifest);
    rec.bundle_json = bundle->ToJson().dump();
    rec.signer_keyid = bundle->public_key_hint;
    rec.recorded_at = NowRfc3339();
    auto put = (*reg)->PutAttestation(rec);
    if (!put.ok()) return ReportError(put.error(), o);
    signature_id = rec.id;
  }
  registry::ModelVersion v{a.name, a.version, digest, a.path, signature_id, ""};
  auto added = (*reg)->AddVersion(v);
  if (!added.ok()) return ReportError(added.error(), o);
  if (o.json()) {
    PrintJson({{"ok", true}, {"name", a.name}, {"version", a.version}, {"digest", {{"sha256", digest}}},
               {"added", *added}, {"signature", signature_id.empty() ? Json() : Json(signature_id)},
               {"store", store}});
  } else if (!o.quiet) {
    std::cout << (*added ? "registered " : "already registered ") << Bold(a.name + "@" + a.version) << "\n"
              << "  digest    sha256:" << digest << "\n"
              << "  files     " << manifest->FileCount() << ", " << HumanBytes(manifest->TotalBytes()) << "\n";
    if (!signature_id.empty()) std::cout << "  signed    " << signature_id << "\n";
  }
  return 0;
}

Json AliasJson(const registry::AliasRecord& r) {
  return {{"alias", r.alias}, {"version", r.version}, {"decision", r.decision_id}, {"since", r.created_at}};
}

// The lineage of one version: datasets -> training run -> model -> evaluations
// -> decisions -> deployments, from what the store holds about its digest.
Result<Json> Lineage(registry::Registry& reg, const registry::ModelVersion& v) {
  CUSTODY_ASSIGN_OR_RETURN(auto atts, reg.AttestationsFor(v.digest));
  CUSTODY_ASSIGN_OR_RETURN(auto decisions, reg.DecisionsFor(v.digest));
  CUSTODY_ASSIGN_OR_RETURN(auto aliases, reg.Aliases(v.name));
  Json datasets = Json::array(), training = Json::array(), evaluations = Json::array(), checks = Json::array(),
       approvals = Json::array(), signatures = Json::array(), other = Json::array();
  for (const registry::AttestationRecord& a : atts) {
    const Json& p = a.statement.predicate;
    Json base = {{"id", a.id}, {"type", PredicateShortName(a.predicate_type)}, {"signer", a.signer_keyid},
                 {"recordedAt", a.recorded_at}, {"logIndex", a.log_index ? Json(*a.log_index) : Json()}};
    if (a.predicate_type == kSlsaProvenanceV1) {
      Json t = base;
      t["builder"] = p.value("/runDetails/builder/id"_json_pointer, "");
      t["buildType"] = p.value("/buildDefinition/buildType"_json_pointer, "");
      t["invocationId"] = p.value("/runDetails/metadata/invocationId"_json_pointer, "");
      t["parameters"] = p.value("/buildDefinition/externalParameters"_json_pointer, Json::object());
      training.push_back(t);
      for (const Json& dep : p.value("/buildDefinition/resolvedDependencies"_json_pointer, Json::array())) {
        datasets.push_back({{"name", dep.value("name", dep.value("uri", ""))}, {"digest", dep.value("digest", Json())},
                            {"from", "provenance " + a.id.substr(0, 12)}});
      }
    } else if (a.predicate_type == kDatasetV1) {
      datasets.push_back({{"name", p.value("name", "")}, {"source", p.value("source", "")},
                          {"license", p.value("license", "")}, {"files", p.value("files", Json::array()).size()},
                          {"from", "dataset " + a.id.substr(0, 12)}});
    } else if (a.predicate_type == kEvaluationV1) {
      Json e = base;
      e["metrics"] = p.value("metrics", Json::object());
      e["dataset"] = p.value("dataset", Json());
      evaluations.push_back(e);
    } else if (a.predicate_type == kBiasV1 || a.predicate_type == kVulnsV01 || a.predicate_type == kTestResultV01) {
      Json c = base;
      if (p.contains("passed")) c["passed"] = p["passed"];
      if (p.contains("result")) c["result"] = p["result"];
      if (a.predicate_type == kVulnsV01) {
        c["findings"] = p.value("/scanner/result"_json_pointer, Json::array()).size();
        c["scanFinishedOn"] = p.value("/metadata/scanFinishedOn"_json_pointer, "");
      }
      checks.push_back(c);
    } else if (a.predicate_type == kApprovalV1) {
      Json ap = base;
      ap["approver"] = p.value("approver", "");
      ap["stage"] = p.value("stage", "");
      approvals.push_back(ap);
    } else if (a.predicate_type == kModelSigningPredicateType) {
      signatures.push_back(base);
    } else {
      other.push_back(base);
    }
  }
  Json decs = Json::array();
  for (const registry::DecisionRecord& d : decisions) {
    Json doc = Json::parse(d.decision_json, nullptr, false);
    decs.push_back({{"id", d.id}, {"allowed", d.allowed}, {"at", d.created_at},
                    {"deny", doc.is_object() ? doc.value("deny", Json::array()) : Json::array()},
                    {"logIndex", d.log_index ? Json(*d.log_index) : Json()}});
  }
  Json deployments = Json::array();
  for (const registry::AliasRecord& r : aliases) {
    if (r.version == v.version) deployments.push_back(AliasJson(r));
  }
  return Json{{"datasets", datasets}, {"training", training}, {"model", {{"name", v.name}, {"version", v.version},
                                                                         {"digest", v.digest}, {"signatures", signatures}}},
              {"evaluations", evaluations}, {"checks", checks}, {"approvals", approvals},
              {"decisions", decs}, {"deployments", deployments}, {"other", other}};
}

int RunShow(const RegistryArgs& a, const Options& o) {
  auto reg = registry::Registry::Open(StoreOf(a));
  if (!reg.ok()) return ReportError(reg.error(), o);
  std::string name = a.target, version;
  if (auto at = a.target.rfind('@'); at != std::string::npos) {
    name = a.target.substr(0, at);
    version = a.target.substr(at + 1);
  }
  auto aliases = (*reg)->Aliases(name);
  if (!aliases.ok()) return ReportError(aliases.error(), o);
  // NAME@ALIAS resolves through the alias.
  for (const auto& al : *aliases) {
    if (al.alias == version) version = al.version;
  }
  std::vector<registry::ModelVersion> versions;
  if (version.empty()) {
    auto all = (*reg)->ListVersions(name);
    if (!all.ok()) return ReportError(all.error(), o);
    versions = std::move(*all);
  } else {
    auto v = (*reg)->GetVersion(name, version);
    if (!v.ok()) return ReportError(v.error(), o);
    if (*v) versions.push_back(**v);
  }
  if (versions.empty()) {
    return ReportError(Error::Input(a.target + " is not registered in " + (*reg)->location() +
                                    " (see 'custody registry list')"),
                       o);
  }
  Json out = {{"name", name}, {"aliases", Json::array()}, {"versions", Json::array()}};
  for (const auto& al : *aliases) out["aliases"].push_back(AliasJson(al));
  for (const registry::ModelVersion& v : versions) {
    auto lineage = Lineage(**reg, v);
    if (!lineage.ok()) return ReportError(lineage.error(), o);
    out["versions"].push_back({{"version", v.version}, {"digest", {{"sha256", v.digest}}}, {"path", v.path},
                               {"registeredAt", v.created_at},
                               {"signature", v.signature_id.empty() ? Json() : Json(v.signature_id)},
                               {"lineage", *lineage}});
  }
  if (o.json()) {
    PrintJson(out);
    return 0;
  }
  std::cout << Bold(name) << "\n";
  for (const auto& al : *aliases) std::cout << "  " << al.alias << " -> " << al.version << " (since " << al.created_at << ")\n";
  for (const Json& v : out["versions"]) {
    const Json& l = v["lineage"];
    std::cout << "\n" << Bold(name + "@" + v["version"].get<std::string>()) << "  sha256:"
              << v["digest"]["sha256"].get<std::string>() << "\n  registered " << v["registeredAt"].get<std::string>()
              << " from " << v["path"].get<std::string>() << "\n";
    for (const Json& d : l["datasets"]) std::cout << "  dataset     " << d.value("name", "") << "  (" << d.value("from", "") << ")\n";
    for (const Json& t : l["training"]) {
      std::cout << "  training    " << t.value("builder", "") << " " << t.value("invocationId", "") << "\n";
    }
    for (const Json& s : l["model"]["signatures"]) std::cout << "  signature   " << s["id"].get<std::string>().substr(0, 12) << "\n";
    for (const Json& e : l["evaluations"]) std::cout << "  evaluation  " << e["metrics"].dump() << "\n";
    for (const Json& c : l["checks"]) {
      std::cout << "  " << std::left << std::setw(11) << c["type"].get<std::string>() << " "
                << c["id"].get<std::string>().substr(0, 12)
                << (c.contains("passed") ? (c["passed"] == true ? " passed" : " failed") : "")
                << (c.contains("findings") ? " " + std::to_string(c["findings"].get<size_t>()) + " findings" : "") << "\n";
    }
    for (const Json& ap : l["approvals"]) {
      std::cout << "  approval    " << ap.value("approver", "") << " for " << ap.value("stage", "") << "\n";
    }
    for (const Json& d : l["decisions"]) {
      std::cout << "  decision    " << (d["allowed"] == true ? Green("allow") : Red("deny")) << " "
                << d["id"].get<std::string>().substr(0, 12) << " at " << d["at"].get<std::string>() << "\n";
    }
    for (const Json& d : l["deployments"]) std::cout << "  deployed    as " << d["alias"].get<std::string>() << "\n";
  }
  return 0;
}

int RunList(const RegistryArgs& a, const Options& o) {
  auto reg = registry::Registry::Open(StoreOf(a));
  if (!reg.ok()) return ReportError(reg.error(), o);
  auto versions = (*reg)->ListVersions(a.target);
  if (!versions.ok()) return ReportError(versions.error(), o);
  Json out = Json::array();
  for (const registry::ModelVersion& v : *versions) {
    auto aliases = (*reg)->Aliases(v.name);
    if (!aliases.ok()) return ReportError(aliases.error(), o);
    Json names = Json::array();
    for (const auto& al : *aliases) {
      if (al.version == v.version) names.push_back(al.alias);
    }
    out.push_back({{"name", v.name}, {"version", v.version}, {"digest", {{"sha256", v.digest}}},
                   {"registeredAt", v.created_at}, {"aliases", names},
                   {"signed", !v.signature_id.empty()}});
  }
  if (o.json()) {
    PrintJson(out);
    return 0;
  }
  if (out.empty()) {
    std::cout << "no models registered in " << (*reg)->location() << "\n";
    return 0;
  }
  std::cout << std::left << std::setw(24) << "NAME" << std::setw(12) << "VERSION" << std::setw(20) << "DIGEST"
            << std::setw(22) << "REGISTERED" << "ALIASES\n";
  for (const Json& v : out) {
    std::string aliases;
    for (const Json& n : v["aliases"]) aliases += (aliases.empty() ? "" : ",") + n.get<std::string>();
    std::cout << std::left << std::setw(24) << v["name"].get<std::string>() << std::setw(12)
              << v["version"].get<std::string>() << std::setw(20)
              << v["digest"]["sha256"].get<std::string>().substr(0, 16) + "..." << std::setw(22)
              << v["registeredAt"].get<std::string>() << aliases << "\n";
  }
  return 0;
}

int RunAlias(const RegistryArgs& a, const Options& o) {
  auto reg = registry::Registry::Open(StoreOf(a));
  if (!reg.ok()) return ReportError(reg.error(), o);
  if (auto s = (*reg)->MoveAlias(a.name, a.alias, a.version, a.decision); !s.ok()) return ReportError(s.error(), o);
  if (o.json()) {
    PrintJson({{"ok", true}, {"name", a.name}, {"alias", a.alias}, {"version", a.version}, {"decision", a.decision}});
  } else if (!o.quiet) {
    std::cout << a.name << "@" << a.alias << " -> " << a.version << " (decision " << a.decision.substr(0, 12) << ")\n";
  }
  return 0;
}

}  // namespace

void AddRegistryCommand(CLI::App& app, Options& options, int* exit_code) {
  auto args = std::make_shared<RegistryArgs>();
  CLI::App* cmd = app.add_subcommand(
      "registry",
      "Model versions by name, their lineage, and deployment aliases.\n\n"
      "A version keeps its digest forever; aliases (production, staging) move only through\n"
      "an allowing gate decision about that version, and every move is kept.\n\n"
      "Examples:\n"
      "  custody registry add fraud 1.4.0 models/fraud --key release.key\n"
      "  custody registry show fraud@1.4.0\n"
      "  custody registry list\n"
      "  custody gate fraud@1.4.0 --policy builtin --trust trust.yaml --promote production");
  cmd->require_subcommand(1);
  cmd->fallthrough();
  cmd->add_option("--store", args->store, "Store location (default $CUSTODY_STORE or $CUSTODY_HOME/custody.db)");
  CLI::App* add = cmd->add_subcommand("add", "Hash a model directory or file and register it as NAME VERSION");
  add->add_option("name", args->name, "Model name")->required();
  add->add_option("version", args->version, "Version")->required();
  add->add_option("path", args->path, "Model directory or file")->required();
  add->add_option("--key,-k", args->key, "Also sign it (model-signing bundle recorded as an attestation)");
  add->fallthrough();
  add->callback([args, &options, exit_code] { *exit_code = RunAdd(*args, options); });
  CLI::App* show = cmd->add_subcommand("show", "A model's versions, aliases and lineage: NAME, NAME@VERSION or NAME@ALIAS");
  show->add_option("model", args->target, "NAME[@VERSION|@ALIAS]")->required();
  show->fallthrough();
  show->callback([args, &options, exit_code] { *exit_code = RunShow(*args, options); });
  CLI::App* list = cmd->add_subcommand("list", "Registered versions (of NAME, or all)");
  list->add_option("name", args->target, "Only this model");
  list->fallthrough();
  list->callback([args, &options, exit_code] { *exit_code = RunList(*args, options); });
  CLI::App* alias = cmd->add_subcommand("alias", "Move ALIAS of NAME to VERSION, citing an allowing gate decision");
  alias->add_option("name", args->name, "Model name")->required();
  alias->add_option("alias", args->alias, "Alias (e.g. production)")->required();
  alias->add_option("version", args->version, "Version")->required();
  alias->add_option("--decision", args->decision, "Id of the allowing decision ('custody gate' prints it)")->required();
  alias->fallthrough();
  alias->callback([args, &options, exit_code] { *exit_code = RunAlias(*args, options); });
}

}  // namespace custody::cli
