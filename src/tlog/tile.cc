#include "tlog/tile.h"

#include <charconv>

namespace custody::tlog {
namespace {

Result<uint64_t> ParseGroup(std::string_view s, bool exact3) {
  uint64_t v = 0;
  if (s.empty() || (exact3 && s.size() != 3) || s.size() > 3) return Error::Input("bad tile index group '" + std::string(s) + "'");
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return Error::Input("bad tile index group '" + std::string(s) + "'");
  return v;
}

}  // namespace

std::string TileIndexPath(uint64_t index) {
  std::vector<std::string> groups;
  do {
    char buf[4];
    uint64_t g = index % 1000;
    buf[0] = static_cast<char>('0' + g / 100);
    buf[1] = static_cast<char>('0' + g / 10 % 10);
    buf[2] = static_cast<char>('0' + g % 10);
    buf[3] = 0;
    groups.emplace_back(buf);
    index /= 1000;
  } while (index > 0);
  std::string out;
  for (size_t i = groups.size(); i-- > 0;) {
    if (i > 0) out += 'x';
    out += groups[i];
    if (i > 0) out += '/';
  }
  return out;
}

std::string TilePath(const TileRef& t) {
  std::string s = "tile/";
  s += t.entries() ? std::string("entries") : std::to_string(t.level);
  s += "/" + TileIndexPath(t.index);
  if (t.width < kTileWidth) s += ".p/" + std::to_string(t.width);
  return s;
}

Result<TileRef> ParseTilePath(std::string_view path) {
  auto bad = [&](const std::string& why) {
    return Error::Input("'" + std::string(path.substr(0, 200)) + "' is not a tile path: " + why);
  };
  if (path.substr(0, 5) != "tile/") return bad("it does not start with tile/");
  path.remove_prefix(5);
  TileRef t;
  size_t slash = path.find('/');
  if (slash == std::string_view::npos) return bad("no index");
  std::string_view level = path.substr(0, slash);
  path.remove_prefix(slash + 1);
  if (level == "entries") {
    t.level = -1;
  } else {
    int l = 0;
    auto [p, ec] = std::from_chars(level.data(), level.data() + level.size(), l);
    if (ec != std::errc() || p != level.data() + level.size() || l < 0 || l > 63 ||
        (level.size() > 1 && level[0] == '0')) {
      return bad("bad level");
    }
    t.level = l;
  }
  // Width suffix.
  size_t dotp = path.find(".p/");
  if (dotp != std::string_view::npos) {
    std::string_view w = path.substr(dotp + 3);
    uint64_t width = 0;
    auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), width);
    if (ec != std::errc() || p != w.data() + w.size() || width == 0 || width >= kTileWidth ||
        w[0] == '0') {
      return bad("partial width must be 1 to 255");
    }
    t.width = width;
    path = path.substr(0, dotp);
  }
  uint64_t index = 0;
  while (true) {
    size_t s = path.find('/');
    std::string_view group = path.substr(0, s);
    bool last = s == std::string_view::npos;
    if (!last) {
      if (group.empty() || group[0] != 'x') return bad("index groups before the last start with x");
      group.remove_prefix(1);
    }
    auto g = ParseGroup(group, true);
    if (!g.ok()) return bad(g.error().message());
    if (index > (UINT64_MAX - *g) / 1000) return bad("index too large");
    index = index * 1000 + *g;
    if (last) break;
    path.remove_prefix(s + 1);
  }
  t.index = index;
  return t;
}

uint64_t TileWidth(int level, uint64_t index, uint64_t size) {
  uint64_t n = level >= 0 ? size >> (kTileHeight * level) : size;
  if (n <= index * kTileWidth) return 0;
  uint64_t w = n - index * kTileWidth;
  return w > kTileWidth ? kTileWidth : w;
}

void AppendBundleEntry(std::string& bundle, std::string_view entry) {
  bundle += static_cast<char>((entry.size() >> 8) & 0xff);
  bundle += static_cast<char>(entry.size() & 0xff);
  bundle.append(entry);
}

Result<std::vector<std::string_view>> SplitBundle(std::string_view bundle) {
  std::vector<std::string_view> out;
  while (!bundle.empty()) {
    if (bundle.size() < 2) return Error::Input("entry bundle ends inside a length prefix");
    size_t n = (size_t{static_cast<unsigned char>(bundle[0])} << 8) | static_cast<unsigned char>(bundle[1]);
    if (bundle.size() - 2 < n) return Error::Input("entry bundle ends inside entry " + std::to_string(out.size()));
    out.push_back(bundle.substr(2, n));
    bundle.remove_prefix(2 + n);
  }
  return out;
}

}  // namespace custody::tlog
