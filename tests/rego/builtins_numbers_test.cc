// Tests for the numbers, bits, conversions and aggregates built-ins: OPA's
// results and error texts, exact big integers, and OPA's 64-bit-mantissa
// floating point.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

class NumbersTest : public ::testing::Test {
 protected:
  NumbersTest() {
    RegisterNumbers(table_);
    RegisterBits(table_);
    RegisterConversions(table_);
    RegisterAggregates(table_);
  }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    if (b == nullptr) return Error::Internal("no such built-in");
    EXPECT_EQ(b->arity, static_cast<int>(args.size())) << name;
    return b->fn(args, ctx_);
  }

  // The result as Rego text, "undefined", or "error: MESSAGE".
  std::string Eval(std::string_view name, std::vector<Value> args) {
    Result<Value> r = Call(name, std::move(args));
    if (!r.ok()) return "error: " + r.error().message();
    return r->ToRego();
  }

  static Value J(std::string_view json) {
    auto v = ParseJsonValue(json, "test");
    EXPECT_TRUE(v.ok()) << json;
    return v.ok() ? *v : Value();
  }
  static Value N(std::string_view text) {
    Value v = Value::Number(text);
    EXPECT_TRUE(v.is_defined()) << text;
    return v;
  }
  static Value S(std::string_view s) { return Value::String(s); }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

// ---- plus, minus, mul, div, rem ----

TEST_F(NumbersTest, IntegerArithmetic) {
  EXPECT_EQ(Eval("plus", {N("1"), N("2")}), "3");
  EXPECT_EQ(Eval("minus", {N("1"), N("4")}), "-3");
  EXPECT_EQ(Eval("mul", {N("6"), N("7")}), "42");
  EXPECT_EQ(Eval("div", {N("10"), N("4")}), "2.5");
  EXPECT_EQ(Eval("div", {N("10"), N("2")}), "5");
  EXPECT_EQ(Eval("rem", {N("7"), N("4")}), "3");
  EXPECT_EQ(Eval("rem", {N("-7"), N("4")}), "-3");  // truncated, sign of the dividend
  EXPECT_EQ(Eval("plus", {N("49649733057"), N("1")}), "49649733058");
}

TEST_F(NumbersTest, Int64OverflowPromotesToBigInteger) {
  EXPECT_EQ(Eval("plus", {N("9223372036854775807"), N("1")}), "9223372036854775808");
  EXPECT_EQ(Eval("minus", {N("-9223372036854775808"), N("1")}), "-9223372036854775809");
  EXPECT_EQ(Eval("mul", {N("9223372036854775807"), N("9223372036854775807")}),
            "85070591730234615847396907784232501249");
  EXPECT_EQ(Eval("div", {N("-9223372036854775808"), N("-1")}), "9223372036854775808");
  EXPECT_EQ(Eval("rem", {N("-9223372036854775808"), N("-1")}), "0");
  // And back to int64 when the result fits.
  Result<Value> r = Call("minus", {N("9223372036854775808"), N("1")});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_int());
  EXPECT_EQ(r->as_int(), INT64_MAX);
}

TEST_F(NumbersTest, BigIntegersStayExact) {
  EXPECT_EQ(Eval("plus", {N("28857836529306024611913"), N("1")}), "28857836529306024611914");
  EXPECT_EQ(Eval("mul", {N("123456789012345678901234567890"), N("10")}), "1234567890123456789012345678900");
  EXPECT_EQ(Eval("div", {N("1000000000000000000000000"), N("1000")}), "1000000000000000000000");
  EXPECT_EQ(Eval("rem", {N("100000000000000000000001"), N("10")}), "1");
  EXPECT_EQ(Eval("rem", {N("-100000000000000000000001"), N("10")}), "-1");
  EXPECT_EQ(Eval("minus", {N("100000000000000000000000"), N("100000000000000000000000")}), "0");
  // A big quotient that does not divide evenly is a float.
  EXPECT_EQ(Eval("div", {N("100000000000000000001"), N("100000000000000000000")}), "1");
}

TEST_F(NumbersTest, FloatArithmeticHasOpasPrecision) {
  // big.Float with a 64-bit mantissa, printed shortest: not 0.30000000000000004.
  EXPECT_EQ(Eval("plus", {N("0.1"), N("0.2")}), "0.3");
  EXPECT_EQ(Eval("minus", {N("0.3"), N("0.1")}), "0.2");
  EXPECT_EQ(Eval("mul", {N("1.1"), N("1.1")}), "1.21");
  EXPECT_EQ(Eval("div", {N("1"), N("3")}), "0.3333333333333333");
  EXPECT_EQ(Eval("plus", {N("0.5"), N("0.5")}), "1");
  EXPECT_EQ(Eval("mul", {N("2.5"), N("4")}), "10");
  // An integral float result beyond int64 prints with its shortest digits.
  EXPECT_EQ(Eval("mul", {N("1e20"), N("1e20")}), "10000000000000000000000000000000000000000");
  Result<Value> r = Call("mul", {N("1.5"), N("2")});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_int());
}

TEST_F(NumbersTest, DivisionAndModuloErrors) {
  EXPECT_EQ(Eval("div", {N("1"), N("0")}), "error: eval_builtin_error: div: divide by zero");
  EXPECT_EQ(Eval("div", {N("1.5"), N("0.0")}), "error: eval_builtin_error: div: divide by zero");
  EXPECT_EQ(Eval("rem", {N("7"), N("0")}), "error: eval_builtin_error: rem: modulo by zero");
  EXPECT_EQ(Eval("rem", {N("1.1"), N("1")}),
            "error: eval_builtin_error: rem: modulo on floating-point number");
  EXPECT_EQ(Eval("rem", {N("1.5"), N("0")}),
            "error: eval_builtin_error: rem: modulo on floating-point number");
  EXPECT_EQ(Eval("rem", {N("5"), N("2.5")}),
            "error: eval_builtin_error: rem: modulo on floating-point number");
  // An integral double is an integer for rem.
  EXPECT_EQ(Eval("rem", {N("1e20"), N("7")}), "2");
  EXPECT_EQ(Eval("rem", {N("6.0"), N("4")}), "2");
}

TEST_F(NumbersTest, OperandTypeErrors) {
  EXPECT_EQ(Eval("plus", {S("1"), N("2")}),
            "error: eval_type_error: plus: operand 1 must be number but got string");
  EXPECT_EQ(Eval("mul", {N("1"), Value::Null()}),
            "error: eval_type_error: mul: operand 2 must be number but got null");
  EXPECT_EQ(Eval("div", {N("1"), J("[]")}),
            "error: eval_type_error: div: operand 2 must be number but got array");
  EXPECT_EQ(Eval("rem", {Value::Bool(true), N("2")}),
            "error: eval_type_error: rem: operand 1 must be number but got boolean");
  EXPECT_EQ(Eval("rem", {N("1"), S("x")}),
            "error: eval_type_error: rem: operand 2 must be number but got string");
}

TEST_F(NumbersTest, MinusIsAlsoSetDifference) {
  Value a = Value::Set({N("1"), N("2"), N("3")});
  Value b = Value::Set({N("2"), N("4")});
  EXPECT_EQ(Eval("minus", {a, b}), "{1, 3}");
  EXPECT_EQ(Eval("minus", {b, b}), "set()");
  EXPECT_EQ(Eval("minus", {S("a"), b}),
            "error: eval_type_error: minus: operand 1 must be one of {number, set} but got string");
  // OPA's wording when the operands disagree.
  EXPECT_EQ(Eval("minus", {a, N("1")}),
            "error: eval_type_error: minus: operand 2 must be set but got number");
  EXPECT_EQ(Eval("minus", {N("1"), a}),
            "error: eval_type_error: minus: operand 2 must be number but got set");
  EXPECT_EQ(Eval("minus", {a, S("x")}),
            "error: eval_type_error: minus: operand 2 must be number but got string");
}

TEST_F(NumbersTest, HugeIntegersAreRefusedNotAllocated) {
  std::string digits(6000, '9');
  Result<Value> r = Call("mul", {N(digits), N(digits)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "eval_builtin_error: mul: integer too large (more than 16384 bits)");
  // Just below the limit is fine.
  std::string big(2000, '9');
  r = Call("mul", {N(big), N(big)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->big_digits().size(), 4000u);
}

// ---- abs, ceil, floor, round ----

TEST_F(NumbersTest, Rounding) {
  EXPECT_EQ(Eval("abs", {N("-10")}), "10");
  EXPECT_EQ(Eval("abs", {N("-1.5")}), "1.5");
  EXPECT_EQ(Eval("abs", {N("-9223372036854775808")}), "9223372036854775808");
  EXPECT_EQ(Eval("abs", {N("-100000000000000000000")}), "100000000000000000000");
  EXPECT_EQ(Eval("ceil", {N("1.01")}), "2");
  EXPECT_EQ(Eval("ceil", {N("-1.99999")}), "-1");
  EXPECT_EQ(Eval("ceil", {N("2222.2222222222")}), "2223");
  EXPECT_EQ(Eval("floor", {N("1.5")}), "1");
  EXPECT_EQ(Eval("floor", {N("-1.001")}), "-2");
  EXPECT_EQ(Eval("floor", {N("99.99999")}), "99");
  EXPECT_EQ(Eval("floor", {N("7")}), "7");
  // Half away from zero.
  EXPECT_EQ(Eval("round", {N("2.5")}), "3");
  EXPECT_EQ(Eval("round", {N("-2.5")}), "-3");
  EXPECT_EQ(Eval("round", {N("0.49999999999999994")}), "0");
  EXPECT_EQ(Eval("round", {N("1e30")}), "1000000000000000000000000000000");
  EXPECT_EQ(Eval("abs", {S("1")}), "error: eval_type_error: abs: operand 1 must be number but got string");
  EXPECT_EQ(Eval("round", {Value::Null()}),
            "error: eval_type_error: round: operand 1 must be number but got null");
}

// ---- numbers.range, numbers.range_step ----

TEST_F(NumbersTest, Range) {
  EXPECT_EQ(Eval("numbers.range", {N("0"), N("3")}), "[0, 1, 2, 3]");
  EXPECT_EQ(Eval("numbers.range", {N("2"), N("-1")}), "[2, 1, 0, -1]");
  EXPECT_EQ(Eval("numbers.range", {N("5"), N("5")}), "[5]");
  EXPECT_EQ(Eval("numbers.range", {N("9223372036854775806"), N("9223372036854775808")}),
            "[9223372036854775806, 9223372036854775807, 9223372036854775808]");
  EXPECT_EQ(Eval("numbers.range", {N("3.14"), N("4")}),
            "error: eval_type_error: numbers.range: operand 1 must be integer number but got floating-point "
            "number");
  EXPECT_EQ(Eval("numbers.range", {N("3"), N("3.14")}),
            "error: eval_type_error: numbers.range: operand 2 must be integer number but got floating-point "
            "number");
  EXPECT_EQ(Eval("numbers.range", {S("1"), N("2")}),
            "error: eval_type_error: numbers.range: operand 1 must be integer but got string");
  EXPECT_EQ(Eval("numbers.range", {N("0"), N("100000000000")}),
            "error: eval_builtin_error: numbers.range: range has more than 10000000 numbers");
  EXPECT_EQ(Eval("numbers.range", {N("0"), N("100000000000000000000000")}),
            "error: eval_builtin_error: numbers.range: range has more than 10000000 numbers");
}

TEST_F(NumbersTest, RangeStep) {
  EXPECT_EQ(Eval("numbers.range_step", {N("0"), N("10"), N("2")}), "[0, 2, 4, 6, 8, 10]");
  EXPECT_EQ(Eval("numbers.range_step", {N("0"), N("-10"), N("2")}), "[0, -2, -4, -6, -8, -10]");
  EXPECT_EQ(Eval("numbers.range_step", {N("10"), N("3"), N("2")}), "[10, 8, 6, 4]");
  EXPECT_EQ(Eval("numbers.range_step", {N("2"), N("5"), N("2")}), "[2, 4]");
  EXPECT_EQ(Eval("numbers.range_step", {N("1024"), N("4096"), N("1024")}), "[1024, 2048, 3072, 4096]");
  EXPECT_EQ(Eval("numbers.range_step", {N("0"), N("10"), N("99999999999999999999")}), "[0]");
  EXPECT_EQ(Eval("numbers.range_step", {N("0"), N("10"), N("-2")}),
            "error: eval_builtin_error: numbers.range_step: step must be a positive integer");
  EXPECT_EQ(Eval("numbers.range_step", {N("0"), N("10"), N("0")}),
            "error: eval_builtin_error: numbers.range_step: step must be a positive integer");
  EXPECT_EQ(Eval("numbers.range_step", {N("0"), N("10"), N("1.5")}),
            "error: eval_type_error: numbers.range_step: operand 3 must be integer number but got "
            "floating-point number");
  EXPECT_EQ(Eval("numbers.range_step",
                 {N("-9223372036854775808"), N("9223372036854775807"), N("9223372036854775807")}),
            "[-9223372036854775808, -1, 9223372036854775806]");
}

// ---- rand.intn ----

TEST_F(NumbersTest, RandIntnIsStableWithinAnEvaluation) {
  ctx_.seed = 12345;
  Result<Value> first = Call("rand.intn", {S("key"), N("100")});
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->is_int());
  EXPECT_GE(first->as_int(), 0);
  EXPECT_LT(first->as_int(), 100);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(*Call("rand.intn", {S("key"), N("100")}), *first);
  // The sign of n does not matter: OPA caches by |n|.
  EXPECT_EQ(*Call("rand.intn", {S("key"), N("-100")}), *first);
  EXPECT_EQ(Eval("rand.intn", {S("key"), N("0")}), "0");
  // Different keys spread out over the range.
  std::set<int64_t> seen;
  for (int i = 0; i < 200; ++i)
    seen.insert(Call("rand.intn", {S("k" + std::to_string(i)), N("10")})->as_int());
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_TRUE(table_.Find("rand.intn")->nondeterministic);
  EXPECT_EQ(Eval("rand.intn", {N("1"), N("2")}),
            "error: eval_type_error: rand.intn: operand 1 must be string but got number");
  EXPECT_EQ(
      Eval("rand.intn", {S("k"), N("2.5")}),
      "error: eval_type_error: rand.intn: operand 2 must be integer number but got floating-point number");
}

TEST_F(NumbersTest, RandIntnDependsOnTheSeed) {
  std::set<int64_t> values;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    BuiltinContext ctx;
    ctx.seed = seed;
    std::vector<Value> args = {S("key"), N("1000000")};
    values.insert(table_.Find("rand.intn")->fn(args, ctx)->as_int());
  }
  EXPECT_GT(values.size(), 15u);
}

// ---- bits ----

TEST_F(NumbersTest, Bits) {
  EXPECT_EQ(Eval("bits.and", {N("5"), N("3")}), "1");
  EXPECT_EQ(Eval("bits.or", {N("5"), N("3")}), "7");
  EXPECT_EQ(Eval("bits.xor", {N("5"), N("3")}), "6");
  EXPECT_EQ(Eval("bits.negate", {N("42")}), "-43");
  EXPECT_EQ(Eval("bits.lsh", {N("1"), N("3")}), "8");
  EXPECT_EQ(Eval("bits.rsh", {N("8"), N("3")}), "1");
  EXPECT_EQ(Eval("bits.rsh", {N("-9"), N("1")}), "-5");  // arithmetic shift
  EXPECT_EQ(Eval("bits.rsh", {N("-1"), N("100")}), "-1");
  EXPECT_EQ(Eval("bits.rsh", {N("5"), N("100")}), "0");
  EXPECT_EQ(Eval("bits.lsh", {N("2147483647"), N("1")}), "4294967294");
  EXPECT_EQ(Eval("bits.lsh", {N("9223372036854775807"), N("1")}), "18446744073709551614");
  EXPECT_EQ(Eval("bits.lsh", {N("-3"), N("64")}), "-55340232221128654848");
  EXPECT_EQ(Eval("bits.lsh", {N("0"), N("1000000000000")}), "0");
}

TEST_F(NumbersTest, BitsOnBigIntegersUseTwosComplement) {
  // 2^70 + 5
  Value big = N("1180591620717411303429");
  EXPECT_EQ(Eval("bits.and", {big, N("7")}), "5");
  EXPECT_EQ(Eval("bits.or", {big, N("2")}), "1180591620717411303431");
  EXPECT_EQ(Eval("bits.xor", {big, big}), "0");
  EXPECT_EQ(Eval("bits.and", {N("-1"), big}), "1180591620717411303429");
  EXPECT_EQ(Eval("bits.and", {N("-1180591620717411303429"), N("255")}), "251");
  EXPECT_EQ(Eval("bits.or", {N("-1180591620717411303429"), N("1")}), "-1180591620717411303429");
  EXPECT_EQ(Eval("bits.xor", {N("-1180591620717411303429"), N("-1")}), "1180591620717411303428");
  EXPECT_EQ(Eval("bits.negate", {big}), "-1180591620717411303430");
  EXPECT_EQ(Eval("bits.rsh", {big, N("70")}), "1");
  EXPECT_EQ(Eval("bits.rsh", {N("-1180591620717411303429"), N("70")}), "-2");
  EXPECT_EQ(Eval("bits.lsh", {big, N("1")}), "2361183241434822606858");
}

TEST_F(NumbersTest, BitsErrors) {
  EXPECT_EQ(
      Eval("bits.or", {N("7.2"), N("1")}),
      "error: eval_type_error: bits.or: operand 1 must be integer number but got floating-point number");
  EXPECT_EQ(
      Eval("bits.xor", {N("1"), N("7.2")}),
      "error: eval_type_error: bits.xor: operand 2 must be integer number but got floating-point number");
  EXPECT_EQ(
      Eval("bits.negate", {N("7.2")}),
      "error: eval_type_error: bits.negate: operand 1 must be integer number but got floating-point number");
  EXPECT_EQ(Eval("bits.and", {S("1"), N("1")}),
            "error: eval_type_error: bits.and: operand 1 must be integer but got string");
  EXPECT_EQ(
      Eval("bits.lsh", {N("7"), N("-1")}),
      "error: eval_type_error: bits.lsh: operand 2 must be an unsigned integer number but got a negative "
      "integer");
  EXPECT_EQ(
      Eval("bits.rsh", {N("7"), N("-1")}),
      "error: eval_type_error: bits.rsh: operand 2 must be an unsigned integer number but got a negative "
      "integer");
  EXPECT_EQ(
      Eval("bits.lsh", {N("7.2"), N("-1")}),
      "error: eval_type_error: bits.lsh: operand 1 must be integer number but got floating-point number");
  EXPECT_EQ(Eval("bits.lsh", {N("1"), N("100000")}),
            "error: eval_builtin_error: bits.lsh: integer too large (more than 16384 bits)");
}

// ---- to_number ----

TEST_F(NumbersTest, ToNumber) {
  EXPECT_EQ(Eval("to_number", {S("-42.0")}), "-42");
  EXPECT_EQ(Eval("to_number", {Value::Bool(false)}), "0");
  EXPECT_EQ(Eval("to_number", {Value::Bool(true)}), "1");
  EXPECT_EQ(Eval("to_number", {Value::Null()}), "0");
  EXPECT_EQ(Eval("to_number", {N("100.1")}), "100.1");
  EXPECT_EQ(Eval("to_number", {S("3")}), "3");
  EXPECT_EQ(Eval("to_number", {S("1e3")}), "1000");
  EXPECT_EQ(Eval("to_number", {S("+5")}), "5");
  EXPECT_EQ(Eval("to_number", {S(".5")}), "0.5");
  EXPECT_EQ(Eval("to_number", {S("5.")}), "5");
  EXPECT_EQ(Eval("to_number", {S("1_000")}), "1000");
  EXPECT_EQ(Eval("to_number", {S("0x1p-2")}), "0.25");
  EXPECT_EQ(Eval("to_number", {S("0x1.8p1")}), "3");
  EXPECT_EQ(Eval("to_number", {S("123456789012345678901234567890")}), "123456789012345678901234567890");
  EXPECT_EQ(Eval("to_number", {S("1e-400")}), "0");
}

TEST_F(NumbersTest, ToNumberErrors) {
  EXPECT_EQ(Eval("to_number", {S("broken")}),
            "error: eval_builtin_error: to_number: strconv.ParseFloat: parsing \"broken\": invalid syntax");
  EXPECT_EQ(
      Eval("to_number", {S("1e400")}),
      "error: eval_builtin_error: to_number: strconv.ParseFloat: parsing \"1e400\": value out of range");
  for (const char* s :
       {"", " 1", "1 ", "0x10", "1__0", "_1", "1_", "1e", "1e+", "--1", "0x", "1.2.3", "1_e2"}) {
    Result<Value> r = Call("to_number", {S(s)});
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_NE(r.error().message().find("invalid syntax"), std::string::npos) << r.error().message();
  }
  for (const char* s : {"nan", "inf", "-inf", "Infinity", "-Infinity", "-nan", "-NaN", "iNf", "+-inf"}) {
    EXPECT_EQ(Eval("to_number", {S(s)}),
              "error: eval_type_error: to_number: operand 1 must be valid number string but got string")
        << s;
  }
  EXPECT_EQ(
      Eval("to_number", {J("[]")}),
      "error: eval_type_error: to_number: operand 1 must be one of {null, boolean, number, string} but got "
      "array");
  // Go quotes what it could not parse.
  EXPECT_EQ(
      Eval("to_number", {S("a\"b\n\x01\xff")}),
      "error: eval_builtin_error: to_number: strconv.ParseFloat: parsing \"a\\\"b\\n\\x01\\xff\": invalid "
      "syntax");
}

// ---- aggregates ----

TEST_F(NumbersTest, Count) {
  EXPECT_EQ(Eval("count", {J("[1, 2, 3]")}), "3");
  EXPECT_EQ(Eval("count", {J("{\"a\": 1}")}), "1");
  EXPECT_EQ(Eval("count", {Value::Set({N("1"), N("2")})}), "2");
  EXPECT_EQ(Eval("count", {S("abcde")}), "5");
  EXPECT_EQ(Eval("count", {S("\xc3\xa5\xc3\xa4\xc3\xb6")}), "3");  // åäö
  // Invalid UTF-8: one per bad byte, as Go's []rune.
  EXPECT_EQ(Eval("count", {S("a\xff\xe2\x82")}), "4");
  EXPECT_EQ(Eval("count", {S("\xf0\x9f\x98\x80")}), "1");
  EXPECT_EQ(Eval("count", {S("\xed\xa0\x80")}), "3");  // a surrogate is three bad bytes
  EXPECT_EQ(
      Eval("count", {N("1")}),
      "error: eval_type_error: count: operand 1 must be one of {array, object, set, string} but got number");
  EXPECT_EQ(
      Eval("count", {Value::Null()}),
      "error: eval_type_error: count: operand 1 must be one of {array, object, set, string} but got null");
}

TEST_F(NumbersTest, SumAndProduct) {
  EXPECT_EQ(Eval("sum", {J("[1, 2, 3, 4]")}), "10");
  EXPECT_EQ(Eval("sum", {Value::Set({N("1"), N("2"), N("3"), N("4")})}), "10");
  EXPECT_EQ(Eval("sum", {J("[]")}), "0");
  EXPECT_EQ(Eval("sum", {J("[49649733057, 1]")}), "49649733058");
  EXPECT_EQ(Eval("sum", {J("[0.1, 0.2]")}), "0.3");
  EXPECT_EQ(Eval("sum", {J("[9223372036854775807, 1]")}), "9223372036854775808");
  EXPECT_EQ(Eval("product", {J("[1, 2, 3, 4]")}), "24");
  EXPECT_EQ(Eval("product", {J("[]")}), "1");
  EXPECT_EQ(Eval("product", {J("[0.5, 3]")}), "1.5");
  EXPECT_EQ(Eval("product", {J("[4294967296, 4294967296, 4294967296]")}), "79228162514264337593543950336");
  EXPECT_EQ(
      Eval("sum", {J("[1, \"a\"]")}),
      "error: eval_type_error: sum: operand 1 must be array of numbers but got array containing string");
  EXPECT_EQ(Eval("product", {Value::Set({N("1"), Value::Null()})}),
            "error: eval_type_error: product: operand 1 must be set of numbers but got set containing null");
  EXPECT_EQ(Eval("sum", {J("{}")}),
            "error: eval_type_error: sum: operand 1 must be one of {set, array} but got object");
}

TEST_F(NumbersTest, MaxMinSort) {
  EXPECT_EQ(Eval("max", {J("[1, 4, 2, 3]")}), "4");
  EXPECT_EQ(Eval("min", {J("[3, 1, 2, 1]")}), "1");
  EXPECT_EQ(Eval("max", {Value::Set({N("1"), N("4")})}), "4");
  EXPECT_EQ(Eval("min", {Value::Set({N("1"), N("4")})}), "1");
  EXPECT_EQ(Eval("max", {J("[]")}), "undefined");
  EXPECT_EQ(Eval("min", {Value::EmptySet()}), "undefined");
  // OPA's order across types: null < boolean < number < string < array < object.
  EXPECT_EQ(Eval("max", {J("[1, \"a\", null, [0], {}]")}), "{}");
  EXPECT_EQ(Eval("min", {J("[1, \"a\", null, [0]]")}), "null");
  EXPECT_EQ(Eval("sort", {J("[3, \"b\", 1, \"a\", null]")}), "[null, 1, 3, \"a\", \"b\"]");
  EXPECT_EQ(Eval("sort", {Value::Set({N("4"), N("1"), N("2")})}), "[1, 2, 4]");
  EXPECT_EQ(Eval("sort", {S("x")}),
            "error: eval_type_error: sort: operand 1 must be one of {set, array} but got string");
  EXPECT_EQ(Eval("max", {N("1")}),
            "error: eval_type_error: max: operand 1 must be one of {set, array} but got number");
}

// ---- deprecated (Rego v0) built-ins ----

TEST_F(NumbersTest, DeprecatedAllAny) {
  EXPECT_EQ(Eval("all", {J("[true, true]")}), "true");
  EXPECT_EQ(Eval("all", {J("[true, 1]")}), "false");
  EXPECT_EQ(Eval("all", {J("[]")}), "true");
  EXPECT_EQ(Eval("all", {Value::Set({Value::Bool(true)})}), "true");
  EXPECT_EQ(Eval("any", {J("[false, true]")}), "true");
  EXPECT_EQ(Eval("any", {J("[false, \"true\"]")}), "false");
  EXPECT_EQ(Eval("any", {Value::EmptySet()}), "false");
  EXPECT_EQ(Eval("any", {Value::Set({Value::Bool(false), Value::Bool(true)})}), "true");
  EXPECT_EQ(Eval("all", {J("{}")}),
            "error: eval_type_error: all: operand 1 must be one of {array, set} but got object");
  EXPECT_EQ(Eval("any", {S("x")}),
            "error: eval_type_error: any: operand 1 must be one of {array, set} but got string");
}

TEST_F(NumbersTest, DeprecatedCasts) {
  EXPECT_EQ(Eval("cast_array", {J("[2, 1]")}), "[2, 1]");
  EXPECT_EQ(Eval("cast_array", {Value::Set({N("2"), N("1")})}), "[1, 2]");
  EXPECT_EQ(Eval("cast_set", {J("[2, 1, 2]")}), "{1, 2}");
  EXPECT_EQ(Eval("cast_string", {S("a")}), "\"a\"");
  EXPECT_EQ(Eval("cast_boolean", {Value::Bool(true)}), "true");
  EXPECT_EQ(Eval("cast_null", {Value::Null()}), "null");
  EXPECT_EQ(Eval("cast_object", {J("{}")}), "{}");
  EXPECT_EQ(Eval("cast_array", {S("a")}),
            "error: eval_type_error: cast_array: operand 1 must be one of {array, set} but got string");
  EXPECT_EQ(Eval("cast_set", {J("{}")}),
            "error: eval_type_error: cast_set: operand 1 must be one of {array, set} but got object");
  EXPECT_EQ(Eval("cast_string", {N("1")}),
            "error: eval_type_error: cast_string: operand 1 must be string but got number");
  EXPECT_EQ(Eval("cast_boolean", {S("true")}),
            "error: eval_type_error: cast_boolean: operand 1 must be boolean but got string");
  EXPECT_EQ(Eval("cast_null", {N("0")}),
            "error: eval_type_error: cast_null: operand 1 must be null but got number");
  EXPECT_EQ(Eval("cast_object", {J("[]")}),
            "error: eval_type_error: cast_object: operand 1 must be object but got array");
}

}  // namespace
}  // namespace custody::rego
