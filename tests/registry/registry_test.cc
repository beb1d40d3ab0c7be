// The registry on both store engines: SQLite always; PostgreSQL when
// CUSTODY_TEST_POSTGRES names a server (tests/store/postgres_test.sh starts
// one and runs the '*postgresql*' tests).
#include "registry/registry.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

#include "attest/attestation.h"
#include "attest/predicates.h"
#include "core/encoding.h"
#include "crypto/digest.h"
#include "test_util.h"

namespace custody::registry {
namespace {

std::string Hex(const std::string& s) { return HexEncode(Sha256(s)); }

class RegistryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto location = custody::testing::EngineStore(GetParam(), dir_,
                                                  {"artifacts", "attestations", "attestation_log",
                                                   "attestation_subjects", "registry", "registry_aliases", "decisions"});
    ASSERT_TRUE(location.ok()) << location.error().message();
    if (!*location) GTEST_SKIP() << custody::testing::kNoPostgres;
    location_ = **location;
    key_ = PrivateKey::Generate(KeyType::kEd25519).value();
    auto reg = Registry::Open(location_);
    ASSERT_TRUE(reg.ok()) << reg.error().message();
    reg_ = std::move(*reg);
  }

  // A signed approval about `digests` (each a subject).
  AttestationRecord Record(const std::vector<std::string>& digests, const std::string& approver = "maria",
                           std::optional<uint64_t> log_index = std::nullopt) {
    Statement st;
    for (size_t i = 0; i < digests.size(); ++i) st.subjects.push_back({"m" + std::to_string(i), {{"sha256", digests[i]}}});
    st.predicate_type = kApprovalV1;
    st.predicate = {{"approver", approver}, {"stage", "production"}, {"approvedAt", "2026-01-02T03:04:05Z"}};
    Bundle b = SignStatement(st, *key_).value();
    AttestationRecord r;
    r.id = AttestationId(b);
    r.predicate_type = st.predicate_type;
    r.statement = st;
    r.bundle_json = b.ToJson().dump();
    r.signer_keyid = b.public_key_hint;
    r.recorded_at = "2026-01-02T03:04:06Z";
    r.log_index = log_index;
    return r;
  }

  Status Decision(const std::string& id, const std::string& digest, bool allowed) {
    DecisionRecord d;
    d.id = id;
    d.subject_name = "fraud";
    d.subject_digest = digest;
    d.allowed = allowed;
    d.decision_json = R"({"allowed": )" + std::string(allowed ? "true" : "false") + "}";
    d.bundle_json = "{}";
    return reg_->PutDecision(d);
  }

  ModelVersion Version(const std::string& version, const std::string& digest) {
    return {"fraud", version, digest, "/models/fraud-" + version, "", ""};
  }

  custody::testing::TempDir dir_;
  std::string location_;
  std::optional<PrivateKey> key_;
  std::unique_ptr<Registry> reg_;
};

TEST_P(RegistryTest, PutAttestationIsIdempotentAndKeepsALaterLogIndex) {
  const std::string d = Hex("model");
  AttestationRecord r = Record({d});
  EXPECT_TRUE(reg_->PutAttestation(r).value());
  EXPECT_FALSE(reg_->PutAttestation(r).value());
  auto all = reg_->AttestationsFor(d).value();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, r.id);
  EXPECT_EQ(all[0].predicate_type, kApprovalV1);
  EXPECT_EQ(all[0].bundle_json, r.bundle_json);
  EXPECT_EQ(all[0].signer_keyid, r.signer_keyid);
  EXPECT_EQ(all[0].recorded_at, "2026-01-02T03:04:06Z");
  EXPECT_EQ(all[0].statement.ToJson(), r.statement.ToJson());
  EXPECT_FALSE(all[0].log_index.has_value());
  // Logged afterwards: the same attestation again with its index.
  r.log_index = 17;
  EXPECT_FALSE(reg_->PutAttestation(r).value());
  all = reg_->AttestationsFor(d).value();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].log_index, 17u);
  // Recorded again without the index, or at a later index: the first stays.
  r.log_index.reset();
  EXPECT_FALSE(reg_->PutAttestation(r).value());
  r.log_index = 90;
  EXPECT_FALSE(reg_->PutAttestation(r).value());
  all = reg_->AttestationsFor(d).value();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].log_index, 17u);
  // An attestation logged when first recorded.
  AttestationRecord logged = Record({d}, "tomas", 3);
  EXPECT_TRUE(reg_->PutAttestation(logged).value());
  all = reg_->AttestationsFor(d).value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].id, logged.id);  // oldest first
  EXPECT_EQ(all[1].log_index, 3u);
}

TEST_P(RegistryTest, AttestationsForEachSubjectDigest) {
  const std::string a = Hex("a"), b = Hex("b"), c = Hex("c");
  AttestationRecord both = Record({a, b});
  AttestationRecord only_b = Record({b}, "bob");
  ASSERT_TRUE(reg_->PutAttestation(both).value());
  ASSERT_TRUE(reg_->PutAttestation(only_b).value());
  auto for_a = reg_->AttestationsFor(a).value();
  ASSERT_EQ(for_a.size(), 1u);
  EXPECT_EQ(for_a[0].id, both.id);
  EXPECT_EQ(for_a[0].statement.subjects.size(), 2u);
  auto for_b = reg_->AttestationsFor(b).value();
  ASSERT_EQ(for_b.size(), 2u);
  EXPECT_EQ(for_b[0].id, both.id);
  EXPECT_EQ(for_b[1].id, only_b.id);
  EXPECT_TRUE(reg_->AttestationsFor(c).value().empty());
  EXPECT_TRUE(reg_->AttestationsFor("").value().empty());
  // SQL-looking text is a digest like any other.
  EXPECT_TRUE(reg_->AttestationsFor("' OR '1'='1").value().empty());
}

TEST_P(RegistryTest, AddVersionIsAppendOnly) {
  const std::string d1 = Hex("v1"), d2 = Hex("v2");
  EXPECT_TRUE(reg_->AddVersion(Version("1.0.0", d1)).value());
  EXPECT_FALSE(reg_->AddVersion(Version("1.0.0", d1)).value());
  auto conflict = reg_->AddVersion(Version("1.0.0", d2));
  ASSERT_FALSE(conflict.ok());
  const std::string& m = conflict.error().message();
  EXPECT_EQ(m.rfind("fraud@1.0.0 is already registered with digest sha256:" + d1 + " (since ", 0), 0u) << m;
  EXPECT_NE(m.find("a version never changes its digest: register sha256:" + d2 + " as a new version"), std::string::npos)
      << m;
  EXPECT_EQ(reg_->GetVersion("fraud", "1.0.0").value()->digest, d1);
  EXPECT_TRUE(reg_->AddVersion(Version("1.1.0", d2)).value());
  EXPECT_TRUE(reg_->AddVersion(Version("1.1.1", d2)).value());
  auto with_d2 = reg_->VersionsWithDigest(d2).value();
  ASSERT_EQ(with_d2.size(), 2u);
  EXPECT_EQ(with_d2[0].version, "1.1.0");
  EXPECT_EQ(reg_->ListVersions("fraud").value().size(), 3u);
  EXPECT_TRUE(reg_->ListVersions("other").value().empty());
  EXPECT_FALSE(reg_->GetVersion("fraud", "9").value().has_value());
  ModelVersion v = *reg_->GetVersion("fraud", "1.0.0").value();
  EXPECT_EQ(v.path, "/models/fraud-1.0.0");
  EXPECT_EQ(v.signature_id, "");
  EXPECT_FALSE(v.created_at.empty());
}

TEST_P(RegistryTest, MoveAliasNeedsAnAllowingDecisionAboutThatDigest) {
  const std::string d1 = Hex("v1"), d2 = Hex("v2");
  ASSERT_TRUE(reg_->AddVersion(Version("1", d1)).ok());
  ASSERT_TRUE(reg_->AddVersion(Version("2", d2)).ok());
  ASSERT_TRUE(Decision("allow1", d1, true).ok());
  ASSERT_TRUE(Decision("deny1", d1, false).ok());
  ASSERT_TRUE(Decision("allow2", d2, true).ok());

  Status s = reg_->MoveAlias("fraud", "production", "3", "allow1");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "fraud@3 is not registered: add it with 'custody registry add' first");
  s = reg_->MoveAlias("fraud", "production", "1", "nope");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "decision nope is not in the store");
  s = reg_->MoveAlias("fraud", "production", "1", "deny1");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::kVerification);
  EXPECT_NE(s.error().message().find("decision deny1 denied fraud@1"), std::string::npos) << s.error().message();
  s = reg_->MoveAlias("fraud", "production", "1", "allow2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "decision allow2 is about sha256:" + d2 + ", not fraud@1 (sha256:" + d1 + ")");
  EXPECT_TRUE(reg_->Aliases("fraud").value().empty());
  EXPECT_TRUE(reg_->AliasHistory("fraud", "production").value().empty());

  ASSERT_TRUE(reg_->MoveAlias("fraud", "production", "1", "allow1").ok());
  ASSERT_TRUE(reg_->MoveAlias("fraud", "staging", "2", "allow2").ok());
  ASSERT_TRUE(reg_->MoveAlias("fraud", "production", "2", "allow2").ok());
  ASSERT_TRUE(reg_->MoveAlias("fraud", "production", "1", "allow1").ok());
  auto aliases = reg_->Aliases("fraud").value();
  ASSERT_EQ(aliases.size(), 2u);
  EXPECT_EQ(aliases[0].alias, "production");
  EXPECT_EQ(aliases[0].version, "1");
  EXPECT_EQ(aliases[0].decision_id, "allow1");
  EXPECT_EQ(aliases[0].seq, 3);
  EXPECT_EQ(aliases[1].alias, "staging");
  EXPECT_EQ(aliases[1].version, "2");
  EXPECT_EQ(aliases[1].seq, 1);
  auto history = reg_->AliasHistory("fraud", "production").value();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].version, "1");
  EXPECT_EQ(history[1].version, "2");
  EXPECT_EQ(history[1].decision_id, "allow2");
  EXPECT_EQ(history[2].version, "1");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(history[i].seq, i + 1);
  // Aliases are per model.
  EXPECT_TRUE(reg_->Aliases("other").value().empty());
  // A refused move leaves the alias where it was.
  EXPECT_FALSE(reg_->MoveAlias("fraud", "production", "2", "deny1").ok());
  EXPECT_EQ(reg_->Aliases("fraud").value()[0].version, "1");
  EXPECT_EQ(reg_->AliasHistory("fraud", "production").value().size(), 3u);
}

TEST_P(RegistryTest, DecisionsAreKeptInOrder) {
  const std::string d = Hex("v1");
  ASSERT_TRUE(Decision("first", d, false).ok());
  ASSERT_TRUE(Decision("second", d, true).ok());
  EXPECT_FALSE(Decision("first", d, true).ok());  // an id is recorded once
  auto all = reg_->DecisionsFor(d).value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "first");
  EXPECT_FALSE(all[0].allowed);
  EXPECT_EQ(all[1].id, "second");
  EXPECT_TRUE(all[1].allowed);
  auto got = reg_->GetDecision("second").value();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->decision_json, R"({"allowed": true})");
  EXPECT_FALSE(got->log_index.has_value());
  EXPECT_FALSE(reg_->GetDecision("third").value().has_value());
}

TEST_P(RegistryTest, ConcurrentWritersLoseNothing) {
  const std::string d = Hex("shared");
  constexpr int kThreads = 8, kEach = 6;
  std::vector<std::vector<AttestationRecord>> records(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) records[t].push_back(Record({d, Hex("own" + std::to_string(t))}, "w" + std::to_string(t * 100 + i)));
  }
  std::atomic<int> failures{0}, inserted{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto reg = Registry::Open(location_);
      if (!reg.ok()) {
        errors[t] = reg.error().message();
        ++failures;
        return;
      }
      for (const auto& r : records[t]) {
        // Every record twice (the second is a no-op), plus one of a neighbour.
        const AttestationRecord* neighbour = &records[(t + 1) % kThreads][0];
        for (const AttestationRecord* x : {&r, &r, neighbour}) {
          auto put = (*reg)->PutAttestation(*x);
          if (!put.ok()) {
            errors[t] = put.error().message();
            ++failures;
          } else if (*put) {
            ++inserted;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(inserted.load(), kThreads * kEach);
  auto all = reg_->AttestationsFor(d).value();
  std::set<std::string> ids;
  for (const auto& a : all) ids.insert(a.id);
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * kEach));
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(reg_->AttestationsFor(Hex("own" + std::to_string(t))).value().size(), static_cast<size_t>(kEach));
  }
}

TEST_P(RegistryTest, RacingAddVersionHasExactlyOneWinner) {
  constexpr int kThreads = 8;
  for (int round = 0; round < 3; ++round) {
    const std::string version = "race-" + std::to_string(round);
    std::vector<std::optional<Result<bool>>> results(kThreads);
    std::vector<std::thread> threads;
    std::atomic<int> ready{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        auto reg = Registry::Open(location_);
        if (!reg.ok()) {
          results[t] = reg.error();
          return;
        }
        ++ready;
        while (ready.load() < kThreads) std::this_thread::yield();
        results[t] = (*reg)->AddVersion(Version(version, Hex(version + "/" + std::to_string(t))));
      });
    }
    for (auto& th : threads) th.join();
    int winners = 0, winner = -1;
    for (int t = 0; t < kThreads; ++t) {
      ASSERT_TRUE(results[t].has_value());
      if (results[t]->ok()) {
        EXPECT_TRUE(**results[t]) << "a new digest is never a no-op";
        ++winners;
        winner = t;
      }
    }
    ASSERT_EQ(winners, 1) << version;
    const std::string won = Hex(version + "/" + std::to_string(winner));
    for (int t = 0; t < kThreads; ++t) {
      if (t == winner) continue;
      EXPECT_EQ(results[t]->error().message().rfind("fraud@" + version + " is already registered with digest sha256:" + won, 0), 0u)
          << results[t]->error().message();
    }
    EXPECT_EQ(reg_->GetVersion("fraud", version).value()->digest, won);
    EXPECT_EQ(reg_->VersionsWithDigest(won).value().size(), 1u);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, RegistryTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace custody::registry
