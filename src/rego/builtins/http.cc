// The "http" built-in: http.send. Policies run offline by default, so the
// request is checked as OPA checks it and then refused unless the evaluation
// allows network access; custody has no HTTP client yet, so an allowed
// request is refused too, with a different message.
#include <string>

#include "rego/builtins.h"
#include "rego/builtins/encoding_strconv.h"

namespace custody::rego {
namespace {

constexpr std::string_view kName = "http.send";

constexpr std::string_view kAllowedKeys =
    "method url body enable_redirect force_json_decode force_yaml_decode headers raw_body "
    "tls_use_system_certs "
    "tls_ca_cert tls_ca_cert_file tls_ca_cert_env_variable tls_client_cert tls_client_cert_file "
    "tls_client_cert_env_variable tls_client_key tls_client_key_file tls_client_key_env_variable "
    "tls_insecure_skip_verify tls_server_name timeout cache force_cache force_cache_duration_seconds "
    "raise_error "
    "caching_mode max_retry_attempts cache_ignored_headers";

// Whether `key` is one of the space-separated words of kAllowedKeys.
bool AllowedKey(const Value& key) {
  if (!key.is_string()) return false;
  std::string_view rest = kAllowedKeys;
  while (!rest.empty()) {
    size_t space = rest.find(' ');
    if (rest.substr(0, space) == key.as_string()) return true;
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  return false;
}

std::string SetText(const ValueVector& sorted) {
  std::string out = "{";
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) out += ", ";
    out += sorted[i].is_string() ? GoQuote(sorted[i].as_string()) : sorted[i].ToRego();
  }
  return out + "}";
}

// With raise_error false, OPA answers errors with a response object instead.
Value ErrorResponse(const std::string& message) {
  Value error = Value::Object({{Value::String("code"), Value::String("eval_http_send_internal_error")},
                               {Value::String("message"), Value::String(message)}});
  return Value::Object({{Value::String("status_code"), Value::Int(0)}, {Value::String("error"), error}});
}

Result<Value> HttpSend(std::span<const Value> args, BuiltinContext& ctx) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* req, ObjectArg(kName, args, 1));
  bool raise_error = true;
  if (const Value* r = req->FindKey("raise_error")) {
    if (!r->is_bool()) return BuiltinError(kName, "invalid value for raise_error field");
    raise_error = r->as_bool();
  }
  auto fail = [&](Error e) -> Result<Value> {
    if (raise_error) return e;
    return ErrorResponse(e.message());
  };

  ValueVector bad_keys;
  for (const auto& [k, v] : req->object()) {
    if (!AllowedKey(k)) bad_keys.push_back(k);
  }
  if (!bad_keys.empty())
    return fail(OperandError(kName, 1, "invalid request parameters(s): " + SetText(bad_keys)));
  ValueVector missing;
  for (std::string_view key : {std::string_view("method"), std::string_view("url")})
    if (req->FindKey(key) == nullptr) missing.push_back(Value::String(key));
  if (!missing.empty())
    return fail(OperandError(kName, 1, "missing required request parameters(s): " + SetText(missing)));

  if (!ctx.allow_network) {
    return fail(BuiltinError(kName, "network access is disabled (run with --allow-net to permit it)"));
  }
  return fail(
      BuiltinError(kName, "not available: custody has no HTTP client yet (network access was permitted)"));
}

}  // namespace

void RegisterHttp(BuiltinTable& t) { t.Add({"http.send", 1, HttpSend, /*nondeterministic=*/true}); }

}  // namespace custody::rego
