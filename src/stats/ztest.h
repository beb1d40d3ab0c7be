// The two-proportion z-test as Evidently 0.7's z_stat_test uses it for
// binary columns: the share of values other than the first (smallest)
// category in each sample, pooled variance, two-sided normal p-value.
// Pure; any thread.
#pragma once

#include <cstdint>

namespace custody::stats {

// `others_*`: how many of the `n_*` values differ from the first category.
// When both samples hold one and the same value the p-value is 1.
// REQUIRES: n_reference, n_current > 0.
double ProportionsZTestPValue(int64_t n_reference, int64_t others_reference, int64_t n_current,
                              int64_t others_current);

}  // namespace custody::stats
