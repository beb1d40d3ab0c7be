#include "stats/roc.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

namespace custody::stats {
namespace {

// sklearn's _binary_clf_curve: cumulative true and false positives at each
// distinct score, scores descending.
struct Curve {
  std::vector<double> tps, fps;
};

Result<Curve> BinaryCurve(std::span<const bool> labels, std::span<const double> scores, const char* what) {
  if (labels.size() != scores.size()) {
    return Error::Input(std::string(what) + ": " + std::to_string(labels.size()) + " labels but " +
                        std::to_string(scores.size()) + " scores; give one score per label");
  }
  size_t positives = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i])) {
      return Error::Input(std::string(what) + ": score " + std::to_string(i) + " is NaN; drop or fill it first");
    }
    positives += labels[i];
  }
  if (positives == 0 || positives == labels.size()) {
    return Error::Input(std::string(what) + ": only one class present in the labels (" +
                        std::to_string(positives) + " positive of " + std::to_string(labels.size()) +
                        "); the score is not defined then");
  }
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  Curve c;
  double tp = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    tp += labels[order[k]];
    if (k + 1 == order.size() || scores[order[k + 1]] != scores[order[k]]) {
      c.tps.push_back(tp);
      c.fps.push_back(static_cast<double>(k + 1) - tp);
    }
  }
  return c;
}

}  // namespace

Result<double> RocAuc(std::span<const bool> labels, std::span<const double> scores) {
  CUSTODY_ASSIGN_OR_RETURN(Curve c, BinaryCurve(labels, scores, "ROC AUC"));
  // Trapezoids over (fpr, tpr) from (0, 0); collinear points change nothing.
  const double p = c.tps.back(), n = c.fps.back();
  double area = 0, x0 = 0, y0 = 0;
  for (size_t i = 0; i < c.tps.size(); ++i) {
    double x = c.fps[i] / n, y = c.tps[i] / p;
    area += (x - x0) * (y + y0) / 2.0;
    x0 = x;
    y0 = y;
  }
  return area;
}

Result<double> AveragePrecision(std::span<const bool> labels, std::span<const double> scores) {
  CUSTODY_ASSIGN_OR_RETURN(Curve c, BinaryCurve(labels, scores, "average precision"));
  const double p = c.tps.back();
  double ap = 0, last_recall = 0;
  for (size_t i = 0; i < c.tps.size(); ++i) {
    double recall = c.tps[i] / p;
    double precision = c.tps[i] / (c.tps[i] + c.fps[i]);
    ap += (recall - last_recall) * precision;
    last_recall = recall;
  }
  return ap;
}

}  // namespace custody::stats
