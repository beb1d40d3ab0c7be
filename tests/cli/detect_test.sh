#!/usr/bin/env bash
# custody detect outliers: scores in input order, the planted outliers and
# flipped labels found, saved models reused, exit codes 0 / 1 with
# --fail-on-flagged / 2 for bad input, and errors that say where.
set -eu
BIN=$1
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# 300 rows on a grid-like cloud in two clusters (label a / b), a categorical
# column, and two planted outliers far away (rows 101 and 202).
python3 - <<'PY'
import random
random.seed(5)
with open("train.csv", "w") as f:
    f.write("id,x,y,colour,label\n")
    for i in range(1, 301):
        cls = "a" if i <= 150 else "b"
        cx = 0 if cls == "a" else 6
        x, y = cx + random.gauss(0, 1), cx + random.gauss(0, 1)
        if i in (101, 202):
            x, y = 40 + i / 100, -40
        f.write(f"{i},{x:.6f},{y:.6f},{random.choice(['red', 'blue'])},{cls}\n")
# The same clusters without the planted outliers, and a copy where rows 10
# and 20 of cluster a claim label b.
with open("train.csv") as src, open("labels.csv", "w") as clean, open("flipped.csv", "w") as out:
    for n, line in enumerate(src):
        if n in (101, 202):
            continue
        clean.write(line)
        if n in (10, 20):
            line = line.replace(",a\n", ",b\n")
        out.write(line)
with open("reference.csv", "w") as f:
    f.write("label\n" + "a\n" * 280 + "b\n" * 20)
PY

run 0 "scores every row in input order; the planted outliers score highest" -- \
  "$BIN" detect outliers train.csv --exclude id --exclude label --scores scores.csv --seed 3
expect_eq "$(head -1 scores.csv)" "row,score" "scores header"
expect_eq "$(tail -n +2 scores.csv | wc -l | tr -d ' ')" "300" "one score per data row"
expect_eq "$(tail -n +2 scores.csv | cut -d, -f1 | tr '\n' ' ' | cut -c1-10)" "1 2 3 4 5 " "rows in input order"
expect_eq "$(tail -n +2 scores.csv | sort -t, -k2 -g -r | head -2 | cut -d, -f1 | sort -n | tr '\n' ' ')" "101 202 " \
  "planted outliers on top"
expect_out "300 rows, 2 features"
expect_out "flagged"
expect_err "categorical columns are not features of the isolation forest: colour"

run 0 "the same seed gives the same scores (on one thread too)" -- \
  "$BIN" --threads 1 detect outliers train.csv --exclude id --exclude label --scores again.csv --seed 3
expect_eq "$(cmp -s scores.csv again.csv && echo same)" "same" "same scores"

run 0 "JSON report: summary and top candidates" -- \
  "$BIN" --format json detect outliers train.csv --columns x --columns y --seed 3 --top 2 --model-out forest.json
expect_eq "$(json_field 'j["rows"], j["features"], j["model"]["trees"], j["threshold"]')" "300 ['x', 'y'] 100 0.5" "summary"
expect_eq "$(json_field 'sorted(t["row"] for t in j["top"])')" "[101, 202]" "top rows"
expect_eq "$(json_field 'j["flagged"] >= 2 and j["top"][0]["flagged"]')" "True" "outliers flagged"

run 0 "a saved model scores new data as the fitted one did" -- \
  "$BIN" detect outliers train.csv --columns x --columns y --model forest.json --scores reloaded.csv
run 0 "fitting again with the seed" -- "$BIN" detect outliers train.csv --columns x --columns y --seed 3 --scores fitted.csv
expect_eq "$(cmp -s reloaded.csv fitted.csv && echo same)" "same" "reloaded model scores"

run 1 "--fail-on-flagged exits 1 when rows are flagged" -- \
  "$BIN" detect outliers train.csv --columns x --columns y --fail-on-flagged
run 0 "a contamination fraction sets the threshold from the training scores" -- \
  "$BIN" --format json detect outliers train.csv --columns x --columns y --contamination 0.01
expect_eq "$(json_field 'j["flagged"]')" "3" "1% of 300 rows flagged"

run 0 "flipped labels are found by their neighbours" -- \
  "$BIN" --format json detect outliers flipped.csv --exclude id --label-column label
expect_eq "$(json_field 'sorted(t["row"] for t in j["labels"]["top"])')" "[10, 20]" "flipped rows"
expect_eq "$(json_field 'j["labels"]["top"][0]["label"], j["labels"]["top"][0]["neighbors_majority"]')" "b a" "labels"
run 0 "clean labels: no disagreement" -- \
  "$BIN" --format json detect outliers labels.csv --exclude id --label-column label
expect_eq "$(json_field 'j["labels"]["disagreements"]')" "0" "no label flags"

run 0 "a shifted label distribution against a reference" -- \
  "$BIN" --format json detect outliers train.csv --exclude id --label-column label --reference reference.csv
expect_eq "$(json_field 'j["labels"]["shift"]["shifted"], j["labels"]["shift"]["counts"]["b"]["reference"], j["labels"]["shift"]["counts"]["b"]["current"]')" \
  "True 20 150" "label shift"
run 0 "text report names the shift" -- \
  "$BIN" detect outliers train.csv --exclude id --label-column label --reference reference.csv
expect_out "label distribution shifted against reference.csv"

# Bad input: exit 2 and one line that says what and where.
printf 'x,y\n1,2\n3\n' >ragged.csv
run 2 "a ragged row names its line" -- "$BIN" detect outliers ragged.csv
expect_err "ragged.csv: line 3 has 1 field, the header has 2"
printf 'x,y\n1,2\n,4\n' >missing.csv
run 2 "a missing feature value names the column and its first row" -- "$BIN" detect outliers missing.csv
expect_err "missing.csv: column 'x' has 1 missing value (the first in row 2); give --missing median"
printf 'x,y\n1,2\n,4\n5,6\n2,8\n' >gaps.csv
run 0 "--missing median fills a gap with the column's median" -- \
  "$BIN" --format json detect outliers gaps.csv --missing median --model-out gaps.json
expect_eq "$(json_field 'j["filled_missing"]')" "1" "one value filled"
printf 'x,y\n1,2\n2,4\n5,6\n2,8\n' >filled.csv
run 0 "the gap filled, scored with the saved model" -- \
  "$BIN" detect outliers gaps.csv --missing median --model gaps.json --scores gaps-scores.csv
run 0 "the median written in by hand, scored with the saved model" -- \
  "$BIN" detect outliers filled.csv --model gaps.json --scores filled-scores.csv
expect_eq "$(cmp -s gaps-scores.csv filled-scores.csv && echo same)" "same" "median of 1, 5, 2 is 2"
printf 'x,y\n1,\n2,\n' >allgone.csv
run 2 "a column with no values cannot be filled" -- "$BIN" detect outliers allgone.csv --missing median
expect_err "column 'y' has 2 missing values (the first in row 1) and no value to take a median of"
printf 'x,y\n1,2\n3,inf\n' >inf.csv
run 2 "an infinite value names row and column" -- "$BIN" detect outliers inf.csv
expect_err "row 2, column 'y': infinite value"
: >empty.csv
run 2 "an empty file" -- "$BIN" detect outliers empty.csv
expect_err "empty.csv is empty"
run 2 "an unknown column" -- "$BIN" detect outliers train.csv --exclude nosuch
expect_err "no column 'nosuch'"
printf 'name\nfoo\nbar\n' >text.csv
run 2 "no numeric features" -- "$BIN" detect outliers text.csv
expect_err "no numeric feature columns"
run 2 "a bad contamination" -- "$BIN" detect outliers train.csv --contamination 0.9
expect_err "--contamination must be 'auto' or a fraction in (0, 0.5]"
run 2 "a model for other features" -- "$BIN" detect outliers train.csv --exclude label --model forest.json
expect_err "forest.json was fitted on the features x,y"
echo '{"format": "custody.isolation-forest/v1"}' >broken.json
run 2 "a broken model file" -- "$BIN" detect outliers train.csv --columns x --columns y --model broken.json
expect_err "broken.json"
run 2 "--reference needs --label-column" -- "$BIN" detect outliers train.csv --reference reference.csv
expect_err "give --label-column too"
run 0 "standard input" -- bash -c "\"$BIN\" --quiet detect outliers - --columns x --columns y --scores - <train.csv"
expect_out "row,score"

run 0 "--report writes the score distribution as a self-contained page" -- \
  "$BIN" --format json detect outliers train.csv --exclude id --exclude label --seed 3 --report screen.html
flagged=$(json_field 'j["flagged"]')
expect_eq "$(grep -c '<g><title>' screen.html)" "40" "40 score bins"
expect_eq "$(grep -o '<strong>[0-9]* rows flagged' screen.html)" "<strong>$flagged rows flagged" "flagged count as in JSON"
expect_eq "$(grep -c -E 'src=|href="http|<script' screen.html)" "0" "no scripts or external resources"
expect_eq "$(grep -c '<td>101</td>' screen.html)" "1" "a planted outlier among the top rows"

# --attest: the findings signed as a dataset-screen attestation about the data file.
export CUSTODY_HOME="$WORK/home"
"$BIN" key generate --type ed25519 --out screen >/dev/null 2>&1
run 0 "--attest signs a dataset-screen attestation" -- \
  "$BIN" --format json detect outliers flipped.csv --exclude id --label-column label --reference reference.csv \
  --attest --key screen.key --attestation-out screen.sigstore.json
expect_eq "$(json_field '(j["attestation"]["type"], j["attestation"]["subject"]["name"], j["attestation"]["subject"]["digest"]["sha256"])')" \
  "('dataset-screen', 'flipped.csv', '$(sha256sum flipped.csv | cut -d' ' -f1)')" "subject is the data file"
run 0 "the screen bundle verifies and carries the findings" -- \
  "$BIN" --format json attest --verify screen.sigstore.json --key screen.pub
expect_eq "$(json_field '(j["predicate"]["method"], j["predicate"]["rows"], j["predicate"]["label_flips"]["count"], sorted(j["predicate"]["label_flips"]["rows"]), j["predicate"]["label_shift"]["shifted"])')" \
  "('isolation-forest', 298, 2, [10, 20], True)" "findings (298 rows: the planted outliers are left out)"
expect_eq "$(json_field '(j["predicate"]["dataset"]["digest"]["sha256"] == j["subject"][0]["digest"]["sha256"], j["predicate"]["label_shift"]["reference"]["digest"]["sha256"])')" \
  "(True, '$(sha256sum reference.csv | cut -d' ' -f1)')" "data sets by digest"
run 2 "--attest without --key" -- "$BIN" detect outliers train.csv --exclude id --attest
expect_err "--attest needs --key"
run 2 "--attest on standard input" -- bash -c "\"$BIN\" detect outliers - --columns x --attest --key screen.key <train.csv"
expect_err "give a file, not '-'"
run 2 "--log without --attest" -- "$BIN" detect outliers train.csv --exclude id --log local
expect_err "go with --attest"

finish
