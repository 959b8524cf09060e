"""The statistical stage: a linear model over word and character n-grams, trained on labelled
tweets (training/train_text_model.py), read alongside the rules.

It catches offensive language the word lists don't know, and, only where the reply names a
protected group, hate the grammar in groups.py didn't parse. It never outranks the rules: its
hits are low or medium severity and say that they come from the model and how sure it is.
"""

from __future__ import annotations

import re

from moderation.rules import encoder_head
from moderation.rules.abuse import negated_insult
from moderation.rules.context import addresses_reader
from moderation.rules.groups import group_mentioned, plainly_stated, reported_or_quoted
from moderation.rules.normalise import Document
from moderation.rules.statistical import text_model
from moderation.rules.verdict import Cue

# The hate head was trained on Davidson and Hatemoji, whose idea of hate is wider than rule 3's;
# it speaks only above this probability and only when a protected group is named.
HATE_FLOOR = 0.9
# Criticism of a politician is not a violation ("a disgrace, resign"), and a model trained on OLID
# cannot always tell; it speaks only from this floor, above the thresholds chosen on validation.
OFFENSIVE_FLOOR = 0.6
# Holding a politician to account uses hard words ("a disgrace", "incompetent", "resign") that the
# models learnt from insults; in a reply that reads as accountability they must be far surer.
ACCOUNTABILITY_FLOOR = 0.85
_ACCOUNTABILITY_RE = re.compile(
    r"\b(?:resign\w*|step down|stand down|failed|failing|failure|disgrace\w*|shame on you|shameful|incompetent"
    r"|incompetence|useless|lied|lying to us|vote (?:you|them|him|her) out|voted out|not vote|won't be voting"
    r"|never vote|accountab\w*|sack(?:ed)?|waste of (?:money|our money|taxpayers)|wasting|hypocri\w*|u-turn"
    r"|broken promises?|let (?:us|the town|residents|the ward) down|out of touch|answer for)\b"
)

# The cascade: the n-gram head reads every reply (a fraction of a millisecond); where it is unsure,
# the fine-tuned MiniLM (about 2 ms) is asked too and the two are weighed. Band, weight and
# threshold were chosen on OLID's validation split (models/offensive_minilm.json).
_CASCADE = encoder_head.metadata().get("runtime", {})
BAND = tuple(_CASCADE.get("uncertain_band", (0.3, 0.7)))
ENCODER_WEIGHT = _CASCADE.get("combination", {}).get("encoder_weight", 0.8)
COMBINED_THRESHOLD = _CASCADE.get("combination", {}).get("threshold", 0.53)


def detect(doc: Document, flagged: bool = False) -> list[Cue]:
    """The statistical stage. ``flagged``: the rules already found rule 1-3 trouble, so there is
    nothing left for the models to add and neither model is asked."""
    if flagged:
        return []
    model = text_model()
    scores = model.scores_document(doc)
    cues: list[Cue] = []
    # Said to someone, offensive language is incivility (rule 1); abuse (rule 2) stays with the
    # rules, which say what the abuse was. The cheap checks come first, so the encoder is only
    # asked about replies it could actually flag.
    s = doc.text
    aimed = addresses_reader(s, 0, len(s)) or "@" in doc.plain
    if aimed and not reported_or_quoted(doc) and not negated_insult(s):
        offensive, threshold, source = _offensive(doc, scores["offensive"], model.thresholds["offensive"])
        floor = ACCOUNTABILITY_FLOOR if _ACCOUNTABILITY_RE.search(s) else OFFENSIVE_FLOOR
        if offensive >= max(floor, threshold):
            cues.append(Cue(1, "incivility", round(offensive, 2), "low", _reason("offensive", offensive, source)))
    hate = scores["hate"]
    if hate >= HATE_FLOOR and plainly_stated(doc):
        category = group_mentioned(doc)
        if category is not None:
            cues.append(Cue(3, category, round(hate, 2), "medium", _reason("hateful", hate, "the text model")))
    return cues


def _offensive(doc: Document, ngram: float, ngram_threshold: float) -> tuple[float, float, str]:
    """The offensive probability, the threshold it is judged by, and which model said it."""
    if BAND[0] <= ngram < BAND[1]:
        second = encoder_head.offensive_scores([doc.original])
        if second is not None:
            combined = ENCODER_WEIGHT * second[0] + (1 - ENCODER_WEIGHT) * ngram
            return combined, COMBINED_THRESHOLD, "the text models"
    return ngram, ngram_threshold, "the text model"


def _reason(what: str, p: float, source: str) -> str:
    return f"reads as {what} to {source} ({p:.0%} sure); no rule matched, so check the wording"
