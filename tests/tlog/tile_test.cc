#include "tlog/tile.h"

#include <gtest/gtest.h>

namespace custody::tlog {
namespace {

TEST(TileTest, PathsAsTheSpecWritesThem) {
  // The tlog-tiles spec's example index.
  EXPECT_EQ(TileIndexPath(1234067), "x001/x234/067");
  EXPECT_EQ(TilePath({0, 1234067, 256}), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath({1, 1234067, 1}), "tile/1/x001/x234/067.p/1");
  EXPECT_EQ(TilePath({-1, 1234067, 256}), "tile/entries/x001/x234/067");
  EXPECT_EQ(TilePath({-1, 0, 8}), "tile/entries/000.p/8");
  EXPECT_EQ(TilePath({2, 1000, 256}), "tile/2/x001/000");
}

TEST(TileTest, ParsesItsOwnPaths) {
  for (uint64_t index : {0ull, 1ull, 999ull, 1000ull, 1234067ull, 1000000000000ull}) {
    for (int level : {-1, 0, 1, 5}) {
      for (uint64_t width : {1ull, 255ull, 256ull}) {
        TileRef t{level, index, width};
        auto back = ParseTilePath(TilePath(t));
        ASSERT_TRUE(back.ok()) << TilePath(t);
        EXPECT_EQ(back->level, level);
        EXPECT_EQ(back->index, index);
        EXPECT_EQ(back->width, width);
      }
    }
  }
}

TEST(TileTest, RejectsNonCanonicalPaths) {
  for (const char* bad : {"tile/0/1", "tile/0/0001", "tile/0/x1/000", "tile/0/001/000", "tile/00/000",
                          "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/08", "tile/x/000", "tiles/0/000",
                          "tile/0/", "tile/entries", "tile/-1/000", "tile/0/000.p/", "tile/64/000"}) {
    EXPECT_FALSE(ParseTilePath(bad).ok()) << bad;
  }
}

TEST(TileTest, WidthsFollowTheTreeSize) {
  EXPECT_EQ(TileWidth(0, 0, 0), 0u);
  EXPECT_EQ(TileWidth(0, 0, 1), 1u);
  EXPECT_EQ(TileWidth(0, 0, 300), 256u);
  EXPECT_EQ(TileWidth(0, 1, 300), 44u);
  EXPECT_EQ(TileWidth(1, 0, 300), 1u);
  EXPECT_EQ(TileWidth(1, 0, 255), 0u);
  EXPECT_EQ(TileWidth(-1, 1, 300), 44u);
}

TEST(TileTest, EntryBundles) {
  std::string bundle;
  AppendBundleEntry(bundle, "a");
  AppendBundleEntry(bundle, "");
  AppendBundleEntry(bundle, std::string(300, 'z'));
  auto parts = SplitBundle(bundle);
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0], "a");
  EXPECT_EQ((*parts)[1], "");
  EXPECT_EQ((*parts)[2].size(), 300u);
  EXPECT_EQ(bundle.substr(0, 3), std::string("\0\1a", 3));
  EXPECT_FALSE(SplitBundle(std::string("\0", 1)).ok());
  EXPECT_FALSE(SplitBundle(std::string("\0\5ab", 4)).ok());
}

}  // namespace
}  // namespace custody::tlog
