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

// A Rekor v2 style entry, as `custody sign --log` writes it.
Json LoggedBundle() {
  Json j = Json::parse(kBundle);
  j["verificationMaterial"]["tlogEntries"] = Json::parse(R"([{
    "logIndex": "3",
    "logId": {"keyId": "YRA3JTOwp432q4JQ3NHuqr7LCaG5PIRWLoQW5TUHvB0="},
    "kindVersion": {"kind": "hashedrekord", "version": "0.0.2"},
    "integratedTime": "0",
    "inclusionProof": {
      "logIndex": "3",
      "rootHash": "I6TJ3EgZBUhUXxcRo5ZGBXRalzhgAHHwOu5PW42jnz8=",
      "treeSize": "4",
      "hashes": ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="],
      "checkpoint": {"envelope": "o\n4\nI6TJ3EgZBUhUXxcRo5ZGBXRalzhgAHHwOu5PW42jnz8=\n\n\u2014 o AAAAAA==\n"}
    },
    "canonicalizedBody": "e30="
  }])");
  return j;
}

TEST(BundleTest, TlogEntriesRoundTrip) {
  Json j = LoggedBundle();
  auto b = Bundle::FromJson(j);
  ASSERT_TRUE(b.ok()) << b.error().message();
  ASSERT_EQ(b->tlog_entries.size(), 1u);
  const TlogEntry& e = b->tlog_entries[0];
  EXPECT_EQ(e.log_index, 3u);
  EXPECT_EQ(e.log_id.size(), 32u);
  EXPECT_EQ(e.kind, "hashedrekord");
  EXPECT_EQ(e.version, "0.0.2");
  EXPECT_EQ(e.integrated_time, 0);
  EXPECT_EQ(e.canonicalized_body, "{}");
  ASSERT_TRUE(e.inclusion_proof.has_value());
  EXPECT_EQ(e.inclusion_proof->tree_size, 4u);
  EXPECT_EQ(e.inclusion_proof->hashes.size(), 2u);
  EXPECT_EQ(e.inclusion_proof->hashes[1], std::string(32, '\x01'));
  EXPECT_EQ(e.inclusion_proof->checkpoint.substr(0, 4), "o\n4\n");
  EXPECT_FALSE(e.inclusion_promise.has_value());
  // Written back exactly as read (the JSON mapping's strings for int64, base64 bytes).
  EXPECT_EQ(b->ToJson(), j);
}

// Integers may be numbers; Rekor v1 entries (inclusion promise, integrated
// time) are read and written back.
TEST(BundleTest, ReadsRekorV1EntriesAndNumericIntegers) {
  Json j = LoggedBundle();
  Json& e = j["verificationMaterial"]["tlogEntries"][0];
  e["logIndex"] = 25579;
  e["integratedTime"] = "1700000000";
  e["inclusionPromise"] = {{"signedEntryTimestamp", "c2V0"}};
  e["inclusionProof"]["hashes"] = nullptr;
  auto b = Bundle::FromJson(j);
  ASSERT_TRUE(b.ok()) << b.error().message();
  EXPECT_EQ(b->tlog_entries[0].log_index, 25579u);
  EXPECT_EQ(b->tlog_entries[0].integrated_time, 1700000000);
  EXPECT_EQ(b->tlog_entries[0].inclusion_promise.value_or(""), "set");
  EXPECT_TRUE(b->tlog_entries[0].inclusion_proof->hashes.empty());
  Json out = b->ToJson();
  EXPECT_EQ(out["verificationMaterial"]["tlogEntries"][0]["logIndex"], "25579");
  EXPECT_EQ(out["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"]["signedEntryTimestamp"], "c2V0");
}

// A bundle without entries is written byte for byte as before: "tlogEntries": [].
TEST(BundleTest, BundlesWithoutEntriesAreUnchanged) {
  Json j = Json::parse(kBundle);
  std::string text = j.dump(2);
  auto b = Bundle::Parse(text, "model.sig");
  ASSERT_TRUE(b.ok()) << b.error().message();
  EXPECT_TRUE(b->tlog_entries.empty());
  EXPECT_EQ(b->ToJson().dump(2), text);
  // An absent tlogEntries (model_signing 1.0.x) reads as none.
  j["verificationMaterial"].erase("tlogEntries");
  b = Bundle::FromJson(j);
  ASSERT_TRUE(b.ok()) << b.error().message();
  EXPECT_TRUE(b->tlog_entries.empty());
}

TEST(BundleTest, MalformedTlogEntriesGiveJsonPaths) {
  struct Case {
    const char* edit;  // JSON merge patch of the first entry
    const char* expect;
  };
  const Case cases[] = {
      {R"({"logIndex": "three"})", "/verificationMaterial/tlogEntries/0/logIndex: expected a non-negative integer"},
      {R"({"logIndex": -1})", "/verificationMaterial/tlogEntries/0/logIndex: expected a non-negative integer"},
      {R"({"logIndex": null})", "/verificationMaterial/tlogEntries/0/logIndex: required field is missing"},
      {R"({"logId": {"keyId": "!!"}})", "/verificationMaterial/tlogEntries/0/logId/keyId"},
      {R"({"logId": "abc"})", "/verificationMaterial/tlogEntries/0/logId: expected an object"},
      {R"({"kindVersion": {"kind": 1}})", "/verificationMaterial/tlogEntries/0/kindVersion/kind: expected a string"},
      {R"({"integratedTime": true})", "/verificationMaterial/tlogEntries/0/integratedTime"},
      {R"({"inclusionProof": {"treeSize": "x"}})", "/verificationMaterial/tlogEntries/0/inclusionProof/treeSize"},
      {R"({"inclusionProof": {"rootHash": null}})", "/verificationMaterial/tlogEntries/0/inclusionProof/rootHash"},
      {R"({"inclusionProof": {"hashes": {}}})", "/verificationMaterial/tlogEntries/0/inclusionProof/hashes: expected an array"},
      {R"({"inclusionProof": {"hashes": ["AA==", 5]}})", "/verificationMaterial/tlogEntries/0/inclusionProof/hashes/1: expected a string"},
      {R"({"inclusionProof": {"checkpoint": null}})", "/verificationMaterial/tlogEntries/0/inclusionProof/checkpoint: required field is missing"},
      {R"({"inclusionProof": {"checkpoint": {"envelope": 3}}})", "/verificationMaterial/tlogEntries/0/inclusionProof/checkpoint/envelope"},
      {R"({"inclusionPromise": {"signedEntryTimestamp": "%%"}})", "/verificationMaterial/tlogEntries/0/inclusionPromise/signedEntryTimestamp"},
      {R"({"canonicalizedBody": null})", "/verificationMaterial/tlogEntries/0/canonicalizedBody: required field is missing"},
  };
  for (const auto& c : cases) {
    Json j = LoggedBundle();
    j["verificationMaterial"]["tlogEntries"][0].merge_patch(Json::parse(c.edit));
    auto b = Bundle::Parse(j.dump(), "model.sig");
    ASSERT_FALSE(b.ok()) << c.edit;
    EXPECT_NE(b.error().message().find(c.expect), std::string::npos) << c.edit << ": " << b.error().message();
    EXPECT_EQ(b.error().kind(), ErrorKind::kInput);
  }
  Json j = LoggedBundle();
  j["verificationMaterial"]["tlogEntries"] = Json::array({"entry"});
  auto b = Bundle::FromJson(j);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message().find("/verificationMaterial/tlogEntries/0: expected an object"), std::string::npos)
      << b.error().message();
  j["verificationMaterial"]["tlogEntries"] = Json::object();
  b = Bundle::FromJson(j);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message().find("/verificationMaterial/tlogEntries: expected an array"), std::string::npos)
      << b.error().message();
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
