#include "stats/chisquare.h"

#include <vector>

#include "stats/special.h"

namespace custody::stats {

ChiSquareResult ChiSquareTest(std::span<const double> observed, std::span<const double> expected) {
  ChiSquareResult r;
  double stat = 0;
  for (size_t i = 0; i < observed.size(); ++i) {
    double d = observed[i] - expected[i];
    stat += d * d / expected[i];
  }
  r.statistic = stat;
  r.pvalue = ChiSquareSf(stat, static_cast<double>(observed.size()) - 1.0);
  return r;
}

ChiSquareResult ChiSquareTwoSample(std::span<const int64_t> reference, std::span<const int64_t> current) {
  int64_t n_ref = 0, n_cur = 0;
  for (int64_t c : reference) n_ref += c;
  for (int64_t c : current) n_cur += c;
  const double k_norm = static_cast<double>(n_cur) / static_cast<double>(n_ref);
  std::vector<double> obs(current.size()), exp(reference.size());
  for (size_t i = 0; i < reference.size(); ++i) {
    exp[i] = static_cast<double>(reference[i]) * k_norm;
    obs[i] = static_cast<double>(current[i]);
  }
  return ChiSquareTest(obs, exp);
}

}  // namespace custody::stats
