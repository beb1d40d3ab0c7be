#!/usr/bin/env bash
# Isolation forest: custody against scikit-learn, measured in the same run on
# the same data.
#
# Data: every set in ../shared/data/anomaly (when present) and a synthetic set
# ($SYNTH_ROWS rows x 10 standard-normal features, 1% anomalies drawn with
# twice the spread). For each, best of
# $RUNS runs of
#   custody detect outliers FILE --exclude label --scores OUT   (the whole
#     command: process start, CSV parse, fit, score, write)
#   sklearn IsolationForest().fit(X) + score_samples(X)          (fit and score
#     only; its CSV load is not counted)
# single-threaded (custody --threads 1, sklearn n_jobs=1) and on every core
# (--threads N, n_jobs=N), with the ROC AUC of each against the label.
#
# Usage: bench/iforest_bench.sh [path/to/custody]   (env: RUNS, SYNTH_ROWS, SEED)
set -euo pipefail
BIN=$(realpath "${1:-build/custody}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export RUNS=${RUNS:-3} SYNTH_ROWS=${SYNTH_ROWS:-500000} SEED=${SEED:-0}
export SHARED=${CUSTODY_SHARED:-$ROOT/../shared}
if ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
  echo "iforest_bench: scikit-learn is not importable by /usr/bin/python3 (apt install python3-sklearn)" >&2
  exit 1
fi
DIR=$(mktemp -d "${TMPDIR:-/tmp}/custody-iforest-XXXXXX")
trap 'rm -rf "$DIR"' EXIT
export DIR BIN

/usr/bin/python3 - <<'PY'
import glob, os, subprocess, time
import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

runs, seed, work, binary = int(os.environ["RUNS"]), int(os.environ["SEED"]), os.environ["DIR"], os.environ["BIN"]
cores = os.cpu_count() or 1

sets = sorted(glob.glob(os.path.join(os.environ["SHARED"], "data", "anomaly", "*.csv")))
rng = np.random.default_rng(1)
n = int(os.environ["SYNTH_ROWS"])
k = n // 100
X = np.vstack([rng.normal(size=(n - k, 10)), rng.normal(scale=2.0, size=(k, 10))])  # anomalies: a wider normal
y = np.r_[np.zeros(n - k), np.ones(k)]
synth = os.path.join(work, f"synthetic_{n}x10.csv")
np.savetxt(synth, np.c_[X, y], delimiter=",", fmt="%.8g",
           header=",".join([f"x{i}" for i in range(10)] + ["label"]), comments="")
sets.append(synth)

def best(fn):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out

def custody(path, threads):
    out = os.path.join(work, "scores.csv")
    def run():
        subprocess.run([binary, "--quiet", "--threads", str(threads), "detect", "outliers", path,
                        "--exclude", "label", "--seed", str(seed), "--scores", out], check=True)
        return np.loadtxt(out, delimiter=",", skiprows=1)[:, 1]
    return run

def sklearn(X, threads):
    def run():
        return -IsolationForest(random_state=seed, n_jobs=threads).fit(X).score_samples(X)
    return run

rows = []
for path in sets:
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    X, y = data[:, :-1], data[:, -1]
    for threads in sorted({1, cores}):
        tc, sc = best(custody(path, threads))
        ts, ss = best(sklearn(X, threads))
        rows.append((os.path.basename(path), X.shape, threads, tc, ts, roc_auc_score(y, sc), roc_auc_score(y, ss)))

print(f"\nbest of {runs} runs, seed {seed}, {cores} cores; custody: whole command incl. CSV parse; "
      "sklearn: fit + score_samples only")
print(f"{'data':<28} {'rows x cols':>13} {'thr':>3} {'custody s':>10} {'sklearn s':>10} {'speed-up':>9} "
      f"{'AUC custody':>12} {'AUC sklearn':>12}")
for name, shape, threads, tc, ts, ac, a_s in rows:
    print(f"{name:<28} {shape[0]:>7} x {shape[1]:<3} {threads:>3} {tc:>10.3f} {ts:>10.3f} {ts / tc:>8.1f}x "
          f"{ac:>12.4f} {a_s:>12.4f}")
for threads in sorted({1, cores}):
    sel = [r for r in rows if r[2] == threads]
    geo = float(np.exp(np.mean([np.log(r[4] / r[3]) for r in sel])))
    print(f"geometric mean speed-up, {threads} thread(s): {geo:.1f}x")
PY
