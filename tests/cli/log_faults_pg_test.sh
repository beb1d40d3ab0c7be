#!/usr/bin/env bash
# custody log on PostgreSQL under faults: kill -9 of `custody log serve` during
# sustained appends from concurrent clients, three times; afterwards every
# acknowledged entry is provable and every earlier checkpoint is consistent with
# the final one. Then corrupted rows (a hash tile, an entry) are reported and
# not served. Starts a throwaway PostgreSQL server (tests/store/pg_server.sh);
# skips when PostgreSQL is not installed. Usage: log_faults_pg_test.sh BIN
set -euo pipefail
BIN=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/../store/pg_server.sh"
cd "$WORK"
export CUSTODY_HOME="$WORK/home"
unset CUSTODY_STORE
command -v psql >/dev/null || { echo "SKIP: psql is not installed"; exit 77; }
pg_start
trap 'pg_stop; rm -rf "$WORK"' EXIT
echo "PostgreSQL at $PG_URI"
store=$PG_URI
sql() { psql -X -q -v ON_ERROR_STOP=1 "$PG_URI" -c "$1"; }

run 0 "init in PostgreSQL" -- "$BIN" log init --origin custody.test/pglog --store "$store"
vkey=$(cat "$WORK/stdout")
[[ $vkey == custody.test/pglog+????????+* ]] || { echo "FAIL  verifier key line: $vkey"; failures=$((failures + 1)); }

# Below Linux's ephemeral range (32768-60999), so that no client connection of
# this or a parallel test holds the port when the server is restarted on it.
port=$((20000 + RANDOM % 12000))
serve() {
  "$BIN" log serve --store "$store" --listen "127.0.0.1:$port" 2>>serve.log &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/checkpoint" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "FAIL  the server did not start"; cat serve.log; exit 1
}

# kill -9 during sustained appends from 4 clients, 3 rounds.
: >acked.txt
rounds=3
for round in $(seq 1 $rounds); do
  serve
  "$BIN" log checkpoint --store "$store" >"before$round.txt"
  for c in 1 2 3 4; do
    (for k in $(seq 1 300); do
       body="round $round client $c entry $k"
       if r=$(curl -sf --max-time 5 --data-binary "$body" "http://127.0.0.1:$port/add"); then
         index=$(sed -E 's/.*"logIndex":"([0-9]+)".*/\1/' <<<"$r")
         printf '%s\t%s\n' "$index" "$body" >>acked.txt
       fi
     done) &
  done
  sleep 0.$((4 + RANDOM % 4))
  kill -9 $server
  wait $server 2>/dev/null || true
  wait
done
acked=$(wc -l <acked.txt)
echo "acknowledged $acked entries across $rounds kill -9 rounds"
[[ $acked -gt 0 ]] || { echo "FAIL  no entry was acknowledged"; failures=$((failures + 1)); }
expect_eq "$(cut -f1 acked.txt | sort -n | uniq -d | head -1)" "" "no index acknowledged twice"

# Restarted after the last kill: it serves and appends again.
serve
run 0 "append after the last kill -9" -- curl -sf --data-binary "after the faults" "http://127.0.0.1:$port/add"
kill -TERM $server
wait $server || { echo "FAIL  serve did not stop cleanly on SIGTERM"; failures=$((failures + 1)); }

"$BIN" log checkpoint --store "$store" >final.txt
final_size=$(sed -n 2p final.txt)
lost=0
while IFS=$'\t' read -r index body; do
  printf '%s' "$body" >entry.txt
  "$BIN" log prove-inclusion --store "$store" --index "$index" --size "$final_size" >p.json &&
    "$BIN" -q log verify --checkpoint final.txt --key "$vkey" --proof p.json --entry entry.txt ||
    lost=$((lost + 1))
done <acked.txt
expect_eq "$lost" "0" "acknowledged entries missing or unprovable after kill -9"
for round in $(seq 1 $rounds); do
  old=$(sed -n 2p "before$round.txt")
  "$BIN" log prove-consistency --store "$store" --old "$old" --new "$final_size" >c.json
  run 0 "checkpoint before round $round (size $old) is consistent with the final one ($final_size)" -- \
    "$BIN" log verify --checkpoint final.txt --key "$vkey" --proof c.json --old-checkpoint "before$round.txt"
done

# Corrupted rows: detected, reported, never served.
if [[ $final_size -lt 300 ]]; then
  for k in $(seq $final_size 299); do echo "filler $k"; done >filler.txt
  while read -r line; do printf '%s' "$line" | "$BIN" -q log append - --store "$store" >/dev/null; done <filler.txt
fi
serve
run 0 "GET full tile before corruption" -- curl -sf -o tile.bin "http://127.0.0.1:$port/tile/0/000"
kill -TERM $server
wait $server || true

sql "UPDATE log_entries SET data = data || data WHERE idx = 3"
sql "UPDATE log_tiles SET data = checksum || substring(data from 33) WHERE level = 0 AND idx = 0"
serve
run 22 "corrupted tile 0/0 is not served" -- curl -sf "http://127.0.0.1:$port/tile/0/000"
body=$(curl -s "http://127.0.0.1:$port/tile/0/000")
[[ $body == *"tile 0/0 fails its checksum"* ]] ||
  { echo "FAIL  corrupted tile message: $body"; failures=$((failures + 1)); }
run 22 "the entry bundle over it is not served" -- curl -sf "http://127.0.0.1:$port/tile/entries/000"
run 0 "the checkpoint is still served" -- curl -sf "http://127.0.0.1:$port/checkpoint"
kill -TERM $server
wait $server || true
run 2 "prove-inclusion through the corrupted tile" -- "$BIN" log prove-inclusion --store "$store" --index 5
expect_err "tile 0/0 fails its checksum"

# The tile restored: now the corrupted entry itself is caught.
cp tile.bin good-tile.bin
hex=$(od -An -v -tx1 good-tile.bin | tr -d ' \n')
sql "UPDATE log_tiles SET data = '\\x$hex'::bytea WHERE level = 0 AND idx = 0"
serve
run 22 "an entry bundle with a corrupted entry is not served" -- curl -sf "http://127.0.0.1:$port/tile/entries/000"
body=$(curl -s "http://127.0.0.1:$port/tile/entries/000")
[[ $body == *"entry 3 does not match its leaf hash"* ]] ||
  { echo "FAIL  corrupted entry message: $body"; failures=$((failures + 1)); }
run 0 "tile 0/0 is served again" -- curl -sf -o tile2.bin "http://127.0.0.1:$port/tile/0/000"
expect_eq "$(cmp -s tile.bin tile2.bin && echo same)" "same" "restored tile bytes"
kill -TERM $server
wait $server || true

# A tile on the right edge corrupted: the log refuses to open (serve fails).
sql "UPDATE log_tiles SET data = checksum WHERE level = 1 AND idx = 0"
run 2 "serve refuses a store whose tiles fail their checksums" -- "$BIN" log serve --store "$store" --listen "127.0.0.1:$port"
expect_err "corrupted"
finish
