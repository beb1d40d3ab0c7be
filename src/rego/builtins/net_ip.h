// IP addresses and networks as Go's net and net/netip packages see them, for
// the net.* built-ins and uri.parse: OPA's answers follow Go's parsing (no
// leading zeros in IPv4 fields, zones only where netip allows them) and Go's
// quirks (an IPv4-mapped IPv6 network matches IPv4 addresses, a network prints
// its address unmasked). Pure functions; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace custody::rego::goip {

// netip.Addr: 16 bytes, IPv4 in the IPv4-mapped form.
struct Addr {
  std::array<uint8_t, 16> bytes{};
  bool is4 = false;
  std::string zone;  // IPv6 only
};

// netip.ParseAddr. On failure returns nullopt and sets `error` to Go's text,
// e.g. `ParseAddr("1.2.3"): IPv4 address too short`.
std::optional<Addr> ParseAddr(std::string_view s, std::string* error = nullptr);

// net.IP and net.IPMask: 4 or 16 bytes (length 0 for nil).
struct Bytes {
  std::array<uint8_t, 16> b{};
  int len = 0;
  bool operator==(const Bytes& o) const;
};
using IP = Bytes;
using Mask = Bytes;

// net.ParseIP: the 16-byte form, or nullopt (zones are refused).
std::optional<IP> ParseIP(std::string_view s);
// ip.To4(): 4 bytes for IPv4 and IPv4-mapped addresses, else nullopt.
std::optional<IP> To4(const IP& ip);
// ip.To16().
IP To16(const IP& ip);
// ip.Mask(mask); nil (len 0) when the lengths do not fit.
IP MaskIP(const IP& ip, const Mask& mask);
// ip.DefaultMask(): the classful mask of an IPv4 address (4 bytes), nil for IPv6.
Mask DefaultMask(const IP& ip);
// net.CIDRMask(ones, bits).
Mask CIDRMask(int ones, int bits);
// mask.Size(): (ones, bits), or (0, 0) for a non-canonical mask.
std::pair<int, int> MaskSize(const Mask& mask);
// ip.String(): dotted for IPv4 (and IPv4-mapped), RFC 5952 for IPv6.
std::string IPString(const IP& ip);

// net.IPNet.
struct Net {
  IP ip;
  Mask mask;
};
// net.ParseCIDR: the address as written (16 bytes) and the network. On
// failure sets `error` to Go's "invalid CIDR address: S".
bool ParseCIDR(std::string_view s, IP* ip, Net* net, std::string* error);
// n.Contains(ip).
bool Contains(const Net& n, const IP& ip);
// n.String().
std::string NetString(const Net& n);

}  // namespace custody::rego::goip
