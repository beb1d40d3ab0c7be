#include "tlog/proof_json.h"

#include <charconv>

#include "core/encoding.h"

namespace custody::tlog {
namespace {

Result<uint64_t> Int64Field(const Json& j, const std::string& source, const char* key) {
  std::string where = source + ": /" + key;
  const Json& v = j[key];
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    uint64_t out = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return out;
  }
  return Error::Input(where + " must be a non-negative integer (number or decimal string), got " + JsonTypeName(v));
}

Result<Hash> HashField(const Json& v, const std::string& where) {
  if (!v.is_string()) return Error::Input(where + " must be a base64 string, got " + JsonTypeName(v));
  auto bytes = Base64Decode(v.get_ref<const std::string&>());
  if (!bytes.ok()) return Error::Input(where + " is not base64");
  return HashFromBytes(*bytes, where);
}

}  // namespace

Json ToJson(const ProofJson& p) {
  Json j = Json::object();
  if (p.log_index) j["logIndex"] = std::to_string(*p.log_index);
  if (p.old_size) j["oldSize"] = std::to_string(*p.old_size);
  j["treeSize"] = std::to_string(p.tree_size);
  if (p.old_root) j["oldRootHash"] = Base64Encode(AsBytes(*p.old_root));
  j["rootHash"] = Base64Encode(AsBytes(p.root));
  Json hashes = Json::array();
  for (const Hash& h : p.hashes) hashes.push_back(Base64Encode(AsBytes(h)));
  j["hashes"] = std::move(hashes);
  if (!p.checkpoint.empty()) j["checkpoint"] = {{"envelope", p.checkpoint}};
  return j;
}

Result<ProofJson> ParseProofJson(const Json& j, const std::string& source) {
  if (!j.is_object()) return Error::Input(source + ": a proof must be a JSON object, got " + JsonTypeName(j));
  ProofJson p;
  if (HasField(j, "logIndex")) {
    auto v = Int64Field(j, source, "logIndex");
    if (!v.ok()) return v.error();
    p.log_index = *v;
  }
  if (HasField(j, "oldSize")) {
    auto v = Int64Field(j, source, "oldSize");
    if (!v.ok()) return v.error();
    p.old_size = *v;
  }
  if (!p.log_index && !p.old_size) {
    return Error::Input(source + ": not a proof: it has neither /logIndex (inclusion) nor /oldSize (consistency)");
  }
  if (!HasField(j, "treeSize")) return Error::Input(source + ": /treeSize is missing");
  auto size = Int64Field(j, source, "treeSize");
  if (!size.ok()) return size.error();
  p.tree_size = *size;
  if (!HasField(j, "rootHash")) return Error::Input(source + ": /rootHash is missing");
  auto root = HashField(j["rootHash"], source + ": /rootHash");
  if (!root.ok()) return root.error();
  p.root = *root;
  if (HasField(j, "oldRootHash")) {
    auto old = HashField(j["oldRootHash"], source + ": /oldRootHash");
    if (!old.ok()) return old.error();
    p.old_root = *old;
  }
  if (HasField(j, "hashes")) {
    const Json& hs = j["hashes"];
    if (!hs.is_array()) return Error::Input(source + ": /hashes must be an array");
    for (size_t i = 0; i < hs.size(); ++i) {
      auto h = HashField(hs[i], source + ": /hashes/" + std::to_string(i));
      if (!h.ok()) return h.error();
      p.hashes.push_back(*h);
    }
  }
  if (HasField(j, "checkpoint")) {
    const Json& c = j["checkpoint"];
    if (!c.is_object() || !c.contains("envelope") || !c["envelope"].is_string()) {
      return Error::Input(source + ": /checkpoint/envelope must be a string (the signed checkpoint)");
    }
    p.checkpoint = c["envelope"].get<std::string>();
  }
  return p;
}

}  // namespace custody::tlog
