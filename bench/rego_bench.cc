// The Rego engine's speed: compile time, time and heap allocations per
// evaluation, and the memory data takes, for
//   (a) OPA's RBAC example from its Policy Performance page (data.rbac.allow;
//       OPA reports a 35.8 us median and 382 allocations per evaluation),
//   (b) the published admission policy over a realistic Deployment AdmissionReview,
//   (c) a policy of 300 rules over one input (and 30 and 3000, to see the slope),
//   (d) RBAC with 10,000 users and 1,000 roles in data (OPA holds about 20x the
//       JSON size).
// The anchors are OPA's published figures; the ratios are printed as counters.
//
// Run: build/bench/rego_bench
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "rego/compiler.h"
#include "rego/eval.h"

// Heap accounting: every allocation in this process is counted.
namespace {
std::atomic<uint64_t> g_allocs{0};
std::atomic<int64_t> g_live_bytes{0};
}  // namespace

void* operator new(size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  g_live_bytes.fetch_add(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  return p;
}
void operator delete(void* p) noexcept {
  if (!p) return;
  g_live_bytes.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}
void operator delete(void* p, size_t) noexcept { operator delete(p); }

namespace {

namespace rego = custody::rego;

const char* kRbac = R"(package rbac

# user-role assignments
user_roles := {
    "alice": ["engineering", "webdev"],
    "bob": ["hr"]
}

# role-permissions assignments
role_permissions := {
    "engineering": [{"action": "read",  "object": "server123"}],
    "webdev":      [{"action": "read",  "object": "server123"},
                    {"action": "write", "object": "server123"}],
    "hr":          [{"action": "read",  "object": "database456"}]
}

# logic that implements RBAC.
default allow := false

allow if {
    # lookup the list of roles for the user
    roles := user_roles[input.user]
    # for each role in that list
    r := roles[_]
    # lookup the permissions list for role r
    permissions := role_permissions[r]
    # for each permission
    p := permissions[_]
    # check if the permission granted to r matches the user's request
    p == {"action": input.action, "object": input.object}
}
)";

const char* kAdmission = R"(package model.attestation.policy
deny[msg] {
  input.request.kind.kind == "Deployment"
  model_name := input.request.object.metadata.labels["ai.model.name"]
  not data.attestations[model_name].signed_by_trusted_authority
  msg := sprintf("Deployment of AI model %v denied: no valid attestation", [model_name])
}
stale[model_name] {
  model_name := input.request.object.metadata.labels["ai.model.name"]
  time.now_ns() - data.attestations[model_name].last_scan_timestamp > 86400000000000
}
)";

const char* kReview = R"({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
 "request": {"uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
  "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
  "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
  "namespace": "fraud", "operation": "CREATE",
  "userInfo": {"username": "system:serviceaccount:ci:deployer", "groups": ["system:serviceaccounts"]},
  "object": {"apiVersion": "apps/v1", "kind": "Deployment",
   "metadata": {"name": "fraud-scorer", "namespace": "fraud",
     "labels": {"app": "fraud-scorer", "ai.model.name": "fraud-detector", "ai.model.version": "3.1.0"},
     "annotations": {"custody.dev/bundle": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}},
   "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "fraud-scorer"}},
    "template": {"metadata": {"labels": {"app": "fraud-scorer"}},
     "spec": {"containers": [{"name": "scorer",
        "image": "registry.example.com/fraud/scorer@sha256:4a5b6c7d8e9f00112233445566778899aabbccddeeff00112233445566778899",
        "ports": [{"containerPort": 8080}],
        "resources": {"limits": {"cpu": "2", "memory": "4Gi"}, "requests": {"cpu": "1", "memory": "2Gi"}},
        "securityContext": {"runAsNonRoot": true, "allowPrivilegeEscalation": false}}]}}}}}})";

struct Prepared {
  std::shared_ptr<const rego::CompiledPolicy> policy;
  rego::CompiledQuery query;
  rego::Value input;
  double compile_ms = 0;
};

Prepared Prepare(const std::string& module, const std::string& query, const std::string& input,
                 rego::Value data = rego::Value::EmptyObject()) {
  Prepared p;
  auto start = std::chrono::steady_clock::now();
  auto policy = rego::Compile({{"bench.rego", module}}, std::move(data), {});
  if (!policy.ok()) {
    fprintf(stderr, "compile: %s\n", policy.error().message().c_str());
    std::abort();
  }
  auto q = (*policy)->CompileQuery(query, rego::RegoVersion::kV1);
  if (!q.ok()) {
    fprintf(stderr, "query: %s\n", q.error().message().c_str());
    std::abort();
  }
  p.compile_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  p.policy = *policy;
  p.query = *q;
  p.input = *rego::ParseJsonValue(input, "input");
  return p;
}

void RunEval(benchmark::State& state, const Prepared& p, const char* expect) {
  rego::EvalOptions eo;
  eo.input = p.input;
  eo.now_ns = 1;
  uint64_t allocs = 0;
  for (auto _ : state) {
    uint64_t before = g_allocs.load(std::memory_order_relaxed);
    auto rows = rego::Evaluate(*p.policy, p.query, eo);
    allocs += g_allocs.load(std::memory_order_relaxed) - before;
    if (!rows.ok() || rows->empty() || rows->front().expressions[0].ToJson() != expect) {
      state.SkipWithError(rows.ok() ? ("unexpected result " + (rows->empty() ? std::string("undefined")
                                                                               : rows->front().expressions[0].ToJson()))
                                            .c_str()
                                    : rows.error().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(rows);
  }
  state.counters["allocs_per_op"] = static_cast<double>(allocs) / static_cast<double>(state.iterations());
  state.counters["compile_ms"] = p.compile_ms;
}

void BM_RbacOpaExample(benchmark::State& state) {
  static Prepared p = Prepare(kRbac, "data.rbac.allow", R"({"user": "alice", "action": "write", "object": "server123"})");
  RunEval(state, p, "true");
  state.counters["opa_allocs_anchor"] = 382;
  state.counters["opa_us_anchor"] = 35.8;
}
BENCHMARK(BM_RbacOpaExample)->Repetitions(5)->ReportAggregatesOnly(true)->ComputeStatistics("p90", [](const std::vector<double>& v) {
  std::vector<double> s = v;
  std::sort(s.begin(), s.end());
  return s[static_cast<size_t>(0.9 * static_cast<double>(s.size() - 1))];
});

void BM_AdmissionReview(benchmark::State& state) {
  static Prepared p = Prepare(kAdmission, "data.model.attestation.policy.deny", kReview,
                              *rego::ParseJsonValue(R"({"attestations": {"fraud-detector": {"signed_by_trusted_authority": false, "last_scan_timestamp": 0}}})", "data"));
  RunEval(state, p, R"(["Deployment of AI model fraud-detector denied: no valid attestation"])");
}
BENCHMARK(BM_AdmissionReview)->Repetitions(5)->ReportAggregatesOnly(true);

// n rules, each testing input.resource_type against its own type(s): with
// `==` (indexed on equality) or `in {...}` of two types (indexed under each
// member). One rule matches the input.
std::string ManyRules(int n, bool member) {
  std::string m = "package many\n";
  for (int i = 0; i < n; ++i) {
    std::string type = "\"AWS::Type" + std::to_string(i) + "\"";
    std::string test = member ? " in {" + type + ", \"AWS::Other" + std::to_string(i) + "\"}" : " == " + type;
    m += "deny contains \"rule " + std::to_string(i) + "\" if {\n  input.resource_type" + test +
         "\n  input.properties.Setting" + std::to_string(i % 7) + " == false\n}\n";
  }
  return m;
}

void RunManyRules(benchmark::State& state, bool member) {
  int n = static_cast<int>(state.range(0));
  Prepared p = Prepare(ManyRules(n, member), "data.many.deny",
                       member ? R"({"resource_type": "AWS::Other17", "properties": {"Setting3": false}})"
                              : R"({"resource_type": "AWS::Type17", "properties": {"Setting3": false}})");
  RunEval(state, p, R"(["rule 17"])");
  state.counters["rules"] = n;
}

void BM_ManyRules(benchmark::State& state) { RunManyRules(state, false); }
BENCHMARK(BM_ManyRules)->Arg(30)->Arg(300)->Arg(3000);

void BM_ManyRulesIn(benchmark::State& state) { RunManyRules(state, true); }
BENCHMARK(BM_ManyRulesIn)->Arg(30)->Arg(300)->Arg(3000);

std::string BigRbacData(int users, int roles) {
  std::string d = "{\"users\": {";
  for (int u = 0; u < users; ++u) {
    if (u) d += ",";
    d += "\"user" + std::to_string(u) + "\": [";
    for (int k = 0; k < 3; ++k) {
      if (k) d += ",";
      d += "\"role" + std::to_string((u * 7 + k * 131) % roles) + "\"";
    }
    d += "]";
  }
  d += "}, \"roles\": {";
  for (int r = 0; r < roles; ++r) {
    if (r) d += ",";
    d += "\"role" + std::to_string(r) + "\": [";
    for (int k = 0; k < 5; ++k) {
      if (k) d += ",";
      d += "{\"action\": \"action" + std::to_string((r + k) % 50) + "\", \"resource\": \"resource" +
           std::to_string((r * 3 + k) % 200) + "\"}";
    }
    d += "]";
  }
  d += "}}";
  return d;
}

void BM_RbacLargeData(benchmark::State& state) {
  static std::string json = BigRbacData(10000, 1000);
  static int64_t held = 0;
  static Prepared p = [] {
    int64_t before = g_live_bytes.load();
    rego::Value data = *rego::ParseJsonValue(json, "data");
    held = g_live_bytes.load() - before;
    return Prepare(R"(package rbac
default allow := false
allow if {
  some role in data.users[input.user]
  some permission in data.roles[role]
  permission.action == input.action
  permission.resource == input.resource
})",
                   "data.rbac.allow", R"({"user": "user42", "action": "action1", "resource": "resource1"})",
                   std::move(data));
  }();
  // user42's roles: 294, 425, 556; role556 grants action6..action10 only.
  RunEval(state, p, "false");
  state.counters["data_json_bytes"] = static_cast<double>(json.size());
  state.counters["data_heap_bytes"] = static_cast<double>(held);
  state.counters["heap_per_json_byte"] = static_cast<double>(held) / static_cast<double>(json.size());
}
BENCHMARK(BM_RbacLargeData)->Repetitions(3)->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
