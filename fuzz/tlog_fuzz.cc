// Fuzzes the log's parsers: signed notes, checkpoints, verifier keys, tile
// paths, entry bundles and proof JSON. Whatever parses must format back to an
// equivalent form; nothing may crash.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/json.h"
#include "fuzz_check.h"
#include "tlog/note.h"
#include "tlog/proof_json.h"
#include "tlog/tile.h"

using custody::fuzz::Check;
namespace tlog = custody::tlog;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto note = tlog::ParseNote(text); note.ok()) {
    Check(!note->text.empty() && note->text.back() == '\n');
  }
  if (auto c = tlog::ParseCheckpoint(text); c.ok()) {
    auto again = tlog::ParseCheckpoint(tlog::FormatCheckpoint(*c));
    Check(again.ok() && again->size == c->size && again->root == c->root && again->origin == c->origin);
  }
  if (auto v = tlog::NoteVerifier::Parse(text); v.ok()) {
    Check(v->ToString() == text);
  }
  if (auto t = tlog::ParseTilePath(text); t.ok()) {
    Check(tlog::TilePath(*t) == text);
  }
  if (auto parts = tlog::SplitBundle(text); parts.ok()) {
    std::string back;
    for (std::string_view p : *parts) tlog::AppendBundleEntry(back, p);
    Check(back == text);
  }
  if (auto j = custody::ParseJson(text, "fuzz"); j.ok()) {
    if (auto p = tlog::ParseProofJson(*j, "fuzz"); p.ok()) {
      auto again = tlog::ParseProofJson(tlog::ToJson(*p), "fuzz");
      Check(again.ok() && again->hashes == p->hashes && again->tree_size == p->tree_size);
    }
  }
  return 0;
}
