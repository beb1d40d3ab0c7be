// The gate at library level: in-memory keys, signed bundles, a trust policy
// from text, the built-in policy pack and small user policies.
#include "gate/gate.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "attest/attestation.h"
#include "attest/model_signature.h"
#include "attest/predicates.h"
#include "core/encoding.h"
#include "core/time.h"
#include "crypto/digest.h"
#include "manifest/predicate.h"
#include "registry/registry.h"
#include "test_util.h"

namespace custody::gate {
namespace {

const std::string kDigest = HexEncode(Sha256("fraud model weights"));
const std::string kOtherDigest = HexEncode(Sha256("another model"));
const int64_t kNow = *ParseRfc3339("2026-06-01T12:00:00Z");
constexpr int64_t kHour = int64_t{3600} * 1000000000;

class GateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"ci", "scanner", "alice", "bob", "eve", "old", "revk", "sec", "anyk", "carol", "monitor"}) {
      keys_.emplace(name, PrivateKey::Generate(KeyType::kEd25519).value());
      custody::testing::WriteFile(dir_ / (std::string(name) + ".pub"), keys_.at(name).Public().ToPem());
    }
    // Keys last, so that tests can add keys, then thresholds.
    trust_text_ =
        "revoked: [" + Id("revk") + "]\n"
        "keys:\n"
        "  - name: ci\n    key: ci.pub\n    predicates: [model-signature, slsa-provenance, evaluation, bias]\n"
        "    models: [\"fraud*\"]\n"
        "  - name: scanner\n    key: scanner.pub\n    predicates: [vulns]\n"
        "  - name: alice\n    key: alice.pub\n    predicates: [approval]\n"
        "  - name: bob\n    key: bob.pub\n    predicates: [approval]\n"
        "  - name: old\n    key: old.pub\n    predicates: [approval]\n    valid_before: 2020-01-01T00:00:00Z\n"
        "  - name: revk\n    key: revk.pub\n    predicates: [approval]\n"
        "  - name: sec\n    key: sec.pub\n    predicates: [revocation]\n"
        "  - name: anyk\n    key: anyk.pub\n"
        "  - name: carol\n    key: " + Id("carol") + "\n    predicates: [approval]\n"
        "  - name: monitor\n    key: monitor.pub\n    predicates: [drift, dataset-screen]\n";
    builtin_ = LoadGatePolicy("builtin", {}).value();
  }

  std::string Id(const std::string& key) const { return PublicKeyHint(keys_.at(key).Public()); }

  std::unique_ptr<Gate> MakeGate(const std::string& extra_trust = "",
                                 std::shared_ptr<const rego::CompiledPolicy> policy = nullptr) {
    auto trust = TrustPolicy::Parse(trust_text_ + extra_trust, "trust.yaml", dir_.path().string());
    EXPECT_TRUE(trust.ok()) << trust.error().message();
    auto gate = Gate::Create(std::move(*trust), policy ? policy : builtin_);
    EXPECT_TRUE(gate.ok()) << gate.error().message();
    return std::move(*gate);
  }

  Candidate Make(const std::string& type, const Json& predicate, const std::string& key,
                 const std::string& digest = kDigest) {
    Statement st;
    st.subjects.push_back({"fraud-model", {{"sha256", digest}}});
    st.predicate_type = ResolvePredicateType(type).value();
    st.predicate = predicate;
    auto bundle = SignStatement(st, keys_.at(key));
    EXPECT_TRUE(bundle.ok()) << bundle.error().message();
    return FromBundle(std::move(*bundle));
  }
  static Candidate FromBundle(Bundle b) {
    Candidate c;
    c.id = registry::AttestationId(b);
    c.bundle = std::move(b);
    c.source = "file";
    c.signed_at_ns = kNow;
    return c;
  }

  Json Prov(const std::string& builder = "https://custody.dev/builders/ci@v1") const {
    return {{"buildDefinition", {{"buildType", "https://custody.dev/train/v1"}, {"externalParameters", {{"lr", 0.1}}}}},
            {"runDetails", {{"builder", {{"id", builder}}}}}};
  }
  Json Eval(double accuracy) const {
    return {{"metrics", {{"accuracy", accuracy}}}, {"dataset", {{"name", "holdout"}, {"digest", {{"sha256", kDigest}}}}}};
  }
  Json BiasP(bool passed) const {
    return {{"passed", passed},
            {"attributes", {{{"name", "age"}, {"metrics", {{"dpd", 0.02}}}, {"passed", passed}}}}};
  }
  Json Scan(int64_t finished_ns, Json findings = Json::array()) const {
    return {{"scanner", {{"uri", "pkg:github/aquasecurity/trivy"}, {"result", std::move(findings)}}},
            {"metadata", {{"scanFinishedOn", FormatRfc3339(finished_ns / 1000000000)}}}};
  }
  Json Approval(const std::string& who, const std::string& stage = "production") const {
    return {{"approver", who}, {"stage", stage}, {"approvedAt", "2026-06-01T10:00:00Z"}};
  }
  // A drift result of `drifted` of 4 columns (the data set drifts from 2 on).
  Json Drift(size_t drifted, const std::string& computed) const {
    Json cols = Json::array();
    for (size_t i = 0; i < 4; ++i) {
      cols.push_back({{"column", "c" + std::to_string(i)}, {"method", "ks"}, {"score", i < drifted ? 0.001 : 0.5},
                      {"threshold", 0.05}, {"drifted", i < drifted}});
    }
    Json data = {{"uri", "live.csv"}, {"digest", {{"sha256", kOtherDigest}}}};
    return {{"reference", data}, {"current", data}, {"dataset_drift", drifted >= 2}, {"drifted_columns", drifted},
            {"number_of_columns", 4}, {"share", drifted / 4.0}, {"drift_share", 0.5}, {"columns", cols},
            {"computedOn", computed}};
  }
  Json Screen(size_t rows, size_t flagged, size_t flips, bool shifted) const {
    return {{"dataset", {{"uri", "train.csv"}, {"digest", {{"sha256", kOtherDigest}}}}},
            {"method", "isolation-forest"},
            {"rows", rows},
            {"flagged_rows", flagged},
            {"label_flips", {{"column", "label"}, {"count", flips}}},
            {"label_shift", {{"shifted", shifted}, {"pvalue", shifted ? 0.001 : 0.4}}},
            {"computedOn", "2026-06-01T09:00:00Z"}};
  }
  Json Revoke(const std::string& id) const { return {{"attestation", id}, {"reason", "wrong holdout set"}}; }

  // The five attestations the built-in pack requires, all good.
  std::vector<Candidate> Good() {
    return {Make("model-signature", Json{{"resources", Json::array()}}, "ci"), Make("slsa-provenance", Prov(), "ci"),
            Make("evaluation", Eval(0.95), "ci"), Make("bias", BiasP(true), "ci"),
            Make("vulns", Scan(kNow - kHour), "scanner")};
  }

  GateRequest Request(std::vector<Candidate> candidates, const std::string& name = "fraud-model") const {
    GateRequest r;
    r.subject_name = name;
    r.subject_digest = kDigest;
    r.candidates = std::move(candidates);
    r.now_ns = kNow;
    return r;
  }

  GateDecision Decide(const Gate& gate, const GateRequest& req) {
    auto d = gate.Decide(req);
    EXPECT_TRUE(d.ok()) << d.error().message();
    return d.ok() ? std::move(*d) : GateDecision{};
  }

  // The one rejection of `d` for attestation `id`; fails when there is none.
  static std::string ReasonFor(const GateDecision& d, const std::string& id) {
    for (const Rejected& r : d.rejected) {
      if (r.id == id) return r.reason;
    }
    ADD_FAILURE() << "attestation " << id << " was not rejected";
    return "";
  }
  static bool IsAccepted(const GateDecision& d, const std::string& id) {
    for (const Accepted& a : d.accepted) {
      if (a.id == id) return true;
    }
    return false;
  }
  static bool DenyHas(const GateDecision& d, const std::string& part) {
    for (const std::string& m : d.deny) {
      if (m.find(part) != std::string::npos) return true;
    }
    return false;
  }

  custody::testing::TempDir dir_;
  std::map<std::string, PrivateKey> keys_;
  std::string trust_text_;
  std::shared_ptr<const rego::CompiledPolicy> builtin_;
};

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

TEST_F(GateTest, AllGoodIsAllowed) {
  auto gate = MakeGate();
  auto good = Good();
  GateDecision d = Decide(*gate, Request(good));
  EXPECT_TRUE(d.allowed);
  EXPECT_TRUE(d.deny.empty()) << d.deny[0];
  EXPECT_TRUE(d.warn.empty());
  EXPECT_TRUE(d.rejected.empty());
  ASSERT_EQ(d.accepted.size(), 5u);
  for (size_t i = 0; i < good.size(); ++i) {
    EXPECT_EQ(d.accepted[i].id, good[i].id);
    EXPECT_EQ(d.accepted[i].signed_at_ns, kNow);
  }
  EXPECT_EQ(d.accepted[4].signer_name, "scanner");
  EXPECT_EQ(d.accepted[4].keyid, Id("scanner"));
  EXPECT_EQ(d.accepted[0].predicate_type, custody::kModelSigningPredicateType);
  EXPECT_EQ(d.now_ns, kNow);
}

TEST_F(GateTest, MissingAndFailingAttestationsAreDenied) {
  auto gate = MakeGate();
  auto good = Good();
  {
    GateDecision d = Decide(*gate, Request({}));
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.deny.size(), 5u);
    EXPECT_TRUE(DenyHas(d, "missing: no trusted SLSA provenance for fraud-model"));
    EXPECT_TRUE(DenyHas(d, "missing: no trusted signature by a trusted authority for fraud-model"));
  }
  auto with = [&](size_t replace, Candidate c) {
    auto cands = good;
    cands[replace] = std::move(c);
    return Decide(*gate, Request(cands));
  };
  GateDecision d = with(1, Make("slsa-provenance", Prov("https://evil.example/b"), "ci"));
  EXPECT_FALSE(d.allowed);
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_HAS(d.deny[0], "was built by \"https://evil.example/b\", which is not an allowed builder");
  d = with(2, Make("evaluation", Eval(0.7), "ci"));
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_HAS(d.deny[0], "evaluation accuracy = 0.7 is below the required 0.9");
  d = with(3, Make("bias", BiasP(false), "ci"));
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_HAS(d.deny[0], "did not pass (attributes: age)");
  d = with(4, Make("vulns", Scan(kNow - 25 * kHour), "scanner"));
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_HAS(d.deny[0], "stale: the newest vulnerability scan");
  Json crit = Json::array({{{"id", "CVE-1"}, {"severity", {{{"method", "CVSSv3"}, {"score", "9.8"}}}}}});
  d = with(4, Make("vulns", Scan(kNow - kHour, crit), "scanner"));
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_HAS(d.deny[0], "found critical CVE-1");
  // Production needs two approvals by distinct keys.
  auto req = Request(good);
  req.context = {{"stage", "production"}};
  d = Decide(*gate, req);
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_EQ(d.deny[0], "production needs 2 approvals from distinct trusted signers, found 0");
  req.candidates.push_back(Make("approval", Approval("alice"), "alice"));
  Json again = Approval("alice");
  again["comment"] = "again";
  req.candidates.push_back(Make("approval", again, "alice"));
  d = Decide(*gate, req);
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_HAS(d.deny[0], "found 1");
  req.candidates.push_back(Make("approval", Approval("bob"), "bob"));
  d = Decide(*gate, req);
  EXPECT_TRUE(d.allowed) << (d.deny.empty() ? "" : d.deny[0]);
}

TEST_F(GateTest, DriftAndDatasetScreen) {
  auto gate = MakeGate();
  auto with = [&](std::vector<Candidate> extra) {
    auto cands = Good();
    for (auto& c : extra) cands.push_back(std::move(c));
    return Decide(*gate, Request(cands));
  };
  // One drifted column of four: the data set did not drift.
  GateDecision d = with({Make("drift", Drift(1, "2026-06-01T08:00:00Z"), "monitor")});
  EXPECT_TRUE(d.allowed) << (d.deny.empty() ? "" : d.deny[0]);
  d = with({Make("drift", Drift(3, "2026-06-01T08:00:00Z"), "monitor")});
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_HAS(d.deny[0], "data drift: 3 of 4 input columns drifted (c0, c1, c2)");
  // The newest report decides, whichever order they come in.
  d = with({Make("drift", Drift(3, "2026-06-01T08:00:00Z"), "monitor"),
            Make("drift", Drift(0, "2026-06-01T09:00:00Z"), "monitor")});
  EXPECT_TRUE(d.allowed) << (d.deny.empty() ? "" : d.deny[0]);
  d = with({Make("drift", Drift(0, "2026-06-01T07:00:00Z"), "monitor"),
            Make("drift", Drift(2, "2026-06-01T09:00:00Z"), "monitor")});
  EXPECT_FALSE(d.allowed);
  // From a signer not trusted for drift: set aside, so it cannot deny either.
  d = with({Make("drift", Drift(4, "2026-06-01T08:00:00Z"), "scanner")});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rejected.size(), 1u);

  d = with({Make("dataset-screen", Screen(1000, 30, 5, false), "monitor")});
  EXPECT_TRUE(d.allowed) << (d.deny.empty() ? "" : d.deny[0]);
  d = with({Make("dataset-screen", Screen(1000, 101, 5, false), "monitor")});
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_HAS(d.deny[0], "101 of 1000 rows are outliers");
  d = with({Make("dataset-screen", Screen(1000, 30, 21, false), "monitor")});
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_HAS(d.deny[0], "21 rows carry a label most of their neighbours disagree with");
  d = with({Make("dataset-screen", Screen(1000, 30, 0, true), "monitor")});
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_HAS(d.deny[0], "label distribution shifted");
  // The settings are data: a stricter outlier share denies what passed.
  custody::testing::WriteFile(dir_ / "strict.json", R"({"dataset_screen": {"max_outlier_share": 0.01}})");
  auto strict = LoadGatePolicy("builtin", {(dir_ / "strict.json").string()});
  ASSERT_TRUE(strict.ok()) << strict.error().message();
  auto cands = Good();
  cands.push_back(Make("dataset-screen", Screen(1000, 30, 5, false), "monitor"));
  d = Decide(*MakeGate("", *strict), Request(cands));
  EXPECT_FALSE(d.allowed);
}

TEST_F(GateTest, EachRejectionReason) {
  auto gate = MakeGate();
  auto good = Good();
  std::vector<Candidate> extra;
  auto add = [&](Candidate c) {
    extra.push_back(c);
    return c.id;
  };
  std::string other_digest = add(Make("approval", Approval("alice"), "alice", kOtherDigest));
  std::string untrusted = add(Make("approval", Approval("eve"), "eve"));
  std::string revoked_key = add(Make("approval", Approval("revk"), "revk"));
  std::string id_only = add(Make("approval", Approval("carol"), "carol"));
  std::string wrong_type = add(Make("evaluation", Eval(0.99), "scanner"));
  std::string expired = add(Make("approval", Approval("old"), "old"));
  // Signed, then its payload changed.
  Candidate tampered = Make("approval", Approval("bob"), "bob");
  {
    Json st = ParseJson(tampered.bundle.envelope.payload, "payload").value();
    st["predicate"]["stage"] = "staging";
    tampered.bundle.envelope.payload = st.dump();
    tampered = FromBundle(tampered.bundle);
  }
  std::string tampered_id = add(tampered);
  // Not an in-toto statement at all.
  Candidate unreadable = Make("approval", Approval("bob"), "bob");
  unreadable.bundle.envelope.payload_type = "text/plain";
  unreadable = FromBundle(unreadable.bundle);
  std::string unreadable_id = add(unreadable);
  // Signed by the same key with another key id in the signature.
  Candidate no_sig = Make("approval", Approval("bob"), "bob");
  no_sig.bundle.envelope.signatures.clear();
  no_sig = FromBundle(no_sig.bundle);
  std::string no_sig_id = add(no_sig);

  auto cands = good;
  cands.insert(cands.end(), extra.begin(), extra.end());
  GateDecision d = Decide(*gate, Request(cands));
  EXPECT_TRUE(d.allowed) << "rejected attestations never count: " << (d.deny.empty() ? "" : d.deny[0]);
  EXPECT_EQ(d.accepted.size(), 5u);
  EXPECT_EQ(d.rejected.size(), extra.size());
  EXPECT_EQ(d.warn.size(), extra.size());
  EXPECT_HAS(ReasonFor(d, other_digest), "it is about another digest (sha256:" + kOtherDigest.substr(0, 16) + "...)");
  EXPECT_HAS(ReasonFor(d, untrusted), "its signer (key " + Id("eve").substr(0, 16) + "...) is not in the trust file");
  EXPECT_HAS(ReasonFor(d, revoked_key), "('revk') is revoked");
  EXPECT_HAS(ReasonFor(d, id_only), "key 'carol' is trusted by id only and the bundle does not carry it");
  EXPECT_EQ(ReasonFor(d, wrong_type), "signer 'scanner' is not trusted for evaluation attestations");
  EXPECT_HAS(ReasonFor(d, expired), "outside key 'old' (valid before 2020-01-01T00:00:00Z)");
  EXPECT_HAS(ReasonFor(d, tampered_id), "it does not verify: ");
  EXPECT_HAS(ReasonFor(d, unreadable_id), "unreadable statement: ");
  EXPECT_FALSE(ReasonFor(d, no_sig_id).empty());
  for (const Rejected& r : d.rejected) {
    if (r.id == untrusted) { EXPECT_EQ(r.signer, Id("eve")); }
    if (r.id == revoked_key) { EXPECT_EQ(r.signer, "revk"); }
    if (r.id == wrong_type) { EXPECT_EQ(r.predicate_type, kEvaluationV1); }
    if (r.id == unreadable_id) { EXPECT_EQ(r.predicate_type, ""); }
  }
  // The policy saw the rejections too.
  bool warned = false;
  for (const std::string& w : d.warn) warned |= w.find("is revoked") != std::string::npos;
  EXPECT_TRUE(warned);

  // Another model name: ci is trusted for fraud* only.
  d = Decide(*gate, Request(good, "payments"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(ReasonFor(d, good[1].id), "signer 'ci' is not trusted for model 'payments'");
  EXPECT_TRUE(IsAccepted(d, good[4].id));  // the scanner is trusted for any model

  // A key trusted by id verifies a bundle that carries the key.
  Candidate carried = Make("approval", Approval("carol"), "carol");
  carried.bundle.public_key_raw = keys_.at("carol").Public().ToPem();
  carried = FromBundle(carried.bundle);
  // One that carries another key than its hint says is not used.
  Candidate mismatched = Make("approval", Approval("carol", "staging"), "carol");
  mismatched.bundle.public_key_raw = keys_.at("eve").Public().ToPem();
  mismatched = FromBundle(mismatched.bundle);
  d = Decide(*gate, Request({carried, mismatched}));
  EXPECT_TRUE(IsAccepted(d, carried.id));
  EXPECT_HAS(ReasonFor(d, mismatched.id), "trusted by id only");

  // The log check runs last, only for otherwise acceptable attestations.
  int checked = 0;
  auto req = Request({good[0], extra[1]});
  req.log_check = [&](const Candidate& c) -> std::optional<std::string> {
    ++checked;
    EXPECT_EQ(c.id, good[0].id);
    return "not in the transparency log";
  };
  d = Decide(*gate, req);
  EXPECT_EQ(checked, 1);
  EXPECT_EQ(ReasonFor(d, good[0].id), "not in the transparency log");
  EXPECT_TRUE(d.accepted.empty());
}

TEST_F(GateTest, RotationWindowsUseTheRecordingTime) {
  auto gate = MakeGate(
      "  - name: ci-2026\n    key: ci.pub\n    predicates: [approval]\n"
      "    valid_after: 2026-01-01T00:00:00Z\n    valid_before: 2026-07-01T00:00:00Z\n");
  Candidate c = Make("approval", Approval("ci"), "ci");
  for (auto [at, ok] : std::vector<std::pair<const char*, bool>>{{"2025-12-31T23:59:59.999999999Z", false},
                                                                 {"2026-01-01T00:00:00Z", true},
                                                                 {"2026-06-30T23:59:59Z", true},
                                                                 {"2026-07-01T00:00:00Z", false}}) {
    c.signed_at_ns = *ParseRfc3339(at);
    GateDecision d = Decide(*gate, Request({c}));
    EXPECT_EQ(IsAccepted(d, c.id), ok) << at;
    if (!ok) { EXPECT_HAS(ReasonFor(d, c.id), "outside key 'ci-2026'"); }
    if (ok) { EXPECT_EQ(d.accepted[0].signer_name, "ci-2026"); }
  }
}

TEST_F(GateTest, Thresholds) {
  auto gate = MakeGate("thresholds:\n  - predicate: approval\n    signers: 2\n"
                       "  - predicate: \"https://example.com/sbom/v1\"\n    signers: 1\n");
  Candidate a1 = Make("approval", Approval("alice"), "alice");
  Candidate a2 = Make("approval", Approval("alice", "staging"), "alice");
  Candidate b = Make("approval", Approval("bob"), "bob");
  GateDecision d = Decide(*gate, Request({a1, a2}));
  ASSERT_GE(d.deny.size(), 2u);
  // Threshold reasons come first, before the policy's.
  EXPECT_EQ(d.deny[0], "approval needs 2 distinct trusted signers, found 1 (alice)");
  EXPECT_EQ(d.deny[1], "https://example.com/sbom/v1 needs 1 distinct trusted signers, found 0");
  d = Decide(*gate, Request({a1, b}));
  EXPECT_FALSE(DenyHas(d, "approval needs 2"));
  // The same attestation twice counts once.
  d = Decide(*gate, Request({a1, a1}));
  EXPECT_EQ(d.accepted.size(), 1u);
  EXPECT_TRUE(DenyHas(d, "approval needs 2 distinct trusted signers, found 1 (alice)"));
  // A rejected approval does not count.
  d = Decide(*gate, Request({a1, Make("approval", Approval("eve"), "eve")}));
  EXPECT_TRUE(DenyHas(d, "found 1 (alice)"));
  Statement sbom;
  sbom.subjects.push_back({"m", {{"sha256", kDigest}}});
  sbom.predicate_type = "https://example.com/sbom/v1";
  sbom.predicate = {{"packages", 3}};
  d = Decide(*gate, Request({a1, b, FromBundle(SignStatement(sbom, keys_.at("anyk")).value())}));
  EXPECT_FALSE(DenyHas(d, "needs 1 distinct")) << d.deny[0];
  // One key under two names counts once.
  auto twice = MakeGate("  - name: alice2\n    key: alice.pub\n    predicates: [approval]\n"
                        "thresholds:\n  - predicate: approval\n    signers: 2\n");
  d = Decide(*twice, Request({a1, a2}));
  EXPECT_TRUE(DenyHas(d, "approval needs 2 distinct trusted signers, found 1"));
}

TEST_F(GateTest, Revocation) {
  auto gate = MakeGate();
  auto good = Good();
  const std::string eval_id = good[2].id;
  auto decide_with = [&](Candidate revocation) {
    auto cands = good;
    cands.push_back(std::move(revocation));
    return Decide(*gate, Request(cands));
  };
  // By the key that signed it (ci is not trusted for revocations by name:
  // a revocation may come from any trusted key).
  GateDecision d = decide_with(Make("revocation", Revoke(eval_id), "ci"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(ReasonFor(d, eval_id), "revoked by 'ci': wrong holdout set");
  EXPECT_TRUE(DenyHas(d, "missing: no trusted evaluation"));
  EXPECT_EQ(d.accepted.size(), 4u);  // the revocation itself is not an accepted attestation
  for (const Accepted& a : d.accepted) EXPECT_NE(a.predicate_type, kRevocationV1);
  // By a key explicitly trusted for revocations.
  d = decide_with(Make("revocation", Revoke(eval_id), "sec"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(ReasonFor(d, eval_id), "revoked by 'sec': wrong holdout set");
  // Not by an unrelated trusted key, nor by one trusted for any type.
  for (const char* who : {"alice", "anyk", "scanner"}) {
    d = decide_with(Make("revocation", Revoke(eval_id), who));
    EXPECT_TRUE(d.allowed) << who;
    EXPECT_TRUE(IsAccepted(d, eval_id)) << who;
  }
  // Nor by an untrusted key.
  Candidate by_eve = Make("revocation", Revoke(eval_id), "eve");
  d = decide_with(by_eve);
  EXPECT_TRUE(IsAccepted(d, eval_id));
  EXPECT_HAS(ReasonFor(d, by_eve.id), "not in the trust file");
  // A revocation of an attestation that is not offered changes nothing.
  d = decide_with(Make("revocation", Revoke(std::string(64, '0')), "sec"));
  EXPECT_TRUE(d.allowed);
}

TEST_F(GateTest, DecisionJsonShape) {
  auto gate = MakeGate();
  auto good = Good();
  good[0].log_index = 42;
  auto cands = good;
  cands.push_back(Make("approval", Approval("eve"), "eve"));
  auto req = Request(cands);
  req.context = {{"stage", "staging"}, {"ticket", "T-9"}};
  GateDecision d = Decide(*gate, req);
  Json j = d.ToJson();
  for (const char* k : {"allowed", "deny", "warn", "subject", "attestations", "rejected", "context", "decidedAt"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_EQ(j.size(), 8u);
  EXPECT_EQ(j["allowed"], d.allowed);
  EXPECT_TRUE(j["deny"].is_array());
  EXPECT_EQ(j["deny"].size(), d.deny.size());
  EXPECT_EQ(j["warn"].size(), 1u);
  EXPECT_EQ(j["subject"], (Json{{"name", "fraud-model"}, {"digest", {{"sha256", kDigest}}}}));
  EXPECT_EQ(j["context"], req.context);
  EXPECT_EQ(j["decidedAt"], "2026-06-01T12:00:00Z");
  ASSERT_EQ(j["attestations"].size(), 5u);
  const Json& a0 = j["attestations"][0];
  EXPECT_EQ(a0["id"], good[0].id);
  EXPECT_EQ(a0["predicateType"], custody::kModelSigningPredicateType);
  EXPECT_EQ(a0["signer"], (Json{{"name", "ci"}, {"keyid", Id("ci")}}));
  EXPECT_EQ(a0["signedAt"], "2026-06-01T12:00:00Z");
  EXPECT_EQ(a0["logIndex"], 42);
  EXPECT_TRUE(j["attestations"][1]["logIndex"].is_null());
  EXPECT_FALSE(a0.contains("predicate"));  // predicates stay out of the decision
  ASSERT_EQ(j["rejected"].size(), 1u);
  EXPECT_EQ(j["rejected"][0]["id"], cands.back().id);
  EXPECT_EQ(j["rejected"][0]["predicateType"], kApprovalV1);
  EXPECT_EQ(j["rejected"][0]["signer"], Id("eve"));
  EXPECT_HAS(j["rejected"][0]["reason"].get<std::string>(), "not in the trust file");
  // The input the policy saw holds no predicates either.
  EXPECT_FALSE(d.input.contains("attestations"));
  EXPECT_EQ(d.input["now_ns"], kNow);
}

TEST_F(GateTest, UserPolicyDirectoryAndDataFiles) {
  custody::testing::WriteFile(dir_ / "policy" / "gate.rego",
                              "package custody.gate\n"
                              "import rego.v1\n"
                              "deny contains msg if {\n"
                              "  count(input.attestations) < data.custody.config.gate.min\n"
                              "  msg := sprintf(\"need %d, have %d\", [data.custody.config.gate.min, count(input.attestations)])\n"
                              "}\n"
                              "warn contains \"always\" if true\n");
  custody::testing::WriteFile(dir_ / "policy" / "data.json", R"({"custody": {"config": {"gate": {"min": 2}}}})");
  auto policy = LoadGatePolicy((dir_ / "policy").string(), {});
  ASSERT_TRUE(policy.ok()) << policy.error().message();
  auto gate = MakeGate("", *policy);
  Candidate a = Make("approval", Approval("alice"), "alice");
  GateDecision d = Decide(*gate, Request({a}));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.deny, std::vector<std::string>{"need 2, have 1"});
  EXPECT_EQ(d.warn, std::vector<std::string>{"always"});
  // A data file given beside the policy overrides its settings key by key.
  custody::testing::WriteFile(dir_ / "lax.json", R"({"min": 1})");
  auto lax = LoadGatePolicy((dir_ / "policy").string(), {(dir_ / "lax.json").string()});
  ASSERT_TRUE(lax.ok()) << lax.error().message();
  d = Decide(*MakeGate("", *lax), Request({a}));
  EXPECT_TRUE(d.allowed);
  // ... and over the built-in pack's config.json.
  custody::testing::WriteFile(dir_ / "nomin.json", R"({"require": []})");
  auto builtin_lax = LoadGatePolicy("builtin", {(dir_ / "nomin.json").string()});
  ASSERT_TRUE(builtin_lax.ok()) << builtin_lax.error().message();
  d = Decide(*MakeGate("", *builtin_lax), Request({}));
  EXPECT_TRUE(d.allowed) << (d.deny.empty() ? "" : d.deny[0]);
  // A data file that is not an object of settings is refused.
  custody::testing::WriteFile(dir_ / "list.json", "[1, 2]");
  auto bad_data = LoadGatePolicy("builtin", {(dir_ / "list.json").string()});
  ASSERT_FALSE(bad_data.ok());
  EXPECT_HAS(bad_data.error().message(), "gate data is an object of settings, found an array");
  // A directory without policies.
  std::filesystem::create_directories(dir_ / "empty");
  auto empty = LoadGatePolicy((dir_ / "empty").string(), {});
  ASSERT_FALSE(empty.ok());
  EXPECT_HAS(empty.error().message(), "holds no .rego files");
}

TEST_F(GateTest, DenyThatIsNotASetOfMessagesIsAnError) {
  custody::testing::WriteFile(dir_ / "num" / "gate.rego", "package custody.gate\ndeny := 5\n");
  auto policy = LoadGatePolicy((dir_ / "num").string(), {});
  ASSERT_TRUE(policy.ok()) << policy.error().message();
  auto d = MakeGate("", *policy)->Decide(Request({}));
  ASSERT_FALSE(d.ok());
  EXPECT_HAS(d.error().message(), "data.custody.gate.deny must be a set of messages, found number");
  // An object is not a set of messages either.
  custody::testing::WriteFile(dir_ / "obj" / "gate.rego", "package custody.gate\nwarn := {\"a\": 1}\n");
  policy = LoadGatePolicy((dir_ / "obj").string(), {});
  ASSERT_TRUE(policy.ok()) << policy.error().message();
  d = MakeGate("", *policy)->Decide(Request({}));
  ASSERT_FALSE(d.ok());
  EXPECT_HAS(d.error().message(), "data.custody.gate.warn must be a set of messages, found object");
  // A single string, an array, false and an undefined rule are accepted.
  custody::testing::WriteFile(dir_ / "str" / "gate.rego",
                              "package custody.gate\ndeny := \"one reason\"\nwarn := [\"w1\", {\"k\": 1}]\n");
  policy = LoadGatePolicy((dir_ / "str").string(), {});
  ASSERT_TRUE(policy.ok()) << policy.error().message();
  d = MakeGate("", *policy)->Decide(Request({}));
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_FALSE(d->allowed);
  EXPECT_EQ(d->deny, std::vector<std::string>{"one reason"});
  EXPECT_EQ(d->warn, (std::vector<std::string>{"w1", "{\"k\":1}"}));
  custody::testing::WriteFile(dir_ / "none" / "gate.rego", "package custody.gate\ndeny := false\n");
  policy = LoadGatePolicy((dir_ / "none").string(), {});
  ASSERT_TRUE(policy.ok()) << policy.error().message();
  d = MakeGate("", *policy)->Decide(Request({}));
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_TRUE(d->allowed);
  EXPECT_TRUE(d->warn.empty());
}

std::string Summary(const GateDecision& d) {
  std::string s = d.allowed ? "allow|" : "deny|";
  for (const auto& m : d.deny) s += m + ";";
  s += "|";
  for (const auto& m : d.warn) s += m + ";";
  s += "|";
  for (const auto& a : d.accepted) s += a.id.substr(0, 8) + a.signer_name + ";";
  s += "|";
  for (const auto& r : d.rejected) s += r.id.substr(0, 8) + r.reason + ";";
  return s;
}

TEST_F(GateTest, ConcurrentDecisionsMatchSequentialOnes) {
  auto gate = MakeGate("thresholds:\n  - predicate: approval\n    signers: 2\n");
  auto good = Good();
  std::vector<Candidate> pool = good;
  pool.push_back(Make("approval", Approval("alice"), "alice"));
  pool.push_back(Make("approval", Approval("bob"), "bob"));
  pool.push_back(Make("approval", Approval("eve"), "eve"));
  pool.push_back(Make("evaluation", Eval(0.5), "ci"));
  pool.push_back(Make("revocation", Revoke(good[2].id), "sec"));
  pool.push_back(Make("vulns", Scan(kNow - 30 * kHour), "scanner"));
  pool.push_back(Make("approval", Approval("old"), "old"));
  std::vector<GateRequest> requests;
  for (size_t i = 0; i < 16; ++i) {
    std::vector<Candidate> cands;
    for (size_t k = 0; k < pool.size(); ++k) {
      if (((i * 7 + k * 3) % 5) != 0 || k < 2) cands.push_back(pool[k]);
    }
    requests.push_back(Request(cands, i % 3 == 0 ? "payments" : "fraud-model"));
    requests.back().context = {{"stage", i % 2 ? "production" : "staging"}};
  }
  // Sequential results on a fresh gate (so its caches start cold for the
  // threads below too).
  std::vector<std::string> expected;
  {
    auto fresh = MakeGate("thresholds:\n  - predicate: approval\n    signers: 2\n");
    for (const auto& r : requests) expected.push_back(Summary(Decide(*fresh, r)));
  }
  std::set<std::string> distinct(expected.begin(), expected.end());
  EXPECT_GT(distinct.size(), 3u);  // the inputs really differ
  std::vector<std::vector<std::string>> got(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < requests.size(); ++i) {
          size_t k = (i + t * 5) % requests.size();
          auto d = gate->Decide(requests[k]);
          got[t].push_back(d.ok() ? std::to_string(k) + "=" + Summary(*d) : "error: " + d.error().message());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 8; ++t) {
    ASSERT_EQ(got[t].size(), 3 * requests.size());
    for (size_t n = 0; n < got[t].size(); ++n) {
      size_t k = (n % requests.size() + t * 5) % requests.size();
      EXPECT_EQ(got[t][n], std::to_string(k) + "=" + expected[k]) << "thread " << t;
    }
  }
}

}  // namespace
}  // namespace custody::gate
