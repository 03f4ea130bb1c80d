#!/usr/bin/env python3
"""Re-grades a `grade` run of the local judge from its recorded probabilities (`scores` in grades.jsonl), to
choose the `probs` threshold on the calibration log without running the model again.

Usage: sweep.py GRADES.jsonl [--subset questions|all]
Prints, per decision rule, the items, GQR, the reference GQR, exact agreement and quadratic-weighted kappa
(the same formulas as `grade`'s summary: Sources/Eval/Grading/Agreement.swift).
"""

import json
import sys


def kappa(pairs):
    n = len(pairs)
    if n == 0:
        return None, None
    c = [[0] * 3 for _ in range(3)]
    for r, g in pairs:
        c[r - 1][g - 1] += 1
    rows = [sum(x) for x in c]
    cols = [sum(c[i][j] for i in range(3)) for j in range(3)]
    o = sum((i - j) ** 2 / 4 * c[i][j] for i in range(3) for j in range(3))
    e = sum((i - j) ** 2 / 4 * rows[i] * cols[j] / n for i in range(3) for j in range(3))
    exact = sum(c[i][i] for i in range(3)) / n
    return exact, (1 - o / e if e > 0 else None)


def main(argv):
    path = argv[1]
    subset = argv[argv.index("--subset") + 1] if "--subset" in argv else "questions"
    items = [json.loads(line) for line in open(path)]
    items = [i for i in items if i.get("quality") and i.get("reference_grade")]
    if subset == "questions":
        items = [i for i in items if i["response_kind"] == "question"]
    ref_gqr = sum(i["reference_grade"] == 3 for i in items) / max(1, len(items))
    rules = {"as graded": lambda i: i["quality"]}
    key = "p_good"
    for t in [x / 20 for x in range(1, 20)]:
        rules[f"{key} >= {t:.2f}"] = lambda i, t=t: 1 if i["quality"] == 1 else (3 if i["scores"][key] >= t else 2)
    if items and "p_targets_change" in items[0].get("scores", {}):
        for name in ["p_targets_change", "p_answerable"]:
            rules[f"{name} >= 0.5"] = lambda i, n=name: 1 if i["quality"] == 1 else (3 if i["scores"][n] >= 0.5 else 2)
    print(f"{len(items)} items ({subset}), reference GQR {ref_gqr:.3f}")
    for name, rule in rules.items():
        pairs = [(i["reference_grade"], rule(i)) for i in items]
        gqr = sum(g == 3 for _, g in pairs) / max(1, len(pairs))
        exact, k = kappa(pairs)
        print(f"{name:28s} GQR {gqr:.3f}  exact {exact:.3f}  kappa {k if k is None else round(k, 3)}")


if __name__ == "__main__":
    main(sys.argv)
