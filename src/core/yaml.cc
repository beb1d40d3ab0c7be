#include "core/yaml.h"

#include <libfyaml.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>

namespace custody {
namespace {

// The tree is first built from shared nodes, so an alias costs a pointer and
// its expanded size is known (a sum) before anything is copied; only a tree
// within the bounds is then copied out into YamlNodes.
struct INode;
using INodePtr = std::shared_ptr<const INode>;

struct INode {
  YamlNode::Type type = YamlNode::Type::kScalar;
  std::string tag;
  std::string scalar;
  bool plain = false;
  int line = 0, column = 0;
  std::vector<INodePtr> items;
  std::vector<std::pair<INodePtr, INodePtr>> entries;
  size_t count = 1;  // nodes in the expanded subtree, this one included
  int height = 1;    // levels in the expanded subtree, this one included
};

constexpr std::string_view kMergeTag = "tag:yaml.org,2002:merge";

// A deliberate error, with its position, distinct from libfyaml's own.
struct Failure {
  int line = 0, column = 0;  // 1-based; 0 when unknown
  std::string message;
};

// 1-based line and column (counted in characters) of byte offsets.
class Positions {
 public:
  explicit Positions(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }
  std::pair<int, int> At(size_t offset) const {
    offset = std::min(offset, text_.size());
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset) - 1;
    int column = 1;
    for (size_t i = *it; i < offset; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    return {static_cast<int>(it - starts_.begin()) + 1, column};
  }

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

// YAML allows only printable characters (YAML 1.2 section 5.1). libfyaml
// silently drops some control characters and passes invalid UTF-8 through in
// plain scalars, so the whole input is checked first. Returns the offset of
// the first bad byte and what is wrong with it.
bool FindBadCharacter(std::string_view text, size_t* offset, std::string* what) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      cp = c & 0x1F;
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      cp = c & 0x0F;
      len = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      cp = c & 0x07;
      len = 4;
    } else {
      len = 0;
      cp = 0;
    }
    bool ok = len > 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and code points beyond U+10FFFF.
    if (ok && ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
               (cp >= 0xD800 && cp <= 0xDFFF)))
      ok = false;
    if (!ok) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "invalid UTF-8 (byte 0x%02x)", c);
      *offset = i;
      *what = buf;
      return true;
    }
    bool printable = cp == 0x09 || cp == 0x0A || cp == 0x0D || (cp >= 0x20 && cp <= 0x7E) || cp == 0x85 ||
                     (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
    if (!printable) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "control character U+%04X is not allowed in YAML", cp);
      *offset = i;
      *what = buf;
      return true;
    }
    i += len;
  }
  return false;
}

std::string TokenText(fy_token* token) {
  if (token == nullptr) return "";
  size_t len = 0;
  const char* s = fy_token_get_text(token, &len);
  return s == nullptr ? std::string() : std::string(s, len);
}

// The value of a single-quoted scalar from its source text (between the
// quotes): '' is a quote; a line break with the blanks around it folds into
// a space, and each further empty line into a newline. libfyaml 0.7's own
// text is wrong after two '' escapes in a row ('x''''y' reads as x''' and
// loses the y), so single-quoted scalars are read here.
std::string SingleQuoted(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  auto is_break = [&](size_t i) { return i < raw.size() && (raw[i] == '\n' || raw[i] == '\r'); };
  auto is_blank = [&](size_t i) { return i < raw.size() && (raw[i] == ' ' || raw[i] == '\t'); };
  auto skip_break = [&](size_t i) {
    return raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n' ? i + 2 : i + 1;
  };
  for (size_t i = 0; i < raw.size();) {
    if (raw[i] == '\'' && i + 1 < raw.size() && raw[i + 1] == '\'') {
      out.push_back('\'');
      i += 2;
    } else if (is_break(i)) {
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
      size_t breaks = 0;
      while (is_break(i)) {
        ++breaks;
        i = skip_break(i);
        while (is_blank(i)) ++i;
      }
      if (breaks == 1) {
        out.push_back(' ');
      } else {
        out.append(breaks - 1, '\n');
      }
    } else {
      out.push_back(raw[i++]);
    }
  }
  return out;
}

class Builder {
 public:
  Builder(std::string_view text, const Positions& positions) : text_(text), positions_(positions) {}

  // Feeds one event; false (with failure_ set) to stop.
  bool Event(fy_event* e);
  std::vector<INodePtr>& documents() { return documents_; }
  const Failure& failure() const { return failure_; }

 private:
  struct Frame {
    std::shared_ptr<INode> node;
    std::string anchor;
    INodePtr key;  // mapping: the key waiting for its value
  };

  bool Fail(std::pair<int, int> pos, std::string message) {
    failure_ = {pos.first, pos.second, std::move(message)};
    return false;
  }
  std::pair<int, int> MarkPos(const fy_mark* m) const {
    return m == nullptr ? std::pair<int, int>{0, 0} : positions_.At(m->input_pos);
  }
  // The earliest of the marks that exist.
  std::pair<int, int> StartOf(std::initializer_list<fy_token*> tokens, const fy_mark* fallback) const;
  size_t BlockIndicator(size_t from, size_t limit) const;

  bool Open(YamlNode::Type type, fy_token* anchor, fy_token* tag, fy_event* e);
  bool Close();
  bool Attach(INodePtr node, const std::string& anchor);
  bool ApplyMerges(INode& mapping);
  bool CountAdded(size_t added);

  std::string_view text_;
  const Positions& positions_;
  std::vector<Frame> stack_;
  std::map<std::string, INodePtr, std::less<>> anchors_;
  std::vector<INodePtr> documents_;
  size_t nodes_ = 0;         // expanded nodes in the stream so far
  size_t last_end_ = 0;      // end offset of the latest event
  size_t previous_end_ = 0;  // end offset of the event before the current one
  Failure failure_;
};

std::pair<int, int> Builder::StartOf(std::initializer_list<fy_token*> tokens, const fy_mark* fallback) const {
  size_t best = SIZE_MAX;
  for (fy_token* t : tokens) {
    if (t == nullptr) continue;
    const fy_mark* m = fy_token_start_mark(t);
    if (m == nullptr) continue;
    size_t at = m->input_pos;
    // Anchor tokens start after their '&', quoted scalars after the quote.
    fy_token_type type = fy_token_get_type(t);
    if (at > 0 && at <= text_.size()) {
      char before = text_[at - 1];
      if ((type == FYTT_ANCHOR && before == '&') ||
          (type == FYTT_SCALAR && (before == '"' || before == '\'') &&
           fy_token_scalar_style(t) != FYSS_PLAIN)) {
        --at;
      }
    }
    best = std::min(best, at);
  }
  if (best == SIZE_MAX && fallback != nullptr) best = fallback->input_pos;
  if (best == SIZE_MAX) best = previous_end_;
  return positions_.At(best);
}

// libfyaml places a block scalar at its first content line; the node starts at
// its indicator. Between the previous token and the content there are only
// indicators, blanks and comments, so the first '|' or '>' outside a comment
// is the one.
size_t Builder::BlockIndicator(size_t from, size_t limit) const {
  limit = std::min(limit, text_.size());
  for (size_t i = from; i < limit; ++i) {
    char c = text_[i];
    if (c == '#') {
      while (i < limit && text_[i] != '\n') ++i;
    } else if (c == '|' || c == '>') {
      return i;
    }
  }
  return limit;
}

bool Builder::CountAdded(size_t added) {
  nodes_ += added;
  if (nodes_ > kYamlMaxNodes) {
    return Fail({0, 0}, "expanding aliases and merge keys gives more than " + std::to_string(kYamlMaxNodes) +
                            " nodes (an alias bomb?)");
  }
  return true;
}

bool Builder::Event(fy_event* e) {
  previous_end_ = last_end_;
  if (const fy_mark* end = fy_event_end_mark(e)) last_end_ = end->input_pos;
  switch (e->type) {
    case FYET_DOCUMENT_START:
      anchors_.clear();  // anchors are local to a document
      return true;
    case FYET_SCALAR: {
      const auto& d = e->scalar;
      auto node = std::make_shared<INode>();
      node->type = YamlNode::Type::kScalar;
      if (d.tag != nullptr) node->tag = TokenText(d.tag);
      fy_scalar_style style = d.value != nullptr ? fy_token_scalar_style(d.value) : FYSS_PLAIN;
      bool read_here = false;
      if (style == FYSS_SINGLE_QUOTED) {
        // Not through fy_token_get_text: besides the wrong text, libfyaml
        // 0.7 leaks the buffer it formats such scalars into (found by fuzzing).
        const fy_mark* start = fy_token_start_mark(d.value);
        const fy_mark* end = fy_token_end_mark(d.value);
        if (start != nullptr && end != nullptr && start->input_pos <= end->input_pos &&
            end->input_pos <= text_.size()) {
          node->scalar = SingleQuoted(text_.substr(start->input_pos, end->input_pos - start->input_pos));
          read_here = true;
        }
      }
      if (!read_here) node->scalar = TokenText(d.value);
      node->plain = style == FYSS_PLAIN;
      auto pos = StartOf({d.anchor, d.tag, d.value}, nullptr);
      if ((style == FYSS_LITERAL || style == FYSS_FOLDED) && d.anchor == nullptr && d.tag == nullptr) {
        const fy_mark* m = d.value != nullptr ? fy_token_start_mark(d.value) : nullptr;
        if (m != nullptr) pos = positions_.At(BlockIndicator(previous_end_, m->input_pos));
      }
      node->line = pos.first;
      node->column = pos.second;
      if (!CountAdded(1)) return false;
      return Attach(std::move(node), TokenText(d.anchor));
    }
    case FYET_ALIAS: {
      std::string name = TokenText(e->alias.anchor);
      const fy_mark* m = fy_event_start_mark(e);
      if (m == nullptr && e->alias.anchor != nullptr) m = fy_token_start_mark(e->alias.anchor);
      size_t at = m != nullptr ? m->input_pos : previous_end_;
      if (at > 0 && at <= text_.size() && text_[at - 1] == '*') --at;  // the token starts after the '*'
      auto pos = positions_.At(at);
      auto it = anchors_.find(name);
      if (it == anchors_.end()) return Fail(pos, "alias *" + name + " names no anchor defined before it");
      const INodePtr& target = it->second;
      if (static_cast<int>(stack_.size()) + target->height > kYamlMaxDepth) {
        return Fail(pos,
                    "alias *" + name + " nests deeper than " + std::to_string(kYamlMaxDepth) + " levels");
      }
      if (!CountAdded(target->count)) {
        failure_.line = pos.first;
        failure_.column = pos.second;
        return false;
      }
      return Attach(target, "");
    }
    case FYET_SEQUENCE_START:
      return Open(YamlNode::Type::kSequence, e->sequence_start.anchor, e->sequence_start.tag, e);
    case FYET_MAPPING_START:
      return Open(YamlNode::Type::kMapping, e->mapping_start.anchor, e->mapping_start.tag, e);
    case FYET_SEQUENCE_END:
    case FYET_MAPPING_END: return Close();
    default: return true;
  }
}

bool Builder::Open(YamlNode::Type type, fy_token* anchor, fy_token* tag, fy_event* e) {
  auto pos = StartOf({anchor, tag}, fy_event_start_mark(e));
  if (static_cast<int>(stack_.size()) + 1 > kYamlMaxDepth) {
    return Fail(pos, "nested deeper than " + std::to_string(kYamlMaxDepth) + " levels");
  }
  if (!CountAdded(1)) return false;
  auto node = std::make_shared<INode>();
  node->type = type;
  if (tag != nullptr) node->tag = TokenText(tag);
  node->line = pos.first;
  node->column = pos.second;
  stack_.push_back(Frame{std::move(node), TokenText(anchor), nullptr});
  return true;
}

bool Builder::Close() {
  if (stack_.empty()) return true;
  Frame frame = std::move(stack_.back());
  stack_.pop_back();
  INode& node = *frame.node;
  if (node.type == YamlNode::Type::kMapping && !ApplyMerges(node)) return false;
  return Attach(std::move(frame.node), frame.anchor);
}

bool Builder::Attach(INodePtr node, const std::string& anchor) {
  if (!anchor.empty()) anchors_[anchor] = node;
  if (stack_.empty()) {
    documents_.push_back(std::move(node));
    return true;
  }
  INode& parent = *stack_.back().node;
  parent.count += node->count;
  parent.height = std::max(parent.height, node->height + 1);
  if (parent.type == YamlNode::Type::kSequence) {
    parent.items.push_back(std::move(node));
  } else if (stack_.back().key == nullptr) {
    stack_.back().key = std::move(node);
  } else {
    parent.entries.emplace_back(std::move(stack_.back().key), std::move(node));
    stack_.back().key = nullptr;
  }
  return true;
}

bool IsMergeKey(const INode& key) {
  return key.type == YamlNode::Type::kScalar && key.scalar == "<<" &&
         ((key.plain && key.tag.empty()) || key.tag == kMergeTag);
}

bool SameKey(const INode& a, const INode& b) {
  return a.type == YamlNode::Type::kScalar && b.type == YamlNode::Type::kScalar && a.scalar == b.scalar &&
         a.tag == b.tag;
}

// Merge keys (https://yaml.org/type/merge.html): the entries of the merged
// mappings join this one where the << entry stood, except keys this mapping
// sets itself; among merged mappings the first to set a key wins.
bool Builder::ApplyMerges(INode& mapping) {
  bool any = false;
  for (const auto& [k, v] : mapping.entries)
    if (IsMergeKey(*k)) any = true;
  if (!any) return true;

  std::vector<const INode*> explicit_keys;
  for (const auto& [k, v] : mapping.entries)
    if (!IsMergeKey(*k)) explicit_keys.push_back(k.get());
  std::vector<const INode*> merged_keys;
  auto taken = [&](const INode& key) {
    for (const INode* k : explicit_keys)
      if (SameKey(*k, key)) return true;
    for (const INode* k : merged_keys)
      if (SameKey(*k, key)) return true;
    return false;
  };

  std::vector<std::pair<INodePtr, INodePtr>> out;
  for (auto& [k, v] : mapping.entries) {
    if (!IsMergeKey(*k)) {
      out.emplace_back(std::move(k), std::move(v));
      continue;
    }
    std::vector<const INode*> sources;
    if (v->type == YamlNode::Type::kMapping) {
      sources.push_back(v.get());
    } else if (v->type == YamlNode::Type::kSequence) {
      for (const INodePtr& item : v->items) {
        if (item->type != YamlNode::Type::kMapping)
          return Fail({item->line, item->column}, "merge key << needs a mapping or a sequence of mappings");
        sources.push_back(item.get());
      }
    } else {
      return Fail({v->line, v->column}, "merge key << needs a mapping or a sequence of mappings");
    }
    for (const INode* source : sources) {
      for (const auto& entry : source->entries) {
        if (taken(*entry.first)) continue;
        merged_keys.push_back(entry.first.get());
        out.push_back(entry);
      }
    }
  }
  mapping.entries = std::move(out);
  size_t count = 1;
  int height = 1;
  for (const auto& [k, v] : mapping.entries) {
    count += k->count + v->count;
    height = std::max({height, k->height + 1, v->height + 1});
  }
  if (count > mapping.count && !CountAdded(count - mapping.count)) {
    failure_.line = mapping.line;
    failure_.column = mapping.column;
    return false;
  }
  if (count < mapping.count) nodes_ -= mapping.count - count;
  mapping.count = count;
  mapping.height = height;
  if (static_cast<int>(stack_.size()) + height > kYamlMaxDepth) {
    return Fail({mapping.line, mapping.column},
                "merge keys nest deeper than " + std::to_string(kYamlMaxDepth) + " levels");
  }
  return true;
}

YamlNode Materialize(const INode& n) {
  YamlNode out;
  out.type = n.type;
  out.tag = n.tag;
  out.scalar = n.scalar;
  out.plain = n.plain;
  out.line = n.line;
  out.column = n.column;
  out.items.reserve(n.items.size());
  for (const INodePtr& item : n.items) out.items.push_back(Materialize(*item));
  out.entries.reserve(n.entries.size());
  for (const auto& [k, v] : n.entries) out.entries.emplace_back(Materialize(*k), Materialize(*v));
  return out;
}

Error MakeError(const std::string& source, const Failure& f, YamlErrorDetail* detail) {
  if (detail != nullptr) *detail = {f.line, f.column, f.message};
  std::string where = source;
  if (f.line > 0) where += ":" + std::to_string(f.line) + ":" + std::to_string(f.column);
  return Error::Input(where + ": " + f.message);
}

// libfyaml's first collected error, as a Failure.
Failure ParserFailure(fy_diag* diag) {
  void* iter = nullptr;
  if (fy_diag_error* err = fy_diag_errors_iterate(diag, &iter)) {
    return {err->line, err->column, err->msg != nullptr ? err->msg : "invalid YAML"};
  }
  return {0, 0, "invalid YAML"};
}

}  // namespace

Result<std::vector<YamlNode>> ParseYamlDocuments(std::string_view text, const std::string& source,
                                                 YamlErrorDetail* detail) {
  Positions positions(text);
  size_t bad_offset = 0;
  std::string bad_what;
  if (FindBadCharacter(text, &bad_offset, &bad_what)) {
    auto pos = positions.At(bad_offset);
    return MakeError(source, {pos.first, pos.second, bad_what}, detail);
  }

  // Diagnostics are collected, never printed.
  fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = nullptr;
  dcfg.output_fn = [](fy_diag*, void*, const char*, size_t) {};
  dcfg.level = FYET_ERROR;
  std::unique_ptr<fy_diag, void (*)(fy_diag*)> diag(fy_diag_create(&dcfg), fy_diag_destroy);
  if (diag == nullptr) return Error::Internal(source + ": cannot create a YAML parser");
  fy_diag_set_collect_errors(diag.get(), true);

  fy_parse_cfg cfg{};
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_COLLECT_DIAG);
  cfg.diag = diag.get();
  std::unique_ptr<fy_parser, void (*)(fy_parser*)> parser(fy_parser_create(&cfg), fy_parser_destroy);
  if (parser == nullptr) return Error::Internal(source + ": cannot create a YAML parser");
  if (fy_parser_set_string(parser.get(), text.data(), text.size()) != 0) {
    return Error::Internal(source + ": cannot read the YAML input");
  }

  Builder builder(text, positions);
  while (fy_event* e = fy_parser_parse(parser.get())) {
    bool ok = builder.Event(e);
    fy_parser_event_free(parser.get(), e);
    if (!ok) return MakeError(source, builder.failure(), detail);
  }
  if (fy_parser_get_stream_error(parser.get())) return MakeError(source, ParserFailure(diag.get()), detail);

  std::vector<YamlNode> out;
  out.reserve(builder.documents().size());
  for (const INodePtr& doc : builder.documents()) out.push_back(Materialize(*doc));
  return out;
}

Result<YamlNode> ParseYaml(std::string_view text, const std::string& source, YamlErrorDetail* detail) {
  CUSTODY_ASSIGN_OR_RETURN(std::vector<YamlNode> docs, ParseYamlDocuments(text, source, detail));
  if (docs.empty()) {
    YamlNode empty;
    empty.line = 1;
    empty.column = 1;
    return empty;
  }
  if (docs.size() > 1) {
    auto msg = "expected one YAML document, found " + std::to_string(docs.size());
    if (detail != nullptr) *detail = {docs[1].line, docs[1].column, msg};
    return Error::Input(source + ":" + std::to_string(docs[1].line) + ":" + std::to_string(docs[1].column) +
                        ": " + msg);
  }
  return std::move(docs[0]);
}

}  // namespace custody
