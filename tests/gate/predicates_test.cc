// Predicate type checks: each built-in type accepts a valid example and
// rejects each defect with an error naming the JSON path; type names and
// URIs; RFC 3339 times.
#include "attest/predicates.h"

#include <gtest/gtest.h>

#include <functional>

#include "attest/model_signature.h"
#include "core/time.h"
#include "manifest/predicate.h"

namespace custody {
namespace {

const std::string kHex64(64, 'a');

Json Slsa() {
  return Json::parse(R"({"buildDefinition": {"buildType": "https://custody.dev/train/v1",
    "externalParameters": {"lr": 0.01}, "internalParameters": {},
    "resolvedDependencies": [{"name": "data", "digest": {"sha256": ")" + kHex64 + R"("}}]},
   "runDetails": {"builder": {"id": "https://custody.dev/builders/ci@v1"},
    "metadata": {"invocationId": "run-1", "startedOn": "2026-01-02T03:04:05Z", "finishedOn": "2026-01-02T04:04:05.5+01:00"},
    "byproducts": [{"uri": "file:///log.txt"}]}})");
}
Json TestResult() {
  return Json::parse(R"({"result": "PASSED", "configuration": [{"uri": "https://x/cfg.yaml"}],
    "url": "https://ci/run/1", "passedTests": ["a", "b"], "failedTests": []})");
}
Json Vulns() {
  return Json::parse(R"({"scanner": {"uri": "pkg:github/aquasecurity/trivy", "version": "0.50",
    "result": [{"id": "CVE-1", "severity": [{"method": "CVSSv3", "score": "9.8"}, {"score": 7.5}]}]},
    "metadata": {"scanStartedOn": "2026-01-02T03:04:05Z", "scanFinishedOn": "2026-01-02T03:05:05Z"}})");
}
Json Evaluation() {
  return Json::parse(R"({"metrics": {"accuracy": 0.93, "f1": 1}, "dataset": {"name": "holdout", "digest": {"sha256": ")" +
                     kHex64 + R"("}}, "evaluator": "ci", "evaluatedOn": "2026-01-02T03:04:05Z"})");
}
Json Bias() {
  return Json::parse(R"({"passed": true, "attributes": [{"name": "gender", "metrics": {"dpd": 0.02},
    "thresholds": {"dpd": 0.1}, "passed": true}], "dataset": {"uri": "s3://b/d"}})");
}
Json Dataset() {
  return Json::parse(R"({"name": "tx", "source": "s3://b", "license": "CC-BY-4.0",
    "files": [{"name": "a.csv", "digest": {"sha256": ")" + kHex64 + R"("}, "size": 12}]})");
}
Json Approval() {
  return Json::parse(R"({"approver": "maria", "stage": "production", "approvedAt": "2026-01-02T03:04:05Z",
    "comment": "ok", "ticket": "T-1"})");
}
Json Revocation() { return Json{{"attestation", kHex64}, {"reason", "wrong dataset"}}; }
Json Drift() {
  return Json::parse(R"({"reference": {"uri": "ref.csv", "digest": {"sha256": ")" + kHex64 + R"("}, "rows": 10},
    "current": {"uri": "cur.csv", "digest": {"sha256": ")" + kHex64 + R"("}},
    "dataset_drift": false, "drifted_columns": 1, "number_of_columns": 2, "share": 0.5, "drift_share": 0.6,
    "computedOn": "2026-01-02T03:04:05Z",
    "columns": [{"column": "x", "method": "ks", "score": 0.01, "threshold": 0.05, "drifted": true},
                {"column": "y", "method": "wasserstein", "score": null, "threshold": 0.1, "drifted": false}]})");
}
Json DatasetScreen() {
  return Json::parse(R"({"dataset": {"uri": "train.csv", "digest": {"sha256": ")" + kHex64 + R"("}},
    "method": "isolation-forest", "rows": 300, "flagged_rows": 4, "computedOn": "2026-01-02T03:04:05Z",
    "parameters": {"trees": 100}, "label_flips": {"count": 2, "rows": [10, 20]},
    "label_shift": {"shifted": false, "pvalue": 0.3}})");
}

struct Case {
  const char* uri;
  Json (*valid)();
};

const Case kCases[] = {{kSlsaProvenanceV1, Slsa},   {kTestResultV01, TestResult}, {kVulnsV01, Vulns},
                       {kEvaluationV1, Evaluation}, {kBiasV1, Bias},              {kDatasetV1, Dataset},
                       {kApprovalV1, Approval},     {kRevocationV1, Revocation}, {kDriftV1, Drift},
                       {kDatasetScreenV1, DatasetScreen}};

// `edit` applied to a valid example of `uri` must fail with a message that
// starts with `path` + ": " and contains `says`.
void ExpectRejects(const char* uri, Json (*valid)(), const std::function<void(Json&)>& edit, const std::string& path,
                   const std::string& says = "") {
  Json p = valid();
  edit(p);
  Status s = ValidatePredicate(uri, p);
  ASSERT_FALSE(s.ok()) << uri << ": accepted " << p.dump();
  EXPECT_EQ(s.error().message().rfind(path + ": ", 0), 0u) << "expected path " << path << ", got: " << s.error().message();
  EXPECT_NE(s.error().message().find(says), std::string::npos) << s.error().message();
}

TEST(PredicateValidation, EveryBuiltInTypeAcceptsItsExample) {
  for (const Case& c : kCases) {
    Status s = ValidatePredicate(c.uri, c.valid());
    EXPECT_TRUE(s.ok()) << c.uri << ": " << s.error().message();
  }
}

TEST(PredicateValidation, NonObjectPredicateIsRejectedAtTheRoot) {
  for (const Case& c : kCases) {
    for (const Json& bad : {Json::array(), Json("x"), Json(3), Json()}) {
      Status s = ValidatePredicate(c.uri, bad);
      ASSERT_FALSE(s.ok()) << c.uri;
      EXPECT_EQ(s.error().message().rfind("predicate: a " + PredicateShortName(c.uri) + " predicate is an object", 0), 0u)
          << s.error().message();
    }
  }
}

TEST(PredicateValidation, UnknownUrisAndTheModelSignaturePass) {
  EXPECT_TRUE(ValidatePredicate("https://example.com/sbom/v1", Json::array()).ok());
  EXPECT_TRUE(ValidatePredicate("https://example.com/sbom/v1", Json{{"anything", 1}}).ok());
  EXPECT_TRUE(ValidatePredicate(kModelSigningPredicateType, Json::object()).ok());
  // A URI differing only in case or a trailing slash is not the known type.
  EXPECT_TRUE(ValidatePredicate("https://slsa.dev/provenance/v1/", Json::object()).ok());
  EXPECT_TRUE(ValidatePredicate("HTTPS://SLSA.DEV/PROVENANCE/V1", Json::object()).ok());
}

TEST(PredicateValidation, SlsaProvenanceDefects) {
  auto R = [](std::function<void(Json&)> e, const std::string& path, const std::string& says = "") {
    ExpectRejects(kSlsaProvenanceV1, Slsa, e, path, says);
  };
  R([](Json& p) { p.erase("buildDefinition"); }, "predicate/buildDefinition", "required");
  R([](Json& p) { p["buildDefinition"] = "x"; }, "predicate/buildDefinition", "expected an object, found");
  R([](Json& p) { p["buildDefinition"].erase("buildType"); }, "predicate/buildDefinition/buildType", "required");
  R([](Json& p) { p["buildDefinition"]["buildType"] = 5; }, "predicate/buildDefinition/buildType", "expected a string");
  R([](Json& p) { p["buildDefinition"]["buildType"] = ""; }, "predicate/buildDefinition/buildType", "must not be empty");
  R([](Json& p) { p["buildDefinition"]["buildType"] = nullptr; }, "predicate/buildDefinition/buildType", "required");
  R([](Json& p) { p["buildDefinition"].erase("externalParameters"); }, "predicate/buildDefinition/externalParameters");
  R([](Json& p) { p["buildDefinition"]["externalParameters"] = Json::array(); },
    "predicate/buildDefinition/externalParameters", "expected an object");
  R([](Json& p) { p["buildDefinition"]["internalParameters"] = 1; }, "predicate/buildDefinition/internalParameters");
  R([](Json& p) { p["buildDefinition"]["resolvedDependencies"] = Json::object(); },
    "predicate/buildDefinition/resolvedDependencies", "expected an array");
  R([](Json& p) { p["buildDefinition"]["resolvedDependencies"][0] = Json::object({{"name", "x"}}); },
    "predicate/buildDefinition/resolvedDependencies/0", "at least one of uri, digest or content");
  R([](Json& p) { p["buildDefinition"]["resolvedDependencies"][0]["digest"]["sha256"] = std::string(63, 'a'); },
    "predicate/buildDefinition/resolvedDependencies/0/digest/sha256", "64 hex digits, found 63");
  R([](Json& p) { p["buildDefinition"]["resolvedDependencies"][0]["digest"]["sha256"] = std::string(64, 'A'); },
    "predicate/buildDefinition/resolvedDependencies/0/digest/sha256", "lower-case hex");
  R([](Json& p) { p["buildDefinition"]["resolvedDependencies"][0]["digest"] = Json::object(); },
    "predicate/buildDefinition/resolvedDependencies/0/digest", "at least one digest");
  R([](Json& p) { p["buildDefinition"]["resolvedDependencies"][0]["digest"]["sha512"] = 1; },
    "predicate/buildDefinition/resolvedDependencies/0/digest/sha512", "expected a hex string");
  R([](Json& p) { p["buildDefinition"]["resolvedDependencies"][0]["digest"]["gitCommit"] = ""; },
    "predicate/buildDefinition/resolvedDependencies/0/digest/gitCommit", "lower-case hex");
  R([](Json& p) { p["buildDefinition"]["resolvedDependencies"][0]["name"] = 1; },
    "predicate/buildDefinition/resolvedDependencies/0/name", "expected a string");
  R([](Json& p) { p.erase("runDetails"); }, "predicate/runDetails");
  R([](Json& p) { p["runDetails"].erase("builder"); }, "predicate/runDetails/builder");
  R([](Json& p) { p["runDetails"]["builder"].erase("id"); }, "predicate/runDetails/builder/id", "required");
  R([](Json& p) { p["runDetails"]["metadata"] = "now"; }, "predicate/runDetails/metadata", "expected an object");
  R([](Json& p) { p["runDetails"]["metadata"]["invocationId"] = 7; }, "predicate/runDetails/metadata/invocationId");
  R([](Json& p) { p["runDetails"]["metadata"]["startedOn"] = "2026-01-02"; }, "predicate/runDetails/metadata/startedOn",
    "is not an RFC 3339 time");
  R([](Json& p) { p["runDetails"]["metadata"]["finishedOn"] = "2026-02-30T00:00:00Z"; },
    "predicate/runDetails/metadata/finishedOn", "'2026-02-30T00:00:00Z' is not an RFC 3339 time");
  R([](Json& p) { p["runDetails"]["byproducts"][0] = "log.txt"; }, "predicate/runDetails/byproducts/0",
    "resource descriptor object");
  // Optional parts may be absent.
  Json minimal = Slsa();
  minimal["buildDefinition"].erase("internalParameters");
  minimal["buildDefinition"].erase("resolvedDependencies");
  minimal["runDetails"].erase("metadata");
  minimal["runDetails"].erase("byproducts");
  EXPECT_TRUE(ValidatePredicate(kSlsaProvenanceV1, minimal).ok());
}

TEST(PredicateValidation, TestResultDefects) {
  auto R = [](std::function<void(Json&)> e, const std::string& path, const std::string& says = "") {
    ExpectRejects(kTestResultV01, TestResult, e, path, says);
  };
  R([](Json& p) { p.erase("result"); }, "predicate/result", "required");
  R([](Json& p) { p["result"] = "passed"; }, "predicate/result", "PASSED, WARNED or FAILED");
  R([](Json& p) { p["result"] = true; }, "predicate/result", "expected a string, found");
  R([](Json& p) { p.erase("configuration"); }, "predicate/configuration", "required");
  R([](Json& p) { p["configuration"] = "cfg"; }, "predicate/configuration", "expected an array");
  R([](Json& p) { p["configuration"][0] = Json::object(); }, "predicate/configuration/0");
  R([](Json& p) { p["url"] = 1; }, "predicate/url");
  R([](Json& p) { p["passedTests"] = "a"; }, "predicate/passedTests", "expected an array of strings");
  R([](Json& p) { p["warnedTests"] = Json::array({"a", 2}); }, "predicate/warnedTests/1", "expected a string");
  R([](Json& p) { p["failedTests"] = Json::array({nullptr}); }, "predicate/failedTests/0");
  for (const char* r : {"WARNED", "FAILED"}) {
    Json p = TestResult();
    p["result"] = r;
    EXPECT_TRUE(ValidatePredicate(kTestResultV01, p).ok()) << r;
  }
}

TEST(PredicateValidation, VulnsDefects) {
  auto R = [](std::function<void(Json&)> e, const std::string& path, const std::string& says = "") {
    ExpectRejects(kVulnsV01, Vulns, e, path, says);
  };
  R([](Json& p) { p.erase("scanner"); }, "predicate/scanner", "required");
  R([](Json& p) { p["scanner"].erase("uri"); }, "predicate/scanner/uri");
  R([](Json& p) { p["scanner"]["version"] = 1.5; }, "predicate/scanner/version", "expected a string");
  R([](Json& p) { p["scanner"].erase("result"); }, "predicate/scanner/result", "required field is missing");
  R([](Json& p) { p["scanner"]["result"] = Json::object(); }, "predicate/scanner/result", "array of findings");
  R([](Json& p) { p["scanner"]["result"][0] = "CVE-1"; }, "predicate/scanner/result/0", "expected an object");
  R([](Json& p) { p["scanner"]["result"][0].erase("id"); }, "predicate/scanner/result/0/id");
  R([](Json& p) { p["scanner"]["result"][0]["severity"] = "HIGH"; }, "predicate/scanner/result/0/severity",
    "array of {method, score}");
  R([](Json& p) { p["scanner"]["result"][0]["severity"][1] = 3; }, "predicate/scanner/result/0/severity/1");
  R([](Json& p) { p["scanner"]["result"][0]["severity"][1].erase("score"); },
    "predicate/scanner/result/0/severity/1/score", "required");
  R([](Json& p) { p["scanner"]["result"][0]["severity"][0]["score"] = true; },
    "predicate/scanner/result/0/severity/0/score", "string or number");
  R([](Json& p) { p["scanner"]["result"][0]["severity"][0]["method"] = 1; },
    "predicate/scanner/result/0/severity/0/method");
  R([](Json& p) { p.erase("metadata"); }, "predicate/metadata", "required");
  R([](Json& p) { p["metadata"].erase("scanFinishedOn"); }, "predicate/metadata/scanFinishedOn", "required");
  R([](Json& p) { p["metadata"]["scanFinishedOn"] = "yesterday"; }, "predicate/metadata/scanFinishedOn",
    "not an RFC 3339 time");
  R([](Json& p) { p["metadata"]["scanStartedOn"] = "2026-01-02 03:04:05Z"; }, "predicate/metadata/scanStartedOn");
  R([](Json& p) { p["metadata"]["scanStartedOn"] = 1700000000; }, "predicate/metadata/scanStartedOn",
    "expected a string");
  Json empty = Vulns();
  empty["scanner"]["result"] = Json::array();
  EXPECT_TRUE(ValidatePredicate(kVulnsV01, empty).ok());
}

TEST(PredicateValidation, EvaluationDefects) {
  auto R = [](std::function<void(Json&)> e, const std::string& path, const std::string& says = "") {
    ExpectRejects(kEvaluationV1, Evaluation, e, path, says);
  };
  R([](Json& p) { p.erase("metrics"); }, "predicate/metrics", "required");
  R([](Json& p) { p["metrics"] = Json::object(); }, "predicate/metrics", "at least one metric");
  R([](Json& p) { p["metrics"] = Json::array({0.9}); }, "predicate/metrics", "expected an object");
  R([](Json& p) { p["metrics"]["accuracy"] = "0.93"; }, "predicate/metrics/accuracy", "expected a number");
  R([](Json& p) { p.erase("dataset"); }, "predicate/dataset", "required");
  R([](Json& p) { p["dataset"] = "holdout"; }, "predicate/dataset", "resource descriptor");
  R([](Json& p) { p["dataset"] = Json{{"name", "holdout"}, {"uri", "s3://x"}}; }, "predicate/dataset/digest",
    "named by digest");
  R([](Json& p) { p["dataset"]["digest"]["sha256"] = "xyz"; }, "predicate/dataset/digest/sha256");
  R([](Json& p) { p["evaluator"] = Json::object(); }, "predicate/evaluator");
  R([](Json& p) { p["evaluatedOn"] = "2026-13-01T00:00:00Z"; }, "predicate/evaluatedOn", "RFC 3339");
}

TEST(PredicateValidation, BiasDefects) {
  auto R = [](std::function<void(Json&)> e, const std::string& path, const std::string& says = "") {
    ExpectRejects(kBiasV1, Bias, e, path, says);
  };
  R([](Json& p) { p.erase("passed"); }, "predicate/passed", "required");
  R([](Json& p) { p["passed"] = "true"; }, "predicate/passed", "expected true or false");
  R([](Json& p) { p.erase("attributes"); }, "predicate/attributes", "required");
  R([](Json& p) { p["attributes"] = Json::array(); }, "predicate/attributes", "non-empty array");
  R([](Json& p) { p["attributes"] = Json::object(); }, "predicate/attributes", "non-empty array");
  R([](Json& p) { p["attributes"][0] = "gender"; }, "predicate/attributes/0", "expected an object");
  R([](Json& p) { p["attributes"][0].erase("name"); }, "predicate/attributes/0/name");
  R([](Json& p) { p["attributes"][0].erase("metrics"); }, "predicate/attributes/0/metrics");
  R([](Json& p) { p["attributes"][0]["metrics"]["dpd"] = nullptr; }, "predicate/attributes/0/metrics/dpd",
    "expected a number");
  R([](Json& p) { p["attributes"][0]["thresholds"] = 0.1; }, "predicate/attributes/0/thresholds");
  R([](Json& p) { p["attributes"][0]["thresholds"]["dpd"] = "0.1"; }, "predicate/attributes/0/thresholds/dpd");
  R([](Json& p) { p["attributes"][0].erase("passed"); }, "predicate/attributes/0/passed");
  R([](Json& p) { p["attributes"][0]["passed"] = 1; }, "predicate/attributes/0/passed");
  R([](Json& p) { p["dataset"] = Json::object(); }, "predicate/dataset", "at least one of uri");
  // thresholds may be empty (not required); metrics may not.
  Json p = Bias();
  p["attributes"][0]["thresholds"] = Json::object();
  EXPECT_TRUE(ValidatePredicate(kBiasV1, p).ok());
  p["attributes"][0]["metrics"] = Json::object();
  EXPECT_FALSE(ValidatePredicate(kBiasV1, p).ok());
}

TEST(PredicateValidation, DatasetDefects) {
  auto R = [](std::function<void(Json&)> e, const std::string& path, const std::string& says = "") {
    ExpectRejects(kDatasetV1, Dataset, e, path, says);
  };
  R([](Json& p) { p.erase("name"); }, "predicate/name");
  R([](Json& p) { p.erase("source"); }, "predicate/source");
  R([](Json& p) { p["license"] = ""; }, "predicate/license", "must not be empty");
  R([](Json& p) { p.erase("files"); }, "predicate/files", "required");
  R([](Json& p) { p["files"] = Json::array(); }, "predicate/files", "non-empty array");
  R([](Json& p) { p["files"][0] = 5; }, "predicate/files/0", "expected an object");
  R([](Json& p) { p["files"][0].erase("name"); }, "predicate/files/0/name");
  R([](Json& p) { p["files"][0].erase("digest"); }, "predicate/files/0/digest", "required");
  R([](Json& p) { p["files"][0]["digest"] = "sha256:abc"; }, "predicate/files/0/digest", "expected an object");
  R([](Json& p) { p["files"][0]["digest"]["sha256"] = std::string(65, '0'); }, "predicate/files/0/digest/sha256",
    "found 65");
  R([](Json& p) { p["files"][0]["size"] = -1; }, "predicate/files/0/size", "byte count");
  R([](Json& p) { p["files"][0]["size"] = 1.5; }, "predicate/files/0/size", "byte count");
  R([](Json& p) { p["files"][0]["size"] = "12"; }, "predicate/files/0/size", "byte count");
  Json p = Dataset();
  p["files"][0]["size"] = 0;
  EXPECT_TRUE(ValidatePredicate(kDatasetV1, p).ok());
}

TEST(PredicateValidation, ApprovalDefects) {
  auto R = [](std::function<void(Json&)> e, const std::string& path, const std::string& says = "") {
    ExpectRejects(kApprovalV1, Approval, e, path, says);
  };
  R([](Json& p) { p.erase("approver"); }, "predicate/approver", "required string is missing");
  R([](Json& p) { p.erase("stage"); }, "predicate/stage");
  R([](Json& p) { p["stage"] = Json::array({"production"}); }, "predicate/stage", "expected a string");
  R([](Json& p) { p.erase("approvedAt"); }, "predicate/approvedAt", "required");
  R([](Json& p) { p["approvedAt"] = "2026-01-02T03:04:05"; }, "predicate/approvedAt", "RFC 3339");
  R([](Json& p) { p["comment"] = 3; }, "predicate/comment");
  R([](Json& p) { p["ticket"] = false; }, "predicate/ticket");
  // Optional strings may be empty.
  Json p = Approval();
  p["comment"] = "";
  EXPECT_TRUE(ValidatePredicate(kApprovalV1, p).ok());
}

TEST(PredicateValidation, RevocationDefects) {
  auto R = [](std::function<void(Json&)> e, const std::string& path, const std::string& says = "") {
    ExpectRejects(kRevocationV1, Revocation, e, path, says);
  };
  R([](Json& p) { p.erase("attestation"); }, "predicate/attestation", "required");
  R([](Json& p) { p["attestation"] = std::string(63, 'a'); }, "predicate/attestation", "64-hex-digit id");
  R([](Json& p) { p["attestation"] = std::string(64, 'A'); }, "predicate/attestation", "64-hex-digit id");
  R([](Json& p) { p["attestation"] = "sha256:" + std::string(64, 'a'); }, "predicate/attestation");
  R([](Json& p) { p.erase("reason"); }, "predicate/reason", "required");
  R([](Json& p) { p["reason"] = ""; }, "predicate/reason", "must not be empty");
}

TEST(PredicateValidation, DriftDefects) {
  auto R = [](std::function<void(Json&)> e, const std::string& path, const std::string& says = "") {
    ExpectRejects(kDriftV1, Drift, e, path, says);
  };
  R([](Json& p) { p.erase("reference"); }, "predicate/reference", "required");
  R([](Json& p) { p["current"].erase("digest"); }, "predicate/current/digest/sha256", "named by its sha256 digest");
  R([](Json& p) { p["current"]["digest"] = {{"sha512", "ab"}}; }, "predicate/current/digest/sha256");
  R([](Json& p) { p["dataset_drift"] = "no"; }, "predicate/dataset_drift", "true or false");
  R([](Json& p) { p["drifted_columns"] = -1; }, "predicate/drifted_columns", "a count");
  R([](Json& p) { p["number_of_columns"] = 3; }, "predicate/columns", "number_of_columns says 3");
  R([](Json& p) { p["drift_share"] = "half"; }, "predicate/drift_share", "expected a number");
  R([](Json& p) { p.erase("computedOn"); }, "predicate/computedOn", "required");
  R([](Json& p) { p["columns"] = Json::object(); }, "predicate/columns", "expected an array");
  R([](Json& p) { p["columns"][1]["score"] = "0.3"; }, "predicate/columns/1/score", "a number or null");
  R([](Json& p) { p["columns"][0].erase("threshold"); }, "predicate/columns/0/threshold", "required");
  R([](Json& p) { p["columns"][0]["drifted"] = 1; }, "predicate/columns/0/drifted", "true or false");
  R([](Json& p) { p["columns"][0].erase("column"); }, "predicate/columns/0/column", "required string");
}

TEST(PredicateValidation, DatasetScreenDefects) {
  auto R = [](std::function<void(Json&)> e, const std::string& path, const std::string& says = "") {
    ExpectRejects(kDatasetScreenV1, DatasetScreen, e, path, says);
  };
  R([](Json& p) { p.erase("dataset"); }, "predicate/dataset", "required");
  R([](Json& p) { p.erase("method"); }, "predicate/method", "required string");
  R([](Json& p) { p["rows"] = 2.5; }, "predicate/rows", "a count");
  R([](Json& p) { p.erase("flagged_rows"); }, "predicate/flagged_rows", "required");
  R([](Json& p) { p["computedOn"] = "yesterday"; }, "predicate/computedOn", "RFC 3339");
  R([](Json& p) { p["label_flips"] = {{"rows", Json::array()}}; }, "predicate/label_flips/count", "required");
  R([](Json& p) { p["label_shift"] = {{"shifted", "yes"}}; }, "predicate/label_shift/shifted", "true or false");
  R([](Json& p) { p["parameters"] = Json::array(); }, "predicate/parameters", "expected an object");
  // Label checks are optional.
  Json p = DatasetScreen();
  p.erase("label_flips");
  p.erase("label_shift");
  EXPECT_TRUE(ValidatePredicate(kDatasetScreenV1, p).ok());
}

TEST(PredicateTypes, ResolveShortNamesAndUris) {
  EXPECT_EQ(ResolvePredicateType("slsa-provenance").value(), kSlsaProvenanceV1);
  EXPECT_EQ(ResolvePredicateType("approval").value(), kApprovalV1);
  EXPECT_EQ(ResolvePredicateType("model-signature").value(), kModelSigningPredicateType);
  EXPECT_EQ(ResolvePredicateType(kVulnsV01).value(), kVulnsV01);
  EXPECT_EQ(ResolvePredicateType("https://example.com/sbom/v1").value(), "https://example.com/sbom/v1");
  EXPECT_EQ(ResolvePredicateType("urn:x").value(), "urn:x");
  for (const char* bad : {"provenance", "", "Approval", "slsa provenance"}) {
    auto r = ResolvePredicateType(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message().find("unknown predicate type '" + std::string(bad) + "'"), std::string::npos);
    EXPECT_NE(r.error().message().find("model-signature, slsa-provenance, test-result"), std::string::npos)
        << r.error().message();
  }
  // Every known type round-trips through its short name.
  ASSERT_EQ(KnownPredicateTypes().size(), 11u);
  for (const PredicateTypeInfo& t : KnownPredicateTypes()) {
    EXPECT_EQ(ResolvePredicateType(t.name).value(), t.uri);
    EXPECT_EQ(PredicateShortName(t.uri), t.name);
    EXPECT_TRUE(PredicateTypeMatches(t.name, t.uri));
    EXPECT_TRUE(PredicateTypeMatches(t.uri, t.uri));
  }
}

TEST(PredicateTypes, ShortNameAndMatching) {
  EXPECT_EQ(PredicateShortName("https://example.com/x"), "https://example.com/x");
  EXPECT_EQ(PredicateShortName(""), "");
  EXPECT_FALSE(PredicateTypeMatches("approval", kBiasV1));
  EXPECT_FALSE(PredicateTypeMatches("approval", "approval-ish"));
  EXPECT_FALSE(PredicateTypeMatches(kApprovalV1, kBiasV1));
  EXPECT_FALSE(PredicateTypeMatches("unknown-name", "https://example.com/x"));
  EXPECT_TRUE(PredicateTypeMatches("https://example.com/x", "https://example.com/x"));
  // A short name does not match a URI with that text in it.
  EXPECT_FALSE(PredicateTypeMatches("vulns", "https://example.com/vulns"));
}

constexpr int64_t kSec = 1000000000;

TEST(Rfc3339, ParsesUtcOffsetsAndFractions) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("2026-01-02T03:04:05Z"), int64_t{1767323045} * kSec);
  EXPECT_EQ(ParseRfc3339("2026-01-02t03:04:05z"), int64_t{1767323045} * kSec);
  EXPECT_EQ(ParseRfc3339("2026-01-02T05:04:05+02:00"), int64_t{1767323045} * kSec);
  EXPECT_EQ(ParseRfc3339("2026-01-01T22:34:05-04:30"), int64_t{1767323045} * kSec);
  EXPECT_EQ(ParseRfc3339("2026-01-02T03:04:05-00:00"), int64_t{1767323045} * kSec);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00.5Z"), kSec / 2);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00.000000001Z"), 1);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:01.123456789Z"), kSec + 123456789);
  // Digits past nanoseconds are truncated.
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00.1234567899999Z"), 123456789);
  EXPECT_EQ(ParseRfc3339("1969-12-31T23:59:59Z"), -kSec);
  EXPECT_EQ(ParseRfc3339("1969-12-31T23:59:59.5Z"), -kSec / 2);
  // A leap second is read as the next second.
  EXPECT_EQ(ParseRfc3339("2016-12-31T23:59:60Z"), *ParseRfc3339("2017-01-01T00:00:00Z"));
}

TEST(Rfc3339, LeapDays) {
  EXPECT_TRUE(ParseRfc3339("2024-02-29T00:00:00Z"));
  EXPECT_TRUE(ParseRfc3339("2000-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("1900-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2100-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2026-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2024-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2026-04-31T00:00:00Z"));
  EXPECT_TRUE(ParseRfc3339("2026-12-31T23:59:59Z"));
  EXPECT_EQ(*ParseRfc3339("2024-03-01T00:00:00Z") - *ParseRfc3339("2024-02-28T00:00:00Z"), 2 * 86400 * kSec);
}

TEST(Rfc3339, RejectsGarbage) {
  for (const char* bad :
       {"", "2026", "2026-01-02", "2026-01-02T03:04Z", "2026-01-02T03:04:05", "2026-01-02 03:04:05Z",
        "2026-1-02T03:04:05Z", "2026-01-02T03:04:05ZZ", "2026-01-02T03:04:05Z ", " 2026-01-02T03:04:05Z",
        "2026-01-02T03:04:05.Z", "2026-01-02T03:04:05+0200", "2026-01-02T03:04:05+02", "2026-01-02T03:04:05+24:00",
        "2026-01-02T03:04:05+02:60", "2026-00-02T03:04:05Z", "2026-13-02T03:04:05Z", "2026-01-00T03:04:05Z",
        "2026-01-32T03:04:05Z", "2026-01-02T24:00:00Z", "2026-01-02T03:60:05Z", "2026-01-02T03:04:61Z",
        "+2026-01-02T03:04:05Z", "2026-01-02T03:04:05,5Z", "abcd-ef-ghTij:kl:mnZ", "2026-01-02T03:04:05.5.5Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad)) << "accepted '" << bad << "'";
  }
  std::string with_nul("2026-01-02T03:04:05Z\0", 21);
  EXPECT_FALSE(ParseRfc3339(with_nul));
}

TEST(Rfc3339, RangeThat64BitNanosecondsHold) {
  EXPECT_FALSE(ParseRfc3339("1677-12-31T23:59:59Z"));
  EXPECT_FALSE(ParseRfc3339("2262-01-01T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("9999-12-31T23:59:59Z"));
  EXPECT_FALSE(ParseRfc3339("0000-01-01T00:00:00Z"));
  auto lo = ParseRfc3339("1678-01-01T00:00:00Z");
  auto hi = ParseRfc3339("2261-12-31T23:59:59.999999999Z");
  ASSERT_TRUE(lo);
  ASSERT_TRUE(hi);
  EXPECT_LT(*lo, 0);
  EXPECT_GT(*hi, 0);
  // Offsets at the range's edges neither overflow nor wrap around.
  auto hi_off = ParseRfc3339("2261-12-31T23:59:59-23:59");
  ASSERT_TRUE(hi_off);
  EXPECT_GT(*hi_off, *ParseRfc3339("2261-12-31T23:59:59Z"));
  auto lo_off = ParseRfc3339("1678-01-01T00:00:00+23:59");
  ASSERT_TRUE(lo_off);
  EXPECT_LT(*lo_off, *lo);
}

}  // namespace
}  // namespace custody
