// URLs and query strings as Go's net/url handles them (Go 1.26 rules: colons
// in a host outside brackets are refused, a bracketed host must be an IPv6
// address). OPA's urlquery.*, uri.* and providers.aws.sign_req answers and
// error texts are Go's, so these follow Go's code paths rather than RFC 3986
// alone. Pure functions; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace custody::rego::gourl {

// url.QueryEscape: '+' for space, %XX (upper case) for everything but
// [A-Za-z0-9-_.~].
std::string QueryEscape(std::string_view s);
// url.QueryUnescape. On failure returns false and sets `error` to Go's text
// (`invalid URL escape "%zz"`).
bool QueryUnescape(std::string_view s, std::string* out, std::string* error);

// url.Values in Go's key order (sorted bytewise).
using Values = std::map<std::string, std::vector<std::string>>;
// url.ParseQuery: the pairs that parsed, and false with Go's error text for
// the first problem (a semicolon separator overrides an earlier escape error,
// as in Go).
bool ParseQuery(std::string_view query, Values* out, std::string* error);
// url.Values.Encode.
std::string EncodeValues(const Values& values);

// url.URL (the fields OPA reads).
struct Url {
  std::string scheme;
  std::string opaque;
  bool has_user = false;
  std::string username, password;
  bool has_password = false;
  std::string host;  // host or host:port, brackets kept
  std::string path;
  std::string raw_path;
  bool force_query = false;
  std::string raw_query;
  std::string fragment;
  std::string raw_fragment;
};

// url.Parse. On failure returns false and sets `error` to Go's url.Error text,
// e.g. `parse "http://a b/": invalid character " " in host name`.
bool Parse(std::string_view raw, Url* url, std::string* error);
// u.EscapedPath().
std::string EscapedPath(const Url& u);
// u.Hostname() and u.Port().
std::string Hostname(const Url& u);
std::string Port(const Url& u);

}  // namespace custody::rego::gourl
