#!/usr/bin/env bash
# Runs OPA's whole YAML conformance suite (../shared/conformance/rego-opa) through
# `custody policy conformance` and fails when the number of passing cases falls
# below the floor recorded in conformance_passing.txt, or when a folder listed
# there as fully passing has a failure. Skips (77) when ../shared is absent.
set -euo pipefail
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
SUITE=${CUSTODY_SHARED:-$HERE/../../../shared}/conformance/rego-opa
if [[ ! -d $SUITE ]]; then
  echo "skip: $SUITE is absent (the conformance cases live in ../shared)"
  exit 77
fi
RECORD=$HERE/conformance_passing.txt
floor=$(grep -m1 '^passed ' "$RECORD" | awk '{print $2}')
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
"$BIN" --format json policy conformance "$SUITE" > "$out" || status=$?
if [[ $status -ne 0 && $status -ne 1 ]]; then
  echo "custody policy conformance exited $status"
  cat "$out"
  exit 1
fi
/usr/bin/python3 - "$out" "$RECORD" "$floor" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
record = open(sys.argv[2]).read().split("\n")
floor = int(sys.argv[3])
folders = [l.strip() for l in record if l.strip() and not l.startswith(("#", "passed "))]
bad = []
for f in folders:
    c = report["folders"].get(f)
    if c is None or c["failed"] != 0:
        bad.append(f)
total = report["passed"] + report["failed"]
for f, c in sorted(report["folders"].items()):
    print(f"{f}: {c['passed']}/{c['passed'] + c['failed']}" + (f" ({c['skipped']} skipped)" if c["skipped"] else ""))
for s in report["skips"]:
    print(f"skipped: {s['folder']}: {s['note']}: {s['reason']}")
print(f"{report['passed']} passed, {report['failed']} failed, {report['skipped']} skipped (floor {floor})")
if report["passed"] < floor:
    print(f"FAIL: {report['passed']} cases pass, fewer than the {floor} recorded in conformance_passing.txt")
    sys.exit(1)
if bad:
    print("FAIL: folders recorded as fully passing now fail: " + ", ".join(bad))
    for c in report["failures"]:
        if c["folder"] in bad:
            print(f"  {c['folder']}: {c['note']}: {c['reason'][:300]}")
    sys.exit(1)
PY
