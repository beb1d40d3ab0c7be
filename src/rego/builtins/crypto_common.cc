// Shared by the crypto and tokens built-ins: Go-compatible base64 and PEM
// decoding, keys from DER, PEM and JWK, and the JWS algorithms (RFC 7518)
// over OpenSSL 3.
#include "rego/builtins/crypto_common.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <cstring>

#include "core/encoding.h"
#include "rego/value.h"

namespace custody::rego::crypto_common {
namespace {

int Base64Digit(unsigned char c, bool url) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == (url ? '-' : '+')) return 62;
  if (c == (url ? '_' : '/')) return 63;
  return -1;
}

Error CorruptInput(size_t at) {
  return Error::Input("illegal base64 data at input byte " + std::to_string(at));
}

struct BnFree {
  void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

BnPtr BnFromBytes(std::string_view bytes) {
  return BnPtr(BN_bin2bn(Bytes(bytes), static_cast<int>(bytes.size()), nullptr));
}

// ---- PEM helpers after Go's encoding/pem ----

std::string_view TrimRightSpaceTab(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Go's getLine: the line without its end (and trailing blanks), and the rest.
std::pair<std::string_view, std::string_view> GetLine(std::string_view data) {
  size_t i = data.find('\n');
  size_t j;
  if (i == std::string_view::npos) {
    i = data.size();
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] == '\r') --i;
  }
  return {TrimRightSpaceTab(data.substr(0, i)), data.substr(j)};
}

// ---- JWK ----

Result<std::string> JwkParam(const Value& jwk, std::string_view name, bool required) {
  const Value* v = jwk.FindKey(name);
  if (v == nullptr) {
    if (required) return Error::Input("required field \"" + std::string(name) + "\" is missing");
    return std::string();
  }
  if (!v->is_string()) return Error::Input("field \"" + std::string(name) + "\" must be a string");
  auto decoded = LenientBase64Decode(v->as_string());
  if (!decoded.ok()) {
    return Error::Input("failed to decode field \"" + std::string(name) + "\": " + decoded.error().message());
  }
  if (required && decoded->empty()) return Error::Input("field \"" + std::string(name) + "\" is empty");
  return *decoded;
}

std::string JwkString(const Value& jwk, std::string_view name) {
  const Value* v = jwk.FindKey(name);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

Result<PkeyPtr> PkeyFromParams(const char* type, OSSL_PARAM_BLD* bld, int selection) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, selection, params.get()) <= 0 || pkey == nullptr) {
    ERR_clear_error();
    return Error::Input(std::string("invalid ") + type + " key parameters");
  }
  return WrapPkey(pkey);
}

Result<JoseKey> RsaJwk(const Value& jwk) {
  CUSTODY_ASSIGN_OR_RETURN(std::string n, JwkParam(jwk, "n", true));
  CUSTODY_ASSIGN_OR_RETURN(std::string e, JwkParam(jwk, "e", true));
  CUSTODY_ASSIGN_OR_RETURN(std::string d, JwkParam(jwk, "d", false));
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  std::vector<BnPtr> keep;
  auto push = [&](const char* name, const std::string& bytes) {
    keep.push_back(BnFromBytes(bytes));
    return keep.back() != nullptr && OSSL_PARAM_BLD_push_BN(bld.get(), name, keep.back().get()) == 1;
  };
  if (!bld || !push(OSSL_PKEY_PARAM_RSA_N, n) || !push(OSSL_PKEY_PARAM_RSA_E, e)) {
    return Error::Internal("cannot build an RSA key");
  }
  JoseKey key;
  int selection = EVP_PKEY_PUBLIC_KEY;
  if (jwk.FindKey("d") != nullptr) {
    if (d.empty()) return Error::Input("field \"d\" is empty");
    CUSTODY_ASSIGN_OR_RETURN(std::string p, JwkParam(jwk, "p", false));
    CUSTODY_ASSIGN_OR_RETURN(std::string q, JwkParam(jwk, "q", false));
    CUSTODY_ASSIGN_OR_RETURN(std::string dp, JwkParam(jwk, "dp", false));
    CUSTODY_ASSIGN_OR_RETURN(std::string dq, JwkParam(jwk, "dq", false));
    CUSTODY_ASSIGN_OR_RETURN(std::string qi, JwkParam(jwk, "qi", false));
    if (!push(OSSL_PKEY_PARAM_RSA_D, d)) return Error::Internal("cannot build an RSA key");
    if (!p.empty() && !q.empty()) {
      if (!push(OSSL_PKEY_PARAM_RSA_FACTOR1, p) || !push(OSSL_PKEY_PARAM_RSA_FACTOR2, q)) {
        return Error::Internal("cannot build an RSA key");
      }
      if (!dp.empty() && !dq.empty() && !qi.empty() &&
          (!push(OSSL_PKEY_PARAM_RSA_EXPONENT1, dp) || !push(OSSL_PKEY_PARAM_RSA_EXPONENT2, dq) ||
           !push(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qi))) {
        return Error::Internal("cannot build an RSA key");
      }
    }
    selection = EVP_PKEY_KEYPAIR;
    key.is_private = true;
  }
  CUSTODY_ASSIGN_OR_RETURN(key.pkey, PkeyFromParams("RSA", bld.get(), selection));
  return key;
}

Result<JoseKey> EcJwk(const Value& jwk) {
  std::string crv = JwkString(jwk, "crv");
  size_t size = 0;
  if (crv == "P-256") {
    size = 32;
  } else if (crv == "P-384") {
    size = 48;
  } else if (crv == "P-521") {
    size = 66;
  } else {
    return Error::Input("invalid curve name \"" + crv + "\"");
  }
  CUSTODY_ASSIGN_OR_RETURN(std::string x, JwkParam(jwk, "x", true));
  CUSTODY_ASSIGN_OR_RETURN(std::string y, JwkParam(jwk, "y", true));
  CUSTODY_ASSIGN_OR_RETURN(std::string d, JwkParam(jwk, "d", false));
  if (x.size() > size || y.size() > size) return Error::Input("invalid EC point coordinates for " + crv);
  // Uncompressed point: 04 || X || Y, each coordinate padded to the field size.
  std::string point =
      "\x04" + std::string(size - x.size(), '\0') + x + std::string(size - y.size(), '\0') + y;
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  BnPtr priv;
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, crv.c_str(), 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return Error::Internal("cannot build an EC key");
  }
  JoseKey key;
  int selection = EVP_PKEY_PUBLIC_KEY;
  if (jwk.FindKey("d") != nullptr) {
    if (d.empty()) return Error::Input("field \"d\" is empty");
    priv = BnFromBytes(d);
    if (!priv || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get()) != 1) {
      return Error::Internal("cannot build an EC key");
    }
    selection = EVP_PKEY_KEYPAIR;
    key.is_private = true;
  }
  CUSTODY_ASSIGN_OR_RETURN(key.pkey, PkeyFromParams("EC", bld.get(), selection));
  // The point must lie on the curve.
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    ERR_clear_error();
    return Error::Input("invalid EC public key: the point is not on " + crv);
  }
  return key;
}

Result<JoseKey> OkpJwk(const Value& jwk) {
  std::string crv = JwkString(jwk, "crv");
  int type = 0;
  if (crv == "Ed25519") {
    type = EVP_PKEY_ED25519;
  } else if (crv == "X25519") {
    type = EVP_PKEY_X25519;
  } else {
    return Error::Input("invalid curve name \"" + crv + "\"");
  }
  CUSTODY_ASSIGN_OR_RETURN(std::string x, JwkParam(jwk, "x", true));
  CUSTODY_ASSIGN_OR_RETURN(std::string d, JwkParam(jwk, "d", false));
  JoseKey key;
  EVP_PKEY* pkey = nullptr;
  if (jwk.FindKey("d") != nullptr) {
    if (d.size() != 32) return Error::Input("invalid " + crv + " private key size");
    pkey = EVP_PKEY_new_raw_private_key(type, nullptr, Bytes(d), d.size());
    key.is_private = true;
  } else {
    if (x.size() != 32) return Error::Input("invalid " + crv + " public key size");
    pkey = EVP_PKEY_new_raw_public_key(type, nullptr, Bytes(x), x.size());
  }
  if (pkey == nullptr) {
    ERR_clear_error();
    return Error::Input("invalid " + crv + " key");
  }
  key.pkey = WrapPkey(pkey);
  return key;
}

Result<JoseKey> JwkFromValue(const Value& jwk) {
  if (!jwk.is_object()) return Error::Input("a JWK must be a JSON object");
  const Value* kty = jwk.FindKey("kty");
  if (kty == nullptr || !kty->is_string()) return Error::Input("required field \"kty\" is missing");
  const std::string& type = kty->as_string();
  Result<JoseKey> key = Error::Input("");
  if (type == "RSA") {
    key = RsaJwk(jwk);
  } else if (type == "EC") {
    key = EcJwk(jwk);
  } else if (type == "OKP") {
    key = OkpJwk(jwk);
  } else if (type == "oct") {
    JoseKey k;
    k.symmetric = true;
    k.is_private = true;
    auto secret = JwkParam(jwk, "k", true);
    if (!secret.ok()) {
      key = secret.error();
    } else {
      k.secret = std::move(*secret);
      key = std::move(k);
    }
  } else {
    return Error::Input("invalid key type from JSON (\"" + type + "\")");
  }
  if (!key.ok()) return Error::Input("failed to parse " + type + " key: " + key.error().message());
  key->alg = JwkString(jwk, "alg");
  key->kid = JwkString(jwk, "kid");
  return key;
}

// Raw digest bytes of `input`.
bool DigestInto(const EVP_MD* md, std::string_view input, std::string* out) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(input.data(), input.size(), buf, &len, md, nullptr) != 1) {
    ERR_clear_error();
    return false;
  }
  out->assign(reinterpret_cast<char*>(buf), len);
  return true;
}

bool IsRsa(EVP_PKEY* key) { return key != nullptr && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA; }
bool IsEc(EVP_PKEY* key) { return key != nullptr && EVP_PKEY_get_base_id(key) == EVP_PKEY_EC; }
bool IsEd25519(EVP_PKEY* key) { return key != nullptr && EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519; }

Result<std::string> SignRsa(EVP_PKEY* key, const EVP_MD* md, bool pss, std::string_view input) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key) != 1) {
    ERR_clear_error();
    return Error::Input("failed to initialize RSA signing");
  }
  if (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)) {
    ERR_clear_error();
    return Error::Input("failed to initialize RSA-PSS signing");
  }
  size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, Bytes(input), input.size()) != 1) {
    ERR_clear_error();
    return Error::Input("failed to sign payload with RSA");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, Bytes(input),
                     input.size()) != 1) {
    ERR_clear_error();
    return Error::Input("failed to sign payload with RSA");
  }
  sig.resize(len);
  return sig;
}

Result<std::string> SignEcdsa(EVP_PKEY* key, const EVP_MD* md, std::string_view input) {
  std::string digest;
  if (!DigestInto(md, input, &digest)) return Error::Internal("digest failed");
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  size_t len = 0;
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
      EVP_PKEY_sign(ctx.get(), nullptr, &len, Bytes(digest), digest.size()) != 1) {
    ERR_clear_error();
    return Error::Input("failed to sign payload with ECDSA");
  }
  std::string der(len, '\0');
  if (EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &len, Bytes(digest),
                    digest.size()) != 1) {
    ERR_clear_error();
    return Error::Input("failed to sign payload with ECDSA");
  }
  const unsigned char* p = Bytes(der);
  std::unique_ptr<ECDSA_SIG, EcdsaSigFree> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len)));
  if (!sig) return Error::Internal("cannot read the ECDSA signature");
  int size = CurveByteSize(key);
  std::string out(static_cast<size_t>(2 * size), '\0');
  unsigned char* o = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), o, size) != size ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), o + size, size) != size) {
    return Error::Internal("cannot encode the ECDSA signature");
  }
  return out;
}

Result<std::string> SignEd25519(EVP_PKEY* key, std::string_view input) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t len = 64;
  std::string sig(len, '\0');
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, Bytes(input),
                     input.size()) != 1) {
    ERR_clear_error();
    return Error::Input("failed to sign payload with EdDSA");
  }
  sig.resize(len);
  return sig;
}

}  // namespace

// ---- Base64 ----

Result<std::string> GoBase64Decode(std::string_view src, Base64Variant variant) {
  // Go's decodeQuantum, one group of four symbols at a time, so that the
  // error offsets are Go's.
  const bool url = variant == Base64Variant::kUrl || variant == Base64Variant::kRawUrl;
  const bool padded = variant == Base64Variant::kStd || variant == Base64Variant::kUrl;
  const size_t n = src.size();
  std::string out;
  out.reserve(n / 4 * 3 + 3);
  size_t si = 0;
  while (si < n) {
    int dbuf[4] = {0, 0, 0, 0};
    int dlen = 4;
    bool garbage = false;
    size_t garbage_at = 0;
    for (int j = 0; j < 4; ++j) {
      if (si == n) {
        if (j == 0) return out;
        if (j == 1 || padded) return CorruptInput(si - static_cast<size_t>(j));
        dlen = j;
        break;
      }
      unsigned char in = static_cast<unsigned char>(src[si++]);
      int d = Base64Digit(in, url);
      if (d >= 0) {
        dbuf[j] = d;
        continue;
      }
      if (in == '\n' || in == '\r') {
        --j;
        continue;
      }
      if (!padded || in != '=') return CorruptInput(si - 1);
      // Padding: "=" after two symbols needs a second "=".
      if (j == 0 || j == 1) return CorruptInput(si - 1);
      if (j == 2) {
        while (si < n && (src[si] == '\n' || src[si] == '\r')) ++si;
        if (si == n) return CorruptInput(n);
        if (src[si] != '=') return CorruptInput(si - 1);
        ++si;
      }
      while (si < n && (src[si] == '\n' || src[si] == '\r')) ++si;
      if (si < n) {
        garbage = true;
        garbage_at = si;
      }
      dlen = j;
      break;
    }
    unsigned val = static_cast<unsigned>(dbuf[0]) << 18 | static_cast<unsigned>(dbuf[1]) << 12 |
                   static_cast<unsigned>(dbuf[2]) << 6 | static_cast<unsigned>(dbuf[3]);
    if (dlen >= 2) out.push_back(static_cast<char>((val >> 16) & 0xff));
    if (dlen >= 3) out.push_back(static_cast<char>((val >> 8) & 0xff));
    if (dlen >= 4) out.push_back(static_cast<char>(val & 0xff));
    if (garbage) return CorruptInput(garbage_at);
  }
  return out;
}

Result<std::string> OpaBase64UrlDecode(std::string_view text) {
  std::string s(text);
  if (s.empty() || s.back() != '=') {
    switch (s.size() % 4) {
      case 0: break;
      case 2: s += "=="; break;
      case 3: s += "="; break;
      default: return Error::Input("illegal base64url string: " + s);
    }
  }
  return GoBase64Decode(s, Base64Variant::kUrl);
}

Result<std::string> LenientBase64Decode(std::string_view text) {
  bool raw = text.empty() || text.back() != '=';
  bool url = text.find_first_of("+/") == std::string_view::npos;
  Base64Variant v = raw ? (url ? Base64Variant::kRawUrl : Base64Variant::kRawStd)
                        : (url ? Base64Variant::kUrl : Base64Variant::kStd);
  return GoBase64Decode(text, v);
}

std::string Base64UrlNoPad(std::string_view data) {
  std::string s = Base64Encode(data);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return s;
}

// ---- PEM ----

std::optional<PemBlock> PemDecode(std::string_view data, std::string_view* rest_out) {
  static constexpr std::string_view kStart = "\n-----BEGIN ";
  static constexpr std::string_view kEnd = "\n-----END ";
  static constexpr std::string_view kDashes = "-----";
  // Go's algorithm, kept linear on hostile input (many "BEGIN" lines and no
  // matching "END"): the next "END" at or after a position is remembered, as
  // the search only moves forward, and a body with a character base64
  // cannot hold is given up at that character.
  size_t next_end = std::string_view::npos;  // absolute offset of the next kEnd found
  bool next_end_known = false;
  std::string_view rest = data;
  auto offset = [&](std::string_view s) { return static_cast<size_t>(s.data() - data.data()); };
  while (true) {
    // A block starts at the beginning of the text or of a line.
    if (rest.substr(0, kStart.size() - 1) == kStart.substr(1)) {
      rest.remove_prefix(kStart.size() - 1);
    } else {
      size_t at = rest.find(kStart);
      if (at == std::string_view::npos) break;
      rest.remove_prefix(at + kStart.size());
    }
    auto [type_line, after_type] = GetLine(rest);
    rest = after_type;
    if (type_line.size() < kDashes.size() || type_line.substr(type_line.size() - kDashes.size()) != kDashes) {
      continue;
    }
    type_line.remove_suffix(kDashes.size());

    bool headers = false;
    bool truncated = false;
    while (true) {
      if (rest.empty()) {
        truncated = true;
        break;
      }
      auto [line, next] = GetLine(rest);
      if (line.find(':') == std::string_view::npos) break;
      headers = true;
      rest = next;
    }
    if (truncated) break;

    size_t end_index = 0;
    size_t trailer_index = 0;
    if (!headers && rest.substr(0, kEnd.size() - 1) == kEnd.substr(1)) {
      trailer_index = kEnd.size() - 1;
    } else {
      size_t here = offset(rest);
      if (!next_end_known || (next_end != std::string_view::npos && next_end < here)) {
        size_t found = rest.find(kEnd);
        next_end = found == std::string_view::npos ? found : here + found;
        next_end_known = true;
      }
      if (next_end == std::string_view::npos) break;  // no block can end after here
      end_index = next_end - here;
      trailer_index = end_index + kEnd.size();
    }
    // "-----END " must be followed by the same type and five dashes, then
    // only blanks up to the end of the line.
    std::string_view trailer = rest.substr(trailer_index);
    size_t trailer_len = type_line.size() + kDashes.size();
    if (trailer.size() < trailer_len) continue;
    std::string_view rest_of_line = trailer.substr(trailer_len);
    trailer = trailer.substr(0, trailer_len);
    if (trailer.substr(0, type_line.size()) != type_line || trailer.substr(type_line.size()) != kDashes) {
      continue;
    }
    if (!GetLine(rest_of_line).first.empty()) continue;

    std::string body;
    bool usable = true;
    for (char c : rest.substr(0, end_index)) {
      if (c == ' ' || c == '\t') continue;
      if (Base64Digit(static_cast<unsigned char>(c), false) < 0 && c != '=' && c != '\r' && c != '\n') {
        usable = false;  // the decoding below would fail
        break;
      }
      body.push_back(c);
    }
    if (!usable) continue;
    auto bytes = GoBase64Decode(body, Base64Variant::kStd);
    if (!bytes.ok()) continue;
    *rest_out = GetLine(rest.substr(end_index + kEnd.size() - 1)).second;
    return PemBlock{std::string(type_line), std::move(*bytes)};
  }
  *rest_out = data;
  return std::nullopt;
}

// ---- OpenSSL objects ----

PkeyPtr WrapPkey(EVP_PKEY* key) { return {key, EVP_PKEY_free}; }
X509Ptr WrapX509(X509* cert) { return {cert, X509_free}; }

bool DerElement(std::string_view in, size_t* header_len, size_t* total_len) {
  if (in.size() < 2) return false;
  if ((static_cast<unsigned char>(in[0]) & 0x1f) == 0x1f) return false;  // multi-byte tags: not in these types
  size_t len = 0;
  size_t header = 2;
  unsigned char b = static_cast<unsigned char>(in[1]);
  if (b < 0x80) {
    len = b;
  } else {
    size_t count = b & 0x7f;
    if (count == 0 || count > 4 || in.size() < 2 + count) return false;
    for (size_t i = 0; i < count; ++i) len = len << 8 | static_cast<unsigned char>(in[2 + i]);
    header = 2 + count;
  }
  if (len > in.size() - header) return false;
  *header_len = header;
  *total_len = header + len;
  return true;
}

std::string CurveName(EVP_PKEY* key) {
  if (!IsEc(key)) return "";
  char name[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) != 1) {
    ERR_clear_error();
    return "";
  }
  std::string_view n(name, len);
  if (n == "prime256v1" || n == "P-256") return "P-256";
  if (n == "secp384r1" || n == "P-384") return "P-384";
  if (n == "secp521r1" || n == "P-521") return "P-521";
  if (n == "secp224r1" || n == "P-224") return "P-224";
  return "";
}

int CurveByteSize(EVP_PKEY* key) { return (EVP_PKEY_get_bits(key) + 7) / 8; }

Result<X509Ptr> ParseCertificateDer(std::string_view der) {
  size_t header = 0;
  size_t total = 0;
  if (!DerElement(der, &header, &total) || der[0] != 0x30) return Error::Input("x509: malformed certificate");
  if (total != der.size()) return Error::Input("x509: trailing data");
  const unsigned char* p = Bytes(der);
  X509* raw = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (raw == nullptr) {
    ERR_clear_error();
    return Error::Input("x509: malformed certificate");
  }
  X509Ptr cert = WrapX509(raw);
  if (p != Bytes(der) + der.size()) return Error::Input("x509: trailing data");
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  ERR_clear_error();
  // Go refuses certificates whose EC key is on a curve it does not implement.
  if (key != nullptr && IsEc(key) && CurveName(key).empty()) {
    return Error::Input("x509: unsupported elliptic curve");
  }
  return cert;
}

Result<PkeyPtr> ParsePublicKeyDer(std::string_view der) {
  const unsigned char* p = Bytes(der);
  EVP_PKEY* raw = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  if (raw == nullptr) {
    ERR_clear_error();
    return Error::Input("x509: malformed public key");
  }
  PkeyPtr key = WrapPkey(raw);
  if (p != Bytes(der) + der.size()) return Error::Input("x509: trailing data after ASN.1 of public-key");
  int id = EVP_PKEY_get_base_id(raw);
  if (id == EVP_PKEY_EC && CurveName(raw).empty()) return Error::Input("x509: unsupported elliptic curve");
  if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC && id != EVP_PKEY_ED25519 && id != EVP_PKEY_X25519 &&
      id != EVP_PKEY_DSA) {
    return Error::Input("x509: unknown public key algorithm");
  }
  return key;
}

// ---- JWK ----

Result<std::vector<JoseKey>> ParseJwks(std::string_view text) {
  auto json = ParseJsonValue(text, "jwk");
  if (!json.ok()) {
    std::string msg = json.error().message();
    size_t at = msg.find("invalid JSON");
    return Error::Input(at == std::string::npos ? msg : msg.substr(at));
  }
  std::vector<JoseKey> keys;
  if (!json->is_object()) return Error::Input("a JWK must be a JSON object");
  if (const Value* set = json->FindKey("keys")) {
    if (!set->is_array()) return Error::Input("field \"keys\" must be an array");
    for (const Value& k : set->array()) {
      CUSTODY_ASSIGN_OR_RETURN(JoseKey key, JwkFromValue(k));
      keys.push_back(std::move(key));
    }
    return keys;
  }
  CUSTODY_ASSIGN_OR_RETURN(JoseKey key, JwkFromValue(*json));
  keys.push_back(std::move(key));
  return keys;
}

// ---- JWS ----

const EVP_MD* JwsDigest(std::string_view alg) {
  if (alg.size() != 5 || alg == "EdDSA") return nullptr;
  std::string_view family = alg.substr(0, 2);
  if (family != "HS" && family != "RS" && family != "PS" && family != "ES") return nullptr;
  std::string_view bits = alg.substr(2);
  if (bits == "256") return EVP_sha256();
  if (bits == "384") return EVP_sha384();
  if (bits == "512") return EVP_sha512();
  return nullptr;
}

bool IsJwsAlgorithm(std::string_view alg) { return alg == "EdDSA" || JwsDigest(alg) != nullptr; }

bool JwsVerify(const JoseKey& key, std::string_view alg, std::string_view input, std::string_view signature) {
  if (alg == "EdDSA") return !key.symmetric && VerifyEd25519(key.pkey.get(), input, signature);
  const EVP_MD* md = JwsDigest(alg);
  if (md == nullptr) return false;
  std::string_view family = alg.substr(0, 2);
  if (family == "HS") return key.symmetric && ConstantTimeEqual(Hmac(md, key.secret, input), signature);
  if (key.symmetric) return false;
  EVP_PKEY* pkey = key.pkey.get();
  if (family == "RS" || family == "PS") {
    return IsRsa(pkey) && VerifyRsa(pkey, md, family == "PS", input, signature, false);
  }
  // ES: r and s each as long as the curve's coordinates.
  return IsEc(pkey) && signature.size() == static_cast<size_t>(2 * CurveByteSize(pkey)) &&
         VerifyEcdsaRaw(pkey, md, input, signature);
}

Result<std::string> JwsSign(const JoseKey& key, std::string_view alg, std::string_view input) {
  const std::string name(alg);
  if (alg == "EdDSA") {
    if (key.symmetric || !IsEd25519(key.pkey.get()) || !key.is_private) {
      return Error::Input("failed to sign with EdDSA: the key is not an Ed25519 private key");
    }
    return SignEd25519(key.pkey.get(), input);
  }
  const EVP_MD* md = JwsDigest(alg);
  if (md == nullptr) return Error::Input("unsupported signature algorithm " + name);
  std::string_view family = alg.substr(0, 2);
  if (family == "HS") {
    if (!key.symmetric) {
      return Error::Input("failed to sign with " + name + ": the key is not a symmetric key");
    }
    return Hmac(md, key.secret, input);
  }
  if (key.symmetric || !key.is_private) {
    return Error::Input("failed to sign with " + name + ": the key is not a private key");
  }
  if (family == "RS" || family == "PS") {
    if (!IsRsa(key.pkey.get())) {
      return Error::Input("failed to sign with " + name + ": the key is not an RSA key");
    }
    return SignRsa(key.pkey.get(), md, family == "PS", input);
  }
  if (!IsEc(key.pkey.get())) {
    return Error::Input("failed to sign with " + name + ": the key is not an EC key");
  }
  return SignEcdsa(key.pkey.get(), md, input);
}

bool VerifyRsa(EVP_PKEY* key, const EVP_MD* md, bool pss, std::string_view input, std::string_view signature,
               bool any_salt_length) {
  if (!IsRsa(key)) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, key) == 1;
  if (ok && pss) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(
             pctx, any_salt_length ? RSA_PSS_SALTLEN_AUTO : RSA_PSS_SALTLEN_DIGEST) == 1;
  }
  ok = ok && EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(input), input.size()) == 1;
  ERR_clear_error();
  return ok;
}

bool VerifyEcdsaRaw(EVP_PKEY* key, const EVP_MD* md, std::string_view input, std::string_view signature) {
  if (!IsEc(key)) return false;
  size_t half = signature.size() / 2;
  std::unique_ptr<ECDSA_SIG, EcdsaSigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(Bytes(signature), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(signature) + half, static_cast<int>(signature.size() - half), nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return false;
  }
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_len <= 0) return false;
  std::string digest;
  bool ok = DigestInto(md, input, &digest);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  ok = ok && ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
       EVP_PKEY_verify(ctx.get(), der, static_cast<size_t>(der_len), Bytes(digest), digest.size()) == 1;
  OPENSSL_free(der);
  ERR_clear_error();
  return ok;
}

bool VerifyEd25519(EVP_PKEY* key, std::string_view input, std::string_view signature) {
  if (!IsEd25519(key)) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key) == 1 &&
            EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(input), input.size()) == 1;
  ERR_clear_error();
  return ok;
}

std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  static const unsigned char kEmpty[1] = {0};
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const unsigned char* k = key.empty() ? kEmpty : Bytes(key);
  const unsigned char* d = data.empty() ? kEmpty : Bytes(data);
  if (HMAC(md, k, static_cast<int>(key.size()), d, data.size(), out, &len) == nullptr) {
    ERR_clear_error();
    return {};
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Digest(const EVP_MD* md, std::string_view data) {
  std::string out;
  DigestInto(md, data, &out);
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string KeyBnBytes(EVP_PKEY* key, const char* param) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, param, &bn) != 1 || bn == nullptr) {
    ERR_clear_error();
    return {};
  }
  BnPtr owned(bn);
  std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string KeyBnDecimal(EVP_PKEY* key, const char* param) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, param, &bn) != 1 || bn == nullptr) {
    ERR_clear_error();
    return {};
  }
  BnPtr owned(bn);
  char* dec = BN_bn2dec(bn);
  if (dec == nullptr) return {};
  std::string out(dec);
  OPENSSL_free(dec);
  return out;
}

}  // namespace custody::rego::crypto_common
