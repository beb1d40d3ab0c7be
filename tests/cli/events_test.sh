#!/usr/bin/env bash
# custody detect events / detect feedback: a week of generated CloudTrail
# activity with three injected attacks (stolen credentials at 03:10 from a new
# address, a burst of AccessDenied, StopLogging) ranks the attacks on top
# (ROC AUC against the labels); benign feedback lowers its pattern on the next
# run; bad input exits 2 naming the file and line.
set -eu
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
cd "$WORK"
export CUSTODY_HOME="$WORK/home"
STORE="$WORK/feedback.db"

python3 "$HERE/events_gen.py" events.jsonl labels.csv
total=$(($(wc -l <labels.csv) - 1))

run 0 "--help teaches the input, the exit codes and examples" -- "$BIN" detect events --help
expect_out "CloudTrail record"
expect_out "Exit status"
expect_out "Examples"

run 0 "scores every event with reasons; the injected attacks lead the table" -- \
  "$BIN" detect events events.jsonl --store "$STORE" --scores scores.csv --top 25
expect_out "$total events from 6 callers"
expect_out "new source IP 203.0.113.9 for this caller"
expect_out "failures in 1h"
expect_eq "$(head -1 scores.csv)" "id,risk" "scores header"
expect_eq "$(($(wc -l <scores.csv) - 1))" "$total" "one score per event"
expect_eq "$(sed -n 2p scores.csv | cut -d, -f1)" "$(sed -n 2p labels.csv | cut -d, -f1)" "scores in input order"

# Ranking quality against the labels: every injected event in the top 25,
# and the ROC AUC (ties count half).
quality() {
  python3 - "$1" <<'PY'
import csv, sys
labels = {r["id"]: int(r["label"]) for r in csv.DictReader(open("labels.csv"))}
rows = [(float(r["risk"]), labels[r["id"]]) for r in csv.DictReader(open(sys.argv[1]))]
pos = [s for s, l in rows if l]
neg = [s for s, l in rows if not l]
auc = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))
order = sorted(rows, key=lambda r: -r[0])
top = sum(l for _, l in order[:25])
print(f"{len(pos)} {top} {auc:.4f}")
PY
}
read -r positives in_top auc <<<"$(quality scores.csv)"
echo "      injected $positives, in the top 25: $in_top, ROC AUC $auc"
expect_eq "$positives" "19" "injected events"
expect_eq "$in_top" "19" "every injected event in the top 25"
expect_eq "$(python3 -c "print($auc >= 0.95)")" "True" "ROC AUC >= 0.95 (got $auc)"

run 0 "the same seed gives the same risks on one thread" -- \
  "$BIN" --threads 1 detect events events.jsonl --store "$STORE" --scores again.csv
expect_eq "$(cmp -s scores.csv again.csv && echo same)" "same" "deterministic"

run 0 "standard input" -- bash -c "cat events.jsonl | '$BIN' detect events - --no-feedback --scores stdin.csv"
expect_eq "$(cmp -s scores.csv stdin.csv && echo same)" "same" "stdin scores"

run 0 "JSON: summary, top, and every event with features and reasons" -- \
  "$BIN" --format json detect events events.jsonl --store "$STORE" --top 3
expect_eq "$(json_field 'j["events"], len(j["events_scored"]), len(j["top"]), j["window"], j["warmup"]')" \
  "$total $total 3 1h 10" "summary"
expect_eq "$(json_field 'sorted(j["events_scored"][0]["features"]) == sorted(["window_events","typical_events","rate_ratio","warmup","new_action","new_ip","new_agent","new_caller","hour_share","earlier_events","failed","window_failures","sensitive"])')" \
  "True" "features of an event"
night=$(json_field '[e["id"] for e in j["events_scored"] if e["source_ip"] == "203.0.113.9" and e["action"] == "s3:ListBuckets"][0]')
expect_eq "$(json_field "[e for e in j['events_scored'] if e['id'] == '$night'][0]['risk'] >= 0.5")" "True" "night login risky"
expect_eq "$(json_field "sorted(r['kind'] for r in [e for e in j['events_scored'] if e['id'] == '$night'][0]['reasons'])")" \
  "['new_agent', 'new_ip', 'unusual_combination', 'unusual_hour']" "its reasons"
expect_eq "$(json_field "[r['text'] for e in j['events_scored'] if e['action'] == 'cloudtrail:StopLogging' for r in e['reasons']][0]")" \
  "sensitive action cloudtrail:StopLogging" "StopLogging reason"
before=$(grep "^$night," scores.csv | cut -d, -f2)

run 1 "--fail-on-risk exits 1 when an event reaches it" -- \
  "$BIN" detect events events.jsonl --store "$STORE" --fail-on-risk 0.5 --top 0
expect_out "at or above --fail-on-risk 0.5"
printf '{"id":"q1","caller":"c","action":"s3:GetObject","time":"2026-01-05T10:00:00Z"}\n' >quiet.jsonl
run 0 "--fail-on-risk passes a quiet log" -- "$BIN" detect events quiet.jsonl --store "$STORE" --fail-on-risk 0.5

# Feedback: the night login was the on-call engineer.
run 0 "benign feedback records the event's pattern" -- \
  "$BIN" detect feedback "$night" --benign --events events.jsonl --store "$STORE" --note "on call from a hotel"
expect_out "recorded benign feedback 1"
expect_out "caller  arn:aws:iam::123456789012:user/alice"
expect_out "reasons "
run 0 "the rerun lowers that pattern and says so" -- \
  "$BIN" detect events events.jsonl --store "$STORE" --scores after.csv --top 40
expect_out "lowered by feedback 1"
expect_out "1 feedback record"
after=$(grep "^$night," after.csv | cut -d, -f2)
echo "      risk of $night: $before before feedback, $after after"
expect_eq "$(python3 -c "print($after < $before / 2)")" "True" "risk lowered"
changed=$(python3 -c "
import csv
a = {r['id']: r['risk'] for r in csv.DictReader(open('scores.csv'))}
b = {r['id']: r['risk'] for r in csv.DictReader(open('after.csv'))}
print(sum(a[k] != b[k] for k in a))")
echo "      events whose risk changed: $changed"
expect_eq "$(((changed >= 1 && changed <= 5)) && echo few)" "few" "only alice's night events change"
run 0 "--no-feedback ignores it" -- "$BIN" detect events events.jsonl --store "$STORE" --scores ignored.csv --no-feedback
expect_eq "$(cmp -s scores.csv ignored.csv && echo same)" "same" "no feedback, original risks"

run 0 "malicious feedback raises the pattern" -- \
  "$BIN" --format json detect feedback q1 --malicious --events quiet.jsonl --store "$STORE"
expect_eq "$(json_field 'j["id"], j["verdict"], j["caller"]')" "2 malicious c" "recorded"
run 0 "the quiet event now matches it" -- "$BIN" --format json detect events quiet.jsonl --store "$STORE"
expect_eq "$(json_field 'j["events_scored"][0]["reasons"][0]["text"], j["events_scored"][0]["risk"] >= 0.9')" \
  "matches malicious feedback 2 True" "raised"
run 0 "--list shows the feedback" -- "$BIN" --format json detect feedback --list --store "$STORE"
expect_eq "$(json_field '[f["verdict"] for f in j["feedback"]], j["feedback"][0]["note"]')" \
  "['benign', 'malicious'] on call from a hotel" "listed"

run 2 "feedback on an unknown event" -- "$BIN" detect feedback nope --benign --events events.jsonl --store "$STORE"
expect_err "events.jsonl has no event with id 'nope'"
run 2 "feedback needs a verdict" -- "$BIN" detect feedback "$night" --events events.jsonl --store "$STORE"
expect_err "give --benign or --malicious"
run 2 "feedback needs the events file" -- "$BIN" detect feedback "$night" --benign --store "$STORE"
expect_err "give --events FILE"

# Bad input: exit 2, one line naming the file, the line and the field.
: >empty.jsonl
run 2 "an empty file" -- "$BIN" detect events empty.jsonl --no-feedback
expect_err "empty.jsonl: no events"
{ head -2 events.jsonl; echo '{"eventTime": "2026-01-05T10:00:00Z", "eventName": '; } >broken.jsonl
run 2 "an invalid JSON line" -- "$BIN" detect events broken.jsonl --no-feedback
expect_err "broken.jsonl:3: invalid JSON at column"
{ head -1 events.jsonl; echo '{"caller": "a", "action": "s3:GetObject"}'; } >notime.jsonl
run 2 "a missing time" -- "$BIN" detect events notime.jsonl --no-feedback
expect_err "notime.jsonl:2: time: missing"
{ head -1 events.jsonl; echo '{"eventTime":"5 Jan 2026","eventName":"X","userIdentity":{"arn":"a"}}'; } >badtime.jsonl
run 2 "a time that is not RFC 3339" -- "$BIN" --format json detect events badtime.jsonl --no-feedback
expect_eq "$(json_field 'j["error"]["message"]')" "badtime.jsonl:2: eventTime: not an RFC 3339 time ('5 Jan 2026')" \
  "JSON error"
python3 -c "
import sys
sys.stdout.write(open('events.jsonl').readline())
sys.stdout.write('{\"caller\": \"' + 'x' * (10 << 20) + '\"}\n')
" >huge.jsonl
run 2 "a 10 MB line" -- "$BIN" detect events huge.jsonl --no-feedback
expect_err "huge.jsonl:2: line longer than 8 MiB"
run 2 "a missing file" -- "$BIN" detect events missing.jsonl --no-feedback
expect_err "missing.jsonl: cannot open"
run 2 "a directory" -- "$BIN" detect events . --no-feedback
expect_err "not a regular file"
run 2 "a bad window" -- "$BIN" detect events events.jsonl --window 1y --no-feedback
expect_err "--window '1y'"
run 2 "a risk threshold out of range" -- "$BIN" detect events events.jsonl --fail-on-risk 2 --no-feedback
expect_err "--fail-on-risk must be a risk in [0, 1]"

# Feedback in a PostgreSQL store (migration 3 there too); skipped without
# Debian's server.
source "$HERE/../store/pg_server.sh"
if [[ -n $pg_bin && -x $pg_bin/initdb ]]; then
  pg_start
  trap 'pg_stop; rm -rf "$WORK"' EXIT
  run 0 "benign feedback in PostgreSQL" -- \
    "$BIN" --format json detect feedback "$night" --benign --events events.jsonl --store "$PG_URI"
  expect_eq "$(json_field 'j["id"], j["verdict"]')" "1 benign" "recorded in PostgreSQL"
  run 0 "the rerun reads it from PostgreSQL" -- \
    "$BIN" detect events events.jsonl --store "$PG_URI" --scores pg.csv --top 40
  expect_out "lowered by feedback 1"
  expect_eq "$(cmp -s after.csv pg.csv && echo same)" "same" "the same risks as with SQLite feedback"
  pg_stop
else
  echo "skip  PostgreSQL is not installed: feedback tested on SQLite only"
fi

finish
