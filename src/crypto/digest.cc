#include "crypto/digest.h"

#include <cstdlib>
#include <cstdio>

namespace custody {
namespace {

// Fetched once: EVP_MD_fetch avoids the per-call provider lookup that the
// EVP_sha256() shorthand pays on every EVP_DigestInit.
const EVP_MD* FetchMd(HashAlgorithm algorithm) {
  static const EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static const EVP_MD* blake2b = EVP_MD_fetch(nullptr, "BLAKE2B-512", nullptr);
  const EVP_MD* md = algorithm == HashAlgorithm::kSha256 ? sha256 : blake2b;
  if (md == nullptr) {
    std::fprintf(stderr, "custody: OpenSSL does not provide %s\n", HashAlgorithmName(algorithm));
    std::abort();
  }
  return md;
}

}  // namespace

const char* HashAlgorithmName(HashAlgorithm algorithm) {
  return algorithm == HashAlgorithm::kSha256 ? "sha256" : "blake2b";
}

Result<HashAlgorithm> ParseHashAlgorithm(std::string_view name) {
  if (name == "sha256") return HashAlgorithm::kSha256;
  if (name == "blake2b" || name == "blake2") return HashAlgorithm::kBlake2b;
  return Error::Input("unknown hash algorithm '" + std::string(name) + "' (use sha256 or blake2b)");
}

size_t DigestSize(HashAlgorithm algorithm) { return algorithm == HashAlgorithm::kSha256 ? 32 : 64; }

Hasher::Hasher(HashAlgorithm algorithm) : md_(FetchMd(algorithm)), ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex2(ctx_.get(), md_, nullptr) != 1) std::abort();
}

void Hasher::Update(const void* data, size_t size) {
  if (EVP_DigestUpdate(ctx_.get(), data, size) != 1) std::abort();
}

std::string Hasher::Finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), out, &len) != 1) std::abort();
  if (EVP_DigestInit_ex2(ctx_.get(), md_, nullptr) != 1) std::abort();
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Sha256(std::string_view data) {
  Hasher h(HashAlgorithm::kSha256);
  h.Update(data);
  return h.Finish();
}

}  // namespace custody
