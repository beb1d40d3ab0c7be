// Event anomaly scoring for cloud audit logs (CloudTrail-shaped events): the
// JSON Lines reader, per-event and per-caller-window features computed in one
// pass in time order, and a risk in [0, 1] per event with the reasons that
// drove it, lowered or raised by recorded analyst feedback.
//
// The pipeline is ReadEvents / ParseEvents -> ComputeEventFeatures ->
// ScoreEvents. Every function is pure apart from reading its input file: an
// EventLog and the results may be shared between threads once built.
// docs/commands/detect.md ("custody detect events") is the user's account of
// the features, weights and feedback rules implemented here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"

namespace custody::stats {

// One audit event. Strings that repeat (callers, actions, addresses, agents)
// are interned: the fields hold indices into EventLog's tables.
struct Event {
  std::string id;         // eventID, or "line17" / "line17.3" when the input has none
  int64_t time_ns = 0;    // nanoseconds since the epoch
  uint32_t caller = 0;    // EventLog::callers
  uint32_t action = 0;    // EventLog::actions
  uint32_t source_ip = 0; // EventLog::addresses ("" when absent)
  uint32_t user_agent = 0;// EventLog::agents ("" when absent)
  std::string error_code; // "" when the call succeeded
  bool failed = false;    // error code present, or a console login that failed
  bool login_without_mfa = false;  // ConsoleLogin with MFAUsed "No"
  size_t line = 0;        // 1-based input line
};

struct EventLog {
  std::string source;  // file name, for messages
  std::vector<Event> events;  // input order
  std::vector<std::string> callers, actions, addresses, agents;
};

// Longest line read: a CloudTrail record is a few KB, a log-file object
// ({"Records": [...]}) of one delivery a few MB.
inline constexpr size_t kMaxEventLineBytes = size_t{8} << 20;

// Reads JSON Lines from `path` ("-" = standard input) without holding the
// file in memory. Each non-blank line is a CloudTrail record, a flat event
// ({"id", "caller", "action", "source_ip", "user_agent", "time",
// "error_code"}) or a CloudTrail log-file object {"Records": [...]}. Errors
// name the file, the line and the field ("events.jsonl:17: eventTime: not an
// RFC 3339 time"). With a pool, lines are parsed on its threads; the result
// does not depend on the number of threads.
Result<EventLog> ReadEvents(const std::string& path, ThreadPool* pool = nullptr);
// The same over text in memory; `source` names it in errors.
Result<EventLog> ParseEvents(std::string_view text, const std::string& source, ThreadPool* pool = nullptr);

// Actions that change who may do what or switch off the audit trail; the
// documented list (docs/commands/detect.md). Matched on the event name alone.
bool IsSensitiveAction(std::string_view action);

struct EventFeatureOptions {
  int64_t window_ns = int64_t{3600} * 1'000'000'000;  // trailing window for rates and failures
  size_t warmup = 10;  // a caller's first events build its profile (see Warm-up in the docs)
};

// Features of one event, all from the events before it in time order (and
// the event itself for the window counts).
struct EventFeatures {
  uint32_t window_events = 0;    // this caller's events in (t - window, t]
  double typical_events = 0;     // this caller's mean events per window so far (0 in warm-up)
  double rate_ratio = 1;         // window_events / typical_events (1 in warm-up)
  bool warmup = false;           // the caller had fewer than `warmup` earlier events
  bool new_action = false;       // first time this caller makes this call (never in warm-up)
  bool new_ip = false;           // the caller first used this source IP less than a window ago (never in warm-up)
  int64_t new_ip_since_ns = 0;   // how long ago, when new_ip (0: this event)
  bool new_agent = false;        // the caller first used this user agent less than a window ago (never in warm-up)
  bool new_caller = false;       // the caller's first event, a day or more after the log's first
  double hour_share = 1;         // share of the caller's earlier events within an hour of this time of day (UTC)
  uint32_t earlier_events = 0;   // the caller's events before this one
  bool failed = false;
  uint32_t window_failures = 0;  // this caller's failed events in (t - window, t]
  bool sensitive = false;
};

// The names of the numeric vector below, in order.
const std::vector<std::string>& EventFeatureNames();
// The numeric features the isolation forest sees (counts on a log scale).
void EventFeatureVector(const EventFeatures& f, double* out);
inline constexpr size_t kEventFeatureCount = 10;

// Features of every event, indexed like log.events (input order), computed
// in one pass over the events in time order (stable for equal times).
std::vector<EventFeatures> ComputeEventFeatures(const EventLog& log, const EventFeatureOptions& options);

// Analyst feedback on one event's pattern (the event_feedback table).
struct EventFeedback {
  int64_t id = 0;
  bool benign = true;  // false: malicious
  std::string event_id, caller, action, source_ip, user_agent;
  std::vector<std::string> reasons;  // reason kinds the event had when the feedback was given
};

// Why an event is risky: a kind (new_ip, new_agent, new_action, new_caller,
// unusual_hour, rate, failure, failures, sensitive_action,
// login_without_mfa, unusual_combination, marked_malicious), the sentence,
// and the weight it adds (after feedback).
struct EventReason {
  std::string kind;
  std::string text;
  double weight = 0;
  double base_weight = 0;     // before feedback
  int64_t lowered_by = 0;     // the benign feedback that discounted it, 0 if none
};

struct ScoredEvent {
  double risk = 0;       // 1 - prod(1 - weight) over the reasons
  double isolation = 0;  // isolation-forest score s in (0, 1]
  std::vector<EventReason> reasons;  // heaviest first
};

struct EventScoreOptions {
  EventFeatureOptions features;
  size_t trees = 100;
  uint64_t seed = 0;
};

// Factor applied to a reason's weight when benign feedback matches it.
inline constexpr double kBenignDiscount = 0.1;

// Scores every event (input order): isolation forest over the feature
// vectors plus the per-feature evidence, then feedback. Errors only for an
// empty log.
Result<std::vector<ScoredEvent>> ScoreEvents(const EventLog& log, const std::vector<EventFeatures>& features,
                                             const EventScoreOptions& options,
                                             const std::vector<EventFeedback>& feedback, ThreadPool* pool = nullptr);

// "1h", "30m", "90s", "2d", "1h30m" as nanoseconds; errors for anything else
// or a duration outside 1 s .. 366 days.
Result<int64_t> ParseEventWindow(std::string_view text);
// The shortest form of a window ParseEventWindow reads back ("1h", "90m").
std::string FormatEventWindow(int64_t ns);

}  // namespace custody::stats
