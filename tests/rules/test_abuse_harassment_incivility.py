"""Rule 2 abuse and harassment, rule 1 incivility, and the criticism that is neither."""

from __future__ import annotations

import pytest

from moderation.rules import Engine

ENGINE = Engine()


def categories(text: str, author: dict | None = None) -> set[str]:
    return ENGINE.classify(text, author).categories


@pytest.mark.parametrize(
    "text",
    [
        "You absolute c*nt, the gritters never came",
        "You're a spineless piece of shit",
        "Tory scum, the lot of you",
        "You vermin. You'll never get my vote",
        "Waste of oxygen. Resign.",
        "you're a lying scumbag and everybody knows it",
    ],
)
def test_strong_personal_abuse_is_rule_2_high(text):
    abuse = ENGINE.classify(text).hit("abuse")
    assert abuse is not None
    assert (abuse.rule, abuse.severity) == (2, "high")


def test_abuse_is_never_reported_as_a_threat():
    verdict = ENGINE.classify("You worthless scumbag")
    assert "abuse" in verdict.categories
    assert "threat" not in verdict.categories
    assert verdict.severity == "high"


@pytest.mark.parametrize(
    "text",
    [
        "The vermin in the bins on Mill Lane are getting bigger every week",
        "Some scumbag nicked the defibrillator from the village hall",
    ],
)
def test_abusive_words_not_aimed_at_a_person_are_not_abuse(text):
    assert "abuse" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "You idiot, the bus stop is on the wrong side of the road",
        "What a clown. Fix the drains.",
        "Shut up and fix the potholes",
        "Absolute muppet. Three months for a dropped kerb.",
        "you plonker",
        "Useless. Totally useless, the lot of you.",
        "Fuck off with your consultation",
    ],
)
def test_insults_and_rude_dismissals_are_rule_1_low(text):
    verdict = ENGINE.classify(text)
    incivility = verdict.hit("incivility")
    assert incivility is not None
    assert (incivility.rule, incivility.severity) == (1, "low")
    assert verdict.severity == "low"


def test_all_caps_shouting_with_an_insult_scores_higher_and_says_so():
    quiet = ENGINE.classify("you are a moron").hit("incivility")
    loud = ENGINE.classify("YOU ARE A MORON AND EVERYONE KNOWS IT").hit("incivility")
    assert loud.score > quiet.score
    assert "capitals" in loud.reason


def test_shouting_at_the_reader_with_repeated_marks_is_rude():
    assert "incivility" in categories("WHEN ARE YOU GOING TO FIX THE STREETLIGHT?? TWO MONTHS!!")


def test_polite_capitals_are_not_rude():
    assert categories("PLEASE COULD YOU TELL ME WHEN THE GARDEN WASTE STARTS AGAIN. THANK YOU") == set()


@pytest.mark.parametrize(
    "text",
    [
        "This decision is a disgrace and you should resign.",
        "I won't be voting for you again after the library vote.",
        "You have failed this ward. Incompetent from start to finish.",
        "Shame on you for ignoring 400 objections.",
        "You lied to us about the bins. Resign.",
        "Useless decision from a council that never listens.",
        "The bus service is useless since the cuts.",
        "Stop wasting our money on consultants.",
    ],
)
def test_criticism_of_the_politician_is_not_a_violation(text):
    assert categories(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Bloody potholes again on the high street",
        "What the hell is going on with the bin collections?",
        "Some idiot has parked across the dropped kerb again",
    ],
)
def test_mild_language_or_insults_not_aimed_at_anyone_is_not_flagged(text):
    assert categories(text) == set()


def test_strong_language_not_aimed_at_anyone_is_the_mildest_flag():
    # Rule 1 asks for politeness; swearing about the roads is impolite, not abusive.
    verdict = ENGINE.classify("The state of these f***ing roads")
    assert [(h.rule, h.category, h.severity) for h in verdict.hits] == [(1, "incivility", "low")]
    assert "not aimed at anyone" in verdict.hits[0].reason


def test_profanity_aimed_at_the_reader_is_rude():
    assert "incivility" in categories("What the fuck have you done to the high street")


def test_negated_insult_is_not_an_insult():
    assert categories("I'm not calling you an idiot, I just think the plan is wrong") == set()


@pytest.mark.parametrize(
    "text",
    [
        "We're watching you, every vote, every meeting.",
        "You can't hide from us forever",
        "I'll make your life hell until you resign",
        "Block me and I'll just make another account",
        "I'll keep messaging you every hour until you answer",
    ],
)
def test_intimidation_and_persistent_contact_is_harassment(text):
    harassment = ENGINE.classify(text).hit("harassment")
    assert harassment is not None and harassment.rule == 2
    assert harassment.severity in ("medium", "high")


def test_repeating_the_same_demand_is_harassment():
    assert "harassment" in categories("Answer the question. Answer the question. Answer the question.")


@pytest.mark.parametrize(
    "text",
    [
        "nice legs at the hustings last night, show us a bit more next time",
        "bet you're good in bed",
        "send me nudes and I'll vote for you",
        "You're well fit for a councillor, what are you wearing?",
    ],
)
def test_sexualised_remarks_are_harassment(text):
    assert "harassment" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "We'll be watching the planning committee closely on Tuesday",
        "Please answer the question about the bus lane, residents deserve to know",
        "I'll keep asking at every meeting until we get a crossing",
    ],
)
def test_holding_a_politician_to_account_is_not_harassment(text):
    assert "harassment" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Who do you think you are, you pompous little toad",
        "You think you're clever? You're a joke and a coward",
        # A stray quotation mark quotes nothing.
        '"You are a pathetic excuse for a councillor',
    ],
)
def test_arguing_with_the_reader_in_the_replys_own_insults_is_rude(text):
    # "Who do you think", "you think" argue with the reader; they don't report someone else's words.
    assert "incivility" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "They keep saying you're a pompous toad, that's out of order",
        '"pathetic excuse for a councillor" was sprayed on your office, sorry to see it',
    ],
)
def test_insults_reported_or_quoted_from_someone_else_are_not_the_replys_own(text):
    assert categories(text) == set()


def test_an_insult_reported_from_someone_else_is_not_the_replys_own():
    assert categories("He called you a spineless weasel, ignore him") == set()
    # Endorsed, or made in a clause of its own, it is.
    assert "incivility" in categories("My neighbour told me you're an absolute clown and I agree")
    assert "incivility" in categories("They say you're useless and honestly you're a spineless weasel")
    assert "incivility" in categories("He said it and you're a spineless weasel")
