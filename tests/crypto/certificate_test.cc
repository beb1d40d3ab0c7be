#include "crypto/certificate.h"

#include <gtest/gtest.h>

#include "core/encoding.h"
#include "test_util.h"

namespace custody {
namespace {

// Fixtures made by the openssl CLI (tests/crypto/testdata/pki/make.sh).
std::string Pem(const std::string& name) {
  return testing::ReadAll(std::filesystem::path(CUSTODY_SOURCE_DIR) / "tests/crypto/testdata/pki" / name);
}

Certificate Load(const std::string& name) {
  auto certs = Certificate::AllFromPem(Pem(name), name);
  if (!certs.ok() || certs->size() != 1) {
    ADD_FAILURE() << name << ": " << (certs.ok() ? "not one certificate" : certs.error().message());
    std::abort();
  }
  return certs->front();
}

TEST(CertificateTest, ReadsPemAndDer) {
  Certificate leaf = Load("signer.pem");
  EXPECT_EQ(leaf.Subject(), "CN=release signer,O=Example");  // RFC 2253: most specific first
  EXPECT_EQ(leaf.Issuer(), "CN=custody test intermediate");
  std::string fingerprint = Pem("signer.fingerprint");
  EXPECT_EQ(leaf.Fingerprint() + "\n", fingerprint) << "as openssl x509 -fingerprint -sha256 prints it";
  EXPECT_LT(leaf.NotBefore(), leaf.NotAfter());
  EXPECT_GT(leaf.NotBefore(), 1700000000);  // made after 2023

  auto again = Certificate::FromDer(leaf.ToDer(), "der");
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(again->ToDer(), leaf.ToDer());
  EXPECT_EQ(again->ToPem(), Pem("signer.pem"));

  auto both = Certificate::AllFromPem(Pem("signer.pem") + Pem("intermediate.pem"), "chain.pem");
  ASSERT_TRUE(both.ok());
  ASSERT_EQ(both->size(), 2u);
  EXPECT_EQ((*both)[1].Subject(), "CN=custody test intermediate");
}

TEST(CertificateTest, KeyIsTheCertifiedKey) {
  auto key = PrivateKey::FromPem(Pem("signer.key"), "signer.key");
  ASSERT_TRUE(key.ok()) << key.error().message();
  auto certified = Load("signer.pem").Key();
  ASSERT_TRUE(certified.ok()) << certified.error().message();
  EXPECT_EQ(certified->ToDer(), key->Public().ToDer());
  EXPECT_EQ(certified->type(), KeyType::kEcdsaP256);
}

TEST(CertificateTest, MalformedInputGivesClearErrors) {
  struct Case {
    std::string text;
    const char* expect;
  };
  std::string pem = Pem("signer.pem");
  std::string body_cut = pem.substr(0, pem.size() / 2) + "\n-----END CERTIFICATE-----\n";
  const Case cases[] = {
      {"", "x.pem holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----')"},
      {Pem("signer.key"), "x.pem holds no PEM certificate"},
      {body_cut, "x.pem: cannot parse certificate 1: "},
      {pem + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "x.pem: cannot parse certificate 2: "},
  };
  for (const auto& c : cases) {
    auto r = Certificate::AllFromPem(c.text, "x.pem");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().kind(), ErrorKind::kInput);
    EXPECT_NE(r.error().message().find(c.expect), std::string::npos) << r.error().message();
  }
  std::string der = Load("signer.pem").ToDer();
  for (const std::string& bad : {std::string(), std::string("garbage"), der.substr(0, der.size() - 1)}) {
    auto r = Certificate::FromDer(bad, "/chain/0");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message().rfind("/chain/0: not a DER X.509 certificate", 0), 0u) << r.error().message();
  }
  auto trailing = Certificate::FromDer(der + "x", "/chain/0");
  ASSERT_FALSE(trailing.ok());
  EXPECT_EQ(trailing.error().message(), "/chain/0: trailing bytes after the DER certificate");
}

TEST(CertificateTest, SigningUsage) {
  EXPECT_TRUE(Load("signer.pem").AllowsSigning());    // digitalSignature
  EXPECT_TRUE(Load("codesign.pem").AllowsSigning());  // codeSigning only
  EXPECT_FALSE(Load("tls.pem").AllowsSigning());      // keyEncipherment + serverAuth
}

class ChainTest : public ::testing::Test {
 protected:
  Certificate root = Load("root.pem");
  Certificate other_root = Load("other-root.pem");
  Certificate intermediate = Load("intermediate.pem");
  Certificate leaf = Load("signer.pem");
  int64_t at = leaf.NotBefore();
};

TEST_F(ChainTest, ValidChainVerifies) {
  EXPECT_TRUE(VerifyCertificateChain(leaf, {intermediate}, {root}, at).ok());
  EXPECT_TRUE(VerifyCertificateChain(leaf, {intermediate}, {other_root, root}, at).ok());
}

TEST_F(ChainTest, BrokenChainsAreVerificationErrors) {
  struct Case {
    std::vector<Certificate> intermediates, trusted;
    int64_t at;
    const char* expect;
  };
  const Case cases[] = {
      {{intermediate}, {other_root}, at, "unable to get local issuer certificate"},
      {{}, {root}, at, "unable to get local issuer certificate"},
      // Trusting the intermediate alone is not enough: the chain must end at a root.
      {{}, {intermediate}, at, "unable to get issuer certificate"},
      {{intermediate}, {root}, leaf.NotAfter() + 1, "certificate has expired"},
      {{intermediate}, {root}, leaf.NotBefore() - 86400, "certificate is not yet valid"},
  };
  for (const auto& c : cases) {
    Status s = VerifyCertificateChain(leaf, c.intermediates, c.trusted, c.at);
    ASSERT_FALSE(s.ok()) << c.expect;
    EXPECT_EQ(s.error().kind(), ErrorKind::kVerification);
    EXPECT_NE(s.error().message().find(c.expect), std::string::npos) << s.error().message();
    EXPECT_EQ(s.error().message().rfind("the signing certificate CN=release signer,O=Example does not chain", 0), 0u)
        << s.error().message();
  }
  // A leaf cannot vouch for itself, and nothing trusted is an input error.
  EXPECT_FALSE(VerifyCertificateChain(leaf, {}, {leaf}, at).ok());
  Status none = VerifyCertificateChain(leaf, {intermediate}, {}, at);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind(), ErrorKind::kInput);
}

}  // namespace
}  // namespace custody
