// GraphQL schema and query validation for the graphql.* built-ins: gqlparser
// v2.5's ValidateSchemaDocument and its validation rules (validator/rules),
// with the same messages, positions and error order, so that graphql.parse
// reports what OPA reports and graphql.is_valid agrees with it.
//
// gqlparser has no limits; here every loop a document controls is bounded:
// name lookups go through hash indexes instead of linear scans, recursion is
// depth-limited, and a work budget stops pathological documents (for
// instance the overlapping-fields check, which is exponential in the worst
// case) with an error instead of a hang.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "rego/builtins/graphql_parser.h"

namespace custody::rego::graphql {
namespace {

constexpr long kWorkBudget = 1'000'000;
// Edit-distance cells spent on "Did you mean" suggestions; past it, errors
// simply carry no suggestion.
constexpr long kSuggestionBudget = 20'000'000;
constexpr int kMaxWalkDepth = 1000;
constexpr size_t kMaxErrors = 1000;
const char kBudgetMessage[] = "GraphQL validation exceeded its work limit";

// ---- Name lookups ----
//
// gqlparser's ForName is a linear scan returning the first match. Lists are
// indexed on first use (keyed by the list's address, which is stable while
// validating) so that wide documents stay linear.

const std::string& NameOf(const FieldDefinition* n) { return n->name; }
const std::string& NameOf(const ArgumentDefinition* n) { return n->name; }
const std::string& NameOf(const EnumValueDefinition* n) { return n->name; }
const std::string& NameOf(const Argument* n) { return n->name; }
const std::string& NameOf(const VariableDefinition* n) { return n->variable; }
const std::string& NameOf(const FragmentDefinition* n) { return n->name; }
const std::string& NameOf(const ChildValue* n) { return n->name; }

class Lookup {
 public:
  template <typename T>
  T* Find(const std::vector<T*>& list, const std::string& name) {
    if (list.size() <= 8) {
      for (T* item : list) {
        if (item != nullptr && NameOf(item) == name) return item;
      }
      return nullptr;
    }
    auto [it, inserted] = index_.try_emplace(static_cast<const void*>(&list));
    if (inserted) {
      for (T* item : list) {
        if (item != nullptr) it->second.try_emplace(NameOf(item), item);
      }
    }
    auto found = it->second.find(name);
    return found == it->second.end() ? nullptr : static_cast<T*>(found->second);
  }

 private:
  std::unordered_map<const void*, std::unordered_map<std::string, void*>> index_;
};

// ---- Small helpers shared by the schema and query checks ----

const std::string& TypeName(const Type* t) {
  static const std::string kEmpty;
  return t == nullptr ? kEmpty : t->Name();
}

std::string TypeString(const Type* t) { return t == nullptr ? std::string() : t->String(); }

// gqlerror.ErrorPosf: a missing position is reported as -1:-1.
GqlError ErrorAt(const Pos& pos, std::string message) {
  Pos p = pos;
  if (!p.set) p = Pos{-1, -1, true, false};
  return GqlError{std::move(message), p};
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// Given [A, B, C] returns "A, B, or C" (at most five items).
std::string OrList(std::vector<std::string> items) {
  if (items.size() > 5) items.resize(5);
  if (items.size() == 2) return items[0] + " or " + items[1];
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += i == items.size() - 1 ? ", or " : ", ";
    out += items[i];
  }
  return out;
}

std::string QuotedOrList(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const std::string& s : items) quoted.push_back(Quoted(s));
  return OrList(std::move(quoted));
}

std::vector<uint32_t> Runes(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int w = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t r = w == 1 ? c : w == 2 ? (c & 0x1F) : w == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < w && i + static_cast<size_t>(k) < s.size(); ++k) {
      r = r << 6 | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    }
    out.push_back(r);
    i += static_cast<size_t>(w);
  }
  return out;
}

std::string AsciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// A work budget for one validation run.
struct Budget {
  explicit Budget(long limit = kWorkBudget) : limit(limit) {}
  long limit;
  long used = 0;
  bool exhausted = false;
  bool Spend(long units) {
    used += units;
    if (used > limit) exhausted = true;
    return !exhausted;
  }
};

// gqlparser's SuggestionList: options within the typo threshold of `input`,
// closest first (case differences count as one edit).
std::vector<std::string> SuggestionList(const std::string& input, const std::vector<std::string>& options,
                                        Budget& budget) {
  std::vector<std::pair<int, std::string>> results;
  const long threshold = static_cast<long>(std::floor(static_cast<double>(input.size()) * 0.4) + 1);
  const std::string a_lower = AsciiLower(input);
  const std::vector<uint32_t> a = Runes(a_lower);
  for (const std::string& option : options) {
    int distance;
    if (option == input) {
      distance = 0;
    } else {
      std::string b_lower = AsciiLower(option);
      if (b_lower == a_lower) {
        distance = 1;
      } else {
        std::vector<uint32_t> b = Runes(b_lower);
        long diff = static_cast<long>(a.size()) - static_cast<long>(b.size());
        if (std::labs(diff) > threshold) continue;  // the distance is at least the length difference
        if (!budget.Spend(static_cast<long>((a.size() + 1) * (b.size() + 1)))) return {};
        std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
        for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
        for (size_t i = 1; i <= a.size(); ++i) {
          cur[0] = static_cast<int>(i);
          for (size_t j = 1; j <= b.size(); ++j) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
          }
          std::swap(prev, cur);
        }
        distance = prev[b.size()];
      }
    }
    if (distance <= threshold) results.emplace_back(distance, option);
  }
  std::stable_sort(results.begin(), results.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (auto& r : results) out.push_back(std::move(r.second));
  return out;
}

// ---- Schema validation (gqlparser validator/schema.go) ----

class SchemaValidator {
 public:
  SchemaValidator(Arena& arena, Schema& schema) : arena_(arena), schema_(schema) {}

  bool Build(SchemaDocument& ast, GqlError* error) {
    for (Definition* def : ast.definitions) {
      if (schema_.types.count(def->name) != 0) {
        return Fail(error, ErrorAt(def->pos, "Cannot redeclare type " + def->name + "."));
      }
      schema_.types[def->name] = def;
    }
    std::vector<Definition*> defs = ast.definitions;
    for (Definition* ext : ast.extensions) {
      Definition* def = schema_.TypeNamed(ext->name);
      if (def == nullptr) {
        def = arena_.New<Definition>();
        def->kind = ext->kind;
        def->name = ext->name;
        def->pos = ext->pos;
        schema_.types[ext->name] = def;
        defs.push_back(def);
      }
      if (def->kind != ext->kind) {
        return Fail(error,
                    ErrorAt(ext->pos, "Cannot extend type " + ext->name + " because the base type is a " +
                                          def->kind + ", not " + ext->kind + "."));
      }
      Append(def->directives, ext->directives);
      Append(def->interfaces, ext->interfaces);
      Append(def->fields, ext->fields);
      Append(def->types, ext->types);
      Append(def->enum_values, ext->enum_values);
    }

    for (Definition* def : defs) {
      if (def->kind == "UNION") {
        for (const std::string& t : def->types) {
          schema_.possible_types[def->name].push_back(schema_.TypeNamed(t));
          schema_.implements[t].push_back(def);
        }
      } else if (def->kind == "INPUT_OBJECT" || def->kind == "OBJECT") {
        for (const std::string& intf : def->interfaces) {
          schema_.possible_types[intf].push_back(def);
          schema_.implements[def->name].push_back(schema_.TypeNamed(intf));
        }
        schema_.possible_types[def->name].push_back(def);
      } else if (def->kind == "INTERFACE") {
        for (const std::string& intf : def->interfaces) {
          schema_.possible_types[intf].push_back(def);
          schema_.implements[def->name].push_back(schema_.TypeNamed(intf));
        }
      }
    }

    for (DirectiveDefinition* dir : ast.directives) {
      if (schema_.directives.count(dir->name) != 0) {
        // SDL may restate the built-in directives; any other repeat is an error.
        if (dir->name != "include" && dir->name != "skip" && dir->name != "deprecated" &&
            dir->name != "specifiedBy") {
          return Fail(error, ErrorAt(dir->pos, "Cannot redeclare directive " + dir->name + "."));
        }
      }
      schema_.directives[dir->name] = dir;
    }

    if (ast.schema.size() > 1) {
      return Fail(error,
                  ErrorAt(ast.schema[1]->pos,
                          "Cannot have multiple schema entry points, consider schema extensions instead."));
    }
    if (ast.schema.size() == 1) {
      schema_.description = ast.schema[0]->description;
      if (!SetRoots(ast.schema[0]->operation_types, error)) return false;
    }
    for (SchemaDefinition* ext : ast.schema_extension) {
      if (!SetRoots(ext->operation_types, error)) return false;
    }

    // std::map iterates in sorted order, as gqlparser sorts the names.
    for (auto& [name, def] : schema_.types) {
      if (auto err = ValidateDefinition(*def)) return Fail(error, *err);
    }
    for (auto& [name, dir] : schema_.directives) {
      if (auto err = ValidateName(dir->pos, dir->name)) return Fail(error, *err);
      if (auto err = ValidateArgs(dir->arguments, dir)) return Fail(error, *err);
    }
    if (budget_.exhausted) return Fail(error, ErrorAt(Pos{}, kBudgetMessage));

    // Root operation types are inferred by name only without a schema block.
    if (ast.schema.empty()) {
      if (schema_.query == nullptr) schema_.query = schema_.TypeNamed("Query");
      if (schema_.mutation == nullptr) schema_.mutation = schema_.TypeNamed("Mutation");
      if (schema_.subscription == nullptr) schema_.subscription = schema_.TypeNamed("Subscription");
    }
    if (schema_.query != nullptr) {
      auto* schema_field = arena_.New<FieldDefinition>();
      schema_field->name = "__schema";
      schema_field->type = NamedType("__Schema", true);
      auto* type_field = arena_.New<FieldDefinition>();
      type_field->name = "__type";
      type_field->type = NamedType("__Type", false);
      auto* name_arg = arena_.New<ArgumentDefinition>();
      name_arg->name = "name";
      name_arg->type = NamedType("String", true);
      type_field->arguments.push_back(name_arg);
      schema_.query->fields.push_back(schema_field);
      schema_.query->fields.push_back(type_field);
    }
    return true;
  }

 private:
  using MaybeError = std::optional<GqlError>;

  static bool Fail(GqlError* error, GqlError e) {
    *error = std::move(e);
    return false;
  }

  template <typename T>
  static void Append(std::vector<T>& to, const std::vector<T>& from) {
    to.insert(to.end(), from.begin(), from.end());
  }

  Type* NamedType(const char* name, bool non_null) {
    auto* t = arena_.New<Type>();
    t->named_type = name;
    t->non_null = non_null;
    return t;
  }

  bool SetRoots(const std::vector<OperationTypeDefinition*>& roots, GqlError* error) {
    for (OperationTypeDefinition* entry : roots) {
      Definition* def = schema_.TypeNamed(entry->type);
      if (def == nullptr) {
        return Fail(error, ErrorAt(entry->pos, "Schema root " + entry->operation + " refers to a type " +
                                                   entry->type + " that does not exist."));
      }
      if (entry->operation == "query") {
        schema_.query = def;
      } else if (entry->operation == "mutation") {
        schema_.mutation = def;
      } else if (entry->operation == "subscription") {
        schema_.subscription = def;
      }
    }
    return true;
  }

  static bool IsValidKind(const std::string& kind, std::initializer_list<const char*> valid) {
    for (const char* k : valid) {
      if (kind == k) return true;
    }
    return false;
  }

  MaybeError ValidateName(const Pos& pos, const std::string& name) {
    if (name.rfind("__", 0) == 0) {
      return ErrorAt(pos, "Name \"" + name +
                              "\" must not begin with \"__\", which is reserved by GraphQL introspection.");
    }
    return std::nullopt;
  }

  MaybeError ValidateTypeRef(const Type* typ) {
    if (schema_.TypeNamed(TypeName(typ)) == nullptr) {
      return ErrorAt(typ != nullptr ? typ->pos : Pos{}, "Undefined type " + TypeName(typ) + ".");
    }
    return std::nullopt;
  }

  MaybeError ValidateArgs(const std::vector<ArgumentDefinition*>& args, const DirectiveDefinition* current) {
    for (const ArgumentDefinition* arg : args) {
      if (auto err = ValidateName(arg->pos, arg->name)) return err;
      if (auto err = ValidateTypeRef(arg->type)) return err;
      const Definition* def = schema_.TypeNamed(TypeName(arg->type));
      if (!def->IsInputType()) {
        return ErrorAt(arg->pos, "cannot use " + TypeString(arg->type) + " as argument " + arg->name +
                                     " because " + def->kind + " is not a valid input type");
      }
      if (auto err = ValidateDirectives(arg->directives, "ARGUMENT_DEFINITION", current)) return err;
    }
    return std::nullopt;
  }

  MaybeError ValidateDirectives(const std::vector<Directive*>& dirs, const std::string& location,
                                const DirectiveDefinition* current) {
    for (Directive* dir : dirs) {
      if (auto err = ValidateName(dir->pos, dir->name)) return err;
      if (current != nullptr && dir->name == current->name) {
        return ErrorAt(dir->pos, "Directive " + current->name + " cannot refer to itself.");
      }
      auto it = schema_.directives.find(dir->name);
      if (it == schema_.directives.end()) return ErrorAt(dir->pos, "Undefined directive " + dir->name + ".");
      const auto& locations = it->second->locations;
      if (std::find(locations.begin(), locations.end(), location) == locations.end()) {
        return ErrorAt(dir->pos, "Directive " + dir->name + " is not applicable on " + location + ".");
      }
      dir->definition = it->second;
    }
    return std::nullopt;
  }

  MaybeError ValidateDefinition(Definition& def) {
    if (!budget_.Spend(1 + static_cast<long>(def.fields.size()))) return ErrorAt(Pos{}, kBudgetMessage);
    for (const FieldDefinition* field : def.fields) {
      if (auto err = ValidateName(field->pos, field->name)) return err;
      if (auto err = ValidateTypeRef(field->type)) return err;
      if (auto err = ValidateArgs(field->arguments, nullptr)) return err;
      const char* where = def.kind == "INPUT_OBJECT" ? "INPUT_FIELD_DEFINITION" : "FIELD_DEFINITION";
      if (auto err = ValidateDirectives(field->directives, where, nullptr)) return err;
    }
    for (const std::string& typ : def.types) {
      const Definition* member = schema_.TypeNamed(typ);
      if (member == nullptr) return ErrorAt(def.pos, "Undefined type " + GoQuote(typ) + ".");
      if (member->kind != "OBJECT")
        return ErrorAt(def.pos, def.kind + " type " + GoQuote(typ) + " must be OBJECT.");
    }
    for (const std::string& intf : def.interfaces) {
      if (auto err = ValidateImplements(def, intf)) return err;
    }
    if (def.kind == "OBJECT" || def.kind == "INTERFACE") {
      if (def.fields.empty())
        return ErrorAt(def.pos, def.kind + " " + def.name + ": must define one or more fields.");
      for (const FieldDefinition* field : def.fields) {
        const Definition* typ = schema_.TypeNamed(TypeName(field->type));
        if (typ != nullptr && !IsValidKind(typ->kind, {"SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM"})) {
          return ErrorAt(field->pos, def.kind + " " + def.name +
                                         ": field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.");
        }
      }
    } else if (def.kind == "ENUM") {
      if (def.enum_values.empty()) {
        return ErrorAt(def.pos, def.kind + " " + def.name + ": must define one or more unique enum values.");
      }
      for (const EnumValueDefinition* value : def.enum_values) {
        if (value->name == "true" || value->name == "false" || value->name == "null") {
          return ErrorAt(def.pos, def.kind + " " + def.name + ": non-enum value " + value->name + ".");
        }
      }
    } else if (def.kind == "INPUT_OBJECT") {
      if (def.fields.empty()) {
        return ErrorAt(def.pos, def.kind + " " + def.name + ": must define one or more input fields.");
      }
      for (const FieldDefinition* field : def.fields) {
        const Definition* typ = schema_.TypeNamed(TypeName(field->type));
        if (typ != nullptr && !IsValidKind(typ->kind, {"SCALAR", "ENUM", "INPUT_OBJECT"})) {
          return ErrorAt(field->pos, typ->kind + " " + field->name +
                                         ": field must be one of SCALAR, ENUM, INPUT_OBJECT.");
        }
      }
    }
    // The first field (in order) that is repeated later, reported at its
    // next repetition.
    {
      std::unordered_map<std::string, std::vector<size_t>> at;
      for (size_t i = 0; i < def.fields.size(); ++i) at[def.fields[i]->name].push_back(i);
      for (size_t i = 0; i < def.fields.size(); ++i) {
        const auto& indexes = at[def.fields[i]->name];
        auto next = std::upper_bound(indexes.begin(), indexes.end(), i);
        if (next != indexes.end()) {
          const FieldDefinition* field2 = def.fields[*next];
          return ErrorAt(field2->pos,
                         "Field " + def.name + "." + field2->name + " can only be defined once.");
        }
      }
    }
    if (!def.built_in) {
      if (auto err = ValidateName(def.pos, def.name)) return err;
    }
    return ValidateDirectives(def.directives, def.kind, nullptr);
  }

  MaybeError ValidateImplements(const Definition& def, const std::string& intf_name) {
    const Definition* intf = schema_.TypeNamed(intf_name);
    if (intf == nullptr) return ErrorAt(def.pos, "Undefined type " + GoQuote(intf_name) + ".");
    if (intf->kind != "INTERFACE") {
      return ErrorAt(def.pos, GoQuote(intf_name) + " is a non interface type " + intf->kind + ".");
    }
    if (!budget_.Spend(1 + static_cast<long>(intf->fields.size()))) return ErrorAt(Pos{}, kBudgetMessage);
    for (const FieldDefinition* required : intf->fields) {
      const FieldDefinition* found = lookup_.Find(def.fields, required->name);
      if (found == nullptr) {
        return ErrorAt(def.pos, "For " + def.name + " to implement " + intf->name +
                                    " it must have a field called " + required->name + ".");
      }
      if (required->type != nullptr && found->type != nullptr &&
          !IsCovariant(*required->type, *found->type)) {
        return ErrorAt(found->pos, "For " + def.name + " to implement " + intf->name + " the field " +
                                       required->name + " must have type " + required->type->String() + ".");
      }
      for (const ArgumentDefinition* required_arg : required->arguments) {
        const ArgumentDefinition* found_arg = lookup_.Find(found->arguments, required_arg->name);
        if (found_arg == nullptr) {
          return ErrorAt(found->pos, "For " + def.name + " to implement " + intf->name + " the field " +
                                         required->name + " must have the same arguments but it is missing " +
                                         required_arg->name + ".");
        }
        if (required_arg->type != nullptr && found_arg->type != nullptr &&
            !required_arg->type->IsCompatible(*found_arg->type)) {
          return ErrorAt(found_arg->pos, "For " + def.name + " to implement " + intf->name + " the field " +
                                             required->name + " must have the same arguments but " +
                                             required_arg->name + " has the wrong type.");
        }
      }
      for (const ArgumentDefinition* found_arg : found->arguments) {
        if (lookup_.Find(required->arguments, found_arg->name) == nullptr && found_arg->type != nullptr &&
            found_arg->type->non_null && found_arg->default_value == nullptr) {
          return ErrorAt(found_arg->pos, "For " + def.name + " to implement " + intf->name +
                                             " any additional arguments on " + found->name +
                                             " must be optional or have a default value but " +
                                             found_arg->name + " is required.");
        }
      }
    }
    // Interfaces implemented by the interface must be implemented too.
    for (const std::string& transitive : intf->interfaces) {
      if (std::find(def.interfaces.begin(), def.interfaces.end(), transitive) == def.interfaces.end()) {
        if (transitive == def.name) {
          return ErrorAt(def.pos, "Type " + def.name + " cannot implement " + intf_name +
                                      " because it would create a circular reference.");
        }
        return ErrorAt(def.pos, "Type " + def.name + " must implement " + transitive +
                                    " because it is implemented by " + intf_name + ".");
      }
    }
    return std::nullopt;
  }

  bool IsCovariant(const Type& required, const Type& actual) {
    const Type* r = &required;
    const Type* a = &actual;
    while (true) {
      if (r->non_null && !a->non_null) return false;
      if (!r->named_type.empty()) {
        if (r->named_type == a->named_type) return true;
        const auto& possible = schema_.PossibleTypes(r->named_type);
        budget_.Spend(static_cast<long>(possible.size()));
        for (const Definition* pt : possible) {
          if (pt != nullptr && pt->name == a->named_type) return true;
        }
        return false;
      }
      if (r->elem != nullptr && a->elem == nullptr) return false;
      if (r->elem == nullptr) return false;
      r = r->elem;
      a = a->elem;
    }
  }

  Arena& arena_;
  Schema& schema_;
  Lookup lookup_;
  Budget budget_;
};

// ---- Query validation (gqlparser validator/walk.go and validator/rules) ----

// Go's strconv.ParseInt(s, 10, bits): 0 ok, 1 syntax error, 2 out of range.
// Like Go, overflowing 64 bits is reported before a later bad character.
int ParseIntStatus(const std::string& s, int bits) {
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i >= s.size()) return 1;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return 1;
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return 2;
    v = v * 10 + d;
  }
  uint64_t limit = uint64_t{1} << (bits - 1);
  if (neg ? v > limit : v >= limit) return 2;
  return 0;
}

// Go's strconv.ParseFloat(s, 64) succeeding (decimal forms and inf/nan).
bool ParseFloatOk(const std::string& s) {
  std::string lower = AsciiLower(s);
  size_t i = 0;
  if (i < lower.size() && (lower[i] == '+' || lower[i] == '-')) ++i;
  std::string rest = lower.substr(i);
  if (rest == "inf" || rest == "infinity" || (rest == "nan" && i == 0)) return true;
  size_t digits = 0, j = i;
  while (j < lower.size() && std::isdigit(static_cast<unsigned char>(lower[j]))) ++j, ++digits;
  if (j < lower.size() && lower[j] == '.') {
    ++j;
    while (j < lower.size() && std::isdigit(static_cast<unsigned char>(lower[j]))) ++j, ++digits;
  }
  if (digits == 0) return false;
  if (j < lower.size() && lower[j] == 'e') {
    ++j;
    if (j < lower.size() && (lower[j] == '+' || lower[j] == '-')) ++j;
    size_t exp_digits = 0;
    while (j < lower.size() && std::isdigit(static_cast<unsigned char>(lower[j]))) ++j, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (j != lower.size()) return false;
  errno = 0;
  double d = std::strtod(s.c_str(), nullptr);
  return !(errno == ERANGE && std::isinf(d));
}

bool ParseBoolOk(const std::string& s) {
  static const char* const kAccepted[] = {"1", "t", "T", "TRUE",  "true",  "True",
                                          "0", "f", "F", "FALSE", "false", "False"};
  for (const char* a : kAccepted) {
    if (s == a) return true;
  }
  return false;
}

// gqlparser's Value.Value(nil) failing: a number that does not parse, or an
// element of a list or object that does not.
bool ValueFails(const ValueNode* v, int depth = 0) {
  if (v == nullptr || depth > 4 * kMaxNestingDepth) return false;
  switch (v->kind) {
    case kVariable:
      if (v->variable_definition != nullptr && v->variable_definition->default_value != nullptr) {
        return ValueFails(v->variable_definition->default_value, depth + 1);
      }
      return false;
    case kIntValue: return ParseIntStatus(v->raw, 64) != 0;
    case kFloatValue: return !ParseFloatOk(v->raw);
    case kBooleanValue: return !ParseBoolOk(v->raw);
    case kListValue:
    case kObjectValue:
      for (const ChildValue* c : v->children) {
        if (c != nullptr && ValueFails(c->value, depth + 1)) return true;
      }
      return false;
    case kStringValue:
    case kBlockValue:
    case kEnumValue:
    case kNullValue: return false;
    default: return true;
  }
}

bool OneOf(const Definition* d, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (d->name == n) return true;
  }
  return false;
}

struct ConflictMessage {
  std::string message;
  std::string response_name;
  std::vector<std::unique_ptr<ConflictMessage>> sub_messages;
  Pos pos;

  void Write(std::string& out) const {
    if (sub_messages.empty()) {
      out += message;
      return;
    }
    for (size_t i = 0; i < sub_messages.size(); ++i) {
      out += "subfields \"" + sub_messages[i]->response_name + "\" conflict because ";
      sub_messages[i]->Write(out);
      if (i + 1 != sub_messages.size()) out += " and ";
    }
  }
};
using Conflicts = std::vector<std::unique_ptr<ConflictMessage>>;

// Fields grouped by response name, in order of first appearance.
struct FieldsMap {
  std::vector<std::string> seq;
  std::unordered_map<std::string, std::vector<Field*>> data;

  void Push(const std::string& name, Field* f) {
    auto [it, inserted] = data.try_emplace(name);
    if (inserted) seq.push_back(name);
    it->second.push_back(f);
  }
  bool operator==(const FieldsMap& other) const { return seq == other.seq && data == other.data; }
};

class QueryValidator {
 public:
  QueryValidator(Arena& arena, const Schema& schema, QueryDocument& doc)
      : arena_(arena), schema_(schema), doc_(doc) {}

  std::vector<GqlError> Run() {
    for (OperationDefinition* op : doc_.operations) {
      if (Stopped()) break;
      validated_spreads_.clear();
      WalkOperation(op);
    }
    for (FragmentDefinition* frag : doc_.fragments) {
      if (Stopped()) break;
      validated_spreads_.clear();
      WalkFragment(frag);
    }
    if (budget_.exhausted || too_deep_) {
      errors_.push_back(GqlError{
          budget_.exhausted ? kBudgetMessage : "GraphQL document nested too deeply to validate", Pos{}});
    }
    return std::move(errors_);
  }

 private:
  bool Stopped() const { return errors_.size() >= kMaxErrors || budget_.exhausted || too_deep_; }

  // validator.Message + At: an error with the node's location when it has one.
  void AddError(std::string message, const Pos& pos) {
    if (errors_.size() >= kMaxErrors) return;
    errors_.push_back(GqlError{std::move(message), pos});
  }

  Definition* TypeNamed(const std::string& name) const { return schema_.TypeNamed(name); }

  FieldDefinition* FieldOf(const Definition* def, const std::string& name) {
    return lookup_.Find(def->fields, name);
  }

  // ---- The walk (validator/walk.go) ----

  void WalkOperation(OperationDefinition* op) {
    current_ = op;
    for (VariableDefinition* var : op->variable_definitions) {
      var->definition = TypeNamed(TypeName(var->type));
      OnVariable(var);
      if (var->default_value != nullptr) {
        var->default_value->expected_type = var->type;
        var->default_value->definition = TypeNamed(TypeName(var->type));
      }
    }
    Definition* def = nullptr;
    std::string loc;
    if (op->operation == "query" || op->operation.empty()) {
      def = schema_.query;
      loc = "QUERY";
    } else if (op->operation == "mutation") {
      def = schema_.mutation;
      loc = "MUTATION";
    } else if (op->operation == "subscription") {
      def = schema_.subscription;
      loc = "SUBSCRIPTION";
    }
    for (VariableDefinition* var : op->variable_definitions) {
      if (var->default_value != nullptr) WalkValue(var->default_value, 0);
      WalkDirectives(var->definition, var->directives, "VARIABLE_DEFINITION");
    }
    WalkDirectives(def, op->directives, loc);
    WalkSelectionSet(def, op->selection_set, 0);
    OnOperation(op);
    current_ = nullptr;
  }

  void WalkFragment(FragmentDefinition* frag) {
    Definition* def = TypeNamed(frag->type_condition);
    frag->definition = def;
    WalkDirectives(def, frag->directives, "FRAGMENT_DEFINITION");
    WalkSelectionSet(def, frag->selection_set, 0);
    OnFragment(frag);
  }

  void WalkDirectives(Definition* parent, const std::vector<Directive*>& dirs, const std::string& location) {
    for (Directive* dir : dirs) {
      auto it = schema_.directives.find(dir->name);
      DirectiveDefinition* def = it == schema_.directives.end() ? nullptr : it->second;
      dir->definition = def;
      dir->parent_definition = parent;
      dir->location = location;
      for (Argument* arg : dir->arguments) {
        ArgumentDefinition* arg_def = def != nullptr ? lookup_.Find(def->arguments, arg->name) : nullptr;
        WalkArgument(arg_def, arg);
      }
      OnDirective(dir);
    }
    OnDirectiveList(dirs);
  }

  void WalkValue(ValueNode* value, int depth) {
    if (value == nullptr) return;
    if (depth > kMaxWalkDepth) {
      too_deep_ = true;
      return;
    }
    budget_.Spend(1);
    if (value->kind == kVariable && current_ != nullptr) {
      value->variable_definition = lookup_.Find(current_->variable_definitions, value->raw);
      if (value->variable_definition != nullptr) value->variable_definition->used = true;
    }
    if (value->kind == kObjectValue) {
      for (ChildValue* child : value->children) {
        if (child->value == nullptr) continue;
        if (value->definition != nullptr) {
          if (FieldDefinition* field_def = FieldOf(value->definition, child->name)) {
            child->value->expected_type = field_def->type;
            child->value->expected_type_has_default =
                field_def->default_value != nullptr && field_def->default_value->kind != kNullValue;
            child->value->definition = TypeNamed(TypeName(field_def->type));
          }
        }
        WalkValue(child->value, depth + 1);
      }
    }
    if (value->kind == kListValue) {
      for (ChildValue* child : value->children) {
        if (child->value == nullptr) continue;
        if (value->expected_type != nullptr && value->expected_type->elem != nullptr) {
          child->value->expected_type = value->expected_type->elem;
          child->value->definition = value->definition;
        }
        WalkValue(child->value, depth + 1);
      }
    }
    OnValue(value);
  }

  void WalkArgument(ArgumentDefinition* arg_def, Argument* arg) {
    if (arg->value == nullptr) return;
    if (arg_def != nullptr) {
      arg->value->expected_type = arg_def->type;
      arg->value->expected_type_has_default =
          arg_def->default_value != nullptr && arg_def->default_value->kind != kNullValue;
      arg->value->definition = TypeNamed(TypeName(arg_def->type));
    }
    WalkValue(arg->value, 0);
  }

  void WalkSelectionSet(Definition* parent, const std::vector<Selection*>& set, int depth) {
    for (Selection* child : set) {
      if (Stopped()) return;
      WalkSelection(parent, child, depth);
    }
  }

  void WalkSelection(Definition* parent, Selection* sel, int depth) {
    if (depth > kMaxWalkDepth) {
      too_deep_ = true;
      return;
    }
    if (!budget_.Spend(1)) return;
    switch (sel->kind) {
      case SelectionKind::kField: {
        auto* field = static_cast<Field*>(sel);
        FieldDefinition* def = nullptr;
        if (field->name == "__typename") {
          def = arena_.New<FieldDefinition>();
          def->name = "__typename";
          def->type = arena_.New<Type>();
          def->type->named_type = "String";
        } else if (parent != nullptr) {
          def = FieldOf(parent, field->name);
        }
        field->definition = def;
        field->object_definition = parent;
        Definition* next = def != nullptr ? TypeNamed(TypeName(def->type)) : nullptr;
        for (Argument* arg : field->arguments) {
          ArgumentDefinition* arg_def = def != nullptr ? lookup_.Find(def->arguments, arg->name) : nullptr;
          WalkArgument(arg_def, arg);
        }
        WalkDirectives(next, field->directives, "FIELD");
        WalkSelectionSet(next, field->selection_set, depth + 1);
        OnField(field);
        break;
      }
      case SelectionKind::kInlineFragment: {
        auto* inline_fragment = static_cast<InlineFragment*>(sel);
        inline_fragment->object_definition = parent;
        Definition* next = parent;
        if (!inline_fragment->type_condition.empty()) next = TypeNamed(inline_fragment->type_condition);
        WalkDirectives(next, inline_fragment->directives, "INLINE_FRAGMENT");
        WalkSelectionSet(next, inline_fragment->selection_set, depth + 1);
        OnInlineFragment(inline_fragment);
        break;
      }
      case SelectionKind::kFragmentSpread: {
        auto* spread = static_cast<FragmentSpread*>(sel);
        FragmentDefinition* def = lookup_.Find(doc_.fragments, spread->name);
        spread->definition = def;
        spread->object_definition = parent;
        Definition* next = def != nullptr ? TypeNamed(def->type_condition) : nullptr;
        WalkDirectives(next, spread->directives, "FRAGMENT_SPREAD");
        if (def != nullptr && validated_spreads_.insert(def->name).second) {
          WalkSelectionSet(next, def->selection_set, depth + 1);
        }
        OnFragmentSpread(spread);
        break;
      }
    }
  }

  // ---- Events, each dispatched to the rules in gqlparser's registration
  // order (the rules' file names, alphabetically) ----

  void OnOperation(OperationDefinition* op) {
    KnownRootType(op);
    LoneAnonymousOperation(op);
    NoUnusedVariables(op);
    OverlappingFieldsWithin(op->selection_set);
    SingleFieldSubscriptions(op);
    UniqueOperationNames(op);
    UniqueVariableNames(op);
    VariablesAreInputTypes(op);
  }

  void OnField(Field* field) {
    FieldsOnCorrectType(field);
    KnownArgumentNamesOnField(field);
    // When walking operations only: fragments' fields are checked when the
    // fragment itself is.
    if (current_ != nullptr) OverlappingFieldsWithin(field->selection_set);
    ProvidedRequiredArgumentsOnField(field);
    ScalarLeafs(field);
    CheckUniqueArgs(field->arguments);
  }

  void OnFragment(FragmentDefinition* frag) {
    FragmentsOnCompositeTypes(frag);
    KnownTypeNamesOnFragment(frag);
    NoFragmentCycles(frag);
    in_fragment_definition_ = true;  // NoUnusedFragments
    if (used_fragment_names_.count(frag->name) == 0) {
      AddError("Fragment \"" + frag->name + "\" is never used.", frag->pos);
    }
    OverlappingFieldsWithin(frag->selection_set);
    if (!seen_fragment_names_.insert(frag->name).second) {
      AddError("There can be only one fragment named \"" + frag->name + "\".", frag->pos);
    }
  }

  void OnInlineFragment(InlineFragment* f) {
    // FragmentsOnCompositeTypes
    Definition* type = TypeNamed(f->type_condition);
    if (type != nullptr && !type->IsCompositeType()) {
      AddError("Fragment cannot condition on non composite type \"" + f->type_condition + "\".", f->pos);
    }
    // KnownTypeNames
    if (!f->type_condition.empty() && TypeNamed(f->type_condition) == nullptr) {
      AddError("Unknown type \"" + f->type_condition + "\".", f->pos);
    }
    OverlappingFieldsWithin(f->selection_set);
    // PossibleFragmentSpreads
    if (!CanSpread(f->object_definition, f->type_condition)) {
      AddError("Fragment cannot be spread here as objects of type \"" + f->object_definition->name +
                   "\" can never be of type \"" + f->type_condition + "\".",
               f->pos);
    }
  }

  void OnFragmentSpread(FragmentSpread* spread) {
    // KnownFragmentNames
    if (spread->definition == nullptr) AddError("Unknown fragment \"" + spread->name + "\".", spread->pos);
    // NoUnusedFragments
    if (!in_fragment_definition_) used_fragment_names_.insert(spread->name);
    // PossibleFragmentSpreads
    if (spread->definition != nullptr &&
        !CanSpread(spread->object_definition, spread->definition->type_condition)) {
      AddError("Fragment \"" + spread->name + "\" cannot be spread here as objects of type \"" +
                   spread->object_definition->name + "\" can never be of type \"" +
                   spread->definition->type_condition + "\".",
               spread->pos);
    }
  }

  void OnDirective(Directive* dir) {
    // KnownArgumentNames
    if (dir->definition != nullptr) {
      for (const Argument* arg : dir->arguments) {
        if (lookup_.Find(dir->definition->arguments, arg->name) != nullptr) continue;
        std::vector<std::string> names;
        for (const ArgumentDefinition* a : dir->definition->arguments) names.push_back(a->name);
        AddError("Unknown argument \"" + arg->name + "\" on directive \"@" + dir->name + "\"." +
                     Suggest("Did you mean", arg->name, names, true),
                 dir->pos);
      }
    }
    // KnownDirectives
    if (dir->definition == nullptr) {
      AddError("Unknown directive \"@" + dir->name + "\".", dir->pos);
    } else {
      const auto& locations = dir->definition->locations;
      if (std::find(locations.begin(), locations.end(), dir->location) == locations.end()) {
        auto key = std::make_tuple(dir->name, dir->pos.line, dir->pos.column);
        if (misplaced_directives_.insert(key).second) {
          AddError("Directive \"@" + dir->name + "\" may not be used on " + dir->location + ".", dir->pos);
        }
      }
    }
    // ProvidedRequiredArguments
    if (dir->definition != nullptr) {
      for (const ArgumentDefinition* arg_def : dir->definition->arguments) {
        if (arg_def->type == nullptr || !arg_def->type->non_null || arg_def->default_value != nullptr)
          continue;
        if (lookup_.Find(dir->arguments, arg_def->name) != nullptr) continue;
        AddError("Directive \"@" + dir->definition->name + "\" argument \"" + arg_def->name +
                     "\" of type \"" + arg_def->type->String() + "\" is required, but it was not provided.",
                 dir->pos);
      }
    }
    // UniqueArgumentNames
    CheckUniqueArgs(dir->arguments);
  }

  void OnDirectiveList(const std::vector<Directive*>& dirs) {
    // UniqueDirectivesPerLocation (gqlparser exempts a directive literally
    // named "repeatable", not repeatable directives).
    std::unordered_set<std::string> seen;
    for (const Directive* dir : dirs) {
      if (dir->name != "repeatable" && seen.count(dir->name) != 0) {
        AddError("The directive \"@" + dir->name + "\" can only be used once at this location.", dir->pos);
      }
      seen.insert(dir->name);
    }
  }

  void OnValue(ValueNode* value) {
    NoUndefinedVariables(value);
    if (value->kind == kObjectValue) {  // UniqueInputFieldNames
      std::unordered_set<std::string> seen;
      for (const ChildValue* field : value->children) {
        if (seen.count(field->name) != 0) {
          AddError("There can be only one input field named \"" + field->name + "\".", field->pos);
        }
        seen.insert(field->name);
      }
    }
    ValuesOfCorrectType(value);
    VariablesInAllowedPosition(value);
  }

  void OnVariable(VariableDefinition* var) {
    // KnownTypeNames
    if (TypeNamed(TypeName(var->type)) == nullptr) {
      AddError("Unknown type \"" + TypeName(var->type) + "\".", var->pos);
    }
  }

  // ---- Rules ----

  std::string Suggest(const std::string& prefix, const std::string& typed,
                      const std::vector<std::string>& options, bool quoted) {
    std::vector<std::string> suggested = SuggestionList(typed, options, suggestion_budget_);
    if (suggested.empty()) return "";
    return " " + prefix + " " + (quoted ? QuotedOrList(suggested) : OrList(suggested)) + "?";
  }

  void KnownRootType(const OperationDefinition* op) {
    const Definition* def = nullptr;
    if (op->operation == "query" || op->operation.empty()) {
      def = schema_.query;
    } else if (op->operation == "mutation") {
      def = schema_.mutation;
    } else if (op->operation == "subscription") {
      def = schema_.subscription;
    }
    if (def == nullptr) AddError("Schema does not support operation type \"" + op->operation + "\"", op->pos);
  }

  void LoneAnonymousOperation(const OperationDefinition* op) {
    if (op->name.empty() && doc_.operations.size() > 1) {
      AddError("This anonymous operation must be the only defined operation.", op->pos);
    }
  }

  void NoUnusedVariables(const OperationDefinition* op) {
    for (const VariableDefinition* var : op->variable_definitions) {
      if (var->used) continue;
      if (!op->name.empty()) {
        AddError("Variable \"$" + var->variable + "\" is never used in operation \"" + op->name + "\".",
                 var->pos);
      } else {
        AddError("Variable \"$" + var->variable + "\" is never used.", var->pos);
      }
    }
  }

  void SingleFieldSubscriptions(const OperationDefinition* op) {
    if (schema_.subscription == nullptr || op->operation != "subscription") return;
    struct TopField {
      std::string name;
      Pos pos;
    };
    std::vector<TopField> fields;
    std::unordered_set<std::string> in_fragment;
    // A spread of an unknown fragment ends the walk of its selection set.
    std::function<void(const std::vector<Selection*>&, int)> walk = [&](const std::vector<Selection*>& set,
                                                                        int depth) {
      if (depth > kMaxWalkDepth) return;
      for (const Selection* s : set) {
        if (s->kind == SelectionKind::kField) {
          fields.push_back({static_cast<const Field*>(s)->name, s->pos});
        } else if (s->kind == SelectionKind::kInlineFragment) {
          walk(static_cast<const InlineFragment*>(s)->selection_set, depth + 1);
        } else {
          const FragmentDefinition* def = static_cast<const FragmentSpread*>(s)->definition;
          if (def == nullptr) return;
          if (in_fragment.insert(def->name).second) walk(def->selection_set, depth + 1);
        }
      }
    };
    walk(op->selection_set, 0);
    std::vector<TopField> unique;
    std::unordered_set<std::string> seen;
    for (TopField& f : fields) {
      if (seen.insert(f.name).second) unique.push_back(std::move(f));
    }
    std::string name = op->name.empty() ? "Anonymous Subscription" : "Subscription " + GoQuote(op->name);
    if (unique.size() > 1) AddError(name + " must select only one top level field.", unique[1].pos);
    for (const TopField& f : unique) {
      if (f.name.rfind("__", 0) == 0)
        AddError(name + " must not select an introspection top level field.", f.pos);
    }
  }

  void UniqueOperationNames(const OperationDefinition* op) {
    if (!seen_operation_names_.insert(op->name).second) {
      AddError("There can be only one operation named \"" + op->name + "\".", op->pos);
    }
  }

  void UniqueVariableNames(const OperationDefinition* op) {
    std::unordered_map<std::string, int> seen;
    for (const VariableDefinition* var : op->variable_definitions) {
      if (seen[var->variable] == 1) {
        AddError("There can be only one variable named \"$" + var->variable + "\".", var->pos);
      }
      ++seen[var->variable];
    }
  }

  void VariablesAreInputTypes(const OperationDefinition* op) {
    for (const VariableDefinition* var : op->variable_definitions) {
      if (var->definition == nullptr) continue;
      if (!var->definition->IsInputType()) {
        AddError(
            "Variable \"$" + var->variable + "\" cannot be non-input type \"" + TypeString(var->type) + "\".",
            var->pos);
      }
    }
  }

  void FieldsOnCorrectType(const Field* field) {
    if (field->object_definition == nullptr || field->definition != nullptr) return;
    const Definition* parent = field->object_definition;
    std::string message = "Cannot query field \"" + field->name + "\" on type \"" + parent->name + "\".";
    std::vector<std::string> types = SuggestedTypeNames(parent, field->name);
    if (!types.empty()) {
      message += " Did you mean to use an inline fragment on " + QuotedOrList(types) + "?";
    } else if (parent->kind == "OBJECT" || parent->kind == "INTERFACE") {
      std::vector<std::string> names;
      for (const FieldDefinition* f : parent->fields) names.push_back(f->name);
      std::vector<std::string> suggested = SuggestionList(field->name, names, suggestion_budget_);
      if (!suggested.empty()) message += " Did you mean " + QuotedOrList(suggested) + "?";
    }
    AddError(std::move(message), field->pos);
  }

  // Implementations of an abstract type (and their interfaces) that have the
  // field, interfaces first by how often they occur, then by name.
  std::vector<std::string> SuggestedTypeNames(const Definition* parent, const std::string& name) {
    if (!parent->IsAbstractType()) return {};
    std::vector<std::string> object_types, interface_types;
    std::unordered_map<std::string, int> usage;
    for (const Definition* possible : schema_.PossibleTypes(parent->name)) {
      if (possible == nullptr || FieldOf(possible, name) == nullptr) continue;
      object_types.push_back(possible->name);
      for (const std::string& intf : possible->interfaces) {
        const Definition* intf_def = TypeNamed(intf);
        if (intf_def != nullptr && FieldOf(intf_def, name) != nullptr) {
          if (usage[intf] == 0) interface_types.push_back(intf);
          ++usage[intf];
        }
      }
    }
    std::vector<std::string> out = std::move(interface_types);
    out.insert(out.end(), object_types.begin(), object_types.end());
    std::stable_sort(out.begin(), out.end(), [&](const std::string& a, const std::string& b) {
      int diff = usage[b] - usage[a];
      if (diff != 0) return diff < 0;
      return a < b;
    });
    return out;
  }

  void KnownArgumentNamesOnField(const Field* field) {
    if (field->definition == nullptr || field->object_definition == nullptr) return;
    for (const Argument* arg : field->arguments) {
      if (lookup_.Find(field->definition->arguments, arg->name) != nullptr) continue;
      std::vector<std::string> names;
      for (const ArgumentDefinition* a : field->definition->arguments) names.push_back(a->name);
      AddError("Unknown argument \"" + arg->name + "\" on field \"" + field->object_definition->name + "." +
                   field->name + "\"." + Suggest("Did you mean", arg->name, names, true),
               field->pos);
    }
  }

  void ProvidedRequiredArgumentsOnField(const Field* field) {
    if (field->definition == nullptr) return;
    for (const ArgumentDefinition* arg_def : field->definition->arguments) {
      if (arg_def->type == nullptr || !arg_def->type->non_null || arg_def->default_value != nullptr) continue;
      if (lookup_.Find(field->arguments, arg_def->name) != nullptr) continue;
      AddError("Field \"" + field->name + "\" argument \"" + arg_def->name + "\" of type \"" +
                   arg_def->type->String() + "\" is required, but it was not provided.",
               field->pos);
    }
  }

  void ScalarLeafs(const Field* field) {
    if (field->definition == nullptr) return;
    const Definition* type = TypeNamed(TypeName(field->definition->type));
    if (type == nullptr) return;
    if (type->IsLeafType() && !field->selection_set.empty()) {
      AddError("Field \"" + field->name + "\" must not have a selection since type \"" + type->name +
                   "\" has no subfields.",
               field->pos);
    }
    if (!type->IsLeafType() && field->selection_set.empty()) {
      AddError("Field \"" + field->name + "\" of type \"" + TypeString(field->definition->type) +
                   "\" must have a selection of subfields. Did you mean \"" + field->name + " { ... }\"?",
               field->pos);
    }
  }

  void CheckUniqueArgs(const std::vector<Argument*>& args) {
    std::unordered_map<std::string, int> known;
    for (const Argument* arg : args) {
      if (known[arg->name] == 1)
        AddError("There can be only one argument named \"" + arg->name + "\".", arg->pos);
      ++known[arg->name];
    }
  }

  void FragmentsOnCompositeTypes(const FragmentDefinition* frag) {
    if (frag->definition == nullptr || frag->type_condition.empty() || frag->definition->IsCompositeType())
      return;
    AddError("Fragment \"" + frag->name + "\" cannot condition on non composite type \"" +
                 frag->type_condition + "\".",
             frag->pos);
  }

  void KnownTypeNamesOnFragment(const FragmentDefinition* frag) {
    if (TypeNamed(frag->type_condition) != nullptr) return;
    std::vector<std::string> names;
    for (const auto& [name, def] : schema_.types) names.push_back(def->name);
    AddError("Unknown type \"" + frag->type_condition + "\"." +
                 Suggest("Did you mean", frag->type_condition, names, true),
             frag->pos);
  }

  // Fragment spreads anywhere in a selection set, in gqlparser's
  // depth-first, last-set-first order.
  static std::vector<FragmentSpread*> FragmentSpreads(const std::vector<Selection*>& node) {
    std::vector<FragmentSpread*> spreads;
    std::vector<const std::vector<Selection*>*> to_visit = {&node};
    while (!to_visit.empty()) {
      const std::vector<Selection*>* set = to_visit.back();
      to_visit.pop_back();
      for (Selection* s : *set) {
        if (s->kind == SelectionKind::kFragmentSpread) {
          spreads.push_back(static_cast<FragmentSpread*>(s));
        } else if (s->kind == SelectionKind::kField) {
          to_visit.push_back(&static_cast<Field*>(s)->selection_set);
        } else {
          to_visit.push_back(&static_cast<InlineFragment*>(s)->selection_set);
        }
      }
    }
    return spreads;
  }

  void NoFragmentCycles(FragmentDefinition* fragment) {
    std::vector<FragmentSpread*> spread_path;
    std::unordered_map<std::string, size_t> index_by_name;
    std::function<void(FragmentDefinition*, int)> recurse = [&](FragmentDefinition* frag, int depth) {
      if (visited_fragments_.count(frag->name) != 0) return;
      if (depth > kMaxWalkDepth) {
        too_deep_ = true;
        return;
      }
      visited_fragments_.insert(frag->name);
      std::vector<FragmentSpread*> spreads = FragmentSpreads(frag->selection_set);
      budget_.Spend(1 + static_cast<long>(spreads.size()));
      if (spreads.empty()) return;
      index_by_name[frag->name] = spread_path.size();
      for (FragmentSpread* spread : spreads) {
        auto cycle = index_by_name.find(spread->name);
        spread_path.push_back(spread);
        if (cycle == index_by_name.end()) {
          if (FragmentDefinition* next = lookup_.Find(doc_.fragments, spread->name)) recurse(next, depth + 1);
        } else {
          std::string via;
          for (size_t i = cycle->second; i + 1 < spread_path.size(); ++i) {
            via += (via.empty() ? " via " : ", ") + Quoted(spread_path[i]->name);
          }
          AddError("Cannot spread fragment \"" + spread->name + "\" within itself" + via + ".", spread->pos);
        }
        spread_path.pop_back();
      }
      index_by_name.erase(frag->name);
    };
    recurse(fragment, 0);
  }

  void NoUndefinedVariables(const ValueNode* value) {
    if (current_ == nullptr || value->kind != kVariable || value->variable_definition != nullptr) return;
    if (!current_->name.empty()) {
      AddError("Variable \"" + value->String() + "\" is not defined by operation \"" + current_->name + "\".",
               value->pos);
    } else {
      AddError("Variable \"" + value->String() + "\" is not defined.", value->pos);
    }
  }

  // PossibleFragmentSpreads: whether a fragment on `type_name` may appear
  // where objects of `parent` are selected.
  bool CanSpread(const Definition* parent, const std::string& type_name) {
    if (parent == nullptr) return true;
    std::vector<Definition*> parents;
    if (parent->kind == "OBJECT") {
      parents.push_back(const_cast<Definition*>(parent));
    } else if (parent->kind == "INTERFACE" || parent->kind == "UNION") {
      parents = schema_.PossibleTypes(parent->name);
    } else {
      return true;
    }
    const Definition* fragment_type = TypeNamed(type_name);
    if (fragment_type == nullptr || !fragment_type->IsCompositeType()) return true;
    std::unordered_set<std::string> parent_names;
    for (const Definition* p : parents) {
      if (p != nullptr) parent_names.insert(p->name);
    }
    for (const Definition* d : schema_.PossibleTypes(fragment_type->name)) {
      if (d != nullptr && parent_names.count(d->name) != 0) return true;
    }
    return false;
  }

  std::string UnexpectedTypeMessage(const ValueNode* v) {
    const std::string expected = v->expected_type->String();
    if (expected == "Int" || expected == "Int!") {
      if (ParseIntStatus(v->raw, 32) == 2)
        return "Int cannot represent non 32-bit signed integer value: " + v->String();
      return "Int cannot represent non-integer value: " + v->String();
    }
    if (expected == "String" || expected == "String!" || expected == "[String]") {
      return "String cannot represent a non string value: " + v->String();
    }
    if (expected == "Boolean" || expected == "Boolean!") {
      return "Boolean cannot represent a non boolean value: " + v->String();
    }
    if (expected == "Float" || expected == "Float!")
      return "Float cannot represent non numeric value: " + v->String();
    if (expected == "ID" || expected == "ID!") {
      return "ID cannot represent a non-string and non-integer value: " + v->String();
    }
    if (v->definition->kind == "ENUM") {
      return "Enum \"" + expected + "\" cannot represent non-enum value: " + v->String() + ".";
    }
    return "Expected value of type \"" + expected + "\", found " + v->String() + ".";
  }

  void ValuesOfCorrectType(const ValueNode* value) {
    if (value->definition == nullptr || value->expected_type == nullptr) return;
    const Definition* def = value->definition;
    if (value->kind == kNullValue && value->expected_type->non_null) {
      AddError(
          "Expected value of type \"" + value->expected_type->String() + "\", found " + value->String() + ".",
          value->pos);
    }
    // Custom scalars validate themselves.
    if (def->kind == "SCALAR" && !OneOf(def, {"Int", "Float", "String", "Boolean", "ID"})) return;
    std::vector<std::string> possible_enums;
    if (def->kind == "ENUM") {
      for (const EnumValueDefinition* e : def->enum_values) possible_enums.push_back(e->name);
    }
    if (ValueFails(value)) AddError(UnexpectedTypeMessage(value), value->pos);
    switch (value->kind) {
      case kNullValue: return;
      case kListValue:
        if (value->expected_type->elem == nullptr) {
          AddError(UnexpectedTypeMessage(value), value->pos);
          return;
        }
        break;
      case kIntValue:
        if (!OneOf(def, {"Int", "Float", "ID"})) AddError(UnexpectedTypeMessage(value), value->pos);
        break;
      case kFloatValue:
        if (!OneOf(def, {"Float"})) AddError(UnexpectedTypeMessage(value), value->pos);
        break;
      case kStringValue:
      case kBlockValue:
        if (def->kind == "ENUM") {
          AddError("Enum \"" + value->expected_type->String() +
                       "\" cannot represent non-enum value: " + value->String() + "." +
                       Suggest("Did you mean the enum value", value->raw, possible_enums, true),
                   value->pos);
        } else if (!OneOf(def, {"String", "ID"})) {
          AddError(UnexpectedTypeMessage(value), value->pos);
        }
        break;
      case kEnumValue:
        if (def->kind != "ENUM") {
          AddError(UnexpectedTypeMessage(value) +
                       Suggest("Did you mean the enum value", value->raw, possible_enums, false),
                   value->pos);
        } else if (lookup_.Find(def->enum_values, value->raw) == nullptr) {
          AddError("Value \"" + value->String() + "\" does not exist in \"" + value->expected_type->String() +
                       "\" enum." + Suggest("Did you mean the enum value", value->raw, possible_enums, true),
                   value->pos);
        }
        break;
      case kBooleanValue:
        if (!OneOf(def, {"Boolean"})) AddError(UnexpectedTypeMessage(value), value->pos);
        break;
      case kObjectValue: {
        for (const FieldDefinition* field : def->fields) {
          if (field->type == nullptr || !field->type->non_null) continue;
          if (lookup_.Find(value->children, field->name) == nullptr && field->default_value == nullptr) {
            AddError("Field \"" + def->name + "." + field->name + "\" of required type \"" +
                         field->type->String() + "\" was not provided.",
                     value->pos);
          }
        }
        for (const ChildValue* child : value->children) {
          if (FieldOf(def, child->name) != nullptr) continue;
          std::vector<std::string> names;
          for (const FieldDefinition* f : def->fields) names.push_back(f->name);
          AddError("Field \"" + child->name + "\" is not defined by type \"" + def->name + "\"." +
                       Suggest("Did you mean", child->name, names, true),
                   child->pos);
        }
        break;
      }
      case kVariable: return;
      default: AddError("Unknown value kind " + std::to_string(value->kind) + ".", value->pos); return;
    }
  }

  void VariablesInAllowedPosition(const ValueNode* value) {
    if (value->kind != kVariable || value->expected_type == nullptr ||
        value->variable_definition == nullptr || current_ == nullptr ||
        value->variable_definition->type == nullptr) {
      return;
    }
    Type tmp = *value->expected_type;
    // A variable with a default (or a position with one) may be nullable.
    const ValueNode* default_value = value->variable_definition->default_value;
    if (default_value != nullptr && default_value->kind != kNullValue) tmp.non_null = false;
    if (value->expected_type_has_default) tmp.non_null = false;
    if (!value->variable_definition->type->IsCompatible(tmp)) {
      AddError("Variable \"" + value->String() + "\" of type \"" +
                   value->variable_definition->type->String() + "\" used in position expecting type \"" +
                   value->expected_type->String() + "\".",
               value->pos);
    }
  }

  // ---- OverlappingFieldsCanBeMerged (validator/rules/overlapping_fields_can_be_merged.go) ----

  void OverlappingFieldsWithin(const std::vector<Selection*>& set) {
    Conflicts conflicts = FindConflictsWithinSelectionSet(set);
    for (const auto& conflict : conflicts) {
      std::string reason;
      conflict->Write(reason);
      AddError("Fields \"" + conflict->response_name + "\" conflict because " + reason +
                   ". Use different aliases on the fields to fetch both if this was intentional.",
               conflict->pos);
    }
  }

  void CollectFields(const std::vector<Selection*>& set, FieldsMap& fields,
                     std::vector<FragmentSpread*>& spreads, int depth) {
    if (depth > kMaxWalkDepth) {
      too_deep_ = true;
      return;
    }
    for (Selection* s : set) {
      budget_.Spend(1);
      if (s->kind == SelectionKind::kField) {
        auto* f = static_cast<Field*>(s);
        fields.Push(f->alias.empty() ? f->name : f->alias, f);
      } else if (s->kind == SelectionKind::kInlineFragment) {
        CollectFields(static_cast<InlineFragment*>(s)->selection_set, fields, spreads, depth + 1);
      } else {
        spreads.push_back(static_cast<FragmentSpread*>(s));
      }
    }
  }

  Conflicts FindConflictsWithinSelectionSet(const std::vector<Selection*>& set) {
    Conflicts conflicts;
    if (set.empty() || budget_.exhausted) return conflicts;
    FieldsMap fields;
    std::vector<FragmentSpread*> spreads;
    CollectFields(set, fields, spreads, 0);
    // (A) Conflicts within this selection set's own fields.
    for (const std::string& name : fields.seq) {
      const auto& list = fields.data[name];
      for (size_t i = 0; i < list.size(); ++i) {
        for (size_t j = i + 1; j < list.size(); ++j) {
          if (auto c = FindConflict(false, list[i], list[j], 0)) conflicts.push_back(std::move(c));
          if (budget_.exhausted) return conflicts;
        }
      }
    }
    compared_fragments_.clear();
    for (size_t i = 0; i < spreads.size(); ++i) {
      // (B) Between these fields and each spread fragment, (C) between spreads.
      CollectBetweenFieldsAndFragment(conflicts, false, fields, spreads[i], 0);
      for (size_t j = i + 1; j < spreads.size(); ++j) {
        CollectBetweenFragments(conflicts, false, spreads[i], spreads[j], 0);
        if (budget_.exhausted) return conflicts;
      }
    }
    return conflicts;
  }

  void CollectBetweenFieldsAndFragment(Conflicts& conflicts, bool exclusive, const FieldsMap& fields,
                                       const FragmentSpread* spread, int depth) {
    if (!compared_fragments_.insert(spread->name).second) return;
    if (spread->definition == nullptr) return;
    if (depth > kMaxWalkDepth) {
      too_deep_ = true;
      return;
    }
    FieldsMap fields_b;
    std::vector<FragmentSpread*> spreads_b;
    CollectFields(spread->definition->selection_set, fields_b, spreads_b, 0);
    if (fields == fields_b) return;  // never compare a fragment with itself
    // (D) Between the fields and the fragment's fields, (E) and its spreads.
    CollectBetween(conflicts, exclusive, fields, fields_b, depth);
    for (const FragmentSpread* inner : spreads_b) {
      if (inner->name == spread->name) continue;
      CollectBetweenFieldsAndFragment(conflicts, exclusive, fields, inner, depth + 1);
    }
  }

  bool ComparedPair(const std::string& a, const std::string& b, bool exclusive) {
    auto it = compared_pairs_.find(a);
    if (it == compared_pairs_.end()) return false;
    auto jt = it->second.find(b);
    if (jt == it->second.end()) return false;
    // Not mutually exclusive is the stronger check.
    if (!exclusive) return !jt->second;
    return true;
  }

  void CollectBetweenFragments(Conflicts& conflicts, bool exclusive, const FragmentSpread* a,
                               const FragmentSpread* b, int depth) {
    if (a->name == b->name) return;
    if (ComparedPair(a->name, b->name, exclusive)) return;
    compared_pairs_[a->name][b->name] = exclusive;
    compared_pairs_[b->name][a->name] = exclusive;
    if (a->definition == nullptr || b->definition == nullptr) return;
    if (depth > kMaxWalkDepth || budget_.exhausted) {
      too_deep_ = too_deep_ || depth > kMaxWalkDepth;
      return;
    }
    FieldsMap fields_a, fields_b;
    std::vector<FragmentSpread*> spreads_a, spreads_b;
    CollectFields(a->definition->selection_set, fields_a, spreads_a, 0);
    CollectFields(b->definition->selection_set, fields_b, spreads_b, 0);
    // (F) Between the two fragments' fields, (G) and their nested spreads.
    CollectBetween(conflicts, exclusive, fields_a, fields_b, depth);
    for (const FragmentSpread* s : spreads_b) CollectBetweenFragments(conflicts, exclusive, a, s, depth + 1);
    for (const FragmentSpread* s : spreads_a) CollectBetweenFragments(conflicts, exclusive, s, b, depth + 1);
  }

  Conflicts FindConflictsBetweenSubSelectionSets(bool exclusive, const std::vector<Selection*>& set_a,
                                                 const std::vector<Selection*>& set_b, int depth) {
    Conflicts conflicts;
    FieldsMap fields_a, fields_b;
    std::vector<FragmentSpread*> spreads_a, spreads_b;
    CollectFields(set_a, fields_a, spreads_a, 0);
    CollectFields(set_b, fields_b, spreads_b, 0);
    // (H) Between the two sets of fields, (I) each with the other's spreads,
    // (J) and between the spreads.
    CollectBetween(conflicts, exclusive, fields_a, fields_b, depth);
    for (const FragmentSpread* s : spreads_b) {
      compared_fragments_.clear();
      CollectBetweenFieldsAndFragment(conflicts, exclusive, fields_a, s, depth + 1);
    }
    for (const FragmentSpread* s : spreads_a) {
      compared_fragments_.clear();
      CollectBetweenFieldsAndFragment(conflicts, exclusive, fields_b, s, depth + 1);
    }
    for (const FragmentSpread* a : spreads_a) {
      for (const FragmentSpread* b : spreads_b)
        CollectBetweenFragments(conflicts, exclusive, a, b, depth + 1);
    }
    return conflicts;
  }

  void CollectBetween(Conflicts& conflicts, bool exclusive, const FieldsMap& a, const FieldsMap& b,
                      int depth) {
    for (const std::string& name : a.seq) {
      auto it = b.data.find(name);
      if (it == b.data.end()) continue;
      for (Field* fa : a.data.at(name)) {
        for (Field* fb : it->second) {
          if (auto c = FindConflict(exclusive, fa, fb, depth)) conflicts.push_back(std::move(c));
          if (budget_.exhausted) return;
        }
      }
    }
  }

  static bool SameArguments(const std::vector<Argument*>& a, const std::vector<Argument*>& b) {
    if (a.size() != b.size()) return false;
    for (const Argument* x : a) {
      bool matched = false;
      for (const Argument* y : b) {
        if (x->name == y->name && x->value != nullptr && y->value != nullptr &&
            x->value->kind == y->value->kind && x->value->raw == y->value->raw) {
          matched = true;
          break;
        }
      }
      if (!matched) return false;
    }
    return true;
  }

  bool DoTypesConflict(const Type* t1, const Type* t2) {
    while (true) {
      if (t1->elem != nullptr) {
        if (t2->elem == nullptr) return true;
        t1 = t1->elem;
        t2 = t2->elem;
        continue;
      }
      if (t2->elem != nullptr) return true;
      if (t1->non_null != t2->non_null) return true;
      const Definition* d1 = TypeNamed(t1->named_type);
      const Definition* d2 = TypeNamed(t2->named_type);
      if (d1 == nullptr || d2 == nullptr) return false;
      if (d1->IsLeafType() && d2->IsLeafType()) return d1->name != d2->name;
      return false;
    }
  }

  std::unique_ptr<ConflictMessage> FindConflict(bool parent_exclusive, Field* a, Field* b, int depth) {
    if (a->object_definition == nullptr || b->object_definition == nullptr) return nullptr;
    if (!budget_.Spend(1 + static_cast<long>(a->arguments.size() * b->arguments.size()))) return nullptr;
    if (depth > kMaxWalkDepth) {
      too_deep_ = true;
      return nullptr;
    }
    bool exclusive = parent_exclusive;
    if (!exclusive) {
      exclusive = a->object_definition->name != b->object_definition->name &&
                  a->object_definition->kind == "OBJECT" && b->object_definition->kind == "OBJECT" &&
                  a->definition != nullptr && b->definition != nullptr;
    }
    auto conflict = [&](std::string message) {
      auto c = std::make_unique<ConflictMessage>();
      c->response_name = a->alias.empty() ? a->name : a->alias;
      c->message = std::move(message);
      c->pos = b->pos;
      return c;
    };
    if (!exclusive) {
      if (a->name != b->name)
        return conflict("\"" + a->name + "\" and \"" + b->name + "\" are different fields");
      if (!SameArguments(a->arguments, b->arguments)) return conflict("they have differing arguments");
    }
    if (a->definition != nullptr && b->definition != nullptr && a->definition->type != nullptr &&
        b->definition->type != nullptr && DoTypesConflict(a->definition->type, b->definition->type)) {
      return conflict("they return conflicting types \"" + a->definition->type->String() + "\" and \"" +
                      b->definition->type->String() + "\"");
    }
    if (a->selection_set.empty() && b->selection_set.empty()) return nullptr;
    Conflicts sub =
        FindConflictsBetweenSubSelectionSets(exclusive, a->selection_set, b->selection_set, depth + 1);
    if (sub.empty()) return nullptr;
    auto c = conflict("");
    c->sub_messages = std::move(sub);
    return c;
  }

  Arena& arena_;
  const Schema& schema_;
  QueryDocument& doc_;
  Lookup lookup_;
  Budget budget_;
  Budget suggestion_budget_{kSuggestionBudget};
  std::vector<GqlError> errors_;
  OperationDefinition* current_ = nullptr;
  std::unordered_set<std::string> validated_spreads_;
  bool too_deep_ = false;

  // Rule state that lives for the whole document.
  std::set<std::tuple<std::string, int, int>> misplaced_directives_;  // KnownDirectives
  std::unordered_set<std::string> visited_fragments_;                 // NoFragmentCycles
  bool in_fragment_definition_ = false;                               // NoUnusedFragments
  std::unordered_set<std::string> used_fragment_names_;               // NoUnusedFragments
  std::unordered_set<std::string> seen_fragment_names_;               // UniqueFragmentNames
  std::unordered_set<std::string> seen_operation_names_;              // UniqueOperationNames
  std::unordered_map<std::string, std::unordered_map<std::string, bool>> compared_pairs_;  // Overlapping...
  std::unordered_set<std::string> compared_fragments_;                                     // Overlapping...
};

}  // namespace

Schema* ValidateSchemaDocument(Arena& arena, SchemaDocument& doc, GqlError* error) {
  auto* schema = arena.New<Schema>();
  SchemaValidator v(arena, *schema);
  if (!v.Build(doc, error)) return nullptr;
  return schema;
}

std::vector<GqlError> ValidateQuery(Arena& arena, const Schema& schema, QueryDocument& doc) {
  return QueryValidator(arena, schema, doc).Run();
}

}  // namespace custody::rego::graphql
