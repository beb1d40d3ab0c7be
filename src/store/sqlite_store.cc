// The SQLite engine: WAL journal, synchronous=FULL (a commit is on disk when it
// returns), prepared statements cached per connection.
#include <sqlite3.h>

#include <filesystem>
#include <unordered_map>

#include "store/engines.h"

namespace custody::store {
namespace {

class SqliteStore;

class SqliteTransaction : public Transaction {
 public:
  explicit SqliteTransaction(SqliteStore* store) : store_(store) {}
  ~SqliteTransaction() override;
  Status Exec(std::string_view sql, const std::vector<Param>& params) override;
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Param>& params) override;
  Status Commit() override;

 private:
  SqliteStore* store_;
  bool done_ = false;
};

class SqliteStore : public Store {
 public:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteStore() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }
  std::string_view engine() const override { return "sqlite"; }
  const std::string& location() const override { return path_; }
  std::string_view ForUpdate() const override { return ""; }

  Result<std::unique_ptr<Transaction>> Begin() override {
    if (auto s = Run("BEGIN IMMEDIATE", {}, nullptr); !s.ok()) return s.error();
    return std::unique_ptr<Transaction>(new SqliteTransaction(this));
  }

  Result<std::unique_ptr<Transaction>> BeginRead() override {
    if (auto s = Run("BEGIN DEFERRED", {}, nullptr); !s.ok()) return s.error();
    return std::unique_ptr<Transaction>(new SqliteTransaction(this));
  }

  Error Fail(std::string_view what) const {
    int code = sqlite3_extended_errcode(db_);
    std::string msg = "SQLite store " + path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_);
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
      return Error::Input(msg + " (the database file is damaged; restore it from a backup)");
    }
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      return Error::Input(msg + " (another custody process holds the database; retry)");
    }
    if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_FULL || code == SQLITE_IOERR) {
      return Error::Input(msg);
    }
    return Error::Internal(msg);
  }

  // Runs one statement; rows (if `rows`) collected.
  Status Run(std::string_view sql, const std::vector<Param>& params, std::vector<Row>* rows) {
    sqlite3_stmt* stmt = nullptr;
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
        return Fail("cannot prepare '" + std::string(sql.substr(0, 80)) + "'");
      }
      cache_.emplace(std::string(sql), stmt);
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      int rc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) return sqlite3_bind_null(stmt, idx);
            else if constexpr (std::is_same_v<T, int64_t>) return sqlite3_bind_int64(stmt, idx, v);
            else if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt, idx, v);
            else if constexpr (std::is_same_v<T, std::string_view>)
              return sqlite3_bind_text64(stmt, idx, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
            else return sqlite3_bind_blob64(stmt, idx, v.bytes.data(), v.bytes.size(), SQLITE_STATIC);
          },
          params[i]);
      if (rc != SQLITE_OK) return Fail("cannot bind parameter " + std::to_string(idx));
    }
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Error e = Fail("'" + std::string(sql.substr(0, 80)) + "' failed");
        sqlite3_reset(stmt);
        return e;
      }
      if (rows == nullptr) continue;
      int n = sqlite3_column_count(stmt);
      std::vector<Cell> cells(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        Cell& cell = cells[static_cast<size_t>(c)];
        int type = sqlite3_column_type(stmt, c);
        cell.null = type == SQLITE_NULL;
        if (type == SQLITE_INTEGER) {
          cell.integer = sqlite3_column_int64(stmt, c);
          cell.real = static_cast<double>(cell.integer);
        } else if (type == SQLITE_FLOAT) {
          cell.real = sqlite3_column_double(stmt, c);
        } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
          const void* p = type == SQLITE_BLOB ? sqlite3_column_blob(stmt, c)
                                              : static_cast<const void*>(sqlite3_column_text(stmt, c));
          int len = sqlite3_column_bytes(stmt, c);
          if (p != nullptr) cell.bytes.assign(static_cast<const char*>(p), static_cast<size_t>(len));
        }
      }
      rows->emplace_back(std::move(cells));
    }
    sqlite3_reset(stmt);
    return OkStatus();
  }

  Status Setup() {
    // Before anything else: switching a new file to WAL takes an exclusive
    // lock, and processes opening the same new store at once must wait for
    // it instead of failing.
    sqlite3_busy_timeout(db_, 10000);
    char* err = nullptr;
    const char* pragmas =
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
    if (sqlite3_exec(db_, pragmas, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "unknown error";
      sqlite3_free(err);
      return Error::Input("SQLite store " + path_ + ": cannot set up: " + m +
                          " (is it an SQLite database, on a writable disk?)");
    }
    return Migrate();
  }

 private:
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

SqliteTransaction::~SqliteTransaction() {
  if (!done_) (void)store_->Run("ROLLBACK", {}, nullptr);
}

Status SqliteTransaction::Exec(std::string_view sql, const std::vector<Param>& params) {
  return store_->Run(sql, params, nullptr);
}

Result<std::vector<Row>> SqliteTransaction::Query(std::string_view sql, const std::vector<Param>& params) {
  std::vector<Row> rows;
  if (auto s = store_->Run(sql, params, &rows); !s.ok()) return s.error();
  return rows;
}

Status SqliteTransaction::Commit() {
  auto s = store_->Run("COMMIT", {}, nullptr);
  if (s.ok()) done_ = true;
  return s;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string m = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error::Input("cannot open SQLite store " + path + ": " + m);
  }
  auto store = std::make_unique<SqliteStore>(db, path);
  if (auto s = store->Setup(); !s.ok()) return s.error();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace custody::store
