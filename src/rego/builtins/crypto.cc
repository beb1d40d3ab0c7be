// Built-ins of OPA's "crypto" group: digests and HMACs (crypto.md5,
// crypto.sha1, crypto.sha256, crypto.hmac.*), X.509 certificates, requests
// and key pairs (crypto.x509.*) and private keys (crypto.parse_private_keys).
//
// OPA implements these with Go's crypto/x509, crypto/tls and encoding/pem:
// the inputs they accept, the objects they return (Go structs as
// encoding/json writes them, see crypto_x509.h) and most error texts are
// Go's, and are reproduced here over OpenSSL.
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoding.h"
#include "rego/builtins.h"
#include "rego/builtins/crypto_common.h"
#include "rego/builtins/crypto_x509.h"

namespace custody::rego {
namespace {

namespace cc = crypto_common;
namespace cx = crypto_x509;

// ---- Digests and HMACs ----

Result<Value> HashOf(std::string_view name, std::span<const Value> args, const EVP_MD* md) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg(name, args, 1));
  return Value::String(HexEncode(cc::Digest(md, s)));
}

Result<Value> Md5(std::span<const Value> args, BuiltinContext&) {
  return HashOf("crypto.md5", args, EVP_md5());
}
Result<Value> Sha1(std::span<const Value> args, BuiltinContext&) {
  return HashOf("crypto.sha1", args, EVP_sha1());
}
Result<Value> Sha256(std::span<const Value> args, BuiltinContext&) {
  return HashOf("crypto.sha256", args, EVP_sha256());
}

Result<Value> HmacOf(std::string_view name, std::span<const Value> args, const EVP_MD* md) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view message, StringArg(name, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view key, StringArg(name, args, 2));
  return Value::String(HexEncode(cc::Hmac(md, key, message)));
}

Result<Value> HmacMd5(std::span<const Value> args, BuiltinContext&) {
  return HmacOf("crypto.hmac.md5", args, EVP_md5());
}
Result<Value> HmacSha1(std::span<const Value> args, BuiltinContext&) {
  return HmacOf("crypto.hmac.sha1", args, EVP_sha1());
}
Result<Value> HmacSha256(std::span<const Value> args, BuiltinContext&) {
  return HmacOf("crypto.hmac.sha256", args, EVP_sha256());
}
Result<Value> HmacSha512(std::span<const Value> args, BuiltinContext&) {
  return HmacOf("crypto.hmac.sha512", args, EVP_sha512());
}

Result<Value> HmacEqual(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "crypto.hmac.equal";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view a, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view b, StringArg(kName, args, 2));
  return Value::Bool(cc::ConstantTimeEqual(a, b));
}

// ---- Certificates ----

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Go's x509.ParseCertificates: DER certificates one after the other.
Result<std::vector<cc::X509Ptr>> ParseCertificates(std::string_view der) {
  std::vector<cc::X509Ptr> certs;
  while (!der.empty()) {
    size_t header = 0;
    size_t total = 0;
    if (!cc::DerElement(der, &header, &total)) return Error::Input("x509: malformed certificate");
    CUSTODY_ASSIGN_OR_RETURN(cc::X509Ptr cert, cc::ParseCertificateDer(der.substr(0, total)));
    certs.push_back(std::move(cert));
    der.remove_prefix(total);
  }
  return certs;
}

Result<std::vector<cc::X509Ptr>> CertsFromPem(std::string_view pem) {
  std::string der;
  std::string_view rest = pem;
  while (!rest.empty()) {
    std::string_view next;
    auto block = cc::PemDecode(rest, &next);
    if (!block) break;
    if (block->type != "CERTIFICATE") {
      return Error::Input("PEM block type is '" + block->type + "', expected CERTIFICATE");
    }
    der += block->bytes;
    rest = next;
  }
  return ParseCertificates(der);
}

// PEM, or base64 of PEM or of DER. The error is the bare message.
Result<std::vector<cc::X509Ptr>> CertsFromString(std::string_view text) {
  if (StartsWith(text, "-----BEGIN")) return CertsFromPem(text);
  CUSTODY_ASSIGN_OR_RETURN(std::string decoded, cc::GoBase64Decode(text, cc::Base64Variant::kStd));
  if (StartsWith(decoded, "-----BEGIN")) return CertsFromPem(decoded);
  return ParseCertificates(decoded);
}

Value CertificatesJson(const std::vector<cc::X509Ptr>& certs, bool uri_strings) {
  ValueVector out;
  for (const auto& c : certs) out.push_back(cx::CertificateJson(c.get(), uri_strings));
  return Value::Array(std::move(out));
}

Result<Value> ParseCertificatesBuiltin(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "crypto.x509.parse_certificates";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view input, StringArg(kName, args, 1));
  auto certs = CertsFromString(input);
  if (!certs.ok()) return BuiltinError(kName, certs.error().message());
  return CertificatesJson(*certs, true);
}

// x509.ExtKeyUsage names OPA accepts in "KeyUsages".
int KeyUsageByName(std::string_view name) {
  static const std::pair<const char*, int> kNames[] = {
      {"KeyUsageAny", 0},
      {"KeyUsageServerAuth", 1},
      {"KeyUsageClientAuth", 2},
      {"KeyUsageCodeSigning", 3},
      {"KeyUsageEmailProtection", 4},
      {"KeyUsageIPSECEndSystem", 5},
      {"KeyUsageIPSECTunnel", 6},
      {"KeyUsageIPSECUser", 7},
      {"KeyUsageTimeStamping", 8},
      {"KeyUsageOCSPSigning", 9},
      {"KeyUsageMicrosoftServerGatedCrypto", 10},
      {"KeyUsageNetscapeServerGatedCrypto", 11},
      {"KeyUsageMicrosoftCommercialCodeSigning", 12},
      {"KeyUsageMicrosoftKernelCodeSigning", 13},
  };
  for (const auto& [n, v] : kNames) {
    if (name == n) return v;
  }
  return -1;
}

struct VerifyOptions {
  std::string dns_name;
  std::optional<int64_t> time_ns;
  std::vector<int> key_usages;  // empty: server authentication, Go's default
};

std::string TrimQuotes(std::string_view s) {
  while (!s.empty() && s.front() == '"') s.remove_prefix(1);
  while (!s.empty() && s.back() == '"') s.remove_suffix(1);
  return std::string(s);
}

// OPA's extractVerifyOpts; the error is the bare message.
Result<VerifyOptions> ExtractVerifyOptions(const Value& options) {
  VerifyOptions out;
  for (const auto& [k, v] : options.object()) {
    if (!k.is_string()) continue;
    const std::string& key = k.as_string();
    if (key == "DNSName") {
      if (!v.is_string()) return Error::Input("'DNSName' should be a string");
      out.dns_name = TrimQuotes(v.as_string());
    } else if (key == "CurrentTime") {
      if (!v.is_number()) return Error::Input("'CurrentTime' should be a number");
      auto ns = v.to_int64();
      if (!ns) return Error::Input("'CurrentTime' should be a valid int64 number");
      out.time_ns = *ns;
    } else if (key == "MaxConstraintComparisons") {
      // Go bounds the work of name constraint checks with it; OpenSSL has
      // its own bound, so the value is only checked.
      if (!v.is_number()) return Error::Input("'MaxConstraintComparisons' should be a number");
      auto n = v.to_int64();
      if (!n || *n < INT32_MIN || *n > INT32_MAX) {
        return Error::Input("'MaxConstraintComparisons' should be a valid number");
      }
    } else if (key == "KeyUsages") {
      if (!v.is_array() && !v.is_set()) return Error::Input("'KeyUsages' should be an Array or Set");
      std::vector<std::string> invalid;
      for (const Value& e : v.is_array() ? v.array() : v.set()) {
        if (!e.is_string()) continue;
        std::string name = TrimQuotes(e.as_string());
        int usage = KeyUsageByName(name);
        if (usage < 0) {
          invalid.push_back(name);
        } else {
          out.key_usages.push_back(usage);
        }
      }
      if (!invalid.empty()) {
        std::string list;
        for (const auto& s : invalid) list += (list.empty() ? "" : " ") + s;
        return Error::Input("invalid entries for 'KeyUsages' found: [" + list + "]");
      }
    } else {
      return Error::Input("invalid key option");
    }
  }
  return out;
}

struct StoreFree {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};
struct CertStackFree {
  void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }  // the certificates stay owned elsewhere
};
struct EkuFree {
  void operator()(EXTENDED_KEY_USAGE* s) const { sk_ASN1_OBJECT_pop_free(s, ASN1_OBJECT_free); }
};

// Go's checkChainForKeyUsage: every certificate of the chain that limits
// its extended key usages must allow one of the requested usages that the
// certificates below it allowed.
bool ChainAllowsUsages(const std::vector<cc::X509Ptr>& chain, std::vector<int> usages) {
  static const std::pair<const char*, int> kOids[] = {
      {"2.5.29.37.0", 0},
      {"1.3.6.1.5.5.7.3.1", 1},
      {"1.3.6.1.5.5.7.3.2", 2},
      {"1.3.6.1.5.5.7.3.3", 3},
      {"1.3.6.1.5.5.7.3.4", 4},
      {"1.3.6.1.5.5.7.3.5", 5},
      {"1.3.6.1.5.5.7.3.6", 6},
      {"1.3.6.1.5.5.7.3.7", 7},
      {"1.3.6.1.5.5.7.3.8", 8},
      {"1.3.6.1.5.5.7.3.9", 9},
      {"1.3.6.1.4.1.311.10.3.3", 10},
      {"2.16.840.1.113730.4.1", 11},
      {"1.3.6.1.4.1.311.2.1.22", 12},
      {"1.3.6.1.4.1.311.61.1.1", 13},
  };
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    int crit = 0;
    std::unique_ptr<EXTENDED_KEY_USAGE, EkuFree> eku(
        static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(it->get(), NID_ext_key_usage, &crit, nullptr)));
    if (!eku || sk_ASN1_OBJECT_num(eku.get()) == 0) continue;
    std::vector<int> allowed;
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
      char buf[128];
      int n = OBJ_obj2txt(buf, sizeof buf, sk_ASN1_OBJECT_value(eku.get(), i), 1);
      std::string_view oid(buf, n > 0 ? static_cast<size_t>(n) : 0);
      for (const auto& [o, u] : kOids) {
        if (oid == o) allowed.push_back(u);
      }
    }
    if (std::find(allowed.begin(), allowed.end(), 0) != allowed.end()) continue;  // any usage
    std::erase_if(usages,
                  [&](int u) { return std::find(allowed.begin(), allowed.end(), u) == allowed.end(); });
    if (usages.empty()) return false;
  }
  return true;
}

// OPA's verifyX509CertificateChain: the first certificate is the trusted
// root, the last the leaf, the others intermediates. The verified chain,
// leaf first, or nothing.
std::vector<cc::X509Ptr> VerifyChain(const std::vector<cc::X509Ptr>& certs, const VerifyOptions& options) {
  if (certs.size() < 2) return {};
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), CertStackFree> intermediates(sk_X509_new_null());
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!store || !intermediates || !ctx || X509_STORE_add_cert(store.get(), certs[0].get()) != 1) {
    ERR_clear_error();
    return {};
  }
  for (size_t i = 1; i + 1 < certs.size(); ++i) sk_X509_push(intermediates.get(), certs[i].get());
  if (X509_STORE_CTX_init(ctx.get(), store.get(), certs.back().get(), intermediates.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  // Go trusts the root pool's certificates as anchors whether or not they
  // are self-signed.
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  if (options.time_ns) {
    int64_t secs = *options.time_ns / 1000000000;
    if (*options.time_ns % 1000000000 < 0) --secs;  // floor
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(secs));
  }
  if (!options.dns_name.empty()) {
    std::string host = options.dns_name;
    if (host.size() >= 3 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
      ERR_clear_error();
      // Go matches names against the subject alternative names only.
      X509_VERIFY_PARAM_set_hostflags(
          param, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      X509_VERIFY_PARAM_set1_host(param, options.dns_name.c_str(), options.dns_name.size());
    }
  }
  bool ok = X509_verify_cert(ctx.get()) == 1;
  std::vector<cc::X509Ptr> chain;
  if (ok) {
    STACK_OF(X509)* verified = X509_STORE_CTX_get0_chain(ctx.get());
    for (int i = 0; i < sk_X509_num(verified); ++i) {
      X509* c = sk_X509_value(verified, i);
      X509_up_ref(c);
      chain.push_back(cc::WrapX509(c));
    }
  }
  ERR_clear_error();
  std::vector<int> usages = options.key_usages.empty() ? std::vector<int>{1} : options.key_usages;
  bool any = std::find(usages.begin(), usages.end(), 0) != usages.end();
  if (!ok || (!any && !ChainAllowsUsages(chain, usages))) return {};
  return chain;
}

Value NotVerified() { return Value::Array({Value::Bool(false), Value::EmptyArray()}); }

Result<Value> ParseAndVerify(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "crypto.x509.parse_and_verify_certificates";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view input, StringArg(kName, args, 1));
  auto certs = CertsFromString(input);
  if (!certs.ok()) return NotVerified();
  std::vector<cc::X509Ptr> chain = VerifyChain(*certs, VerifyOptions{});
  if (chain.empty()) return NotVerified();
  return Value::Array({Value::Bool(true), CertificatesJson(chain, true)});
}

Result<Value> ParseAndVerifyWithOptions(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "crypto.x509.parse_and_verify_certificates_with_options";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view input, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* options, ObjectArg(kName, args, 2));
  auto certs = CertsFromString(input);
  if (!certs.ok()) return NotVerified();
  auto opts = ExtractVerifyOptions(*options);
  if (!opts.ok()) return BuiltinError(kName, opts.error().message());
  std::vector<cc::X509Ptr> chain = VerifyChain(*certs, *opts);
  if (chain.empty()) return NotVerified();
  // Unlike the built-in without options, OPA leaves out "URIStrings" here.
  return Value::Array({Value::Bool(true), CertificatesJson(chain, false)});
}

Result<Value> ParseCertificateRequest(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "crypto.x509.parse_certificate_request";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view input, StringArg(kName, args, 1));
  std::string bytes(input);
  if (!StartsWith(input, "-----BEGIN CERTIFICATE REQUEST-----")) {
    auto decoded = cc::GoBase64Decode(input, cc::Base64Variant::kStd);
    if (!decoded.ok()) return BuiltinError(kName, decoded.error().message());
    bytes = std::move(*decoded);
  }
  std::string_view rest;
  auto block = cc::PemDecode(bytes, &rest);
  if (block && block->type != "CERTIFICATE REQUEST") {
    return BuiltinError(kName, "invalid PEM-encoded certificate signing request");
  }
  if (block) bytes = std::move(block->bytes);
  auto csr = cx::CertificateRequestJson(bytes);
  if (!csr.ok()) return BuiltinError(kName, csr.error().message());
  return *csr;
}

// ---- Private keys ----

// One DER private key in the named structure ("type-specific" for PKCS #1
// and SEC 1, "PrivateKeyInfo" for PKCS #8); nullptr when it does not parse
// or does not fill `der`.
cc::PkeyPtr DecodePrivateKey(std::string_view der, const char* structure, const char* type) {
  EVP_PKEY* pkey = nullptr;
  OSSL_DECODER_CTX* dctx =
      OSSL_DECODER_CTX_new_for_pkey(&pkey, "DER", structure, type, EVP_PKEY_KEYPAIR, nullptr, nullptr);
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  size_t len = der.size();
  bool ok = dctx != nullptr && !der.empty() && OSSL_DECODER_from_data(dctx, &p, &len) == 1 && len == 0;
  OSSL_DECODER_CTX_free(dctx);
  ERR_clear_error();
  cc::PkeyPtr key = cc::WrapPkey(pkey);
  if (!ok) return nullptr;
  return key;
}

Result<cc::PkeyPtr> ParsePkcs1(std::string_view der) {
  cc::PkeyPtr key = DecodePrivateKey(der, "type-specific", "RSA");
  if (!key) return Error::Input("x509: failed to parse private key");
  return key;
}

Result<cc::PkeyPtr> ParseSec1(std::string_view der) {
  cc::PkeyPtr key = DecodePrivateKey(der, "type-specific", "EC");
  if (!key) return Error::Input("x509: failed to parse EC private key");
  if (cc::CurveName(key.get()).empty()) return Error::Input("x509: unknown elliptic curve");
  return key;
}

Result<cc::PkeyPtr> ParsePkcs8(std::string_view der) {
  cc::PkeyPtr key = DecodePrivateKey(der, "PrivateKeyInfo", nullptr);
  if (!key) return Error::Input("x509: failed to parse private key");
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_ED25519:
    case EVP_PKEY_X25519: return key;
    case EVP_PKEY_EC:
      if (cc::CurveName(key.get()).empty()) return Error::Input("x509: unknown elliptic curve");
      return key;
    default:
      return Error::Input(
          std::string("x509: PKCS#8 wrapping contained private key with unknown algorithm: ") +
          EVP_PKEY_get0_type_name(key.get()));
  }
}

// OPA's getPrivateKeysFromPEMData: the keys of every RSA PRIVATE KEY,
// PRIVATE KEY and EC PRIVATE KEY block (other blocks are skipped), after an
// optional layer of base64.
Result<std::vector<cc::PkeyPtr>> PrivateKeysFromPem(std::string_view text) {
  std::string data(text);
  if (auto decoded = cc::GoBase64Decode(text, cc::Base64Variant::kStd); decoded.ok()) {
    data = std::move(*decoded);
  }
  std::vector<cc::PkeyPtr> keys;
  std::string_view rest = data;
  while (!rest.empty()) {
    std::string_view next;
    auto block = cc::PemDecode(rest, &next);
    if (!block) break;
    rest = next;
    Result<cc::PkeyPtr> key = cc::PkeyPtr();
    if (block->type == "RSA PRIVATE KEY") {
      key = ParsePkcs1(block->bytes);
    } else if (block->type == "PRIVATE KEY") {
      key = ParsePkcs8(block->bytes);
    } else if (block->type == "EC PRIVATE KEY") {
      key = ParseSec1(block->bytes);
    } else {
      continue;
    }
    if (!key.ok()) return key.error();
    keys.push_back(std::move(*key));
  }
  return keys;
}

Result<Value> ParsePrivateKeys(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "crypto.parse_private_keys";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view input, StringArg(kName, args, 1));
  if (input.empty()) return Value::Null();
  auto keys = PrivateKeysFromPem(input);
  if (!keys.ok()) return BuiltinError(kName, keys.error().message());
  ValueVector out;
  for (const auto& k : *keys) out.push_back(cx::PrivateKeyJson(k.get()));
  return Value::Array(std::move(out));
}

// The JWK OPA's own JOSE code makes of the first key: an RSA key in full;
// of an EC key only the key type, as OPA's marshalling of it keeps no more.
Result<Value> ParseRsaPrivateKey(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "crypto.x509.parse_rsa_private_key";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view input, StringArg(kName, args, 1));
  if (input.empty()) return BuiltinError(kName, "input PEM data was empty");
  std::string pem(input);
  if (!StartsWith(input, "-----BEGIN")) {
    auto decoded = cc::GoBase64Decode(input, cc::Base64Variant::kStd);
    if (!decoded.ok()) return BuiltinError(kName, decoded.error().message());
    pem = std::move(*decoded);
  }
  auto keys = PrivateKeysFromPem(pem);
  if (!keys.ok()) return BuiltinError(kName, keys.error().message());
  if (keys->empty()) return Value::Null();
  EVP_PKEY* key = keys->front().get();
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: {
      ObjectEntries jwk;
      jwk.emplace_back(Value::String("kty"), Value::String("RSA"));
      static const std::pair<const char*, const char*> kFields[] = {
          {"n", OSSL_PKEY_PARAM_RSA_N},          {"e", OSSL_PKEY_PARAM_RSA_E},
          {"d", OSSL_PKEY_PARAM_RSA_D},          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
          {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
          {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2}, {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
      };
      for (const auto& [field, param] : kFields) {
        std::string bytes = cc::KeyBnBytes(key, param);
        if (!bytes.empty()) jwk.emplace_back(Value::String(field), Value::String(cc::Base64UrlNoPad(bytes)));
      }
      return Value::Object(std::move(jwk));
    }
    case EVP_PKEY_EC: return Value::Object({{Value::String("kty"), Value::String("EC")}});
    case EVP_PKEY_ED25519: return BuiltinError(kName, "invalid key type ed25519.PrivateKey");
    default: return BuiltinError(kName, "invalid key type *ecdh.PrivateKey");
  }
}

// ---- Key pairs (Go's tls.X509KeyPair) ----

std::string GoList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? " " : "") + items[i];
  return out + "]";
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// crypto/tls's parsePrivateKey: PKCS #1, then PKCS #8, then SEC 1.
Result<cc::PkeyPtr> TlsPrivateKey(std::string_view der) {
  if (auto k = ParsePkcs1(der); k.ok()) return k;
  if (auto k = ParsePkcs8(der); k.ok()) {
    if (EVP_PKEY_get_base_id(k->get()) == EVP_PKEY_X25519) {
      return Error::Input("tls: found unknown private key type in PKCS#8 wrapping");
    }
    return k;
  }
  if (auto k = ParseSec1(der); k.ok()) return k;
  return Error::Input("tls: failed to parse private key");
}

Result<Value> KeyPair(std::string_view cert_pem, std::string_view key_pem) {
  std::vector<std::string> certs;
  std::vector<std::string> skipped;
  std::string_view rest = cert_pem;
  while (true) {
    std::string_view next;
    auto block = cc::PemDecode(rest, &next);
    if (!block) break;
    rest = next;
    if (block->type == "CERTIFICATE") {
      certs.push_back(std::move(block->bytes));
    } else {
      skipped.push_back(block->type);
    }
  }
  if (certs.empty()) {
    if (skipped.empty()) return Error::Input("tls: failed to find any PEM data in certificate input");
    if (skipped.size() == 1 && EndsWith(skipped[0], "PRIVATE KEY")) {
      return Error::Input(
          "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM "
          "inputs "
          "may have been switched");
    }
    return Error::Input(
        "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the "
        "following types: " +
        GoList(skipped));
  }
  skipped.clear();
  std::optional<cc::PemBlock> key_block;
  rest = key_pem;
  while (true) {
    std::string_view next;
    key_block = cc::PemDecode(rest, &next);
    if (!key_block) {
      if (skipped.empty()) return Error::Input("tls: failed to find any PEM data in key input");
      if (skipped.size() == 1 && skipped[0] == "CERTIFICATE") {
        return Error::Input("tls: found a certificate rather than a key in the PEM for the private key");
      }
      return Error::Input(
          "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM "
          "blocks of the following types: " +
          GoList(skipped));
    }
    rest = next;
    if (key_block->type == "PRIVATE KEY" || EndsWith(key_block->type, " PRIVATE KEY")) break;
    skipped.push_back(key_block->type);
  }
  CUSTODY_ASSIGN_OR_RETURN(cc::X509Ptr leaf, cc::ParseCertificateDer(certs[0]));
  CUSTODY_ASSIGN_OR_RETURN(cc::PkeyPtr priv, TlsPrivateKey(key_block->bytes));
  EVP_PKEY* pub = X509_get0_pubkey(leaf.get());
  ERR_clear_error();
  int pub_type = pub == nullptr ? 0 : EVP_PKEY_get_base_id(pub);
  if (pub_type != EVP_PKEY_RSA && pub_type != EVP_PKEY_EC && pub_type != EVP_PKEY_ED25519) {
    return Error::Input("tls: unknown public key algorithm");
  }
  if (EVP_PKEY_get_base_id(priv.get()) != pub_type) {
    return Error::Input("tls: private key type does not match public key type");
  }
  if (EVP_PKEY_eq(pub, priv.get()) != 1) {
    ERR_clear_error();
    return Error::Input("tls: private key does not match public key");
  }
  ValueVector chain;
  for (const auto& der : certs) chain.push_back(Value::String(Base64Encode(der)));
  return Value::Object({{Value::String("Certificate"), Value::Array(std::move(chain))},
                        {Value::String("PrivateKey"), cx::PrivateKeyJson(priv.get())},
                        {Value::String("SupportedSignatureAlgorithms"), Value::Null()},
                        {Value::String("OCSPStaple"), Value::Null()},
                        {Value::String("SignedCertificateTimestamps"), Value::Null()},
                        {Value::String("Leaf"), cx::CertificateJson(leaf.get(), false)}});
}

// A DER input (not PEM) is wrapped into a PEM block of `type`, as OPA does.
std::string AsPem(std::string bytes, std::string_view type) {
  if (StartsWith(bytes, "-----BEGIN")) return bytes;
  std::string b64 = Base64Encode(bytes);
  std::string pem = "-----BEGIN " + std::string(type) + "-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  return pem + "-----END " + std::string(type) + "-----\n";
}

Result<Value> ParseKeyPair(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "crypto.x509.parse_keypair";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view cert_arg, StringArg(kName, args, 1));
  // OPA reports a key of the wrong type as operand 1 too.
  if (!args[1].is_string()) return OperandTypeError(kName, 1, args[1], "string");
  std::string cert(cert_arg);
  std::string key = args[1].as_string();
  if (!StartsWith(cert, "-----BEGIN ")) {
    auto decoded = cc::GoBase64Decode(cert, cc::Base64Variant::kStd);
    if (!decoded.ok()) return BuiltinError(kName, decoded.error().message());
    cert = std::move(*decoded);
  }
  if (!StartsWith(key, "-----BEGIN ")) {
    auto decoded = cc::GoBase64Decode(key, cc::Base64Variant::kStd);
    if (!decoded.ok()) return BuiltinError(kName, decoded.error().message());
    key = std::move(*decoded);
  }
  auto pair = KeyPair(AsPem(std::move(cert), "CERTIFICATE"), AsPem(std::move(key), "PRIVATE KEY"));
  if (!pair.ok()) return BuiltinError(kName, pair.error().message());
  return *pair;
}

}  // namespace

void RegisterCrypto(BuiltinTable& t) {
  t.Add({"crypto.md5", 1, Md5});
  t.Add({"crypto.sha1", 1, Sha1});
  t.Add({"crypto.sha256", 1, Sha256});
  t.Add({"crypto.hmac.md5", 2, HmacMd5});
  t.Add({"crypto.hmac.sha1", 2, HmacSha1});
  t.Add({"crypto.hmac.sha256", 2, HmacSha256});
  t.Add({"crypto.hmac.sha512", 2, HmacSha512});
  t.Add({"crypto.hmac.equal", 2, HmacEqual});
  t.Add({"crypto.x509.parse_certificates", 1, ParseCertificatesBuiltin});
  t.Add({"crypto.x509.parse_and_verify_certificates", 1, ParseAndVerify});
  t.Add({"crypto.x509.parse_and_verify_certificates_with_options", 2, ParseAndVerifyWithOptions});
  t.Add({"crypto.x509.parse_certificate_request", 1, ParseCertificateRequest});
  t.Add({"crypto.x509.parse_keypair", 2, ParseKeyPair});
  t.Add({"crypto.x509.parse_rsa_private_key", 1, ParseRsaPrivateKey});
  t.Add({"crypto.parse_private_keys", 1, ParsePrivateKeys});
}

}  // namespace custody::rego
