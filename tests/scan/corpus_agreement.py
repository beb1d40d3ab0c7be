#!/usr/bin/env python3
"""custody scan against the labelled corpus ../shared/corpus/iac/.

Maps each check folder to the built-in rules whose metadata lists its id
(KICS query UUID from expected.json check.kicsId, Trivy avdId, cfn-guard rule
name), scans the whole corpus once, and reports precision and recall per check
and per resource type:
  - KICS: findings by exact (file, line);
  - Trivy: a good snippet must give no finding, a bad one at least one;
  - cfn-guard: PASS / FAIL / SKIP per template (SKIP: no applicable resource,
    or the findings are suppressed); FAIL is the positive class.
Fails when a check that has a built-in rule is below 0.95 in precision or
recall. Exit 77 (skipped) when ../shared is absent.
Usage: corpus_agreement.py CUSTODY_BIN
"""
import collections
import json
import os
import subprocess
import sys

THRESHOLD = 0.95
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpus", "iac"))


def ratio(num, den):
    return num / den if den else 1.0


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, tp=0, fp=0, fn=0):
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def precision(self):
        return ratio(self.tp, self.tp + self.fp)

    def recall(self):
        return ratio(self.tp, self.tp + self.fn)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    binary = sys.argv[1]
    if not os.path.isdir(CORPUS):
        print(f"skip: {CORPUS} is absent (the labelled corpus lives in ../shared beside the checkout)")
        return 77
    checks = json.loads(subprocess.run([binary, "scan", "--list-checks", "--format", "json"], check=True,
                                       capture_output=True, text=True).stdout)
    by_kics, by_trivy, by_guard = collections.defaultdict(list), collections.defaultdict(list), collections.defaultdict(list)
    types_of = {}
    for c in checks:
        if not c["builtin"]:
            continue
        types_of[c["id"]] = set(c["resource_types"])
        for k in c["kics"]:
            by_kics[k.lower()].append(c["id"])
        for t in c["trivy"]:
            by_trivy[t.upper()].append(c["id"])
        for g in c["cfn_guard"]:
            by_guard[g.upper()].append(c["id"])

    proc = subprocess.run([binary, "scan", CORPUS, "--format", "json"], capture_output=True, text=True, cwd=CORPUS)
    if proc.returncode not in (0, 1, 2):
        print(proc.stderr)
        return 1
    report = json.loads(proc.stdout)
    findings = collections.defaultdict(list)  # uri -> findings
    for f in report["findings"]:
        findings[f["uri"]].append(f)
    templates = {t["uri"]: t for t in report["templates"]}

    rows = []  # (source, check, rules, tally)
    per_type = collections.defaultdict(Tally)

    def ours(uri, rules, suppressed=False):
        return [f for f in findings.get(uri, []) if f["rule_id"] in rules and f["suppressed"] == suppressed]

    for d in sorted(os.listdir(os.path.join(CORPUS, "kics"))):
        exp_path = os.path.join(CORPUS, "kics", d, "expected.json")
        if not os.path.isfile(exp_path):
            continue
        exp = json.load(open(exp_path))
        rules = by_kics.get(exp["check"]["kicsId"].lower(), [])
        tally = Tally()
        for name, label in exp["files"].items():
            uri = f"kics/{d}/{name}"
            want = {(uri, x["line"]): x.get("resourceType", "?") for x in label["findings"]}
            got = {(uri, f["line"]): f["resource_type"] or "?" for f in ours(uri, rules)}
            for key, rtype in want.items():
                hit = key in got
                tally.add(tp=hit, fn=not hit)
                if rules:
                    per_type[rtype].add(tp=hit, fn=not hit)
            for key, rtype in got.items():
                if key not in want:
                    tally.add(fp=1)
                    per_type[rtype].add(fp=1)
        rows.append(("kics", d, rules, tally))

    for d in sorted(os.listdir(os.path.join(CORPUS, "trivy"))):
        exp_path = os.path.join(CORPUS, "trivy", d, "expected.json")
        if not os.path.isfile(exp_path):
            continue
        exp = json.load(open(exp_path))
        rules = by_trivy.get(exp["check"]["avdId"].upper(), [])
        tally = Tally()
        for name, label in exp["files"].items():
            uri = f"trivy/{d}/{name}"
            flagged = bool(ours(uri, rules))
            t = templates.get(uri, {})
            rtypes = [rt for rt in t.get("resource_types", {}) if any(rt in types_of[r] for r in rules)] or ["?"]
            bad = label["label"] == "bad"
            tally.add(tp=bad and flagged, fp=(not bad) and flagged, fn=bad and not flagged)
            if rules:
                per_type[rtypes[0]].add(tp=bad and flagged, fp=(not bad) and flagged, fn=bad and not flagged)
        rows.append(("trivy", d, rules, tally))

    for d in sorted(os.listdir(os.path.join(CORPUS, "cfn_guard"))):
        exp_path = os.path.join(CORPUS, "cfn_guard", d, "expected.json")
        if not os.path.isfile(exp_path):
            continue
        exp = json.load(open(exp_path))
        for case in exp["cases"]:
            uri = f"cfn_guard/{d}/{case['file']}"
            for rule_name, want in case["expect"].items():
                rules = by_guard.get(rule_name.upper(), [])
                key = (rule_name, tuple(rules))
                row = next((r for r in rows if r[0] == "cfn_guard" and r[1] == rule_name), None)
                if row is None:
                    row = ("cfn_guard", rule_name, rules, Tally())
                    rows.append(row)
                t = templates.get(uri, {})
                applicable = [rt for rt in t.get("resource_types", {}) if any(rt in types_of[r] for r in rules)]
                if ours(uri, rules):
                    got = "FAIL"
                elif not applicable or ours(uri, rules, suppressed=True):
                    got = "SKIP"
                else:
                    got = "PASS"
                fail_w, fail_g = want == "FAIL", got == "FAIL"
                # Statuses other than FAIL must agree too: a PASS read as SKIP
                # is counted against precision of the negative call.
                mismatch = (want != got) and not fail_w and not fail_g
                row[3].add(tp=fail_w and fail_g, fp=(not fail_w and fail_g) or mismatch, fn=fail_w and not fail_g)
                if rules:
                    rt = applicable[0] if applicable else "?"
                    per_type[rt].add(tp=fail_w and fail_g, fp=(not fail_w and fail_g) or mismatch, fn=fail_w and not fail_g)

    failing = []
    print(f"{'source':9} {'check':62} {'rules':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6}")
    covered = 0
    for source, name, rules, t in rows:
        mark = ""
        if rules:
            covered += 1
            if t.precision() < THRESHOLD or t.recall() < THRESHOLD:
                failing.append(f"{source}/{name}")
                mark = "  <-- below 0.95"
        print(f"{source:9} {name[:62]:62} {len(rules):5} {t.tp:4} {t.fp:4} {t.fn:4} {t.precision():6.2f} {t.recall():6.2f}{mark}")
    print()
    print(f"{'resource type':40} {'TP':>5} {'FP':>5} {'FN':>5} {'prec':>6} {'recall':>6}")
    for rt, t in sorted(per_type.items()):
        print(f"{rt:40} {t.tp:5} {t.fp:5} {t.fn:5} {t.precision():6.2f} {t.recall():6.2f}")
    total = len(rows)
    print(f"\n{covered} of {total} labelled checks have a built-in rule; "
          f"{covered - len(failing)} agree at >= {THRESHOLD}, {len(failing)} below")
    if failing:
        print("below 0.95: " + ", ".join(failing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
