// custody gate: may this model deploy? Verifies the subject's attestations
// against the trust file, evaluates the gate policy, and records the signed
// decision (and logs it when a log is in use).
#include <filesystem>
#include <iostream>

#include "attest/attestation.h"
#include "attest/model_signature.h"
#include "attest/predicates.h"
#include "cli/chain.h"
#include "cli/commands.h"
#include "core/encoding.h"
#include "core/file.h"
#include "core/time.h"
#include "gate/gate.h"
#include "registry/registry.h"
#include "store/store.h"
#include "tlog/merkle.h"

namespace custody::cli {
namespace {

struct GateArgs {
  std::string subject;
  std::string policy;
  std::string trust;
  std::vector<std::string> attestations;
  std::string context;
  std::vector<std::string> data;
  std::string key;
  std::string log;
  std::string store;
  std::string name;
  std::string promote;
  bool no_record = false;
};

// The gate's signing key: --key, else $CUSTODY_HOME/gate.key, created on first use.
Result<PrivateKey> GateKey(const std::string& path, bool* created) {
  std::string p = path.empty() ? store::CustodyHome() + "/gate.key" : path;
  auto pem = ReadFile(p, 1 << 20);
  if (pem.ok()) return PrivateKey::FromPem(*pem, p);
  if (!path.empty()) return pem.error();
  CUSTODY_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::Generate(KeyType::kEd25519));
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(p).parent_path(), ec);
  CUSTODY_RETURN_IF_ERROR(WriteFileAtomic(p, key.ToPem(), 0600, false));
  *created = true;
  return key;
}

// The log check for --log local: the attestation's digest must be the entry
// at its log index, and that entry provably in the log's current tree.
std::function<std::optional<std::string>(const gate::Candidate&)> LocalLogCheck(tlog::Log* log) {
  return [log](const gate::Candidate& c) -> std::optional<std::string> {
    if (!c.log_index) return std::string("it is not in the transparency log (attest with --log)");
    auto entry = log->ReadEntry(*c.log_index);
    if (!entry.ok()) return "its log entry " + std::to_string(*c.log_index) + " cannot be read: " + entry.error().message();
    if (*entry != ClaimEntry(c.id)) {
      return "log entry " + std::to_string(*c.log_index) + " is not this attestation's digest";
    }
    auto size = log->Size();
    if (!size.ok()) return "the log's size cannot be read: " + size.error().message();
    auto proof = log->ProveInclusion(*c.log_index, *size);
    auto root = log->RootAt(*size);
    if (!proof.ok() || !root.ok()) return std::string("no inclusion proof for its log entry");
    auto ok = tlog::VerifyInclusion(*c.log_index, *size, tlog::LeafHash(*entry), *proof, *root);
    if (!ok.ok()) return "its inclusion proof does not verify: " + ok.error().message();
    return std::nullopt;
  };
}

Result<gate::Candidate> CandidateFromFile(const std::string& path) {
  CUSTODY_ASSIGN_OR_RETURN(std::string text, ReadFile(path, 64 << 20));
  CUSTODY_ASSIGN_OR_RETURN(Bundle b, Bundle::Parse(text, path));
  gate::Candidate c;
  c.id = registry::AttestationId(b);
  c.bundle = std::move(b);
  c.source = path;
  return c;
}

int RunGate(const GateArgs& a, const Options& o) {
  std::string store = a.store.empty() ? store::Store::DefaultLocation() : a.store;
  std::string trust_path = a.trust.empty() ? store::CustodyHome() + "/trust.yaml" : a.trust;
  if (a.trust.empty() && !std::filesystem::exists(trust_path)) {
    return ReportError(Error::Input("no trust file: pass --trust FILE (or put one at " + trust_path +
                                    "); see docs/formats/trust.md"),
                       o);
  }
  auto trust = gate::TrustPolicy::Load(trust_path);
  if (!trust.ok()) return ReportError(trust.error(), o);
  auto policy = gate::LoadGatePolicy(a.policy, a.data);
  if (!policy.ok()) return ReportError(policy.error(), o);
  auto g = gate::Gate::Create(std::move(*trust), *policy);
  if (!g.ok()) return ReportError(g.error(), o);
  auto subject = ResolveSubject(a.subject, a.name, store, o.threads, !o.quiet && !o.json());
  if (!subject.ok()) return ReportError(subject.error(), o);
  if (!a.promote.empty() && (subject->kind != "registry" || a.no_record)) {
    return ReportError(Error::Input(a.no_record ? "--promote needs a recorded decision: drop --no-record"
                                                : "--promote needs a registered NAME@VERSION as the subject"),
                       o);
  }

  gate::GateRequest req;
  req.subject_name = subject->name;
  req.subject_digest = subject->digest;
  req.now_ns = NowUnixNanos();
  if (!a.context.empty()) {
    auto text = ReadFile(a.context, 16 << 20);
    if (!text.ok()) return ReportError(text.error(), o);
    auto ctx = ParseJson(*text, a.context);
    if (!ctx.ok()) return ReportError(ctx.error(), o);
    if (!ctx->is_object()) return ReportError(Error::Input(a.context + ": the context is a JSON object"), o);
    req.context = *ctx;
  }
  // Promoting to an alias is deploying to that stage, unless the context says otherwise.
  if (!a.promote.empty() && !req.context.contains("stage")) req.context["stage"] = a.promote;
  auto reg = registry::Registry::Open(store);
  if (!reg.ok()) return ReportError(reg.error(), o);
  auto recorded = (*reg)->AttestationsFor(subject->digest);
  if (!recorded.ok()) return ReportError(recorded.error(), o);
  for (const registry::AttestationRecord& r : *recorded) {
    auto b = Bundle::Parse(r.bundle_json, "attestation " + r.id);
    if (!b.ok()) return ReportError(b.error(), o);
    gate::Candidate c;
    c.id = r.id;
    c.bundle = std::move(*b);
    c.source = "store";
    auto t = ParseRfc3339(r.recorded_at);
    c.signed_at_ns = t ? *t : req.now_ns;
    c.log_index = r.log_index;
    req.candidates.push_back(std::move(c));
  }
  for (const std::string& path : a.attestations) {
    auto c = CandidateFromFile(path);
    if (!c.ok()) return ReportError(c.error(), o);
    c->signed_at_ns = req.now_ns;
    req.candidates.push_back(std::move(*c));
  }
  std::unique_ptr<tlog::Log> log;
  if (a.log == "local") {
    auto l = OpenStoreLog(store, "", false);
    if (!l.ok()) return ReportError(l.error(), o);
    log = std::move(*l);
    req.log_check = LocalLogCheck(log.get());
  } else if (!a.log.empty()) {
    req.log_check = [](const gate::Candidate& c) -> std::optional<std::string> {
      if (!c.log_index) return std::string("it is not in the transparency log (attest with --log)");
      return std::nullopt;
    };
  }
  auto decision = (*g)->Decide(req);
  if (!decision.ok()) return ReportError(decision.error(), o);

  // Sign and record the decision.
  std::string decision_id;
  std::optional<LogReceipt> receipt;
  std::string promoted;
  bool key_created = false;
  Json doc = decision->ToJson();
  if (!a.no_record) {
    auto key = GateKey(a.key, &key_created);
    if (!key.ok()) return ReportError(key.error().WithContext("the gate's signing key"), o);
    Statement st;
    st.subjects.push_back({subject->name, {{"sha256", subject->digest}}});
    st.predicate_type = gate::kDecisionPredicateType;
    st.predicate = doc;
    auto bundle = SignStatement(st, *key);
    if (!bundle.ok()) return ReportError(bundle.error(), o);
    decision_id = registry::AttestationId(*bundle);
    if (!a.log.empty()) {
      log.reset();
      auto r = AppendToLog(a.log, store, ClaimEntry(decision_id));
      if (!r.ok()) return ReportError(r.error(), o);
      receipt = *r;
    }
    registry::DecisionRecord rec;
    rec.id = decision_id;
    rec.subject_name = subject->name;
    rec.subject_digest = subject->digest;
    rec.allowed = decision->allowed;
    rec.decision_json = doc.dump();
    rec.bundle_json = bundle->ToJson().dump();
    if (receipt) rec.log_index = receipt->index;
    if (auto s = (*reg)->PutDecision(rec); !s.ok()) return ReportError(s.error(), o);
    if (!a.promote.empty()) {
      if (decision->allowed) {
        std::string version = a.subject.substr(a.subject.rfind('@') + 1);
        std::string model = a.subject.substr(0, a.subject.rfind('@'));
        if (auto s = (*reg)->MoveAlias(model, a.promote, version, decision_id); !s.ok()) return ReportError(s.error(), o);
        promoted = model + "@" + a.promote + " -> " + version;
      }
    }
  }

  if (o.json()) {
    doc["id"] = decision_id.empty() ? Json() : Json(decision_id);
    doc["logIndex"] = receipt ? Json(receipt->index) : Json();
    doc["promoted"] = promoted.empty() ? Json() : Json(promoted);
    PrintJson(doc);
  } else {
    std::cout << (decision->allowed ? Green("ALLOW") : Red("DENY")) << " " << Bold(subject->name) << " sha256:"
              << subject->digest.substr(0, 16) << "...  (" << Count(decision->accepted.size(), "attestation")
              << " accepted, " << decision->rejected.size() << " rejected)\n";
    for (const std::string& m : decision->deny) std::cout << "  deny   " << m << "\n";
    for (const std::string& m : decision->warn) std::cout << "  warn   " << m << "\n";
    if (!o.quiet) {
      for (const gate::Accepted& acc : decision->accepted) {
        std::cout << "  ok     " << PredicateShortName(acc.predicate_type) << " " << acc.id.substr(0, 12) << " by "
                  << acc.signer_name << "\n";
      }
      if (!decision_id.empty()) std::cerr << "decision " << decision_id << " recorded in " << store << "\n";
      if (receipt) std::cerr << "logged at index " << receipt->index << "\n";
      if (key_created) std::cerr << "created the gate's signing key " << store::CustodyHome() << "/gate.key\n";
      if (!promoted.empty()) std::cerr << "promoted " << promoted << "\n";
    }
  }
  return decision->allowed ? 0 : 1;
}

}  // namespace

void AddGateCommand(CLI::App& app, Options& options, int* exit_code) {
  auto args = std::make_shared<GateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "gate",
      "Decide whether a model may deploy, from its verified attestations and a Rego policy.\n\n"
      "Collects the subject's attestations (from the store, plus --attestations files), keeps\n"
      "only those whose signature verifies, that are about this digest, whose signer the trust\n"
      "file trusts for that predicate type and model name inside its validity window, not\n"
      "revoked, and (with --log) in the log. Trust thresholds (k distinct signers) deny by\n"
      "themselves; then data.custody.gate.deny and .warn of the policy decide. The decision\n"
      "is signed with the gate's key, recorded in the store, and logged with --log.\n\n"
      "Examples:\n"
      "  custody gate models/fraud --policy builtin --trust trust.yaml --context prod.json\n"
      "  custody gate fraud@1.4.0 --policy policies/ --trust trust.yaml --promote production\n\n"
      "Exit codes: 0 allowed, 1 denied, 2 usage or input error.");
  cmd->add_option("subject", args->subject, "Model directory or file, sha256:HEX, or registered NAME@VERSION")
      ->required();
  cmd->add_option("--policy", args->policy, "Directory of .rego and data files, or 'builtin' (policies/gate)")
      ->required();
  cmd->add_option("--trust", args->trust, "Trust file (default $CUSTODY_HOME/trust.yaml); see docs/formats/trust.md");
  cmd->add_option("--attestations,-a", args->attestations, "Bundle files to consider besides the store's")
      ->expected(1, -1);
  cmd->add_option("--context", args->context, "JSON object given to the policy as input.context (e.g. the stage)");
  cmd->add_option("--data", args->data, "JSON/YAML settings merged over data.custody.config.gate")->expected(1, -1);
  cmd->add_option("--key", args->key, "The gate's signing key (default $CUSTODY_HOME/gate.key, created if absent)");
  cmd->add_option("--log", args->log, "Require log inclusion and log the decision: 'local' or a log URL");
  cmd->add_option("--store", args->store, "Store location (default $CUSTODY_STORE or $CUSTODY_HOME/custody.db)");
  cmd->add_option("--name", args->name, "Subject name (default: the directory or file name)");
  cmd->add_option("--promote", args->promote, "On allow, move this alias (e.g. production) to NAME@VERSION");
  cmd->add_flag("--no-record", args->no_record, "Decide only: do not sign or record the decision");
  cmd->fallthrough();
  cmd->callback([args, &options, exit_code] { *exit_code = RunGate(*args, options); });
}

}  // namespace custody::cli
