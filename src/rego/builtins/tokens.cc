// Built-ins of OPA's "tokens" group: JSON Web Tokens in JWS compact form.
// io.jwt.decode, io.jwt.decode_verify, io.jwt.verify_{rs,ps,es,hs}{256,384,512}
// and io.jwt.verify_eddsa, io.jwt.encode_sign and io.jwt.encode_sign_raw.
//
// The error texts are OPA's, including the ones OPA passes through from Go's
// base64 decoder and from the JOSE library it signs with. JWE is refused, as
// in OPA.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoding.h"
#include "core/json.h"
#include "rego/builtins.h"
#include "rego/builtins/crypto_common.h"

namespace custody::rego {
namespace {

namespace cc = crypto_common;

// Nested tokens (cty "JWT") are unwrapped at most this deep; each level is a
// base64 of the next, so real tokens never come close.
constexpr int kMaxNesting = 32;

struct Token {
  std::string header;
  std::string payload;
  std::string signature;
};

Result<Token> SplitToken(std::string_view name, std::string_view jwt) {
  if (jwt.find('.') == std::string_view::npos) {
    return BuiltinError(name, "encoded JWT had no period separators");
  }
  size_t parts = static_cast<size_t>(std::count(jwt.begin(), jwt.end(), '.')) + 1;
  if (parts != 3) {
    return BuiltinError(name, "encoded JWT must have 3 sections, found " + std::to_string(parts));
  }
  size_t a = jwt.find('.');
  size_t b = jwt.find('.', a + 1);
  return Token{std::string(jwt.substr(0, a)), std::string(jwt.substr(a + 1, b - a - 1)),
               std::string(jwt.substr(b + 1))};
}

// OPA's extractJSONObject; the error is the bare message.
Result<Value> ExtractJsonObject(std::string_view text) {
  auto v = ParseJsonValue(text, "jwt");
  if (!v.ok()) {
    const std::string& msg = v.error().message();
    size_t at = msg.find("invalid JSON: ");
    return Error::Input(at == std::string::npos ? "invalid JSON: " + msg : msg.substr(at));
  }
  if (!v->is_object()) return Error::Input("decoded JSON type was not an Object");
  return *v;
}

Result<Value> DecodeHeader(std::string_view name, std::string_view encoded) {
  auto raw = cc::OpaBase64UrlDecode(encoded);
  if (!raw.ok()) return BuiltinError(name, "JWT header had invalid encoding: " + raw.error().message());
  auto header = ExtractJsonObject(*raw);
  if (!header.ok()) return BuiltinError(name, "bad JWT header: " + header.error().message());
  if (header->FindKey("enc") != nullptr) {
    return BuiltinError(name, "JWT is a JWE object, which is not supported");
  }
  return *header;
}

Result<std::string> DecodeSignature(std::string_view name, std::string_view encoded) {
  auto sig = cc::OpaBase64UrlDecode(encoded);
  if (!sig.ok()) return BuiltinError(name, sig.error().message());
  return *sig;
}

// The JOSE header fields OPA understands (RFC 7515 section 4.1).
struct TokenHeader {
  std::string alg;
  std::string kid;
  std::string typ;
  std::string cty;
  std::vector<std::string> crit;
  std::vector<std::string> unknown;

  // alg is required, and every critical parameter must be understood.
  bool Valid() const {
    if (alg.empty()) return false;
    for (const std::string& u : unknown) {
      if (std::find(crit.begin(), crit.end(), u) != crit.end()) return false;
    }
    return true;
  }
};

Result<TokenHeader> ParseTokenHeader(std::string_view name, const Value& header) {
  TokenHeader h;
  for (const auto& [k, v] : header.object()) {
    const std::string& key = k.as_string();  // JSON object keys are strings
    std::string* field = key == "alg"   ? &h.alg
                         : key == "kid" ? &h.kid
                         : key == "typ" ? &h.typ
                         : key == "cty" ? &h.cty
                                        : nullptr;
    if (field != nullptr) {
      if (!v.is_string()) return BuiltinError(name, key + ": must be a string");
      *field = v.as_string();
    } else if (key == "crit") {
      if (!v.is_array()) return BuiltinError(name, "crit: must be a list");
      // OPA skips elements that are not strings, then requires one at least.
      for (const Value& e : v.array()) {
        if (e.is_string()) h.crit.push_back(e.as_string());
      }
      if (h.crit.empty()) return BuiltinError(name, "crit: must be a nonempty list");
    } else {
      h.unknown.push_back(key);
    }
  }
  return h;
}

// The keys a "cert" argument names: a PEM certificate, a PEM public key, or a
// JWK or JWK set. Keys of a set whose "alg" is not a JWS algorithm are left
// out.
Result<std::vector<cc::JoseKey>> KeysFromCertOrJwk(std::string_view name, std::string_view text) {
  std::string_view rest;
  if (auto block = cc::PemDecode(text, &rest)) {
    if (!rest.empty()) return BuiltinError(name, "extra data after a PEM certificate block");
    cc::JoseKey key;
    if (block->type == "CERTIFICATE") {
      auto cert = cc::ParseCertificateDer(block->bytes);
      if (!cert.ok()) {
        return BuiltinError(name, "failed to parse a PEM certificate: " + cert.error().message());
      }
      key.pkey = cc::WrapPkey(X509_get_pubkey(cert->get()));
    } else if (block->type == "PUBLIC KEY") {
      auto pkey = cc::ParsePublicKeyDer(block->bytes);
      if (!pkey.ok()) {
        return BuiltinError(name, "failed to parse a PEM public key: " + pkey.error().message());
      }
      key.pkey = *pkey;
    } else {
      return BuiltinError(name, "failed to extract a Key from the PEM certificate");
    }
    return std::vector<cc::JoseKey>{std::move(key)};
  }
  auto jwks = cc::ParseJwks(text);
  if (!jwks.ok()) return BuiltinError(name, "failed to parse a JWK key (set): " + jwks.error().message());
  std::vector<cc::JoseKey> keys;
  for (cc::JoseKey& k : *jwks) {
    if (k.alg.empty() || cc::IsJwsAlgorithm(k.alg)) keys.push_back(std::move(k));
  }
  return keys;
}

Value Unverified() { return Value::Array({Value::Bool(false), Value::EmptyObject(), Value::EmptyObject()}); }

// ---- io.jwt.decode ----

Result<Value> DecodeToken(std::string_view name, std::string_view jwt, int depth) {
  CUSTODY_ASSIGN_OR_RETURN(Token token, SplitToken(name, jwt));
  CUSTODY_ASSIGN_OR_RETURN(Value header, DecodeHeader(name, token.header));
  auto payload = cc::OpaBase64UrlDecode(token.payload);
  if (!payload.ok()) {
    return BuiltinError(name, "JWT payload had invalid encoding: " + payload.error().message());
  }
  const Value* cty = header.FindKey("cty");
  if (cty != nullptr && cty->is_string() && cty->as_string() == "JWT") {
    // A nested token; jwt.io quotes it, so the quotes go first.
    if (depth >= kMaxNesting) return BuiltinError(name, "JWT nesting is too deep");
    std::string_view inner = *payload;
    while (!inner.empty() && (inner.front() == '"' || inner.front() == '\'')) inner.remove_prefix(1);
    while (!inner.empty() && (inner.back() == '"' || inner.back() == '\'')) inner.remove_suffix(1);
    return DecodeToken(name, inner, depth + 1);
  }
  auto claims = ExtractJsonObject(*payload);
  if (!claims.ok()) return BuiltinError(name, claims.error().message());
  auto signature = cc::OpaBase64UrlDecode(token.signature);
  if (!signature.ok()) {
    return BuiltinError(name, "JWT signature had invalid encoding: " + signature.error().message());
  }
  return Value::Array({std::move(header), std::move(*claims), Value::String(HexEncode(*signature))});
}

Result<Value> JwtDecode(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "io.jwt.decode";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view jwt, StringArg(kName, args, 1));
  return DecodeToken(kName, jwt, 0);
}

// ---- io.jwt.verify_* with a certificate, public key or JWK ----

enum class Scheme { kRsaPkcs1, kRsaPss, kEcdsa, kEdDsa };

Result<Value> VerifyWithKeys(std::string_view name, std::span<const Value> args, Scheme scheme,
                             const EVP_MD* md) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view jwt, StringArg(name, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(Token token, SplitToken(name, jwt));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view key_text, StringArg(name, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(std::vector<cc::JoseKey> keys, KeysFromCertOrJwk(name, key_text));
  CUSTODY_ASSIGN_OR_RETURN(std::string signature, DecodeSignature(name, token.signature));
  CUSTODY_ASSIGN_OR_RETURN(Value header_value, DecodeHeader(name, token.header));
  CUSTODY_ASSIGN_OR_RETURN(TokenHeader header, ParseTokenHeader(name, header_value));
  const std::string input = token.header + "." + token.payload;

  // OPA wants a public key of the scheme's type here: a private JWK does
  // not verify.
  auto verify = [&](const cc::JoseKey& key) {
    if (key.symmetric || key.is_private || !key.pkey) return false;
    EVP_PKEY* pkey = key.pkey.get();
    switch (scheme) {
      case Scheme::kRsaPkcs1: return cc::VerifyRsa(pkey, md, false, input, signature);
      case Scheme::kRsaPss: return cc::VerifyRsa(pkey, md, true, input, signature);
      case Scheme::kEcdsa: return cc::VerifyEcdsaRaw(pkey, md, input, signature);
      case Scheme::kEdDsa: return cc::VerifyEd25519(pkey, input, signature);
    }
    return false;
  };
  // A key whose kid matches the header's decides alone; otherwise any key
  // whose alg (if it has one) matches the header's.
  if (!header.kid.empty()) {
    for (const cc::JoseKey& key : keys) {
      if (key.kid == header.kid) return Value::Bool(verify(key));
    }
  }
  for (const cc::JoseKey& key : keys) {
    if ((key.alg.empty() || key.alg == header.alg) && verify(key)) return Value::Bool(true);
  }
  return Value::Bool(false);
}

template <Scheme S, int Bits>
Result<Value> VerifyAsymmetric(std::span<const Value> args, BuiltinContext&) {
  static const std::string name = [] {
    const char* prefix = S == Scheme::kRsaPkcs1 ? "rs" : S == Scheme::kRsaPss ? "ps" : "es";
    return "io.jwt.verify_" + std::string(prefix) + std::to_string(Bits);
  }();
  const EVP_MD* md = Bits == 256 ? EVP_sha256() : Bits == 384 ? EVP_sha384() : EVP_sha512();
  return VerifyWithKeys(name, args, S, md);
}

Result<Value> VerifyEdDsa(std::span<const Value> args, BuiltinContext&) {
  return VerifyWithKeys("io.jwt.verify_eddsa", args, Scheme::kEdDsa, nullptr);
}

// ---- io.jwt.verify_hs* with a shared secret ----

template <int Bits>
Result<Value> VerifyHmac(std::span<const Value> args, BuiltinContext&) {
  static const std::string name = "io.jwt.verify_hs" + std::to_string(Bits);
  const EVP_MD* md = Bits == 256 ? EVP_sha256() : Bits == 384 ? EVP_sha384() : EVP_sha512();
  CUSTODY_ASSIGN_OR_RETURN(std::string_view jwt, StringArg(name, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view secret, StringArg(name, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(Token token, SplitToken(name, jwt));
  std::string mac = cc::Hmac(md, secret, token.header + "." + token.payload);
  CUSTODY_ASSIGN_OR_RETURN(std::string signature, DecodeSignature(name, token.signature));
  return Value::Bool(cc::ConstantTimeEqual(signature, mac));
}

// ---- io.jwt.decode_verify ----

struct Constraints {
  std::string secret;
  std::string alg;
  std::string iss;
  std::string aud;
  bool has_keys = false;
  std::vector<cc::JoseKey> keys;
  bool has_time = false;
  double time = 0;  // nanoseconds since the epoch

  bool Verify(const std::string& kid, const std::string& alg_name, std::string_view input,
              std::string_view signature) const {
    if (has_keys) {
      if (!kid.empty()) {
        for (const cc::JoseKey& key : keys) {
          if (key.kid == kid) return cc::JwsVerify(key, alg_name, input, signature);
        }
      }
      for (const cc::JoseKey& key : keys) {
        if ((key.alg.empty() || key.alg == alg_name) && cc::JwsVerify(key, alg_name, input, signature)) {
          return true;
        }
      }
      return false;
    }
    cc::JoseKey key;
    key.symmetric = true;
    key.secret = secret;
    return cc::JwsVerify(key, alg_name, input, signature);
  }

  bool ValidAudience(const Value& aud_value) const {
    if (aud_value.is_string()) return aud_value.as_string() == aud;
    if (!aud_value.is_array()) return false;
    for (const Value& e : aud_value.array()) {
      if (e.is_string() && e.as_string() == aud) return true;
    }
    return false;
  }
};

Result<double> TimeFromValue(std::string_view name, const Value& v) {
  if (!v.is_number()) return BuiltinError(name, "token time constraint: must be a number");
  double t = v.as_double();
  if (t < 0) return BuiltinError(name, "token time constraint: must not be negative");
  return t;
}

Result<Constraints> ParseConstraints(std::string_view name, const Value& object, const BuiltinContext& ctx) {
  Constraints c;
  for (const auto& [k, v] : object.object()) {
    std::string key = k.is_string() ? k.as_string() : k.ToJson();
    std::string* field = key == "secret" ? &c.secret
                         : key == "alg"  ? &c.alg
                         : key == "iss"  ? &c.iss
                         : key == "aud"  ? &c.aud
                                         : nullptr;
    if (field != nullptr) {
      if (!v.is_string()) return BuiltinError(name, key + " constraint: must be a string");
      *field = v.as_string();
    } else if (key == "cert") {
      if (!v.is_string()) return BuiltinError(name, "cert constraint: must be a string");
      CUSTODY_ASSIGN_OR_RETURN(c.keys, KeysFromCertOrJwk(name, v.as_string()));
      c.has_keys = true;
    } else if (key == "time") {
      CUSTODY_ASSIGN_OR_RETURN(c.time, TimeFromValue(name, v));
      c.has_time = true;
    } else {
      return BuiltinError(name, "unknown token validation constraint: " + key);
    }
  }
  if (!c.has_time) {
    CUSTODY_ASSIGN_OR_RETURN(c.time, TimeFromValue(name, Value::Int(ctx.now_ns)));
  }
  int key_constraints = (c.has_keys ? 1 : 0) + (c.secret.empty() ? 0 : 1);
  if (key_constraints > 1) return BuiltinError(name, "duplicate key constraints");
  if (key_constraints < 1) return BuiltinError(name, "no key constraint");
  return c;
}

Result<Value> JwtDecodeVerify(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "io.jwt.decode_verify";
  CUSTODY_ASSIGN_OR_RETURN(const Value* options, ObjectArg(kName, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(Constraints constraints, ParseConstraints(kName, *options, ctx));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view first, StringArg(kName, args, 1));

  std::string jwt(first);
  std::string payload;
  Value header;
  for (int depth = 0;; ++depth) {
    if (depth > kMaxNesting) return BuiltinError(kName, "JWT nesting is too deep");
    CUSTODY_ASSIGN_OR_RETURN(Token token, SplitToken(kName, jwt));
    CUSTODY_ASSIGN_OR_RETURN(header, DecodeHeader(kName, token.header));
    CUSTODY_ASSIGN_OR_RETURN(TokenHeader parsed, ParseTokenHeader(kName, header));
    if (!parsed.Valid()) return Unverified();
    if (!constraints.alg.empty() && constraints.alg != parsed.alg) return Unverified();
    CUSTODY_ASSIGN_OR_RETURN(std::string signature, DecodeSignature(kName, token.signature));
    if (!constraints.Verify(parsed.kid, parsed.alg, token.header + "." + token.payload, signature)) {
      return Unverified();
    }
    auto decoded = cc::OpaBase64UrlDecode(token.payload);
    if (!decoded.ok()) {
      return BuiltinError(kName, "JWT payload had invalid encoding: " + decoded.error().message());
    }
    payload = std::move(*decoded);
    std::string cty = parsed.cty;
    std::transform(cty.begin(), cty.end(), cty.begin(), [](unsigned char ch) { return std::toupper(ch); });
    if (cty != "JWT") break;
    jwt = payload;  // a nested token signed in turn
  }
  auto claims_result = ExtractJsonObject(payload);
  if (!claims_result.ok()) return BuiltinError(kName, claims_result.error().message());
  const Value& claims = *claims_result;

  // Registered claims (RFC 7519 section 4.1).
  if (!constraints.iss.empty()) {
    const Value* iss = claims.FindKey("iss");
    if (iss == nullptr || !iss->is_string() || iss->as_string() != constraints.iss) return Unverified();
  }
  if (const Value* aud = claims.FindKey("aud")) {
    if (!constraints.ValidAudience(*aud)) return Unverified();
  } else if (!constraints.aud.empty()) {
    return Unverified();
  }
  // The constraint time is in nanoseconds, exp and nbf in seconds.
  const Value now = Value::Float(constraints.time / 1e9);
  if (const Value* exp = claims.FindKey("exp")) {
    if (!exp->is_number()) return BuiltinError(kName, "exp value must be a number");
    if (Compare(now, *exp) >= 0) return Unverified();
  }
  if (const Value* nbf = claims.FindKey("nbf")) {
    if (!nbf->is_number()) return BuiltinError(kName, "nbf value must be a number");
    if (Compare(now, *nbf) < 0) return Unverified();
  }
  return Value::Array({Value::Bool(true), header, claims});
}

// ---- io.jwt.encode_sign and io.jwt.encode_sign_raw ----

// The JOSE library OPA signs with reads "alg" and "typ" from the raw header
// text with a lenient JSON parser (fastjson): its error texts, and what it
// accepts, decide the messages. This follows it: a bare word like "e" parses
// (as a number) and so has no "alg", while "{" does not parse at all.
class LenientJson {
 public:
  // Parses `text`; on success the top-level object's string members are
  // available through Get.
  bool Parse(std::string_view text) {
    std::string_view s = SkipWs(text);
    std::string_view tail;
    if (!ParseValue(s, 0, &tail, true)) {
      error_ = "cannot parse JSON: " + error_ + "; unparsed tail: " + Quote(StartEnd(tail));
      return false;
    }
    tail = SkipWs(tail);
    if (!tail.empty()) {
      error_ = "unexpected tail: " + Quote(StartEnd(tail));
      return false;
    }
    return true;
  }
  const std::string& error() const { return error_; }
  // The first member named `key` if it is a string.
  std::optional<std::string> Get(std::string_view key) const {
    for (const auto& [k, v] : members_) {
      if (k == key) return v;
    }
    return std::nullopt;
  }

 private:
  static constexpr int kMaxDepth = 300;

  static std::string_view SkipWs(std::string_view s) {
    while (!s.empty() && (s[0] == ' ' || s[0] == '\n' || s[0] == '\t' || s[0] == '\r')) s.remove_prefix(1);
    return s;
  }
  static std::string StartEnd(std::string_view s) {
    if (s.size() <= 40) return std::string(s);
    return std::string(s.substr(0, 20)) + "..." + std::string(s.substr(s.size() - 20));
  }
  // Go's %q for the texts in the messages.
  static std::string Quote(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == 0x7f) {
            static const char* hex = "0123456789abcdef";
            out += "\\x";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
    }
    return out + "\"";
  }

  // The raw text of a string whose opening quote is already consumed.
  bool RawString(std::string_view s, std::string_view* raw, std::string_view* tail) {
    size_t i = 0;
    while (i < s.size()) {
      if (s[i] == '\\') {
        i += 2;
        continue;
      }
      if (s[i] == '"') {
        *raw = s.substr(0, i);
        *tail = s.substr(i + 1);
        return true;
      }
      ++i;
    }
    error_ = "missing closing '\"'";
    *tail = std::string_view();
    return false;
  }

  static void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }

  // Best-effort unescaping: malformed escapes are kept as written.
  static std::string Unescape(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '\\' || i + 1 >= s.size()) {
        out.push_back(s[i]);
        continue;
      }
      char e = s[++i];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          auto hex4 = [&](size_t at, uint32_t* cp) {
            if (at + 4 > s.size()) return false;
            *cp = 0;
            for (size_t k = at; k < at + 4; ++k) {
              char h = s[k];
              int d = h >= '0' && h <= '9'   ? h - '0'
                      : h >= 'a' && h <= 'f' ? h - 'a' + 10
                      : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                             : -1;
              if (d < 0) return false;
              *cp = *cp << 4 | static_cast<uint32_t>(d);
            }
            return true;
          };
          uint32_t cp = 0;
          if (!hex4(i + 1, &cp)) {
            out += "\\u";
            break;
          }
          i += 4;
          uint32_t lo = 0;
          if (cp >= 0xd800 && cp < 0xdc00 && i + 2 < s.size() && s[i + 1] == '\\' && s[i + 2] == 'u' &&
              hex4(i + 3, &lo) && lo >= 0xdc00 && lo < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 6;
          }
          AppendUtf8(out, cp);
          break;
        }
        default: out.push_back('\\'); out.push_back(e);
      }
    }
    return out;
  }

  bool ParseValue(std::string_view s, int depth, std::string_view* tail, bool top) {
    if (s.empty()) {
      error_ = "cannot parse empty string";
      *tail = s;
      return false;
    }
    if (++depth > kMaxDepth) {
      error_ = "too big depth for the nested JSON; it exceeds " + std::to_string(kMaxDepth);
      *tail = s;
      return false;
    }
    switch (s[0]) {
      case '{':
        if (!ParseObject(s.substr(1), depth, tail, top)) {
          error_ = "cannot parse object: " + error_;
          return false;
        }
        return true;
      case '[':
        if (!ParseArray(s.substr(1), depth, tail)) {
          error_ = "cannot parse array: " + error_;
          return false;
        }
        return true;
      case '"': {
        std::string_view raw;
        if (!RawString(s.substr(1), &raw, tail)) {
          error_ = "cannot parse string: " + error_;
          return false;
        }
        return true;
      }
      case 't':
      case 'f':
      case 'n': {
        std::string_view word = s[0] == 't' ? "true" : s[0] == 'f' ? "false" : "null";
        if (s.substr(0, word.size()) == word) {
          *tail = s.substr(word.size());
          return true;
        }
        if (s[0] == 'n' && s.size() >= 3 && (s[1] == 'a' || s[1] == 'A') && (s[2] == 'n' || s[2] == 'N')) {
          *tail = s.substr(3);
          return true;
        }
        error_ = "unexpected value found: " + Quote(s);
        *tail = s;
        return false;
      }
      default: return ParseNumber(s, tail);
    }
  }

  // fastjson takes any run of number characters (and inf/nan) as a number.
  bool ParseNumber(std::string_view s, std::string_view* tail) {
    for (size_t i = 0; i < s.size(); ++i) {
      char ch = s[i];
      if ((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == 'e' || ch == 'E' || ch == '+') continue;
      if (i == 0 || (i == 1 && (s[0] == '-' || s[0] == '+'))) {
        if (s.size() - i >= 3) {
          std::string word(s.substr(i, 3));
          std::transform(word.begin(), word.end(), word.begin(),
                         [](unsigned char c) { return std::tolower(c); });
          if (word == "inf" || word == "nan") {
            *tail = s.substr(i + 3);
            return true;
          }
        }
        error_ = "cannot parse number: unexpected char: " + Quote(s.substr(0, 1));
        *tail = s;
        return false;
      }
      *tail = s.substr(i);
      return true;
    }
    *tail = std::string_view();
    return true;
  }

  bool ParseObject(std::string_view s, int depth, std::string_view* tail, bool top) {
    s = SkipWs(s);
    if (s.empty()) {
      error_ = "missing '}'";
      *tail = s;
      return false;
    }
    if (s[0] == '}') {
      *tail = s.substr(1);
      return true;
    }
    while (true) {
      s = SkipWs(s);
      if (s.empty() || s[0] != '"') {
        error_ = "cannot find opening '\"\" for object key";
        *tail = s;
        return false;
      }
      std::string_view raw_key;
      if (!RawString(s.substr(1), &raw_key, &s)) {
        error_ = "cannot parse object key: " + error_;
        *tail = s;
        return false;
      }
      s = SkipWs(s);
      if (s.empty() || s[0] != ':') {
        error_ = "missing ':' after object key";
        *tail = s;
        return false;
      }
      s = SkipWs(s.substr(1));
      std::string_view value_start = s;
      if (!ParseValue(s, depth, &s, false)) {
        error_ = "cannot parse object value: " + error_;
        *tail = s;
        return false;
      }
      if (top) {
        std::optional<std::string> str;
        if (!value_start.empty() && value_start[0] == '"') {
          std::string_view raw = value_start.substr(1, value_start.size() - s.size() - 2);
          str = Unescape(raw);
        }
        members_.emplace_back(Unescape(raw_key), std::move(str));
      }
      s = SkipWs(s);
      if (s.empty()) {
        error_ = "unexpected end of object";
        *tail = s;
        return false;
      }
      if (s[0] == ',') {
        s.remove_prefix(1);
        continue;
      }
      if (s[0] == '}') {
        *tail = s.substr(1);
        return true;
      }
      error_ = "missing ',' after object value";
      *tail = s;
      return false;
    }
  }

  bool ParseArray(std::string_view s, int depth, std::string_view* tail) {
    s = SkipWs(s);
    if (s.empty()) {
      error_ = "missing ']'";
      *tail = s;
      return false;
    }
    if (s[0] == ']') {
      *tail = s.substr(1);
      return true;
    }
    while (true) {
      s = SkipWs(s);
      if (!ParseValue(s, depth, &s, false)) {
        error_ = "cannot parse array value: " + error_;
        *tail = s;
        return false;
      }
      s = SkipWs(s);
      if (s.empty()) {
        error_ = "unexpected end of array";
        *tail = s;
        return false;
      }
      if (s[0] == ',') {
        s.remove_prefix(1);
        continue;
      }
      if (s[0] == ']') {
        *tail = s.substr(1);
        return true;
      }
      error_ = "missing ',' after array value";
      *tail = s;
      return false;
    }
  }

  std::string error_;
  // Top-level members in order: the unescaped name, and the value when it
  // is a string.
  std::vector<std::pair<std::string, std::optional<std::string>>> members_;
};

Result<Value> EncodeSign(std::string_view name, std::string_view header, std::string_view payload,
                         std::string_view jwk) {
  auto keys = cc::ParseJwks(jwk);
  if (!keys.ok()) return BuiltinError(name, keys.error().message());
  if (keys->empty()) return BuiltinError(name, "no keys found in JWK set");

  LenientJson parsed;
  if (!parsed.Parse(header)) return BuiltinError(name, "missing or invalid 'alg' header: " + parsed.error());
  std::optional<std::string> alg = parsed.Get("alg");
  if (!alg) return BuiltinError(name, "missing or invalid 'alg' header: jwsbb: header \"alg\" not found");
  if (!cc::IsJwsAlgorithm(*alg)) return BuiltinError(name, "unknown JWS algorithm: " + *alg);
  std::optional<std::string> typ = parsed.Get("typ");
  if ((!typ || *typ == "JWT") && !Json::accept(payload)) {
    return BuiltinError(name, "type is JWT but payload is not JSON");
  }

  std::string input = cc::Base64UrlNoPad(header) + "." + cc::Base64UrlNoPad(payload);
  auto signature = cc::JwsSign(keys->front(), *alg, input);
  if (!signature.ok()) return BuiltinError(name, signature.error().message());
  return Value::String(input + "." + cc::Base64UrlNoPad(*signature));
}

// The length of the valid UTF-8 sequence at s[i], or 0 if there is none.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  uint32_t cp = 0;
  uint32_t min = 0;
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0) {
    n = 2, cp = c & 0x1f, min = 0x80;
  } else if ((c & 0xf0) == 0xe0) {
    n = 3, cp = c & 0x0f, min = 0x800;
  } else if ((c & 0xf8) == 0xf0) {
    n = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

// JSON text as Go's encoding/json writes it. Value's JSON already sorts keys
// and escapes <, > and & as Go does; Go also escapes the two JavaScript line
// separators and writes each byte of invalid UTF-8 as \ufffd.
std::string GoJson(const Value& v) {
  std::string json = v.ToJson();
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size();) {
    size_t n = Utf8SequenceLength(json, i);
    if (n == 0) {
      out += "\\ufffd";
      i += 1;
    } else if (n == 3 && json.compare(i, 2, "\xe2\x80") == 0 &&
               (json[i + 2] == '\xa8' || json[i + 2] == '\xa9')) {
      out += json[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 3;
    } else {
      out.append(json, i, n);
      i += n;
    }
  }
  return out;
}

Result<Value> JwtEncodeSign(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "io.jwt.encode_sign";
  for (int i = 1; i <= 3; ++i) {
    if (!args[static_cast<size_t>(i - 1)].is_object()) {
      return OperandTypeError(kName, i, args[static_cast<size_t>(i - 1)], "object");
    }
  }
  return EncodeSign(kName, GoJson(args[0]), GoJson(args[1]), GoJson(args[2]));
}

Result<Value> JwtEncodeSignRaw(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "io.jwt.encode_sign_raw";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view jwk, StringArg(kName, args, 3));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view header, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view payload, StringArg(kName, args, 2));
  return EncodeSign(kName, header, payload, jwk);
}

}  // namespace

// decode_verify reads the clock and the encoders draw random numbers (ECDSA,
// RSA-PSS): OPA marks the three non-deterministic.
void RegisterTokens(BuiltinTable& t) {
  t.Add({"io.jwt.decode", 1, JwtDecode});
  t.Add({"io.jwt.decode_verify", 2, JwtDecodeVerify, true});
  t.Add({"io.jwt.verify_rs256", 2, VerifyAsymmetric<Scheme::kRsaPkcs1, 256>});
  t.Add({"io.jwt.verify_rs384", 2, VerifyAsymmetric<Scheme::kRsaPkcs1, 384>});
  t.Add({"io.jwt.verify_rs512", 2, VerifyAsymmetric<Scheme::kRsaPkcs1, 512>});
  t.Add({"io.jwt.verify_ps256", 2, VerifyAsymmetric<Scheme::kRsaPss, 256>});
  t.Add({"io.jwt.verify_ps384", 2, VerifyAsymmetric<Scheme::kRsaPss, 384>});
  t.Add({"io.jwt.verify_ps512", 2, VerifyAsymmetric<Scheme::kRsaPss, 512>});
  t.Add({"io.jwt.verify_es256", 2, VerifyAsymmetric<Scheme::kEcdsa, 256>});
  t.Add({"io.jwt.verify_es384", 2, VerifyAsymmetric<Scheme::kEcdsa, 384>});
  t.Add({"io.jwt.verify_es512", 2, VerifyAsymmetric<Scheme::kEcdsa, 512>});
  t.Add({"io.jwt.verify_eddsa", 2, VerifyEdDsa});
  t.Add({"io.jwt.verify_hs256", 2, VerifyHmac<256>});
  t.Add({"io.jwt.verify_hs384", 2, VerifyHmac<384>});
  t.Add({"io.jwt.verify_hs512", 2, VerifyHmac<512>});
  t.Add({"io.jwt.encode_sign", 3, JwtEncodeSign, true});
  t.Add({"io.jwt.encode_sign_raw", 3, JwtEncodeSignRaw, true});
}

}  // namespace custody::rego
