// Trust files: keys by PEM file (relative to the file's directory) or key id,
// permissions, rotation windows, revoked ids, thresholds; every malformed
// file is an error naming the file and the line.
#include "gate/trust.h"

#include <gtest/gtest.h>

#include "attest/model_signature.h"
#include "attest/predicates.h"
#include "core/time.h"
#include "crypto/digest.h"
#include "core/encoding.h"
#include "test_util.h"

namespace custody::gate {
namespace {

const std::string kId(64, 'c');

class TrustTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = PrivateKey::Generate(KeyType::kEd25519).value();
    pub_pem_ = key_->Public().ToPem();
    custody::testing::WriteFile(dir_ / "keys" / "ci.pub", pub_pem_);
    custody::testing::WriteFile(dir_ / "keys" / "ci.key", key_->ToPem());
  }
  Result<TrustPolicy> Parse(const std::string& text) { return TrustPolicy::Parse(text, "trust.yaml", dir_.path().string()); }
  // The error of parsing `text`; fails the test when it parses.
  std::string ErrorOf(const std::string& text) {
    auto t = Parse(text);
    EXPECT_FALSE(t.ok()) << "accepted:\n" << text;
    return t.ok() ? "" : t.error().message();
  }
  custody::testing::TempDir dir_;
  std::optional<PrivateKey> key_;
  std::string pub_pem_;
};

#define EXPECT_STARTS(text, prefix) EXPECT_EQ(std::string(text).rfind(prefix, 0), 0u) << (text)
#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

TEST_F(TrustTest, ReadsKeysRelativeToTheFilesDirectory) {
  auto t = Parse(
      "keys:\n"
      "  - name: ci\n"
      "    key: keys/ci.pub\n"
      "    predicates: [slsa-provenance, \"https://example.com/sbom/v1\"]\n"
      "    models: [\"fraud-*\", churn]\n"
      "  - name: tomas\n"
      "    key: " + kId + "\n"
      "revoked: [" + std::string(64, 'd') + "]\n"
      "thresholds:\n"
      "  - predicate: approval\n"
      "    signers: 2\n");
  ASSERT_TRUE(t.ok()) << t.error().message();
  ASSERT_EQ(t->keys().size(), 2u);
  const TrustedKey& ci = t->keys()[0];
  EXPECT_EQ(ci.name, "ci");
  EXPECT_EQ(ci.line, 2);
  ASSERT_TRUE(ci.key.has_value());
  EXPECT_EQ(ci.keyid, HexEncode(Sha256(pub_pem_)));
  EXPECT_EQ(ci.keyid, PublicKeyHint(key_->Public()));
  EXPECT_EQ(ci.predicates, (std::vector<std::string>{"slsa-provenance", "https://example.com/sbom/v1"}));
  EXPECT_EQ(ci.models, (std::vector<std::string>{"fraud-*", "churn"}));
  const TrustedKey& tomas = t->keys()[1];
  EXPECT_EQ(tomas.keyid, kId);
  EXPECT_FALSE(tomas.key.has_value());
  EXPECT_EQ(tomas.line, 6);
  EXPECT_TRUE(t->IsRevoked(std::string(64, 'd')));
  EXPECT_FALSE(t->IsRevoked(kId));
  ASSERT_EQ(t->thresholds().size(), 1u);
  EXPECT_EQ(t->thresholds()[0].predicate, "approval");
  EXPECT_EQ(t->thresholds()[0].signers, 2);
  EXPECT_EQ(t->thresholds()[0].line, 10);
  ASSERT_EQ(t->Find(ci.keyid).size(), 1u);
  EXPECT_EQ(t->Find(ci.keyid)[0]->name, "ci");
  EXPECT_TRUE(t->Find(std::string(64, 'e')).empty());
}

TEST_F(TrustTest, AbsolutePathsAndLoadUseTheFilesDirectory) {
  auto abs = Parse("keys:\n  - name: ci\n    key: " + (dir_ / "keys" / "ci.pub").string() + "\n");
  ASSERT_TRUE(abs.ok()) << abs.error().message();
  custody::testing::WriteFile(dir_ / "conf" / "trust.yaml", "keys:\n  - name: ci\n    key: ../keys/ci.pub\n");
  auto loaded = TrustPolicy::Load((dir_ / "conf" / "trust.yaml").string());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_EQ(loaded->keys()[0].keyid, PublicKeyHint(key_->Public()));
  // The same relative path from another base directory is not found.
  auto elsewhere = TrustPolicy::Parse("keys:\n  - name: ci\n    key: keys/ci.pub\n", "t.yaml", (dir_ / "conf").string());
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_STARTS(elsewhere.error().message(), "t.yaml:3: key: cannot read 'keys/ci.pub'");
}

TEST_F(TrustTest, OneKeyUnderSeveralNames) {
  auto t = Parse("keys:\n  - name: a\n    key: keys/ci.pub\n    predicates: [approval]\n"
                 "  - name: b\n    key: keys/ci.pub\n    predicates: [vulns]\n");
  ASSERT_TRUE(t.ok()) << t.error().message();
  auto found = t->Find(PublicKeyHint(key_->Public()));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0]->name, "a");
  EXPECT_EQ(found[1]->name, "b");
}

TEST_F(TrustTest, PredicatesAndModels) {
  auto t = Parse("keys:\n  - name: a\n    key: " + kId + "\n    predicates: [approval, \"urn:x\"]\n    models: [\"fraud-*\", \"m?\", \"[ab]c\"]\n"
                 "  - name: b\n    key: " + kId + "\n    predicates: []\n    models: ~\n"
                 "  - name: c\n    key: " + kId + "\n    predicates:\n    models: null\n");
  ASSERT_TRUE(t.ok()) << t.error().message();
  const TrustedKey& a = t->keys()[0];
  EXPECT_TRUE(a.AllowsPredicate(kApprovalV1));
  EXPECT_TRUE(a.AllowsPredicate("urn:x"));
  EXPECT_FALSE(a.AllowsPredicate(kBiasV1));
  EXPECT_TRUE(a.AllowsModel("fraud-v2"));
  EXPECT_TRUE(a.AllowsModel("fraud-a/b"));  // '*' also matches '/'
  EXPECT_FALSE(a.AllowsModel("fraud"));
  EXPECT_TRUE(a.AllowsModel("m1"));
  EXPECT_FALSE(a.AllowsModel("m12"));
  EXPECT_TRUE(a.AllowsModel("bc"));
  EXPECT_FALSE(a.AllowsModel("cc"));
  EXPECT_FALSE(a.AllowsModel(""));
  for (size_t i : {1u, 2u}) {
    const TrustedKey& any = t->keys()[i];
    EXPECT_TRUE(any.predicates.empty());
    EXPECT_TRUE(any.models.empty());
    EXPECT_TRUE(any.AllowsPredicate(kBiasV1));
    EXPECT_TRUE(any.AllowsPredicate("https://example.com/anything"));
    EXPECT_TRUE(any.AllowsModel("whatever"));
  }
}

TEST_F(TrustTest, WindowsAreHalfOpen) {
  auto t = Parse("keys:\n  - name: a\n    key: " + kId +
                 "\n    valid_after: 2026-01-01T00:00:00Z\n    valid_before: 2026-07-01T02:00:00+02:00\n"
                 "  - name: b\n    key: " + kId + "\n    valid_before: 2026-01-01T00:00:00.5Z\n"
                 "  - name: c\n    key: " + kId + "\n    valid_after: 2026-01-01T00:00:00Z\n");
  ASSERT_TRUE(t.ok()) << t.error().message();
  int64_t after = *ParseRfc3339("2026-01-01T00:00:00Z");
  int64_t before = *ParseRfc3339("2026-07-01T00:00:00Z");
  const TrustedKey& a = t->keys()[0];
  EXPECT_EQ(a.valid_after_ns, after);
  EXPECT_EQ(a.valid_before_ns, before);
  EXPECT_FALSE(a.ValidAt(after - 1));
  EXPECT_TRUE(a.ValidAt(after));  // inclusive
  EXPECT_TRUE(a.ValidAt(before - 1));
  EXPECT_FALSE(a.ValidAt(before));  // exclusive
  const TrustedKey& b = t->keys()[1];
  EXPECT_FALSE(b.valid_after_ns.has_value());
  EXPECT_TRUE(b.ValidAt(INT64_MIN));
  EXPECT_TRUE(b.ValidAt(after + 499999999));
  EXPECT_FALSE(b.ValidAt(after + 500000000));
  const TrustedKey& c = t->keys()[2];
  EXPECT_TRUE(c.ValidAt(INT64_MAX));
  EXPECT_FALSE(c.ValidAt(after - 1));
}

TEST_F(TrustTest, ThresholdsAndRevoked) {
  auto t = Parse("keys:\n  - name: a\n    key: " + kId + "\n"
                 "revoked:\n  - " + std::string(64, '1') + "\n  - " + std::string(64, 'f') + "\n"
                 "thresholds:\n  - predicate: approval\n    signers: 1000\n"
                 "  - predicate: \"https://example.com/x\"\n    signers: 1\n");
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(t->revoked().size(), 2u);
  ASSERT_EQ(t->thresholds().size(), 2u);
  EXPECT_EQ(t->thresholds()[0].signers, 1000);
  EXPECT_EQ(t->thresholds()[1].predicate, "https://example.com/x");
  EXPECT_EQ(t->thresholds()[1].signers, 1);
  auto empty_revoked = Parse("keys:\n  - name: a\n    key: " + kId + "\nrevoked: []\nthresholds: []\n");
  ASSERT_TRUE(empty_revoked.ok()) << empty_revoked.error().message();
  EXPECT_TRUE(empty_revoked->revoked().empty());
}

TEST_F(TrustTest, ErrorsNameTheLine) {
  const std::string k = "keys:\n  - name: ci\n    key: " + kId + "\n";
  EXPECT_STARTS(ErrorOf(k + "threshold: []\n"), "trust.yaml:4: unknown field 'threshold'");
  EXPECT_STARTS(ErrorOf(k + "    model: [x]\n"), "trust.yaml:4: unknown key field 'model'");
  EXPECT_STARTS(ErrorOf(k + "  - name: ci\n    key: " + kId + "\n"), "trust.yaml:4: key name 'ci' is used twice (first on line 2)");
  EXPECT_STARTS(ErrorOf("keys:\n  - key: " + kId + "\n"), "trust.yaml:2: keys: entry without a name");
  EXPECT_STARTS(ErrorOf("keys:\n  - name: ci\n"), "trust.yaml:2: key 'ci' has no 'key'");
  // A key id of the wrong length is a path, which does not exist.
  EXPECT_STARTS(ErrorOf("keys:\n  - name: ci\n    key: " + std::string(63, 'a') + "\n"), "trust.yaml:3: key: cannot read");
  // A field given twice is refused, wherever it is.
  EXPECT_STARTS(ErrorOf(k + "    valid_before: 2027-01-01T00:00:00Z\n    valid_before: 2028-01-01T00:00:00Z\n"),
                "trust.yaml:5: field 'valid_before' is given twice (first on line 4)");
  EXPECT_STARTS(ErrorOf(k + "keys:\n  - name: other\n    key: " + kId + "\n"),
                "trust.yaml:4: field 'keys' is given twice (first on line 1)");
  EXPECT_STARTS(ErrorOf(k + "thresholds:\n  - predicate: approval\n    signers: 2\n    signers: 3\n"),
                "trust.yaml:7: field 'signers' is given twice (first on line 6)");
  EXPECT_STARTS(ErrorOf("keys:\n  - name: ci\n\n    key: missing.pub\n"),
                "trust.yaml:4: key: cannot read 'missing.pub'");
  custody::testing::WriteFile(dir_ / "junk.pub", "not a key\n");
  EXPECT_STARTS(ErrorOf("keys:\n  - name: ci\n    key: junk.pub\n"), "trust.yaml:3: key: ");
  std::string priv = ErrorOf("keys:\n  - name: ci\n    key: keys/ci.key\n");
  EXPECT_STARTS(priv, "trust.yaml:3: key: ");
  EXPECT_HAS(priv, "private key");
  EXPECT_STARTS(ErrorOf("keys:\n  - name: ci\n    key: keys\n"), "trust.yaml:3: key: cannot read 'keys'");
  EXPECT_STARTS(ErrorOf(k + "    valid_after: 2026-01-01\n"),
                "trust.yaml:4: valid_after: '2026-01-01' is not an RFC 3339 time");
  EXPECT_STARTS(ErrorOf(k + "    valid_before: [2026-01-01T00:00:00Z]\n"), "trust.yaml:4: valid_before: expected a single value");
  EXPECT_STARTS(ErrorOf(k + "    valid_after: 2026-01-01T00:00:00Z\n    valid_before: 2026-01-01T00:00:00Z\n"),
                "trust.yaml:2: key 'ci': valid_after must be before valid_before");
  EXPECT_STARTS(ErrorOf(k + "    valid_after: 2026-02-01T00:00:00Z\n    valid_before: 2026-01-01T00:00:00Z\n"),
                "trust.yaml:2: key 'ci': valid_after must be before valid_before");
  EXPECT_STARTS(ErrorOf(k + "    predicates: [provenance]\n"), "trust.yaml:4: predicates: unknown predicate type 'provenance'");
  EXPECT_STARTS(ErrorOf(k + "    predicates: slsa-provenance\n"), "trust.yaml:4: predicates: expected a list");
  EXPECT_STARTS(ErrorOf(k + "    models: [\"\"]\n"), "trust.yaml:4: models: empty entry");
  EXPECT_STARTS(ErrorOf(k + "    models: [[a]]\n"), "trust.yaml:4: models: expected a single value");
  EXPECT_STARTS(ErrorOf(k + "revoked:\n  - " + kId + "\n  - abc\n"), "trust.yaml:6: revoked: 'abc' is not a key id");
  for (const char* bad : {"0", "two", "-1", "1001", "1.5", "2x", "\"\""}) {
    std::string e = ErrorOf(k + "thresholds:\n  - predicate: approval\n    signers: " + bad + "\n");
    EXPECT_STARTS(e, "trust.yaml:6: signers: '");
    EXPECT_HAS(e, "is not a whole number from 1 to 1000");
  }
  EXPECT_STARTS(ErrorOf(k + "thresholds:\n  - predicate: approval\n"), "trust.yaml:5: a threshold needs predicate and signers");
  EXPECT_STARTS(ErrorOf(k + "thresholds:\n  - signers: 2\n"), "trust.yaml:5: a threshold needs predicate and signers");
  EXPECT_STARTS(ErrorOf(k + "thresholds:\n  - predicate: aproval\n    signers: 2\n"), "trust.yaml:5: predicate: unknown predicate type");
  EXPECT_STARTS(ErrorOf(k + "thresholds:\n  - predicate: approval\n    signer: 2\n"), "trust.yaml:6: unknown threshold field 'signer'");
  EXPECT_STARTS(ErrorOf(k + "thresholds: approval\n"), "trust.yaml:4: thresholds: expected a list");
  EXPECT_STARTS(ErrorOf(k + "thresholds:\n  - approval\n"), "trust.yaml:5: thresholds: each entry");
  EXPECT_STARTS(ErrorOf("keys: ci\n"), "trust.yaml:1: keys: expected a list of keys");
  EXPECT_STARTS(ErrorOf("keys:\n  - ci\n"), "trust.yaml:2: keys: each entry is a mapping");
  EXPECT_STARTS(ErrorOf("- name: ci\n"), "trust.yaml:1: a trust file is a mapping");
  EXPECT_STARTS(ErrorOf("\n\njust text\n"), "trust.yaml:3: a trust file is a mapping");
  EXPECT_EQ(ErrorOf(""), "trust.yaml: empty trust file: list at least one key under 'keys'");
  EXPECT_EQ(ErrorOf("# only a comment\n"), "trust.yaml: empty trust file: list at least one key under 'keys'");
  EXPECT_EQ(ErrorOf("keys: []\n"), "trust.yaml: no keys: list at least one key under 'keys'");
  EXPECT_EQ(ErrorOf("revoked: []\n"), "trust.yaml: no keys: list at least one key under 'keys'");
  // YAML syntax errors name the line too.
  EXPECT_STARTS(ErrorOf("keys:\n  - name: [ci\n"), "trust.yaml:");
}

TEST_F(TrustTest, KeyIdsInUpperCaseAreKeyIds) {
  std::string upper = kId;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto t = Parse("keys:\n  - name: ci\n    key: " + upper + "\nrevoked: [" + upper + "]\n");
  ASSERT_TRUE(t.ok()) << t.error().message();
  ASSERT_EQ(t->Find(kId).size(), 1u);
  EXPECT_TRUE(t->IsRevoked(kId));
}

TEST_F(TrustTest, LoadOfAMissingFileIsAnError) {
  auto t = TrustPolicy::Load((dir_ / "nope.yaml").string());
  ASSERT_FALSE(t.ok());
  EXPECT_HAS(t.error().message(), "nope.yaml");
}

}  // namespace
}  // namespace custody::gate
