#include "rego/builtins/encoding_url.h"

#include <algorithm>

#include "rego/builtins/encoding_strconv.h"
#include "rego/builtins/net_ip.h"

namespace custody::rego::gourl {
namespace {

enum class Mode { kPath, kPathSegment, kHost, kZone, kUserPassword, kQueryComponent, kFragment };

// Go limits ParseQuery to this many parameters (GODEBUG urlmaxqueryparams).
constexpr size_t kMaxQueryParams = 10000;

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

unsigned char Unhex(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned char>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned char>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<unsigned char>(c - 'A' + 10);
  return 0;
}

bool IsAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool OneOf(unsigned char c, std::string_view set) {
  return c != 0 && set.find(static_cast<char>(c)) != set.npos;
}

// Go's shouldEscape.
bool ShouldEscape(unsigned char c, Mode mode) {
  if (IsAlnum(c)) return false;
  // Hosts keep RFC 3986's sub-delims, ':' and '[' ']' for the port and IPv6,
  // and < > " (which Parse would refuse escaped).
  if ((mode == Mode::kHost || mode == Mode::kZone) && OneOf(c, "!$&'()*+,;=:[]<>\"")) return false;
  if (OneOf(c, "-_.~")) return false;  // unreserved
  if (OneOf(c, "$&+,/:;=?@")) {        // reserved: each part of a URL allows some unescaped
    switch (mode) {
      case Mode::kPath: return c == '?';
      case Mode::kPathSegment: return c == '/' || c == ';' || c == ',' || c == '?';
      case Mode::kUserPassword: return c == '@' || c == '/' || c == '?' || c == ':';
      case Mode::kQueryComponent: return true;
      case Mode::kFragment: return false;
      default: break;
    }
  }
  if (mode == Mode::kFragment && OneOf(c, "!()*")) return false;
  return true;
}

std::string EscapeError(std::string_view s) { return "invalid URL escape " + GoQuote(s); }

// Go's unescape.
bool Unescape(std::string_view s, Mode mode, std::string* out, std::string* error) {
  size_t n = 0;
  bool has_plus = false;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      ++n;
      if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2])) {
        *error = EscapeError(s.substr(i, 3));
        return false;
      }
      // In a host, %-escapes may only encode non-ASCII bytes, or "%25" for
      // the percent of an IPv6 zone (RFC 3986 3.2.2, RFC 6874).
      if (mode == Mode::kHost && Unhex(s[i + 1]) < 8 && s.substr(i, 3) != "%25") {
        *error = EscapeError(s.substr(i, 3));
        return false;
      }
      if (mode == Mode::kZone) {
        unsigned char v = static_cast<unsigned char>(Unhex(s[i + 1]) << 4 | Unhex(s[i + 2]));
        if (s.substr(i, 3) != "%25" && v != ' ' && ShouldEscape(v, Mode::kHost)) {
          *error = EscapeError(s.substr(i, 3));
          return false;
        }
      }
      i += 3;
    } else if (c == '+') {
      has_plus = mode == Mode::kQueryComponent;
      ++i;
    } else {
      if ((mode == Mode::kHost || mode == Mode::kZone) && c < 0x80 && ShouldEscape(c, mode)) {
        *error = "invalid character " + GoQuote(s.substr(i, 1)) + " in host name";
        return false;
      }
      ++i;
    }
  }
  if (n == 0 && !has_plus) {
    *out = std::string(s);
    return true;
  }
  std::string t;
  t.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      t.push_back(static_cast<char>(Unhex(s[i + 1]) << 4 | Unhex(s[i + 2])));
      i += 2;
    } else if (s[i] == '+') {
      t.push_back(mode == Mode::kQueryComponent ? ' ' : '+');
    } else {
      t.push_back(s[i]);
    }
  }
  *out = std::move(t);
  return true;
}

std::string Escape(std::string_view s, Mode mode) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c == ' ' && mode == Mode::kQueryComponent) {
      out.push_back('+');
    } else if (ShouldEscape(c, mode)) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// Go's validEncoded.
bool ValidEncoded(std::string_view s, Mode mode) {
  for (unsigned char c : s)
    if (!OneOf(c, "!$&'()*+,;=:@[]%") && ShouldEscape(c, mode)) return false;
  return true;
}

// Go's validOptionalPort: "" or ':' followed by ASCII digits only.
bool ValidOptionalPort(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  for (unsigned char c : port.substr(1))
    if (c < '0' || c > '9') return false;
  return true;
}

// Go's validUserinfo (RFC 3986 userinfo characters, plus '%' and '@').
bool ValidUserinfo(std::string_view s) {
  for (unsigned char c : s)
    if (!IsAlnum(c) && !OneOf(c, "-._:~!$&'()*+,;=%@")) return false;
  return true;
}

bool ParseHost(std::string_view host, std::string* out, std::string* error) {
  auto invalid_port = [&](std::string_view p) {
    *error = "invalid port " + GoQuote(p) + " after host";
    return false;
  };
  size_t open = host.rfind('[');
  if (open != std::string_view::npos) {
    // An IP-literal must start the host (Go 1.26, CVE-2026-25679).
    if (open > 0) {
      *error = "invalid IP-literal";
      return false;
    }
    size_t close = host.rfind(']');
    if (close == std::string_view::npos) {
      *error = "missing ']' in host";
      return false;
    }
    std::string_view colon_port = host.substr(close + 1);
    if (!ValidOptionalPort(colon_port)) return invalid_port(colon_port);
    std::string port;
    if (!Unescape(colon_port, Mode::kHost, &port, error)) return false;
    std::string_view name = host.substr(1, close - 1);
    std::string unescaped;
    size_t zone = name.find("%25");
    if (zone != std::string_view::npos) {
      std::string head, tail;
      if (!Unescape(name.substr(0, zone), Mode::kHost, &head, error)) return false;
      if (!Unescape(name.substr(zone), Mode::kZone, &tail, error)) return false;
      unescaped = head + tail;
    } else if (!Unescape(name, Mode::kHost, &unescaped, error)) {
      return false;
    }
    std::string addr_error;
    auto addr = goip::ParseAddr(unescaped, &addr_error);
    if (!addr) {
      *error = "invalid host: " + addr_error;
      return false;
    }
    if (addr->is4) {
      *error = "invalid IP-literal";
      return false;
    }
    *out = "[" + unescaped + "]" + port;
    return true;
  }
  // Outside brackets the first colon starts the port (Go 1.26's
  // urlstrictcolons): "a:1:2" is refused rather than read as host "a:1".
  if (size_t colon = host.find(':'); colon != std::string_view::npos) {
    if (!ValidOptionalPort(host.substr(colon))) return invalid_port(host.substr(colon));
  }
  return Unescape(host, Mode::kHost, out, error);
}

bool ParseAuthority(std::string_view authority, Url* u, std::string* error) {
  size_t at = authority.rfind('@');
  std::string_view host_part = at == std::string_view::npos ? authority : authority.substr(at + 1);
  if (!ParseHost(host_part, &u->host, error)) return false;
  if (at == std::string_view::npos) return true;
  std::string_view userinfo = authority.substr(0, at);
  if (!ValidUserinfo(userinfo)) {
    *error = "net/url: invalid userinfo";
    return false;
  }
  u->has_user = true;
  size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) return Unescape(userinfo, Mode::kUserPassword, &u->username, error);
  u->has_password = true;
  return Unescape(userinfo.substr(0, colon), Mode::kUserPassword, &u->username, error) &&
         Unescape(userinfo.substr(colon + 1), Mode::kUserPassword, &u->password, error);
}

// Go's parse(rawURL, viaRequest=false), without the fragment.
bool ParseNoFragment(std::string_view raw, Url* u, std::string* error) {
  for (unsigned char c : raw) {
    if (c < ' ' || c == 0x7f) {
      *error = "net/url: invalid control character in URL";
      return false;
    }
  }
  if (raw == "*") {
    u->path = "*";
    return true;
  }
  // getScheme: [a-zA-Z][a-zA-Z0-9+-.]* before a colon.
  std::string_view rest = raw;
  for (size_t i = 0; i < raw.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) {
        *error = "missing protocol scheme";
        return false;
      }
      u->scheme = std::string(raw.substr(0, i));
      rest = raw.substr(i + 1);
    }
    break;
  }
  std::transform(u->scheme.begin(), u->scheme.end(), u->scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });

  if (!rest.empty() && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
    u->force_query = true;
    rest.remove_suffix(1);
  } else if (size_t q = rest.find('?'); q != std::string_view::npos) {
    u->raw_query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }

  if (rest.empty() || rest[0] != '/') {
    if (!u->scheme.empty()) {
      u->opaque = std::string(rest);  // rootless paths are opaque
      return true;
    }
    // RFC 3986 3.3: in a relative reference the first segment has no colon.
    std::string_view segment = rest.substr(0, rest.find('/'));
    if (segment.find(':') != std::string_view::npos) {
      *error = "first path segment in URL cannot contain colon";
      return false;
    }
  }
  if ((!u->scheme.empty() || rest.substr(0, 3) != "///") && rest.substr(0, 2) == "//") {
    std::string_view authority = rest.substr(2);
    rest = {};
    if (size_t slash = authority.find('/'); slash != std::string_view::npos) {
      rest = authority.substr(slash);
      authority = authority.substr(0, slash);
    }
    if (!ParseAuthority(authority, u, error)) return false;
  }
  // setPath: RawPath only when the default encoding of Path differs.
  if (!Unescape(rest, Mode::kPath, &u->path, error)) return false;
  if (Escape(u->path, Mode::kPath) != rest) u->raw_path = std::string(rest);
  return true;
}

// Go's splitHostPort over u.Host.
std::pair<std::string, std::string> SplitHostPort(std::string_view host_port) {
  std::string_view host = host_port, port;
  size_t colon = host.rfind(':');
  if (colon != std::string_view::npos && ValidOptionalPort(host.substr(colon))) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return {std::string(host), std::string(port)};
}

}  // namespace

std::string QueryEscape(std::string_view s) { return Escape(s, Mode::kQueryComponent); }

bool QueryUnescape(std::string_view s, std::string* out, std::string* error) {
  return Unescape(s, Mode::kQueryComponent, out, error);
}

bool ParseQuery(std::string_view query, Values* out, std::string* error) {
  if (static_cast<size_t>(std::count(query.begin(), query.end(), '&')) + 1 > kMaxQueryParams) {
    *error = "number of URL query parameters exceeded limit";
    return false;
  }
  std::string first_error;
  while (!query.empty()) {
    std::string_view key = query;
    size_t amp = query.find('&');
    if (amp != std::string_view::npos) {
      key = query.substr(0, amp);
      query = query.substr(amp + 1);
    } else {
      query = {};
    }
    if (key.find(';') != std::string_view::npos) {
      first_error = "invalid semicolon separator in query";
      continue;
    }
    if (key.empty()) continue;
    std::string_view value;
    if (size_t eq = key.find('='); eq != std::string_view::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    }
    std::string k, v, e;
    if (!Unescape(key, Mode::kQueryComponent, &k, &e) || !Unescape(value, Mode::kQueryComponent, &v, &e)) {
      if (first_error.empty()) first_error = e;
      continue;
    }
    (*out)[k].push_back(std::move(v));
  }
  if (!first_error.empty()) {
    *error = first_error;
    return false;
  }
  return true;
}

std::string EncodeValues(const Values& values) {
  std::string out;
  for (const auto& [key, list] : values) {
    std::string k = QueryEscape(key);
    for (const std::string& v : list) {
      if (!out.empty()) out.push_back('&');
      out += k;
      out.push_back('=');
      out += QueryEscape(v);
    }
  }
  return out;
}

bool Parse(std::string_view raw, Url* url, std::string* error) {
  *url = Url{};
  std::string_view u = raw, frag;
  bool has_frag = false;
  if (size_t hash = raw.find('#'); hash != std::string_view::npos) {
    u = raw.substr(0, hash);
    frag = raw.substr(hash + 1);
    has_frag = true;
  }
  std::string why;
  if (!ParseNoFragment(u, url, &why)) {
    *error = "parse " + GoQuote(u) + ": " + why;
    return false;
  }
  if (!has_frag || frag.empty()) return true;
  if (!Unescape(frag, Mode::kFragment, &url->fragment, &why)) {
    *error = "parse " + GoQuote(raw) + ": " + why;
    return false;
  }
  if (Escape(url->fragment, Mode::kFragment) != frag) url->raw_fragment = std::string(frag);
  return true;
}

std::string EscapedPath(const Url& u) {
  if (!u.raw_path.empty() && ValidEncoded(u.raw_path, Mode::kPath)) {
    std::string p, e;
    if (Unescape(u.raw_path, Mode::kPath, &p, &e) && p == u.path) return u.raw_path;
  }
  if (u.path == "*") return "*";
  return Escape(u.path, Mode::kPath);
}

std::string Hostname(const Url& u) { return SplitHostPort(u.host).first; }

std::string Port(const Url& u) { return SplitHostPort(u.host).second; }

}  // namespace custody::rego::gourl
