#include "tlog/rekor.h"

#include <gtest/gtest.h>

#include "core/encoding.h"
#include "crypto/digest.h"

namespace custody::tlog {
namespace {

// The hashedrekord 0.0.2 entry of the example in sigstore/rekor-tiles'
// CLIENTS.md ("Rekor v2, the bash way"), whose canonicalized body is below.
// That example predates the rename of the spec field to hashedRekordV002 (the
// name in rekor-tiles' entry.proto and in @sigstore/protobuf-specs), so the
// field is renamed here; every other byte is the log's.
const char* kRekorBody =
    R"({"apiVersion":"0.0.2","kind":"hashedrekord","spec":{"hashedRekordV002":{"data":{"algorithm":"SHA2_256",)"
    R"("digest":"dyj4ednYHjN4/zsjjBeeLahS9slp97Z67LTAVxjrjXw="},"signature":{"content":"MEQCIB+YPa9o3SN0sQ4uduGf+m)"
    R"(ZxwFfOhFZ0Cgy+p7Vt1o2SAiAPFDHqOAJLYmvtCWOsDyNY1H4V3zm4NEDYs3NyvHh1Pg==","verifier":{"keyDetails":"PKIX_EC)"
    R"(DSA_P256_SHA_256","publicKey":{"rawBytes":"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2slOf8eZcj2moW2t4UFj7vCL6QpDz)"
    R"(kDqqSUmm4OJCVvIauKLxm0aGs3VMPPfauMPaMutn0/s3jg0rroFxoicyg=="}}}}}})";

HashedRekord RekorExample() {
  HashedRekord r;
  r.digest = Base64Decode("dyj4ednYHjN4/zsjjBeeLahS9slp97Z67LTAVxjrjXw=").value();
  r.signature = Base64Decode(
                    "MEQCIB+YPa9o3SN0sQ4uduGf+mZxwFfOhFZ0Cgy+p7Vt1o2SAiAPFDHqOAJLYmvtCWOsDyNY1H4V3zm4NEDYs3NyvHh1Pg==")
                    .value();
  r.key_details = "PKIX_ECDSA_P256_SHA_256";
  r.public_key_der = Base64Decode(
                         "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2slOf8eZcj2moW2t4UFj7vCL6QpDzkDqqSUmm4OJCVvIauKLxm0aGs3VMPP"
                         "fauMPaMutn0/s3jg0rroFxoicyg==")
                         .value();
  return r;
}

TEST(RekorTest, CanonicalizedBodyIsRekorV2s) {
  EXPECT_EQ(CanonicalizedBody(RekorExample()), kRekorBody);
}

TEST(RekorTest, BodiesRoundTrip) {
  auto parsed = ParseHashedRekord(kRekorBody);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  HashedRekord want = RekorExample();
  EXPECT_EQ(parsed->digest_algorithm, "SHA2_256");
  EXPECT_EQ(parsed->digest, want.digest);
  EXPECT_EQ(parsed->signature, want.signature);
  EXPECT_EQ(parsed->key_details, want.key_details);
  EXPECT_EQ(parsed->public_key_der, want.public_key_der);
  EXPECT_TRUE(parsed->certificate_der.empty());

  HashedRekord cert = want;
  cert.public_key_der.clear();
  cert.certificate_der = "certificate DER";
  std::string body = CanonicalizedBody(cert);
  EXPECT_NE(body.find(R"("verifier":{"keyDetails":"PKIX_ECDSA_P256_SHA_256","x509Certificate":{"rawBytes":")"),
            std::string::npos)
      << body;
  auto back = ParseHashedRekord(body);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back->certificate_der, "certificate DER");
  EXPECT_TRUE(back->public_key_der.empty());
}

TEST(RekorTest, MalformedBodiesNameTheirPath) {
  struct Case {
    std::string body;
    const char* expect;
  };
  std::string good = kRekorBody;
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  const Case cases[] = {
      {"not json", "the entry body"},
      {"[]", "not a JSON object"},
      {replace(R"("kind":"hashedrekord")", R"("kind":"dsse")"), "the entry is dsse 0.0.2"},
      {replace(R"("apiVersion":"0.0.2")", R"("apiVersion":"0.0.1")"), "the entry is hashedrekord 0.0.1"},
      {replace("hashedRekordV002", "hashedRekordV0_0_2"), "/spec/hashedRekordV002: required field is missing"},
      {replace(R"("digest":"dyj4)", R"("digest":"!yj4)"), "/spec/hashedRekordV002/data/digest: not base64"},
      {replace(R"("content")", R"("contents")"), "/spec/hashedRekordV002/signature/content: required field"},
      {replace(R"("publicKey")", R"("key")"), "/spec/hashedRekordV002/signature/verifier: has neither"},
  };
  for (const auto& c : cases) {
    auto r = ParseHashedRekord(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_NE(r.error().message().find(c.expect), std::string::npos) << r.error().message();
    EXPECT_EQ(r.error().kind(), ErrorKind::kInput);
  }
}

// The log ID is what Rekor v2 computes for an Ed25519 log key, and its first
// four bytes are the key ID in the log's checkpoint signatures: Sigstore
// verifiers find a checkpoint's key through them.
TEST(RekorTest, LogIdExtendsTheNoteKeyId) {
  auto key = PrivateKey::Generate(KeyType::kEd25519).value();
  auto signer = NoteSigner::Create("custody.test/log", key).value();
  auto id = LogId(signer.verifier());
  ASSERT_TRUE(id.ok()) << id.error().message();
  ASSERT_EQ(id->size(), 32u);
  std::string raw = signer.verifier().public_key().RawEd25519().value();
  EXPECT_EQ(*id, Sha256("custody.test/log\n\x01" + raw));
  uint32_t prefix = (uint32_t{static_cast<unsigned char>((*id)[0])} << 24) |
                    (uint32_t{static_cast<unsigned char>((*id)[1])} << 16) |
                    (uint32_t{static_cast<unsigned char>((*id)[2])} << 8) | static_cast<unsigned char>((*id)[3]);
  EXPECT_EQ(prefix, signer.verifier().key_id());
}

TEST(RekorTest, TrustedRootNamesTheLog) {
  auto key = PrivateKey::Generate(KeyType::kEd25519).value();
  auto signer = NoteSigner::Create("custody.test/log", key).value();
  auto root = TrustedRoot(signer.verifier(), "https://custody.test/log", "2026-01-02T03:04:05Z");
  ASSERT_TRUE(root.ok()) << root.error().message();
  EXPECT_EQ((*root)["mediaType"], "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
  ASSERT_EQ((*root)["tlogs"].size(), 1u);
  const Json& t = (*root)["tlogs"][0];
  EXPECT_EQ(t["baseUrl"], "https://custody.test/log");
  EXPECT_EQ(t["hashAlgorithm"], "SHA2_256");
  EXPECT_EQ(t["publicKey"]["keyDetails"], "PKIX_ED25519");
  EXPECT_EQ(t["publicKey"]["validFor"]["start"], "2026-01-02T03:04:05Z");
  EXPECT_EQ(Base64Decode(t["publicKey"]["rawBytes"].get<std::string>()).value(), key.Public().ToDer());
  EXPECT_EQ(Base64Decode(t["logId"]["keyId"].get<std::string>()).value(), LogId(signer.verifier()).value());
  EXPECT_TRUE((*root)["certificateAuthorities"].empty());
  EXPECT_TRUE((*root)["ctlogs"].empty());
  EXPECT_TRUE((*root)["timestampAuthorities"].empty());
}

TEST(RekorTest, KeyDetailsOfCustodyKeys) {
  EXPECT_STREQ(KeyDetailsName(KeyType::kEcdsaP256), "PKIX_ECDSA_P256_SHA_256");
  EXPECT_STREQ(KeyDetailsName(KeyType::kEcdsaP384), "PKIX_ECDSA_P384_SHA_384");
  EXPECT_STREQ(KeyDetailsName(KeyType::kEcdsaP521), "PKIX_ECDSA_P521_SHA_512");
  EXPECT_STREQ(KeyDetailsName(KeyType::kEd25519), "PKIX_ED25519");
}

}  // namespace
}  // namespace custody::tlog
