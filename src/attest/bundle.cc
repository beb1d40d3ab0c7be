#include "attest/bundle.h"

#include "core/encoding.h"

namespace custody {

Json Bundle::ToJson() const {
  Json vm = Json::object();
  if (certificate_chain.empty()) {
    vm["publicKey"] = {{"hint", public_key_hint}};
  } else {
    Json certs = Json::array();
    for (const auto& der : certificate_chain) certs.push_back({{"rawBytes", Base64Encode(der)}});
    vm["x509CertificateChain"] = {{"certificates", std::move(certs)}};
  }
  vm["tlogEntries"] = Json::array();
  return {{"mediaType", media_type}, {"verificationMaterial", std::move(vm)}, {"dsseEnvelope", envelope.ToJson()}};
}

namespace {

// {"rawBytes": base64} as used for certificates in verificationMaterial.
Result<std::string> RawBytes(const Json& holder, const std::string& path) {
  CUSTODY_ASSIGN_OR_RETURN(std::string b64, RequireString(holder, path, "rawBytes"));
  auto der = Base64Decode(b64);
  if (!der.ok()) return der.error().WithContext(path + "/rawBytes");
  return std::move(der).value();
}

}  // namespace

Result<Bundle> Bundle::FromJson(const Json& j) {
  Bundle b;
  CUSTODY_ASSIGN_OR_RETURN(b.media_type, RequireString(j, "", "mediaType"));
  static const char* kAccepted[] = {"application/vnd.dev.sigstore.bundle+json;version=0.1",
                                    "application/vnd.dev.sigstore.bundle+json;version=0.2",
                                    "application/vnd.dev.sigstore.bundle+json;version=0.3",
                                    "application/vnd.dev.sigstore.bundle.v0.3+json"};
  bool known = false;
  for (const char* m : kAccepted) known = known || b.media_type == m;
  if (!known) {
    return Error::Input("/mediaType: unsupported bundle media type '" + b.media_type + "' (expected " +
                        kBundleMediaTypeV03 + ")");
  }
  CUSTODY_ASSIGN_OR_RETURN(const Json* vm, RequireObject(j, "", "verificationMaterial"));
  if (HasField(*vm, "publicKey")) {
    CUSTODY_ASSIGN_OR_RETURN(const Json* pk, RequireObject(*vm, "/verificationMaterial", "publicKey"));
    if (HasField(*pk, "hint")) {
      CUSTODY_ASSIGN_OR_RETURN(b.public_key_hint, RequireString(*pk, "/verificationMaterial/publicKey", "hint"));
    }
    if (HasField(*pk, "rawBytes")) {
      CUSTODY_ASSIGN_OR_RETURN(std::string raw, RequireString(*pk, "/verificationMaterial/publicKey", "rawBytes"));
      auto decoded = Base64Decode(raw);
      if (!decoded.ok()) return decoded.error().WithContext("/verificationMaterial/publicKey/rawBytes");
      b.public_key_raw = std::move(decoded).value();
    }
  } else if (HasField(*vm, "x509CertificateChain")) {
    const std::string cpath = "/verificationMaterial/x509CertificateChain";
    CUSTODY_ASSIGN_OR_RETURN(const Json* chain, RequireObject(*vm, "/verificationMaterial", "x509CertificateChain"));
    CUSTODY_ASSIGN_OR_RETURN(const Json* certs, RequireArray(*chain, cpath, "certificates"));
    if (certs->empty()) return Error::Input(cpath + "/certificates: the chain holds no certificate");
    for (size_t i = 0; i < certs->size(); ++i) {
      CUSTODY_ASSIGN_OR_RETURN(std::string der, RawBytes((*certs)[i], cpath + "/certificates/" + std::to_string(i)));
      b.certificate_chain.push_back(std::move(der));
    }
  } else if (HasField(*vm, "certificate")) {
    CUSTODY_ASSIGN_OR_RETURN(const Json* cert, RequireObject(*vm, "/verificationMaterial", "certificate"));
    CUSTODY_ASSIGN_OR_RETURN(b.sigstore_certificate, RawBytes(*cert, "/verificationMaterial/certificate"));
  } else {
    return Error::Input("/verificationMaterial: has no publicKey, certificate or x509CertificateChain");
  }
  if (!HasField(j, "dsseEnvelope")) {
    if (HasField(j, "messageSignature")) {
      return Error::Input("/messageSignature: this bundle signs a blob, not a model; custody verifies "
                          "DSSE (dsseEnvelope) bundles");
    }
    return Error::Input("/dsseEnvelope: required field is missing");
  }
  CUSTODY_ASSIGN_OR_RETURN(const Json* env, RequireObject(j, "", "dsseEnvelope"));
  CUSTODY_ASSIGN_OR_RETURN(b.envelope, Envelope::FromJson(*env, "/dsseEnvelope"));
  return b;
}

Result<Bundle> Bundle::Parse(std::string_view text, const std::string& source) {
  CUSTODY_ASSIGN_OR_RETURN(Json j, ParseJson(text, source));
  auto b = FromJson(j);
  if (!b.ok()) return b.error().WithContext(source);
  return b;
}

}  // namespace custody
