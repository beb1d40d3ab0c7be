// Tests for providers.aws.sign_req, from OPA's conformance cases
// (test/cases/testdata/v1/providers-aws): the signatures there were computed
// by OPA.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

constexpr int64_t kTime = 1451311705000000000;  // 2015-12-28T14:08:25Z

class AwsTest : public ::testing::Test {
 protected:
  AwsTest() { RegisterProvidersAws(table_); }

  Result<Value> Sign(const Value& req, const Value& config, const Value& time = Value::Int(kTime)) {
    const Builtin* b = table_.Find("providers.aws.sign_req");
    EXPECT_NE(b, nullptr);
    EXPECT_EQ(b->arity, 3);
    std::vector<Value> args = {req, config, time};
    return b->fn(args, ctx_);
  }
  Value Signed(std::string_view req, std::string_view config) {
    auto r = Sign(J(req), J(config));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
    return r.ok() ? *r : Value();
  }
  std::string Err(const Value& req, const Value& config, const Value& time = Value::Int(kTime)) {
    auto r = Sign(req, config, time);
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.error().message();
  }
  static Value J(std::string_view json) {
    auto v = ParseJsonValue(json, "test");
    EXPECT_TRUE(v.ok()) << json;
    return v.ok() ? *v : Value();
  }
  static std::string Header(const Value& signed_req, std::string_view name) {
    const Value* headers = signed_req.FindKey("headers");
    const Value* h = headers != nullptr ? headers->FindKey(name) : nullptr;
    return h != nullptr && h->is_string() ? h->as_string() : "<missing>";
  }

  static constexpr std::string_view kConfig =
      R"({"aws_access_key": "MYAWSACCESSKEYGOESHERE", "aws_secret_access_key": "MYAWSSECRETACCESSKEYGOESHERE",
          "aws_service": "s3", "aws_region": "us-east-1"})";

  BuiltinTable table_;
  BuiltinContext ctx_;
};

TEST_F(AwsTest, NoBody) {
  Value out = Signed(R"({"method": "get", "url": "http://example.com"})", kConfig);
  std::string auth =
      "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
      "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
      "Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3";
  Value want = J(R"({"headers": {"Authorization": ")" + auth + R"(", "host": "example.com",
      "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "x-amz-date": "20151228T140825Z"}, "method": "get", "url": "http://example.com"})");
  EXPECT_EQ(out, want) << out.ToJson();
}

TEST_F(AwsTest, WithHeaders) {
  Value out = Signed(R"({"method": "get", "url": "http://example.com", "headers": {"foo": "bar"}})", kConfig);
  EXPECT_EQ(Header(out, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
            "SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,"
            "Signature=8f1dc7c9b9978356a0d0989fd26a95307f4f8a4aa264d8220647b7097d839952");
  EXPECT_EQ(Header(out, "foo"), "bar");
  EXPECT_EQ(out.FindKey("headers")->size(), 5u);
}

TEST_F(AwsTest, SessionToken) {
  Value out = Signed(R"({"method": "get", "url": "http://example.com"})",
                     R"({"aws_access_key": "MYAWSACCESSKEYGOESHERE",
                         "aws_secret_access_key": "MYAWSSECRETACCESSKEYGOESHERE",
                         "aws_session_token": "MYAWSSECURITYTOKENGOESHERE", "aws_service": "s3",
                         "aws_region": "us-east-1"})");
  EXPECT_EQ(Header(out, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"
            "Signature=23c31bda8a74630c0a94f6b82a3511e7e74728df98e6f54ed0840488dbbdc8d1");
  EXPECT_EQ(Header(out, "x-amz-security-token"), "MYAWSSECURITYTOKENGOESHERE");
}

TEST_F(AwsTest, BodyAndRawBody) {
  // The body is signed as its JSON text, sets as arrays.
  Value body_req = J(R"({"method": "get", "url": "http://example.com"})");
  ObjectEntries e = body_req.object();
  e.emplace_back(Value::String("body"),
                 Value::Object({{Value::String("example"),
                                 Value::Set({Value::Int(1), Value::Int(2), Value::Int(3), Value::Int(4)})}}));
  auto out = Sign(Value::Object(e), J(kConfig));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Header(*out, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
            "Signature=5fb06ab1cfd74c8fcb3af95b8cce696708cf6155d971dac10f254d79799c6e88");
  EXPECT_EQ(Header(*out, "x-amz-content-sha256"),
            "bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07");
  EXPECT_NE(out->FindKey("body"), nullptr);  // the rest of the request is kept

  Value raw = Signed(R"({"method": "get", "url": "http://example.com",
                         "raw_body": "{\"example\": {1, 2, 3, 4}}"})",
                     kConfig);
  EXPECT_EQ(Header(raw, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
            "Signature=5bf26e169cb8b02330dba39d53932532438fc856c2f10537689a09ed807c7195");
  EXPECT_EQ(Header(raw, "x-amz-content-sha256"),
            "22906461e2a98a3e780d0fd260e341bed5e544661e97c5936fc7f3af11aaad8b");

  // raw_body wins over body.
  e.emplace_back(Value::String("raw_body"), Value::String("{\"example\": {1, 2, 3, 4}}"));
  auto both = Sign(Value::Object(e), J(kConfig));
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(Header(*both, "Authorization"), Header(raw, "Authorization"));
}

TEST_F(AwsTest, PayloadSigning) {
  std::string with = R"({"aws_access_key": "MYAWSACCESSKEYGOESHERE",
      "aws_secret_access_key": "MYAWSSECRETACCESSKEYGOESHERE", "aws_service": "s3", "aws_region": "us-east-1",
      "disable_payload_signing": false})";
  std::string without = R"({"aws_access_key": "MYAWSACCESSKEYGOESHERE",
      "aws_secret_access_key": "MYAWSSECRETACCESSKEYGOESHERE", "aws_service": "s3", "aws_region": "us-east-1",
      "disable_payload_signing": true})";
  std::string req = R"({"method": "get", "url": "https://example.com", "headers": {"foo": "bar"}})";
  EXPECT_EQ(Header(Signed(req, with), "Authorization"),
            "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
            "SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,"
            "Signature=8f1dc7c9b9978356a0d0989fd26a95307f4f8a4aa264d8220647b7097d839952");
  Value unsigned_payload = Signed(req, without);
  EXPECT_EQ(Header(unsigned_payload, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
            "SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,"
            "Signature=c6e6db654e92172f71e18c714c123711de069ac6fd7df1348e5b28fd05532028");
  EXPECT_EQ(Header(unsigned_payload, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");

  std::string body_req = R"({"method": "get", "url": "https://example.com", "headers": {"foo": "bar"},
                             "body": {"example": [1, 2, 3, 4]}})";
  EXPECT_EQ(Header(Signed(body_req, with), "Authorization"),
            "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
            "SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,"
            "Signature=f6703a8727ec0a32f81b225a002f622e511e8a7d2ca8914894fcbb7a71d8d9d8");
  EXPECT_EQ(Header(Signed(body_req, without), "Authorization"),
            "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
            "SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,"
            "Signature=c6e6db654e92172f71e18c714c123711de069ac6fd7df1348e5b28fd05532028");
}

TEST_F(AwsTest, ExistingShaHeaderIsSignedThenReplaced) {
  std::string req = R"({"method": "get", "url": "https://example.com",
      "headers": {"foo": "bar", "x-amz-content-sha256": "existing-value"},
      "body": {"example": [1, 2, 3, 4]}})";
  std::string with = R"({"aws_access_key": "MYAWSACCESSKEYGOESHERE",
      "aws_secret_access_key": "MYAWSSECRETACCESSKEYGOESHERE", "aws_service": "s3", "aws_region": "us-east-1",
      "disable_payload_signing": false})";
  std::string without = R"({"aws_access_key": "MYAWSACCESSKEYGOESHERE",
      "aws_secret_access_key": "MYAWSSECRETACCESSKEYGOESHERE", "aws_service": "s3", "aws_region": "us-east-1",
      "disable_payload_signing": true})";
  Value a = Signed(req, with);
  EXPECT_EQ(Header(a, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
            "SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,"
            "Signature=42bcac7fc6d170e09be72fdf38b62e59361265bc59d5f9156f0d6faf889e98ba");
  EXPECT_EQ(Header(a, "x-amz-content-sha256"),
            "bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07");
  Value b = Signed(req, without);
  EXPECT_EQ(Header(b, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
            "SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,"
            "Signature=edcd3ca3fd3acdfbcecad1a1d8062dbc6562d90352e294c336f9727397f9c383");
  EXPECT_EQ(Header(b, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
}

TEST_F(AwsTest, OtherServicesAndPaths) {
  // Only s3 and glacier get the payload hash header; the path and query are
  // signed as Go escapes them; ignored headers are not signed.
  Value out = Signed(R"({"method": "POST", "url": "https://sts.amazonaws.com:8443/a%2Fb/c d?Action=x&b=1",
                         "headers": {"User-Agent": "opa", "X-Custom": "v"}})",
                     R"({"aws_access_key": "AK", "aws_secret_access_key": "SK", "aws_service": "sts",
                         "aws_region": "us-east-1"})");
  EXPECT_EQ(Header(out, "x-amz-content-sha256"), "<missing>");
  EXPECT_EQ(Header(out, "host"), "sts.amazonaws.com:8443");
  std::string auth = Header(out, "Authorization");
  EXPECT_NE(auth.find("SignedHeaders=host;x-amz-date;x-custom,"), std::string::npos) << auth;
  EXPECT_EQ(Header(out, "User-Agent"), "opa");
}

TEST_F(AwsTest, Errors) {
  const std::string type_error = "eval_type_error: providers.aws.sign_req: ";
  const std::string all_keys = R"({"aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"})";
  Value config = J(kConfig);
  Value req = J(R"({"method": "get", "url": "http://example.com"})");
  EXPECT_EQ(Err(J("{}"), config),
            type_error + R"(operand 1 missing required request parameters(s): {"method", "url"})");
  Value bad_types = Value::Object(
      {{Value::String("method"), Value::EmptySet()}, {Value::String("url"), Value::EmptySet()}});
  EXPECT_EQ(Err(bad_types, config),
            type_error + R"(operand 1 invalid values for required request parameters(s): {"method", "url"})");
  EXPECT_EQ(Err(req, J(R"({"example": "example"})")),
            type_error + "operand 2 missing required AWS config parameters(s): " + all_keys);
  EXPECT_EQ(Err(req, J(R"({"aws_access_key": 1, "aws_secret_access_key": 2, "aws_session_token": 3,
                           "aws_service": 4, "aws_region": 5})")),
            type_error + "operand 2 invalid values for required AWS config parameters(s): " + all_keys);
  EXPECT_EQ(Err(req, config, Value::Int(-1000000000)),
            type_error + "operand 3 could not convert time_ns value into a unix timestamp");
  EXPECT_EQ(Err(req, config, Value::Float(1.5)),
            type_error + "operand 3 could not convert time_ns value into a unix timestamp");
  EXPECT_EQ(Err(req, config, Value::String("now")), type_error + "operand 1 must be number but got string");
  EXPECT_EQ(Err(J(R"({"method": "get", "url": "https://example.com", "headers": {"foo": "bar"}})"),
                J(R"({"aws_access_key": "A", "aws_secret_access_key": "S", "aws_service": "s3",
                      "aws_region": "us-east-1", "disable_payload_signing": "false"})")),
            type_error + "operand 2 invalid value for 'disable_payload_signing' in AWS config");
  EXPECT_EQ(Err(J(R"({"method": "get", "url": "http://x", "nope": 1})"), config),
            type_error + R"(operand 1 invalid request parameters(s): {"nope"})");
  EXPECT_EQ(Err(J(R"({"method": "get", "url": "http://x", "headers": []})"), config),
            type_error + "operand 0 must be object but got array");
  EXPECT_EQ(Err(J(R"({"method": "get", "url": "http://a b/"})"), config),
            "eval_builtin_error: providers.aws.sign_req: parse \"http://a b/\": invalid character "
            "\" \" in host name");
  EXPECT_EQ(Err(J("[]"), config), type_error + "operand 1 must be object but got array");
  EXPECT_EQ(Err(req, J("[]")), type_error + "operand 1 must be object but got array");
}

}  // namespace
}  // namespace custody::rego
