// The "providers.aws" built-in: providers.aws.sign_req, AWS Signature
// Version 4 over an http.send request object, computed as OPA computes it
// (its canonical request, header handling and error texts).
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <ctime>
#include <map>
#include <string>

#include "rego/builtins.h"
#include "rego/builtins/encoding_strconv.h"
#include "rego/builtins/encoding_url.h"

namespace custody::rego {
namespace {

constexpr std::string_view kName = "providers.aws.sign_req";

// The keys http.send accepts; sign_req checks requests against the same list.
constexpr std::string_view kAllowedRequestKeys =
    "method url body enable_redirect force_json_decode force_yaml_decode headers raw_body "
    "tls_use_system_certs "
    "tls_ca_cert tls_ca_cert_file tls_ca_cert_env_variable tls_client_cert tls_client_cert_file "
    "tls_client_cert_env_variable tls_client_key tls_client_key_file tls_client_key_env_variable "
    "tls_insecure_skip_verify tls_server_name timeout cache force_cache force_cache_duration_seconds "
    "raise_error "
    "caching_mode max_retry_attempts cache_ignored_headers";

// Whether `key` is one of the space-separated words of kAllowedRequestKeys.
bool AllowedKey(const Value& key) {
  if (!key.is_string()) return false;
  std::string_view rest = kAllowedRequestKeys;
  while (!rest.empty()) {
    size_t space = rest.find(' ');
    if (rest.substr(0, space) == key.as_string()) return true;
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  return false;
}

constexpr std::string_view kRequiredConfigKeys[] = {"aws_access_key", "aws_region", "aws_secret_access_key",
                                                    "aws_service"};

// Headers a proxy may change on the way, left out of the signature (as in
// the AWS SDK).
bool IgnoredHeader(std::string_view lower) {
  return lower == "authorization" || lower == "user-agent" || lower == "x-amzn-trace-id";
}

// A Rego set as OPA prints it in these errors: {"a", "b"}.
std::string SetText(const ValueVector& sorted) {
  std::string out = "{";
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) out += ", ";
    out += sorted[i].is_string() ? GoQuote(sorted[i].as_string()) : sorted[i].ToRego();
  }
  return out + "}";
}

// The string held by `v`, or "" for anything else (OPA's stringFromTerm).
std::string StringOf(const Value* v) {
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

std::string HexOf(const unsigned char* p, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return HexOf(md, len);
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}

struct Credentials {
  std::string access_key, secret_key, region, session_token;
};

// OPA's SignV4: the Authorization header and the x-amz-* headers (and host)
// it adds.
std::pair<std::string, std::map<std::string, std::string>> SignV4(
    const std::map<std::string, std::string>& headers, const std::string& method, const gourl::Url& url,
    std::string_view body, const std::string& service, const Credentials& creds, int64_t time_ns,
    bool disable_payload_signing) {
  std::string content_sha = disable_payload_signing ? "UNSIGNED-PAYLOAD" : Sha256Hex(body);
  time_t seconds = static_cast<time_t>(time_ns / 1000000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char date[16], stamp[32];
  std::strftime(date, sizeof date, "%Y%m%d", &tm);
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);

  std::map<std::string, std::string> aws_headers = {{"host", url.host}, {"x-amz-date", stamp}};
  // S3 and Glacier want the payload hash as a header too.
  if (service == "s3" || service == "glacier") aws_headers["x-amz-content-sha256"] = content_sha;
  // Temporary credentials (EC2 metadata, STS) carry a session token.
  if (!creds.session_token.empty()) aws_headers["x-amz-security-token"] = creds.session_token;

  // The request's own headers are signed too, and win over the computed ones.
  std::map<std::string, std::string> to_sign = aws_headers;
  for (const auto& [k, v] : headers) {
    std::string lower = k;
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (!IgnoredHeader(lower)) to_sign[lower] = v;
  }

  std::string canonical = method + "\n" + gourl::EscapedPath(url) + "\n" + url.raw_query + "\n";
  std::string signed_headers;
  for (const auto& [k, v] : to_sign) {
    canonical += k + ":" + v + "\n";
    if (!signed_headers.empty()) signed_headers += ";";
    signed_headers += k;
  }
  canonical += "\n" + signed_headers + "\n" + content_sha;

  std::string scope = std::string(date) + "/" + creds.region + "/" + service + "/aws4_request";
  std::string to_sign_text =
      "AWS4-HMAC-SHA256\n" + std::string(stamp) + "\n" + scope + "\n" + Sha256Hex(canonical);
  std::string key = HmacSha256("AWS4" + creds.secret_key, date);
  key = HmacSha256(key, creds.region);
  key = HmacSha256(key, service);
  key = HmacSha256(key, "aws4_request");
  std::string signature = HmacSha256(key, to_sign_text);

  std::string auth =
      "AWS4-HMAC-SHA256 Credential=" + creds.access_key + "/" + scope + ",SignedHeaders=" + signed_headers +
      ",Signature=" + HexOf(reinterpret_cast<const unsigned char*>(signature.data()), signature.size());
  return {auth, aws_headers};
}

Result<Value> SignReq(std::span<const Value> args, BuiltinContext&) {
  const Value& req = args[0];
  const Value& config = args[1];
  const Value& time_arg = args[2];
  // OPA names operand 1 in the type errors of all three operands.
  if (!req.is_object()) return OperandTypeError(kName, 1, req, "object");
  if (!config.is_object()) return OperandTypeError(kName, 1, config, "object");

  ValueVector missing, invalid;
  for (std::string_view key : kRequiredConfigKeys) {
    const Value* v = config.FindKey(key);
    if (v == nullptr) {
      missing.push_back(Value::String(key));
    } else if (!v->is_string()) {
      invalid.push_back(Value::String(key));
    }
  }
  if (!missing.empty()) {
    return OperandError(kName, 2, "missing required AWS config parameters(s): " + SetText(missing));
  }
  if (!invalid.empty()) {
    return OperandError(kName, 2,
                        "invalid values for required AWS config parameters(s): " + SetText(invalid));
  }
  std::string service = StringOf(config.FindKey("aws_service"));
  Credentials creds{StringOf(config.FindKey("aws_access_key")),
                    StringOf(config.FindKey("aws_secret_access_key")), StringOf(config.FindKey("aws_region")),
                    StringOf(config.FindKey("aws_session_token"))};

  if (!time_arg.is_number()) return OperandTypeError(kName, 1, time_arg, "number");
  // OPA takes the number's text as a decimal int64, so 1e9 or 1.5 are
  // refused; a Value no longer knows how the number was written, so
  // floating-point values and negative ones (a time before 1970 cannot sign
  // a request AWS accepts) are refused instead.
  std::optional<int64_t> ns = time_arg.is_float() ? std::nullopt : time_arg.to_int64();
  if (!ns || *ns < 0) return OperandError(kName, 3, "could not convert time_ns value into a unix timestamp");

  ValueVector bad_keys;
  for (const auto& [k, v] : req.object()) {
    if (!AllowedKey(k)) bad_keys.push_back(k);
  }
  if (!bad_keys.empty()) return OperandError(kName, 1, "invalid request parameters(s): " + SetText(bad_keys));
  ValueVector missing_req;
  for (std::string_view key : {std::string_view("method"), std::string_view("url")})
    if (req.FindKey(key) == nullptr) missing_req.push_back(Value::String(key));
  if (!missing_req.empty()) {
    return OperandError(kName, 1, "missing required request parameters(s): " + SetText(missing_req));
  }

  std::map<std::string, std::string> headers;  // OPA's objectToMap: non-strings become ""
  if (const Value* h = req.FindKey("headers")) {
    if (!h->is_object()) return OperandTypeError(kName, 0, *h, "object");
    for (const auto& [k, v] : h->object()) headers[StringOf(&k)] = StringOf(&v);
  }
  const Value* url_value = req.FindKey("url");
  const Value* method_value = req.FindKey("method");
  ValueVector bad_types;
  if (!url_value->is_string()) bad_types.push_back(Value::String("url"));
  if (!method_value->is_string()) bad_types.push_back(Value::String("method"));
  if (!bad_types.empty()) {
    return OperandError(
        kName, 1,
        "invalid values for required request parameters(s): " + SetText(Value::Set(bad_types).set()));
  }
  gourl::Url url;
  std::string error;
  if (!gourl::Parse(url_value->as_string(), &url, &error)) return BuiltinError(kName, error);

  std::string body;
  if (const Value* raw = req.FindKey("raw_body")) {
    body = StringOf(raw);
  } else if (const Value* b = req.FindKey("body")) {
    body = b->ToJson();
  }

  bool disable_payload_signing = false;
  if (const Value* d = config.FindKey("disable_payload_signing")) {
    if (!d->is_bool())
      return OperandError(kName, 2, "invalid value for 'disable_payload_signing' in AWS config");
    disable_payload_signing = d->as_bool();
  }

  auto [auth, aws_headers] =
      SignV4(headers, method_value->as_string(), url, body, service, creds, *ns, disable_payload_signing);
  ObjectEntries signed_headers;
  for (const auto& [k, v] : headers) signed_headers.emplace_back(Value::String(k), Value::String(v));
  signed_headers.emplace_back(Value::String("Authorization"), Value::String(auth));
  for (const auto& [k, v] : aws_headers) signed_headers.emplace_back(Value::String(k), Value::String(v));

  ObjectEntries out;
  for (const auto& [k, v] : req.object())
    if (!(k.is_string() && k.as_string() == "headers")) out.emplace_back(k, v);
  out.emplace_back(Value::String("headers"), Value::Object(std::move(signed_headers)));  // later entries win
  return Value::Object(std::move(out));
}

}  // namespace

void RegisterProvidersAws(BuiltinTable& t) { t.Add({"providers.aws.sign_req", 3, SignReq}); }

}  // namespace custody::rego
