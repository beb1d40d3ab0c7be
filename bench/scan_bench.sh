#!/usr/bin/env bash
# custody scan over ../shared/corpus/cfn-templates (plus the labelled corpus
# ../shared/corpus/iac): wall time including start-up and policy compile,
# templates/s and resources/s, policy compile time alone, peak RSS
# (/usr/bin/time -v), and linearity at 1x, 2x and 4x the input.
# Usage: bench/scan_bench.sh path/to/custody
set -euo pipefail
BIN=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/../../shared/corpus
cfn=$corpus/cfn-templates
[[ -d $cfn ]] || { echo "scan_bench: $cfn is absent; nothing to measure" >&2; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/scan-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

# Best of 3 wall times of `custody scan ARGS`; also prints RSS of the last run.
measure() {
  local best="" t
  for _ in 1 2 3; do
    /usr/bin/time -v -o "$work/time" "$BIN" scan "$@" --format json >"$work/out.json" 2>/dev/null || true
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time")
    if [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$t; fi
  done
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
  echo "$best $rss"
}

summary() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["templates"], s["resources"], s["findings"], s["suppressed"], s["errors"], s["checks"], s["compile_seconds"])' "$work/out.json"; }

echo "custody scan benchmark ($(nproc) CPUs)"
read -r wall rss < <(measure "$cfn")
read -r templates resources findings suppressed errors checks compile < <(summary)
awk -v w="$wall" -v t="$templates" -v r="$resources" -v rss="$rss" -v c="$compile" -v f="$findings" -v s="$suppressed" -v e="$errors" -v k="$checks" 'BEGIN {
  printf "cfn-templates: %d templates, %d resources, %d checks -> %d findings (+%d suppressed), %d not loaded\n", t, r, k, f, s, e
  printf "  wall %.3f s (start-up and compile included); %.0f templates/s, %.0f resources/s; policy compile %.1f ms; peak RSS %.1f MB\n", w, t/w, r/w, c*1000, rss/1024 }'

if [[ -d $corpus/iac ]]; then
  read -r wall rss < <(measure "$corpus/iac")
  read -r templates resources findings suppressed errors checks compile < <(summary)
  awk -v w="$wall" -v t="$templates" -v r="$resources" -v rss="$rss" 'BEGIN {
    printf "labelled corpus (iac): %d templates, %d resources: wall %.3f s, %.0f templates/s, %.0f resources/s, peak RSS %.1f MB\n", t, r, w, t/w, r/w, rss/1024 }'
fi

# Linearity: the same templates copied 2 and 4 times.
for n in 1 2 4; do
  mkdir -p "$work/x$n"
  for i in $(seq 1 "$n"); do cp -r "$cfn" "$work/x$n/copy$i"; done
  read -r wall rss < <(measure "$work/x$n")
  read -r templates resources _ < <(summary)
  awk -v n="$n" -v w="$wall" -v t="$templates" -v rss="$rss" 'BEGIN {
    printf "  %dx: %5d templates in %.3f s (%.0f templates/s), peak RSS %.1f MB\n", n, t, w, t/w, rss/1024 }'
done
