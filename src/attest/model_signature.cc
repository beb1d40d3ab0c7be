#include "attest/model_signature.h"

#include <algorithm>

#include "core/encoding.h"
#include "crypto/digest.h"
#include "manifest/path_order.h"
#include "manifest/predicate.h"
#include "manifest/walk.h"

namespace custody {

std::string PublicKeyHint(const PublicKey& key) { return HexEncode(Sha256(key.ToPem())); }

Statement ModelStatement(const Manifest& manifest) {
  Statement st;
  st.subjects.push_back({manifest.model_name, {{"sha256", HexEncode(manifest.SubjectDigest())}}});
  st.predicate_type = kModelSigningPredicateType;
  st.predicate = ManifestToPredicate(manifest);
  return st;
}

Result<Bundle> SignManifest(const Manifest& manifest, const PrivateKey& key, const std::vector<Certificate>& chain) {
  if (manifest.resources.empty()) {
    // An empty manifest verifies against any directory whose files are all
    // ignored: almost always a wrong path or an ignore list that covers everything.
    return Error::Input("nothing to sign: " + manifest.model_name +
                        " has no files outside the ignored paths (check the path and --ignore)");
  }
  Bundle bundle;
  bundle.public_key_hint = PublicKeyHint(key.Public());
  if (!chain.empty()) {
    CUSTODY_ASSIGN_OR_RETURN(PublicKey certified, chain[0].Key());
    if (certified.ToDer() != key.Public().ToDer()) {
      return Error::Input("the certificate " + chain[0].Subject() +
                          " certifies another key than the signing key: pass the certificate issued for this key");
    }
    for (const auto& c : chain) bundle.certificate_chain.push_back(c.ToDer());
  }
  bundle.envelope.payload_type = kInTotoPayloadType;
  bundle.envelope.payload = ModelStatement(manifest).ToJson().dump();
  CUSTODY_ASSIGN_OR_RETURN(std::string sig,
                           key.Sign(PreAuthEncoding(bundle.envelope.payload_type, bundle.envelope.payload)));
  bundle.envelope.signatures.push_back({bundle.public_key_hint, std::move(sig)});
  return bundle;
}

Result<CertifiedSigner> SignerFromChain(const Bundle& bundle, const std::vector<Certificate>& trusted) {
  if (bundle.certificate_chain.empty()) {
    if (bundle.sigstore_certificate) {
      return Error::Input("this bundle was signed keylessly through Sigstore (a Fulcio certificate); custody "
                          "verifies bundles signed with a key (--key) or a private certificate chain");
    }
    return Error::Input("this bundle was signed with a key, not a certificate: verify it with --key");
  }
  std::vector<Certificate> chain;
  for (size_t i = 0; i < bundle.certificate_chain.size(); ++i) {
    CUSTODY_ASSIGN_OR_RETURN(
        Certificate c, Certificate::FromDer(bundle.certificate_chain[i],
                                            "/verificationMaterial/x509CertificateChain/certificates/" +
                                                std::to_string(i)));
    chain.push_back(std::move(c));
  }
  const Certificate& leaf = chain.front();
  std::vector<Certificate> intermediates(chain.begin() + 1, chain.end());
  CUSTODY_RETURN_IF_ERROR(VerifyCertificateChain(leaf, intermediates, trusted, leaf.NotBefore()));
  if (!leaf.AllowsSigning()) {
    return Error::Verification("the certificate " + leaf.Subject() +
                               " is not meant for signing: its key usage lacks digitalSignature and its "
                               "extended key usage lacks codeSigning");
  }
  CUSTODY_ASSIGN_OR_RETURN(PublicKey key, leaf.Key());
  return CertifiedSigner{leaf, std::move(key)};
}

namespace {

// The manifest of a model_signing 0.2 statement: every subject is a file
// (name = path, digest sha256 of its bytes, annotation actual_hash_algorithm
// "file-sha256" or none); serialization files / sha256 / no symlinks / no
// recorded ignores. There is no model name and no overall digest to check.
Result<Manifest> LegacyManifest(const Json& payload, const Statement& st) {
  Manifest m;
  m.serialization.method = SerializationMethod::kFiles;
  m.serialization.hash = HashAlgorithm::kSha256;
  m.serialization.allow_symlinks = false;
  for (size_t i = 0; i < st.subjects.size(); ++i) {
    std::string path = "/dsseEnvelope/payload/subject/" + std::to_string(i);
    const Json& raw = payload["subject"][i];
    if (HasField(raw, "annotations") && HasField(raw["annotations"], "actual_hash_algorithm")) {
      CUSTODY_ASSIGN_OR_RETURN(std::string algo,
                               RequireString(raw["annotations"], path + "/annotations", "actual_hash_algorithm"));
      if (algo != "file-sha256") {
        return Error::Input(path + "/annotations/actual_hash_algorithm: '" + algo +
                            "' is not supported in model_signing 0.2 statements (only file-sha256); re-sign the "
                            "model with custody or model_signing 1.x");
      }
    }
    const Subject& sub = st.subjects[i];
    auto it = sub.digest.find("sha256");
    if (it == sub.digest.end()) return Error::Input(path + "/digest/sha256: required field is missing");
    auto digest = HexDecode(it->second);
    if (!digest.ok() || digest->size() != DigestSize(HashAlgorithm::kSha256)) {
      return Error::Input(path + "/digest/sha256: expected 64 hex digits, found '" + it->second + "'");
    }
    if (sub.name.empty()) return Error::Input(path + "/name: a file subject needs its path");
    Resource r;
    r.name = r.path = sub.name;
    r.algorithm = "sha256";
    r.digest = std::move(digest).value();
    m.resources.push_back(std::move(r));
  }
  SortResources(m.resources);
  return m;
}

}  // namespace

Result<Manifest> VerifyBundle(const Bundle& bundle, const PublicKey& key) {
  const Envelope& env = bundle.envelope;
  if (env.signatures.empty()) return Error::Input("/dsseEnvelope/signatures: the envelope holds no signature");
  std::string pae = PreAuthEncoding(env.payload_type, env.payload);
  bool verified = std::any_of(env.signatures.begin(), env.signatures.end(),
                              [&](const Signature& s) { return key.Verify(pae, s.sig); });
  if (!verified) {
    // model_signing 0.2 signed a garbled encoding, with SHA-256 for every
    // curve; its 1.x verifier accepts that too, and so do we.
    std::string legacy = LegacyModelSigningPreAuthEncoding(env.payload_type, env.payload);
    verified = std::any_of(env.signatures.begin(), env.signatures.end(), [&](const Signature& s) {
      return key.Verify(legacy, s.sig) || key.VerifyWithSha256(legacy, s.sig);
    });
  }
  if (!verified) {
    std::string msg = "the signature does not verify with this " + std::string(KeyTypeName(key.type())) + " key";
    std::string hint = PublicKeyHint(key);
    if (!bundle.public_key_hint.empty() && bundle.public_key_hint != hint) {
      msg += " (the bundle names key " + bundle.public_key_hint.substr(0, 16) + "..., this key is " +
             hint.substr(0, 16) + "...: it was probably signed with another key)";
    } else if (bundle.sigstore_certificate) {
      msg += " (the bundle was signed keylessly through Sigstore, with a short-lived key of its certificate)";
    } else if (!bundle.certificate_chain.empty()) {
      msg += " (the bundle carries a certificate chain: verify it with --certificate-chain)";
    }
    return Error::Verification(msg);
  }
  if (env.payload_type != kInTotoPayloadType) {
    return Error::Input("/dsseEnvelope/payloadType: expected " + std::string(kInTotoPayloadType) + ", found " +
                        env.payload_type);
  }
  CUSTODY_ASSIGN_OR_RETURN(Json payload, ParseJson(env.payload, "DSSE payload"));
  CUSTODY_ASSIGN_OR_RETURN(Statement st, Statement::FromJson(payload, "/dsseEnvelope/payload"));
  if (st.predicate_type == kLegacyDigestsPredicateType) return LegacyManifest(payload, st);
  if (st.predicate_type != kModelSigningPredicateType) {
    return Error::Input("/dsseEnvelope/payload/predicateType: expected " + std::string(kModelSigningPredicateType) +
                        ", found " + st.predicate_type);
  }
  if (st.subjects.size() != 1) {
    return Error::Input("/dsseEnvelope/payload/subject: expected exactly one subject, found " +
                        std::to_string(st.subjects.size()));
  }
  auto it = st.subjects[0].digest.find("sha256");
  if (it == st.subjects[0].digest.end()) {
    return Error::Input("/dsseEnvelope/payload/subject/0/digest/sha256: required field is missing");
  }
  CUSTODY_ASSIGN_OR_RETURN(Manifest m,
                           ManifestFromPredicate(st.predicate, "/dsseEnvelope/payload/predicate", st.subjects[0].name));
  std::string computed = HexEncode(m.SubjectDigest());
  std::string recorded = it->second;
  std::transform(recorded.begin(), recorded.end(), recorded.begin(), ::tolower);
  if (computed != recorded) {
    return Error::Verification("the signed manifest is inconsistent: its subject digest is " + recorded +
                               " but its resources hash to " + computed);
  }
  SortResources(m.resources);
  return m;
}

Result<ModelVerification> VerifyModel(const std::filesystem::path& model, const Bundle& bundle, const PublicKey& key,
                                      const std::filesystem::path& signature_file,
                                      const std::vector<std::string>& extra_ignores, const HashSettings& settings) {
  ModelVerification v;
  CUSTODY_ASSIGN_OR_RETURN(v.signed_manifest, VerifyBundle(bundle, key));
  Serialization ser = v.signed_manifest.serialization;
  std::vector<std::string> ignores = ser.ignore_paths;
  for (const auto& p : DefaultIgnorePaths()) ignores.push_back(p);
  for (const auto& p : extra_ignores) ignores.push_back(NormalizeIgnorePath(model, p));
  if (!signature_file.empty()) {
    std::string sig = NormalizeIgnorePath(model, std::filesystem::absolute(signature_file).string());
    if (!std::filesystem::path(sig).is_absolute()) ignores.push_back(sig);
  }
  for (auto& p : ignores) p = NormalizeIgnorePath(model, p);
  std::sort(ignores.begin(), ignores.end());
  ignores.erase(std::unique(ignores.begin(), ignores.end()), ignores.end());
  ser.ignore_paths = ignores;
  v.ignored = ignores;
  const auto& defaults = DefaultIgnorePaths();
  for (const auto& p : ignores) {
    bool routine = std::find(defaults.begin(), defaults.end(), p) != defaults.end() ||
                   (!signature_file.empty() && std::filesystem::path(p).filename() == signature_file.filename());
    if (!routine) v.unchecked.push_back(p);
  }
  CUSTODY_ASSIGN_OR_RETURN(v.actual_manifest, HashModel(model, ser, settings));
  // A model_signing 0.2 statement records no model name.
  if (v.signed_manifest.model_name.empty()) v.signed_manifest.model_name = v.actual_manifest.model_name;
  v.diff = CompareManifests(v.signed_manifest, v.actual_manifest);
  return v;
}

}  // namespace custody
