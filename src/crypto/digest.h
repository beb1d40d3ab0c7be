// Message digests: SHA-256 and BLAKE2b-512 through OpenSSL's EVP interface,
// which picks the CPU's fastest implementation (SHA-NI, AVX2) at run time.
//
// A Hasher is single-threaded state: use one per thread. The free functions
// are safe from any thread.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace custody {

enum class HashAlgorithm { kSha256, kBlake2b };

// The name used in manifests: "sha256" or "blake2b".
const char* HashAlgorithmName(HashAlgorithm algorithm);
// Accepts "sha256", "blake2b" and "blake2" (the model_signing CLI spelling).
Result<HashAlgorithm> ParseHashAlgorithm(std::string_view name);
size_t DigestSize(HashAlgorithm algorithm);

class Hasher {
 public:
  explicit Hasher(HashAlgorithm algorithm);
  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // Returns the raw digest and resets the state for reuse.
  std::string Finish();

 private:
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  const EVP_MD* md_;
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx_;
};

// Raw 32-byte SHA-256 of `data`.
std::string Sha256(std::string_view data);

}  // namespace custody
