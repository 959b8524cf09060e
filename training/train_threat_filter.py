"""Train the threat filter: a cheap n-gram head that decides which replies the hate-and-threat
model (group_head.py) is asked about when they carry no word of violence or stock phrase of menace.

    python training/train_threat_filter.py [--output moderation/rules/models/threat_filter.npz]

Veiled threats against a politician often have no word the rules know ("your constituency office
has a back entrance, doesn't it? good to know"), and the MiniLM reads them well, but at about 2 ms
a reply it cannot read every reply aimed at someone and keep up with a pile-on. This filter reads a
reply in a fraction of a millisecond and passes on the ones that could be threats.

Reads the same rows as training/train_group_head.py (its ``examples``: Hatemoji, OLID's clean
tweets, the cases written for training and functional sets 1-19; never the measuring sets), and
fits a scikit-learn LogisticRegression on the run-time featuriser (statistical.py, the same hashed
word and character n-grams as the text model, with idf learnt on these training rows). A filter
must not lose threats: for each C the threshold is the highest that still passes RECALL of the
validation threats, and the C that passes the fewest validation rows at it is kept. Writes a
one-head statistical.TextModel (.npz) and its figures (.json, same name). Deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from moderation.rules import statistical  # noqa: E402
from training import datasets  # noqa: E402
from training.train_group_head import examples  # noqa: E402
from training.train_text_model import Weights, document_frequency, figures, fit, to_matrix  # noqa: E402

OUTPUT = statistical.THREAT_FILTER_PATH
C_GRID = (1.0, 4.0, 16.0)
# The share of validation threats the filter must pass on to the model.
RECALL = 0.95


def highest_threshold(y: np.ndarray, proba: np.ndarray, recall: float) -> float:
    """The highest threshold (to 2 decimals) at which at least ``recall`` of the positives pass."""
    positives = np.sort(proba[y])
    if not len(positives):
        raise SystemExit("threat filter: no threats in the validation rows")
    # The k-th lowest positive score, where k positives may fall below it.
    k = int(np.floor((1.0 - recall) * len(positives)))
    return float(np.floor(positives[k] * 100) / 100)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write the .npz")
    parser.add_argument("--data", type=Path, default=datasets.DATA_DIR, help="folder holding the data sets")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    rows = examples(args.data)
    counts = {split: [statistical.counts(r[0]) for r in rows[split]] for split in ("train", "validation")}
    y = {split: np.array([bool(r[2]) for r in rows[split]]) for split in ("train", "validation")}
    word_idf = statistical.smooth_idf(document_frequency(counts["train"], "word"), len(counts["train"]))
    char_idf = statistical.smooth_idf(document_frequency(counts["train"], "char"), len(counts["train"]))
    x = {split: to_matrix(counts[split], word_idf, char_idf) for split in counts}
    used = np.unique(x["train"].indices)
    x = {split: m[:, used] for split, m in x.items()}
    print(
        f"{len(rows['train'])} training rows ({int(y['train'].sum())} threats), "
        f"{len(rows['validation'])} validation rows ({int(y['validation'].sum())} threats)",
        flush=True,
    )

    best: dict | None = None
    trials = []
    for c in C_GRID:
        model = fit(x["train"], y["train"], c, "balanced")
        proba = model.predict_proba(x["validation"])[:, 1]
        threshold = highest_threshold(y["validation"], proba, RECALL)
        passed = float(np.mean(proba >= threshold))
        trials.append({"C": c, "threshold": threshold, "validation_passed": round(passed, 4)})
        print(f"  C={c:<5} threshold={threshold:.2f} passes {passed:.1%} of validation rows", flush=True)
        if best is None or passed < best["passed"] - 1e-9:
            best = {"C": c, "threshold": threshold, "passed": passed, "model": model, "proba": proba}
    assert best is not None

    weights = Weights.of(used, [best["model"]], [best["threshold"]])
    validation = figures(y["validation"], best["proba"] >= best["threshold"])
    meta = {
        "version": f"threat-filter-1-{weights.digest}",
        "featuriser": statistical.FEATURISER_VERSION,
        "trained": datetime.now(UTC).date().isoformat(),
        "rows": {split: len(rows[split]) for split in ("train", "validation")},
        "heads": {"threat": {"C": best["C"], "class_weight": "balanced", "threshold": best["threshold"]}},
        "recall_target": RECALL,
        "trials": trials,
        "validation": {"passed": round(best["passed"], 4), **validation},
        "seconds": round(time.perf_counter() - started, 1),
    }
    model = weights.model(word_idf, char_idf, ("threat",), meta)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.output)
    args.output.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"C={best['C']}, threshold {best['threshold']:.2f}: validation recall {validation['recall']:.3f}, "
        f"passes {best['passed']:.1%}; wrote {args.output} in {meta['seconds']} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
