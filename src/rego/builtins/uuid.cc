// Rego built-ins of OPA's "uuid" group: uuid.rfc4122 and uuid.parse.
//
// uuid.rfc4122(k) returns a random version 4 UUID, the same one for the same
// k throughout one evaluation (OPA caches it per argument). uuid.parse reads
// the four spellings github.com/google/uuid accepts and returns the object OPA
// builds from it: version and variant always, and for versions 1 and 2 the
// timestamp, clock sequence and node, plus id and domain for version 2.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

using Uuid = std::array<uint8_t, 16>;

constexpr char kHex[] = "0123456789abcdef";

int HexNibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool HexByte(char hi, char lo, uint8_t& out) {
  int h = HexNibble(hi), l = HexNibble(lo);
  if (h < 0 || l < 0) return false;
  out = static_cast<uint8_t>(h << 4 | l);
  return true;
}

bool EqualFoldAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// google/uuid's Parse: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", the same with
// an "urn:uuid:" prefix (any case), the same inside any two bracketing bytes
// (only the middle 36 are looked at), or 32 bare hex digits.
bool ParseUuid(std::string_view s, Uuid& u) {
  switch (s.size()) {
    case 36: break;
    case 36 + 9:
      if (!EqualFoldAscii(s.substr(0, 9), "urn:uuid:")) return false;
      s.remove_prefix(9);
      break;
    case 36 + 2: s = s.substr(1, 36); break;
    case 32:
      for (size_t i = 0; i < 16; ++i)
        if (!HexByte(s[2 * i], s[2 * i + 1], u[i])) return false;
      return true;
    default: return false;
  }
  if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return false;
  static constexpr int kOffsets[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
  for (size_t i = 0; i < 16; ++i)
    if (!HexByte(s[kOffsets[i]], s[kOffsets[i] + 1], u[i])) return false;
  return true;
}

std::string VariantName(uint8_t b) {
  if ((b & 0xc0) == 0x80) return "RFC4122";
  if ((b & 0xe0) == 0xc0) return "Microsoft";
  if ((b & 0xe0) == 0xe0) return "Future";
  return "Reserved";
}

std::string DomainName(uint8_t d) {
  switch (d) {
    case 0: return "Person";
    case 1: return "Group";
    case 2: return "Org";
    default: return "Domain" + std::to_string(d);
  }
}

// The local/global and unicast/multicast bits of the node's first byte.
std::string MacVariables(uint8_t b) {
  if ((b & 3) == 3) return "local:multicast";
  if (b & 1) return "global:multicast";
  if (b & 2) return "local:unicast";
  return "global:unicast";
}

// The 60-bit count of 100 ns intervals since 1582-10-15, as Unix nanoseconds.
// Go computes this in int64 and lets it wrap for timestamps past 2262; the
// arithmetic here is done unsigned so it wraps the same way without UB.
int64_t UuidTimeUnixNanos(const Uuid& u) {
  uint64_t t = uint64_t{u[0]} << 24 | uint64_t{u[1]} << 16 | uint64_t{u[2]} << 8 | u[3];
  t |= (uint64_t{u[4]} << 8 | u[5]) << 32;
  t |= ((uint64_t{u[6]} << 8 | u[7]) & 0xfff) << 48;
  constexpr int64_t kGregorianToUnix100ns = int64_t{(2440587 - 2299160)} * 86400 * 10000000;
  int64_t since_unix = static_cast<int64_t>(t) - kGregorianToUnix100ns;
  int64_t sec = since_unix / 10000000;  // truncates toward zero, as Go's / and %
  int64_t nsec = (since_unix % 10000000) * 100;
  return static_cast<int64_t>(static_cast<uint64_t>(sec) * 1000000000u + static_cast<uint64_t>(nsec));
}

Result<Value> UuidParse(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view text, StringArg("uuid.parse", args, 1));
  Uuid u{};
  if (!ParseUuid(text, u)) return Value();  // not a UUID: undefined, not an error
  int version = u[6] >> 4;
  ObjectEntries out;
  out.emplace_back(Value::String("version"), Value::Int(version));
  out.emplace_back(Value::String("variant"), Value::String(VariantName(u[8])));
  if (version == 1 || version == 2) {
    out.emplace_back(Value::String("time"), Value::Int(UuidTimeUnixNanos(u)));
    std::string node;
    for (int i = 10; i < 16; ++i) {
      if (i > 10) node += '-';
      node += kHex[u[i] >> 4];
      node += kHex[u[i] & 15];
    }
    out.emplace_back(Value::String("nodeid"), Value::String(std::move(node)));
    out.emplace_back(Value::String("macvariables"), Value::String(MacVariables(u[10])));
    out.emplace_back(Value::String("clocksequence"), Value::Int((u[8] << 8 | u[9]) & 0x3fff));
    if (version == 2) {
      uint32_t id = uint32_t{u[0]} << 24 | uint32_t{u[1]} << 16 | uint32_t{u[2]} << 8 | u[3];
      out.emplace_back(Value::String("id"), Value::Int(id));
      out.emplace_back(Value::String("domain"), Value::String(DomainName(u[9])));
    }
  }
  return Value::Object(std::move(out));
}

// Sixteen random bytes. With a non-zero evaluation seed they are derived from
// it (SHA-256 of the seed and the key), so a seeded evaluation is
// reproducible; otherwise they come from OpenSSL's CSPRNG.
bool RandomBytes(const BuiltinContext& ctx, std::string_view key, Uuid& out) {
  if (ctx.seed == 0) return RAND_bytes(out.data(), static_cast<int>(out.size())) == 1;
  std::string input = "uuid.rfc4122:";
  for (int i = 0; i < 8; ++i) input += static_cast<char>((ctx.seed >> (8 * i)) & 0xff);
  input += key;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(), nullptr) != 1 || len < 16)
    return false;
  std::copy(digest, digest + 16, out.begin());
  return true;
}

Result<Value> UuidRfc4122(std::span<const Value> args, BuiltinContext& ctx) {
  // OPA caches by the argument's hash and never type-checks it at run time,
  // so any value is a key; the Rego text tells a set from an array.
  std::string key = "uuid.rfc4122" + args[0].ToRego();
  if (auto it = ctx.memo.find(key); it != ctx.memo.end()) return it->second;
  Uuid u{};
  if (!RandomBytes(ctx, key, u)) return BuiltinError("uuid.rfc4122", "could not read random bytes");
  u[6] = static_cast<uint8_t>((u[6] & 0x0f) | 0x40);  // version 4
  u[8] = static_cast<uint8_t>((u[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string s;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += kHex[u[i] >> 4];
    s += kHex[u[i] & 15];
  }
  Value v = Value::String(std::move(s));
  ctx.memo.emplace(std::move(key), v);
  return v;
}

}  // namespace

void RegisterUuid(BuiltinTable& t) {
  t.Add({"uuid.rfc4122", 1, UuidRfc4122, /*nondeterministic=*/true});
  t.Add({"uuid.parse", 1, UuidParse});
}

}  // namespace custody::rego
