#include "tlog/rekor.h"

#include "core/encoding.h"
#include "crypto/digest.h"

namespace custody::tlog {
namespace {

constexpr const char* kSpecPath = "/spec/hashedRekordV002";

Result<std::string> Base64Field(const Json& holder, const std::string& path, const char* key) {
  CUSTODY_ASSIGN_OR_RETURN(std::string text, RequireString(holder, path, key));
  auto bytes = Base64Decode(text);
  if (!bytes.ok()) return Error::Input(path + "/" + key + ": not base64");
  return std::move(bytes).value();
}

}  // namespace

std::string CanonicalizedBody(const HashedRekord& entry) {
  Json verifier = {{"keyDetails", entry.key_details}};
  if (!entry.certificate_der.empty()) {
    verifier["x509Certificate"] = {{"rawBytes", Base64Encode(entry.certificate_der)}};
  } else {
    verifier["publicKey"] = {{"rawBytes", Base64Encode(entry.public_key_der)}};
  }
  Json body = {
      {"apiVersion", kHashedRekordVersion},
      {"kind", kHashedRekordKind},
      {"spec",
       {{"hashedRekordV002",
         {{"data", {{"algorithm", entry.digest_algorithm}, {"digest", Base64Encode(entry.digest)}}},
          {"signature", {{"content", Base64Encode(entry.signature)}, {"verifier", std::move(verifier)}}}}}}}};
  // RFC 8785: members sorted by name (nlohmann's objects are), no whitespace.
  // Every string here is ASCII without characters that need escaping, so the
  // compact dump is the canonical form.
  return body.dump();
}

Result<HashedRekord> ParseHashedRekord(std::string_view body) {
  CUSTODY_ASSIGN_OR_RETURN(Json j, ParseJson(body, "the entry body"));
  if (!j.is_object()) return Error::Input("the entry body is not a JSON object");
  CUSTODY_ASSIGN_OR_RETURN(std::string kind, RequireString(j, "", "kind"));
  CUSTODY_ASSIGN_OR_RETURN(std::string version, RequireString(j, "", "apiVersion"));
  if (kind != kHashedRekordKind || version != kHashedRekordVersion) {
    return Error::Input("/kind, /apiVersion: the entry is " + kind + " " + version + "; custody reads " +
                        kHashedRekordKind + " " + kHashedRekordVersion + " (Rekor v2)");
  }
  CUSTODY_ASSIGN_OR_RETURN(const Json* spec, RequireObject(j, "", "spec"));
  CUSTODY_ASSIGN_OR_RETURN(const Json* hr, RequireObject(*spec, "/spec", "hashedRekordV002"));
  const std::string p = kSpecPath;
  HashedRekord out;
  CUSTODY_ASSIGN_OR_RETURN(const Json* data, RequireObject(*hr, p, "data"));
  CUSTODY_ASSIGN_OR_RETURN(out.digest_algorithm, RequireString(*data, p + "/data", "algorithm"));
  CUSTODY_ASSIGN_OR_RETURN(out.digest, Base64Field(*data, p + "/data", "digest"));
  CUSTODY_ASSIGN_OR_RETURN(const Json* sig, RequireObject(*hr, p, "signature"));
  CUSTODY_ASSIGN_OR_RETURN(out.signature, Base64Field(*sig, p + "/signature", "content"));
  const std::string vp = p + "/signature/verifier";
  CUSTODY_ASSIGN_OR_RETURN(const Json* verifier, RequireObject(*sig, p + "/signature", "verifier"));
  CUSTODY_ASSIGN_OR_RETURN(out.key_details, RequireString(*verifier, vp, "keyDetails"));
  if (HasField(*verifier, "publicKey")) {
    CUSTODY_ASSIGN_OR_RETURN(const Json* pk, RequireObject(*verifier, vp, "publicKey"));
    CUSTODY_ASSIGN_OR_RETURN(out.public_key_der, Base64Field(*pk, vp + "/publicKey", "rawBytes"));
  } else if (HasField(*verifier, "x509Certificate")) {
    CUSTODY_ASSIGN_OR_RETURN(const Json* cert, RequireObject(*verifier, vp, "x509Certificate"));
    CUSTODY_ASSIGN_OR_RETURN(out.certificate_der, Base64Field(*cert, vp + "/x509Certificate", "rawBytes"));
  } else {
    return Error::Input(vp + ": has neither publicKey nor x509Certificate");
  }
  return out;
}

const char* KeyDetailsName(KeyType type) {
  switch (type) {
    case KeyType::kEcdsaP256:
      return "PKIX_ECDSA_P256_SHA_256";
    case KeyType::kEcdsaP384:
      return "PKIX_ECDSA_P384_SHA_384";
    case KeyType::kEcdsaP521:
      return "PKIX_ECDSA_P521_SHA_512";
    case KeyType::kEd25519:
      return "PKIX_ED25519";
  }
  return "PUBLIC_KEY_DETAILS_UNSPECIFIED";
}

Result<std::string> LogId(const NoteVerifier& verifier) {
  CUSTODY_ASSIGN_OR_RETURN(std::string raw, verifier.public_key().RawEd25519());
  std::string material = verifier.name();
  material += '\n';
  material += '\x01';
  material += raw;
  return Sha256(material);
}

Result<Json> TrustedRoot(const NoteVerifier& verifier, const std::string& base_url, const std::string& valid_from) {
  CUSTODY_ASSIGN_OR_RETURN(std::string log_id, LogId(verifier));
  Json tlog = {{"baseUrl", base_url},
               {"hashAlgorithm", "SHA2_256"},
               {"publicKey",
                {{"rawBytes", Base64Encode(verifier.public_key().ToDer())},
                 {"keyDetails", "PKIX_ED25519"},
                 {"validFor", {{"start", valid_from}}}}},
               {"logId", {{"keyId", Base64Encode(log_id)}}}};
  return Json{{"mediaType", kTrustedRootMediaType},
              {"tlogs", Json::array({std::move(tlog)})},
              {"certificateAuthorities", Json::array()},
              {"ctlogs", Json::array()},
              {"timestampAuthorities", Json::array()}};
}

}  // namespace custody::tlog
