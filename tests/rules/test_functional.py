"""Functional tests of the engine's judgement on hate and threats, one group of cases per
functionality (derogation, threats, slurs and their homonyms, negation, counter-speech, spelling
variants, emoji...). The cases are in functional_cases.jsonl, written for this project; "hateful"
is read as any rule-3 hit and "threat" as a rule-2 hit of category threat.

The floors are the issue's targets where the engine reaches them (90% overall, 70% on every
functionality) and the measured level otherwise (threat recall; the target is 98%), so a change
that makes the judgement worse fails here. ``python bench/quality.py`` prints the figures.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from moderation.rules.engine import Engine

CASES = Path(__file__).with_name("functional_cases.jsonl")


def _load() -> list[dict]:
    return [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def judged():
    engine = Engine()
    out = []
    for case in _load():
        verdict = engine.classify(case["text"])
        hateful = 3 in verdict.rules
        threat = any(h.rule == 2 and h.category == "threat" for h in verdict.hits)
        out.append((case, hateful, threat))
    return out


def test_the_cases_cover_every_functionality():
    seen = {case["functionality"] for case in _load()}
    assert len(seen) >= 33
    assert all(sum(1 for c in _load() if c["functionality"] == f) >= 20 for f in seen)


def test_overall_accuracy_is_at_least_90_percent(judged):
    right = sum(hateful == case["hateful"] for case, hateful, _ in judged)
    assert right / len(judged) >= 0.90


def test_every_functionality_is_at_least_70_percent(judged):
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case, hateful, _ in judged:
        per[case["functionality"]][0] += hateful == case["hateful"]
        per[case["functionality"]][1] += 1
    weak = {f: round(a / n, 2) for f, (a, n) in per.items() if a / n < 0.70}
    assert weak == {}


def test_threats_are_recognised(judged):
    threats = [(case, threat) for case, _, threat in judged if case["threat"]]
    assert len(threats) >= 80
    recall = sum(threat for _, threat in threats) / len(threats)
    assert recall >= 0.95


@pytest.mark.parametrize(
    ("file_name", "accuracy", "threat_recall"),
    [
        # Written by someone who saw neither the rules nor the first set; used as a second
        # development set. Implicit derogation (stereotypes that need world knowledge) is the known gap.
        ("functional_holdout.jsonl", 0.93, 0.98),
        # Written blind by a third writer and measured once before any change it prompted (89.6%
        # overall, 72.9% threat recall); it has since been used as a third development set.
        ("functional_final.jsonl", 0.94, 0.96),
        # Written blind by a fourth writer and measured once before any change it prompted (89.4%
        # overall, 80.9% threat recall); since used as a fourth development set.
        ("functional_blind.jsonl", 0.92, 0.95),
        # Written blind by a fifth writer and measured once (90.9% overall, 78.6% threat recall);
        # since used as a fifth development set, never to train the hate-and-threat model.
        ("functional_blind2.jsonl", 0.94, 0.97),
        # Written blind by a sixth writer and measured once (94.2% overall, 92.9% threat recall);
        # since used as a sixth development set, never to train the model.
        ("functional_blind3.jsonl", 0.94, 0.97),
        # Written blind by a seventh writer and measured once (91.6% overall, 76.2% threat recall);
        # since used as a seventh development set (the threat floor), never to train the model.
        ("functional_blind4.jsonl", 0.90, 0.88),
        # Written blind by an eighth writer and measured once (94.6% overall, 90.5% threat recall,
        # no false threats, no functionality below 71%). Never trained on.
        ("functional_blind5.jsonl", 0.93, 0.88),
        # Written blind by a ninth writer and measured once with the engine of its day (92.4%
        # overall, 71.4% threat recall, no false threats; implicit derogation 64%), with 150 more
        # threats and non-threats (65.5% threat recall, 3 false threats of 40). Since used for
        # development, and (like sets 2-8 and set 10) to train the hate-and-threat model.
        ("functional_blind6.jsonl", 0.94, 0.88),
        ("threats_blind6.jsonl", 0.92, 0.78),
        # Written blind by a tenth writer, many replies opening with handles, and measured once (91.1%
        # overall, 81.0% threat recall, 2 false threats; implicit derogation 50%), with 150 more
        # threats and non-threats (63.6% threat recall, 2 false threats of 40). Since used for
        # development and to train the model.
        ("functional_blind7.jsonl", 0.93, 0.85),
        ("threats_blind7.jsonl", 0.93, 0.86),
        # 300 threats and hard non-threats (sport, ordinary replies in the future tense, people
        # naming their own identity, political pressure) by an eleventh writer, measured once: 63.3%
        # threat recall, 10 false threats of 120. Since used for development, and from rules-2.6 (like
        # sets 12 and 13) to train the model.
        ("threats_blind8.jsonl", 0.94, 0.98),
        # Written blind by a twelfth writer (462 functional cases and 300 threats and hard
        # non-threats) and measured once with the engine before any change it prompted: 94.4%
        # overall, 95.2% threat recall, 3 false threats of 420 (implicit derogation 29%); threats
        # 66.1% recall, 3 false threats of 120. Since used for development; trains the model from
        # rules-2.6.
        ("functional_blind8.jsonl", 0.93, 0.98),
        ("threats_blind9.jsonl", 0.96, 0.90),
        # 750 cases by a writer of training data who saw neither the rules nor any set: implicit
        # and open hate, and threats against groups and people, half of them with no word of
        # violence. First scored with rules-2.3: 65.5% on hate (20% on implicit hate), 36.5% threat
        # recall. Since used for development (the reading of menace against a group), never to train
        # the model. The hardest set here: the floors are its measured level (rules-2.5: 66.5% on
        # hate, 59.8% threat recall; rules-2.6: 68.3%, 66.7%).
        ("hate_and_threats_written.jsonl", 0.67, 0.65),
        # Written blind by a thirteenth writer (462 functional cases and 300 threats and hard
        # non-threats) and measured once, with rules-2.3 and rules-2.4, before anything else was
        # done with it: 92.9% overall both times; threat recall 35/42 then 37/42, false threats 0
        # then 2 of 420 (implicit derogation 36%); threats 90/180 then 101/180, 2 false threats of
        # 120. Since used for development (rules-2.5), and to train the model (rules-2.6).
        ("functional_blind9.jsonl", 0.92, 0.97),
        ("threats_blind10.jsonl", 0.95, 0.87),
        # Written blind by a fourteenth writer (462 functional cases and 300 threats and hard
        # non-threats) and measured once, with rules-2.4 and rules-2.5, after the last change and
        # before anything else was done with it: 92.0% then 92.2% overall; threat recall 36/42 both
        # times, false threats 2 then 3 of 420 (implicit derogation 29%); threats 90/180 then
        # 102/180, 7 false threats of 120 both times. Never trained on; used for development in
        # rules-2.6 and rules-2.7 (96.8% overall, 40/42; threats 160/180).
        ("functional_blind10.jsonl", 0.96, 0.95),
        ("threats_blind11.jsonl", 0.92, 0.88),
        # Written blind by a fifteenth writer (462 functional cases and 300 threats and hard
        # non-threats) and measured once, with rules-2.5 and rules-2.6, after the last change and
        # before anything else was done with it: 91.1% then 91.8% overall; threat recall 40/42 then
        # 42/42, 4 false threats of 420 both times (implicit derogation 2/14 both times); threats
        # 119/180 then 140/180, false threats 6 then 4 of 120. Never trained on; used for
        # development in rules-2.7 (97.2% overall, 42/42; threats 157/180).
        ("functional_blind11.jsonl", 0.96, 0.97),
        ("threats_blind12.jsonl", 0.98, 0.86),
        # Written blind by a sixteenth writer (462 functional cases and 300 threats and hard
        # non-threats) and measured once, with rules-2.6 and rules-2.7, after the last change and
        # before anything else was done with it: 93.3% then 94.2% overall; threat recall 40/42 both
        # times, 5 false threats of 420 both times (implicit derogation 6/14 both times); threats
        # 144/180 then 147/180 (145 opened by handles), 5 false threats of 120 both times. Never
        # trained on; used for development in rules-2.8 (95.9% overall; threats 165/180).
        ("functional_blind12.jsonl", 0.95, 0.95),
        ("threats_blind13.jsonl", 0.98, 0.90),
        # Written blind by a seventeenth writer (462 functional cases and 300 threats and hard
        # non-threats) and measured once, with rules-2.7 and rules-2.8, after the last change and
        # before anything else was done with it: 96.3% overall both times (95.9% then 96.1% opened by
        # handles); threat recall 41/42 both times, 3 false threats of 420 (implicit derogation 12/14
        # both times); threats 148/180 then 149/180, 8 false threats of 120 both times. Never trained
        # on; used for development in rules-2.9, and from rules-3.0 to train the model.
        ("functional_blind13.jsonl", 0.96, 0.97),
        ("threats_blind14.jsonl", 0.97, 0.82),
        # Written blind by an eighteenth writer (462 functional cases and 300 threats and hard
        # non-threats) and measured once, with rules-2.8 and rules-2.9, after the last change and
        # before anything else was done with it: 95.9% overall both times (95.5% opened by handles);
        # threat recall 40/42 both times, 4 false threats of 420 (implicit derogation 6/14 both
        # times); threats 138/180 then 141/180, 6 false threats of 120 both times. Used for
        # development in rules-3.0 (96.3% overall; threats 154/180), and from rules-3.1 to train the model.
        ("functional_blind14.jsonl", 0.95, 0.95),
        ("threats_blind15.jsonl", 0.98, 0.85),
        # Written blind by a nineteenth writer (462 functional cases and 300 threats and hard
        # non-threats) and measured once, with rules-2.9 and rules-3.0, after the last change and
        # before anything else was done with it: 95.2% overall both times (94.4% opened by handles);
        # threat recall 39/42 then 40/42, false threats 3 then 1 of 420 (implicit derogation 4/14
        # then 5/14); threats 144/180 then 149/180, 2 false threats of 120 both times. Used for
        # development in rules-3.1, and from rules-3.2 to train the model.
        ("functional_blind15.jsonl", 0.95, 0.95),
        ("threats_blind16.jsonl", 0.98, 0.85),
        # Written blind by a twentieth writer (462 functional cases and 300 threats and hard
        # non-threats) and measured once, with rules-3.0 and rules-3.1, after the last change and
        # before anything else was done with it: 96.1% then 96.3% overall (95.9% then 96.1% opened by
        # handles); threat recall 39/42 then 40/42, no false threat of 420 (implicit derogation 7/14
        # both times); threats 143/180 then 147/180, 6 false threats of 120 both times. Never trained on;
        # used for development in rules-3.2 (97.8% overall; threats 168/180).
        ("functional_blind16.jsonl", 0.96, 0.95),
        ("threats_blind17.jsonl", 0.98, 0.81),
        # Written blind by a twenty-first writer (462 functional cases and 300 threats and hard
        # non-threats) and measured once, with rules-3.1 and rules-3.2, after the last change and
        # before anything else was done with it: 95.2% then 95.7% overall (the same opened by handles);
        # threat recall 41/42 both times, false threats 2 then 1 of 420 (implicit derogation 5/14 then
        # 7/14); threats 163/180 then 171/180, 2 false threats of 120 both times. Never trained on;
        # used for development after that measurement (96.5% overall; threats 175/180).
        ("functional_blind17.jsonl", 0.95, 0.97),
        ("threats_blind18.jsonl", 0.98, 0.94),
    ],
)
# Replies on X open with the handles they answer; the judgement must not change with them.
@pytest.mark.parametrize("opening", ["", "@cllr_amos @ward3news "], ids=["as written", "opened by handles"])
def test_each_later_set_holds_its_measured_level(file_name, accuracy, threat_recall, opening):
    engine = Engine()
    cases = [json.loads(x) for x in CASES.with_name(file_name).read_text().splitlines() if x]
    verdicts = [engine.classify(opening + c["text"]) for c in cases]
    right = sum((3 in v.rules) == c["hateful"] for c, v in zip(cases, verdicts, strict=True))
    caught = [v.hit("threat") is not None for c, v in zip(cases, verdicts, strict=True) if c["threat"]]
    assert right / len(cases) >= accuracy
    assert sum(caught) / len(caught) >= threat_recall


def test_figures_of_speech_are_not_threats(judged):
    calm = [threat for case, _, threat in judged if not case["threat"]]
    assert sum(calm) / len(calm) <= 0.02


@pytest.mark.parametrize(
    "text",
    [
        '"Muslims are vermin" - how can anyone write that?',
        "Saying women belong in the kitchen is pathetic.",
        "Black people are not inferior to anyone.",
        "No refugee deserves to be attacked in the street.",
        "I'm a proud queer councillor.",
        "Faggots, mash and peas at the Legion on Friday.",
        "Tories are parasites.",
        "I hate this bin policy.",
    ],
)
def test_counter_speech_negation_reclaiming_and_other_targets_stay_clean(text):
    assert 3 not in Engine().classify(text).rules


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Wmoen are too stupid for politics.", "sexism"),
        ("1 h4t3 mu5l1ms", "religion"),
        ("I h a t e immigrants", "racism"),
        ("trans people are 🐀🐀", "transphobia"),
        ("I met loads of disabled people and every one of them was useless.", "ableism"),
        ("Gay people? They make me sick.", "homophobia"),
        ("Why are Jews so greedy?", "religion"),
    ],
)
def test_hate_is_found_through_disguise_and_reference(text, category):
    verdict = Engine().classify(text)
    hit = verdict.hit(category)
    assert hit is not None and hit.rule == 3
    assert hit.reason  # says what it read


def test_a_threat_against_a_group_is_also_a_threat():
    verdict = Engine().classify("Immigrants should be shot on sight.")
    assert 3 in verdict.rules
    assert verdict.hit("threat") is not None
    assert verdict.severity == "critical"


# 950 ordinary replies to councillors by the same writer, in the shapes that fool a reader of
# threats and hate: the future tense, "you deserve", someone's routine or address, violent idioms,
# people naming their own identity, and jokes built like veiled threats ("you'll get what's coming
# to you: a thank-you card"). The measured level: 11 false threats (most of them jokes, which a
# moderator clears in a second; 23 before a joke that gives itself away was read as one, 14 before
# the model learnt look-alikes in rules-2.6) and 2 false hate flags (7 in rules-2.5).
@pytest.mark.parametrize("opening", ["", "@cllr_amos @ward3news "], ids=["as written", "opened by handles"])
def test_ordinary_replies_are_rarely_flagged(opening):
    engine = Engine()
    cases = [json.loads(x) for x in CASES.with_name("ordinary_replies.jsonl").read_text().splitlines() if x]
    assert len(cases) == 950 and not any(c["hateful"] or c["threat"] for c in cases)
    verdicts = [engine.classify(opening + c["text"]) for c in cases]
    assert sum(v.hit("threat") is not None for v in verdicts) <= 13
    assert sum(3 in v.rules for v in verdicts) <= 4
