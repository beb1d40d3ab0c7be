// The transparency log: an append-only RFC 6962 Merkle tree stored as C2SP
// tlog-tiles in a Store, with a signed C2SP checkpoint after every integration.
//
// Appends from any thread are queued; one sequencer thread integrates them in
// batches: in one store transaction it writes the entries, the tiles they
// change, the new checkpoint and the new size, and commits (durably) before any
// append of the batch returns. The size and root are always read back from the
// store inside that locked transaction, so two processes sharing a store never
// sign two inconsistent checkpoints. Reads (tiles, entries, proofs) may run on
// any number of threads beside the sequencer, in read transactions that take
// no write lock; full tiles, which never change, are cached. Every tile read is checked against its checksum, and entry bundles
// against their leaf hashes, so a corrupted row is reported, not served.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/store.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tile.h"

namespace custody::tlog {

struct Appended {
  uint64_t index = 0;
  Hash leaf{};
  uint64_t size = 0;        // the tree size of `checkpoint`
  std::string checkpoint;   // the signed note that first includes the entry
  Hash root{};              // the root hash that checkpoint signs
};

struct LogOptions {
  size_t max_batch = 8192;  // entries integrated per transaction at most
};

class Log {
 public:
  ~Log();
  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;

  // Creates the log in `location`'s store and publishes its empty checkpoint.
  // Error if the store already has a log.
  static Status Create(const std::string& location, const std::string& origin, const NoteSigner& signer);

  // Opens the log. Without a signer it is read-only (Append fails). Checks the
  // latest checkpoint's signature and that the stored tiles hash to its root.
  static Result<std::unique_ptr<Log>> Open(const std::string& location,
                                           std::optional<NoteSigner> signer = std::nullopt,
                                           LogOptions options = {});

  const std::string& origin() const;
  const NoteVerifier& verifier() const;
  // The store's location (no password) and engine ("sqlite", "postgresql").
  const std::string& location() const;
  std::string_view engine() const;
  // When the log was created (RFC 3339, UTC), as `custody log init` recorded it.
  const std::string& created_at() const;

  // Blocks until the entry is integrated and durable. Thread-safe.
  Result<Appended> Append(std::string entry);
  // Appends all of `entries` (in order, consecutive unless other threads append too).
  Result<std::vector<Appended>> AppendAll(std::vector<std::string> entries);

  // The latest signed checkpoint (re-read from the store).
  Result<std::string> Checkpoint();
  Result<uint64_t> Size();

  // Tile or entry bundle bytes for a tree of at least the requested width.
  // Input error (for a 404) if it does not exist yet.
  Result<std::string> ReadTile(const TileRef& tile);
  Result<std::string> ReadEntry(uint64_t index);

  // Proofs against the tree of `size` leaves (size <= the log's size).
  Result<std::vector<Hash>> ProveInclusion(uint64_t index, uint64_t size);
  Result<std::vector<Hash>> ProveConsistency(uint64_t old_size, uint64_t new_size);
  Result<Hash> RootAt(uint64_t size);
  // The stored checkpoint of exactly `size` leaves, if one was published.
  Result<std::optional<std::string>> CheckpointAt(uint64_t size);

  struct Impl;

 private:
  explicit Log(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace custody::tlog
