#!/usr/bin/env python3
"""custody drift against SciPy and NumPy: every statistic `custody drift`
reports is recomputed here with scipy.stats / scipy.spatial / numpy exactly as
Evidently 0.7 applies them (its stattests and get_binned_data, re-stated below
because Evidently itself is not packaged by Debian), on the NannyML Titanic
data in ../shared/data/drift and on generated cases around the 1,000-row
(test selection) and 10,000-value (exact KS) thresholds: ties, integers,
categoricals with 2, 3-5 and many values, empty bins, a category the
reference never saw, missing values. Agreement is required to 1e-9 (absolute
for values up to 1, relative above).
Usage: scipy_drift_test.py BIN      (run with Debian's /usr/bin/python3)
"""
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from scipy import stats
    from scipy.spatial import distance
except ImportError as e:
    print(f"skip: scipy/numpy are not importable ({e}); scripts/bootstrap installs python3-scipy")
    sys.exit(77)

BIN = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("CUSTODY_SHARED", os.path.join(HERE, "..", "..", "..", "shared"))
DRIFT_DATA = os.path.join(SHARED, "data", "drift")
if not os.path.isdir(DRIFT_DATA):
    print(f"skip: the shared drift data ({DRIFT_DATA}) is absent")
    sys.exit(77)

# pandas' default NA texts, which custody's CSV reader also reads as missing.
NA = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
      "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
TOL = 1e-9
checks = failures = comparisons = 0
largest = (0.0, "")


def check(ok, desc, detail=""):
    global checks, failures
    checks += 1
    if not ok:
        failures += 1
        print(f"FAIL {desc}: {detail}")


def compare(got, want, what):
    """Numbers agree to TOL; NaN/inf (written as null) must be non-finite on both sides."""
    global comparisons, largest
    comparisons += 1
    if want is None or not math.isfinite(want):
        check(got is None, what, f"custody {got}, scipy {want}")
        return
    if got is None:
        check(False, what, f"custody null, scipy {want}")
        return
    diff = abs(got - want) / max(1.0, abs(want))
    if diff > largest[0]:
        largest = (diff, what)
    check(diff <= TOL, what, f"custody {got!r}, scipy {want!r}, difference {diff:.3g}")


def read_columns(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if r]
    header, data = rows[0], rows[1:]
    return {name: [r[i] for r in data] for i, name in enumerate(header)}


def as_numbers(values):
    """Floats (NaN for missing) when every present value is a number, else None."""
    out = []
    for v in values:
        if v in NA:
            out.append(math.nan)
            continue
        try:
            out.append(float(v))
        except ValueError:
            return None
    return out


# ---- Evidently 0.7, re-stated with numpy/scipy --------------------------------------------

def evidently_type(ref_raw, cur_raw):
    ref, cur = as_numbers(ref_raw), as_numbers(cur_raw)
    if ref is None or cur is None:
        return "categorical", None, None
    ref_clean = np.array([x for x in ref if math.isfinite(x)])
    cur_arr = np.array(cur)
    # pandas reads whole numbers without gaps as int64; Evidently takes the dtype
    # from the current data and calls an int column with <= 5 reference values categorical.
    is_int = bool(np.all(np.isfinite(cur_arr)) and np.all(cur_arr == np.round(cur_arr)))
    kind = "categorical" if is_int and len(np.unique(ref_clean)) <= 5 else "numerical"
    return kind, ref_clean, np.array([x for x in cur if math.isfinite(x)])


def value_counts(ref, cur):
    keys = sorted(set(ref) | set(cur))
    rc, cc = {}, {}
    for v in ref:
        rc[v] = rc.get(v, 0) + 1
    for v in cur:
        cc[v] = cc.get(v, 0) + 1
    return keys, np.array([rc.get(k, 0) for k in keys]), np.array([cc.get(k, 0) for k in keys])


def binned(ref, cur, kind, fill):
    """evidently.legacy.calculations.stattests.utils.get_binned_data"""
    if kind == "numerical" and len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        rp = np.histogram(ref, bins)[0] / len(ref)
        cp = np.histogram(cur, bins)[0] / len(cur)
    else:
        _, r, c = value_counts(list(ref), list(cur))
        rp, cp = r / len(ref), c / len(cur)
    if fill:
        for p in (rp, cp):
            m = min(p[p != 0])
            np.place(p, p == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return rp, cp


def chisquare_p(ref, cur):
    _, r, c = value_counts(list(ref), list(cur))
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(stats.chisquare(c, r * (len(cur) / len(ref)))[1])


def z_p(ref, cur):
    ref, cur = list(ref), list(cur)
    if len(set(ref)) == 1 and len(set(cur)) == 1 and ref[0] == cur[0]:
        return 1.0
    first = sorted(set(ref) | set(cur))[0]
    a = np.array([0 if x == first else 1 for x in ref])
    b = np.array([0 if x == first else 1 for x in cur])
    n1, n2 = len(a), len(b)
    p1, p2 = float(sum(a)) / n1, float(sum(b)) / n2
    P = float(p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2))
    return float(2 * (1 - stats.norm.cdf(np.abs(z))))


def expected_column(ref_raw, cur_raw):
    kind, ref, cur = evidently_type(ref_raw, cur_raw)
    if ref is None:
        ref = [v for v in ref_raw if v not in NA]
        cur = [v for v in cur_raw if v not in NA]
    n_values = len(set(list(ref)) | set(list(cur)))
    s = {}
    if kind == "numerical":
        r = stats.ks_2samp(ref, cur)
        s["ks_statistic"], s["ks_pvalue"] = float(r.statistic), float(r.pvalue)
        s["wasserstein_norm"] = float(stats.wasserstein_distance(ref, cur) / max(float(np.std(ref)), 0.001))
    if kind == "categorical" or n_values <= 5:
        s["chisquare_pvalue"] = chisquare_p(ref, cur)
    if n_values <= 2:
        s["z_pvalue"] = z_p(ref, cur)
    rp, cp = binned(np.asarray(ref), np.asarray(cur), kind, False)
    s["jensenshannon"] = float(distance.jensenshannon(rp, cp))
    rp, cp = binned(np.asarray(ref), np.asarray(cur), kind, True)
    s["psi"] = float(np.sum((rp - cp) * np.log(rp / cp)))
    # evidently.legacy.calculations.stattests.registry._get_default_stattest
    if len(ref) <= 1000:
        if kind == "numerical" and n_values > 5:
            method = "ks"
        else:
            method = "chisquare" if n_values > 2 else "z"
    else:
        method = "wasserstein" if kind == "numerical" and n_values > 5 else "jensenshannon"
    key = {"ks": "ks_pvalue", "chisquare": "chisquare_pvalue", "z": "z_pvalue",
           "wasserstein": "wasserstein_norm", "jensenshannon": "jensenshannon"}[method]
    score = s[key]
    if method == "ks":
        drifted, threshold = score <= 0.05, 0.05
    elif method in ("chisquare", "z"):
        drifted, threshold = score < 0.05, 0.05
    else:
        drifted, threshold = score >= 0.1, 0.1
    return {"type": kind, "method": method, "score": score, "threshold": threshold,
            "drifted": bool(drifted), "stats": s}


def run_case(name, ref_path, cur_path, extra=()):
    cmd = [BIN, "--format", "json", "drift", "--reference", ref_path, "--current", cur_path, *extra]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    check(p.returncode == 0, f"{name}: custody drift exits 0", p.stderr.strip())
    if p.returncode != 0:
        return
    got = json.loads(p.stdout)
    ref_cols, cur_cols = read_columns(ref_path), read_columns(cur_path)
    excluded = set()
    for i, flag in enumerate(extra):
        if flag == "--exclude":
            excluded |= set(extra[i + 1].split(","))
    names = [c for c in ref_cols if c not in excluded]
    check([c["column"] for c in got["columns"]] == names, f"{name}: the columns compared",
          f"{[c['column'] for c in got['columns']]} vs {names}")
    drifted = 0
    for col in got["columns"]:
        c = col["column"]
        want = expected_column(ref_cols[c], cur_cols[c])
        where = f"{name}/{c}"
        for k in ("type", "method", "threshold"):
            check(col[k] == want[k], f"{where}: {k}", f"custody {col[k]!r}, expected {want[k]!r}")
        check(set(col["stats"]) == set(want["stats"]), f"{where}: statistics reported",
              f"custody {sorted(col['stats'])}, expected {sorted(want['stats'])}")
        for k, v in want["stats"].items():
            if k in col["stats"]:
                compare(col["stats"][k], v, f"{where}: {k}")
        compare(col["score"], want["score"], f"{where}: score")
        # A score within TOL of its threshold may fall either way; anything else must agree.
        if abs(want["score"] - want["threshold"]) > TOL:
            check(col["drifted"] == want["drifted"], f"{where}: drifted", f"custody {col['drifted']}, expected {want['drifted']}")
        drifted += want["drifted"]
    share = drifted / len(got["columns"])
    check(abs(got["share"] - share) < 1e-12 and got["dataset_drift"] == (share >= 0.5), f"{name}: data set drift",
          f"custody {got['share']} {got['dataset_drift']}, expected {share}")


# ---- generated cases ---------------------------------------------------------------------

def write_csv(path, columns):
    names = list(columns)
    n = len(columns[names[0]])
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(names)
        for i in range(n):
            w.writerow([columns[c][i] for c in names])


def fmt(x):
    return "" if isinstance(x, float) and math.isnan(x) else repr(float(x))


def generate(rng, n, shift):
    cats_many = [f"c{i:02d}" for i in range(40)]
    normal = rng.normal(shift, 1, n)
    gap = np.where(rng.random(n) < 0.5, rng.normal(-5, 0.3, n), rng.normal(5 + shift, 0.3, n))
    with_nan = rng.exponential(1 + shift, n)
    with_nan[rng.random(n) < 0.1] = math.nan
    return {
        "normal": [fmt(x) for x in normal],
        "ties": [fmt(x) for x in np.round(rng.normal(shift, 1, n), 1)],
        "gap": [fmt(x) for x in gap],                                   # empty bins in the middle
        "with_nan": [fmt(x) for x in with_nan],
        "int_wide": [str(int(x)) for x in rng.integers(0, 40 + int(10 * shift), n)],
        "int_three": [str(int(x)) for x in rng.choice(3, n, p=[0.5 - shift / 4, 0.3, 0.2 + shift / 4])],
        "int_six": [str(int(x)) for x in rng.integers(0, 6, n)],        # > 5 values: numerical
        "float_two": [fmt(x) for x in rng.choice([0.5, 1.5], n, p=[0.6 - shift / 5, 0.4 + shift / 5])],
        "binary": list(rng.choice(["no", "yes"], n, p=[0.7 - shift / 5, 0.3 + shift / 5])),
        "few": list(rng.choice(["a", "b", "c", "d"], n)),
        "many": list(rng.choice(cats_many[: 30 + int(10 * shift)], n)),  # current may see new categories
        "with_missing": list(rng.choice(["x", "y", "z", ""], n)),
        "constant": ["k"] * n,
    }


def main():
    rng = np.random.default_rng(20240607)
    with tempfile.TemporaryDirectory() as tmp:
        run_case("titanic", os.path.join(DRIFT_DATA, "nannyml_titanic_reference.csv"),
                 os.path.join(DRIFT_DATA, "nannyml_titanic_analysis.csv"), ("--exclude", "Survived"))
        sizes = [(3, 4), (40, 25), (999, 1000), (1000, 1001), (1001, 999), (1200, 300),
                 (9999, 10000), (10000, 10000), (10001, 5000), (3000, 12000), (300, 20000)]
        sizes += [(int(rng.integers(2, 2500)), int(rng.integers(2, 2500))) for _ in range(30)]
        for i, (n_ref, n_cur) in enumerate(sizes):
            shift = [0.0, 0.15, 0.5, 0.05][i % 4]
            ref, cur = os.path.join(tmp, f"ref{i}.csv"), os.path.join(tmp, f"cur{i}.csv")
            write_csv(ref, generate(rng, n_ref, 0.0))
            write_csv(cur, generate(rng, n_cur, shift))
            run_case(f"case{i} ({n_ref} vs {n_cur}, shift {shift})", ref, cur)
    print(f"largest difference from SciPy/NumPy: {largest[0]:.3g} ({largest[1]}) over {comparisons} comparisons")
    print(f"{checks - failures}/{checks} checks passed")
    sys.exit(1 if failures else 0)


main()
