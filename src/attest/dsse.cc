#include "attest/dsse.h"

#include "core/encoding.h"

namespace custody {

std::string PreAuthEncoding(std::string_view payload_type, std::string_view payload) {
  std::string out = "DSSEv1 ";
  out += std::to_string(payload_type.size());
  out += ' ';
  out += payload_type;
  out += ' ';
  out += std::to_string(payload.size());
  out += ' ';
  out += payload;
  return out;
}

std::string LegacyModelSigningPreAuthEncoding(std::string_view payload_type, std::string_view payload) {
  // Python's repr(bytes): single quotes unless the bytes hold ' and no ".
  bool has_single = payload.find('\'') != std::string_view::npos;
  bool has_double = payload.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string repr = "b";
  repr += quote;
  static const char kHex[] = "0123456789abcdef";
  for (char ch : payload) {
    auto c = static_cast<unsigned char>(ch);
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
      repr += '\\';
      repr += ch;
    } else if (c == '\t') {
      repr += "\\t";
    } else if (c == '\n') {
      repr += "\\n";
    } else if (c == '\r') {
      repr += "\\r";
    } else if (c < 0x20 || c >= 0x7f) {
      repr += "\\x";
      repr += kHex[c >> 4];
      repr += kHex[c & 15];
    } else {
      repr += ch;
    }
  }
  repr += quote;
  return "DSSEV1 " + std::to_string(payload_type.size()) + " " + std::string(payload_type) + " " +
         std::to_string(payload.size()) + " " + repr;
}

Json Envelope::ToJson() const {
  Json sigs = Json::array();
  for (const auto& s : signatures) sigs.push_back({{"sig", Base64Encode(s.sig)}, {"keyid", s.keyid}});
  return {{"payload", Base64Encode(payload)}, {"payloadType", payload_type}, {"signatures", std::move(sigs)}};
}

Result<Envelope> Envelope::FromJson(const Json& j, const std::string& path) {
  Envelope e;
  CUSTODY_ASSIGN_OR_RETURN(std::string payload_b64, RequireString(j, path, "payload"));
  auto payload = Base64Decode(payload_b64);
  if (!payload.ok()) return payload.error().WithContext(path + "/payload");
  e.payload = std::move(payload).value();
  CUSTODY_ASSIGN_OR_RETURN(e.payload_type, RequireString(j, path, "payloadType"));
  CUSTODY_ASSIGN_OR_RETURN(const Json* sigs, RequireArray(j, path, "signatures"));
  for (size_t i = 0; i < sigs->size(); ++i) {
    std::string spath = path + "/signatures/" + std::to_string(i);
    const Json& s = (*sigs)[i];
    Signature sig;
    CUSTODY_ASSIGN_OR_RETURN(std::string sig_b64, RequireString(s, spath, "sig"));
    auto raw = Base64Decode(sig_b64);
    if (!raw.ok()) return raw.error().WithContext(spath + "/sig");
    sig.sig = std::move(raw).value();
    if (HasField(s, "keyid")) {
      CUSTODY_ASSIGN_OR_RETURN(sig.keyid, RequireString(s, spath, "keyid"));
    }
    e.signatures.push_back(std::move(sig));
  }
  return e;
}

}  // namespace custody
