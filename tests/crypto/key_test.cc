#include "crypto/key.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace custody {
namespace {

class KeyTypeTest : public ::testing::TestWithParam<KeyType> {};

TEST_P(KeyTypeTest, PemRoundTripSignVerify) {
  auto key = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.ok());
  std::string pem = key->ToPem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  auto loaded = PrivateKey::FromPem(pem, "k.key");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_EQ(loaded->type(), GetParam());

  std::string pub_pem = key->Public().ToPem();
  EXPECT_EQ(pub_pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  auto pub = PublicKey::FromPem(pub_pem, "k.pub");
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->type(), GetParam());

  auto sig = loaded->Sign("message");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(pub->Verify("message", *sig));
  EXPECT_FALSE(pub->Verify("messagf", *sig));
  std::string bad = *sig;
  bad[bad.size() / 2] ^= 1;
  EXPECT_FALSE(pub->Verify("message", bad));
  EXPECT_FALSE(pub->Verify("message", ""));

  auto other = PrivateKey::Generate(GetParam());
  EXPECT_FALSE(other->Public().Verify("message", *sig));

  auto der = PublicKey::FromDer(pub->ToDer(), "der");
  ASSERT_TRUE(der.ok());
  EXPECT_TRUE(der->Verify("message", *sig));
}

TEST_P(KeyTypeTest, SignatureEncoding) {
  auto key = PrivateKey::Generate(GetParam());
  auto sig = key->Sign("x");
  ASSERT_TRUE(sig.ok());
  if (GetParam() == KeyType::kEd25519) {
    EXPECT_EQ(sig->size(), 64u);  // raw
  } else {
    EXPECT_EQ(static_cast<unsigned char>((*sig)[0]), 0x30);  // DER SEQUENCE
  }
}

INSTANTIATE_TEST_SUITE_P(AllTypes, KeyTypeTest,
                         ::testing::Values(KeyType::kEcdsaP256, KeyType::kEcdsaP384, KeyType::kEcdsaP521, KeyType::kEd25519),
                         [](const auto& info) {
                           std::string n = KeyTypeName(info.param);
                           n.erase(std::remove(n.begin(), n.end(), '-'), n.end());
                           return n;
                         });

TEST(KeyTest, RejectsWrongKindsOfInput) {
  auto priv = PrivateKey::Generate(KeyType::kEd25519);
  auto as_pub = PublicKey::FromPem(priv->ToPem(), "k.key");
  ASSERT_FALSE(as_pub.ok());
  EXPECT_NE(as_pub.error().message().find("holds a private key"), std::string::npos);

  auto as_priv = PrivateKey::FromPem(priv->Public().ToPem(), "k.pub");
  ASSERT_FALSE(as_priv.ok());
  EXPECT_NE(as_priv.error().message().find("holds a public key"), std::string::npos);

  EXPECT_FALSE(PublicKey::FromPem("hello", "x").ok());
  EXPECT_FALSE(PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "x").ok());
  EXPECT_FALSE(PrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----\n", "x").ok());
  EXPECT_FALSE(PublicKey::FromDer("\x30\x03\x02\x01", "x").ok());
}

TEST(KeyTest, RejectsUnsupportedAlgorithms) {
  EVP_PKEY* rsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  ASSERT_NE(rsa, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, rsa);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(rsa);
  auto r = PublicKey::FromPem(pem, "rsa.pub");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("RSA keys are not supported"), std::string::npos) << r.error().message();

  EVP_PKEY* k1 = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1");
  ASSERT_NE(k1, nullptr);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, k1);
  len = BIO_get_mem_data(bio, &data);
  pem.assign(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(k1);
  auto k = PublicKey::FromPem(pem, "k1.pub");
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.error().message().find("secp256k1 is not supported"), std::string::npos) << k.error().message();
}

TEST(KeyTest, TypeNames) {
  EXPECT_EQ(*ParseKeyType("ecdsa-p384"), KeyType::kEcdsaP384);
  EXPECT_EQ(*ParseKeyType("ecdsa-p521"), KeyType::kEcdsaP521);
  EXPECT_FALSE(ParseKeyType("rsa").ok());
}

}  // namespace
}  // namespace custody
