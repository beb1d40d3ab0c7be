// Helpers shared by the unit tests: temporary directories, file writing, and
// the path of the shared conformance/interop data (which may be absent).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <string>

#include "core/error.h"
#include "store/store.h"

namespace custody::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "custody-test-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    if (p == nullptr) std::abort();
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& rel) const { return path_ / rel; }

 private:
  std::filesystem::path path_;
};

inline void WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ../shared beside the source tree, or $CUSTODY_SHARED; nullopt when absent.
inline std::optional<std::filesystem::path> SharedDir() {
  std::filesystem::path p;
  if (const char* env = std::getenv("CUSTODY_SHARED")) {
    p = env;
  } else {
    p = std::filesystem::path(CUSTODY_SOURCE_DIR) / ".." / "shared";
  }
  if (std::filesystem::is_directory(p)) return std::filesystem::canonical(p);
  return std::nullopt;
}

// The store of a test parameterized by engine: a new SQLite file in `dir`
// for "sqlite"; for "postgresql" the server named by $CUSTODY_TEST_POSTGRES
// (tests/store/postgres_test.sh starts one) with `tables` emptied, or
// nullopt when it is not set (the test then skips).
inline Result<std::optional<std::string>> EngineStore(const std::string& engine, const TempDir& dir,
                                                      std::initializer_list<const char*> tables) {
  if (engine == "sqlite") return std::optional<std::string>((dir / "custody.db").string());
  const char* pg = std::getenv("CUSTODY_TEST_POSTGRES");
  if (pg == nullptr || *pg == '\0') return std::optional<std::string>();
  CUSTODY_ASSIGN_OR_RETURN(auto store, store::Store::Open(pg));
  CUSTODY_ASSIGN_OR_RETURN(auto tx, store->Begin());
  for (const char* t : tables) CUSTODY_RETURN_IF_ERROR(tx->Exec(std::string("DELETE FROM ") + t));
  CUSTODY_RETURN_IF_ERROR(tx->Commit());
  return std::optional<std::string>(pg);
}

inline const char kNoPostgres[] =
    "CUSTODY_TEST_POSTGRES is not set: PostgreSQL runs in store.postgres (tests/store/postgres_test.sh)";

}  // namespace custody::testing
