// Signing keys: ECDSA P-256, P-384 and P-521 and Ed25519, in the PEM forms every
// peer reads (PKCS#8 private keys, SubjectPublicKeyInfo public keys).
//
// ECDSA signatures are DER-encoded, over SHA-256 for P-256, SHA-384 for P-384
// and SHA-512 for P-521 (the hashes model_signing pairs with them); Ed25519 signatures are the raw 64 bytes over the message itself.
// Key objects are immutable after construction; const methods may be called
// from several threads at once.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace custody {

enum class KeyType { kEcdsaP256, kEcdsaP384, kEcdsaP521, kEd25519 };

// "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "ed25519".
const char* KeyTypeName(KeyType type);
Result<KeyType> ParseKeyType(std::string_view name);

class PublicKey {
 public:
  // `source` names where the text came from, for error messages.
  static Result<PublicKey> FromPem(std::string_view pem, const std::string& source);
  // DER SubjectPublicKeyInfo.
  static Result<PublicKey> FromDer(std::string_view der, const std::string& source);

  KeyType type() const { return type_; }
  std::string ToPem() const;
  std::string ToDer() const;
  // The 32 raw bytes of an Ed25519 key (as signed notes carry it); error for other types.
  Result<std::string> RawEd25519() const;
  static Result<PublicKey> FromRawEd25519(std::string_view raw, const std::string& source);
  // True only if `signature` is a valid signature of `message` by this key.
  bool Verify(std::string_view message, std::string_view signature) const;
  // As Verify, but ECDSA over SHA-256 whatever the curve, as model_signing 0.2
  // signed; Ed25519 is unchanged.
  bool VerifyWithSha256(std::string_view message, std::string_view signature) const;

 private:
  bool VerifyWith(const EVP_MD* digest, std::string_view message, std::string_view signature) const;
  PublicKey(std::shared_ptr<EVP_PKEY> key, KeyType type) : key_(std::move(key)), type_(type) {}
  friend class PrivateKey;
  std::shared_ptr<EVP_PKEY> key_;
  KeyType type_;
};

class PrivateKey {
 public:
  static Result<PrivateKey> Generate(KeyType type);
  static Result<PrivateKey> FromPem(std::string_view pem, const std::string& source);

  KeyType type() const { return type_; }
  // Unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY").
  std::string ToPem() const;
  PublicKey Public() const;
  Result<std::string> Sign(std::string_view message) const;

 private:
  PrivateKey(std::shared_ptr<EVP_PKEY> key, KeyType type) : key_(std::move(key)), type_(type) {}
  std::shared_ptr<EVP_PKEY> key_;
  KeyType type_;
};

}  // namespace custody
