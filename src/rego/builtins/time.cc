// Rego built-ins of OPA's "time" group: time.now_ns, time.parse_ns,
// time.parse_rfc3339_ns, time.parse_duration_ns, time.date, time.clock,
// time.weekday, time.add_date, time.diff and time.format.
//
// OPA implements these with Go's time package, so its layouts ("2006-01-02
// 15:04:05 MST"), its parse errors, its duration syntax, its date
// normalisation (AddDate(0, 1, 0) on January 31st) and its handling of times
// in a DST gap are all part of the observable behaviour. This file carries a
// port of those pieces of Go: the layout engine, ParseDuration (plus the
// d/w/y units OPA added), Date, and the time-zone lookup.
//
// Time zones come from the system's IANA database (/usr/share/zoneinfo): the
// TZif files are read here, not through the C library, because setenv("TZ")
// + localtime is not thread-safe. Each evaluation keeps the zones it loaded
// in BuiltinContext::cache. Times past a zone's last transition follow the
// POSIX TZ rule at the end of the file, as in Go.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

// __extension__: -Wpedantic would otherwise warn about the GCC/Clang 128-bit type.
__extension__ typedef __int128 i128;

constexpr int64_t kSecondsPerMinute = 60;
constexpr int64_t kSecondsPerHour = 3600;
constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kNanosPerSecond = 1000000000;
// Go's alpha and omega: the open ends of a zone period.
constexpr int64_t kAlpha = INT64_MIN;
constexpr int64_t kOmega = INT64_MAX;

// ---- The proleptic Gregorian calendar ----

i128 FloorDiv(i128 a, i128 b) {
  i128 q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

bool IsLeap(i128 year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

// Days before month m (1..13) in a non-leap year.
constexpr int kDaysBefore[13] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

int DaysIn(int month, i128 year) {
  if (month == 2 && IsLeap(year)) return 29;
  return kDaysBefore[month] - kDaysBefore[month - 1];
}

// Days from 1970-01-01 to the given date (month 1..12, day 1..31).
i128 DaysFromCivil(i128 y, int m, int d) {
  y -= m <= 2;
  i128 era = FloorDiv(y, 400);
  i128 yoe = y - era * 400;
  i128 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  i128 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t year = 0;
  int month = 1;    // 1..12
  int day = 1;      // 1..31
  int yday = 1;     // 1..366
  int weekday = 0;  // Sunday = 0
  int hour = 0, minute = 0, second = 0;
};

// The calendar fields of local seconds since 1970-01-01 (Hinnant's
// civil_from_days).
Civil CivilFromSeconds(int64_t local) {
  Civil c;
  i128 days = FloorDiv(local, kSecondsPerDay);
  auto sod = static_cast<int64_t>(local - days * kSecondsPerDay);
  c.hour = static_cast<int>(sod / kSecondsPerHour);
  c.minute = static_cast<int>(sod % kSecondsPerHour / kSecondsPerMinute);
  c.second = static_cast<int>(sod % kSecondsPerMinute);
  i128 weekday = (days + 4) % 7;  // 1970-01-01 was a Thursday
  c.weekday = static_cast<int>(weekday < 0 ? weekday + 7 : weekday);
  i128 z = days + 719468;
  i128 era = FloorDiv(z, 146097);
  i128 doe = z - era * 146097;
  i128 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  i128 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  i128 mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = static_cast<int64_t>(yoe + era * 400 + (c.month <= 2));
  c.yday = static_cast<int>(days - DaysFromCivil(c.year, 1, 1) + 1);
  return c;
}

// ---- Time zones ----

struct Zone {
  std::string name;
  int offset = 0;  // seconds east of UTC
  bool is_dst = false;
};

struct ZoneTrans {
  int64_t when = 0;
  uint8_t index = 0;
};

// A Go *time.Location. No zones means UTC.
struct Location {
  std::vector<Zone> zones;
  std::vector<ZoneTrans> tx;
  std::string extend;  // POSIX TZ rule for times after the last transition
};

const Location& Utc() {
  static const Location utc;
  return utc;
}

// The zone in effect at an instant and the period [start, end) it is known
// to hold for.
struct ZoneAt {
  std::string_view name;
  int offset = 0;
  int64_t start = kAlpha;
  int64_t end = kOmega;
  bool is_dst = false;
};

// -- The POSIX TZ rule (Go's tzset) --

bool TzsetName(std::string_view& s, std::string_view& name) {
  if (s.empty()) return false;
  if (s[0] != '<') {
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if ((c >= '0' && c <= '9') || c == ',' || c == '-' || c == '+') {
        if (i < 3) return false;
        name = s.substr(0, i);
        s.remove_prefix(i);
        return true;
      }
    }
    if (s.size() < 3) return false;
    name = s;
    s = {};
    return true;
  }
  size_t close = s.find('>');
  if (close == std::string_view::npos) return false;
  name = s.substr(1, close - 1);
  s.remove_prefix(close + 1);
  return true;
}

bool TzsetNum(std::string_view& s, int min, int max, int& num) {
  if (s.empty()) return false;
  num = 0;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') {
      if (i == 0 || num < min) return false;
      s.remove_prefix(i);
      return true;
    }
    num = num * 10 + (c - '0');
    if (num > max) return false;
  }
  if (num < min) return false;
  s = {};
  return true;
}

bool TzsetOffset(std::string_view& s, int& offset) {
  if (s.empty()) return false;
  bool neg = false;
  if (s[0] == '+') {
    s.remove_prefix(1);
  } else if (s[0] == '-') {
    s.remove_prefix(1);
    neg = true;
  }
  int hours = 0;
  if (!TzsetNum(s, 0, 24 * 7, hours)) return false;
  int off = hours * static_cast<int>(kSecondsPerHour);
  if (!s.empty() && s[0] == ':') {
    s.remove_prefix(1);
    int mins = 0;
    if (!TzsetNum(s, 0, 59, mins)) return false;
    off += mins * static_cast<int>(kSecondsPerMinute);
    if (!s.empty() && s[0] == ':') {
      s.remove_prefix(1);
      int secs = 0;
      if (!TzsetNum(s, 0, 59, secs)) return false;
      off += secs;
    }
  }
  offset = neg ? -off : off;
  return true;
}

struct Rule {
  enum Kind { kJulian, kDayOfYear, kMonthWeekDay } kind = kJulian;
  int day = 0, week = 0, mon = 0;
  int time = 0;  // seconds after local midnight
};

bool TzsetRule(std::string_view& s, Rule& r) {
  if (s.empty()) return false;
  if (s[0] == 'J') {
    s.remove_prefix(1);
    if (!TzsetNum(s, 1, 365, r.day)) return false;
    r.kind = Rule::kJulian;
  } else if (s[0] == 'M') {
    s.remove_prefix(1);
    if (!TzsetNum(s, 1, 12, r.mon) || s.empty() || s[0] != '.') return false;
    s.remove_prefix(1);
    if (!TzsetNum(s, 1, 5, r.week) || s.empty() || s[0] != '.') return false;
    s.remove_prefix(1);
    if (!TzsetNum(s, 0, 6, r.day)) return false;
    r.kind = Rule::kMonthWeekDay;
  } else {
    if (!TzsetNum(s, 0, 365, r.day)) return false;
    r.kind = Rule::kDayOfYear;
  }
  if (s.empty() || s[0] != '/') {
    r.time = 2 * static_cast<int>(kSecondsPerHour);  // 2am is the default
    return true;
  }
  s.remove_prefix(1);
  return TzsetOffset(s, r.time);
}

// Seconds after the start of `year` (UTC) at which `r` fires, for a zone
// whose offset before the change is `off`.
int64_t TzruleTime(int64_t year, const Rule& r, int off) {
  int64_t s = 0;
  switch (r.kind) {
    case Rule::kJulian:
      s = (r.day - 1) * kSecondsPerDay;
      if (IsLeap(year) && r.day >= 60) s += kSecondsPerDay;
      break;
    case Rule::kDayOfYear: s = r.day * kSecondsPerDay; break;
    case Rule::kMonthWeekDay: {
      // Zeller's congruence for the weekday of the month's first day.
      int64_t m1 = (r.mon + 9) % 12 + 1;
      int64_t yy0 = year;
      if (r.mon <= 2) --yy0;
      int64_t yy1 = yy0 / 100;
      int64_t yy2 = yy0 % 100;
      int64_t dow = ((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7;
      if (dow < 0) dow += 7;
      int64_t d = r.day - dow;
      if (d < 0) d += 7;
      for (int i = 1; i < r.week; ++i) {
        if (d + 7 >= DaysIn(r.mon, year)) break;
        d += 7;
      }
      d += kDaysBefore[r.mon - 1];
      if (IsLeap(year) && r.mon > 2) ++d;
      s = d * kSecondsPerDay;
      break;
    }
  }
  return s + r.time - off;
}

bool Tzset(std::string_view s, int64_t last_tx_sec, int64_t sec, ZoneAt& out) {
  std::string_view std_name, dst_name;
  int std_offset = 0, dst_offset = 0;
  if (!TzsetName(s, std_name) || !TzsetOffset(s, std_offset)) return false;
  // TZ offsets are added to local time to get UTC; ours go the other way.
  std_offset = -std_offset;
  if (s.empty() || s[0] == ',') {
    out = {std_name, std_offset, last_tx_sec, kOmega, false};
    return true;
  }
  if (!TzsetName(s, dst_name)) return false;
  if (s.empty() || s[0] == ',') {
    dst_offset = std_offset + static_cast<int>(kSecondsPerHour);
  } else {
    if (!TzsetOffset(s, dst_offset)) return false;
    dst_offset = -dst_offset;
  }
  if (s.empty()) s = ",M3.2.0,M11.1.0";  // tzcode's default rules
  if (s[0] != ',' && s[0] != ';') return false;
  s.remove_prefix(1);
  Rule start_rule, end_rule;
  if (!TzsetRule(s, start_rule) || s.empty() || s[0] != ',') return false;
  s.remove_prefix(1);
  if (!TzsetRule(s, end_rule) || !s.empty()) return false;

  Civil c = CivilFromSeconds(sec);
  // As Go computes it (sec % day truncates, like Go's %).
  int64_t ysec = static_cast<int64_t>(c.yday - 1) * kSecondsPerDay + sec % kSecondsPerDay;
  int64_t abs = sec - ysec;  // start of the year
  int64_t start_sec = TzruleTime(c.year, start_rule, std_offset);
  int64_t end_sec = TzruleTime(c.year, end_rule, dst_offset);
  bool dst_is_dst = true, std_is_dst = false;
  // Southern hemisphere: the "DST" period wraps the year's end.
  if (end_sec < start_sec) {
    std::swap(start_sec, end_sec);
    std::swap(std_name, dst_name);
    std::swap(std_offset, dst_offset);
    std::swap(std_is_dst, dst_is_dst);
  }
  if (ysec < start_sec) {
    out = {std_name, std_offset, abs, start_sec + abs, std_is_dst};
  } else if (ysec >= end_sec) {
    out = {std_name, std_offset, end_sec + abs, abs + 365 * kSecondsPerDay, std_is_dst};
  } else {
    out = {dst_name, dst_offset, start_sec + abs, end_sec + abs, dst_is_dst};
  }
  return true;
}

// Go's Location.lookupFirstZone: the zone for times before the first
// transition.
size_t FirstZone(const Location& l) {
  bool first_used = false;
  for (const auto& t : l.tx) first_used = first_used || t.index == 0;
  if (!first_used) return 0;
  if (!l.tx.empty() && l.zones[l.tx[0].index].is_dst) {
    for (int zi = static_cast<int>(l.tx[0].index) - 1; zi >= 0; --zi)
      if (!l.zones[static_cast<size_t>(zi)].is_dst) return static_cast<size_t>(zi);
  }
  for (size_t zi = 0; zi < l.zones.size(); ++zi)
    if (!l.zones[zi].is_dst) return zi;
  return 0;
}

// Go's Location.lookup.
ZoneAt Lookup(const Location& l, int64_t sec) {
  if (l.zones.empty()) return {"UTC", 0, kAlpha, kOmega, false};
  if (l.tx.empty() || sec < l.tx[0].when) {
    const Zone& z = l.zones[FirstZone(l)];
    return {z.name, z.offset, kAlpha, l.tx.empty() ? kOmega : l.tx[0].when, z.is_dst};
  }
  int64_t end = kOmega;
  size_t lo = 0, hi = l.tx.size();
  while (hi - lo > 1) {
    size_t m = lo + (hi - lo) / 2;
    if (sec < l.tx[m].when) {
      end = l.tx[m].when;
      hi = m;
    } else {
      lo = m;
    }
  }
  const Zone& z = l.zones[l.tx[lo].index];
  ZoneAt out{z.name, z.offset, l.tx[lo].when, end, z.is_dst};
  if (lo == l.tx.size() - 1 && !l.extend.empty()) {
    ZoneAt ext;
    if (Tzset(l.extend, out.start, sec, ext)) return ext;
  }
  return out;
}

// Go's Location.lookupName: the offset of a zone abbreviation, preferring
// one that was in effect at `unix_sec`.
std::optional<int> LookupName(const Location& l, std::string_view name, int64_t unix_sec) {
  for (const Zone& z : l.zones) {
    if (z.name != name) continue;
    ZoneAt at = Lookup(l, unix_sec - z.offset);
    if (at.name == z.name) return at.offset;
  }
  for (const Zone& z : l.zones)
    if (z.name == name) return z.offset;
  return std::nullopt;
}

// -- Reading TZif files (Go's LoadLocationFromTZData) --

std::optional<Location> ParseTzif(std::string_view data) {
  size_t pos = 0;
  bool bad = false;
  auto read = [&](size_t n) -> std::string_view {
    if (bad || data.size() - pos < n) {
      bad = true;
      pos = data.size();
      return {};
    }
    std::string_view p = data.substr(pos, n);
    pos += n;
    return p;
  };
  auto be32 = [](std::string_view p, size_t i) {
    return uint32_t{static_cast<unsigned char>(p[i])} << 24 |
           uint32_t{static_cast<unsigned char>(p[i + 1])} << 16 |
           uint32_t{static_cast<unsigned char>(p[i + 2])} << 8 |
           uint32_t{static_cast<unsigned char>(p[i + 3])};
  };
  if (read(4) != "TZif") return std::nullopt;
  std::string_view header = read(16);
  if (bad) return std::nullopt;
  char version = header[0];
  if (version != 0 && version != '2' && version != '3' && version != '4') return std::nullopt;
  enum { kUtcLocal, kStdWall, kLeap, kTime, kZone, kChar };
  size_t n[6];
  auto read_counts = [&]() {
    for (size_t& c : n) {
      std::string_view p = read(4);
      if (bad) return false;
      c = be32(p, 0);
    }
    return true;
  };
  if (!read_counts()) return std::nullopt;
  bool is64 = false;
  if (version != 0) {
    // Skip the 32-bit block and the second header; the 64-bit block
    // describes a wider range of dates.
    size_t skip =
        n[kTime] * 4 + n[kTime] + n[kZone] * 6 + n[kChar] + n[kLeap] * 8 + n[kStdWall] + n[kUtcLocal];
    read(skip + 4 + 16);
    is64 = true;
    if (!read_counts()) return std::nullopt;
  }
  size_t size = is64 ? 8 : 4;
  std::string_view txtimes = read(n[kTime] * size);
  std::string_view txzones = read(n[kTime]);
  std::string_view zonedata = read(n[kZone] * 6);
  std::string_view abbrev = read(n[kChar]);
  read(n[kLeap] * (size + 4));
  read(n[kStdWall]);
  read(n[kUtcLocal]);
  if (bad) return std::nullopt;

  Location loc;
  std::string_view rest = data.substr(pos);
  if (rest.size() > 2 && rest.front() == '\n' && rest.back() == '\n')
    loc.extend = rest.substr(1, rest.size() - 2);

  if (n[kZone] == 0) return std::nullopt;
  for (size_t i = 0; i < n[kZone]; ++i) {
    Zone z;
    z.offset = static_cast<int32_t>(be32(zonedata, i * 6));
    z.is_dst = zonedata[i * 6 + 4] != 0;
    auto idx = static_cast<unsigned char>(zonedata[i * 6 + 5]);
    if (idx >= abbrev.size()) return std::nullopt;
    std::string_view name = abbrev.substr(idx);
    z.name = name.substr(0, name.find('\0'));
    loc.zones.push_back(std::move(z));
  }
  for (size_t i = 0; i < n[kTime]; ++i) {
    ZoneTrans t;
    if (is64) {
      t.when = static_cast<int64_t>(uint64_t{be32(txtimes, i * 8)} << 32 | be32(txtimes, i * 8 + 4));
    } else {
      t.when = static_cast<int32_t>(be32(txtimes, i * 4));
    }
    t.index = static_cast<uint8_t>(txzones[i]);
    if (t.index >= loc.zones.size()) return std::nullopt;
    loc.tx.push_back(t);
  }
  // Fixed zones ("Etc/GMT+5") have no transitions: one covers all time.
  if (loc.tx.empty()) loc.tx.push_back({kAlpha, 0});
  return loc;
}

// Go's errno texts are the C library's with a lower-case first letter.
std::string ErrnoText(int err) {
  char buf[256];
  const char* msg = strerror_r(err, buf, sizeof buf);  // GNU variant
  std::string s = msg != nullptr ? msg : "unknown error";
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

constexpr size_t kMaxZoneFileSize = 10 << 20;  // Go's limit

// Reads a whole file; returns 0, an errno value, or -1 when too large.
int ReadSmallFile(const std::string& path, std::string& out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  out.clear();
  char buf[4096];
  int result = 0;
  for (;;) {
    ssize_t got = read(fd, buf, sizeof buf);
    if (got < 0) {
      if (errno == EINTR) continue;
      result = errno;
      break;
    }
    if (got == 0) break;
    out.append(buf, static_cast<size_t>(got));
    if (out.size() > kMaxZoneFileSize) {
      result = -1;
      break;
    }
  }
  close(fd);
  return result;
}

struct Loaded {
  std::shared_ptr<Location> loc;
  std::string error;
};

// Go's loadLocation over a list of directories: the first that has the file
// wins; the first failure other than "no such file" is the one reported.
Loaded LoadFromSources(std::string_view name, const std::vector<std::string>& sources) {
  Loaded out;
  std::string first_error;
  for (const std::string& dir : sources) {
    std::string path = dir.empty() ? std::string(name) : dir + "/" + std::string(name);
    std::string data;
    int err = ReadSmallFile(path, data);
    std::string error;
    if (err == 0) {
      if (auto loc = ParseTzif(data)) {
        out.loc = std::make_shared<Location>(std::move(*loc));
        return out;
      }
      error = "malformed time zone information";
    } else if (err == -1) {
      error = "time: file " + path + " is too large";
    } else if (err != ENOENT) {
      error = ErrnoText(err);
    }
    if (first_error.empty()) first_error = error;
  }
  out.error = first_error.empty() ? "unknown time zone " + std::string(name) : first_error;
  return out;
}

std::vector<std::string> ZoneSources() {
  std::vector<std::string> dirs;
  // Go reads $ZONEINFO first (a directory; Go's zip form is not supported).
  if (const char* zi = std::getenv("ZONEINFO"); zi != nullptr && *zi != '\0') dirs.emplace_back(zi);
  for (const char* d :
       {"/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo"})
    dirs.emplace_back(d);
  return dirs;
}

// Go's time.Local: $TZ, else /etc/localtime, falling back to UTC.
std::shared_ptr<Location> LoadLocal() {
  const char* tz = std::getenv("TZ");
  if (tz == nullptr) {
    Loaded l = LoadFromSources("localtime", {"/etc"});
    if (l.loc) return l.loc;
  } else if (*tz != '\0') {
    std::string_view name = tz;
    if (name[0] == ':') name.remove_prefix(1);
    if (!name.empty() && name[0] == '/') {
      Loaded l = LoadFromSources(name, {""});
      if (l.loc) return l.loc;
    } else if (!name.empty() && name != "UTC") {
      Loaded l = LoadFromSources(name, ZoneSources());
      if (l.loc) return l.loc;
    }
  }
  return std::make_shared<Location>();
}

// Go's time.LoadLocation, with the zones kept for the evaluation.
Result<const Location*> LoadLocation(std::string_view builtin, std::string_view name, BuiltinContext& ctx) {
  if (name.empty() || name == "UTC") return &Utc();
  std::string key = "time.location:" + std::string(name);
  if (auto it = ctx.cache.find(key); it != ctx.cache.end())
    return static_cast<const Location*>(it->second.get());
  std::shared_ptr<Location> loc;
  if (name == "Local") {
    loc = LoadLocal();
  } else {
    // No IANA name has "..", or begins with a slash: refusing them keeps the
    // lookup inside the zone directories.
    if (name.find("..") != std::string_view::npos || name[0] == '/' || name[0] == '\\')
      return BuiltinError(builtin, "time: invalid location name");
    // Go cannot pass a NUL to open(2) and reports EINVAL.
    if (name.find('\0') != std::string_view::npos) return BuiltinError(builtin, ErrnoText(EINVAL));
    Loaded l = LoadFromSources(name, ZoneSources());
    if (!l.loc) return BuiltinError(builtin, l.error);
    loc = std::move(l.loc);
  }
  const Location* raw = loc.get();
  ctx.cache.emplace(std::move(key), std::move(loc));
  return raw;
}

// ---- Instants ----

// A Go time.Time: seconds since the Unix epoch, nanoseconds, and a zone.
struct Time {
  int64_t sec = 0;
  int64_t nsec = 0;  // 0..999999999
  const Location* loc = nullptr;

  ZoneAt Zone() const { return Lookup(*loc, sec); }
  Civil Fields() const { return CivilFromSeconds(sec + Zone().offset); }
};

// An instant that may lie far outside int64 nanoseconds (AddDate can go
// anywhere); nsec is 0..999999999.
struct Instant {
  i128 sec = 0;
  int64_t nsec = 0;
};

// Go's norm: moves whole multiples of base from lo into hi.
void Norm(i128& hi, i128& lo, i128 base) {
  if (lo < 0) {
    i128 n = (-lo - 1) / base + 1;
    hi -= n;
    lo += n * base;
  }
  if (lo >= base) {
    i128 n = lo / base;
    hi += n;
    lo -= n * base;
  }
}

// Go's time.Date: fields out of range are carried over (month 13 is January
// of the next year), and a wall time that a DST change skips or repeats
// resolves the way Go resolves it.
Instant GoDate(i128 year, i128 month, i128 day, i128 hour, i128 min, i128 sec, i128 nsec,
               const Location& loc) {
  i128 m = month - 1;
  Norm(year, m, 12);
  Norm(sec, nsec, kNanosPerSecond);
  Norm(min, sec, 60);
  Norm(hour, min, 60);
  Norm(day, hour, 24);
  i128 days = DaysFromCivil(year, static_cast<int>(m + 1), 1) + day - 1;
  i128 unix_sec = days * kSecondsPerDay + hour * kSecondsPerHour + min * kSecondsPerMinute + sec;
  // Far outside the representable range a zone offset cannot matter.
  constexpr i128 kLookupLimit = i128{1} << 62;
  if (unix_sec > -kLookupLimit && unix_sec < kLookupLimit) {
    ZoneAt z = Lookup(loc, static_cast<int64_t>(unix_sec));
    int offset = z.offset;
    if (offset != 0) {
      i128 utc = unix_sec - offset;
      if (utc < z.start || utc >= z.end) offset = Lookup(loc, static_cast<int64_t>(utc)).offset;
      unix_sec -= offset;
    }
  }
  return {unix_sec, static_cast<int64_t>(nsec)};
}

// OPA's toSafeUnixNano: instants outside int64 nanoseconds are an error.
Result<Value> SafeUnixNano(std::string_view builtin, const Instant& t) {
  constexpr int64_t kMinSec = -9223372037, kMinNsec = 145224192;
  constexpr int64_t kMaxSec = 9223372036, kMaxNsec = 854775807;
  if (t.sec < kMinSec || (t.sec == kMinSec && t.nsec < kMinNsec) || t.sec > kMaxSec ||
      (t.sec == kMaxSec && t.nsec > kMaxNsec))
    return BuiltinError(builtin, "time outside of valid range");
  // Computed in unsigned arithmetic: the lowest instant is INT64_MIN only
  // after adding the nanoseconds.
  auto ns = static_cast<uint64_t>(static_cast<int64_t>(t.sec)) * static_cast<uint64_t>(kNanosPerSecond) +
            static_cast<uint64_t>(t.nsec);
  return Value::Int(static_cast<int64_t>(ns));
}

// ---- Go's layout engine (time/format.go) ----

enum Std {
  kStdNone = 0,
  kStdLongMonth,
  kStdMonth,
  kStdNumMonth,
  kStdZeroMonth,
  kStdLongWeekDay,
  kStdWeekDay,
  kStdDay,
  kStdUnderDay,
  kStdZeroDay,
  kStdUnderYearDay,
  kStdZeroYearDay,
  kStdHour,
  kStdHour12,
  kStdZeroHour12,
  kStdMinute,
  kStdZeroMinute,
  kStdSecond,
  kStdZeroSecond,
  kStdLongYear,
  kStdYear,
  kStdPM,
  kStdpm,
  kStdTZ,
  kStdISO8601TZ,
  kStdISO8601SecondsTZ,
  kStdISO8601ShortTZ,
  kStdISO8601ColonTZ,
  kStdISO8601ColonSecondsTZ,
  kStdNumTZ,
  kStdNumSecondsTz,
  kStdNumShortTZ,
  kStdNumColonTZ,
  kStdNumColonSecondsTZ,
  kStdFracSecond0,
  kStdFracSecond9,
};

struct Chunk {
  std::string_view prefix;
  Std std = kStdNone;
  int frac_digits = 0;  // fractional seconds: digits asked for
  char frac_sep = '.';
  std::string_view suffix;
};

bool StartsWithLower(std::string_view s) { return !s.empty() && s[0] >= 'a' && s[0] <= 'z'; }

bool IsDigitAt(std::string_view s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

// Go's nextStdChunk: the text before the first layout element, the element,
// and the text after it.
Chunk NextStdChunk(std::string_view layout) {
  auto at = [&](size_t i, std::string_view lit) { return layout.substr(i).substr(0, lit.size()) == lit; };
  auto cut = [&](size_t i, Std std, size_t len) {
    Chunk c;
    c.prefix = layout.substr(0, i);
    c.std = std;
    c.suffix = layout.substr(i + len);
    return c;
  };
  for (size_t i = 0; i < layout.size(); ++i) {
    switch (layout[i]) {
      case 'J':  // January, Jan
        if (at(i, "Jan")) {
          if (at(i, "January")) return cut(i, kStdLongMonth, 7);
          if (!StartsWithLower(layout.substr(i + 3))) return cut(i, kStdMonth, 3);
        }
        break;
      case 'M':  // Monday, Mon, MST
        if (at(i, "Mon")) {
          if (at(i, "Monday")) return cut(i, kStdLongWeekDay, 6);
          if (!StartsWithLower(layout.substr(i + 3))) return cut(i, kStdWeekDay, 3);
        }
        if (at(i, "MST")) return cut(i, kStdTZ, 3);
        break;
      case '0':  // 01, 02, 03, 04, 05, 06, 002
        if (i + 1 < layout.size() && layout[i + 1] >= '1' && layout[i + 1] <= '6') {
          static constexpr Std k0x[] = {kStdZeroMonth,  kStdZeroDay,    kStdZeroHour12,
                                        kStdZeroMinute, kStdZeroSecond, kStdYear};
          return cut(i, k0x[layout[i + 1] - '1'], 2);
        }
        if (at(i, "002")) return cut(i, kStdZeroYearDay, 3);
        break;
      case '1':  // 15, 1
        if (at(i, "15")) return cut(i, kStdHour, 2);
        return cut(i, kStdNumMonth, 1);
      case '2':  // 2006, 2
        if (at(i, "2006")) return cut(i, kStdLongYear, 4);
        return cut(i, kStdDay, 1);
      case '_':  // _2, _2006, __2
        if (at(i, "_2")) {
          // _2006 is a literal _ followed by the long year.
          if (at(i + 1, "2006")) {
            Chunk c;
            c.prefix = layout.substr(0, i + 1);
            c.std = kStdLongYear;
            c.suffix = layout.substr(i + 5);
            return c;
          }
          return cut(i, kStdUnderDay, 2);
        }
        if (at(i, "__2")) return cut(i, kStdUnderYearDay, 3);
        break;
      case '3': return cut(i, kStdHour12, 1);
      case '4': return cut(i, kStdMinute, 1);
      case '5': return cut(i, kStdSecond, 1);
      case 'P':
        if (at(i, "PM")) return cut(i, kStdPM, 2);
        break;
      case 'p':
        if (at(i, "pm")) return cut(i, kStdpm, 2);
        break;
      case '-':
        if (at(i, "-070000")) return cut(i, kStdNumSecondsTz, 7);
        if (at(i, "-07:00:00")) return cut(i, kStdNumColonSecondsTZ, 9);
        if (at(i, "-0700")) return cut(i, kStdNumTZ, 5);
        if (at(i, "-07:00")) return cut(i, kStdNumColonTZ, 6);
        if (at(i, "-07")) return cut(i, kStdNumShortTZ, 3);
        break;
      case 'Z':
        if (at(i, "Z070000")) return cut(i, kStdISO8601SecondsTZ, 7);
        if (at(i, "Z07:00:00")) return cut(i, kStdISO8601ColonSecondsTZ, 9);
        if (at(i, "Z0700")) return cut(i, kStdISO8601TZ, 5);
        if (at(i, "Z07:00")) return cut(i, kStdISO8601ColonTZ, 6);
        if (at(i, "Z07")) return cut(i, kStdISO8601ShortTZ, 3);
        break;
      case '.':
      case ',':  // .000 or ,000 or .999 or ,999: fractional seconds
        if (i + 1 < layout.size() && (layout[i + 1] == '0' || layout[i + 1] == '9')) {
          char ch = layout[i + 1];
          size_t j = i + 1;
          while (j < layout.size() && layout[j] == ch) ++j;
          // Only a run that is not followed by another digit counts.
          if (!IsDigitAt(layout, j)) {
            Chunk c = cut(i, ch == '9' ? kStdFracSecond9 : kStdFracSecond0, j - i);
            c.frac_digits = static_cast<int>((j - (i + 1)) & 0xfff);  // Go keeps 12 bits of it
            c.frac_sep = layout[i];
            return c;
          }
        }
        break;
      default: break;
    }
  }
  Chunk c;
  c.prefix = layout;
  return c;
}

constexpr const char* kLongDayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday"};
constexpr const char* kShortDayNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kShortMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kLongMonthNames[] = {"January",   "February", "March",    "April",
                                           "May",       "June",     "July",     "August",
                                           "September", "October",  "November", "December"};

// Go's appendInt: decimal, zero-padded to `width` digits after the sign.
void AppendInt(std::string& b, int64_t x, int width) {
  uint64_t u = static_cast<uint64_t>(x);
  if (x < 0) {
    b += '-';
    u = ~u + 1;
  }
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u > 0);
  for (int pad = width - n; pad > 0; --pad) b += '0';
  while (n > 0) b += digits[--n];
}

// Go's appendNano: a fractional second of `digits` places; the '9' form
// drops trailing zeros (and the separator if nothing is left).
void AppendNano(std::string& b, int64_t nanosec, const Chunk& c) {
  bool trim = c.std == kStdFracSecond9;
  int n = c.frac_digits;
  if (trim && (n == 0 || nanosec == 0)) return;
  size_t start = b.size();
  b += c.frac_sep;
  AppendInt(b, nanosec, 9);
  if (n < 9) b.resize(b.size() - static_cast<size_t>(9 - n));
  if (trim) {
    while (b.size() > start && b.back() == '0') b.pop_back();
    if (b.size() > start && b.back() == c.frac_sep) b.pop_back();
  }
}

// Go's Time.Format.
std::string Format(const Time& t, std::string_view layout) {
  ZoneAt zone = t.Zone();
  Civil c = CivilFromSeconds(t.sec + zone.offset);
  int offset = zone.offset;
  std::string b;
  while (!layout.empty()) {
    Chunk ch = NextStdChunk(layout);
    b.append(ch.prefix);
    if (ch.std == kStdNone) break;
    layout = ch.suffix;
    switch (ch.std) {
      case kStdYear: {
        int64_t y = c.year < 0 ? -c.year : c.year;
        AppendInt(b, y % 100, 2);
        break;
      }
      case kStdLongYear: AppendInt(b, c.year, 4); break;
      case kStdMonth: b += kShortMonthNames[c.month - 1]; break;
      case kStdLongMonth: b += kLongMonthNames[c.month - 1]; break;
      case kStdNumMonth: AppendInt(b, c.month, 0); break;
      case kStdZeroMonth: AppendInt(b, c.month, 2); break;
      case kStdWeekDay: b += kShortDayNames[c.weekday]; break;
      case kStdLongWeekDay: b += kLongDayNames[c.weekday]; break;
      case kStdDay: AppendInt(b, c.day, 0); break;
      case kStdUnderDay:
        if (c.day < 10) b += ' ';
        AppendInt(b, c.day, 0);
        break;
      case kStdZeroDay: AppendInt(b, c.day, 2); break;
      case kStdUnderYearDay:
        if (c.yday < 100) b += c.yday < 10 ? "  " : " ";
        AppendInt(b, c.yday, 0);
        break;
      case kStdZeroYearDay: AppendInt(b, c.yday, 3); break;
      case kStdHour: AppendInt(b, c.hour, 2); break;
      case kStdHour12: AppendInt(b, c.hour % 12 == 0 ? 12 : c.hour % 12, 0); break;
      case kStdZeroHour12: AppendInt(b, c.hour % 12 == 0 ? 12 : c.hour % 12, 2); break;
      case kStdMinute: AppendInt(b, c.minute, 0); break;
      case kStdZeroMinute: AppendInt(b, c.minute, 2); break;
      case kStdSecond: AppendInt(b, c.second, 0); break;
      case kStdZeroSecond: AppendInt(b, c.second, 2); break;
      case kStdPM: b += c.hour >= 12 ? "PM" : "AM"; break;
      case kStdpm: b += c.hour >= 12 ? "pm" : "am"; break;
      case kStdISO8601TZ:
      case kStdISO8601ColonTZ:
      case kStdISO8601SecondsTZ:
      case kStdISO8601ShortTZ:
      case kStdISO8601ColonSecondsTZ:
      case kStdNumTZ:
      case kStdNumColonTZ:
      case kStdNumSecondsTz:
      case kStdNumShortTZ:
      case kStdNumColonSecondsTZ: {
        bool iso = ch.std == kStdISO8601TZ || ch.std == kStdISO8601ColonTZ ||
                   ch.std == kStdISO8601SecondsTZ || ch.std == kStdISO8601ShortTZ ||
                   ch.std == kStdISO8601ColonSecondsTZ;
        if (offset == 0 && iso) {
          b += 'Z';
          break;
        }
        int zone_min = offset / 60;
        int abs_offset = offset;
        if (zone_min < 0) {
          b += '-';
          zone_min = -zone_min;
          abs_offset = -abs_offset;
        } else {
          b += '+';
        }
        AppendInt(b, zone_min / 60, 2);
        bool colon = ch.std == kStdISO8601ColonTZ || ch.std == kStdNumColonTZ ||
                     ch.std == kStdISO8601ColonSecondsTZ || ch.std == kStdNumColonSecondsTZ;
        if (colon) b += ':';
        if (ch.std != kStdNumShortTZ && ch.std != kStdISO8601ShortTZ) AppendInt(b, zone_min % 60, 2);
        if (ch.std == kStdISO8601SecondsTZ || ch.std == kStdNumSecondsTz || ch.std == kStdNumColonSecondsTZ ||
            ch.std == kStdISO8601ColonSecondsTZ) {
          if (ch.std == kStdNumColonSecondsTZ || ch.std == kStdISO8601ColonSecondsTZ) b += ':';
          AppendInt(b, abs_offset % 60, 2);
        }
        break;
      }
      case kStdTZ: {
        if (!zone.name.empty()) {
          b.append(zone.name);
          break;
        }
        // No abbreviation known: print the offset as -0700.
        int zone_min = offset / 60;
        if (zone_min < 0) {
          b += '-';
          zone_min = -zone_min;
        } else {
          b += '+';
        }
        AppendInt(b, zone_min / 60, 2);
        AppendInt(b, zone_min % 60, 2);
        break;
      }
      case kStdFracSecond0:
      case kStdFracSecond9: AppendNano(b, t.nsec, ch); break;
      case kStdNone: break;
    }
  }
  return b;
}

// Go's time.quote (used in its parse and duration errors): non-ASCII and
// control bytes as \xNN, '"' and '\' escaped.
std::string GoTimeQuote(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || c < ' ') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += ch;
    }
  }
  out += '"';
  return out;
}

// Go's leadingInt: the leading [0-9]*; false on overflow past 2^63.
bool LeadingInt(std::string_view& s, uint64_t& x) {
  x = 0;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') break;
    if (x > (uint64_t{1} << 63) / 10) return false;
    x = x * 10 + static_cast<uint64_t>(c - '0');
    if (x > (uint64_t{1} << 63)) return false;
  }
  s.remove_prefix(i);
  return true;
}

// Go's time.atoi: an optional sign and digits, nothing else.
std::optional<int64_t> GoAtoi(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t q = 0;
  if (!LeadingInt(s, q) || !s.empty()) return std::nullopt;
  auto x = static_cast<int64_t>(q);
  return neg ? static_cast<int64_t>(~static_cast<uint64_t>(x) + 1) : x;
}

// getnum: one or two digits (exactly two when `fixed`).
bool GetNum(std::string_view& s, bool fixed, int64_t& out) {
  if (!IsDigitAt(s, 0)) return false;
  if (!IsDigitAt(s, 1)) {
    if (fixed) return false;
    out = s[0] - '0';
    s.remove_prefix(1);
    return true;
  }
  out = (s[0] - '0') * 10 + (s[1] - '0');
  s.remove_prefix(2);
  return true;
}

// getnum3: one to three digits (exactly three when `fixed`).
bool GetNum3(std::string_view& s, bool fixed, int64_t& out) {
  int64_t n = 0;
  size_t i = 0;
  for (; i < 3 && IsDigitAt(s, i); ++i) n = n * 10 + (s[i] - '0');
  if (i == 0 || (fixed && i != 3)) return false;
  out = n;
  s.remove_prefix(i);
  return true;
}

// Go's match: equal ignoring ASCII letter case.
bool MatchFold(std::string_view a, std::string_view b) {
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char c1 = static_cast<unsigned char>(a[i]), c2 = static_cast<unsigned char>(b[i]);
    if (c1 != c2) {
      c1 |= 'a' - 'A';
      c2 |= 'a' - 'A';
      if (c1 != c2 || c1 < 'a' || c1 > 'z') return false;
    }
  }
  return true;
}

template <size_t N>
int LookupTable(const char* const (&tab)[N], std::string_view& val) {
  for (size_t i = 0; i < N; ++i) {
    std::string_view v = tab[i];
    if (val.size() >= v.size() && MatchFold(val.substr(0, v.size()), v)) {
      val.remove_prefix(v.size());
      return static_cast<int>(i);
    }
  }
  return -1;
}

// Go's skip: removes `prefix` from `value`, runs of spaces matching runs.
bool Skip(std::string_view& value, std::string_view prefix) {
  auto cut_space = [](std::string_view& s) {
    while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  };
  while (!prefix.empty()) {
    if (prefix[0] == ' ') {
      if (!value.empty() && value[0] != ' ') return false;
      cut_space(prefix);
      cut_space(value);
      continue;
    }
    if (value.empty() || value[0] != prefix[0]) return false;
    prefix.remove_prefix(1);
    value.remove_prefix(1);
  }
  return true;
}

bool CommaOrPeriod(char c) { return c == '.' || c == ','; }

// Go's parseNanoseconds: value[0] is the separator, then nbytes-1 digits.
bool ParseNanoseconds(std::string_view value, size_t nbytes, int64_t& ns, std::string& range_err) {
  if (!CommaOrPeriod(value[0])) return false;
  if (nbytes > 10) nbytes = 10;
  auto n = GoAtoi(value.substr(1, nbytes - 1));
  if (!n) return false;
  ns = *n;
  if (ns < 0) {
    range_err = "fractional second";
    return true;
  }
  for (size_t i = 0; i < 10 - nbytes; ++i) ns *= 10;
  return true;
}

// Go's parseSignedOffset: "+03", "-4": a sign and an hour up to 23.
size_t ParseSignedOffset(std::string_view value) {
  if (value.empty() || (value[0] != '-' && value[0] != '+')) return 0;
  std::string_view rest = value.substr(1);
  uint64_t x = 0;
  if (!LeadingInt(rest, x) || rest.size() == value.size() - 1 || x > 23) return 0;
  return value.size() - rest.size();
}

// Go's parseTimeZone: the length of a zone abbreviation at the start.
std::optional<size_t> ParseTimeZone(std::string_view value) {
  if (value.size() < 3) return std::nullopt;
  if (value.substr(0, 4) == "ChST" || value.substr(0, 4) == "MeST") return 4;
  if (value.substr(0, 3) == "GMT") return 3 + (value.size() > 3 ? ParseSignedOffset(value.substr(3)) : 0);
  if (value[0] == '+' || value[0] == '-') {
    size_t n = ParseSignedOffset(value);
    if (n == 0) return std::nullopt;
    return n;
  }
  size_t upper = 0;
  for (; upper < 6 && upper < value.size(); ++upper)
    if (value[upper] < 'A' || value[upper] > 'Z') break;
  switch (upper) {
    case 3: return 3;
    case 4:
      if (value[3] == 'T' || value.substr(0, 4) == "WITA") return 4;
      break;
    case 5:
      if (value[4] == 'T') return 5;
      break;
    default: break;
  }
  return std::nullopt;
}

// Go's time.Parse(layout, value), giving the instant. A zone abbreviation
// other than UTC is looked up in the Local zone, as Go does; unknown ones
// leave the wall time as UTC.
Result<Instant> GoParse(std::string_view builtin, std::string_view layout, std::string_view value,
                        BuiltinContext& ctx) {
  const std::string_view alayout = layout, avalue = value;
  auto parse_error = [&](std::string_view layout_elem, std::string_view value_elem) {
    return BuiltinError(builtin, "parsing time " + GoTimeQuote(avalue) + " as " + GoTimeQuote(alayout) +
                                     ": cannot parse " + GoTimeQuote(value_elem) + " as " +
                                     GoTimeQuote(layout_elem));
  };
  auto message_error = [&](const std::string& message) {
    return BuiltinError(builtin, "parsing time " + GoTimeQuote(avalue) + message);
  };
  std::string range_err;
  bool am_set = false, pm_set = false;
  int64_t year = 0, month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
  bool utc = false;
  int64_t zone_offset = -1;
  std::string_view zone_name;

  for (;;) {
    Chunk ch = NextStdChunk(layout);
    std::string_view stdstr =
        layout.substr(ch.prefix.size(), layout.size() - ch.prefix.size() - ch.suffix.size());
    if (!Skip(value, ch.prefix)) return parse_error(ch.prefix, value);
    if (ch.std == kStdNone) {
      if (!value.empty()) return message_error(": extra text: " + GoTimeQuote(value));
      break;
    }
    layout = ch.suffix;
    std::string_view hold = value;
    bool ok = true;
    switch (ch.std) {
      case kStdYear: {
        if (value.size() < 2) {
          ok = false;
          break;
        }
        auto y = GoAtoi(value.substr(0, 2));
        value.remove_prefix(2);
        if (!y) {
          ok = false;
          break;
        }
        year = *y >= 69 ? *y + 1900 : *y + 2000;
        break;
      }
      case kStdLongYear: {
        if (value.size() < 4 || !IsDigitAt(value, 0)) {
          ok = false;
          break;
        }
        auto y = GoAtoi(value.substr(0, 4));
        value.remove_prefix(4);
        ok = y.has_value();
        if (ok) year = *y;
        break;
      }
      case kStdMonth:
        month = LookupTable(kShortMonthNames, value) + 1;
        ok = month > 0;
        break;
      case kStdLongMonth:
        month = LookupTable(kLongMonthNames, value) + 1;
        ok = month > 0;
        break;
      case kStdNumMonth:
      case kStdZeroMonth:
        ok = GetNum(value, ch.std == kStdZeroMonth, month);
        if (ok && (month <= 0 || month > 12)) range_err = "month";
        break;
      case kStdWeekDay:  // checked for syntax, otherwise ignored
        ok = LookupTable(kShortDayNames, value) >= 0;
        break;
      case kStdLongWeekDay: ok = LookupTable(kLongDayNames, value) >= 0; break;
      case kStdDay:
      case kStdUnderDay:
      case kStdZeroDay:
        if (ch.std == kStdUnderDay && !value.empty() && value[0] == ' ') value.remove_prefix(1);
        ok = GetNum(value, ch.std == kStdZeroDay, day);
        break;
      case kStdUnderYearDay:
      case kStdZeroYearDay:
        for (int i = 0; i < 2; ++i)
          if (ch.std == kStdUnderYearDay && !value.empty() && value[0] == ' ') value.remove_prefix(1);
        ok = GetNum3(value, ch.std == kStdZeroYearDay, yday);
        break;
      case kStdHour:
        ok = GetNum(value, false, hour);
        if (!ok) hour = 0;
        if (hour < 0 || hour >= 24) range_err = "hour";
        break;
      case kStdHour12:
      case kStdZeroHour12:
        ok = GetNum(value, ch.std == kStdZeroHour12, hour);
        if (!ok) hour = 0;
        if (hour < 0 || hour > 12) range_err = "hour";
        break;
      case kStdMinute:
      case kStdZeroMinute:
        ok = GetNum(value, ch.std == kStdZeroMinute, min);
        if (!ok) min = 0;
        if (min < 0 || min >= 60) range_err = "minute";
        break;
      case kStdSecond:
      case kStdZeroSecond: {
        ok = GetNum(value, ch.std == kStdZeroSecond, sec);
        if (!ok) break;
        if (sec < 0 || sec >= 60) {
          range_err = "second";
          break;
        }
        // A fractional second in the value that the layout does not ask
        // for is accepted after the seconds.
        if (value.size() >= 2 && CommaOrPeriod(value[0]) && IsDigitAt(value, 1)) {
          Std next = NextStdChunk(layout).std;
          if (next == kStdFracSecond0 || next == kStdFracSecond9) break;
          size_t n = 2;
          while (n < value.size() && IsDigitAt(value, n)) ++n;
          ok = ParseNanoseconds(value, n, nsec, range_err);
          value.remove_prefix(n);
        }
        break;
      }
      case kStdPM:
      case kStdpm: {
        if (value.size() < 2) {
          ok = false;
          break;
        }
        std::string_view p = value.substr(0, 2);
        value.remove_prefix(2);
        bool upper = ch.std == kStdPM;
        if (p == (upper ? "PM" : "pm"))
          pm_set = true;
        else if (p == (upper ? "AM" : "am"))
          am_set = true;
        else
          ok = false;
        break;
      }
      case kStdISO8601TZ:
      case kStdISO8601ShortTZ:
      case kStdISO8601ColonTZ:
      case kStdISO8601SecondsTZ:
      case kStdISO8601ColonSecondsTZ:
        if (!value.empty() && value[0] == 'Z') {
          value.remove_prefix(1);
          utc = true;
          break;
        }
        [[fallthrough]];
      case kStdNumTZ:
      case kStdNumShortTZ:
      case kStdNumColonTZ:
      case kStdNumSecondsTz:
      case kStdNumColonSecondsTZ: {
        std::string_view sign, hh, mm, ss;
        if (ch.std == kStdISO8601ColonTZ || ch.std == kStdNumColonTZ) {
          if (value.size() < 6 || value[3] != ':') {
            ok = false;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(4, 2), ss = "00";
          value.remove_prefix(6);
        } else if (ch.std == kStdNumShortTZ || ch.std == kStdISO8601ShortTZ) {
          if (value.size() < 3) {
            ok = false;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = "00", ss = "00";
          value.remove_prefix(3);
        } else if (ch.std == kStdISO8601ColonSecondsTZ || ch.std == kStdNumColonSecondsTZ) {
          if (value.size() < 9 || value[3] != ':' || value[6] != ':') {
            ok = false;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(4, 2),
          ss = value.substr(7, 2);
          value.remove_prefix(9);
        } else if (ch.std == kStdISO8601SecondsTZ || ch.std == kStdNumSecondsTz) {
          if (value.size() < 7) {
            ok = false;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(3, 2),
          ss = value.substr(5, 2);
          value.remove_prefix(7);
        } else {
          if (value.size() < 5) {
            ok = false;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(3, 2), ss = "00";
          value.remove_prefix(5);
        }
        int64_t h = 0, m = 0, s = 0;
        ok = GetNum(hh, true, h) && GetNum(mm, true, m) && GetNum(ss, true, s);
        // Offsets of 24 hours or 60 minutes are written by some, so these
        // compare with > rather than >=.
        if (h > 24) range_err = "time zone offset hour";
        if (m > 60) range_err = "time zone offset minute";
        if (s > 60) range_err = "time zone offset second";
        zone_offset = (h * 60 + m) * 60 + s;
        if (sign[0] == '-')
          zone_offset = -zone_offset;
        else if (sign[0] != '+')
          ok = false;
        break;
      }
      case kStdTZ: {
        if (value.substr(0, 3) == "UTC") {
          utc = true;
          value.remove_prefix(3);
          break;
        }
        auto n = ParseTimeZone(value);
        if (!n) {
          ok = false;
          break;
        }
        zone_name = value.substr(0, *n);
        value.remove_prefix(*n);
        break;
      }
      case kStdFracSecond0: {
        // Exactly as many digits as the layout has.
        size_t ndigit = 1 + static_cast<size_t>(ch.frac_digits);
        if (value.size() < ndigit) {
          ok = false;
          break;
        }
        ok = ParseNanoseconds(value, ndigit, nsec, range_err);
        value.remove_prefix(ndigit);
        break;
      }
      case kStdFracSecond9: {
        if (value.size() < 2 || !CommaOrPeriod(value[0]) || value[1] < '0' || value[1] > '9')
          break;  // omitted
        // Any number of digits, as after a plain seconds field.
        size_t i = 0;
        while (i + 1 < value.size() && value[i + 1] >= '0' && value[i + 1] <= '9') ++i;
        ok = ParseNanoseconds(value, 1 + i, nsec, range_err);
        value.remove_prefix(1 + i);
        break;
      }
      case kStdNone: break;
    }
    if (!range_err.empty()) return message_error(": " + range_err + " out of range");
    if (!ok) return parse_error(stdstr, hold);
  }
  if (pm_set && hour < 12)
    hour += 12;
  else if (am_set && hour == 12)
    hour = 0;

  if (yday >= 0) {
    int64_t d = 0, m = 0;
    if (IsLeap(year)) {
      if (yday == 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) {
        --yday;
      }
    }
    if (yday < 1 || yday > 365) return message_error(": day-of-year out of range");
    if (m == 0) {
      m = (yday - 1) / 31 + 1;
      if (kDaysBefore[m] < yday) ++m;
      d = yday - kDaysBefore[m - 1];
    }
    if (month >= 0 && month != m) return message_error(": day-of-year does not match month");
    month = m;
    if (day >= 0 && day != d) return message_error(": day-of-year does not match day");
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > DaysIn(static_cast<int>(month), year)) return message_error(": day out of range");

  Instant t = GoDate(year, month, day, hour, min, sec, nsec, Utc());
  if (utc) return t;
  if (zone_offset != -1) {
    t.sec -= zone_offset;
    return t;
  }
  if (!zone_name.empty()) {
    CUSTODY_ASSIGN_OR_RETURN(const Location* local, LoadLocation(builtin, "Local", ctx));
    if (auto off = LookupName(*local, zone_name, static_cast<int64_t>(t.sec))) t.sec -= *off;
  }
  return t;
}

// The names OPA accepts for Go's predefined layouts.
std::string_view NamedLayout(std::string_view layout) {
  static constexpr std::pair<std::string_view, std::string_view> kLayouts[] = {
      {"ANSIC", "Mon Jan _2 15:04:05 2006"},          {"UnixDate", "Mon Jan _2 15:04:05 MST 2006"},
      {"RubyDate", "Mon Jan 02 15:04:05 -0700 2006"}, {"RFC822", "02 Jan 06 15:04 MST"},
      {"RFC822Z", "02 Jan 06 15:04 -0700"},           {"RFC850", "Monday, 02-Jan-06 15:04:05 MST"},
      {"RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"},   {"RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"},
      {"RFC3339", "2006-01-02T15:04:05Z07:00"},       {"RFC3339Nano", "2006-01-02T15:04:05.999999999Z07:00"},
  };
  for (const auto& [name, value] : kLayouts)
    if (layout == name) return value;
  return layout;
}

constexpr std::string_view kRfc3339 = "2006-01-02T15:04:05Z07:00";
constexpr std::string_view kRfc3339Nano = "2006-01-02T15:04:05.999999999Z07:00";

// ---- Go's ParseDuration, with OPA's day, week and year units ----

Result<int64_t> ParseDuration(std::string_view builtin, std::string_view orig) {
  auto invalid = [&] { return BuiltinError(builtin, "time: invalid duration " + GoTimeQuote(orig)); };
  std::string_view s = orig;
  uint64_t d = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return int64_t{0};
  if (s.empty()) return invalid();
  while (!s.empty()) {
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return invalid();
    size_t before = s.size();
    uint64_t v = 0;
    if (!LeadingInt(s, v)) return invalid();
    bool pre = before != s.size();
    // The fraction keeps what fits in 63 bits and ignores further digits.
    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t i = 0;
      bool overflow = false;
      for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
        if (overflow) continue;
        if (f > ((uint64_t{1} << 63) - 1) / 10) {
          overflow = true;
          continue;
        }
        uint64_t y = f * 10 + static_cast<uint64_t>(s[i] - '0');
        if (y > uint64_t{1} << 63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = i > 0;
      s.remove_prefix(i);
    }
    if (!pre && !post) return invalid();
    size_t i = 0;
    while (i < s.size() && s[i] != '.' && !(s[i] >= '0' && s[i] <= '9')) ++i;
    if (i == 0) return BuiltinError(builtin, "time: missing unit in duration " + GoTimeQuote(orig));
    std::string_view u = s.substr(0, i);
    s.remove_prefix(i);
    static constexpr std::pair<std::string_view, uint64_t> kUnits[] = {
        {"ns", 1},
        {"us", 1000},
        {"\xc2\xb5s", 1000},  // U+00B5 micro sign
        {"\xce\xbcs", 1000},  // U+03BC Greek mu
        {"ms", 1000000},
        {"s", 1000000000},
        {"m", 60000000000},
        {"h", 3600000000000},
        {"d", 86400000000000},
        {"w", 604800000000000},
        {"y", 31536000000000000},
    };
    uint64_t unit = 0;
    for (const auto& [name, ns] : kUnits)
      if (u == name) unit = ns;
    if (unit == 0)
      return BuiltinError(builtin,
                          "time: unknown unit " + GoTimeQuote(u) + " in duration " + GoTimeQuote(orig));
    if (v > (uint64_t{1} << 63) / unit) return invalid();
    v *= unit;
    if (f > 0) {
      // float64, as Go: nanosecond-accurate for fractions of the units.
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > uint64_t{1} << 63) return invalid();
    }
    d += v;
    if (d > uint64_t{1} << 63) return invalid();
  }
  if (neg) return static_cast<int64_t>(~d + 1);
  if (d > (uint64_t{1} << 63) - 1) return invalid();
  return static_cast<int64_t>(d);
}

// ---- Arguments ----

// A time argument: ns, [ns, "tz"] or [ns, "tz", "layout"] (OPA's tzTime).
// OPA names operand 1 in every error here, whichever operand it was.
struct TimeArg {
  Time t;
  std::string layout;
};

Result<TimeArg> TzTime(std::string_view builtin, const Value& a, BuiltinContext& ctx) {
  constexpr std::string_view kExpected = "either number (ns) or [number (ns), string (tz)]";
  TimeArg out;
  out.t.loc = &Utc();
  const Value* ns = nullptr;
  if (a.is_array()) {
    const ValueVector& items = a.array();
    if (items.empty()) return OperandTypeError(builtin, 1, a, kExpected);
    if (!items[0].is_number()) return OperandTypeError(builtin, 1, items[0], "number");
    ns = &items[0];
    if (items.size() > 1) {
      if (!items[1].is_string()) return OperandTypeError(builtin, 1, items[1], "string");
      CUSTODY_ASSIGN_OR_RETURN(out.t.loc, LoadLocation(builtin, items[1].as_string(), ctx));
    }
    if (items.size() > 2) {
      if (!items[2].is_string()) return OperandTypeError(builtin, 1, items[2], "string");
      out.layout = items[2].as_string();
    }
  } else if (a.is_number()) {
    ns = &a;
  } else {
    return OperandTypeError(builtin, 1, a, kExpected);
  }
  // Only integral nanoseconds that fit in int64 are times.
  std::optional<int64_t> n;
  if (ns->is_int()) {
    n = ns->as_int();
  } else if (ns->is_float()) {
    // OPA reads the number as a big.Float and needs it exact in int64.
    double d = ns->as_double();
    if (std::isfinite(d) && d == std::floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
      n = static_cast<int64_t>(d);
  }
  if (!n) return BuiltinError(builtin, "timestamp too big");
  int64_t sec = *n / kNanosPerSecond, nsec = *n % kNanosPerSecond;
  if (nsec < 0) {
    nsec += kNanosPerSecond;
    --sec;
  }
  out.t.sec = sec;
  out.t.nsec = nsec;
  return out;
}

// ---- The built-ins ----

Result<Value> NowNs(std::span<const Value>, BuiltinContext& ctx) { return Value::Int(ctx.now_ns); }

Result<Value> ParseNs(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "time.parse_ns";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view layout, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view value, StringArg(kName, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(Instant t, GoParse(kName, NamedLayout(layout), value, ctx));
  return SafeUnixNano(kName, t);
}

Result<Value> ParseRfc3339Ns(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "time.parse_rfc3339_ns";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view value, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(Instant t, GoParse(kName, kRfc3339, value, ctx));
  return SafeUnixNano(kName, t);
}

Result<Value> ParseDurationNs(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "time.parse_duration_ns";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(int64_t ns, ParseDuration(kName, s));
  return Value::Int(ns);
}

Result<Value> DateOf(std::span<const Value> args, BuiltinContext& ctx) {
  CUSTODY_ASSIGN_OR_RETURN(TimeArg a, TzTime("time.date", args[0], ctx));
  Civil c = a.t.Fields();
  return Value::Array({Value::Int(c.year), Value::Int(c.month), Value::Int(c.day)});
}

Result<Value> ClockOf(std::span<const Value> args, BuiltinContext& ctx) {
  CUSTODY_ASSIGN_OR_RETURN(TimeArg a, TzTime("time.clock", args[0], ctx));
  Civil c = a.t.Fields();
  return Value::Array({Value::Int(c.hour), Value::Int(c.minute), Value::Int(c.second)});
}

Result<Value> WeekdayOf(std::span<const Value> args, BuiltinContext& ctx) {
  CUSTODY_ASSIGN_OR_RETURN(TimeArg a, TzTime("time.weekday", args[0], ctx));
  return Value::String(kLongDayNames[a.t.Fields().weekday]);
}

Result<Value> AddDate(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "time.add_date";
  CUSTODY_ASSIGN_OR_RETURN(TimeArg a, TzTime(kName, args[0], ctx));
  CUSTODY_ASSIGN_OR_RETURN(int64_t years, IntArg(kName, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(int64_t months, IntArg(kName, args, 3));
  CUSTODY_ASSIGN_OR_RETURN(int64_t days, IntArg(kName, args, 4));
  Civil c = a.t.Fields();
  Instant t = GoDate(i128{c.year} + years, i128{c.month} + months, i128{c.day} + days, c.hour, c.minute,
                     c.second, a.t.nsec, *a.t.loc);
  return SafeUnixNano(kName, t);
}

Result<Value> Diff(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "time.diff";
  CUSTODY_ASSIGN_OR_RETURN(TimeArg a1, TzTime(kName, args[0], ctx));
  CUSTODY_ASSIGN_OR_RETURN(TimeArg a2, TzTime(kName, args[1], ctx));
  // Both are read in the first one's zone; the earlier one comes first.
  Time t1 = a1.t, t2 = a2.t;
  t2.loc = t1.loc;
  if (t1.sec > t2.sec || (t1.sec == t2.sec && t1.nsec > t2.nsec)) std::swap(t1, t2);
  Civil c1 = t1.Fields(), c2 = t2.Fields();
  int64_t year = c2.year - c1.year;
  int64_t month = c2.month - c1.month;
  int64_t day = c2.day - c1.day;
  int64_t hour = c2.hour - c1.hour;
  int64_t min = c2.minute - c1.minute;
  int64_t sec = c2.second - c1.second;
  if (sec < 0) {
    sec += 60;
    --min;
  }
  if (min < 0) {
    min += 60;
    --hour;
  }
  if (hour < 0) {
    hour += 24;
    --day;
  }
  if (day < 0) {
    day += DaysIn(c1.month, c1.year);
    --month;
  }
  if (month < 0) {
    month += 12;
    --year;
  }
  return Value::Array({Value::Int(year), Value::Int(month), Value::Int(day), Value::Int(hour),
                       Value::Int(min), Value::Int(sec)});
}

Result<Value> FormatTime(std::span<const Value> args, BuiltinContext& ctx) {
  CUSTODY_ASSIGN_OR_RETURN(TimeArg a, TzTime("time.format", args[0], ctx));
  std::string_view layout = a.layout.empty() ? kRfc3339Nano : NamedLayout(a.layout);
  return Value::String(Format(a.t, layout));
}

}  // namespace

void RegisterTime(BuiltinTable& t) {
  t.Add({"time.now_ns", 0, NowNs, /*nondeterministic=*/true});
  t.Add({"time.parse_ns", 2, ParseNs});
  t.Add({"time.parse_rfc3339_ns", 1, ParseRfc3339Ns});
  t.Add({"time.parse_duration_ns", 1, ParseDurationNs});
  t.Add({"time.date", 1, DateOf});
  t.Add({"time.clock", 1, ClockOf});
  t.Add({"time.weekday", 1, WeekdayOf});
  t.Add({"time.add_date", 4, AddDate});
  t.Add({"time.diff", 2, Diff});
  t.Add({"time.format", 1, FormatTime});
}

}  // namespace custody::rego
