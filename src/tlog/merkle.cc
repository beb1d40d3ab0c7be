#include "tlog/merkle.h"

#include <openssl/evp.h>

#include <bit>
#include <cstdlib>
#include <cstring>

namespace custody::tlog {
namespace {

// One fetched SHA-256 and one context per thread: the tree hashes millions of
// short messages, where EVP's per-call lookups would dominate.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) std::abort();
  return md;
}

struct Ctx {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Ctx() { EVP_MD_CTX_free(ctx); }
};

Hash Digest(std::initializer_list<std::string_view> parts) {
  thread_local Ctx c;
  if (c.ctx == nullptr || EVP_DigestInit_ex2(c.ctx, Sha256Md(), nullptr) != 1) std::abort();
  for (std::string_view p : parts) {
    if (EVP_DigestUpdate(c.ctx, p.data(), p.size()) != 1) std::abort();
  }
  Hash out;
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(c.ctx, out.data(), &len) != 1 || len != out.size()) std::abort();
  return out;
}

// Largest power of two strictly less than n (n >= 2).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

// MTH(D[start : start+size]); start is a multiple of the largest power of two
// not above size, as it always is in RFC 6962's decomposition.
Result<Hash> RangeHash(uint64_t start, uint64_t size, HashReader& reader) {
  if (IsPowerOfTwo(size)) {
    int level = std::countr_zero(size);
    return reader.Subtree(level, start >> level);
  }
  uint64_t k = SplitPoint(size);
  auto left = reader.Subtree(std::countr_zero(k), start / k);
  if (!left.ok()) return left.error();
  auto right = RangeHash(start + k, size - k, reader);
  if (!right.ok()) return right.error();
  return NodeHash(*left, *right);
}

// PATH(m, D[start : start+size]) appended to `out`.
Status Path(uint64_t m, uint64_t start, uint64_t size, HashReader& reader, std::vector<Hash>& out) {
  if (size <= 1) return OkStatus();
  uint64_t k = SplitPoint(size);
  if (m < k) {
    if (auto s = Path(m, start, k, reader, out); !s.ok()) return s;
    auto h = RangeHash(start + k, size - k, reader);
    if (!h.ok()) return h.error();
    out.push_back(*h);
  } else {
    if (auto s = Path(m - k, start + k, size - k, reader, out); !s.ok()) return s;
    auto h = RangeHash(start, k, reader);
    if (!h.ok()) return h.error();
    out.push_back(*h);
  }
  return OkStatus();
}

// SUBPROOF(m, D[start : start+size], b) appended to `out`.
Status SubProof(uint64_t m, uint64_t start, uint64_t size, bool b, HashReader& reader,
                std::vector<Hash>& out) {
  if (m == size) {
    if (b) return OkStatus();
    auto h = RangeHash(start, size, reader);
    if (!h.ok()) return h.error();
    out.push_back(*h);
    return OkStatus();
  }
  uint64_t k = SplitPoint(size);
  if (m <= k) {
    if (auto s = SubProof(m, start, k, b, reader, out); !s.ok()) return s;
    auto h = RangeHash(start + k, size - k, reader);
    if (!h.ok()) return h.error();
    out.push_back(*h);
  } else {
    if (auto s = SubProof(m - k, start + k, size - k, false, reader, out); !s.ok()) return s;
    auto h = RangeHash(start, k, reader);
    if (!h.ok()) return h.error();
    out.push_back(*h);
  }
  return OkStatus();
}

std::string Hex(const Hash& h) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (unsigned char c : h) {
    s += digits[c >> 4];
    s += digits[c & 15];
  }
  return s;
}

}  // namespace

Hash LeafHash(std::string_view data) {
  static const char zero = 0;
  return Digest({std::string_view(&zero, 1), data});
}

Hash NodeHash(const Hash& left, const Hash& right) {
  static const char one = 1;
  return Digest({std::string_view(&one, 1), AsBytes(left), AsBytes(right)});
}

Hash EmptyTreeHash() { return Digest({}); }

Hash CombinePerfect(std::span<const Hash> hashes) {
  if (hashes.size() == 1) return hashes[0];
  std::vector<Hash> level(hashes.begin(), hashes.end());
  while (level.size() > 1) {
    for (size_t i = 0; i < level.size() / 2; ++i) level[i] = NodeHash(level[2 * i], level[2 * i + 1]);
    level.resize(level.size() / 2);
  }
  return level[0];
}

std::string_view AsBytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

Result<Hash> HashFromBytes(std::string_view bytes, const std::string& what) {
  Hash h;
  if (bytes.size() != h.size()) {
    return Error::Input(what + " is " + std::to_string(bytes.size()) +
                        " bytes; a SHA-256 hash is 32 bytes");
  }
  std::memcpy(h.data(), bytes.data(), h.size());
  return h;
}

Result<Hash> TreeHash(uint64_t size, HashReader& reader) {
  if (size == 0) return EmptyTreeHash();
  return RangeHash(0, size, reader);
}

Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, HashReader& reader) {
  if (index >= size) {
    return Error::Input("leaf index " + std::to_string(index) + " is not in a tree of size " +
                        std::to_string(size));
  }
  std::vector<Hash> out;
  if (auto s = Path(index, 0, size, reader, out); !s.ok()) return s.error();
  return out;
}

Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size, HashReader& reader) {
  if (old_size > new_size) {
    return Error::Input("old size " + std::to_string(old_size) + " is larger than new size " +
                        std::to_string(new_size));
  }
  std::vector<Hash> out;
  if (old_size == 0 || old_size == new_size) return out;
  if (auto s = SubProof(old_size, 0, new_size, true, reader, out); !s.ok()) return s.error();
  return out;
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf, std::span<const Hash> proof,
                       const Hash& root) {
  if (index >= size) {
    return Error::Verification("inclusion proof: leaf index " + std::to_string(index) +
                               " is not in a tree of size " + std::to_string(size));
  }
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) {
      return Error::Verification("inclusion proof has " + std::to_string(proof.size()) +
                                 " hashes, more than a tree of size " + std::to_string(size) +
                                 " needs for index " + std::to_string(index));
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Error::Verification("inclusion proof has " + std::to_string(proof.size()) +
                               " hashes, too few for index " + std::to_string(index) +
                               " in a tree of size " + std::to_string(size));
  }
  if (r != root) {
    return Error::Verification("inclusion proof does not lead to the root hash: computed " + Hex(r) +
                               ", checkpoint has " + Hex(root));
  }
  return OkStatus();
}

Status VerifyConsistency(uint64_t old_size, uint64_t new_size, std::span<const Hash> proof,
                         const Hash& old_root, const Hash& new_root) {
  if (old_size > new_size) {
    return Error::Verification("consistency proof: old size " + std::to_string(old_size) +
                               " is larger than new size " + std::to_string(new_size));
  }
  if (old_size == new_size || old_size == 0) {
    if (!proof.empty()) {
      return Error::Verification("consistency proof between sizes " + std::to_string(old_size) +
                                 " and " + std::to_string(new_size) + " must be empty");
    }
    if (old_size == new_size && old_root != new_root) {
      return Error::Verification("two checkpoints of size " + std::to_string(old_size) +
                                 " have different root hashes: the log forked");
    }
    return OkStatus();
  }
  std::vector<Hash> path;
  if (IsPowerOfTwo(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  if (path.empty()) {
    return Error::Verification("consistency proof is empty but sizes " + std::to_string(old_size) +
                               " and " + std::to_string(new_size) + " differ");
  }
  uint64_t fn = old_size - 1, sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) {
      return Error::Verification("consistency proof has more hashes than sizes " +
                                 std::to_string(old_size) + " and " + std::to_string(new_size) +
                                 " need");
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Error::Verification("consistency proof has too few hashes for sizes " +
                               std::to_string(old_size) + " and " + std::to_string(new_size));
  }
  if (fr != old_root) {
    return Error::Verification("consistency proof does not lead to the old root hash (size " +
                               std::to_string(old_size) + "): the log is not append-only");
  }
  if (sr != new_root) {
    return Error::Verification("consistency proof does not lead to the new root hash (size " +
                               std::to_string(new_size) + ")");
  }
  return OkStatus();
}

Result<Hash> MemoryHashReader::Subtree(int level, uint64_t index) {
  uint64_t width = uint64_t{1} << level;
  uint64_t start = index << level;
  if (level > 62 || start + width > leaves_.size()) {
    return Error::Input("subtree " + std::to_string(level) + "/" + std::to_string(index) +
                        " is beyond the " + std::to_string(leaves_.size()) + " leaves");
  }
  return CombinePerfect(std::span<const Hash>(leaves_).subspan(start, width));
}

}  // namespace custody::tlog
