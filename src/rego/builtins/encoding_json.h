// JSON syntax as Go's encoding/json checks it, for json.is_valid (json.Valid)
// and the error texts of json.unmarshal (a json.Decoder followed by OPA's
// check for trailing data), and json.MarshalIndent's layout for
// json.marshal_with_options. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace custody::rego::gojson {

// json.Valid: exactly one JSON value, surrounded by whitespace at most.
// Strings are not checked for valid UTF-8, as in Go.
bool Valid(std::string_view text);

// Why OPA's util.UnmarshalJSON would refuse `text`, in Go's words ("EOF",
// "unexpected EOF", "invalid character 'x' looking for beginning of value",
// "error: invalid character '2' after top-level value"); "" when it accepts
// it. Like Go's decoder it accepts a trailing `null` after the value.
std::string UnmarshalError(std::string_view text);

// The end of the first value when UnmarshalError(text) is "": the text to
// decode.
size_t FirstValueEnd(std::string_view text);

// json.Indent applied to compact JSON (as Value::ToJson writes it): a new
// line, `prefix` and one `indent` per level before each element; empty
// arrays and objects stay "[]" and "{}".
std::string Indent(std::string_view compact, std::string_view prefix, std::string_view indent);

}  // namespace custody::rego::gojson
