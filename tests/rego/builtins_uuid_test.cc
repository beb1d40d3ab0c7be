// Tests for uuid.rfc4122 and uuid.parse: OPA's conformance cases (folder
// uuid) and the spellings and fields github.com/google/uuid gives OPA.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

class UuidTest : public ::testing::Test {
 protected:
  UuidTest() { RegisterUuid(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args, BuiltinContext* ctx = nullptr) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    if (b == nullptr) return Error::Internal("no such built-in");
    EXPECT_EQ(b->arity, static_cast<int>(args.size()));
    return b->fn(args, ctx != nullptr ? *ctx : ctx_);
  }

  std::string Text(const Result<Value>& r) {
    if (!r.ok()) return "error: " + r.error().message();
    return r->is_defined() ? r->ToJson() : "undefined";
  }
  std::string Parse(std::string_view s) { return Text(Call("uuid.parse", {Value::String(s)})); }

  static bool IsV4(const std::string& s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < s.size(); ++i) {
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (s[i] != '-') return false;
      } else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
        return false;
      }
    }
    return s[14] == '4' && std::string("89ab").find(s[19]) != std::string::npos;
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

constexpr const char* kV2 =
    "{\"clocksequence\":12800,\"domain\":\"Person\",\"id\":1000,\"macvariables\":\"local:unicast\","
    "\"nodeid\":\"32-50-96-b3-9f-47\",\"time\":1693566990121469600,\"variant\":\"RFC4122\",\"version\":2}";

TEST_F(UuidTest, ParseConformance) {
  EXPECT_EQ(Parse("00000000-0000-4000-8000-000000000000"), "{\"variant\":\"RFC4122\",\"version\":4}");
  EXPECT_EQ(Parse("000003e8-48b9-21ee-b200-325096b39f47"), kV2);
  EXPECT_EQ(Parse("38074da4-0b00-388d-9c3c-362de965547a"), "{\"variant\":\"RFC4122\",\"version\":3}");
  EXPECT_EQ(Text(Call("uuid.parse", {Value::Int(123)})),
            "error: eval_type_error: uuid.parse: operand 1 must be string but got number");
  // The other spellings google/uuid reads.
  EXPECT_EQ(Parse("{00000000-0000-4000-8000-000000000000}"), "{\"variant\":\"RFC4122\",\"version\":4}");
  EXPECT_EQ(Parse("(00000000-0000-4000-8000-000000000000)"), "{\"variant\":\"RFC4122\",\"version\":4}");
  EXPECT_EQ(Parse("urn:uuid:000003e8-48b9-21ee-b200-325096b39f47"), kV2);
  EXPECT_EQ(Parse("URN:UUID:000003E8-48B9-21EE-B200-325096B39F47"), kV2);
  EXPECT_EQ(Parse("6bea8ef2d3d33cd184e09bab06a52ece"), "{\"variant\":\"RFC4122\",\"version\":3}");
}

TEST_F(UuidTest, ParseVersion1) {
  // A time-based UUID: 2023-09-01T11:22:06.844536Z, clock sequence 0x3200,
  // a globally administered unicast node.
  EXPECT_EQ(Parse("c8b3e0b0-48b9-11ee-b200-005096b39f47"),
            "{\"clocksequence\":12800,\"macvariables\":\"global:unicast\",\"nodeid\":\"00-50-96-b3-9f-47\","
            "\"time\":1693567326844536000,\"variant\":\"RFC4122\",\"version\":1}");
  EXPECT_NE(Parse("c8b3e0b0-48b9-11ee-b200-015096b39f47").find("global:multicast"), std::string::npos);
  EXPECT_NE(Parse("c8b3e0b0-48b9-11ee-b200-035096b39f47").find("local:multicast"), std::string::npos);
}

TEST_F(UuidTest, ParseVariantsAndDomains) {
  EXPECT_EQ(Parse("00000000-0000-4000-0000-000000000000"), "{\"variant\":\"Reserved\",\"version\":4}");
  EXPECT_EQ(Parse("00000000-0000-4000-c000-000000000000"), "{\"variant\":\"Microsoft\",\"version\":4}");
  EXPECT_EQ(Parse("00000000-0000-4000-e000-000000000000"), "{\"variant\":\"Future\",\"version\":4}");
  EXPECT_EQ(Parse("00000000-0000-f000-8000-000000000000"), "{\"variant\":\"RFC4122\",\"version\":15}");
  EXPECT_NE(Parse("000003e8-48b9-21ee-b201-325096b39f47").find("\"domain\":\"Group\""), std::string::npos);
  EXPECT_NE(Parse("000003e8-48b9-21ee-b202-325096b39f47").find("\"domain\":\"Org\""), std::string::npos);
  EXPECT_NE(Parse("000003e8-48b9-21ee-b209-325096b39f47").find("\"domain\":\"Domain9\""), std::string::npos);
  // The largest 60-bit timestamp overflows int64 nanoseconds; Go wraps.
  EXPECT_NE(Parse("ffffffff-ffff-1fff-8000-000000000000").find("\"time\":"), std::string::npos);
}

TEST_F(UuidTest, ParseRejectsOtherShapesAsUndefined) {
  for (const char* s :
       {"", "x", "00000000-0000-4000-8000-00000000000", "00000000-0000-4000-8000-0000000000000",
        "00000000+0000-4000-8000-000000000000", "0000000g-0000-4000-8000-000000000000",
        "urn:uuix:00000000-0000-4000-8000-000000000000", "6bea8ef2d3d33cd184e09bab06a52ecz",
        "{00000000-0000-4000-8000-00000000000}"})
    EXPECT_EQ(Parse(s), "undefined") << s;
}

TEST_F(UuidTest, Rfc4122IsRandomAndStablePerEvaluation) {
  auto a = Call("uuid.rfc4122", {Value::String("key")});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->is_string());
  EXPECT_TRUE(IsV4(a->as_string())) << a->as_string();
  // Same argument, same evaluation: same UUID (the conformance case).
  for (int i = 0; i < 100; ++i) EXPECT_EQ(Text(Call("uuid.rfc4122", {Value::String("key")})), a->ToJson());
  // Another argument, or another evaluation: another UUID.
  auto b = Call("uuid.rfc4122", {Value::String("other")});
  ASSERT_TRUE(b.ok());
  EXPECT_NE(b->as_string(), a->as_string());
  BuiltinContext fresh;
  auto c = Call("uuid.rfc4122", {Value::String("key")}, &fresh);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(c->as_string(), a->as_string());
  // Any value is a key; a set and an array with the same elements differ.
  auto s = Call("uuid.rfc4122", {Value::Set({Value::Int(1)})});
  auto arr = Call("uuid.rfc4122", {Value::Array({Value::Int(1)})});
  ASSERT_TRUE(s.ok() && arr.ok());
  EXPECT_NE(s->as_string(), arr->as_string());
  // What it returns parses back as version 4.
  EXPECT_EQ(Parse(a->as_string()), "{\"variant\":\"RFC4122\",\"version\":4}");
  EXPECT_TRUE(table_.Find("uuid.rfc4122")->nondeterministic);
}

TEST_F(UuidTest, Rfc4122WithASeedIsReproducible) {
  BuiltinContext one, two;
  one.seed = two.seed = 42;
  auto a = Call("uuid.rfc4122", {Value::String("key")}, &one);
  auto b = Call("uuid.rfc4122", {Value::String("key")}, &two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->as_string(), b->as_string());
  EXPECT_TRUE(IsV4(a->as_string()));
  auto c = Call("uuid.rfc4122", {Value::String("other")}, &one);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(c->as_string(), a->as_string());
}

TEST_F(UuidTest, ManyRandomUuidsAreDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto r = Call("uuid.rfc4122", {Value::Int(i)});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(IsV4(r->as_string()));
    seen.insert(r->as_string());
  }
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace custody::rego
