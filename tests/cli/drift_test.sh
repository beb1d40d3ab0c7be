#!/usr/bin/env bash
# custody drift: exit codes, the table and JSON, the HTML report, and errors
# that name the file, the row and the column.
set -eu
BIN=$1
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# Twelve rows each: x shifts by 100 in the current data, y does not change.
{
  echo "id,x,y,color"
  for i in $(seq 1 12); do echo "$i,$((i * 3)).5,$((i % 4)).25,$([[ $((i % 2)) -eq 0 ]] && echo red || echo blue)"; done
} >ref.csv
{
  echo "id,x,y,color"
  for i in $(seq 1 12); do echo "$i,$((i * 3 + 100)).5,$((i % 4)).25,$([[ $((i % 2)) -eq 0 ]] && echo red || echo blue)"; done
} >cur.csv

run 0 "drift is computed: exit 0 even when columns drifted" -- "$BIN" drift --reference ref.csv --current cur.csv
expect_out "column"
expect_out "1 of 4 columns drifted (share 0.25 < 0.5): data set not drifted"
run 0 "JSON: data set drift, share and per-column statistics" -- \
  "$BIN" --format json drift --reference ref.csv --current cur.csv
expect_eq "$(json_field '(j["dataset_drift"], j["share"])')" "(False, 0.25)" "data set drift"
expect_eq "$(json_field '[(c["column"], c["method"], c["drifted"]) for c in j["columns"]]')" \
  "[('id', 'ks', False), ('x', 'ks', True), ('y', 'chisquare', False), ('color', 'z', False)]" "columns"
# Fully separated samples of 12 and 12: D = 1, p = 2 / C(24, 12).
expect_eq "$(json_field '(j["columns"][1]["stats"]["ks_statistic"], abs(j["columns"][1]["stats"]["ks_pvalue"] - 2/2704156) < 1e-15)')" \
  "(1.0, True)" "KS of separated samples"
expect_eq "$(json_field 'sorted(j["columns"][3]["stats"])')" "['chisquare_pvalue', 'jensenshannon', 'psi', 'z_pvalue']" "categorical stats"

run 1 "--fail-on-drift exits 1 when the data set drifted" -- \
  "$BIN" drift --reference ref.csv --current cur.csv --share 0.25 --fail-on-drift
expect_out "data set drifted"
run 0 "--fail-on-drift exits 0 when it did not" -- \
  "$BIN" drift --reference ref.csv --current cur.csv --fail-on-drift
run 0 "--columns, --method and --threshold per column" -- \
  "$BIN" --format json drift --reference ref.csv --current cur.csv --columns x,y --method y=psi --threshold y=0.0
expect_eq "$(json_field '[(c["column"], c["method"], c["threshold"], c["drifted"]) for c in j["columns"]]')" \
  "[('x', 'ks', 0.05, True), ('y', 'psi', 0.0, True)]" "overrides"
run 0 "--exclude and the HTML report" -- \
  "$BIN" drift --reference ref.csv --current cur.csv --exclude id,color --report report.html
expect_out "report: report.html"
checks=$((checks + 1))
if grep -q "<svg" report.html && grep -q ">x</h2>" report.html && ! grep -Eq "<script|https?://[a-z]" report.html; then
  echo "ok    the report has a chart per column and loads nothing from elsewhere"
else
  echo "FAIL  report.html: missing charts or external references"
  failures=$((failures + 1))
fi

# Bad input: exit 2 with one line naming what is wrong.
echo "id,x,y" >short.csv
echo "1,2,3" >>short.csv
run 2 "a column missing from one side" -- "$BIN" drift --reference ref.csv --current short.csv
expect_err "column 'color' is in ref.csv but not in short.csv"
run 2 "an unknown column in --columns" -- "$BIN" drift --reference ref.csv --current cur.csv --columns nope
expect_err "column 'nope' (from --columns) is in neither"
sed 's/^5,\(.*\),red$/5,\1,red/; s/^7,[^,]*,/7,seven,/' cur.csv >text.csv
run 2 "numeric in one file, text in the other" -- "$BIN" drift --reference ref.csv --current text.csv
expect_err "column 'x' is numeric in ref.csv but text in text.csv (row 7: 'seven')"
{ echo "id,x,y,color"; for i in 1 2 3; do echo "$i,,1,red"; done; } >empty.csv
run 2 "a column with no values" -- "$BIN" drift --reference ref.csv --current empty.csv
expect_err "column 'x' of empty.csv has no values (all 3 rows are missing)"
printf 'id,x,y,color\n1,2,3\n' >ragged.csv
run 2 "a malformed CSV names the file and line" -- "$BIN" drift --reference ref.csv --current ragged.csv
expect_err "ragged.csv"
run 2 "a missing file" -- "$BIN" drift --reference ref.csv --current nothere.csv
expect_err "nothere.csv"
run 2 "an unknown method" -- "$BIN" drift --reference ref.csv --current cur.csv --method x=magic
expect_err "unknown drift method 'magic'"
run 2 "a method that needs numbers on text" -- "$BIN" drift --reference ref.csv --current cur.csv --method color=ks
expect_err "column 'color' holds text"
run 2 "a bad threshold" -- "$BIN" drift --reference ref.csv --current cur.csv --threshold x=-1
expect_err "non-negative number"
run 2 "a bad --share" -- "$BIN" drift --reference ref.csv --current cur.csv --share 0
expect_err "--share"
run 2 "JSON mode reports errors as JSON too" -- "$BIN" --format json drift --reference ref.csv --current short.csv
expect_eq "$(json_field '(j["ok"], j["error"]["kind"])')" "(False, 'input')" "JSON error"

# --attest: the result signed as a drift attestation, recorded in the store.
export CUSTODY_HOME="$WORK/home"
"$BIN" key generate --type ed25519 --out monitor >/dev/null 2>&1
run 0 "--attest signs the result as a drift attestation about the current file" -- \
  "$BIN" --format json drift --reference ref.csv --current cur.csv --share 0.25 --attest --key monitor.key \
  --attestation-out drift.sigstore.json
expect_eq "$(json_field '(j["dataset_drift"], j["attestation"]["type"], j["attestation"]["subject"]["name"], j["attestation"]["store"] is not None)')" \
  "(True, 'drift', 'cur.csv', True)" "attestation summary"
expect_eq "$(json_field 'j["attestation"]["subject"]["digest"]["sha256"]')" "$(sha256sum cur.csv | cut -d' ' -f1)" \
  "the subject is the current file's SHA-256"
run 0 "the bundle verifies and carries the result" -- \
  "$BIN" --format json attest --verify drift.sigstore.json --key monitor.pub
expect_eq "$(json_field '(j["type"], j["predicate"]["dataset_drift"], j["predicate"]["drifted_columns"], j["predicate"]["number_of_columns"], [c["column"] for c in j["predicate"]["columns"] if c["drifted"]])')" \
  "('drift', True, 1, 4, ['x'])" "predicate result"
expect_eq "$(json_field '(j["predicate"]["reference"]["digest"]["sha256"], j["predicate"]["reference"]["rows"], j["predicate"]["current"]["rows"])')" \
  "('$(sha256sum ref.csv | cut -d' ' -f1)', 12, 12)" "the data sets by digest"
expect_eq "$(json_field '"read_seconds" in j["predicate"] or "drift_seconds" in j["predicate"]')" "False" \
  "timings stay out of the signed predicate"
run 0 "--subject names a model digest instead" -- \
  "$BIN" --format json drift --reference ref.csv --current cur.csv --attest --key monitor.key --no-store \
  --subject sha256:$(printf 'ab%.0s' $(seq 32)) --name fraud
expect_eq "$(json_field '(j["attestation"]["subject"]["name"], j["attestation"]["subject"]["digest"]["sha256"][:4], j["attestation"]["store"])')" \
  "('fraud', 'abab', None)" "subject override"
run 0 "--attestation-out - prints the bundle alone" -- \
  "$BIN" -q drift --reference ref.csv --current cur.csv --attest --key monitor.key --no-store --attestation-out -
expect_eq "$(json_field 'j["mediaType"]')" "application/vnd.dev.sigstore.bundle.v0.3+json" "bundle on stdout"
run 2 "--attest without --key" -- "$BIN" drift --reference ref.csv --current cur.csv --attest
expect_err "--attest needs --key"
run 2 "--key without --attest" -- "$BIN" drift --reference ref.csv --current cur.csv --key monitor.key
expect_err "go with --attest"
run 2 "--attest with data on stdin" -- sh -c "'$BIN' drift --reference ref.csv --current - --attest --key monitor.key <cur.csv"
expect_err "give files, not '-'"
run 2 "--attest with a public key" -- "$BIN" drift --reference ref.csv --current cur.csv --attest --key monitor.pub
expect_err "monitor.pub"
printf 'x\240,c\n1,a\n2,b\n3,c\n' >latin1.csv
run 2 "--attest on a column name that is not UTF-8: an input error, nothing signed" -- \
  "$BIN" drift --reference latin1.csv --current latin1.csv --attest --key monitor.key --attestation-out never.json
expect_err "not valid UTF-8"
expect_eq "$([[ -e never.json ]] && echo written || echo absent)" "absent" "no bundle written"
run 2 "--attest about an unknown subject" -- \
  "$BIN" drift --reference ref.csv --current cur.csv --attest --key monitor.key --subject nothere@1.0
expect_err "nothere@1.0"

finish
