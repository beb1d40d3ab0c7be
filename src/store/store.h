// The store: custody's one persistence interface, with two engines.
//
// SQLite is the embedded default (one file under the custody home, WAL mode,
// commits fsynced); PostgreSQL is for teams that share one database. Callers
// write SQL in the subset both engines accept, with `?` placeholders and the
// types INTEGER (64-bit), REAL, TEXT and BLOB; the PostgreSQL engine rewrites
// placeholders to $n and BLOB to BYTEA. The schema is versioned by the
// migrations in migrations.cc, applied in order by Open().
//
// A Store is one connection: use it from one thread at a time (open one per
// thread; SQLite in WAL mode and PostgreSQL both let readers run beside the
// writer). A Transaction rolls back unless Commit() succeeds.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"

namespace custody::store {

struct Blob {
  std::string_view bytes;
};
using Param = std::variant<std::nullptr_t, int64_t, double, std::string_view, Blob>;

struct Cell {
  bool null = true;
  int64_t integer = 0;
  double real = 0;
  std::string bytes;  // TEXT and BLOB values
};

class Row {
 public:
  explicit Row(std::vector<Cell> cells) : cells_(std::move(cells)) {}
  size_t size() const { return cells_.size(); }
  bool IsNull(size_t i) const { return cells_.at(i).null; }
  int64_t Int(size_t i) const { return cells_.at(i).integer; }
  double Real(size_t i) const { return cells_.at(i).real; }
  const std::string& Bytes(size_t i) const { return cells_.at(i).bytes; }

 private:
  std::vector<Cell> cells_;
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual Status Exec(std::string_view sql, const std::vector<Param>& params = {}) = 0;
  virtual Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Param>& params = {}) = 0;
  // Durable when it returns ok (SQLite synchronous=FULL; PostgreSQL's commit).
  virtual Status Commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // `location`: "postgres://..." or "postgresql://..." (a libpq URI), else an
  // SQLite file path (optionally prefixed "sqlite:"). Creates the SQLite file
  // and its directory, and applies pending migrations.
  static Result<std::unique_ptr<Store>> Open(const std::string& location);
  // $CUSTODY_STORE, else the SQLite file custody.db in the custody home.
  static std::string DefaultLocation();

  virtual std::string_view engine() const = 0;  // "sqlite" or "postgresql"
  // Where the data is, for messages (no password).
  virtual const std::string& location() const = 0;
  // A write transaction. SQLite takes the database's write lock at once
  // (BEGIN IMMEDIATE), so two writers never interleave.
  virtual Result<std::unique_ptr<Transaction>> Begin() = 0;
  // A read-only transaction over one snapshot; it takes no write lock, so it
  // runs beside a writer (SQLite's deferred BEGIN in WAL mode; PostgreSQL's
  // REPEATABLE READ READ ONLY). Writes in it fail; Commit or drop it to end it.
  virtual Result<std::unique_ptr<Transaction>> BeginRead() = 0;
  // " FOR UPDATE" on PostgreSQL, "" on SQLite (whose transaction already locks).
  virtual std::string_view ForUpdate() const = 0;
  // The schema version after migrations.
  Result<int64_t> SchemaVersion();

 protected:
  Status Migrate();
};

// The custody home: $CUSTODY_HOME, else ~/.custody.
std::string CustodyHome();

}  // namespace custody::store
