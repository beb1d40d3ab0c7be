// YAML for the yaml.* built-ins, with the meaning OPA gives it. OPA goes
// through sigs.k8s.io/yaml, i.e. go-yaml v2 and then JSON, so plain scalars
// are typed by YAML 1.1 rules (yes/no/on/off are booleans, 0x1F and 017 are
// integers, quoted text stays a string), map keys become strings, and
// yaml.marshal writes what go-yaml v2's emitter writes. Parsing is
// src/core/yaml.h. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/yaml.h"
#include "rego/value.h"

namespace custody::rego::goyaml {

// yaml.unmarshal: the first document as a Value (null when there is none).
// Errors are the message only ("yaml: line 1: did not find expected ',' or
// ']'"), for the caller to prefix with the built-in's name.
Result<Value> Unmarshal(std::string_view text);

// One parsed YAML document as OPA reads data, input and test files (the
// same typing as Unmarshal). Errors carry no position.
Result<Value> FromNode(const YamlNode& node);

// yaml.is_valid: whether go-yaml would read it into an interface{} (laxer
// than Unmarshal: .nan and null keys are fine there, JSON is not involved).
bool IsValid(std::string_view text);

// yaml.marshal.
Result<std::string> Marshal(const Value& v);

// strconv.FormatFloat(f, 'g', -1, 64 or 32).
std::string FormatFloatG(double d, int bits);

}  // namespace custody::rego::goyaml
