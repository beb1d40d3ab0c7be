// Small pieces shared by the OpenSSL-backed crypto code: owning pointers for
// OpenSSL objects and the text of the thread's last OpenSSL error.
// Internal to src/crypto; not part of the library's interface.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

namespace custody::openssl {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

// A read-only memory BIO over `data` (which must outlive it).
BioPtr MemoryBio(std::string_view data);
// Everything written to a memory BIO so far.
std::string BioText(BIO* bio);

// The reason of the first queued OpenSSL error, and clears the queue.
std::string LastError();

std::shared_ptr<EVP_PKEY> Wrap(EVP_PKEY* key);

}  // namespace custody::openssl
