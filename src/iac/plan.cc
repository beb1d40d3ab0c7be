// `terraform show -json` output: the managed resources of planned_values (or
// of values, for a state), root module and child modules. The JSON is read
// through the YAML parser so every value keeps its line.
#include "iac/cloudformation.h"
#include "iac/loaders.h"
#include "iac/yaml_value.h"

namespace custody::iac {
namespace {

using rego::ObjectEntries;
using rego::Value;

constexpr int kMaxModuleDepth = 200;

std::string Text(const YamlNode* n) {
  return n != nullptr && n->type == YamlNode::Type::kScalar ? n->scalar : std::string();
}

struct PlanReader {
  const std::string& file;
  const SourceLines& lines;
  Template* out;

  Status Module(const YamlNode& module, int depth) {
    if (depth > kMaxModuleDepth) {
      return Error::Input(Where(file, module) + ": modules nested deeper than " + std::to_string(kMaxModuleDepth) +
                          " levels");
    }
    if (module.type != YamlNode::Type::kMapping) {
      out->warnings.push_back(std::to_string(module.line) + ": a module is a " + NodeKindName(module) +
                              ", not an object; skipped");
      return OkStatus();
    }
    if (const YamlNode* resources = FindKey(module, "resources"); resources != nullptr) {
      if (resources->type != YamlNode::Type::kSequence) {
        return Error::Input(Where(file, *resources) + ": resources must be an array of resource objects, not a " +
                            NodeKindName(*resources));
      }
      for (const YamlNode& item : resources->items) CUSTODY_RETURN_IF_ERROR(Add(item));
    }
    if (const YamlNode* children = FindKey(module, "child_modules");
        children != nullptr && children->type == YamlNode::Type::kSequence) {
      for (const YamlNode& child : children->items) CUSTODY_RETURN_IF_ERROR(Module(child, depth + 1));
    }
    return OkStatus();
  }

  Status Add(const YamlNode& item) {
    if (item.type != YamlNode::Type::kMapping) {
      out->warnings.push_back(std::to_string(item.line) + ": a resource is a " + NodeKindName(item) +
                              ", not an object; skipped");
      return OkStatus();
    }
    std::string mode = Text(FindKey(item, "mode"));
    if (mode == "data") return OkStatus();  // data sources are read, not deployed
    Resource r;
    r.type = Text(FindKey(item, "type"));
    r.name = Text(FindKey(item, "name"));
    r.address = Text(FindKey(item, "address"));
    if (r.type.empty() || r.address.empty()) {
      out->warnings.push_back(std::to_string(item.line) + ": a resource without type or address; skipped");
      return OkStatus();
    }
    r.line = item.line;
    r.end_line = lines.EndLine(item, lines.count() + 1);
    const YamlNode* values_key = FindKeyNode(item, "values");
    const YamlNode* values = FindKey(item, "values");
    r.properties_line = values_key != nullptr ? values_key->line : item.line;
    if (values != nullptr && values->type == YamlNode::Type::kMapping) {
      CUSTODY_ASSIGN_OR_RETURN(r.properties, ToValue(*values, file, &r.key_lines));
      if (const Value* tags = r.properties.FindKey("tags"); tags != nullptr && tags->is_object()) {
        r.tags = TagsOf(*tags);
      }
    }
    ObjectEntries meta;
    if (const YamlNode* provider = FindKey(item, "provider_name")) {
      CUSTODY_ASSIGN_OR_RETURN(Value v, ToValue(*provider, file));
      meta.emplace_back(Value::String("provider"), std::move(v));
    }
    if (const YamlNode* index = FindKey(item, "index")) {
      CUSTODY_ASSIGN_OR_RETURN(Value v, ToValue(*index, file));
      meta.emplace_back(Value::String("index"), std::move(v));
    }
    if (!meta.empty()) r.metadata = Value::Object(std::move(meta));
    out->resources.push_back(std::move(r));
    return OkStatus();
  }
};

}  // namespace

Result<Template> LoadTerraformPlan(const std::string& path, std::string_view content) {
  CUSTODY_ASSIGN_OR_RETURN(YamlNode root, ParseYaml(content, path));
  if (root.type != YamlNode::Type::kMapping) {
    return Error::Input((root.type == YamlNode::Type::kNull ? path : Where(path, root)) +
                        ": a Terraform plan is a JSON object (the output of `terraform show -json PLANFILE`)");
  }
  const YamlNode* planned = FindKey(root, "planned_values");
  if (planned == nullptr) planned = FindKey(root, "values");  // `terraform show -json` of a state
  if (planned == nullptr || planned->type != YamlNode::Type::kMapping) {
    return Error::Input(Where(path, root) + ": no planned_values object; write the plan with `terraform plan " +
                        "-out PLANFILE` and convert it with `terraform show -json PLANFILE`");
  }
  SourceLines lines(content);
  Template t;
  t.file = path;
  t.format = kTerraformPlan;
  CUSTODY_ASSIGN_OR_RETURN(t.document, ToValue(root, path));
  if (const YamlNode* module = FindKey(*planned, "root_module")) {
    PlanReader reader{path, lines, &t};
    CUSTODY_RETURN_IF_ERROR(reader.Module(*module, 0));
  }
  return t;
}

}  // namespace custody::iac
