#include "attest/model_signature.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/encoding.h"
#include "manifest/predicate.h"
#include "test_util.h"

namespace custody {
namespace {

using testing::TempDir;
using testing::WriteFile;

struct Params {
  KeyType key;
  SerializationMethod method;
};

class SignVerifyTest : public ::testing::TestWithParam<Params> {
 protected:
  void SetUp() override {
    WriteFile(d / "m/config.json", "{\"layers\": 12}");
    WriteFile(d / "m/weights/part-0.bin", std::string(5000, 'w'));
    WriteFile(d / "m/weights/part-1.bin", std::string(3000, 'v'));
    WriteFile(d / "m/tokenizer/vocab.txt", "a\nb\nc\n");
    WriteFile(d / "m/.git/HEAD", "ref: main");
    auto k = PrivateKey::Generate(GetParam().key);
    ASSERT_TRUE(k.ok());
    key = std::make_unique<PrivateKey>(*k);
    ser.method = GetParam().method;
    ser.shard_size = 2048;
    ser.ignore_paths = DefaultIgnorePaths();
    ser.ignore_paths.push_back("model.sig");
    Sign();
  }
  void Sign() {
    auto m = HashModel(d / "m", ser);
    ASSERT_TRUE(m.ok());
    auto b = SignManifest(*m, *key);
    ASSERT_TRUE(b.ok());
    bundle = *b;
  }
  Result<ModelVerification> Verify(const PublicKey& pub) { return VerifyModel(d / "m", bundle, pub, {}, {}, {}); }
  Result<ModelVerification> Verify() { return Verify(key->Public()); }

  TempDir d;
  std::unique_ptr<PrivateKey> key;
  Serialization ser;
  Bundle bundle;
};

TEST_P(SignVerifyTest, BundleHasTheRequiredShape) {
  Json j = bundle.ToJson();
  EXPECT_EQ(j["mediaType"], "application/vnd.dev.sigstore.bundle.v0.3+json");
  std::string hint = PublicKeyHint(key->Public());
  EXPECT_EQ(hint, HexEncode(Sha256(key->Public().ToPem())));
  EXPECT_EQ(j["verificationMaterial"]["publicKey"]["hint"], hint);
  ASSERT_EQ(j["dsseEnvelope"]["signatures"].size(), 1u);
  EXPECT_EQ(j["dsseEnvelope"]["signatures"][0]["keyid"], hint);
  EXPECT_EQ(j["dsseEnvelope"]["payloadType"], "application/vnd.in-toto+json");
  Json st = Json::parse(bundle.envelope.payload);
  EXPECT_EQ(st["_type"], "https://in-toto.io/Statement/v1");
  EXPECT_EQ(st["predicateType"], "https://model_signing/signature/v1.0");
  EXPECT_EQ(st["subject"][0]["name"], "m");
  const Json& s = st["predicate"]["serialization"];
  EXPECT_EQ(s["method"], SerializationMethodName(GetParam().method));
  EXPECT_EQ(s["hash_type"], "sha256");
  EXPECT_EQ(s["allow_symlinks"], false);
  EXPECT_EQ(s.contains("shard_size"), GetParam().method == SerializationMethod::kShards);
  if (s.contains("shard_size")) {
    EXPECT_TRUE(s["shard_size"].is_number_integer());
  }
  EXPECT_EQ(s["ignore_paths"].size(), 5u);
}

TEST_P(SignVerifyTest, RoundTrip) {
  auto v = Verify();
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_TRUE(v->ok());
  EXPECT_EQ(v->actual_manifest.FileCount(), 4u);
}

TEST_P(SignVerifyTest, RoundTripThroughJsonText) {
  auto parsed = Bundle::Parse(bundle.ToJson().dump(2), "model.sig");
  ASSERT_TRUE(parsed.ok());
  bundle = *parsed;
  auto v = Verify();
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_TRUE(v->ok());
}


// The layout model_signing 1.0.x writes: the public key as PEM in
// publicKey.rawBytes with keyDetails, no tlogEntries, `"keyid": null`, and a
// serialization block without ignore_paths.
TEST_P(SignVerifyTest, VerifiesTheModelSigning10Layout) {
  Json st = Json::parse(bundle.envelope.payload);
  st["predicate"]["serialization"].erase("ignore_paths");
  std::string payload = st.dump(2);
  auto sig = key->Sign(PreAuthEncoding(kInTotoPayloadType, payload));
  ASSERT_TRUE(sig.ok());
  Json j = {{"mediaType", kBundleMediaTypeV03},
            {"verificationMaterial",
             {{"publicKey", {{"rawBytes", Base64Encode(key->Public().ToPem())}, {"keyDetails", "PKIX_ECDSA_P384_SHA_384"}}}}},
            {"dsseEnvelope",
             {{"payload", Base64Encode(payload)},
              {"payloadType", kInTotoPayloadType},
              {"signatures", {{{"sig", Base64Encode(*sig)}, {"keyid", nullptr}}}}}}};
  auto parsed = Bundle::Parse(j.dump(), "model.sig");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  bundle = *parsed;
  EXPECT_EQ(bundle.public_key_raw.value_or(""), key->Public().ToPem());
  auto v = Verify();
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_TRUE(v->ok());
  EXPECT_EQ(v->signed_manifest.serialization.ignore_paths, std::vector<std::string>{});

  WriteFile(d / "m/config.json", "{\"layers\": 13}");
  v = Verify();
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_EQ(v->diff.modified, std::vector<std::string>{"config.json"});
}
// model_signing 0.2: one subject per file under predicate Digests/v0.1, signed
// over its garbled pre-authentication encoding.
TEST_P(SignVerifyTest, VerifiesTheModelSigning02Layout) {
  Serialization files = ser;  // git paths ignored, like the verifier's defaults
  files.method = SerializationMethod::kFiles;
  auto m = HashModel(d / "m", files);
  ASSERT_TRUE(m.ok());
  Json subjects = Json::array();
  for (const auto& r : m->resources) {
    subjects.push_back({{"name", r.name},
                        {"digest", {{"sha256", HexEncode(r.digest)}}},
                        {"annotations", {{"actual_hash_algorithm", "file-sha256"}}}});
  }
  Json st = {{"_type", "https://in-toto.io/Statement/v1"},
             {"subject", subjects},
             {"predicateType", "https://model_signing/Digests/v0.1"},
             {"predicate", {{"unused", "Unused, just passed due to API requirements"}}}};
  bundle.envelope.payload = st.dump(2);
  auto sig = key->Sign(LegacyModelSigningPreAuthEncoding(kInTotoPayloadType, bundle.envelope.payload));
  ASSERT_TRUE(sig.ok());
  bundle.envelope.signatures = {{"", *sig}};
  auto v = Verify();
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_TRUE(v->ok());
  EXPECT_EQ(v->signed_manifest.model_name, "m") << "0.2 records no name: the model's own is shown";
  EXPECT_EQ(v->signed_manifest.resources.size(), 4u);

  WriteFile(d / "m/tokenizer/vocab.txt", "changed");
  v = Verify();
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_EQ(v->diff.modified, std::vector<std::string>{"tokenizer/vocab.txt"});

  // The legacy encoding is only a fallback for the same payload, not a way around the signature.
  bundle.envelope.payload[bundle.envelope.payload.size() - 2] ^= 1;
  v = Verify();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind(), ErrorKind::kVerification);

  st["subject"][0]["annotations"]["actual_hash_algorithm"] = "file-sha256-shard";
  bundle.envelope.payload = st.dump();
  sig = key->Sign(PreAuthEncoding(kInTotoPayloadType, bundle.envelope.payload));
  bundle.envelope.signatures = {{"", *sig}};
  v = Verify();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind(), ErrorKind::kInput);
  EXPECT_NE(v.error().message().find("only file-sha256"), std::string::npos) << v.error().message();
}

TEST_P(SignVerifyTest, DetectsEachKindOfTampering) {
  WriteFile(d / "m/weights/part-0.bin", std::string(4999, 'w') + "W");  // modify one byte
  WriteFile(d / "m/extra.txt", "added");                               // add
  std::filesystem::remove(d / "m/config.json");                        // remove
  std::filesystem::rename(d / "m/tokenizer/vocab.txt", d / "m/vocab.txt");  // rename
  std::filesystem::resize_file(d / "m/weights/part-1.bin", 100);      // truncate
  auto v = Verify();
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_FALSE(v->ok());
  EXPECT_EQ(v->diff.modified, (std::vector<std::string>{"weights/part-0.bin", "weights/part-1.bin"}));
  EXPECT_EQ(v->diff.added, (std::vector<std::string>{"extra.txt", "vocab.txt"}));
  EXPECT_EQ(v->diff.removed, (std::vector<std::string>{"config.json", "tokenizer/vocab.txt"}));
}

TEST_P(SignVerifyTest, IgnoredPathsStayIgnored) {
  WriteFile(d / "m/.git/HEAD", "changed");
  WriteFile(d / "m/.git/objects/new", "new");
  WriteFile(d / "m/model.sig", "the signature itself");
  auto v = Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok());
  // An extra ignore at verify time hides a file the signer did not have.
  WriteFile(d / "m/cache/tmp.bin", "x");
  EXPECT_FALSE(Verify()->ok());
  auto with_ignore = VerifyModel(d / "m", bundle, key->Public(), {}, {"cache"}, {});
  ASSERT_TRUE(with_ignore.ok());
  EXPECT_TRUE(with_ignore->ok());
  // Named as the signature file, model.sig is routine; without that name it was simply not checked.
  EXPECT_EQ(with_ignore->unchecked, (std::vector<std::string>{"cache", "model.sig"}));
  auto named = VerifyModel(d / "m", bundle, key->Public(), d / "m/model.sig", {"cache"}, {});
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->unchecked, std::vector<std::string>{"cache"});
}

TEST_P(SignVerifyTest, SignatureFromAnotherKeyFails) {
  auto other = PrivateKey::Generate(GetParam().key);
  auto v = Verify(other->Public());
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind(), ErrorKind::kVerification);
  EXPECT_NE(v.error().message().find("probably signed with another key"), std::string::npos) << v.error().message();
}

TEST_P(SignVerifyTest, KeyOfAnotherTypeFails) {
  KeyType other_type = GetParam().key == KeyType::kEd25519 ? KeyType::kEcdsaP256 : KeyType::kEd25519;
  auto other = PrivateKey::Generate(other_type);
  auto v = Verify(other->Public());
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind(), ErrorKind::kVerification);
}

TEST_P(SignVerifyTest, TamperedPayloadFailsTheSignature) {
  Json st = Json::parse(bundle.envelope.payload);
  st["predicate"]["resources"][0]["digest"] = std::string(64, '0');
  bundle.envelope.payload = st.dump();
  auto v = Verify();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind(), ErrorKind::kVerification);
  EXPECT_NE(v.error().message().find("signature does not verify"), std::string::npos);
}

TEST_P(SignVerifyTest, BundleForAnotherModel) {
  TempDir other;
  WriteFile(other / "m/config.json", "{\"layers\": 24}");
  WriteFile(other / "m/other.bin", "x");
  auto v = VerifyModel(other / "m", bundle, key->Public(), {}, {}, {});
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok());
  EXPECT_EQ(v->diff.modified, std::vector<std::string>{"config.json"});
  EXPECT_EQ(v->diff.added, std::vector<std::string>{"other.bin"});
  EXPECT_EQ(v->diff.removed.size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(
    KeysAndMethods, SignVerifyTest,
    ::testing::Values(Params{KeyType::kEcdsaP256, SerializationMethod::kFiles},
                      Params{KeyType::kEcdsaP256, SerializationMethod::kShards},
                      Params{KeyType::kEcdsaP384, SerializationMethod::kFiles},
                      Params{KeyType::kEcdsaP384, SerializationMethod::kShards},
                      Params{KeyType::kEcdsaP521, SerializationMethod::kFiles},
                      Params{KeyType::kEcdsaP521, SerializationMethod::kShards},
                      Params{KeyType::kEd25519, SerializationMethod::kFiles},
                      Params{KeyType::kEd25519, SerializationMethod::kShards}),
    [](const auto& info) {
      std::string n = std::string(KeyTypeName(info.param.key)) + "_" + SerializationMethodName(info.param.method);
      n.erase(std::remove(n.begin(), n.end(), '-'), n.end());
      return n;
    });

TEST(SignManifestTest, EmptyManifestIsAnInputError) {
  Manifest empty;
  empty.model_name = "empty-model";
  auto key = PrivateKey::Generate(KeyType::kEd25519);
  auto b = SignManifest(empty, *key);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().kind(), ErrorKind::kInput);
  EXPECT_NE(b.error().message().find("nothing to sign: empty-model"), std::string::npos) << b.error().message();
}

// A validly signed statement whose resources do not hash to its subject.
TEST(VerifyBundleTest, InconsistentSubjectDigest) {
  TempDir d;
  WriteFile(d / "m/f", "x");
  Serialization ser;
  auto m = HashModel(d / "m", ser);
  auto key = PrivateKey::Generate(KeyType::kEd25519);
  Statement st = ModelStatement(*m);
  st.subjects[0].digest["sha256"] = std::string(64, 'a');
  Bundle b;
  b.envelope.payload_type = kInTotoPayloadType;
  b.envelope.payload = st.ToJson().dump();
  b.envelope.signatures.push_back({"", *key->Sign(PreAuthEncoding(b.envelope.payload_type, b.envelope.payload))});
  auto v = VerifyBundle(b, key->Public());
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind(), ErrorKind::kVerification);
  EXPECT_NE(v.error().message().find("inconsistent"), std::string::npos);
}

// Validly signed payloads that are not model signatures are input errors.
TEST(VerifyBundleTest, SignedButWrongPayloads) {
  auto key = PrivateKey::Generate(KeyType::kEd25519);
  auto sign = [&](const std::string& type, const std::string& payload) {
    Bundle b;
    b.envelope.payload_type = type;
    b.envelope.payload = payload;
    b.envelope.signatures.push_back({"", *key->Sign(PreAuthEncoding(type, payload))});
    return VerifyBundle(b, key->Public());
  };
  auto r = sign("text/plain", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("payloadType"), std::string::npos);
  r = sign(kInTotoPayloadType, "not json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("DSSE payload:1:"), std::string::npos) << r.error().message();
  r = sign(kInTotoPayloadType, R"({"_type": "https://in-toto.io/Statement/v0.1"})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("/_type"), std::string::npos);
  r = sign(kInTotoPayloadType,
           R"({"_type": "https://in-toto.io/Statement/v1", "subject": [{"name": "a", "digest": {"sha256": "00"}}],
               "predicateType": "https://slsa.dev/provenance/v1", "predicate": {}})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("predicateType"), std::string::npos);
  Bundle empty;
  empty.envelope.payload_type = kInTotoPayloadType;
  r = VerifyBundle(empty, key->Public());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("no signature"), std::string::npos);
}


// Certificate signing with the openssl-made PKI of tests/crypto/testdata/pki.
class CertificateSigningTest : public ::testing::Test {
 protected:
  static std::string Pem(const std::string& name) {
    return testing::ReadAll(std::filesystem::path(CUSTODY_SOURCE_DIR) / "tests/crypto/testdata/pki" / name);
  }
  static std::vector<Certificate> Certs(const std::string& names) {
    std::string pem;
    std::stringstream in(names);
    for (std::string n; in >> n;) pem += Pem(n);
    auto certs = Certificate::AllFromPem(pem, names);
    EXPECT_TRUE(certs.ok()) << names;
    return certs.ok() ? *certs : std::vector<Certificate>{};
  }
  void SetUp() override {
    WriteFile(d / "m/weights.bin", std::string(3000, 'w'));
    WriteFile(d / "m/config.json", "{}");
    auto k = PrivateKey::FromPem(Pem("signer.key"), "signer.key");
    ASSERT_TRUE(k.ok()) << k.error().message();
    key = std::make_unique<PrivateKey>(*k);
    auto m = HashModel(d / "m", ser);
    ASSERT_TRUE(m.ok());
    manifest = *m;
  }
  Bundle SignWith(const std::string& chain) {
    auto b = SignManifest(manifest, *key, Certs(chain));
    EXPECT_TRUE(b.ok()) << (b.ok() ? "" : b.error().message());
    // Through JSON text, as a verifier reads it.
    auto parsed = Bundle::Parse(b.ok() ? b->ToJson().dump() : "", "model.sig");
    EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message());
    return parsed.ok() ? *parsed : Bundle{};
  }

  TempDir d;
  Serialization ser;
  Manifest manifest;
  std::unique_ptr<PrivateKey> key;
};

TEST_F(CertificateSigningTest, BundleCarriesTheChainAndVerifiesAgainstTheRoot) {
  Bundle b = SignWith("signer.pem intermediate.pem");
  Json vm = b.ToJson()["verificationMaterial"];
  EXPECT_FALSE(vm.contains("publicKey"));
  ASSERT_EQ(vm["x509CertificateChain"]["certificates"].size(), 2u);
  EXPECT_EQ(Base64Decode(vm["x509CertificateChain"]["certificates"][0]["rawBytes"].get<std::string>()).value(),
            Certs("signer.pem")[0].ToDer());

  auto signer = SignerFromChain(b, Certs("root.pem"));
  ASSERT_TRUE(signer.ok()) << signer.error().message();
  EXPECT_EQ(signer->certificate.Subject(), "CN=release signer,O=Example");
  auto v = VerifyModel(d / "m", b, signer->key, {}, {}, {});
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_TRUE(v->ok());

  WriteFile(d / "m/config.json", "{\"changed\": true}");
  v = VerifyModel(d / "m", b, signer->key, {}, {}, {});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->diff.modified, std::vector<std::string>{"config.json"});
}

TEST_F(CertificateSigningTest, UntrustedOrUnfitCertificatesAreRejected) {
  auto wrong_root = SignerFromChain(SignWith("signer.pem intermediate.pem"), Certs("other-root.pem"));
  ASSERT_FALSE(wrong_root.ok());
  EXPECT_EQ(wrong_root.error().kind(), ErrorKind::kVerification);
  EXPECT_NE(wrong_root.error().message().find("does not chain to a trusted certificate"), std::string::npos);

  auto no_intermediate = SignerFromChain(SignWith("signer.pem"), Certs("root.pem"));
  ASSERT_FALSE(no_intermediate.ok());
  EXPECT_EQ(no_intermediate.error().kind(), ErrorKind::kVerification);

  auto tls = SignerFromChain(SignWith("tls.pem intermediate.pem"), Certs("root.pem"));
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.error().kind(), ErrorKind::kVerification);
  EXPECT_NE(tls.error().message().find("is not meant for signing"), std::string::npos) << tls.error().message();

  EXPECT_TRUE(SignerFromChain(SignWith("codesign.pem intermediate.pem"), Certs("root.pem")).ok());
}

TEST_F(CertificateSigningTest, ChainMustCertifyTheSigningKey) {
  auto other = PrivateKey::Generate(KeyType::kEcdsaP256);
  auto b = SignManifest(manifest, *other, Certs("signer.pem intermediate.pem"));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().kind(), ErrorKind::kInput);
  EXPECT_NE(b.error().message().find("certifies another key than the signing key"), std::string::npos);
}

TEST_F(CertificateSigningTest, BundlesWithoutAChainSayHowToVerify) {
  auto b = SignManifest(manifest, *key);
  ASSERT_TRUE(b.ok());
  auto keyed = SignerFromChain(*b, Certs("root.pem"));
  ASSERT_FALSE(keyed.ok());
  EXPECT_EQ(keyed.error().message(), "this bundle was signed with a key, not a certificate: verify it with --key");
  b->sigstore_certificate = Certs("signer.pem")[0].ToDer();
  auto keyless = SignerFromChain(*b, Certs("root.pem"));
  ASSERT_FALSE(keyless.ok());
  EXPECT_EQ(keyless.error().kind(), ErrorKind::kInput);
  EXPECT_NE(keyless.error().message().find("signed keylessly through Sigstore"), std::string::npos);

  Bundle garbage = SignWith("signer.pem intermediate.pem");
  garbage.certificate_chain[1] = "not a certificate";
  auto bad = SignerFromChain(garbage, Certs("root.pem"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message().rfind(
                "/verificationMaterial/x509CertificateChain/certificates/1: not a DER X.509 certificate", 0),
            0u)
      << bad.error().message();
}

}  // namespace
}  // namespace custody
