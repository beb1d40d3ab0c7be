// Verifies a real bundle written by OpenSSF model_signing 1.1.0 (ECDSA P-384),
// from ../shared/interop/model-signing; skips when that folder is absent.
#include <gtest/gtest.h>

#include "attest/model_signature.h"
#include "core/file.h"
#include "test_util.h"

namespace custody {
namespace {

class ModelSigningBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto shared = testing::SharedDir();
    if (!shared || !std::filesystem::exists(*shared / "interop/model-signing/v1.1.0-elliptic-key")) {
      GTEST_SKIP() << "../shared/interop/model-signing not found; set CUSTODY_SHARED to run this test";
    }
    std::filesystem::path src = *shared / "interop/model-signing";
    // Work on a writable copy so tampering never touches the shared data.
    std::filesystem::copy(src / "v1.1.0-elliptic-key", model, std::filesystem::copy_options::recursive);
    for (auto& e : std::filesystem::recursive_directory_iterator(model)) {
      std::filesystem::permissions(e.path(), std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    }
    std::filesystem::permissions(model, std::filesystem::perms::owner_all, std::filesystem::perm_options::add);
    auto pem = ReadFile(src / "v1.1.0-elliptic-key.pub.pem");
    ASSERT_TRUE(pem.ok());
    auto k = PublicKey::FromPem(*pem, "v1.1.0-elliptic-key.pub.pem");
    ASSERT_TRUE(k.ok());
    key = std::make_unique<PublicKey>(*k);
    auto text = ReadFile(model / "model.sig");
    ASSERT_TRUE(text.ok());
    auto b = Bundle::Parse(*text, "model.sig");
    ASSERT_TRUE(b.ok()) << b.error().message();
    bundle = *b;
  }
  Result<ModelVerification> Verify() { return VerifyModel(model, bundle, *key, model / "model.sig", {}, {}); }

  testing::TempDir tmp;
  std::filesystem::path model = tmp / "v1.1.0-elliptic-key";
  std::unique_ptr<PublicKey> key;
  Bundle bundle;
};

TEST_F(ModelSigningBundleTest, VerifiesUnchanged) {
  EXPECT_EQ(key->type(), KeyType::kEcdsaP384);
  auto v = Verify();
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_TRUE(v->ok());
  EXPECT_EQ(v->actual_manifest.FileCount(), 2u);
  EXPECT_EQ(v->signed_manifest.model_name, "v1.1.0-elliptic-key");
  // Its recorded ignores are the git paths, model.sig and ignore-me: only the last was a choice.
  EXPECT_EQ(v->unchecked, std::vector<std::string>{"ignore-me"});
}

TEST_F(ModelSigningBundleTest, RejectsAModifiedFile) {
  std::string content = *ReadFile(model / "signme-1");
  content[0] ^= 1;
  testing::WriteFile(model / "signme-1", content);
  auto v = Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok());
  EXPECT_EQ(v->diff.modified, std::vector<std::string>{"signme-1"});
}

TEST_F(ModelSigningBundleTest, RejectsAnAddedFileButNotAnIgnoredOne) {
  testing::WriteFile(model / "ignore-me", "changed, but listed in ignore_paths");
  EXPECT_TRUE(Verify()->ok());
  testing::WriteFile(model / "new-file", "x");
  auto v = Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->diff.added, std::vector<std::string>{"new-file"});
}

TEST_F(ModelSigningBundleTest, RejectsARemovedFile) {
  std::filesystem::remove(model / "signme-2");
  auto v = Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->diff.removed, std::vector<std::string>{"signme-2"});
}

TEST_F(ModelSigningBundleTest, RejectsAnotherKey) {
  auto other = PrivateKey::Generate(KeyType::kEcdsaP384);
  auto v = VerifyModel(model, bundle, other->Public(), model / "model.sig", {}, {});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind(), ErrorKind::kVerification);
}

}  // namespace
}  // namespace custody
