#include "store/migrations.h"

namespace custody::store {
namespace {

const Migration kMigrations[] = {
    {1, "transparency log",
     // One log per store. `size` is the integrated tree size, the one the latest
     // checkpoint signs; the rows below are the log's tiles, entries and every
     // checkpoint it ever published.
     "CREATE TABLE log_meta (id INTEGER PRIMARY KEY, origin TEXT NOT NULL, verifier_key TEXT NOT NULL,"
     " size INTEGER NOT NULL, created_at TEXT NOT NULL);\n"
     "CREATE TABLE log_entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL);\n"
     "CREATE TABLE log_tiles (level INTEGER NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL,"
     " checksum BLOB NOT NULL, PRIMARY KEY (level, idx));\n"
     "CREATE TABLE log_checkpoints (size INTEGER PRIMARY KEY, note TEXT NOT NULL, created_at TEXT NOT NULL);\n"},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace custody::store
