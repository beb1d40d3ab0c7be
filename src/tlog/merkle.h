// The Merkle tree of RFC 6962 / RFC 9162: leaf and node hashes, tree hashes,
// inclusion and consistency proofs, and their verification.
//
// Proof generation reads complete-subtree hashes through a HashReader, so the
// tree is never held whole in memory (the log reads them from its tiles). The
// functions are stateless; they are as thread-safe as the reader they are given.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace custody::tlog {

using Hash = std::array<unsigned char, 32>;

// SHA-256(0x00 || data).
Hash LeafHash(std::string_view data);
// SHA-256(0x01 || left || right).
Hash NodeHash(const Hash& left, const Hash& right);
// SHA-256("") : the hash of the empty tree.
Hash EmptyTreeHash();
// Merkle hash of 2^k consecutive hashes of one level (k >= 0), combined pairwise.
// REQUIRES: hashes.size() is a power of two.
Hash CombinePerfect(std::span<const Hash> hashes);

std::string_view AsBytes(const Hash& h);
// The 32 bytes of `bytes` as a Hash; error if the length is not 32.
Result<Hash> HashFromBytes(std::string_view bytes, const std::string& what);

// Reads the hash of the complete subtree of height `level` (2^level leaves) that
// starts at leaf index << level.
class HashReader {
 public:
  virtual ~HashReader() = default;
  virtual Result<Hash> Subtree(int level, uint64_t index) = 0;
};

// Root hash of the first `size` leaves.
Result<Hash> TreeHash(uint64_t size, HashReader& reader);
// RFC 6962 PATH(index, D[0:size]).
// REQUIRES: index < size.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, HashReader& reader);
// RFC 6962 PROOF(old_size, D[0:new_size]).
// REQUIRES: old_size <= new_size.
Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size, HashReader& reader);

// RFC 9162 section 2.1.3.2. A verification error names what did not match.
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf, std::span<const Hash> proof,
                       const Hash& root);
// RFC 9162 section 2.1.4.2.
Status VerifyConsistency(uint64_t old_size, uint64_t new_size, std::span<const Hash> proof,
                         const Hash& old_root, const Hash& new_root);

// Leaf hashes in memory as a HashReader (for tests, small trees and batches).
class MemoryHashReader : public HashReader {
 public:
  explicit MemoryHashReader(std::vector<Hash> leaves) : leaves_(std::move(leaves)) {}
  Result<Hash> Subtree(int level, uint64_t index) override;

 private:
  std::vector<Hash> leaves_;
};

}  // namespace custody::tlog
