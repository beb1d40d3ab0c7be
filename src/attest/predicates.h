// The predicate types custody knows: their short names, URIs, and checks of
// their content. Standard ones (SLSA provenance v1, in-toto test-result and
// vulns v0.1, the OpenSSF model-signing predicate) and custody's own
// (evaluation, bias, dataset, approval, revocation; each documented in
// docs/formats/). Any other predicate URI is accepted as given, untyped.
// Stateless; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace custody {

inline constexpr const char* kSlsaProvenanceV1 = "https://slsa.dev/provenance/v1";
inline constexpr const char* kTestResultV01 = "https://in-toto.io/attestation/test-result/v0.1";
inline constexpr const char* kVulnsV01 = "https://in-toto.io/attestation/vulns/v0.1";
inline constexpr const char* kEvaluationV1 = "https://custody.dev/attestation/evaluation/v1";
inline constexpr const char* kBiasV1 = "https://custody.dev/attestation/bias/v1";
inline constexpr const char* kDatasetV1 = "https://custody.dev/attestation/dataset/v1";
inline constexpr const char* kApprovalV1 = "https://custody.dev/attestation/approval/v1";
inline constexpr const char* kRevocationV1 = "https://custody.dev/attestation/revocation/v1";
inline constexpr const char* kDriftV1 = "https://custody.dev/attestation/drift/v1";
inline constexpr const char* kDatasetScreenV1 = "https://custody.dev/attestation/dataset-screen/v1";

struct PredicateTypeInfo {
  const char* name;  // short name: "slsa-provenance"
  const char* uri;
  const char* summary;
};

// Every known type, in a stable order.
const std::vector<PredicateTypeInfo>& KnownPredicateTypes();

// A short name or a URI to the URI: known short names map to their URI, any
// string containing ':' is taken as a URI as given. Unknown short names are
// an input error listing the known ones.
Result<std::string> ResolvePredicateType(std::string_view name_or_uri);

// The short name of a known URI, or the URI itself.
std::string PredicateShortName(std::string_view uri);

// True when `pattern` (a short name or URI) names `uri`.
bool PredicateTypeMatches(std::string_view pattern, std::string_view uri);

// Checks `predicate` against its type's schema; errors name the JSON path
// ("predicate/buildDefinition/buildType: required") and say what to write.
// Unknown types pass unchecked.
Status ValidatePredicate(std::string_view uri, const Json& predicate);

}  // namespace custody
