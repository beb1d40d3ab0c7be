// IsolationForest: anomaly scores by random partitioning (Liu, Ting and Zhou,
// "Isolation Forest", ICDM 2008), with scikit-learn 1.2's defaults and
// conventions: 100 trees, each grown on min(256, n) rows drawn without
// replacement to depth ceil(log2(max_samples)); a node splits on a random
// feature that is not constant in its rows, at a threshold uniform between
// that feature's minimum and maximum there; a row's path length is its leaf's
// depth plus c(size of the leaf), and its score s = 2^(-E[h] / c(max_samples))
// lies in (0, 1], higher = more anomalous. The features sklearn's trees draw
// differ (the random streams are not the same); the detection quality (ROC
// AUC) matches.
//
// A fitted forest is immutable: Score() may be called from many threads at
// once. Fit and the batch Score take an optional ThreadPool; results depend
// only on the data and the seed, never on the number of threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "core/thread_pool.h"

namespace custody::stats {

// Rows of feature values, row-major: value(r, c) = values[r * cols + c].
struct FeatureMatrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> values;
  std::vector<std::string> names;  // one per column, for errors and the saved model (may be empty)

  std::span<const double> row(size_t r) const { return {values.data() + r * cols, cols}; }
};

// c(n): the average path length of an unsuccessful search in a binary search
// tree of n keys, 2 H(n - 1) - 2 (n - 1) / n with H(i) = ln(i) + Euler's
// constant (numpy.euler_gamma, 0.5772156649015329); 0 for n <= 1 and 1 for
// n = 2, as sklearn's _average_path_length.
double AveragePathLength(double n);

struct IsolationForestOptions {
  size_t trees = 100;
  size_t max_samples = 256;  // rows per tree; at most the number of rows
  uint64_t seed = 0;
  // < 0: "auto", rows with s > 0.5 are outliers (sklearn's offset -0.5).
  // In (0, 0.5]: the threshold is the (1 - contamination) percentile of the
  // training scores (linear interpolation, as numpy.percentile).
  double contamination = -1;
};

class IsolationForest {
 public:
  // Grows the forest on `x`. Errors: no rows, no columns, a NaN or infinite
  // value (named by row and column), bad options. When `training_scores` is
  // given (or a contamination fraction needs them) every training row is
  // scored; the scores are written there in row order.
  static Result<IsolationForest> Fit(const FeatureMatrix& x, const IsolationForestOptions& options,
                                     ThreadPool* pool = nullptr, std::vector<double>* training_scores = nullptr);

  // The score s of one row. REQUIRES: row.size() == features(), finite values.
  double Score(std::span<const double> row) const;
  // Scores of every row of `x`, in order; checks the width and that every
  // value is finite.
  Result<std::vector<double>> ScoreAll(const FeatureMatrix& x, ThreadPool* pool = nullptr) const;

  // Rows scoring above this are outliers. "Above" ignores differences of
  // summation rounding (1e-12), so identical rows that score s = 0.5 up to
  // rounding are not flagged under "auto".
  double threshold() const { return threshold_; }
  bool IsOutlier(double score) const { return score > threshold_ + 1e-12; }

  size_t features() const { return features_; }
  const std::vector<std::string>& feature_names() const { return names_; }
  size_t max_samples() const { return max_samples_; }
  size_t trees() const { return roots_.size(); }
  const IsolationForestOptions& options() const { return options_; }

  // The documented model format (docs/formats/isolation-forest.md).
  Json ToJson() const;
  static Result<IsolationForest> FromJson(const Json& json, const std::string& source);
  Status Save(const std::string& path) const;
  static Result<IsolationForest> Load(const std::string& path);

 private:
  // One node of a flat tree. Internal: go to `left` if x[feature] <= value,
  // else left + 1. Leaf (feature < 0): `value` is depth + c(samples), the
  // path length of every row ending there; `samples` the training rows in it.
  struct Node {
    double value = 0;
    int32_t feature = -1;
    uint32_t left = 0;
    uint32_t samples = 0;
  };

  // The same trees laid out for branch-free routing: a leaf routes to
  // itself (threshold +inf, next = its own index), so every row takes
  // exactly depths_[tree] steps and a block of rows can be routed in lockstep.
  struct Step {
    double threshold;
    uint32_t feature;
    uint32_t next;  // x[feature] <= threshold: next, else next + 1
  };

  double PathLength(size_t tree, const double* row) const;
  void BuildRouting();
  double ScoreFromPathSum(double sum) const;
  Status SetLeafValues();
  Status SetThreshold(std::vector<double>& scores);

  IsolationForestOptions options_;
  size_t features_ = 0;
  size_t max_samples_ = 0;
  size_t training_rows_ = 0;
  std::vector<std::string> names_;
  std::vector<Node> nodes_;      // every tree, one after another
  std::vector<uint32_t> roots_;  // index of each tree's root in nodes_
  std::vector<Step> steps_;      // one per node, as nodes_
  std::vector<uint32_t> depths_;  // deepest leaf of each tree
  double threshold_ = 0.5;

  friend class TreeBuilder;
};

}  // namespace custody::stats
