// YAML documents as Rego values: plain scalars are typed as YAML's core
// schema and Go's YAML readers type them (null, booleans, integers, floats);
// quoted, literal and folded scalars stay strings. Integers beyond 64 bits
// keep their digits.
#pragma once

#include "core/yaml.h"
#include "rego/value.h"

namespace custody::rego {

Value YamlToValue(const YamlNode& node);

// The value of one plain scalar (also used for flow-style keys).
Value PlainScalarValue(const std::string& text);

}  // namespace custody::rego
