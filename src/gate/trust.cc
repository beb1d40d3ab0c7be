#include "gate/trust.h"

#include <fnmatch.h>

#include <filesystem>

#include "attest/model_signature.h"
#include "attest/predicates.h"
#include "core/file.h"
#include "core/time.h"
#include "core/yaml.h"

namespace custody::gate {
namespace {

using Node = YamlNode;

Error At(const std::string& source, const Node& n, const std::string& what) {
  return Error::Input(source + ":" + std::to_string(n.line) + ": " + what);
}

// 64 hex digits, either case (key ids are compared in lower case).
bool IsHexKeyId(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A field written twice in one mapping is refused: in a trust file, which of
// two values wins must not be a matter of parser behaviour.
Status Once(const std::string& source, const YamlNode& mapping) {
  for (size_t i = 0; i < mapping.entries.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (mapping.entries[i].first.scalar == mapping.entries[j].first.scalar) {
        return At(source, mapping.entries[i].first, "field '" + mapping.entries[i].first.scalar +
                                                        "' is given twice (first on line " +
                                                        std::to_string(mapping.entries[j].first.line) + ")");
      }
    }
  }
  return OkStatus();
}

Result<std::string> Scalar(const Node& n, const std::string& source, const std::string& field) {
  if (n.type != Node::Type::kScalar) return At(source, n, field + ": expected a single value");
  return n.scalar;
}

Result<std::vector<std::string>> StringList(const Node& n, const std::string& source, const std::string& field) {
  std::vector<std::string> out;
  if (n.type == Node::Type::kScalar && n.plain && (n.scalar.empty() || n.scalar == "null" || n.scalar == "~")) {
    return out;
  }
  if (n.type != Node::Type::kSequence) return At(source, n, field + ": expected a list, e.g. [a, b]");
  for (const Node& item : n.items) {
    CUSTODY_ASSIGN_OR_RETURN(std::string s, Scalar(item, source, field));
    if (s.empty()) return At(source, item, field + ": empty entry");
    out.push_back(std::move(s));
  }
  return out;
}

Result<int64_t> Time(const Node& n, const std::string& source, const std::string& field) {
  CUSTODY_ASSIGN_OR_RETURN(std::string s, Scalar(n, source, field));
  auto t = ParseRfc3339(s);
  if (!t) return At(source, n, field + ": '" + s + "' is not an RFC 3339 time; write e.g. 2026-01-01T00:00:00Z");
  return *t;
}

Result<TrustedKey> ParseKey(const Node& n, const std::string& source, const std::string& base_dir) {
  if (n.type != Node::Type::kMapping) return At(source, n, "keys: each entry is a mapping with name and key");
  CUSTODY_RETURN_IF_ERROR(Once(source, n));
  TrustedKey k;
  k.line = n.line;
  bool have_key = false;
  for (const YamlEntry& e : n.entries) {
    const std::string& f = e.first.scalar;
    if (f == "name") {
      CUSTODY_ASSIGN_OR_RETURN(k.name, Scalar(e.second, source, "name"));
    } else if (f == "key") {
      CUSTODY_ASSIGN_OR_RETURN(std::string key, Scalar(e.second, source, "key"));
      have_key = true;
      if (IsHexKeyId(key)) {
        k.keyid = Lower(key);
      } else {
        std::filesystem::path p(key);
        if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
        auto pem = ReadFile(p, 1 << 20);
        if (!pem.ok()) {
          return At(source, e.second, "key: cannot read '" + key + "' (" + pem.error().message() +
                                          "); give a PEM public key file or a 64-hex-digit key id");
        }
        auto pub = PublicKey::FromPem(*pem, p.string());
        if (!pub.ok()) return At(source, e.second, "key: " + pub.error().message());
        k.keyid = PublicKeyHint(*pub);
        k.key = std::move(*pub);
      }
    } else if (f == "predicates") {
      CUSTODY_ASSIGN_OR_RETURN(k.predicates, StringList(e.second, source, "predicates"));
      for (const std::string& p : k.predicates) {
        auto r = ResolvePredicateType(p);
        if (!r.ok()) return At(source, e.second, "predicates: " + r.error().message());
      }
    } else if (f == "models") {
      CUSTODY_ASSIGN_OR_RETURN(k.models, StringList(e.second, source, "models"));
    } else if (f == "valid_after") {
      CUSTODY_ASSIGN_OR_RETURN(k.valid_after_ns, Time(e.second, source, "valid_after"));
    } else if (f == "valid_before") {
      CUSTODY_ASSIGN_OR_RETURN(k.valid_before_ns, Time(e.second, source, "valid_before"));
    } else {
      return At(source, e.first, "unknown key field '" + f +
                                     "': a key has name, key, predicates, models, valid_after, valid_before");
    }
  }
  if (k.name.empty()) return At(source, n, "keys: entry without a name");
  if (!have_key) return At(source, n, "key '" + k.name + "' has no 'key' (a PEM file or a key id)");
  if (k.valid_after_ns && k.valid_before_ns && *k.valid_after_ns >= *k.valid_before_ns) {
    return At(source, n, "key '" + k.name + "': valid_after must be before valid_before");
  }
  return k;
}

}  // namespace

bool TrustedKey::AllowsPredicate(std::string_view uri) const {
  if (predicates.empty()) return true;
  for (const std::string& p : predicates) {
    if (PredicateTypeMatches(p, uri)) return true;
  }
  return false;
}

bool TrustedKey::AllowsModel(std::string_view model) const {
  if (models.empty()) return true;
  std::string m(model);
  for (const std::string& g : models) {
    if (fnmatch(g.c_str(), m.c_str(), 0) == 0) return true;
  }
  return false;
}

bool TrustedKey::ValidAt(int64_t ns) const {
  if (valid_after_ns && ns < *valid_after_ns) return false;
  if (valid_before_ns && ns >= *valid_before_ns) return false;
  return true;
}

Result<TrustPolicy> TrustPolicy::Load(const std::string& path) {
  CUSTODY_ASSIGN_OR_RETURN(std::string text, ReadFile(path, 16 << 20));
  std::string base = std::filesystem::path(path).parent_path().string();
  return Parse(text, path, base.empty() ? "." : base);
}

Result<TrustPolicy> TrustPolicy::Parse(std::string_view text, const std::string& source, const std::string& base_dir) {
  CUSTODY_ASSIGN_OR_RETURN(Node root, ParseYaml(text, source));
  TrustPolicy t;
  if (root.type == Node::Type::kNull) return Error::Input(source + ": empty trust file: list at least one key under 'keys'");
  if (root.type != Node::Type::kMapping) return At(source, root, "a trust file is a mapping with keys, revoked, thresholds");
  CUSTODY_RETURN_IF_ERROR(Once(source, root));
  for (const YamlEntry& e : root.entries) {
    const std::string& f = e.first.scalar;
    if (f == "keys") {
      if (e.second.type != Node::Type::kSequence) return At(source, e.second, "keys: expected a list of keys");
      for (const Node& k : e.second.items) {
        CUSTODY_ASSIGN_OR_RETURN(TrustedKey key, ParseKey(k, source, base_dir));
        for (const TrustedKey& other : t.keys_) {
          if (other.name == key.name) {
            return At(source, k, "key name '" + key.name + "' is used twice (first on line " +
                                     std::to_string(other.line) + ")");
          }
        }
        t.keys_.push_back(std::move(key));
      }
    } else if (f == "revoked") {
      CUSTODY_ASSIGN_OR_RETURN(auto ids, StringList(e.second, source, "revoked"));
      for (size_t i = 0; i < ids.size(); ++i) {
        if (!IsHexKeyId(ids[i])) {
          return At(source, e.second.items[i], "revoked: '" + ids[i] + "' is not a key id (64 hex digits)");
        }
        t.revoked_.insert(Lower(ids[i]));
      }
    } else if (f == "thresholds") {
      if (e.second.type != Node::Type::kSequence) return At(source, e.second, "thresholds: expected a list");
      for (const Node& n : e.second.items) {
        if (n.type != Node::Type::kMapping) return At(source, n, "thresholds: each entry has predicate and signers");
        CUSTODY_RETURN_IF_ERROR(Once(source, n));
        Threshold th;
        th.line = n.line;
        bool have_signers = false;
        for (const YamlEntry& te : n.entries) {
          if (te.first.scalar == "predicate") {
            CUSTODY_ASSIGN_OR_RETURN(th.predicate, Scalar(te.second, source, "predicate"));
            auto r = ResolvePredicateType(th.predicate);
            if (!r.ok()) return At(source, te.second, "predicate: " + r.error().message());
          } else if (te.first.scalar == "signers") {
            CUSTODY_ASSIGN_OR_RETURN(std::string s, Scalar(te.second, source, "signers"));
            char* end = nullptr;
            long v = std::strtol(s.c_str(), &end, 10);
            if (s.empty() || *end != '\0' || v < 1 || v > 1000) {
              return At(source, te.second, "signers: '" + s + "' is not a whole number from 1 to 1000");
            }
            th.signers = static_cast<int>(v);
            have_signers = true;
          } else {
            return At(source, te.first, "unknown threshold field '" + te.first.scalar + "': use predicate and signers");
          }
        }
        if (th.predicate.empty() || !have_signers) return At(source, n, "a threshold needs predicate and signers");
        t.thresholds_.push_back(std::move(th));
      }
    } else {
      return At(source, e.first, "unknown field '" + f + "': a trust file has keys, revoked and thresholds");
    }
  }
  if (t.keys_.empty()) return Error::Input(source + ": no keys: list at least one key under 'keys'");
  return t;
}

std::vector<const TrustedKey*> TrustPolicy::Find(std::string_view keyid) const {
  std::vector<const TrustedKey*> out;
  for (const TrustedKey& k : keys_) {
    if (k.keyid == keyid) out.push_back(&k);
  }
  return out;
}

}  // namespace custody::gate
