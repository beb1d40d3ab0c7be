#include "core/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace custody {
namespace {

TEST(ThreadPoolTest, ParallelForVisitsEveryIndexOnce) {
  ThreadPool pool(4);
  std::vector<std::atomic<int>> hits(1000);
  std::vector<std::atomic<int>> slot_used(pool.size());
  pool.ParallelFor(hits.size(), [&](size_t i, size_t slot) {
    ASSERT_LT(slot, pool.size());
    hits[i].fetch_add(1);
    slot_used[slot].fetch_add(1);
  });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
  int total = 0;
  for (auto& s : slot_used) total += s.load();
  EXPECT_EQ(total, 1000);
}

TEST(ThreadPoolTest, WaitCoversTasksSubmittedFromTasks) {
  ThreadPool pool(2);
  std::atomic<int> n{0};
  for (int i = 0; i < 10; ++i) {
    pool.Submit([&] {
      n.fetch_add(1);
      pool.Submit([&] { n.fetch_add(1); });
    });
  }
  pool.Wait();
  EXPECT_EQ(n.load(), 20);
}

TEST(ThreadPoolTest, ZeroItemsReturnsImmediately) {
  ThreadPool pool(2);
  bool called = false;
  pool.ParallelFor(0, [&](size_t, size_t) { called = true; });
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace custody
