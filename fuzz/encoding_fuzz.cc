// Fuzzes the byte decoders (hex, base64), the UTF-8 check and the key parsers with arbitrary
// input; decoded data must encode back to an equivalent form.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/encoding.h"
#include "core/json.h"
#include "crypto/key.h"
#include "fuzz_check.h"

using custody::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  // Our UTF-8 check must agree with the JSON writer's, which throws on bad UTF-8.
  bool dumps = true;
  try {
    (void)custody::Json(std::string(text)).dump();
  } catch (const custody::Json::exception&) {
    dumps = false;
  }
  Check(custody::IsValidUtf8(text) == dumps);

  if (auto hex = custody::HexDecode(text); hex.ok()) {
    auto back = custody::HexDecode(custody::HexEncode(*hex));
    Check(back.ok() && *back == *hex);
  }
  if (auto b64 = custody::Base64Decode(text); b64.ok()) {
    auto back = custody::Base64Decode(custody::Base64Encode(*b64));
    Check(back.ok() && *back == *b64);
  }
  if (auto key = custody::PublicKey::FromPem(text, "fuzz.pub"); key.ok()) {
    auto back = custody::PublicKey::FromDer(key->ToDer(), "fuzz.der");
    Check(back.ok() && back->ToPem() == key->ToPem());
    Check(!key->Verify("message", text));
  }
  if (auto key = custody::PublicKey::FromDer(text, "fuzz.der"); key.ok()) {
    Check(custody::PublicKey::FromPem(key->ToPem(), "fuzz.pub").ok());
  }
  if (auto key = custody::PrivateKey::FromPem(text, "fuzz.key"); key.ok()) {
    auto sig = key->Sign("message");
    Check(sig.ok() && key->Public().Verify("message", *sig));
  }
  return 0;
}
