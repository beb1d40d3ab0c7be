// C2SP signed-note and tlog-checkpoint, with Ed25519 keys.
//
// A note is UTF-8 text ending in a newline, followed by a blank line and one
// signature line per signer: "— NAME BASE64(keyid[4] || signature)". The key id
// of an Ed25519 key is the first 4 bytes of SHA-256(NAME || 0x0A || 0x01 || pubkey);
// its verifier key string is "NAME+HEX8(keyid)+BASE64(0x01 || pubkey)", as Go's
// golang.org/x/mod/sumdb/note writes it. A checkpoint is a note whose text is
// "ORIGIN\nSIZE\nBASE64(ROOT)\n" plus optional extension lines.
// All types are values; const methods are safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "crypto/key.h"
#include "tlog/merkle.h"

namespace custody::tlog {

// The public half: checks signatures by one named key.
class NoteVerifier {
 public:
  // Parses "NAME+HEX8+BASE64(0x01||pubkey)".
  static Result<NoteVerifier> Parse(std::string_view verifier_key);
  static Result<NoteVerifier> FromPublicKey(const std::string& name, const PublicKey& key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  // The verifier key string.
  std::string ToString() const;
  const PublicKey& public_key() const { return key_; }
  bool Verify(std::string_view text, std::string_view signature) const;

 private:
  NoteVerifier(std::string name, uint32_t id, std::string raw, PublicKey key)
      : name_(std::move(name)), key_id_(id), raw_(std::move(raw)), key_(std::move(key)) {}
  std::string name_;
  uint32_t key_id_;
  std::string raw_;  // 32-byte Ed25519 public key
  PublicKey key_;
};

class NoteSigner {
 public:
  // REQUIRES: key is Ed25519. `name` must be a valid note key name (no spaces, no '+').
  static Result<NoteSigner> Create(const std::string& name, PrivateKey key);
  const NoteVerifier& verifier() const { return verifier_; }
  // The signature line for `text`, without its trailing newline.
  Result<std::string> SignatureLine(std::string_view text) const;
  // text + "\n" + signature line + "\n".
  Result<std::string> Sign(std::string_view text) const;

 private:
  NoteSigner(NoteVerifier v, PrivateKey k) : verifier_(std::move(v)), key_(std::move(k)) {}
  NoteVerifier verifier_;
  PrivateKey key_;
};

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string signature;  // raw bytes after the key id
};

struct Note {
  std::string text;                      // including its final newline
  std::vector<NoteSignature> signatures;
};

// Splits a signed note into text and signatures; errors for malformed notes
// (no blank line, bad signature lines, text not ending in a newline, over 1 MB).
Result<Note> ParseNote(std::string_view note);

// Verifies `note` with `verifier`: at least one signature by that key name and
// id must verify. Unknown keys are ignored, as note.Open does with known-key lists.
Result<Note> OpenNote(std::string_view note, const NoteVerifier& verifier);

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // lines after the root, without newlines
};

std::string FormatCheckpoint(const Checkpoint& c);
Result<Checkpoint> ParseCheckpoint(std::string_view text);

}  // namespace custody::tlog
