// Byte encodings: hexadecimal and base64 (standard and URL-safe alphabets).
// Pure functions; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace custody {

// Lower-case hex of the bytes in `data`.
std::string HexEncode(std::string_view data);
// Accepts upper or lower case; fails on odd length or a non-hex character.
Result<std::string> HexDecode(std::string_view hex);

// Standard alphabet with padding (RFC 4648 section 4).
std::string Base64Encode(std::string_view data);
// Accepts the standard and URL-safe alphabets, with or without padding, and
// ignores no characters: whitespace or stray symbols are an error.
Result<std::string> Base64Decode(std::string_view text);

// True if `text` is well-formed UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF), which is what JSON strings require.
bool IsValidUtf8(std::string_view text);

}  // namespace custody
