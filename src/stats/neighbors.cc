#include "stats/neighbors.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>

namespace custody::stats {

namespace {

constexpr uint32_t kLeafSize = 16;

// (squared distance, row): ordered so ties go to the lower row.
using Candidate = std::pair<double, uint32_t>;

}  // namespace

FeatureMatrix Standardize(const FeatureMatrix& x) {
  FeatureMatrix out = x;
  for (size_t c = 0; c < x.cols; ++c) {
    double mean = 0;
    for (size_t r = 0; r < x.rows; ++r) mean += x.values[r * x.cols + c];
    mean /= static_cast<double>(std::max<size_t>(x.rows, 1));
    double var = 0;
    for (size_t r = 0; r < x.rows; ++r) {
      double d = x.values[r * x.cols + c] - mean;
      var += d * d;
    }
    double sd = std::sqrt(var / static_cast<double>(std::max<size_t>(x.rows, 1)));
    for (size_t r = 0; r < x.rows; ++r) {
      double& v = out.values[r * x.cols + c];
      v = sd > 0 ? (v - mean) / sd : 0.0;
    }
  }
  return out;
}

KdTree::KdTree(const FeatureMatrix& points) : points_(points), idx_(points.rows) {
  std::iota(idx_.begin(), idx_.end(), 0u);
  if (points.rows > 0) {
    nodes_.reserve(2 * (points.rows / kLeafSize + 1));
    nodes_.push_back({});
    Build();
  }
}

// Splits nodes until leaves hold at most kLeafSize rows. Iterative, so deep
// trees on skewed data cannot overflow the stack.
void KdTree::Build() {
  struct Task {
    uint32_t node, begin, end;
  };
  std::vector<Task> stack{{0, 0, static_cast<uint32_t>(points_.rows)}};
  const size_t d = points_.cols;
  while (!stack.empty()) {
    Task t = stack.back();
    stack.pop_back();
    Node node{t.begin, t.end, -1, 0, 0};
    if (t.end - t.begin > kLeafSize && d > 0) {
      // Split the widest dimension at its median.
      size_t best = 0;
      double spread = -1;
      for (size_t c = 0; c < d; ++c) {
        double lo = HUGE_VAL, hi = -HUGE_VAL;
        for (uint32_t i = t.begin; i < t.end; ++i) {
          double v = points_.values[idx_[i] * d + c];
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
        if (hi - lo > spread) {
          spread = hi - lo;
          best = c;
        }
      }
      if (spread > 0) {
        uint32_t mid = t.begin + (t.end - t.begin) / 2;
        auto value = [&](uint32_t row) { return points_.values[row * d + best]; };
        std::nth_element(idx_.begin() + t.begin, idx_.begin() + mid, idx_.begin() + t.end,
                         [&](uint32_t a, uint32_t b) { return value(a) < value(b); });
        double split = value(idx_[mid]);
        // Rows equal to the median go right; move them past the cut.
        uint32_t cut = static_cast<uint32_t>(
            std::partition(idx_.begin() + t.begin, idx_.begin() + t.end, [&](uint32_t r) { return value(r) < split; }) -
            idx_.begin());
        if (cut > t.begin && cut < t.end) {
          node.dim = static_cast<int32_t>(best);
          node.split = split;
          node.left = static_cast<uint32_t>(nodes_.size());
          nodes_.resize(nodes_.size() + 2);
          stack.push_back({node.left, t.begin, cut});
          stack.push_back({node.left + 1, cut, t.end});
        }
      }
    }
    nodes_[t.node] = node;
  }
}

void KdTree::Nearest(size_t query, size_t k, std::vector<uint32_t>& out) const {
  out.clear();
  if (nodes_.empty() || k == 0) return;
  const size_t d = points_.cols;
  const double* q = points_.values.data() + query * d;
  std::vector<Candidate> heap;  // max-heap of the best k so far
  heap.reserve(k + 1);
  auto worst = [&] { return heap.size() < k ? HUGE_VAL : heap.front().first; };
  // Depth-first, nearer child first; `gap` is a lower bound on the squared
  // distance from the query to anything under the node.
  std::vector<std::pair<uint32_t, double>> stack{{0, 0.0}};
  while (!stack.empty()) {
    auto [ni, gap] = stack.back();
    stack.pop_back();
    if (gap > worst()) continue;
    const Node& n = nodes_[ni];
    if (n.dim < 0) {
      for (uint32_t i = n.begin; i < n.end; ++i) {
        uint32_t row = idx_[i];
        if (row == query) continue;
        const double* p = points_.values.data() + size_t{row} * d;
        // Stop summing once the partial distance is beyond the current k-th
        // (checked every 4 dimensions: most rows in high dimensions are).
        const double bound = worst();
        double dist = 0;
        size_t c = 0;
        for (; c + 4 <= d && dist <= bound; c += 4) {
          double d0 = p[c] - q[c], d1 = p[c + 1] - q[c + 1], d2 = p[c + 2] - q[c + 2], d3 = p[c + 3] - q[c + 3];
          dist += (d0 * d0 + d1 * d1) + (d2 * d2 + d3 * d3);
        }
        if (dist > bound) continue;
        for (; c < d; ++c) {
          double diff = p[c] - q[c];
          dist += diff * diff;
        }
        Candidate cand{dist, row};
        if (heap.size() < k) {
          heap.push_back(cand);
          std::push_heap(heap.begin(), heap.end());
        } else if (cand < heap.front()) {
          std::pop_heap(heap.begin(), heap.end());
          heap.back() = cand;
          std::push_heap(heap.begin(), heap.end());
        }
      }
      continue;
    }
    double delta = q[n.dim] - n.split;
    uint32_t near = delta < 0 ? n.left : n.left + 1;
    uint32_t far = delta < 0 ? n.left + 1 : n.left;
    stack.push_back({far, std::max(gap, delta * delta)});
    stack.push_back({near, gap});
  }
  std::sort_heap(heap.begin(), heap.end());
  for (const auto& c : heap) out.push_back(c.second);
}

Result<std::vector<LabelDisagreement>> FindLabelDisagreements(const FeatureMatrix& standardized,
                                                              std::span<const int32_t> labels, size_t k,
                                                              ThreadPool* pool) {
  if (labels.size() != standardized.rows) return Error::Internal("one label per row is needed");
  if (k == 0) return Error::Input("the label check needs at least one neighbour (k >= 1)");
  // Only labelled rows take part.
  std::vector<size_t> labelled;
  for (size_t r = 0; r < labels.size(); ++r) {
    if (labels[r] >= 0) labelled.push_back(r);
  }
  const double n = static_cast<double>(labelled.size());
  const double dims = static_cast<double>(std::max<size_t>(standardized.cols, 1));
  if (n * n * dims > kMaxLabelScreenWork) {
    size_t fits = static_cast<size_t>(std::sqrt(kMaxLabelScreenWork / dims));
    return Error::Input("the exact label check is limited to labelled rows^2 x features <= 4e10 (" +
                        std::to_string(fits) + " rows of " + std::to_string(standardized.cols) +
                        " features); the data has " + std::to_string(labelled.size()) +
                        " labelled rows: check a sample of the rows, use fewer features, or leave out the label "
                        "column");
  }
  if (labelled.size() <= k) {
    return Error::Input("the label check needs more labelled rows (" + std::to_string(labelled.size()) +
                        ") than neighbours (" + std::to_string(k) + ")");
  }
  FeatureMatrix sub;
  sub.rows = labelled.size();
  sub.cols = standardized.cols;
  sub.values.resize(sub.rows * sub.cols);
  for (size_t i = 0; i < labelled.size(); ++i) {
    std::copy_n(standardized.values.data() + labelled[i] * sub.cols, sub.cols, sub.values.data() + i * sub.cols);
  }
  KdTree tree(sub);
  int32_t max_label = *std::max_element(labels.begin(), labels.end());
  std::vector<std::optional<LabelDisagreement>> found(labelled.size());
  auto check = [&](size_t i, std::vector<uint32_t>& near, std::vector<size_t>& votes) {
    tree.Nearest(i, k, near);
    std::fill(votes.begin(), votes.end(), 0);
    for (uint32_t j : near) ++votes[static_cast<size_t>(labels[labelled[j]])];
    int32_t own = labels[labelled[i]];
    // Plurality; a tie goes to the lower label id.
    int32_t majority = static_cast<int32_t>(std::max_element(votes.begin(), votes.end()) - votes.begin());
    if (votes[static_cast<size_t>(majority)] > votes[static_cast<size_t>(own)]) {
      found[i] = LabelDisagreement{labelled[i], own, majority, votes[static_cast<size_t>(own)],
                                   votes[static_cast<size_t>(majority)]};
    }
  };
  size_t slots = pool != nullptr ? pool->size() : 1;
  std::vector<std::vector<uint32_t>> near(slots);
  std::vector<std::vector<size_t>> votes(slots, std::vector<size_t>(static_cast<size_t>(max_label) + 1));
  if (pool != nullptr && pool->size() > 1) {
    pool->ParallelFor(labelled.size(), [&](size_t i, size_t slot) { check(i, near[slot], votes[slot]); });
  } else {
    for (size_t i = 0; i < labelled.size(); ++i) check(i, near[0], votes[0]);
  }
  std::vector<LabelDisagreement> out;
  for (auto& f : found) {
    if (f) out.push_back(*f);
  }
  return out;
}

}  // namespace custody::stats
