// Tests for http.send: the request checks OPA makes, and the refusal.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

class HttpTest : public ::testing::Test {
 protected:
  HttpTest() { RegisterHttp(table_); }

  Result<Value> Send(std::string_view json) {
    const Builtin* b = table_.Find("http.send");
    EXPECT_NE(b, nullptr);
    auto v = ParseJsonValue(json, "test");
    EXPECT_TRUE(v.ok()) << json;
    std::vector<Value> args = {v.ok() ? *v : Value::Null()};
    return b->fn(args, ctx_);
  }
  std::string Err(std::string_view json) {
    auto r = Send(json);
    EXPECT_FALSE(r.ok()) << json;
    return r.ok() ? "" : r.error().message();
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

TEST_F(HttpTest, Registered) {
  const Builtin* b = table_.Find("http.send");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->arity, 1);
  EXPECT_TRUE(b->nondeterministic);
}

TEST_F(HttpTest, RefusedWithoutNetwork) {
  EXPECT_EQ(Err(R"({"method": "get", "url": "https://example.com"})"),
            "eval_builtin_error: http.send: network access is disabled (run with --allow-net to permit it)");
}

TEST_F(HttpTest, RefusedWhenAllowedToo) {
  ctx_.allow_network = true;
  EXPECT_EQ(
      Err(R"({"method": "get", "url": "https://example.com"})"),
      "eval_builtin_error: http.send: not available: custody has no HTTP client yet (network access was "
      "permitted)");
}

TEST_F(HttpTest, RaiseErrorFalseAnswersWithAnObject) {
  auto r = Send(R"({"method": "get", "url": "https://example.com", "raise_error": false})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ToJson(),
            R"x({"error":{"code":"eval_http_send_internal_error","message":"eval_builtin_error: http.send: )x"
            R"x(network access is disabled (run with --allow-net to permit it)"},"status_code":0})x");
}

TEST_F(HttpTest, RequestChecks) {
  EXPECT_EQ(Err(R"({"url": "https://example.com"})"),
            R"(eval_type_error: http.send: operand 1 missing required request parameters(s): {"method"})");
  EXPECT_EQ(Err(R"({"method": "get", "url": "x", "bogus": 1, "other": 2})"),
            R"(eval_type_error: http.send: operand 1 invalid request parameters(s): {"bogus", "other"})");
  EXPECT_EQ(Err(R"({"method": "get", "url": "x", "raise_error": "no"})"),
            "eval_builtin_error: http.send: invalid value for raise_error field");
  EXPECT_EQ(Err("[]"), "eval_type_error: http.send: operand 1 must be object but got array");
}

}  // namespace
}  // namespace custody::rego
