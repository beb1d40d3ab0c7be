// Tests for the tokens built-ins (io.jwt.*): OPA's conformance vectors
// (test/cases/testdata/v0 and v1, jwt*) and tokens signed here with keys
// OpenSSL makes, including the error texts and malformed input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"
#include "rego/crypto_test_keys.h"

namespace custody::rego {
namespace {

namespace tk = testkeys;

// The certificate of OPA's RS256/PS256 conformance tokens (CN=whatever).
constexpr const char* kRsaCert = R"(-----BEGIN CERTIFICATE-----
MIIC/DCCAeSgAwIBAgIJAJRvYDU3ei3EMA0GCSqGSIb3DQEBCwUAMBMxETAPBgNV
BAMMCHdoYXRldmVyMB4XDTE4MDgxMDEwMzgxNloXDTE4MDkwOTEwMzgxNlowEzER
MA8GA1UEAwwId2hhdGV2ZXIwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIB
AQC4kCmzLMW/5jzkzkmN7Me8wPD+ymBUIjsGqliGfMrfFfDV2eTPVtZcYD3IXoB4
AOUT7XJzWjOsBRFOcVKKEiCPjXiLcwLb/QWQ1x0Budft32r3+N0KQd1rgcRHTPNc
JoeWCfOgDPp51RTzTT6HQuV4ud+CDhRJP7QMVMIgal9Nuzs49LLZaBPW8/rFsHjk
JQ4kDujSrpcT6F2FZY3SmWsOJgP7RjVKk5BheYeFKav5ZV4p6iHn/TN4RVpvpNBh
5z/XoHITJ6lpkHSDpbIaQUTpobU2um8N3biz+HsEAmD9Laa27WUpYSpiM6DDMSXl
dBDJdumerVRJvXYCtfXqtl17AgMBAAGjUzBRMB0GA1UdDgQWBBRz74MkVzT2K52/
FJC4mTa9coM/DTAfBgNVHSMEGDAWgBRz74MkVzT2K52/FJC4mTa9coM/DTAPBgNV
HRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQAD1ZE4IaIAetqGG+vt9oz1
Ix0j4EPok0ONyhhmiSsF6rSv8zlNWweVf5y6Z+AoTNY1Fym0T7dbpbqIox0EdKV3
FLzniWOjznupbnqfXwHX/g1UAZSyt3akSatVhvNpGlnd7efTIAiNinX/TkzIjhZ7
ihMIZCGykT1P0ys1OaeEf57wAzviatD4pEMTIW0OOqY8bdRGhuJR1kKUZ/2Nm8Ln
y7E0y8uODVbH9cAwGyzWB/QFc+bffNgi9uJaPQQc5Zxwpu9utlqyzFvXgV7MBYUK
EYSLyxp4g4e5aujtLugaC8H6n9vP1mEBr/+T8HGynBZHNTKlDhhL9qDbpkkNB6/w
-----END CERTIFICATE-----)";

constexpr const char* kPs256Token =
    "eyJhbGciOiAiUFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJpc3MiOiAieHh4In0.iCePYnD1U13oBe_6ylhmojmkY_"
    "VZNYXqVszAej8RImMGv51OEq"
    "ARmYFkRZYTiYCiVFober7vcDq_stOj1uAJCuttygGW_dpHiN-3EWsU2E2vCnXlygWe0ud38pOC-OVyEFbXxO9-m51vnS-"
    "3VmBjEO8G1UE8bLFXTe"
    "FOGkUIj9dqlefJSWh5wa8XA3g9mj0jqpuJi-7QgEIeVHk-JzhGpoFqI2f-Df_agVvc2x4V-6fJmj7wV2IsaFPRi36mVQmg8S-"
    "dkxu4AlaeCILhyN"
    "Zl8ewjBHHBjJFRwzcy88L00mzdO51ZxEYsBdQav3ux2sc6vjT9PvvjAwzcthQxEoEaNA";

// HS256 over {"sub":"0","iss":"opa"} with a made-up signature.
constexpr const char* kSimpleToken =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO_"
    "WRONMSJzGUDP9pDjy8Jp0_tdRXY";
constexpr const char* kSimpleDecoded =
    R"([{"alg":"HS256","typ":"JWT"},{"iss":"opa","sub":"0"},)"
    R"("5e65682e81c8de9c4cb4c3bf59138d3122731940cff690e3cbc269d3fb5d4576"])";

// HS256 with secret "secret".
constexpr const char* kHs256Token =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJ1c2VyIjoiYWxpY2UiLCJhenAiOiJhbGljZSIsInN1Ym9yZGluYXRlcyI6W10sImhyIjpmYW"
    "xzZX0.rz3jTY033z-NrKfwrK89_dcLF7TN4gwCMj-fVBDyLoM";

constexpr const char* kOctKey =
    R"({"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9C)"
    R"(Aow"})";

class TokensTest : public ::testing::Test {
 protected:
  TokensTest() {
    RegisterTokens(table_);
    ctx_.now_ns = 1700000000LL * 1000000000LL;  // November 2023
  }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    if (b == nullptr) return Error::Internal("no such built-in");
    EXPECT_EQ(b->arity, static_cast<int>(args.size()));
    return b->fn(args, ctx_);
  }

  static Value J(std::string_view json) {
    auto v = ParseJsonValue(json, "test");
    EXPECT_TRUE(v.ok()) << json;
    return v.ok() ? *v : Value();
  }
  static Value S(std::string_view s) { return Value::String(s); }

  static std::string Text(const Result<Value>& r) {
    if (!r.ok()) return "error: " + r.error().message();
    return r->is_defined() ? r->ToJson() : "undefined";
  }

  // A token signed with encode_sign_raw.
  std::string Sign(const std::string& header, const std::string& payload, const std::string& jwk) {
    auto r = Call("io.jwt.encode_sign_raw", {S(header), S(payload), S(jwk)});
    EXPECT_TRUE(r.ok()) << Text(r);
    return r.ok() ? r->as_string() : "";
  }

  Value DecodeVerify(const std::string& token, const std::string& constraints) {
    auto r = Call("io.jwt.decode_verify", {S(token), J(constraints)});
    EXPECT_TRUE(r.ok()) << Text(r);
    return r.ok() ? *r : Value();
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

const char* const kUnverified = "[false,{},{}]";

TEST_F(TokensTest, RegistersEveryBuiltinOfTheGroup) {
  const std::vector<std::pair<std::string, int>> expected = {
      {"io.jwt.decode", 1},          {"io.jwt.decode_verify", 2}, {"io.jwt.encode_sign", 3},
      {"io.jwt.encode_sign_raw", 3}, {"io.jwt.verify_eddsa", 2},  {"io.jwt.verify_es256", 2},
      {"io.jwt.verify_es384", 2},    {"io.jwt.verify_es512", 2},  {"io.jwt.verify_hs256", 2},
      {"io.jwt.verify_hs384", 2},    {"io.jwt.verify_hs512", 2},  {"io.jwt.verify_ps256", 2},
      {"io.jwt.verify_ps384", 2},    {"io.jwt.verify_ps512", 2},  {"io.jwt.verify_rs256", 2},
      {"io.jwt.verify_rs384", 2},    {"io.jwt.verify_rs512", 2},
  };
  EXPECT_EQ(table_.all().size(), expected.size());
  for (const auto& [name, arity] : expected) {
    const Builtin* b = table_.Find(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_EQ(b->arity, arity) << name;
    bool nondeterministic = name == "io.jwt.decode_verify" || name.starts_with("io.jwt.encode_sign");
    EXPECT_EQ(b->nondeterministic, nondeterministic) << name;
  }
}

// ---- io.jwt.decode ----

TEST_F(TokensTest, DecodeReturnsHeaderPayloadAndHexSignature) {
  EXPECT_EQ(Text(Call("io.jwt.decode", {S(kSimpleToken)})), kSimpleDecoded);
  EXPECT_EQ(
      Text(Call(
          "io.jwt.decode",
          {S("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIiwiZXh0Ijp7ImFiYyI6IjEyMyIsI"
             "mNiYSI6WzEwLCIxMCJdfX0.IIxF-uJ6i4K5Dj71xNLnUeqB9jmujl6ujTInhii1PxE")})),
      R"([{"alg":"HS256","typ":"JWT"},{"ext":{"abc":"123","cba":[10,"10"]},"iss":"opa","sub":"0"},)"
      R"("208c45fae27a8b82b90e3ef5c4d2e751ea81f639ae8e5eae8d32278628b53f11"])");
}

TEST_F(TokensTest, DecodeKeepsTheLastOfDuplicateClaims) {
  EXPECT_EQ(
      Text(Call(
          "io.jwt.decode",
          {S("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAiMCIsImlzcyI6ICJub3Qgb3BhIiwgImlzcyI6ICJhbHNv"
             "IG5vdCBvcGEiLCAiaXNzIjogIm9wYSJ9.XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY")})),
      kSimpleDecoded);
}

TEST_F(TokensTest, DecodeUnwrapsNestedTokens) {
  // cty "JWT": the payload is the quoted inner token, once and twice over.
  EXPECT_EQ(
      Text(Call(
          "io.jwt.decode",
          {S("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImN0eSI6IkpXVCJ9.ImV5SmhiR2NpT2lKSVV6STFOaUlzSW5SNWNDSTZ"
             "Ja3BYVkNKOS5leUp6ZFdJaU9pSXdJaXdpYVhOeklqb2liM0JoSW4wLlhtVm9Mb0hJM3B4TXRNT19XUk9OTVNKekdVRFA5"
             "cERqeThKcDBfdGRSWFki.8W0qx4mLxslmZl7wEMUWBxH7tST3XsEuWXxesXqFnRI")})),
      kSimpleDecoded);
  EXPECT_EQ(Text(Call("io.jwt.decode", {S("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImN0eSI6IkpXVCJ9."
                                          "ImV5SmhiR2NpT2lKSVV6STFOaUlzSW5SNWNDSTZJa3BY"
                                          "VkNJc0ltTjBlU0k2SWtwWFZDSjkuSW1WNVNtaGlSMk5wVDJsS1NWVjZTVEZPYVVsel"
                                          "NXNVNOV05EU1RaSmEzQllWa05LT1M1bG"
                                          "VVcDZaRmRKYVU5cFNYZEphWGRwWVZoT2VrbHFiMmxpTTBKb1NXNHdMbGh0Vm05TWIw"
                                          "aEpNM0I0VFhSTlQxOVhVazlPVFZOS2Vr"
                                          "ZFZSRkE1Y0VScWVUaEtjREJmZEdSU1dGa2kuOFcwcXg0bUx4c2xtWmw3d0VNVVdCeE"
                                          "g3dFNUM1hzRXVXWHhlc1hxRm5SSSI."
                                          "U8rwnGAJ-bJoGrAYKEzNtbJQWd3x1eW0Y25nLKHDCgo")})),
            kSimpleDecoded);
}

TEST_F(TokensTest, DecodeErrorsAreWordedAsOpa) {
  auto err = [&](std::string_view token) { return Text(Call("io.jwt.decode", {S(token)})); };
  EXPECT_EQ(err("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0"),
            "error: eval_builtin_error: io.jwt.decode: encoded JWT had no period separators");
  EXPECT_EQ(err("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXV.CJ9eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0"),
            "error: eval_builtin_error: io.jwt.decode: encoded JWT must have 3 sections, found 2");
  EXPECT_EQ(err("a.b.c.d"),
            "error: eval_builtin_error: io.jwt.decode: encoded JWT must have 3 sections, found 4");
  EXPECT_EQ(err("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImVuYyI6ImJsYWgifQ."
                "eyJuZXciOiJJIGFtIGEgdXNlciBjcmVhdGVkIGZpZWxkI"
                "iwiaXNzIjoib3BhIn0.McGUb1e-UviZKy6UyQErNNQzEUgeV25Buwk7OHOa8U8"),
            "error: eval_builtin_error: io.jwt.decode: JWT is a JWE object, which is not supported");
  // Go's base64 error offsets.
  EXPECT_EQ(err("eyJhbGciOiJIU^%zI1NiI+sInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO_"
                "WRONMSJzGUDP9"
                "pDjy8Jp0_tdRXY"),
            "error: eval_builtin_error: io.jwt.decode: JWT header had invalid encoding: illegal base64 data "
            "at input "
            "byte 13");
  EXPECT_EQ(err("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwia/"
                "XNzIjoib3BhIn0.XmVoLoHI3pxMtMO_WRONMSJzGUDP9"
                "pDjy8Jp0_tdRXY"),
            "error: eval_builtin_error: io.jwt.decode: JWT payload had invalid encoding: illegal base64 data "
            "at input "
            "byte 17");
  EXPECT_EQ(
      err("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO(_"
          "WRONMSJzGUDP9"
          "pDjy8Jp0_tdRXY"),
      "error: eval_builtin_error: io.jwt.decode: JWT signature had invalid encoding: illegal base64 data at "
      "input byte 15");
  // A length of 1 mod 4 cannot be padded.
  EXPECT_EQ(
      err("eyJhbGciOiJIUzI1NiJ9x.e30.e30"),
      "error: eval_builtin_error: io.jwt.decode: JWT header had invalid encoding: illegal base64url string: "
      "eyJhbGciOiJIUzI1NiJ9x");
  // Header and payload must be JSON objects ("[1]" and "{}" encoded).
  EXPECT_EQ(err("WzFd.e30.e30"),
            "error: eval_builtin_error: io.jwt.decode: bad JWT header: decoded JSON type was not an Object");
  EXPECT_EQ(err("e30.WzFd.e30"),
            "error: eval_builtin_error: io.jwt.decode: decoded JSON type was not an Object");
  EXPECT_NE(err("bm90IGpzb24.e30.e30").find("io.jwt.decode: bad JWT header: invalid JSON"),
            std::string::npos);
  EXPECT_EQ(Text(Call("io.jwt.decode", {Value::Int(1)})),
            "error: eval_type_error: io.jwt.decode: operand 1 must be string but got number");
}

TEST_F(TokensTest, DecodeToleratesPaddingAndEmptySignature) {
  EXPECT_EQ(Text(Call("io.jwt.decode", {S("e30=.e30.")})), R"([{},{},""])");
}

TEST_F(TokensTest, DecodeBoundsNesting) {
  // A token whose payload is itself, as far as the nesting limit allows.
  std::string inner = "e30.e30.";
  for (int i = 0; i < 34; ++i) {
    inner = tk::B64Url(R"({"cty":"JWT"})") + "." + tk::B64Url(inner) + ".";
  }
  EXPECT_EQ(Text(Call("io.jwt.decode", {S(inner)})),
            "error: eval_builtin_error: io.jwt.decode: JWT nesting is too deep");
}

// ---- io.jwt.verify_hs* ----

TEST_F(TokensTest, VerifyHmac) {
  EXPECT_EQ(Text(Call("io.jwt.verify_hs256", {S(kHs256Token), S("secret")})), "true");
  EXPECT_EQ(Text(Call("io.jwt.verify_hs256", {S(kHs256Token), S("Secret")})), "false");
  EXPECT_EQ(
      Text(Call(
          "io.jwt.verify_hs256",
          {S("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyIjoiYWxpY2UiLCJhenAiOiJhbGljZSIsInN1Ym9yZGluYXRl"
             "cyI6W10sImhyIjpmYWxzZX0.R0NDxM1gHTucWQKwayMDre2PbMNR9K9efmOfygDZWcE"),
           S("secret")})),
      "false");
  EXPECT_EQ(
      Text(Call(
          "io.jwt.verify_hs384",
          {S("eyJhbGciOiJIUzM4NCJ9.eyJTY29wZXMiOlsiZm9vIiwiYmFyIl0sIm5iZiI6MTQ1MTYwNjQwMH0.g98lHYzuqINVppLMo"
             "EZT7jlpX0IBSo9zKGoN9DhQg7Ua3YjLXbJMjzESjIHXOGLB"),
           S("secret")})),
      "true");
  EXPECT_EQ(
      Text(Call(
          "io.jwt.verify_hs512",
          {S("eyJhbGciOiJIUzUxMiJ9.eyJTY29wZXMiOlsiZm9vIiwiYmFyIl0sIm5iZiI6MTQ1MTYwNjQwMH0.F6-xviRhK2OLcJJHF"
             "ivhQqMN_dgX5boDrwbVKkdo9flQQNk-AaKpH3uYycFvBEd_erVefcsri_PkL4fjLSZ7ZA"),
           S("secret")})),
      "true");
  // The HS256 token does not verify as HS512.
  EXPECT_EQ(Text(Call("io.jwt.verify_hs512", {S(kHs256Token), S("secret")})), "false");
}

TEST_F(TokensTest, VerifyHmacErrors) {
  EXPECT_EQ(Text(Call("io.jwt.verify_hs256", {S("eyJhbGciOiJIUzI1NiJ9.e30"), S("secret")})),
            "error: eval_builtin_error: io.jwt.verify_hs256: encoded JWT must have 3 sections, found 2");
  EXPECT_EQ(Text(Call("io.jwt.verify_hs256", {S(kHs256Token), Value::Int(1)})),
            "error: eval_type_error: io.jwt.verify_hs256: operand 2 must be string but got number");
  EXPECT_EQ(Text(Call("io.jwt.verify_hs256", {S("e30.e30.a*b"), S("secret")})),
            "error: eval_builtin_error: io.jwt.verify_hs256: illegal base64 data at input byte 1");
}

// ---- io.jwt.verify_{rs,ps,es,eddsa} with OPA's vectors ----

TEST_F(TokensTest, VerifyConformanceVectors) {
  const std::string es256 =
      "eyJ0eXAiOiAiSldUIiwgImFsZyI6ICJFUzI1NiJ9.eyJuYmYiOiAxNDQ0NDc4NDAwLCAiaXNzIjogInh4eCJ9.lArczfN-pIL8oUU-"
      "7PU83u-"
      "zfXougXBZj6drFeKFsPEoVhy9WAyiZlRshYqjTSXdaw8yw2L-ovt4zTUZb2PWMg";
  const std::string es256_cert = R"(-----BEGIN CERTIFICATE-----
MIIBcDCCARagAwIBAgIJAMZmuGSIfvgzMAoGCCqGSM49BAMCMBMxETAPBgNVBAMM
CHdoYXRldmVyMB4XDTE4MDgxMDE0Mjg1NFoXDTE4MDkwOTE0Mjg1NFowEzERMA8G
A1UEAwwId2hhdGV2ZXIwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATPwn3WCEXL
mjp/bFniDwuwsfu7bASlPae2PyWhqGeWwe23Xlyx+tSqxlkXYe4pZ23BkAAscpGj
yn5gXHExyDlKo1MwUTAdBgNVHQ4EFgQUElRjSoVgKjUqY5AXz2o74cLzzS8wHwYD
VR0jBBgwFoAUElRjSoVgKjUqY5AXz2o74cLzzS8wDwYDVR0TAQH/BAUwAwEB/zAK
BggqhkjOPQQDAgNIADBFAiEA4yQ/88ZrUX68c6kOe9G11u8NUaUzd8pLOtkKhniN
OHoCIHmNX37JOqTcTzGn2u9+c8NlnvZ0uDvsd1BmKPaUmjmm
-----END CERTIFICATE-----
)";
  EXPECT_EQ(Text(Call("io.jwt.verify_es256", {S(es256), S(es256_cert)})), "true");
  EXPECT_EQ(
      Text(Call("io.jwt.verify_es256",
                {S(es256), S(R"({"kty":"EC","crv":"P-256","x":"z8J91ghFy5o6f2xZ4g8LsLH7u2wEpT2ntj8loahnlsE",)"
                             R"("y":"7bdeXLH61KrGWRdh7ilnbcGQACxykaPKfmBccTHIOUo"})")})),
      "true");
  // OPA's verify_es* do not care which hash the curve is used with.
  EXPECT_EQ(Text(Call("io.jwt.verify_es384", {S(es256), S(es256_cert)})), "false");

  const std::string es512 =
      "eyJhbGciOiJFUzUxMiJ9.eyJTY29wZXMiOlsiZm9vIiwiYmFyIl0sIm5iZiI6MTQ1MTYwNjQwMH0."
      "AYpssEoEqq9We9aKsnRykpECAVEOBRJJu8"
      "UgDzoL-F8fmB2LPxpS4Gl7D-9wAO5AJt4-9YSsgOb5FLc20MrZN30AAFYopZf75T1pEJQFrdDmOKT45abbrorcR7G_AHDbhBdDNM_"
      "R6GojYFg_"
      "HPxHndof745Yq5Tfw9PpJc-9kSyk6kqO";
  EXPECT_EQ(Text(Call("io.jwt.verify_es512", {S(es512), S(R"(-----BEGIN PUBLIC KEY-----
MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQBy5tyDA//PLwv0tXAk8o6wo8ByBrI
4mxQcDwV7d+mCgo1HUu44iSUeWEFT8qUr+4D2iip9RPAqpH1XXd666dU6HABJrOF
74oLVmQWc338PccmQoJrUNnUx7Ln4v+Vv2MfDd1MPg9sJdSynCa2qLqPqoGphn7q
LulmwKDxLXToNPgeIxc=
-----END PUBLIC KEY-----)")})),
            "true");

  EXPECT_EQ(Text(Call("io.jwt.verify_ps256", {S(kPs256Token), S(kRsaCert)})), "true");
  // The PS256 signature is no RS256 signature.
  EXPECT_EQ(Text(Call("io.jwt.verify_rs256", {S(kPs256Token), S(kRsaCert)})), "false");

  const std::string eddsa =
      "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9."
      "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdC"
      "I6MTUxNjIzOTAyMn0.JkKWCY39IdWEQttmdqR7VdsvT-_QxheW_eb0S5wr_j83ltux_"
      "JDUIXs7a3Dtn3xuqzuhetiuJrWIvy5TzimeCg";
  const std::string ed_pub =
      "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAwmK6SSAu2E9V7uynkCKEaj5nZJyTvNG4x0KohsRzLpg=\n-----END "
      "PUBLIC "
      "KEY-----\n";
  EXPECT_EQ(Text(Call("io.jwt.verify_eddsa", {S(eddsa), S(ed_pub)})), "true");
  EXPECT_EQ(Text(Call("io.jwt.verify_eddsa", {S(es256), S(ed_pub)})), "false");
}

TEST_F(TokensTest, VerifyKeyArgumentErrors) {
  auto call = [&](const std::string& key) {
    return Text(Call("io.jwt.verify_rs256", {S(kPs256Token), S(key)}));
  };
  std::string cert = kRsaCert;
  std::string bad_type = cert;
  bad_type.replace(bad_type.find("BEGIN CERTIFICATE"), 17, "BEGIN CERT");
  bad_type.replace(bad_type.find("END CERTIFICATE"), 15, "END CERT");
  EXPECT_EQ(
      call(bad_type),
      "error: eval_builtin_error: io.jwt.verify_rs256: failed to extract a Key from the PEM certificate");
  EXPECT_EQ(call(cert + "\nEXTRA"),
            "error: eval_builtin_error: io.jwt.verify_rs256: extra data after a PEM certificate block");
  // A final newline is not extra data; a second one is.
  EXPECT_EQ(call(cert + "\n"), "false");
  EXPECT_EQ(call(cert + "\n\n"),
            "error: eval_builtin_error: io.jwt.verify_rs256: extra data after a PEM certificate block");
  std::string corrupt = cert;
  corrupt.replace(corrupt.find("MIIC"), 4, "dead");
  EXPECT_NE(call(corrupt).find("io.jwt.verify_rs256: failed to parse a PEM certificate: x509: "),
            std::string::npos);
  EXPECT_NE(call(R"({"kty":"bogus key type","e":"AQAB","n":"AQAB"})")
                .find("eval_builtin_error: io.jwt.verify_rs256: failed to parse a JWK key (set): "),
            std::string::npos);
  EXPECT_NE(call("not a key").find("failed to parse a JWK key (set): "), std::string::npos);
  EXPECT_NE(call(R"({"kty":"RSA","n":"AQAB"})").find("failed to parse a JWK key (set): "), std::string::npos);
  EXPECT_NE(call("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
                .find("failed to parse a PEM public key: "),
            std::string::npos);
  EXPECT_EQ(Text(Call("io.jwt.verify_rs256", {S("a.b"), Value::Int(1)})),
            "error: eval_builtin_error: io.jwt.verify_rs256: encoded JWT must have 3 sections, found 2");
  EXPECT_EQ(Text(Call("io.jwt.verify_rs256", {S(kPs256Token), Value::Int(1)})),
            "error: eval_type_error: io.jwt.verify_rs256: operand 2 must be string but got number");
  EXPECT_EQ(Text(Call("io.jwt.verify_rs256", {Value::Null(), S(cert)})),
            "error: eval_type_error: io.jwt.verify_rs256: operand 1 must be string but got null");
}

// ---- Signing and verifying with generated keys ----

struct AlgCase {
  const char* alg;
  const char* key;       // key kind for testkeys::Generate
  const char* verifier;  // io.jwt.verify_*
};

class TokensAlgTest : public TokensTest, public ::testing::WithParamInterface<AlgCase> {};

TEST_P(TokensAlgTest, SignThenVerifyWithEveryKeyForm) {
  const AlgCase& c = GetParam();
  tk::Pkey key = tk::Generate(c.key);
  tk::Pkey other = tk::Generate(c.key);
  ASSERT_TRUE(key && other);
  std::string header = std::string(R"({"alg":")") + c.alg + R"(","typ":"JWT"})";
  std::string token = Sign(header, R"({"iss":"custody"})", tk::Jwk(key.get(), true));
  ASSERT_FALSE(token.empty());

  tk::Cert cert = tk::MakeCert({"signer", {}}, key.get(), nullptr, key.get());
  const std::vector<std::string> good = {
      tk::PublicPem(key.get()),
      tk::CertPem(cert.get()),
      tk::Jwk(key.get(), false),
      R"({"keys":[)" + tk::Jwk(other.get(), false) + "," + tk::Jwk(key.get(), false) + "]}",
  };
  for (const std::string& k : good) {
    EXPECT_EQ(Text(Call(c.verifier, {S(token), S(k)})), "true") << k;
    EXPECT_EQ(Text(DecodeVerify(token, Value::Object({{S("cert"), S(k)}}).ToJson())),
              std::string(R"([true,{"alg":")") + c.alg + R"(","typ":"JWT"},{"iss":"custody"}])")
        << k;
  }
  EXPECT_EQ(Text(Call(c.verifier, {S(token), S(tk::PublicPem(other.get()))})), "false");
  EXPECT_EQ(Text(DecodeVerify(token, Value::Object({{S("cert"), S(tk::PublicPem(other.get()))}}).ToJson())),
            kUnverified);
  // OPA's verify_* take public keys only.
  EXPECT_EQ(Text(Call(c.verifier, {S(token), S(tk::Jwk(key.get(), true))})), "false");

  // A changed payload or signature does not verify.
  std::string tampered = token;
  size_t dot = tampered.find('.');
  tampered.replace(dot + 1, tampered.find('.', dot + 1) - dot - 1, tk::B64Url(R"({"iss":"mallory"})"));
  EXPECT_EQ(Text(Call(c.verifier, {S(tampered), S(tk::PublicPem(key.get()))})), "false");
  std::string short_sig = token.substr(0, token.size() - 4);
  EXPECT_EQ(Text(Call(c.verifier, {S(short_sig), S(tk::PublicPem(key.get()))})), "false");
}

INSTANTIATE_TEST_SUITE_P(Algorithms, TokensAlgTest,
                         ::testing::Values(AlgCase{"RS256", "RSA", "io.jwt.verify_rs256"},
                                           AlgCase{"RS384", "RSA", "io.jwt.verify_rs384"},
                                           AlgCase{"RS512", "RSA", "io.jwt.verify_rs512"},
                                           AlgCase{"PS256", "RSA", "io.jwt.verify_ps256"},
                                           AlgCase{"PS384", "RSA", "io.jwt.verify_ps384"},
                                           AlgCase{"PS512", "RSA", "io.jwt.verify_ps512"},
                                           AlgCase{"ES256", "P-256", "io.jwt.verify_es256"},
                                           AlgCase{"ES384", "P-384", "io.jwt.verify_es384"},
                                           AlgCase{"ES512", "P-521", "io.jwt.verify_es512"},
                                           AlgCase{"EdDSA", "Ed25519", "io.jwt.verify_eddsa"}),
                         [](const auto& info) { return std::string(info.param.alg); });

TEST_F(TokensTest, KeySetsHonourKidAndAlg) {
  tk::Pkey a = tk::Generate("P-256");
  tk::Pkey b = tk::Generate("P-256");
  std::string token = Sign(R"({"alg":"ES256","kid":"b"})", "{}", tk::Jwk(b.get(), true));
  auto jwks = [&](const std::string& a_extra, const std::string& b_extra) {
    return R"({"keys":[)" + tk::Jwk(a.get(), false, a_extra) + "," + tk::Jwk(b.get(), false, b_extra) + "]}";
  };
  EXPECT_EQ(Text(Call("io.jwt.verify_es256", {S(token), S(jwks(R"(,"kid":"a")", R"(,"kid":"b")"))})), "true");
  // The key the kid names decides alone, even when another key would verify.
  EXPECT_EQ(Text(Call("io.jwt.verify_es256", {S(token), S(jwks(R"(,"kid":"b")", R"(,"kid":"c")"))})),
            "false");
  // A key whose alg differs from the header's is skipped.
  EXPECT_EQ(Text(Call("io.jwt.verify_es256", {S(token), S(jwks("", R"(,"alg":"ES384")"))})), "false");
  EXPECT_EQ(Text(Call("io.jwt.verify_es256", {S(token), S(jwks("", R"(,"alg":"ES256")"))})), "true");
  // Keys with an algorithm that is not a JWS algorithm are left out.
  EXPECT_EQ(Text(Call("io.jwt.verify_es256", {S(token), S(jwks("", R"(,"alg":"RSA-OAEP")"))})), "false");
  EXPECT_EQ(Text(Call("io.jwt.verify_es256", {S(token), S(R"({"keys":[]})")})), "false");
}

// ---- io.jwt.decode_verify ----

TEST_F(TokensTest, DecodeVerifyConformanceVectors) {
  std::string cert_constraint = Value::Object({{S("cert"), S(kRsaCert)}}).ToJson();
  EXPECT_EQ(Text(DecodeVerify(kPs256Token, cert_constraint)),
            R"([true,{"alg":"PS256","typ":"JWT"},{"iss":"xxx"}])");
  EXPECT_EQ(Text(DecodeVerify(kPs256Token,
                              Value::Object({{S("cert"), S(kRsaCert)}, {S("alg"), S("PS256")}}).ToJson())),
            R"([true,{"alg":"PS256","typ":"JWT"},{"iss":"xxx"}])");
  EXPECT_EQ(Text(DecodeVerify(kPs256Token,
                              Value::Object({{S("cert"), S(kRsaCert)}, {S("alg"), S("RS256")}}).ToJson())),
            kUnverified);
  EXPECT_EQ(Text(DecodeVerify(kPs256Token,
                              Value::Object({{S("cert"), S(kRsaCert)}, {S("iss"), S("xxx")}}).ToJson())),
            R"([true,{"alg":"PS256","typ":"JWT"},{"iss":"xxx"}])");
  EXPECT_EQ(Text(DecodeVerify(kPs256Token,
                              Value::Object({{S("cert"), S(kRsaCert)}, {S("iss"), S("yyy")}}).ToJson())),
            kUnverified);
  // No aud claim but an aud constraint.
  EXPECT_EQ(Text(DecodeVerify(kPs256Token,
                              Value::Object({{S("cert"), S(kRsaCert)}, {S("aud"), S("fred")}}).ToJson())),
            kUnverified);

  // crit names a header parameter OPA does not understand.
  EXPECT_EQ(Text(DecodeVerify("eyJjcml0IjogWyJqdW5rIl0sICJraWQiOiAiazEiLCAiYWxnIjogIlJTMjU2IiwgInR5cCI6ICJKV1"
                              "QiLCAianVuayI6ICJ4eHgifQ.eyJpc3"
                              "MiOiAieHh4IiwgInN1YiI6ICJmcmVkIn0."
                              "YfoUpW5CgDBtxtBuOix3cdYJGT8cX9Mq7wOhIbjDK7eRQUsAmMY_0EQPh7bd7Yi1gLI3e11BKz"
                              "guf2EHqAa1kbkHWwFniBO-RIi8q42v2uxC4lpEpIjfaaXB5XmsLfAXtYRqh0AObvbSho6VDXBP_"
                              "Kn81nhIiE2yFbH14_jhRMSxDBs5ToSkX"
                              "V-XJHw5bONP8NxPqEk9KF3ZJGzN7J_"
                              "KoD6LjqfYai5K0eLNEIZh4C1WjTdmCKMR4K6ieZRQWZiSsnhSqLSQERir4n22G3QsdY7dOnCp-SS4V"
                              "Yu3V-PfsOSFMvQ-TTAN1geqMZ9A7k1CCLW0wxKBs-KCiYzmRTzwxA",
                              cert_constraint)),
            kUnverified);
  // No alg in the header.
  EXPECT_EQ(
      Text(DecodeVerify(
          "eyJ0eXAiOiAiSldUIiwgImtpZCI6ICJrMSJ9.eyJpc3MiOiAieHh4IiwgInN1YiI6ICJmcmVkIn0.J4J4FgUD_"
          "P5fviVVjgvQWJDg-5XYTP_t"
          "HCwB3kSlYVKv8vmnZRNh4ke68OxfMP96iM-LZswG2fNqe-_"
          "piGIMepF5rCe1iIWAuz3qqkxfS9YVF3hvwoXhjJT0yIgrDMl1lfW5_XipNsh"
          "ZoxddWK3B7dnVW74MFazEEFuefiQm3PdMUX8jWGsmfgPnqBIZTizErNhoIMuRvYaVM1wA2nfrpVGONxMTaw8T0NRwYIuZwubbn"
          "NQ1yLhI0y"
          "3dsZvQ_lrh9Khtk9fS1V3SRh7aa9AvferJ4T-48qn_V1m3sINPgoA-uLGyyu3k_GkXRYW1yGNC-MH4T2cwhj89WITbIhusgQ",
          cert_constraint)),
      kUnverified);

  const std::string eddsa =
      "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9."
      "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdC"
      "I6MTUxNjIzOTAyMn0.JkKWCY39IdWEQttmdqR7VdsvT-_QxheW_eb0S5wr_j83ltux_"
      "JDUIXs7a3Dtn3xuqzuhetiuJrWIvy5TzimeCg";
  EXPECT_EQ(
      Text(DecodeVerify(
          eddsa, R"({"cert":"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAwmK6SSAu2E9V7uynkCKEaj5nZJyTvNG)"
                 R"(4x0KohsRzLpg=\n-----END PUBLIC KEY-----\n"})")),
      R"([true,{"alg":"EdDSA","typ":"JWT"},{"admin":true,"iat":1516239022,"name":"John Doe","sub":"123456789)"
      R"(0"}])");
}

TEST_F(TokensTest, DecodeVerifyMultipleKeysOneValid) {
  const std::string token =
      "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdC"
      "I6MTUxNjIzOTAyMn0.ZcLZbBKpPFFz8YGD2jEbXzwHT7DWtqRVk1PTV-cAWUV8jr6f2a--"
      "Fw9SFR3vSbrtFif06AQ3aWY7PMM2AuxDjiUVGjItm"
      "HRz0sJBEijcE2QVkDN7MNK3Kk1fsM_hbEXzNCzChZpEkTZnLy9ijkJJFD0j6lBat4lO5Zc_LC2lXUftV_"
      "hU2aW9mQ7pLSgJjItzRymivnN0g-W"
      "UDq5IPK_M8b3yPy_N9iByj8B2FO0sC3TuOrXWbrYrX4ve4bAaSqOFOXiL5Z5BJfmmtT--xKdWDGJxnei8lbv7in7t223fVsUpsH-"
      "zmybp529Fy"
      "a37BsaIlcgLrl38ghvoqy2sHu2wAA";
  const std::string jwks =
      R"({"keys":[{"kty":"EC","use":"sig","crv":"P-256","kid":"k1","x":"9Qq5S5VqMQoH-FOI4atcH6V3bua03C-5ZMZM)"
      R"(G1rszwA",)"
      R"("y":"LLbFxWkGBEBrTm1GMYZJy1OXCH1KLweJMCgIEPIsibU","alg":"ES256"},{"kty":"RSA","e":"AQAB","use":"enc)"
      R"(",)"
      R"("kid":"k2","alg":"RS256","n":"sGu-fYVE2nq2dPxJlqAMI0Z8G3FD0XcWDnD8mkfO1ddKRGuUQZmfj4gWeZGyIk3cnuoy7)"
      R"(KJCEqa3da)"
      R"(Xc08QHuFZyfn0rH33t8_AFsvb0q0i7R2FK-Gdqs_E0-sGpYMsRJdZWfCioLkYjIHEuVnRbi3DEsWqe484rEGbKF60jNRgGC4b-8)"
      R"(pz-E538Zk)"
      R"(ssWxcqHrYIj5bjGEU36onjS3M_yrTuNvzv_8wRioK4fbcwmGne9bDxu8LcoSReWpPn0CnUkWnfqroRcMJnC87ZuJagDW1ZWCmU3)"
      R"(psdsVanmF)"
      R"(Fh0DP6z0fsA4h8G2n9-qp-LEKFaWwo3IWlOsIzU3MHdcEiGw"}]})";
  Value constraints = Value::Object({{S("cert"), S(jwks)}, {S("time"), Value::Int(1574723450396363500)}});
  EXPECT_EQ(
      Text(Call("io.jwt.decode_verify", {S(token), constraints})),
      R"([true,{"alg":"RS256","typ":"JWT"},{"admin":true,"iat":1516239022,"name":"John Doe","sub":"123456789)"
      R"(0"}])");
}

TEST_F(TokensTest, DecodeVerifyWithSecret) {
  EXPECT_EQ(
      Text(DecodeVerify(kHs256Token, R"({"secret":"secret"})")),
      R"([true,{"alg":"HS256","typ":"JWT"},{"azp":"alice","hr":false,"subordinates":[],"user":"alice"}])");
  EXPECT_EQ(Text(DecodeVerify(kHs256Token, R"({"secret":"the wrong key"})")), kUnverified);
  // A secret does not verify an asymmetric token, nor a key an HMAC one.
  EXPECT_EQ(Text(DecodeVerify(kPs256Token, R"({"secret":"secret"})")), kUnverified);
  EXPECT_EQ(Text(DecodeVerify(kHs256Token, Value::Object({{S("cert"), S(kRsaCert)}}).ToJson())), kUnverified);
  // A JWK "oct" key is a key like any other.
  EXPECT_EQ(Text(DecodeVerify(kHs256Token, Value::Object({{S("cert"), S(R"({"kty":"oct","k":")" +
                                                                        tk::B64Url("secret") + "\"}")}})
                                               .ToJson()))
                .substr(0, 5),
            "[true");
}

TEST_F(TokensTest, DecodeVerifyTimeChecks) {
  // exp 3000.2 and nbf 1000.1 seconds; "time" in nanoseconds.
  const std::string exp_token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjMwMDAuMiwiaXNzIjoieHh4In0.XUen7GtDmICV3O1ngsoO-"
      "tQrjrXtOgJI06oGW0"
      "nQSIM";
  EXPECT_EQ(Text(DecodeVerify(exp_token, R"({"secret":"secret","time":2000000000000.1})")),
            R"([true,{"alg":"HS256","typ":"JWT"},{"exp":3000.2,"iss":"xxx"}])");
  EXPECT_EQ(Text(DecodeVerify(exp_token, R"({"secret":"secret","time":4000000000000.1})")), kUnverified);
  // Without "time", the evaluation's time.now_ns (2023) is long after exp.
  EXPECT_EQ(Text(DecodeVerify(exp_token, R"({"secret":"secret"})")), kUnverified);

  const std::string nbf_token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ4eHgiLCJuYmYiOjEwMDAuMX0.8ab0xurlRs_"
      "glclA3Sm7OMQgwkQvE4HuLsfMOc"
      "4nVO8";
  EXPECT_EQ(Text(DecodeVerify(nbf_token, R"({"secret":"secret","time":2000000000000.1})")),
            R"([true,{"alg":"HS256","typ":"JWT"},{"iss":"xxx","nbf":1000.1}])");
  EXPECT_EQ(Text(DecodeVerify(nbf_token, R"({"secret":"secret","time":1000000000000})")), kUnverified);
  EXPECT_EQ(Text(DecodeVerify(nbf_token, R"({"secret":"secret"})")).substr(0, 5), "[true");

  // nbf 1.5893857701234e+09: valid from that instant on (equal is valid).
  const std::string nbf_exact =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ4eHgiLCJuYmYiOjEuNTg5Mzg1NzcwMTIzNGUrMDl9.lvrsV1nam-"
      "BZr0SomWwsr4"
      "dBfu6BDrR2FzQ1iS_Xnrw";
  EXPECT_EQ(Text(DecodeVerify(nbf_exact, R"({"secret":"secret","time":1589385770123400000})")).substr(0, 5),
            "[true");
  EXPECT_EQ(Text(DecodeVerify(nbf_exact, R"({"secret":"secret","time":1589385770124400000})")).substr(0, 5),
            "[true");
  EXPECT_EQ(Text(DecodeVerify(nbf_exact, R"({"secret":"secret","time":1589385770023400000})")), kUnverified);
  // exp 1.5893857711234e+09: valid strictly before it.
  const std::string exp_exact =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjEuNTg5Mzg1NzcxMTIzNGUrMDksImlzcyI6Inh4eCJ9."
      "PZ2z6VfHt9YdvHHUbilkTn"
      "w4R9TK3_V0LV1h-q0k9xg";
  EXPECT_EQ(Text(DecodeVerify(exp_exact, R"({"secret":"secret","time":1589385771023400000})")).substr(0, 5),
            "[true");
  EXPECT_EQ(Text(DecodeVerify(exp_exact, R"({"secret":"secret","time":1589385771123400000})")), kUnverified);
  EXPECT_EQ(Text(DecodeVerify(exp_exact, R"({"secret":"secret","time":1589385772123400000})")), kUnverified);
}

TEST_F(TokensTest, DecodeVerifyAudience) {
  std::string jwk = R"({"kty":"oct","k":")" + tk::B64Url("42") + "\"}";
  std::string single = Sign(R"({"alg":"HS256"})", R"({"aud":"fred"})", jwk);
  std::string list = Sign(R"({"alg":"HS256"})", R"({"aud":["fred","bob"]})", jwk);
  EXPECT_EQ(Text(DecodeVerify(single, R"({"secret":"42","aud":"fred"})")).substr(0, 5), "[true");
  EXPECT_EQ(Text(DecodeVerify(single, R"({"secret":"42","aud":"bob"})")), kUnverified);
  // A token with an audience needs an aud constraint naming it.
  EXPECT_EQ(Text(DecodeVerify(single, R"({"secret":"42"})")), kUnverified);
  EXPECT_EQ(Text(DecodeVerify(list, R"({"secret":"42","aud":"bob"})")).substr(0, 5), "[true");
  EXPECT_EQ(Text(DecodeVerify(list, R"({"secret":"42","aud":"alice"})")), kUnverified);
}

TEST_F(TokensTest, DecodeVerifyClaimTypeErrors) {
  std::string jwk = R"({"kty":"oct","k":")" + tk::B64Url("42") + "\"}";
  auto token = [&](const Value& payload) {
    auto r = Call("io.jwt.encode_sign", {J(R"({"alg":"HS256"})"), payload, J(jwk)});
    EXPECT_TRUE(r.ok()) << Text(r);
    return r.ok() ? r->as_string() : "";
  };
  EXPECT_EQ(Text(Call("io.jwt.decode_verify", {S(token(J(R"({"exp":null})"))), J(R"({"secret":"42"})")})),
            "error: eval_builtin_error: io.jwt.decode_verify: exp value must be a number");
  EXPECT_EQ(Text(Call("io.jwt.decode_verify",
                      {S(token(J(R"({"nbf":"string is not valid here"})"))), J(R"({"secret":"42"})")})),
            "error: eval_builtin_error: io.jwt.decode_verify: nbf value must be a number");
  // A missing iss while one is required is a verification failure.
  EXPECT_EQ(Text(Call("io.jwt.decode_verify", {S(token(J("{}"))), J(R"({"secret":"42","iss":"xxx"})")})),
            kUnverified);
}

TEST_F(TokensTest, DecodeVerifyConstraintErrors) {
  auto err = [&](const std::string& constraints) {
    return Text(Call("io.jwt.decode_verify", {S(kHs256Token), J(constraints)}));
  };
  const std::string prefix = "error: eval_builtin_error: io.jwt.decode_verify: ";
  EXPECT_EQ(err("{}"), prefix + "no key constraint");
  EXPECT_EQ(err(R"({"secret":""})"), prefix + "no key constraint");
  EXPECT_EQ(err(Value::Object({{S("secret"), S("x")}, {S("cert"), S(kRsaCert)}}).ToJson()),
            prefix + "duplicate key constraints");
  EXPECT_EQ(err(R"({"secret":"x","bogus":1})"), prefix + "unknown token validation constraint: bogus");
  EXPECT_EQ(err(R"({"secret":1})"), prefix + "secret constraint: must be a string");
  EXPECT_EQ(err(R"({"cert":1})"), prefix + "cert constraint: must be a string");
  EXPECT_EQ(err(R"({"secret":"x","alg":1})"), prefix + "alg constraint: must be a string");
  EXPECT_EQ(err(R"({"secret":"x","time":"now"})"), prefix + "token time constraint: must be a number");
  EXPECT_EQ(err(R"({"secret":"x","time":-1})"), prefix + "token time constraint: must not be negative");
  EXPECT_EQ(err(R"({"cert":"garbage"})").substr(0, prefix.size() + 32),
            prefix + "failed to parse a JWK key (set):");
  EXPECT_EQ(Text(Call("io.jwt.decode_verify", {S(kHs256Token), S("x")})),
            "error: eval_type_error: io.jwt.decode_verify: operand 2 must be object but got string");
  EXPECT_EQ(Text(Call("io.jwt.decode_verify", {Value::Int(3), J(R"({"secret":"x"})")})),
            "error: eval_type_error: io.jwt.decode_verify: operand 1 must be string but got number");
  EXPECT_EQ(Text(Call("io.jwt.decode_verify", {S("a.b"), J(R"({"secret":"x"})")})),
            prefix + "encoded JWT must have 3 sections, found 2");
  // Header parameters of the wrong type.
  std::string bad_alg = tk::B64Url(R"({"alg":1})") + ".e30.";
  EXPECT_EQ(Text(Call("io.jwt.decode_verify", {S(bad_alg), J(R"({"secret":"x"})")})),
            prefix + "alg: must be a string");
  std::string bad_crit = tk::B64Url(R"({"alg":"HS256","crit":[]})") + ".e30.";
  EXPECT_EQ(Text(Call("io.jwt.decode_verify", {S(bad_crit), J(R"({"secret":"x"})")})),
            prefix + "crit: must be a nonempty list");
}

TEST_F(TokensTest, DecodeVerifyNestedToken) {
  const std::string nested =
      "eyJhbGciOiAiUlMyNTYiLCAidHlwIjogIkpXVCIsICJjdHkiOiAiSldUIn0."
      "ZXlKaGJHY2lPaUFpVWxNeU5UWWlMQ0FpZEhsd0lqb2dJa3BYVkN"
      "Jc0lDSmpkSGtpT2lBaVNsZFVJbjAuWlhsS2FHSkhZMmxQYVVGcFZXeE5lVTVVV1dsTVEwRnBaRWhzZDBscWIyZEphM0JZVmtOS09TN"
      "WxlVXB3WXp"
      "OTmFVOXBRV2xsU0dnMFNXNHdMbkpTVW5KbFVVOURZVzlaTFcxTmF6Y3lhazVHWlZrMVlWbEZVV2hKWjBsRmRGWmtVVGxZYmxsdFVVd"
      "3lUSGRmYUR"
      "kTmJrazBVMFZQTVZCd2EwSklWRXB5Wm5samJFcGxUSHBmYWxKMlVHZEpNbGN4YURGQ05HTmFWRGhEWjIxcFZYZHhRWEk1YzBwdVpIb"
      "FZRMUZ0U1d"
      "ScmJtNTNXa0k1Y1hBdFgzQlRkR1JIV0VvNVduQXplRW80TlhvdFZFSnBXbE4wUVVOVVpGZGxVa2xHU1VVM1ZreFBhMjB0Um14WmR6a"
      "DVPVGRuYVV"
      "ONFRteFVkV2wzYW14bFRqTXdaRGhuV0hVeE5rWkdRekpUU2xodFJqWktiWFl0TmpKSGJFUmhMVzFDV0ZaMGJHSlZTVFZsV1ZVd2FUZ"
      "HVlVE55UWp"
      "CWVVWUXhSa3Q0WlVaM09GODVOMDlGZFY5alkzVkxjbDgyWkhsSFpWRkhkblE1WTNKSmVFRkJNV0ZaYkRkbWJWQnJOa1ZoY2psbFRUT"
      "kthR1ZZTWk"
      "wMFdreDBkMUZPWTFSRFQwMVlWMGRJY2sxRGFHNU1XVmM0V0VGclRISkVibDl5Um14VWFWTXRady5YaWNjMnNXQ1pfTml0aHVjc3c5W"
      "EQ3WU9Lcml"
      "yVWRFbkgzTXlpUE0tQ2szdkVVMlJzVEJzZlUySlBoZmpwM3BoYzBWT2dzQVhDendVNVB3eU55VW8xNDkwcThZU3ltLWxpTXlPMkxrL"
      "WhqSDVmQXh"
      "vaXpnOXlENElJX2xLNld6X1RucGMwYkJHRExkYnVVaHZndk83eXFvLWxlQlFsc2ZSWE92dzRWU1BTRXk4UVB0YlVSdGJuTHBXWTJqR"
      "0JLejd2R0l"
      "fbzRxREozUGljRzBreUVpV1pOaDN3amVlQ1lSQ1d2WE44cWg3VWs1RUEtOEo1dlg2NTFHcVYtN2dtYVgxbi04RFhhbWhhQ1FjRS1wM"
      "WNqU2owNC1"
      "YLV9iSmxRdG1iLVRUM2JTeVVQeGdIVm5jdnhOVWJ5OGprVVR6Zmk1TU1ibUl6V1dreEk1WXRKVGR0bUNrUFE.ODBVH_"
      "gooCLJxtPVr1MjJC1syG4M"
      "nVUFP9LkI9pSaj0QABV4vpfqrBshHn8zOPgUTDeHwbc01Qy96cQlTMQQb94YANmZyL1nzwmdR4piiGXMGSlcCNfDg1o8DK4msMSR-"
      "X-j2IkxBDB8"
      "rfeFSfLRMgDCjAF0JolW7qWmMD9tBmFNYAjly4vMwToOXosDmFLl5eqyohXDf-3Ohljm5kIjtyMWkt5S9EVuwlIXh2owK5l59c4-"
      "TH29gkuaZ3u"
      "U4LFPjD7XKUrlOQnEMuu2QD8LAqTyxbnY4JyzUWEvyTM1dVmGnFpLKCg9QBly__y1u2ffhvDsHyuCmEKAbhPE98YvFA";
  EXPECT_EQ(Text(DecodeVerify(nested, Value::Object({{S("cert"), S(kRsaCert)}}).ToJson())),
            R"([true,{"alg":"RS256","typ":"JWT"},{"iss":"xxx"}])");
}

// ---- io.jwt.encode_sign and io.jwt.encode_sign_raw ----

TEST_F(TokensTest, EncodeSignMatchesOpa) {
  const std::string claims =
      R"({"aud":["bob","saul"],"exp":1300819380,"http://example.com/is_root":true,"iss":"joe",)"
      R"("privateParams":{"private_one":"one","private_two":"two"}})";
  const std::string hs256 =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJhdWQiOlsiYm9iIiwic2F1bCJdLCJleHAiOjEzMDA4MTkzODAsImh0dHA6Ly9leGFtcGxlLmNv"
      "bS9pc19yb290Ijp0cnVlLCJpc3MiOiJqb2UiLCJwcml2YXRlUGFyYW1zIjp7InByaXZhdGVfb25lIjoib25lIiwicHJpdmF0ZV90d2"
      "8iOiJ0d28"
      "ifX0.-Or2eol8bzly-Ztb0v7_7UkcKBkN_aNNpK33HK0MeOY";
  EXPECT_EQ(Text(Call("io.jwt.encode_sign", {J(R"({"alg":"HS256","typ":"JWT"})"), J(claims), J(kOctKey)})),
            "\"" + hs256 + "\"");
  // A set becomes an array.
  Value with_set = J(claims);
  ObjectEntries entries = with_set.object();
  entries[0].second = Value::Set({S("saul"), S("bob")});
  EXPECT_EQ(Text(Call("io.jwt.encode_sign",
                      {J(R"({"alg":"HS256","typ":"JWT"})"), Value::Object(std::move(entries)), J(kOctKey)})),
            "\"" + hs256 + "\"");
  EXPECT_EQ(Text(Call("io.jwt.encode_sign", {J(R"({"alg":"HS256","typ":"JWT"})"), J("{}"), J(kOctKey)})),
            R"("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.6cvao8lnOu6FAdK68jQFcDMXOmaWNwWiYhCgijd-AD8")");
  EXPECT_EQ(Text(Call("io.jwt.encode_sign", {J(R"({"alg":"HS256","typ":"JWT"})"),
                                             J(R"({"iat":1678000000,"exp":1678000300})"), J(kOctKey)})),
            R"("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE2NzgwMDAzMDAsImlhdCI6MTY3ODAwMDAwMH0.)"
            R"(ZNCOrxE5MNdrqzHmiQ7c3so0IvGqHddBZFWe3kBaQHg")");
  // Ed25519 signatures are deterministic.
  EXPECT_EQ(
      Text(Call(
          "io.jwt.encode_sign",
          {J(R"({"alg":"EdDSA","typ":"JWT"})"), J(claims),
           J(R"({"kty":"OKP","alg":"EdDSA","crv":"Ed25519","x":"wEZFfoAj1rFKTLOOmjJjVZlCHwksuvMb2I5y_hg70E8")"
             R"(,)"
             R"("d":"9XI34uQzYUJfWhDZf_0nYsLMBRVu8a6dFsy60P8uugk"})")})),
      "\"eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9."
      "eyJhdWQiOlsiYm9iIiwic2F1bCJdLCJleHAiOjEzMDA4MTkzODAsImh0dHA6Ly9leGFtcGxl"
      "LmNvbS9pc19yb290Ijp0cnVlLCJpc3MiOiJqb2UiLCJwcml2YXRlUGFyYW1zIjp7InByaXZhdGVfb25lIjoib25lIiwicHJpdmF0ZV"
      "90d28iOiJ"
      "0d28ifX0.T_X7SzKEehTnRdgYrDobpKO-EqZ0LW3Y-idx16wNHXCL5aiR24h2Ei0pWRHG2X2BYomwbvNwyxPcasgHqs_eBA\"");
  // The payload is JSON as Go writes it.
  auto escaped =
      Call("io.jwt.encode_sign",
           {J(R"({"alg":"HS256"})"), Value::Object({{S("a"), S("<&>\xe2\x80\xa8 \xff")}}), J(kOctKey)});
  ASSERT_TRUE(escaped.ok()) << Text(escaped);
  std::string token = escaped->as_string();
  size_t dot = token.find('.');
  EXPECT_EQ(token.substr(dot + 1, token.find('.', dot + 1) - dot - 1),
            tk::B64Url(R"({"a":"\u003c\u0026\u003e\u2028 \ufffd"})"));
  EXPECT_EQ(Text(Call("io.jwt.encode_sign", {S("x"), J("{}"), J(kOctKey)})),
            "error: eval_type_error: io.jwt.encode_sign: operand 1 must be object but got string");
}

TEST_F(TokensTest, EncodeSignRawMatchesOpa) {
  const std::string header = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
  const std::string payload =
      "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
  // RFC 7515 appendix A.1.
  EXPECT_EQ(Sign(header, payload, kOctKey),
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
            "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGx"
            "lLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  EXPECT_EQ(Sign(header, "{}", kOctKey),
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.e30.KAml6HRetE0sq22SYNh_CQExhf-X31ChYTfGwUBIWu8");
  // Another media type: the payload need not be JSON, or there at all.
  const std::string plain = "{\"typ\":\"text/plain\",\r\n \"alg\":\"HS256\"}";
  EXPECT_EQ(
      Sign(plain, "", kOctKey),
      "eyJ0eXAiOiJ0ZXh0L3BsYWluIiwNCiAiYWxnIjoiSFMyNTYifQ..sXoGQMWwM-SmX495-htA7kndgbkwz1PnqsDeY275gnI");
  EXPECT_EQ(
      Sign(plain, "e", kOctKey),
      "eyJ0eXAiOiJ0ZXh0L3BsYWluIiwNCiAiYWxnIjoiSFMyNTYifQ.ZQ.oO8Vnc4Jv7-J231a1bEcQrgXfKbNW-kEvVY7BP1v5rM");
  // RFC 7515 appendix A.2: RSASSA-PKCS1-v1_5 is deterministic too.
  const std::string rsa_jwk =
      R"({"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJP)"
      R"(MEzP1Pt0Bm4)"
      R"(d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYU)"
      R"(sLA9e-KXBd)"
      R"(QOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9ia)"
      R"(GNj8q2ethF)"
      R"(kMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB","d":"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP)"
      R"(88vLNO97I)"
      R"(jlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0Q)"
      R"(bVdxzubS)"
      R"(u3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8)"
      R"(bGUl_x_jT)"
      R"(j3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ","p":"4BzEEOtIpmVdVEZNCqS7baC)"
      R"(4crd0pqnR)"
      R"(H_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xH)"
      R"(dwW1VhvKn-)"
      R"(nXqhJTBgIPgtldC-KDV5z-y2XDwGUc","q":"uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHg)"
      R"(HAjLYsp1Z)"
      R"(Se7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWd)"
      R"(c","dp":"B)"
      R"(wKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCj)"
      R"(n12Sk3vmA)"
      R"(ktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0","dq":"h_96-mK1R_7glhsum81dZxjTnYynP)"
      R"(bZpHziZjee)"
      R"(HcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1)"
      R"(VZnOZ68m6)"
      R"(_pbLBSp3nssTdlqvd0tIiTHU","qi":"IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpSc)"
      R"(GLq2MowX7f)"
      R"(hd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U"})";
  EXPECT_EQ(Sign(R"({"alg":"RS256"})", payload, rsa_jwk),
            "eyJhbGciOiJSUzI1NiJ9."
            "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ij"
            "p0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_"
            "O8W2Fp5jujGbd"
            "s9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_"
            "nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9"
            "383LcOLn6_dO--xi12jzDwusC-"
            "eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWy"
            "wlVmtVrBp0igcN_IoypGlUPQGe77Rw");
  // A key set signs with its first key.
  EXPECT_EQ(Sign(header, "{}", std::string(R"({"keys":[)") + kOctKey + "]}"),
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.e30.KAml6HRetE0sq22SYNh_CQExhf-X31ChYTfGwUBIWu8");
}

TEST_F(TokensTest, EncodeSignErrorsAreWordedAsOpa) {
  const std::string payload = R"({"iss":"joe"})";
  auto err = [&](const std::string& header, const std::string& body, const std::string& key = kOctKey) {
    return Text(Call("io.jwt.encode_sign_raw", {S(header), S(body), S(key)}));
  };
  const std::string prefix = "error: eval_builtin_error: io.jwt.encode_sign_raw: ";
  EXPECT_EQ(
      err("{\"typ:\"JWT\",\r\n \"alg\":\"HS256\"}", payload),
      prefix +
          R"(missing or invalid 'alg' header: cannot parse JSON: cannot parse object: missing ':' after obje)"
          R"(ct )"
          R"(key; unparsed tail: "JWT\",\r\n \"alg\":\"HS256\"}")");
  EXPECT_EQ(
      err("", payload),
      prefix +
          R"(missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string; unparsed tail: ")"
          R"(")");
  EXPECT_EQ(err("{}", payload), prefix + R"(missing or invalid 'alg' header: jwsbb: header "alg" not found)");
  // A bare word parses (leniently, as a number) and has no alg.
  EXPECT_EQ(err("e", payload), prefix + R"(missing or invalid 'alg' header: jwsbb: header "alg" not found)");
  EXPECT_EQ(err(R"({"alg":5})", payload),
            prefix + R"(missing or invalid 'alg' header: jwsbb: header "alg" not found)");
  EXPECT_EQ(err(R"({"alg":"HS256"} x)", payload),
            prefix + R"(missing or invalid 'alg' header: unexpected tail: "x")");
  EXPECT_EQ(err(R"({"alg":"dummy"})", payload), prefix + "unknown JWS algorithm: dummy");
  EXPECT_EQ(err(R"({"alg":"none"})", payload), prefix + "unknown JWS algorithm: none");
  EXPECT_EQ(err("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}", "e"),
            prefix + "type is JWT but payload is not JSON");
  EXPECT_EQ(err("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}", ""),
            prefix + "type is JWT but payload is not JSON");
  // Without typ, the payload must be JSON too.
  EXPECT_EQ(err(R"({"alg":"HS256"})", "e"), prefix + "type is JWT but payload is not JSON");
  EXPECT_EQ(err(R"({"alg":"HS256"})", payload, R"({"keys":[]})"), prefix + "no keys found in JWK set");
  EXPECT_NE(err(R"({"alg":"HS256"})", payload, "not json").find(prefix), std::string::npos);
  // The key must suit the algorithm.
  EXPECT_NE(err(R"({"alg":"RS256"})", payload).find(prefix + "failed to sign with RS256"), std::string::npos);
  tk::Pkey ec = tk::Generate("P-256");
  EXPECT_NE(err(R"({"alg":"ES256"})", payload, tk::Jwk(ec.get(), false)).find("not a private key"),
            std::string::npos);
  EXPECT_NE(err(R"({"alg":"HS256"})", payload, tk::Jwk(ec.get(), true)).find("not a symmetric key"),
            std::string::npos);
  EXPECT_EQ(Text(Call("io.jwt.encode_sign_raw", {S("{}"), S("{}"), Value::Int(1)})),
            "error: eval_type_error: io.jwt.encode_sign_raw: operand 3 must be string but got number");
  EXPECT_EQ(Text(Call("io.jwt.encode_sign_raw", {Value::Int(1), S("{}"), S(kOctKey)})),
            "error: eval_type_error: io.jwt.encode_sign_raw: operand 1 must be string but got number");
}

TEST_F(TokensTest, EcdsaSignaturesAreRawAndSized) {
  for (const char* curve : {"P-256", "P-384", "P-521"}) {
    tk::Pkey key = tk::Generate(curve);
    std::string alg = std::string(curve) == "P-256"   ? "ES256"
                      : std::string(curve) == "P-384" ? "ES384"
                                                      : "ES512";
    std::string token = Sign(R"({"alg":")" + alg + "\"}", "{}", tk::Jwk(key.get(), true));
    auto sig = Call("io.jwt.decode", {S(token)});
    ASSERT_TRUE(sig.ok()) << Text(sig);
    size_t size = std::string(curve) == "P-521" ? 66 : std::string(curve) == "P-384" ? 48 : 32;
    EXPECT_EQ(sig->array()[2].as_string().size(), 4 * size) << curve;  // hex of r || s
  }
}

TEST_F(TokensTest, MalformedInputNeverCrashes) {
  // Truncations and byte flips of a valid token, through every entry point.
  std::string token = Sign(R"({"alg":"HS256","typ":"JWT","kid":"k"})", R"({"exp":1e300,"nbf":-1})", kOctKey);
  std::vector<std::string> inputs;
  for (size_t i = 0; i < token.size(); i += 7) {
    inputs.push_back(token.substr(0, i));
    std::string flipped = token;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
    inputs.push_back(flipped);
  }
  inputs.push_back("..");
  inputs.push_back("....");
  inputs.push_back(std::string(1000, '.'));
  for (const std::string& in : inputs) {
    (void)Call("io.jwt.decode", {S(in)});
    (void)Call("io.jwt.verify_hs256", {S(in), S("k")});
    (void)Call("io.jwt.verify_rs256", {S(in), S(kRsaCert)});
    (void)Call("io.jwt.decode_verify", {S(in), J(R"({"secret":"k"})")});
    (void)Call("io.jwt.encode_sign_raw", {S(in), S(in), S(kOctKey)});
    (void)Call("io.jwt.encode_sign_raw", {S(R"({"alg":"HS256"})"), S("{}"), S(in)});
  }
  // Deeply nested header JSON is refused, not recursed into without bound.
  std::string deep = R"({"alg":"HS256","x":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_NE(Text(Call("io.jwt.encode_sign_raw", {S(deep), S("{}"), S(kOctKey)})).find("too big depth"),
            std::string::npos);
}

}  // namespace
}  // namespace custody::rego
