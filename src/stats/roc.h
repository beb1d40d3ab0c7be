// Ranking quality of scores against binary labels, as scikit-learn 1.2
// computes it: ROC AUC (roc_auc_score, tied scores count half) and average
// precision (average_precision_score, the step-wise precision-recall
// integral without interpolation). Pure; any thread.
#pragma once

#include <span>

#include "core/error.h"

namespace custody::stats {

// `labels`: true for the positive class. Errors when the sizes differ, a
// score is NaN, or only one class is present (sklearn raises then too).
Result<double> RocAuc(std::span<const bool> labels, std::span<const double> scores);
Result<double> AveragePrecision(std::span<const bool> labels, std::span<const double> scores);

}  // namespace custody::stats
