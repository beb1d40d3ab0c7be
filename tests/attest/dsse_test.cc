#include "attest/dsse.h"

#include <gtest/gtest.h>

namespace custody {
namespace {

// The example from the DSSE v1 protocol specification.
TEST(DsseTest, PreAuthEncodingSpecExample) {
  EXPECT_EQ(PreAuthEncoding("http://example.com/HelloWorld", "hello world"),
            "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
}

TEST(DsseTest, PreAuthEncodingCountsBytesNotCharacters) {
  EXPECT_EQ(PreAuthEncoding("t", std::string("\xc3\xa9\0x", 4)), std::string("DSSEv1 1 t 4 \xc3\xa9\0x", 17));
  EXPECT_EQ(PreAuthEncoding("", ""), "DSSEv1 0  0 ");
}

// Expected strings printed by Python 3: f"DSSEV1 {len(t)} {t} {len(p)} {p}"
// for bytes p, which is what model_signing 0.2 signed.
TEST(DsseTest, LegacyModelSigningEncodingIsPythonsBytesRepr) {
  const std::string t = "application/vnd.in-toto+json";
  EXPECT_EQ(LegacyModelSigningPreAuthEncoding(t, "{\"a\": 1}\n"),
            R"(DSSEV1 28 application/vnd.in-toto+json 9 b'{"a": 1}\n')");
  EXPECT_EQ(LegacyModelSigningPreAuthEncoding(t, std::string("it's\t\\ \x00\xff\r", 10)),
            R"(DSSEV1 28 application/vnd.in-toto+json 10 b"it's\t\\ \x00\xff\r")");
  EXPECT_EQ(LegacyModelSigningPreAuthEncoding(t, "both ' and \""),
            R"(DSSEV1 28 application/vnd.in-toto+json 12 b'both \' and "')");
}

TEST(DsseTest, EnvelopeJsonRoundTrip) {
  Envelope e{"application/vnd.in-toto+json", std::string("{\"a\":1}\0", 8), {{"kid", std::string("\x00\xff", 2)}}};
  Json j = e.ToJson();
  EXPECT_EQ(j["payloadType"], "application/vnd.in-toto+json");
  EXPECT_EQ(j["signatures"][0]["sig"], "AP8=");
  auto back = Envelope::FromJson(j, "/e");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->payload, e.payload);
  EXPECT_EQ(back->signatures[0].sig, e.signatures[0].sig);
  EXPECT_EQ(back->signatures[0].keyid, "kid");
}

TEST(DsseTest, MalformedEnvelopes) {
  auto parse = [](const char* text) { return Envelope::FromJson(Json::parse(text), "/dsseEnvelope"); };
  auto r = parse(R"({"payloadType": "t", "signatures": []})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "/dsseEnvelope/payload: required field is missing");
  r = parse(R"({"payload": "not base64!", "payloadType": "t", "signatures": []})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("/dsseEnvelope/payload: invalid base64"), std::string::npos);
  r = parse(R"({"payload": "", "payloadType": "t", "signatures": [{"keyid": ""}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "/dsseEnvelope/signatures/0/sig: required field is missing");
  r = parse(R"({"payload": "", "payloadType": "t", "signatures": [{"sig": "", "keyid": 3}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "/dsseEnvelope/signatures/0/keyid: expected a string, found a number");
  r = parse(R"({"payload": "", "payloadType": "t", "signatures": {}})");
  ASSERT_FALSE(r.ok());
}

}  // namespace
}  // namespace custody
