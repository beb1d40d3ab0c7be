#include "core/csv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "test_util.h"

namespace custody {
namespace {

using custody::testing::TempDir;
using custody::testing::WriteFile;

// The text of every row of a categorical column ("" = missing).
std::vector<std::string> Texts(const CsvColumn& c) {
  std::vector<std::string> out;
  for (size_t r = 0; r < c.codes.size(); ++r) out.emplace_back(c.Text(r));
  return out;
}

std::vector<std::vector<std::string>> ReadAllRows(CsvReader& reader) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  while (true) {
    auto more = reader.Next(row);
    EXPECT_TRUE(more.ok()) << more.error().message();
    if (!more.ok() || !*more) break;
    rows.push_back(row);
  }
  return rows;
}

std::string TableError(const std::string& text, const CsvReadOptions& options = {}) {
  auto t = ParseCsvTable(text, "in.csv", options);
  EXPECT_FALSE(t.ok());
  return t.ok() ? "" : t.error().message();
}

TEST(CsvReaderTest, QuotedFieldsEscapesNewlinesCommasAndCrlf) {
  std::string text = "\xEF\xBB\xBFname,note,n\r\n\"Smith, J\",\"said \"\"hi\"\"\r\nthen left\",3\r\nx,,4\r\n";
  auto reader = CsvReader::FromString(text, "in.csv");
  ASSERT_TRUE(reader.ok()) << reader.error().message();
  EXPECT_EQ(reader->header(), (std::vector<std::string>{"name", "note", "n"}));
  std::vector<std::string> row;
  ASSERT_TRUE(*reader->Next(row));
  EXPECT_EQ(row, (std::vector<std::string>{"Smith, J", "said \"hi\"\r\nthen left", "3"}));
  EXPECT_EQ(reader->line(), 2u);
  ASSERT_TRUE(*reader->Next(row));
  EXPECT_EQ(row, (std::vector<std::string>{"x", "", "4"}));
  EXPECT_EQ(reader->line(), 4u);  // the quoted field spanned lines 2 and 3
  EXPECT_FALSE(*reader->Next(row));
}

TEST(CsvReaderTest, ReadsAFileInPiecesLargerThanItsBuffer) {
  TempDir dir;
  std::string text = "a,b\n";
  std::string big(3 << 20, 'x');  // one quoted field longer than the 1 MB read buffer
  text += "\"" + big + "\",1\n";
  for (int i = 0; i < 100000; ++i) text += std::to_string(i) + ",\"q\"\"" + std::to_string(i) + "\"\r\n";
  WriteFile(dir / "big.csv", text);
  auto reader = CsvReader::Open((dir / "big.csv").string());
  ASSERT_TRUE(reader.ok()) << reader.error().message();
  auto rows = ReadAllRows(*reader);
  ASSERT_EQ(rows.size(), 100001u);
  EXPECT_EQ(rows[0][0], big);
  EXPECT_EQ(rows[0][1], "1");
  EXPECT_EQ(rows[100000][0], "99999");
  EXPECT_EQ(rows[100000][1], "q\"99999");
  EXPECT_EQ(reader->line(), 100002u);
}

TEST(CsvReaderTest, RaggedRowNamesLineAndCounts) {
  auto reader = CsvReader::FromString("a,b,c\n1,2,3\n\n4,5\n", "in.csv");
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> row;
  ASSERT_TRUE(*reader->Next(row));
  auto r = reader->Next(row);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message().substr(0, 45), "in.csv: line 4 has 2 fields, the header has 3");
}

TEST(CsvReaderTest, EmptyAndHeaderlessInputs) {
  auto empty = CsvReader::FromString("", "e.csv");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message().find("e.csv is empty"), std::string::npos);
  auto bom_only = CsvReader::FromString("\xEF\xBB\xBF", "b.csv");
  ASSERT_FALSE(bom_only.ok());
  EXPECT_NE(bom_only.error().message().find("b.csv is empty"), std::string::npos);
  auto blank = CsvReader::FromString("\n\r\n", "n.csv");
  ASSERT_FALSE(blank.ok());
  EXPECT_NE(blank.error().message().find("n.csv has no header line"), std::string::npos);
  TempDir dir;
  WriteFile(dir / "e.csv", "");
  auto file = CsvReader::Open((dir / "e.csv").string());
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.error().message().find("is empty"), std::string::npos);
  auto missing = CsvReader::Open((dir / "nope.csv").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("cannot open"), std::string::npos);
}

TEST(CsvTableTest, ExactValuesTypesAndMissing) {
  std::string text =
      "x,y,city,z\n"
      "1.5,-2,Paris,1e3\n"
      " +3 ,NA,\"Rome\",inf\n"
      ",7,,-INF\n"
      "0.1,nan,N/A,5\n";
  auto t = ParseCsvTable(text, "in.csv");
  ASSERT_TRUE(t.ok()) << t.error().message();
  ASSERT_EQ(t->rows, 4u);
  ASSERT_EQ(t->columns.size(), 4u);
  const CsvColumn* x = t->Find("x");
  ASSERT_NE(x, nullptr);
  EXPECT_TRUE(x->numeric);
  EXPECT_EQ(x->numbers[0], 1.5);
  EXPECT_EQ(x->numbers[1], 3.0);
  EXPECT_TRUE(std::isnan(x->numbers[2]));
  EXPECT_EQ(x->numbers[3], 0.1);
  EXPECT_EQ(x->missing, 1u);
  const CsvColumn* y = t->Find("y");
  EXPECT_TRUE(y->numeric);
  EXPECT_EQ(y->numbers[0], -2.0);
  EXPECT_TRUE(std::isnan(y->numbers[1]));
  EXPECT_EQ(y->numbers[2], 7.0);
  EXPECT_EQ(y->missing, 2u);
  const CsvColumn* city = t->Find("city");
  EXPECT_FALSE(city->numeric);
  EXPECT_TRUE(city->numbers.empty());
  EXPECT_EQ(Texts(*city), (std::vector<std::string>{"Paris", "Rome", "", ""}));
  EXPECT_EQ(city->missing, 2u);
  EXPECT_EQ(city->index, 2u);
  const CsvColumn* z = t->Find("z");
  EXPECT_EQ(z->numbers[0], 1000.0);
  EXPECT_EQ(z->numbers[1], HUGE_VAL);
  EXPECT_EQ(z->numbers[2], -HUGE_VAL);
  EXPECT_EQ(z->missing, 0u);
}

TEST(CsvTableTest, ColumnTurnsCategoricalAfterNumbersKeepsTheirText) {
  auto t = ParseCsvTable("id,v\n1,01\n2,2.50\n3,abc\n4,\n", "in.csv");
  ASSERT_TRUE(t.ok()) << t.error().message();
  const CsvColumn* v = t->Find("v");
  EXPECT_FALSE(v->numeric);
  EXPECT_EQ(Texts(*v), (std::vector<std::string>{"01", "2.50", "abc", ""}));
  EXPECT_TRUE(t->Find("id")->numeric);
}

TEST(CsvTableTest, SelectAndExcludeColumns) {
  std::string text = "a,b,c,label\n1,2,3,0\n4,5,6,1\n";
  CsvReadOptions only;
  only.columns = {"c", "a"};
  auto t = ParseCsvTable(text, "in.csv", only);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->columns.size(), 2u);
  EXPECT_EQ(t->columns[0].name, "a");  // file order
  EXPECT_EQ(t->columns[1].numbers, (std::vector<double>{3, 6}));
  CsvReadOptions ex;
  ex.exclude = {"label"};
  t = ParseCsvTable(text, "in.csv", ex);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->columns.size(), 3u);
  EXPECT_EQ(t->Find("label"), nullptr);
  ex.exclude = {"lable"};
  EXPECT_NE(TableError(text, ex).find("in.csv has no column 'lable' (named by --exclude)"), std::string::npos);
}

TEST(CsvTableTest, MalformedInputsNameFileLineAndColumn) {
  EXPECT_EQ(TableError("a,b,c,d,e,f\n" + std::string("1,2,3,4,5,6\n") + "1,2,3,4,5\n").substr(0, 50),
            "in.csv: line 3 has 5 fields, the header has 6; eve");
  EXPECT_EQ(TableError("a,b\n1,2,3\n").substr(0, 45), "in.csv: line 2 has 3 fields, the header has 2");
  std::string unterminated = TableError("a,b\n1,2\n3,\"open\n4,5\n");
  EXPECT_NE(unterminated.find("in.csv: line 3, column 'b': quoted field is never closed"), std::string::npos)
      << unterminated;
  std::string after = TableError("a,b\n\"x\"y,2\n");
  EXPECT_NE(after.find("in.csv: line 2, column 'a': unexpected 'y' after a closing quote"), std::string::npos)
      << after;
  EXPECT_NE(TableError("").find("in.csv is empty"), std::string::npos);
  EXPECT_NE(TableError("\n\n").find("no header line"), std::string::npos);
  EXPECT_NE(TableError("a,b,a\n1,2,3\n").find("column 'a' appears twice"), std::string::npos);
}

TEST(CsvTableTest, HeaderOnlyOneRowBlankLinesAndLiteralQuotes) {
  auto header_only = ParseCsvTable("a,b\r\n", "in.csv");
  ASSERT_TRUE(header_only.ok());
  EXPECT_EQ(header_only->rows, 0u);
  EXPECT_EQ(header_only->columns.size(), 2u);
  auto one = ParseCsvTable("\xEF\xBB\xBF" "a,b\r\n1,x\r\n", "in.csv");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->columns[0].name, "a");  // the byte-order mark is not part of the name
  EXPECT_EQ(one->rows, 1u);
  EXPECT_EQ(Texts(one->columns[1]), (std::vector<std::string>{"x"}));
  auto no_final_newline = ParseCsvTable("a\n\n1\n\n2", "in.csv");
  ASSERT_TRUE(no_final_newline.ok());
  EXPECT_EQ(no_final_newline->columns[0].numbers, (std::vector<double>{1, 2}));
  auto literal = ParseCsvTable("h\n5'10\"\n", "in.csv");
  ASSERT_TRUE(literal.ok());
  EXPECT_EQ(literal->columns[0].Text(0), "5'10\"");
}

TEST(CsvTableTest, TenThousandColumns) {
  std::string text;
  const int n = 10000;
  for (int c = 0; c < n; ++c) text += (c ? ",c" : "c") + std::to_string(c);
  text += "\n";
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < n; ++c) text += (c ? "," : "") + std::to_string(r * n + c);
    text += "\n";
  }
  auto t = ParseCsvTable(text, "wide.csv");
  ASSERT_TRUE(t.ok()) << t.error().message();
  ASSERT_EQ(t->columns.size(), static_cast<size_t>(n));
  EXPECT_EQ(t->rows, 3u);
  EXPECT_EQ(t->columns[9999].name, "c9999");
  EXPECT_EQ(t->columns[9999].numbers, (std::vector<double>{9999, 19999, 29999}));
}

// A file large enough to be parsed in parallel chunks gives exactly what the
// single-threaded parse gives, including quoted line breaks near chunk cuts
// and a column that turns categorical in a late chunk only.
TEST(CsvTableTest, ParallelChunksMatchSerialParse) {
  TempDir dir;
  std::string text = "id,x,note,late\n";
  const int rows = 300000;
  for (int i = 0; i < rows; ++i) {
    text += std::to_string(i) + "," + std::to_string(i * 0.25) + ",";
    if (i % 7 == 0) {
      text += "\"multi\nline, \"\"" + std::to_string(i) + "\"\"\"";
    } else {
      text += "n" + std::to_string(i % 13);
    }
    text += "," + (i == rows - 5 ? std::string("oops") : std::to_string(i % 3)) + "\n";
  }
  WriteFile(dir / "big.csv", text);
  CsvReadOptions one;
  one.threads = 1;
  CsvReadOptions four;
  four.threads = 4;
  auto a = ReadCsvTable((dir / "big.csv").string(), one);
  auto b = ReadCsvTable((dir / "big.csv").string(), four);
  ASSERT_TRUE(a.ok()) << a.error().message();
  ASSERT_TRUE(b.ok()) << b.error().message();
  ASSERT_EQ(a->rows, static_cast<size_t>(rows));
  ASSERT_EQ(b->rows, static_cast<size_t>(rows));
  for (size_t c = 0; c < 4; ++c) {
    EXPECT_EQ(a->columns[c].numeric, b->columns[c].numeric) << c;
    EXPECT_EQ(a->columns[c].numbers, b->columns[c].numbers) << c;
    // Codes too: categories are numbered in order of first appearance in
    // the file, however it was split.
    EXPECT_EQ(a->columns[c].codes, b->columns[c].codes) << c;
    EXPECT_EQ(a->columns[c].categories, b->columns[c].categories) << c;
  }
  EXPECT_FALSE(b->Find("late")->numeric);
  EXPECT_EQ(b->Find("late")->Text(7), "1");
  EXPECT_EQ(b->Find("late")->Text(rows - 5), "oops");
  EXPECT_EQ(b->Find("note")->Text(7), "multi\nline, \"7\"");
  EXPECT_EQ(b->Find("note")->categories[0], "multi\nline, \"0\"");
  EXPECT_EQ(b->Find("note")->categories[1], "n1");
  EXPECT_EQ(b->Find("late")->categories, (std::vector<std::string>{"0", "1", "2", "oops"}));
  EXPECT_EQ(b->Find("x")->numbers[rows - 1], (rows - 1) * 0.25);

  // An error late in the file names its line with the parallel parse too.
  text += "1,2\n";
  WriteFile(dir / "bad.csv", text);
  auto bad = ReadCsvTable((dir / "bad.csv").string(), four);
  ASSERT_FALSE(bad.ok());
  size_t line = 2 + static_cast<size_t>(rows) + (rows + 6) / 7;  // header, rows, quoted line breaks
  EXPECT_NE(bad.error().message().find("line " + std::to_string(line) + " has 2 fields"), std::string::npos)
      << bad.error().message();
}

// Every decimal the loader reads equals what strtod reads (correct rounding),
// across lengths around the fast path's limits (8-digit groups, 19 digits,
// 2^53, exponents near +-22).
TEST(CsvTableTest, NumbersMatchStrtod) {
  std::mt19937_64 gen(11);
  auto digits = [&](size_t n) {
    std::string d;
    for (size_t i = 0; i < n; ++i) d += static_cast<char>('0' + gen() % 10);
    return d;
  };
  for (int i = 0; i < 200000; ++i) {
    std::string text = (gen() % 2 ? "-" : "") + digits(gen() % 12);
    if (gen() % 3) text += "." + digits(gen() % 14);
    if (gen() % 4 == 0) text += "e" + std::to_string(static_cast<int>(gen() % 60) - 30);
    double want = std::strtod(text.c_str(), nullptr);
    char* end = nullptr;
    std::strtod(text.c_str(), &end);
    double got = 0;
    bool ok = ParseCsvNumber(text, &got);
    bool valid = end == text.c_str() + text.size() && !text.empty() && text != "-" && text.back() != 'e';
    ASSERT_EQ(ok, valid) << text;
    if (ok) {
      ASSERT_EQ(got, want) << text;
    }
  }
}

TEST(CsvTableTest, NumberParsing) {
  double v = 0;
  EXPECT_TRUE(ParseCsvNumber("1e308", &v));
  EXPECT_EQ(v, 1e308);
  EXPECT_TRUE(ParseCsvNumber("1e999", &v));
  EXPECT_EQ(v, HUGE_VAL);
  EXPECT_TRUE(ParseCsvNumber("1e-999", &v));
  EXPECT_EQ(v, 0.0);
  EXPECT_FALSE(ParseCsvNumber("nan", &v));
  EXPECT_FALSE(ParseCsvNumber("1.2.3", &v));
  EXPECT_FALSE(ParseCsvNumber("0x10", &v));
  EXPECT_FALSE(ParseCsvNumber("+-1", &v));
  EXPECT_FALSE(ParseCsvNumber("", &v));
  EXPECT_TRUE(IsCsvMissing("NA"));
  EXPECT_TRUE(IsCsvMissing(""));
  EXPECT_FALSE(IsCsvMissing("0"));
}

}  // namespace
}  // namespace custody
