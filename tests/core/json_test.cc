#include "core/json.h"

#include <gtest/gtest.h>

namespace custody {
namespace {

TEST(JsonTest, ParseErrorNamesLineAndColumn) {
  auto r = ParseJson("{\n  \"a\": 1,\n  \"b\": ]\n}", "bundle.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("bundle.json:3:8"), std::string::npos) << r.error().message();
  EXPECT_EQ(r.error().kind(), ErrorKind::kInput);
}

TEST(JsonTest, TruncatedInputIsAnError) {
  auto r = ParseJson("{\"a\": [1, 2", "x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("invalid JSON"), std::string::npos);
}

TEST(JsonTest, NumberOutOfRangeIsAnErrorNotAnException) {
  // Found by fuzz/bundle_fuzz: nlohmann reports this as out_of_range, not parse_error.
  auto r = ParseJson("{\"shard_size\": 13e1331}", "model.sig");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kInput);
  EXPECT_NE(r.error().message().find("model.sig: invalid JSON: number overflow"), std::string::npos)
      << r.error().message();
}

TEST(JsonTest, FieldErrorsCarryThePath) {
  Json j = {{"a", {{"b", 5}}}};
  auto s = RequireString(j["a"], "/a", "b");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "/a/b: expected a string, found a number");
  auto m = RequireString(j["a"], "/a", "c");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message(), "/a/c: required field is missing");
  auto not_obj = RequireField(Json::array(), "/x", "y");
  ASSERT_FALSE(not_obj.ok());
  EXPECT_NE(not_obj.error().message().find("expected an object"), std::string::npos);
}

TEST(JsonTest, UnsignedAcceptsIntegralFloats) {
  Json j = Json::parse(R"({"i": 1000000000, "f": 1e9, "neg": -1, "frac": 1.5, "s": "1"})");
  EXPECT_EQ(*RequireUnsigned(j, "", "i"), 1000000000u);
  EXPECT_EQ(*RequireUnsigned(j, "", "f"), 1000000000u);
  EXPECT_FALSE(RequireUnsigned(j, "", "neg").ok());
  EXPECT_FALSE(RequireUnsigned(j, "", "frac").ok());
  EXPECT_FALSE(RequireUnsigned(j, "", "s").ok());
}

TEST(JsonTest, DeepNestingDoesNotCrash) {
  std::string deep(100000, '[');
  auto r = ParseJson(deep, "deep");
  EXPECT_FALSE(r.ok());
  std::string balanced = std::string(20000, '[') + std::string(20000, ']');
  EXPECT_TRUE(ParseJson(balanced, "balanced").ok());
}

}  // namespace
}  // namespace custody
