#!/usr/bin/env bash
# custody scan: exit codes, JSON, SARIF (validated against the SARIF 2.1.0
# schema), suppressions, baseline, --required-tags data, --fix.
set -euo pipefail
BIN=$1
source "$(dirname "$0")/lib.sh"
cd "$WORK"

mkdir pol
cat >pol/vpc.rego <<'REGO'
package serverless.guard

deny contains msg if {
  input.resource_type == "AWS::Lambda::Function"
  not input.properties.VpcConfig.SecurityGroupIds
  not input.tags["bypass-vpc-check"]
  msg := sprintf("Lambda function %s must run inside a VPC", [input.name])
}
REGO
cat >pol/tags.rego <<'REGO'
package user.tags

metadata := {"id": "USER_TAGS", "severity": "HIGH", "resource_types": ["AWS::Lambda::Function"],
  "fix": {"tags": {"owner": "TODO"}}}

deny contains {"msg": sprintf("%s has no %s tag", [input.name, k]), "path": ["Tags"]} if {
  some k in data.custody.scan.required_tags
  not input.tags[k]
}
REGO
cat >template.yaml <<'YAML'
Resources:
  # the API handler
  Handler:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      TracingConfig:
        Mode: PassThrough   # keep this comment
      Tags:
        - Key: team
          Value: ml
  Other:
    Type: AWS::Lambda::Function
    Metadata:
      custody:
        skip:
          - id: serverless.guard
            reason: runs outside a VPC by design
    Properties:
      Runtime: python3.12
      Handler: app.handler
YAML

run 0 "scan with a user policy, JSON" -- "$BIN" scan template.yaml --no-builtin --policy pol --format json
expect_eq "$(json_field "[f['line'] for f in j['findings'] if f['rule_id']=='serverless.guard' and not f['suppressed']]")" "[3]" "VPC finding on the handler's line"
expect_eq "$(json_field "[(f['resource'], f['suppression']['kind']) for f in j['findings'] if f['suppressed']]")" "[('Other', 'inSource')]" "Metadata suppression kept, marked"
expect_eq "$(json_field "j['summary']['findings']")" "1" "one unsuppressed finding without --required-tags"

run 0 "--required-tags reaches data.custody.scan.required_tags" -- "$BIN" scan template.yaml --no-builtin --policy pol --required-tags owner,team --format json
expect_eq "$(json_field "sorted((f['resource'], f['message'], f['line']) for f in j['findings'] if f['rule_id']=='USER_TAGS')")" \
  "[('Handler', 'Handler has no owner tag', 10), ('Other', 'Other has no owner tag', 20), ('Other', 'Other has no team tag', 20)]" "tag findings at Tags or Properties"

run 1 "--fail-on MEDIUM with a MEDIUM finding" -- "$BIN" scan template.yaml --no-builtin --policy pol --fail-on MEDIUM
expect_out "serverless.guard"
run 0 "--fail-on HIGH with only MEDIUM findings" -- "$BIN" scan template.yaml --no-builtin --policy pol --fail-on HIGH
run 1 "--fail-on HIGH with a HIGH tag finding" -- "$BIN" scan template.yaml --no-builtin --policy pol --required-tags owner --fail-on high
run 2 "bad --fail-on" -- "$BIN" scan template.yaml --fail-on SEVERE
expect_err "--fail-on 'SEVERE'"
run 2 "missing path" -- "$BIN" scan nowhere.yaml
expect_err "nowhere.yaml"
printf 'hello: world\n' >plain.yaml
run 2 "a named file that is not IaC" -- "$BIN" scan plain.yaml
printf 'Resources:\n  A: [unclosed\n' >broken.yaml
run 2 "a template that does not parse: exit 2, error names the file" -- "$BIN" scan broken.yaml --format json
expect_eq "$(json_field "'broken.yaml' in j['templates'][0]['error']")" "True" "load error reported"
mkdir bad-pol && printf 'package x\ndeny contains msg if {\n' >bad-pol/x.rego
run 2 "a policy that does not compile" -- "$BIN" scan template.yaml --policy bad-pol

# Baseline: accept today's findings, then nothing fails.
run 0 "write a baseline" -- "$BIN" scan template.yaml --no-builtin --policy pol --write-baseline base.json
run 0 "baseline suppresses (external)" -- "$BIN" scan template.yaml --no-builtin --policy pol --baseline base.json --fail-on LOW --format json
expect_eq "$(json_field "sorted(f['suppression']['kind'] for f in j['findings'])")" "['external', 'inSource']" "baseline finding is external"
echo '{"version": 1, "findings": ["xyz"]}' >bad-base.json
run 2 "malformed baseline" -- "$BIN" scan template.yaml --baseline bad-base.json
expect_err "bad-base.json"

# SARIF.
run 0 "SARIF output" -- "$BIN" scan template.yaml --policy pol --format sarif
cp "$WORK/stdout" out.sarif
expect_eq "$(json_field "j['version'], j['runs'][0]['results'][0]['locations'][0]['physicalLocation']['artifactLocation']['uri']")" "2.1.0 template.yaml" "relative URI"
expect_eq "$(json_field "all('security-severity' in r['properties'] and isinstance(r['properties']['checkov'], list) and isinstance(r['properties']['kics'], list) and r['help']['text'] for r in j['runs'][0]['tool']['driver']['rules'])")" "True" "rules carry security-severity, checkov, kics, help"
expect_eq "$(json_field "all(r['partialFingerprints'] and r['locations'][0]['physicalLocation']['region']['startLine'] >= 1 for r in j['runs'][0]['results'])")" "True" "results carry fingerprints and lines"
expect_eq "$(json_field "[s['kind'] for r in j['runs'][0]['results'] for s in r.get('suppressions', [])]")" "['inSource']" "suppressed result"
schema=${CUSTODY_PEER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/custody-peers}/npm/sarif/sarif-2.1.0-rtm.5.json
if [[ -f $schema ]] && python3 -c 'import jsonschema' 2>/dev/null; then
  checks=$((checks + 1))
  if python3 - "$schema" out.sarif <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft4Validator(schema).validate(json.load(open(sys.argv[2])))
PY
  then echo "ok    SARIF validates against the SARIF 2.1.0 schema"; else echo "FAIL  SARIF does not validate"; failures=$((failures + 1)); fi
else
  echo "skip  SARIF schema check: run scripts/npm-peers (schema) and install python3-jsonschema"
fi

# Fixes: dry run prints a diff and writes nothing; --fix edits only what it must.
cp template.yaml before.yaml
run 0 "--fix --dry-run prints a diff" -- "$BIN" scan template.yaml --no-builtin --policy pol --required-tags owner --fix --dry-run
expect_out "+        - Key: owner"
cmp -s template.yaml before.yaml && echo "ok    dry run wrote nothing" || { echo "FAIL  dry run changed the file"; failures=$((failures + 1)); }
run 0 "--fix writes the tags" -- "$BIN" scan template.yaml --no-builtin --policy pol --required-tags owner --fix
run 0 "rescan after --fix: no tag finding left" -- "$BIN" scan template.yaml --no-builtin --policy pol --required-tags owner --fail-on HIGH
removed=$(diff before.yaml template.yaml | grep -c '^<' || true)
expect_eq "$removed" "0" "no original line changed or removed"
grep -q "Mode: PassThrough   # keep this comment" template.yaml && echo "ok    comment kept" || { echo "FAIL  comment lost"; failures=$((failures + 1)); }

# Built-in fix on a JSON template (tracing) if the built-in pack has one.
cat >fn.json <<'JSON'
{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Runtime": "python3.12",
        "TracingConfig": {"Mode": "PassThrough"}
      }
    }
  }
}
JSON
run 0 "JSON template fix keeps JSON" -- "$BIN" scan fn.json --fix
python3 -c 'import json,sys; d=json.load(open("fn.json")); assert d["Resources"]["Fn"]["Properties"]["TracingConfig"]["Mode"]=="Active", d' \
  && echo "ok    JSON fixed and still JSON" || { echo "FAIL  JSON fix"; failures=$((failures + 1)); }
finish
