// Heap allocations made by the calling thread, for `custody policy bench`'s
// allocs/op. The custody binary replaces the global operator new with one
// that counts (a thread-local increment), so the count is exact; sanitizer
// builds do not count.
#pragma once

#include <cstdint>

namespace custody::cli {

uint64_t ThreadAllocations();
// False in sanitizer builds, which keep their own operator new.
bool AllocationsCounted();

}  // namespace custody::cli
