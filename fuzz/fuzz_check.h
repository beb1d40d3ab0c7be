// What a fuzz target calls when an invariant breaks: abort, so libFuzzer (and
// the ctest replay) report the input as a failure.
#pragma once

#include <cstdlib>

namespace custody::fuzz {

inline void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace custody::fuzz
