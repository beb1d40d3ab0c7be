// CSV input: a streaming record reader (CsvReader) and a columnar loader
// (ReadCsvTable) for RFC 4180 files with a header line.
//
// Accepted: fields separated by commas, records ended by LF, CRLF or a bare
// CR; quoted fields with "" escapes and embedded commas and line breaks; a
// UTF-8 byte-order mark before the header; blank lines (skipped, as pandas
// does). A quote inside an unquoted field is kept as a literal character
// (5'10" stays 5'10"); text after a closing quote other than a comma or a line
// break is an error. Every record must have as many fields as the header.
//
// Missing values: an empty field and pandas' default NA texts ("NA", "N/A",
// "NaN", "nan", "null", "NULL", "None", "<NA>", "#N/A", ...). In numeric
// columns they are NaN; in categorical columns the empty string. "inf",
// "-inf", "Infinity" are numbers (infinite), left to the consumer to refuse.
//
// Errors name the file, the line (1 = the header) and, where it helps, the
// column. A CsvReader is used by one thread at a time; ReadCsvTable is
// stateless and may be called from any thread (it uses its own ThreadPool).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace custody {

// Reads records one at a time with bounded memory (one buffer of input).
class CsvReader {
 public:
  // Opens `path` ("-" = standard input) and reads its header line. Fails on a
  // missing or unreadable file, an empty file, or one with no header line.
  static Result<CsvReader> Open(const std::string& path);
  // Reads from `text` (kept by the reader); `source` names it in errors.
  static Result<CsvReader> FromString(std::string text, std::string source);

  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  ~CsvReader();

  const std::vector<std::string>& header() const { return header_; }
  // Reads the next record into `row` (resized to header().size()); false at
  // the end of input. A malformed or ragged record is an error.
  Result<bool> Next(std::vector<std::string>& row);
  // The line on which the last record read (or the header) starts, 1-based.
  size_t line() const { return line_; }
  const std::string& source() const { return source_; }

 private:
  struct Input;
  CsvReader(std::unique_ptr<Input> input, std::string source);
  Status Start();  // skips a byte-order mark and reads the header
  Result<bool> ReadRecord(std::vector<std::string>& row);

  std::unique_ptr<Input> input_;
  std::string source_;
  std::vector<std::string> header_;
  size_t line_ = 0;       // first line of the last record
  size_t next_line_ = 1;  // line where the next record starts
};

// One column of a CsvTable. A column is numeric when every value that is not
// missing parses as a number (std::from_chars; surrounding spaces and a
// leading '+' allowed); otherwise it is categorical: each row holds a code
// into `categories`, the column's distinct texts in order of first
// appearance in the file (never the empty text).
struct CsvColumn {
  static constexpr uint32_t kMissingCode = UINT32_MAX;

  std::string name;
  size_t index = 0;  // position in the file's header
  bool numeric = true;
  std::vector<double> numbers;          // numeric: one per row, NaN = missing
  std::vector<uint32_t> codes;          // categorical: one per row, kMissingCode = missing
  std::vector<std::string> categories;  // categorical: the texts the codes name
  size_t missing = 0;                   // rows with a missing value

  // Categorical: the text of row `row`, "" when missing.
  std::string_view Text(size_t row) const {
    return codes[row] == kMissingCode ? std::string_view() : std::string_view(categories[codes[row]]);
  }
};

struct CsvTable {
  std::vector<CsvColumn> columns;  // in file order
  size_t rows = 0;
  // The column named `name`, or nullptr.
  const CsvColumn* Find(std::string_view name) const;
};

struct CsvReadOptions {
  std::vector<std::string> columns;  // only these (empty = all); unknown names are an error
  std::vector<std::string> exclude;  // not these; unknown names are an error
  size_t threads = 0;                // parse threads for large inputs; 0 = one per CPU
};

// Loads a whole CSV file ("-" = standard input) into columns. Regular files
// are memory-mapped and, above a few MB, parsed in parallel chunks split at
// record boundaries (quote-aware). Duplicate names among the loaded columns
// are an error.
Result<CsvTable> ReadCsvTable(const std::string& path, const CsvReadOptions& options = {});
// The same over text in memory; `source` names it in errors.
Result<CsvTable> ParseCsvTable(std::string_view text, const std::string& source,
                               const CsvReadOptions& options = {});

// True for the texts read as missing values (see above).
bool IsCsvMissing(std::string_view field);
// Parses a whole field as a number as the loader does; false if it is not one.
bool ParseCsvNumber(std::string_view field, double* out);

}  // namespace custody
