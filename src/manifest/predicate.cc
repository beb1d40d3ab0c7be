#include "manifest/predicate.h"

#include "core/encoding.h"

namespace custody {

Json SerializationToJson(const Serialization& s) {
  Json j = Json::object();
  j["method"] = SerializationMethodName(s.method);
  j["hash_type"] = HashAlgorithmName(s.hash);
  j["allow_symlinks"] = s.allow_symlinks;
  if (s.method == SerializationMethod::kShards) j["shard_size"] = s.shard_size;
  j["ignore_paths"] = s.ignore_paths;
  return j;
}

Json ManifestToPredicate(const Manifest& manifest) {
  Json resources = Json::array();
  for (const auto& r : manifest.resources) {
    resources.push_back({{"name", r.name}, {"algorithm", r.algorithm}, {"digest", HexEncode(r.digest)}});
  }
  return {{"serialization", SerializationToJson(manifest.serialization)}, {"resources", std::move(resources)}};
}

namespace {

Result<HashAlgorithm> ParseHashType(const std::string& hash_type, const std::string& where) {
  std::string base = hash_type;
  // Early model_signing releases wrote e.g. "sha256-sharded-1000000000".
  auto sharded = base.find("-sharded-");
  if (sharded != std::string::npos) base.resize(sharded);
  auto alg = ParseHashAlgorithm(base);
  if (!alg.ok()) return alg.error().WithContext(where);
  return alg;
}

Result<Resource> ParseResource(const Json& j, const std::string& path, SerializationMethod method) {
  Resource r;
  CUSTODY_ASSIGN_OR_RETURN(r.name, RequireString(j, path, "name"));
  CUSTODY_ASSIGN_OR_RETURN(r.algorithm, RequireString(j, path, "algorithm"));
  CUSTODY_ASSIGN_OR_RETURN(std::string hex, RequireString(j, path, "digest"));
  auto digest = HexDecode(hex);
  if (!digest.ok()) return digest.error().WithContext(path + "/digest");
  r.digest = std::move(digest).value();
  if (method == SerializationMethod::kFiles) {
    r.path = r.name;
    return r;
  }
  // "path:start:end"; the path itself may contain ':', so split from the right.
  auto bad = [&] {
    return Error::Input(path + "/name: shard name '" + r.name + "' is not of the form path:start:end");
  };
  auto c2 = r.name.rfind(':');
  if (c2 == std::string::npos || c2 == 0) return bad();
  auto c1 = r.name.rfind(':', c2 - 1);
  if (c1 == std::string::npos) return bad();
  try {
    size_t used = 0;
    std::string start = r.name.substr(c1 + 1, c2 - c1 - 1), end = r.name.substr(c2 + 1);
    if (start.empty() || end.empty() || start[0] == '-' || end[0] == '-') return bad();
    r.start = std::stoull(start, &used);
    if (used != start.size()) return bad();
    r.end = std::stoull(end, &used);
    if (used != end.size()) return bad();
  } catch (const std::exception&) {
    return bad();
  }
  if (r.end < r.start) return bad();
  r.path = r.name.substr(0, c1);
  return r;
}

}  // namespace

Result<Manifest> ManifestFromPredicate(const Json& predicate, const std::string& path, std::string model_name) {
  Manifest m;
  m.model_name = std::move(model_name);
  std::string spath = path + "/serialization";
  CUSTODY_ASSIGN_OR_RETURN(const Json* ser, RequireObject(predicate, path, "serialization"));
  CUSTODY_ASSIGN_OR_RETURN(std::string method, RequireString(*ser, spath, "method"));
  auto parsed_method = ParseSerializationMethod(method);
  if (!parsed_method.ok()) return parsed_method.error().WithContext(spath + "/method");
  m.serialization.method = *parsed_method;
  CUSTODY_ASSIGN_OR_RETURN(std::string hash_type, RequireString(*ser, spath, "hash_type"));
  CUSTODY_ASSIGN_OR_RETURN(m.serialization.hash, ParseHashType(hash_type, spath + "/hash_type"));
  CUSTODY_ASSIGN_OR_RETURN(m.serialization.allow_symlinks, RequireBool(*ser, spath, "allow_symlinks"));
  if (m.serialization.method == SerializationMethod::kShards) {
    CUSTODY_ASSIGN_OR_RETURN(m.serialization.shard_size, RequireUnsigned(*ser, spath, "shard_size"));
    if (m.serialization.shard_size == 0) return Error::Input(spath + "/shard_size: must be at least 1");
  }
  if (HasField(*ser, "ignore_paths")) {
    CUSTODY_ASSIGN_OR_RETURN(const Json* ignores, RequireArray(*ser, spath, "ignore_paths"));
    for (size_t i = 0; i < ignores->size(); ++i) {
      const Json& p = (*ignores)[i];
      if (!p.is_string()) {
        return Error::Input(spath + "/ignore_paths/" + std::to_string(i) + ": expected a string, found " +
                            JsonTypeName(p));
      }
      m.serialization.ignore_paths.push_back(p.get<std::string>());
    }
  }
  CUSTODY_ASSIGN_OR_RETURN(const Json* resources, RequireArray(predicate, path, "resources"));
  for (size_t i = 0; i < resources->size(); ++i) {
    CUSTODY_ASSIGN_OR_RETURN(Resource r, ParseResource((*resources)[i], path + "/resources/" + std::to_string(i),
                                                       m.serialization.method));
    m.resources.push_back(std::move(r));
  }
  return m;
}

}  // namespace custody
