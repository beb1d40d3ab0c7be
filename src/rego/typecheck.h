// The compile-time type checker, after OPA's v1/ast/check.go: every call of
// a built-in is checked against its declared argument types (OPA's
// declarations, rego/types.h), and every unification of two terms whose
// types are both known must be possible. Variables take the types of what
// they are bound to (assignments, built-in and function results, `some ...
// in`, the declared argument types they are passed as); a document defined
// by rules has the union of their values (a set of their keys, an object of
// their keys and values); input and base data are of any type.
//
// It reports only what OPA reports, in OPA's words:
//   file:line: rego_type_error: count: invalid argument(s)
//   	have: (number, ???)
//   	want: (collection: any<array[any], object[any: any], set[any], string>, n: number)
// and where a type is unknown it lets the term pass (OPA may know more and
// reject a few more policies; it never rejects fewer).
#pragma once

#include "core/error.h"
#include "rego/compiler.h"

namespace custody::rego {

// Checks every rule of a compiled policy; reports up to 10 errors, one per
// line.
Status TypeCheckPolicy(const CompiledPolicy& policy);
// Checks a query compiled against `policy`.
Status TypeCheckQuery(const CompiledPolicy& policy, const CompiledQuery& query);

}  // namespace custody::rego
