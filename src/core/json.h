// JSON helpers over nlohmann::json: parsing with line/column errors, and typed
// field access whose errors carry the JSON path (e.g. `/dsseEnvelope/payload`).
// Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace custody {

using Json = nlohmann::json;

// Parses `text`; the error names `source` (a file name or description) and the
// line and column of the first problem.
Result<Json> ParseJson(std::string_view text, const std::string& source);

// Compact JSON text of `value`, or an input error naming `what` when a string
// in it is not valid UTF-8 (JSON text is UTF-8 only; nlohmann's dump throws).
// For text that is signed or stored, where replacing bytes would change it.
Result<std::string> DumpJsonStrict(const Json& value, const std::string& what);

// True when `object` has `key` with a value other than null. Optional fields
// go through this: protobuf's JSON mapping (Sigstore bundles) and Python
// writers (model_signing 1.0 writes `"keyid": null`) use null for "not set".
bool HasField(const Json& object, const char* key);

// Field access. `path` is the JSON pointer of `object` itself, used in errors.
Result<const Json*> RequireField(const Json& object, const std::string& path, const char* key);
Result<std::string> RequireString(const Json& object, const std::string& path, const char* key);
Result<bool> RequireBool(const Json& object, const std::string& path, const char* key);
// Accepts an integer, or a float with an integral value (some writers emit 1e9).
Result<uint64_t> RequireUnsigned(const Json& object, const std::string& path, const char* key);
Result<const Json*> RequireArray(const Json& object, const std::string& path, const char* key);
Result<const Json*> RequireObject(const Json& object, const std::string& path, const char* key);

// A name for the JSON type of `value`, for error messages.
std::string JsonTypeName(const Json& value);

}  // namespace custody
