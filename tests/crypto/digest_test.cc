#include "crypto/digest.h"

#include <gtest/gtest.h>

#include "core/encoding.h"

namespace custody {
namespace {

std::string Hex(HashAlgorithm a, const std::string& data) {
  Hasher h(a);
  h.Update(data);
  return HexEncode(h.Finish());
}

// FIPS 180-2 / NIST CAVS known answers.
TEST(DigestTest, Sha256KnownAnswers) {
  EXPECT_EQ(Hex(HashAlgorithm::kSha256, ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(HashAlgorithm::kSha256, "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(HashAlgorithm::kSha256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Hex(HashAlgorithm::kSha256, std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// RFC 7693 appendix A.
TEST(DigestTest, Blake2bKnownAnswer) {
  EXPECT_EQ(Hex(HashAlgorithm::kBlake2b, "abc"),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
  EXPECT_EQ(DigestSize(HashAlgorithm::kBlake2b), 64u);
}

TEST(DigestTest, StreamingEqualsOneShotAndResets) {
  std::string data(100003, 'x');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  Hasher h(HashAlgorithm::kSha256);
  for (size_t i = 0; i < data.size(); i += 4097) h.Update(std::string_view(data).substr(i, 4097));
  std::string streamed = h.Finish();
  EXPECT_EQ(streamed, Sha256(data));
  h.Update("abc");  // Finish() reset the state
  EXPECT_EQ(HexEncode(h.Finish()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(DigestTest, AlgorithmNames) {
  EXPECT_EQ(*ParseHashAlgorithm("sha256"), HashAlgorithm::kSha256);
  EXPECT_EQ(*ParseHashAlgorithm("blake2"), HashAlgorithm::kBlake2b);
  EXPECT_STREQ(HashAlgorithmName(HashAlgorithm::kBlake2b), "blake2b");
  EXPECT_FALSE(ParseHashAlgorithm("md5").ok());
}

}  // namespace
}  // namespace custody
