#!/usr/bin/env bash
# custody policy: the policies users copy run as written, errors say where and
# what, and exit codes follow `opa eval`.
set -eu
BIN=$1
source "$(dirname "$0")/lib.sh"
cd "$WORK"

mkdir admission
cat >admission/policy.rego <<'REGO'
package model.attestation.policy
deny[msg] {
  input.request.kind.kind == "Deployment"
  model_name := input.request.object.metadata.labels["ai.model.name"]
  not data.attestations[model_name].signed_by_trusted_authority
  msg := sprintf("Deployment of AI model %v denied: no valid attestation", [model_name])
}
stale[model] {
  some model
  scan := data.scans[model]
  time.now_ns() - scan.last_scan_timestamp > 86400000000000
}
REGO
now=$(date +%s%N)
cat >admission/data.json <<JSON
{"attestations": {"good": {"signed_by_trusted_authority": true}},
 "scans": {"good": {"last_scan_timestamp": $now}, "old": {"last_scan_timestamp": 1000}}}
JSON
review() { printf '{"request":{"kind":{"kind":"Deployment"},"object":{"metadata":{"labels":{"ai.model.name":"%s"}}}}}' "$1"; }
review bad >bad.json
review good >good.json

run 0 "the published admission policy (v0) denies an unattested model" -- \
  "$BIN" --format json policy eval -d admission -i bad.json data.model.attestation.policy.deny
expect_eq "$(json_field 'j["result"][0]["expressions"][0]["value"]')" \
  "['Deployment of AI model bad denied: no valid attestation']" "deny message"
expect_err "parsed as Rego v0"
run 0 "and admits an attested one (deny is empty)" -- \
  "$BIN" --format json policy eval -d admission -i good.json data.model.attestation.policy.deny
expect_eq "$(json_field 'j["result"][0]["expressions"][0]["value"]')" "[]" "empty deny"
run 0 "the staleness rule with time.now_ns() flags only the old scan" -- \
  "$BIN" --format json policy eval -d admission data.model.attestation.policy.stale
expect_eq "$(json_field 'j["result"][0]["expressions"][0]["value"]')" "['old']" "stale scans"
run 0 "bindings are printed for a query with variables" -- \
  "$BIN" policy eval -d admission -i bad.json 'x := data.model.attestation.policy.deny'
expect_out 'x = ['
run 1 "--fail exits 1 on an undefined result" -- \
  "$BIN" policy eval -d admission --fail data.model.attestation.policy.nothing
run 1 "--fail-defined exits 1 on a defined result" -- \
  "$BIN" policy eval -d admission -i bad.json --fail-defined data.model.attestation.policy.deny

mkdir lambda
cat >lambda/guard.rego <<'REGO'
package serverless.guard
deny contains msg if {
  input.resource_type == "AWS::Lambda::Function"
  not input.properties.VpcConfig.SecurityGroupIds
  not input.tags["bypass-vpc-check"]
  msg := sprintf("Lambda function %s must run inside a VPC", [input.name])
}
REGO
echo '{"resource_type": "AWS::Lambda::Function", "name": "ingest", "properties": {}, "tags": {}}' >fn.json
run 0 "a Rego v1 guard for Lambda functions" -- "$BIN" --format json policy eval -d lambda -i fn.json data.serverless.guard.deny
expect_eq "$(json_field 'j["result"][0]["expressions"][0]["value"]')" "['Lambda function ingest must run inside a VPC']" "v1 deny"

mkdir plus
cat >plus/p.rego <<'REGO'
package p
msg := "Lambda '" + input.name + "' is public"
REGO
run 2 "string + is a type error that names concat and sprintf" -- "$BIN" policy check plus
expect_err "rego_type_error"
expect_err "concat"

mkdir broken
printf 'package x\np := "unterminated\n' >broken/b.rego
run 2 "an unterminated string is a parse error with file:line:col" -- "$BIN" policy check broken
expect_err "broken/b.rego:2:6: rego_parse_error"

mkdir unsafe
printf 'package x\np if { y > 1 }\n' >unsafe/u.rego
run 2 "an unsafe variable is named" -- "$BIN" policy check unsafe
expect_err "rego_unsafe_var_error: var y is unsafe"

mkdir recursive
printf 'package x\np if q\nq if p\n' >recursive/r.rego
run 2 "mutual recursion between rules is an error, not a hang" -- "$BIN" policy eval -d recursive data.x.p
expect_err "recursive"

mkdir tests
cat >tests/t.rego <<'REGO'
package t
allow if input.user == "alice"
test_alice if allow with input as {"user": "alice"}
test_bob_denied if not allow with input as {"user": "bob"}
test_wrong if allow with input as {"user": "bob"}
REGO
run 1 "policy test runs test_ rules and reports N passed, M failed" -- "$BIN" policy test tests
expect_out "data.t.test_alice: "
expect_out "2 passed, 1 failed"

run 0 "policy bench reports opa bench's figures" -- \
  "$BIN" --format json policy bench -d admission -i bad.json --count 200 data.model.attestation.policy.deny
expect_eq "$(json_field 'j["iterations"] == 200 and j["median_ns"] > 0 and j["p99_ns"] >= j["p90_ns"] >= j["median_ns"] and (j["allocs_per_op"] > 0 if j["allocs_counted"] else j["allocs_per_op"] is None) and j["defined"]')" \
  "True" "bench fields"

mkdir -p bundle/roles
echo '{"roots": ["authz", "roles"]}' >bundle/.manifest
printf 'package authz\nallow if input.role in data.roles.admins\n' >bundle/authz.rego
echo '{"admins": ["root", "ops"]}' >bundle/roles/data.json
tar -czf bundle.tar.gz -C bundle .
echo '{"role": "ops"}' >ops.json
run 0 "an OPA bundle archive (-b .tar.gz) loads its policy and data at their paths" -- \
  "$BIN" --format json policy eval -b bundle.tar.gz -i ops.json data.authz.allow
expect_eq "$(json_field 'j["result"][0]["expressions"][0]["value"]')" "True" "bundle allow"
run 0 "the same bundle as a directory" -- "$BIN" --format json policy eval -b bundle -i ops.json data.authz.allow
expect_eq "$(json_field 'j["result"][0]["expressions"][0]["value"]')" "True" "bundle dir allow"
head -c 100 /dev/urandom >broken.tar.gz
run 2 "a corrupt bundle archive is an input error" -- "$BIN" policy eval -b broken.tar.gz data.x
expect_err "broken.tar.gz"

run 2 "a missing -d path is an input error" -- "$BIN" policy eval -d nowhere data.x
expect_err "nowhere: no such file or directory"
finish
