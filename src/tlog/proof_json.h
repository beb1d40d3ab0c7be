// Proofs and checkpoints as JSON, with the field names of the Sigstore bundle's
// inclusionProof (logIndex, rootHash, treeSize, hashes, checkpoint.envelope)
// plus oldSize and oldRootHash for consistency proofs. Hashes are base64;
// integers are written as decimal strings, as protobuf's JSON mapping writes
// int64, and read from strings or numbers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "tlog/merkle.h"

namespace custody::tlog {

struct ProofJson {
  std::optional<uint64_t> log_index;  // inclusion proofs
  std::optional<uint64_t> old_size;   // consistency proofs
  uint64_t tree_size = 0;
  Hash root{};
  std::optional<Hash> old_root;
  std::vector<Hash> hashes;
  std::string checkpoint;  // the signed note, when known
};

Json ToJson(const ProofJson& p);
// `source` names the input in errors, which carry the JSON path.
Result<ProofJson> ParseProofJson(const Json& j, const std::string& source);

}  // namespace custody::tlog
