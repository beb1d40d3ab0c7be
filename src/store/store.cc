#include "store/store.h"

#include <cstdlib>

#include "core/time.h"
#include "store/engines.h"
#include "store/migrations.h"

namespace custody::store {
namespace {

std::vector<std::string_view> SplitStatements(std::string_view sql) {
  std::vector<std::string_view> out;
  while (!sql.empty()) {
    size_t end = sql.find(";\n");
    std::string_view stmt = sql.substr(0, end);
    if (!stmt.empty()) out.push_back(stmt);
    if (end == std::string_view::npos) break;
    sql.remove_prefix(end + 2);
  }
  return out;
}

}  // namespace

std::string CustodyHome() {
  if (const char* h = std::getenv("CUSTODY_HOME"); h != nullptr && *h != '\0') return h;
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr && *home != '\0' ? home : ".") + "/.custody";
}

std::string Store::DefaultLocation() {
  if (const char* s = std::getenv("CUSTODY_STORE"); s != nullptr && *s != '\0') return s;
  return CustodyHome() + "/custody.db";
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& location) {
  if (location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0) {
    return OpenPostgres(location);
  }
  std::string path = location.rfind("sqlite:", 0) == 0 ? location.substr(7) : location;
  if (path.empty()) return Error::Input("empty store location (give a file path or a postgres:// URI)");
  return OpenSqlite(path);
}

Status Store::Migrate() {
  auto tx = Begin();
  if (!tx.ok()) return tx.error();
  if (engine() == "postgresql") {
    // Two processes opening a new database at once must not both migrate it.
    if (auto s = (*tx)->Exec("SELECT pg_advisory_xact_lock(7232414)"); !s.ok()) return s;
  }
  if (auto s = (*tx)->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                           " name TEXT NOT NULL, applied_at TEXT NOT NULL)");
      !s.ok()) {
    return s;
  }
  auto rows = (*tx)->Query("SELECT MAX(version) FROM schema_migrations");
  if (!rows.ok()) return rows.error();
  int64_t current = rows->empty() || (*rows)[0].IsNull(0) ? 0 : (*rows)[0].Int(0);
  int64_t latest = Migrations().empty() ? 0 : Migrations().back().version;
  if (current > latest) {
    return Error::Input("store " + location() + " has schema version " + std::to_string(current) +
                        ", newer than this custody knows (" + std::to_string(latest) +
                        "); upgrade custody");
  }
  for (const Migration& m : Migrations()) {
    if (m.version <= current) continue;
    for (std::string_view stmt : SplitStatements(m.sql)) {
      if (auto s = (*tx)->Exec(stmt); !s.ok()) {
        return s.error().WithContext("migration " + std::to_string(m.version) + " (" + m.name + ")");
      }
    }
    std::string now = NowRfc3339();
    if (auto s = (*tx)->Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                             {int64_t{m.version}, std::string_view(m.name), std::string_view(now)});
        !s.ok()) {
      return s;
    }
  }
  return (*tx)->Commit();
}

Result<int64_t> Store::SchemaVersion() {
  auto tx = Begin();
  if (!tx.ok()) return tx.error();
  auto rows = (*tx)->Query("SELECT MAX(version) FROM schema_migrations");
  if (!rows.ok()) return rows.error();
  return rows->empty() || (*rows)[0].IsNull(0) ? 0 : (*rows)[0].Int(0);
}

}  // namespace custody::store
