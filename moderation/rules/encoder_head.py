"""A second opinion on "offensive": all-MiniLM-L6-v2 fine-tuned on OLID, for the replies the n-gram
head is unsure about.

The model is ``models/offensive_minilm.onnx``: the six-layer MiniLM with a classification head,
fine-tuned on OLID's training split by ``training/train_encoder_head.py``, exported to ONNX and
quantised to int8. Its SHA-256 is checked once, when it is loaded: a different file is refused,
never run. ``models/offensive_minilm.json`` holds its training and held-out figures and the
thresholds chosen on the validation split.

    offensive_scores(["you absolute muppet", "thanks for fixing the bins"])  # [0.9…, 0.0…]
    offensive_scores([...])  # None when the model file is missing or fails its check

Each text goes through ``prepare()`` (the same function training used), then the project's
WordPiece tokeniser, cut to 64 tokens. Texts are run one at a time: the int8 model quantises its
activations per call, so a text padded into a batch could score a little differently from the same
text alone, and the engine reads one reply at a time anyway.

``SAFERPOL_ENCODER_THREADS`` sets the threads a call may use, as for ``encoder.py`` (default 1).
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from moderation.rules.encoder import cpu_session, file_sha256, threads_setting
from moderation.rules.normalise import MENTION_RE
from moderation.rules.wordpiece import WordPieceTokenizer

logger = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent / "models"
MODEL_PATH = MODELS_DIR / "offensive_minilm.onnx"
META_PATH = MODELS_DIR / "offensive_minilm.json"
# The SHA-256 of the file training/train_encoder_head.py wrote; it prints the new value after a
# retrain, and it must be copied here by hand, so a model is only run once someone has chosen it.
MODEL_SHA256 = "f300edb9f37efab66f6ca538773aedd740e28947d2c693e6d979be631ba80410"
MAX_TOKENS = 64

_MENTIONS_RE = re.compile(r"@user(?:\s+@user)+")
_LINK_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


class EncoderHeadUnavailable(RuntimeError):
    """The fine-tuned model cannot run here: its file is missing or is not the one we checked."""


def prepare(text: str) -> str:
    """The text as the model reads it, in training and at run time alike.

    OLID writes every mention as "@USER" and every link as "URL". Replies carry real handles and
    links, which say who and where, not how; both become OLID's placeholders, and a run of mentions
    becomes one, so a reply opening with six handles does not spend its 64 tokens on them.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if "&" in text:
        text = html.unescape(text)
    text = _LINK_RE.sub("URL", text)
    text = MENTION_RE.sub("@user", text)
    return _MENTIONS_RE.sub("@user", text)


class FineTunedHead:
    """A fine-tuned MiniLM exported to ONNX: one text in, its logits out. The file's SHA-256 is
    checked when it is loaded (``sha256=None`` skips that, for a model being evaluated)."""

    what = "model"
    unavailable: type[RuntimeError] = EncoderHeadUnavailable

    def __init__(self, path: Path, *, sha256: str | None, threads: int | None = None) -> None:
        if not path.is_file():
            raise self.unavailable(f"The {self.what}'s file {path} is not there; run its training script to build it.")
        if sha256 is not None:
            found = file_sha256(path)
            if found != sha256:
                raise self.unavailable(
                    f"Refusing to run {path}: its SHA-256 is {found}, expected {sha256}. "
                    "The file is damaged or is not the model this code was checked with."
                )
        self.path = path
        self.tokenizer = WordPieceTokenizer(max_tokens=MAX_TOKENS)
        self._session = cpu_session(path, threads or threads_setting(self.unavailable))

    def encode(self, text: str) -> list[int]:
        """Token ids of one text as the model reads it."""
        return self.tokenizer.encode(prepare(text))

    def logits(self, text: str) -> np.ndarray:
        ids = np.array([self.encode(text)], dtype=np.int64)
        return self._session.run(
            ["logits"],
            {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)},
        )[0][0]


class OffensiveEncoderHead(FineTunedHead):
    """The fine-tuned MiniLM: texts in, probabilities that each is offensive (OLID's sense) out."""

    what = "offensive encoder head"

    def __init__(self, path: Path = MODEL_PATH, *, sha256: str | None = MODEL_SHA256, threads: int | None = None):
        super().__init__(path, sha256=sha256, threads=threads)

    def scores(self, texts: Sequence[str]) -> list[float]:
        """One probability in [0, 1] per text, in the order given."""
        out = []
        for text in texts:
            logits = self.logits(text)
            # Softmax over (not offensive, offensive), written to stay finite for any logits.
            out.append(float(1.0 / (1.0 + np.exp(np.clip(logits[0] - logits[1], -500.0, 500.0)))))
        return out


class Loaded:
    """A process's one copy of a model, loaded and checked on first use (safe from any thread).
    When it cannot load, ``get()`` answers None from then on and the reason is logged once."""

    def __init__(self, load, description: str) -> None:
        self._load = load
        self._description = description
        self._lock = threading.Lock()
        self._model = None
        self._refused: str | None = None

    def get(self):
        if self._model is None and self._refused is None:
            with self._lock:
                if self._model is None and self._refused is None:
                    try:
                        self._model = self._load()
                    except (RuntimeError, ImportError) as exc:
                        self._refused = str(exc)
                        logger.warning("%s unavailable: %s", self._description, exc)
        return self._model


def metadata(path: Path = META_PATH) -> dict:
    """The figures and validation-chosen thresholds written with a model ({} if there are none)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


_loaded = Loaded(lambda: OffensiveEncoderHead(MODEL_PATH), "offensive encoder head (the n-gram head judges alone)")


def encoder_head() -> OffensiveEncoderHead | None:
    """The process's one model, loaded and checked on first use; None (logged once) if it can't run."""
    return _loaded.get()


def offensive_scores(texts: Sequence[str]) -> list[float] | None:
    """Probability that each text is offensive, or None when the model can't run here."""
    head = encoder_head()
    if head is None:
        return None
    return head.scores(texts)
