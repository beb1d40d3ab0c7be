// Fuzzes the CSV reader and the columnar loader with arbitrary bytes: both
// must agree on what the file holds (the same rows, each loaded value equal to
// the reader's field as a number, a missing value or text), and every
// rejection must carry a message.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/csv.h"
#include "fuzz_check.h"

using custody::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto table = custody::ParseCsvTable(text, "fuzz.csv");
  auto reader = custody::CsvReader::FromString(text, "fuzz.csv");
  if (!table.ok()) Check(!table.error().message().empty());
  if (!reader.ok()) {
    Check(!reader.error().message().empty());
    Check(!table.ok());
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  while (true) {
    auto more = reader->Next(row);
    if (!more.ok()) {
      Check(!more.error().message().empty());
      Check(!table.ok());  // the loader must refuse what the reader refuses
      return 0;
    }
    if (!*more) break;
    Check(row.size() == reader->header().size());
    rows.push_back(row);
  }
  if (!table.ok()) {
    // Only a duplicate column name is refused by the loader alone.
    Check(table.error().message().find("appears twice") != std::string::npos);
    return 0;
  }
  Check(table->rows == rows.size());
  Check(table->columns.size() == reader->header().size());
  for (const auto& col : table->columns) {
    Check(col.name == reader->header()[col.index]);
    for (size_t r = 0; r < rows.size(); ++r) {
      const std::string& field = rows[r][col.index];
      bool missing = custody::IsCsvMissing(field);
      if (col.numeric) {
        double v = 0;
        if (missing) {
          Check(std::isnan(col.numbers[r]));
        } else {
          Check(custody::ParseCsvNumber(field, &v) && v == col.numbers[r]);
        }
      } else {
        Check(col.Text(r) == (missing ? std::string() : field));
      }
    }
  }
  return 0;
}
