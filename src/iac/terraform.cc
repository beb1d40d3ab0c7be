// Terraform HCL (.tf) as normalized resources: `resource` and `data` blocks
// become Resources whose properties are the block's attributes and nested
// blocks. What is literal is evaluated (strings, numbers, booleans, null,
// lists, maps, templates whose parts are all known), `var.X` becomes the
// variable's literal default and `local.X` a literal local; everything else
// stays as its source text, exactly as written ("aws_kms_key.main.arn").
//
// Shapes: a nested block written once is an object, written several times an
// array of objects in order; a labelled nested block nests its body under its
// labels (provisioner "local-exec" -> {"local-exec": {...}}); a `dynamic
// "NAME"` block sits under NAME as written ({"for_each", "content", ...}), so a
// check that needs the block to exist sees it. The meta-arguments count,
// for_each, provider, depends_on and lifecycle go to metadata.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "iac/hcl.h"
#include "iac/loaders.h"

namespace custody::iac {
namespace {

using hcl::Expression;
using hcl::ExprKind;
using rego::Value;
using rego::ValueVector;
using KeyLines = std::map<std::string, int, std::less<>>;

// Locals referring to locals: a chain longer than this stays unresolved.
constexpr int kMaxReferenceChain = 100;

struct Evaluated {
  Value value;
  bool literal = false;  // nothing in `value` is an unresolved expression's text
};

std::string Child(const std::string& prefix, std::string_view segment) {
  std::string escaped = EscapePathSegment(segment);
  return prefix.empty() ? escaped : prefix + "/" + escaped;
}

bool IsMetaArgument(std::string_view name) {
  return name == "count" || name == "for_each" || name == "provider" || name == "depends_on";
}

// The text a primitive value has inside a template, or nullopt.
std::optional<std::string> TemplateText(const Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_number()) return v.NumberText();
  if (v.is_bool()) return std::string(v.as_bool() ? "true" : "false");
  return std::nullopt;
}

class Evaluator {
 public:
  explicit Evaluator(const hcl::File& file) : file_(file) {}

  void AddVariable(const std::string& name, const Expression* default_expr) {
    variables_[name].expr = default_expr;
  }
  void AddLocal(const std::string& name, const Expression* expr) { locals_[name].expr = expr; }

  // The value of local `name` (declared), for the document.
  Evaluated Local(const std::string& name) { return Resolve(locals_, name); }

  // Evaluates `e`; when `lines` is given, records the line of every object
  // key and list item written in `e` under `path`.
  Evaluated Eval(const Expression& e, KeyLines* lines, const std::string& path) {
    switch (e.kind) {
      case ExprKind::kNumber: {
        Value v = Value::Number(e.text);
        if (v.is_undefined()) v = Value::Float(std::strtod(e.text.c_str(), nullptr));
        if (v.is_undefined()) return Text(e);
        return {v, true};
      }
      case ExprKind::kBool: return {Value::Bool(e.boolean), true};
      case ExprKind::kNull: return {Value::Null(), true};
      case ExprKind::kTemplate: return EvalTemplate(e);
      case ExprKind::kTuple: {
        ValueVector items;
        items.reserve(e.items.size());
        bool literal = true;
        for (size_t i = 0; i < e.items.size(); ++i) {
          std::string item_path = Child(path, std::to_string(i));
          if (lines != nullptr) (*lines)[item_path] = e.items[i].begin.line;
          Evaluated item = Eval(e.items[i], lines, item_path);
          literal = literal && item.literal;
          items.push_back(std::move(item.value));
        }
        return {Value::Array(std::move(items)), literal};
      }
      case ExprKind::kObject: {
        rego::ObjectEntries entries;
        entries.reserve(e.items.size() / 2);
        bool literal = true;
        for (size_t i = 0; i + 1 < e.items.size(); i += 2) {
          auto [key, key_literal] = ObjectKey(e.items[i]);
          std::string item_path = Child(path, key);
          if (lines != nullptr) (*lines)[item_path] = e.items[i].begin.line;
          Evaluated value = Eval(e.items[i + 1], lines, item_path);
          literal = literal && key_literal && value.literal;
          entries.emplace_back(Value::String(std::move(key)), std::move(value.value));
        }
        return {Value::Object(std::move(entries)), literal};
      }
      case ExprKind::kTraversal: return EvalTraversal(e);
      case ExprKind::kUnary: {
        Evaluated operand = Eval(e.items[0], nullptr, path);
        if (!operand.literal) return Text(e);
        if (e.text == "-" && operand.value.is_number()) {
          if (e.items[0].kind == ExprKind::kNumber) {
            Value v = Value::Number("-" + e.items[0].text);
            if (v.is_defined()) return {v, true};
          }
          if (operand.value.is_int() && operand.value.as_int() != INT64_MIN) {
            return {Value::Int(-operand.value.as_int()), true};
          }
          Value v = Value::Float(-operand.value.as_double());
          if (v.is_defined()) return {v, true};
        }
        if (e.text == "!" && operand.value.is_bool()) return {Value::Bool(!operand.value.as_bool()), true};
        return Text(e);
      }
      case ExprKind::kParen: {
        Evaluated inner = Eval(e.items[0], lines, path);
        return inner.literal ? inner : Text(e);
      }
      default: return Text(e);
    }
  }

  std::string TextOf(const Expression& e) const { return std::string(file_.Text(e)); }

  // An object constructor's key: an identifier names itself; anything else is
  // evaluated and must give a string, number or boolean.
  std::pair<std::string, bool> ObjectKey(const Expression& k) {
    if (k.kind == ExprKind::kVariable) return {k.text, true};
    Evaluated key = Eval(k, nullptr, "");
    if (key.literal) {
      if (auto text = TemplateText(key.value)) return {*text, true};
    }
    return {TextOf(k), false};
  }

 private:
  struct Slot {
    const Expression* expr = nullptr;
    int state = 0;  // 0: not evaluated, 1: being evaluated, 2: done
    Evaluated result;
  };

  Evaluated Text(const Expression& e) const { return {Value::String(TextOf(e)), false}; }

  Evaluated Resolve(std::unordered_map<std::string, Slot>& slots, const std::string& name) {
    auto it = slots.find(name);
    if (it == slots.end() || it->second.expr == nullptr) return {};
    Slot& slot = it->second;
    if (slot.state == 2) return slot.result;
    if (slot.state == 1 || chain_ >= kMaxReferenceChain) return {};  // a cycle, or too long a chain
    slot.state = 1;
    ++chain_;
    Evaluated result = Eval(*slot.expr, nullptr, "");
    --chain_;
    // `slots` does not change size while evaluating, so `slot` is still valid.
    slot.result = std::move(result);
    slot.state = 2;
    return slot.result;
  }

  Evaluated EvalTemplate(const Expression& e) {
    if (e.items.size() == 1 && e.items[0].kind == ExprKind::kInterpolation) {
      Evaluated inner = Eval(e.items[0].items[0], nullptr, "");
      if (inner.literal) return inner;
      // "${aws_kms_key.main.arn}" is the reference itself: its text as written.
      return {Value::String(TextOf(e.items[0].items[0])), false};
    }
    std::string out;
    bool literal = true;
    for (const Expression& part : e.items) {
      if (part.kind == ExprKind::kLiteral) {
        out += part.text;
        continue;
      }
      if (part.kind == ExprKind::kInterpolation) {
        Evaluated inner = Eval(part.items[0], nullptr, "");
        if (inner.literal) {
          if (auto text = TemplateText(inner.value)) {
            out += *text;
            continue;
          }
        }
      }
      literal = false;
      out += file_.Text(part);
    }
    return {Value::String(std::move(out)), literal};
  }

  // var.X and local.X (and what follows them, when the value has it).
  Evaluated EvalTraversal(const Expression& e) {
    const Expression& root = e.items[0];
    if (root.kind != ExprKind::kVariable || (root.text != "var" && root.text != "local") ||
        e.items[1].kind != ExprKind::kGetAttr) {
      return Text(e);
    }
    Evaluated base = Resolve(root.text == "var" ? variables_ : locals_, e.items[1].text);
    if (!base.literal) return Text(e);
    Value v = base.value;
    for (size_t i = 2; i < e.items.size(); ++i) {
      const Expression& step = e.items[i];
      const Value* next = nullptr;
      if (step.kind == ExprKind::kGetAttr) {
        next = v.FindKey(step.text);
      } else if (step.kind == ExprKind::kIndex) {
        Evaluated key = Eval(step.items[0], nullptr, "");
        if (!key.literal) return Text(e);
        if (v.is_object()) {
          if (auto text = TemplateText(key.value)) next = v.FindKey(*text);
        } else if (v.is_array() && key.value.is_number()) {
          next = v.Find(key.value);
        }
      }
      if (next == nullptr) return Text(e);
      v = *next;
    }
    return {v, true};
  }

  const hcl::File& file_;
  std::unordered_map<std::string, Slot> variables_;
  std::unordered_map<std::string, Slot> locals_;
  int chain_ = 0;
};

class Converter {
 public:
  explicit Converter(const hcl::File& file) : file_(file), eval_(file) {}

  Evaluator& eval() { return eval_; }

  // The attributes and nested blocks of `body` as an object. At a resource's
  // top level (`metadata` given) the meta-arguments go to `metadata`.
  Value BodyValue(const hcl::Body& body, KeyLines* lines, const std::string& prefix, rego::ObjectEntries* metadata) {
    rego::ObjectEntries entries;
    entries.reserve(body.attributes.size() + body.blocks.size());
    for (const hcl::Attribute& attr : body.attributes) {
      if (metadata != nullptr && IsMetaArgument(attr.name)) {
        metadata->emplace_back(Value::String(attr.name), eval_.Eval(attr.expr, nullptr, "").value);
        continue;
      }
      std::string path = Child(prefix, attr.name);
      if (lines != nullptr) (*lines)[path] = attr.begin.line;
      entries.emplace_back(Value::String(attr.name), eval_.Eval(attr.expr, lines, path).value);
    }
    // Blocks grouped by the key they appear under, in order of first appearance.
    std::vector<std::pair<std::string, std::vector<const hcl::Block*>>> groups;
    std::unordered_map<std::string, size_t> group_of;
    for (const hcl::Block& block : body.blocks) {
      if (metadata != nullptr && block.type == "lifecycle") {
        metadata->emplace_back(Value::String("lifecycle"), BodyValue(block.body, nullptr, "", nullptr));
        continue;
      }
      std::string key = block.type == "dynamic" && !block.labels.empty() ? block.labels[0] : block.type;
      auto [it, fresh] = group_of.emplace(key, groups.size());
      if (fresh) groups.emplace_back(key, std::vector<const hcl::Block*>{});
      groups[it->second].second.push_back(&block);
    }
    for (auto& [key, blocks] : groups) {
      std::string path = Child(prefix, key);
      if (lines != nullptr) (*lines)[path] = blocks[0]->begin.line;
      Value value;
      if (blocks.size() == 1) {
        value = BlockValue(*blocks[0], lines, path);
      } else {
        ValueVector items;
        items.reserve(blocks.size());
        for (size_t i = 0; i < blocks.size(); ++i) {
          std::string item_path = Child(path, std::to_string(i));
          if (lines != nullptr) (*lines)[item_path] = blocks[i]->begin.line;
          items.push_back(BlockValue(*blocks[i], lines, item_path));
        }
        value = Value::Array(std::move(items));
      }
      entries.emplace_back(Value::String(key), std::move(value));
    }
    return Value::Object(std::move(entries));
  }

  // Tags as an object of strings: literal values as their text, anything
  // else as written.
  Value Tags(const hcl::Body& body) {
    for (const hcl::Attribute& attr : body.attributes) {
      if (attr.name != "tags") continue;
      rego::ObjectEntries tags;
      if (attr.expr.kind == ExprKind::kObject) {
        const auto& items = attr.expr.items;
        for (size_t i = 0; i + 1 < items.size(); i += 2) {
          std::string key = eval_.ObjectKey(items[i]).first;
          Evaluated v = eval_.Eval(items[i + 1], nullptr, "");
          std::optional<std::string> text;
          if (v.literal) text = TemplateText(v.value);
          tags.emplace_back(Value::String(std::move(key)), Value::String(text ? *text : eval_.TextOf(items[i + 1])));
        }
        return Value::Object(std::move(tags));
      }
      Evaluated v = eval_.Eval(attr.expr, nullptr, "");
      if (!v.value.is_object()) return Value::EmptyObject();
      for (const auto& [k, item] : v.value.object()) {
        auto text = TemplateText(item);
        tags.emplace_back(k, Value::String(text ? *text : item.ToJson()));
      }
      return Value::Object(std::move(tags));
    }
    return Value::EmptyObject();
  }

 private:
  Value BlockValue(const hcl::Block& block, KeyLines* lines, const std::string& path) {
    bool dynamic = block.type == "dynamic" && !block.labels.empty();
    size_t first_label = dynamic ? 1 : 0;
    std::string body_path = path;
    for (size_t i = first_label; i < block.labels.size(); ++i) {
      body_path = Child(body_path, block.labels[i]);
      if (lines != nullptr) (*lines)[body_path] = block.begin.line;
    }
    Value value = BodyValue(block.body, lines, body_path, nullptr);
    for (size_t i = block.labels.size(); i-- > first_label;) {
      value = Value::Object({{Value::String(block.labels[i]), std::move(value)}});
    }
    return value;
  }

  const hcl::File& file_;
  Evaluator eval_;
};

// `#checkov:skip=ID:reason` (also `# checkov:skip=`, `//`) comments between
// lines `first` and `last`.
std::vector<Suppression> SuppressionsIn(const std::vector<hcl::Comment>& comments, int first, int last) {
  std::vector<Suppression> out;
  auto it = std::lower_bound(comments.begin(), comments.end(), first,
                             [](const hcl::Comment& c, int line) { return c.begin.line < line; });
  for (; it != comments.end() && it->begin.line <= last; ++it) {
    std::string_view text = it->text;
    if (text.starts_with("#")) {
      text.remove_prefix(1);
    } else if (text.starts_with("//")) {
      text.remove_prefix(2);
    } else {
      continue;
    }
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    constexpr std::string_view kSkip = "checkov:skip=";
    if (!text.starts_with(kSkip)) continue;
    text.remove_prefix(kSkip.size());
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    size_t id_end = 0;
    while (id_end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[id_end])) || text[id_end] == '_' || text[id_end] == '-')) {
      ++id_end;
    }
    if (id_end == 0) continue;
    Suppression s;
    s.id = std::string(text.substr(0, id_end));
    text.remove_prefix(id_end);
    if (text.starts_with(":")) {
      text.remove_prefix(1);
      while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
      s.reason = std::string(text);
    }
    s.line = it->begin.line;
    out.push_back(std::move(s));
  }
  return out;
}

std::string Where(const std::string& file, const hcl::Position& at) {
  return file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

// name -> value, in an order-independent object; a repeated name becomes an
// array of its values in order.
class Section {
 public:
  void Add(const std::string& name, Value v) {
    auto [it, fresh] = values_.try_emplace(name);
    it->second.push_back(std::move(v));
  }
  Value ToValue() const {
    rego::ObjectEntries entries;
    for (const auto& [name, vs] : values_) {
      entries.emplace_back(Value::String(name), vs.size() == 1 ? vs[0] : Value::Array(vs));
    }
    return Value::Object(std::move(entries));
  }

 private:
  std::map<std::string, ValueVector> values_;
};

}  // namespace

Result<Template> LoadTerraform(const std::string& path, std::string_view content) {
  CUSTODY_ASSIGN_OR_RETURN(hcl::File file, hcl::Parse(path, content));
  Template out;
  out.file = path;
  out.format = kTerraform;

  Converter conv(file);
  // Variables and locals first: resources may use them before they appear.
  for (const hcl::Block& block : file.body.blocks) {
    if (block.type == "variable" && block.labels.size() == 1) {
      const Expression* def = nullptr;
      for (const hcl::Attribute& a : block.body.attributes) {
        if (a.name == "default") def = &a.expr;
      }
      conv.eval().AddVariable(block.labels[0], def);
    } else if (block.type == "locals") {
      for (const hcl::Attribute& a : block.body.attributes) conv.eval().AddLocal(a.name, &a.expr);
    }
  }

  std::map<std::string, std::map<std::string, Value>> resources_doc;
  std::map<std::string, std::map<std::string, Value>> data_doc;
  Section variables, locals, outputs, modules, providers;
  std::map<std::string, int, std::less<>> seen;  // address -> line

  for (const hcl::Block& block : file.body.blocks) {
    const std::string& kind = block.type;
    if (kind == "resource" || kind == "data") {
      if (block.labels.size() != 2) {
        return Error::Input(Where(path, block.begin) + ": a " + kind +
                            " block needs two labels, its type and its name, as in " + kind +
                            " \"aws_s3_bucket\" \"logs\" { ... }");
      }
      Resource r;
      r.type = kind == "data" ? "data." + block.labels[0] : block.labels[0];
      r.name = block.labels[1];
      r.address = r.type + "." + r.name;
      r.line = block.begin.line;
      r.end_line = block.end.line;
      r.properties_line = block.begin.line;
      auto [it, fresh] = seen.emplace(r.address, r.line);
      if (!fresh) {
        out.warnings.push_back(std::to_string(r.line) + ": " + r.address + " is defined again (first at line " +
                               std::to_string(it->second) + "); the later block is ignored");
        continue;
      }
      rego::ObjectEntries metadata;
      r.properties = conv.BodyValue(block.body, &r.key_lines, "", &metadata);
      r.metadata = Value::Object(std::move(metadata));
      r.tags = conv.Tags(block.body);
      r.suppressions = SuppressionsIn(file.comments, r.line, r.end_line);
      (kind == "data" ? data_doc : resources_doc)[block.labels[0]][r.name] = r.properties;
      out.resources.push_back(std::move(r));
    } else if (kind == "variable" || kind == "output" || kind == "module" || kind == "provider") {
      if (block.labels.size() != 1) {
        out.warnings.push_back(std::to_string(block.begin.line) + ": a " + kind +
                               " block needs one label, its name; the block is ignored");
        continue;
      }
      Value body = conv.BodyValue(block.body, nullptr, "", nullptr);
      Section& section = kind == "variable" ? variables : kind == "output" ? outputs : kind == "module" ? modules : providers;
      section.Add(block.labels[0], std::move(body));
    } else if (kind == "locals") {
      for (const hcl::Attribute& a : block.body.attributes) {
        Value v = conv.eval().Local(a.name).value;
        locals.Add(a.name, v.is_defined() ? v : Value::String(conv.eval().TextOf(a.expr)));
      }
    }
  }

  auto nested = [](const std::map<std::string, std::map<std::string, Value>>& m) {
    rego::ObjectEntries outer;
    for (const auto& [type, byname] : m) {
      rego::ObjectEntries inner;
      for (const auto& [name, v] : byname) inner.emplace_back(Value::String(name), v);
      outer.emplace_back(Value::String(type), Value::Object(std::move(inner)));
    }
    return Value::Object(std::move(outer));
  };
  out.document = Value::Object({
      {Value::String("resources"), nested(resources_doc)},
      {Value::String("data"), nested(data_doc)},
      {Value::String("variables"), variables.ToValue()},
      {Value::String("locals"), locals.ToValue()},
      {Value::String("outputs"), outputs.ToValue()},
      {Value::String("modules"), modules.ToValue()},
      {Value::String("providers"), providers.ToValue()},
  });
  return out;
}

}  // namespace custody::iac
