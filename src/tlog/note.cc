#include "tlog/note.h"

#include <charconv>

#include "core/encoding.h"
#include "crypto/digest.h"

namespace custody::tlog {
namespace {

constexpr char kEd25519Alg = 0x01;
constexpr std::string_view kDash = "\xe2\x80\x94 ";  // U+2014 EM DASH and a space
constexpr size_t kMaxNote = 1 << 20;

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c <= ' ' || c == '+' || c == 0x7f) return false;
  }
  return true;
}

uint32_t KeyId(std::string_view name, std::string_view raw) {
  std::string material(name);
  material += '\n';
  material += kEd25519Alg;
  material += raw;
  std::string h = Sha256(material);
  return (uint32_t{static_cast<unsigned char>(h[0])} << 24) |
         (uint32_t{static_cast<unsigned char>(h[1])} << 16) |
         (uint32_t{static_cast<unsigned char>(h[2])} << 8) | uint32_t{static_cast<unsigned char>(h[3])};
}

std::string Hex8(uint32_t v) {
  char buf[9];
  static const char* d = "0123456789abcdef";
  for (int i = 7; i >= 0; --i) {
    buf[i] = d[v & 15];
    v >>= 4;
  }
  buf[8] = 0;
  return buf;
}

std::string IdBytes(uint32_t id) {
  return {static_cast<char>(id >> 24), static_cast<char>(id >> 16), static_cast<char>(id >> 8),
          static_cast<char>(id)};
}

Result<uint64_t> ParseDecimal(std::string_view s, const std::string& what) {
  uint64_t v = 0;
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return Error::Input(what + " is not a decimal number");
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return Error::Input(what + " is not a decimal number");
  return v;
}

}  // namespace

Result<NoteVerifier> NoteVerifier::Parse(std::string_view vkey) {
  auto bad = [&](const std::string& why) {
    return Error::Input("verifier key '" + std::string(vkey.substr(0, 200)) + "': " + why +
                        " (expected NAME+HEX8+BASE64, as 'custody log key' prints)");
  };
  size_t p1 = vkey.find('+');
  if (p1 == std::string_view::npos) return bad("no '+'");
  size_t p2 = vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return bad("only one '+'");
  std::string name(vkey.substr(0, p1));
  std::string_view hex = vkey.substr(p1 + 1, p2 - p1 - 1);
  if (!ValidName(name)) return bad("invalid key name");
  if (hex.size() != 8) return bad("the key hash is not 8 hex digits");
  uint32_t id = 0;
  auto [ptr, ec] = std::from_chars(hex.data(), hex.data() + 8, id, 16);
  if (ec != std::errc() || ptr != hex.data() + 8) return bad("the key hash is not 8 hex digits");
  auto data = Base64Decode(vkey.substr(p2 + 1));
  if (!data.ok()) return bad("the key is not base64");
  if (data->size() != 33 || (*data)[0] != kEd25519Alg) {
    return bad("not an Ed25519 key (custody logs sign with Ed25519, algorithm 1)");
  }
  std::string raw = data->substr(1);
  if (KeyId(name, raw) != id) return bad("the key hash does not match the name and key");
  auto key = PublicKey::FromRawEd25519(raw, "verifier key");
  if (!key.ok()) return key.error();
  return NoteVerifier(std::move(name), id, std::move(raw), std::move(*key));
}

Result<NoteVerifier> NoteVerifier::FromPublicKey(const std::string& name, const PublicKey& key) {
  if (!ValidName(name)) {
    return Error::Input("'" + name + "' is not a valid log name (no spaces, no '+', not empty)");
  }
  auto raw = key.RawEd25519();
  if (!raw.ok()) return raw.error().WithContext("log key");
  uint32_t id = KeyId(name, *raw);
  return NoteVerifier(name, id, *raw, key);
}

std::string NoteVerifier::ToString() const {
  return name_ + "+" + Hex8(key_id_) + "+" + Base64Encode(std::string(1, kEd25519Alg) + raw_);
}

bool NoteVerifier::Verify(std::string_view text, std::string_view signature) const {
  return key_.Verify(text, signature);
}

Result<NoteSigner> NoteSigner::Create(const std::string& name, PrivateKey key) {
  if (key.type() != KeyType::kEd25519) {
    return Error::Input(std::string("a log key must be Ed25519, this one is ") + KeyTypeName(key.type()));
  }
  auto v = NoteVerifier::FromPublicKey(name, key.Public());
  if (!v.ok()) return v.error();
  return NoteSigner(std::move(*v), std::move(key));
}

Result<std::string> NoteSigner::SignatureLine(std::string_view text) const {
  auto sig = key_.Sign(text);
  if (!sig.ok()) return sig.error();
  return std::string(kDash) + verifier_.name() + " " + Base64Encode(IdBytes(verifier_.key_id()) + *sig);
}

Result<std::string> NoteSigner::Sign(std::string_view text) const {
  if (text.empty() || text.back() != '\n') return Error::Input("note text must end with a newline");
  auto line = SignatureLine(text);
  if (!line.ok()) return line.error();
  return std::string(text) + "\n" + *line + "\n";
}

Result<Note> ParseNote(std::string_view note) {
  if (note.size() > kMaxNote) return Error::Input("note is larger than 1 MB");
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return Error::Input("malformed note: no blank line between the text and the signatures");
  }
  Note out;
  out.text = std::string(note.substr(0, split + 1));
  for (unsigned char c : out.text) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) return Error::Input("malformed note: control character in the text");
  }
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return Error::Input("malformed note: the signature block does not end with a newline");
  }
  size_t line_no = 0;
  while (!sigs.empty()) {
    ++line_no;
    size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    std::string where = "malformed note: signature line " + std::to_string(line_no);
    if (line.substr(0, kDash.size()) != kDash) return Error::Input(where + " does not start with '— '");
    line.remove_prefix(kDash.size());
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return Error::Input(where + " has no space between name and signature");
    NoteSignature s;
    s.name = std::string(line.substr(0, sp));
    if (!ValidName(s.name)) return Error::Input(where + " has an invalid key name");
    auto bytes = Base64Decode(line.substr(sp + 1));
    if (!bytes.ok() || bytes->size() < 5) return Error::Input(where + ": the signature is not base64 of id and signature");
    s.key_id = (uint32_t{static_cast<unsigned char>((*bytes)[0])} << 24) |
               (uint32_t{static_cast<unsigned char>((*bytes)[1])} << 16) |
               (uint32_t{static_cast<unsigned char>((*bytes)[2])} << 8) |
               uint32_t{static_cast<unsigned char>((*bytes)[3])};
    s.signature = bytes->substr(4);
    out.signatures.push_back(std::move(s));
  }
  return out;
}

Result<Note> OpenNote(std::string_view note, const NoteVerifier& verifier) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.error();
  bool seen = false;
  for (const NoteSignature& s : parsed->signatures) {
    if (s.name != verifier.name() || s.key_id != verifier.key_id()) continue;
    seen = true;
    if (verifier.Verify(parsed->text, s.signature)) return std::move(*parsed);
  }
  if (!seen) {
    return Error::Verification("note has no signature by key " + verifier.name() + "+" +
                               Hex8(verifier.key_id()) + " (signed by an unknown key)");
  }
  return Error::Verification("note signature by " + verifier.name() + " does not verify: the note was altered");
}

std::string FormatCheckpoint(const Checkpoint& c) {
  std::string s = c.origin + "\n" + std::to_string(c.size) + "\n" + Base64Encode(AsBytes(c.root)) + "\n";
  for (const std::string& e : c.extensions) s += e + "\n";
  return s;
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') return Error::Input("malformed checkpoint: does not end with a newline");
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  if (lines.size() < 3) return Error::Input("malformed checkpoint: needs origin, size and root hash lines");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) return Error::Input("malformed checkpoint: empty origin line");
  auto size = ParseDecimal(lines[1], "checkpoint tree size '" + std::string(lines[1].substr(0, 40)) + "'");
  if (!size.ok()) return Error::Input("malformed checkpoint: " + size.error().message());
  c.size = *size;
  auto root = Base64Decode(lines[2]);
  if (!root.ok()) return Error::Input("malformed checkpoint: the root hash line is not base64");
  auto h = HashFromBytes(*root, "checkpoint root hash");
  if (!h.ok()) return Error::Input("malformed checkpoint: " + h.error().message());
  c.root = *h;
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return Error::Input("malformed checkpoint: empty extension line");
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

}  // namespace custody::tlog
