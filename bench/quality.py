"""Quality of the rules engine on held-out labelled data and the functional test cases.

    python bench/quality.py [--json figures.json] [--limit N]

Scores, on the test split of each data set (training/datasets.py: never trained or tuned on):
  OLID offensive               = any rule 1-3 hit                 (OLID subtask A OFF)
  Davidson hate                = a rule 3 hit                     (class 0)
  Davidson offensive-or-hate   = any rule 1-3 hit                 (class 0 or 1)
  Hatemoji hate                = a rule 3 hit                     (label_gold 1)
first for the whole engine (moderation.rules.engine.Engine, as the app runs it), then for the
statistical text model's heads alone (moderation/rules/statistical.py, at their stored thresholds;
offensive-or-hate = either head). Then the functional cases in tests/rules/functional_cases.jsonl:
accuracy per functionality ("hateful" read as a rule 3 hit, right when hit == hateful), threat
recall (threat cases with a rule 2 "threat" hit) and the false-threat rate on the other cases.
Last, rules 4 and 5 through training/eval_rules45.py, when it is there.
Prints precision / recall / F1 / macro-F1 to 3 decimals; --json writes every figure to a file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FUNCTIONAL_CASES = ROOT / "tests" / "rules" / "functional_cases.jsonl"
# Sets by twenty-one writers. Each of sets 2-21 was measured blind once, with the engine of its day,
# and then used for development (set 1 was written first and used from the start); sets 1-19 also
# train the hate-and-threat model (training/train_group_head.py). Sets 20 and 21 are never trained
# on; set 21 is held out of training and was the last to be measured blind (MODEL_CARD.md).
# The two "written" sets are by a writer of training data, used for development, never trained on.
FUNCTIONAL_SETS = {
    "development 1": FUNCTIONAL_CASES,
    "development 2": ROOT / "tests" / "rules" / "functional_holdout.jsonl",
    "development 3": ROOT / "tests" / "rules" / "functional_final.jsonl",
    "development 4": ROOT / "tests" / "rules" / "functional_blind.jsonl",
    "development 5": ROOT / "tests" / "rules" / "functional_blind2.jsonl",
    "development 6": ROOT / "tests" / "rules" / "functional_blind3.jsonl",
    "development 7": ROOT / "tests" / "rules" / "functional_blind4.jsonl",
    "development 8": ROOT / "tests" / "rules" / "functional_blind5.jsonl",
    "development 9": ROOT / "tests" / "rules" / "functional_blind6.jsonl",
    "development 9, threats": ROOT / "tests" / "rules" / "threats_blind6.jsonl",
    "development 10": ROOT / "tests" / "rules" / "functional_blind7.jsonl",
    "development 10, threats": ROOT / "tests" / "rules" / "threats_blind7.jsonl",
    "development 11 (threats only)": ROOT / "tests" / "rules" / "threats_blind8.jsonl",
    "development 12": ROOT / "tests" / "rules" / "functional_blind8.jsonl",
    "development 12, threats": ROOT / "tests" / "rules" / "threats_blind9.jsonl",
    "development 13": ROOT / "tests" / "rules" / "functional_blind9.jsonl",
    "development 13, threats": ROOT / "tests" / "rules" / "threats_blind10.jsonl",
    "development 14": ROOT / "tests" / "rules" / "functional_blind10.jsonl",
    "development 14, threats": ROOT / "tests" / "rules" / "threats_blind11.jsonl",
    "development 15": ROOT / "tests" / "rules" / "functional_blind11.jsonl",
    "development 15, threats": ROOT / "tests" / "rules" / "threats_blind12.jsonl",
    "development 16": ROOT / "tests" / "rules" / "functional_blind12.jsonl",
    "development 16, threats": ROOT / "tests" / "rules" / "threats_blind13.jsonl",
    "development 17": ROOT / "tests" / "rules" / "functional_blind13.jsonl",
    "development 17, threats": ROOT / "tests" / "rules" / "threats_blind14.jsonl",
    "development 18": ROOT / "tests" / "rules" / "functional_blind14.jsonl",
    "development 18, threats": ROOT / "tests" / "rules" / "threats_blind15.jsonl",
    "development 19": ROOT / "tests" / "rules" / "functional_blind15.jsonl",
    "development 19, threats": ROOT / "tests" / "rules" / "threats_blind16.jsonl",
    "development 20": ROOT / "tests" / "rules" / "functional_blind16.jsonl",
    "development 20, threats": ROOT / "tests" / "rules" / "threats_blind17.jsonl",
    "held out (set 21)": ROOT / "tests" / "rules" / "functional_blind17.jsonl",
    "held out (set 21), threats": ROOT / "tests" / "rules" / "threats_blind18.jsonl",
    "development: written hate and threats": ROOT / "tests" / "rules" / "hate_and_threats_written.jsonl",
    "development: ordinary replies": ROOT / "tests" / "rules" / "ordinary_replies.jsonl",
}
RULES_1_3 = {1, 2, 3}

# (key, title, data set, label read from the row, what counts as a positive prediction)
MAPPINGS = (
    ("olid_offensive", "OLID offensive (any rule 1-3)", "olid", "offensive", "rules_1_3"),
    ("davidson_hate", "Davidson hate (rule 3)", "davidson", "hate", "rule_3"),
    ("davidson_offensive_or_hate", "Davidson offensive-or-hate (any rule 1-3)", "davidson", "offensive", "rules_1_3"),
    ("hatemoji_hate", "Hatemoji hate (rule 3)", "hatemoji", "hate", "rule_3"),
)
# For the heads alone, also the offensive head by itself (the hate head adds to "any rule 1-3").
HEAD_MAPPINGS = (
    *MAPPINGS,
    ("olid_offensive_head", "OLID offensive (offensive head only)", "olid", "offensive", "offensive"),
)


def setup_django() -> None:
    # The house way for scripts: testing settings, no database needed here.
    os.environ.setdefault("SAFERPOL_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferpol.settings")
    import django

    django.setup()


def read_cases(path: Path) -> list[dict]:
    """The functional cases in a JSON-lines file, one per non-blank line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def engine_reader():
    """text -> {"rules_1_3": bool, "rule_3": bool, "threat": bool} from the whole engine."""
    from moderation.rules.engine import Engine

    engine = Engine()

    def read(text: str) -> dict[str, bool]:
        verdict = engine.classify(text)
        rules = verdict.rules
        return {
            "rules_1_3": bool(rules & RULES_1_3),
            "rule_3": 3 in rules,
            "threat": any(h.rule == 2 and h.category == "threat" for h in verdict.hits),
        }

    return read, Engine.VERSION


def heads_reader():
    """The same questions answered by the statistical heads alone, at their stored thresholds."""
    from moderation.rules.statistical import text_model

    model = text_model()

    def read(text: str) -> dict[str, bool]:
        flags = model.flags(model.scores(text))
        return {
            "rules_1_3": flags["offensive"] or flags["hate"],
            "rule_3": flags["hate"],
            "offensive": flags["offensive"],
        }

    return read, model.version


def score_datasets(read, test_rows: dict[str, list], mappings: tuple = MAPPINGS) -> dict[str, dict]:
    from training.train_text_model import figures

    predictions = {name: [read(row.text) for row in rows] for name, rows in test_rows.items()}
    out = {}
    for key, _, name, label, predicted in mappings:
        rows = test_rows[name]
        y_true = [bool(row.labels[label]) for row in rows]
        y_pred = [p[predicted] for p in predictions[name]]
        out[key] = figures(y_true, y_pred)
    return out


def score_functional(read, cases: list[dict], threats: bool) -> dict:
    right: dict[str, list[bool]] = defaultdict(list)
    threat_hits, other_threat_hits = [], []
    for case in cases:
        seen = read(case["text"])
        right[case["functionality"]].append(seen["rule_3"] == bool(case["hateful"]))
        if threats:
            (threat_hits if case["threat"] else other_threat_hits).append(seen["threat"])
    every = [ok for oks in right.values() for ok in oks]
    out: dict = {
        "n": len(cases),
        "accuracy": round(sum(every) / len(every), 4) if every else 0.0,
        "per_functionality": {
            name: {"n": len(oks), "accuracy": round(sum(oks) / len(oks), 4)} for name, oks in sorted(right.items())
        },
    }
    if threats:
        out["threat_recall"] = round(sum(threat_hits) / len(threat_hits), 4) if threat_hits else 0.0
        out["threat_cases"] = len(threat_hits)
        out["false_threat_rate"] = (
            round(sum(other_threat_hits) / len(other_threat_hits), 4) if other_threat_hits else 0.0
        )
        out["non_threat_cases"] = len(other_threat_hits)
    return out


def print_datasets(title: str, figures: dict[str, dict], mappings: tuple = MAPPINGS) -> None:
    print(f"\n== {title} ==")
    print(f"{'mapping':<44}{'n':>6}{'pos':>6}{'P':>8}{'R':>8}{'F1':>8}{'macro-F1':>10}")
    for key, label, *_ in mappings:
        f = figures[key]
        print(
            f"{label:<44}{f['n']:>6}{f['positives']:>6}{f['precision']:>8.3f}{f['recall']:>8.3f}"
            f"{f['f1']:>8.3f}{f['macro_f1']:>10.3f}"
        )


def print_functional(title: str, figures: dict) -> None:
    print(f"\n== {title} ==")
    for name, f in figures["per_functionality"].items():
        print(f"  {name:<24}{f['n']:>5}  accuracy {f['accuracy']:.3f}")
    print(f"  {'overall':<24}{figures['n']:>5}  accuracy {figures['accuracy']:.3f}")
    if figures.get("threat_cases"):
        print(f"  threat recall      {figures['threat_recall']:.3f} (of {figures['threat_cases']} threat cases)")
    if "threat_recall" in figures:
        print(f"  false-threat rate  {figures['false_threat_rate']:.3f} (of {figures['non_threat_cases']} other cases)")


def _numbers(prefix: str, value) -> list[tuple[str, object]]:
    """Flatten whatever eval_rules45 returns into (name, value) lines."""
    if isinstance(value, dict):
        return [line for k, v in value.items() for line in _numbers(f"{prefix}.{k}" if prefix else str(k), v)]
    if isinstance(value, list | tuple) and all(not isinstance(v, dict | list | tuple) for v in value):
        return [(prefix, list(value))]
    if isinstance(value, list | tuple):
        return [line for i, v in enumerate(value) for line in _numbers(f"{prefix}[{i}]", v)]
    return [(prefix, value)]


def rules45() -> dict:
    print("\n== Rules 4 and 5 (training/eval_rules45.py) ==")
    try:
        from training.eval_rules45 import evaluate_authors, evaluate_claims
    except ImportError as exc:
        print(f"  skipped: training/eval_rules45.py is not importable ({exc})")
        return {"skipped": str(exc)}
    out = {}
    for name, evaluate in (("claims", evaluate_claims), ("authors", evaluate_authors)):
        try:
            out[name] = evaluate()
        except Exception as exc:  # a broken evaluator must not lose the figures above
            print(f"  {name}: failed ({type(exc).__name__}: {exc})")
            out[name] = {"failed": f"{type(exc).__name__}: {exc}"}
            continue
        for key, value in _numbers(name, out[name]):
            shown = f"{value:.3f}" if isinstance(value, float) else value
            print(f"  {key:<48} {shown}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N rows of each data file")
    args = parser.parse_args()
    setup_django()
    from training import datasets

    started = time.perf_counter()
    test_rows = {name: datasets.splits(name, limit=args.limit)["test"] for name in datasets.NAMES}
    cases = read_cases(FUNCTIONAL_CASES)
    print("test rows: " + ", ".join(f"{name} {len(rows)}" for name, rows in test_rows.items()))
    print(f"functional cases: {len(cases)}")

    engine_read, engine_version = engine_reader()
    heads_read, model_version = heads_reader()
    report: dict = {"engine_version": engine_version, "text_model_version": model_version, "limit": args.limit}
    report["test_rows"] = {name: len(rows) for name, rows in test_rows.items()}

    report["engine"] = score_datasets(engine_read, test_rows)
    print_datasets(f"Whole engine ({engine_version}) on held-out test splits", report["engine"])
    report["heads"] = score_datasets(heads_read, test_rows, HEAD_MAPPINGS)
    title = f"Statistical heads alone ({model_version}) on held-out test splits"
    print_datasets(title, report["heads"], HEAD_MAPPINGS)

    report["functional_engine"] = {}
    for label, path in FUNCTIONAL_SETS.items():
        if not path.exists():
            continue
        set_cases = read_cases(path)
        figures = score_functional(engine_read, set_cases, threats=True)
        report["functional_engine"][label] = figures
        print_functional(f"Functional cases ({label}, {len(set_cases)}), whole engine", figures)
    report["functional_heads"] = score_functional(heads_read, cases, threats=False)
    print_functional("Functional cases, statistical hate head alone (no threat head)", report["functional_heads"])

    report["rules45"] = rules45()
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(f"\n{report['seconds']:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
