// The PostgreSQL engine, through libpq: statements prepared once per
// connection, BYTEA parameters and all results in binary form.
#include <libpq-fe.h>

#include <cstring>
#include <unordered_map>

#include "store/engines.h"

namespace custody::store {
namespace {

constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701;

// `?` -> `$n`; BLOB -> BYTEA; INTEGER -> BIGINT; REAL -> DOUBLE PRECISION (as words).
std::string Translate(std::string_view sql) {
  std::string out;
  int n = 0;
  size_t i = 0;
  auto word_at = [&](std::string_view w) {
    if (sql.substr(i, w.size()) != w) return false;
    bool left = i == 0 || !std::isalnum(static_cast<unsigned char>(sql[i - 1]));
    bool right = i + w.size() == sql.size() || !std::isalnum(static_cast<unsigned char>(sql[i + w.size()]));
    return left && right;
  };
  while (i < sql.size()) {
    if (sql[i] == '?') {
      out += "$" + std::to_string(++n);
      ++i;
    } else if (word_at("BLOB")) {
      out += "BYTEA";
      i += 4;
    } else if (word_at("INTEGER")) {
      out += "BIGINT";
      i += 7;
    } else if (word_at("REAL")) {
      out += "DOUBLE PRECISION";
      i += 4;
    } else {
      out += sql[i++];
    }
  }
  return out;
}

uint64_t Be(const char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

class PostgresStore;

class PostgresTransaction : public Transaction {
 public:
  explicit PostgresTransaction(PostgresStore* store) : store_(store) {}
  ~PostgresTransaction() override;
  Status Exec(std::string_view sql, const std::vector<Param>& params) override;
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Param>& params) override;
  Status Commit() override;

 private:
  PostgresStore* store_;
  bool done_ = false;
};

class PostgresStore : public Store {
 public:
  PostgresStore(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  ~PostgresStore() override { PQfinish(conn_); }
  std::string_view engine() const override { return "postgresql"; }
  const std::string& location() const override { return where_; }
  std::string_view ForUpdate() const override { return " FOR UPDATE"; }

  Result<std::unique_ptr<Transaction>> Begin() override {
    if (auto s = Run("BEGIN", {}, nullptr); !s.ok()) return s.error();
    return std::unique_ptr<Transaction>(new PostgresTransaction(this));
  }

  Result<std::unique_ptr<Transaction>> BeginRead() override {
    if (auto s = Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {}, nullptr); !s.ok()) return s.error();
    return std::unique_ptr<Transaction>(new PostgresTransaction(this));
  }

  Status Run(std::string_view sql, const std::vector<Param>& params, std::vector<Row>* rows) {
    if (PQstatus(conn_) != CONNECTION_OK) PQreset(conn_);
    std::string key(sql);
    auto it = names_.find(key);
    if (it == names_.end()) {
      std::string name = "s" + std::to_string(names_.size());
      PGresult* r = PQprepare(conn_, name.c_str(), Translate(sql).c_str(), 0, nullptr);
      bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      if (!ok) {
        Error e = Fail(r, "cannot prepare '" + std::string(sql.substr(0, 80)) + "'");
        PQclear(r);
        return e;
      }
      PQclear(r);
      it = names_.emplace(std::move(key), std::move(name)).first;
    }
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size()), formats(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              values[i] = nullptr;
            } else if constexpr (std::is_same_v<T, int64_t>) {
              text[i] = std::to_string(v);
              values[i] = text[i].c_str();
            } else if constexpr (std::is_same_v<T, double>) {
              char buf[32];
              std::snprintf(buf, sizeof buf, "%.17g", v);
              text[i] = buf;
              values[i] = text[i].c_str();
            } else if constexpr (std::is_same_v<T, std::string_view>) {
              text[i] = std::string(v);
              values[i] = text[i].c_str();
            } else {
              values[i] = v.bytes.data();
              lengths[i] = static_cast<int>(v.bytes.size());
              formats[i] = 1;
            }
          },
          params[i]);
    }
    PGresult* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()), values.data(),
                                 lengths.data(), formats.data(), 1);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      Error e = Fail(r, "'" + std::string(sql.substr(0, 80)) + "' failed");
      PQclear(r);
      return e;
    }
    if (rows != nullptr && st == PGRES_TUPLES_OK) {
      int nr = PQntuples(r), nc = PQnfields(r);
      rows->reserve(static_cast<size_t>(nr));
      for (int i = 0; i < nr; ++i) {
        std::vector<Cell> cells(static_cast<size_t>(nc));
        for (int c = 0; c < nc; ++c) {
          Cell& cell = cells[static_cast<size_t>(c)];
          cell.null = PQgetisnull(r, i, c) != 0;
          if (cell.null) continue;
          const char* p = PQgetvalue(r, i, c);
          int len = PQgetlength(r, i, c);
          switch (PQftype(r, c)) {
            case kInt8:
            case kInt4:
            case kInt2:
              cell.integer = static_cast<int64_t>(Be(p, len));
              if (len == 4) cell.integer = static_cast<int32_t>(cell.integer);
              if (len == 2) cell.integer = static_cast<int16_t>(cell.integer);
              cell.real = static_cast<double>(cell.integer);
              break;
            case kBool:
              cell.integer = len > 0 && p[0] != 0;
              break;
            case kFloat8: {
              uint64_t bits = Be(p, 8);
              std::memcpy(&cell.real, &bits, 8);
              break;
            }
            case kFloat4: {
              uint32_t bits = static_cast<uint32_t>(Be(p, 4));
              float f;
              std::memcpy(&f, &bits, 4);
              cell.real = f;
              break;
            }
            default:  // TEXT, VARCHAR, BYTEA: the bytes
              cell.bytes.assign(p, static_cast<size_t>(len));
          }
        }
        rows->emplace_back(std::move(cells));
      }
    }
    PQclear(r);
    return OkStatus();
  }

  Error Fail(PGresult* r, const std::string& what) const {
    std::string msg = r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string full = "PostgreSQL store " + where_ + ": " + what + ": " + msg;
    // Connection, resource and data-corruption classes are environmental, not custody bugs.
    if (state == nullptr || std::strncmp(state, "08", 2) == 0 || std::strncmp(state, "53", 2) == 0 ||
        std::strncmp(state, "XX", 2) == 0 || std::strncmp(state, "40", 2) == 0 ||
        std::strncmp(state, "23", 2) == 0) {
      return Error::Input(full);
    }
    return Error::Internal(full);
  }

  Status Setup() {
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    return Migrate();
  }

 private:
  PGconn* conn_;
  std::string where_;
  std::unordered_map<std::string, std::string> names_;
};

PostgresTransaction::~PostgresTransaction() {
  if (!done_) (void)store_->Run("ROLLBACK", {}, nullptr);
}

Status PostgresTransaction::Exec(std::string_view sql, const std::vector<Param>& params) {
  return store_->Run(sql, params, nullptr);
}

Result<std::vector<Row>> PostgresTransaction::Query(std::string_view sql, const std::vector<Param>& params) {
  std::vector<Row> rows;
  if (auto s = store_->Run(sql, params, &rows); !s.ok()) return s.error();
  return rows;
}

Status PostgresTransaction::Commit() {
  done_ = true;
  return store_->Run("COMMIT", {}, nullptr);
}

// The URI without its password, for messages.
std::string Redact(const std::string& uri) {
  size_t scheme = uri.find("://");
  size_t at = uri.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return uri;
  size_t colon = uri.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon) + ":***" + uri.substr(at);
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgres(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  std::string where = Redact(uri);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string m = conn ? PQerrorMessage(conn) : "out of memory";
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    PQfinish(conn);
    return Error::Input("cannot connect to PostgreSQL store " + where + ": " + m +
                        " (check the URI, that the server runs, and the credentials)");
  }
  auto store = std::make_unique<PostgresStore>(conn, where);
  if (auto s = store->Setup(); !s.ok()) return s.error();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace custody::store
