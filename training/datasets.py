"""The labelled data sets, and a split into train / validation / test that never changes.

    for row in load("olid"):                    # Row(id, text, labels)
        split_of("olid", row.id)                # "train", "validation" or "test"
    splits("davidson")["test"]                  # the held-out rows

The split hashes the data set name and row id with SHA-256 (70 / 10 / 20), so it does not depend
on row order, on which other rows are present, or on Python's per-process hash seed; a test row
is a test row for good. Hatemoji's own validation.csv is kept whole as part of its test split.

Labels (None = the row says nothing about that head and is left out of it):
  offensive  OLID subtask_a OFF; Davidson class 0 (hate) or 1 (offensive); Hatemoji label_gold 1
  targeted   OLID subtask_b TIN (only for OFF rows: TIN vs UNT)
  hate       Davidson class 0; Hatemoji label_gold 1 (OLID does not label hate)
  threat     Hatemoji type "threateninglanguage" (only Hatemoji labels threats)

Data sets (see ../shared/data/README.md):
  olid      Zampieri et al. 2019, "Predicting the Type and Target of Offensive Posts in Social
            Media" (OLID, OffensEval 2019), CC BY 4.0
  davidson  Davidson et al. 2017, "Automated Hate Speech Detection and the Problem of Offensive
            Language", MIT
  hatemoji  Kirk et al. 2022, "Hatemoji: A Test Suite and Adversarially-Generated Dataset for
            Benchmarking and Detecting Emoji-based Hate" (HatemojiBuild), CC BY 4.0
"""

from __future__ import annotations

import csv
import hashlib
import html
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("SAFERPOL_TRAINING_DATA", ROOT.parent / "shared" / "data"))

NAMES: tuple[str, ...] = ("olid", "davidson", "hatemoji")
SPLITS: tuple[str, ...] = ("train", "validation", "test")
# Percent of rows per split, in order.
SPLIT_SHARES = (("train", 70), ("validation", 10), ("test", 20))
HATEMOJI_DEV_PREFIX = "dev-"

CITATIONS = {
    "olid": "Zampieri et al. 2019, Predicting the Type and Target of Offensive Posts in Social Media "
    "(NAACL), OLID training set v1.0, CC BY 4.0",
    "davidson": "Davidson et al. 2017, Automated Hate Speech Detection and the Problem of Offensive Language "
    "(ICWSM), MIT licence",
    "hatemoji": "Kirk et al. 2022, Hatemoji: A Test Suite and Adversarially-Generated Dataset for Benchmarking "
    "and Detecting Emoji-based Hate (NAACL), HatemojiBuild train + validation, CC BY 4.0",
}


class Row(NamedTuple):
    id: str
    text: str
    labels: dict[str, bool | None]


def split_of(dataset: str, row_id: str) -> str:
    """Which split a row belongs to: a pure function of the data set name and the row id."""
    if dataset == "hatemoji" and row_id.startswith(HATEMOJI_DEV_PREFIX):
        return "test"
    digest = hashlib.sha256(f"{dataset}\x00{row_id}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") % 100
    for name, share in SPLIT_SHARES:
        if bucket < share:
            return name
        bucket -= share
    raise AssertionError("split shares must add up to 100")


def _text(raw: str) -> str:
    # Davidson stores emoji and ampersands as HTML entities ("&#128514;", "&amp;"), some of them
    # twice over ("&amp;#9773;"); a reply arrives as text, so the rows are read that way too.
    for _ in range(3):
        if "&" not in raw:
            break
        raw = html.unescape(raw)
    return raw


def load_olid(data_dir: Path = DATA_DIR, limit: int | None = None) -> Iterator[Row]:
    path = data_dir / "olid" / "olid-training-v1.0.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for n, rec in enumerate(reader):
            if limit is not None and n >= limit:
                return
            offensive = rec["subtask_a"] == "OFF"
            targeted = (rec["subtask_b"] == "TIN") if offensive else None
            labels = {"offensive": offensive, "targeted": targeted, "hate": None, "threat": None}
            yield Row(rec["id"], _text(rec["tweet"]), labels)


def load_davidson(data_dir: Path = DATA_DIR, limit: int | None = None) -> Iterator[Row]:
    path = data_dir / "davidson" / "labeled_data.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for n, rec in enumerate(csv.DictReader(fh)):
            if limit is not None and n >= limit:
                return
            cls = int(rec["class"])
            labels = {"offensive": cls in (0, 1), "targeted": None, "hate": cls == 0, "threat": None}
            yield Row(rec[""], _text(rec["tweet"]), labels)


def load_hatemoji(data_dir: Path = DATA_DIR, limit: int | None = None) -> Iterator[Row]:
    for filename, prefix in (("train.csv", "train-"), ("validation.csv", HATEMOJI_DEV_PREFIX)):
        with (data_dir / "hatemoji-build" / filename).open(encoding="utf-8", newline="") as fh:
            for n, rec in enumerate(csv.DictReader(fh)):
                if limit is not None and n >= limit:
                    break
                hateful = rec["label_gold"] == "1"
                threat = rec["type"] == "threateninglanguage"
                labels = {"offensive": hateful, "targeted": None, "hate": hateful, "threat": threat}
                yield Row(prefix + rec["entry_id"], _text(rec["text"]), labels)


LOADERS = {"olid": load_olid, "davidson": load_davidson, "hatemoji": load_hatemoji}


def load(name: str, data_dir: Path = DATA_DIR, limit: int | None = None) -> list[Row]:
    """Every row of one data set (the first ``limit`` rows of each file, if given)."""
    if name not in LOADERS:
        raise ValueError(f"unknown data set {name!r}; known: {', '.join(NAMES)}")
    return list(LOADERS[name](data_dir, limit))


def splits(name: str, data_dir: Path = DATA_DIR, limit: int | None = None) -> dict[str, list[Row]]:
    """One data set's rows by split."""
    out: dict[str, list[Row]] = {s: [] for s in SPLITS}
    for row in load(name, data_dir, limit):
        out[split_of(name, row.id)].append(row)
    return out
