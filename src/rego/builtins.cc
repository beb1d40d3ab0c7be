#include "rego/builtins.h"

namespace custody::rego {

void BuiltinTable::Add(const Builtin& builtin) { table_[std::string(builtin.name)] = builtin; }

const Builtin* BuiltinTable::Find(std::string_view name) const {
  auto it = table_.find(name);
  return it == table_.end() ? nullptr : &it->second;
}

Error OperandTypeError(std::string_view name, int operand, const Value& got, std::string_view expected) {
  return Error::Input("eval_type_error: " + std::string(name) + ": operand " + std::to_string(operand) +
                      " must be " + std::string(expected) + " but got " + got.TypeName());
}

Error OperandTypeErrorOneOf(std::string_view name, int operand, const Value& got,
                            std::initializer_list<std::string_view> expected) {
  std::string list = "one of {";
  bool first = true;
  for (std::string_view e : expected) {
    if (!first) list += ", ";
    first = false;
    list += e;
  }
  list += "}";
  return OperandTypeError(name, operand, got, list);
}

Error OperandError(std::string_view name, int operand, std::string_view message) {
  return Error::Input("eval_type_error: " + std::string(name) + ": operand " + std::to_string(operand) + " " +
                      std::string(message));
}

Error BuiltinError(std::string_view name, std::string_view message) {
  return Error::Input("eval_builtin_error: " + std::string(name) + ": " + std::string(message));
}

namespace {
const Value& Arg(std::span<const Value> args, int operand) { return args[static_cast<size_t>(operand - 1)]; }
}  // namespace

Result<std::string_view> StringArg(std::string_view name, std::span<const Value> args, int operand) {
  const Value& v = Arg(args, operand);
  if (!v.is_string()) return OperandTypeError(name, operand, v, "string");
  return std::string_view(v.as_string());
}

Result<const Value*> NumberArg(std::string_view name, std::span<const Value> args, int operand) {
  const Value& v = Arg(args, operand);
  if (!v.is_number()) return OperandTypeError(name, operand, v, "number");
  return &v;
}

Result<int64_t> IntArg(std::string_view name, std::span<const Value> args, int operand) {
  const Value& v = Arg(args, operand);
  if (!v.is_number()) return OperandTypeError(name, operand, v, "number");
  auto i = v.to_int64();
  if (!i) return OperandError(name, operand, "must be integer number but got floating-point number");
  return *i;
}

Result<const Value*> ArrayArg(std::string_view name, std::span<const Value> args, int operand) {
  const Value& v = Arg(args, operand);
  if (!v.is_array()) return OperandTypeError(name, operand, v, "array");
  return &v;
}

Result<const Value*> ObjectArg(std::string_view name, std::span<const Value> args, int operand) {
  const Value& v = Arg(args, operand);
  if (!v.is_object()) return OperandTypeError(name, operand, v, "object");
  return &v;
}

Result<const Value*> SetArg(std::string_view name, std::span<const Value> args, int operand) {
  const Value& v = Arg(args, operand);
  if (!v.is_set()) return OperandTypeError(name, operand, v, "set");
  return &v;
}

Result<bool> BoolArg(std::string_view name, std::span<const Value> args, int operand) {
  const Value& v = Arg(args, operand);
  if (!v.is_bool()) return OperandTypeError(name, operand, v, "boolean");
  return v.as_bool();
}

}  // namespace custody::rego
