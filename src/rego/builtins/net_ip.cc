#include "rego/builtins/net_ip.h"

#include <cstring>

#include "rego/builtins/encoding_strconv.h"

namespace custody::rego::goip {
namespace {

constexpr uint8_t kV4InV6Prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool Fail(std::string* error, std::string_view in, std::string_view msg, std::string_view at = {}) {
  if (error != nullptr) {
    *error = "ParseAddr(" + GoQuote(in) + "): " + std::string(msg);
    if (!at.empty()) *error += " (at " + GoQuote(at) + ")";
  }
  return false;
}

// netip's parseIPv4Fields over in[off, end).
bool ParseIPv4Fields(std::string_view in, size_t off, size_t end, uint8_t* fields, std::string* error) {
  int val = 0, pos = 0, digits = 0;
  std::string_view s = in.substr(off, end - off);
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (digits == 1 && val == 0) return Fail(error, in, "IPv4 field has octet with leading zero");
      val = val * 10 + (c - '0');
      ++digits;
      if (val > 255) return Fail(error, in, "IPv4 field has value >255");
    } else if (c == '.') {
      if (i == 0 || i == s.size() - 1 || s[i - 1] == '.') {
        return Fail(error, in, "IPv4 field must have at least one digit", s.substr(i));
      }
      if (pos == 3) return Fail(error, in, "IPv4 address too long");
      fields[pos++] = static_cast<uint8_t>(val);
      val = 0;
      digits = 0;
    } else {
      return Fail(error, in, "unexpected character", s.substr(i));
    }
  }
  if (pos < 3) return Fail(error, in, "IPv4 address too short");
  fields[3] = static_cast<uint8_t>(val);
  return true;
}

bool ParseIPv6(std::string_view in, Addr* out, std::string* error) {
  std::string_view s = in;
  std::string_view zone;
  if (size_t pct = s.find('%'); pct != std::string_view::npos) {
    zone = s.substr(pct + 1);
    s = s.substr(0, pct);
    if (zone.empty()) return Fail(error, in, "zone must be a non-empty string");
  }
  uint8_t ip[16] = {};
  int ellipsis = -1;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    s = s.substr(2);
    if (s.empty()) {
      std::memcpy(out->bytes.data(), ip, 16);
      out->zone = std::string(zone);
      return true;
    }
  }
  int i = 0;
  while (i < 16) {
    size_t off = 0;
    uint32_t acc = 0;
    for (; off < s.size(); ++off) {
      char c = s[off];
      uint32_t d;
      if (c >= '0' && c <= '9') {
        d = static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        d = static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        d = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        break;
      }
      acc = (acc << 4) + d;
      if (off > 3) return Fail(error, in, "each group must have 4 or less digits", s);
      if (acc > 0xFFFF) return Fail(error, in, "IPv6 field has value >=2^16", s);
    }
    if (off == 0) return Fail(error, in, "each colon-separated field must have at least one digit", s);
    if (off < s.size() && s[off] == '.') {
      if (ellipsis < 0 && i != 12) {
        return Fail(error, in, "embedded IPv4 address must replace the final 2 fields of the address", s);
      }
      if (i + 4 > 16) {
        return Fail(error, in, "too many hex fields to fit an embedded IPv4 at the end of the address", s);
      }
      size_t end = in.size() - (zone.empty() ? 0 : zone.size() + 1);
      if (!ParseIPv4Fields(in, end - s.size(), end, ip + i, error)) return false;
      s = {};
      i += 4;
      break;
    }
    ip[i] = static_cast<uint8_t>(acc >> 8);
    ip[i + 1] = static_cast<uint8_t>(acc);
    i += 2;
    s = s.substr(off);
    if (s.empty()) break;
    if (s[0] != ':') return Fail(error, in, "unexpected character, want colon", s);
    if (s.size() == 1) return Fail(error, in, "colon must be followed by more characters", s);
    s = s.substr(1);
    if (s[0] == ':') {
      if (ellipsis >= 0) return Fail(error, in, "multiple :: in address", s);
      ellipsis = i;
      s = s.substr(1);
      if (s.empty()) break;
    }
  }
  if (!s.empty()) return Fail(error, in, "trailing garbage after address", s);
  if (i < 16) {
    if (ellipsis < 0) return Fail(error, in, "address string too short");
    int n = 16 - i;
    for (int j = i - 1; j >= ellipsis; --j) ip[j + n] = ip[j];
    std::memset(ip + ellipsis, 0, static_cast<size_t>(n));
  } else if (ellipsis >= 0) {
    return Fail(error, in, "the :: must expand to at least one field of zeros");
  }
  std::memcpy(out->bytes.data(), ip, 16);
  out->zone = std::string(zone);
  return true;
}

Bytes Make(const uint8_t* p, int len) {
  Bytes b;
  b.len = len;
  std::memcpy(b.b.data(), p, static_cast<size_t>(len));
  return b;
}

std::string Dotted(const uint8_t* p) {
  return std::to_string(p[0]) + "." + std::to_string(p[1]) + "." + std::to_string(p[2]) + "." +
         std::to_string(p[3]);
}

// netip's IPv6 text: lower-case hex, the first longest run of two or more
// zero groups as "::".
std::string String6(const uint8_t* p) {
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>(p[2 * i] << 8 | p[2 * i + 1]);
  int zero_start = -1, zero_len = 0;
  for (int i = 0; i < 8; ++i) {
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i >= 2 && j - i > zero_len) {
      zero_start = i;
      zero_len = j - i;
    }
  }
  std::string out;
  char buf[8];
  for (int i = 0; i < 8; ++i) {
    if (i == zero_start) {
      out += "::";
      i += zero_len - 1;
      continue;
    }
    if (i > 0 && !(zero_start >= 0 && i == zero_start + zero_len)) out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

// n.IP and n.Mask normalized to the same length, as Go's
// networkNumberAndMask; false when they do not fit.
bool NetworkNumberAndMask(const Net& n, IP* ip, Mask* m) {
  if (auto v4 = To4(n.ip)) {
    *ip = *v4;
  } else {
    *ip = n.ip;
    if (ip->len != 16) return false;
  }
  *m = n.mask;
  if (m->len == 4) {
    if (ip->len != 4) return false;
  } else if (m->len == 16) {
    if (ip->len == 4) *m = Make(n.mask.b.data() + 12, 4);
  } else {
    return false;
  }
  return true;
}

}  // namespace

bool Bytes::operator==(const Bytes& o) const {
  return len == o.len && std::memcmp(b.data(), o.b.data(), static_cast<size_t>(len)) == 0;
}

std::optional<Addr> ParseAddr(std::string_view s, std::string* error) {
  for (char c : s) {
    if (c == '.') {
      Addr a;
      std::memcpy(a.bytes.data(), kV4InV6Prefix, 12);
      if (!ParseIPv4Fields(s, 0, s.size(), a.bytes.data() + 12, error)) return std::nullopt;
      a.is4 = true;
      return a;
    }
    if (c == ':') {
      Addr a;
      if (!ParseIPv6(s, &a, error)) return std::nullopt;
      return a;
    }
    if (c == '%') {
      Fail(error, s, "missing IPv6 address");
      return std::nullopt;
    }
  }
  Fail(error, s, "unable to parse IP");
  return std::nullopt;
}

std::optional<IP> ParseIP(std::string_view s) {
  auto a = ParseAddr(s);
  if (!a || !a->zone.empty()) return std::nullopt;
  return Make(a->bytes.data(), 16);
}

std::optional<IP> To4(const IP& ip) {
  if (ip.len == 4) return ip;
  if (ip.len == 16 && std::memcmp(ip.b.data(), kV4InV6Prefix, 12) == 0) return Make(ip.b.data() + 12, 4);
  return std::nullopt;
}

IP To16(const IP& ip) {
  if (ip.len == 4) {
    uint8_t b[16];
    std::memcpy(b, kV4InV6Prefix, 12);
    std::memcpy(b + 12, ip.b.data(), 4);
    return Make(b, 16);
  }
  return ip;
}

IP MaskIP(const IP& ip_in, const Mask& mask) {
  IP ip = ip_in;
  if (mask.len == 16 && ip.len == 4) {
    bool all_ff = true;
    for (int i = 0; i < 12; ++i)
      if (mask.b[i] != 0xff) all_ff = false;
    if (all_ff) {
      Mask m4 = Make(mask.b.data() + 12, 4);
      return MaskIP(ip, m4);
    }
  }
  if (mask.len == 4 && ip.len == 16 && std::memcmp(ip.b.data(), kV4InV6Prefix, 12) == 0) {
    ip = Make(ip.b.data() + 12, 4);
  }
  if (ip.len != mask.len) return IP{};
  IP out;
  out.len = ip.len;
  for (int i = 0; i < ip.len; ++i) out.b[i] = ip.b[i] & mask.b[i];
  return out;
}

Mask DefaultMask(const IP& ip) {
  auto v4 = To4(ip);
  if (!v4) return Mask{};
  if (v4->b[0] < 0x80) return CIDRMask(8, 32);
  if (v4->b[0] < 0xC0) return CIDRMask(16, 32);
  return CIDRMask(24, 32);
}

Mask CIDRMask(int ones, int bits) {
  if ((bits != 32 && bits != 128) || ones < 0 || ones > bits) return Mask{};
  Mask m;
  m.len = bits / 8;
  for (int i = 0; i < m.len; ++i) {
    if (ones >= 8) {
      m.b[i] = 0xff;
      ones -= 8;
    } else {
      m.b[i] = static_cast<uint8_t>(~(0xff >> ones));
      ones = 0;
    }
  }
  return m;
}

std::pair<int, int> MaskSize(const Mask& mask) {
  int ones = 0;
  int i = 0;
  for (; i < mask.len && mask.b[i] == 0xff; ++i) ones += 8;
  if (i < mask.len) {
    uint8_t v = mask.b[i];
    while (v & 0x80) {
      ++ones;
      v = static_cast<uint8_t>(v << 1);
    }
    if (v != 0) return {0, 0};
    for (++i; i < mask.len; ++i)
      if (mask.b[i] != 0) return {0, 0};
  }
  return {ones, mask.len * 8};
}

std::string IPString(const IP& ip) {
  if (ip.len == 0) return "<nil>";
  if (auto v4 = To4(ip)) return Dotted(v4->b.data());
  if (ip.len != 16) {
    std::string out = "?";
    char buf[4];
    for (int i = 0; i < ip.len; ++i) {
      std::snprintf(buf, sizeof buf, "%02x", ip.b[i]);
      out += buf;
    }
    return out;
  }
  return String6(ip.b.data());
}

bool ParseCIDR(std::string_view s, IP* ip, Net* net, std::string* error) {
  auto fail = [&] {
    if (error != nullptr) *error = "invalid CIDR address: " + std::string(s);
    return false;
  };
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return fail();
  auto addr = ParseAddr(s.substr(0, slash));
  if (!addr || !addr->zone.empty()) return fail();
  std::string_view mask = s.substr(slash + 1);
  // Go's dtoi: decimal digits (leading zeros allowed), at least one.
  int n = 0;
  size_t i = 0;
  for (; i < mask.size() && mask[i] >= '0' && mask[i] <= '9'; ++i) {
    n = n * 10 + (mask[i] - '0');
    if (n >= 0xFFFFFF) return fail();
  }
  int bits = addr->is4 ? 32 : 128;
  if (i == 0 || i != mask.size() || n > bits) return fail();
  Mask m = CIDRMask(n, bits);
  IP full = Make(addr->bytes.data(), 16);
  if (ip != nullptr) *ip = full;
  if (net != nullptr) *net = Net{MaskIP(full, m), m};
  return true;
}

bool Contains(const Net& n, const IP& ip_in) {
  IP nn;
  Mask m;
  if (!NetworkNumberAndMask(n, &nn, &m)) return false;
  IP ip = ip_in;
  if (auto v4 = To4(ip)) ip = *v4;
  if (ip.len != nn.len) return false;
  for (int i = 0; i < ip.len; ++i)
    if ((nn.b[i] & m.b[i]) != (ip.b[i] & m.b[i])) return false;
  return true;
}

std::string NetString(const Net& n) {
  IP nn;
  Mask m;
  if (!NetworkNumberAndMask(n, &nn, &m)) return "<nil>";
  auto [ones, bits] = MaskSize(m);
  // Go's simpleMaskLength refuses non-canonical masks and prints them in hex.
  bool canonical = bits != 0 || m.len == 0;
  if (!canonical) {
    std::string hex;
    char buf[4];
    for (int i = 0; i < m.len; ++i) {
      std::snprintf(buf, sizeof buf, "%02x", m.b[i]);
      hex += buf;
    }
    return IPString(nn) + "/" + hex;
  }
  return IPString(nn) + "/" + std::to_string(ones);
}

}  // namespace custody::rego::goip
