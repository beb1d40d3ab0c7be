#include "manifest/predicate.h"

#include <gtest/gtest.h>

#include "core/encoding.h"
#include "test_util.h"

namespace custody {
namespace {

const char* kSharded = R"({
  "serialization": {"method": "shards", "hash_type": "sha256", "shard_size": 1e9,
                    "allow_symlinks": false, "ignore_paths": ["model.sig"]},
  "resources": [
    {"name": "dir:with:colons/w.bin:0:4", "algorithm": "sha256",
     "digest": "0000000000000000000000000000000000000000000000000000000000000000"}
  ]})";

TEST(PredicateTest, ParsesFloatShardSizeAndColonsInPaths) {
  auto m = ManifestFromPredicate(Json::parse(kSharded), "/predicate", "m");
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(m->serialization.shard_size, 1000000000u);
  ASSERT_EQ(m->resources.size(), 1u);
  EXPECT_EQ(m->resources[0].path, "dir:with:colons/w.bin");
  EXPECT_EQ(m->resources[0].start, 0u);
  EXPECT_EQ(m->resources[0].end, 4u);
  EXPECT_EQ(m->serialization.ignore_paths, std::vector<std::string>{"model.sig"});
}

TEST(PredicateTest, RoundTrip) {
  testing::TempDir d;
  testing::WriteFile(d / "m/x", "hello world");
  Serialization s;
  s.method = SerializationMethod::kShards;
  s.shard_size = 4;
  s.hash = HashAlgorithm::kBlake2b;
  s.ignore_paths = {".git", "model.sig"};
  auto m = HashModel(d / "m", s);
  ASSERT_TRUE(m.ok());
  Json j = ManifestToPredicate(*m);
  EXPECT_EQ(j["serialization"]["shard_size"], 4);
  EXPECT_TRUE(j["serialization"]["shard_size"].is_number_integer());
  EXPECT_EQ(j["serialization"]["hash_type"], "blake2b");
  auto back = ManifestFromPredicate(j, "/p", "m");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->SubjectDigest(), m->SubjectDigest());
  EXPECT_EQ(back->resources.size(), 3u);
  EXPECT_EQ(back->serialization.ignore_paths, s.ignore_paths);
}

TEST(PredicateTest, AcceptsLegacyHashTypeSpellings) {
  Json j = Json::parse(kSharded);
  j["serialization"]["hash_type"] = "sha256-sharded-1000000000";
  EXPECT_EQ(ManifestFromPredicate(j, "", "m")->serialization.hash, HashAlgorithm::kSha256);
  j["serialization"]["hash_type"] = "blake2";
  EXPECT_EQ(ManifestFromPredicate(j, "", "m")->serialization.hash, HashAlgorithm::kBlake2b);
  j["serialization"].erase("ignore_paths");
  EXPECT_TRUE(ManifestFromPredicate(j, "", "m").ok());
}

TEST(PredicateTest, MalformedInputsNameTheJsonPath) {
  struct Case {
    const char* pointer;
    Json value;
    const char* expect;
  };
  const Case cases[] = {
      {"/serialization/method", "tensors", "/p/serialization/method: unknown serialization method"},
      {"/serialization/hash_type", "md5", "/p/serialization/hash_type: unknown hash algorithm"},
      {"/serialization/shard_size", -5, "/p/serialization/shard_size: expected a non-negative integer"},
      {"/serialization/shard_size", 0, "/p/serialization/shard_size: must be at least 1"},
      {"/serialization/allow_symlinks", "no", "/p/serialization/allow_symlinks: expected a boolean"},
      {"/serialization/ignore_paths", Json::array({1}), "/p/serialization/ignore_paths/0: expected a string"},
      {"/resources", Json::object(), "/p/resources: expected an array"},
      {"/resources/0/digest", "xyz", "/p/resources/0/digest: hex string has odd length"},
      {"/resources/0/name", "w.bin:4", "/p/resources/0/name: shard name 'w.bin:4'"},
      {"/resources/0/name", "w.bin:a:4", "is not of the form path:start:end"},
      {"/resources/0/name", "w.bin:8:4", "is not of the form path:start:end"},
      {"/resources/0/name", "w.bin:-1:4", "is not of the form path:start:end"},
      {"/resources/0/name", "w.bin:0:99999999999999999999999", "is not of the form path:start:end"},
      {"/resources/0/algorithm", 7, "/p/resources/0/algorithm: expected a string"},
  };
  for (const auto& c : cases) {
    Json j = Json::parse(kSharded);
    j[Json::json_pointer(c.pointer)] = c.value;
    auto m = ManifestFromPredicate(j, "/p", "m");
    ASSERT_FALSE(m.ok()) << c.pointer;
    EXPECT_NE(m.error().message().find(c.expect), std::string::npos) << m.error().message();
  }
  Json missing = Json::parse(kSharded);
  missing.erase("serialization");
  auto m = ManifestFromPredicate(missing, "/p", "m");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message(), "/p/serialization: required field is missing");
}

}  // namespace
}  // namespace custody
