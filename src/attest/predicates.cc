#include "attest/predicates.h"

#include "core/time.h"
#include "manifest/predicate.h"

namespace custody {
namespace {

const char kPrefix[] = "predicate";

Error Bad(const std::string& path, const std::string& what) { return Error::Input(path + ": " + what); }

// A field that must be present (and not null).
Result<const Json*> Need(const Json& obj, const std::string& path, const char* key) {
  if (!HasField(obj, key)) return Bad(path + "/" + key, "required field is missing");
  return &obj[key];
}

Status NeedString(const Json& obj, const std::string& path, const char* key, bool required = true) {
  if (!HasField(obj, key)) return required ? Status(Bad(path + "/" + key, "required string is missing")) : OkStatus();
  if (!obj[key].is_string()) return Bad(path + "/" + key, "expected a string, found " + JsonTypeName(obj[key]));
  if (required && obj[key].get_ref<const std::string&>().empty()) return Bad(path + "/" + key, "must not be empty");
  return OkStatus();
}

Status NeedTimestamp(const Json& obj, const std::string& path, const char* key, bool required) {
  CUSTODY_RETURN_IF_ERROR(NeedString(obj, path, key, required));
  if (!HasField(obj, key)) return OkStatus();
  const std::string& text = obj[key].get_ref<const std::string&>();
  if (!ParseRfc3339(text)) {
    return Bad(path + "/" + key, "'" + text + "' is not an RFC 3339 time; write e.g. 2026-01-02T03:04:05Z");
  }
  return OkStatus();
}

Status NeedObject(const Json& obj, const std::string& path, const char* key, bool required) {
  if (!HasField(obj, key)) return required ? Status(Bad(path + "/" + key, "required object is missing")) : OkStatus();
  if (!obj[key].is_object()) return Bad(path + "/" + key, "expected an object, found " + JsonTypeName(obj[key]));
  return OkStatus();
}

bool IsLowerHex(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A DigestSet: algorithm -> lower-case hex; sha256 must be 64 digits.
Status CheckDigestSet(const Json& d, const std::string& path) {
  if (!d.is_object()) return Bad(path, "expected an object of algorithm -> hex digest, found " + JsonTypeName(d));
  if (d.empty()) return Bad(path, "at least one digest is required, e.g. {\"sha256\": \"...\"}");
  for (auto it = d.begin(); it != d.end(); ++it) {
    std::string p = path + "/" + it.key();
    if (!it.value().is_string()) return Bad(p, "expected a hex string, found " + JsonTypeName(it.value()));
    const std::string& hex = it.value().get_ref<const std::string&>();
    if (!IsLowerHex(hex)) return Bad(p, "expected lower-case hex digits");
    if (it.key() == "sha256" && hex.size() != 64) {
      return Bad(p, "a sha256 digest has 64 hex digits, found " + std::to_string(hex.size()));
    }
  }
  return OkStatus();
}

// An in-toto ResourceDescriptor: one of uri, digest or content.
Status CheckResourceDescriptor(const Json& r, const std::string& path) {
  if (!r.is_object()) return Bad(path, "expected a resource descriptor object, found " + JsonTypeName(r));
  if (!HasField(r, "uri") && !HasField(r, "digest") && !HasField(r, "content")) {
    return Bad(path, "a resource descriptor needs at least one of uri, digest or content");
  }
  CUSTODY_RETURN_IF_ERROR(NeedString(r, path, "uri", false));
  CUSTODY_RETURN_IF_ERROR(NeedString(r, path, "name", false));
  if (HasField(r, "digest")) CUSTODY_RETURN_IF_ERROR(CheckDigestSet(r["digest"], path + "/digest"));
  return OkStatus();
}

Status CheckDescriptorList(const Json& obj, const std::string& path, const char* key, bool required) {
  if (!HasField(obj, key)) return required ? Status(Bad(path + "/" + key, "required list is missing")) : OkStatus();
  const Json& list = obj[key];
  if (!list.is_array()) return Bad(path + "/" + key, "expected an array, found " + JsonTypeName(list));
  for (size_t i = 0; i < list.size(); ++i) {
    CUSTODY_RETURN_IF_ERROR(CheckResourceDescriptor(list[i], path + "/" + key + "/" + std::to_string(i)));
  }
  return OkStatus();
}

Status CheckStringList(const Json& obj, const std::string& path, const char* key) {
  if (!HasField(obj, key)) return OkStatus();
  const Json& list = obj[key];
  if (!list.is_array()) return Bad(path + "/" + key, "expected an array of strings, found " + JsonTypeName(list));
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) {
      return Bad(path + "/" + key + "/" + std::to_string(i), "expected a string, found " + JsonTypeName(list[i]));
    }
  }
  return OkStatus();
}

// An object of metric name -> number, at least one.
Status CheckMetrics(const Json& obj, const std::string& path, const char* key, bool required) {
  CUSTODY_RETURN_IF_ERROR(NeedObject(obj, path, key, required));
  if (!HasField(obj, key)) return OkStatus();
  const Json& m = obj[key];
  if (required && m.empty()) return Bad(path + "/" + key, "at least one metric is required, e.g. {\"accuracy\": 0.93}");
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (!it.value().is_number()) {
      return Bad(path + "/" + key + "/" + it.key(), "expected a number, found " + JsonTypeName(it.value()));
    }
  }
  return OkStatus();
}

Status CheckBool(const Json& obj, const std::string& path, const char* key) {
  CUSTODY_ASSIGN_OR_RETURN(const Json* v, Need(obj, path, key));
  if (!v->is_boolean()) return Bad(path + "/" + key, "expected true or false, found " + JsonTypeName(*v));
  return OkStatus();
}

Status ValidateSlsa(const Json& p, const std::string& path) {
  CUSTODY_RETURN_IF_ERROR(NeedObject(p, path, "buildDefinition", true));
  const Json& bd = p["buildDefinition"];
  std::string bdp = path + "/buildDefinition";
  CUSTODY_RETURN_IF_ERROR(NeedString(bd, bdp, "buildType"));
  CUSTODY_RETURN_IF_ERROR(NeedObject(bd, bdp, "externalParameters", true));
  CUSTODY_RETURN_IF_ERROR(NeedObject(bd, bdp, "internalParameters", false));
  CUSTODY_RETURN_IF_ERROR(CheckDescriptorList(bd, bdp, "resolvedDependencies", false));
  CUSTODY_RETURN_IF_ERROR(NeedObject(p, path, "runDetails", true));
  const Json& rd = p["runDetails"];
  std::string rdp = path + "/runDetails";
  CUSTODY_RETURN_IF_ERROR(NeedObject(rd, rdp, "builder", true));
  CUSTODY_RETURN_IF_ERROR(NeedString(rd["builder"], rdp + "/builder", "id"));
  CUSTODY_RETURN_IF_ERROR(NeedObject(rd, rdp, "metadata", false));
  if (HasField(rd, "metadata")) {
    const Json& md = rd["metadata"];
    CUSTODY_RETURN_IF_ERROR(NeedString(md, rdp + "/metadata", "invocationId", false));
    CUSTODY_RETURN_IF_ERROR(NeedTimestamp(md, rdp + "/metadata", "startedOn", false));
    CUSTODY_RETURN_IF_ERROR(NeedTimestamp(md, rdp + "/metadata", "finishedOn", false));
  }
  return CheckDescriptorList(rd, rdp, "byproducts", false);
}

Status ValidateTestResult(const Json& p, const std::string& path) {
  CUSTODY_RETURN_IF_ERROR(NeedString(p, path, "result"));
  const std::string& r = p["result"].get_ref<const std::string&>();
  if (r != "PASSED" && r != "WARNED" && r != "FAILED") {
    return Bad(path + "/result", "'" + r + "' is not a test result: write PASSED, WARNED or FAILED");
  }
  CUSTODY_RETURN_IF_ERROR(CheckDescriptorList(p, path, "configuration", true));
  CUSTODY_RETURN_IF_ERROR(NeedString(p, path, "url", false));
  for (const char* k : {"passedTests", "warnedTests", "failedTests"}) CUSTODY_RETURN_IF_ERROR(CheckStringList(p, path, k));
  return OkStatus();
}

Status ValidateVulns(const Json& p, const std::string& path) {
  CUSTODY_RETURN_IF_ERROR(NeedObject(p, path, "scanner", true));
  const Json& sc = p["scanner"];
  std::string sp = path + "/scanner";
  CUSTODY_RETURN_IF_ERROR(NeedString(sc, sp, "uri"));
  CUSTODY_RETURN_IF_ERROR(NeedString(sc, sp, "version", false));
  CUSTODY_ASSIGN_OR_RETURN(const Json* result, Need(sc, sp, "result"));
  if (!result->is_array()) return Bad(sp + "/result", "expected an array of findings, found " + JsonTypeName(*result));
  for (size_t i = 0; i < result->size(); ++i) {
    const Json& f = (*result)[i];
    std::string fp = sp + "/result/" + std::to_string(i);
    if (!f.is_object()) return Bad(fp, "expected an object, found " + JsonTypeName(f));
    CUSTODY_RETURN_IF_ERROR(NeedString(f, fp, "id"));
    if (HasField(f, "severity")) {
      const Json& sev = f["severity"];
      if (!sev.is_array()) return Bad(fp + "/severity", "expected an array of {method, score}, found " + JsonTypeName(sev));
      for (size_t k = 0; k < sev.size(); ++k) {
        std::string kp = fp + "/severity/" + std::to_string(k);
        if (!sev[k].is_object()) return Bad(kp, "expected an object, found " + JsonTypeName(sev[k]));
        CUSTODY_RETURN_IF_ERROR(NeedString(sev[k], kp, "method", false));
        if (!HasField(sev[k], "score")) return Bad(kp + "/score", "required field is missing");
        if (!sev[k]["score"].is_string() && !sev[k]["score"].is_number()) {
          return Bad(kp + "/score", "expected a string or number, found " + JsonTypeName(sev[k]["score"]));
        }
      }
    }
  }
  CUSTODY_RETURN_IF_ERROR(NeedObject(p, path, "metadata", true));
  CUSTODY_RETURN_IF_ERROR(NeedTimestamp(p["metadata"], path + "/metadata", "scanStartedOn", false));
  return NeedTimestamp(p["metadata"], path + "/metadata", "scanFinishedOn", true);
}

Status ValidateEvaluation(const Json& p, const std::string& path) {
  CUSTODY_RETURN_IF_ERROR(CheckMetrics(p, path, "metrics", true));
  CUSTODY_ASSIGN_OR_RETURN(const Json* ds, Need(p, path, "dataset"));
  CUSTODY_RETURN_IF_ERROR(CheckResourceDescriptor(*ds, path + "/dataset"));
  if (!HasField(*ds, "digest")) return Bad(path + "/dataset/digest", "the evaluation dataset must be named by digest");
  CUSTODY_RETURN_IF_ERROR(NeedString(p, path, "evaluator", false));
  return NeedTimestamp(p, path, "evaluatedOn", false);
}

Status ValidateBias(const Json& p, const std::string& path) {
  CUSTODY_RETURN_IF_ERROR(CheckBool(p, path, "passed"));
  CUSTODY_ASSIGN_OR_RETURN(const Json* attrs, Need(p, path, "attributes"));
  if (!attrs->is_array() || attrs->empty()) {
    return Bad(path + "/attributes", "expected a non-empty array of protected attributes, found " + JsonTypeName(*attrs));
  }
  for (size_t i = 0; i < attrs->size(); ++i) {
    const Json& a = (*attrs)[i];
    std::string ap = path + "/attributes/" + std::to_string(i);
    if (!a.is_object()) return Bad(ap, "expected an object, found " + JsonTypeName(a));
    CUSTODY_RETURN_IF_ERROR(NeedString(a, ap, "name"));
    CUSTODY_RETURN_IF_ERROR(CheckMetrics(a, ap, "metrics", true));
    CUSTODY_RETURN_IF_ERROR(CheckMetrics(a, ap, "thresholds", false));
    CUSTODY_RETURN_IF_ERROR(CheckBool(a, ap, "passed"));
  }
  if (HasField(p, "dataset")) CUSTODY_RETURN_IF_ERROR(CheckResourceDescriptor(p["dataset"], path + "/dataset"));
  return OkStatus();
}

Status ValidateDataset(const Json& p, const std::string& path) {
  CUSTODY_RETURN_IF_ERROR(NeedString(p, path, "name"));
  CUSTODY_RETURN_IF_ERROR(NeedString(p, path, "source"));
  CUSTODY_RETURN_IF_ERROR(NeedString(p, path, "license"));
  CUSTODY_ASSIGN_OR_RETURN(const Json* files, Need(p, path, "files"));
  if (!files->is_array() || files->empty()) {
    return Bad(path + "/files", "expected a non-empty array of {name, digest}, found " + JsonTypeName(*files));
  }
  for (size_t i = 0; i < files->size(); ++i) {
    const Json& f = (*files)[i];
    std::string fp = path + "/files/" + std::to_string(i);
    if (!f.is_object()) return Bad(fp, "expected an object, found " + JsonTypeName(f));
    CUSTODY_RETURN_IF_ERROR(NeedString(f, fp, "name"));
    CUSTODY_ASSIGN_OR_RETURN(const Json* d, Need(f, fp, "digest"));
    CUSTODY_RETURN_IF_ERROR(CheckDigestSet(*d, fp + "/digest"));
    if (HasField(f, "size") && !(f["size"].is_number_unsigned() || (f["size"].is_number_integer() && f["size"] >= 0))) {
      return Bad(fp + "/size", "expected a byte count, found " + JsonTypeName(f["size"]));
    }
  }
  return OkStatus();
}

Status ValidateApproval(const Json& p, const std::string& path) {
  CUSTODY_RETURN_IF_ERROR(NeedString(p, path, "approver"));
  CUSTODY_RETURN_IF_ERROR(NeedString(p, path, "stage"));
  CUSTODY_RETURN_IF_ERROR(NeedTimestamp(p, path, "approvedAt", true));
  CUSTODY_RETURN_IF_ERROR(NeedString(p, path, "comment", false));
  return NeedString(p, path, "ticket", false);
}

Status ValidateRevocation(const Json& p, const std::string& path) {
  CUSTODY_RETURN_IF_ERROR(NeedString(p, path, "attestation"));
  const std::string& id = p["attestation"].get_ref<const std::string&>();
  if (id.size() != 64 || !IsLowerHex(id)) {
    return Bad(path + "/attestation", "expected the 64-hex-digit id of the revoked attestation (as `custody attest` prints it)");
  }
  return NeedString(p, path, "reason");
}

// A number, or null for a statistic that is not finite.
Status CheckNumberOrNull(const Json& obj, const std::string& path, const char* key) {
  if (!obj.contains(key) || obj[key].is_null() || obj[key].is_number()) return OkStatus();
  return Bad(path + "/" + key, "expected a number or null, found " + JsonTypeName(obj[key]));
}

Status NeedCount(const Json& obj, const std::string& path, const char* key) {
  CUSTODY_ASSIGN_OR_RETURN(const Json* v, Need(obj, path, key));
  if (!v->is_number_unsigned() && !(v->is_number_integer() && *v >= 0)) {
    return Bad(path + "/" + key, "expected a count (a whole number >= 0), found " + JsonTypeName(*v));
  }
  return OkStatus();
}

// A data set named by digest: a resource descriptor with digest.sha256.
Status CheckDataDescriptor(const Json& p, const std::string& path, const char* key) {
  CUSTODY_ASSIGN_OR_RETURN(const Json* d, Need(p, path, key));
  CUSTODY_RETURN_IF_ERROR(CheckResourceDescriptor(*d, path + "/" + key));
  if (!HasField(*d, "digest") || !HasField((*d)["digest"], "sha256")) {
    return Bad(path + "/" + key + "/digest/sha256", "the data set must be named by its sha256 digest");
  }
  return OkStatus();
}

Status ValidateDrift(const Json& p, const std::string& path) {
  CUSTODY_RETURN_IF_ERROR(CheckDataDescriptor(p, path, "reference"));
  CUSTODY_RETURN_IF_ERROR(CheckDataDescriptor(p, path, "current"));
  CUSTODY_RETURN_IF_ERROR(CheckBool(p, path, "dataset_drift"));
  CUSTODY_RETURN_IF_ERROR(NeedCount(p, path, "drifted_columns"));
  CUSTODY_RETURN_IF_ERROR(NeedCount(p, path, "number_of_columns"));
  CUSTODY_ASSIGN_OR_RETURN(const Json* share, Need(p, path, "drift_share"));
  if (!share->is_number()) return Bad(path + "/drift_share", "expected a number, found " + JsonTypeName(*share));
  CUSTODY_RETURN_IF_ERROR(NeedTimestamp(p, path, "computedOn", true));
  CUSTODY_ASSIGN_OR_RETURN(const Json* cols, Need(p, path, "columns"));
  if (!cols->is_array()) return Bad(path + "/columns", "expected an array, found " + JsonTypeName(*cols));
  if (cols->size() != p["number_of_columns"].get<uint64_t>()) {
    return Bad(path + "/columns", "holds " + std::to_string(cols->size()) + " columns but number_of_columns says " +
                                      p["number_of_columns"].dump());
  }
  for (size_t i = 0; i < cols->size(); ++i) {
    const Json& c = (*cols)[i];
    std::string cp = path + "/columns/" + std::to_string(i);
    if (!c.is_object()) return Bad(cp, "expected an object, found " + JsonTypeName(c));
    CUSTODY_RETURN_IF_ERROR(NeedString(c, cp, "column"));
    CUSTODY_RETURN_IF_ERROR(NeedString(c, cp, "method"));
    CUSTODY_RETURN_IF_ERROR(CheckNumberOrNull(c, cp, "score"));
    CUSTODY_ASSIGN_OR_RETURN(const Json* t, Need(c, cp, "threshold"));
    if (!t->is_number()) return Bad(cp + "/threshold", "expected a number, found " + JsonTypeName(*t));
    CUSTODY_RETURN_IF_ERROR(CheckBool(c, cp, "drifted"));
  }
  return OkStatus();
}

Status ValidateDatasetScreen(const Json& p, const std::string& path) {
  CUSTODY_RETURN_IF_ERROR(CheckDataDescriptor(p, path, "dataset"));
  CUSTODY_RETURN_IF_ERROR(NeedString(p, path, "method"));
  CUSTODY_RETURN_IF_ERROR(NeedCount(p, path, "rows"));
  CUSTODY_RETURN_IF_ERROR(NeedCount(p, path, "flagged_rows"));
  CUSTODY_RETURN_IF_ERROR(NeedTimestamp(p, path, "computedOn", true));
  CUSTODY_RETURN_IF_ERROR(NeedObject(p, path, "parameters", false));
  CUSTODY_RETURN_IF_ERROR(NeedObject(p, path, "label_flips", false));
  if (HasField(p, "label_flips")) CUSTODY_RETURN_IF_ERROR(NeedCount(p["label_flips"], path + "/label_flips", "count"));
  CUSTODY_RETURN_IF_ERROR(NeedObject(p, path, "label_shift", false));
  if (HasField(p, "label_shift")) CUSTODY_RETURN_IF_ERROR(CheckBool(p["label_shift"], path + "/label_shift", "shifted"));
  return OkStatus();
}

struct Known {
  PredicateTypeInfo info;
  Status (*validate)(const Json&, const std::string&);
};

const std::vector<Known>& Table() {
  static const std::vector<Known> table = {
      {{"model-signature", kModelSigningPredicateType, "OpenSSF model-signing manifest (custody sign)"}, nullptr},
      {{"slsa-provenance", kSlsaProvenanceV1, "SLSA provenance v1: builder, source, datasets, hyperparameters"},
       ValidateSlsa},
      {{"test-result", kTestResultV01, "in-toto test result v0.1"}, ValidateTestResult},
      {{"vulns", kVulnsV01, "in-toto vulnerability scan v0.1"}, ValidateVulns},
      {{"evaluation", kEvaluationV1, "evaluation metrics on a dataset named by digest"}, ValidateEvaluation},
      {{"bias", kBiasV1, "fairness metrics per protected attribute, thresholds, passed"}, ValidateBias},
      {{"dataset", kDatasetV1, "dataset manifest: files and digests, source, licence"}, ValidateDataset},
      {{"approval", kApprovalV1, "a person's release approval for a stage"}, ValidateApproval},
      {{"revocation", kRevocationV1, "revokes an earlier attestation by id"}, ValidateRevocation},
      {{"drift", kDriftV1, "data drift of a current data set against a reference (custody drift)"}, ValidateDrift},
      {{"dataset-screen", kDatasetScreenV1, "poisoning screen of a training data set (custody detect outliers)"},
       ValidateDatasetScreen},
  };
  return table;
}

}  // namespace

const std::vector<PredicateTypeInfo>& KnownPredicateTypes() {
  static const std::vector<PredicateTypeInfo> infos = [] {
    std::vector<PredicateTypeInfo> v;
    for (const Known& k : Table()) v.push_back(k.info);
    return v;
  }();
  return infos;
}

Result<std::string> ResolvePredicateType(std::string_view name_or_uri) {
  for (const Known& k : Table()) {
    if (name_or_uri == k.info.name || name_or_uri == k.info.uri) return std::string(k.info.uri);
  }
  if (name_or_uri.find(':') != std::string_view::npos) return std::string(name_or_uri);
  std::string names;
  for (const Known& k : Table()) names += std::string(names.empty() ? "" : ", ") + k.info.name;
  return Error::Input("unknown predicate type '" + std::string(name_or_uri) + "': use one of " + names +
                      ", or a predicate URI");
}

std::string PredicateShortName(std::string_view uri) {
  for (const Known& k : Table()) {
    if (uri == k.info.uri) return k.info.name;
  }
  return std::string(uri);
}

bool PredicateTypeMatches(std::string_view pattern, std::string_view uri) {
  if (pattern == uri) return true;
  for (const Known& k : Table()) {
    if (pattern == k.info.name) return uri == k.info.uri;
  }
  return false;
}

Status ValidatePredicate(std::string_view uri, const Json& predicate) {
  for (const Known& k : Table()) {
    if (uri != k.info.uri || k.validate == nullptr) continue;
    if (!predicate.is_object()) {
      return Bad(kPrefix, "a " + std::string(k.info.name) + " predicate is an object, found " + JsonTypeName(predicate));
    }
    return k.validate(predicate, kPrefix);
  }
  return OkStatus();
}

}  // namespace custody
