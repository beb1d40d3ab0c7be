// Go's x509.Certificate, x509.CertificateRequest and key types as
// encoding/json writes them, built from OpenSSL's parse of the DER.
//
// Go fills these structs itself; the values here follow its parser
// (crypto/x509/parser.go, Go 1.24): the Raw* fields are the exact DER, the
// enumerations are Go's numbers, absent lists are null.
#include "rego/builtins/crypto_x509.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/encoding.h"
#include "rego/builtins/crypto_common.h"

namespace custody::rego::crypto_x509 {
namespace {

namespace cc = crypto_common;

template <typename T, void (*F)(T*)>
struct Free {
  void operator()(T* p) const { F(p); }
};
template <typename T, void (*F)(T*)>
using Owned = std::unique_ptr<T, Free<T, F>>;

void FreeExtensions(STACK_OF(X509_EXTENSION) * s) { sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free); }
void FreeEku(EXTENDED_KEY_USAGE* s) { sk_ASN1_OBJECT_pop_free(s, ASN1_OBJECT_free); }
void FreePolicyMappings(POLICY_MAPPINGS* s) { sk_POLICY_MAPPING_pop_free(s, POLICY_MAPPING_free); }

const char* BytesChars(const unsigned char* p) { return reinterpret_cast<const char*>(p); }

Value Base64(std::string_view bytes) { return Value::String(Base64Encode(bytes)); }

Value AsnBytes(const ASN1_STRING* s) {
  if (s == nullptr) return Value::Null();
  return Base64(
      std::string_view(BytesChars(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s))));
}

std::string AsnText(const ASN1_STRING* s) {
  if (s == nullptr) return {};
  return std::string(BytesChars(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)));
}

Value BigDecimal(const std::string& digits) { return digits.empty() ? Value::Null() : Value::BigInt(digits); }

Value Bn(const BIGNUM* bn) {
  if (bn == nullptr) return Value::Null();
  char* dec = BN_bn2dec(bn);
  if (dec == nullptr) return Value::Null();
  Value v = Value::BigInt(dec);
  OPENSSL_free(dec);
  return v;
}

Value AsnInteger(const ASN1_INTEGER* i) {
  if (i == nullptr) return Value::Null();
  Owned<BIGNUM, BN_free> bn(ASN1_INTEGER_to_BN(i, nullptr));
  return Bn(bn.get());
}

std::string OidText(const ASN1_OBJECT* obj) {
  char buf[256];
  int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof buf) return {};
  return std::string(buf, static_cast<size_t>(n));
}

// asn1.ObjectIdentifier: an array of the arcs.
Value OidArcs(const std::string& text) {
  ValueVector arcs;
  size_t start = 0;
  while (start <= text.size()) {
    size_t dot = text.find('.', start);
    if (dot == std::string::npos) dot = text.size();
    arcs.push_back(Value::BigInt(std::string_view(text).substr(start, dot - start)));
    start = dot + 1;
  }
  return Value::Array(std::move(arcs));
}

Value StringList(const std::vector<std::string>& items) {
  if (items.empty()) return Value::Null();
  ValueVector v;
  for (const auto& s : items) v.push_back(Value::String(s));
  return Value::Array(std::move(v));
}

Value ValueList(ValueVector items) { return items.empty() ? Value::Null() : Value::Array(std::move(items)); }

Value Obj(std::initializer_list<std::pair<const char*, Value>> fields) {
  ObjectEntries entries;
  for (const auto& [k, v] : fields) entries.emplace_back(Value::String(k), v);
  return Value::Object(std::move(entries));
}

// The text of a directory string, for the ASN.1 string types Go decodes
// into a Go string; nullopt for the others.
std::optional<std::string> DirectoryString(const ASN1_STRING* s) {
  switch (ASN1_STRING_type(s)) {
    case V_ASN1_UTF8STRING:
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_T61STRING:
    case V_ASN1_NUMERICSTRING:
    case V_ASN1_BMPSTRING: {
      unsigned char* utf8 = nullptr;
      int n = ASN1_STRING_to_UTF8(&utf8, s);
      if (n < 0) {
        ERR_clear_error();
        return std::nullopt;
      }
      std::string out(BytesChars(utf8), static_cast<size_t>(n));
      OPENSSL_free(utf8);
      return out;
    }
    default: return std::nullopt;
  }
}

// pkix.Name.
Value Name(const X509_NAME* name) {
  std::vector<std::string> country, org, unit, locality, province, street, postal;
  std::string serial, common;
  ValueVector names;
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    std::string oid = OidText(X509_NAME_ENTRY_get_object(e));
    std::optional<std::string> value = DirectoryString(X509_NAME_ENTRY_get_data(e));
    names.push_back(Obj({{"Type", OidArcs(oid)}, {"Value", value ? Value::String(*value) : Value::Null()}}));
    if (!value) continue;
    if (oid == "2.5.4.6") country.push_back(*value);
    if (oid == "2.5.4.10") org.push_back(*value);
    if (oid == "2.5.4.11") unit.push_back(*value);
    if (oid == "2.5.4.7") locality.push_back(*value);
    if (oid == "2.5.4.8") province.push_back(*value);
    if (oid == "2.5.4.9") street.push_back(*value);
    if (oid == "2.5.4.17") postal.push_back(*value);
    if (oid == "2.5.4.5") serial = *value;
    if (oid == "2.5.4.3") common = *value;
  }
  return Obj({{"Country", StringList(country)},
              {"Organization", StringList(org)},
              {"OrganizationalUnit", StringList(unit)},
              {"Locality", StringList(locality)},
              {"Province", StringList(province)},
              {"StreetAddress", StringList(street)},
              {"PostalCode", StringList(postal)},
              {"SerialNumber", Value::String(serial)},
              {"CommonName", Value::String(common)},
              {"Names", ValueList(std::move(names))},
              {"ExtraNames", Value::Null()}});
}

// time.Time as JSON (RFC 3339, UTC).
Value Time(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return Value::String("0001-01-01T00:00:00Z");
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return Value::String(buf);
}

// net.IP.String().
std::string IpText(const unsigned char* p, size_t n) {
  char buf[64];
  if (n == 16) {
    static const unsigned char kV4InV6[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(p, kV4InV6, 12) == 0) return IpText(p + 12, 4);
  }
  if (n == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
    return buf;
  }
  if (n != 16) {
    std::string out = "?";
    out += HexEncode(std::string_view(BytesChars(p), n));
    return n == 0 ? "<nil>" : out;
  }
  // The longest run of two or more zero groups becomes "::" (the first of
  // equal runs), as Go writes it.
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && p[2 * j] == 0 && p[2 * j + 1] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", p[2 * i] << 8 | p[2 * i + 1]);
    out += buf;
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexDigit(s[i + 1]) >= 0 && HexDigit(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(s[i + 1]) << 4 | HexDigit(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// *url.URL as JSON, for the URIs of a subject alternative name; a
// simplified url.Parse (the raw fields stay empty).
Value Url(std::string_view text) {
  std::string_view rest = text;
  std::string fragment;
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) {
    fragment = Unescape(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  std::string scheme;
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (letter) continue;
    if (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) continue;
    if (c == ':' && i > 0) {
      scheme = std::string(rest.substr(0, i));
      for (char& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      rest = rest.substr(i + 1);
    }
    break;
  }
  std::string raw_query;
  bool force_query = false;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    raw_query = std::string(rest.substr(q + 1));
    force_query = raw_query.empty();
    rest = rest.substr(0, q);
  }
  std::string opaque, host, path;
  Value user = Value::Null();
  bool omit_host = false;
  if (!scheme.empty() && !rest.empty() && rest[0] != '/') {
    opaque = std::string(rest);
  } else {
    if (rest.substr(0, 2) == "//") {
      std::string_view authority = rest.substr(2);
      size_t slash = authority.find('/');
      rest = slash == std::string_view::npos ? std::string_view() : authority.substr(slash);
      authority = authority.substr(0, slash);
      if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
        user = Value::EmptyObject();  // url.Userinfo has no exported fields
        authority = authority.substr(at + 1);
      }
      host = Unescape(authority);
    } else if (!scheme.empty() && !rest.empty() && rest[0] == '/') {
      omit_host = true;
    }
    path = Unescape(rest);
  }
  return Obj({{"Scheme", Value::String(scheme)},
              {"Opaque", Value::String(opaque)},
              {"User", user},
              {"Host", Value::String(host)},
              {"Path", Value::String(path)},
              {"RawPath", Value::String("")},
              {"OmitHost", Value::Bool(omit_host)},
              {"ForceQuery", Value::Bool(force_query)},
              {"RawQuery", Value::String(raw_query)},
              {"Fragment", Value::String(fragment)},
              {"RawFragment", Value::String("")}});
}

// x509.SignatureAlgorithm for an AlgorithmIdentifier.
int SignatureAlgorithm(const X509_ALGOR* alg) {
  const ASN1_OBJECT* obj = nullptr;
  int ptype = 0;
  const void* pval = nullptr;
  X509_ALGOR_get0(&obj, &ptype, &pval, alg);
  switch (OBJ_obj2nid(obj)) {
    case NID_md2WithRSAEncryption: return 1;
    case NID_md5WithRSAEncryption: return 2;
    case NID_sha1WithRSAEncryption:
    case NID_sha1WithRSA: return 3;
    case NID_sha256WithRSAEncryption: return 4;
    case NID_sha384WithRSAEncryption: return 5;
    case NID_sha512WithRSAEncryption: return 6;
    case NID_dsaWithSHA1: return 7;
    case NID_dsa_with_SHA256: return 8;
    case NID_ecdsa_with_SHA1: return 9;
    case NID_ecdsa_with_SHA256: return 10;
    case NID_ecdsa_with_SHA384: return 11;
    case NID_ecdsa_with_SHA512: return 12;
    case NID_ED25519: return 16;
    case NID_rsassaPss: break;
    default: return 0;
  }
  // RSASSA-PSS: Go knows only MGF1 with the message hash, a salt as long as
  // the hash and the default trailer.
  if (ptype != V_ASN1_SEQUENCE || pval == nullptr) return 0;
  const ASN1_STRING* seq = static_cast<const ASN1_STRING*>(pval);
  const unsigned char* p = ASN1_STRING_get0_data(seq);
  Owned<RSA_PSS_PARAMS, RSA_PSS_PARAMS_free> pss(d2i_RSA_PSS_PARAMS(nullptr, &p, ASN1_STRING_length(seq)));
  if (!pss) {
    ERR_clear_error();
    return 0;
  }
  auto nid_of = [](const X509_ALGOR* a) {
    if (a == nullptr) return NID_sha1;
    const ASN1_OBJECT* o = nullptr;
    X509_ALGOR_get0(&o, nullptr, nullptr, a);
    return OBJ_obj2nid(o);
  };
  int hash = nid_of(pss->hashAlgorithm);
  int mgf = pss->maskGenAlgorithm == nullptr ? NID_mgf1 : nid_of(pss->maskGenAlgorithm);
  int mgf_hash = nid_of(pss->maskHash);
  long salt = pss->saltLength == nullptr ? 20 : ASN1_INTEGER_get(pss->saltLength);
  long trailer = pss->trailerField == nullptr ? 1 : ASN1_INTEGER_get(pss->trailerField);
  if (mgf != NID_mgf1 || mgf_hash != hash || trailer != 1) return 0;
  if (hash == NID_sha256 && salt == 32) return 13;
  if (hash == NID_sha384 && salt == 48) return 14;
  if (hash == NID_sha512 && salt == 64) return 15;
  return 0;
}

// x509.ExtKeyUsage numbers of the usages Go knows.
int ExtKeyUsageNumber(const std::string& oid) {
  static const std::pair<const char*, int> kUsages[] = {
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
  for (const auto& [o, n] : kUsages) {
    if (oid == o) return n;
  }
  return -1;
}

// The DER children of a constructed element.
std::vector<std::string_view> DerChildren(std::string_view element) {
  std::vector<std::string_view> out;
  size_t header = 0;
  size_t total = 0;
  if (!cc::DerElement(element, &header, &total)) return out;
  std::string_view body = element.substr(header, total - header);
  while (!body.empty()) {
    if (!cc::DerElement(body, &header, &total)) return {};
    out.push_back(body.substr(0, total));
    body.remove_prefix(total);
  }
  return out;
}

struct SanLists {
  std::vector<std::string> dns, email, uri_text;
  ValueVector ip, uri;
};

SanLists AltNames(const STACK_OF(X509_EXTENSION) * exts) {
  SanLists out;
  Owned<GENERAL_NAMES, GENERAL_NAMES_free> names(
      static_cast<GENERAL_NAMES*>(X509V3_get_d2i(exts, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    switch (gn->type) {
      case GEN_DNS: out.dns.push_back(AsnText(gn->d.dNSName)); break;
      case GEN_EMAIL: out.email.push_back(AsnText(gn->d.rfc822Name)); break;
      case GEN_URI: {
        std::string text = AsnText(gn->d.uniformResourceIdentifier);
        out.uri.push_back(Url(text));
        out.uri_text.push_back(text);
        break;
      }
      case GEN_IPADD: {
        const ASN1_OCTET_STRING* ip = gn->d.iPAddress;
        size_t n = static_cast<size_t>(ASN1_STRING_length(ip));
        if (n == 4 || n == 16) out.ip.push_back(Value::String(IpText(ASN1_STRING_get0_data(ip), n)));
        break;
      }
      default: break;
    }
  }
  return out;
}

// pkix.Extension list; null when there are none.
Value Extensions(const STACK_OF(X509_EXTENSION) * exts) {
  ValueVector out;
  for (int i = 0; i < sk_X509_EXTENSION_num(exts); ++i) {
    X509_EXTENSION* e = sk_X509_EXTENSION_value(exts, i);
    out.push_back(Obj({{"Id", OidArcs(OidText(X509_EXTENSION_get_object(e)))},
                       {"Critical", Value::Bool(X509_EXTENSION_get_critical(e) > 0)},
                       {"Value", AsnBytes(X509_EXTENSION_get_data(e))}}));
  }
  return ValueList(std::move(out));
}

// Go's value for an ASN.1 element decoded into an interface{}.
Value AnyValue(std::string_view der) {
  size_t header = 0;
  size_t total = 0;
  if (!cc::DerElement(der, &header, &total)) return Value::Null();
  unsigned char tag = static_cast<unsigned char>(der[0]);
  std::string_view body = der.substr(header, total - header);
  switch (tag) {
    case V_ASN1_BOOLEAN: return Value::Bool(!body.empty() && body[0] != 0);
    case V_ASN1_OCTET_STRING: return Base64(body);
    case V_ASN1_UTF8STRING:
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_T61STRING:
    case V_ASN1_NUMERICSTRING: return Value::String(body);
    case V_ASN1_INTEGER: {
      const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
      Owned<ASN1_INTEGER, ASN1_INTEGER_free> i(d2i_ASN1_INTEGER(nullptr, &p, static_cast<long>(der.size())));
      ERR_clear_error();
      return AsnInteger(i.get());
    }
    case V_ASN1_OBJECT: {
      const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
      Owned<ASN1_OBJECT, ASN1_OBJECT_free> o(d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(der.size())));
      ERR_clear_error();
      return o ? OidArcs(OidText(o.get())) : Value::Null();
    }
    default: return Value::Null();
  }
}

// The deprecated CertificateRequest.Attributes: every attribute whose values
// are sequences of (OID, value) pairs, as Go's asn1 reads them (extra
// elements of a pair are ignored); others are left out.
Value RequestAttributes(X509_REQ* req) {
  ValueVector out;
  for (int i = 0; i < X509_REQ_get_attr_count(req); ++i) {
    X509_ATTRIBUTE* attr = X509_REQ_get_attr(req, i);
    ValueVector sets;
    bool ok = true;
    for (int j = 0; ok && j < X509_ATTRIBUTE_count(attr); ++j) {
      ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(attr, j);
      if (t == nullptr || t->type != V_ASN1_SEQUENCE) {
        ok = false;
        break;
      }
      std::string_view seq(BytesChars(ASN1_STRING_get0_data(t->value.sequence)),
                           static_cast<size_t>(ASN1_STRING_length(t->value.sequence)));
      ValueVector pairs;
      for (std::string_view pair : DerChildren(seq)) {
        std::vector<std::string_view> parts = DerChildren(pair);
        if (pair[0] != 0x30 || parts.size() < 2 || parts[0][0] != V_ASN1_OBJECT) {
          ok = false;
          break;
        }
        pairs.push_back(Obj({{"Type", AnyValue(parts[0])}, {"Value", AnyValue(parts[1])}}));
      }
      sets.push_back(Value::Array(std::move(pairs)));
    }
    if (!ok) continue;
    out.push_back(Obj({{"Type", OidArcs(OidText(X509_ATTRIBUTE_get0_object(attr)))},
                       {"Value", Value::Array(std::move(sets))}}));
  }
  return ValueList(std::move(out));
}

bool HandledByGo(const std::string& oid) {
  static const char* const kHandled[] = {
      "2.5.29.14", "2.5.29.15", "2.5.29.17", "2.5.29.19", "2.5.29.30", "2.5.29.31",        "2.5.29.32",
      "2.5.29.33", "2.5.29.35", "2.5.29.36", "2.5.29.37", "2.5.29.54", "1.3.6.1.5.5.7.1.1"};
  for (const char* h : kHandled) {
    if (oid == h) return true;
  }
  return false;
}

}  // namespace

Value PublicKeyJson(EVP_PKEY* key, int* algorithm) {
  *algorithm = 0;
  if (key == nullptr) return Value::Null();
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
      *algorithm = 1;
      return Obj({{"N", BigDecimal(cc::KeyBnDecimal(key, OSSL_PKEY_PARAM_RSA_N))},
                  {"E", BigDecimal(cc::KeyBnDecimal(key, OSSL_PKEY_PARAM_RSA_E))}});
    case EVP_PKEY_DSA:
      *algorithm = 2;
      return Obj({{"P", BigDecimal(cc::KeyBnDecimal(key, OSSL_PKEY_PARAM_FFC_P))},
                  {"Q", BigDecimal(cc::KeyBnDecimal(key, OSSL_PKEY_PARAM_FFC_Q))},
                  {"G", BigDecimal(cc::KeyBnDecimal(key, OSSL_PKEY_PARAM_FFC_G))},
                  {"Y", BigDecimal(cc::KeyBnDecimal(key, OSSL_PKEY_PARAM_PUB_KEY))}});
    case EVP_PKEY_EC:
      *algorithm = 3;
      // elliptic.Curve values have no exported fields.
      return Obj({{"Curve", Value::EmptyObject()},
                  {"X", BigDecimal(cc::KeyBnDecimal(key, OSSL_PKEY_PARAM_EC_PUB_X))},
                  {"Y", BigDecimal(cc::KeyBnDecimal(key, OSSL_PKEY_PARAM_EC_PUB_Y))}});
    case EVP_PKEY_ED25519: {
      *algorithm = 4;
      unsigned char raw[32];
      size_t len = sizeof raw;
      if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1) {
        ERR_clear_error();
        return Value::Null();
      }
      return Base64(std::string_view(BytesChars(raw), len));
    }
    default: return Value::Null();
  }
}

Value PrivateKeyJson(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: {
      auto bn = [&](const char* p) { return BigDecimal(cc::KeyBnDecimal(key, p)); };
      // The public part is an embedded struct: its fields N and E are promoted.
      return Obj(
          {{"N", bn(OSSL_PKEY_PARAM_RSA_N)},
           {"E", bn(OSSL_PKEY_PARAM_RSA_E)},
           {"D", bn(OSSL_PKEY_PARAM_RSA_D)},
           {"Primes", Value::Array({bn(OSSL_PKEY_PARAM_RSA_FACTOR1), bn(OSSL_PKEY_PARAM_RSA_FACTOR2)})},
           {"Precomputed", Obj({{"Dp", bn(OSSL_PKEY_PARAM_RSA_EXPONENT1)},
                                {"Dq", bn(OSSL_PKEY_PARAM_RSA_EXPONENT2)},
                                {"Qinv", bn(OSSL_PKEY_PARAM_RSA_COEFFICIENT1)},
                                {"CRTValues", Value::EmptyArray()}})}});
    }
    case EVP_PKEY_EC:
      return Obj({{"Curve", Value::EmptyObject()},
                  {"X", BigDecimal(cc::KeyBnDecimal(key, OSSL_PKEY_PARAM_EC_PUB_X))},
                  {"Y", BigDecimal(cc::KeyBnDecimal(key, OSSL_PKEY_PARAM_EC_PUB_Y))},
                  {"D", BigDecimal(cc::KeyBnDecimal(key, OSSL_PKEY_PARAM_PRIV_KEY))}});
    case EVP_PKEY_ED25519: {
      // ed25519.PrivateKey is the seed followed by the public key.
      unsigned char seed[32];
      unsigned char pub[32];
      size_t seed_len = sizeof seed;
      size_t pub_len = sizeof pub;
      if (EVP_PKEY_get_raw_private_key(key, seed, &seed_len) != 1 ||
          EVP_PKEY_get_raw_public_key(key, pub, &pub_len) != 1) {
        ERR_clear_error();
        return Value::Null();
      }
      return Base64(std::string(BytesChars(seed), seed_len) + std::string(BytesChars(pub), pub_len));
    }
    default: return Value::EmptyObject();  // *ecdh.PrivateKey: no exported fields
  }
}

Value CertificateJson(X509* cert, bool uri_strings) {
  unsigned char* der_buf = nullptr;
  int der_len = i2d_X509(cert, &der_buf);
  std::string der =
      der_len > 0 ? std::string(BytesChars(der_buf), static_cast<size_t>(der_len)) : std::string();
  OPENSSL_free(der_buf);

  // The raw parts: Certificate ::= SEQUENCE { tbsCertificate, ... } and
  // TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber,
  // signature, issuer, validity, subject, subjectPublicKeyInfo, ... }.
  std::vector<std::string_view> top = DerChildren(der);
  std::string_view tbs = top.empty() ? std::string_view() : top[0];
  std::vector<std::string_view> fields = DerChildren(tbs);
  size_t f = !fields.empty() && static_cast<unsigned char>(fields[0][0]) == 0xa0 ? 1 : 0;
  auto field = [&](size_t i) { return f + i < fields.size() ? fields[f + i] : std::string_view(); };

  const ASN1_BIT_STRING* signature = nullptr;
  const X509_ALGOR* sig_alg = nullptr;
  X509_get0_signature(&signature, &sig_alg, cert);
  const X509_ALGOR* tbs_alg = X509_get0_tbs_sigalg(cert);

  EVP_PKEY* pkey = X509_get0_pubkey(cert);
  ERR_clear_error();
  int pk_algorithm = 0;
  Value public_key = PublicKeyJson(pkey, &pk_algorithm);

  const STACK_OF(X509_EXTENSION)* exts = X509_get0_extensions(cert);

  // Key usage: bit i of the BIT STRING is Go's 1 << i.
  int key_usage = 0;
  {
    Owned<ASN1_BIT_STRING, ASN1_BIT_STRING_free> ku(
        static_cast<ASN1_BIT_STRING*>(X509V3_get_d2i(exts, NID_key_usage, nullptr, nullptr)));
    for (int i = 0; ku && i < 9; ++i) {
      if (ASN1_BIT_STRING_get_bit(ku.get(), i)) key_usage |= 1 << i;
    }
  }

  ValueVector eku, unknown_eku;
  {
    Owned<EXTENDED_KEY_USAGE, FreeEku> usages(
        static_cast<EXTENDED_KEY_USAGE*>(X509V3_get_d2i(exts, NID_ext_key_usage, nullptr, nullptr)));
    for (int i = 0; usages && i < sk_ASN1_OBJECT_num(usages.get()); ++i) {
      std::string oid = OidText(sk_ASN1_OBJECT_value(usages.get(), i));
      int n = ExtKeyUsageNumber(oid);
      if (n >= 0) {
        eku.push_back(Value::Int(n));
      } else {
        unknown_eku.push_back(OidArcs(oid));
      }
    }
  }

  bool bc_valid = false, is_ca = false, max_path_zero = false;
  int64_t max_path = 0;
  {
    Owned<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free> bc(
        static_cast<BASIC_CONSTRAINTS*>(X509V3_get_d2i(exts, NID_basic_constraints, nullptr, nullptr)));
    if (bc) {
      bc_valid = true;
      is_ca = bc->ca != 0;
      max_path = bc->pathlen != nullptr ? ASN1_INTEGER_get(bc->pathlen) : -1;
      max_path_zero = max_path == 0;
    }
  }

  Value skid = Value::Null();
  {
    Owned<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free> id(
        static_cast<ASN1_OCTET_STRING*>(X509V3_get_d2i(exts, NID_subject_key_identifier, nullptr, nullptr)));
    if (id) skid = AsnBytes(id.get());
  }
  Value akid = Value::Null();
  {
    Owned<AUTHORITY_KEYID, AUTHORITY_KEYID_free> id(
        static_cast<AUTHORITY_KEYID*>(X509V3_get_d2i(exts, NID_authority_key_identifier, nullptr, nullptr)));
    if (id && id->keyid != nullptr) akid = AsnBytes(id->keyid);
  }

  std::vector<std::string> ocsp, issuers;
  {
    Owned<AUTHORITY_INFO_ACCESS, AUTHORITY_INFO_ACCESS_free> aia(
        static_cast<AUTHORITY_INFO_ACCESS*>(X509V3_get_d2i(exts, NID_info_access, nullptr, nullptr)));
    for (int i = 0; aia && i < sk_ACCESS_DESCRIPTION_num(aia.get()); ++i) {
      const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia.get(), i);
      if (ad->location->type != GEN_URI) continue;
      int method = OBJ_obj2nid(ad->method);
      if (method == NID_ad_OCSP) ocsp.push_back(AsnText(ad->location->d.uniformResourceIdentifier));
      if (method == NID_ad_ca_issuers) issuers.push_back(AsnText(ad->location->d.uniformResourceIdentifier));
    }
  }

  SanLists san = AltNames(exts);

  bool nc_critical = false;
  std::vector<std::string> permitted_dns, excluded_dns, permitted_email, excluded_email, permitted_uri,
      excluded_uri;
  ValueVector permitted_ip, excluded_ip;
  {
    int crit = 0;
    Owned<NAME_CONSTRAINTS, NAME_CONSTRAINTS_free> nc(
        static_cast<NAME_CONSTRAINTS*>(X509V3_get_d2i(exts, NID_name_constraints, &crit, nullptr)));
    if (nc) {
      nc_critical = crit > 0;
      auto collect = [](STACK_OF(GENERAL_SUBTREE) * trees, std::vector<std::string> & dns,
                        std::vector<std::string> & email, std::vector<std::string> & uri, ValueVector & ip) {
        for (int i = 0; trees != nullptr && i < sk_GENERAL_SUBTREE_num(trees); ++i) {
          const GENERAL_NAME* base = sk_GENERAL_SUBTREE_value(trees, i)->base;
          switch (base->type) {
            case GEN_DNS: dns.push_back(AsnText(base->d.dNSName)); break;
            case GEN_EMAIL: email.push_back(AsnText(base->d.rfc822Name)); break;
            case GEN_URI: uri.push_back(AsnText(base->d.uniformResourceIdentifier)); break;
            case GEN_IPADD: {
              std::string raw = AsnText(base->d.iPAddress);
              if (raw.size() == 8 || raw.size() == 32) {
                size_t half = raw.size() / 2;
                const unsigned char* p = reinterpret_cast<const unsigned char*>(raw.data());
                // net.IPNet: the address as text, the mask as bytes.
                ip.push_back(
                    Obj({{"IP", Value::String(IpText(p, half))}, {"Mask", Base64(raw.substr(half))}}));
              }
              break;
            }
            default: break;
          }
        }
      };
      collect(nc->permittedSubtrees, permitted_dns, permitted_email, permitted_uri, permitted_ip);
      collect(nc->excludedSubtrees, excluded_dns, excluded_email, excluded_uri, excluded_ip);
    }
  }

  std::vector<std::string> crl;
  {
    Owned<CRL_DIST_POINTS, CRL_DIST_POINTS_free> points(
        static_cast<CRL_DIST_POINTS*>(X509V3_get_d2i(exts, NID_crl_distribution_points, nullptr, nullptr)));
    for (int i = 0; points && i < sk_DIST_POINT_num(points.get()); ++i) {
      const DIST_POINT* dp = sk_DIST_POINT_value(points.get(), i);
      if (dp->distpoint == nullptr || dp->distpoint->type != 0) continue;
      GENERAL_NAMES* names = dp->distpoint->name.fullname;
      for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, j);
        if (gn->type == GEN_URI) crl.push_back(AsnText(gn->d.uniformResourceIdentifier));
      }
    }
  }

  ValueVector policy_ids, policies;
  {
    Owned<CERTIFICATEPOLICIES, CERTIFICATEPOLICIES_free> cp(
        static_cast<CERTIFICATEPOLICIES*>(X509V3_get_d2i(exts, NID_certificate_policies, nullptr, nullptr)));
    for (int i = 0; cp && i < sk_POLICYINFO_num(cp.get()); ++i) {
      std::string oid = OidText(sk_POLICYINFO_value(cp.get(), i)->policyid);
      policy_ids.push_back(OidArcs(oid));
      policies.push_back(Value::String(oid));  // x509.OID marshals as its dotted text
    }
  }
  ValueVector mappings;
  {
    Owned<POLICY_MAPPINGS, FreePolicyMappings> pm(
        static_cast<POLICY_MAPPINGS*>(X509V3_get_d2i(exts, NID_policy_mappings, nullptr, nullptr)));
    for (int i = 0; pm && i < sk_POLICY_MAPPING_num(pm.get()); ++i) {
      const POLICY_MAPPING* m = sk_POLICY_MAPPING_value(pm.get(), i);
      mappings.push_back(Obj({{"IssuerDomainPolicy", Value::String(OidText(m->issuerDomainPolicy))},
                              {"SubjectDomainPolicy", Value::String(OidText(m->subjectDomainPolicy))}}));
    }
  }
  int64_t require_explicit = 0, inhibit_mapping = 0, inhibit_any = 0;
  bool require_explicit_zero = false, inhibit_mapping_zero = false, inhibit_any_zero = false;
  {
    Owned<POLICY_CONSTRAINTS, POLICY_CONSTRAINTS_free> pc(
        static_cast<POLICY_CONSTRAINTS*>(X509V3_get_d2i(exts, NID_policy_constraints, nullptr, nullptr)));
    if (pc && pc->requireExplicitPolicy != nullptr) {
      require_explicit = ASN1_INTEGER_get(pc->requireExplicitPolicy);
      require_explicit_zero = require_explicit == 0;
    }
    if (pc && pc->inhibitPolicyMapping != nullptr) {
      inhibit_mapping = ASN1_INTEGER_get(pc->inhibitPolicyMapping);
      inhibit_mapping_zero = inhibit_mapping == 0;
    }
    Owned<ASN1_INTEGER, ASN1_INTEGER_free> ia(
        static_cast<ASN1_INTEGER*>(X509V3_get_d2i(exts, NID_inhibit_any_policy, nullptr, nullptr)));
    if (ia) {
      inhibit_any = ASN1_INTEGER_get(ia.get());
      inhibit_any_zero = inhibit_any == 0;
    }
  }
  ERR_clear_error();

  // Critical extensions Go's parser does not act on; a subject alternative
  // name with no name Go reads counts as unhandled too.
  ValueVector unhandled;
  for (int i = 0; i < sk_X509_EXTENSION_num(exts); ++i) {
    X509_EXTENSION* e = sk_X509_EXTENSION_value(exts, i);
    if (X509_EXTENSION_get_critical(e) <= 0) continue;
    std::string oid = OidText(X509_EXTENSION_get_object(e));
    bool empty_san =
        oid == "2.5.29.17" && san.dns.empty() && san.email.empty() && san.ip.empty() && san.uri.empty();
    if (!HandledByGo(oid) || empty_san) unhandled.push_back(OidArcs(oid));
  }

  ObjectEntries out;
  auto put = [&](const char* k, Value v) { out.emplace_back(Value::String(k), std::move(v)); };
  put("Raw", Base64(der));
  put("RawTBSCertificate", Base64(tbs));
  put("RawSubjectPublicKeyInfo", Base64(field(5)));
  put("RawSubject", Base64(field(4)));
  put("RawIssuer", Base64(field(2)));
  put("Signature", AsnBytes(signature));
  put("SignatureAlgorithm", Value::Int(SignatureAlgorithm(tbs_alg != nullptr ? tbs_alg : sig_alg)));
  put("PublicKeyAlgorithm", Value::Int(pk_algorithm));
  put("PublicKey", public_key);
  put("Version", Value::Int(X509_get_version(cert) + 1));
  put("SerialNumber", AsnInteger(X509_get0_serialNumber(cert)));
  put("Issuer", Name(X509_get_issuer_name(cert)));
  put("Subject", Name(X509_get_subject_name(cert)));
  put("NotBefore", Time(X509_get0_notBefore(cert)));
  put("NotAfter", Time(X509_get0_notAfter(cert)));
  put("KeyUsage", Value::Int(key_usage));
  put("Extensions", Extensions(exts));
  put("ExtraExtensions", Value::Null());
  put("UnhandledCriticalExtensions", ValueList(std::move(unhandled)));
  put("ExtKeyUsage", ValueList(std::move(eku)));
  put("UnknownExtKeyUsage", ValueList(std::move(unknown_eku)));
  put("BasicConstraintsValid", Value::Bool(bc_valid));
  put("IsCA", Value::Bool(is_ca));
  put("MaxPathLen", Value::Int(max_path));
  put("MaxPathLenZero", Value::Bool(max_path_zero));
  put("SubjectKeyId", skid);
  put("AuthorityKeyId", akid);
  put("OCSPServer", StringList(ocsp));
  put("IssuingCertificateURL", StringList(issuers));
  put("DNSNames", StringList(san.dns));
  put("EmailAddresses", StringList(san.email));
  put("IPAddresses", ValueList(san.ip));
  put("URIs", ValueList(san.uri));
  put("PermittedDNSDomainsCritical", Value::Bool(nc_critical));
  put("PermittedDNSDomains", StringList(permitted_dns));
  put("ExcludedDNSDomains", StringList(excluded_dns));
  put("PermittedIPRanges", ValueList(std::move(permitted_ip)));
  put("ExcludedIPRanges", ValueList(std::move(excluded_ip)));
  put("PermittedEmailAddresses", StringList(permitted_email));
  put("ExcludedEmailAddresses", StringList(excluded_email));
  put("PermittedURIDomains", StringList(permitted_uri));
  put("ExcludedURIDomains", StringList(excluded_uri));
  put("CRLDistributionPoints", StringList(crl));
  put("PolicyIdentifiers", ValueList(std::move(policy_ids)));
  put("Policies", ValueList(std::move(policies)));
  put("InhibitAnyPolicy", Value::Int(inhibit_any));
  put("InhibitAnyPolicyZero", Value::Bool(inhibit_any_zero));
  put("InhibitPolicyMapping", Value::Int(inhibit_mapping));
  put("InhibitPolicyMappingZero", Value::Bool(inhibit_mapping_zero));
  put("RequireExplicitPolicy", Value::Int(require_explicit));
  put("RequireExplicitPolicyZero", Value::Bool(require_explicit_zero));
  put("PolicyMappings", ValueList(std::move(mappings)));
  if (uri_strings) put("URIStrings", StringList(san.uri_text));
  return Value::Object(std::move(out));
}

Result<Value> CertificateRequestJson(std::string_view der) {
  // CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature }
  // CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, [0] attributes }
  size_t header = 0;
  size_t total = 0;
  std::vector<std::string_view> top;
  if (cc::DerElement(der, &header, &total) && der[0] == 0x30) top = DerChildren(der.substr(0, total));
  std::vector<std::string_view> info =
      top.empty() || top[0][0] != 0x30 ? std::vector<std::string_view>() : DerChildren(top[0]);
  if (top.size() < 3 || info.size() < 3) {
    return Error::Input("asn1: structure error: tags don't match: malformed certificate request");
  }
  if (total != der.size()) return Error::Input("asn1: syntax error: trailing data");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  Owned<X509_REQ, X509_REQ_free> req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
  if (!req) {
    ERR_clear_error();
    return Error::Input("asn1: structure error: malformed certificate request");
  }
  const ASN1_BIT_STRING* signature = nullptr;
  const X509_ALGOR* sig_alg = nullptr;
  X509_REQ_get0_signature(req.get(), &signature, &sig_alg);
  EVP_PKEY* pkey = X509_REQ_get0_pubkey(req.get());
  ERR_clear_error();
  if (pkey != nullptr && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC && cc::CurveName(pkey).empty()) {
    return Error::Input("x509: unsupported elliptic curve");
  }
  int pk_algorithm = 0;
  Value public_key = PublicKeyJson(pkey, &pk_algorithm);
  Owned<STACK_OF(X509_EXTENSION), FreeExtensions> exts(X509_REQ_get_extensions(req.get()));
  ERR_clear_error();
  SanLists san = AltNames(exts.get());

  ObjectEntries out;
  auto put = [&](const char* k, Value v) { out.emplace_back(Value::String(k), std::move(v)); };
  put("Raw", Base64(der));
  put("RawTBSCertificateRequest", Base64(top[0]));
  put("RawSubjectPublicKeyInfo", Base64(info[2]));
  put("RawSubject", Base64(info[1]));
  put("Version", Value::Int(X509_REQ_get_version(req.get())));
  put("Signature", AsnBytes(signature));
  put("SignatureAlgorithm", Value::Int(SignatureAlgorithm(sig_alg)));
  put("PublicKeyAlgorithm", Value::Int(pk_algorithm));
  put("PublicKey", public_key);
  put("Subject", Name(X509_REQ_get_subject_name(req.get())));
  put("Attributes", RequestAttributes(req.get()));
  put("Extensions", exts && sk_X509_EXTENSION_num(exts.get()) > 0 ? Extensions(exts.get()) : Value::Null());
  put("ExtraExtensions", Value::Null());
  put("DNSNames", StringList(san.dns));
  put("EmailAddresses", StringList(san.email));
  put("IPAddresses", ValueList(san.ip));
  put("URIs", ValueList(san.uri));
  return Value::Object(std::move(out));
}

}  // namespace custody::rego::crypto_x509
