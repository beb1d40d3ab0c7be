#!/usr/bin/env bash
# custody attest / registry / trust / gate end to end: a model with provenance,
# evaluation, bias, scan and approvals is allowed; then each defect is denied
# with its own reason. Runs on SQLite, then again on a real PostgreSQL server
# (skipped with a message when Debian's postgresql is not installed).
# Usage: gate_test.sh CUSTODY_BINARY
set -euo pipefail
BIN=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/../store/pg_server.sh"

cd "$WORK"
export CUSTODY_HOME=$WORK/home
for k in ci scanner alice bob eve old revk; do "$BIN" key generate --type ed25519 --out $k >/dev/null 2>&1; done
"$BIN" key generate --type ecdsa-p256 --out carol >/dev/null 2>&1
keyid() { sha256sum "$1.pub" | cut -d' ' -f1; }
cat >trust.yaml <<EOF
keys:
  - name: ci
    key: ci.pub
    predicates: [model-signature, slsa-provenance, evaluation, bias]
    models: ["fraud*"]
  - name: scanner
    key: scanner.pub
    predicates: [vulns]
  - name: alice
    key: alice.pub
    predicates: [approval]
  - name: bob
    key: bob.pub
    predicates: [approval]
  - name: carol
    key: $(keyid carol)
    predicates: [approval]
  - name: old
    key: old.pub
    predicates: [approval]
    valid_before: 2020-01-01T00:00:00Z
  - name: revk
    key: revk.pub
    predicates: [approval]
revoked: [$(keyid revk)]
thresholds:
  - predicate: approval
    signers: 2
EOF

mkdir -p fraud-model other-model
printf 'weights-v1' >fraud-model/model.bin
printf '{"layers": 3}' >fraud-model/config.json
printf 'other' >other-model/model.bin
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
OLD=$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%SZ)
D1=$(printf '1%.0s' {1..64})
cat >prov.json <<EOF
{"buildDefinition": {"buildType": "https://custody.dev/train/v1", "externalParameters": {"lr": 0.01, "epochs": 5},
  "resolvedDependencies": [{"name": "transactions-2026", "digest": {"sha256": "$D1"}}]},
 "runDetails": {"builder": {"id": "https://custody.dev/builders/ci@v1"}, "metadata": {"invocationId": "run-42"}}}
EOF
sed 's|custody.dev/builders/ci@v1|evil.example/builder|' prov.json >prov_badbuilder.json
echo "{\"metrics\": {\"accuracy\": 0.95}, \"dataset\": {\"name\": \"holdout\", \"digest\": {\"sha256\": \"$D1\"}}}" >eval.json
echo "{\"metrics\": {\"accuracy\": 0.70}, \"dataset\": {\"name\": \"holdout\", \"digest\": {\"sha256\": \"$D1\"}}}" >eval_low.json
echo '{"passed": true, "attributes": [{"name": "gender", "metrics": {"dpd": 0.02}, "thresholds": {"dpd": 0.1}, "passed": true}]}' >bias.json
echo '{"passed": false, "attributes": [{"name": "age", "metrics": {"dpd": 0.3}, "thresholds": {"dpd": 0.1}, "passed": false}]}' >bias_fail.json
echo "{\"scanner\": {\"uri\": \"pkg:github/aquasecurity/trivy\", \"result\": []}, \"metadata\": {\"scanFinishedOn\": \"$NOW\"}}" >scan.json
echo "{\"scanner\": {\"uri\": \"pkg:github/aquasecurity/trivy\", \"result\": []}, \"metadata\": {\"scanFinishedOn\": \"$OLD\"}}" >scan_old.json
echo "{\"scanner\": {\"uri\": \"pkg:github/aquasecurity/trivy\", \"result\": [{\"id\": \"CVE-2026-0001\", \"severity\": [{\"method\": \"CVSSv3\", \"score\": \"9.8\"}]}]}, \"metadata\": {\"scanFinishedOn\": \"$NOW\"}}" >scan_crit.json
for who in alice bob carol eve old revk; do
  echo "{\"approver\": \"$who\", \"stage\": \"production\", \"approvedAt\": \"$NOW\"}" >appr_$who.json
done
echo "{\"approver\": \"alice\", \"stage\": \"production\", \"approvedAt\": \"$NOW\", \"comment\": \"again\"}" >appr_alice2.json
echo '{"stage": "production"}' >prod.json

# att NAME TYPE PREDICATE KEY [SUBJECT]: a bundle file b/NAME.json, not recorded.
mkdir -p b
att() {
  local subject=${5:-fraud-model}
  "$BIN" attest "$subject" --name fraud --type "$2" --predicate "$3" --key "$4.key" --out "b/$1.json" --no-store \
    --format json >"$WORK/att.out" || { echo "attest $1 failed"; cat "$WORK/att.out"; exit 1; }
}

# gate_files EXPECTED_EXIT DESCRIPTION STORE NAMES...: the gate on bundle files
# (b/NAME.json) only; the store holds no attestations for this model.
gate_files() {
  local want=$1 desc=$2 store=$3
  shift 3
  local files=()
  for f in "$@"; do files+=("b/$f.json"); done
  run "$want" "$desc" -- "$BIN" --format json gate fraud-model --name fraud --policy builtin --trust trust.yaml \
    --context prod.json --store "$store" --no-record --attestations "${files[@]}" || true
}

# expect_json PYTHON_BOOL_EXPR DESCRIPTION: on the last stdout, as `j`.
expect_json() {
  checks=$((checks + 1))
  if [[ $(json_field "$1" 2>/dev/null) != True ]]; then
    echo "FAIL  $2: $1 does not hold; stdout: ${out:0:900}"
    failures=$((failures + 1))
  fi
}

# The needle goes through the environment: it may hold quotes.
deny_has() { NEEDLE=$1 expect_json "any(__import__('os').environ['NEEDLE'] in m for m in j['deny'])" "deny mentions '$1'"; }
rejected_has() {
  NEEDLE=$1 expect_json "any(__import__('os').environ['NEEDLE'] in r['reason'] for r in j['rejected'])" "a rejection says '$1'"
}
deny_count() { expect_json "len(j['deny']) == $1" "$1 deny reasons"; }

# --- bundles (made once; the gate reads them as files) ---------------------
"$BIN" sign fraud-model --key ci.key >/dev/null 2>&1
mv fraud-model/model.sig b/sig.json
att prov slsa-provenance prov.json ci
att prov_bad slsa-provenance prov_badbuilder.json ci
att eval evaluation eval.json ci
att eval_low evaluation eval_low.json ci
att bias bias bias.json ci
att bias_fail bias bias_fail.json ci
att scan vulns scan.json scanner
att scan_old vulns scan_old.json scanner
att scan_crit vulns scan_crit.json scanner
att scan_by_eve vulns scan.json eve
att scan_by_ci vulns scan.json ci
for who in alice bob carol eve old revk; do att appr_$who approval appr_$who.json $who; done
att appr_alice2 approval appr_alice2.json alice
att eval_other evaluation eval.json ci "sha256:$D1"
# The evaluation with its accuracy raised after signing.
python3 - <<'PY'
import base64, json
b = json.load(open("b/eval.json"))
st = json.loads(base64.b64decode(b["dsseEnvelope"]["payload"]))
st["predicate"]["metrics"]["accuracy"] = 0.99
b["dsseEnvelope"]["payload"] = base64.b64encode(json.dumps(st).encode()).decode()
json.dump(b, open("b/eval_tampered.json", "w"))
PY

GOOD=(sig prov eval bias scan appr_alice appr_bob)
without() { local skip=$1; for f in "${GOOD[@]}"; do [[ $f == "$skip" ]] || printf '%s ' "$f"; done; }

suite() {
  local store=$1 engine=$2
  echo "== $engine"
  run 0 "$engine: trust check" -- "$BIN" trust check trust.yaml
  expect_out "7 keys"

  # Every attestation good: allowed.
  gate_files 0 "$engine: all attestations good: allow" "$store" "${GOOD[@]}"
  expect_json "j['allowed'] is True and len(j['attestations']) == 7 and j['rejected'] == []" "7 accepted, none rejected"

  # Each defect is denied with its own reason.
  gate_files 1 "$engine: missing scan" "$store" $(without scan)
  deny_has "missing: no trusted vulnerability scan"
  deny_count 1
  gate_files 1 "$engine: scan by an untrusted signer" "$store" $(without scan) scan_by_eve
  deny_has "missing: no trusted vulnerability scan"
  rejected_has "is not in the trust file"
  gate_files 1 "$engine: scan by a signer trusted for other predicates" "$store" $(without scan) scan_by_ci
  rejected_has "signer 'ci' is not trusted for vulns attestations"
  run 1 "$engine: signer trusted for another model name" -- "$BIN" --format json gate fraud-model --name payments \
    --policy builtin --trust trust.yaml --context prod.json --store "$store" --no-record \
    --attestations $(for f in "${GOOD[@]}"; do printf 'b/%s.json ' $f; done) || true
  rejected_has "is not trusted for model 'payments'"
  deny_has "missing: no trusted SLSA provenance"
  gate_files 1 "$engine: approval by a key outside its window" "$store" $(without appr_bob) appr_old
  rejected_has "outside key 'old' (valid before 2020-01-01T00:00:00Z)"
  deny_has "approval needs 2 distinct trusted signers, found 1 (alice)"
  gate_files 1 "$engine: approval by a revoked key" "$store" $(without appr_bob) appr_revk
  rejected_has "is revoked"
  gate_files 1 "$engine: one approval where two are required" "$store" $(without appr_bob)
  deny_has "approval needs 2 distinct trusted signers, found 1 (alice)"
  deny_has "production needs 2 approvals from distinct trusted signers, found 1"
  gate_files 1 "$engine: two approvals from the same key count once" "$store" $(without appr_bob) appr_alice2
  deny_has "approval needs 2 distinct trusted signers, found 1 (alice)"
  expect_json "sum(a['predicateType'].endswith('approval/v1') for a in j['attestations']) == 2" "both approvals verified"
  gate_files 1 "$engine: approval by a key trusted by id only" "$store" $(without appr_bob) appr_carol
  rejected_has "is trusted by id only and the bundle does not carry it"
  gate_files 1 "$engine: stale scan" "$store" $(without scan) scan_old
  deny_has "stale: the newest vulnerability scan finished at $OLD"
  gate_files 0 "$engine: a newer scan supersedes a stale one" "$store" "${GOOD[@]}" scan_old
  gate_files 1 "$engine: critical finding" "$store" $(without scan) scan_crit
  deny_has "found critical CVE-2026-0001"
  gate_files 1 "$engine: bias report failed" "$store" $(without bias) bias_fail
  deny_has "did not pass (attributes: age)"
  gate_files 1 "$engine: evaluation below threshold" "$store" $(without eval) eval_low
  deny_has "evaluation accuracy = 0.7 is below the required 0.9"
  gate_files 1 "$engine: builder not allowed" "$store" $(without prov) prov_bad
  deny_has "which is not an allowed builder"
  gate_files 1 "$engine: evaluation about another digest" "$store" $(without eval) eval_other
  rejected_has "it is about another digest"
  deny_has "missing: no trusted evaluation"
  gate_files 1 "$engine: tampered envelope" "$store" $(without eval) eval_tampered
  rejected_has "does not verify"
  deny_has "missing: no trusted evaluation"

  # Through the store and the registry: register, attest, gate, promote.
  run 0 "$engine: registry add with signature" -- "$BIN" registry add fraud 1.0.0 fraud-model --key ci.key --store "$store"
  for a in "slsa-provenance prov.json ci" "evaluation eval.json ci" "bias bias.json ci" "vulns scan.json scanner" \
    "approval appr_alice.json alice"; do
    set -- $a
    run 0 "$engine: attest $1 into the store" -- "$BIN" attest fraud@1.0.0 --type $1 --predicate $2 --key $3.key --store "$store"
  done
  run 1 "$engine: registered model, one approval: deny" -- "$BIN" --format json gate fraud@1.0.0 --policy builtin \
    --trust trust.yaml --store "$store" --promote production
  deny_has "production needs 2 approvals"
  run 1 "$engine: alias cannot move through a denying decision" -- "$BIN" registry alias fraud production 1.0.0 \
    --decision "$(json_field "j['id']")" --store "$store"
  expect_err "moves only through an allowing gate decision"
  run 0 "$engine: second approval" -- "$BIN" attest fraud@1.0.0 --type approval --predicate appr_bob.json --key bob.key --store "$store"
  run 0 "$engine: allow and promote" -- "$BIN" --format json gate fraud@1.0.0 --policy builtin --trust trust.yaml \
    --store "$store" --promote production
  expect_json "j['allowed'] is True and j['promoted'] == 'fraud@production -> 1.0.0'" "promoted"
  allow_id=$(json_field "j['id']")
  run 0 "$engine: registry show lineage" -- "$BIN" --format json registry show fraud@production --store "$store"
  expect_json "len(j['versions']) == 1 and j['versions'][0]['lineage']['datasets'][0]['name'] == 'transactions-2026'" "dataset in lineage"
  expect_json "[d['allowed'] for d in j['versions'][0]['lineage']['decisions']] == [False, True]" "both decisions in lineage, oldest first"
  expect_json "j['versions'][0]['lineage']['deployments'][0]['alias'] == 'production'" "deployment in lineage"
  expect_json "len(j['versions'][0]['lineage']['model']['signatures']) == 1" "signature in lineage"

  # A version never changes its digest.
  run 2 "$engine: re-pointing a version is refused" -- "$BIN" registry add fraud 1.0.0 other-model --store "$store"
  expect_err "is already registered with digest sha256:"
  run 0 "$engine: the same digest again is a no-op" -- "$BIN" --format json registry add fraud 1.0.0 fraud-model --store "$store"
  expect_json "j['added'] is False" "not added twice"

  # A signed revocation withdraws an attestation.
  eval_id=$("$BIN" --format json registry show fraud@1.0.0 --store "$store" |
    python3 -c "import json,sys; print(json.load(sys.stdin)['versions'][0]['lineage']['evaluations'][0]['id'])")
  echo "{\"attestation\": \"$eval_id\", \"reason\": \"evaluated on the training set by mistake\"}" >revoke.json
  run 0 "$engine: revoke the evaluation" -- "$BIN" attest fraud@1.0.0 --type revocation --predicate revoke.json --key ci.key --store "$store"
  run 1 "$engine: revoked evaluation no longer counts" -- "$BIN" --format json gate fraud@1.0.0 --policy builtin \
    --trust trust.yaml --store "$store" --context prod.json
  rejected_has "revoked by 'ci': evaluated on the training set by mistake"
  deny_has "missing: no trusted evaluation"

  # Racing writers: every attestation lands; one version, one digest.
  mkdir -p race
  for i in $(seq 1 8); do
    echo "{\"metrics\": {\"accuracy\": 0.9$i}, \"dataset\": {\"digest\": {\"sha256\": \"$D1\"}}}" >race/eval$i.json
    mkdir -p race/m$i && printf "model $i" >race/m$i/w.bin
  done
  for i in $(seq 1 8); do
    "$BIN" -q attest fraud@1.0.0 --type evaluation --predicate race/eval$i.json --key ci.key --store "$store" &
  done
  wait
  run 0 "$engine: registry show after racing attests" -- "$BIN" --format json registry show fraud@1.0.0 --store "$store"
  expect_json "len(j['versions'][0]['lineage']['evaluations']) == 9" "8 racing attestations + 1 recorded"
  for i in $(seq 1 8); do
    (
      rc=0
      "$BIN" -q registry add racer 1.0 race/m$i --store "$store" >/dev/null 2>&1 || rc=$?
      echo $rc >race/rc$i
    ) &
  done
  wait
  checks=$((checks + 1))
  wins=$(cat race/rc* | grep -c '^0$' || true)
  refused=$(cat race/rc* | grep -c '^2$' || true)
  if [[ $wins -ne 1 || $refused -ne 7 ]]; then
    echo "FAIL  $engine: racing registry add: $wins succeeded, $refused refused (want 1 and 7): exits $(cat race/rc* | tr '\n' ' ')"
    failures=$((failures + 1))
  else
    echo "ok    $engine: 8 racing 'registry add racer 1.0' with different models: 1 registered, 7 refused"
  fi
  rm -rf race

  # Bad input.
  echo '{"metrics": {"accuracy": "high"}, "dataset": {"digest": {"sha256": "'$D1'"}}}' >bad_eval.json
  run 2 "$engine: malformed predicate names the JSON path" -- "$BIN" attest fraud-model --type evaluation \
    --predicate bad_eval.json --key ci.key --store "$store"
  expect_err "predicate/metrics/accuracy: expected a number"
  printf '{"approver": "\xff\xfe", "stage": "x", "approvedAt": "%s"}' "$NOW" >bad_utf8.json
  run 2 "$engine: invalid UTF-8 is refused" -- "$BIN" attest fraud-model --type approval --predicate bad_utf8.json \
    --key alice.key --store "$store"
  head -c 70000000 /dev/zero | tr '\0' 'a' >huge.json
  run 2 "$engine: huge bundle file is refused" -- "$BIN" gate fraud-model --policy builtin --trust trust.yaml \
    --store "$store" --no-record --attestations huge.json
  rm -f huge.json
  run 0 "$engine: SQL-looking names are data" -- "$BIN" registry add "x'); DROP TABLE registry;--" "1' OR '1'='1" \
    fraud-model --store "$store"
  run 0 "$engine: and read back as written" -- "$BIN" --format json registry list --store "$store"
  expect_json "any(v['name'] == \"x'); DROP TABLE registry;--\" and v['version'] == \"1' OR '1'='1\" for v in j)" "stored verbatim"
  printf 'keys:\n  - name: a\n    key: nope.pub\n' >bad_trust.yaml
  run 2 "$engine: trust file error names the line" -- "$BIN" trust check bad_trust.yaml
  expect_err "bad_trust.yaml:3: key: cannot read 'nope.pub'"
}

# --- log: attestations must be logged when the gate uses the log ----------
log_suite() {
  local store=$WORK/log.db
  run 0 "log: init" -- "$BIN" log init --store "$store" --origin custody.test/gate
  "$BIN" -q registry add fraud 1.0.0 fraud-model --key ci.key --store "$store"
  for a in "slsa-provenance prov.json ci" "evaluation eval.json ci" "bias bias.json ci" "vulns scan.json scanner" \
    "approval appr_alice.json alice" "approval appr_bob.json bob"; do
    set -- $a
    "$BIN" -q attest fraud@1.0.0 --type $1 --predicate $2 --key $3.key --store "$store" --log local
  done
  run 1 "log: the unlogged signature is rejected" -- "$BIN" --format json gate fraud@1.0.0 --policy builtin \
    --trust trust.yaml --store "$store" --context prod.json --log local
  rejected_has "it is not in the transparency log"
  python3 -c "
import base64, json; b = json.load(open('b/sig.json')); print(json.dumps(json.loads(base64.b64decode(b['dsseEnvelope']['payload']))['predicate']))" \
    >sig_predicate.json
  "$BIN" -q attest fraud@1.0.0 --type model-signature --predicate sig_predicate.json --key ci.key --store "$store" --log local
  run 0 "log: every attestation logged and proven: allow" -- env "$BIN" --format json gate fraud@1.0.0 --policy builtin \
    --trust trust.yaml --store "$store" --context prod.json --log local
  expect_json "all(a['logIndex'] is not None for a in j['attestations']) and j['logIndex'] is not None" "log indexes"
  local did dix
  did=$(json_field "j['id']")
  dix=$(json_field "j['logIndex']")
  printf 'sha256:%s\n' "$did" >decision.entry
  "$BIN" log prove-inclusion --index "$dix" --store "$store" >decision.proof
  run 0 "log: the signed decision is provably in the log" -- "$BIN" log verify --checkpoint decision.proof \
    --key "$("$BIN" log key --store "$store")" --proof decision.proof --entry decision.entry
}

suite "$WORK/custody.db" sqlite
log_suite
if [[ -n $pg_bin && -x $pg_bin/initdb ]]; then
  pg_start
  trap 'pg_stop; rm -rf "$WORK"' EXIT
  suite "$PG_URI" postgresql
else
  echo "SKIP  postgresql part: Debian's postgresql is not installed (scripts/bootstrap installs it)"
fi

echo "$checks checks, $failures failures"
[[ $failures -eq 0 ]]
