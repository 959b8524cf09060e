"""A second reader of hate and threats: all-MiniLM-L6-v2 fine-tuned to say whether a reply is hate
against a protected group and whether it threatens violence, for the wordings the grammar in
groups.py and the patterns in threats.py don't know.

The model is ``models/group_minilm.onnx``, trained by ``training/train_group_head.py`` on Hatemoji,
OLID's clean tweets, cases the team wrote for training and functional sets 1-19 (never on the later
sets, which measure it), exported to ONNX and quantised to int8. Its SHA-256 is checked once, when it is
loaded: a different file is refused, never run. ``models/group_minilm.json`` holds its figures and
the thresholds chosen on validation.

    group_scores(["I'm driving my van straight into them"])  # [(hate, threat)], or None without the model

It reads the engine's normalised text (leetspeak undone, spaced letters joined), the same function
in training and at run time. ``SAFERPOL_ENCODER_THREADS`` sets its threads, as for ``encoder.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from moderation.rules.encoder_head import MAX_TOKENS, MODELS_DIR, FineTunedHead, Loaded, metadata
from moderation.rules.normalise import Document

MODEL_PATH = MODELS_DIR / "group_minilm.onnx"
META_PATH = MODELS_DIR / "group_minilm.json"
# Copied by hand from what training/train_group_head.py printed, so a model runs only once chosen.
MODEL_SHA256 = "6b625be48beab7d0703bb00be86475de541490935c9478fba540ef2dba342cc1"

__all__ = ["MAX_TOKENS", "GroupHead", "group_scores", "model_text", "model_words", "thresholds"]


# The model's vocabulary has almost no emoji, and an emoji can carry the whole meaning ("I would
# love to 🔪 some 👳🏾"); each is read as its Unicode name, with these few said plainly.
_EMOJI_SAID = {
    "HOCHO": "knife",
    "HEAVY BLACK HEART": "heart",
    "BLACK HEART SUIT": "heart",
    "WAVING WHITE FLAG": "flag",
    "EMOJI MODIFIER FITZPATRICK TYPE-1-2": "light skinned",
    "EMOJI MODIFIER FITZPATRICK TYPE-3": "",
    "EMOJI MODIFIER FITZPATRICK TYPE-4": "brown skinned",
    "EMOJI MODIFIER FITZPATRICK TYPE-5": "dark skinned",
    "EMOJI MODIFIER FITZPATRICK TYPE-6": "dark skinned",
}


@lru_cache(maxsize=4096)
def _emoji_words(ch: str) -> str:
    if unicodedata.category(ch) not in ("So", "Sk"):
        return ch
    name = unicodedata.name(ch, "")
    said = _EMOJI_SAID.get(name, name.lower())
    return f" {said} " if said else " "


# Handles and links say who and where, not how. Most replies on X open with one or more handles,
# while the model's clean examples (OLID's tweets) are the only ones that carry them: read with
# them, "@cllr_amos immigrants are parasites" scored 0.01 where the same words alone scored 0.98.
# (The engine's text reads "www." as "ww.".)
_HANDLE_OR_LINK_RE = re.compile(r"@\w+|(?:https?://|w{2,3}\.)\S+", re.IGNORECASE)


def model_words(seen: str) -> str:
    """The engine's normalised text (Document.text) as the model reads it: no handles or links,
    emoji as words."""
    if "@" in seen or "http" in seen or "ww." in seen:
        seen = " ".join(_HANDLE_OR_LINK_RE.sub(" ", seen).split())
    if seen.isascii():
        return seen
    return " ".join("".join(_emoji_words(ch) for ch in seen).split())


def model_text(text: str) -> str:
    """A reply as the model reads it, in training and at run time alike."""
    return model_words(Document(text).text)


class GroupHead(FineTunedHead):
    """Texts in, (hate, threat) probabilities out."""

    what = "hate and threat model"

    def __init__(self, path=MODEL_PATH, *, sha256: str | None = MODEL_SHA256, threads: int | None = None):
        super().__init__(path, sha256=sha256, threads=threads)

    def scores(self, texts: Sequence[str], prepared: bool = False) -> list[tuple[float, float]]:
        """``prepared``: the texts are already model_text() or model_words() of Document.text."""
        out = []
        for text in texts:
            logits = np.clip(self.logits(text if prepared else model_text(text)), -500.0, 500.0)
            hate, threat = (1.0 / (1.0 + np.exp(-logits))).tolist()
            out.append((hate, threat))
        return out


@lru_cache(maxsize=1)
def thresholds() -> dict[str, float]:
    """The thresholds chosen on validation ({} when the figures are missing); read once, not on
    every reply the model reads. Treat the answer as read-only."""
    return metadata(META_PATH).get("runtime", {}).get("thresholds", {})


_loaded = Loaded(lambda: GroupHead(MODEL_PATH), "hate and threat model (the rules judge alone)")


def group_head() -> GroupHead | None:
    return _loaded.get()


def group_scores(texts: Sequence[str], prepared: bool = False) -> list[tuple[float, float]] | None:
    """(hate, threat) probabilities per text, or None when the model can't run here."""
    head = group_head()
    return None if head is None else head.scores(texts, prepared=prepared)
