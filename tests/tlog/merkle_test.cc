// Proofs for every (index, size) and (old, new) pair up to 300 leaves, against
// a plain recursive transcription of RFC 6962 section 2.1.
#include "tlog/merkle.h"

#include <gtest/gtest.h>

#include <map>

#include "core/encoding.h"
#include "crypto/digest.h"

namespace custody::tlog {
namespace {

constexpr uint64_t kMax = 300;

std::string Leaf(uint64_t i) { return "entry " + std::to_string(i); }

Hash ToHash(const std::string& s) {
  Hash h;
  std::copy(s.begin(), s.end(), h.begin());
  return h;
}

// RFC 6962 2.1, written directly from the definitions with Sha256().
class Reference {
 public:
  Hash Mth(uint64_t start, uint64_t n) {
    auto key = std::make_pair(start, n);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    Hash h;
    if (n == 0) {
      h = ToHash(Sha256(""));
    } else if (n == 1) {
      h = ToHash(Sha256(std::string(1, '\0') + Leaf(start)));
    } else {
      uint64_t k = 1;
      while (k * 2 < n) k *= 2;
      Hash l = Mth(start, k), r = Mth(start + k, n - k);
      std::string m(1, '\1');
      m.append(reinterpret_cast<const char*>(l.data()), 32);
      m.append(reinterpret_cast<const char*>(r.data()), 32);
      h = ToHash(Sha256(m));
    }
    memo_[key] = h;
    return h;
  }
  std::vector<Hash> Path(uint64_t m, uint64_t start, uint64_t n) {
    if (n == 1) return {};
    uint64_t k = 1;
    while (k * 2 < n) k *= 2;
    std::vector<Hash> out;
    if (m < k) {
      out = Path(m, start, k);
      out.push_back(Mth(start + k, n - k));
    } else {
      out = Path(m - k, start + k, n - k);
      out.push_back(Mth(start, k));
    }
    return out;
  }
  std::vector<Hash> SubProof(uint64_t m, uint64_t start, uint64_t n, bool b) {
    if (m == n) {
      if (b) return {};
      return {Mth(start, n)};
    }
    uint64_t k = 1;
    while (k * 2 < n) k *= 2;
    std::vector<Hash> out;
    if (m <= k) {
      out = SubProof(m, start, k, b);
      out.push_back(Mth(start + k, n - k));
    } else {
      out = SubProof(m - k, start + k, n - k, false);
      out.push_back(Mth(start, k));
    }
    return out;
  }

 private:
  std::map<std::pair<uint64_t, uint64_t>, Hash> memo_;
};

class MerkleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Hash> leaves;
    for (uint64_t i = 0; i < kMax; ++i) leaves.push_back(LeafHash(Leaf(i)));
    reader_ = std::make_unique<MemoryHashReader>(leaves);
  }
  std::unique_ptr<MemoryHashReader> reader_;
  Reference ref_;
};

TEST_F(MerkleTest, HashesFollowTheRfc) {
  EXPECT_EQ(EmptyTreeHash(), ToHash(Sha256("")));
  // RFC 6962's empty tree hash, as published.
  EXPECT_EQ(custody::HexEncode(AsBytes(EmptyTreeHash())),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  for (uint64_t n = 0; n <= kMax; ++n) {
    auto root = TreeHash(n, *reader_);
    ASSERT_TRUE(root.ok()) << root.error().message();
    EXPECT_EQ(*root, ref_.Mth(0, n)) << "size " << n;
  }
}

TEST_F(MerkleTest, InclusionProofsForEveryPair) {
  for (uint64_t n = 1; n <= kMax; ++n) {
    Hash root = ref_.Mth(0, n);
    for (uint64_t i = 0; i < n; ++i) {
      auto proof = InclusionProof(i, n, *reader_);
      ASSERT_TRUE(proof.ok());
      ASSERT_EQ(*proof, ref_.Path(i, 0, n)) << i << "/" << n;
      Hash leaf = LeafHash(Leaf(i));
      ASSERT_TRUE(VerifyInclusion(i, n, leaf, *proof, root).ok()) << i << "/" << n;
      // Wrong index, wrong leaf, wrong size: all rejected.
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion((i + 1) % n, n, leaf, *proof, root).ok()) << i << "/" << n;
      }
      EXPECT_FALSE(VerifyInclusion(i, n, LeafHash("other"), *proof, root).ok());
      if (!proof->empty()) {
        auto shortened = *proof;
        shortened.pop_back();
        EXPECT_FALSE(VerifyInclusion(i, n, leaf, shortened, root).ok());
        auto tampered = *proof;
        tampered[i % tampered.size()][7] ^= 1;
        EXPECT_FALSE(VerifyInclusion(i, n, leaf, tampered, root).ok());
      }
      auto longer = *proof;
      longer.push_back(root);
      EXPECT_FALSE(VerifyInclusion(i, n, leaf, longer, root).ok());
    }
  }
}

TEST_F(MerkleTest, ConsistencyProofsForEveryPair) {
  for (uint64_t n = 1; n <= kMax; ++n) {
    Hash new_root = ref_.Mth(0, n);
    for (uint64_t m = 1; m <= n; ++m) {
      Hash old_root = ref_.Mth(0, m);
      auto proof = ConsistencyProof(m, n, *reader_);
      ASSERT_TRUE(proof.ok());
      std::vector<Hash> expected = m == n ? std::vector<Hash>{} : ref_.SubProof(m, 0, n, true);
      ASSERT_EQ(*proof, expected) << m << "->" << n;
      auto ok = VerifyConsistency(m, n, *proof, old_root, new_root);
      ASSERT_TRUE(ok.ok()) << m << "->" << n << ": " << ok.error().message();
      if (m < n) {
        EXPECT_FALSE(VerifyConsistency(m, n, *proof, new_root, new_root).ok()) << m << "->" << n;
        EXPECT_FALSE(VerifyConsistency(m, n, *proof, old_root, old_root).ok()) << m << "->" << n;
        if (!proof->empty()) {
          auto tampered = *proof;
          tampered.back()[0] ^= 0x80;
          EXPECT_FALSE(VerifyConsistency(m, n, tampered, old_root, new_root).ok());
          auto shortened = *proof;
          shortened.pop_back();
          EXPECT_FALSE(VerifyConsistency(m, n, shortened, old_root, new_root).ok());
        }
      }
    }
  }
}

TEST_F(MerkleTest, RejectsImpossibleRequests) {
  EXPECT_FALSE(InclusionProof(5, 5, *reader_).ok());
  EXPECT_FALSE(ConsistencyProof(6, 5, *reader_).ok());
  EXPECT_FALSE(InclusionProof(0, kMax + 1, *reader_).ok());  // beyond the leaves the reader has
  Hash h = LeafHash("x");
  EXPECT_FALSE(VerifyInclusion(3, 3, h, {}, h).ok());
  EXPECT_FALSE(VerifyConsistency(4, 3, {}, h, h).ok());
  EXPECT_FALSE(VerifyConsistency(3, 3, std::vector<Hash>{h}, h, h).ok());
  Hash other = LeafHash("y");
  auto forked = VerifyConsistency(3, 3, {}, h, other);
  ASSERT_FALSE(forked.ok());
  EXPECT_NE(forked.error().message().find("forked"), std::string::npos);
}

}  // namespace
}  // namespace custody::tlog
