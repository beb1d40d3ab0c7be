// Tests for the net.* built-ins, mostly OPA's conformance cases
// (test/cases/testdata/v1/netcidr*, netlookupipaddr) plus Go's parsing rules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"
#include "rego/builtins/net_ip.h"

namespace custody::rego {
namespace {

class NetTest : public ::testing::Test {
 protected:
  NetTest() { RegisterNet(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    if (b == nullptr) return Error::Internal("no such built-in");
    EXPECT_EQ(b->arity, static_cast<int>(args.size()));
    return b->fn(args, ctx_);
  }
  Value Ok(std::string_view name, std::vector<Value> args) {
    auto r = Call(name, std::move(args));
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message());
    return r.ok() ? *r : Value();
  }
  std::string Err(std::string_view name, std::vector<Value> args) {
    auto r = Call(name, std::move(args));
    EXPECT_FALSE(r.ok()) << name << " gave " << (r.ok() ? r->ToJson() : "");
    return r.ok() ? "" : r.error().message();
  }
  static Value J(std::string_view json) {
    auto v = ParseJsonValue(json, "test");
    EXPECT_TRUE(v.ok()) << json;
    return v.ok() ? *v : Value();
  }
  static Value S(const char* s) { return Value::String(s); }
  static Value Strings(std::vector<std::string> items) {
    ValueVector v;
    for (auto& s : items) v.push_back(Value::String(s));
    return Value::Set(std::move(v));
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

TEST_F(NetTest, Registered) {
  for (const char* name :
       {"net.cidr_contains", "net.cidr_contains_matches", "net.cidr_expand", "net.cidr_intersects",
        "net.cidr_is_valid", "net.cidr_merge", "net.cidr_overlap", "net.lookup_ip_addr"}) {
    EXPECT_NE(table_.Find(name), nullptr) << name;
  }
  EXPECT_TRUE(table_.Find("net.lookup_ip_addr")->nondeterministic);
}

TEST_F(NetTest, CidrContains) {
  EXPECT_EQ(Ok("net.cidr_contains", {S("10.0.0.0/8"), S("10.1.0.0/24")}), Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_contains", {S("172.17.0.0/24"), S("172.17.0.0/16")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_contains", {S("10.0.0.0/8"), S("192.168.1.0/24")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_contains", {S("10.0.0.0/8"), S("10.1.1.1/32")}), Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_contains", {S("2001:4860:4860::8888/32"), S("2001:4860:4860:1234::8888/40")}),
            Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_contains",
               {S("2001:4860:4860::8888/32"), S("2001:4860:4860:1234:5678:1234:5678:8888/128")}),
            Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_contains", {S("2001:4860::/96"), S("2001:4860::/32")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_contains", {S("2001:4860::/32"), S("fd1e:5bfe:8af3:9ddc::/64")}),
            Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_contains", {S("10.0.0.0/8"), S("10.1.2.3")}), Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_contains", {S("10.0.0.0/8"), S("192.168.1.1")}), Value::Bool(false));
  // IPv4 addresses and IPv4-mapped IPv6 addresses are the same address in Go.
  EXPECT_EQ(Ok("net.cidr_contains", {S("10.0.0.0/8"), S("::ffff:10.1.2.3")}), Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_contains", {S("::ffff:10.0.0.0/104"), S("10.1.2.3")}), Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_contains", {S("::/0"), S("10.1.2.3")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_overlap", {S("192.168.1.0/24"), S("192.168.1.67")}), Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_overlap", {S("192.168.1.0/28"), S("192.168.1.67")}), Value::Bool(false));
}

TEST_F(NetTest, CidrContainsErrors) {
  EXPECT_EQ(Err("net.cidr_contains", {S("not-a-cidr"), S("192.168.1.67")}),
            "eval_builtin_error: net.cidr_contains: invalid CIDR address: not-a-cidr");
  EXPECT_EQ(
      Err("net.cidr_contains", {S("192.168.1.0/28"), S("not-a-cidr")}),
      "eval_builtin_error: net.cidr_contains: not a valid textual representation of an IP address or CIDR: "
      "not-a-cidr");
  // OPA names operand 1 for either operand.
  EXPECT_EQ(Err("net.cidr_contains", {S("10.0.0.0/8"), Value::Int(1)}),
            "eval_type_error: net.cidr_contains: operand 1 must be string but got number");
  // Go refuses leading zeros, zones and out-of-range prefixes.
  EXPECT_EQ(Err("net.cidr_contains", {S("010.0.0.0/8"), S("10.0.0.1")}),
            "eval_builtin_error: net.cidr_contains: invalid CIDR address: 010.0.0.0/8");
  EXPECT_EQ(Err("net.cidr_contains", {S("fe80::1%eth0/64"), S("fe80::2")}),
            "eval_builtin_error: net.cidr_contains: invalid CIDR address: fe80::1%eth0/64");
  EXPECT_FALSE(Call("net.cidr_contains", {S("10.0.0.0/8"), S("10.0.0.1/33")}).ok());
}

TEST_F(NetTest, CidrIntersects) {
  EXPECT_EQ(Ok("net.cidr_intersects", {S("192.168.1.0/25"), S("192.168.1.64/25")}), Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_intersects", {S("192.168.1.0/24"), S("192.168.2.0/24")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_intersects", {S("fd1e:5bfe:8af3:9ddc::/64"), S("2001:4860:4860::8888/32")}),
            Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_intersects", {S("10.0.0.0/8"), S("10.20.0.0/16")}), Value::Bool(true));
  EXPECT_EQ(Err("net.cidr_intersects", {S("not-a-cidr"), S("192.168.1.0/24")}),
            "eval_builtin_error: net.cidr_intersects: invalid CIDR address: not-a-cidr");
  EXPECT_EQ(Err("net.cidr_intersects", {S("192.168.1.0/28"), S("not-a-cidr")}),
            "eval_builtin_error: net.cidr_intersects: invalid CIDR address: not-a-cidr");
}

TEST_F(NetTest, CidrIsValid) {
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("192.168.1.0/24")}), Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("there goes a string")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("192.168.1.2")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("2002::1234:abcd:ffff:c0a8:101/64")}), Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("::ffff:1.2.3.4/128")}), Value::Bool(true));
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("1.2.3.4/032")}), Value::Bool(true));  // Go's dtoi takes leading zeros
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("1.2.3.4/")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("1.2.3.4/-1")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("1.2.3/24")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("1:2:3:4:5:6:7:8:9/64")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("1::2::3/64")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_is_valid", {S("::/129")}), Value::Bool(false));
  EXPECT_EQ(Ok("net.cidr_is_valid", {Value::Int(7)}), Value::Bool(false));
}

TEST_F(NetTest, CidrExpand) {
  EXPECT_EQ(Ok("net.cidr_expand", {S("192.168.1.1/30")}),
            Strings({"192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3"}));
  EXPECT_EQ(Ok("net.cidr_expand", {S("172.16.100.255/30")}),
            Strings({"172.16.100.252", "172.16.100.253", "172.16.100.254", "172.16.100.255"}));
  EXPECT_EQ(Ok("net.cidr_expand", {S("192.168.1.1/32")}), Strings({"192.168.1.1"}));
  EXPECT_EQ(Ok("net.cidr_expand", {S("255.255.255.254/31")}),
            Strings({"255.255.255.254", "255.255.255.255"}));
  EXPECT_EQ(Ok("net.cidr_expand", {S("2001:db8::/126")}),
            Strings({"2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3"}));
  EXPECT_EQ(Ok("net.cidr_expand", {S("10.0.0.0/16")}).size(), 65536u);
  EXPECT_EQ(Err("net.cidr_expand", {S("192.168.1.1/33")}),
            "eval_builtin_error: net.cidr_expand: invalid CIDR address: 192.168.1.1/33");
  EXPECT_EQ(Err("net.cidr_expand", {S("10.0.0.0/15")}),
            "eval_builtin_error: net.cidr_expand: 10.0.0.0/15 has 2^17 addresses; at most 2^16 are expanded");
  EXPECT_EQ(Err("net.cidr_expand", {S("::/0")}),
            "eval_builtin_error: net.cidr_expand: ::/0 has 2^128 addresses; at most 2^16 are expanded");
}

TEST_F(NetTest, CidrContainsMatches) {
  EXPECT_EQ(Ok("net.cidr_contains_matches", {S("1.1.1.0/24"), S("1.1.1.1")}),
            Value::Set({J(R"(["1.1.1.0/24", "1.1.1.1"])")}));
  EXPECT_EQ(
      Ok("net.cidr_contains_matches", {J(R"(["1.1.2.0/24", "1.1.1.0/24"])"), J(R"(["1.1.1.1", "1.1.2.1"])")}),
      Value::Set({J("[0, 1]"), J("[1, 0]")}));
  EXPECT_EQ(Ok("net.cidr_contains_matches",
               {J(R"([["1.1.2.0/24", 1], "1.1.1.0/24"])"), J(R"(["1.1.1.1", "1.1.2.1"])")}),
            Value::Set({J("[0, 1]"), J("[1, 0]")}));
  EXPECT_EQ(Ok("net.cidr_contains_matches",
               {Strings({"1.1.1.0/24", "1.1.2.0/24"}), Strings({"1.1.1.1", "1.1.2.1"})}),
            Value::Set({J(R"(["1.1.1.0/24", "1.1.1.1"])"), J(R"(["1.1.2.0/24", "1.1.2.1"])")}));
  Value tuples1 = Value::Set({J(R"(["1.1.1.0/24", "bar"])"), J(R"(["1.1.2.0/24", "foo"])")});
  Value tuples2 = Value::Set({J(R"(["1.1.1.1", "baz"])"), J(R"(["1.1.2.1", "qux"])")});
  EXPECT_EQ(Ok("net.cidr_contains_matches", {tuples1, tuples2}),
            Value::Set({J(R"([["1.1.1.0/24", "bar"], ["1.1.1.1", "baz"]])"),
                        J(R"([["1.1.2.0/24", "foo"], ["1.1.2.1", "qux"]])")}));
  EXPECT_EQ(Ok("net.cidr_contains_matches",
               {J(R"({"k1": "1.1.1.1/24", "k2": ["1.1.1.2/24", 1]})"), S("1.1.1.128")}),
            Value::Set({J(R"(["k1", "1.1.1.128"])"), J(R"(["k2", "1.1.1.128"])")}));
  EXPECT_EQ(Ok("net.cidr_contains_matches", {J("[]"), J("[1]")}), Value::EmptySet());  // never looked at
}

TEST_F(NetTest, CidrContainsMatchesErrors) {
  EXPECT_EQ(
      Err("net.cidr_contains_matches", {J(R"(["1.1.2.0/24", "1.1.1.0/24"])"), J(R"(["1.1.1.1", 1])")}),
      "eval_builtin_error: net.cidr_contains_matches: operand 2: element must be string or non-empty array");
  EXPECT_EQ(
      Err("net.cidr_contains_matches",
          {Value::Set({J(R"(["1.1.1.0/24", "bar"])")}), Value::Set({J("[]"), J(R"(["1.1.2.1", "qux"])")})}),
      "eval_builtin_error: net.cidr_contains_matches: operand 2: element must be string or non-empty array");
  EXPECT_EQ(
      Err("net.cidr_contains_matches", {J("[7]"), S("1.1.1.1")}),
      "eval_builtin_error: net.cidr_contains_matches: operand 1: element must be string or non-empty array");
  EXPECT_EQ(Err("net.cidr_contains_matches", {J("[[7]]"), S("1.1.1.1")}),
            "eval_type_error: net.cidr_contains_matches: operand 1 must be string but got number");
  EXPECT_EQ(Err("net.cidr_contains_matches", {S("bad"), S("1.1.1.1")}),
            "eval_builtin_error: net.cidr_contains_matches: invalid CIDR address: bad");
}

TEST_F(NetTest, CidrMerge) {
  auto merge = [&](std::string_view json) { return Ok("net.cidr_merge", {J(json)}); };
  EXPECT_EQ(merge(R"(["192.0.128.0/24"])"), Strings({"192.0.128.0/24"}));
  EXPECT_EQ(merge(R"(["192.0.128.0/24", "192.0.128.0/24"])"), Strings({"192.0.128.0/24"}));
  EXPECT_EQ(merge(R"(["192.0.128.0/24", "0.0.0.0/0"])"), Strings({"0.0.0.0/0"}));
  EXPECT_EQ(merge(R"(["192.0.128.0/24", "192.0.129.0/24"])"), Strings({"192.0.128.0/23"}));
  EXPECT_EQ(merge(R"(["192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"])"), Strings({"192.0.2.112/29"}));
  EXPECT_EQ(merge(R"(["192.0.129.0/24", "192.0.130.0/24"])"), Strings({"192.0.129.0/24", "192.0.130.0/24"}));
  EXPECT_EQ(merge(R"(["192.0.2.112/30", "192.0.2.116/32", "192.0.2.118/31"])"),
            Strings({"192.0.2.112/30", "192.0.2.116/32", "192.0.2.118/31"}));
  EXPECT_EQ(merge(R"(["192.0.2.112/31", "192.0.2.116/31", "192.0.2.118/31"])"),
            Strings({"192.0.2.112/31", "192.0.2.116/30"}));
  EXPECT_EQ(merge(R"(["192.0.1.254/31", "192.0.2.0/28", "192.0.2.16/28", "192.0.2.32/28",
                      "192.0.2.48/28", "192.0.2.64/28", "192.0.2.80/28", "192.0.2.96/28",
                      "192.0.2.112/28", "192.0.2.128/28", "192.0.2.144/28", "192.0.2.160/28",
                      "192.0.2.176/28", "192.0.2.192/28", "192.0.2.208/28", "192.0.2.224/28",
                      "192.0.2.240/28", "192.0.3.0/28"])"),
            Strings({"192.0.1.254/31", "192.0.2.0/24", "192.0.3.0/28"}));
  EXPECT_EQ(merge(R"(["::/0", "fe80::1/128"])"), Strings({"::/0"}));
  EXPECT_EQ(merge(R"(["::/0", "::192.0.2.0/124", "ff00::101/128"])"), Strings({"::/0"}));
  EXPECT_EQ(merge(R"(["fe80::/120", "192.0.2.0/24", "192.0.3.0/24", "192.0.4.0/25", "192.0.4.128/25"])"),
            Strings({"192.0.2.0/23", "192.0.4.0/24", "fe80::/120"}));
  EXPECT_EQ(merge("[]"), Value::EmptySet());
  EXPECT_EQ(merge(R"(["192.0.2.112", "192.0.2.116/31", "192.0.2.118/31"])"), Strings({"192.0.2.0/24"}));
  EXPECT_EQ(merge(R"(["192.0.128.0", "192.0.129.0"])"), Strings({"192.0.128.0/23"}));
  EXPECT_EQ(Ok("net.cidr_merge", {Strings({"192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"})}),
            Strings({"192.0.2.112/29"}));
  EXPECT_EQ(merge(R"(["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"])"),
            Strings({"2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"}));
  EXPECT_EQ(
      merge(
          R"(["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128", "2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"])"),
      Strings({"2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"}));
  EXPECT_EQ(
      merge(R"(["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64", "2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"])"),
      Strings({"2601:600:8a80:207e::/64"}));
  // Go's quirks: a lone address keeps its classful mask and prints unmasked;
  // an IPv6 network over the IPv4-mapped range absorbs IPv4 networks.
  EXPECT_EQ(merge(R"(["10.1.2.3"])"), Strings({"10.1.2.3/8"}));
  EXPECT_EQ(merge(R"(["172.16.5.4", "172.16.5.4"])"), Strings({"172.16.0.0/16"}));
  EXPECT_EQ(merge(R"(["::/0", "10.0.0.0/8"])"), Strings({"::/0"}));
  EXPECT_EQ(merge(R"(["10.0.0.0/8", "11.0.0.0/8", "12.0.0.0/7"])"), Strings({"10.0.0.0/7", "12.0.0.0/7"}));
  EXPECT_EQ(merge(R"(["0.0.0.0/1", "128.0.0.0/1"])"), Strings({"0.0.0.0/0"}));
  EXPECT_EQ(merge(R"(["::/1", "8000::/1"])"), Strings({"::/0"}));
  EXPECT_EQ(merge(R"(["10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32", "10.0.0.4/32"])"),
            Strings({"10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32"}));
}

TEST_F(NetTest, CidrMergeErrors) {
  EXPECT_EQ(Err("net.cidr_merge", {J(R"(["foo"])")}),
            "eval_builtin_error: net.cidr_merge: invalid CIDR address: foo");
  EXPECT_EQ(Err("net.cidr_merge", {J(R"(["2601:600:8a80:207e:a57d:7567:e2c9:e7b3"])")}),
            "eval_builtin_error: net.cidr_merge: IPv6 invalid: needs prefix length");
  EXPECT_EQ(Err("net.cidr_merge", {J("[1]")}), "eval_builtin_error: net.cidr_merge: element must be string");
  EXPECT_EQ(Err("net.cidr_merge", {S("10.0.0.0/8")}),
            "eval_builtin_error: net.cidr_merge: operand must be an array");
}

TEST_F(NetTest, LookupIpAddrWithoutNetwork) {
  EXPECT_EQ(Ok("net.lookup_ip_addr", {S("10.0.0.0")}), Strings({"10.0.0.0"}));
  EXPECT_EQ(Ok("net.lookup_ip_addr", {S("::")}), Strings({"::"}));
  EXPECT_EQ(Ok("net.lookup_ip_addr", {S("fe80::1%eth0")}), Strings({"fe80::1%eth0"}));
  EXPECT_EQ(Ok("net.lookup_ip_addr", {S("localhost")}), Strings({"127.0.0.1", "::1"}));
  EXPECT_EQ(Ok("net.lookup_ip_addr", {S("app.LOCALHOST")}), Strings({"127.0.0.1", "::1"}));
  EXPECT_EQ(Err("net.lookup_ip_addr", {S("example.com")}),
            "eval_builtin_error: net.lookup_ip_addr: network access is disabled (run with --allow-net to "
            "permit it)");
  EXPECT_EQ(Err("net.lookup_ip_addr", {Value::Int(1)}),
            "eval_type_error: net.lookup_ip_addr: operand 1 must be string but got number");
}

TEST(NetIpTest, ParseAddrErrorsAreGos) {
  std::string error;
  EXPECT_FALSE(goip::ParseAddr("1.2.3", &error));
  EXPECT_EQ(error, R"(ParseAddr("1.2.3"): IPv4 address too short)");
  EXPECT_FALSE(goip::ParseAddr("1.2.3.04", &error));
  EXPECT_EQ(error, R"(ParseAddr("1.2.3.04"): IPv4 field has octet with leading zero)");
  EXPECT_FALSE(goip::ParseAddr("1.2..3", &error));
  EXPECT_EQ(error, R"(ParseAddr("1.2..3"): IPv4 field must have at least one digit (at ".3"))");
  EXPECT_FALSE(goip::ParseAddr("::1::2", &error));
  EXPECT_EQ(error, R"(ParseAddr("::1::2"): multiple :: in address (at ":2"))");
  EXPECT_FALSE(goip::ParseAddr("example", &error));
  EXPECT_EQ(error, R"(ParseAddr("example"): unable to parse IP)");
  EXPECT_FALSE(goip::ParseAddr("1:2:3:4:5:6:7", &error));
  EXPECT_EQ(error, R"(ParseAddr("1:2:3:4:5:6:7"): address string too short)");
  EXPECT_FALSE(goip::ParseAddr("12345::", &error));
  EXPECT_EQ(error, R"(ParseAddr("12345::"): each group must have 4 or less digits (at "12345::"))");
}

TEST(NetIpTest, Formatting) {
  auto text = [](const char* s) { return goip::IPString(*goip::ParseIP(s)); };
  EXPECT_EQ(text("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  EXPECT_EQ(text("1:0:0:2:0:0:0:3"), "1:0:0:2::3");
  EXPECT_EQ(text("1:0:0:2:0:0:3:4"), "1::2:0:0:3:4");
  EXPECT_EQ(text("1:2:3:4:5:6:7:0"), "1:2:3:4:5:6:7:0");
  EXPECT_EQ(text("::ffff:1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(text("::1.2.3.4"), "::102:304");
  EXPECT_EQ(text("FE80::A"), "fe80::a");
}

}  // namespace
}  // namespace custody::rego
