// CloudFormation's Resources section read into Resources; shared by the
// CloudFormation/SAM loader and the Serverless Framework loader (whose
// `resources.Resources` is plain CloudFormation). Internal to src/iac.
#pragma once

#include <string>

#include "core/error.h"
#include "core/yaml.h"
#include "iac/resource.h"
#include "iac/yaml_value.h"

namespace custody::iac {

struct ResourcesSection {
  const std::string& file;
  const SourceLines& lines;
  const YamlNode& resources;  // the value of the Resources key
  // The line where whatever follows the section starts (count()+1 at the
  // end of the file): the last resource ends before it.
  int limit_line = 0;
  // SAM's Globals section, applied to AWS::Serverless::* resources; nullptr
  // when the template has none.
  const YamlNode* globals = nullptr;
  // When given, receives the value of every Properties and Metadata node
  // converted as written (without Globals), for the document to reuse.
  KnownValues* known = nullptr;
};

// Appends one Resource per entry of `section.resources`. A Resources value
// that is not a mapping is an error; a resource that cannot be read (no
// Type, not a mapping) is skipped with a warning in `out->warnings`.
Status ReadResources(const ResourcesSection& section, Template* out);

// SAM's merge of a Globals value into a resource's (samtranslator's
// GlobalProperties): mappings merge key by key with the resource's values
// winning, lists concatenate (the global items first), and anything else,
// intrinsic functions included, is the resource's value.
YamlNode MergeGlobals(const YamlNode& global, const YamlNode& local);

// A CloudFormation `Tags` value ([{Key, Value}] or a map) as an object of
// strings; empty when there are none.
rego::Value TagsOf(const rego::Value& tags);

}  // namespace custody::iac
