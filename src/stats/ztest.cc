#include "stats/ztest.h"

#include <cmath>

#include "stats/special.h"

namespace custody::stats {

double ProportionsZTestPValue(int64_t n_reference, int64_t others_reference, int64_t n_current,
                              int64_t others_current) {
  // Both samples hold only the first category: one and the same constant.
  if (others_reference == 0 && others_current == 0) return 1.0;
  const double n1 = static_cast<double>(n_reference), n2 = static_cast<double>(n_current);
  const double p1 = static_cast<double>(others_reference) / n1;
  const double p2 = static_cast<double>(others_current) / n2;
  const double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const double z = (p1 - p2) / std::sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
  return 2 * (1 - NormalCdf(std::fabs(z)));
}

}  // namespace custody::stats
