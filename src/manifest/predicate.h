// The OpenSSF model-signing v1.0 predicate
// (predicateType "https://model_signing/signature/v1.0"): a manifest's
// resources and the serialization settings that reproduce it.
// Pure functions; safe from any thread.
#pragma once

#include <string>

#include "core/json.h"
#include "manifest/manifest.h"

namespace custody {

inline constexpr const char* kModelSigningPredicateType = "https://model_signing/signature/v1.0";
// model_signing 0.2's deprecated statement: one subject per file, no predicate.
// Verifiers may read it (OMS spec 5.1); nothing writes it.
inline constexpr const char* kLegacyDigestsPredicateType = "https://model_signing/Digests/v0.1";

// {"serialization": {...}, "resources": [{name, algorithm, digest}...]}
Json ManifestToPredicate(const Manifest& manifest);
// The "serialization" object alone.
Json SerializationToJson(const Serialization& serialization);

// Parses a predicate found at JSON pointer `path`. Accepts what model_signing
// 1.0 and 1.1 write: shard_size as an integer or float, hash_type "blake2" or
// "<hash>-sharded-<size>", ignore_paths absent. Resources keep their order.
Result<Manifest> ManifestFromPredicate(const Json& predicate, const std::string& path, std::string model_name);

}  // namespace custody
