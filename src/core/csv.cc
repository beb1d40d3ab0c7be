#include "core/csv.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "core/file.h"
#include "core/thread_pool.h"

namespace custody {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------
// Record scanning, shared by the streaming reader and the table loader.

struct ScanError {
  enum Kind { kNone, kUnterminated, kAfterQuote } kind = kNone;
  size_t field = 0;  // 0-based field index in the record
  char ch = 0;       // the character after a closing quote
};

enum class Scan { kRecord, kIncomplete, kError };

constexpr std::array<bool, 256> MakeSpecial() {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  t[static_cast<unsigned char>('\r')] = true;
  return t;
}
constexpr std::array<bool, 256> kSpecial = MakeSpecial();

// Consumes a record terminator at `q` (LF, CRLF or CR). Returns false when a
// CR ends the buffer and more input may bring its LF.
inline bool ConsumeLineEnd(const char*& q, const char* end, bool eof) {
  if (*q == '\n') {
    ++q;
    return true;
  }
  ++q;  // '\r'
  if (q == end) return eof;
  if (*q == '\n') ++q;
  return true;
}

// Scans the field at `q` (quoted or not) and leaves `q` at its terminator: a
// comma, a line break or `end`. Quoted text with "" escapes is unescaped into
// `scratch`, so `text` lives until the next call; line breaks inside quotes
// add to `breaks`. With `eof` false, a field reaching `end` is kIncomplete.
inline Scan ScanField(const char*& q, const char* end, bool eof, std::string& scratch, size_t& breaks,
                      ScanError& error, size_t field, std::string_view& text) {
  if (q < end && *q == '"') {
    const char* start = ++q;
    bool escaped = false;
    const char* close;
    while (true) {
      close = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
      if (close == nullptr) {
        if (!eof) return Scan::kIncomplete;
        error = {ScanError::kUnterminated, field, 0};
        return Scan::kError;
      }
      if (close + 1 == end && !eof) return Scan::kIncomplete;
      if (close + 1 < end && close[1] == '"') {
        escaped = true;
        q = close + 2;
        continue;
      }
      break;
    }
    breaks += static_cast<size_t>(std::count(start, close, '\n'));
    text = std::string_view(start, static_cast<size_t>(close - start));
    if (escaped) {
      scratch.clear();
      for (size_t i = 0; i < text.size(); ++i) {
        scratch.push_back(text[i]);
        if (text[i] == '"') ++i;  // the second quote of a "" pair
      }
      text = scratch;
    }
    q = close + 1;
    if (q == end || kSpecial[static_cast<unsigned char>(*q)]) return Scan::kRecord;
    error = {ScanError::kAfterQuote, field, *q};
    return Scan::kError;
  }
  const char* start = q;
  while (q < end && !kSpecial[static_cast<unsigned char>(*q)]) ++q;
  if (q == end && !eof) return Scan::kIncomplete;
  text = std::string_view(start, static_cast<size_t>(q - start));
  return Scan::kRecord;
}

enum class FieldEnd { kNext, kRecordEnd, kIncomplete };

// Moves `q` past a field's terminator: a comma (another field follows), a
// line break or the end of input (the record ends).
inline FieldEnd EndField(const char*& q, const char* end, bool eof, size_t& breaks) {
  if (q == end) return FieldEnd::kRecordEnd;
  if (*q == ',') {
    ++q;
    return FieldEnd::kNext;
  }
  if (!ConsumeLineEnd(q, end, eof)) return FieldEnd::kIncomplete;
  ++breaks;
  return FieldEnd::kRecordEnd;
}

// Scans the record starting at `p` (not a blank line) and calls
// sink(field_index, text) for each field (see ScanField for the lifetime of
// the text). On kRecord, `p` moves past the record and `lines` grows by the
// line breaks it spans. With `eof` false, a record reaching `end` is
// kIncomplete.
template <typename Sink>
Scan ScanRecord(const char*& p, const char* end, bool eof, std::string& scratch, size_t& lines,
                ScanError& error, Sink&& sink) {
  const char* q = p;
  size_t field = 0;
  size_t breaks = 0;
  while (true) {
    std::string_view text;
    Scan r = ScanField(q, end, eof, scratch, breaks, error, field, text);
    if (r != Scan::kRecord) return r;
    sink(field++, text);
    FieldEnd next = EndField(q, end, eof, breaks);
    if (next == FieldEnd::kIncomplete) return Scan::kIncomplete;
    if (next == FieldEnd::kRecordEnd) break;
  }
  p = q;
  lines += breaks;
  return Scan::kRecord;
}

// Skips blank lines at `p`, counting them. Returns false when a CR ends the
// buffer and more input is needed to know whether an LF follows.
bool SkipBlankLines(const char*& p, const char* end, bool eof, size_t& lines) {
  while (p < end && (*p == '\n' || *p == '\r')) {
    if (!ConsumeLineEnd(p, end, eof)) {
      --p;
      return false;
    }
    ++lines;
  }
  return true;
}

std::string ColumnLabel(const std::vector<std::string>& header, size_t field) {
  if (field < header.size() && !header[field].empty()) return "column '" + header[field] + "'";
  return "column " + std::to_string(field + 1);
}

Error ScanErrorToError(const std::string& source, size_t line, const ScanError& e,
                       const std::vector<std::string>& header) {
  std::string where = source + ": line " + std::to_string(line) + ", " + ColumnLabel(header, e.field);
  if (e.kind == ScanError::kUnterminated) {
    return Error::Input(where + ": quoted field is never closed; end it with '\"' (and write a quote inside "
                                "a quoted field as \"\")");
  }
  std::string ch = (e.ch >= 0x20 && e.ch < 0x7f) ? std::string("'") + e.ch + "'"
                                                   : "byte " + std::to_string(static_cast<unsigned char>(e.ch));
  return Error::Input(where + ": unexpected " + ch +
                      " after a closing quote; quote the whole field and write inner quotes as \"\"");
}

Error RaggedError(const std::string& source, size_t line, size_t fields, size_t expected) {
  return Error::Input(source + ": line " + std::to_string(line) + " has " + std::to_string(fields) +
                      (fields == 1 ? " field" : " fields") + ", the header has " + std::to_string(expected) +
                      "; every row needs one value per column (an empty field is a missing value)");
}

Error EmptyError(const std::string& source) {
  return Error::Input(source + " is empty: a CSV file starts with a header line naming its columns");
}

Error NoHeaderError(const std::string& source) {
  return Error::Input(source + " has no header line (only blank lines): a CSV file starts with a header line "
                               "naming its columns");
}

// Reads all of file descriptor `fd` (a pipe or stdin).
Result<std::string> ReadAllFd(int fd, const std::string& source) {
  std::string data;
  size_t done = 0;
  while (true) {
    if (done == data.size()) data.resize(std::max<size_t>(data.size() * 2, 1 << 16));
    ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::Input("cannot read " + source + ": " + ErrnoMessage());
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

}  // namespace

// ---------------------------------------------------------------------------
// Shared field conversion.

bool IsCsvMissing(std::string_view f) {
  static constexpr std::string_view kNa[] = {
      "",       "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
      "<NA>",   "N/A",  "NA",       "NULL", "NaN",  "None",     "n/a",  "nan",  "null"};
  if (f.empty()) return true;
  if (f.size() > 8) return false;
  const char c = f.front();  // every NA text starts with one of these
  if (c != 'N' && c != 'n' && c != '#' && c != '-' && c != '1' && c != '<') return false;
  for (auto na : kNa) {
    if (f == na) return true;
  }
  return false;
}

namespace {

// The value of 8 ASCII digits loaded little-endian (fast_float's
// parse_eight_digits_unrolled).
inline uint64_t EightDigitValue(uint64_t v) {
  v = ((v & 0x0F0F0F0F0F0F0F0FULL) * 2561) >> 8;
  v = ((v & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;
  return ((v & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32;
}

// Appends the digits at `s` to `m`; returns how many there were. Eight
// bytes at a time while eight remain before `e`: the run of digits at the
// start of the word is found with one mask and valued in one step.
[[gnu::always_inline]] inline size_t TakeDigits(const char*& s, const char* e, uint64_t& m) {
  static constexpr uint64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  const char* start = s;
  while (e - s >= 8) {
    uint64_t w;
    std::memcpy(&w, s, 8);
    // A byte is a digit when its high nibble is 3 and adding 6 keeps it so;
    // a carry out of a non-digit byte only disturbs the bytes after it.
    const uint64_t other = ((w & 0xF0F0F0F0F0F0F0F0ULL) ^ 0x3030303030303030ULL) |
                           (((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) ^ 0x3030303030303030ULL);
    if (other == 0) {
      m = m * 100000000 + EightDigitValue(w);
      s += 8;
      continue;
    }
    const int k = __builtin_ctzll(other) / 8;  // digits before the first other byte
    if (k > 0) {
      // Shifted up, the k digits are the last of eight; the zero bytes below read as leading zeros.
      m = m * kPow10[k] + EightDigitValue(w << (8 * (8 - k)));
      s += k;
    }
    return static_cast<size_t>(s - start);
  }
  for (; s < e && static_cast<unsigned>(*s - '0') < 10; ++s) m = m * 10 + static_cast<uint64_t>(*s - '0');
  return static_cast<size_t>(s - start);
}

// Clinger's fast path: a decimal with at most 19 digits whose value is
// m * 10^e with m <= 2^53 and |e| <= 22 is exactly one correctly rounded
// multiplication or division. Reads the longest such number at `s` and
// returns the position after it, or nullptr when the text there is not one
// (the caller then takes the general path).
[[gnu::always_inline]] inline const char* ParseSimpleDecimal(const char* s, const char* e, double* out) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  bool negative = s < e && *s == '-';
  if (negative) ++s;
  uint64_t m = 0;
  size_t digits = TakeDigits(s, e, m);
  int exp10 = 0;
  if (s < e && *s == '.') {
    ++s;
    size_t fraction = TakeDigits(s, e, m);
    digits += fraction;
    exp10 = -static_cast<int>(fraction);
  }
  if (digits == 0 || digits > 19) return nullptr;  // beyond 19 digits m may have wrapped
  if (s < e && (*s == 'e' || *s == 'E')) {
    ++s;
    bool eneg = s < e && *s == '-';
    if (s < e && (*s == '-' || *s == '+')) ++s;
    if (s == e || static_cast<unsigned>(*s - '0') >= 10) return nullptr;
    int x = 0;
    for (; s < e && static_cast<unsigned>(*s - '0') < 10; ++s) {
      if (x > 1000) return nullptr;
      x = x * 10 + (*s - '0');
    }
    exp10 += eneg ? -x : x;
  }
  if (m > (uint64_t{1} << 53) || exp10 < -22 || exp10 > 22) return nullptr;
  double v = static_cast<double>(m);
  v = exp10 < 0 ? v / kPow10[-exp10] : v * kPow10[exp10];
  *out = negative ? -v : v;
  return s;
}

}  // namespace

bool ParseCsvNumber(std::string_view f, double* out) {
  const char* fast = ParseSimpleDecimal(f.data(), f.data() + f.size(), out);
  if (fast != nullptr && fast == f.data() + f.size()) return true;
  while (!f.empty() && (f.front() == ' ' || f.front() == '\t')) f.remove_prefix(1);
  while (!f.empty() && (f.back() == ' ' || f.back() == '\t')) f.remove_suffix(1);
  if (f.size() > 1 && f.front() == '+' && f[1] != '-' && f[1] != '+') f.remove_prefix(1);
  if (f.empty()) return false;
  double v;
  auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (ptr != f.data() + f.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves `v` unset on overflow and underflow; strtod says which.
    v = std::strtod(std::string(f).c_str(), nullptr);
  } else if (ec != std::errc()) {
    return false;
  }
  if (std::isnan(v)) return false;  // NaN texts are missing values, not numbers
  *out = v;
  return true;
}

const CsvColumn* CsvTable::Find(std::string_view name) const {
  for (const auto& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// CsvReader

struct CsvReader::Input {
  int fd = -1;  // -1: everything is already in `buf`
  bool own_fd = false;
  std::string buf;
  size_t pos = 0;
  bool eof = false;
  std::string scratch;
  ~Input() {
    if (own_fd && fd >= 0) ::close(fd);
  }
  // Drops consumed bytes and reads more; grows the buffer when one record
  // fills it.
  Status Refill(const std::string& source) {
    if (fd < 0) {
      eof = true;
      return OkStatus();
    }
    buf.erase(0, pos);
    pos = 0;
    size_t want = std::max<size_t>(buf.size(), 1 << 20);
    size_t old = buf.size();
    buf.resize(old + want);
    while (true) {
      ssize_t n = ::read(fd, buf.data() + old, want);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        buf.resize(old);
        return Error::Input("cannot read " + source + ": " + ErrnoMessage());
      }
      buf.resize(old + static_cast<size_t>(n));
      if (n == 0) eof = true;
      return OkStatus();
    }
  }
};

CsvReader::CsvReader(std::unique_ptr<Input> input, std::string source)
    : input_(std::move(input)), source_(std::move(source)) {}
CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

Result<CsvReader> CsvReader::Open(const std::string& path) {
  auto input = std::make_unique<Input>();
  std::string source = path == "-" ? "standard input" : path;
  if (path == "-") {
    input->fd = 0;
  } else {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::Input("cannot open " + path + ": " + ErrnoMessage());
    input->fd = fd;
    input->own_fd = true;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      return Error::Input(path + " is a directory; give a CSV file");
    }
  }
  CsvReader reader(std::move(input), std::move(source));
  CUSTODY_RETURN_IF_ERROR(reader.Start());
  return reader;
}

Result<CsvReader> CsvReader::FromString(std::string text, std::string source) {
  auto input = std::make_unique<Input>();
  input->buf = std::move(text);
  CsvReader reader(std::move(input), std::move(source));
  CUSTODY_RETURN_IF_ERROR(reader.Start());
  return reader;
}

Status CsvReader::Start() {
  Input& in = *input_;
  do {
    CUSTODY_RETURN_IF_ERROR(in.Refill(source_));
  } while (in.buf.size() < kBom.size() && !in.eof);
  if (std::string_view(in.buf).substr(0, kBom.size()) == kBom) in.pos = kBom.size();
  if (in.pos == in.buf.size() && in.eof) return EmptyError(source_);
  std::vector<std::string> header;
  CUSTODY_ASSIGN_OR_RETURN(bool got, ReadRecord(header));
  if (!got) return NoHeaderError(source_);
  header_ = std::move(header);
  return OkStatus();
}

Result<bool> CsvReader::Next(std::vector<std::string>& row) { return ReadRecord(row); }

Result<bool> CsvReader::ReadRecord(std::vector<std::string>& row) {
  Input& in = *input_;
  const bool is_header = header_.empty();
  const size_t expected = header_.size();
  if (!is_header) row.resize(expected);
  while (true) {
    const char* base = in.buf.data();
    const char* p = base + in.pos;
    const char* end = base + in.buf.size();
    size_t lines = next_line_;
    if (!SkipBlankLines(p, end, in.eof, lines) || (p == end && !in.eof)) {
      CUSTODY_RETURN_IF_ERROR(in.Refill(source_));
      continue;
    }
    if (p == end) {
      in.pos = in.buf.size();
      next_line_ = lines;
      return false;
    }
    size_t start_line = lines;
    size_t count = 0;
    ScanError error;
    Scan r = ScanRecord(p, end, in.eof, in.scratch, lines, error, [&](size_t i, std::string_view f) {
      if (is_header) {
        row.emplace_back(f);
      } else if (i < expected) {
        row[i].assign(f);
      }
      count = i + 1;
    });
    if (r == Scan::kIncomplete) {
      if (is_header) row.clear();
      // Keep the skipped blank lines consumed, then read more.
      in.pos = static_cast<size_t>(p - base);
      next_line_ = start_line;
      CUSTODY_RETURN_IF_ERROR(in.Refill(source_));
      continue;
    }
    line_ = start_line;
    if (r == Scan::kError) return ScanErrorToError(source_, start_line, error, header_);
    in.pos = static_cast<size_t>(p - base);
    next_line_ = lines;
    if (!is_header && count != expected) return RaggedError(source_, start_line, count, expected);
    return true;
  }
}

// ---------------------------------------------------------------------------
// ReadCsvTable

namespace {

// The input bytes: a memory map of a regular file or a string read from a pipe.
class InputBytes {
 public:
  InputBytes() = default;
  InputBytes(const InputBytes&) = delete;
  InputBytes& operator=(const InputBytes&) = delete;
  ~InputBytes() {
    if (map_ != nullptr) ::munmap(map_, size_);
  }

  Status Load(const std::string& path, const std::string& source) {
    if (path == "-") {
      CUSTODY_ASSIGN_OR_RETURN(owned_, ReadAllFd(0, source));
      return OkStatus();
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::Input("cannot open " + path + ": " + ErrnoMessage());
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      std::string why = ErrnoMessage();
      ::close(fd);
      return Error::Input("cannot stat " + path + ": " + why);
    }
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return Error::Input(path + " is a directory; give a CSV file");
    }
    if (!S_ISREG(st.st_mode) || st.st_size == 0) {
      auto data = ReadAllFd(fd, source);
      ::close(fd);
      if (!data.ok()) return data.error();
      owned_ = std::move(*data);
      return OkStatus();
    }
    size_ = static_cast<size_t>(st.st_size);
    void* m = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (m == MAP_FAILED) return Error::Input("cannot map " + path + " into memory: " + ErrnoMessage());
    ::madvise(m, size_, MADV_SEQUENTIAL);
    map_ = m;
    return OkStatus();
  }

  std::string_view view() const {
    if (map_ != nullptr) return {static_cast<const char*>(map_), size_};
    return owned_;
  }

 private:
  void* map_ = nullptr;
  size_t size_ = 0;
  std::string owned_;
};

constexpr uint32_t kMissingCode = CsvColumn::kMissingCode;

// The distinct texts of a categorical column, each stored once and numbered
// in the order they were added, with an open-addressing hash index. Texts of
// up to 8 bytes (most category names) are hashed and compared as one word.
class Dictionary {
 public:
  uint32_t Code(std::string_view text) {
    if ((texts_.size() + 1) * 2 > slots_.size()) Grow();
    uint64_t word = 0;
    size_t h;
    if (text.size() <= 8) {
      word = ShortWord(text);
      // splitmix64's finalizer: every bit of the word reaches the low bits.
      uint64_t z = word ^ text.size();
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      h = static_cast<size_t>(z ^ (z >> 31));
    } else {
      h = std::hash<std::string_view>{}(text);
    }
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const uint32_t slot = slots_[i];
      if (slot == 0) {
        slots_[i] = static_cast<uint32_t>(texts_.size() + 1);
        texts_.emplace_back(text);
        entries_.push_back({h, word, text.size()});
        return static_cast<uint32_t>(texts_.size() - 1);
      }
      const Entry& e = entries_[slot - 1];
      if (e.hash == h && e.size == text.size() && (text.size() <= 8 ? e.word == word : texts_[slot - 1] == text)) {
        return slot - 1;
      }
    }
  }
  size_t size() const { return texts_.size(); }
  const std::string& text(uint32_t code) const { return texts_[code]; }
  std::vector<std::string> Release() { return std::move(texts_); }

 private:
  struct Entry {
    size_t hash;
    uint64_t word;  // texts of up to 8 bytes: ShortWord
    size_t size;
  };

  // A text of at most 8 bytes as a word that, with its size, tells it apart
  // from every other text: two loads that overlap (or three bytes) cover
  // every byte, with no call to memcpy of a variable size.
  static uint64_t ShortWord(std::string_view t) {
    const char* p = t.data();
    const size_t n = t.size();
    if (n >= 4) {
      uint32_t lo, hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + n - 4, 4);
      return (static_cast<uint64_t>(hi) << 32) | lo;
    }
    if (n == 0) return 0;
    return (static_cast<uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
           (static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8) |
           static_cast<unsigned char>(p[n - 1]);
  }

  void Grow() {
    std::vector<uint32_t> slots(std::max<size_t>(slots_.size() * 2, 16), 0);
    const size_t mask = slots.size() - 1;
    for (size_t c = 0; c < entries_.size(); ++c) {
      size_t i = entries_[c].hash & mask;
      while (slots[i] != 0) i = (i + 1) & mask;
      slots[i] = static_cast<uint32_t>(c + 1);
    }
    slots_.swap(slots);
  }

  std::vector<std::string> texts_;
  std::vector<Entry> entries_;
  std::vector<uint32_t> slots_;  // code + 1; 0 = empty
};

// One loaded column of one chunk of records.
struct ColumnPart {
  bool numeric = true;
  size_t text_from = 0;  // categorical: rows before this still need their text
  std::vector<double> numbers;
  std::vector<uint32_t> codes;  // categorical: into `dictionary`, kMissingCode = missing
  Dictionary dictionary;

  // Stores field `f` of row `row`: a number while the column is numeric,
  // from its first non-number on a text code (earlier rows are coded later
  // by FillText).
  void Add(size_t row, std::string_view f) {
    if (numeric) {
      double v;
      if (ParseCsvNumber(f, &v)) {
        numbers.push_back(v);
        return;
      }
      if (IsCsvMissing(f)) {
        numbers.push_back(kMissing);
        return;
      }
      ToText(row);
    }
    codes.push_back(Code(f));
  }

  // The column holds text from row `row` on; rows before it are coded later.
  void ToText(size_t row) {
    numeric = false;
    text_from = row;
    numbers = {};
    codes.assign(row, kMissingCode);
  }

  uint32_t Code(std::string_view f) { return IsCsvMissing(f) ? kMissingCode : dictionary.Code(f); }
};

struct Chunk {
  size_t begin = 0;
  size_t end = 0;
  size_t rows = 0;
  std::vector<ColumnPart> parts;
  // First problem, as a byte offset of its record plus a message maker.
  bool failed = false;
  size_t error_offset = 0;
  ScanError scan_error;
  size_t fields = 0;  // ragged: fields found
};

// Offsets where the records of [begin, size) should be split into about
// `parts` chunks. A cut is placed after a line feed outside quotes; quotes
// change state exactly as ScanRecord reads them (a quote opens a field only at
// its start; "" inside a quoted field is an escaped quote).
std::vector<size_t> SplitPoints(std::string_view text, size_t begin, size_t parts) {
  const char* b = text.data();
  const size_t size = text.size();
  std::vector<size_t> cuts{begin};
  bool quoted = false;
  size_t qpos = begin;  // quotes before qpos are accounted for
  size_t cached = 0;  // the first quote at or after `cached_from`
  size_t cached_from = size + 1;
  auto next_quote = [&](size_t from) -> size_t {
    if (from >= size) return size;
    if (cached_from <= from && from <= cached) return cached;
    const void* q = std::memchr(b + from, '"', size - from);
    cached_from = from;
    cached = q == nullptr ? size : static_cast<size_t>(static_cast<const char*>(q) - b);
    return cached;
  };
  auto advance = [&](size_t to) {  // account for every quote before `to`
    while (true) {
      size_t x = next_quote(qpos);
      if (x >= to || x >= size) {
        qpos = std::max(qpos, std::min(to, size));
        return;
      }
      if (!quoted) {
        char prev = x == begin ? ',' : b[x - 1];
        if (prev == ',' || prev == '\n' || prev == '\r') quoted = true;
        qpos = x + 1;
      } else if (x + 1 < size && b[x + 1] == '"') {
        qpos = x + 2;
      } else {
        quoted = false;
        qpos = x + 1;
      }
    }
  };
  for (size_t k = 1; k < parts; ++k) {
    size_t target = begin + (size - begin) / parts * k;
    if (target <= cuts.back()) continue;
    advance(target);
    size_t cut = size;
    while (true) {
      if (quoted) {
        size_t x = next_quote(qpos);
        if (x >= size) break;
        advance(x + 1);
        continue;
      }
      size_t from = std::max(target, qpos);
      const void* nl = from < size ? std::memchr(b + from, '\n', size - from) : nullptr;
      if (nl == nullptr) break;
      size_t nlpos = static_cast<size_t>(static_cast<const char*>(nl) - b);
      size_t x = next_quote(qpos);
      if (x > nlpos) {
        cut = nlpos + 1;
        break;
      }
      advance(x + 1);
    }
    if (cut >= size) break;
    cuts.push_back(cut);
  }
  cuts.push_back(size);
  return cuts;
}

struct Layout {
  size_t fields = 0;                // header width
  std::vector<int> slot;            // header field -> loaded column, or -1
  std::vector<std::string> header;  // for messages
};

// Parses the records of `chunk` (see ColumnPart::Add). A number followed by
// a field terminator is read straight from the input; anything else is
// scanned as a field first.
void ParseChunk(std::string_view text, const Layout& layout, size_t columns, Chunk& chunk) {
  chunk.parts.assign(columns, {});
  const char* p = text.data() + chunk.begin;
  const char* end = text.data() + chunk.end;
  std::string scratch;
  size_t lines = 0;
  size_t row = 0;
  while (true) {
    SkipBlankLines(p, end, true, lines);
    if (p == end) break;
    const char* record = p;
    size_t field = 0;
    ScanError error;
    while (true) {
      const int s = field < layout.fields ? layout.slot[field] : -1;
      ColumnPart* c = s < 0 ? nullptr : &chunk.parts[static_cast<size_t>(s)];
      double v;
      const char* q;
      if (c != nullptr && c->numeric && p < end && *p != '"' &&
          (q = ParseSimpleDecimal(p, end, &v)) != nullptr && (q == end || kSpecial[static_cast<unsigned char>(*q)])) {
        c->numbers.push_back(v);
        p = q;
      } else {
        std::string_view f;
        if (ScanField(p, end, true, scratch, lines, error, field, f) != Scan::kRecord) {
          chunk.failed = true;
          chunk.error_offset = static_cast<size_t>(record - text.data());
          chunk.scan_error = error;
          return;
        }
        if (c != nullptr) c->Add(row, f);
      }
      ++field;
      if (EndField(p, end, true, lines) == FieldEnd::kRecordEnd) break;
    }
    if (field != layout.fields) {
      chunk.failed = true;
      chunk.error_offset = static_cast<size_t>(record - text.data());
      chunk.fields = field;
      return;
    }
    if (++row == 64) {
      // Reserve for the whole chunk from the size of the first rows.
      size_t used = static_cast<size_t>(p - (text.data() + chunk.begin));
      size_t estimate = (chunk.end - chunk.begin) / std::max<size_t>(used, 1) * 64 + 64;
      estimate += estimate / 16;
      for (ColumnPart& c : chunk.parts) {
        if (c.numeric) {
          c.numbers.reserve(estimate);
        } else {
          c.codes.reserve(estimate);
        }
      }
    }
  }
  chunk.rows = row;
}

// Codes the text of rows [0, until[s]) of every loaded column s with
// until[s] > 0.
void FillText(std::string_view text, const Layout& layout, const std::vector<size_t>& until, Chunk& chunk) {
  size_t last = *std::max_element(until.begin(), until.end());
  const char* p = text.data() + chunk.begin;
  const char* end = text.data() + chunk.end;
  std::string scratch;
  size_t lines = 0;
  ScanError error;
  for (size_t row = 0; row < last; ++row) {
    SkipBlankLines(p, end, true, lines);
    ScanRecord(p, end, true, scratch, lines, error, [&](size_t i, std::string_view f) {
      int s = layout.slot[i];
      if (s < 0 || row >= until[static_cast<size_t>(s)]) return;
      ColumnPart& part = chunk.parts[static_cast<size_t>(s)];
      part.codes[row] = part.Code(f);
    });
  }
}

size_t LineAt(std::string_view text, size_t offset) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(offset), '\n'));
}

Result<Layout> PlanColumns(const std::vector<std::string>& header, const CsvReadOptions& options,
                           const std::string& source, std::vector<CsvColumn>& columns) {
  Layout layout;
  layout.fields = header.size();
  layout.header = header;
  layout.slot.assign(header.size(), -1);
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < header.size(); ++i) index.emplace(header[i], i);
  auto check_known = [&](const std::vector<std::string>& names, const char* flag) -> Status {
    for (const auto& n : names) {
      if (index.count(n) == 0) {
        return Error::Input(source + " has no column '" + n + "' (named by " + flag +
                            "); its header has " + std::to_string(header.size()) + " columns, the first '" +
                            header.front() + "'");
      }
    }
    return OkStatus();
  };
  CUSTODY_RETURN_IF_ERROR(check_known(options.columns, "--columns"));
  CUSTODY_RETURN_IF_ERROR(check_known(options.exclude, "--exclude"));
  auto listed = [](const std::vector<std::string>& names, const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  std::unordered_map<std::string_view, size_t> seen;
  for (size_t i = 0; i < header.size(); ++i) {
    if (!options.columns.empty() && !listed(options.columns, header[i])) continue;
    if (listed(options.exclude, header[i])) continue;
    auto [it, fresh] = seen.emplace(header[i], i);
    if (!fresh) {
      return Error::Input(source + ": column '" + header[i] + "' appears twice in the header (columns " +
                          std::to_string(it->second + 1) + " and " + std::to_string(i + 1) +
                          "); rename one or exclude it");
    }
    layout.slot[i] = static_cast<int>(columns.size());
    CsvColumn col;
    col.name = header[i];
    col.index = i;
    columns.push_back(std::move(col));
  }
  return layout;
}

constexpr size_t kParallelBytes = size_t{4} << 20;
constexpr size_t kMinChunkBytes = size_t{1} << 20;

}  // namespace

Result<CsvTable> ParseCsvTable(std::string_view text, const std::string& source, const CsvReadOptions& options) {
  size_t begin = text.substr(0, kBom.size()) == kBom ? kBom.size() : 0;
  if (begin == text.size()) return EmptyError(source);
  // The header.
  const char* p = text.data() + begin;
  const char* end = text.data() + text.size();
  size_t lines = 1;
  SkipBlankLines(p, end, true, lines);
  if (p == end) return NoHeaderError(source);
  std::vector<std::string> header;
  std::string scratch;
  ScanError error;
  size_t header_line = lines;
  if (ScanRecord(p, end, true, scratch, lines, error, [&](size_t, std::string_view f) {
        header.emplace_back(f);
      }) != Scan::kRecord) {
    return ScanErrorToError(source, header_line, error, header);
  }
  CsvTable table;
  CUSTODY_ASSIGN_OR_RETURN(Layout layout, PlanColumns(header, options, source, table.columns));
  const size_t ncols = table.columns.size();
  size_t data_begin = static_cast<size_t>(p - text.data());

  // Split into chunks and parse them.
  size_t threads = options.threads == 0 ? ThreadPool::DefaultThreads() : options.threads;
  size_t bytes = text.size() - data_begin;
  size_t want = 1;
  if (threads > 1 && bytes >= kParallelBytes) want = std::min(threads * 4, bytes / kMinChunkBytes);
  std::vector<size_t> cuts = want > 1 ? SplitPoints(text, data_begin, want)
                                      : std::vector<size_t>{data_begin, text.size()};
  std::vector<Chunk> chunks(cuts.size() - 1);
  for (size_t i = 0; i < chunks.size(); ++i) {
    chunks[i].begin = cuts[i];
    chunks[i].end = cuts[i + 1];
  }
  std::unique_ptr<ThreadPool> pool;
  auto for_each = [&](size_t n, const std::function<void(size_t)>& fn) {
    if (chunks.size() == 1 || n == 1) {
      for (size_t i = 0; i < n; ++i) fn(i);
      return;
    }
    if (!pool) pool = std::make_unique<ThreadPool>(std::min(threads, chunks.size()));
    pool->ParallelFor(n, [&](size_t i, size_t) { fn(i); });
  };
  for_each(chunks.size(), [&](size_t i) { ParseChunk(text, layout, ncols, chunks[i]); });
  for (const Chunk& c : chunks) {
    if (!c.failed) continue;
    size_t line = LineAt(text, c.error_offset);
    if (c.scan_error.kind != ScanError::kNone) return ScanErrorToError(source, line, c.scan_error, header);
    return RaggedError(source, line, c.fields, layout.fields);
  }

  // A column is categorical if any chunk saw text in it; fill in the text of
  // rows that were read as numbers.
  for (size_t s = 0; s < ncols; ++s) {
    for (const Chunk& c : chunks) {
      if (!c.parts[s].numeric) table.columns[s].numeric = false;
    }
  }
  for_each(chunks.size(), [&](size_t i) {
    Chunk& c = chunks[i];
    std::vector<size_t> until(ncols, 0);
    bool any = false;
    for (size_t s = 0; s < ncols; ++s) {
      ColumnPart& part = c.parts[s];
      if (table.columns[s].numeric) continue;
      if (part.numeric) part.ToText(c.rows);
      until[s] = part.text_from;
      any = any || part.text_from > 0;
    }
    if (any) FillText(text, layout, until, c);
  });

  // Concatenate the chunks, column by column; text codes are renumbered so
  // that categories are in order of first appearance in the file.
  for (const Chunk& c : chunks) table.rows += c.rows;
  for_each(ncols, [&](size_t s) {
    CsvColumn& col = table.columns[s];
    if (col.numeric && chunks.size() == 1) {
      col.numbers = std::move(chunks[0].parts[s].numbers);
    } else if (col.numeric) {
      col.numbers.reserve(table.rows);
      for (Chunk& c : chunks) {
        col.numbers.insert(col.numbers.end(), c.parts[s].numbers.begin(), c.parts[s].numbers.end());
        c.parts[s].numbers = {};
      }
    }
    if (col.numeric) {
      col.missing = static_cast<size_t>(
          std::count_if(col.numbers.begin(), col.numbers.end(), [](double v) { return std::isnan(v); }));
      return;
    }
    Dictionary all;
    col.codes.resize(table.rows);
    uint32_t* out = col.codes.data();
    for (Chunk& c : chunks) {
      ColumnPart& part = c.parts[s];
      std::vector<uint32_t> renumber(part.dictionary.size(), kMissingCode);
      for (uint32_t code : part.codes) {
        if (code == kMissingCode) {
          ++col.missing;
        } else {
          uint32_t& to = renumber[code];
          if (to == kMissingCode) to = all.Code(part.dictionary.text(code));
          code = to;
        }
        *out++ = code;
      }
      part = {};
    }
    col.categories = all.Release();
  });
  return table;
}

Result<CsvTable> ReadCsvTable(const std::string& path, const CsvReadOptions& options) {
  std::string source = path == "-" ? "standard input" : path;
  InputBytes input;
  CUSTODY_RETURN_IF_ERROR(input.Load(path, source));
  return ParseCsvTable(input.view(), source, options);
}

}  // namespace custody
