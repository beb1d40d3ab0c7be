// Tests for units.parse and units.parse_bytes: OPA's conformance cases
// (test/cases/testdata v0 and v1, folder units) and the arithmetic OPA uses
// (exact rationals for units.parse, 64-bit big.Float for units.parse_bytes).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

class UnitsTest : public ::testing::Test {
 protected:
  UnitsTest() { RegisterUnits(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    if (b == nullptr) return Error::Internal("no such built-in");
    EXPECT_EQ(b->arity, static_cast<int>(args.size()));
    return b->fn(args, ctx_);
  }

  std::string Text(const Result<Value>& r) { return r.ok() ? r->ToJson() : "error: " + r.error().message(); }
  std::string Parse(std::string_view s) { return Text(Call("units.parse", {Value::String(s)})); }
  std::string Bytes(std::string_view s) { return Text(Call("units.parse_bytes", {Value::String(s)})); }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

TEST_F(UnitsTest, Registered) {
  EXPECT_NE(table_.Find("units.parse"), nullptr);
  EXPECT_NE(table_.Find("units.parse_bytes"), nullptr);
}

TEST_F(UnitsTest, ParseConformance) {
  const std::pair<const char*, const char*> cases[] = {
      {"\"100TI\"", "109951162777600"},
      {"0", "0"},
      {"0.0", "0"},
      {".0", "0"},
      {"12345", "12345"},
      {"10K", "10000"},
      {"10KI", "10240"},
      {"10k", "10000"},
      {"10Ki", "10240"},
      {"200M", "200000000"},
      {"300Gi", "322122547200"},
      {"1.1K", "1100"},
      {"1.1Ki", "1126.4"},
      {".5K", "500"},
      {"100k", "100000"},
      {"100K", "100000"},
      {"100ki", "102400"},
      {"100Ki", "102400"},
      {"100m", "0.1"},
      {"100M", "100000000"},
      {"100mi", "104857600"},
      {"100Mi", "104857600"},
      {"100g", "100000000000"},
      {"100gi", "107374182400"},
      {"100t", "100000000000000"},
      {"100T", "100000000000000"},
      {"100ti", "109951162777600"},
      {"100Ti", "109951162777600"},
      {"100p", "100000000000000000"},
      {"100P", "100000000000000000"},
      {"100pi", "112589990684262400"},
      {"100Pi", "112589990684262400"},
      {"10e", "10000000000000000000"},
      {"10E", "10000000000000000000"},
      {"10ei", "11529215046068469760"},
      {"10Ei", "11529215046068469760"},
      {"1G", "1000000000"},
      {"500m", "0.5"},
      {"0.0005K", "0.5"},
      {"0.0000005M", "0.5"},
      {"1024", "1024"},
      {"1Ki", "1024"},
      {"4.1Mi", "4299161.6"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Parse(in), want) << in;
}

TEST_F(UnitsTest, ParseExactArithmetic) {
  // Scientific notation, signs, and results beyond int64.
  EXPECT_EQ(Parse("1e3"), "1000");
  EXPECT_EQ(Parse("1.5e3Ki"), "1536000");
  EXPECT_EQ(Parse("-1.5Ki"), "-1536");
  EXPECT_EQ(Parse("+2k"), "2000");
  EXPECT_EQ(Parse("1e-2"), "0.01");
  EXPECT_EQ(Parse("100Ei"), "115292150460684697600");
  EXPECT_EQ(Parse("1e30E"), "1000000000000000000000000000000000000000000000000");
  // Rounded to ten decimal places, halves away from zero.
  EXPECT_EQ(Parse("0.00000000005"), "1e-10");
  EXPECT_EQ(Parse("0.00000000004"), "0");
  EXPECT_EQ(Parse("-0.00000000005"), "-1e-10");
  EXPECT_EQ(Parse("1e-300"), "0");
  EXPECT_EQ(Parse("1e-999999"), "0");
  EXPECT_EQ(Parse("1000m"), "1");
  EXPECT_EQ(Parse("123456789m"), "123456.789");
  EXPECT_EQ(Parse("1e20m"), "100000000000000000");
  EXPECT_EQ(Parse("0e999999"), "0");
  // Too large for a double and not integral: the integer part.
  EXPECT_EQ(Parse(std::string(400, '9') + ".5"), std::string(400, '9'));
}

TEST_F(UnitsTest, ParseErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "no amount provided"},
      {"G", "no amount provided"},
      {"foo", "no amount provided"},
      {"0.0.0", "could not parse amount to a number"},
      {".5.2", "could not parse amount to a number"},
      {"100 k", "spaces not allowed in resource strings"},
      {" 327Mi ", "spaces not allowed in resource strings"},
      {"10e10000000Ei", "exponent too large"},
      {"1e+1234567", "exponent too large"},
      {"5KB", "unit Kb not recognized"},
      {"5kb", "unit kb not recognized"},
      {"5X\xc3\x84Y", "unit X\xc3\xa4y not recognized"},
      {"5\xff", "unit \xff not recognized"},
      // Go lower-cases after the first byte, so a split UTF-8 sequence
      // becomes replacement characters.
      {"5\xc3\xa9\xff", "unit \xc3\xef\xbf\xbd\xef\xbf\xbd not recognized"},
      {"1-2", "could not parse amount to a number"},
      {"e5", "could not parse amount to a number"},
      {"1e+", "could not parse amount to a number"},
      {"-", "could not parse amount to a number"},
      {"0.0000001e-999999", "could not parse amount to a number"},  // beyond big.Rat's limit
      {"1e999999", "exponent too large"},                           // our bound
  };
  for (const auto& [in, want] : cases)
    EXPECT_EQ(Parse(in), "error: eval_builtin_error: units.parse: units.parse: " + std::string(want)) << in;
  EXPECT_EQ(Text(Call("units.parse", {Value::Int(1)})),
            "error: eval_type_error: units.parse: operand 1 must be string but got number");
}

TEST_F(UnitsTest, ParseBytesConformance) {
  const std::pair<const char*, const char*> cases[] = {
      {"\"100TIB\"", "109951162777600"},
      {"0", "0"},
      {"0.0", "0"},
      {".0", "0"},
      {"12345", "12345"},
      {"10KB", "10000"},
      {"10KIB", "10240"},
      {"10kb", "10000"},
      {"10Kib", "10240"},
      {"200mb", "200000000"},
      {"300GiB", "322122547200"},
      {"1.1KB", "1100"},
      {"1.1KiB", "1126"},
      {".5KB", "500"},
      {"100k", "100000"},
      {"100kb", "100000"},
      {"100ki", "102400"},
      {"100kib", "102400"},
      {"100m", "100000000"},
      {"100mb", "100000000"},
      {"100mi", "104857600"},
      {"100mib", "104857600"},
      {"100g", "100000000000"},
      {"100gb", "100000000000"},
      {"100gi", "107374182400"},
      {"100gib", "107374182400"},
      {"100t", "100000000000000"},
      {"100tb", "100000000000000"},
      {"100ti", "109951162777600"},
      {"100tib", "109951162777600"},
      {"100p", "100000000000000000"},
      {"100pb", "100000000000000000"},
      {"100pi", "112589990684262400"},
      {"100pib", "112589990684262400"},
      {"10e", "10000000000000000000"},
      {"10eb", "10000000000000000000"},
      {"10ei", "11529215046068469760"},
      {"10eib", "11529215046068469760"},
      {"1e3KB", "1000000"},
      {"3.2E2MiB", "335544320"},
      {"4.5e1GiB", "48318382080"},
      {"5e6", "5000000"},
      {"1e-2KB", "10"},
      {"6.4E1GB", "64000000000"},
      {"7.5e1TiB", "82463372083200"},
      {"5e2MiB", "524288000"},
      {"5E", "5000000000000000000"},
      {"2e2GiB", "214748364800"},
      {"8kb", "8000"},
      {"1234kb", "1234000"},
      {"1KiB", "1024"},
      {"2MiB", "2097152"},
      {"2Mi", "2097152"},
      {"4.1Mi", "4299161"},
      {"128Gi", "137438953472"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Bytes(in), want) << in;
}

TEST_F(UnitsTest, ParseBytesFloatingPoint) {
  // Truncation toward zero, negative amounts, and the 64-bit mantissa: the
  // nearest 64-bit value to 0.1 times 3 is just below 0.3, and the rounding
  // of 123456789012345678901 shows in its last digits.
  EXPECT_EQ(Bytes("-1.5kib"), "-1536");
  EXPECT_EQ(Bytes("-0.5"), "0");
  EXPECT_EQ(Bytes("0.9999"), "0");
  EXPECT_EQ(Bytes("123456789012345678901"), "123456789012345678904");
  EXPECT_EQ(Bytes("100eib"), "115292150460684697600");
  EXPECT_EQ(Bytes("1e30"), "1000000000000000000024696061952");
  EXPECT_EQ(Bytes("1e-5kb"), "0");
  EXPECT_EQ(Bytes("1e-999999eib"), "0");
  EXPECT_EQ(Bytes("0e999999"), "0");
}

TEST_F(UnitsTest, ParseBytesErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "no byte amount provided"},
      {"GB", "no byte amount provided"},
      {"foo", "no byte amount provided"},
      {"0.0.0", "could not parse byte amount to a number"},
      {".5.2", "could not parse byte amount to a number"},
      {"100 kb", "spaces not allowed in resource strings"},
      {" 327MiB ", "spaces not allowed in resource strings"},
      {"10e10000000EiB", "exponent too large"},
      {"5XB", "byte unit xb not recognized"},
      {"5\xc3\x89", "byte unit \xc3\xa9 not recognized"},
      {"1e999999", "exponent too large"},  // our bound on the result's size
  };
  for (const auto& [in, want] : cases)
    EXPECT_EQ(Bytes(in),
              "error: eval_builtin_error: units.parse_bytes: units.parse_bytes: " + std::string(want))
        << in;
  EXPECT_EQ(Text(Call("units.parse_bytes", {Value::Null()})),
            "error: eval_type_error: units.parse_bytes: operand 1 must be string but got null");
}

TEST_F(UnitsTest, LongAmountsAreBounded) {
  std::string digits(200000, '1');
  EXPECT_EQ(Parse(digits),
            "error: eval_builtin_error: units.parse: units.parse: could not parse amount to a number");
  std::string small = "0." + std::string(5000, '0') + "1";
  EXPECT_EQ(Parse(small), "0");
  EXPECT_EQ(Bytes(small), "0");
}

}  // namespace
}  // namespace custody::rego
