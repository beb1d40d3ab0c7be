#!/usr/bin/env bash
# Go's own transparency-log code checks custody's log: a small Go program
# (tests/interop/go/tlogcheck), built with Debian's golang-go and
# golang-golang-x-mod-dev, verifies custody's checkpoints with sumdb/note and its
# inclusion and consistency proofs with sumdb/tlog. Usage: go_tlog_test.sh BIN
set -euo pipefail
BIN=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v go >/dev/null || [[ ! -d /usr/share/gocode/src/golang.org/x/mod/sumdb/tlog ]]; then
  echo "SKIP: needs Debian's golang-go and golang-golang-x-mod-dev (scripts/bootstrap installs them)"
  exit 77
fi
work=$(mktemp -d /tmp/custody-go-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$work/gocache" go build -o tlogcheck "$here/go/tlogcheck/main.go"

export CUSTODY_HOME="$work/home"
unset CUSTODY_STORE
vkey=$("$BIN" -q log init --origin custody.test/go-interop)
mkdir entries
for i in $(seq 0 299); do
  printf 'entry %d of the interop log\n' "$i" >"entries/$i"
  "$BIN" -q log append "entries/$i" >/dev/null
done
sizes="1 2 3 7 8 9 100 255 256 257 300"
mkdir proofs
for s in $sizes; do
  for i in 0 1 $((s / 2)) $((s - 2)) $((s - 1)); do
    ((i >= 0 && i < s)) || continue
    "$BIN" log prove-inclusion --index "$i" --size "$s" >"proofs/inc-$i-$s.json"
  done
  for t in $sizes; do
    ((t > s)) && "$BIN" log prove-consistency --old "$s" --new "$t" >"proofs/con-$s-$t.json"
  done
done
python3 - "$vkey" >input.json <<'PY'
import base64, glob, json, sys
inp = {"vkey": sys.argv[1], "checkpoints": {}, "inclusion": [], "consistency": []}
for f in sorted(glob.glob("proofs/inc-*.json")):
    p = json.load(open(f))
    inp["checkpoints"][p["treeSize"]] = p["checkpoint"]["envelope"]
    entry = open("entries/" + p["logIndex"], "rb").read()
    inp["inclusion"].append({"entry": base64.b64encode(entry).decode(), "proof": p})
for f in sorted(glob.glob("proofs/con-*.json")):
    inp["consistency"].append(json.load(open(f)))
json.dump(inp, sys.stdout)
PY
./tlogcheck <input.json
