#include "core/encoding.h"

#include <gtest/gtest.h>

namespace custody {
namespace {

TEST(HexTest, RoundTripsAllBytes) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  std::string hex = HexEncode(all);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  auto back = HexDecode(hex);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, all);
}

TEST(HexTest, AcceptsUpperCase) { EXPECT_EQ(*HexDecode("ABcd"), "\xab\xcd"); }

TEST(HexTest, RejectsMalformed) {
  EXPECT_FALSE(HexDecode("abc").ok());
  auto bad = HexDecode("zz");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("offset 0"), std::string::npos);
}

// RFC 4648 section 10 test vectors.
TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (auto [plain, encoded] : cases) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64Test, AcceptsUrlSafeAndUnpadded) {
  EXPECT_EQ(*Base64Decode("-_8"), "\xfb\xff");
  EXPECT_EQ(*Base64Decode("+/8="), "\xfb\xff");
  EXPECT_EQ(*Base64Decode("Zm9vYg"), "foob");
}

TEST(Base64Test, RejectsMalformed) {
  EXPECT_FALSE(Base64Decode("Zm9v YmFy").ok());  // whitespace
  EXPECT_FALSE(Base64Decode("Z").ok());          // impossible length
  EXPECT_FALSE(Base64Decode("Zg=").ok());        // wrong padding
  EXPECT_FALSE(Base64Decode("Zm$v").ok());
}

TEST(Utf8Test, AcceptsWellFormedRejectsTheRest) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // 2, 3 and 4 bytes
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));                              // U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong, 3 bytes
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("ab\xc3"));            // truncated sequence
  EXPECT_FALSE(IsValidUtf8("\xc3("));             // bad continuation byte
}

}  // namespace
}  // namespace custody
