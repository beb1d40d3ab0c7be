// Tests for the crypto built-ins: digests and HMACs with OPA's conformance
// values, and certificates, requests and keys made here with OpenSSL, read
// back in the shape Go's crypto/x509 gives them, including error texts and
// malformed input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/encoding.h"
#include "rego/builtins.h"
#include "rego/crypto_test_keys.h"

namespace custody::rego {
namespace {

namespace tk = testkeys;

// A certificate from OPA's conformance cases: mail.google.com, ECDSA P-256,
// signed SHA1WithRSA, base64 DER.
constexpr const char* kGoogleDer =
    "MIIDujCCAqKgAwIBAgIIE31FZVaPXTUwDQYJKoZIhvcNAQEFBQAwSTELMAkGA1UEBhMCVVMxEzARBgNVBAoTCkdvb2dsZSBJbmMxJTAj"
    "BgNVBAMT"
    "HEdvb2dsZSBJbnRlcm5ldCBBdXRob3JpdHkgRzIwHhcNMTQwMTI5MTMyNzQzWhcNMTQwNTI5MDAwMDAwWjBpMQswCQYDVQQGEwJVUzET"
    "MBEGA1UE"
    "CAwKQ2FsaWZvcm5pYTEWMBQGA1UEBwwNTW91bnRhaW4gVmlldzETMBEGA1UECgwKR29vZ2xlIEluYzEYMBYGA1UEAwwPbWFpbC5nb29n"
    "bGUuY29t"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEfRrObuSW5T7q5CnSEqefEmtH4CCv6+"
    "5EckuriNr1CjfVvqzwfAhopXkLrq45EQm8vkmf7W96XJhC"
    "7ZM0dYi1/"
    "qOCAU8wggFLMB0GA1UdJQQWMBQGCCsGAQUFBwMBBggrBgEFBQcDAjAaBgNVHREEEzARgg9tYWlsLmdvb2dsZS5jb20wCwYDVR0PBAQD"
    "AgeAMGgGCCsGAQUFBwEBBFwwWjArBggrBgEFBQcwAoYfaHR0cDovL3BraS5nb29nbGUuY29tL0dJQUcyLmNydDArBggrBgEFBQcwAYYf"
    "aHR0cDov"
    "L2NsaWVudHMxLmdvb2dsZS5jb20vb2NzcDAdBgNVHQ4EFgQUiJxtimAuTfwb+aUtBn5UYKreKvMwDAYDVR0TAQH/"
    "BAIwADAfBgNVHSMEGDAWgBRK"
    "3QYWG7z2aLV29YG2u2IaulqBLzAXBgNVHSAEEDAOMAwGCisGAQQB1nkCBQEwMAYDVR0fBCkwJzAloCOgIYYfaHR0cDovL3BraS5nb29n"
    "bGUuY29t"
    "L0dJQUcyLmNybDANBgkqhkiG9w0BAQUFAAOCAQEAH6RYHxHdcGpMpFE3oxDoFnP+"
    "gtuBCHan2yE2GRbJ2Cw8Lw0MmuKqHlf9RSeYfd3BXeKkj1qO"
    "6TVKwCh+0HdZk283TZZyzmEOyclm3UGFYe82P/iDFt+CeQ3NpmBg+GoaVCuWAARJN/"
    "KfglbLyyYygcQq0SgeDh8dRKUiaW3HQSoYvTvdTuqzwK4C"
    "Xsr3b5/dAOY8uMuG/"
    "IAR3FgwTbZ1dtoWRvOTa8hYiU6A475WuZKyEHcwnGYe57u2I2KbMgcKjPniocj4QzgYsVAVKW3IwaOhyE+vPxsiUkvQHdO2"
    "fojCkY8jg70jxM+gu59tPDNbw3Uh/2Ij310FgTHsnGQMyA==";

class CryptoTest : public ::testing::Test {
 protected:
  CryptoTest() { RegisterCrypto(table_); }

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

  // The field at a path of object keys and array indexes ("0").
  static std::string At(const Value& v, std::initializer_list<std::string_view> path) {
    const Value* cur = &v;
    for (std::string_view p : path) {
      if (cur->is_array()) {
        size_t i = std::stoul(std::string(p));
        if (i >= cur->array().size()) return "<missing>";
        cur = &cur->array()[i];
      } else {
        cur = cur->FindKey(p);
        if (cur == nullptr) return "<missing>";
      }
    }
    return cur->ToJson();
  }

  // A root, an intermediate and a leaf certificate.
  struct Pki {
    tk::Pkey root_key, inter_key, leaf_key;
    tk::Cert root, inter, leaf;
  };
  static Pki MakePki(const std::vector<std::pair<int, std::string>>& leaf_extensions, long leaf_days = 365) {
    Pki p;
    p.root_key = tk::Generate("P-256");
    p.inter_key = tk::Generate("P-384");
    p.leaf_key = tk::Generate("P-256");
    p.root =
        tk::MakeCert({"Test Root CA",
                      {{NID_basic_constraints, "critical,CA:TRUE"}, {NID_key_usage, "critical,keyCertSign"}},
                      1},
                     p.root_key.get(), nullptr, p.root_key.get());
    p.inter = tk::MakeCert({"Test Intermediate CA",
                            {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                             {NID_key_usage, "critical,keyCertSign,cRLSign"}},
                            2},
                           p.inter_key.get(), p.root.get(), p.root_key.get());
    p.leaf = tk::MakeCert({"leaf.example", leaf_extensions, 3, -3600, leaf_days}, p.leaf_key.get(),
                          p.inter.get(), p.inter_key.get());
    return p;
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

TEST_F(CryptoTest, RegistersEveryBuiltinOfTheGroup) {
  const std::vector<std::pair<std::string, int>> expected = {
      {"crypto.hmac.equal", 2},
      {"crypto.hmac.md5", 2},
      {"crypto.hmac.sha1", 2},
      {"crypto.hmac.sha256", 2},
      {"crypto.hmac.sha512", 2},
      {"crypto.md5", 1},
      {"crypto.parse_private_keys", 1},
      {"crypto.sha1", 1},
      {"crypto.sha256", 1},
      {"crypto.x509.parse_and_verify_certificates", 1},
      {"crypto.x509.parse_and_verify_certificates_with_options", 2},
      {"crypto.x509.parse_certificate_request", 1},
      {"crypto.x509.parse_certificates", 1},
      {"crypto.x509.parse_keypair", 2},
      {"crypto.x509.parse_rsa_private_key", 1},
  };
  EXPECT_EQ(table_.all().size(), expected.size());
  for (const auto& [name, arity] : expected) {
    const Builtin* b = table_.Find(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_EQ(b->arity, arity) << name;
  }
}

// ---- Digests and HMACs ----

TEST_F(CryptoTest, Digests) {
  EXPECT_EQ(Text(Call("crypto.md5", {S("lorem ipsum")})), R"("80a751fde577028640c419000e33eba6")");
  EXPECT_EQ(Text(Call("crypto.sha1", {S("lorem ipsum")})), R"("bfb7759a67daeb65410490b4d98bb9da7d1ea2ce")");
  EXPECT_EQ(Text(Call("crypto.sha256", {S("lorem ipsum")})),
            R"("5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269")");
  EXPECT_EQ(Text(Call("crypto.sha256", {S("")})),
            R"("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")");
  EXPECT_EQ(Text(Call("crypto.md5", {Value::Int(1)})),
            "error: eval_type_error: crypto.md5: operand 1 must be string but got number");
}

TEST_F(CryptoTest, Hmacs) {
  EXPECT_EQ(Text(Call("crypto.hmac.md5", {S("foo"), S("bar")})), R"("31b6db9e5eb4addb42f1a6ca07367adc")");
  EXPECT_EQ(Text(Call("crypto.hmac.sha1", {S("foo"), S("bar")})),
            R"("85d155c55ed286a300bd1cf124de08d87e914f3a")");
  EXPECT_EQ(Text(Call("crypto.hmac.sha256", {S("foo"), S("bar")})),
            R"("147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851")");
  EXPECT_EQ(
      Text(Call("crypto.hmac.sha512", {S("foo"), S("bar")})),
      R"("24257d7210582a65c731ec55159c8184cc24c02489453e58587f71f44c23a2d61b4b72154a89d17b2d49448a8452ea066f)"
      R"(4f)"
      R"(c56a2bcead45c088572ffccdb3d8")");
  EXPECT_EQ(Text(Call("crypto.hmac.sha1", {S("åäöçß🥲♙Ω"), S("秘密の")})),
            R"("81759c39013935fcf0de833d44c8018d7c1455dd")");
  EXPECT_EQ(
      Text(Call("crypto.hmac.sha512", {S("åäöçß🥲♙Ω"), S("秘密の")})),
      R"("192f5afded233d6e21427aa26ed267ac118cfa2971013d91cbed530c0b208d78138b83dfe1d6cc3553d7bd518f22a48140)"
      R"(2c)"
      R"(723028e1279d1ffbe8f11ea6b125")");
  // An empty key and message are fine.
  EXPECT_EQ(Text(Call("crypto.hmac.sha256", {S(""), S("")})),
            R"("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")");
  EXPECT_EQ(Text(Call("crypto.hmac.sha256", {S("foo"), Value::Null()})),
            "error: eval_type_error: crypto.hmac.sha256: operand 2 must be string but got null");
}

TEST_F(CryptoTest, HmacEqual) {
  EXPECT_EQ(Text(Call("crypto.hmac.equal",
                      {S("31b6db9e5eb4addb42f1a6ca07367adc"), S("31b6db9e5eb4addb42f1a6ca07367adc")})),
            "true");
  EXPECT_EQ(Text(Call("crypto.hmac.equal", {S("31b6db9e5eb4addb42f1a6ca07367adc"), S("31b6db9e5eb4addb")})),
            "false");
  EXPECT_EQ(Text(Call("crypto.hmac.equal", {S("abc"), S("abd")})), "false");
  EXPECT_EQ(Text(Call("crypto.hmac.equal", {S(""), S("")})), "true");
  EXPECT_EQ(Text(Call("crypto.hmac.equal", {S("a"), Value::Int(1)})),
            "error: eval_type_error: crypto.hmac.equal: operand 2 must be string but got number");
}

// ---- crypto.x509.parse_certificates ----

TEST_F(CryptoTest, ParseCertificatesFromDerPemAndBase64Pem) {
  auto der = Call("crypto.x509.parse_certificates", {S(kGoogleDer)});
  ASSERT_TRUE(der.ok()) << Text(der);
  ASSERT_EQ(der->size(), 1u);
  const Value& c = der->array()[0];
  EXPECT_EQ(At(c, {"Subject", "CommonName"}), R"("mail.google.com")");
  EXPECT_EQ(At(c, {"Subject", "Organization"}), R"(["Google Inc"])");
  EXPECT_EQ(At(c, {"Subject", "Locality"}), R"(["Mountain View"])");
  EXPECT_EQ(At(c, {"Subject", "Names", "0"}), R"({"Type":[2,5,4,6],"Value":"US"})");
  EXPECT_EQ(At(c, {"Issuer", "CommonName"}), R"("Google Internet Authority G2")");
  EXPECT_EQ(At(c, {"Raw"}), std::string("\"") + kGoogleDer + "\"");
  EXPECT_EQ(At(c, {"SerialNumber"}), "1404354960355712309");
  EXPECT_EQ(At(c, {"Version"}), "3");
  EXPECT_EQ(At(c, {"NotBefore"}), R"("2014-01-29T13:27:43Z")");
  EXPECT_EQ(At(c, {"NotAfter"}), R"("2014-05-29T00:00:00Z")");
  EXPECT_EQ(At(c, {"SignatureAlgorithm"}), "3");  // SHA1WithRSA
  EXPECT_EQ(At(c, {"PublicKeyAlgorithm"}), "3");  // ECDSA
  EXPECT_EQ(At(c, {"PublicKey", "Curve"}), "{}");
  EXPECT_EQ(At(c, {"DNSNames"}), R"(["mail.google.com"])");
  EXPECT_EQ(At(c, {"ExtKeyUsage"}), "[1,2]");
  EXPECT_EQ(At(c, {"KeyUsage"}), "1");  // digitalSignature
  EXPECT_EQ(At(c, {"BasicConstraintsValid"}), "true");
  EXPECT_EQ(At(c, {"IsCA"}), "false");
  EXPECT_EQ(At(c, {"MaxPathLen"}), "-1");
  EXPECT_EQ(At(c, {"OCSPServer"}), R"(["http://clients1.google.com/ocsp"])");
  EXPECT_EQ(At(c, {"IssuingCertificateURL"}), R"(["http://pki.google.com/GIAG2.crt"])");
  EXPECT_EQ(At(c, {"CRLDistributionPoints"}), R"(["http://pki.google.com/GIAG2.crl"])");
  EXPECT_EQ(At(c, {"PolicyIdentifiers"}), "[[1,3,6,1,4,1,11129,2,5,1]]");
  EXPECT_EQ(At(c, {"Policies"}), R"(["1.3.6.1.4.1.11129.2.5.1"])");
  EXPECT_EQ(At(c, {"SubjectKeyId"}), R"("iJxtimAuTfwb+aUtBn5UYKreKvM=")");
  EXPECT_EQ(At(c, {"AuthorityKeyId"}), R"("St0GFhu89mi1dvWBtrtiGrpagS8=")");
  EXPECT_EQ(At(c, {"Extensions", "0"}),
            R"({"Critical":false,"Id":[2,5,29,37],"Value":"MBQGCCsGAQUFBwMBBggrBgEFBQcDAg=="})");
  EXPECT_EQ(At(c, {"URIStrings"}), "null");
  EXPECT_EQ(At(c, {"IPAddresses"}), "null");
  EXPECT_EQ(At(c, {"UnhandledCriticalExtensions"}), "null");

  // The same certificate as PEM, and as base64 of the PEM.
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  std::string b64 = kGoogleDer;
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  pem += "-----END CERTIFICATE-----\n";
  EXPECT_EQ(Text(Call("crypto.x509.parse_certificates", {S(pem)})), Text(der));
  EXPECT_EQ(Text(Call("crypto.x509.parse_certificates", {S(Base64Encode(pem))})), Text(der));
}

TEST_F(CryptoTest, ParseCertificatesChainAndNames) {
  Pki p = MakePki({{NID_subject_alt_name,
                    "DNS:leaf.example,DNS:*.leaf.example,email:ops@leaf.example,IP:10.1.2.3,IP:2001:db8::1,"
                    "URI:spiffe://example.com/workload?x=1#frag"},
                   {NID_ext_key_usage, "serverAuth,1.2.3.4"},
                   {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                   {NID_basic_constraints, "critical,CA:FALSE"}});
  std::string chain = tk::CertPem(p.leaf.get()) + tk::CertPem(p.inter.get()) + tk::CertPem(p.root.get());
  auto r = Call("crypto.x509.parse_certificates", {S(chain)});
  ASSERT_TRUE(r.ok()) << Text(r);
  ASSERT_EQ(r->size(), 3u);
  const Value& leaf = r->array()[0];
  EXPECT_EQ(At(leaf, {"Subject", "CommonName"}), R"("leaf.example")");
  EXPECT_EQ(At(leaf, {"Subject", "Organization"}), R"(["Custody Test"])");
  EXPECT_EQ(At(leaf, {"DNSNames"}), R"(["leaf.example","*.leaf.example"])");
  EXPECT_EQ(At(leaf, {"EmailAddresses"}), R"(["ops@leaf.example"])");
  EXPECT_EQ(At(leaf, {"IPAddresses"}), R"(["10.1.2.3","2001:db8::1"])");
  EXPECT_EQ(At(leaf, {"URIStrings"}), R"(["spiffe://example.com/workload?x=1#frag"])");
  EXPECT_EQ(At(leaf, {"URIs", "0", "Scheme"}), R"("spiffe")");
  EXPECT_EQ(At(leaf, {"URIs", "0", "Host"}), R"("example.com")");
  EXPECT_EQ(At(leaf, {"URIs", "0", "Path"}), R"("/workload")");
  EXPECT_EQ(At(leaf, {"URIs", "0", "RawQuery"}), R"("x=1")");
  EXPECT_EQ(At(leaf, {"URIs", "0", "Fragment"}), R"("frag")");
  EXPECT_EQ(At(leaf, {"URIs", "0", "User"}), "null");
  EXPECT_EQ(At(leaf, {"ExtKeyUsage"}), "[1]");
  EXPECT_EQ(At(leaf, {"UnknownExtKeyUsage"}), "[[1,2,3,4]]");
  EXPECT_EQ(At(leaf, {"KeyUsage"}), "5");
  EXPECT_EQ(At(leaf, {"BasicConstraintsValid"}), "true");
  EXPECT_EQ(At(leaf, {"SerialNumber"}), "3");
  EXPECT_EQ(At(leaf, {"SignatureAlgorithm"}), "10");  // ECDSAWithSHA256
  EXPECT_EQ(At(leaf, {"Raw"}), "\"" + Base64Encode(tk::CertDer(p.leaf.get())) + "\"");
  const Value& inter = r->array()[1];
  EXPECT_EQ(At(inter, {"IsCA"}), "true");
  EXPECT_EQ(At(inter, {"MaxPathLen"}), "0");
  EXPECT_EQ(At(inter, {"MaxPathLenZero"}), "true");
  EXPECT_EQ(At(inter, {"KeyUsage"}), "96");  // certSign | cRLSign
  EXPECT_EQ(At(inter, {"DNSNames"}), "null");
  EXPECT_EQ(At(r->array()[2], {"MaxPathLen"}), "-1");

  // DER certificates one after another, base64.
  std::string ders = tk::CertDer(p.leaf.get()) + tk::CertDer(p.root.get());
  auto r2 = Call("crypto.x509.parse_certificates", {S(Base64Encode(ders))});
  ASSERT_TRUE(r2.ok()) << Text(r2);
  EXPECT_EQ(r2->size(), 2u);
}

TEST_F(CryptoTest, ParseCertificatesKeyTypes) {
  tk::Pkey rsa = tk::Generate("RSA");
  tk::Pkey ed = tk::Generate("Ed25519");
  tk::Cert rsa_cert = tk::MakeCert({"rsa", {}}, rsa.get(), nullptr, rsa.get());
  tk::Cert ed_cert = tk::MakeCert({"ed", {}}, ed.get(), nullptr, ed.get());
  auto r =
      Call("crypto.x509.parse_certificates", {S(tk::CertPem(rsa_cert.get()) + tk::CertPem(ed_cert.get()))});
  ASSERT_TRUE(r.ok()) << Text(r);
  EXPECT_EQ(At(r->array()[0], {"PublicKeyAlgorithm"}), "1");
  EXPECT_EQ(At(r->array()[0], {"SignatureAlgorithm"}), "4");  // SHA256WithRSA
  EXPECT_EQ(At(r->array()[0], {"PublicKey", "E"}), "65537");
  EXPECT_EQ(At(r->array()[1], {"PublicKeyAlgorithm"}), "4");
  EXPECT_EQ(At(r->array()[1], {"SignatureAlgorithm"}), "16");              // PureEd25519
  EXPECT_EQ(r->array()[1].FindKey("PublicKey")->as_string().size(), 44u);  // base64 of 32 bytes
}

TEST_F(CryptoTest, ParseCertificatesErrors) {
  auto err = [&](std::string_view in) { return Text(Call("crypto.x509.parse_certificates", {S(in)})); };
  const std::string prefix = "error: eval_builtin_error: crypto.x509.parse_certificates: ";
  EXPECT_EQ(err("foobar"), prefix + "illegal base64 data at input byte 4");
  EXPECT_EQ(err("YmFkc3RyaW5n"), prefix + "x509: malformed certificate");
  EXPECT_EQ(err(Base64Encode(std::string(kGoogleDer).substr(0, 40))), prefix + "x509: malformed certificate");
  tk::Pkey key = tk::Generate("P-256");
  EXPECT_EQ(err(tk::PrivatePem(key.get())), prefix + "PEM block type is 'PRIVATE KEY', expected CERTIFICATE");
  // Text that starts like PEM but holds no block: no certificates.
  EXPECT_EQ(err("-----BEGIN nothing"), "[]");
  EXPECT_EQ(err(""), "[]");
  EXPECT_EQ(
      Text(Call("crypto.x509.parse_certificates", {Value::Int(1)})),
      "error: eval_type_error: crypto.x509.parse_certificates: operand 1 must be string but got number");
}

// ---- crypto.x509.parse_and_verify_certificates(_with_options) ----

TEST_F(CryptoTest, ParseAndVerifyCertificates) {
  Pki p = MakePki({{NID_subject_alt_name, "DNS:leaf.example,URI:spiffe://example.com/opa"},
                   {NID_ext_key_usage, "serverAuth"}});
  // Root first, leaf last; the verified chain comes back leaf first.
  std::string input = tk::CertPem(p.root.get()) + tk::CertPem(p.inter.get()) + tk::CertPem(p.leaf.get());
  auto r = Call("crypto.x509.parse_and_verify_certificates", {S(input)});
  ASSERT_TRUE(r.ok()) << Text(r);
  EXPECT_EQ(At(*r, {"0"}), "true");
  EXPECT_EQ(At(*r, {"1", "0", "Subject", "CommonName"}), R"("leaf.example")");
  EXPECT_EQ(At(*r, {"1", "1", "Subject", "CommonName"}), R"("Test Intermediate CA")");
  EXPECT_EQ(At(*r, {"1", "2", "Subject", "CommonName"}), R"("Test Root CA")");
  EXPECT_EQ(At(*r, {"1", "0", "URIStrings"}), R"(["spiffe://example.com/opa"])");

  auto not_verified = [&](const std::string& in) {
    EXPECT_EQ(Text(Call("crypto.x509.parse_and_verify_certificates", {S(in)})), "[false,[]]");
  };
  not_verified(tk::CertPem(p.leaf.get()) + tk::CertPem(p.inter.get()) + tk::CertPem(p.root.get()));
  not_verified(tk::CertPem(p.root.get()) + tk::CertPem(p.leaf.get()));  // intermediate missing
  not_verified(tk::CertPem(p.root.get()));                              // one certificate is not a chain
  not_verified("garbage");
  not_verified("");
  // Base64 of the PEM works too.
  EXPECT_EQ(At(*Call("crypto.x509.parse_and_verify_certificates", {S(Base64Encode(input))}), {"0"}), "true");
  // An expired leaf does not verify.
  Pki expired = MakePki({}, -1);
  not_verified(tk::CertPem(expired.root.get()) + tk::CertPem(expired.inter.get()) +
               tk::CertPem(expired.leaf.get()));
}

TEST_F(CryptoTest, VerificationChecksExtendedKeyUsage) {
  // A client-only leaf: Go verifies for server authentication by default.
  Pki p = MakePki({{NID_subject_alt_name, "DNS:leaf.example"}, {NID_ext_key_usage, "clientAuth"}});
  std::string input = tk::CertPem(p.root.get()) + tk::CertPem(p.inter.get()) + tk::CertPem(p.leaf.get());
  EXPECT_EQ(Text(Call("crypto.x509.parse_and_verify_certificates", {S(input)})), "[false,[]]");
  auto with = [&](const std::string& options) {
    return Call("crypto.x509.parse_and_verify_certificates_with_options", {S(input), J(options)});
  };
  EXPECT_EQ(At(*with(R"({"KeyUsages":["KeyUsageClientAuth"]})"), {"0"}), "true");
  EXPECT_EQ(At(*with(R"({"KeyUsages":["KeyUsageAny"]})"), {"0"}), "true");
  EXPECT_EQ(Text(with(R"({"KeyUsages":["KeyUsageCodeSigning"]})")), "[false,[]]");
  // With options, OPA leaves URIStrings out.
  EXPECT_EQ(At(*with(R"({"KeyUsages":["KeyUsageClientAuth"]})"), {"1", "0", "URIStrings"}), "<missing>");
}

TEST_F(CryptoTest, VerificationOptions) {
  Pki p = MakePki({{NID_subject_alt_name, "DNS:leaf.example,IP:10.0.0.7"}});
  std::string input = tk::CertPem(p.root.get()) + tk::CertPem(p.inter.get()) + tk::CertPem(p.leaf.get());
  auto with = [&](const std::string& options) {
    return Text(Call("crypto.x509.parse_and_verify_certificates_with_options", {S(input), J(options)}))
        .substr(0, 6);
  };
  EXPECT_EQ(with("{}"), "[true,");
  EXPECT_EQ(with(R"({"DNSName":"leaf.example"})"), "[true,");
  EXPECT_EQ(with(R"({"DNSName":"other.example"})"), "[false");
  EXPECT_EQ(with(R"({"DNSName":"10.0.0.7"})"), "[true,");
  EXPECT_EQ(with(R"({"DNSName":"10.0.0.8"})"), "[false");
  // The leaf is valid from an hour ago for a year.
  int64_t now = static_cast<int64_t>(time(nullptr));
  EXPECT_EQ(with(R"({"CurrentTime":)" + std::to_string(now * 1000000000) + "}"), "[true,");
  EXPECT_EQ(with(R"({"CurrentTime":)" + std::to_string((now - 7200) * 1000000000) + "}"), "[false");
  EXPECT_EQ(with(R"({"CurrentTime":)" + std::to_string((now + 400 * 86400LL) * 1000000000) + "}"), "[false");
  EXPECT_EQ(with(R"({"MaxConstraintComparisons":10})"), "[true,");
  EXPECT_EQ(with(R"({"KeyUsages":[]})"), "[true,");

  auto err = [&](const std::string& options) {
    return Text(Call("crypto.x509.parse_and_verify_certificates_with_options", {S(input), J(options)}));
  };
  const std::string prefix =
      "error: eval_builtin_error: crypto.x509.parse_and_verify_certificates_with_options: ";
  EXPECT_EQ(err(R"({"DNSName":1})"), prefix + "'DNSName' should be a string");
  EXPECT_EQ(err(R"({"CurrentTime":"now"})"), prefix + "'CurrentTime' should be a number");
  EXPECT_EQ(err(R"({"CurrentTime":1.5})"), prefix + "'CurrentTime' should be a valid int64 number");
  EXPECT_EQ(err(R"({"MaxConstraintComparisons":"x"})"),
            prefix + "'MaxConstraintComparisons' should be a number");
  EXPECT_EQ(err(R"({"KeyUsages":"KeyUsageAny"})"), prefix + "'KeyUsages' should be an Array or Set");
  EXPECT_EQ(err(R"({"KeyUsages":["Bogus","KeyUsageAny","Other"]})"),
            prefix + "invalid entries for 'KeyUsages' found: [Bogus Other]");
  EXPECT_EQ(err(R"({"Colour":"blue"})"), prefix + "invalid key option");
  // Certificates that do not parse are reported before the options.
  EXPECT_EQ(
      Text(Call("crypto.x509.parse_and_verify_certificates_with_options", {S("garbage"), J(R"({"x":1})")})),
      "[false,[]]");
  EXPECT_EQ(Text(Call("crypto.x509.parse_and_verify_certificates_with_options", {S(input), S("x")})),
            "error: eval_type_error: crypto.x509.parse_and_verify_certificates_with_options: operand 2 must "
            "be object "
            "but got string");
}

// ---- crypto.x509.parse_certificate_request ----

TEST_F(CryptoTest, ParseCertificateRequest) {
  tk::Pkey key = tk::Generate("RSA");
  std::string der;
  std::string pem =
      tk::CsrPem(key.get(), "example.com", "DNS:example.com,IP:192.0.2.1,email:a@example.com", &der);
  auto r = Call("crypto.x509.parse_certificate_request", {S(pem)});
  ASSERT_TRUE(r.ok()) << Text(r);
  EXPECT_EQ(At(*r, {"Subject", "CommonName"}), R"("example.com")");
  EXPECT_EQ(At(*r, {"DNSNames"}), R"(["example.com"])");
  EXPECT_EQ(At(*r, {"IPAddresses"}), R"(["192.0.2.1"])");
  EXPECT_EQ(At(*r, {"EmailAddresses"}), R"(["a@example.com"])");
  EXPECT_EQ(At(*r, {"Version"}), "0");
  EXPECT_EQ(At(*r, {"SignatureAlgorithm"}), "4");
  EXPECT_EQ(At(*r, {"PublicKeyAlgorithm"}), "1");
  EXPECT_EQ(At(*r, {"Raw"}), "\"" + Base64Encode(der) + "\"");
  EXPECT_EQ(At(*r, {"Extensions", "0", "Id"}), "[2,5,29,17]");
  // The extension request, as Go's deprecated Attributes field reads it.
  EXPECT_EQ(At(*r, {"Attributes", "0", "Type"}), "[1,2,840,113549,1,9,14]");
  EXPECT_EQ(At(*r, {"Attributes", "0", "Value", "0", "0", "Type"}), "[2,5,29,17]");
  // Base64 of the PEM and of the DER give the same.
  EXPECT_EQ(Text(Call("crypto.x509.parse_certificate_request", {S(Base64Encode(pem))})), Text(r));
  EXPECT_EQ(Text(Call("crypto.x509.parse_certificate_request", {S(Base64Encode(der))})), Text(r));
  // Without extensions.
  auto plain = Call("crypto.x509.parse_certificate_request", {S(tk::CsrPem(key.get(), "plain", ""))});
  ASSERT_TRUE(plain.ok()) << Text(plain);
  EXPECT_EQ(At(*plain, {"Extensions"}), "null");
  EXPECT_EQ(At(*plain, {"DNSNames"}), "null");
}

TEST_F(CryptoTest, ParseCertificateRequestErrors) {
  const std::string prefix = "error: eval_builtin_error: crypto.x509.parse_certificate_request: ";
  auto err = [&](std::string_view in) {
    return Text(Call("crypto.x509.parse_certificate_request", {S(in)}));
  };
  EXPECT_EQ(err("foobar"), prefix + "illegal base64 data at input byte 4");
  EXPECT_EQ(err("YmFkc3RyaW5n").substr(0, prefix.size() + 21), prefix + "asn1: structure error");
  tk::Pkey key = tk::Generate("P-256");
  EXPECT_EQ(err(Base64Encode(tk::PublicPem(key.get()))),
            prefix + "invalid PEM-encoded certificate signing request");
  EXPECT_EQ(err(""), prefix + "asn1: structure error: tags don't match: malformed certificate request");
}

// ---- Private keys ----

TEST_F(CryptoTest, ParseRsaPrivateKeyGivesTheJwk) {
  tk::Pkey key = tk::Generate("RSA");
  Value want = J(tk::Jwk(key.get(), true));
  for (const std::string& pem : {tk::TraditionalPem(key.get()), tk::PrivatePem(key.get())}) {
    EXPECT_EQ(Text(Call("crypto.x509.parse_rsa_private_key", {S(pem)})), want.ToJson());
    EXPECT_EQ(Text(Call("crypto.x509.parse_rsa_private_key", {S(Base64Encode(pem))})), want.ToJson());
  }
  // OPA's JWK of an EC key keeps only its type.
  tk::Pkey ec = tk::Generate("P-256");
  EXPECT_EQ(Text(Call("crypto.x509.parse_rsa_private_key", {S(tk::TraditionalPem(ec.get()))})),
            R"({"kty":"EC"})");
  tk::Pkey ed = tk::Generate("Ed25519");
  EXPECT_EQ(
      Text(Call("crypto.x509.parse_rsa_private_key", {S(tk::PrivatePem(ed.get()))})),
      "error: eval_builtin_error: crypto.x509.parse_rsa_private_key: invalid key type ed25519.PrivateKey");
  // Other blocks: no key.
  EXPECT_EQ(Text(Call("crypto.x509.parse_rsa_private_key", {S(tk::PublicPem(ec.get()))})), "null");
  EXPECT_EQ(
      Text(Call("crypto.x509.parse_rsa_private_key", {S("invalid")})),
      "error: eval_builtin_error: crypto.x509.parse_rsa_private_key: illegal base64 data at input byte 4");
  EXPECT_EQ(Text(Call("crypto.x509.parse_rsa_private_key", {S("")})),
            "error: eval_builtin_error: crypto.x509.parse_rsa_private_key: input PEM data was empty");
  EXPECT_EQ(
      Text(Call("crypto.x509.parse_rsa_private_key",
                {S("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")})),
      "error: eval_builtin_error: crypto.x509.parse_rsa_private_key: x509: failed to parse private key");
}

TEST_F(CryptoTest, ParsePrivateKeys) {
  tk::Pkey rsa = tk::Generate("RSA");
  tk::Pkey ec = tk::Generate("P-384");
  tk::Pkey ed = tk::Generate("Ed25519");
  std::string pems = tk::TraditionalPem(rsa.get()) + tk::PublicPem(rsa.get()) + tk::TraditionalPem(ec.get()) +
                     tk::PrivatePem(ed.get());
  auto r = Call("crypto.parse_private_keys", {S(pems)});
  ASSERT_TRUE(r.ok()) << Text(r);
  ASSERT_EQ(r->size(), 3u);
  const Value& k0 = r->array()[0];
  EXPECT_EQ(At(k0, {"E"}), "65537");
  EXPECT_EQ(k0.FindKey("Primes")->size(), 2u);
  EXPECT_EQ(At(k0, {"Precomputed", "CRTValues"}), "[]");
  EXPECT_TRUE(k0.FindKey("N")->is_big());
  EXPECT_EQ(At(r->array()[1], {"Curve"}), "{}");
  EXPECT_TRUE(r->array()[1].FindKey("D")->is_number());
  EXPECT_EQ(r->array()[2].as_string().size(), 88u);  // base64 of seed and public key
  // Base64 of the whole text works too.
  EXPECT_EQ(Text(Call("crypto.parse_private_keys", {S(Base64Encode(pems))})), Text(r));

  EXPECT_EQ(Text(Call("crypto.parse_private_keys", {S("nope")})), "[]");
  EXPECT_EQ(Text(Call("crypto.parse_private_keys", {S("")})), "null");
  EXPECT_EQ(Text(Call("crypto.parse_private_keys",
                      {S("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")})),
            "error: eval_builtin_error: crypto.parse_private_keys: x509: failed to parse EC private key");
  EXPECT_EQ(Text(Call("crypto.parse_private_keys", {Value::EmptyArray()})),
            "error: eval_type_error: crypto.parse_private_keys: operand 1 must be string but got array");
}

// ---- crypto.x509.parse_keypair ----

TEST_F(CryptoTest, ParseKeyPair) {
  for (const char* kind : {"RSA", "P-256", "Ed25519"}) {
    tk::Pkey key = tk::Generate(kind);
    tk::Cert cert =
        tk::MakeCert({"pair", {{NID_subject_alt_name, "DNS:pair.example"}}}, key.get(), nullptr, key.get());
    std::string cert_pem = tk::CertPem(cert.get());
    std::vector<std::string> key_pems = {tk::PrivatePem(key.get())};
    if (std::string(kind) != "Ed25519") key_pems.push_back(tk::TraditionalPem(key.get()));  // PKCS #1, SEC 1
    for (const std::string& key_pem : key_pems) {
      auto r = Call("crypto.x509.parse_keypair", {S(cert_pem), S(key_pem)});
      ASSERT_TRUE(r.ok()) << kind << ": " << Text(r);
      EXPECT_EQ(At(*r, {"Certificate", "0"}), "\"" + Base64Encode(tk::CertDer(cert.get())) + "\"");
      EXPECT_EQ(At(*r, {"Leaf", "DNSNames"}), R"(["pair.example"])");
      EXPECT_EQ(At(*r, {"Leaf", "URIStrings"}), "<missing>");
      EXPECT_EQ(At(*r, {"OCSPStaple"}), "null");
      EXPECT_NE(At(*r, {"PrivateKey"}), "null");
    }
    // Base64 of the PEM texts, and base64 DER.
    auto b64 = Call("crypto.x509.parse_keypair",
                    {S(Base64Encode(cert_pem)), S(Base64Encode(tk::PrivatePem(key.get())))});
    EXPECT_TRUE(b64.ok()) << kind << ": " << Text(b64);
    auto der = Call("crypto.x509.parse_keypair",
                    {S(Base64Encode(tk::CertDer(cert.get()))), S(Base64Encode(tk::PrivateDer(key.get())))});
    EXPECT_TRUE(der.ok()) << kind << ": " << Text(der);
  }
}

TEST_F(CryptoTest, ParseKeyPairErrors) {
  tk::Pkey key = tk::Generate("P-256");
  tk::Pkey other = tk::Generate("P-256");
  tk::Pkey rsa = tk::Generate("RSA");
  tk::Cert cert = tk::MakeCert({"pair", {}}, key.get(), nullptr, key.get());
  std::string cert_pem = tk::CertPem(cert.get());
  const std::string prefix = "error: eval_builtin_error: crypto.x509.parse_keypair: ";
  auto err = [&](const std::string& c, const std::string& k) {
    return Text(Call("crypto.x509.parse_keypair", {S(c), S(k)}));
  };
  EXPECT_EQ(err(cert_pem, tk::PrivatePem(other.get())),
            prefix + "tls: private key does not match public key");
  EXPECT_EQ(err(cert_pem, tk::PrivatePem(rsa.get())),
            prefix + "tls: private key type does not match public key type");
  EXPECT_EQ(err(tk::PrivatePem(key.get()), cert_pem),
            prefix +
                "tls: failed to find certificate PEM data in certificate input, but did find a private key; "
                "PEM inputs "
                "may have been switched");
  EXPECT_EQ(err(cert_pem, cert_pem),
            prefix + "tls: found a certificate rather than a key in the PEM for the private key");
  EXPECT_EQ(err(tk::PublicPem(key.get()), tk::PrivatePem(key.get())),
            prefix +
                "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM "
                "blocks of the "
                "following types: [PUBLIC KEY]");
  EXPECT_EQ(
      err(cert_pem, tk::PublicPem(key.get()) + tk::CertPem(cert.get())),
      prefix +
          "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM "
          "blocks of the following types: [PUBLIC KEY CERTIFICATE]");
  EXPECT_EQ(err(cert_pem, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            prefix + "tls: failed to parse private key");
  EXPECT_EQ(err("foobar", tk::PrivatePem(key.get())), prefix + "illegal base64 data at input byte 4");
  // OPA reports a key that is not a string as operand 1 too.
  EXPECT_EQ(Text(Call("crypto.x509.parse_keypair", {S(cert_pem), Value::Int(1)})),
            "error: eval_type_error: crypto.x509.parse_keypair: operand 1 must be string but got number");
}

TEST_F(CryptoTest, HostilePemStaysLinear) {
  // Many block starts and no usable end: Go's decoder was quadratic here.
  std::string starts;
  for (int i = 0; i < 100000; ++i) starts += "-----BEGIN CERTIFICATE-----\n";
  EXPECT_EQ(Text(Call("crypto.x509.parse_certificates", {S(starts)})), "[]");
  EXPECT_EQ(Text(Call("crypto.x509.parse_certificates", {S(starts + "-----END CERTIFICATE-----\n")})), "[]");
  EXPECT_EQ(Text(Call("crypto.parse_private_keys", {S(starts + "-----END OTHER-----\n")})), "[]");
}

TEST_F(CryptoTest, MalformedInputNeverCrashes) {
  Pki p = MakePki({{NID_subject_alt_name, "DNS:leaf.example"}});
  std::string der = tk::CertDer(p.leaf.get());
  std::string csr_der;
  tk::CsrPem(p.leaf_key.get(), "x", "DNS:x", &csr_der);
  for (const std::string& base : {der, csr_der}) {
    for (size_t i = 0; i < base.size(); i += 3) {
      std::string cut = base.substr(0, i);
      std::string flipped = base;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
      for (const std::string& in : {cut, flipped}) {
        (void)Call("crypto.x509.parse_certificates", {S(Base64Encode(in))});
        (void)Call("crypto.x509.parse_and_verify_certificates", {S(Base64Encode(in))});
        (void)Call("crypto.x509.parse_certificate_request", {S(Base64Encode(in))});
        (void)Call("crypto.x509.parse_keypair", {S(Base64Encode(in)), S(Base64Encode(in))});
        (void)Call("crypto.parse_private_keys", {S(Base64Encode(in))});
      }
    }
  }
}

}  // namespace
}  // namespace custody::rego
