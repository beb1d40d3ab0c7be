#include "cli/alloc_counter.h"

#include <cstdlib>
#include <new>

// Sanitizer builds keep their own operator new (it checks new/delete
// pairing), so there is nothing to count there.
#if defined(__SANITIZE_ADDRESS__)
#define CUSTODY_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CUSTODY_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef CUSTODY_COUNT_ALLOCATIONS
#define CUSTODY_COUNT_ALLOCATIONS 1
#endif

namespace {
thread_local uint64_t t_allocations = 0;
}  // namespace

namespace custody::cli {
uint64_t ThreadAllocations() { return t_allocations; }
bool AllocationsCounted() { return CUSTODY_COUNT_ALLOCATIONS != 0; }
}  // namespace custody::cli

#if CUSTODY_COUNT_ALLOCATIONS
void* operator new(std::size_t n) {
  ++t_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  ++t_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#endif
