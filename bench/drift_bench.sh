#!/usr/bin/env bash
# Drift throughput of custody against SciPy/NumPy measured in the same run.
#
# Generates a reference and a current CSV of $ROWS rows x 20 columns (16
# numeric: normal, shifted, rounded with ties, exponential; 4 categorical:
# 2, 4 and 30 text values, small integers), then reports, best of $RUNS runs:
#   custody drift (wall time, and its own split: CSV reading / statistics),
#   the same statistics in SciPy/NumPy on the same data already in memory:
#   ks_2samp, wasserstein_distance / np.std, Sturges histograms with
#   jensenshannon and PSI for numeric columns; value counts with chisquare,
#   jensenshannon and PSI for categorical ones (Evidently 0.7's formulas).
# The ratio compares the statistics alone (no reading on either side).
#
# Usage: bench/drift_bench.sh [path/to/custody]   (env: BENCH_DIR, RUNS, ROWS;
#        DATA_DIR=dir keeps the generated data there and reuses it on the next run)
set -euo pipefail
BIN=$(realpath "${1:-build/custody}")
RUNS=${RUNS:-3}
ROWS=${ROWS:-1000000}
PY=/usr/bin/python3
if [[ -n "${DATA_DIR:-}" ]]; then
  DIR=$DATA_DIR
  mkdir -p "$DIR"
else
  DIR=$(mktemp -d "${BENCH_DIR:-/tmp}/custody-drift-bench-XXXXXX")
  trap 'rm -rf "$DIR"' EXIT
fi

[[ -f "$DIR/current.npz" ]] || { echo "generating $ROWS x 20 reference and current CSVs in $DIR" >&2; "$PY" - "$DIR" "$ROWS"; } <<'PY'
import sys, numpy as np
d, n = sys.argv[1], int(sys.argv[2])
def columns(rng, shift):
    cols = {}
    for i in range(6): cols[f"normal{i}"] = rng.normal(shift * i / 5, 1 + i / 10, n)
    for i in range(4): cols[f"ties{i}"] = np.round(rng.normal(shift, 2, n), 1)
    for i in range(4): cols[f"expo{i}"] = rng.exponential(1 + shift * i, n)
    cols["uniform"] = rng.uniform(0, 100 + 10 * shift, n)
    cols["count"] = rng.poisson(20 + shift, n).astype(float)
    cols["binary"] = rng.choice(np.array(["no", "yes"]), n, p=[0.7 - shift / 10, 0.3 + shift / 10])
    cols["four"] = rng.choice(np.array(["north", "south", "east", "west"]), n)
    cols["many"] = rng.choice(np.array([f"city{i:02d}" for i in range(30)]), n)
    cols["level"] = rng.integers(0, 4, n).astype(float)
    return cols
for name, shift in (("reference", 0.0), ("current", 0.3)):
    cols = columns(np.random.default_rng(1 if shift == 0 else 2), shift)
    np.savez(f"{d}/{name}.npz", **cols)
    text = []
    for k, v in cols.items():
        if v.dtype.kind == "f":
            text.append(np.char.mod("%.6g", v) if k not in ("count", "level") else v.astype(np.int64).astype(str))
        else:
            text.append(v.astype(str))
    with open(f"{d}/{name}.csv", "w") as f:
        f.write(",".join(cols) + "\n")
        rows = np.stack(text, axis=1)
        for start in range(0, n, 100000):
            f.write("\n".join(",".join(r) for r in rows[start:start + 100000]) + "\n")
PY
cat "$DIR"/*.csv >/dev/null  # warm the page cache

best_custody() {
  local best="" line
  for _ in $(seq 1 "$RUNS"); do
    local s e
    s=$(date +%s.%N)
    "$BIN" --format json drift --reference "$DIR/reference.csv" --current "$DIR/current.csv" >"$DIR/out.json"
    e=$(date +%s.%N)
    line=$("$PY" -c "import json,sys; j=json.load(open(sys.argv[1])); print($e-$s, j['read_seconds'], j['drift_seconds'], j['drifted_columns'])" "$DIR/out.json")
    best=$(echo "$line ${best:-}" | awk '{ if (NF == 4 || $1 < $5) print $1, $2, $3, $4; else print $5, $6, $7, $8 }')
  done
  echo "$best"
}

read -r c_wall c_read c_stats c_drifted <<<"$(best_custody)"

py_stats=$("$PY" - "$DIR" "$RUNS" <<'PY'
import sys, time, numpy as np
from scipy import stats
from scipy.spatial import distance
d, runs = sys.argv[1], int(sys.argv[2])
ref, cur = dict(np.load(f"{d}/reference.npz")), dict(np.load(f"{d}/current.npz"))
def shares(r, c):
    keys = np.union1d(np.unique(r), np.unique(c))
    rc = np.array([np.count_nonzero(r == k) for k in keys]); cc = np.array([np.count_nonzero(c == k) for k in keys])
    return rc, cc
def fill(p):
    m = p[p != 0].min(); p = p.copy(); p[p == 0] = m / 1e6 if m <= 1e-4 else 1e-4; return p
def column(r, c):
    if r.dtype.kind == "f" and len(np.unique(r)) > 20:
        stats.ks_2samp(r, c)
        stats.wasserstein_distance(r, c) / max(float(np.std(r)), 0.001)
        bins = np.histogram_bin_edges(np.concatenate([r, c]), bins="sturges")
        rp = np.histogram(r, bins)[0] / len(r); cp = np.histogram(c, bins)[0] / len(c)
    else:
        rc, cc = shares(r, c)
        stats.chisquare(cc, rc * len(c) / len(r))
        rp, cp = rc / len(r), cc / len(c)
    distance.jensenshannon(rp, cp)
    rp, cp = fill(rp), fill(cp)
    np.sum((rp - cp) * np.log(rp / cp))
best = None
for _ in range(runs):
    t = time.perf_counter()
    for k in ref: column(ref[k], cur[k])
    t = time.perf_counter() - t
    best = t if best is None else min(best, t)
print(best)
PY
)

echo
echo "data: 2 x $ROWS rows x 20 columns ($(du -b "$DIR/reference.csv" | cut -f1) + $(du -b "$DIR/current.csv" | cut -f1) bytes of CSV); $(nproc) cores; best of $RUNS runs"
printf '%-52s %8.3f s\n' "custody drift, wall (read + statistics + output)" "$c_wall"
printf '%-52s %8.3f s\n' "  of which reading both CSVs" "$c_read"
printf '%-52s %8.3f s\n' "  of which statistics ($c_drifted columns drifted)" "$c_stats"
printf '%-52s %8.3f s\n' "SciPy/NumPy, same statistics, data in memory" "$py_stats"
echo "$py_stats $c_stats $c_wall" | awk '{ printf "ratio: statistics %.1fx faster than SciPy/NumPy; custody including CSV reading %.1fx\n", $1/$2, $1/$3 }'
