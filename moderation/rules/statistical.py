"""A fast statistical text model: hashed word and character n-grams, one logistic head per label.

The same featuriser serves training (training/train_text_model.py) and run time, so a text is
read identically in both. Run time needs numpy only.

    text -> html entities undone -> normalise() (fold, de-obfuscate, lowercase)
         -> @mentions, links, "rt" and the data sets' "@USER"/"URL" placeholders removed
         -> tokens: words (letters/digits, inner apostrophes; cut at 40 characters) and single
            symbols (emoji)
         -> word block: unigrams + bigrams;  char block: 2-5 character n-grams inside each token,
            padded with a space either side (like scikit-learn's char_wb)
         -> each n-gram hashed with zlib.crc32 into 2**18 buckets per block
         -> sublinear tf (1 + log count) * idf (learnt in training), L2-normalised per block.

Heads (probabilities):
  offensive  abusive, profane or insulting language (OLID subtask A);
  targeted   given offensive, aimed at a person or group rather than untargeted swearing (OLID B);
  hate       hate speech against a protected group (Davidson class 0, Hatemoji).

    model = text_model()            # loaded once per process
    model.scores("reply text")      # {"offensive": 0.93, "targeted": 0.81, "hate": 0.07}
    model.thresholds["offensive"]   # the decision threshold chosen on the validation split
"""

from __future__ import annotations

import html
import json
import math
import re
import threading
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from moderation.rules.normalise import Document

FEATURISER_VERSION = "hashed-tfidf-1"
HEADS: tuple[str, ...] = ("offensive", "targeted", "hate")
BITS = 18
N_BUCKETS = 1 << BITS
_MASK = N_BUCKETS - 1
CHAR_MIN, CHAR_MAX = 2, 5
# Longer tokens (a pasted wall of unspaced text) are cut here, which bounds the n-grams per token.
MAX_TOKEN = 40
MODEL_PATH = Path(__file__).resolve().parent / "models" / "text_model.npz"
# One head ("threat") on the same featuriser: which replies are worth the hate-and-threat model's
# time (training/train_threat_filter.py).
THREAT_FILTER_PATH = MODEL_PATH.with_name("threat_filter.npz")

# Applied to the normalised (lowercased) text. Mentions and links say who and where, not how;
# "rt", "@user" and "url" are artefacts of the training data and must not become signals.
# ("www." reads "ww." here: normalise() squeezes runs of a letter to two.)
_NOISE_RE = re.compile(r"(?:https?://|w{2,3}\.)\S+|@\w+|&#?\w+;|\b(?:rt|url)\b")
# A word (letters and digits, with inner apostrophes: "you're") or any other single non-space
# character; punctuation is dropped afterwards, symbols such as emoji are kept.
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]")

# Token -> (word bucket, char n-gram buckets). Words repeat a lot, so this saves most hashing.
_TOKEN_CACHE: dict[str, tuple[int, tuple[int, ...]]] = {}
_TOKEN_CACHE_LIMIT = 200_000
_SYMBOL_CACHE: dict[str, bool] = {}


def _bucket(s: str) -> int:
    return zlib.crc32(s.encode("utf-8", "surrogatepass")) & _MASK


def _is_symbol(ch: str) -> bool:
    keep = _SYMBOL_CACHE.get(ch)
    if keep is None:
        keep = unicodedata.category(ch)[0] == "S"
        if len(_SYMBOL_CACHE) < 10_000:
            _SYMBOL_CACHE[ch] = keep
    return keep


def clean(normalised: str) -> str:
    """The normalised text without mentions, links, entities and data set placeholders."""
    return _NOISE_RE.sub(" ", normalised)


def tokens(text: str) -> list[str]:
    """Tokens of a raw text, as the model reads them."""
    if not isinstance(text, str) or not text:
        return []
    if "&" in text:
        text = html.unescape(text)
    return _tokens_of_normalised(Document(text).text)


def _tokens_of_normalised(normalised: str) -> list[str]:
    out = []
    for tok in _TOKEN_RE.findall(clean(normalised)):
        if len(tok) == 1 and not tok.isalnum() and not _is_symbol(tok):
            continue  # punctuation
        out.append(tok if len(tok) <= MAX_TOKEN else tok[:MAX_TOKEN])
    return out


def char_ngrams(token: str) -> list[str]:
    """2-5 character n-grams of ' token ', as scikit-learn's char_wb analyser makes them."""
    w = f" {token} "
    length = len(w)
    grams = []
    for n in range(CHAR_MIN, CHAR_MAX + 1):
        if length <= n:
            grams.append(w)  # a short token counts once, whole
            break
        grams.extend(w[i : i + n] for i in range(length - n + 1))
    return grams


def word_ngrams(toks: Sequence[str]) -> list[str]:
    return [*toks, *(f"{a} {b}" for a, b in pairwise(toks))]


def _token_buckets(tok: str) -> tuple[int, tuple[int, ...]]:
    entry = _TOKEN_CACHE.get(tok)
    if entry is None:
        entry = (_bucket(tok), tuple(_bucket(g) for g in char_ngrams(tok)))
        if len(_TOKEN_CACHE) >= _TOKEN_CACHE_LIMIT:
            _TOKEN_CACHE.clear()
        _TOKEN_CACHE[tok] = entry
    return entry


@dataclass(frozen=True, slots=True)
class Counts:
    """Raw n-gram counts of one text: sorted unique bucket indices and how often each occurred."""

    word_idx: np.ndarray
    word_cnt: np.ndarray
    char_idx: np.ndarray
    char_cnt: np.ndarray


_EMPTY_IDX = np.zeros(0, dtype=np.int64)
_EMPTY_CNT = np.zeros(0, dtype=np.float64)


def _unique(buckets: list[int]) -> tuple[np.ndarray, np.ndarray]:
    if not buckets:
        return _EMPTY_IDX, _EMPTY_CNT
    idx, cnt = np.unique(np.array(buckets, dtype=np.int64), return_counts=True)
    return idx, cnt.astype(np.float64)


def counts_of_tokens(toks: Sequence[str]) -> Counts:
    word: list[int] = []
    char: list[int] = []
    for tok in toks:
        w, c = _token_buckets(tok)
        word.append(w)
        char.extend(c)
    word.extend(_bucket(f"{a} {b}") for a, b in pairwise(toks))
    word_idx, word_cnt = _unique(word)
    char_idx, char_cnt = _unique(char)
    return Counts(word_idx, word_cnt, char_idx, char_cnt)


@lru_cache(maxsize=8)
def _counts_of_normalised(normalised: str) -> Counts:
    # The text model and the threat filter read the same reply one after the other.
    return counts_of_tokens(_tokens_of_normalised(normalised))


def counts(text: str) -> Counts:
    """Hashed n-gram counts of a raw text."""
    return counts_of_tokens(tokens(text))


def weigh(idx: np.ndarray, cnt: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """Sublinear tf * idf, L2-normalised: the feature values for one block of one text."""
    if not len(idx):
        return _EMPTY_CNT
    vals = (1.0 + np.log(cnt)) * idf[idx]
    norm = math.sqrt(float(vals @ vals))
    return vals / norm if norm > 0 else vals


def smooth_idf(document_frequency: np.ndarray, n_documents: int) -> np.ndarray:
    """idf = ln((1 + n) / (1 + df)) + 1, as scikit-learn's TfidfTransformer(smooth_idf=True)."""
    df = np.asarray(document_frequency, dtype=np.float64)
    return (np.log((1.0 + n_documents) / (1.0 + df)) + 1.0).astype(np.float32)


class TextModel:
    """The trained heads with their idf, thresholds and training metadata."""

    def __init__(
        self,
        *,
        word_idf: np.ndarray,
        char_idf: np.ndarray,
        word_coef: np.ndarray,
        char_coef: np.ndarray,
        intercept: np.ndarray,
        thresholds: np.ndarray,
        heads: Sequence[str],
        meta: dict,
    ) -> None:
        shape = (N_BUCKETS, len(heads))
        if word_idf.shape != (N_BUCKETS,) or char_idf.shape != (N_BUCKETS,):
            raise ValueError("text model: idf has the wrong shape")
        if word_coef.shape != shape or char_coef.shape != shape or intercept.shape != (len(heads),):
            raise ValueError("text model: weights have the wrong shape")
        self.word_idf = np.ascontiguousarray(word_idf, dtype=np.float32)
        self.char_idf = np.ascontiguousarray(char_idf, dtype=np.float32)
        self.word_coef = np.ascontiguousarray(word_coef, dtype=np.float32)
        self.char_coef = np.ascontiguousarray(char_coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.heads: tuple[str, ...] = tuple(heads)
        # Stored as float32; rounded back to the two decimals they were chosen at.
        self.thresholds: dict[str, float] = {h: round(float(t), 4) for h, t in zip(self.heads, thresholds, strict=True)}
        self.meta = meta
        self.version: str = str(meta.get("version", "unknown"))

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> TextModel:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("featuriser") != FEATURISER_VERSION:
                raise ValueError(
                    f"text model {path} was built for featuriser {meta.get('featuriser')!r}, "
                    f"this code is {FEATURISER_VERSION!r}: retrain with training/train_text_model.py"
                )
            return cls(
                word_idf=data["word_idf"],
                char_idf=data["char_idf"],
                word_coef=data["word_coef"],
                char_coef=data["char_coef"],
                intercept=data["intercept"],
                thresholds=data["thresholds"],
                heads=[str(h) for h in data["heads"]],
                meta=meta,
            )

    def save(self, path: str | Path) -> None:
        np.savez_compressed(
            path,
            word_idf=self.word_idf,
            char_idf=self.char_idf,
            word_coef=self.word_coef,
            char_coef=self.char_coef,
            intercept=self.intercept.astype(np.float32),
            thresholds=np.array([self.thresholds[h] for h in self.heads], dtype=np.float32),
            heads=np.array(self.heads),
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
        )

    def _logits(self, c: Counts) -> np.ndarray:
        z = self.intercept.copy()
        if len(c.word_idx):
            z += weigh(c.word_idx, c.word_cnt, self.word_idf) @ self.word_coef[c.word_idx]
        if len(c.char_idx):
            z += weigh(c.char_idx, c.char_cnt, self.char_idf) @ self.char_coef[c.char_idx]
        return z

    def _probabilities(self, z: np.ndarray) -> dict[str, float]:
        # Clipped so a huge logit cannot overflow exp().
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0)))
        return {h: float(v) for h, v in zip(self.heads, p, strict=True)}

    def scores(self, text: str) -> dict[str, float]:
        """Probability per head for one raw text."""
        return self._probabilities(self._logits(counts(text)))

    def scores_document(self, doc: Document) -> dict[str, float]:
        """As scores(), for a text the engine has already normalised (saves normalising twice)."""
        return self._probabilities(self._logits(_counts_of_normalised(doc.text)))

    def scores_many(self, texts: Iterable[str]) -> list[dict[str, float]]:
        """Probability per head for each text; the same figures as scores() one by one."""
        return [self._probabilities(self._logits(counts(t))) for t in texts]

    def flags(self, scores: dict[str, float]) -> dict[str, bool]:
        """Which heads are at or above their validation-chosen threshold."""
        return {h: scores[h] >= self.thresholds[h] for h in self.heads}


_LOCK = threading.Lock()
_LOADED: dict[Path, TextModel] = {}


def _shared(path: Path) -> TextModel:
    """The model in ``path``, loaded on first use and shared by the whole process."""
    model = _LOADED.get(path)
    if model is None:
        with _LOCK:
            model = _LOADED.get(path)
            if model is None:
                model = _LOADED[path] = TextModel.load(path)
    return model


def text_model() -> TextModel:
    """The shipped model."""
    return _shared(MODEL_PATH)


def threat_filter() -> TextModel:
    """The shipped threat filter (one head, "threat")."""
    return _shared(THREAT_FILTER_PATH)
