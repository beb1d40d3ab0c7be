#!/usr/bin/env python3
"""How far `custody scan` agrees with the labels of ../shared/corpus/iac/.

Each labelled check directory is matched to the built-in checks whose metadata
names its id (KICS query UUID, Trivy AVD id, cfn-guard rule name); the
scanner runs once per directory and is scored there:
  kics       the exact multiset of finding lines per file (positives), none
             in negatives;
  trivy      `bad` files have at least one finding, `good` files none;
  cfn_guard  a template FAILs when an unsuppressed finding names the rule,
             else it is PASS or SKIP (nothing applicable, or suppressed).
Prints precision and recall per check directory, per AWS service and, for
the KICS labels that name resources, per resource type; exits 1 when a check
with a built-in rule is below 0.95 in either, unless its shortfall is one of
the deliberate differences listed below (each says why).

Usage: corpus_agreement.py CUSTODY_BINARY   (exit 77 when ../shared is absent)
"""
import collections
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpus", "iac"))
GOAL = 0.95

# Label units where custody deliberately differs from the labelling tool:
# (directory, file, why). They are reported, and not counted against the goal.
DELIBERATE = [
    ("kics/aws__lambda_function_without_dead_letter_queue", "positive2.yaml",
     "KICS reports a null DeadLetterConfig twice (at Properties and at the key); custody once, at the key"),
    ("cfn_guard/iam__iam_role_no_allow_plus_not_principal", "case05.json",
     "the label expects SKIP but the template's suppression names another rule; custody reports the finding"),
]


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    binary = sys.argv[1]
    if not os.path.isdir(CORPUS):
        print("SKIP: %s is absent (the labelled corpus lives in ../shared beside the checkout)" % CORPUS)
        return 77
    listed = subprocess.run([binary, "scan", "--list-checks", "--format", "json"], capture_output=True, text=True)
    if listed.returncode != 0:
        print("custody scan --list-checks failed:", listed.stderr)
        return 1
    checks = json.loads(listed.stdout)
    ids = collections.defaultdict(set)  # label id -> custody check ids
    for c in checks:
        for key in ("kics", "trivy", "cfn_guard"):
            for label_id in c.get(key, []):
                ids[label_id].add(c["id"])
    deliberate = {(d, f): why for d, f, why in DELIBERATE}

    rows, by_service, by_type = [], collections.defaultdict(collections.Counter), collections.defaultdict(collections.Counter)
    no_rule, failures, excused = [], [], []
    for kind in ("kics", "trivy", "cfn_guard"):
        for d in sorted(glob.glob(os.path.join(CORPUS, kind, "*", ""))):
            name = kind + "/" + os.path.basename(d.rstrip("/"))
            expected = json.load(open(os.path.join(d, "expected.json")))
            if kind == "kics":
                label_ids = [expected["check"]["kicsId"]]
            elif kind == "trivy":
                label_ids = [expected["check"]["avdId"]]
            else:
                label_ids = sorted({r for c in expected["cases"] for r in c["expect"]})
            if not any(i in ids for i in label_ids):
                no_rule.append(name)
                continue
            scan = subprocess.run([binary, "scan", d, "--format", "json"], capture_output=True, text=True)
            try:
                report = json.loads(scan.stdout)
            except ValueError:
                print("FAIL  %s: scan gave no JSON (exit %d): %s" % (name, scan.returncode, scan.stderr[:300]))
                failures.append(name)
                continue
            found = collections.defaultdict(list)
            for f in report.get("findings", []):
                if not f["suppressed"]:
                    found[os.path.basename(f["file"])].append(f)
            n = collections.Counter()
            notes = []

            def count(outcome, file, rtypes):
                if (name, file) in deliberate:
                    excused.append("%s %s (%s): %s" % (name, file, outcome, deliberate[(name, file)]))
                    return
                n[outcome] += 1
                for t in rtypes:
                    by_type[t][outcome] += 1

            if kind == "kics":
                kid = label_ids[0]
                for fname, fe in expected["files"].items():
                    got = collections.Counter()
                    got_type = {}
                    for f in found[fname]:
                        if kid in f["kics"]:
                            got[f["line"]] += 1
                            got_type[f["line"]] = f["resource_type"]
                    want = collections.Counter(x["line"] for x in fe["findings"])
                    want_type = {x["line"]: x.get("resourceType", "?") for x in fe["findings"]}
                    for line in (got & want).elements():
                        count("tp", fname, [want_type[line]])
                    for line in (got - want).elements():
                        count("fp", fname, [got_type[line]])
                    for line in (want - got).elements():
                        count("fn", fname, [want_type[line]])
                    if got != want:
                        notes.append("%s: lines %s, labels %s" % (fname, sorted(got.elements()), sorted(want.elements())))
            elif kind == "trivy":
                aid = label_ids[0]
                for fname, fe in expected["files"].items():
                    hits = [f for f in found[fname] if aid in f["trivy"]]
                    bad = fe["label"] == "bad"
                    outcome = "tp" if bad and hits else "fn" if bad else "fp" if hits else "tn"
                    count(outcome, fname, sorted({f["resource_type"] for f in hits}))
                    if outcome in ("fp", "fn"):
                        notes.append("%s: %s" % (fname, "missed" if bad else "reported"))
            else:
                for case in expected["cases"]:
                    for rule, want in case["expect"].items():
                        hits = [f for f in found[case["file"]] if rule in f["cfn_guard"]]
                        outcome = ("tp" if hits else "fn") if want == "FAIL" else ("fp" if hits else "tn")
                        count(outcome, case["file"], sorted({f["resource_type"] for f in hits}))
                        if outcome in ("fp", "fn"):
                            notes.append("%s (%s): label %s, custody %s" % (case["file"], case["name"][:50], want,
                                                                            "FAIL" if hits else "no finding"))
            precision = n["tp"] / (n["tp"] + n["fp"]) if n["tp"] + n["fp"] else 1.0
            recall = n["tp"] / (n["tp"] + n["fn"]) if n["tp"] + n["fn"] else 1.0
            service = os.path.basename(d.rstrip("/")).split("__")[0] if kind == "cfn_guard" else \
                (expected["check"].get("service") or "?")
            by_service[service].update(n)
            ok = precision >= GOAL and recall >= GOAL
            rows.append((name, precision, recall, n, ok, notes))
            if not ok:
                failures.append(name)

    print("%-72s %5s %5s  %s" % ("check directory", "P", "R", "tp/fp/fn/tn"))
    for name, p, r, n, ok, notes in rows:
        print("%-72s %5.2f %5.2f  %d/%d/%d/%d%s" % (name, p, r, n["tp"], n["fp"], n["fn"], n["tn"], "" if ok else "  BELOW"))
        if not ok:
            for note in notes:
                print("        " + note)

    def table(title, groups):
        print("\n%-40s %5s %5s  %s" % (title, "P", "R", "tp/fp/fn/tn"))
        for key in sorted(groups):
            n = groups[key]
            p = n["tp"] / (n["tp"] + n["fp"]) if n["tp"] + n["fp"] else 1.0
            r = n["tp"] / (n["tp"] + n["fn"]) if n["tp"] + n["fn"] else 1.0
            print("%-40s %5.2f %5.2f  %d/%d/%d/%d" % (key, p, r, n["tp"], n["fp"], n["fn"], n["tn"]))

    table("service", by_service)
    table("resource type", by_type)
    total = collections.Counter()
    for n in by_service.values():
        total.update(n)
    p = total["tp"] / (total["tp"] + total["fp"]) if total["tp"] + total["fp"] else 1.0
    r = total["tp"] / (total["tp"] + total["fn"]) if total["tp"] + total["fn"] else 1.0
    if failures:
        print("\nbelow the goal or not scanned: " + ", ".join(failures))
    print("\ndeliberate differences (not counted):")
    for e in excused:
        print("  " + e)
    print("\nno built-in check corresponds to: %s" % (", ".join(no_rule) or "none"))
    print("%d check directories scored, %d at or above %.2f in precision and recall; overall P=%.3f R=%.3f "
          "(tp %d, fp %d, fn %d, tn %d)" % (len(rows), sum(1 for row in rows if row[4]), GOAL, p, r, total["tp"], total["fp"],
                                           total["fn"], total["tn"]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
