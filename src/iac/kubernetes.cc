// Kubernetes manifests, Knative and Cloud Run services included: one
// Resource per document (or per item of a `kind: List`).
#include <set>

#include "iac/cloudformation.h"
#include "iac/loaders.h"
#include "iac/yaml_value.h"

namespace custody::iac {
namespace {

using rego::ObjectEntries;
using rego::Value;
using rego::ValueVector;

std::string Text(const YamlNode* n) {
  return n != nullptr && n->type == YamlNode::Type::kScalar ? n->scalar : std::string();
}

// Knative's kinds (Service, Route, Broker...) collide with core ones, so
// they are named with their API group.
std::string KindOf(const YamlNode& manifest) {
  std::string kind = Text(FindKey(manifest, "kind"));
  std::string api = Text(FindKey(manifest, "apiVersion"));
  size_t slash = api.find('/');
  if (slash != std::string::npos) {
    std::string group = api.substr(0, slash);
    if (group == "knative.dev" ||
        (group.size() > 12 && group.compare(group.size() - 12, 12, ".knative.dev") == 0)) {
      return group + "/" + kind;
    }
  }
  return kind;
}

struct Reader {
  const std::string& file;
  const SourceLines& lines;
  Template* out;
  std::set<std::string> addresses;

  Status Add(const YamlNode& manifest, int limit_line, int document) {
    if (manifest.type != YamlNode::Type::kMapping) {
      out->warnings.push_back(std::to_string(manifest.line) + ": document " + std::to_string(document) + " is a " +
                              NodeKindName(manifest) + ", not a Kubernetes object; skipped");
      return OkStatus();
    }
    std::string kind = KindOf(manifest);
    if (kind.empty()) {
      out->warnings.push_back(std::to_string(manifest.line) + ": document " + std::to_string(document) +
                              " has no kind; skipped");
      return OkStatus();
    }
    // A List (v1 List, or any *List with items) holds the objects themselves.
    const YamlNode* items = FindKey(manifest, "items");
    if (kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0 && items != nullptr &&
        items->type == YamlNode::Type::kSequence) {
      for (size_t i = 0; i < items->items.size(); ++i) {
        int limit = i + 1 < items->items.size() ? items->items[i + 1].line : limit_line;
        CUSTODY_RETURN_IF_ERROR(Add(items->items[i], limit, document));
      }
      return OkStatus();
    }
    Resource r;
    r.type = kind;
    const YamlNode* metadata = FindKey(manifest, "metadata");
    r.name = metadata != nullptr ? Text(FindKey(*metadata, "name")) : "";
    if (r.name.empty() && metadata != nullptr) r.name = Text(FindKey(*metadata, "generateName"));
    std::string ns = metadata != nullptr ? Text(FindKey(*metadata, "namespace")) : "";
    if (ns.empty()) ns = "default";
    r.address = kind + "/" + ns + "/" + r.name;
    if (!addresses.insert(r.address).second) {
      r.address += "#" + std::to_string(document);
      for (int n = 2; !addresses.insert(r.address).second; ++n)
        r.address = kind + "/" + ns + "/" + r.name + "#" + std::to_string(document) + "." + std::to_string(n);
    }
    r.line = manifest.line;
    r.properties_line = manifest.line;
    r.end_line = lines.EndLine(manifest, limit_line);
    CUSTODY_ASSIGN_OR_RETURN(r.properties, ToValue(manifest, file, &r.key_lines));
    // Checkov's annotations: `checkov.io/skip1: CKV_K8S_20=reason`.
    if (const YamlNode* annotations = metadata != nullptr ? FindKey(*metadata, "annotations") : nullptr) {
      if (annotations->type == YamlNode::Type::kMapping) {
        for (const YamlEntry& a : annotations->entries) {
          if (a.first.type != YamlNode::Type::kScalar || a.first.scalar.rfind("checkov.io/skip", 0) != 0 ||
              a.second.type != YamlNode::Type::kScalar) {
            continue;
          }
          const std::string& text = a.second.scalar;
          size_t eq = text.find('=');
          Suppression s{text.substr(0, eq), eq == std::string::npos ? "" : text.substr(eq + 1), a.first.line};
          if (!s.id.empty()) r.suppressions.push_back(std::move(s));
        }
      }
    }
    if (const Value* meta = r.properties.FindKey("metadata")) {
      if (const Value* labels = meta->FindKey("labels"); labels != nullptr && labels->is_object()) {
        r.tags = TagsOf(*labels);
      }
    }
    out->resources.push_back(std::move(r));
    return OkStatus();
  }
};

}  // namespace

Result<Template> LoadKubernetes(const std::string& path, std::string_view content) {
  CUSTODY_ASSIGN_OR_RETURN(std::vector<YamlNode> docs, ParseTemplateYaml(content, path));
  SourceLines lines(content);
  Template t;
  t.file = path;
  t.format = kKubernetes;
  std::vector<const YamlNode*> present;
  for (const YamlNode& d : docs)
    if (!IsEmptyDocument(d)) present.push_back(&d);
  Reader reader{path, lines, &t, {}};
  ValueVector documents;
  for (size_t i = 0; i < present.size(); ++i) {
    CUSTODY_ASSIGN_OR_RETURN(Value v, ToValue(*present[i], path));
    documents.push_back(std::move(v));
    int limit = i + 1 < present.size() ? present[i + 1]->line : lines.count() + 1;
    CUSTODY_RETURN_IF_ERROR(reader.Add(*present[i], limit, static_cast<int>(i) + 1));
  }
  t.document = Value::Array(std::move(documents));
  return t;
}

}  // namespace custody::iac
