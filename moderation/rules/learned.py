"""The statistical stage: a linear model over word and character n-grams, trained on labelled
tweets (training/train_text_model.py), read alongside the rules.

It catches offensive language the word lists don't know, and, only where the reply names a
protected group, hate the grammar in groups.py didn't parse. It never outranks the rules: its
hits are low or medium severity and say that they come from the model and how sure it is.
"""

from __future__ import annotations

from moderation.rules.abuse import negated_insult
from moderation.rules.context import addresses_reader
from moderation.rules.groups import group_mentioned, plainly_stated, reported_or_quoted
from moderation.rules.normalise import Document
from moderation.rules.statistical import text_model
from moderation.rules.verdict import Cue

# The hate head was trained on Davidson and Hatemoji, whose idea of hate is wider than rule 3's;
# it speaks only above this probability and only when a protected group is named.
HATE_FLOOR = 0.9
# Criticism of a politician is not a violation, and the offensive head (trained on OLID, where
# "disgrace" and "resign" often sit in offensive tweets) cannot always tell; above its validation
# threshold it is right more often than not, so it speaks only from this higher floor.
OFFENSIVE_FLOOR = 0.75


def detect(doc: Document) -> list[Cue]:
    model = text_model()
    scores = model.scores_document(doc)
    cues: list[Cue] = []
    offensive = scores["offensive"]
    if (
        offensive >= max(OFFENSIVE_FLOOR, model.thresholds["offensive"])
        and not reported_or_quoted(doc)
        and not negated_insult(doc.text)
    ):
        # Profanity about potholes is not a violation; said to someone, it is incivility (rule 1).
        # Abuse (rule 2) stays with the rules, which say what the abuse was.
        s = doc.text
        if addresses_reader(s, 0, len(s)) or "@" in doc.plain:
            cues.append(Cue(1, "incivility", round(offensive, 2), "low", _reason("offensive", offensive)))
    hate = scores["hate"]
    if hate >= HATE_FLOOR and plainly_stated(doc):
        category = group_mentioned(doc)
        if category is not None:
            cues.append(Cue(3, category, round(hate, 2), "medium", _reason("hateful", hate)))
    return cues


def _reason(what: str, p: float) -> str:
    return f"reads as {what} to the text model ({p:.0%} sure); no rule matched, so check the wording"
