#include "attest/bundle.h"

#include "core/encoding.h"

namespace custody {

Json Bundle::ToJson() const {
  Json pk = Json::object();
  pk["hint"] = public_key_hint;
  return {{"mediaType", media_type},
          {"verificationMaterial", {{"publicKey", pk}, {"tlogEntries", Json::array()}}},
          {"dsseEnvelope", envelope.ToJson()}};
}

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
  } else if (!HasField(*vm, "certificate") && !HasField(*vm, "x509CertificateChain")) {
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
