#include "tlog/note.h"

#include <gtest/gtest.h>

#include "core/encoding.h"

namespace custody::tlog {
namespace {

// golang.org/x/mod/sumdb/note's published example (example_test.go).
const char* kGoVerifier = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const char* kGoSeed = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";  // 0x01 || seed
const char* kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const char* kGoSignature =
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

PrivateKey GoKey() {
  std::string seed = Base64Decode(kGoSeed)->substr(1);
  // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
  std::string der = HexDecode("302e020100300506032b657004220420").value() + seed;
  std::string pem = "-----BEGIN PRIVATE KEY-----\n" + Base64Encode(der) + "\n-----END PRIVATE KEY-----\n";
  return PrivateKey::FromPem(pem, "go example key").value();
}

TEST(NoteTest, ReadsGoVerifierKeysAndNotes) {
  auto v = NoteVerifier::Parse(kGoVerifier);
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_EQ(v->name(), "PeterNeumann");
  EXPECT_EQ(v->key_id(), 0xc74f20a3u);
  EXPECT_EQ(v->ToString(), kGoVerifier);
  std::string note = std::string(kGoText) + "\n" + kGoSignature;
  auto opened = OpenNote(note, *v);
  ASSERT_TRUE(opened.ok()) << opened.error().message();
  EXPECT_EQ(opened->text, kGoText);
}

TEST(NoteTest, SignsExactlyAsGo) {
  auto signer = NoteSigner::Create("PeterNeumann", GoKey());
  ASSERT_TRUE(signer.ok()) << signer.error().message();
  EXPECT_EQ(signer->verifier().ToString(), kGoVerifier);
  auto note = signer->Sign(kGoText);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(*note, std::string(kGoText) + "\n" + kGoSignature);  // Ed25519 is deterministic
}

TEST(NoteTest, RejectsAlteredAndForeignNotes) {
  auto v = NoteVerifier::Parse(kGoVerifier).value();
  std::string note = std::string(kGoText) + "\n" + kGoSignature;
  std::string altered = note;
  altered[3] = 'X';
  auto r = OpenNote(altered, v);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kVerification);
  EXPECT_NE(r.error().message().find("altered"), std::string::npos);

  auto other = NoteSigner::Create("Other", PrivateKey::Generate(KeyType::kEd25519).value()).value();
  auto foreign = OpenNote(*other.Sign(kGoText), v);
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message().find("unknown key"), std::string::npos);
}

TEST(NoteTest, MalformedNotesAndKeys) {
  for (const char* bad : {"", "text\n", "text\n\n", "text\n\nno dash\n", "text\n\n— name\n",
                          "text\n\n— name !!!\n", "text\n\n— name AAAA\n", "text\n\n— name AAAAAAAA",
                          "te\x01xt\n\n— name AAAAAAAA\n"}) {
    EXPECT_FALSE(ParseNote(bad).ok()) << bad;
  }
  for (const char* bad : {"", "name", "name+c74f20a3", "name+zzzzzzzz+AQ==", "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                          "PeterNeumann+c74f20a3+AhpcMQ==", "na me+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"}) {
    EXPECT_FALSE(NoteVerifier::Parse(bad).ok()) << bad;
  }
  EXPECT_FALSE(NoteSigner::Create("log", PrivateKey::Generate(KeyType::kEcdsaP256).value()).ok());
  EXPECT_FALSE(NoteSigner::Create("has space", PrivateKey::Generate(KeyType::kEd25519).value()).ok());
}

TEST(NoteTest, CheckpointRoundTrip) {
  Checkpoint c{"example.com/log", 12345, LeafHash("x"), {"ext one"}};
  std::string text = FormatCheckpoint(c);
  auto back = ParseCheckpoint(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->origin, c.origin);
  EXPECT_EQ(back->size, c.size);
  EXPECT_EQ(back->root, c.root);
  EXPECT_EQ(back->extensions, c.extensions);
  for (const char* bad : {"", "origin\n", "origin\n12\n", "origin\n012\nAAAA\n", "origin\n-1\n" ,
                          "origin\n12\nnotbase64!\n", "origin\n12\nAAAA\n", "\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"}) {
    EXPECT_FALSE(ParseCheckpoint(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace custody::tlog
