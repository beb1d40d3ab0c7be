// The "net" built-ins: CIDR arithmetic (net.cidr_*) and net.lookup_ip_addr.
// Addresses parse and print as Go's net package does (net_ip.h), since OPA's
// answers are Go's.
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "rego/builtins.h"
#include "rego/builtins/net_ip.h"

namespace custody::rego {
namespace {

using goip::IP;
using goip::Net;

// net.cidr_expand refuses networks larger than this many addresses: every
// address becomes a string in a set, so a /8 (16.7 million) or an IPv6 /64
// would exhaust memory. OPA itself expands until the query times out.
constexpr int kMaxExpandBits = 16;

constexpr std::string_view kNetworkDisabled =
    "network access is disabled (run with --allow-net to permit it)";

// OPA reads CIDR operands with StringOperand(v, 1) whichever operand they are,
// so type errors always name operand 1.
Result<Net> NetOperand(std::string_view name, const Value& v) {
  if (!v.is_string()) return OperandTypeError(name, 1, v, "string");
  Net net;
  std::string error;
  if (!goip::ParseCIDR(v.as_string(), nullptr, &net, &error)) return BuiltinError(name, error);
  return net;
}

// The last address of a network: its address with every host bit set.
IP LastIP(const Net& n) {
  IP last = n.ip;
  auto [ones, bits] = goip::MaskSize(n.mask);
  if (ones == bits) return last;
  int len = bits / 8;
  // Go packs the big-endian number into bits/8 bytes.
  IP out;
  out.len = len;
  for (int i = 0; i < len; ++i) {
    int src = last.len - len + i;
    uint8_t byte = src >= 0 ? last.b[src] : 0;
    uint8_t host = static_cast<uint8_t>(~n.mask.b[i]);
    out.b[i] = byte | host;
  }
  return out;
}

// net.cidr_contains(cidr, cidr_or_ip).
Result<Value> Contains(std::string_view name, const Value& a, const Value& b) {
  CUSTODY_ASSIGN_OR_RETURN(Net net_a, NetOperand(name, a));
  if (!b.is_string()) return OperandTypeError(name, 1, b, "string");
  if (auto ip = goip::ParseIP(b.as_string())) return Value::Bool(goip::Contains(net_a, *ip));
  Net net_b;
  if (!goip::ParseCIDR(b.as_string(), nullptr, &net_b, nullptr)) {
    return BuiltinError(name,
                        "not a valid textual representation of an IP address or CIDR: " + b.as_string());
  }
  // A contains B when it contains B's first and last addresses.
  bool contained = goip::Contains(net_a, net_b.ip) && goip::Contains(net_a, LastIP(net_b));
  return Value::Bool(contained);
}

Result<Value> NetCidrContains(std::span<const Value> args, BuiltinContext&) {
  return Contains("net.cidr_contains", args[0], args[1]);
}

Result<Value> NetCidrOverlap(std::span<const Value> args, BuiltinContext&) {
  return Contains("net.cidr_overlap", args[0], args[1]);
}

Result<Value> NetCidrIntersects(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "net.cidr_intersects";
  CUSTODY_ASSIGN_OR_RETURN(Net a, NetOperand(kName, args[0]));
  CUSTODY_ASSIGN_OR_RETURN(Net b, NetOperand(kName, args[1]));
  return Value::Bool(goip::Contains(a, b.ip) || goip::Contains(b, a.ip));
}

Result<Value> NetCidrIsValid(std::span<const Value> args, BuiltinContext&) {
  if (!args[0].is_string()) return Value::Bool(false);
  return Value::Bool(goip::ParseCIDR(args[0].as_string(), nullptr, nullptr, nullptr));
}

Result<Value> NetCidrExpand(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "net.cidr_expand";
  if (!args[0].is_string()) return OperandTypeError(kName, 1, args[0], "string");
  IP ip;
  Net net;
  std::string error;
  if (!goip::ParseCIDR(args[0].as_string(), &ip, &net, &error)) return BuiltinError(kName, error);
  auto [ones, bits] = goip::MaskSize(net.mask);
  if (bits - ones > kMaxExpandBits) {
    return BuiltinError(kName, args[0].as_string() + " has 2^" + std::to_string(bits - ones) +
                                   " addresses; at most 2^" + std::to_string(kMaxExpandBits) +
                                   " are expanded");
  }
  ValueVector out;
  out.reserve(size_t{1} << (bits - ones));
  // From the first address upwards while still inside the network (an
  // increment past the last address leaves it, or wraps to a smaller one).
  IP cur = goip::MaskIP(ip, net.mask);
  size_t limit = size_t{1} << (bits - ones);
  for (size_t n = 0; n < limit && goip::Contains(net, cur); ++n) {
    out.push_back(Value::String(goip::IPString(cur)));
    for (int j = cur.len - 1; j >= 0; --j)
      if (++cur.b[j] != 0) break;
  }
  return Value::Set(std::move(out));
}

// One element of a net.cidr_contains_matches operand: a CIDR string, or a
// non-empty array whose first element is one.
Result<const Value*> MatchTerm(const Value& v, int operand) {
  if (v.is_string()) return &v;
  if (v.is_array() && !v.array().empty()) return &v.array()[0];
  return BuiltinError("net.cidr_contains_matches",
                      "operand " + std::to_string(operand) + ": element must be string or non-empty array");
}

// Calls `fn(cidr, index)` for each element of an operand, in OPA's order.
template <typename Fn>
Result<bool> ForEachMatch(const Value& v, int operand, Fn&& fn) {
  auto visit = [&](const Value& element, const Value& index) -> Result<bool> {
    CUSTODY_ASSIGN_OR_RETURN(const Value* cidr, MatchTerm(element, operand));
    return fn(*cidr, index);
  };
  switch (v.kind()) {
    case Kind::kString: return fn(v, v);
    case Kind::kArray:
      for (size_t i = 0; i < v.array().size(); ++i) {
        CUSTODY_ASSIGN_OR_RETURN(bool ok, visit(v.array()[i], Value::Int(static_cast<int64_t>(i))));
        (void)ok;
      }
      return true;
    case Kind::kSet:
      for (const Value& x : v.set()) {
        CUSTODY_ASSIGN_OR_RETURN(bool ok, visit(x, x));
        (void)ok;
      }
      return true;
    case Kind::kObject:
      for (const auto& [k, x] : v.object()) {
        CUSTODY_ASSIGN_OR_RETURN(bool ok, visit(x, k));
        (void)ok;
      }
      return true;
    default: return true;  // OPA yields the empty set (the type checker refuses these)
  }
}

Result<Value> NetCidrContainsMatches(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "net.cidr_contains_matches";
  ValueVector out;
  auto outer = ForEachMatch(args[0], 1, [&](const Value& cidr1, const Value& index1) -> Result<bool> {
    return ForEachMatch(args[1], 2, [&](const Value& cidr2, const Value& index2) -> Result<bool> {
      CUSTODY_ASSIGN_OR_RETURN(Value contained, Contains(kName, cidr1, cidr2));
      if (contained.is_true()) out.push_back(Value::Array({index1, index2}));
      return true;
    });
  });
  if (!outer.ok()) return outer.error();
  return Value::Set(std::move(out));
}

// ---- net.cidr_merge ----

// Addresses as 128-bit numbers, IPv4 in the IPv4-mapped range, which is how
// OPA orders and merges them (so an IPv6 network covering ::ffff:0:0/96
// absorbs IPv4 networks).
__extension__ typedef unsigned __int128 U128;  // GCC and Clang have it; -Wpedantic is told so

U128 ToU128(const IP& ip) {
  IP full = goip::To16(ip);
  U128 v = 0;
  for (int i = 0; i < 16; ++i) v = (v << 8) | full.b[i];
  return v;
}

IP FromU128(U128 v, bool v4) {
  IP ip;
  ip.len = v4 ? 4 : 16;
  for (int i = ip.len - 1; i >= 0; --i) {
    ip.b[i] = static_cast<uint8_t>(v & 0xff);
    v >>= 8;
  }
  return ip;
}

constexpr U128 kV4Base = static_cast<U128>(0xffff) << 32;

struct Range {
  U128 first, last;
  std::optional<Net> network;  // set while the range is one input network, unmerged
};

// OPA's GetAddressRange: the network's address masked, and with every host
// bit set.
Range RangeOf(const Net& n) {
  IP first = goip::MaskIP(n.ip, n.mask);
  Range r;
  r.first = ToU128(first);
  U128 host = 0;
  for (int i = 0; i < n.mask.len; ++i) host = (host << 8) | static_cast<uint8_t>(~n.mask.b[i]);
  r.last = r.first | host;
  r.network = n;
  return r;
}

// OPA's GetPreviousIP: one less, except at 0.0.0.0 and ::.
U128 Previous(U128 v) { return v == 0 || v == kV4Base ? v : v - 1; }

// The fewest networks covering [first, last]: from the low end, each time the
// largest aligned block that does not pass the high end.
void AppendCidrs(U128 first, U128 last, ValueVector& out) {
  bool v4 = first >= kV4Base && last <= (kV4Base | 0xffffffffu);
  int bits = v4 ? 32 : 128;
  U128 lo = v4 ? first - kV4Base : first;
  U128 hi = v4 ? last - kV4Base : last;
  if (!v4 && lo == 0 && hi == ~static_cast<U128>(0)) {
    out.push_back(Value::String(goip::NetString(Net{FromU128(0, false), goip::CIDRMask(0, 128)})));
    return;
  }
  while (true) {
    int k = 0;  // the block holds 2^k addresses
    while (k + 1 <= bits && k + 1 < 128) {
      U128 size = static_cast<U128>(1) << (k + 1);
      if ((lo & (size - 1)) != 0 || lo + (size - 1) > hi) break;
      ++k;
    }
    out.push_back(Value::String(goip::NetString(Net{FromU128(lo, v4), goip::CIDRMask(bits - k, bits)})));
    U128 end = lo + ((static_cast<U128>(1) << k) - 1);
    if (end >= hi) break;
    lo = end + 1;
  }
}

// Parses one element: a CIDR, or an IPv4 address with its classful mask.
Result<Net> MergeElement(const Value& v) {
  constexpr std::string_view kName = "net.cidr_merge";
  if (!v.is_string()) return BuiltinError(kName, "element must be string");
  if (auto ip = goip::ParseIP(v.as_string())) {
    // OPA keeps the address unmasked, so an unmerged one prints as written
    // ("10.1.2.3/8").
    if (goip::To4(*ip)) return Net{*ip, goip::DefaultMask(*ip)};
    return BuiltinError(kName, "IPv6 invalid: needs prefix length");
  }
  Net net;
  std::string error;
  if (!goip::ParseCIDR(v.as_string(), nullptr, &net, &error)) return BuiltinError(kName, error);
  return net;
}

Result<Value> NetCidrMerge(std::span<const Value> args, BuiltinContext&) {
  const Value& v = args[0];
  if (!v.is_array() && !v.is_set()) return BuiltinError("net.cidr_merge", "operand must be an array");
  std::vector<Range> ranges;
  for (const Value& element : v.is_array() ? v.array() : v.set()) {
    CUSTODY_ASSIGN_OR_RETURN(Net net, MergeElement(element));
    ranges.push_back(RangeOf(net));
  }
  std::stable_sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) {
    return a.last != b.last ? a.last < b.last : a.first < b.first;
  });
  // Merge from the end, as OPA does: a range joins the one before it when it
  // starts no later than one past that one's end.
  for (size_t i = ranges.size(); i-- > 1;) {
    if (Previous(ranges[i].first) <= ranges[i - 1].last) {
      Range merged{std::min(ranges[i - 1].first, ranges[i].first), ranges[i].last, std::nullopt};
      ranges[i - 1] = merged;
      ranges.erase(ranges.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  ValueVector out;
  for (const Range& r : ranges) {
    if (r.network) {
      out.push_back(Value::String(goip::NetString(*r.network)));
    } else {
      AppendCidrs(r.first, r.last, out);
    }
  }
  return Value::Set(std::move(out));
}

// ---- net.lookup_ip_addr ----

std::string SockaddrText(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    IP ip;
    ip.len = 4;
    std::memcpy(ip.b.data(), &in->sin_addr, 4);
    return goip::IPString(ip);
  }
  const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
  IP ip;
  ip.len = 16;
  std::memcpy(ip.b.data(), &in6->sin6_addr, 16);
  std::string text = goip::IPString(ip);
  if (in6->sin6_scope_id != 0) {
    char name[IF_NAMESIZE] = {};
    if (if_indextoname(in6->sin6_scope_id, name) != nullptr) {
      text += "%" + std::string(name);
    } else {
      text += "%" + std::to_string(in6->sin6_scope_id);
    }
  }
  return text;
}

Result<Value> NetLookupIpAddr(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "net.lookup_ip_addr";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view name, StringArg(kName, args, 1));
  // An address needs no lookup: Go's resolver returns it as it is.
  std::string parse_error;
  if (auto addr = goip::ParseAddr(name, &parse_error)) {
    std::string text = goip::IPString(goip::IP{addr->bytes, 16});
    if (!addr->zone.empty()) text += "%" + addr->zone;
    return Value::Set({Value::String(text)});
  }
  // RFC 6761 section 6.3: localhost names are the loopback addresses, answered
  // without asking anyone.
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "localhost" || lower == "localhost." ||
      (lower.size() > 10 && (lower.ends_with(".localhost") || lower.ends_with(".localhost.")))) {
    return Value::Set({Value::String("127.0.0.1"), Value::String("::1")});
  }
  if (!ctx.allow_network) return BuiltinError(kName, kNetworkDisabled);

  std::string key = std::string(kName) + Value::String(name).ToJson();
  if (auto it = ctx.memo.find(key); it != ctx.memo.end()) return it->second;
  if (name.empty() || name.find('\0') != std::string_view::npos) {
    return BuiltinError(kName, "lookup " + std::string(name) + ": no such host");
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;  // one entry per address
  addrinfo* res = nullptr;
  std::string host(name);
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &res);
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(res, freeaddrinfo);
  if (rc != 0) {
    std::string why = rc == EAI_NONAME || rc == EAI_NODATA ? "no such host" : gai_strerror(rc);
    return BuiltinError(kName, "lookup " + host + ": " + why);
  }
  ValueVector out;
  for (addrinfo* p = res; p != nullptr; p = p->ai_next) {
    if (p->ai_family == AF_INET || p->ai_family == AF_INET6)
      out.push_back(Value::String(SockaddrText(p->ai_addr)));
  }
  Value result = Value::Set(std::move(out));
  ctx.memo[key] = result;
  return result;
}

}  // namespace

void RegisterNet(BuiltinTable& t) {
  t.Add({"net.cidr_contains", 2, NetCidrContains});
  t.Add({"net.cidr_contains_matches", 2, NetCidrContainsMatches});
  t.Add({"net.cidr_expand", 1, NetCidrExpand});
  t.Add({"net.cidr_intersects", 2, NetCidrIntersects});
  t.Add({"net.cidr_is_valid", 1, NetCidrIsValid});
  t.Add({"net.cidr_merge", 1, NetCidrMerge});
  t.Add({"net.cidr_overlap", 2, NetCidrOverlap});  // deprecated alias of net.cidr_contains
  t.Add({"net.lookup_ip_addr", 1, NetLookupIpAddr, /*nondeterministic=*/true});
}

}  // namespace custody::rego
