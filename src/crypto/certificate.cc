#include "crypto/certificate.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "core/encoding.h"
#include "crypto/digest.h"
#include "crypto/openssl_util.h"

namespace custody {
namespace {

std::shared_ptr<X509> WrapX509(X509* c) { return {c, X509_free}; }

std::string NameText(const X509_NAME* name) {
  openssl::BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return openssl::BioText(bio.get());
}

int64_t EpochSeconds(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

struct StoreFree {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};
struct StackFree {
  void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }  // the certificates stay owned elsewhere
};

}  // namespace

Result<Certificate> Certificate::FromDer(std::string_view der, const std::string& source) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509* raw = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (raw == nullptr) return Error::Input(source + ": not a DER X.509 certificate: " + openssl::LastError());
  auto cert = WrapX509(raw);
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return Error::Input(source + ": trailing bytes after the DER certificate");
  }
  return Certificate(cert);
}

Result<std::vector<Certificate>> Certificate::AllFromPem(std::string_view pem, const std::string& source) {
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string_view::npos) {
    return Error::Input(source + " holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----')");
  }
  openssl::BioPtr bio = openssl::MemoryBio(pem);
  std::vector<Certificate> out;
  while (true) {
    X509* raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (raw == nullptr) {
      unsigned long err = ERR_peek_last_error();
      if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE && !out.empty()) {
        ERR_clear_error();  // the normal end of the text
        break;
      }
      return Error::Input(source + ": cannot parse certificate " + std::to_string(out.size() + 1) + ": " +
                          openssl::LastError());
    }
    out.push_back(Certificate(WrapX509(raw)));
  }
  return out;
}

std::string Certificate::ToDer() const {
  unsigned char* buf = nullptr;
  int len = i2d_X509(cert_.get(), &buf);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return out;
}

std::string Certificate::ToPem() const {
  openssl::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert_.get());
  return openssl::BioText(bio.get());
}

std::string Certificate::Subject() const { return NameText(X509_get_subject_name(cert_.get())); }
std::string Certificate::Issuer() const { return NameText(X509_get_issuer_name(cert_.get())); }
std::string Certificate::Fingerprint() const { return HexEncode(Sha256(ToDer())); }
int64_t Certificate::NotBefore() const { return EpochSeconds(X509_get0_notBefore(cert_.get())); }
int64_t Certificate::NotAfter() const { return EpochSeconds(X509_get0_notAfter(cert_.get())); }

Result<PublicKey> Certificate::Key() const {
  const X509_PUBKEY* spki = X509_get_X509_PUBKEY(cert_.get());
  unsigned char* buf = nullptr;
  int len = i2d_X509_PUBKEY(spki, &buf);
  if (len <= 0) return Error::Input("certificate " + Subject() + ": cannot read its public key");
  std::string der(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return PublicKey::FromDer(der, "the key of certificate " + Subject());
}

bool Certificate::AllowsSigning() const {
  X509* c = cert_.get();
  // X509_get_key_usage returns UINT32_MAX when the extension is absent.
  if (X509_get_key_usage(c) & KU_DIGITAL_SIGNATURE) return true;
  uint32_t xku = X509_get_extended_key_usage(c);
  return xku != UINT32_MAX && (xku & XKU_CODE_SIGN) != 0;
}

Status VerifyCertificateChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                              const std::vector<Certificate>& trusted, int64_t at) {
  if (trusted.empty()) return Error::Input("no trusted certificate given to verify the chain against");
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  for (const auto& t : trusted) X509_STORE_add_cert(store.get(), t.cert_.get());
  std::unique_ptr<STACK_OF(X509), StackFree> chain(sk_X509_new_null());
  for (const auto& i : intermediates) sk_X509_push(chain.get(), i.cert_.get());
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!store || !chain || !ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.cert_.get(), chain.get()) != 1) {
    return Error::Internal("cannot set up certificate verification: " + openssl::LastError());
  }
  X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(at));
  int ok = X509_verify_cert(ctx.get());
  ERR_clear_error();
  if (ok == 1) return OkStatus();
  int err = X509_STORE_CTX_get_error(ctx.get());
  int depth = X509_STORE_CTX_get_error_depth(ctx.get());
  X509* where = X509_STORE_CTX_get_current_cert(ctx.get());
  std::string at_cert = where != nullptr ? NameText(X509_get_subject_name(where)) : leaf.Subject();
  return Error::Verification("the signing certificate " + leaf.Subject() +
                             " does not chain to a trusted certificate: " + X509_verify_cert_error_string(err) +
                             " (at " + at_cert + ", depth " + std::to_string(depth) + ")");
}

}  // namespace custody
