// custody detect events: risk per audit event (CloudTrail-shaped JSON Lines)
// with the reasons behind it; custody detect feedback: an analyst's verdict
// on one event's pattern, kept in the store and applied by later runs.
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <optional>

#include "cli/commands.h"
#include "core/file.h"
#include "core/thread_pool.h"
#include "core/time.h"
#include "stats/events.h"
#include "store/store.h"

namespace custody::cli {

namespace {

struct EventsArgs {
  std::string events;
  std::string window = "1h";
  size_t warmup = 10;
  size_t top = 20;
  uint64_t seed = 0;
  size_t trees = 100;
  std::string scores_out;
  std::optional<double> fail_on_risk;
  std::string store;
  bool no_feedback = false;
  // feedback
  std::string event_id;
  bool benign = false;
  bool malicious = false;
  bool list = false;
  std::string note;
};

constexpr int64_t kSecond = 1'000'000'000;
constexpr double kReportRisk = 0.5;  // the summary counts events at or above this risk

std::string TimeText(int64_t ns) {
  int64_t s = ns / kSecond - (ns % kSecond < 0 ? 1 : 0);
  return FormatRfc3339(s);
}

// The end of an ARN ("user/alice") for the table; the JSON has it whole.
std::string ShortCaller(const std::string& caller) {
  std::string_view c = caller;
  if (c.rfind("arn:", 0) == 0) {
    size_t colon = c.rfind(':');
    if (colon != std::string_view::npos && colon + 1 < c.size()) c.remove_prefix(colon + 1);
  }
  return std::string(c);
}

std::string Clip(const std::string& s, size_t n) { return s.size() <= n ? s : s.substr(0, n - 3) + "..."; }

std::string Pad(const std::string& s, size_t n) { return s.size() >= n ? s : s + std::string(n - s.size(), ' '); }

// ---------------------------------------------------------------------------
// Feedback in the store (table event_feedback, migration 3).

std::string StoreOf(const EventsArgs& a) { return a.store.empty() ? store::Store::DefaultLocation() : a.store; }

bool IsPostgres(const std::string& location) {
  return location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0;
}

std::vector<std::string> SplitKinds(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

constexpr const char* kFeedbackColumns =
    "id, verdict, event_id, caller, action, source_ip, user_agent, reasons, note, created_at";

struct FeedbackRow {
  stats::EventFeedback fb;
  std::string note, created_at;
};

Result<std::vector<FeedbackRow>> ListFeedback(store::Store& st) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, st.Begin());
  CUSTODY_ASSIGN_OR_RETURN(auto rows, tx->Query(std::string("SELECT ") + kFeedbackColumns +
                                                " FROM event_feedback ORDER BY id"));
  CUSTODY_RETURN_IF_ERROR(tx->Commit());
  std::vector<FeedbackRow> out;
  for (const auto& r : rows) {
    FeedbackRow f;
    f.fb.id = r.Int(0);
    f.fb.benign = r.Bytes(1) == "benign";
    f.fb.event_id = r.Bytes(2);
    f.fb.caller = r.Bytes(3);
    f.fb.action = r.Bytes(4);
    f.fb.source_ip = r.Bytes(5);
    f.fb.user_agent = r.Bytes(6);
    f.fb.reasons = SplitKinds(r.Bytes(7));
    f.note = r.Bytes(8);
    f.created_at = r.Bytes(9);
    out.push_back(std::move(f));
  }
  return out;
}

// The feedback a run applies: none with --no-feedback, and none when the
// default SQLite store has not been created yet (reading must not create it).
Result<std::vector<stats::EventFeedback>> LoadFeedback(const EventsArgs& a, std::string* used) {
  if (a.no_feedback) return std::vector<stats::EventFeedback>{};
  std::string location = StoreOf(a);
  if (a.store.empty() && !IsPostgres(location)) {
    std::string path = location.rfind("sqlite:", 0) == 0 ? location.substr(7) : location;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::vector<stats::EventFeedback>{};
  }
  CUSTODY_ASSIGN_OR_RETURN(auto st, store::Store::Open(location));
  CUSTODY_ASSIGN_OR_RETURN(auto rows, ListFeedback(*st));
  *used = st->location();
  std::vector<stats::EventFeedback> out;
  for (auto& r : rows) out.push_back(std::move(r.fb));
  return out;
}

Result<int64_t> RecordFeedback(store::Store& st, const stats::EventFeedback& fb, const std::string& note,
                               const std::string& created_at) {
  CUSTODY_ASSIGN_OR_RETURN(auto tx, st.Begin());
  if (st.engine() == "postgresql") {
    // Two analysts recording at once must not take the same number.
    CUSTODY_RETURN_IF_ERROR(tx->Exec("SELECT pg_advisory_xact_lock(7232416)"));
  }
  CUSTODY_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT MAX(id) FROM event_feedback"));
  int64_t id = rows.empty() || rows[0].IsNull(0) ? 1 : rows[0].Int(0) + 1;
  std::string reasons;
  for (const auto& k : fb.reasons) reasons += (reasons.empty() ? "" : ",") + k;
  CUSTODY_RETURN_IF_ERROR(tx->Exec(
      "INSERT INTO event_feedback (id, verdict, event_id, caller, action, source_ip, user_agent, reasons, note,"
      " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, std::string_view(fb.benign ? "benign" : "malicious"), std::string_view(fb.event_id),
       std::string_view(fb.caller), std::string_view(fb.action), std::string_view(fb.source_ip),
       std::string_view(fb.user_agent), std::string_view(reasons), std::string_view(note),
       std::string_view(created_at)}));
  CUSTODY_RETURN_IF_ERROR(tx->Commit());
  return id;
}

// ---------------------------------------------------------------------------
// Scoring shared by both commands.

struct Scored {
  stats::EventLog log;
  std::vector<stats::EventFeatures> features;
  std::vector<stats::ScoredEvent> scores;
  int64_t window_ns = 0;
};

Result<Scored> LoadAndScore(const EventsArgs& a, const std::vector<stats::EventFeedback>& feedback, ThreadPool& pool) {
  Scored s;
  CUSTODY_ASSIGN_OR_RETURN(s.window_ns, stats::ParseEventWindow(a.window));
  CUSTODY_ASSIGN_OR_RETURN(s.log, stats::ReadEvents(a.events, &pool));
  if (s.log.events.empty()) {
    return Error::Input(s.log.source +
                        ": no events; give JSON Lines with one CloudTrail record, flat event or {\"Records\": [...]} "
                        "per line");
  }
  stats::EventScoreOptions opt;
  opt.features.window_ns = s.window_ns;
  opt.features.warmup = a.warmup;
  opt.trees = a.trees;
  opt.seed = a.seed;
  s.features = stats::ComputeEventFeatures(s.log, opt.features);
  CUSTODY_ASSIGN_OR_RETURN(s.scores, stats::ScoreEvents(s.log, s.features, opt, feedback, &pool));
  return s;
}

Json FeaturesJson(const stats::EventFeatures& f) {
  return {{"window_events", f.window_events},
          {"typical_events", f.typical_events},
          {"rate_ratio", f.rate_ratio},
          {"warmup", f.warmup},
          {"new_action", f.new_action},
          {"new_ip", f.new_ip},
          {"new_agent", f.new_agent},
          {"new_caller", f.new_caller},
          {"hour_share", f.hour_share},
          {"earlier_events", f.earlier_events},
          {"failed", f.failed},
          {"window_failures", f.window_failures},
          {"sensitive", f.sensitive}};
}

std::string ReasonSentence(const stats::EventReason& r, const std::string& caller) {
  std::string text = r.text;
  if (r.kind == "new_ip" || r.kind == "new_agent" || r.kind == "new_action" || r.kind == "new_caller") {
    auto at = text.find("this caller");
    if (at != std::string::npos) text.replace(at, 11, caller);
  }
  if (r.lowered_by != 0) text += " (lowered by feedback " + std::to_string(r.lowered_by) + ")";
  return text;
}

Json ReasonsJson(const stats::ScoredEvent& s, const std::string& caller) {
  Json out = Json::array();
  for (const auto& r : s.reasons) {
    Json j = {{"kind", r.kind}, {"text", ReasonSentence(r, caller)}, {"weight", r.weight}};
    if (r.lowered_by != 0) {
      j["base_weight"] = r.base_weight;
      j["lowered_by_feedback"] = r.lowered_by;
    }
    out.push_back(std::move(j));
  }
  return out;
}

std::vector<size_t> TopEvents(const Scored& s, size_t n) {
  std::vector<size_t> order(s.scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  n = std::min(n, order.size());
  auto before = [&](size_t a, size_t b) {
    if (s.scores[a].risk != s.scores[b].risk) return s.scores[a].risk > s.scores[b].risk;
    if (s.log.events[a].time_ns != s.log.events[b].time_ns) return s.log.events[a].time_ns < s.log.events[b].time_ns;
    return a < b;
  };
  std::partial_sort(order.begin(), order.begin() + static_cast<ptrdiff_t>(n), order.end(), before);
  order.resize(n);
  return order;
}

Status WriteScores(const std::string& path, const Scored& s) {
  std::string out = "id,risk\n";
  out.reserve(s.scores.size() * 48);
  for (size_t i = 0; i < s.scores.size(); ++i) {
    const std::string& id = s.log.events[i].id;
    if (id.find_first_of(",\"\r\n") != std::string::npos) {
      out += '"';
      for (char c : id) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    } else {
      out += id;
    }
    out += ',';
    out += ShortestText(s.scores[i].risk);
    out += '\n';
  }
  if (path == "-") {
    std::cout << out;
    return OkStatus();
  }
  return WriteFileAtomic(path, out, 0644, true);
}

int RunEvents(const EventsArgs& a, const Options& o) {
  if (a.fail_on_risk && !(*a.fail_on_risk >= 0 && *a.fail_on_risk <= 1)) {
    return ReportError(Error::Input("--fail-on-risk must be a risk in [0, 1]"), o);
  }
  std::string feedback_store;
  auto feedback = LoadFeedback(a, &feedback_store);
  if (!feedback.ok()) return ReportError(feedback.error(), o);
  ThreadPool pool(o.threads);
  auto scored = LoadAndScore(a, *feedback, pool);
  if (!scored.ok()) return ReportError(scored.error(), o);
  const Scored& s = *scored;
  const auto& log = s.log;
  if (!a.scores_out.empty()) {
    if (auto w = WriteScores(a.scores_out, s); !w.ok()) return ReportError(w.error(), o);
  }

  size_t high = 0, lowered = 0, failing = 0;
  double max_risk = 0;
  std::map<std::string, size_t> by_reason;
  for (const auto& e : s.scores) {
    max_risk = std::max(max_risk, e.risk);
    if (e.risk >= kReportRisk) ++high;
    if (a.fail_on_risk && e.risk >= *a.fail_on_risk) ++failing;
    bool any_lowered = false;
    for (const auto& r : e.reasons) {
      ++by_reason[r.kind];
      any_lowered |= r.lowered_by != 0;
    }
    lowered += any_lowered ? 1 : 0;
  }
  int code = failing > 0 ? 1 : 0;
  int64_t first = log.events[0].time_ns, last = first;
  for (const auto& e : log.events) {
    first = std::min(first, e.time_ns);
    last = std::max(last, e.time_ns);
  }
  std::vector<size_t> top = TopEvents(s, a.top);

  if (o.json()) {
    Json out;
    out["file"] = log.source;
    out["events"] = log.events.size();
    out["callers"] = log.callers.size();
    out["first_time"] = TimeText(first);
    out["last_time"] = TimeText(last);
    out["window"] = stats::FormatEventWindow(s.window_ns);
    out["warmup"] = a.warmup;
    out["model"] = {{"trees", a.trees}, {"seed", a.seed}, {"features", stats::EventFeatureNames()}};
    out["feedback"] = {{"store", feedback_store.empty() ? Json(nullptr) : Json(feedback_store)},
                       {"records", feedback->size()},
                       {"events_lowered", lowered}};
    Json reasons = Json::object();
    for (const auto& [k, n] : by_reason) reasons[k] = n;
    out["summary"] = {{"max_risk", max_risk},
                      {"events_at_or_above_0_5", high},
                      {"reasons", reasons},
                      {"fail_on_risk", a.fail_on_risk ? Json(*a.fail_on_risk) : Json(nullptr)},
                      {"events_at_or_above_fail_on_risk", a.fail_on_risk ? Json(failing) : Json(nullptr)}};
    Json top_ids = Json::array();
    for (size_t i : top) top_ids.push_back(log.events[i].id);
    out["top"] = top_ids;
    // Events are written one object per line: a million of them never sit
    // in memory as one document.
    std::string head = out.dump(2, ' ', false, Json::error_handler_t::replace);
    head.resize(head.size() - 2);  // "\n}"
    std::string text = head + ",\n  \"events_scored\": [";
    for (size_t i = 0; i < log.events.size(); ++i) {
      const auto& e = log.events[i];
      const std::string& caller = log.callers[e.caller];
      Json j = {{"id", e.id},
                {"line", e.line},
                {"time", TimeText(e.time_ns)},
                {"caller", caller},
                {"action", log.actions[e.action]},
                {"source_ip", log.addresses[e.source_ip]},
                {"user_agent", log.agents[e.user_agent]},
                {"error_code", e.error_code},
                {"risk", s.scores[i].risk},
                {"isolation_score", s.scores[i].isolation},
                {"features", FeaturesJson(s.features[i])},
                {"reasons", ReasonsJson(s.scores[i], caller)}};
      text += i == 0 ? "\n    " : ",\n    ";
      text += j.dump(-1, ' ', false, Json::error_handler_t::replace);
      if (text.size() > (size_t{1} << 22)) {
        std::cout << text;
        text.clear();
      }
    }
    text += "\n  ]\n}\n";
    std::cout << text;
    return code;
  }
  if (o.quiet) return code;

  std::cout << Bold(log.source) << ": " << Count(log.events.size(), "event") << " from "
            << Count(log.callers.size(), "caller") << ", " << TimeText(first) << " to " << TimeText(last)
            << "; window " << stats::FormatEventWindow(s.window_ns) << ", warm-up " << a.warmup
            << " events per caller, isolation forest of " << a.trees << " trees, seed " << a.seed << "\n";
  if (!feedback->empty()) {
    std::cout << Count(feedback->size(), "feedback record") << " from " << feedback_store << "; "
              << Count(lowered, "event") << " lowered by benign feedback\n";
  }
  std::string summary = Count(high, "event") + " with risk >= " + FixedText(kReportRisk, 1) + " (highest " +
                        FixedText(max_risk, 2) + ")";
  std::cout << (high > 0 ? Red(summary) : Green(summary)) << "\n";
  if (a.fail_on_risk) {
    std::string f = Count(failing, "event") + " at or above --fail-on-risk " + ShortestText(*a.fail_on_risk);
    std::cout << (failing > 0 ? Red(f) : Green(f)) << "\n";
  }
  if (!top.empty()) {
    std::cout << "\n  risk  time                  " << Pad("caller", 24) << "  " << Pad("action", 28) << "  id\n";
    for (size_t i : top) {
      const auto& e = log.events[i];
      const auto& sc = s.scores[i];
      std::string risk = FixedText(sc.risk, 2);
      std::cout << "  " << (sc.risk >= kReportRisk ? Red(risk) : risk) << "  " << Pad(TimeText(e.time_ns), 20)
                << "  " << Pad(Clip(ShortCaller(log.callers[e.caller]), 24), 24) << "  "
                << Pad(Clip(log.actions[e.action], 28), 28) << "  " << e.id << "\n";
      std::string reasons;
      for (const auto& r : sc.reasons) {
        std::string t = r.text;
        if (r.lowered_by != 0) t += " (lowered by feedback " + std::to_string(r.lowered_by) + ")";
        reasons += (reasons.empty() ? "" : "; ") + t;
      }
      if (!reasons.empty()) std::cout << "        " << reasons << "\n";
    }
  }
  return code;
}

int RunFeedbackList(const EventsArgs& a, const Options& o) {
  auto st = store::Store::Open(StoreOf(a));
  if (!st.ok()) return ReportError(st.error(), o);
  auto rows = ListFeedback(**st);
  if (!rows.ok()) return ReportError(rows.error(), o);
  if (o.json()) {
    Json out = Json::array();
    for (const auto& r : *rows) {
      out.push_back({{"id", r.fb.id},
                     {"verdict", r.fb.benign ? "benign" : "malicious"},
                     {"event_id", r.fb.event_id},
                     {"caller", r.fb.caller},
                     {"action", r.fb.action},
                     {"source_ip", r.fb.source_ip},
                     {"user_agent", r.fb.user_agent},
                     {"reasons", r.fb.reasons},
                     {"note", r.note},
                     {"created_at", r.created_at}});
    }
    PrintJson({{"store", (*st)->location()}, {"feedback", out}});
    return 0;
  }
  if (o.quiet) return 0;
  std::cout << Count(rows->size(), "feedback record") << " in " << (*st)->location() << "\n";
  for (const auto& r : *rows) {
    std::string kinds;
    for (const auto& k : r.fb.reasons) kinds += (kinds.empty() ? "" : ",") + k;
    std::cout << "  " << r.fb.id << "  " << (r.fb.benign ? "benign   " : "malicious") << "  " << r.created_at
              << "  " << r.fb.caller << "  " << r.fb.action << "  " << (r.fb.source_ip.empty() ? "-" : r.fb.source_ip)
              << "  event " << r.fb.event_id << (kinds.empty() ? "" : "  reasons " + kinds)
              << (r.note.empty() ? "" : "  \"" + r.note + "\"") << "\n";
  }
  return 0;
}

int RunFeedback(const EventsArgs& a, const Options& o) {
  if (a.list) {
    if (!a.event_id.empty() || a.benign || a.malicious) {
      return ReportError(Error::Input("--list shows recorded feedback; give it alone (with --store)"), o);
    }
    return RunFeedbackList(a, o);
  }
  if (a.event_id.empty()) return ReportError(Error::Input("give the EVENT_ID to record feedback on (or --list)"), o);
  if (a.benign == a.malicious) return ReportError(Error::Input("give --benign or --malicious"), o);
  if (a.events.empty()) {
    return ReportError(Error::Input("give --events FILE: the events file that holds " + a.event_id +
                                    " (the one custody detect events scored)"),
                       o);
  }
  ThreadPool pool(o.threads);
  // The event's own reasons, before any earlier feedback lowered them.
  auto scored = LoadAndScore(a, {}, pool);
  if (!scored.ok()) return ReportError(scored.error(), o);
  const auto& log = scored->log;
  size_t found = log.events.size();
  size_t matches = 0;
  for (size_t i = 0; i < log.events.size(); ++i) {
    if (log.events[i].id != a.event_id) continue;
    if (found == log.events.size()) found = i;
    ++matches;
  }
  if (found == log.events.size()) {
    return ReportError(Error::Input(log.source + " has no event with id '" + a.event_id +
                                    "' (ids are eventID, id, or lineN / lineN.K for events without one)"),
                       o);
  }
  const auto& e = log.events[found];
  stats::EventFeedback fb;
  fb.benign = a.benign;
  fb.event_id = e.id;
  fb.caller = log.callers[e.caller];
  fb.action = log.actions[e.action];
  fb.source_ip = log.addresses[e.source_ip];
  fb.user_agent = log.agents[e.user_agent];
  for (const auto& r : scored->scores[found].reasons) fb.reasons.push_back(r.kind);

  auto st = store::Store::Open(StoreOf(a));
  if (!st.ok()) return ReportError(st.error(), o);
  std::string created = NowRfc3339();
  auto id = RecordFeedback(**st, fb, a.note, created);
  if (!id.ok()) return ReportError(id.error(), o);
  std::string verdict = a.benign ? "benign" : "malicious";
  if (o.json()) {
    PrintJson({{"id", *id},
               {"verdict", verdict},
               {"event_id", fb.event_id},
               {"line", e.line},
               {"caller", fb.caller},
               {"action", fb.action},
               {"source_ip", fb.source_ip},
               {"user_agent", fb.user_agent},
               {"reasons", fb.reasons},
               {"risk", scored->scores[found].risk},
               {"note", a.note},
               {"created_at", created},
               {"store", (*st)->location()}});
    return 0;
  }
  if (o.quiet) return 0;
  if (matches > 1) {
    std::cerr << "custody: note: " << Count(matches, "event") << " have id " << a.event_id
              << "; the first (line " << e.line << ") was used\n";
  }
  std::string kinds;
  for (const auto& k : fb.reasons) kinds += (kinds.empty() ? "" : ", ") + k;
  std::cout << "recorded " << verdict << " feedback " << *id << " in " << (*st)->location() << "\n"
            << "  event   " << fb.event_id << " (" << log.source << ":" << e.line << "), risk "
            << FixedText(scored->scores[found].risk, 2) << "\n"
            << "  caller  " << fb.caller << "\n"
            << "  action  " << fb.action << "\n"
            << "  from    " << (fb.source_ip.empty() ? "-" : fb.source_ip) << ", "
            << (fb.user_agent.empty() ? "-" : fb.user_agent) << "\n"
            << "  reasons " << (kinds.empty() ? "none" : kinds) << "\n";
  if (a.benign) {
    std::cout << "from now on custody detect events weighs these reasons at " << ShortestText(stats::kBenignDiscount)
              << "x for this caller's " << fb.action
              << " calls from this address or agent (a new IP / user agent: for this address / agent, any call)\n";
  } else {
    std::cout << "from now on custody detect events marks this caller's " << fb.action << " calls"
              << (fb.source_ip.empty() ? "" : " from " + fb.source_ip) << " as matching malicious feedback\n";
  }
  return 0;
}

void AddScoringOptions(CLI::App* cmd, EventsArgs& args) {
  cmd->add_option("--window", args.window, "Trailing window for rates and failures: 30m, 1h, 1d, 1h30m")
      ->capture_default_str();
  cmd->add_option("--warmup", args.warmup,
                  "Events a caller makes before anything it does counts as new for it (its profile)")
      ->check(CLI::Range(size_t{1}, size_t{1000000}))
      ->capture_default_str();
  cmd->add_option("--seed", args.seed, "Isolation-forest seed: the same seed gives the same risks")
      ->capture_default_str();
  cmd->add_option("--trees", args.trees, "Isolation-forest trees")->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--store", args.store, "Store holding feedback (default $CUSTODY_STORE or $CUSTODY_HOME/custody.db)");
}

}  // namespace

void AddDetectEventsCommands(CLI::App& detect, Options& options, int* exit_code) {
  auto args = std::make_shared<EventsArgs>();
  CLI::App* cmd = detect.add_subcommand(
      "events", "Risk per audit event (CloudTrail JSON Lines) with the reasons behind it");
  cmd->fallthrough();
  cmd->footer(
      "Each line is a CloudTrail record, a log-file object {\"Records\": [...]}, or a flat event\n"
      "{\"id\", \"caller\", \"action\", \"source_ip\", \"user_agent\", \"time\", \"error_code\"}. Events are taken\n"
      "in time order; for each, the caller's history so far gives the features: events in the\n"
      "window against its typical rate, a new action, source IP or user agent, an unusual hour\n"
      "(UTC), failures in the window, sensitive actions (StopLogging, CreateAccessKey, ...).\n"
      "A caller's first --warmup events build its profile: nothing is new for it yet (a source IP\n"
      "or agent no caller has used still is). Risk in [0, 1] combines each reason's weight with\n"
      "an isolation forest over the features: risk = 1 - prod(1 - weight). Benign feedback\n"
      "(custody detect feedback) weighs the reasons it covers at 0.1x.\n\n"
      "Exit status: 0 scored; 1 with --fail-on-risk F when an event's risk >= F; 2 bad input.\n\n"
      "Examples:\n"
      "  custody detect events trail.jsonl\n"
      "  custody detect events trail.jsonl --top 50 --window 30m --scores risk.csv\n"
      "  jq -c '.Records[]' 2026*.json | custody detect events - --fail-on-risk 0.8\n"
      "  custody detect feedback 3f2c9a1e-... --benign --events trail.jsonl --note 'office VPN'");
  cmd->add_option("EVENTS", args->events, "JSON Lines file of events (- = standard input)")->required();
  AddScoringOptions(cmd, *args);
  cmd->add_option("--top", args->top, "Events listed, riskiest first")->capture_default_str();
  cmd->add_option("--scores", args->scores_out, "Write 'id,risk' for every event, in input order (- = stdout)");
  cmd->add_option("--fail-on-risk", args->fail_on_risk, "Exit 1 when any event's risk is at least F (0..1)");
  cmd->add_flag("--no-feedback", args->no_feedback, "Ignore recorded feedback");
  cmd->callback([args, &options, exit_code] { *exit_code = RunEvents(*args, options); });

  auto fargs = std::make_shared<EventsArgs>();
  CLI::App* fb = detect.add_subcommand(
      "feedback", "Record an analyst's verdict on an event's pattern; detect events applies it next time");
  fb->fallthrough();
  fb->footer(
      "The event is found by its id in --events (score it with the same --window, --warmup,\n"
      "--seed and --trees as detect events did). Its pattern is stored append-only in the\n"
      "store's event_feedback table: caller, action, source IP, user agent and the reasons it had.\n"
      "--benign: later runs weigh those reasons at 0.1x for the same caller and action from the\n"
      "same source IP or user agent (a new source IP or user agent: for the same caller and that\n"
      "address or agent, whatever the action), and say \"lowered by feedback N\".\n"
      "--malicious: the caller's calls of that action (from that IP) get the reason\n"
      "marked_malicious (weight 0.9). Nothing is ever deleted; --list shows what is recorded.\n\n"
      "Examples:\n"
      "  custody detect feedback 3f2c9a1e-... --benign --events trail.jsonl --note 'new office VPN'\n"
      "  custody detect feedback line17 --malicious --events events.jsonl\n"
      "  custody detect feedback --list");
  fb->add_option("EVENT_ID", fargs->event_id, "The event's id as detect events shows it");
  fb->add_flag("--benign", fargs->benign, "The pattern is expected: lower it from now on");
  fb->add_flag("--malicious", fargs->malicious, "The pattern is an attack: raise it from now on");
  fb->add_option("--events", fargs->events, "The events file holding EVENT_ID (- = standard input)");
  fb->add_option("--note", fargs->note, "Why: kept with the feedback");
  fb->add_flag("--list", fargs->list, "List the recorded feedback");
  AddScoringOptions(fb, *fargs);
  fb->callback([fargs, &options, exit_code] { *exit_code = RunFeedback(*fargs, options); });
}

}  // namespace custody::cli
