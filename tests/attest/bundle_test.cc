#include "attest/bundle.h"

#include <gtest/gtest.h>

namespace custody {
namespace {

const char* kBundle = R"({
  "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
  "verificationMaterial": {"publicKey": {"hint": "abc"}, "tlogEntries": []},
  "dsseEnvelope": {"payload": "e30=", "payloadType": "application/vnd.in-toto+json",
                   "signatures": [{"sig": "AAAA", "keyid": "abc"}]}
})";

TEST(BundleTest, ParseAndSerialize) {
  auto b = Bundle::Parse(kBundle, "model.sig");
  ASSERT_TRUE(b.ok()) << b.error().message();
  EXPECT_EQ(b->public_key_hint, "abc");
  EXPECT_EQ(b->envelope.payload, "{}");
  Json j = b->ToJson();
  EXPECT_EQ(j["mediaType"], kBundleMediaTypeV03);
  EXPECT_EQ(j["verificationMaterial"]["tlogEntries"], Json::array());
  EXPECT_EQ(j["dsseEnvelope"]["signatures"][0]["keyid"], "abc");
  EXPECT_TRUE(Bundle::FromJson(j).ok());
}

TEST(BundleTest, ReadsModelSigning10RawBytesForm) {
  Json j = Json::parse(kBundle);
  j["verificationMaterial"]["publicKey"] = {{"rawBytes", "aGVsbG8="}};
  auto b = Bundle::FromJson(j);
  ASSERT_TRUE(b.ok()) << b.error().message();
  EXPECT_EQ(b->public_key_raw.value_or(""), "hello");
  EXPECT_EQ(b->public_key_hint, "");
}

// Protobuf's JSON mapping and Python writers use null for a field that is not
// set: model_signing 1.0 writes "keyid": null, others a null hint.
TEST(BundleTest, NullOptionalFieldsMeanNotSet) {
  Json j = Json::parse(kBundle);
  j["dsseEnvelope"]["signatures"][0]["keyid"] = nullptr;
  j["verificationMaterial"]["publicKey"]["hint"] = nullptr;
  j["verificationMaterial"]["publicKey"]["rawBytes"] = nullptr;
  auto b = Bundle::FromJson(j);
  ASSERT_TRUE(b.ok()) << b.error().message();
  EXPECT_EQ(b->envelope.signatures.at(0).keyid, "");
  EXPECT_EQ(b->public_key_hint, "");
  EXPECT_FALSE(b->public_key_raw.has_value());

  j["dsseEnvelope"]["signatures"][0].erase("keyid");
  EXPECT_TRUE(Bundle::FromJson(j).ok());
  // A null where a value is required is still an error.
  j["dsseEnvelope"]["signatures"][0]["sig"] = nullptr;
  auto bad = Bundle::FromJson(j);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "/dsseEnvelope/signatures/0/sig: expected a string, found null");
}

TEST(BundleTest, CertificateChainRoundTrip) {
  Json j = Json::parse(kBundle);
  j["verificationMaterial"] = Json::parse(
      R"({"x509CertificateChain": {"certificates": [{"rawBytes": "bGVhZg=="}, {"rawBytes": "Y2E="}]}})");
  auto b = Bundle::FromJson(j);
  ASSERT_TRUE(b.ok()) << b.error().message();
  EXPECT_EQ(b->certificate_chain, (std::vector<std::string>{"leaf", "ca"}));
  Json out = b->ToJson();
  EXPECT_EQ(out["verificationMaterial"]["x509CertificateChain"], j["verificationMaterial"]["x509CertificateChain"]);
  EXPECT_FALSE(out["verificationMaterial"].contains("publicKey"));

  j["verificationMaterial"] = Json::parse(R"({"certificate": {"rawBytes": "ZnVsY2lv"}, "tlogEntries": []})");
  b = Bundle::FromJson(j);
  ASSERT_TRUE(b.ok()) << b.error().message();
  EXPECT_EQ(b->sigstore_certificate.value_or(""), "fulcio");
}

TEST(BundleTest, MalformedBundlesGiveLocatedErrors) {
  struct Case {
    std::string text;
    const char* expect;
  };
  std::string full = kBundle;
  const Case cases[] = {
      {"", "model.sig:1:1: invalid JSON"},
      {full.substr(0, full.size() / 2), "model.sig:"},  // truncated
      {"[]", "expected an object, found an array"},
      {R"({"mediaType": 3})", "/mediaType: expected a string, found a number"},
      {R"({"mediaType": "application/json"})", "/mediaType: unsupported bundle media type"},
      {R"({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json"})",
       "/verificationMaterial: required field is missing"},
      {R"({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "verificationMaterial": {}})",
       "/verificationMaterial: has no publicKey"},
      {R"({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
           "verificationMaterial": {"publicKey": {"hint": 1}}})",
       "/verificationMaterial/publicKey/hint: expected a string"},
      {R"({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
           "verificationMaterial": {"x509CertificateChain": {"certificates": []}}})",
       "/verificationMaterial/x509CertificateChain/certificates: the chain holds no certificate"},
      {R"({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
           "verificationMaterial": {"x509CertificateChain": {"certificates": [{}]}}})",
       "/verificationMaterial/x509CertificateChain/certificates/0/rawBytes: required field is missing"},
      {R"({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
           "verificationMaterial": {"x509CertificateChain": {"certificates": [{"rawBytes": "!!"}]}}})",
       "/verificationMaterial/x509CertificateChain/certificates/0/rawBytes: "},
      {R"({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
           "verificationMaterial": {"certificate": "MIIB"}})",
       "/verificationMaterial/certificate: expected an object, found a string"},
      {R"({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
           "verificationMaterial": {"publicKey": {}}, "messageSignature": {}})",
       "this bundle signs a blob, not a model"},
      {R"({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
           "verificationMaterial": {"publicKey": {}}, "dsseEnvelope": []})",
       "/dsseEnvelope: expected an object, found an array"},
  };
  for (const auto& c : cases) {
    auto b = Bundle::Parse(c.text, "model.sig");
    ASSERT_FALSE(b.ok()) << c.text;
    EXPECT_NE(b.error().message().find(c.expect), std::string::npos) << b.error().message();
    EXPECT_EQ(b.error().message().rfind("model.sig", 0), 0u) << "errors name the file: " << b.error().message();
    EXPECT_EQ(b.error().kind(), ErrorKind::kInput);
  }
}

// Every prefix of a valid bundle is either parsed or rejected cleanly.
TEST(BundleTest, EveryTruncationIsHandled) {
  std::string full = kBundle;
  for (size_t n = 0; n < full.size(); ++n) {
    auto b = Bundle::Parse(full.substr(0, n), "x");
    EXPECT_FALSE(b.ok()) << n;
  }
}

}  // namespace
}  // namespace custody
