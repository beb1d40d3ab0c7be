#include "gate/gate.h"

#include <set>

#include "attest/attestation.h"
#include "attest/model_signature.h"
#include "attest/predicates.h"
#include "core/embedded.h"
#include "core/file.h"
#include "core/time.h"
#include "rego/eval.h"
#include "rego/loader.h"

namespace custody::gate {
namespace {

const char kBuiltinPrefix[] = "gate/";
const char kBuiltinConfig[] = "gate/config.json";

std::string Short(const std::string& keyid) { return keyid.size() > 16 ? keyid.substr(0, 16) + "..." : keyid; }

std::string TimeText(int64_t ns) {
  int64_t s = ns / 1000000000;
  if (ns < 0 && ns % 1000000000 != 0) --s;
  return FormatRfc3339(s);
}

std::string WindowText(const TrustedKey& k) {
  std::string w;
  if (k.valid_after_ns) w += "valid after " + TimeText(*k.valid_after_ns);
  if (k.valid_before_ns) w += std::string(w.empty() ? "" : ", ") + "valid before " + TimeText(*k.valid_before_ns);
  return w;
}

Result<Json> ReadDataFile(const std::string& path) {
  CUSTODY_ASSIGN_OR_RETURN(rego::Value v, rego::LoadDocument(path));
  Json j = v.ToNlohmann();
  if (!j.is_object()) return Error::Input(path + ": gate data is an object of settings, found " + JsonTypeName(j));
  return j;
}

std::string MessageText(const rego::Value& v) { return v.is_string() ? v.as_string() : v.ToJson(); }

}  // namespace

Json GateDecision::ToJson() const {
  Json acc = Json::array();
  for (const Accepted& a : accepted) {
    acc.push_back({{"id", a.id},
                   {"predicateType", a.predicate_type},
                   {"signer", {{"name", a.signer_name}, {"keyid", a.keyid}}},
                   {"signedAt", TimeText(a.signed_at_ns)},
                   {"logIndex", a.log_index ? Json(*a.log_index) : Json()}});
  }
  Json rej = Json::array();
  for (const Rejected& r : rejected) {
    rej.push_back({{"id", r.id}, {"predicateType", r.predicate_type}, {"signer", r.signer}, {"reason", r.reason}});
  }
  return {{"allowed", allowed}, {"deny", deny},          {"warn", warn},
          {"subject", input.value("subject", Json::object())},
          {"attestations", std::move(acc)}, {"rejected", std::move(rej)},
          {"context", input.value("context", Json::object())},
          {"decidedAt", TimeText(now_ns)}};
}

Result<std::shared_ptr<const rego::CompiledPolicy>> LoadGatePolicy(const std::string& dir_or_builtin,
                                                                   const std::vector<std::string>& data_files) {
  std::vector<rego::SourceModule> modules;
  Json config = Json::object();
  rego::Value data = rego::Value::EmptyObject();
  if (dir_or_builtin == "builtin") {
    for (const EmbeddedFile& f : EmbeddedPolicyFiles()) {
      if (f.path.rfind(kBuiltinPrefix, 0) != 0) continue;
      if (f.path.size() > 5 && f.path.substr(f.path.size() - 5) == ".rego") {
        modules.push_back({"builtin:" + std::string(f.path), std::string(f.content)});
      } else if (f.path == kBuiltinConfig) {
        CUSTODY_ASSIGN_OR_RETURN(config, ParseJson(f.content, "builtin:" + std::string(f.path)));
      }
    }
    if (modules.empty()) return Error::Internal("the built-in gate policy pack is missing from this binary");
  } else {
    CUSTODY_ASSIGN_OR_RETURN(rego::LoadedFiles files, rego::LoadPolicyPaths({dir_or_builtin}));
    if (files.modules.empty()) {
      return Error::Input(dir_or_builtin + " holds no .rego files: give a policy directory, or --policy builtin");
    }
    modules = std::move(files.modules);
    data = std::move(files.data);
    if (const rego::Value* c = data.FindKey("custody"); c && (c = c->FindKey("config")) && (c = c->FindKey("gate"))) {
      config = c->ToNlohmann();
    }
  }
  for (const std::string& path : data_files) {
    CUSTODY_ASSIGN_OR_RETURN(Json extra, ReadDataFile(path));
    config.merge_patch(extra);
  }
  Json root = data.ToNlohmann();
  if (!root.is_object()) root = Json::object();
  root["custody"]["config"]["gate"] = config;
  rego::CompileOptions co;
  return rego::Compile(modules, rego::Value::FromNlohmann(root), co);
}

Result<std::unique_ptr<Gate>> Gate::Create(TrustPolicy trust, std::shared_ptr<const rego::CompiledPolicy> policy) {
  CUSTODY_ASSIGN_OR_RETURN(rego::CompiledQuery deny, policy->CompileQuery("data.custody.gate.deny", rego::RegoVersion::kV1));
  CUSTODY_ASSIGN_OR_RETURN(rego::CompiledQuery warn, policy->CompileQuery("data.custody.gate.warn", rego::RegoVersion::kV1));
  return std::unique_ptr<Gate>(new Gate(std::move(trust), std::move(policy), std::move(deny), std::move(warn)));
}

std::shared_ptr<const Gate::Parsed> Gate::Parse(const Candidate& c) const {
  {
    std::shared_lock lock(cache_mu_);
    auto it = parsed_.find(c.id);
    if (it != parsed_.end()) return it->second;
  }
  auto p = std::make_shared<Parsed>();
  auto st = PeekStatement(c.bundle);
  if (st.ok()) {
    p->ok = true;
    p->statement = std::move(*st);
    p->predicate = std::make_shared<const Json>(p->statement.predicate);
    p->predicate_value = rego::Value::FromNlohmann(p->statement.predicate);
  } else {
    p->error = st.error().message();
  }
  std::unique_lock lock(cache_mu_);
  return parsed_.emplace(c.id, std::move(p)).first->second;
}

std::string Gate::Verify(const Candidate& c, const std::string& keyid, const PublicKey& key) const {
  std::string cache_key = c.id + ":" + keyid;
  {
    std::shared_lock lock(cache_mu_);
    auto it = verified_.find(cache_key);
    if (it != verified_.end()) return it->second;
  }
  auto st = VerifyStatement(c.bundle, key);
  std::string error = st.ok() ? "" : st.error().message();
  std::unique_lock lock(cache_mu_);
  verified_.emplace(cache_key, error);
  return error;
}

Result<GateDecision> Gate::Decide(const GateRequest& req) const {
  GateDecision d;
  d.now_ns = req.now_ns != 0 ? req.now_ns : NowUnixNanos();
  std::vector<std::pair<Accepted, std::shared_ptr<const Parsed>>> accepted;
  std::set<std::string> seen;
  for (const Candidate& c : req.candidates) {
    if (!seen.insert(c.id).second) continue;  // the same attestation from the store and a file
    Rejected rej{c.id, "", "", ""};
    std::shared_ptr<const Parsed> parsed = Parse(c);
    if (!parsed->ok) {
      rej.reason = "unreadable statement: " + parsed->error;
      d.rejected.push_back(std::move(rej));
      continue;
    }
    const Statement* peek = &parsed->statement;
    rej.predicate_type = peek->predicate_type;
    bool about_subject = false;
    for (const Subject& s : peek->subjects) {
      auto it = s.digest.find("sha256");
      if (it != s.digest.end() && it->second == req.subject_digest) about_subject = true;
    }
    std::string keyid = c.bundle.envelope.signatures.empty() ? c.bundle.public_key_hint
                                                              : c.bundle.envelope.signatures[0].keyid;
    if (keyid.empty()) keyid = c.bundle.public_key_hint;
    rej.signer = keyid;
    if (!about_subject) {
      std::string other;
      for (const Subject& s : peek->subjects) {
        auto it = s.digest.find("sha256");
        if (it != s.digest.end()) other = it->second;
      }
      rej.reason = "it is about another digest (sha256:" + Short(other) + "), not sha256:" + Short(req.subject_digest);
      d.rejected.push_back(std::move(rej));
      continue;
    }
    std::vector<const TrustedKey*> entries = trust_.Find(keyid);
    if (entries.empty()) {
      rej.reason = "its signer (key " + Short(keyid) + ") is not in the trust file";
      d.rejected.push_back(std::move(rej));
      continue;
    }
    rej.signer = entries[0]->name;
    if (trust_.IsRevoked(keyid)) {
      rej.reason = "its signer's key " + Short(keyid) + " ('" + entries[0]->name + "') is revoked";
      d.rejected.push_back(std::move(rej));
      continue;
    }
    std::optional<PublicKey> key;
    for (const TrustedKey* e : entries) {
      if (e->key) key = *e->key;
    }
    if (!key) {
      auto carried = CarriedPublicKey(c.bundle);
      if (carried && PublicKeyHint(*carried) == keyid) key = std::move(*carried);
    }
    if (!key) {
      rej.reason = "key '" + entries[0]->name + "' is trusted by id only and the bundle does not carry it: give its "
                   "PEM file in the trust file";
      d.rejected.push_back(std::move(rej));
      continue;
    }
    std::string not_verified = Verify(c, keyid, *key);
    if (!not_verified.empty()) {
      rej.reason = "it does not verify: " + not_verified;
      d.rejected.push_back(std::move(rej));
      continue;
    }
    const std::string& type = peek->predicate_type;
    const TrustedKey* for_type = nullptr;
    const TrustedKey* for_model = nullptr;
    const TrustedKey* in_window = nullptr;
    // A revocation may come from any trusted key: whether it may withdraw
    // its target (signed by the same key, or by a key explicitly trusted for
    // revocations) is decided below.
    bool revocation = type == kRevocationV1;
    for (const TrustedKey* e : entries) {
      if (!revocation && !e->AllowsPredicate(type)) continue;
      if (!for_type) for_type = e;
      if (!e->AllowsModel(req.subject_name)) continue;
      if (!for_model) for_model = e;
      if (e->ValidAt(c.signed_at_ns)) {
        in_window = e;
        break;
      }
    }
    if (!for_type) {
      rej.reason = "signer '" + entries[0]->name + "' is not trusted for " + PredicateShortName(type) + " attestations";
    } else if (!for_model) {
      rej.reason = "signer '" + for_type->name + "' is not trusted for model '" + req.subject_name + "'";
    } else if (!in_window) {
      rej.reason = "it was signed at " + TimeText(c.signed_at_ns) + ", outside key '" + for_model->name + "' (" +
                   WindowText(*for_model) + ")";
    }
    if (!rej.reason.empty()) {
      d.rejected.push_back(std::move(rej));
      continue;
    }
    rej.signer = in_window->name;
    if (req.log_check) {
      if (auto why = req.log_check(c)) {
        rej.reason = *why;
        d.rejected.push_back(std::move(rej));
        continue;
      }
    }
    accepted.push_back(
        {Accepted{c.id, type, parsed->predicate, in_window->name, keyid, c.signed_at_ns, c.log_index}, parsed});
  }
  // Signed revocations withdraw earlier attestations: from the same key, or a
  // key trusted for revocations.
  std::map<std::string, std::string> revoked;  // id -> reason
  for (const auto& [a, p] : accepted) {
    if (a.predicate_type != kRevocationV1) continue;
    std::string target = a.predicate->value("attestation", "");
    for (const auto& [b, _] : accepted) {
      if (b.id != target) continue;
      bool may = b.keyid == a.keyid;
      for (const TrustedKey* e : trust_.Find(a.keyid)) {
        if (!e->predicates.empty() && e->AllowsPredicate(kRevocationV1)) may = true;
      }
      if (may) revoked[target] = "revoked by '" + a.signer_name + "': " + a.predicate->value("reason", "");
    }
  }
  std::vector<std::shared_ptr<const Parsed>> accepted_parsed;
  for (auto& [a, p] : accepted) {
    auto it = revoked.find(a.id);
    if (it != revoked.end()) {
      d.rejected.push_back({a.id, a.predicate_type, a.signer_name, it->second});
    } else if (a.predicate_type != kRevocationV1) {
      d.accepted.push_back(std::move(a));
      accepted_parsed.push_back(p);
    }
  }
  // Thresholds deny by themselves.
  for (const Threshold& th : trust_.thresholds()) {
    std::set<std::string> keys;
    std::vector<std::string> names;
    for (const Accepted& a : d.accepted) {
      if (PredicateTypeMatches(th.predicate, a.predicate_type) || th.predicate == a.predicate_type) {
        if (keys.insert(a.keyid).second) names.push_back(a.signer_name);
      }
    }
    if (static_cast<int>(keys.size()) < th.signers) {
      std::string who;
      for (const auto& n : names) who += (who.empty() ? "" : ", ") + n;
      d.deny.push_back(th.predicate + " needs " + std::to_string(th.signers) + " distinct trusted signers, found " +
                       std::to_string(keys.size()) + (who.empty() ? "" : " (" + who + ")"));
    }
  }
  // The policy's input, built as a Rego value directly (each predicate was
  // converted once, when its attestation was first seen).
  using rego::Value;
  auto str = [](const std::string& t) { return Value::String(t); };
  rego::ValueVector atts;
  for (size_t i = 0; i < d.accepted.size(); ++i) {
    const Accepted& a = d.accepted[i];
    std::string signed_at = TimeText(a.signed_at_ns);
    atts.push_back(Value::Object({
        {str("id"), str(a.id)},
        {str("predicateType"), str(a.predicate_type)},
        {str("predicateShortName"), str(PredicateShortName(a.predicate_type))},
        {str("predicate"), accepted_parsed[i]->predicate_value},
        {str("signer"), Value::Object({{str("name"), str(a.signer_name)}, {str("keyid"), str(a.keyid)}})},
        {str("signedAt"), str(signed_at)},
        {str("signedAt_ns"), Value::Int(a.signed_at_ns)},
        {str("logIndex"), a.log_index ? Value::Int(static_cast<int64_t>(*a.log_index)) : Value::Null()},
    }));
  }
  rego::ValueVector rejs;
  Json rejs_json = Json::array();
  for (const Rejected& r : d.rejected) {
    rejs.push_back(Value::Object({{str("predicateType"), str(r.predicate_type)},
                                  {str("signer"), str(r.signer)},
                                  {str("reason"), str(r.reason)},
                                  {str("id"), str(r.id)}}));
    rejs_json.push_back({{"predicateType", r.predicate_type}, {"signer", r.signer}, {"reason", r.reason}, {"id", r.id}});
  }
  Json context = req.context.is_null() ? Json::object() : req.context;
  Json subject = {{"name", req.subject_name}, {"digest", {{"sha256", req.subject_digest}}}};
  d.input = {{"subject", subject}, {"rejected", std::move(rejs_json)}, {"context", context},
             {"now", TimeText(d.now_ns)}, {"now_ns", d.now_ns}};
  Value input = Value::Object({
      {str("subject"), Value::FromNlohmann(subject)},
      {str("attestations"), Value::Array(std::move(atts))},
      {str("rejected"), Value::Array(std::move(rejs))},
      {str("context"), Value::FromNlohmann(context)},
      {str("now"), str(TimeText(d.now_ns))},
      {str("now_ns"), Value::Int(d.now_ns)},
  });
  rego::EvalOptions eo;
  eo.input = std::move(input);
  eo.now_ns = d.now_ns;
  eo.strict_builtin_errors = true;
  for (auto [query, out] : {std::pair{&deny_, &d.deny}, std::pair{&warn_, &d.warn}}) {
    CUSTODY_ASSIGN_OR_RETURN(auto rows, rego::Evaluate(*policy_, *query, eo));
    if (rows.empty() || rows[0].expressions.empty()) continue;
    const rego::Value& v = rows[0].expressions[0];
    if (v.is_set()) {
      for (const rego::Value& m : v.set()) out->push_back(MessageText(m));
    } else if (v.is_array()) {
      for (const rego::Value& m : v.array()) out->push_back(MessageText(m));
    } else if (v.is_string()) {
      out->push_back(v.as_string());
    } else if (!v.is_false() && !v.is_null()) {
      return Error::Input("data.custody.gate." + std::string(query == &deny_ ? "deny" : "warn") +
                          " must be a set of messages, found " + std::string(v.TypeName()));
    }
  }
  d.allowed = d.deny.empty();
  return d;
}

}  // namespace custody::gate
