#include "stats/events.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <unordered_map>

#include "core/file.h"
#include "core/json.h"
#include "core/time.h"
#include "stats/isolation_forest.h"

namespace custody::stats {

namespace {

constexpr int64_t kSecond = 1'000'000'000;

// ---------------------------------------------------------------------------
// Reading: a SAX handler picks the fields of both shapes out of one line
// without building a document.

enum Field : uint8_t {
  kEventId,
  kEventTime,
  kEventName,
  kEventSource,
  kSourceIp,
  kUserAgent,
  kErrorCode,
  kUserIdentity,
  kArn,
  kPrincipalId,
  kIdentityType,
  kInvokedBy,
  kMfaUsed,
  kConsoleLogin,
  kId,
  kCaller,
  kAction,
  kFlatIp,
  kFlatAgent,
  kTime,
  kFlatError,
  kMfa,
  kFieldCount
};

const char* const kFieldNames[kFieldCount] = {
    "eventID",  "eventTime",  "eventName", "eventSource", "sourceIPAddress", "userAgent",
    "errorCode", "userIdentity", "userIdentity.arn", "userIdentity.principalId", "userIdentity.type",
    "userIdentity.invokedBy", "additionalEventData.MFAUsed", "responseElements.ConsoleLogin", "id", "caller",
    "action", "source_ip", "user_agent", "time", "error_code", "mfa"};

enum class Kind : uint8_t { kAbsent, kNull, kString, kNumber, kBool, kObject, kArray };

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kAbsent: return "nothing";
    case Kind::kNull: return "null";
    case Kind::kString: return "a string";
    case Kind::kNumber: return "a number";
    case Kind::kBool: return "a boolean";
    case Kind::kObject: return "an object";
    case Kind::kArray: return "an array";
  }
  return "?";
}

struct RawRecord {
  std::array<Kind, kFieldCount> kind{};
  std::array<std::string, kFieldCount> text;
  std::array<double, kFieldCount> number{};
  bool boolean = false;  // the value of `mfa`

  void Clear() { kind.fill(Kind::kAbsent); }
  bool Has(Field f) const { return kind[f] != Kind::kAbsent && kind[f] != Kind::kNull; }
};

// Where the handler is: the record object itself, the Records array of a
// log-file object, a nested object whose fields we read, or anything else.
enum class Frame : uint8_t { kRecord, kRecords, kIdentity, kAdditional, kResponse, kSkip };

constexpr int kPendingNone = -1;
constexpr int kPendingIdentity = 100;
constexpr int kPendingAdditional = 101;
constexpr int kPendingResponse = 102;
constexpr int kPendingRecords = 103;

int RecordKey(std::string_view k, bool top) {
  static const std::pair<std::string_view, int> kKeys[] = {
      {"eventTime", kEventTime},   {"eventName", kEventName},
      {"eventSource", kEventSource}, {"eventID", kEventId},
      {"sourceIPAddress", kSourceIp}, {"userAgent", kUserAgent},
      {"errorCode", kErrorCode},   {"userIdentity", kPendingIdentity},
      {"additionalEventData", kPendingAdditional}, {"responseElements", kPendingResponse},
      {"id", kId},                 {"caller", kCaller},
      {"action", kAction},         {"source_ip", kFlatIp},
      {"user_agent", kFlatAgent},  {"time", kTime},
      {"error_code", kFlatError},  {"mfa", kMfa},
  };
  for (const auto& [name, id] : kKeys) {
    if (k == name) return id;
  }
  if (top && k == "Records") return kPendingRecords;
  return kPendingNone;
}

int GroupKey(Frame frame, std::string_view k) {
  switch (frame) {
    case Frame::kIdentity:
      if (k == "arn") return kArn;
      if (k == "principalId") return kPrincipalId;
      if (k == "type") return kIdentityType;
      if (k == "invokedBy") return kInvokedBy;
      return kPendingNone;
    case Frame::kAdditional: return k == "MFAUsed" ? kMfaUsed : kPendingNone;
    case Frame::kResponse: return k == "ConsoleLogin" ? kConsoleLogin : kPendingNone;
    default: return kPendingNone;
  }
}

class LineHandler {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  void Reset() {
    stack_.clear();
    pending_ = kPendingNone;
    top_.Clear();
    records_used_ = 0;
    saw_records_ = false;
    error_.clear();
    error_byte_ = 0;
    cur_ = &top_;
  }

  bool null() { return Scalar(Kind::kNull, {}, 0); }
  bool boolean(bool v) {
    if (pending_ == kMfa) cur_->boolean = v;
    return Scalar(Kind::kBool, v ? "true" : "false", 0);
  }
  bool number_integer(number_integer_t v) {
    char buf[24];
    int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    return Scalar(Kind::kNumber, {buf, static_cast<size_t>(n)}, static_cast<double>(v));
  }
  bool number_unsigned(number_unsigned_t v) {
    char buf[24];
    int n = std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(v));
    return Scalar(Kind::kNumber, {buf, static_cast<size_t>(n)}, static_cast<double>(v));
  }
  bool number_float(number_float_t v, const string_t& text) { return Scalar(Kind::kNumber, text, v); }
  bool string(string_t& v) { return Scalar(Kind::kString, v, 0); }
  bool binary(binary_t&) { return Scalar(Kind::kString, {}, 0); }

  bool start_object(std::size_t) {
    int pending = pending_;
    pending_ = kPendingNone;
    if (stack_.empty()) {
      stack_.push_back(Frame::kRecord);
      return true;
    }
    Frame f = stack_.back();
    if (f == Frame::kRecords) {
      if (records_used_ == records_.size()) records_.emplace_back();
      cur_ = &records_[records_used_++];
      cur_->Clear();
      stack_.push_back(Frame::kRecord);
      return true;
    }
    if (f == Frame::kRecord && pending >= kPendingIdentity && pending <= kPendingResponse) {
      if (pending == kPendingIdentity) cur_->kind[kUserIdentity] = Kind::kObject;
      stack_.push_back(pending == kPendingIdentity     ? Frame::kIdentity
                       : pending == kPendingAdditional ? Frame::kAdditional
                                                       : Frame::kResponse);
      return true;
    }
    if (pending == kPendingRecords) return Fail("Records: expected an array of CloudTrail records, got an object");
    if (pending >= 0 && pending < kFieldCount) cur_->kind[static_cast<size_t>(pending)] = Kind::kObject;
    stack_.push_back(Frame::kSkip);
    return true;
  }

  bool end_object() {
    if (stack_.back() == Frame::kRecord && stack_.size() == 3) cur_ = &top_;
    stack_.pop_back();
    return true;
  }

  bool start_array(std::size_t) {
    int pending = pending_;
    pending_ = kPendingNone;
    if (stack_.empty()) {
      return Fail("expected a JSON object (an event, or {\"Records\": [...]}), got an array");
    }
    Frame f = stack_.back();
    if (f == Frame::kRecords) return Fail(RecordsAt() + ": expected a CloudTrail record object, got an array");
    if (pending == kPendingRecords) {
      saw_records_ = true;
      stack_.push_back(Frame::kRecords);
      return true;
    }
    if (pending == kPendingIdentity) cur_->kind[kUserIdentity] = Kind::kArray;
    if (pending >= 0 && pending < kFieldCount) cur_->kind[static_cast<size_t>(pending)] = Kind::kArray;
    stack_.push_back(Frame::kSkip);
    return true;
  }

  bool end_array() {
    stack_.pop_back();
    return true;
  }

  bool key(string_t& k) {
    Frame f = stack_.back();
    if (f == Frame::kRecord) {
      pending_ = RecordKey(k, stack_.size() == 1);
    } else if (f == Frame::kSkip) {
      pending_ = kPendingNone;
    } else {
      pending_ = GroupKey(f, k);
    }
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    std::string what = e.what();
    size_t bracket = what.find("] ");
    size_t colon = what.find(": ", bracket == std::string::npos ? 0 : bracket);
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    error_byte_ = position;
    error_ = "invalid JSON at column " + std::to_string(position == 0 ? 1 : position) + ": " + reason;
    return false;
  }

  const std::string& error() const { return error_; }
  bool saw_records() const { return saw_records_; }
  size_t records() const { return records_used_; }
  const RawRecord& record(size_t i) const { return records_[i]; }
  const RawRecord& top() const { return top_; }

 private:
  bool Scalar(Kind kind, std::string_view text, double number) {
    int pending = pending_;
    pending_ = kPendingNone;
    if (stack_.empty()) {
      return Fail(std::string("expected a JSON object (an event, or {\"Records\": [...]}), got ") + KindName(kind));
    }
    if (stack_.back() == Frame::kRecords) {
      return Fail(RecordsAt() + ": expected a CloudTrail record object, got " + KindName(kind));
    }
    if (pending == kPendingRecords && kind != Kind::kNull) {
      return Fail(std::string("Records: expected an array of CloudTrail records, got ") + KindName(kind));
    }
    if (pending == kPendingIdentity) cur_->kind[kUserIdentity] = kind;
    if (pending >= 0 && pending < kFieldCount) {
      auto f = static_cast<size_t>(pending);
      cur_->kind[f] = kind;
      cur_->text[f].assign(text);
      cur_->number[f] = number;
    }
    return true;
  }

  std::string RecordsAt() const { return "Records[" + std::to_string(records_used_) + "]"; }

  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  std::vector<Frame> stack_;
  int pending_ = kPendingNone;
  RawRecord top_;
  std::vector<RawRecord> records_;
  size_t records_used_ = 0;
  bool saw_records_ = false;
  RawRecord* cur_ = &top_;
  std::string error_;
  size_t error_byte_ = 0;
};

// String tables of one chunk of lines (merged into the log's afterwards).
class Interner {
 public:
  uint32_t Add(const std::string& s) {
    auto [it, inserted] = ids_.try_emplace(s, static_cast<uint32_t>(names_.size()));
    if (inserted) names_.push_back(s);
    return it->second;
  }
  std::vector<std::string>& names() { return names_; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> names_;
};

struct ChunkLog {
  std::vector<Event> events;
  Interner callers, actions, addresses, agents;
  std::optional<Error> error;
};

// The service of an eventSource: "iam.amazonaws.com" -> "iam".
std::string_view ServiceOf(std::string_view source) {
  size_t dot = source.find('.');
  return dot == std::string_view::npos ? source : source.substr(0, dot);
}

const std::string& EmptyString() {
  static const std::string empty;
  return empty;
}

// One record of a line as an Event; the error text is "FIELD: problem".
std::optional<std::string> ToEvent(const RawRecord& r, const std::string& where, size_t line, ChunkLog& out) {
  auto type_error = [&](Field f, const char* want) -> std::string {
    return where + kFieldNames[f] + ": expected " + want + ", got " + KindName(r.kind[f]);
  };
  auto optional_string = [&](Field f, const std::string** value) -> std::optional<std::string> {
    *value = &EmptyString();
    if (!r.Has(f)) return std::nullopt;
    if (r.kind[f] != Kind::kString) return type_error(f, "a string");
    *value = &r.text[f];
    return std::nullopt;
  };
  auto required_string = [&](Field f, const char* what, const std::string** value) -> std::optional<std::string> {
    if (!r.Has(f)) return where + kFieldNames[f] + ": missing; every event needs " + what;
    if (r.kind[f] != Kind::kString) return type_error(f, "a string");
    if (r.text[f].empty()) return where + kFieldNames[f] + ": empty; every event needs " + what;
    *value = &r.text[f];
    return std::nullopt;
  };

  bool cloudtrail = r.Has(kEventTime) || r.Has(kEventName) || r.Has(kUserIdentity) || r.Has(kEventId);
  bool flat = r.Has(kTime) || r.Has(kCaller) || r.Has(kAction);
  if (!cloudtrail && !flat) {
    return where + "neither a CloudTrail record (eventTime, eventName, userIdentity) nor a flat event (time, "
                   "caller, action)";
  }
  Event e;
  e.line = line;
  const std::string *caller = nullptr, *ip = nullptr, *agent = nullptr, *error = nullptr;
  std::string action;
  if (cloudtrail) {
    const std::string* time = nullptr;
    if (auto err = required_string(kEventTime, "the time it happened", &time)) return err;
    auto ns = ParseRfc3339(*time);
    if (!ns) return where + "eventTime: not an RFC 3339 time ('" + time->substr(0, 64) + "')";
    e.time_ns = *ns;
    const std::string* name = nullptr;
    if (auto err = required_string(kEventName, "the call it records", &name)) return err;
    const std::string* source = nullptr;
    if (auto err = optional_string(kEventSource, &source)) return err;
    action = source->empty() ? *name : std::string(ServiceOf(*source)) + ":" + *name;
    if (!r.Has(kUserIdentity)) return where + "userIdentity: missing; every event needs the caller";
    if (r.kind[kUserIdentity] != Kind::kObject) return type_error(kUserIdentity, "an object");
    for (Field f : {kArn, kPrincipalId, kInvokedBy, kIdentityType}) {
      const std::string* v = nullptr;
      if (auto err = optional_string(f, &v)) return err;
      if (!v->empty()) {
        caller = v;
        break;
      }
    }
    if (caller == nullptr) {
      return where + "userIdentity: has no arn, principalId, invokedBy or type; every event needs the caller";
    }
    if (auto err = optional_string(kSourceIp, &ip)) return err;
    if (auto err = optional_string(kUserAgent, &agent)) return err;
    if (auto err = optional_string(kErrorCode, &error)) return err;
    const std::string *mfa = nullptr, *login = nullptr;
    if (auto err = optional_string(kMfaUsed, &mfa)) return err;
    if (auto err = optional_string(kConsoleLogin, &login)) return err;
    bool console_login = *name == "ConsoleLogin";
    e.failed = !error->empty() || (console_login && *login == "Failure");
    e.login_without_mfa = console_login && !e.failed && *mfa == "No";
    if (r.Has(kEventId)) {
      if (r.kind[kEventId] != Kind::kString) return type_error(kEventId, "a string");
      e.id = r.text[kEventId];
    }
  } else {
    if (!r.Has(kTime)) return where + "time: missing; every event needs the time it happened";
    if (r.kind[kTime] == Kind::kString) {
      auto ns = ParseRfc3339(r.text[kTime]);
      if (!ns) return where + "time: not an RFC 3339 time ('" + r.text[kTime].substr(0, 64) + "')";
      e.time_ns = *ns;
    } else if (r.kind[kTime] == Kind::kNumber) {
      double s = r.number[kTime];
      if (!(std::abs(s) < 9.2e9)) return where + "time: " + r.text[kTime] + " seconds is outside the years 1678-2261";
      e.time_ns = static_cast<int64_t>(std::llround(s * 1e9));
    } else {
      return type_error(kTime, "an RFC 3339 string or seconds since the epoch");
    }
    if (auto err = required_string(kCaller, "the caller", &caller)) return err;
    const std::string* act = nullptr;
    if (auto err = required_string(kAction, "the call it records", &act)) return err;
    action = *act;
    if (auto err = optional_string(kFlatIp, &ip)) return err;
    if (auto err = optional_string(kFlatAgent, &agent)) return err;
    if (auto err = optional_string(kFlatError, &error)) return err;
    e.failed = !error->empty();
    if (r.Has(kMfa) && r.kind[kMfa] != Kind::kBool) return type_error(kMfa, "true or false");
    std::string_view name = action;
    if (size_t colon = name.rfind(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
    e.login_without_mfa = name == "ConsoleLogin" && r.Has(kMfa) && !r.boolean && !e.failed;
    if (r.Has(kId)) {
      if (r.kind[kId] != Kind::kString && r.kind[kId] != Kind::kNumber) return type_error(kId, "a string or number");
      e.id = r.text[kId];
    }
  }
  e.caller = out.callers.Add(*caller);
  e.action = out.actions.Add(action);
  e.source_ip = out.addresses.Add(*ip);
  e.user_agent = out.agents.Add(*agent);
  e.error_code = *error;
  if (e.id.empty()) e.id = "line" + std::to_string(line) + (where.empty() ? "" : "." + where.substr(8, where.find(']') - 8));
  out.events.push_back(std::move(e));
  return std::nullopt;
}

std::string LineTooLong(const std::string& source, size_t line) {
  return source + ":" + std::to_string(line) + ": line longer than " + std::to_string(kMaxEventLineBytes >> 20) +
         " MiB; write one event per line (jq -c '.Records[]' splits a CloudTrail log file)";
}

// Parses the lines of `text` (the first is line `first_line`); stops at the first error.
void ParseChunk(std::string_view text, size_t first_line, const std::string& source, ChunkLog& out) {
  LineHandler handler;
  size_t line = first_line;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view l = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    size_t this_line = line++;
    if (l.size() > kMaxEventLineBytes) {
      out.error = Error::Input(LineTooLong(source, this_line));
      return;
    }
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
    handler.Reset();
    bool ok = Json::sax_parse(l.begin(), l.end(), &handler);
    auto prefix = [&] { return source + ":" + std::to_string(this_line) + ": "; };
    if (!ok) {
      out.error = Error::Input(prefix() + handler.error());
      return;
    }
    if (handler.saw_records()) {
      for (size_t i = 0; i < handler.records(); ++i) {
        std::string where = "Records[" + std::to_string(i) + "].";
        if (auto err = ToEvent(handler.record(i), where, this_line, out)) {
          out.error = Error::Input(prefix() + *err);
          return;
        }
      }
    } else if (auto err = ToEvent(handler.top(), "", this_line, out)) {
      out.error = Error::Input(prefix() + *err);
      return;
    }
  }
}

// Appends a chunk to the log, mapping its string ids to the log's.
class LogBuilder {
 public:
  explicit LogBuilder(std::string source) { log_.source = std::move(source); }

  Status Add(ChunkLog& chunk) {
    if (chunk.error) return *chunk.error;
    auto remap = [](Interner& local, std::unordered_map<std::string, uint32_t>& ids, std::vector<std::string>& names) {
      std::vector<uint32_t> map(local.names().size());
      for (size_t i = 0; i < map.size(); ++i) {
        auto [it, inserted] = ids.try_emplace(local.names()[i], static_cast<uint32_t>(names.size()));
        if (inserted) names.push_back(local.names()[i]);
        map[i] = it->second;
      }
      return map;
    };
    auto callers = remap(chunk.callers, callers_, log_.callers);
    auto actions = remap(chunk.actions, actions_, log_.actions);
    auto addresses = remap(chunk.addresses, addresses_, log_.addresses);
    auto agents = remap(chunk.agents, agents_, log_.agents);
    for (Event& e : chunk.events) {
      e.caller = callers[e.caller];
      e.action = actions[e.action];
      e.source_ip = addresses[e.source_ip];
      e.user_agent = agents[e.user_agent];
      log_.events.push_back(std::move(e));
    }
    return OkStatus();
  }

  EventLog Finish() { return std::move(log_); }

 private:
  EventLog log_;
  std::unordered_map<std::string, uint32_t> callers_, actions_, addresses_, agents_;
};

constexpr size_t kChunkBytes = size_t{1} << 20;

struct ChunkText {
  std::string_view text;
  size_t first_line = 1;
};

Status ParseChunks(const std::vector<ChunkText>& chunks, const std::string& source, ThreadPool* pool,
                   LogBuilder& builder) {
  std::vector<ChunkLog> logs(chunks.size());
  auto parse = [&](size_t i, size_t) { ParseChunk(chunks[i].text, chunks[i].first_line, source, logs[i]); };
  if (pool != nullptr && pool->size() > 1 && chunks.size() > 1) {
    pool->ParallelFor(chunks.size(), parse);
  } else {
    for (size_t i = 0; i < chunks.size(); ++i) parse(i, 0);
  }
  for (auto& log : logs) CUSTODY_RETURN_IF_ERROR(builder.Add(log));
  return OkStatus();
}

// ---------------------------------------------------------------------------
// Features.

// (caller, value) pairs and when each was first seen: open addressing over
// 64-bit keys.
class PairFirstSeen {
 public:
  static constexpr int64_t kProfile = std::numeric_limits<int64_t>::min();  // learnt in warm-up

  // The time the pair was first seen; records `t` when it is new.
  int64_t Visit(uint32_t a, uint32_t b, int64_t t, bool* inserted = nullptr) {
    uint64_t key = (uint64_t{a} << 32) | b;
    if ((size_ + 1) * 2 > keys_.size()) Grow();
    size_t mask = keys_.size() - 1;
    for (size_t i = Hash(key) & mask;; i = (i + 1) & mask) {
      if (keys_[i] == kEmpty) {
        keys_[i] = key;
        times_[i] = t;
        ++size_;
        if (inserted != nullptr) *inserted = true;
        return t;
      }
      if (keys_[i] == key) return times_[i];
    }
  }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  static size_t Hash(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<size_t>(z ^ (z >> 31));
  }
  void Grow() {
    std::vector<uint64_t> old_keys = std::move(keys_);
    std::vector<int64_t> old_times = std::move(times_);
    size_t n = old_keys.empty() ? 1024 : old_keys.size() * 2;
    keys_.assign(n, kEmpty);
    times_.assign(n, 0);
    for (size_t j = 0; j < old_keys.size(); ++j) {
      if (old_keys[j] == kEmpty) continue;
      size_t i = Hash(old_keys[j]) & (n - 1);
      while (keys_[i] != kEmpty) i = (i + 1) & (n - 1);
      keys_[i] = old_keys[j];
      times_[i] = old_times[j];
    }
  }
  std::vector<uint64_t> keys_;
  std::vector<int64_t> times_;
  size_t size_ = 0;
};

// Times inside the trailing window, oldest first.
class TimeWindow {
 public:
  // Drops times <= `after`.
  void Expire(int64_t after) {
    while (head_ < times_.size() && times_[head_] <= after) ++head_;
    if (head_ > 64 && head_ * 2 > times_.size()) {
      times_.erase(times_.begin(), times_.begin() + static_cast<ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  void Push(int64_t t) { times_.push_back(t); }
  size_t size() const { return times_.size() - head_; }

 private:
  std::vector<int64_t> times_;
  size_t head_ = 0;
};

struct CallerState {
  int64_t first_ns = 0;
  uint32_t count = 0;
  TimeWindow events, failures;
  std::array<uint32_t, 24> hours{};
};

// A caller first seen this long after the log starts is a new caller; before
// that every caller is new because the log is.
constexpr int64_t kNewCallerHistory = int64_t{24} * 3600 * kSecond;

int HourOfDay(int64_t ns) {
  int64_t s = ns / kSecond - (ns % kSecond < 0 ? 1 : 0);
  int64_t day = ((s % 86400) + 86400) % 86400;
  return static_cast<int>(day / 3600);
}

std::string_view ActionName(std::string_view action) {
  size_t colon = action.rfind(':');
  return colon == std::string_view::npos ? action : action.substr(colon + 1);
}

// ---------------------------------------------------------------------------
// Scoring.

struct SensitiveAction {
  std::string_view name;
  double weight;
};

// Turning off or erasing the audit trail and detectors weighs most; changes
// to who may do what, and new credentials, less.
constexpr SensitiveAction kSensitiveActions[] = {
    {"StopLogging", 0.6},
    {"DeleteTrail", 0.6},
    {"UpdateTrail", 0.5},
    {"PutEventSelectors", 0.5},
    {"DeleteFlowLogs", 0.5},
    {"DeleteDetector", 0.6},
    {"DisableSecurityHub", 0.6},
    {"DeleteConfigurationRecorder", 0.5},
    {"StopConfigurationRecorder", 0.5},
    {"PutBucketPolicy", 0.4},
    {"DeleteBucketPolicy", 0.4},
    {"PutBucketAcl", 0.4},
    {"PutBucketPublicAccessBlock", 0.4},
    {"DeletePublicAccessBlock", 0.4},
    {"CreateAccessKey", 0.4},
    {"CreateLoginProfile", 0.4},
    {"UpdateLoginProfile", 0.4},
    {"CreateUser", 0.4},
    {"AttachUserPolicy", 0.4},
    {"AttachRolePolicy", 0.4},
    {"AttachGroupPolicy", 0.4},
    {"PutUserPolicy", 0.4},
    {"PutRolePolicy", 0.4},
    {"PutGroupPolicy", 0.4},
    {"CreatePolicyVersion", 0.4},
    {"SetDefaultPolicyVersion", 0.4},
    {"AddUserToGroup", 0.4},
    {"UpdateAssumeRolePolicy", 0.4},
    {"DeactivateMFADevice", 0.4},
    {"DeleteVirtualMFADevice", 0.4},
    {"ScheduleKeyDeletion", 0.4},
    {"DisableKey", 0.4},
    {"AuthorizeSecurityGroupIngress", 0.3},
    {"ModifySnapshotAttribute", 0.3},
    {"ModifyImageAttribute", 0.3},
    {"GetSecretValue", 0.2},
};

double SensitiveWeight(std::string_view action) {
  std::string_view name = ActionName(action);
  for (const auto& s : kSensitiveActions) {
    if (s.name == name) return s.weight;
  }
  return 0;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

constexpr double kNewIpWeight = 0.35;
constexpr double kNewAgentWeight = 0.15;
constexpr double kNewActionWeight = 0.25;
constexpr double kNewCallerWeight = 0.2;
constexpr double kUnusualHourWeight = 0.3;
constexpr double kUnusualHourShare = 0.02;
constexpr double kFailureWeight = 0.1;
constexpr double kNoMfaWeight = 0.4;
constexpr double kMaliciousWeight = 0.9;
constexpr uint32_t kRateMinEvents = 10;
constexpr double kRateMinRatio = 5;
constexpr uint32_t kFailuresMin = 3;
// Below this many events the forest has too little to isolate against: its
// score is reported but gives no reason.
constexpr size_t kForestMinEvents = 100;

// The reasons of one event before feedback.
std::vector<EventReason> Evidence(const EventLog& log, const Event& e, const EventFeatures& f, double isolation,
                                  const EventFeatureOptions& options) {
  std::vector<EventReason> out;
  auto add = [&](const char* kind, std::string text, double weight) {
    out.push_back({kind, std::move(text), weight, weight, 0});
  };
  const std::string& action = log.actions[e.action];
  std::string window = FormatEventWindow(options.window_ns);
  if (f.new_ip) {
    std::string since;
    if (f.new_ip_since_ns > 0) {
      int64_t m = f.new_ip_since_ns / (60 * kSecond);
      since = " (first used " + (m > 0 ? std::to_string(m) + " min" : std::to_string(f.new_ip_since_ns / kSecond) + " s") +
              " earlier)";
    }
    add("new_ip", "new source IP " + log.addresses[e.source_ip] + " for this caller" + since, kNewIpWeight);
  }
  if (f.new_agent) {
    std::string agent = log.agents[e.user_agent].substr(0, 80);
    add("new_agent", "new user agent " + agent + " for this caller",
        kNewAgentWeight);
  }
  if (f.new_action) add("new_action", "first " + action + " by this caller", kNewActionWeight);
  if (!f.warmup && f.hour_share < kUnusualHourShare) {
    int64_t s = e.time_ns / kSecond;
    int64_t minute = ((s % 86400 + 86400) % 86400) / 60;
    char hhmm[8];
    std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", static_cast<int>(minute / 60), static_cast<int>(minute % 60));
    auto near = static_cast<uint64_t>(std::llround(f.hour_share * f.earlier_events));
    add("unusual_hour",
        std::string("at ") + hhmm + " UTC; " + std::to_string(near) + " of the caller's " +
            std::to_string(f.earlier_events) + " earlier events were within an hour of that time of day",
        kUnusualHourWeight);
  }
  if (!f.warmup && f.window_events >= kRateMinEvents && f.rate_ratio >= kRateMinRatio) {
    add("rate",
        std::to_string(f.window_events) + " events in " + window + ", " + Fixed(f.rate_ratio, 1) +
            "x the caller's typical " + Fixed(f.typical_events, 1),
        std::min(0.5, 0.1 * std::log2(f.rate_ratio)));
  }
  if (e.failed) add("failure", "failed: " + (e.error_code.empty() ? std::string("login failure") : e.error_code),
                    kFailureWeight);
  if (f.new_caller) add("new_caller", "first event of this caller", kNewCallerWeight);
  if (e.failed && f.window_failures >= kFailuresMin) {
    add("failures", std::to_string(f.window_failures) + " failures in " + window,
        std::min(0.6, 0.1 + 0.05 * f.window_failures));
  }
  if (double w = SensitiveWeight(action); w > 0) {
    bool repeat = !f.warmup && !f.new_action;
    add("sensitive_action",
        "sensitive action " + action + (repeat ? " (the caller has made it before)" : ""), repeat ? w / 2 : w);
  }
  if (e.login_without_mfa) add("login_without_mfa", "console login without MFA", kNoMfaWeight);
  double w = std::clamp((isolation - 0.5) / 0.25, 0.0, 1.0) * 0.5;
  if (log.events.size() >= kForestMinEvents && w > 0.005) {
    add("unusual_combination", "unusual combination of features (isolation score " + Fixed(isolation, 3) + ")", w);
  }
  return out;
}

bool BenignMatches(const EventLog& log, const Event& e, const EventReason& r, const EventFeedback& fb) {
  if (!fb.benign || fb.caller != log.callers[e.caller]) return false;
  if (r.kind == "new_ip") return fb.source_ip == log.addresses[e.source_ip];
  if (r.kind == "new_agent") return fb.user_agent == log.agents[e.user_agent];
  if (fb.action != log.actions[e.action]) return false;
  if (fb.source_ip != log.addresses[e.source_ip] && fb.user_agent != log.agents[e.user_agent]) return false;
  return std::find(fb.reasons.begin(), fb.reasons.end(), r.kind) != fb.reasons.end();
}

bool MaliciousMatches(const EventLog& log, const Event& e, const EventFeedback& fb) {
  return !fb.benign && fb.caller == log.callers[e.caller] && fb.action == log.actions[e.action] &&
         (fb.source_ip.empty() || fb.source_ip == log.addresses[e.source_ip]);
}

}  // namespace

// ---------------------------------------------------------------------------

Result<EventLog> ParseEvents(std::string_view text, const std::string& source, ThreadPool* pool) {
  std::vector<ChunkText> chunks;
  size_t line = 1;
  while (!text.empty()) {
    size_t end = text.size() <= kChunkBytes ? std::string_view::npos : text.find('\n', kChunkBytes);
    end = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view chunk = text.substr(0, end);
    chunks.push_back({chunk, line});
    line += static_cast<size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
    text.remove_prefix(end);
  }
  LogBuilder builder(source);
  CUSTODY_RETURN_IF_ERROR(ParseChunks(chunks, source, pool, builder));
  return builder.Finish();
}

Result<EventLog> ReadEvents(const std::string& path, ThreadPool* pool) {
  int fd = 0;
  std::string source = path == "-" ? "<stdin>" : path;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::Input(path + ": cannot open: " + ErrnoMessage());
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return Error::Input(path + ": not a regular file; give a JSON Lines file, or - for standard input");
    }
  }
  struct Closer {
    int fd;
    ~Closer() {
      if (fd != 0) ::close(fd);
    }
  } closer{fd};

  // Lines are parsed a batch of chunks at a time, so memory holds the
  // events and one batch of text, never the whole file.
  size_t batch_chunks = pool != nullptr ? std::max<size_t>(2, pool->size() * 2) : 1;
  LogBuilder builder(source);
  std::vector<std::string> texts;
  std::vector<size_t> first_lines;
  std::string carry;
  size_t next_line = 1;
  std::string block(kChunkBytes, '\0');
  auto flush = [&]() -> Status {
    std::vector<ChunkText> chunks;
    for (size_t i = 0; i < texts.size(); ++i) chunks.push_back({texts[i], first_lines[i]});
    Status s = ParseChunks(chunks, source, pool, builder);
    texts.clear();
    first_lines.clear();
    return s;
  };
  while (true) {
    ssize_t n = ::read(fd, block.data(), block.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::Input(source + ": read failed: " + ErrnoMessage());
    }
    if (n == 0) break;
    carry.append(block.data(), static_cast<size_t>(n));
    if (carry.size() < kChunkBytes) continue;
    size_t last = carry.rfind('\n');
    if (last == std::string::npos) {
      if (carry.size() > kMaxEventLineBytes) return Error::Input(LineTooLong(source, next_line));
      continue;
    }
    std::string rest = carry.substr(last + 1);
    carry.resize(last + 1);
    size_t lines = static_cast<size_t>(std::count(carry.begin(), carry.end(), '\n'));
    texts.push_back(std::move(carry));
    first_lines.push_back(next_line);
    next_line += lines;
    carry = std::move(rest);
    if (texts.size() >= batch_chunks) CUSTODY_RETURN_IF_ERROR(flush());
  }
  if (!carry.empty()) {
    texts.push_back(std::move(carry));
    first_lines.push_back(next_line);
  }
  CUSTODY_RETURN_IF_ERROR(flush());
  return builder.Finish();
}

bool IsSensitiveAction(std::string_view action) { return SensitiveWeight(action) > 0; }

const std::vector<std::string>& EventFeatureNames() {
  static const std::vector<std::string> kNames = {
      "log_window_events", "log2_rate_ratio", "new_action", "new_ip", "new_agent",
      "hour_rarity", "failed", "log_window_failures", "sensitive", "new_caller"};
  return kNames;
}

void EventFeatureVector(const EventFeatures& f, double* out) {
  out[0] = std::log1p(f.window_events);
  out[1] = std::log2(std::max(f.rate_ratio, 1.0 / 1024));
  out[2] = f.new_action ? 1 : 0;
  out[3] = f.new_ip ? 1 : 0;
  out[4] = f.new_agent ? 1 : 0;
  out[5] = 1 - f.hour_share;
  out[6] = f.failed ? 1 : 0;
  out[7] = std::log1p(f.window_failures);
  out[8] = f.sensitive ? 1 : 0;
  out[9] = f.new_caller ? 1 : 0;
}

std::vector<EventFeatures> ComputeEventFeatures(const EventLog& log, const EventFeatureOptions& options) {
  const auto& events = log.events;
  std::vector<uint32_t> order(events.size());
  std::iota(order.begin(), order.end(), 0u);
  bool sorted = std::is_sorted(events.begin(), events.end(),
                               [](const Event& a, const Event& b) { return a.time_ns < b.time_ns; });
  if (!sorted) {
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return events[a].time_ns < events[b].time_ns; });
  }
  std::vector<EventFeatures> out(events.size());
  std::vector<CallerState> callers(log.callers.size());
  PairFirstSeen actions, ips, agents;
  int64_t log_start = 0;
  const double window = static_cast<double>(options.window_ns);
  size_t seen = 0;  // events before this one in time order
  for (uint32_t idx : order) {
    const Event& e = events[idx];
    EventFeatures& f = out[idx];
    CallerState& c = callers[e.caller];
    if (seen == 0) log_start = e.time_ns;
    if (c.count == 0) {
      c.first_ns = e.time_ns;
      f.new_caller = static_cast<double>(e.time_ns) - static_cast<double>(log_start) >= kNewCallerHistory;
    }
    f.earlier_events = c.count;
    f.warmup = c.count < options.warmup;

    // Saturating: times reach back to 1678, near the end of int64 nanoseconds.
    int64_t after = e.time_ns < std::numeric_limits<int64_t>::min() + options.window_ns
                        ? std::numeric_limits<int64_t>::min()
                        : e.time_ns - options.window_ns;
    c.events.Expire(after);
    c.events.Push(e.time_ns);
    f.window_events = static_cast<uint32_t>(c.events.size());
    c.failures.Expire(after);
    if (e.failed) c.failures.Push(e.time_ns);
    f.window_failures = static_cast<uint32_t>(c.failures.size());
    f.failed = e.failed;

    if (!f.warmup) {
      double span = std::max(static_cast<double>(e.time_ns) - static_cast<double>(c.first_ns), window);
      f.typical_events = static_cast<double>(c.count) * window / span;
      f.rate_ratio = f.window_events / std::max(f.typical_events, 1.0);
    }

    // Pairs met in warm-up are the profile; after it an address or agent
    // stays new for one window after its first use, so every call of a
    // session from a new place counts, not only the first.
    int64_t seen_at = f.warmup ? PairFirstSeen::kProfile : e.time_ns;
    bool first_call = false;
    actions.Visit(e.caller, e.action, seen_at, &first_call);
    f.new_action = first_call && !f.warmup;
    if (!log.addresses[e.source_ip].empty()) {
      int64_t first = ips.Visit(e.caller, e.source_ip, seen_at);
      f.new_ip = !f.warmup && first != PairFirstSeen::kProfile && first > after;
      if (f.new_ip) f.new_ip_since_ns = e.time_ns - first;
    }
    if (!log.agents[e.user_agent].empty()) {
      int64_t first = agents.Visit(e.caller, e.user_agent, seen_at);
      f.new_agent = !f.warmup && first != PairFirstSeen::kProfile && first > after;
    }

    int h = HourOfDay(e.time_ns);
    if (!f.warmup) {
      uint32_t near = c.hours[static_cast<size_t>((h + 23) % 24)] + c.hours[static_cast<size_t>(h)] +
                      c.hours[static_cast<size_t>((h + 1) % 24)];
      f.hour_share = static_cast<double>(near) / c.count;
    }
    c.hours[static_cast<size_t>(h)]++;
    f.sensitive = SensitiveWeight(log.actions[e.action]) > 0;
    ++c.count;
    ++seen;
  }
  return out;
}

Result<std::vector<ScoredEvent>> ScoreEvents(const EventLog& log, const std::vector<EventFeatures>& features,
                                             const EventScoreOptions& options,
                                             const std::vector<EventFeedback>& feedback, ThreadPool* pool) {
  if (log.events.empty()) return Error::Input(log.source + ": no events to score");
  if (features.size() != log.events.size()) return Error::Internal("features and events differ in number");
  FeatureMatrix x;
  x.rows = log.events.size();
  x.cols = kEventFeatureCount;
  x.names = EventFeatureNames();
  x.values.resize(x.rows * x.cols);
  for (size_t i = 0; i < x.rows; ++i) EventFeatureVector(features[i], &x.values[i * x.cols]);
  IsolationForestOptions fit;
  fit.trees = options.trees;
  fit.seed = options.seed;
  std::vector<double> isolation;
  CUSTODY_ASSIGN_OR_RETURN(auto forest, IsolationForest::Fit(x, fit, pool, &isolation));
  (void)forest;

  std::vector<ScoredEvent> out(log.events.size());
  auto score = [&](size_t i, size_t) {
    const Event& e = log.events[i];
    ScoredEvent& s = out[i];
    s.isolation = isolation[i];
    s.reasons = Evidence(log, e, features[i], isolation[i], options.features);
    for (const EventFeedback& fb : feedback) {
      if (MaliciousMatches(log, e, fb)) {
        s.reasons.push_back({"marked_malicious", "matches malicious feedback " + std::to_string(fb.id),
                             kMaliciousWeight, kMaliciousWeight, 0});
        break;
      }
    }
    for (EventReason& r : s.reasons) {
      for (const EventFeedback& fb : feedback) {
        if (BenignMatches(log, e, r, fb)) {
          r.weight = r.base_weight * kBenignDiscount;
          r.lowered_by = fb.id;
          break;
        }
      }
    }
    std::stable_sort(s.reasons.begin(), s.reasons.end(),
                     [](const EventReason& a, const EventReason& b) { return a.weight > b.weight; });
    double keep = 1;
    for (const EventReason& r : s.reasons) keep *= 1 - r.weight;
    s.risk = std::clamp(1 - keep, 0.0, 1.0);
  };
  constexpr size_t kBlock = 4096;
  size_t blocks = (out.size() + kBlock - 1) / kBlock;
  auto run = [&](size_t b, size_t slot) {
    for (size_t i = b * kBlock; i < std::min(out.size(), (b + 1) * kBlock); ++i) score(i, slot);
  };
  if (pool != nullptr && pool->size() > 1 && blocks > 1) {
    pool->ParallelFor(blocks, run);
  } else {
    for (size_t b = 0; b < blocks; ++b) run(b, 0);
  }
  return out;
}

Result<int64_t> ParseEventWindow(std::string_view text) {
  auto bad = [&] {
    return Error::Input("--window '" + std::string(text) +
                        "': give a duration such as 1h, 30m, 90s, 2d or 1h30m (1 s to 366 days)");
  };
  if (text.empty()) return bad();
  int64_t total = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t digits = 0;
    int64_t n = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
      if (n > 1'000'000'000) return bad();
      n = n * 10 + (rest[digits] - '0');
      ++digits;
    }
    if (digits == 0 || digits == rest.size()) return bad();
    int64_t unit = 0;
    switch (rest[digits]) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      default: return bad();
    }
    total += n * unit;
    if (total > int64_t{366} * 86400) return bad();
    rest.remove_prefix(digits + 1);
  }
  if (total < 1) return bad();
  return total * kSecond;
}

std::string FormatEventWindow(int64_t ns) {
  int64_t s = ns / kSecond;
  if (s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

}  // namespace custody::stats
