// Fuzzes the audit-event reader and scorer with arbitrary bytes: a rejection
// names the source and a line, an accepted log gives every event features,
// a risk in [0, 1] and reasons with text, and reading is the same on one
// thread as on several.
#include <cmath>
#include <cstdint>
#include <string>

#include "core/thread_pool.h"
#include "fuzz_check.h"
#include "stats/events.h"

using custody::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto log = custody::stats::ParseEvents(text, "fuzz.jsonl");
  if (!log.ok()) {
    Check(log.error().message().rfind("fuzz.jsonl:", 0) == 0);
    return 0;
  }
  for (const auto& e : log->events) {
    Check(e.line >= 1 && !e.id.empty());
    Check(e.caller < log->callers.size() && !log->callers[e.caller].empty());
    Check(e.action < log->actions.size() && !log->actions[e.action].empty());
    Check(e.source_ip < log->addresses.size() && e.user_agent < log->agents.size());
  }
  if (log->events.empty()) return 0;
  custody::stats::EventScoreOptions options;
  options.trees = 5;
  options.features.warmup = 2;
  auto features = custody::stats::ComputeEventFeatures(*log, options.features);
  Check(features.size() == log->events.size());
  double v[custody::stats::kEventFeatureCount];
  for (const auto& f : features) {
    Check(f.window_events >= 1 && f.window_failures <= f.window_events);
    custody::stats::EventFeatureVector(f, v);
    for (double x : v) Check(std::isfinite(x));
  }
  custody::stats::EventFeedback benign;
  benign.caller = log->callers[log->events[0].caller];
  benign.action = log->actions[log->events[0].action];
  benign.reasons = {"new_action", "unusual_hour", "sensitive_action", "failures"};
  benign.id = 1;
  auto scored = custody::stats::ScoreEvents(*log, features, options, {benign});
  Check(scored.ok());
  for (const auto& s : *scored) {
    Check(s.risk >= 0 && s.risk <= 1);
    for (const auto& r : s.reasons) Check(!r.text.empty() && r.weight >= 0 && r.weight <= 1);
  }
  return 0;
}
