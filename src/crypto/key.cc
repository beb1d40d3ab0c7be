#include "crypto/key.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>

#include "crypto/openssl_util.h"

namespace custody {
namespace {

using openssl::BioPtr;
using openssl::MemoryBio;
using openssl::Wrap;

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

Result<KeyType> DetectType(EVP_PKEY* key, const std::string& source) {
  int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_ED25519) return KeyType::kEd25519;
  if (id == EVP_PKEY_EC) {
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) == 1) {
      if (std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0) return KeyType::kEcdsaP256;
      if (std::strcmp(group, "secp384r1") == 0 || std::strcmp(group, "P-384") == 0) return KeyType::kEcdsaP384;
      if (std::strcmp(group, "secp521r1") == 0 || std::strcmp(group, "P-521") == 0) return KeyType::kEcdsaP521;
      return Error::Input(source + ": EC curve " + group +
                          " is not supported (use ecdsa-p256, ecdsa-p384, ecdsa-p521 or ed25519)");
    }
  }
  const char* name = EVP_PKEY_get0_type_name(key);
  return Error::Input(source + ": " + (name ? name : "this") +
                      " keys are not supported (use ecdsa-p256, ecdsa-p384, ecdsa-p521 or ed25519)");
}

const EVP_MD* DigestFor(KeyType type) {
  switch (type) {
    case KeyType::kEcdsaP256: return EVP_sha256();
    case KeyType::kEcdsaP384: return EVP_sha384();
    case KeyType::kEcdsaP521: return EVP_sha512();
    case KeyType::kEd25519: return nullptr;  // Ed25519 hashes internally
  }
  return nullptr;
}

bool Contains(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }

}  // namespace

const char* KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kEcdsaP256: return "ecdsa-p256";
    case KeyType::kEcdsaP384: return "ecdsa-p384";
    case KeyType::kEcdsaP521: return "ecdsa-p521";
    case KeyType::kEd25519: return "ed25519";
  }
  return "unknown";
}

Result<KeyType> ParseKeyType(std::string_view name) {
  if (name == "ecdsa-p256") return KeyType::kEcdsaP256;
  if (name == "ecdsa-p384") return KeyType::kEcdsaP384;
  if (name == "ecdsa-p521") return KeyType::kEcdsaP521;
  if (name == "ed25519") return KeyType::kEd25519;
  return Error::Input("unknown key type '" + std::string(name) + "' (use ecdsa-p256, ecdsa-p384, ecdsa-p521 or ed25519)");
}

Result<PublicKey> PublicKey::FromPem(std::string_view pem, const std::string& source) {
  if (Contains(pem, "PRIVATE KEY-----")) {
    return Error::Input(source + " holds a private key; pass the public key (NAME.pub) instead");
  }
  if (!Contains(pem, "-----BEGIN PUBLIC KEY-----")) {
    return Error::Input(source + " is not a PEM public key (expected '-----BEGIN PUBLIC KEY-----')");
  }
  BioPtr bio = MemoryBio(pem);
  EVP_PKEY* raw = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (raw == nullptr) return Error::Input(source + ": cannot parse public key: " + openssl::LastError());
  auto key = Wrap(raw);
  CUSTODY_ASSIGN_OR_RETURN(KeyType type, DetectType(raw, source));
  return PublicKey(key, type);
}

Result<PublicKey> PublicKey::FromDer(std::string_view der, const std::string& source) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* raw = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  if (raw == nullptr) return Error::Input(source + ": cannot parse DER public key: " + openssl::LastError());
  auto key = Wrap(raw);
  CUSTODY_ASSIGN_OR_RETURN(KeyType type, DetectType(raw, source));
  return PublicKey(key, type);
}

std::string PublicKey::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  return openssl::BioText(bio.get());
}

std::string PublicKey::ToDer() const {
  unsigned char* buf = nullptr;
  int len = i2d_PUBKEY(key_.get(), &buf);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return out;
}

Result<std::string> PublicKey::RawEd25519() const {
  if (type_ != KeyType::kEd25519) {
    return Error::Input(std::string("expected an Ed25519 key, got ") + KeyTypeName(type_));
  }
  std::string out(32, '\0');
  size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(key_.get(), reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != 32) {
    return Error::Internal("cannot read the Ed25519 public key: " + openssl::LastError());
  }
  return out;
}

Result<PublicKey> PublicKey::FromRawEd25519(std::string_view raw, const std::string& source) {
  if (raw.size() != 32) {
    return Error::Input(source + ": an Ed25519 public key is 32 bytes, got " + std::to_string(raw.size()));
  }
  EVP_PKEY* k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                            reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (k == nullptr) return Error::Input(source + ": not an Ed25519 public key: " + openssl::LastError());
  return PublicKey(Wrap(k), KeyType::kEd25519);
}

bool PublicKey::Verify(std::string_view message, std::string_view signature) const {
  return VerifyWith(DigestFor(type_), message, signature);
}

bool PublicKey::VerifyWithSha256(std::string_view message, std::string_view signature) const {
  return VerifyWith(type_ == KeyType::kEd25519 ? nullptr : EVP_sha256(), message, signature);
}

bool PublicKey::VerifyWith(const EVP_MD* digest, std::string_view message, std::string_view signature) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, key_.get()) != 1) {
    ERR_clear_error();
    return false;
  }
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                            message.size());
  ERR_clear_error();
  return rc == 1;
}

Result<PrivateKey> PrivateKey::Generate(KeyType type) {
  EVP_PKEY* raw = nullptr;
  switch (type) {
    case KeyType::kEcdsaP256: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case KeyType::kEcdsaP384: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"); break;
    case KeyType::kEcdsaP521: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521"); break;
    case KeyType::kEd25519: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
  }
  if (raw == nullptr) return Error::Internal("key generation failed: " + openssl::LastError());
  return PrivateKey(Wrap(raw), type);
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem, const std::string& source) {
  if (Contains(pem, "-----BEGIN PUBLIC KEY-----")) {
    return Error::Input(source + " holds a public key; signing needs the private key (NAME.key)");
  }
  if (Contains(pem, "ENCRYPTED PRIVATE KEY-----")) {
    return Error::Input(source + " is an encrypted private key; custody reads unencrypted PKCS#8 keys "
                                 "(openssl pkcs8 -in KEY -out PLAIN.key decrypts one)");
  }
  if (!Contains(pem, "PRIVATE KEY-----")) {
    return Error::Input(source + " is not a PEM private key (expected '-----BEGIN PRIVATE KEY-----')");
  }
  BioPtr bio = MemoryBio(pem);
  // A null password callback with an empty password makes OpenSSL fail instead
  // of prompting on the terminal.
  char empty[] = "";
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, empty);
  if (raw == nullptr) return Error::Input(source + ": cannot parse private key: " + openssl::LastError());
  auto key = Wrap(raw);
  CUSTODY_ASSIGN_OR_RETURN(KeyType type, DetectType(raw, source));
  return PrivateKey(key, type);
}

std::string PrivateKey::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return openssl::BioText(bio.get());
}

PublicKey PrivateKey::Public() const {
  // Round-trip through DER to get an object holding only the public half.
  unsigned char* buf = nullptr;
  int len = i2d_PUBKEY(key_.get(), &buf);
  const unsigned char* p = buf;
  EVP_PKEY* pub = d2i_PUBKEY(nullptr, &p, len);
  OPENSSL_free(buf);
  return PublicKey(Wrap(pub), type_);
}

Result<std::string> PrivateKey::Sign(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, DigestFor(type_), nullptr, key_.get()) != 1) {
    return Error::Internal("cannot start signing: " + openssl::LastError());
  }
  size_t len = 0;
  auto msg = reinterpret_cast<const unsigned char*>(message.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &len, msg, message.size()) != 1) {
    return Error::Internal("cannot size signature: " + openssl::LastError());
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, msg, message.size()) != 1) {
    return Error::Internal("signing failed: " + openssl::LastError());
  }
  sig.resize(len);
  return sig;
}

}  // namespace custody
