#include "crypto/openssl_util.h"

#include <openssl/err.h>

namespace custody::openssl {

BioPtr MemoryBio(std::string_view data) { return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size()))); }

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

std::string LastError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

std::shared_ptr<EVP_PKEY> Wrap(EVP_PKEY* key) { return {key, EVP_PKEY_free}; }

}  // namespace custody::openssl
