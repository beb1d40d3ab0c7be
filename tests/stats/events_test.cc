#include "stats/events.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/thread_pool.h"

namespace custody::stats {
namespace {

constexpr int64_t kMinute = int64_t{60} * 1'000'000'000;

std::string ErrorOf(std::string_view text, const std::string& source = "events.jsonl") {
  auto log = ParseEvents(text, source);
  if (log.ok()) return "(parsed)";
  return log.error().message();
}

TEST(EventsParseTest, CloudTrailRecord) {
  auto log = ParseEvents(
      R"({"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAX","arn":"arn:aws:iam::123456789012:user/alice"},)"
      R"("eventTime":"2026-01-05T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","sourceIPAddress":"198.51.100.7",)"
      R"("userAgent":"aws-cli/2.15","errorCode":"AccessDenied","requestParameters":{"bucketName":"b","nested":[1,{"arn":"no"}]},"eventID":"e-1"})",
      "trail.jsonl");
  ASSERT_TRUE(log.ok()) << log.error().message();
  ASSERT_EQ(log->events.size(), 1u);
  const Event& e = log->events[0];
  EXPECT_EQ(e.id, "e-1");
  EXPECT_EQ(e.time_ns, int64_t{1767607200} * 1'000'000'000);
  EXPECT_EQ(log->callers[e.caller], "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(log->actions[e.action], "s3:GetObject");
  EXPECT_EQ(log->addresses[e.source_ip], "198.51.100.7");
  EXPECT_EQ(log->agents[e.user_agent], "aws-cli/2.15");
  EXPECT_EQ(e.error_code, "AccessDenied");
  EXPECT_TRUE(e.failed);
  EXPECT_EQ(e.line, 1u);
}

TEST(EventsParseTest, FlatEventsAndLogFileObjects) {
  auto log = ParseEvents(
      "\n"
      R"({"id":"f1","caller":"bob","action":"PutObject","source_ip":"10.0.0.1","user_agent":"boto3","time":"2026-01-05T10:01:00+01:00"})"
      "\r\n"
      R"({"id":7,"caller":"bob","action":"ConsoleLogin","time":1767607380.5,"error_code":null,"mfa":false})"
      "\n   \n"
      R"({"Records":[{"userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"},"eventTime":"2026-01-05T11:00:00Z","eventName":"AssumeRole"},)"
      R"({"userIdentity":{"principalId":"AROA1:s"},"eventTime":"2026-01-05T12:00:00Z","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com",)"
      R"("additionalEventData":{"MFAUsed":"No"},"responseElements":{"ConsoleLogin":"Failure"}}]})"
      "\n" R"({"Records":[]})",
      "mixed.jsonl");
  ASSERT_TRUE(log.ok()) << log.error().message();
  ASSERT_EQ(log->events.size(), 4u);
  const auto& ev = log->events;
  EXPECT_EQ(ev[0].id, "f1");
  EXPECT_EQ(ev[0].line, 2u);
  EXPECT_EQ(ev[0].time_ns, int64_t{1767607260 - 3600} * 1'000'000'000);
  EXPECT_EQ(log->actions[ev[0].action], "PutObject");
  EXPECT_FALSE(ev[0].failed);
  EXPECT_EQ(ev[1].id, "7");
  EXPECT_EQ(ev[1].time_ns, int64_t{1767607380} * 1'000'000'000 + 500'000'000);
  EXPECT_TRUE(ev[1].login_without_mfa);
  EXPECT_EQ(log->addresses[ev[1].source_ip], "");
  EXPECT_EQ(ev[2].id, "line5.0");
  EXPECT_EQ(ev[2].line, 5u);
  EXPECT_EQ(log->callers[ev[2].caller], "ec2.amazonaws.com");
  EXPECT_EQ(log->actions[ev[2].action], "AssumeRole");
  EXPECT_EQ(ev[3].id, "line5.1");
  EXPECT_EQ(log->callers[ev[3].caller], "AROA1:s");
  EXPECT_EQ(log->actions[ev[3].action], "signin:ConsoleLogin");
  EXPECT_TRUE(ev[3].failed);  // responseElements.ConsoleLogin: Failure
  EXPECT_FALSE(ev[3].login_without_mfa);
  EXPECT_EQ(ev[0].caller, ev[1].caller);  // interned once
}

TEST(EventsParseTest, MalformedLinesNameFileLineAndField) {
  const std::string ok = R"({"caller":"a","action":"x","time":"2026-01-05T10:00:00Z"})";
  EXPECT_EQ(ErrorOf(ok + "\n" + ok + "\n{\"caller\": \n"),
            "events.jsonl:3: invalid JSON at column 12: syntax error while parsing value - unexpected end of input; "
            "expected '[', '{', or a literal");
  EXPECT_EQ(ErrorOf(ok + "\n\n" + R"({"eventTime":"yesterday","eventName":"X","userIdentity":{"arn":"a"}})"),
            "events.jsonl:3: eventTime: not an RFC 3339 time ('yesterday')");
  EXPECT_EQ(ErrorOf(R"({"caller":"a","action":"x"})"), "events.jsonl:1: time: missing; every event needs the time it happened");
  EXPECT_EQ(ErrorOf(R"({"caller":"a","action":"x","time":true})"),
            "events.jsonl:1: time: expected an RFC 3339 string or seconds since the epoch, got a boolean");
  EXPECT_EQ(ErrorOf(R"({"caller":"","action":"x","time":1})"), "events.jsonl:1: caller: empty; every event needs the caller");
  EXPECT_EQ(ErrorOf(R"({"caller":"a","action":"x","time":1,"source_ip":5})"),
            "events.jsonl:1: source_ip: expected a string, got a number");
  EXPECT_EQ(ErrorOf(R"({"eventTime":"2026-01-05T10:00:00Z","eventName":"X"})"),
            "events.jsonl:1: userIdentity: missing; every event needs the caller");
  EXPECT_EQ(ErrorOf(R"({"eventTime":"2026-01-05T10:00:00Z","eventName":"X","userIdentity":"root"})"),
            "events.jsonl:1: userIdentity: expected an object, got a string");
  EXPECT_EQ(ErrorOf(R"({"eventTime":"2026-01-05T10:00:00Z","eventName":"X","userIdentity":{"accountId":"1"}})"),
            "events.jsonl:1: userIdentity: has no arn, principalId, invokedBy or type; every event needs the caller");
  EXPECT_EQ(ErrorOf(R"({"Records":[{"eventTime":"2026-01-05T10:00:00Z","eventName":"X","userIdentity":{"arn":"a"}},)"
                    R"({"eventTime":"2026-01-05T10:00:00Z","userIdentity":{"arn":"a"}}]})"),
            "events.jsonl:1: Records[1].eventName: missing; every event needs the call it records");
  EXPECT_EQ(ErrorOf(R"({"Records":[1]})"), "events.jsonl:1: Records[0]: expected a CloudTrail record object, got a number");
  EXPECT_EQ(ErrorOf(R"({"Records":{}})"),
            "events.jsonl:1: Records: expected an array of CloudTrail records, got an object");
  EXPECT_EQ(ErrorOf("[1, 2]"), "events.jsonl:1: expected a JSON object (an event, or {\"Records\": [...]}), got an array");
  EXPECT_EQ(ErrorOf("42"), "events.jsonl:1: expected a JSON object (an event, or {\"Records\": [...]}), got a number");
  EXPECT_EQ(ErrorOf(R"({"user":"a"})"),
            "events.jsonl:1: neither a CloudTrail record (eventTime, eventName, userIdentity) nor a flat event (time, "
            "caller, action)");
  EXPECT_EQ(ErrorOf(R"({"caller":"a","action":"x","time":1e300})"),
            "events.jsonl:1: time: 1e300 seconds is outside the years 1678-2261");
  EXPECT_NE(ErrorOf(ok + "\n{\"caller\":\"\xff\"}").find("events.jsonl:2: invalid JSON"), std::string::npos);
  // Trailing text after the object is not JSON Lines.
  EXPECT_NE(ErrorOf(ok + " {}").find("events.jsonl:1: invalid JSON at column"), std::string::npos);
}

TEST(EventsParseTest, LongLineIsRefusedWithItsNumber) {
  std::string text = R"({"caller":"a","action":"x","time":1})";
  text += "\n{\"caller\":\"" + std::string(kMaxEventLineBytes, 'a') + "\"}\n";
  EXPECT_EQ(ErrorOf(text), "events.jsonl:2: line longer than 8 MiB; write one event per line (jq -c '.Records[]' "
                           "splits a CloudTrail log file)");
}

TEST(EventsParseTest, ReadsFilesInChunksOnThreadsWithTheRightLineNumbers) {
  auto path = std::filesystem::temp_directory_path() / ("custody-events-" + std::to_string(::getpid()) + ".jsonl");
  {
    std::ofstream out(path);
    for (int i = 1; i <= 30000; ++i) {
      out << R"({"id":"e)" << i << R"(","caller":"c)" << i % 7 << R"(","action":"a)" << i % 5
          << R"(","source_ip":"10.0.0.)" << i % 3 << R"(","time":)" << 1767607200 + i << "}\n";
    }
  }
  ThreadPool pool(3);
  auto serial = ReadEvents(path.string());
  auto parallel = ReadEvents(path.string(), &pool);
  ASSERT_TRUE(serial.ok()) << serial.error().message();
  ASSERT_TRUE(parallel.ok()) << parallel.error().message();
  ASSERT_EQ(serial->events.size(), 30000u);
  ASSERT_EQ(parallel->events.size(), 30000u);
  EXPECT_EQ(serial->callers, parallel->callers);
  for (size_t i = 0; i < 30000; i += 997) {
    EXPECT_EQ(parallel->events[i].id, "e" + std::to_string(i + 1));
    EXPECT_EQ(parallel->events[i].line, i + 1);
    EXPECT_EQ(parallel->events[i].caller, serial->events[i].caller);
    EXPECT_EQ(parallel->callers[parallel->events[i].caller], "c" + std::to_string((i + 1) % 7));
  }
  {
    std::ofstream out(path, std::ios::app);
    out << "{\"id\":\"bad\",\"caller\":\"c\",\"action\":\"a\"}\n";
  }
  auto bad = ReadEvents(path.string(), &pool);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), path.string() + ":30001: time: missing; every event needs the time it happened");
  std::filesystem::remove(path);
  auto missing = ReadEvents(path.string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("cannot open"), std::string::npos);
  auto dir = ReadEvents(std::filesystem::temp_directory_path().string());
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message().find("not a regular file"), std::string::npos);
}

// A hand-built sequence (warm-up 2, window 1 h), in the file out of time
// order. Caller a:
//   a1 10:00 X 1.1.1.1 U1            warm-up (0 earlier)
//   a2 10:10 X 1.1.1.1 U1            warm-up (1 earlier)
//   a3 10:20 Y 2.2.2.2 U1 denied     2 earlier; window (09:20,10:20] holds a1 a2 a3 = 3;
//                                    typical 2 * 60/max(20,60) = 2, ratio 1.5; Y new, 2.2.2.2 new,
//                                    U1 known; hours 9-11 hold 2 of 2 -> share 1; 1 failure
//   a4 11:15 X 1.1.1.1 U2 denied     3 earlier; window (10:15,11:15] holds a3 a4 = 2;
//                                    typical 3 * 60/75 = 2.4, ratio 2/2.4; U2 new; hours 10-12
//                                    hold 3 of 3; failures a3 a4 = 2
//   a5 03:00 next day X 1.1.1.1 U1   4 earlier; window holds a5 alone; typical 4 * 60/1020,
//                                    ratio 1 (typical below 1); hours 2-4 hold 0 of 4 -> share 0
// Caller b: one event at 10:05 (warm-up). Caller c: first seen a day and a
// second after the log's first event: a new caller.
constexpr const char* kSequence =
    R"({"id":"a5","caller":"a","action":"X","source_ip":"1.1.1.1","user_agent":"U1","time":"2026-01-06T03:00:00Z"})" "\n"
    R"({"id":"a1","caller":"a","action":"X","source_ip":"1.1.1.1","user_agent":"U1","time":"2026-01-05T10:00:00Z"})" "\n"
    R"({"id":"b1","caller":"b","action":"X","source_ip":"1.1.1.1","user_agent":"U1","time":"2026-01-05T10:05:00Z"})" "\n"
    R"({"id":"a2","caller":"a","action":"X","source_ip":"1.1.1.1","user_agent":"U1","time":"2026-01-05T10:10:00Z"})" "\n"
    R"({"id":"a3","caller":"a","action":"Y","source_ip":"2.2.2.2","user_agent":"U1","time":"2026-01-05T10:20:00Z","error_code":"AccessDenied"})" "\n"
    R"({"id":"a4","caller":"a","action":"X","source_ip":"1.1.1.1","user_agent":"U2","time":"2026-01-05T11:15:00Z","error_code":"AccessDenied"})" "\n"
    R"({"id":"c1","caller":"c","action":"X","time":"2026-01-06T10:00:01Z"})" "\n";

struct Sequence {
  EventLog log;
  std::vector<EventFeatures> f;
  EventFeatureOptions options;
  const EventFeatures& operator[](const std::string& id) const {
    for (size_t i = 0; i < log.events.size(); ++i) {
      if (log.events[i].id == id) return f[i];
    }
    throw std::runtime_error("no event " + id);
  }
  size_t Index(const std::string& id) const {
    for (size_t i = 0; i < log.events.size(); ++i) {
      if (log.events[i].id == id) return i;
    }
    throw std::runtime_error("no event " + id);
  }
};

Sequence MakeSequence() {
  Sequence s;
  auto log = ParseEvents(kSequence, "seq.jsonl");
  EXPECT_TRUE(log.ok());
  s.log = std::move(*log);
  s.options.window_ns = 60 * kMinute;
  s.options.warmup = 2;
  s.f = ComputeEventFeatures(s.log, s.options);
  return s;
}

TEST(EventFeaturesTest, HandDerivedSequence) {
  Sequence s = MakeSequence();
  const auto& a1 = s["a1"];
  EXPECT_TRUE(a1.warmup);
  EXPECT_EQ(a1.earlier_events, 0u);
  EXPECT_EQ(a1.window_events, 1u);
  EXPECT_FALSE(a1.new_action || a1.new_ip || a1.new_agent || a1.new_caller);
  EXPECT_EQ(a1.hour_share, 1.0);
  EXPECT_EQ(a1.rate_ratio, 1.0);

  const auto& a2 = s["a2"];
  EXPECT_TRUE(a2.warmup);
  EXPECT_EQ(a2.window_events, 2u);

  const auto& a3 = s["a3"];
  EXPECT_FALSE(a3.warmup);
  EXPECT_EQ(a3.earlier_events, 2u);
  EXPECT_EQ(a3.window_events, 3u);
  EXPECT_DOUBLE_EQ(a3.typical_events, 2.0);
  EXPECT_DOUBLE_EQ(a3.rate_ratio, 1.5);
  EXPECT_TRUE(a3.new_action);
  EXPECT_TRUE(a3.new_ip);
  EXPECT_FALSE(a3.new_agent);
  EXPECT_DOUBLE_EQ(a3.hour_share, 1.0);
  EXPECT_TRUE(a3.failed);
  EXPECT_EQ(a3.window_failures, 1u);

  const auto& a4 = s["a4"];
  EXPECT_EQ(a4.earlier_events, 3u);
  EXPECT_EQ(a4.window_events, 2u);
  EXPECT_DOUBLE_EQ(a4.typical_events, 2.4);
  EXPECT_DOUBLE_EQ(a4.rate_ratio, 2 / 2.4);
  EXPECT_FALSE(a4.new_action);
  EXPECT_FALSE(a4.new_ip);
  EXPECT_TRUE(a4.new_agent);
  EXPECT_DOUBLE_EQ(a4.hour_share, 1.0);
  EXPECT_EQ(a4.window_failures, 2u);

  const auto& a5 = s["a5"];
  EXPECT_EQ(a5.earlier_events, 4u);
  EXPECT_EQ(a5.window_events, 1u);
  EXPECT_DOUBLE_EQ(a5.typical_events, 4.0 * 60 / 1020);
  EXPECT_DOUBLE_EQ(a5.rate_ratio, 1.0);
  EXPECT_DOUBLE_EQ(a5.hour_share, 0.0);
  EXPECT_EQ(a5.window_failures, 0u);
  EXPECT_FALSE(a5.new_action || a5.new_ip || a5.new_agent);

  EXPECT_TRUE(s["b1"].warmup);
  EXPECT_FALSE(s["b1"].new_caller);
  EXPECT_TRUE(s["c1"].new_caller);
  EXPECT_TRUE(s["c1"].warmup);

  double v[kEventFeatureCount];
  EventFeatureVector(a3, v);
  EXPECT_DOUBLE_EQ(v[0], std::log1p(3.0));
  EXPECT_DOUBLE_EQ(v[1], std::log2(1.5));
  EXPECT_EQ(v[2], 1);
  EXPECT_EQ(v[3], 1);
  EXPECT_EQ(v[4], 0);
  EXPECT_EQ(v[5], 0);
  EXPECT_EQ(v[6], 1);
  EXPECT_DOUBLE_EQ(v[7], std::log1p(1.0));
  EXPECT_EQ(EventFeatureNames().size(), kEventFeatureCount);
}

TEST(EventFeaturesTest, BurstOfFailuresAndRate) {
  // Ten quiet hours (one call an hour), then 12 denied calls in two minutes.
  std::string text;
  for (int h = 0; h < 10; ++h) {
    text += R"({"caller":"u","action":"List","time":)" + std::to_string(1767571200 + h * 3600) + "}\n";
  }
  for (int i = 0; i < 12; ++i) {
    text += R"({"caller":"u","action":"List","error_code":"AccessDenied","time":)" +
            std::to_string(1767571200 + 10 * 3600 + i * 10) + "}\n";
  }
  auto log = ParseEvents(text, "burst.jsonl");
  ASSERT_TRUE(log.ok());
  auto f = ComputeEventFeatures(*log, {});
  const auto& last = f.back();
  // Window (t-1h, t]: the 12 denied calls (the 10th quiet call, an hour and
  // 110 s earlier, has left it); 22 - 1 = 21 earlier events over 36110 s.
  EXPECT_EQ(last.window_events, 12u);
  EXPECT_EQ(last.window_failures, 12u);
  EXPECT_DOUBLE_EQ(last.typical_events, 21.0 * 3600 / 36110);
  EXPECT_DOUBLE_EQ(last.rate_ratio, 12.0 / (21.0 * 3600 / 36110));
  auto scored = ScoreEvents(*log, f, {}, {});
  ASSERT_TRUE(scored.ok());
  const auto& r = scored->back().reasons;
  ASSERT_GE(r.size(), 3u);
  EXPECT_EQ(r[0].kind, "failures");
  EXPECT_EQ(r[0].text, "12 failures in 1h");
  EXPECT_DOUBLE_EQ(r[0].weight, 0.6);
  bool rate = false;
  for (const auto& x : r) rate |= x.kind == "rate" && x.text.rfind("12 events in 1h, ", 0) == 0;
  EXPECT_TRUE(rate);
}

TEST(EventScoreTest, ReasonsRiskAndFeedback) {
  Sequence s = MakeSequence();
  EventScoreOptions opt;
  opt.features = s.options;
  auto scored = ScoreEvents(s.log, s.f, opt, {});
  ASSERT_TRUE(scored.ok());
  // Fewer than 100 events: the forest gives no reason, the evidence alone counts.
  const ScoredEvent& a3 = (*scored)[s.Index("a3")];
  ASSERT_EQ(a3.reasons.size(), 3u);
  EXPECT_EQ(a3.reasons[0].kind, "new_ip");
  EXPECT_EQ(a3.reasons[0].text, "new source IP 2.2.2.2 for this caller");
  EXPECT_EQ(a3.reasons[1].kind, "new_action");
  EXPECT_EQ(a3.reasons[1].text, "first Y by this caller");
  EXPECT_EQ(a3.reasons[2].text, "failed: AccessDenied");
  EXPECT_NEAR(a3.risk, 1 - 0.65 * 0.75 * 0.9, 1e-12);
  const ScoredEvent& a5 = (*scored)[s.Index("a5")];
  ASSERT_EQ(a5.reasons.size(), 1u);
  EXPECT_EQ(a5.reasons[0].kind, "unusual_hour");
  EXPECT_EQ(a5.reasons[0].text,
            "at 03:00 UTC; 0 of the caller's 4 earlier events were within an hour of that time of day");
  EXPECT_NEAR(a5.risk, 0.3, 1e-12);
  EXPECT_EQ((*scored)[s.Index("c1")].reasons[0].kind, "new_caller");
  EXPECT_EQ((*scored)[s.Index("a1")].risk, 0);

  EventFeedback benign;
  benign.id = 4;
  benign.caller = "a";
  benign.action = "Y";
  benign.source_ip = "2.2.2.2";
  benign.user_agent = "U1";
  benign.reasons = {"new_ip", "new_action", "failure"};
  auto lowered = ScoreEvents(s.log, s.f, opt, {benign});
  ASSERT_TRUE(lowered.ok());
  const ScoredEvent& b3 = (*lowered)[s.Index("a3")];
  EXPECT_NEAR(b3.risk, 1 - 0.965 * 0.975 * 0.99, 1e-12);
  for (const auto& r : b3.reasons) {
    EXPECT_EQ(r.lowered_by, 4);
    EXPECT_DOUBLE_EQ(r.weight, r.base_weight * kBenignDiscount);
  }
  // Another caller, or another pattern of the same caller, is untouched.
  EXPECT_EQ((*lowered)[s.Index("a5")].risk, a5.risk);
  EXPECT_EQ((*lowered)[s.Index("a5")].reasons[0].lowered_by, 0);

  EventFeedback malicious;
  malicious.id = 5;
  malicious.benign = false;
  malicious.caller = "a";
  malicious.action = "X";
  auto raised = ScoreEvents(s.log, s.f, opt, {malicious});
  ASSERT_TRUE(raised.ok());
  const ScoredEvent& m5 = (*raised)[s.Index("a5")];
  EXPECT_EQ(m5.reasons[0].kind, "marked_malicious");
  EXPECT_EQ(m5.reasons[0].text, "matches malicious feedback 5");
  EXPECT_NEAR(m5.risk, 1 - 0.1 * 0.7, 1e-12);
  EXPECT_EQ((*raised)[s.Index("a3")].risk, a3.risk);  // action Y
  EXPECT_EQ((*raised)[s.Index("b1")].risk, 0);        // caller b
}

TEST(EventScoreTest, SensitiveActionsAndMfa) {
  EXPECT_TRUE(IsSensitiveAction("cloudtrail:StopLogging"));
  EXPECT_TRUE(IsSensitiveAction("CreateAccessKey"));
  EXPECT_FALSE(IsSensitiveAction("s3:GetObject"));
  auto log = ParseEvents(
      R"({"caller":"r","action":"cloudtrail:StopLogging","time":1})" "\n"
      R"({"caller":"r","action":"ConsoleLogin","mfa":false,"time":2})" "\n",
      "s.jsonl");
  ASSERT_TRUE(log.ok());
  auto f = ComputeEventFeatures(*log, {});
  EXPECT_TRUE(f[0].sensitive);
  auto scored = ScoreEvents(*log, f, {}, {});
  ASSERT_TRUE(scored.ok());
  EXPECT_EQ((*scored)[0].reasons[0].text, "sensitive action cloudtrail:StopLogging");
  EXPECT_DOUBLE_EQ((*scored)[0].risk, 0.6);
  EXPECT_EQ((*scored)[1].reasons[0].kind, "login_without_mfa");
}

TEST(EventScoreTest, DeterministicAcrossThreadsAndEmptyIsAnError) {
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text += R"({"caller":"c)" + std::to_string(i % 4) + R"(","action":"a)" + std::to_string(i % 9 == 0 ? i : i % 3) +
            R"(","time":)" + std::to_string(1767571200 + i * 37) + "}\n";
  }
  auto log = ParseEvents(text, "d.jsonl");
  ASSERT_TRUE(log.ok());
  auto f = ComputeEventFeatures(*log, {});
  ThreadPool pool(4);
  EventScoreOptions opt;
  opt.seed = 9;
  auto one = ScoreEvents(*log, f, opt, {});
  auto many = ScoreEvents(*log, f, opt, {}, &pool);
  ASSERT_TRUE(one.ok() && many.ok());
  for (size_t i = 0; i < one->size(); ++i) {
    ASSERT_EQ((*one)[i].risk, (*many)[i].risk);
    ASSERT_GE((*one)[i].risk, 0.0);
    ASSERT_LE((*one)[i].risk, 1.0);
  }
  EventLog empty;
  empty.source = "e.jsonl";
  auto none = ScoreEvents(empty, {}, opt, {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message(), "e.jsonl: no events to score");
}

TEST(EventWindowTest, ParsesAndFormats) {
  EXPECT_EQ(*ParseEventWindow("1h"), int64_t{3600} * 1'000'000'000);
  EXPECT_EQ(*ParseEventWindow("1h30m"), int64_t{5400} * 1'000'000'000);
  EXPECT_EQ(*ParseEventWindow("90s"), int64_t{90} * 1'000'000'000);
  EXPECT_EQ(*ParseEventWindow("2d"), int64_t{172800} * 1'000'000'000);
  for (const char* bad : {"", "h", "1", "1x", "-1h", "0s", "367d", "99999999999h", "1h "}) {
    EXPECT_FALSE(ParseEventWindow(bad).ok()) << bad;
  }
  EXPECT_EQ(FormatEventWindow(*ParseEventWindow("60m")), "1h");
  EXPECT_EQ(FormatEventWindow(*ParseEventWindow("90m")), "90m");
  EXPECT_EQ(FormatEventWindow(*ParseEventWindow("48h")), "2d");
  EXPECT_EQ(FormatEventWindow(*ParseEventWindow("61s")), "61s");
}

}  // namespace
}  // namespace custody::stats
