// Exact k-nearest-neighbour search (a k-d tree over Euclidean distance) and
// the label-flip screen built on it: rows whose label disagrees with the
// labels of their nearest neighbours in standardized feature space.
//
// A KdTree is immutable after construction; Nearest() may be called from
// many threads at once. Results are exact and deterministic (ties in distance
// go to the lower row index), whatever the number of threads.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"
#include "stats/isolation_forest.h"

namespace custody::stats {

// Each column shifted to mean 0 and scaled to standard deviation 1 (columns
// with no spread become 0). REQUIRES: finite values.
FeatureMatrix Standardize(const FeatureMatrix& x);

class KdTree {
 public:
  // Indexes the rows of `points`, which must outlive the tree.
  explicit KdTree(const FeatureMatrix& points);

  // The `k` rows nearest to row `query`, itself excluded, nearest first.
  void Nearest(size_t query, size_t k, std::vector<uint32_t>& out) const;

 private:
  struct Node {
    uint32_t begin, end;  // rows idx_[begin, end) under this node
    int32_t dim;          // split dimension; -1 for a leaf
    double split;         // rows with value < split are in the left child
    uint32_t left;        // children: left, left + 1
  };
  void Build();

  const FeatureMatrix& points_;
  std::vector<uint32_t> idx_;
  std::vector<Node> nodes_;
};

// A row whose label the plurality of its neighbours does not share.
struct LabelDisagreement {
  size_t row = 0;        // 0-based
  int32_t label = 0;     // the row's label id
  int32_t majority = 0;  // the most common label among its neighbours
  size_t agreeing = 0;   // neighbours with the row's label
  size_t majority_votes = 0;
};

// The label screen's limit on labelled rows^2 x features. The search is
// exact; in many dimensions a k-d tree ends up comparing most pairs of rows,
// and at this limit that takes about half a minute on two cores (e.g. 44,000
// rows of 21 features, or 100,000 rows of 4).
constexpr double kMaxLabelScreenWork = 4e10;

// For every row with a label (`labels[r]` >= 0; -1 = missing, ignored), finds
// its `k` nearest labelled rows in `standardized` and reports the rows where
// another label has more votes than the row's own, in row order.
Result<std::vector<LabelDisagreement>> FindLabelDisagreements(const FeatureMatrix& standardized,
                                                              std::span<const int32_t> labels, size_t k,
                                                              ThreadPool* pool = nullptr);

}  // namespace custody::stats
