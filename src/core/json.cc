#include "core/json.h"

#include <cmath>

namespace custody {

Result<Json> ParseJson(std::string_view text, const std::string& source) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_discarded()) return value;
  // Parse again with exceptions only to learn where it failed.
  try {
    Json unused = Json::parse(text);
    (void)unused;
  } catch (const Json::parse_error& e) {
    size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    // nlohmann's message is "[json.exception.parse_error.101] parse error at line..: reason"
    auto colon = what.rfind(": ");
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    return Error::Input(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                        ": invalid JSON: " + reason);
  } catch (const Json::exception& e) {
    // Not a syntax error but a value nlohmann cannot hold, e.g. a number
    // beyond the range of a double ("1e400").
    std::string what = e.what();
    auto bracket = what.find("] ");
    return Error::Input(source + ": invalid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2)));
  }
  return Error::Input(source + ": invalid JSON");
}

std::string JsonTypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

Result<std::string> DumpJsonStrict(const Json& value, const std::string& what) {
  try {
    return value.dump();
  } catch (const Json::type_error& e) {
    std::string detail = e.what();
    auto at = detail.find("invalid UTF-8");
    return Error::Input(what + " holds text that is not valid UTF-8 (" +
                        (at == std::string::npos ? detail : detail.substr(at)) +
                        "); JSON carries UTF-8 only: re-encode the file or rename the column or file");
  }
}

bool HasField(const Json& object, const char* key) {
  if (!object.is_object()) return false;
  auto it = object.find(key);
  return it != object.end() && !it->is_null();
}

Result<const Json*> RequireField(const Json& object, const std::string& path, const char* key) {
  if (!object.is_object()) {
    return Error::Input((path.empty() ? "/" : path) + ": expected an object, found " + JsonTypeName(object));
  }
  auto it = object.find(key);
  if (it == object.end()) return Error::Input(path + "/" + key + ": required field is missing");
  return &*it;
}

namespace {
Error WrongType(const std::string& path, const char* key, const char* want, const Json& got) {
  return Error::Input(path + "/" + key + ": expected " + want + ", found " + JsonTypeName(got));
}
}  // namespace

Result<std::string> RequireString(const Json& object, const std::string& path, const char* key) {
  CUSTODY_ASSIGN_OR_RETURN(const Json* v, RequireField(object, path, key));
  if (!v->is_string()) return WrongType(path, key, "a string", *v);
  return v->get<std::string>();
}

Result<bool> RequireBool(const Json& object, const std::string& path, const char* key) {
  CUSTODY_ASSIGN_OR_RETURN(const Json* v, RequireField(object, path, key));
  if (!v->is_boolean()) return WrongType(path, key, "a boolean", *v);
  return v->get<bool>();
}

Result<uint64_t> RequireUnsigned(const Json& object, const std::string& path, const char* key) {
  CUSTODY_ASSIGN_OR_RETURN(const Json* v, RequireField(object, path, key));
  if (v->is_number_unsigned()) return v->get<uint64_t>();
  if (v->is_number_integer()) {
    int64_t i = v->get<int64_t>();
    if (i >= 0) return static_cast<uint64_t>(i);
  }
  if (v->is_number_float()) {
    double d = v->get<double>();
    if (std::isfinite(d) && d >= 0 && d < 1.8e19 && std::floor(d) == d) return static_cast<uint64_t>(d);
  }
  return WrongType(path, key, "a non-negative integer", *v);
}

Result<const Json*> RequireArray(const Json& object, const std::string& path, const char* key) {
  CUSTODY_ASSIGN_OR_RETURN(const Json* v, RequireField(object, path, key));
  if (!v->is_array()) return WrongType(path, key, "an array", *v);
  return v;
}

Result<const Json*> RequireObject(const Json& object, const std::string& path, const char* key) {
  CUSTODY_ASSIGN_OR_RETURN(const Json* v, RequireField(object, path, key));
  if (!v->is_object()) return WrongType(path, key, "an object", *v);
  return v;
}

}  // namespace custody
