// C2SP tlog-tiles: tile coordinates and paths, and entry bundles.
//
// A hash tile at level L, index N holds up to 256 consecutive hashes of the
// tree's nodes at height 8*L (level 0: the leaf hashes). Its path is
// "tile/L/N" for a full tile and "tile/L/N.p/W" for a partial one of width W;
// N is written in groups of three digits, all but the last prefixed with 'x'
// (1234067 -> "x001/x234/067"). An entry bundle "tile/entries/N[.p/W]" holds
// entries 256*N ... as big-endian uint16 length-prefixed byte strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace custody::tlog {

inline constexpr int kTileHeight = 8;
inline constexpr uint64_t kTileWidth = 256;
inline constexpr size_t kMaxEntrySize = 65535;

struct TileRef {
  int level = 0;         // -1 for an entry bundle
  uint64_t index = 0;
  uint64_t width = kTileWidth;  // 1..256; 256 = full
  bool entries() const { return level < 0; }
};

std::string TileIndexPath(uint64_t index);
std::string TilePath(const TileRef& t);
// Parses a path below the log's root ("tile/0/x001/234.p/8", "tile/entries/000").
// Non-canonical forms (leading zeros missing, width 0 or 256 on a partial) are errors.
Result<TileRef> ParseTilePath(std::string_view path);

// Width of tile (level, index) in a tree of `size` leaves: 0 if it does not exist yet.
uint64_t TileWidth(int level, uint64_t index, uint64_t size);

void AppendBundleEntry(std::string& bundle, std::string_view entry);
Result<std::vector<std::string_view>> SplitBundle(std::string_view bundle);

}  // namespace custody::tlog
