// CloudFormation and SAM templates, YAML or JSON.
#include "iac/cloudformation.h"

#include <utility>

#include "iac/loaders.h"

namespace custody::iac {
namespace {

using rego::ObjectEntries;
using rego::Value;
using rego::ValueVector;

// Globals section name -> the SAM resource type it applies to.
constexpr std::pair<std::string_view, std::string_view> kGlobalSections[] = {
    {"Function", "AWS::Serverless::Function"},         {"Api", "AWS::Serverless::Api"},
    {"HttpApi", "AWS::Serverless::HttpApi"},           {"SimpleTable", "AWS::Serverless::SimpleTable"},
    {"LayerVersion", "AWS::Serverless::LayerVersion"}, {"StateMachine", "AWS::Serverless::StateMachine"},
    {"CapacityProvider", "AWS::Serverless::CapacityProvider"},
};

bool IsEmptyValue(const YamlNode& n) {
  return n.type == YamlNode::Type::kNull ||
         (n.type == YamlNode::Type::kScalar && n.plain && n.tag.empty() &&
          (n.scalar.empty() || n.scalar == "~" || n.scalar == "null"));
}

// samtranslator's is_intrinsic: a one-key mapping whose key is Ref,
// Condition or Fn::*, or (in YAML) a short-form tag.
bool IsIntrinsic(const YamlNode& n) {
  if (!IntrinsicName(n.tag).empty()) return true;
  if (n.type != YamlNode::Type::kMapping || n.entries.size() != 1) return false;
  const YamlNode& k = n.entries[0].first;
  return k.type == YamlNode::Type::kScalar &&
         (k.scalar == "Ref" || k.scalar == "Condition" || k.scalar.rfind("Fn::", 0) == 0);
}

enum class Token { kPrimitive, kList, kDict };
Token TokenOf(const YamlNode& n) {
  if (IsIntrinsic(n)) return Token::kPrimitive;
  if (n.type == YamlNode::Type::kMapping) return Token::kDict;
  if (n.type == YamlNode::Type::kSequence) return Token::kList;
  return Token::kPrimitive;
}

std::string ScalarText(const YamlNode* n) {
  return n != nullptr && n->type == YamlNode::Type::kScalar ? n->scalar : std::string();
}

// Suppressions written in a resource's Metadata.
void ReadSuppressions(const YamlNode& metadata, std::vector<Suppression>* out) {
  auto each = [&](const YamlNode* list, const char* id_key, const char* reason_key) {
    if (list == nullptr || list->type != YamlNode::Type::kSequence) return;
    for (const YamlNode& item : list->items) {
      Suppression s;
      s.line = item.line;
      if (item.type == YamlNode::Type::kScalar) {
        s.id = item.scalar;
      } else if (item.type == YamlNode::Type::kMapping) {
        s.id = ScalarText(FindKey(item, id_key));
        s.reason = ScalarText(FindKey(item, reason_key));
        // cfn-guard also reads {RULE_NAME: reason}, a one-key map.
        if (s.id.empty() && item.entries.size() == 1 && item.entries[0].first.type == YamlNode::Type::kScalar) {
          s.id = item.entries[0].first.scalar;
          s.reason = ScalarText(&item.entries[0].second);
        }
      }
      if (!s.id.empty()) out->push_back(std::move(s));
    }
  };
  if (const YamlNode* custody = FindKey(metadata, "custody")) each(FindKey(*custody, "skip"), "id", "reason");
  if (const YamlNode* guard = FindKey(metadata, "guard")) each(FindKey(*guard, "SuppressedRules"), "id", "reason");
  if (const YamlNode* nag = FindKey(metadata, "cfn_nag")) each(FindKey(*nag, "rules_to_suppress"), "id", "reason");
  if (const YamlNode* checkov = FindKey(metadata, "checkov")) each(FindKey(*checkov, "skip"), "id", "comment");
}

std::string TagText(const Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_number()) return v.NumberText();
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_null() || v.is_undefined()) return "";
  return v.ToJson();
}

std::string Warning(int line, const std::string& what) { return std::to_string(line) + ": " + what; }

}  // namespace

YamlNode MergeGlobals(const YamlNode& global, const YamlNode& local) {
  Token tg = TokenOf(global), tl = TokenOf(local);
  if (tg != tl || tg == Token::kPrimitive) return local;
  YamlNode out = local;
  if (tg == Token::kList) {
    out.items = global.items;
    out.items.insert(out.items.end(), local.items.begin(), local.items.end());
    return out;
  }
  for (const YamlEntry& g : global.entries) {
    if (g.first.type != YamlNode::Type::kScalar) continue;
    YamlNode* mine = nullptr;
    for (YamlEntry& l : out.entries)
      if (l.first.type == YamlNode::Type::kScalar && l.first.scalar == g.first.scalar) mine = &l.second;
    if (mine != nullptr) {
      *mine = MergeGlobals(g.second, *mine);
    } else {
      out.entries.push_back(g);
    }
  }
  return out;
}

Value TagsOf(const Value& tags) {
  ObjectEntries out;
  if (tags.is_array()) {
    for (const Value& item : tags.array()) {
      if (!item.is_object()) continue;
      const Value* key = item.FindKey("Key");
      if (key == nullptr || !key->is_string()) continue;
      const Value* value = item.FindKey("Value");
      out.emplace_back(*key, Value::String(value != nullptr ? TagText(*value) : ""));
    }
  } else if (tags.is_object() && !(tags.size() == 1 && tags.object()[0].first.is_string() &&
                                   (tags.object()[0].first.as_string() == "Ref" ||
                                    tags.object()[0].first.as_string().rfind("Fn::", 0) == 0))) {
    for (const auto& [k, v] : tags.object()) out.emplace_back(k, Value::String(TagText(v)));
  }
  if (out.empty()) return Value::EmptyObject();
  return Value::Object(std::move(out));
}

Status ReadResources(const ResourcesSection& section, Template* out) {
  const YamlNode& resources = section.resources;
  if (IsEmptyValue(resources)) {
    out->warnings.push_back(Warning(resources.line, "Resources is empty"));
    return OkStatus();
  }
  if (resources.type != YamlNode::Type::kMapping || !IntrinsicName(resources.tag).empty()) {
    return Error::Input(Where(section.file, resources) + ": Resources must be a mapping of logical ids to " +
                        "resources (LogicalId: {Type: ..., Properties: ...}), not a " + NodeKindName(resources));
  }
  const auto& entries = resources.entries;
  for (size_t i = 0; i < entries.size(); ++i) {
    const YamlNode& key = entries[i].first;
    const YamlNode& body = entries[i].second;
    int limit = i + 1 < entries.size() ? entries[i + 1].first.line : section.limit_line;
    if (key.type != YamlNode::Type::kScalar || key.scalar.empty()) {
      out->warnings.push_back(Warning(key.line, "a logical id must be a non-empty string; entry skipped"));
      continue;
    }
    const std::string& id = key.scalar;
    if (body.type != YamlNode::Type::kMapping) {
      out->warnings.push_back(Warning(key.line, "resource " + id + " is a " + NodeKindName(body) +
                                                    ", not a mapping with Type and Properties; skipped"));
      continue;
    }
    const YamlNode* type = FindKey(body, "Type");
    if (type == nullptr) {
      out->warnings.push_back(Warning(key.line, "resource " + id + " has no Type; skipped"));
      continue;
    }
    if (type->type != YamlNode::Type::kScalar || type->scalar.empty() || !IntrinsicName(type->tag).empty()) {
      out->warnings.push_back(Warning(type->line, "resource " + id + ": Type must be a resource type name such " +
                                                      "as AWS::S3::Bucket; skipped"));
      continue;
    }
    Resource r;
    r.type = type->scalar;
    r.name = id;
    r.address = id;
    r.line = key.line;
    r.end_line = std::max(section.lines.EndLine(body, limit), key.line);
    const YamlNode* props_key = FindKeyNode(body, "Properties");
    const YamlNode* props = FindKey(body, "Properties");
    r.properties_line = props_key != nullptr ? props_key->line : key.line;

    YamlNode empty;
    empty.type = YamlNode::Type::kMapping;
    empty.line = r.properties_line;
    const YamlNode* source = &empty;
    if (props != nullptr && !IsEmptyValue(*props)) {
      if (props->type == YamlNode::Type::kMapping && IntrinsicName(props->tag).empty()) {
        source = props;
      } else {
        out->warnings.push_back(Warning(props->line, "resource " + id + ": Properties is a " +
                                                         NodeKindName(*props) + ", not a mapping; ignored"));
      }
    }
    YamlNode merged;
    if (section.globals != nullptr && r.type.rfind("AWS::Serverless::", 0) == 0) {
      for (const auto& [name, applies_to] : kGlobalSections) {
        if (r.type != applies_to) continue;
        const YamlNode* g = FindKey(*section.globals, name);
        if (g != nullptr && g->type == YamlNode::Type::kMapping) {
          merged = MergeGlobals(*g, *source);
          source = &merged;
        }
      }
    }
    CUSTODY_ASSIGN_OR_RETURN(r.properties, ToValue(*source, section.file, &r.key_lines));
    if (section.known != nullptr && source == props) (*section.known)[props] = r.properties;
    if (const Value* tags = r.properties.FindKey("Tags")) r.tags = TagsOf(*tags);
    if (const YamlNode* metadata = FindKey(body, "Metadata"); metadata != nullptr && !IsEmptyValue(*metadata)) {
      CUSTODY_ASSIGN_OR_RETURN(r.metadata, ToValue(*metadata, section.file));
      if (section.known != nullptr && metadata->type == YamlNode::Type::kMapping) {
        (*section.known)[metadata] = r.metadata;
      }
      if (!r.metadata.is_object()) r.metadata = Value::EmptyObject();
      ReadSuppressions(*metadata, &r.suppressions);
    }
    out->resources.push_back(std::move(r));
  }
  return OkStatus();
}

Result<Template> LoadCloudFormation(const std::string& path, std::string_view content) {
  CUSTODY_ASSIGN_OR_RETURN(std::vector<YamlNode> docs, ParseTemplateYaml(content, path));
  // Several documents are read as one template each, as KICS reads them.
  std::vector<const YamlNode*> roots;
  for (const YamlNode& d : docs)
    if (!IsEmptyDocument(d)) roots.push_back(&d);
  if (roots.empty()) {
    return Error::Input(path + ": the file is empty; a CloudFormation template is a mapping with a Resources section");
  }
  SourceLines lines(content);
  Template t;
  t.file = path;
  t.format = kCloudFormation;
  ValueVector documents;
  for (size_t d = 0; d < roots.size(); ++d) {
    const YamlNode& root = *roots[d];
    if (root.type != YamlNode::Type::kMapping) {
      return Error::Input(Where(path, root) + ": a CloudFormation template is a mapping (Resources:, " +
                          "Parameters:, ...) at the top, not a " + NodeKindName(root));
    }
    int doc_limit = d + 1 < roots.size() ? roots[d + 1]->line : lines.count() + 1;

    const YamlNode* globals = FindKey(root, "Globals");
    if (globals != nullptr && globals->type != YamlNode::Type::kMapping) {
      t.warnings.push_back(Warning(globals->line, std::string("Globals is a ") + NodeKindName(*globals) +
                                                      ", not a mapping of sections (Function:, Api:, ...); ignored"));
      globals = nullptr;
    }
    const YamlNode* resources = nullptr;
    int limit = doc_limit;
    for (size_t i = 0; i < root.entries.size(); ++i) {
      const YamlNode& k = root.entries[i].first;
      if (k.type == YamlNode::Type::kScalar && k.scalar == "Resources") {
        resources = &root.entries[i].second;
        limit = i + 1 < root.entries.size() ? std::min(doc_limit, root.entries[i + 1].first.line) : doc_limit;
      }
    }
    KnownValues known;
    size_t first = t.resources.size();
    if (resources == nullptr) {
      t.warnings.push_back(Warning(root.line, "the template has no Resources section"));
    } else {
      ResourcesSection section{path, lines, *resources, limit, globals, &known};
      CUSTODY_RETURN_IF_ERROR(ReadResources(section, &t));
    }
    CUSTODY_ASSIGN_OR_RETURN(Value document, ToValue(root, path, nullptr, "", &known));
    documents.push_back(std::move(document));
    // A logical id repeated in a later document gets the document's number.
    for (size_t i = first; i < t.resources.size(); ++i) {
      for (size_t j = 0; j < first; ++j) {
        if (t.resources[j].address == t.resources[i].address) {
          t.resources[i].address += "#" + std::to_string(d + 1);
          break;
        }
      }
    }
  }
  t.document = documents.size() == 1 ? documents[0] : Value::Array(std::move(documents));
  return t;
}

}  // namespace custody::iac
