// The log on both store engines: SQLite always; PostgreSQL when
// CUSTODY_TEST_POSTGRES names a server (tests/store/postgres_test.sh starts one).
#include "tlog/log.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <thread>

#include "test_util.h"

namespace custody::tlog {
namespace {

std::string Entry(uint64_t i) { return "claim " + std::to_string(i); }

class LogTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto location = testing::EngineStore(GetParam(), dir_, {"log_meta", "log_entries", "log_tiles", "log_checkpoints"});
    ASSERT_TRUE(location.ok()) << location.error().message();
    if (!*location) GTEST_SKIP() << testing::kNoPostgres;
    location_ = **location;
    signer_ = std::make_unique<NoteSigner>(
        NoteSigner::Create("custody.test/log", PrivateKey::Generate(KeyType::kEd25519).value()).value());
    ASSERT_TRUE(Log::Create(location_, "custody.test/log", *signer_).ok());
  }

  std::unique_ptr<Log> OpenLog(bool writable = true) {
    auto log = Log::Open(location_, writable ? std::optional<NoteSigner>(*signer_) : std::nullopt);
    EXPECT_TRUE(log.ok()) << log.error().message();
    return log.ok() ? std::move(*log) : nullptr;
  }

  Status Sql(const std::string& sql) {
    auto store = store::Store::Open(location_);
    if (!store.ok()) return store.error();
    auto tx = (*store)->Begin();
    if (!tx.ok()) return tx.error();
    if (auto s = (*tx)->Exec(sql); !s.ok()) return s;
    return (*tx)->Commit();
  }

  Checkpoint Open(const std::string& note) {
    auto opened = OpenNote(note, signer_->verifier());
    EXPECT_TRUE(opened.ok()) << opened.error().message();
    return ParseCheckpoint(opened->text).value();
  }

  testing::TempDir dir_;
  std::string location_;
  std::unique_ptr<NoteSigner> signer_;
};

TEST_P(LogTest, AppendsProvesAndPublishesConsistentCheckpoints) {
  auto log = OpenLog();
  ASSERT_TRUE(log);
  std::vector<Hash> leaves;
  std::vector<Checkpoint> checkpoints{Open(*log->Checkpoint())};
  EXPECT_EQ(checkpoints[0].size, 0u);
  EXPECT_EQ(checkpoints[0].root, EmptyTreeHash());
  // Batches that end inside, at and across tile edges (256 and 65,536 leaves).
  for (size_t batch : {1, 254, 1, 1, 300, 65000, 100}) {
    std::vector<std::string> entries;
    for (size_t i = 0; i < batch; ++i) entries.push_back(Entry(leaves.size() + i));
    auto appended = log->AppendAll(entries);
    ASSERT_TRUE(appended.ok()) << appended.error().message();
    for (size_t i = 0; i < batch; ++i) {
      EXPECT_EQ((*appended)[i].index, leaves.size() + i);
      EXPECT_EQ((*appended)[i].leaf, LeafHash(entries[i]));
    }
    for (auto& e : entries) leaves.push_back(LeafHash(e));
    Checkpoint c = Open(appended->back().checkpoint);
    EXPECT_EQ(c.size, leaves.size());
    MemoryHashReader reference(leaves);
    EXPECT_EQ(c.root, *TreeHash(leaves.size(), reference));
    EXPECT_EQ(appended->back().root, c.root);
    checkpoints.push_back(c);
  }
  ASSERT_EQ(*log->Size(), leaves.size());
  // Inclusion at every checkpoint for a spread of indices; consistency between all of them.
  for (const Checkpoint& c : checkpoints) {
    for (uint64_t i = 0; i < c.size; i += 1 + c.size / 37) {
      auto proof = log->ProveInclusion(i, c.size);
      ASSERT_TRUE(proof.ok()) << proof.error().message();
      EXPECT_TRUE(VerifyInclusion(i, c.size, leaves[i], *proof, c.root).ok()) << i << "/" << c.size;
    }
    for (const Checkpoint& d : checkpoints) {
      if (d.size < c.size) continue;
      auto proof = log->ProveConsistency(c.size, d.size);
      ASSERT_TRUE(proof.ok());
      EXPECT_TRUE(VerifyConsistency(c.size, d.size, *proof, c.root, d.root).ok()) << c.size << "->" << d.size;
    }
    auto stored = log->CheckpointAt(c.size);
    ASSERT_TRUE(stored.ok() && stored->has_value());
  }
  EXPECT_FALSE(log->ProveInclusion(0, leaves.size() + 1).ok());
  EXPECT_FALSE(log->ProveConsistency(1, leaves.size() + 1).ok());
}

TEST_P(LogTest, ServesTilesAndEntryBundles) {
  auto log = OpenLog();
  std::vector<std::string> entries;
  for (int i = 0; i < 600; ++i) entries.push_back(Entry(i));
  ASSERT_TRUE(log->AppendAll(entries).ok());
  auto full = log->ReadTile({0, 1, 256});
  ASSERT_TRUE(full.ok()) << full.error().message();
  ASSERT_EQ(full->size(), 256u * 32);
  EXPECT_EQ(full->substr(0, 32), std::string(AsBytes(LeafHash(Entry(256)))));
  auto partial = log->ReadTile({0, 2, 88});
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->size(), 88u * 32);
  EXPECT_TRUE(log->ReadTile({0, 2, 50}).ok());   // an older, narrower view of the same tile
  EXPECT_FALSE(log->ReadTile({0, 2, 89}).ok());  // wider than the tree
  EXPECT_FALSE(log->ReadTile({0, 2, 256}).ok());
  EXPECT_FALSE(log->ReadTile({1, 0, 256}).ok());
  auto level1 = log->ReadTile({1, 0, 2});
  ASSERT_TRUE(level1.ok());
  std::vector<Hash> first256;
  for (int i = 0; i < 256; ++i) first256.push_back(LeafHash(Entry(i)));
  EXPECT_EQ(level1->substr(0, 32), std::string(AsBytes(CombinePerfect(first256))));
  auto bundle = log->ReadTile({-1, 2, 88});
  ASSERT_TRUE(bundle.ok()) << bundle.error().message();
  auto parts = SplitBundle(*bundle);
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 88u);
  EXPECT_EQ((*parts)[5], Entry(517));
  EXPECT_EQ(*log->ReadEntry(599), Entry(599));
  EXPECT_FALSE(log->ReadEntry(600).ok());
}

TEST_P(LogTest, ConcurrentAppendersGetDistinctConsecutiveIndices) {
  auto log = OpenLog();
  constexpr int kThreads = 8, kEach = 250;
  std::vector<std::vector<Appended>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto a = log->Append("thread " + std::to_string(t) + " entry " + std::to_string(i));
        if (a.ok()) got[t].push_back(*a);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<uint64_t> indices;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(got[t].size(), static_cast<size_t>(kEach));
    for (int i = 0; i < kEach; ++i) {
      const Appended& a = got[t][i];
      indices.insert(a.index);
      EXPECT_EQ(*log->ReadEntry(a.index), "thread " + std::to_string(t) + " entry " + std::to_string(i));
      Checkpoint c = Open(a.checkpoint);
      EXPECT_GT(c.size, a.index);
      auto proof = log->ProveInclusion(a.index, c.size);
      ASSERT_TRUE(proof.ok());
      EXPECT_TRUE(VerifyInclusion(a.index, c.size, a.leaf, *proof, c.root).ok());
    }
  }
  EXPECT_EQ(indices.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*indices.rbegin(), static_cast<uint64_t>(kThreads * kEach - 1));
}

TEST_P(LogTest, ReopensWhereItStoppedAndStaysConsistent) {
  Checkpoint before;
  {
    auto log = OpenLog();
    std::vector<std::string> entries;
    for (int i = 0; i < 700; ++i) entries.push_back(Entry(i));
    before = Open(log->AppendAll(entries)->back().checkpoint);
  }
  auto log = OpenLog();
  ASSERT_TRUE(log);
  EXPECT_EQ(*log->Size(), 700u);
  auto a = log->Append(Entry(700));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->index, 700u);
  Checkpoint after = Open(a->checkpoint);
  auto proof = log->ProveConsistency(before.size, after.size);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyConsistency(before.size, after.size, *proof, before.root, after.root).ok());
}

TEST_P(LogTest, RefusesBadRequests) {
  auto log = OpenLog();
  auto big = log->Append(std::string(65536, 'x'));
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message().find("65,535"), std::string::npos);
  EXPECT_TRUE(log->Append(std::string(65535, 'x')).ok());
  auto again = Log::Create(location_, "custody.test/log", *signer_);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message().find("already has a log"), std::string::npos);
  auto other = NoteSigner::Create("custody.test/log", PrivateKey::Generate(KeyType::kEd25519).value()).value();
  auto wrong = Log::Open(location_, other);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("not the log's key"), std::string::npos);
  auto read_only = OpenLog(false);
  EXPECT_FALSE(read_only->Append("x").ok());
  EXPECT_EQ(*read_only->Size(), 1u);
}

TEST_P(LogTest, DetectsCorruptedTilesAndEntries) {
  {
    auto log = OpenLog();
    std::vector<std::string> entries;
    for (int i = 0; i < 520; ++i) entries.push_back(Entry(i));
    ASSERT_TRUE(log->AppendAll(entries).ok());
  }
  // An entry changed behind the log's back: its bundle is refused.
  ASSERT_TRUE(Sql("UPDATE log_entries SET data = data || data WHERE idx = 3").ok());
  {
    auto log = OpenLog(false);
    ASSERT_TRUE(log);
    auto bundle = log->ReadTile({-1, 0, 256});
    ASSERT_FALSE(bundle.ok());
    EXPECT_NE(bundle.error().message().find("does not match its leaf hash"), std::string::npos);
    EXPECT_TRUE(log->ReadTile({-1, 1, 256}).ok());
  }
  // A full tile changed: its checksum fails and proofs through it fail.
  ASSERT_TRUE(Sql("UPDATE log_tiles SET data = checksum || substr(data, 33) WHERE level = 0 AND idx = 0").ok());
  {
    auto log = OpenLog(false);
    ASSERT_TRUE(log);  // the right edge (opened and checked) does not use tile 0/0
    auto tile = log->ReadTile({0, 0, 256});
    ASSERT_FALSE(tile.ok());
    EXPECT_NE(tile.error().message().find("fails its checksum"), std::string::npos);
    EXPECT_FALSE(log->ProveInclusion(5, 520).ok());
  }
  // The right edge changed: the log refuses to open.
  ASSERT_TRUE(Sql("DELETE FROM log_tiles WHERE level = 0 AND idx = 2").ok());
  auto log = Log::Open(location_, *signer_);
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.error().message().find("corrupted"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, LogTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace custody::tlog
