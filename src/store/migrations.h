// The store's schema, as numbered migrations applied in order. A migration is
// never edited once released: a change is a new migration. The SQL is in the
// dialect both engines accept (see store.h); statements end with ";\n".
#pragma once

#include <span>

namespace custody::store {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

std::span<const Migration> Migrations();

}  // namespace custody::store
