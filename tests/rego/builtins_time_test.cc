// Tests for the time built-ins: OPA's conformance cases (test/cases/testdata
// v0 and v1, folder time) and Go's time-package behaviour that OPA exposes
// (layouts, parse errors, durations, AddDate normalisation, zones).
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

class TimeTest : public ::testing::Test {
 protected:
  TimeTest() { RegisterTime(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    if (b == nullptr) return Error::Internal("no such built-in");
    EXPECT_EQ(b->arity, static_cast<int>(args.size()));
    return b->fn(args, ctx_);
  }

  std::string Text(const Result<Value>& r) { return r.ok() ? r->ToJson() : "error: " + r.error().message(); }

  static Value S(std::string_view s) { return Value::String(s); }
  static Value I(int64_t i) { return Value::Int(i); }
  static Value A(std::vector<Value> v) { return Value::Array(std::move(v)); }
  // Nanoseconds from seconds.
  static Value Ns(int64_t sec) { return Value::Int(sec * 1000000000); }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST_F(TimeTest, RegistersTheGroup) {
  for (const char* name :
       {"time.now_ns", "time.parse_ns", "time.parse_rfc3339_ns", "time.parse_duration_ns", "time.date",
        "time.clock", "time.weekday", "time.add_date", "time.diff", "time.format"})
    EXPECT_NE(table_.Find(name), nullptr) << name;
  EXPECT_TRUE(table_.Find("time.now_ns")->nondeterministic);
  EXPECT_FALSE(table_.Find("time.parse_ns")->nondeterministic);
}

TEST_F(TimeTest, NowIsTheEvaluationsClock) {
  ctx_.now_ns = 1670006453141828752;
  EXPECT_EQ(Text(Call("time.now_ns", {})), "1670006453141828752");
  EXPECT_EQ(Text(Call("time.now_ns", {})), "1670006453141828752");
}

TEST_F(TimeTest, ParseRfc3339) {
  const std::pair<const char*, const char*> cases[] = {
      {"1677-09-21T00:12:43.145224192-00:00", "-9223372036854775808"},
      {"1970-01-01T00:00:00-00:00", "0"},
      {"2017-06-02T19:00:00-07:00", "1496455200000000000"},
      {"2262-04-11T23:47:16.854775807-00:00", "9223372036854775807"},
      {"2017-06-02T19:00:00Z", "1496430000000000000"},
      {"2017-06-02T19:00:00.5+01:30", "1496424600500000000"},
      // More than nine fraction digits are truncated; a comma also works.
      {"1970-01-01T00:00:00.1234567891Z", "123456789"},
      {"1970-01-01T00:00:00,25Z", "250000000"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Text(Call("time.parse_rfc3339_ns", {S(in)})), want) << in;
}

TEST_F(TimeTest, ParseRfc3339OutOfRange) {
  EXPECT_EQ(Text(Call("time.parse_rfc3339_ns", {S("1677-09-21T00:12:43.145224191-00:00")})),
            "error: eval_builtin_error: time.parse_rfc3339_ns: time outside of valid range");
  EXPECT_EQ(Text(Call("time.parse_rfc3339_ns", {S("2262-04-11T23:47:16.854775808-00:00")})),
            "error: eval_builtin_error: time.parse_rfc3339_ns: time outside of valid range");
}

TEST_F(TimeTest, ParseRfc3339Errors) {
  EXPECT_EQ(Text(Call("time.parse_rfc3339_ns", {S("2017-06-02")})),
            "error: eval_builtin_error: time.parse_rfc3339_ns: parsing time \"2017-06-02\" as "
            "\"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"T\"");
  EXPECT_EQ(Text(Call("time.parse_rfc3339_ns", {S("2017-13-02T00:00:00Z")})),
            "error: eval_builtin_error: time.parse_rfc3339_ns: parsing time \"2017-13-02T00:00:00Z\": "
            "month out of range");
  EXPECT_EQ(Text(Call("time.parse_rfc3339_ns", {S("2017-02-30T00:00:00Z")})),
            "error: eval_builtin_error: time.parse_rfc3339_ns: parsing time \"2017-02-30T00:00:00Z\": "
            "day out of range");
  EXPECT_EQ(Text(Call("time.parse_rfc3339_ns", {S("2017-02-03T00:00:00Zjunk")})),
            "error: eval_builtin_error: time.parse_rfc3339_ns: parsing time \"2017-02-03T00:00:00Zjunk\": "
            "extra text: \"junk\"");
  EXPECT_EQ(Text(Call("time.parse_rfc3339_ns", {S("2017-02-03T25:00:00Z")})),
            "error: eval_builtin_error: time.parse_rfc3339_ns: parsing time \"2017-02-03T25:00:00Z\": "
            "hour out of range");
  // Go's quoting of bytes outside printable ASCII.
  EXPECT_EQ(Text(Call("time.parse_rfc3339_ns", {S("\xc3\xa9\n\"")})),
            "error: eval_builtin_error: time.parse_rfc3339_ns: parsing time \"\\xc3\\xa9\\x0a\\\"\" as "
            "\"2006-01-02T15:04:05Z07:00\": cannot parse \"\\xc3\\xa9\\x0a\\\"\" as \"2006\"");
  EXPECT_EQ(Text(Call("time.parse_rfc3339_ns", {I(1)})),
            "error: eval_type_error: time.parse_rfc3339_ns: operand 1 must be string but got number");
}

TEST_F(TimeTest, ParseWithLayouts) {
  // The v0 conformance case time/parse_nanos.
  const std::pair<const char*, const char*> cases[] = {
      {"2006-01-02T15:04:05Z07:00", "2017-06-02T19:00:00-07:00"},
      {"01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700"},
      {"02 Jan 06 15:04 -0700", "02 Jun 17 19:00 -0700"},
      {"RFC822Z", "02 Jun 17 19:00 -0700"},
      {"RFC1123Z", "Fri, 02 Jun 2017 19:00:00 -0700"},
      {"RubyDate", "Fri Jun 02 19:00:00 -0700 2017"},
      {"Monday, January 2, 2006 3:04pm -07", "friday, JUNE 2, 2017 7:00pm -07"},
      {"2006-002 15:04 Z0700", "2017-153 19:00 -0700"},  // day of year
      {"RFC3339Nano", "2017-06-02T19:00:00-07:00"},
  };
  for (const auto& [layout, value] : cases)
    EXPECT_EQ(Text(Call("time.parse_ns", {S(layout), S(value)})), "1496455200000000000") << layout;
  EXPECT_EQ(
      Text(Call("time.parse_ns", {S("2006-01-02T15:04:05Z07:00"), S("1677-09-21T00:12:43.145224192-00:00")})),
      "-9223372036854775808");
  EXPECT_EQ(Text(Call("time.parse_ns", {S("ANSIC"), S("Mon Jan  2 15:04:05 2006")})), "1136214245000000000");
  EXPECT_EQ(Text(Call("time.parse_ns", {S("15:04:05.000"), S("00:00:01.250")})),
            "error: eval_builtin_error: time.parse_ns: time outside of valid range");  // year 0
  EXPECT_EQ(Text(Call("time.parse_ns", {S("2006-01-02 15:04:05.000"), S("2000-01-01 00:00:01.250")})),
            "946684801250000000");
  EXPECT_EQ(Text(Call("time.parse_ns", {S("2006-01-02 3PM"), S("2000-01-01 12AM")})), "946684800000000000");
  EXPECT_EQ(Text(Call("time.parse_ns", {S("2006-01-02 3PM"), S("2000-01-01 12PM")})), "946728000000000000");
}

TEST_F(TimeTest, ParseLayoutErrors) {
  EXPECT_EQ(Text(Call("time.parse_ns", {S("2006-01-02"), S("x")})),
            "error: eval_builtin_error: time.parse_ns: parsing time \"x\" as \"2006-01-02\": "
            "cannot parse \"x\" as \"2006\"");
  EXPECT_EQ(Text(Call("time.parse_ns", {S("2006-01-02"), S("2017/01/02")})),
            "error: eval_builtin_error: time.parse_ns: parsing time \"2017/01/02\" as \"2006-01-02\": "
            "cannot parse \"/01/02\" as \"-\"");
  EXPECT_EQ(Text(Call("time.parse_ns", {S("Jan 2006"), S("Foo 2006")})),
            "error: eval_builtin_error: time.parse_ns: parsing time \"Foo 2006\" as \"Jan 2006\": "
            "cannot parse \"Foo 2006\" as \"Jan\"");
  EXPECT_EQ(Text(Call("time.parse_ns", {S("2006-002"), S("2017-366")})),
            "error: eval_builtin_error: time.parse_ns: parsing time \"2017-366\": day-of-year out of range");
  EXPECT_EQ(Text(Call("time.parse_ns", {S("2006-01-02 -0700"), S("2017-01-02 +2500")})),
            "error: eval_builtin_error: time.parse_ns: parsing time \"2017-01-02 +2500\": "
            "time zone offset hour out of range");
  EXPECT_EQ(Text(Call("time.parse_ns", {I(1), S("x")})),
            "error: eval_type_error: time.parse_ns: operand 1 must be string but got number");
  EXPECT_EQ(Text(Call("time.parse_ns", {S("x"), I(1)})),
            "error: eval_type_error: time.parse_ns: operand 2 must be string but got number");
}

TEST_F(TimeTest, ParseZoneAbbreviationsUseTheLocalZone) {
  {
    ScopedEnv tz("TZ", "UTC");
    BuiltinContext ctx;
    // Unknown in UTC: the wall time is taken as UTC, as Go does.
    std::vector<Value> args = {S("RFC1123"), S("Fri, 02 Jun 2017 19:00:00 EDT")};
    EXPECT_EQ(Text(table_.Find("time.parse_ns")->fn(args, ctx)), "1496430000000000000");
  }
  {
    ScopedEnv tz("TZ", "America/New_York");
    BuiltinContext ctx;
    std::vector<Value> args = {S("RFC1123"), S("Fri, 02 Jun 2017 19:00:00 EDT")};
    EXPECT_EQ(Text(table_.Find("time.parse_ns")->fn(args, ctx)), "1496444400000000000");
    args = {S("RFC850"), S("Friday, 02-Jun-17 19:00:00 UTC")};
    EXPECT_EQ(Text(table_.Find("time.parse_ns")->fn(args, ctx)), "1496430000000000000");
  }
}

TEST_F(TimeTest, ParseDuration) {
  const std::pair<const char*, const char*> cases[] = {
      {"100ns", "100"},
      {"100us", "100000"},
      {"100\xc2\xb5s", "100000"},
      {"100\xce\xbcs", "100000"},
      {"100ms", "100000000"},
      {"100s", "100000000000"},
      {"100m", "6000000000000"},
      {"100h", "360000000000000"},
      {"365d", "31536000000000000"},
      {"1w", "604800000000000"},
      {"1y", "31536000000000000"},
      {"1d2h", "93600000000000"},
      {"1h30m", "5400000000000"},
      {"1.5s", "1500000000"},
      {".5h", "1800000000000"},
      {"-2h45m", "-9900000000000"},
      {"+3s", "3000000000"},
      {"0", "0"},
      {"-0", "0"},
      {"9223372036854775807ns", "9223372036854775807"},
      {"-9223372036854775808ns", "-9223372036854775808"},
      {"1.0000000000000000000000001s", "1000000000"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Text(Call("time.parse_duration_ns", {S(in)})), want) << in;
}

TEST_F(TimeTest, ParseDurationErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "time: invalid duration \"\""},
      {"-", "time: invalid duration \"-\""},
      {"1", "time: missing unit in duration \"1\""},
      {"1x", "time: unknown unit \"x\" in duration \"1x\""},
      {"1h5", "time: missing unit in duration \"1h5\""},
      {".s", "time: invalid duration \".s\""},
      {"1 h", "time: unknown unit \" h\" in duration \"1 h\""},
      {"9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""},
      {"300000y", "time: invalid duration \"300000y\""},
      {"1\xffs", "time: unknown unit \"\\xffs\" in duration \"1\\xffs\""},
  };
  for (const auto& [in, want] : cases)
    EXPECT_EQ(Text(Call("time.parse_duration_ns", {S(in)})),
              "error: eval_builtin_error: time.parse_duration_ns: " + std::string(want))
        << in;
  EXPECT_EQ(Text(Call("time.parse_duration_ns", {I(1)})),
            "error: eval_type_error: time.parse_duration_ns: operand 1 must be string but got number");
}

TEST_F(TimeTest, DateClockWeekday) {
  EXPECT_EQ(Text(Call("time.date", {Ns(1517832000)})), "[2018,2,5]");
  EXPECT_EQ(Text(Call("time.date", {A({Ns(1517832000), S("")})})), "[2018,2,5]");
  EXPECT_EQ(Text(Call("time.date", {A({Ns(1517814000), S("America/Los_Angeles")})})), "[2018,2,4]");
  EXPECT_EQ(Text(Call("time.date", {Ns(1582977600)})), "[2020,2,29]");
  EXPECT_EQ(Text(Call("time.date", {I(INT64_MIN)})), "[1677,9,21]");
  EXPECT_EQ(Text(Call("time.date", {I(-1)})), "[1969,12,31]");
  EXPECT_EQ(Text(Call("time.clock", {Ns(1517832000)})), "[12,0,0]");
  EXPECT_EQ(Text(Call("time.clock", {A({Ns(1517832000), S("America/New_York")})})), "[7,0,0]");
  EXPECT_EQ(Text(Call("time.clock", {A({Ns(1517832000), S("UTC")})})), "[12,0,0]");
  EXPECT_EQ(Text(Call("time.clock", {I(-1)})), "[23,59,59]");
  EXPECT_EQ(Text(Call("time.weekday", {Ns(1517832000)})), "\"Monday\"");
  EXPECT_EQ(Text(Call("time.weekday", {Ns(1517918400)})), "\"Tuesday\"");
  EXPECT_EQ(Text(Call("time.weekday", {Ns(1518091200)})), "\"Thursday\"");
  EXPECT_EQ(Text(Call("time.weekday", {Ns(1518177600)})), "\"Friday\"");
  EXPECT_EQ(Text(Call("time.weekday", {Ns(1518264000)})), "\"Saturday\"");
  EXPECT_EQ(Text(Call("time.weekday", {A({Ns(1518264000), S("Pacific/Kiritimati")})})), "\"Sunday\"");
  EXPECT_EQ(Text(Call("time.weekday", {A({Ns(1518210000), S("Pacific/Kiritimati")})})), "\"Saturday\"");
  EXPECT_EQ(Text(Call("time.weekday", {I(INT64_MIN)})), "\"Tuesday\"");
  // Integral floats are accepted, as OPA reads numbers as big.Float.
  EXPECT_EQ(Text(Call("time.date", {Value::Float(1.5e18)})), "[2017,7,14]");
}

TEST_F(TimeTest, TimestampTooBig) {
  // 1582977600 * 10^12 (conformance), a big integer, and non-integers.
  for (const Value& v : {Value::BigInt("1582977600000000000000"), Value::Float(1.5829776e22),
                         Value::Float(1.5), Value::Float(9.3e18)}) {
    EXPECT_EQ(Text(Call("time.date", {v})), "error: eval_builtin_error: time.date: timestamp too big");
    EXPECT_EQ(Text(Call("time.clock", {v})), "error: eval_builtin_error: time.clock: timestamp too big");
    EXPECT_EQ(Text(Call("time.weekday", {v})), "error: eval_builtin_error: time.weekday: timestamp too big");
    EXPECT_EQ(Text(Call("time.format", {v})), "error: eval_builtin_error: time.format: timestamp too big");
  }
}

TEST_F(TimeTest, TimeArgumentErrors) {
  const char* kExpected = "either number (ns) or [number (ns), string (tz)]";
  EXPECT_EQ(Text(Call("time.date", {S("x")})), "error: eval_type_error: time.date: operand 1 must be " +
                                                   std::string(kExpected) + " but got string");
  EXPECT_EQ(Text(Call("time.date", {A({})})), "error: eval_type_error: time.date: operand 1 must be " +
                                                  std::string(kExpected) + " but got array");
  EXPECT_EQ(Text(Call("time.date", {A({S("x")})})),
            "error: eval_type_error: time.date: operand 1 must be number but got string");
  EXPECT_EQ(Text(Call("time.date", {A({I(0), I(1)})})),
            "error: eval_type_error: time.date: operand 1 must be string but got number");
  EXPECT_EQ(Text(Call("time.format", {A({I(0), S("UTC"), I(1)})})),
            "error: eval_type_error: time.format: operand 1 must be string but got number");
  // OPA says "operand 1" for time.diff's second argument too.
  EXPECT_EQ(Text(Call("time.diff", {I(0), S("x")})), "error: eval_type_error: time.diff: operand 1 must be " +
                                                         std::string(kExpected) + " but got string");
  EXPECT_EQ(Text(Call("time.add_date", {I(0), Value::Float(1.5), I(0), I(0)})),
            "error: eval_type_error: time.add_date: operand 2 must be integer number but got floating-point "
            "number");
  EXPECT_EQ(Text(Call("time.add_date", {I(0), I(0), I(0), S("1")})),
            "error: eval_type_error: time.add_date: operand 4 must be number but got string");
}

TEST_F(TimeTest, ZoneErrors) {
  EXPECT_EQ(Text(Call("time.date", {A({I(0), S("Nowhere/City")})})),
            "error: eval_builtin_error: time.date: unknown time zone Nowhere/City");
  EXPECT_EQ(Text(Call("time.date", {A({I(0), S("../../etc/passwd")})})),
            "error: eval_builtin_error: time.date: time: invalid location name");
  EXPECT_EQ(Text(Call("time.date", {A({I(0), S("/etc/localtime")})})),
            "error: eval_builtin_error: time.date: time: invalid location name");
  EXPECT_EQ(Text(Call("time.date", {A({I(0), S("America")})})),
            "error: eval_builtin_error: time.date: is a directory");
  EXPECT_EQ(Text(Call("time.date", {A({I(0), S("UTC/x")})})),
            "error: eval_builtin_error: time.date: not a directory");
  EXPECT_EQ(Text(Call("time.date", {A({I(0), S(std::string("UTC\0x", 5))})})),
            "error: eval_builtin_error: time.date: invalid argument");
  // A file in the zone directory that is not TZif.
  EXPECT_EQ(Text(Call("time.date", {A({I(0), S("zone.tab")})})),
            "error: eval_builtin_error: time.date: malformed time zone information");
  // The zone is checked before the timestamp.
  EXPECT_EQ(Text(Call("time.date", {A({Value::Float(1.5), S("Nowhere/City")})})),
            "error: eval_builtin_error: time.date: unknown time zone Nowhere/City");
}

TEST_F(TimeTest, ZonesAreCachedPerEvaluation) {
  EXPECT_EQ(Text(Call("time.clock", {A({I(0), S("Asia/Kolkata")})})), "[5,30,0]");
  EXPECT_EQ(ctx_.cache.count("time.location:Asia/Kolkata"), 1u);
  EXPECT_EQ(Text(Call("time.clock", {A({I(0), S("Asia/Kolkata")})})), "[5,30,0]");
}

TEST_F(TimeTest, Format) {
  const Value kNs = I(1670006453141828752);
  EXPECT_EQ(Text(Call("time.format", {kNs})), "\"2022-12-02T18:40:53.141828752Z\"");
  EXPECT_EQ(Text(Call("time.format", {A({kNs, S("Asia/Kolkata")})})),
            "\"2022-12-03T00:10:53.141828752+05:30\"");
  EXPECT_EQ(Text(Call("time.format", {A({kNs, S("Asia/Kolkata"), S("Mon Jan 02 15:04:05 -0700 2006")})})),
            "\"Sat Dec 03 00:10:53 +0530 2022\"");
  EXPECT_EQ(Text(Call("time.format", {A({kNs, S("Asia/Kolkata"), S("RFC1123Z")})})),
            "\"Sat, 03 Dec 2022 00:10:53 +0530\"");
  EXPECT_EQ(Text(Call("time.format", {A({kNs, S("UTC"), S("")})})), "\"2022-12-02T18:40:53.141828752Z\"");
  EXPECT_EQ(Text(Call("time.format", {A({kNs, S("UTC"), S("RFC3339")})})), "\"2022-12-02T18:40:53Z\"");
  EXPECT_EQ(Text(Call("time.format", {A({kNs, S("UTC"), S("UnixDate")})})),
            "\"Fri Dec  2 18:40:53 UTC 2022\"");
  EXPECT_EQ(Text(Call("time.format", {A({kNs, S("America/New_York"), S("RFC850")})})),
            "\"Friday, 02-Dec-22 13:40:53 EST\"");
  EXPECT_EQ(
      Text(Call("time.format", {A({kNs, S("UTC"), S("3:04:05.000 pm, __2 002 Z07 -07:00:00 .99 ,9")})})),
      "\"6:40:53.141 pm, 336 336 Z +00:00:00 .14 ,1\"");
  EXPECT_EQ(Text(Call("time.format", {A({kNs, S("UTC"), S("Jan January Mon Monday 06 _2 1 01 Month")})})),
            "\"Dec December Fri Friday 22  2 12 12 Month\"");
  // Text that is not a layout element is copied.
  EXPECT_EQ(Text(Call("time.format", {A({kNs, S("UTC"), S("no elements here")})})), "\"no elements here\"");
  // A zone offset with seconds (New York's local mean time before 1883).
  EXPECT_EQ(Text(Call("time.format", {A({Ns(-2745446400), S("America/New_York"), S("RFC3339")})})),
            "\"1882-12-31T19:03:58-04:56\"");
  EXPECT_EQ(Text(Call("time.format", {A({Ns(-2745446400), S("America/New_York"), S("Z07:00:00 MST")})})),
            "\"-04:56:02 LMT\"");
  EXPECT_EQ(Text(Call("time.format", {A({I(INT64_MIN), S("UTC"), S("RFC3339Nano")})})),
            "\"1677-09-21T00:12:43.145224192Z\"");
}

TEST_F(TimeTest, FormatFollowsTheZoneRuleAfterTheLastTransition) {
  const char* kLayout = "2006-01-02T15:04:05Z07:00 MST";
  // Past the transitions in the file, the POSIX TZ rule at its end decides.
  EXPECT_EQ(Text(Call("time.format", {A({Ns(4118126400), S("America/New_York"), S(kLayout)})})),
            "\"2100-07-01T08:00:00-04:00 EDT\"");
  EXPECT_EQ(Text(Call("time.format", {A({Ns(4102488000), S("America/New_York"), S(kLayout)})})),
            "\"2100-01-01T07:00:00-05:00 EST\"");
  // Southern hemisphere: summer time wraps the turn of the year.
  EXPECT_EQ(Text(Call("time.format", {A({Ns(5681491200), S("Australia/Sydney"), S(kLayout)})})),
            "\"2150-01-15T11:00:00+11:00 AEDT\"");
  EXPECT_EQ(Text(Call("time.format", {A({Ns(5697129600), S("Australia/Sydney"), S(kLayout)})})),
            "\"2150-07-15T10:00:00+10:00 AEST\"");
  // A zone without transitions.
  EXPECT_EQ(Text(Call("time.format", {A({I(0), S("Etc/GMT+5"), S(kLayout)})})),
            "\"1969-12-31T19:00:00-05:00 -05\"");
}

TEST_F(TimeTest, AddDate) {
  EXPECT_EQ(Text(Call("time.add_date", {I(1585852421593912000), I(3), I(9), I(12)})), "1705257221593912000");
  EXPECT_EQ(Text(Call("time.add_date", {I(1585852421593912000), I(-1), I(-1), I(-1)})),
            "1551465221593912000");
  // Go's normalisation: January 31st plus a month is March 3rd (2021).
  EXPECT_EQ(Text(Call("time.add_date", {Ns(1612051200), I(0), I(1), I(0)})), "1614729600000000000");
  // February 29th plus a year is March 1st.
  EXPECT_EQ(Text(Call("time.add_date", {Ns(1582934400), I(1), I(0), I(0)})), "1614556800000000000");
  // In a zone: the wall clock moves by whole days across a DST change...
  EXPECT_EQ(Text(Call("time.add_date", {A({Ns(1615654800), S("America/New_York")}), I(0), I(0), I(1)})),
            "1615737600000000000");
  // ...and a wall time in the spring-forward gap resolves as Go resolves it.
  EXPECT_EQ(Text(Call("time.add_date", {A({Ns(1615620600), S("America/New_York")}), I(0), I(0), I(1)})),
            "1615703400000000000");
  EXPECT_EQ(Text(Call("time.add_date", {I(0), I(2262), I(1), I(1)})),
            "error: eval_builtin_error: time.add_date: time outside of valid range");
  EXPECT_EQ(Text(Call("time.add_date", {I(INT64_MIN), I(0), I(0), I(-1)})),
            "error: eval_builtin_error: time.add_date: time outside of valid range");
  EXPECT_EQ(Text(Call("time.add_date", {I(0), I(INT64_MAX), I(INT64_MAX), I(INT64_MIN)})),
            "error: eval_builtin_error: time.add_date: time outside of valid range");
  EXPECT_EQ(Text(Call("time.add_date", {I(0), I(0), I(0), I(0)})), "0");
}

TEST_F(TimeTest, Diff) {
  // 2020-01-31T00:00:00Z and 2020-03-01T12:30:15Z, either way round.
  EXPECT_EQ(Text(Call("time.diff", {Ns(1580428800), Ns(1583065815)})), "[0,1,1,12,30,15]");
  EXPECT_EQ(Text(Call("time.diff", {Ns(1583065815), Ns(1580428800)})), "[0,1,1,12,30,15]");
  EXPECT_EQ(Text(Call("time.diff", {I(0), I(0)})), "[0,0,0,0,0,0]");
  EXPECT_EQ(Text(Call("time.diff", {I(INT64_MIN), I(INT64_MAX)})), "[584,6,20,23,34,33]");
  // The second time is read in the first one's zone.
  EXPECT_EQ(Text(Call("time.diff", {A({Ns(0), S("Asia/Kolkata")}), A({Ns(86400), S("America/New_York")})})),
            "[0,0,1,0,0,0]");
}

}  // namespace
}  // namespace custody::rego
