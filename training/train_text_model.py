"""Train the rules engine's statistical text model (moderation/rules/statistical.py).

    python training/train_text_model.py [--output moderation/rules/models/text_model.npz] [--limit N]

Reads the three labelled data sets (training/datasets.py), featurises every row with the run-time
featuriser, learns idf on the training rows, and fits one scikit-learn LogisticRegression per head:
  offensive  OLID training rows (adding Davidson and Hatemoji is tried too; validation decides)
  targeted   OLID training rows marked offensive (TIN vs UNT)
  hate       Davidson + Hatemoji training rows
C, class weighting and the decision threshold of each head are chosen on the validation split only
(threshold maximising macro-F1 for offensive and targeted, F1 of the hate class for hate); the test
split is scored once, at the end, for the record. Writes the model (.npz) and its training figures
(.json, same name) side by side. Deterministic: same data, same model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from moderation.rules import statistical  # noqa: E402
from moderation.rules.statistical import HEADS, N_BUCKETS, TextModel  # noqa: E402
from training import datasets  # noqa: E402

C_GRID = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
CLASS_WEIGHTS = (None, "balanced")
THRESHOLDS = np.round(np.arange(0.02, 0.985, 0.01), 2)
SEED = 0
# Which data sets feed each head, and the metric that picks its settings on validation.
HEAD_METRIC = {"offensive": "macro_f1", "targeted": "macro_f1", "hate": "f1"}
OFFENSIVE_SOURCES = (("olid",), ("olid", "davidson"), ("olid", "davidson", "hatemoji"))
HEAD_SOURCES = {"targeted": ("olid",), "hate": ("davidson", "hatemoji")}


def figures(y_true, y_pred) -> dict[str, float | int]:
    """Precision, recall and F1 of the positive class, and macro-F1 over both classes."""
    t = np.asarray(y_true, dtype=bool)
    p = np.asarray(y_pred, dtype=bool)
    tp = int(np.sum(t & p))
    fp = int(np.sum(~t & p))
    fn = int(np.sum(t & ~p))
    tn = int(np.sum(~t & ~p))

    def f1(tp_: int, fp_: int, fn_: int) -> float:
        return 2 * tp_ / (2 * tp_ + fp_ + fn_) if tp_ else 0.0

    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    pos, neg = f1(tp, fp, fn), f1(tn, fn, fp)
    return {
        "n": int(t.size),
        "positives": int(t.sum()),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(pos, 4),
        "macro_f1": round((pos + neg) / 2, 4),
    }


def best_threshold(y_true, proba, metric: str) -> tuple[float, float]:
    best = (0.5, -1.0)
    for t in THRESHOLDS:
        score = figures(y_true, proba >= t)[metric]
        if score > best[1] + 1e-12:
            best = (float(t), float(score))
    return best


@dataclass
class Featurised:
    """Rows of one data set split, with their counts, labels and (once idf is known) features."""

    dataset: str
    split: str
    rows: list
    counts: list
    matrix: object = None  # scipy.sparse.csr_matrix

    def labels(self, head: str) -> tuple[np.ndarray, np.ndarray]:
        """(row positions labelled for the head, their labels)."""
        keep = [i for i, r in enumerate(self.rows) if r.labels[head] is not None]
        return np.array(keep, dtype=np.int64), np.array([self.rows[i].labels[head] for i in keep], dtype=bool)


def document_frequency(all_counts: list, block: str) -> np.ndarray:
    # Each row's indices are unique, so counting them counts the rows each bucket occurs in.
    idx = [getattr(c, f"{block}_idx") for c in all_counts]
    return np.bincount(np.concatenate(idx), minlength=N_BUCKETS) if idx else np.zeros(N_BUCKETS, dtype=np.int64)


def to_matrix(counts: list, word_idf: np.ndarray, char_idf: np.ndarray):
    """The run-time features (statistical.weigh) of each row, as one sparse matrix [word | char]."""
    from scipy import sparse

    indptr = [0]
    indices: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for c in counts:
        w = statistical.weigh(c.word_idx, c.word_cnt, word_idf)
        ch = statistical.weigh(c.char_idx, c.char_cnt, char_idf)
        indices += [c.word_idx, c.char_idx + N_BUCKETS]
        values += [w, ch]
        indptr.append(indptr[-1] + len(w) + len(ch))
    idx = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    val = np.concatenate(values) if values else np.zeros(0)
    return sparse.csr_matrix((val, idx, np.array(indptr)), shape=(len(counts), 2 * N_BUCKETS))


def stack(parts: list[Featurised], head: str):
    from scipy import sparse

    mats, ys = [], []
    for part in parts:
        keep, y = part.labels(head)
        if len(keep):
            mats.append(part.matrix[keep])
            ys.append(y)
    if not mats:
        return None, np.zeros(0, dtype=bool)
    return sparse.vstack(mats).tocsr(), np.concatenate(ys)


def fit(x, y, c: float, class_weight):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight=class_weight, solver="liblinear", max_iter=2000, random_state=SEED)
    model.fit(x, y)
    return model


@dataclass
class Weights:
    """Fitted heads as the .npz stores them: one column per head over both feature blocks, and a
    digest of them that names the model's version."""

    coef: np.ndarray
    intercept: np.ndarray
    thresholds: np.ndarray

    @classmethod
    def of(cls, used: np.ndarray, fitted: list, thresholds: list[float]) -> Weights:
        """``fitted`` LogisticRegressions, trained on the feature columns ``used``, one per head."""
        coef = np.zeros((2 * N_BUCKETS, len(fitted)), dtype=np.float32)
        for j, model in enumerate(fitted):
            coef[used, j] = model.coef_[0]
        intercept = np.array([model.intercept_[0] for model in fitted], dtype=np.float32)
        return cls(coef, intercept, np.array(thresholds, dtype=np.float32))

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.coef.tobytes() + self.intercept.tobytes() + self.thresholds.tobytes()).hexdigest()[
            :12
        ]

    def model(self, word_idf: np.ndarray, char_idf: np.ndarray, heads, meta: dict) -> TextModel:
        return TextModel(
            word_idf=word_idf,
            char_idf=char_idf,
            word_coef=self.coef[:N_BUCKETS],
            char_coef=self.coef[N_BUCKETS:],
            intercept=self.intercept,
            thresholds=self.thresholds,
            heads=heads,
            meta=meta,
        )


def tune(head: str, x_train, y_train, x_val, y_val, log) -> dict:
    """The best (C, class weight, threshold) on validation, and the fitted model."""
    metric = HEAD_METRIC[head]
    if len(np.unique(y_train)) < 2:
        raise SystemExit(f"{head}: the training rows hold only one class; use more data (raise --limit)")
    best: dict | None = None
    for cw in CLASS_WEIGHTS:
        for c in C_GRID:
            model = fit(x_train, y_train, c, cw)
            proba = model.predict_proba(x_val)[:, 1]
            threshold, score = best_threshold(y_val, proba, metric)
            log(f"  {head}: C={c:<5} class_weight={cw!s:<8} threshold={threshold:.2f} validation {metric}={score:.3f}")
            if best is None or score > best["score"] + 1e-9:
                best = {"C": c, "class_weight": cw, "threshold": threshold, "score": score, "model": model}
    assert best is not None
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=statistical.MODEL_PATH, help="where to write the .npz")
    parser.add_argument("--data", type=Path, default=datasets.DATA_DIR, help="folder holding the data sets")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N rows of each file")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    started = time.perf_counter()

    parts: dict[tuple[str, str], Featurised] = {}
    for name in datasets.NAMES:
        for split, rows in datasets.splits(name, args.data, args.limit).items():
            parts[name, split] = Featurised(name, split, rows, [statistical.counts(r.text) for r in rows])
    log(f"featurised {sum(len(p.rows) for p in parts.values())} rows in {time.perf_counter() - started:.1f} s")

    train_counts = [c for (_, split), p in parts.items() if split == "train" for c in p.counts]
    word_idf = statistical.smooth_idf(document_frequency(train_counts, "word"), len(train_counts))
    char_idf = statistical.smooth_idf(document_frequency(train_counts, "char"), len(train_counts))
    for p in parts.values():
        p.matrix = to_matrix(p.counts, word_idf, char_idf)
    # Fit only on the columns some training row uses: the others would get weight 0 anyway (their
    # gradient is 0 under L2), and leaving them out makes liblinear many times faster.
    used = np.unique(np.concatenate([p.matrix.indices for (_, s), p in parts.items() if s == "train"]))
    for p in parts.values():
        p.matrix = p.matrix[:, used]
    log(f"{used.size} of {2 * N_BUCKETS} hashed features occur in the training rows")

    def part_list(names: tuple[str, ...], split: str) -> list[Featurised]:
        return [parts[n, split] for n in names]

    chosen: dict[str, dict] = {}
    offensive_trials = []
    x_val, y_val = stack(part_list(("olid",), "validation"), "offensive")
    for sources in OFFENSIVE_SOURCES:
        log(f"offensive head trained on {' + '.join(sources)}")
        x_train, y_train = stack(part_list(sources, "train"), "offensive")
        best = tune("offensive", x_train, y_train, x_val, y_val, log)
        offensive_trials.append(
            {
                "sources": list(sources),
                "C": best["C"],
                "class_weight": best["class_weight"],
                "validation": best["score"],
            }
        )
        if "offensive" not in chosen or best["score"] > chosen["offensive"]["score"] + 1e-9:
            chosen["offensive"] = best | {"sources": sources, "train_rows": int(y_train.size)}
    for head, sources in HEAD_SOURCES.items():
        log(f"{head} head trained on {' + '.join(sources)}")
        x_train, y_train = stack(part_list(sources, "train"), head)
        x_val, y_val = stack(part_list(sources, "validation"), head)
        chosen[head] = tune(head, x_train, y_train, x_val, y_val, log) | {
            "sources": sources,
            "train_rows": int(y_train.size),
        }

    weights = Weights.of(used, [chosen[h]["model"] for h in HEADS], [chosen[h]["threshold"] for h in HEADS])
    digest = weights.digest
    trained = datetime.now(UTC).date().isoformat()
    meta = {
        "version": f"text-1-{digest}",
        "featuriser": statistical.FEATURISER_VERSION,
        "trained": trained,
        "heads": {
            h: {
                "sources": list(chosen[h]["sources"]),
                "C": chosen[h]["C"],
                "class_weight": chosen[h]["class_weight"],
                "threshold": chosen[h]["threshold"],
            }
            for h in HEADS
        },
        "limit": args.limit,
    }
    model = weights.model(word_idf, char_idf, HEADS, meta)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.output)

    # Held-out figures, at each head's chosen threshold.
    report_sets = {
        "offensive": [("olid",)],
        "targeted": [("olid",)],
        "hate": [("davidson", "hatemoji"), ("davidson",), ("hatemoji",)],
    }
    results: dict[str, dict] = {}
    for head in HEADS:
        best = chosen[head]
        results[head] = {
            "sources": list(best["sources"]),
            "train_rows": best["train_rows"],
            "C": best["C"],
            "class_weight": best["class_weight"],
            "threshold": best["threshold"],
            "selected_by": f"validation {HEAD_METRIC[head]}",
        }
        for split in ("validation", "test"):
            for names in report_sets[head]:
                x, y = stack(part_list(names, split), head)
                if x is None:
                    continue
                pred = best["model"].predict_proba(x)[:, 1] >= best["threshold"]
                results[head].setdefault(split, {})["+".join(names)] = figures(y, pred)
    results["offensive"]["source_trials"] = offensive_trials

    report = {
        "model": str(args.output.name),
        "version": meta["version"],
        "featuriser": statistical.FEATURISER_VERSION,
        "trained": trained,
        "buckets_per_block": N_BUCKETS,
        "rows": {f"{n}/{s}": len(parts[n, s].rows) for n in datasets.NAMES for s in datasets.SPLITS},
        "split": "SHA-256 of data set name and row id: 70% train, 10% validation, 20% test; "
        "Hatemoji's validation.csv is all test",
        "limit": args.limit,
        "heads": results,
        "citations": datasets.CITATIONS,
        "seconds": round(time.perf_counter() - started, 1),
    }
    json_path = args.output.with_suffix(".json")
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    size = args.output.stat().st_size / 1e6
    log(f"wrote {args.output} ({size:.1f} MB) and {json_path.name}, version {meta['version']}")
    for head in HEADS:
        for names, fig in results[head]["test"].items():
            log(
                f"test {head:<9} on {names:<17} P {fig['precision']:.3f} R {fig['recall']:.3f} "
                f"F1 {fig['f1']:.3f} macro-F1 {fig['macro_f1']:.3f} (n={fig['n']})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
