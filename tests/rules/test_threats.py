"""Rule 2 threats: always critical, and never a politician's bad night at the ballot box."""

from __future__ import annotations

import pytest

from moderation.rules import Engine

ENGINE = Engine()


def categories(text: str, author: dict | None = None) -> set[str]:
    return ENGINE.classify(text, author).categories


@pytest.mark.parametrize(
    "text",
    [
        "I will kill you if that bypass goes through",
        "Honestly I'm going to stab you next time I see you at the market",
        "we'll find you and hurt you",
        "You're dead. Mark my words.",
        "I'll break your legs, councillor",
        "Someone's going to put a bullet in your head one day",
        "I'm gonna burn your office down",
        "I'll kick your head in",
        "I will hunt you down",
    ],
)
def test_direct_threats_are_critical(text):
    verdict = ENGINE.classify(text)
    threat = verdict.hit("threat")
    assert threat is not None and threat.rule == 2
    assert threat.severity == "critical"
    assert verdict.severity == "critical"


def test_direct_threat_reason_quotes_the_words_and_scores_high():
    threat = ENGINE.classify("Vote for the incinerator and I will kill you").hit("threat")
    assert threat.reason == 'direct threat: "kill you"'
    assert threat.score >= 0.95


@pytest.mark.parametrize(
    "text",
    [
        "If you close the swimming baths you'll regret it",
        "Approve that mast and you'll get hurt",
        "Keep pushing this scheme or else.",
        "Carry on like this and you'll get what's coming to you",
    ],
)
def test_conditional_and_veiled_threats(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I hope you die",
        "hope you get cancer and your family watches",
        "Someone should shoot her",
        "You deserve to be hanged for what you did to this town",
        "Traitors like you should be strung up",
        "do the world a favour and drop dead",
    ],
)
def test_wished_harm_is_a_threat(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I know where you live.",
        "We found out where your kids go to school",
        "I know what time you leave the town hall on a Thursday",
        "Your daughter goes to St Mary's primary doesn't she",
    ],
)
def test_knowing_where_someone_lives_or_their_family_is_a_threat(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll smash your car windows in",
        "Would be a shame if something happened to your house",
        "Watch your back, I'll be waiting for you outside the surgery",
        "I hope your house burns down with you in it",
        "I hope someone runs you over on the way home",
        "Someone needs to teach you a lesson",
        "I'm coming round to sort you out",
        "watch yourself in the car park tonight",
        "You'll be sorry if you approve those flats",
    ],
)
def test_threats_to_property_and_veiled_menace(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    ["kill yourself", "KYS", "Go hang yourself, you parasite", "Do us all a favour and top yourself"],
)
def test_telling_someone_to_kill_themselves_is_a_critical_threat(text):
    threat = ENGINE.classify(text).hit("threat")
    assert threat is not None and threat.severity == "critical"
    assert "kill themselves" in threat.reason


def test_publishing_a_home_address_is_a_threat():
    threat = ENGINE.classify("She lives at 27 Orchard Grove, Westfield WF3 2LP. Go and tell her what you think.").hit(
        "threat"
    )
    assert threat is not None
    assert threat.reason.startswith("publishes a home address")
    assert "27 Orchard Grove" in threat.reason


def test_publishing_a_mobile_number_is_a_threat():
    threat = ENGINE.classify("His personal mobile is 07700 900982, ring him all night").hit("threat")
    assert threat is not None
    assert threat.reason == 'publishes a phone number: "07700 900982"'


@pytest.mark.parametrize("number", ["07700900123", "+44 7700 900123", "07700-900-123"])
def test_mobile_number_formats_are_recognised(number):
    assert "threat" in categories(f"here's her number {number}, tell her what you think")


@pytest.mark.parametrize(
    "text",
    [
        "Call me on 07700 900555 if you want to talk about the flooding",
        "The council switchboard is 01632 960000 if anyone needs it",
        "The streetlight outside 14 Beech Road has been out for a fortnight",
        "Samaritans are on 116 123, day or night, if this thread is getting to anyone",
    ],
)
def test_own_or_public_numbers_and_addresses_in_complaints_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "We'll kill you at the ballot box in May",
        "You'll get what's coming to you at the next election",
        "I'll shoot you an email with the photos",
        "Your days are numbered as a councillor",
        "If you close the library you'll regret it at the polls",
        "This decision will kill the high street",
        "I'm going to find you the figures by Friday",
        "My wife will kill me if I miss the parish meeting again",
        "You're dead right about the bus lane",
        "That's drop dead gorgeous, well done on the floral display",
        "Cyclists will get killed on that junction if you don't fix it",
        "You should hang your head in shame",
        "We'll beat you in May, no question",
        "I would never hurt you, I just want an answer about the bins",
        "Watch yourself on the ice by the bridge, it hasn't been gritted",
        "You'll be sorry you missed the quiz night!",
        "I'll sort you out a visitor parking permit",
        "Hope someone fixes the lights on Mill Lane soon",
        "The pothole outside the Co-op is going to hurt someone",
    ],
)
def test_electoral_and_everyday_figures_of_speech_are_not_threats(text):
    assert "threat" not in categories(text)


def test_threat_against_family_is_reported():
    threat = ENGINE.classify("I'll hurt your kids").hit("threat")
    assert threat is not None and "family" in threat.reason
