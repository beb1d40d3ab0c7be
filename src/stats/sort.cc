#include "stats/sort.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace custody::stats {
namespace {

// Order-preserving map of a double's bits to an unsigned integer: negative
// numbers have all bits flipped, non-negative ones only the sign bit.
uint64_t Key(double x) {
  x += 0.0;  // -0.0 becomes 0.0
  uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return (u & 0x8000000000000000ULL) ? ~u : (u | 0x8000000000000000ULL);
}

double FromKey(uint64_t k) {
  uint64_t u = (k & 0x8000000000000000ULL) ? (k & ~0x8000000000000000ULL) : ~k;
  double x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

constexpr size_t kRadixThreshold = 4096;
constexpr int kBits = 11;
constexpr int kPasses = 6;  // 6 x 11 bits >= 64
constexpr size_t kBuckets = size_t{1} << kBits;

}  // namespace

void SortSample(std::vector<double>& values) {
  const size_t n = values.size();
  if (n < kRadixThreshold || n > UINT32_MAX) {
    for (double& v : values) v += 0.0;
    std::sort(values.begin(), values.end());
    return;
  }
  std::vector<uint64_t> keys(n), scratch(n);
  // One counting pass for all digits.
  std::vector<std::array<uint32_t, kBuckets>> counts(kPasses);
  for (auto& c : counts) c.fill(0);
  for (size_t i = 0; i < n; ++i) {
    uint64_t k = Key(values[i]);
    keys[i] = k;
    for (int p = 0; p < kPasses; ++p) ++counts[p][(k >> (p * kBits)) & (kBuckets - 1)];
  }
  for (int p = 0; p < kPasses; ++p) {
    auto& c = counts[p];
    // A digit every key shares needs no pass.
    if (std::any_of(c.begin(), c.end(), [n](uint32_t x) { return x == n; })) continue;
    uint32_t sum = 0;
    for (auto& x : c) {
      uint32_t t = x;
      x = sum;
      sum += t;
    }
    const int shift = p * kBits;
    for (size_t i = 0; i < n; ++i) {
      uint64_t k = keys[i];
      scratch[c[(k >> shift) & (kBuckets - 1)]++] = k;
    }
    keys.swap(scratch);
  }
  for (size_t i = 0; i < n; ++i) values[i] = FromKey(keys[i]);
}

size_t CountDistinctSorted(std::span<const double> sorted) {
  if (sorted.empty()) return 0;
  size_t d = 1;
  // Branch-free, so the compiler vectorizes it.
  for (size_t i = 1; i < sorted.size(); ++i) d += sorted[i] != sorted[i - 1];
  return d;
}

size_t CountDistinctSorted(std::span<const double> a, std::span<const double> b) {
  size_t i = 0, j = 0, d = 0;
  bool have = false;
  double last = 0;
  while (i < a.size() || j < b.size()) {
    double v = (j == b.size() || (i < a.size() && a[i] <= b[j])) ? a[i++] : b[j++];
    if (!have || v != last) ++d;
    have = true;
    last = v;
  }
  return d;
}

}  // namespace custody::stats
