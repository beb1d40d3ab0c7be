// The gate's speed: signature verifications per second on every core against
// `openssl speed -multi N ecdsap256 ed25519` run in the same process (goal
// >= 85 % of it); gate latency p50/p99 for a subject with 50 attestations,
// cold (a new gate: every signature verified) and with verified
// attestations cached (goal p99 < 1 ms); attestation writes per second to
// the store on SQLite (and PostgreSQL with CUSTODY_BENCH_POSTGRES=URI).
//
// Usage: gate_bench [ROUNDS]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "attest/attestation.h"
#include "attest/dsse.h"
#include "attest/model_signature.h"
#include "attest/predicates.h"
#include "manifest/predicate.h"
#include "core/time.h"
#include "gate/gate.h"
#include "registry/registry.h"

namespace {

using namespace custody;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// verify/s per algorithm from `openssl speed -multi N ...`.
std::map<std::string, double> OpensslVerifyRates(unsigned threads) {
  std::map<std::string, double> out;
  std::string cmd = "openssl speed -seconds 3 -multi " + std::to_string(threads) + " ecdsap256 ed25519 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char line[512];
  while (std::fgets(line, sizeof line, p) != nullptr) {
    std::string l = line;
    const char* key = l.find("nistp256") != std::string::npos ? "ecdsa-p256"
                      : l.find("Ed25519") != std::string::npos ? "ed25519"
                                                                : nullptr;
    if (key == nullptr || l.find('s') == std::string::npos) continue;
    // "... 0.0000s 0.0001s 47901.1 15661.0": the last number is verify/s.
    auto end = l.find_last_not_of(" \n\r");
    auto start = l.find_last_of(' ', end);
    if (end == std::string::npos || start == std::string::npos) continue;
    double v = std::atof(l.substr(start + 1, end - start).c_str());
    if (v > 0) out[key] = v;
  }
  pclose(p);
  return out;
}

Statement MakeStatement(const std::string& digest, const std::string& type, int i) {
  Statement st;
  st.subjects.push_back({"fraud", {{"sha256", digest}}});
  st.predicate_type = type;
  std::string d(64, 'a');
  std::string now = NowRfc3339();
  if (type == kEvaluationV1) {
    st.predicate = {{"metrics", {{"accuracy", 0.95}, {"f1", 0.9 + i * 1e-4}}},
                    {"dataset", {{"name", "holdout"}, {"digest", {{"sha256", d}}}}}};
  } else if (type == kVulnsV01) {
    st.predicate = {{"scanner", {{"uri", "pkg:github/aquasecurity/trivy"}, {"version", std::to_string(i)},
                                 {"result", Json::array()}}},
                    {"metadata", {{"scanFinishedOn", now}}}};
  } else if (type == kBiasV1) {
    st.predicate = {{"passed", true},
                    {"attributes", {{{"name", "gender"}, {"metrics", {{"dpd", 0.01 + i * 1e-4}}}, {"passed", true}}}}};
  } else if (type == kApprovalV1) {
    st.predicate = {{"approver", "person" + std::to_string(i)}, {"stage", "production"}, {"approvedAt", now}};
  } else if (type == kSlsaProvenanceV1) {
    st.predicate = {{"buildDefinition", {{"buildType", "https://custody.dev/train/v1"},
                                         {"externalParameters", {{"lr", 0.01}, {"run", i}}}}},
                    {"runDetails", {{"builder", {{"id", "https://custody.dev/builders/ci@v1"}}}}}};
  } else {
    st.predicate = {{"note", i}};
  }
  return st;
}

// Verifications per second of DSSE envelopes over `threads` threads.
double VerifyRate(const PrivateKey& key, unsigned threads, double seconds) {
  Statement st = MakeStatement(std::string(64, 'b'), kEvaluationV1, 1);
  auto bundle = SignStatement(st, key);
  if (!bundle.ok()) return 0;
  std::string pae = PreAuthEncoding(bundle->envelope.payload_type, bundle->envelope.payload);
  std::string sig = bundle->envelope.signatures[0].sig;
  PublicKey pub = key.Public();
  std::atomic<uint64_t> total{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      uint64_t n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        if (!pub.Verify(pae, sig)) std::abort();
        ++n;
      }
      total += n;
    });
  }
  auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  return static_cast<double>(total.load()) / Seconds(t0, Clock::now());
}

void Percentiles(const char* label, std::vector<double>& ms) {
  std::sort(ms.begin(), ms.end());
  std::printf("%-44s p50 %.3f ms  p99 %.3f ms  (n=%zu)\n", label, ms[ms.size() / 2], ms[ms.size() * 99 / 100], ms.size());
}

// Each call signs with a new key, so its attestations are all new to the store.
void StoreWrites(const std::string& engine, const std::string& location, size_t count, unsigned writers) {
  auto generated = PrivateKey::Generate(KeyType::kEd25519);
  if (!generated.ok()) std::abort();
  const PrivateKey& key = *generated;
  std::vector<registry::AttestationRecord> recs;
  std::string digest(64, 'c');
  for (size_t i = 0; i < count; ++i) {
    Statement st = MakeStatement(digest, kEvaluationV1, static_cast<int>(i));
    auto b = SignStatement(st, key);
    if (!b.ok()) std::abort();
    registry::AttestationRecord r;
    r.id = registry::AttestationId(*b);
    r.predicate_type = kEvaluationV1;
    r.statement = st;
    r.bundle_json = b->ToJson().dump();
    r.signer_keyid = b->public_key_hint;
    r.recorded_at = NowRfc3339();
    recs.push_back(std::move(r));
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (unsigned w = 0; w < writers; ++w) {
    pool.emplace_back([&] {
      auto reg = registry::Registry::Open(location);
      if (!reg.ok()) {
        std::fprintf(stderr, "%s\n", reg.error().message().c_str());
        failed = true;
        return;
      }
      for (size_t i; (i = next++) < recs.size();) {
        if (!(*reg)->PutAttestation(recs[i]).ok()) failed = true;
      }
    });
  }
  for (auto& th : pool) th.join();
  double secs = Seconds(t0, Clock::now());
  std::printf("%-10s attestation writes, %u writer%s: %.0f/s (%zu in %.2f s)%s\n", engine.c_str(), writers,
              writers == 1 ? "" : "s", static_cast<double>(count) / secs, count, secs, failed ? "  ERRORS" : "");
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 1000;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());

  // 1. Signature verification against openssl speed.
  std::printf("openssl speed -multi %u (same machine, same run)...\n", threads);
  auto peer = OpensslVerifyRates(threads);
  for (KeyType type : {KeyType::kEcdsaP256, KeyType::kEd25519}) {
    auto key = PrivateKey::Generate(type);
    if (!key.ok()) return 2;
    double ours = VerifyRate(*key, threads, 3.0);
    std::string name = KeyTypeName(type);
    double theirs = peer.count(name) ? peer[name] : 0;
    std::printf("%-10s DSSE verifications on %u threads: %.0f/s; openssl speed verify/s: %.0f; ratio %.2f (goal >= 0.85)\n",
                name.c_str(), threads, ours, theirs, theirs > 0 ? ours / theirs : 0.0);
  }

  // 2. Gate latency, 50 attestations.
  std::map<std::string, PrivateKey> keys;
  for (const char* n : {"ci", "scanner", "a1", "a2"}) {
    auto k = PrivateKey::Generate(KeyType::kEd25519);
    if (!k.ok()) return 2;
    keys.emplace(n, std::move(*k));
  }
  // The trust file names PEM files (a key id alone cannot verify).
  std::string dir = std::filesystem::temp_directory_path() / ("custody-gate-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string trust_yaml = "keys:\n";
  for (auto& [n, k] : keys) {
    std::string pem = dir + "/" + n + ".pub";
    FILE* f = std::fopen(pem.c_str(), "w");
    std::string text = k.Public().ToPem();
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    trust_yaml += "  - name: " + n + "\n    key: " + pem + "\n";
  }
  trust_yaml += "thresholds:\n  - predicate: approval\n    signers: 2\n";
  auto trust = gate::TrustPolicy::Parse(trust_yaml, "bench-trust.yaml", dir);
  if (!trust.ok()) {
    std::fprintf(stderr, "%s\n", trust.error().message().c_str());
    return 2;
  }
  auto policy = gate::LoadGatePolicy("builtin", {});
  if (!policy.ok()) {
    std::fprintf(stderr, "%s\n", policy.error().message().c_str());
    return 2;
  }
  std::string digest(64, 'd');
  gate::GateRequest req;
  req.subject_name = "fraud";
  req.subject_digest = digest;
  req.context = {{"stage", "production"}};
  const char* types[] = {kEvaluationV1, kVulnsV01, kBiasV1, kSlsaProvenanceV1, kApprovalV1};
  const char* signers[] = {"ci", "scanner", "ci", "ci", "a1"};
  for (int i = 0; i < 50; ++i) {
    int t = i % 5;
    const char* signer = t == 4 && i % 2 == 0 ? "a2" : signers[t];
    Statement st = MakeStatement(digest, types[t], i);
    if (i == 0) st.predicate_type = kModelSigningPredicateType;  // one model signature
    auto b = SignStatement(st, keys.at(signer));
    if (!b.ok()) return 2;
    gate::Candidate c;
    c.id = registry::AttestationId(*b);
    c.bundle = std::move(*b);
    c.source = "bench";
    c.signed_at_ns = NowUnixNanos();
    req.candidates.push_back(std::move(c));
  }
  std::vector<double> cold, cached;
  auto warm = gate::Gate::Create(*trust, *policy);
  if (!warm.ok()) return 2;
  bool allowed = false;
  size_t accepted = 0;
  for (int r = 0; r < rounds; ++r) {
    auto g = gate::Gate::Create(*trust, *policy);
    auto t0 = Clock::now();
    auto d = (*g)->Decide(req);
    cold.push_back(Seconds(t0, Clock::now()) * 1000);
    t0 = Clock::now();
    auto d2 = (*warm)->Decide(req);
    cached.push_back(Seconds(t0, Clock::now()) * 1000);
    if (!d.ok() || !d2.ok()) {
      std::fprintf(stderr, "%s\n", (d.ok() ? d2.error() : d.error()).message().c_str());
      return 2;
    }
    allowed = d2->allowed;
    accepted = d2->accepted.size();
  }
  std::printf("gate decision (50 attestations, %zu accepted, %s):\n", accepted, allowed ? "allow" : "deny");
  Percentiles("  cold (every signature verified)", cold);
  Percentiles("  verified attestations cached (goal p99 < 1 ms)", cached);

  // 3. Store writes.
  StoreWrites("sqlite", dir + "/w1.db", 5000, 1);
  StoreWrites("sqlite", dir + "/w8.db", 5000, 8);
  if (const char* pg = std::getenv("CUSTODY_BENCH_POSTGRES"); pg != nullptr && *pg != '\0') {
    StoreWrites("postgresql", pg, 5000, 1);
    StoreWrites("postgresql", pg, 5000, 8);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
