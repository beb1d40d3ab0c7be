#!/usr/bin/env bash
# Hashing throughput of custody against peers measured in the same run.
#
# Makes a synthetic model (3 files of 1 GB + 200 small files) in a temp dir,
# warms the page cache, and reports, best of $RUNS runs:
#   custody hash --method files, --method shards (default and 100 MB shards),
#   custody verify (shards), openssl dgst -sha256 and sha256sum over the same
#   files one after another, b3sum (BLAKE3, multi-threaded) for reference,
# as GB/s and as a ratio of the machine's SHA-256 limit: `openssl speed -evp
# sha256` on 16 KB blocks times the number of cores.
#
# Usage: bench/hash_bench.sh [path/to/custody]   (env: BENCH_DIR, RUNS, BIG_FILES, BIG_BYTES)
set -euo pipefail
BIN=$(realpath "${1:-build/custody}")
RUNS=${RUNS:-3}
BIG_FILES=${BIG_FILES:-3}
BIG_BYTES=${BIG_BYTES:-1000000000}
CORES=$(nproc)
DIR=$(mktemp -d "${BENCH_DIR:-/tmp}/custody-bench-XXXXXX")
trap 'rm -rf "$DIR"' EXIT
M="$DIR/model"
mkdir -p "$M/small"

echo "making the model in $M: $BIG_FILES x $BIG_BYTES bytes + 200 small files" >&2
for i in $(seq 1 "$BIG_FILES"); do
  { openssl enc -aes-128-ctr -nosalt -pass pass:bench$i -in /dev/zero 2>/dev/null || true; } | head -c "$BIG_BYTES" >"$M/weights-$i.bin"
done
for i in $(seq 1 200); do head -c $((1000 + i * 997)) /dev/urandom >"$M/small/f$i.txt"; done
TOTAL=$(du -sb "$M" | cut -f1)
cat "$M"/weights-*.bin "$M"/small/* >/dev/null   # warm the page cache
FILES=("$M"/weights-*.bin "$M"/small/*)

best() {  # best (lowest) wall time of RUNS runs of the command, in seconds
  local b=""
  for _ in $(seq 1 "$RUNS"); do
    local s e
    s=$(date +%s.%N)
    "$@" >/dev/null
    e=$(date +%s.%N)
    b=$(echo "$s $e ${b:-}" | awk '{t=$2-$1; if ($3=="" || t<$3) print t; else print $3}')
  done
  echo "$b"
}

limit_per_core=$(openssl speed -evp sha256 -bytes 16384 -seconds 3 2>/dev/null | awk '/^sha256/ {v=$2; sub(/k$/,"",v); print v*1000}')
limit=$(echo "$limit_per_core $CORES" | awk '{print $1*$2}')

declare -a rows
row() {  # name seconds
  rows+=("$(echo "$1|$2|$TOTAL|$limit" | awk -F'|' '{gbs=$3/$2/1e9; printf "%-44s %8.2f s %7.2f GB/s %6.0f %%\n", $1, $2, gbs, 100*$3/$2/$4}')")
}

"$BIN" key generate --type ed25519 --out "$DIR/k" --quiet
t_files=$(best "$BIN" hash "$M" --method files --quiet);                         row "custody hash --method files" "$t_files"
t_shards=$(best "$BIN" hash "$M" --method shards --quiet);                       row "custody hash --method shards (1 GB shards)" "$t_shards"
t_sh100=$(best "$BIN" hash "$M" --method shards --shard-size 100000000 --quiet); row "custody hash --method shards (100 MB)" "$t_sh100"
"$BIN" sign "$M" --key "$DIR/k.key" --method shards --shard-size 100000000 --signature "$DIR/m.sig" --quiet
t_verify=$(best "$BIN" verify "$M" --key "$DIR/k.pub" --signature "$DIR/m.sig" --quiet); row "custody verify (100 MB shards)" "$t_verify"
t_ossl=$(best openssl dgst -sha256 "${FILES[@]}");                              row "openssl dgst -sha256 (one after another)" "$t_ossl"
t_sum=$(best sha256sum "${FILES[@]}");                                          row "sha256sum" "$t_sum"
if command -v b3sum >/dev/null; then
  t_b3=$(best b3sum "${FILES[@]}");                                             row "b3sum (BLAKE3, multi-threaded; reference)" "$t_b3"
fi
t_b2=$(best "$BIN" hash "$M" --method shards --shard-size 100000000 --algorithm blake2b --quiet); row "custody hash shards 100 MB, blake2b" "$t_b2"

echo
echo "model: $TOTAL bytes in $((BIG_FILES + 200)) files; $CORES cores; best of $RUNS runs; page cache warm"
echo "SHA-256 limit: openssl speed -evp sha256 (16 KB) = $(echo "$limit_per_core" | awk '{printf "%.2f", $1/1e9}') GB/s per core x $CORES = $(echo "$limit" | awk '{printf "%.2f", $1/1e9}') GB/s"
printf '%-44s %10s %12s %8s\n' "" "time" "throughput" "of limit"
printf '%s\n' "${rows[@]}"
echo
echo "$t_files $t_sh100 $t_ossl $t_sum $t_verify" | awk '{
  printf "ratios: files mode %.2fx openssl dgst, %.2fx sha256sum; shards (100 MB) %.2fx openssl dgst, %.2fx sha256sum\n", $3/$1, $4/$1, $3/$2, $4/$2
  printf "verify / hash (100 MB shards): %.1f %% slower\n", 100*($5-$2)/$2 }'
