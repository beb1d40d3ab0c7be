// Path ordering for manifests, as Python's PurePosixPath compares paths: by
// their '/'-separated components, each compared byte-wise. So "a/b" sorts
// before "a.b" (component "a" < "a.b"), although '.' < '/' as bytes.
// Pure functions; safe from any thread.
#pragma once

#include <string_view>

namespace custody {

// <0, 0, >0 as `a` sorts before, equal to, or after `b`.
int ComparePaths(std::string_view a, std::string_view b);
inline bool PathLess(std::string_view a, std::string_view b) { return ComparePaths(a, b) < 0; }

// True if `path` equals `prefix` or lies below it ("a/b" is under "a", "a.b" is not).
bool PathIsUnder(std::string_view path, std::string_view prefix);

}  // namespace custody
