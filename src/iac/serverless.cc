// Serverless Framework serverless.yml: each function with the provider-level
// settings it inherits, and the plain CloudFormation under resources.
#include <string_view>

#include "iac/cloudformation.h"
#include "iac/loaders.h"
#include "iac/yaml_value.h"

namespace custody::iac {
namespace {

using rego::Value;

// Provider settings a function inherits unless it sets them itself.
constexpr std::string_view kInherited[] = {
    "runtime", "memorySize", "timeout", "architecture", "environment", "vpc", "role", "iam", "iamRoleStatements",
    "iamManagedPolicies", "tags", "kmsKeyArn", "layers", "logRetentionInDays", "tracing", "ephemeralStorageSize",
    "runtimeManagement"};
// Of those, the mappings whose keys merge (the function's win).
constexpr std::string_view kMerged[] = {"environment", "tags"};

bool Contains(const auto& list, std::string_view s) {
  for (std::string_view x : list)
    if (x == s) return true;
  return false;
}

YamlEntry* FindEntry(YamlNode& mapping, std::string_view key) {
  for (auto it = mapping.entries.rbegin(); it != mapping.entries.rend(); ++it)
    if (it->first.type == YamlNode::Type::kScalar && it->first.scalar == key) return &*it;
  return nullptr;
}

// The function's mapping with the provider's settings added.
YamlNode WithProvider(const YamlNode& function, const YamlNode* provider) {
  YamlNode out = function;
  if (out.type != YamlNode::Type::kMapping) {
    out = YamlNode{};
    out.type = YamlNode::Type::kMapping;
    out.line = function.line;
    out.column = function.column;
  }
  if (provider == nullptr || provider->type != YamlNode::Type::kMapping) return out;
  for (const YamlEntry& p : provider->entries) {
    if (p.first.type != YamlNode::Type::kScalar || !Contains(kInherited, p.first.scalar)) continue;
    const std::string& key = p.first.scalar;
    YamlEntry inherited = p;
    if (key == "tracing") {
      // provider.tracing is {lambda: true, apiGateway: true}; a function's
      // tracing is the Lambda setting.
      if (p.second.type != YamlNode::Type::kMapping) continue;
      const YamlNode* lambda = FindKey(p.second, "lambda");
      if (lambda == nullptr) continue;
      inherited.first = *FindKeyNode(p.second, "lambda");
      inherited.first.scalar = "tracing";
      inherited.second = *lambda;
    }
    if (key == "iam") {
      // provider.iam.role as an ARN (or a Ref) is the function's role too.
      const YamlNode* role = FindKey(p.second, "role");
      if (role != nullptr && role->type != YamlNode::Type::kMapping && FindEntry(out, "role") == nullptr) {
        YamlEntry as_role(p.first, *role);
        as_role.first.scalar = "role";
        out.entries.push_back(std::move(as_role));
      }
    }
    YamlEntry* mine = FindEntry(out, key);
    if (mine == nullptr) {
      out.entries.push_back(std::move(inherited));
    } else if (Contains(kMerged, key) && mine->second.type == YamlNode::Type::kMapping &&
               inherited.second.type == YamlNode::Type::kMapping) {
      YamlNode merged = inherited.second;
      for (const YamlEntry& e : mine->second.entries) {
        bool replaced = false;
        for (YamlEntry& m : merged.entries) {
          if (m.first.type == YamlNode::Type::kScalar && e.first.type == YamlNode::Type::kScalar &&
              m.first.scalar == e.first.scalar) {
            m = e;
            replaced = true;
          }
        }
        if (!replaced) merged.entries.push_back(e);
      }
      merged.line = mine->second.line;
      merged.column = mine->second.column;
      mine->second = std::move(merged);
    }
  }
  return out;
}

}  // namespace

Result<Template> LoadServerless(const std::string& path, std::string_view content) {
  CUSTODY_ASSIGN_OR_RETURN(std::vector<YamlNode> docs, ParseTemplateYaml(content, path));
  if (docs.empty() || IsEmptyDocument(docs[0])) {
    return Error::Input(path + ": the file is empty; serverless.yml is a mapping with service, provider and functions");
  }
  if (docs.size() > 1) {
    return Error::Input(path + ": " + std::to_string(docs.size()) +
                        " YAML documents; serverless.yml is a single document");
  }
  const YamlNode& root = docs[0];
  if (root.type != YamlNode::Type::kMapping) {
    return Error::Input(Where(path, root) + ": serverless.yml is a mapping (service:, provider:, functions:) at " +
                        "the top, not a " + NodeKindName(root));
  }
  SourceLines lines(content);
  Template t;
  t.file = path;
  t.format = kServerless;
  CUSTODY_ASSIGN_OR_RETURN(t.document, ToValue(root, path));

  // Where each top-level section ends.
  auto limit_after = [&](const YamlNode& value) {
    int limit = lines.count() + 1;
    for (const YamlEntry& e : root.entries)
      if (e.first.line > value.line && e.first.line < limit) limit = e.first.line;
    return limit;
  };
  const YamlNode* provider = FindKey(root, "provider");

  // `functions` is a mapping, or a list of mappings (one per included file).
  std::vector<const YamlNode*> function_maps;
  if (const YamlNode* functions = FindKey(root, "functions")) {
    if (functions->type == YamlNode::Type::kMapping) {
      function_maps.push_back(functions);
    } else if (functions->type == YamlNode::Type::kSequence) {
      for (const YamlNode& item : functions->items)
        if (item.type == YamlNode::Type::kMapping) function_maps.push_back(&item);
    } else if (!functions->scalar.empty()) {
      t.warnings.push_back(std::to_string(functions->line) + ": functions is '" + functions->scalar +
                           "', not a mapping of functions; not read");
    }
    for (const YamlNode* map : function_maps) {
      int section_limit = limit_after(*functions);
      for (size_t i = 0; i < map->entries.size(); ++i) {
        const YamlEntry& e = map->entries[i];
        if (e.first.type != YamlNode::Type::kScalar || e.first.scalar.empty()) {
          t.warnings.push_back(std::to_string(e.first.line) + ": a function name must be a string; skipped");
          continue;
        }
        if (e.second.type != YamlNode::Type::kMapping && !e.second.scalar.empty()) {
          t.warnings.push_back(std::to_string(e.first.line) + ": function " + e.first.scalar + " is a " +
                               NodeKindName(e.second) + ", not a mapping; skipped");
          continue;
        }
        Resource r;
        r.type = "serverless:function";
        r.name = e.first.scalar;
        r.address = e.first.scalar;
        r.line = e.first.line;
        r.properties_line = e.first.line;
        int limit = i + 1 < map->entries.size() ? map->entries[i + 1].first.line : section_limit;
        r.end_line = std::max(lines.EndLine(e.second, limit), r.line);
        YamlNode merged = WithProvider(e.second, provider);
        CUSTODY_ASSIGN_OR_RETURN(r.properties, ToValue(merged, path, &r.key_lines));
        if (const Value* tags = r.properties.FindKey("tags")) r.tags = TagsOf(*tags);
        t.resources.push_back(std::move(r));
      }
    }
  }

  // `resources` holds CloudFormation: a mapping, or a list of them.
  if (const YamlNode* resources = FindKey(root, "resources")) {
    std::vector<const YamlNode*> parts;
    if (resources->type == YamlNode::Type::kMapping) {
      parts.push_back(resources);
    } else if (resources->type == YamlNode::Type::kSequence) {
      for (const YamlNode& item : resources->items)
        if (item.type == YamlNode::Type::kMapping) parts.push_back(&item);
    }
    size_t functions = t.resources.size();
    for (const YamlNode* part : parts) {
      const YamlNode* cfn = FindKey(*part, "Resources");
      if (cfn == nullptr) continue;
      int limit = limit_after(*resources);
      for (const YamlEntry& e : part->entries)
        if (e.first.line > cfn->line && e.first.line < limit) limit = e.first.line;
      ResourcesSection section{path, lines, *cfn, limit, nullptr};
      CUSTODY_RETURN_IF_ERROR(ReadResources(section, &t));
    }
    // Logical ids and function names live in different namespaces.
    for (size_t i = functions; i < t.resources.size(); ++i) {
      for (size_t j = 0; j < functions; ++j) {
        if (t.resources[j].address == t.resources[i].address) {
          t.resources[i].address = "resources." + t.resources[i].address;
          break;
        }
      }
    }
  }
  return t;
}

}  // namespace custody::iac
