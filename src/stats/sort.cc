#include "stats/sort.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>

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
constexpr int kTopBits = 16;         // the first, most significant digit
constexpr int kLowBits = 64 - kTopBits;
constexpr int kBits = 8;             // the digits below it, least significant first
constexpr int kPasses = kLowBits / kBits;
constexpr size_t kBuckets = size_t{1} << kBits;
constexpr size_t kSmallBucket = 256;  // std::sort up to here

// Sorts keys[0, n), which share their top kTopBits bits, on the bits below
// with a least significant digit radix sort alternating with `other`.
// Returns where the sorted keys are: `keys` or `other`.
uint64_t* SortLowBits(uint64_t* keys, uint64_t* other, size_t n) {
  if (n <= kSmallBucket) {
    std::sort(keys, keys + n);
    return keys;
  }
  std::array<std::array<uint32_t, kBuckets>, kPasses> counts{};
  for (size_t i = 0; i < n; ++i) {
    const uint64_t k = keys[i];
    for (int p = 0; p < kPasses; ++p) ++counts[p][(k >> (p * kBits)) & (kBuckets - 1)];
  }
  uint64_t* from = keys;
  uint64_t* to = other;
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
      const uint64_t k = from[i];
      to[c[(k >> shift) & (kBuckets - 1)]++] = k;
    }
    std::swap(from, to);
  }
  return from;
}

// Data with few distinct values (codes, counts, rounded measurements) is
// sorted by counting each value: one pass with a small hash table, then the
// values in order, each repeated. Returns false, having written nothing, as
// soon as there are more than kFewValues distinct values.
constexpr size_t kFewValues = 1024;
constexpr int kFewSlotBits = 11;  // 2048 slots: at most half full

template <typename Keep>
bool SortByCounting(std::span<const double> in, Keep keep, SortBuffers& buffers, std::vector<double>& out,
                    size_t* count) {
  std::vector<uint64_t>& keys = buffers.few_keys;
  std::vector<uint32_t>& counts = buffers.few_counts;  // 0 = empty slot
  keys.assign(size_t{1} << kFewSlotBits, 0);
  counts.assign(size_t{1} << kFewSlotBits, 0);
  constexpr size_t kMask = (size_t{1} << kFewSlotBits) - 1;
  size_t distinct = 0, n = 0;
  for (double x : in) {
    if (!keep(x)) continue;
    const uint64_t k = Key(x);
    size_t i = static_cast<size_t>((k * 0x9E3779B97F4A7C15ULL) >> (64 - kFewSlotBits));
    while (counts[i] != 0 && keys[i] != k) i = (i + 1) & kMask;
    if (counts[i] == 0) {
      if (++distinct > kFewValues) return false;
      keys[i] = k;
    }
    ++counts[i];
    ++n;
  }
  std::vector<std::pair<uint64_t, uint32_t>> values;
  values.reserve(distinct);
  for (size_t i = 0; i <= kMask; ++i) {
    if (counts[i] != 0) values.emplace_back(keys[i], counts[i]);
  }
  std::sort(values.begin(), values.end());
  if (out.size() < n) out.resize(n);
  size_t at = 0;
  for (const auto& [k, c] : values) {
    std::fill_n(out.begin() + static_cast<ptrdiff_t>(at), c, FromKey(k));
    at += c;
  }
  *count = n;
  return true;
}

// Sorts the values of `in` that `keep` accepts into out[0, n) and returns n
// (`out` grows when needed and is never shrunk, so that a reused buffer is
// not filled with zeros again). Radix sort on the keys: one pass distributes
// them by their top 16 bits (sign, exponent and the first mantissa bits)
// into a scratch buffer, then each bucket, small enough to stay in cache for
// most data, is sorted on its remaining bits and decoded into `out`.
template <typename Keep>
size_t SortInto(std::span<const double> in, Keep keep, SortBuffers& buffers, std::vector<double>& out) {
  if (in.size() < kRadixThreshold || in.size() > UINT32_MAX) {
    size_t n = 0;
    if (out.size() < in.size()) out.resize(in.size());
    for (double x : in) {
      if (keep(x)) out[n++] = x + 0.0;
    }
    std::sort(out.begin(), out.begin() + static_cast<ptrdiff_t>(n));
    return n;
  }
  size_t few = 0;
  if (SortByCounting(in, keep, buffers, out, &few)) return few;
  constexpr size_t kTop = size_t{1} << kTopBits;
  std::vector<uint32_t>& start = buffers.start;
  start.assign(kTop + 1, 0);
  size_t n = 0;
  for (double x : in) {
    if (!keep(x)) continue;
    ++start[(Key(x) >> kLowBits) + 1];
    ++n;
  }
  for (size_t b = 1; b <= kTop; ++b) start[b] += start[b - 1];
  if (buffers.capacity < n) {
    buffers.keys.reset(new uint64_t[n]);  // not zero-filled
    buffers.other.reset(new uint64_t[n]);
    buffers.capacity = n;
  }
  uint64_t* keys = buffers.keys.get();
  uint64_t* other = buffers.other.get();
  std::vector<uint32_t>& next = buffers.next;
  next.assign(start.begin(), start.end() - 1);
  for (double x : in) {
    if (!keep(x)) continue;
    const uint64_t k = Key(x);
    keys[next[k >> kLowBits]++] = k;
  }
  if (out.size() < n) out.resize(n);
  for (size_t b = 0; b < kTop; ++b) {
    const size_t from = start[b], to = start[b + 1];
    if (from == to) continue;
    const uint64_t* sorted = SortLowBits(keys + from, other + from, to - from);
    for (size_t i = 0; i < to - from; ++i) out[from + i] = FromKey(sorted[i]);
  }
  return n;
}

}  // namespace

void SortSample(std::vector<double>& values) {
  SortBuffers buffers;
  std::vector<double> out;
  out.resize(SortInto(values, [](double) { return true; }, buffers, out));
  values = std::move(out);
}

std::span<const double> SortFinite(std::span<const double> values, SortBuffers& buffers,
                                   std::vector<double>& out) {
  size_t n = SortInto(values, [](double x) { return std::isfinite(x); }, buffers, out);
  return {out.data(), n};
}

size_t CountDistinctSorted(std::span<const double> sorted) {
  if (sorted.empty()) return 0;
  size_t d = 1;
  // Branch-free, so the compiler vectorizes it.
  for (size_t i = 1; i < sorted.size(); ++i) d += sorted[i] != sorted[i - 1];
  return d;
}

PooledWalk WalkPooled(std::span<const double> a, std::span<const double> b) {
  // At each distinct pooled value x, in order: the Wasserstein integral
  // grows by |F_a - F_b| over [previous x, x) (both CDFs are flat there),
  // then i and j count the values <= x and the ECDF difference is taken as
  // searchsorted(side='right') gives it. Heads are picked without a branch;
  // only ties take the inner loops.
  constexpr double kEnd = std::numeric_limits<double>::infinity();
  const size_t na = a.size(), nb = b.size();
  const double fa = static_cast<double>(na), fb = static_cast<double>(nb);
  PooledWalk w;
  double max_diff = -kEnd, min_diff = kEnd;
  double prev = 0.0;
  size_t i = 0, j = 0;
  while (i < na || j < nb) {
    const double va = i < na ? a[i] : kEnd;
    const double vb = j < nb ? b[j] : kEnd;
    const double x = va <= vb ? va : vb;
    if (w.distinct > 0) {
      w.wasserstein += std::fabs(static_cast<double>(i) / fa - static_cast<double>(j) / fb) * (x - prev);
    }
    const size_t i0 = i;
    i += static_cast<size_t>(i < na && va == x);
    j += static_cast<size_t>(j < nb && vb == x);
    while (i < na && a[i] == x) ++i;
    while (j < nb && b[j] == x) ++j;
    const double diff = static_cast<double>(i) / fa - static_cast<double>(j) / fb;
    max_diff = std::max(max_diff, diff);
    min_diff = std::min(min_diff, diff);
    ++w.distinct;
    w.distinct_a += i != i0;
    prev = x;
  }
  if (w.distinct > 0) {
    double min_s = std::clamp(-min_diff, 0.0, 1.0);
    w.ks_statistic = min_s > max_diff ? min_s : max_diff;
  }
  return w;
}

size_t CountDistinctSorted(std::span<const double> a, std::span<const double> b) {
  return WalkPooled(a, b).distinct;
}

}  // namespace custody::stats
