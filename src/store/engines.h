// The two store engines behind Store::Open.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace custody::store {

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path);
Result<std::unique_ptr<Store>> OpenPostgres(const std::string& uri);

}  // namespace custody::store
