#include "manifest/path_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace custody {
namespace {

TEST(PathOrderTest, ComponentOrderNotByteOrder) {
  // As bytes '.' (0x2e) < '/' (0x2f), but PurePosixPath compares components.
  EXPECT_TRUE(PathLess("a/b", "a.b"));
  EXPECT_FALSE(PathLess("a.b", "a/b"));
  EXPECT_TRUE(PathLess("a", "a/b"));
  EXPECT_TRUE(PathLess("a/b", "a/c"));
  EXPECT_TRUE(PathLess("a/z/z", "a0"));
  EXPECT_TRUE(PathLess("B", "a"));  // upper case first, as Python compares str
  EXPECT_EQ(ComparePaths("x/y", "x/y"), 0);
}

TEST(PathOrderTest, SortMatchesPythonPurePosixPath) {
  // Expected order from: sorted(map(PurePosixPath, names)) in Python 3.
  std::vector<std::string> names = {"a.b", "a/b", "a-b", "a/b/c", "ab", "a", "a/a.txt", "b/a", "a/b.c"};
  std::sort(names.begin(), names.end(), PathLess);
  std::vector<std::string> want = {"a", "a/a.txt", "a/b", "a/b/c", "a/b.c", "a-b", "a.b", "ab", "b/a"};
  EXPECT_EQ(names, want);
}

TEST(PathOrderTest, NonAsciiComparesByCodePoint) {
  // UTF-8 byte order equals code point order.
  EXPECT_TRUE(PathLess("z", "\xc3\xa9"));          // z < é
  EXPECT_TRUE(PathLess("\xc3\xa9", "\xe2\x82\xac"));  // é < €
}

TEST(PathOrderTest, PathIsUnder) {
  EXPECT_TRUE(PathIsUnder(".git", ".git"));
  EXPECT_TRUE(PathIsUnder(".git/config", ".git"));
  EXPECT_TRUE(PathIsUnder(".git/config", ".git/"));
  EXPECT_FALSE(PathIsUnder(".gitignore", ".git"));
  EXPECT_FALSE(PathIsUnder("a.b", "a"));
  EXPECT_TRUE(PathIsUnder("a/b/c", "a/b"));
  EXPECT_FALSE(PathIsUnder("x/a/b", "a/b"));
}

}  // namespace
}  // namespace custody
