#include "tlog/log.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "core/time.h"
#include "crypto/digest.h"

namespace custody::tlog {
namespace {

using TileData = std::shared_ptr<const std::string>;
using store::Blob;
using store::Param;

constexpr size_t kHashSize = 32;
constexpr size_t kFullTileBytes = kTileWidth * kHashSize;
constexpr size_t kMaxCachedTiles = 4096;  // 32 MB of full tiles

uint64_t TileKey(int level, uint64_t index) { return (static_cast<uint64_t>(level) << 56) | index; }

std::string TileName(int level, uint64_t index) {
  return "tile " + std::to_string(level) + "/" + std::to_string(index);
}

Hash HashAt(const std::string& tile, size_t i) {
  Hash h;
  std::memcpy(h.data(), tile.data() + i * kHashSize, kHashSize);
  return h;
}

// Reads complete-subtree hashes out of tiles given by `fetch(level, index,
// width needed)`; the fetched tile may be wider than needed.
class TileHashReader : public HashReader {
 public:
  using Fetch = std::function<Result<TileData>(int, uint64_t, uint64_t)>;
  explicit TileHashReader(Fetch fetch) : fetch_(std::move(fetch)) {}

  Result<Hash> Subtree(int level, uint64_t index) override {
    int tile_level = level / kTileHeight;
    int rest = level % kTileHeight;
    uint64_t first = index << rest;  // first node at height 8*tile_level
    uint64_t count = uint64_t{1} << rest;
    uint64_t tile = first / kTileWidth;
    uint64_t offset = first % kTileWidth;
    auto data = fetch_(tile_level, tile, offset + count);
    if (!data.ok()) return data.error();
    const std::string& d = **data;
    if (d.size() < (offset + count) * kHashSize) {
      return Error::Input("store is corrupted: " + TileName(tile_level, tile) + " has " +
                          std::to_string(d.size() / kHashSize) + " hashes, the tree needs " +
                          std::to_string(offset + count));
    }
    if (count == 1) return HashAt(d, offset);
    std::vector<Hash> hashes(count);
    std::memcpy(hashes.data(), d.data() + offset * kHashSize, count * kHashSize);
    return CombinePerfect(hashes);
  }

 private:
  Fetch fetch_;
};

// "INSERT INTO log_entries (idx, data) VALUES (?, ?), ..." for `rows` rows; the
// statements for each row count are built once.
const std::string& InsertEntriesSql(size_t rows) {
  static const std::vector<std::string> sql = [] {
    std::vector<std::string> v(kTileWidth + 1);
    for (size_t r = 1; r <= kTileWidth; ++r) {
      v[r] = "INSERT INTO log_entries (idx, data) VALUES (?, ?)";
      for (size_t i = 1; i < r; ++i) v[r] += ", (?, ?)";
    }
    return v;
  }();
  return sql[rows];
}

struct Pending {
  std::string entry;
  Appended result;
  std::optional<Error> error;
  bool done = false;
};

Result<TileData> TileFromRow(const store::Row& row, int level, uint64_t index) {
  const std::string& data = row.Bytes(0);
  if (data.size() % kHashSize != 0 || data.size() > kFullTileBytes || data.empty() ||
      Sha256(data) != row.Bytes(1)) {
    return Error::Input("store is corrupted: " + TileName(level, index) +
                        " fails its checksum; it is not served (restore the store from a backup)");
  }
  return std::make_shared<const std::string>(data);
}

}  // namespace

struct Log::Impl {
  std::string origin;
  std::string created_at;
  std::optional<NoteVerifier> verifier;
  std::optional<NoteSigner> signer;
  LogOptions options;

  // Reads: one connection, tiles cached.
  std::mutex read_mu;
  std::unique_ptr<store::Store> reader;
  std::shared_mutex cache_mu;
  std::unordered_map<uint64_t, TileData> full_tiles;
  std::shared_ptr<const std::map<uint64_t, TileData>> edge_snapshot;
  // A size the log is known to have reached (stored or committed here). The log
  // only grows, so a read within it needs no query of the stored size.
  std::atomic<uint64_t> known_size{0};

  void Reached(uint64_t n) {
    uint64_t k = known_size.load();
    while (n > k && !known_size.compare_exchange_weak(k, n)) {
    }
  }

  // The sequencer: its own connection and the right edge of the tree.
  std::unique_ptr<store::Store> writer;
  std::thread sequencer;
  std::mutex queue_mu;
  std::condition_variable queue_cv, done_cv;
  std::deque<Pending*> queue;
  bool stopping = false;
  bool edge_valid = false;
  uint64_t size = 0;
  std::vector<uint64_t> counts;       // hashes at height 8*L so far
  std::vector<std::string> edge;      // the partial tile at the right edge of each level
  std::map<uint64_t, TileData> completed;  // tiles filled by the current batch

  ~Impl() {
    {
      std::lock_guard lock(queue_mu);
      stopping = true;
    }
    queue_cv.notify_all();
    if (sequencer.joinable()) sequencer.join();
  }

  void CacheFull(int level, uint64_t index, TileData data) {
    std::unique_lock lock(cache_mu);
    if (full_tiles.size() >= kMaxCachedTiles) full_tiles.clear();
    full_tiles.emplace(TileKey(level, index), std::move(data));
  }

  // A tile with at least `need` hashes, for reads.
  Result<TileData> Fetch(int level, uint64_t index, uint64_t need) {
    {
      std::shared_lock lock(cache_mu);
      auto it = full_tiles.find(TileKey(level, index));
      if (it != full_tiles.end()) return it->second;
      if (edge_snapshot) {
        auto e = edge_snapshot->find(TileKey(level, index));
        if (e != edge_snapshot->end() && e->second->size() >= need * kHashSize) return e->second;
      }
    }
    std::vector<store::Row> rows;
    {
      std::lock_guard lock(read_mu);
      auto tx = reader->BeginRead();
      if (!tx.ok()) return tx.error();
      auto r = (*tx)->Query("SELECT data, checksum FROM log_tiles WHERE level = ? AND idx = ?",
                            {int64_t{level}, static_cast<int64_t>(index)});
      if (!r.ok()) return r.error();
      rows = std::move(*r);
    }
    if (rows.empty()) {
      return Error::Input("store is corrupted: " + TileName(level, index) + " is missing");
    }
    auto data = TileFromRow(rows[0], level, index);
    if (!data.ok()) return data.error();
    if ((*data)->size() == kFullTileBytes) CacheFull(level, index, *data);
    return data;
  }

  // --- sequencer ---

  // Reads the right edge of the tree of `n` leaves inside `tx`.
  Status LoadEdge(store::Transaction& tx, uint64_t n) {
    counts.clear();
    edge.clear();
    for (int level = 0; (n >> (kTileHeight * level)) > 0; ++level) {
      uint64_t c = n >> (kTileHeight * level);
      counts.push_back(c);
      edge.emplace_back();
      uint64_t width = c % kTileWidth;
      if (width == 0) continue;
      uint64_t index = c / kTileWidth;
      auto rows = tx.Query("SELECT data, checksum FROM log_tiles WHERE level = ? AND idx = ?",
                           {int64_t{level}, static_cast<int64_t>(index)});
      if (!rows.ok()) return rows.error();
      if (rows->empty()) return Error::Input("store is corrupted: " + TileName(level, index) + " is missing");
      auto data = TileFromRow((*rows)[0], level, index);
      if (!data.ok()) return data.error();
      if ((*data)->size() < width * kHashSize) {
        return Error::Input("store is corrupted: " + TileName(level, index) + " is shorter than the tree");
      }
      edge.back().assign(**data, 0, width * kHashSize);
    }
    size = n;
    edge_valid = true;
    return OkStatus();
  }

  void Push(size_t level, const Hash& h) {
    if (level == counts.size()) {
      counts.push_back(0);
      edge.emplace_back();
    }
    uint64_t index = counts[level] / kTileWidth;
    edge[level].append(reinterpret_cast<const char*>(h.data()), kHashSize);
    ++counts[level];
    if (counts[level] % kTileWidth == 0) {
      std::vector<Hash> hashes(kTileWidth);
      std::memcpy(hashes.data(), edge[level].data(), kFullTileBytes);
      auto full = std::make_shared<const std::string>(std::move(edge[level]));
      completed[TileKey(static_cast<int>(level), index)] = full;
      edge[level].clear();
      Push(level + 1, CombinePerfect(hashes));
    }
  }

  Status WriteTile(store::Transaction& tx, uint64_t key, const std::string& data) {
    int level = static_cast<int>(key >> 56);
    uint64_t index = key & ((uint64_t{1} << 56) - 1);
    std::string sum = Sha256(data);
    return tx.Exec(
        "INSERT INTO log_tiles (level, idx, data, checksum) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (level, idx) DO UPDATE SET data = excluded.data, checksum = excluded.checksum",
        {int64_t{level}, static_cast<int64_t>(index), Blob{data}, Blob{sum}});
  }

  // Integrates `batch` in one transaction; fills each result.
  Status Integrate(std::vector<Pending*>& batch) {
    completed.clear();
    auto tx = writer->Begin();
    if (!tx.ok()) return tx.error();
    auto rows = (*tx)->Query("SELECT size FROM log_meta WHERE id = 1" + std::string(writer->ForUpdate()));
    if (!rows.ok()) return rows.error();
    if (rows->empty()) return Error::Input("the store " + writer->location() + " has no log");
    uint64_t n = static_cast<uint64_t>((*rows)[0].Int(0));
    if (!edge_valid || n != size) {
      if (auto s = LoadEdge(**tx, n); !s.ok()) return s;
    }
    edge_valid = false;  // until this transaction commits
    // Entries go in as multi-row INSERTs: one round trip per 256 rows on PostgreSQL.
    for (size_t start = 0; start < batch.size(); start += kTileWidth) {
      size_t end = std::min(batch.size(), start + static_cast<size_t>(kTileWidth));
      std::vector<Param> params;
      params.reserve(2 * (end - start));
      for (size_t i = start; i < end; ++i) {
        params.emplace_back(static_cast<int64_t>(n + i));
        params.emplace_back(Blob{batch[i]->entry});
      }
      if (auto s = (*tx)->Exec(InsertEntriesSql(end - start), params); !s.ok()) return s;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      Pending* p = batch[i];
      p->result.index = n + i;
      p->result.leaf = LeafHash(p->entry);
      Push(0, p->result.leaf);
    }
    uint64_t new_size = n + batch.size();
    std::map<uint64_t, TileData> snapshot;
    for (auto& [key, data] : completed) {
      if (auto s = WriteTile(**tx, key, *data); !s.ok()) return s;
    }
    for (size_t level = 0; level < edge.size(); ++level) {
      if (edge[level].empty()) continue;
      uint64_t key = TileKey(static_cast<int>(level), counts[level] / kTileWidth);
      if (auto s = WriteTile(**tx, key, edge[level]); !s.ok()) return s;
      snapshot[key] = std::make_shared<const std::string>(edge[level]);
    }
    store::Transaction* txp = tx->get();
    TileHashReader hashes([&](int level, uint64_t index, uint64_t need) -> Result<TileData> {
      uint64_t key = TileKey(level, index);
      if (auto it = completed.find(key); it != completed.end()) return it->second;
      if (auto it = snapshot.find(key); it != snapshot.end()) return it->second;
      (void)need;
      auto r = txp->Query("SELECT data, checksum FROM log_tiles WHERE level = ? AND idx = ?",
                          {int64_t{level}, static_cast<int64_t>(index)});
      if (!r.ok()) return r.error();
      if (r->empty()) return Error::Input("store is corrupted: " + TileName(level, index) + " is missing");
      return TileFromRow((*r)[0], level, index);
    });
    auto root = TreeHash(new_size, hashes);
    if (!root.ok()) return root.error();
    auto note = signer->Sign(FormatCheckpoint({origin, new_size, *root, {}}));
    if (!note.ok()) return note.error();
    std::string now = NowRfc3339();
    if (auto s = (*tx)->Exec("INSERT INTO log_checkpoints (size, note, created_at) VALUES (?, ?, ?)",
                             {static_cast<int64_t>(new_size), std::string_view(*note), std::string_view(now)});
        !s.ok()) {
      return s;
    }
    if (auto s = (*tx)->Exec("UPDATE log_meta SET size = ? WHERE id = 1", {static_cast<int64_t>(new_size)});
        !s.ok()) {
      return s;
    }
    if (auto s = (*tx)->Commit(); !s.ok()) return s;
    size = new_size;
    edge_valid = true;
    Reached(new_size);
    for (auto& [key, data] : completed) CacheFull(static_cast<int>(key >> 56), key & ((uint64_t{1} << 56) - 1), data);
    {
      std::unique_lock lock(cache_mu);
      edge_snapshot = std::make_shared<const std::map<uint64_t, TileData>>(std::move(snapshot));
    }
    for (Pending* p : batch) {
      p->result.size = new_size;
      p->result.checkpoint = *note;
      p->result.root = *root;
    }
    return OkStatus();
  }

  void Run() {
    std::vector<Pending*> batch;
    while (true) {
      {
        std::unique_lock lock(queue_mu);
        queue_cv.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;
        size_t n = std::min(queue.size(), options.max_batch);
        batch.assign(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n));
        queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n));
      }
      Status s = Integrate(batch);
      {
        std::lock_guard lock(queue_mu);
        for (Pending* p : batch) {
          if (!s.ok()) p->error = s.error();
          p->done = true;
        }
      }
      done_cv.notify_all();
    }
  }

  Status Enqueue(std::vector<Pending>& items) {
    if (!signer) return Error::Input("the log is open read-only: appending needs the log's signing key");
    for (const Pending& p : items) {
      if (p.entry.size() > kMaxEntrySize) {
        return Error::Input("entry is " + std::to_string(p.entry.size()) +
                            " bytes; a log entry holds at most 65,535 bytes (tlog-tiles): log a digest of "
                            "larger claims");
      }
    }
    {
      std::lock_guard lock(queue_mu);
      for (Pending& p : items) queue.push_back(&p);
    }
    queue_cv.notify_one();
    std::unique_lock lock(queue_mu);
    done_cv.wait(lock, [&] {
      for (const Pending& p : items) {
        if (!p.done) return false;
      }
      return true;
    });
    for (const Pending& p : items) {
      if (p.error) return *p.error;
    }
    return OkStatus();
  }

  Result<uint64_t> StoredSize() {
    std::lock_guard lock(read_mu);
    auto tx = reader->BeginRead();
    if (!tx.ok()) return tx.error();
    auto rows = (*tx)->Query("SELECT size FROM log_meta WHERE id = 1");
    if (!rows.ok()) return rows.error();
    if (rows->empty()) return Error::Input("the store " + reader->location() + " has no log");
    uint64_t n = static_cast<uint64_t>((*rows)[0].Int(0));
    Reached(n);
    return n;
  }

  // A size of the log that is at least `want` if the log has reached it: the
  // known size without a query when it suffices, else the stored size.
  Result<uint64_t> SizeFor(uint64_t want) {
    uint64_t k = known_size.load();
    if (want <= k) return k;
    return StoredSize();
  }

  TileHashReader ReaderFor() {
    return TileHashReader([this](int level, uint64_t index, uint64_t need) { return Fetch(level, index, need); });
  }
};

Log::Log(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

const std::string& Log::origin() const { return impl_->origin; }
const NoteVerifier& Log::verifier() const { return *impl_->verifier; }
const std::string& Log::location() const { return impl_->reader->location(); }
const std::string& Log::created_at() const { return impl_->created_at; }
std::string_view Log::engine() const { return impl_->reader->engine(); }

Log::~Log() = default;

Status Log::Create(const std::string& location, const std::string& origin, const NoteSigner& signer) {
  if (origin.empty() || origin.find('\n') != std::string::npos) {
    return Error::Input("log origin must be one non-empty line (e.g. custody.example.com/log)");
  }
  auto store = store::Store::Open(location);
  if (!store.ok()) return store.error();
  auto tx = (*store)->Begin();
  if (!tx.ok()) return tx.error();
  auto rows = (*tx)->Query("SELECT origin FROM log_meta WHERE id = 1");
  if (!rows.ok()) return rows.error();
  if (!rows->empty()) {
    return Error::Input("the store " + (*store)->location() + " already has a log ('" + (*rows)[0].Bytes(0) +
                        "'); a log is never re-created: use a new store or CUSTODY_HOME");
  }
  std::string vkey = signer.verifier().ToString();
  std::string now = NowRfc3339();
  if (auto s = (*tx)->Exec("INSERT INTO log_meta (id, origin, verifier_key, size, created_at) VALUES (1, ?, ?, 0, ?)",
                           {std::string_view(origin), std::string_view(vkey), std::string_view(now)});
      !s.ok()) {
    return s;
  }
  auto note = signer.Sign(FormatCheckpoint({origin, 0, EmptyTreeHash(), {}}));
  if (!note.ok()) return note.error();
  if (auto s = (*tx)->Exec("INSERT INTO log_checkpoints (size, note, created_at) VALUES (0, ?, ?)",
                           {std::string_view(*note), std::string_view(now)});
      !s.ok()) {
    return s;
  }
  return (*tx)->Commit();
}

Result<std::unique_ptr<Log>> Log::Open(const std::string& location, std::optional<NoteSigner> signer,
                                       LogOptions options) {
  auto store = store::Store::Open(location);
  if (!store.ok()) return store.error();
  auto impl = std::make_unique<Impl>();
  impl->reader = std::move(*store);
  impl->options = options;
  if (impl->options.max_batch == 0) impl->options.max_batch = 1;
  std::string vkey;
  uint64_t size = 0;
  std::string note;
  {
    auto tx = impl->reader->BeginRead();
    if (!tx.ok()) return tx.error();
    auto rows = (*tx)->Query("SELECT origin, verifier_key, size, created_at FROM log_meta WHERE id = 1");
    if (!rows.ok()) return rows.error();
    if (rows->empty()) {
      return Error::Input("the store " + impl->reader->location() + " has no log: create one with 'custody log init'");
    }
    impl->origin = (*rows)[0].Bytes(0);
    vkey = (*rows)[0].Bytes(1);
    size = static_cast<uint64_t>((*rows)[0].Int(2));
    impl->created_at = (*rows)[0].Bytes(3);
    auto cp = (*tx)->Query("SELECT note FROM log_checkpoints WHERE size = ?", {static_cast<int64_t>(size)});
    if (!cp.ok()) return cp.error();
    if (cp->empty()) {
      return Error::Input("store is corrupted: the checkpoint of size " + std::to_string(size) + " is missing");
    }
    note = (*cp)[0].Bytes(0);
  }
  auto verifier = NoteVerifier::Parse(vkey);
  if (!verifier.ok()) return verifier.error().WithContext("store is corrupted: the log's verifier key");
  if (signer && signer->verifier().ToString() != vkey) {
    return Error::Input("this key is not the log's key (the log verifies with " + vkey +
                        "; its key is the one 'custody log init' wrote)");
  }
  auto opened = OpenNote(note, *verifier);
  if (!opened.ok()) return Error::Input("store is corrupted: " + opened.error().message());
  auto cp = ParseCheckpoint(opened->text);
  if (!cp.ok()) return Error::Input("store is corrupted: " + cp.error().message());
  if (cp->size != size || cp->origin != impl->origin) {
    return Error::Input("store is corrupted: the latest checkpoint does not match the log's size or origin");
  }
  auto reader = impl->ReaderFor();
  auto root = TreeHash(size, reader);
  if (!root.ok()) return root.error();
  if (*root != cp->root) {
    return Error::Input("store is corrupted: the tiles do not hash to the root of the latest checkpoint (size " +
                        std::to_string(size) + "); restore the store from a backup");
  }
  impl->Reached(size);
  impl->signer = std::move(signer);
  if (impl->signer) {
    auto writer = store::Store::Open(location);
    if (!writer.ok()) return writer.error();
    impl->writer = std::move(*writer);
    Impl* raw = impl.get();
    impl->sequencer = std::thread([raw] { raw->Run(); });
  }
  impl->verifier = std::move(*verifier);
  return std::unique_ptr<Log>(new Log(std::move(impl)));
}

Result<Appended> Log::Append(std::string entry) {
  std::vector<Pending> items(1);
  items[0].entry = std::move(entry);
  if (auto s = impl_->Enqueue(items); !s.ok()) return s.error();
  return std::move(items[0].result);
}

Result<std::vector<Appended>> Log::AppendAll(std::vector<std::string> entries) {
  std::vector<Pending> items(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) items[i].entry = std::move(entries[i]);
  if (auto s = impl_->Enqueue(items); !s.ok()) return s.error();
  std::vector<Appended> out;
  out.reserve(items.size());
  for (Pending& p : items) out.push_back(std::move(p.result));
  return out;
}

Result<uint64_t> Log::Size() { return impl_->StoredSize(); }

Result<std::string> Log::Checkpoint() {
  std::lock_guard lock(impl_->read_mu);
  auto tx = impl_->reader->BeginRead();
  if (!tx.ok()) return tx.error();
  auto rows = (*tx)->Query(
      "SELECT note FROM log_checkpoints WHERE size = (SELECT size FROM log_meta WHERE id = 1)");
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return Error::Input("store is corrupted: the latest checkpoint is missing");
  return (*rows)[0].Bytes(0);
}

Result<std::optional<std::string>> Log::CheckpointAt(uint64_t size) {
  std::lock_guard lock(impl_->read_mu);
  auto tx = impl_->reader->BeginRead();
  if (!tx.ok()) return tx.error();
  auto rows = (*tx)->Query("SELECT note FROM log_checkpoints WHERE size = ?", {static_cast<int64_t>(size)});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>((*rows)[0].Bytes(0));
}

Result<std::string> Log::ReadTile(const TileRef& tile) {
  int level = tile.entries() ? 0 : tile.level;
  uint64_t size = impl_->known_size.load();
  if (TileWidth(level, tile.index, size) < tile.width) {
    auto stored = impl_->StoredSize();
    if (!stored.ok()) return stored.error();
    size = *stored;
  }
  if (TileWidth(level, tile.index, size) < tile.width) {
    return Error::Input(TilePath(tile) + " does not exist in the tree of size " + std::to_string(size));
  }
  auto data = impl_->Fetch(level, tile.index, tile.width);
  if (!data.ok()) return data.error();
  if ((*data)->size() < tile.width * kHashSize) {
    return Error::Input("store is corrupted: " + TileName(level, tile.index) + " is shorter than the tree");
  }
  if (!tile.entries()) return (*data)->substr(0, tile.width * kHashSize);
  std::vector<store::Row> rows;
  {
    std::lock_guard lock(impl_->read_mu);
    auto tx = impl_->reader->BeginRead();
    if (!tx.ok()) return tx.error();
    auto r = (*tx)->Query("SELECT idx, data FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx",
                          {static_cast<int64_t>(tile.index * kTileWidth),
                           static_cast<int64_t>(tile.index * kTileWidth + tile.width)});
    if (!r.ok()) return r.error();
    rows = std::move(*r);
  }
  std::string bundle;
  for (size_t i = 0; i < tile.width; ++i) {
    uint64_t want = tile.index * kTileWidth + i;
    if (i >= rows.size() || static_cast<uint64_t>(rows[i].Int(0)) != want) {
      return Error::Input("store is corrupted: entry " + std::to_string(want) + " is missing");
    }
    const std::string& entry = rows[i].Bytes(1);
    if (LeafHash(entry) != HashAt(**data, i)) {
      return Error::Input("store is corrupted: entry " + std::to_string(want) +
                          " does not match its leaf hash; it is not served");
    }
    AppendBundleEntry(bundle, entry);
  }
  return bundle;
}

Result<std::string> Log::ReadEntry(uint64_t index) {
  auto bundle = ReadTile({-1, index / kTileWidth, index % kTileWidth + 1});
  if (!bundle.ok()) return bundle.error();
  auto entries = SplitBundle(*bundle);
  if (!entries.ok()) return entries.error();
  return std::string(entries->back());
}

Result<std::vector<Hash>> Log::ProveInclusion(uint64_t index, uint64_t size) {
  auto current = impl_->SizeFor(size);
  if (!current.ok()) return current.error();
  if (size > *current) {
    return Error::Input("tree size " + std::to_string(size) + " is beyond the log's size " + std::to_string(*current));
  }
  auto reader = impl_->ReaderFor();
  return InclusionProof(index, size, reader);
}

Result<std::vector<Hash>> Log::ProveConsistency(uint64_t old_size, uint64_t new_size) {
  auto current = impl_->SizeFor(new_size);
  if (!current.ok()) return current.error();
  if (new_size > *current) {
    return Error::Input("tree size " + std::to_string(new_size) + " is beyond the log's size " +
                        std::to_string(*current));
  }
  auto reader = impl_->ReaderFor();
  return ConsistencyProof(old_size, new_size, reader);
}

Result<Hash> Log::RootAt(uint64_t size) {
  auto current = impl_->SizeFor(size);
  if (!current.ok()) return current.error();
  if (size > *current) {
    return Error::Input("tree size " + std::to_string(size) + " is beyond the log's size " + std::to_string(*current));
  }
  auto reader = impl_->ReaderFor();
  return TreeHash(size, reader);
}

}  // namespace custody::tlog
