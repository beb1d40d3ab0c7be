#include "manifest/manifest.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/encoding.h"
#include "crypto/digest.h"
#include "manifest/walk.h"
#include "test_util.h"

namespace custody {
namespace {

using testing::TempDir;
using testing::WriteFile;

std::vector<std::string> Names(const Manifest& m) {
  std::vector<std::string> out;
  for (const auto& r : m.resources) out.push_back(r.name);
  return out;
}

Serialization Files() {
  Serialization s;
  s.ignore_paths = DefaultIgnorePaths();
  return s;
}

Serialization Shards(uint64_t size) {
  Serialization s = Files();
  s.method = SerializationMethod::kShards;
  s.shard_size = size;
  return s;
}

TEST(HashModelTest, FilesDigestsAreFileHashesInComponentOrder) {
  TempDir d;
  WriteFile(d / "m/a.b", "dot");
  WriteFile(d / "m/a/b", "nested");
  WriteFile(d / "m/z", "");
  auto m = HashModel(d / "m", Files());
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(Names(*m), (std::vector<std::string>{"a/b", "a.b", "z"}));
  EXPECT_EQ(m->resources[0].digest, Sha256("nested"));
  EXPECT_EQ(m->resources[1].digest, Sha256("dot"));
  EXPECT_EQ(m->resources[2].digest, Sha256(""));  // empty files are resources in files mode
  EXPECT_EQ(m->resources[0].algorithm, "sha256");
  EXPECT_EQ(m->model_name, "m");
  EXPECT_EQ(m->SubjectDigest(), Sha256(Sha256("nested") + Sha256("dot") + Sha256("")));
}

TEST(HashModelTest, ShardBoundariesAndEmptyFiles) {
  TempDir d;
  WriteFile(d / "m/ten", "0123456789");
  WriteFile(d / "m/four", "abcd");
  WriteFile(d / "m/empty", "");
  auto m = HashModel(d / "m", Shards(4));
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(Names(*m), (std::vector<std::string>{"four:0:4", "ten:0:4", "ten:4:8", "ten:8:10"}));
  EXPECT_EQ(m->resources[1].digest, Sha256("0123"));
  EXPECT_EQ(m->resources[3].digest, Sha256("89"));
  EXPECT_EQ(m->FileCount(), 2u);
  EXPECT_EQ(m->TotalBytes(), 14u);
}

TEST(HashModelTest, ShardsSortNumericallyWithinAFile) {
  TempDir d;
  WriteFile(d / "m/f", std::string(25, 'x'));
  auto m = HashModel(d / "m", Shards(2));
  ASSERT_TRUE(m.ok());
  // 10:12 comes after 8:10 (start compared as a number, not as text).
  EXPECT_EQ(m->resources[4].name, "f:8:10");
  EXPECT_EQ(m->resources[5].name, "f:10:12");
  EXPECT_EQ(m->resources.back().name, "f:24:25");
}

TEST(HashModelTest, Blake2b) {
  TempDir d;
  WriteFile(d / "m/f", "abc");
  Serialization s = Files();
  s.hash = HashAlgorithm::kBlake2b;
  auto m = HashModel(d / "m", s);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->resources[0].algorithm, "blake2b");
  EXPECT_EQ(HexEncode(m->resources[0].digest).substr(0, 16), "ba80a53f981c4d0d");
}

TEST(HashModelTest, DefaultAndUserIgnores) {
  TempDir d;
  WriteFile(d / "m/.git/HEAD", "ref");
  WriteFile(d / "m/.gitignore", "x");
  WriteFile(d / "m/.github/workflows/ci.yml", "y");
  WriteFile(d / "m/.gitattributes", "z");
  WriteFile(d / "m/.gitkeep", "kept: not a default ignore");
  WriteFile(d / "m/ckpt/1.bin", "1");
  WriteFile(d / "m/ckpt.bin", "not under ckpt/");
  WriteFile(d / "m/keep/notes.txt", "n");
  WriteFile(d / "m/keep/drop.txt", "d");
  Serialization s = Files();
  s.ignore_paths.push_back("ckpt");
  s.ignore_paths.push_back("keep/drop.txt");
  auto m = HashModel(d / "m", s);
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(Names(*m), (std::vector<std::string>{".gitkeep", "ckpt.bin", "keep/notes.txt"}));
}

TEST(HashModelTest, IgnoredDirectoryIsNotEvenRead) {
  TempDir d;
  WriteFile(d / "m/f", "x");
  ASSERT_EQ(::mkfifo((d / "m/.git").c_str(), 0600), 0);  // would be an error if visited
  auto m = HashModel(d / "m", Files());
  ASSERT_TRUE(m.ok()) << m.error().message();
}

TEST(HashModelTest, SymlinksNeedPermissionAndHashTheTarget) {
  TempDir d;
  WriteFile(d / "target.bin", "outside bytes");
  WriteFile(d / "m/real", "r");
  std::filesystem::create_symlink(d / "target.bin", d / "m/link");
  auto refused = HashModel(d / "m", Files());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("is a symbolic link; pass --allow-symlinks"), std::string::npos);

  Serialization s = Files();
  s.allow_symlinks = true;
  auto m = HashModel(d / "m", s);
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(Names(*m), (std::vector<std::string>{"link", "real"}));
  EXPECT_EQ(m->resources[0].digest, Sha256("outside bytes"));
}

TEST(HashModelTest, SymlinkLoopIsAClearError) {
  TempDir d;
  WriteFile(d / "m/f", "x");
  std::filesystem::create_symlink("b", d / "m/a");
  std::filesystem::create_symlink("a", d / "m/b");
  Serialization s = Files();
  s.allow_symlinks = true;
  auto m = HashModel(d / "m", s);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("symbolic link loop"), std::string::npos) << m.error().message();
  EXPECT_EQ(m.error().kind(), ErrorKind::kInput);
}

TEST(HashModelTest, SymlinkToDirectoryIsRefused) {
  TempDir d;
  WriteFile(d / "other/f", "x");
  WriteFile(d / "m/f", "x");
  std::filesystem::create_directory_symlink(d / "other", d / "m/dir");
  Serialization s = Files();
  s.allow_symlinks = true;
  auto m = HashModel(d / "m", s);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("symbolic link to a directory"), std::string::npos);
}

TEST(HashModelTest, FifoIsRefusedWithoutBlocking) {
  TempDir d;
  WriteFile(d / "m/f", "x");
  ASSERT_EQ(::mkfifo((d / "m/pipe").c_str(), 0600), 0);
  auto m = HashModel(d / "m", Files());
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("pipe is a FIFO"), std::string::npos) << m.error().message();
  auto single = HashModel(d / "m/pipe", Files());
  ASSERT_FALSE(single.ok());
}

TEST(HashModelTest, NonUtf8NamesAreRefusedOrIgnored) {
  // JSON strings must be UTF-8, so such a name cannot appear in a signed manifest.
  TempDir d;
  WriteFile(d / "m/ok.txt", "x");
  WriteFile(d / "m/bad\xff.bin", "y");
  auto m = HashModel(d / "m", Files());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().kind(), ErrorKind::kInput);
  EXPECT_NE(m.error().message().find("not valid UTF-8"), std::string::npos) << m.error().message();
  Serialization ignoring = Files();
  ignoring.ignore_paths.push_back("bad\xff.bin");
  auto ignored = HashModel(d / "m", ignoring);
  ASSERT_TRUE(ignored.ok()) << ignored.error().message();
  EXPECT_EQ(Names(*ignored), std::vector<std::string>{"ok.txt"});
  WriteFile(d / "caf\xc3\xa9/w.bin", "z");  // valid UTF-8 is fine
  EXPECT_TRUE(HashModel(d / "caf\xc3\xa9", Files()).ok());
}

TEST(HashModelTest, MissingPath) {
  TempDir d;
  auto m = HashModel(d / "nope", Files());
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("No such file or directory"), std::string::npos);
  EXPECT_NE(m.error().message().find("nope"), std::string::npos);
}

TEST(HashModelTest, SingleFileModel) {
  TempDir d;
  WriteFile(d / "model.safetensors", "weights");
  auto m = HashModel(d / "model.safetensors", Files());
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->resources.size(), 1u);
  EXPECT_EQ(m->resources[0].name, ".");  // as model_signing names it
  EXPECT_EQ(m->model_name, "model.safetensors");
}

TEST(HashModelTest, ThreadCountDoesNotChangeTheResult) {
  TempDir d;
  for (int i = 0; i < 40; ++i) WriteFile(d / ("m/d" + std::to_string(i % 3) + "/f" + std::to_string(i)), std::string(i * 1000, 'a' + i % 26));
  auto one = HashModel(d / "m", Shards(3000), {1, false});
  auto many = HashModel(d / "m", Shards(3000), {8, false});
  ASSERT_TRUE(one.ok() && many.ok());
  EXPECT_EQ(Names(*one), Names(*many));
  EXPECT_EQ(one->SubjectDigest(), many->SubjectDigest());
}

TEST(HashModelTest, ZeroShardSizeIsAnError) {
  TempDir d;
  WriteFile(d / "m/f", "x");
  EXPECT_FALSE(HashModel(d / "m", Shards(0)).ok());
}

TEST(NormalizeIgnorePathTest, Forms) {
  EXPECT_EQ(NormalizeIgnorePath("/m", "./a/b/"), "a/b");
  EXPECT_EQ(NormalizeIgnorePath("/m", "a//b"), "a/b");
  EXPECT_EQ(NormalizeIgnorePath("/models/m", "/models/m/ckpt"), "ckpt");
  EXPECT_EQ(NormalizeIgnorePath("/models/m", "/elsewhere/x"), "/elsewhere/x");
}

// Tamper detection at the manifest level: every kind of change is named.
class CompareTest : public ::testing::TestWithParam<SerializationMethod> {
 protected:
  Serialization Ser() { return GetParam() == SerializationMethod::kFiles ? Files() : Shards(3); }
  void SetUp() override {
    WriteFile(d / "m/a.txt", "alpha");
    WriteFile(d / "m/sub/b.txt", "bravo");
    WriteFile(d / "m/c.bin", "charlie");
    auto m = HashModel(d / "m", Ser());
    ASSERT_TRUE(m.ok());
    before = *m;
  }
  ManifestDiff After() {
    auto m = HashModel(d / "m", Ser());
    EXPECT_TRUE(m.ok());
    return CompareManifests(before, *m);
  }
  TempDir d;
  Manifest before;
};

TEST_P(CompareTest, Unchanged) { EXPECT_TRUE(After().empty()); }

TEST_P(CompareTest, Modify) {
  WriteFile(d / "m/sub/b.txt", "bravO");
  auto diff = After();
  EXPECT_EQ(diff.modified, std::vector<std::string>{"sub/b.txt"});
  EXPECT_TRUE(diff.added.empty() && diff.removed.empty());
}

TEST_P(CompareTest, Add) {
  WriteFile(d / "m/sub/new.txt", "n");
  auto diff = After();
  EXPECT_EQ(diff.added, std::vector<std::string>{"sub/new.txt"});
  EXPECT_TRUE(diff.modified.empty() && diff.removed.empty());
}

TEST_P(CompareTest, Remove) {
  std::filesystem::remove(d / "m/a.txt");
  auto diff = After();
  EXPECT_EQ(diff.removed, std::vector<std::string>{"a.txt"});
  EXPECT_TRUE(diff.modified.empty() && diff.added.empty());
}

TEST_P(CompareTest, Rename) {
  std::filesystem::rename(d / "m/c.bin", d / "m/sub/c.bin");
  auto diff = After();
  EXPECT_EQ(diff.removed, std::vector<std::string>{"c.bin"});
  EXPECT_EQ(diff.added, std::vector<std::string>{"sub/c.bin"});
}

TEST_P(CompareTest, Truncate) {
  std::filesystem::resize_file(d / "m/c.bin", 4);
  auto diff = After();
  EXPECT_EQ(diff.modified, std::vector<std::string>{"c.bin"});
}

TEST_P(CompareTest, SeveralChangesAtOnce) {
  WriteFile(d / "m/a.txt", "ALPHA");
  WriteFile(d / "m/z.txt", "z");
  std::filesystem::remove(d / "m/sub/b.txt");
  auto diff = After();
  EXPECT_EQ(diff.modified, std::vector<std::string>{"a.txt"});
  EXPECT_EQ(diff.added, std::vector<std::string>{"z.txt"});
  EXPECT_EQ(diff.removed, std::vector<std::string>{"sub/b.txt"});
}

INSTANTIATE_TEST_SUITE_P(Methods, CompareTest,
                         ::testing::Values(SerializationMethod::kFiles, SerializationMethod::kShards),
                         [](const auto& info) { return std::string(SerializationMethodName(info.param)); });

}  // namespace
}  // namespace custody
