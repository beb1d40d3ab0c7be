#include "stats/isolation_forest.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "core/file.h"

namespace custody::stats {

namespace {

constexpr const char* kFormat = "custody.isolation-forest/v1";
constexpr double kEulerGamma = 0.5772156649015329;  // numpy.euler_gamma, as sklearn's _average_path_length
constexpr size_t kScoreBlock = 256;           // rows scored together, tree by tree

// SplitMix64 (Steele, Lea and Flood): small, fast and the same on every
// platform, so a seed gives the same forest everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n) (modulo bias below n / 2^64, far under sampling noise). REQUIRES: n > 0.
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_;
};

// The seed of tree `t`: trees draw from independent streams, so they can be
// grown in any order on any number of threads.
uint64_t TreeSeed(uint64_t seed, size_t t) {
  Rng mix(seed ^ (0xD1B54A32D192ED03ULL * (t + 1)));
  return mix.Next();
}

// Rows of one tree: `k` distinct rows of [0, n), drawn without replacement.
std::vector<size_t> SampleRows(size_t n, size_t k, Rng& rng) {
  std::vector<size_t> rows;
  if (k >= n) {
    rows.resize(n);
    std::iota(rows.begin(), rows.end(), size_t{0});
    return rows;
  }
  if (k * 4 >= n) {  // partial Fisher-Yates
    std::vector<size_t> all(n);
    std::iota(all.begin(), all.end(), size_t{0});
    for (size_t i = 0; i < k; ++i) std::swap(all[i], all[i + rng.Below(n - i)]);
    all.resize(k);
    return all;
  }
  std::unordered_set<size_t> seen;
  rows.reserve(k);
  while (rows.size() < k) {
    size_t r = rng.Below(n);
    if (seen.insert(r).second) rows.push_back(r);
  }
  return rows;
}

Status CheckFinite(const FeatureMatrix& x, const std::vector<std::string>& names) {
  for (size_t r = 0; r < x.rows; ++r) {
    for (size_t c = 0; c < x.cols; ++c) {
      double v = x.values[r * x.cols + c];
      if (std::isfinite(v)) continue;
      std::string col = c < names.size() ? "column '" + names[c] + "'" : "feature " + std::to_string(c + 1);
      return Error::Input("row " + std::to_string(r + 1) + ", " + col + ": " +
                          (std::isnan(v) ? "missing value" : "infinite value") +
                          "; the isolation forest needs a finite number in every feature: fill or drop the row, "
                          "or leave the column out");
    }
  }
  return OkStatus();
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  double pos = p / 100.0 * static_cast<double>(values.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

}  // namespace

double AveragePathLength(double n) {
  if (n <= 1) return 0.0;
  if (n == 2) return 1.0;
  return 2.0 * (std::log(n - 1.0) + kEulerGamma) - 2.0 * (n - 1.0) / n;
}

// Grows one isolation tree on a sample held column by column, so the
// minimum and maximum of a feature over a node read contiguous memory.
class TreeBuilder {
 public:
  using Node = IsolationForest::Node;

  TreeBuilder(const FeatureMatrix& x, const std::vector<size_t>& rows, size_t max_depth, Rng& rng)
      : k_(rows.size()), d_(x.cols), max_depth_(max_depth), rng_(rng), values_(k_ * d_), order_(d_) {
    for (size_t i = 0; i < k_; ++i) {
      const double* row = x.values.data() + rows[i] * d_;
      for (size_t f = 0; f < d_; ++f) values_[f * k_ + i] = row[f];
    }
    std::iota(order_.begin(), order_.end(), size_t{0});
  }

  // Nodes with `left` relative to the tree's first node.
  std::vector<Node> Build() {
    std::vector<uint32_t> idx(k_);
    std::iota(idx.begin(), idx.end(), 0u);
    std::vector<Node> nodes(1);
    struct Task {
      uint32_t node, lo, hi, depth;
    };
    std::vector<Task> stack{{0, 0, static_cast<uint32_t>(k_), 0}};
    while (!stack.empty()) {
      Task t = stack.back();
      stack.pop_back();
      nodes[t.node].samples = t.hi - t.lo;
      if (t.depth >= max_depth_ || t.hi - t.lo <= 1) continue;  // a leaf
      double lo = 0, hi = 0;
      int feature = PickFeature(idx.data() + t.lo, t.hi - t.lo, &lo, &hi);
      if (feature < 0) continue;  // every feature constant here: a leaf
      double threshold = lo + rng_.Uniform() * (hi - lo);
      if (threshold >= hi) threshold = lo;  // rounding reached the maximum; keep both sides non-empty
      const double* col = values_.data() + static_cast<size_t>(feature) * k_;
      uint32_t* mid = std::partition(idx.data() + t.lo, idx.data() + t.hi,
                                     [&](uint32_t i) { return col[i] <= threshold; });
      uint32_t split = static_cast<uint32_t>(mid - idx.data());
      uint32_t left = static_cast<uint32_t>(nodes.size());
      nodes[t.node].feature = feature;
      nodes[t.node].value = threshold;
      nodes[t.node].left = left;
      nodes.resize(nodes.size() + 2);
      stack.push_back({left + 1, split, t.hi, t.depth + 1});
      stack.push_back({left, t.lo, split, t.depth + 1});
    }
    return nodes;
  }

 private:
  // Draws features in random order until one is not constant over the
  // node's rows; -1 when all are constant.
  int PickFeature(const uint32_t* idx, size_t n, double* lo, double* hi) {
    for (size_t t = 0; t < d_; ++t) {
      std::swap(order_[t], order_[t + rng_.Below(d_ - t)]);
      size_t f = order_[t];
      const double* col = values_.data() + f * k_;
      double mn = col[idx[0]], mx = mn;
      for (size_t i = 1; i < n; ++i) {
        double v = col[idx[i]];
        mn = std::min(mn, v);
        mx = std::max(mx, v);
      }
      if (mx > mn) {
        *lo = mn;
        *hi = mx;
        return static_cast<int>(f);
      }
    }
    return -1;
  }

  size_t k_, d_, max_depth_;
  Rng& rng_;
  std::vector<double> values_;
  std::vector<size_t> order_;
};

Result<IsolationForest> IsolationForest::Fit(const FeatureMatrix& x, const IsolationForestOptions& options,
                                             ThreadPool* pool, std::vector<double>* training_scores) {
  if (x.rows == 0) return Error::Input("no rows to fit the isolation forest on");
  if (x.cols == 0) return Error::Input("no feature columns to fit the isolation forest on");
  if (x.values.size() != x.rows * x.cols) return Error::Internal("feature matrix size does not match its shape");
  if (x.rows > UINT32_MAX) return Error::Input("too many rows for one isolation forest (limit 4294967295)");
  if (options.trees == 0) return Error::Input("the isolation forest needs at least one tree");
  if (options.max_samples == 0) return Error::Input("max samples must be at least 1");
  if (options.contamination >= 0 && !(options.contamination > 0 && options.contamination <= 0.5)) {
    return Error::Input("contamination must be 'auto' or a fraction in (0, 0.5], got " +
                        std::to_string(options.contamination));
  }
  CUSTODY_RETURN_IF_ERROR(CheckFinite(x, x.names));

  IsolationForest forest;
  forest.options_ = options;
  forest.features_ = x.cols;
  forest.names_ = x.names;
  forest.training_rows_ = x.rows;
  forest.max_samples_ = std::min(options.max_samples, x.rows);
  size_t max_depth = static_cast<size_t>(std::ceil(std::log2(std::max<double>(forest.max_samples_, 2))));

  std::vector<std::vector<Node>> trees(options.trees);
  auto grow = [&](size_t t) {
    Rng rng(TreeSeed(options.seed, t));
    std::vector<size_t> rows = SampleRows(x.rows, forest.max_samples_, rng);
    TreeBuilder builder(x, rows, max_depth, rng);
    trees[t] = builder.Build();
  };
  if (pool != nullptr && pool->size() > 1) {
    pool->ParallelFor(trees.size(), [&](size_t t, size_t) { grow(t); });
  } else {
    for (size_t t = 0; t < trees.size(); ++t) grow(t);
  }
  for (auto& tree : trees) {
    uint32_t base = static_cast<uint32_t>(forest.nodes_.size());
    forest.roots_.push_back(base);
    for (Node n : tree) {
      if (n.feature >= 0) n.left += base;
      forest.nodes_.push_back(n);
    }
  }
  CUSTODY_RETURN_IF_ERROR(forest.SetLeafValues());

  if (training_scores != nullptr || options.contamination > 0) {
    CUSTODY_ASSIGN_OR_RETURN(std::vector<double> scores, forest.ScoreAll(x, pool));
    CUSTODY_RETURN_IF_ERROR(forest.SetThreshold(scores));
    if (training_scores != nullptr) *training_scores = std::move(scores);
  }
  return forest;
}

Status IsolationForest::SetThreshold(std::vector<double>& scores) {
  if (options_.contamination <= 0) {
    threshold_ = 0.5;
    return OkStatus();
  }
  if (scores.empty()) return Error::Input("no training scores to set the contamination threshold from");
  // sklearn: offset_ = percentile(-s, 100 c); outliers have -s < offset_.
  threshold_ = Percentile(scores, 100.0 * (1.0 - options_.contamination));
  return OkStatus();
}

// Writes depth + c(samples) into every leaf, checking that each tree is a
// tree: children after their parent, inside the tree, reached once.
Status IsolationForest::SetLeafValues() {
  depths_.assign(roots_.size(), 0);
  for (size_t t = 0; t < roots_.size(); ++t) {
    uint32_t begin = roots_[t];
    uint32_t end = t + 1 < roots_.size() ? roots_[t + 1] : static_cast<uint32_t>(nodes_.size());
    std::vector<bool> seen(end - begin, false);
    std::vector<std::pair<uint32_t, uint32_t>> stack{{begin, 0}};
    while (!stack.empty()) {
      auto [i, depth] = stack.back();
      stack.pop_back();
      if (i < begin || i >= end || seen[i - begin]) {
        return Error::Input("tree " + std::to_string(t) + " is not a tree (node " + std::to_string(i - begin) +
                            " is outside it or reached twice)");
      }
      seen[i - begin] = true;
      Node& n = nodes_[i];
      if (n.feature < 0) {
        n.value = depth + AveragePathLength(n.samples);
        depths_[t] = std::max(depths_[t], depth);
        continue;
      }
      if (static_cast<size_t>(n.feature) >= features_ || n.left <= i || n.left + 1 >= end ||
          !std::isfinite(n.value)) {
        return Error::Input("tree " + std::to_string(t) + ", node " + std::to_string(i - begin) +
                            ": feature, threshold or child index out of range");
      }
      stack.push_back({n.left, depth + 1});
      stack.push_back({n.left + 1, depth + 1});
    }
    if (std::find(seen.begin(), seen.end(), false) != seen.end()) {
      return Error::Input("tree " + std::to_string(t) + " has nodes no path reaches");
    }
  }
  BuildRouting();
  return OkStatus();
}

void IsolationForest::BuildRouting() {
  steps_.resize(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    steps_[i] = n.feature < 0 ? Step{HUGE_VAL, 0, static_cast<uint32_t>(i)}
                              : Step{n.value, static_cast<uint32_t>(n.feature), n.left};
  }
}

double IsolationForest::PathLength(size_t tree, const double* row) const {
  const Node* n = &nodes_[roots_[tree]];
  while (n->feature >= 0) n = &nodes_[n->left + (row[n->feature] > n->value ? 1 : 0)];
  return n->value;
}

// s = 2^(-E[h] / c(max_samples)); as sklearn, 2^-1 when c is 0 (one sample per tree).
double IsolationForest::ScoreFromPathSum(double sum) const {
  double denominator = static_cast<double>(roots_.size()) * AveragePathLength(static_cast<double>(max_samples_));
  return std::exp2(denominator != 0 ? -sum / denominator : -1.0);
}

double IsolationForest::Score(std::span<const double> row) const {
  double sum = 0;
  for (size_t t = 0; t < roots_.size(); ++t) sum += PathLength(t, row.data());
  return ScoreFromPathSum(sum);
}

Result<std::vector<double>> IsolationForest::ScoreAll(const FeatureMatrix& x, ThreadPool* pool) const {
  if (x.cols != features_) {
    return Error::Input("the data has " + std::to_string(x.cols) + " feature columns, the model was fitted on " +
                        std::to_string(features_));
  }
  CUSTODY_RETURN_IF_ERROR(CheckFinite(x, names_.empty() ? x.names : names_));
  std::vector<double> scores(x.rows);
  // Rows go block by block and, inside a block, tree by tree: a tree stays in
  // cache while it routes the block's rows. Each row sums its trees in order,
  // so scores do not depend on how blocks are spread over threads.
  auto score_block = [&](size_t b) {
    size_t lo = b * kScoreBlock;
    size_t hi = std::min(lo + kScoreBlock, x.rows);
    const size_t n = hi - lo;
    const double* rows = x.values.data() + lo * x.cols;
    double sums[kScoreBlock] = {};
    uint32_t at[kScoreBlock];
    for (size_t t = 0; t < roots_.size(); ++t) {
      // Independent rows step together, so their memory loads overlap.
      std::fill_n(at, n, roots_[t]);
      for (uint32_t d = 0; d < depths_[t]; ++d) {
        for (size_t r = 0; r < n; ++r) {
          const Step& s = steps_[at[r]];
          at[r] = s.next + (rows[r * x.cols + s.feature] > s.threshold ? 1u : 0u);
        }
      }
      for (size_t r = 0; r < n; ++r) sums[r] += nodes_[at[r]].value;
    }
    for (size_t r = 0; r < n; ++r) scores[lo + r] = ScoreFromPathSum(sums[r]);
  };
  size_t blocks = (x.rows + kScoreBlock - 1) / kScoreBlock;
  if (pool != nullptr && pool->size() > 1 && blocks > 1) {
    pool->ParallelFor(blocks, [&](size_t b, size_t) { score_block(b); });
  } else {
    for (size_t b = 0; b < blocks; ++b) score_block(b);
  }
  return scores;
}

Json IsolationForest::ToJson() const {
  Json trees = Json::array();
  for (size_t t = 0; t < roots_.size(); ++t) {
    size_t begin = roots_[t];
    size_t end = t + 1 < roots_.size() ? roots_[t + 1] : nodes_.size();
    Json feature = Json::array(), threshold = Json::array(), left = Json::array(), samples = Json::array();
    for (size_t i = begin; i < end; ++i) {
      const Node& n = nodes_[i];
      bool leaf = n.feature < 0;
      feature.push_back(leaf ? -1 : n.feature);
      threshold.push_back(leaf ? 0.0 : n.value);
      left.push_back(leaf ? 0 : n.left - begin);
      samples.push_back(n.samples);
    }
    trees.push_back({{"feature", feature}, {"threshold", threshold}, {"left", left}, {"samples", samples}});
  }
  Json out = {{"format", kFormat},
              {"features", names_},
              {"feature_count", features_},
              {"max_samples", max_samples_},
              {"training_rows", training_rows_},
              {"seed", options_.seed},
              {"threshold", threshold_},
              {"trees", trees}};
  out["contamination"] = options_.contamination > 0 ? Json(options_.contamination) : Json("auto");
  return out;
}

Result<IsolationForest> IsolationForest::FromJson(const Json& json, const std::string& source) {
  auto fail = [&](const std::string& what) { return Error::Input(source + ": " + what); };
  if (!json.is_object()) return fail("an isolation forest model is a JSON object");
  CUSTODY_ASSIGN_OR_RETURN(std::string format, RequireString(json, "", "format"));
  if (format != kFormat) return fail("format is '" + format + "', expected '" + kFormat + "'");
  IsolationForest f;
  auto with_source = [&](const Error& e) { return e.WithContext(source); };
  auto number = [&](const char* key) -> Result<uint64_t> {
    auto v = RequireUnsigned(json, "", key);
    if (!v.ok()) return with_source(v.error());
    return *v;
  };
  CUSTODY_ASSIGN_OR_RETURN(uint64_t features, number("feature_count"));
  CUSTODY_ASSIGN_OR_RETURN(uint64_t max_samples, number("max_samples"));
  CUSTODY_ASSIGN_OR_RETURN(uint64_t training_rows, number("training_rows"));
  CUSTODY_ASSIGN_OR_RETURN(uint64_t seed, number("seed"));
  if (features == 0 || features > (uint64_t{1} << 24)) return fail("feature_count out of range");
  if (max_samples == 0 || max_samples > UINT32_MAX) return fail("max_samples out of range");
  f.features_ = features;
  f.max_samples_ = max_samples;
  f.training_rows_ = training_rows;
  f.options_.seed = seed;
  f.options_.max_samples = max_samples;
  if (HasField(json, "features")) {
    const Json& names = json["features"];
    if (!names.is_array() || (!names.empty() && names.size() != features)) {
      return fail("/features must list one name per feature");
    }
    for (const auto& n : names) {
      if (!n.is_string()) return fail("/features must hold strings");
      f.names_.push_back(n.get<std::string>());
    }
  }
  CUSTODY_ASSIGN_OR_RETURN(const Json* contamination, RequireField(json, "", "contamination"));
  if (contamination->is_string() && *contamination == "auto") {
    f.options_.contamination = -1;
  } else if (contamination->is_number() && contamination->get<double>() > 0 &&
             contamination->get<double>() <= 0.5) {
    f.options_.contamination = contamination->get<double>();
  } else {
    return fail("/contamination must be \"auto\" or a number in (0, 0.5]");
  }
  CUSTODY_ASSIGN_OR_RETURN(const Json* threshold, RequireField(json, "", "threshold"));
  if (!threshold->is_number() || !std::isfinite(threshold->get<double>())) {
    return fail("/threshold must be a number");
  }
  f.threshold_ = threshold->get<double>();
  CUSTODY_ASSIGN_OR_RETURN(const Json* trees, RequireArray(json, "", "trees"));
  if (trees->empty()) return fail("/trees is empty");
  f.options_.trees = trees->size();
  for (size_t t = 0; t < trees->size(); ++t) {
    const Json& tree = (*trees)[t];
    std::string path = "/trees/" + std::to_string(t);
    if (!tree.is_object()) return fail(path + " must be an object");
    const Json* arrays[4];
    const char* keys[4] = {"feature", "threshold", "left", "samples"};
    for (int k = 0; k < 4; ++k) {
      auto a = RequireArray(tree, path, keys[k]);
      if (!a.ok()) return with_source(a.error());
      arrays[k] = *a;
    }
    size_t size = arrays[0]->size();
    if (size == 0 || size > UINT32_MAX / 2) return fail(path + " has no nodes or too many");
    for (int k = 1; k < 4; ++k) {
      if (arrays[k]->size() != size) return fail(path + ": feature, threshold, left and samples differ in length");
    }
    uint32_t base = static_cast<uint32_t>(f.nodes_.size());
    f.roots_.push_back(base);
    for (size_t i = 0; i < size; ++i) {
      const Json& feat = (*arrays[0])[i];
      const Json& thr = (*arrays[1])[i];
      const Json& left = (*arrays[2])[i];
      const Json& samples = (*arrays[3])[i];
      if (!feat.is_number_integer() || !thr.is_number() || !left.is_number_unsigned() ||
          !samples.is_number_unsigned() || samples.get<uint64_t>() > UINT32_MAX ||
          left.get<uint64_t>() >= size || feat.get<int64_t>() < -1 ||
          feat.get<int64_t>() >= static_cast<int64_t>(features)) {
        return fail(path + ", node " + std::to_string(i) + ": a field has the wrong type or is out of range");
      }
      Node n;
      n.feature = static_cast<int32_t>(feat.get<int64_t>());
      n.value = thr.get<double>();
      n.left = base + static_cast<uint32_t>(left.get<uint64_t>());
      n.samples = static_cast<uint32_t>(samples.get<uint64_t>());
      f.nodes_.push_back(n);
    }
  }
  if (auto s = f.SetLeafValues(); !s.ok()) return s.error().WithContext(source);
  return f;
}

Status IsolationForest::Save(const std::string& path) const {
  return WriteFileAtomic(path, ToJson().dump() + "\n", 0644, true);
}

Result<IsolationForest> IsolationForest::Load(const std::string& path) {
  CUSTODY_ASSIGN_OR_RETURN(std::string text, ReadFile(path, size_t{1} << 30));
  CUSTODY_ASSIGN_OR_RETURN(Json json, ParseJson(text, path));
  return FromJson(json, path);
}

}  // namespace custody::stats
