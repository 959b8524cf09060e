"""The regex pre-checks: they may only ever skip a pattern that could not have matched."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from moderation.rules import abuse, claims, discrimination, threats
from moderation.rules.normalise import Document
from moderation.rules.patterns import alternation, pattern_grams, phrase, required_substrings, text_grams


def test_phrase_makes_spaces_optional_for_joined_letters():
    regex = phrase(r"\bkill you\b")
    assert regex.search("i will kill you")
    assert regex.search("i will killyou")


def test_alternation_splits_only_on_top_level_bars_and_puts_longer_items_first():
    assert alternation("old|old git|ruining (?:this|our) town") == "(?:ruining (?:this|our) town|old git|old)"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bkill you\b", ("kill you",)),
        (r"(?:kill|stab) ?bloke", ("bloke",)),  # one certain word beats a choice of two
        (r"(?:kill|stab) ?u", ("kill", "stab")),
        (r"a?b", ("b",)),
        (r"a?(?:b|c)?", None),  # nothing is certain to be in a match
        (r"(?=kill)\w+", None),  # lookarounds are not relied on
    ],
)
def test_required_substrings(pattern, expected):
    assert required_substrings(pattern) == expected


def _all_patterns() -> list[re.Pattern]:
    found = [p.regex for p in threats._PATTERNS] + [t.regex for t in discrimination._TERMS]
    for module in (threats, abuse, discrimination, claims):
        found += [value for value in vars(module).values() if isinstance(value, re.Pattern)]
    for pattern_set in (abuse._HARASSMENT, discrimination._EXCLUSION, claims._PHRASE_SET):
        found += [regex for regex, _ in pattern_set._entries]
    return found


def _texts() -> list[str]:
    demo = Path(__file__).resolve().parents[2] / "platforms" / "demo_data" / "replies.json"
    replies = [reply["text"] for reply in json.loads(demo.read_text(encoding="utf-8"))["replies"]]
    extra = [
        "I will kill you",
        "immigrants are vermin",
        "she lives at 27 Orchard Grove WF3 2LP",
        "ring her on 07700 900982",
        "send them back",
        "kill yourself",
        "the 1990s were better",
    ]
    return [view for text in replies + extra for view, _ in Document(text).views] + [
        Document(text).plain for text in replies + extra
    ]


def test_pre_checks_never_skip_a_pattern_that_would_match():
    texts = _texts()
    skipped_matches = []
    for regex in _all_patterns():
        grams = pattern_grams(regex)
        if grams is None:
            continue
        for text in texts:
            if grams.isdisjoint(text_grams(text)) and regex.search(text):
                skipped_matches.append((regex.pattern[:60], text))
    assert skipped_matches == []


def test_pre_checks_do_rule_out_most_patterns_for_an_ordinary_reply():
    text = Document("Thanks for sorting the streetlight on Church Lane so quickly.").text
    patterns = _all_patterns()
    skipped = [r for r in patterns if (g := pattern_grams(r)) is not None and g.isdisjoint(text_grams(text))]
    assert len(skipped) > len(patterns) / 2


def test_a_pattern_set_offers_exactly_the_patterns_a_text_could_wake_in_their_order():
    texts = _texts()
    for pattern_set in (abuse._HARASSMENT, discrimination._EXCLUSION, claims._PHRASE_SET, threats._PATTERN_SET):
        needs = [(regex, item, pattern_grams(regex)) for regex, item in pattern_set._entries]
        for text in texts:
            grams = text_grams(text)
            expected = [
                (regex, item) for regex, item, needed in needs if needed is None or not needed.isdisjoint(grams)
            ]
            assert pattern_set.candidates(text) == expected
