// Test helpers for the crypto and tokens built-ins: keys, certificates and
// requests made with OpenSSL, and their PEM, DER and JWK texts.
#pragma once

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/encoding.h"

namespace custody::rego::testkeys {

using Pkey = std::shared_ptr<EVP_PKEY>;
using Cert = std::shared_ptr<X509>;

inline Pkey Generate(const std::string& kind) {
  EVP_PKEY* k = nullptr;
  if (kind == "RSA") {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  } else if (kind == "Ed25519") {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  } else {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", kind.c_str());  // "P-256", "P-384", "P-521"
  }
  return Pkey(k, EVP_PKEY_free);
}

inline std::string BioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

inline std::string PublicPem(EVP_PKEY* k) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, k);
  return BioText(bio);
}

// PKCS #8 ("PRIVATE KEY").
inline std::string PrivatePem(EVP_PKEY* k) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, k, nullptr, nullptr, 0, nullptr, nullptr);
  return BioText(bio);
}

// PKCS #1 for RSA ("RSA PRIVATE KEY"), SEC 1 for EC ("EC PRIVATE KEY").
inline std::string TraditionalPem(EVP_PKEY* k) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey_traditional(bio, k, nullptr, nullptr, 0, nullptr, nullptr);
  return BioText(bio);
}

inline std::string PrivateDer(EVP_PKEY* k) {
  unsigned char* buf = nullptr;
  int len = i2d_PrivateKey(k, &buf);
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return out;
}

inline std::string B64Url(const std::string& bytes) {
  std::string s = Base64Encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return s;
}

inline std::string Bn(EVP_PKEY* k, const char* param, int pad = 0) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(k, param, &bn) != 1) return {};
  int len = pad > 0 ? pad : BN_num_bytes(bn);
  std::string out(static_cast<size_t>(len), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), len);
  BN_free(bn);
  return B64Url(out);
}

// The JWK of `k`, with its private part if `with_private`. `extra` is
// appended inside the object (e.g. R"(,"kid":"k1")").
inline std::string Jwk(EVP_PKEY* k, bool with_private, const std::string& extra = "") {
  std::string j;
  switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA:
      j = R"({"kty":"RSA","n":")" + Bn(k, OSSL_PKEY_PARAM_RSA_N) + R"(","e":")" +
          Bn(k, OSSL_PKEY_PARAM_RSA_E) + "\"";
      if (with_private) {
        j += R"(,"d":")" + Bn(k, OSSL_PKEY_PARAM_RSA_D) + R"(","p":")" + Bn(k, OSSL_PKEY_PARAM_RSA_FACTOR1) +
             R"(","q":")" + Bn(k, OSSL_PKEY_PARAM_RSA_FACTOR2) + R"(","dp":")" +
             Bn(k, OSSL_PKEY_PARAM_RSA_EXPONENT1) + R"(","dq":")" + Bn(k, OSSL_PKEY_PARAM_RSA_EXPONENT2) +
             R"(","qi":")" + Bn(k, OSSL_PKEY_PARAM_RSA_COEFFICIENT1) + "\"";
      }
      break;
    case EVP_PKEY_EC: {
      int size = (EVP_PKEY_get_bits(k) + 7) / 8;
      std::string crv = size == 32 ? "P-256" : size == 48 ? "P-384" : "P-521";
      j = R"({"kty":"EC","crv":")" + crv + R"(","x":")" + Bn(k, OSSL_PKEY_PARAM_EC_PUB_X, size) +
          R"(","y":")" + Bn(k, OSSL_PKEY_PARAM_EC_PUB_Y, size) + "\"";
      if (with_private) j += R"(,"d":")" + Bn(k, OSSL_PKEY_PARAM_PRIV_KEY, size) + "\"";
      break;
    }
    case EVP_PKEY_ED25519: {
      unsigned char raw[32];
      size_t len = sizeof raw;
      EVP_PKEY_get_raw_public_key(k, raw, &len);
      j = R"({"kty":"OKP","crv":"Ed25519","x":")" + B64Url(std::string(reinterpret_cast<char*>(raw), len)) +
          "\"";
      if (with_private) {
        len = sizeof raw;
        EVP_PKEY_get_raw_private_key(k, raw, &len);
        j += R"(,"d":")" + B64Url(std::string(reinterpret_cast<char*>(raw), len)) + "\"";
      }
      break;
    }
    default: break;
  }
  return j + extra + "}";
}

struct CertSpec {
  std::string cn;
  std::vector<std::pair<int, std::string>> extensions;  // NID, OpenSSL config text
  long serial = 1;
  long not_before_offset = -3600;  // seconds from now
  long days = 365;
};

// A certificate for `key`, signed by `issuer_key` (self-signed when
// `issuer` is null).
inline Cert MakeCert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), spec.serial);
  X509_gmtime_adj(X509_getm_notBefore(x), spec.not_before_offset);
  X509_gmtime_adj(X509_getm_notAfter(x), spec.days * 86400L);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Custody Test"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(x, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(x, key);
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : x, x, nullptr, nullptr, 0);
  for (const auto& [nid, value] : spec.extensions) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (ext != nullptr) {
      X509_add_ext(x, ext, -1);
      X509_EXTENSION_free(ext);
    }
  }
  bool raw = EVP_PKEY_get_base_id(issuer_key) == EVP_PKEY_ED25519;
  X509_sign(x, issuer_key, raw ? nullptr : EVP_sha256());
  return Cert(x, X509_free);
}

inline std::string CertPem(X509* x) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x);
  return BioText(bio);
}

inline std::string CertDer(X509* x) {
  unsigned char* buf = nullptr;
  int len = i2d_X509(x, &buf);
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return out;
}

// A PKCS #10 request for `key` with the given subject alternative names
// (OpenSSL config text, e.g. "DNS:a.example,IP:10.0.0.1"), or none.
inline std::string CsrPem(EVP_PKEY* key, const std::string& cn, const std::string& san,
                          std::string* der = nullptr) {
  X509_REQ* req = X509_REQ_new();
  X509_REQ_set_version(req, 0);
  X509_NAME* name = X509_REQ_get_subject_name(req);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()),
                             -1, -1, 0);
  X509_REQ_set_pubkey(req, key);
  if (!san.empty()) {
    STACK_OF(X509_EXTENSION)* exts = sk_X509_EXTENSION_new_null();
    sk_X509_EXTENSION_push(exts, X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, san.c_str()));
    X509_REQ_add_extensions(req, exts);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
  }
  X509_REQ_sign(req, key, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509_REQ(bio, req);
  if (der != nullptr) {
    unsigned char* buf = nullptr;
    int len = i2d_X509_REQ(req, &buf);
    der->assign(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
    OPENSSL_free(buf);
  }
  X509_REQ_free(req);
  return BioText(bio);
}

}  // namespace custody::rego::testkeys
