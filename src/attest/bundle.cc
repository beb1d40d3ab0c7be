#include "attest/bundle.h"

#include <charconv>

#include "core/encoding.h"

namespace custody {
namespace {

// An int64 field: a decimal string, as protobuf's JSON mapping writes it, or a number.
Result<uint64_t> Int64Field(const Json& holder, const std::string& path, const char* key) {
  CUSTODY_ASSIGN_OR_RETURN(const Json* v, RequireField(holder, path, key));
  if (v->is_number_unsigned()) return v->get<uint64_t>();
  if (v->is_number_integer() && v->get<int64_t>() >= 0) return static_cast<uint64_t>(v->get<int64_t>());
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    uint64_t out = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return out;
  }
  return Error::Input(path + "/" + key + ": expected a non-negative integer (a decimal string or a number), found " +
                      (v->is_string() ? "'" + v->get<std::string>() + "'" : JsonTypeName(*v)));
}

Result<std::string> BytesField(const Json& holder, const std::string& path, const char* key) {
  CUSTODY_ASSIGN_OR_RETURN(std::string b64, RequireString(holder, path, key));
  auto raw = Base64Decode(b64);
  if (!raw.ok()) return raw.error().WithContext(path + "/" + key);
  return std::move(raw).value();
}

}  // namespace

Json TlogEntry::ToJson() const {
  Json j = {{"logIndex", std::to_string(log_index)},
            {"logId", {{"keyId", Base64Encode(log_id)}}},
            {"kindVersion", {{"kind", kind}, {"version", version}}},
            {"integratedTime", std::to_string(integrated_time)},
            {"canonicalizedBody", Base64Encode(canonicalized_body)}};
  if (inclusion_promise) j["inclusionPromise"] = {{"signedEntryTimestamp", Base64Encode(*inclusion_promise)}};
  if (inclusion_proof) {
    Json hashes = Json::array();
    for (const auto& h : inclusion_proof->hashes) hashes.push_back(Base64Encode(h));
    j["inclusionProof"] = {{"logIndex", std::to_string(inclusion_proof->log_index)},
                           {"rootHash", Base64Encode(inclusion_proof->root_hash)},
                           {"treeSize", std::to_string(inclusion_proof->tree_size)},
                           {"hashes", std::move(hashes)},
                           {"checkpoint", {{"envelope", inclusion_proof->checkpoint}}}};
  }
  return j;
}

Result<TlogEntry> TlogEntry::FromJson(const Json& j, const std::string& path) {
  if (!j.is_object()) return Error::Input(path + ": expected an object, found " + JsonTypeName(j));
  TlogEntry e;
  CUSTODY_ASSIGN_OR_RETURN(e.log_index, Int64Field(j, path, "logIndex"));
  CUSTODY_ASSIGN_OR_RETURN(const Json* log_id, RequireObject(j, path, "logId"));
  CUSTODY_ASSIGN_OR_RETURN(e.log_id, BytesField(*log_id, path + "/logId", "keyId"));
  CUSTODY_ASSIGN_OR_RETURN(const Json* kv, RequireObject(j, path, "kindVersion"));
  CUSTODY_ASSIGN_OR_RETURN(e.kind, RequireString(*kv, path + "/kindVersion", "kind"));
  CUSTODY_ASSIGN_OR_RETURN(e.version, RequireString(*kv, path + "/kindVersion", "version"));
  if (HasField(j, "integratedTime")) {
    CUSTODY_ASSIGN_OR_RETURN(uint64_t t, Int64Field(j, path, "integratedTime"));
    e.integrated_time = static_cast<int64_t>(t);
  }
  if (HasField(j, "inclusionPromise")) {
    CUSTODY_ASSIGN_OR_RETURN(const Json* promise, RequireObject(j, path, "inclusionPromise"));
    CUSTODY_ASSIGN_OR_RETURN(e.inclusion_promise,
                             BytesField(*promise, path + "/inclusionPromise", "signedEntryTimestamp"));
  }
  if (HasField(j, "inclusionProof")) {
    const std::string pp = path + "/inclusionProof";
    CUSTODY_ASSIGN_OR_RETURN(const Json* proof, RequireObject(j, path, "inclusionProof"));
    TlogInclusionProof p;
    CUSTODY_ASSIGN_OR_RETURN(p.log_index, Int64Field(*proof, pp, "logIndex"));
    CUSTODY_ASSIGN_OR_RETURN(p.root_hash, BytesField(*proof, pp, "rootHash"));
    CUSTODY_ASSIGN_OR_RETURN(p.tree_size, Int64Field(*proof, pp, "treeSize"));
    if (HasField(*proof, "hashes")) {
      CUSTODY_ASSIGN_OR_RETURN(const Json* hashes, RequireArray(*proof, pp, "hashes"));
      for (size_t i = 0; i < hashes->size(); ++i) {
        const Json& h = (*hashes)[i];
        std::string where = pp + "/hashes/" + std::to_string(i);
        if (!h.is_string()) return Error::Input(where + ": expected a string, found " + JsonTypeName(h));
        auto raw = Base64Decode(h.get_ref<const std::string&>());
        if (!raw.ok()) return raw.error().WithContext(where);
        p.hashes.push_back(std::move(raw).value());
      }
    }
    CUSTODY_ASSIGN_OR_RETURN(const Json* cp, RequireObject(*proof, pp, "checkpoint"));
    CUSTODY_ASSIGN_OR_RETURN(p.checkpoint, RequireString(*cp, pp + "/checkpoint", "envelope"));
    e.inclusion_proof = std::move(p);
  }
  CUSTODY_ASSIGN_OR_RETURN(e.canonicalized_body, BytesField(j, path, "canonicalizedBody"));
  return e;
}

Json Bundle::ToJson() const {
  Json vm = Json::object();
  if (certificate_chain.empty()) {
    vm["publicKey"] = {{"hint", public_key_hint}};
  } else {
    Json certs = Json::array();
    for (const auto& der : certificate_chain) certs.push_back({{"rawBytes", Base64Encode(der)}});
    vm["x509CertificateChain"] = {{"certificates", std::move(certs)}};
  }
  Json entries = Json::array();
  for (const auto& e : tlog_entries) entries.push_back(e.ToJson());
  vm["tlogEntries"] = std::move(entries);
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
  if (HasField(*vm, "tlogEntries")) {
    CUSTODY_ASSIGN_OR_RETURN(const Json* entries, RequireArray(*vm, "/verificationMaterial", "tlogEntries"));
    for (size_t i = 0; i < entries->size(); ++i) {
      CUSTODY_ASSIGN_OR_RETURN(TlogEntry e,
                               TlogEntry::FromJson((*entries)[i], "/verificationMaterial/tlogEntries/" + std::to_string(i)));
      b.tlog_entries.push_back(std::move(e));
    }
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
