"""Rule 4: registered false claims (paraphrase yes, same topic no) and unreliable sources."""

from __future__ import annotations

import pytest

from moderation.rules import Claim, Engine, Register

REGISTER = Register(
    claims=(
        Claim(
            code="library-closures",
            claim="The council is closing every library in the borough",
            correction="Two libraries move into community hubs; none close. Opening hours are unchanged.",
            source_url="https://council.example/libraries/future",
        ),
        Claim(
            code="ltn-fines",
            claim="Drivers will be fined £130 for driving on Green Lane (low traffic neighbourhood)",
            correction="There are no cameras or fines on Green Lane; the trial uses planters only.",
            source_url="https://council.example/transport/green-lane-trial",
        ),
        Claim(
            code="hotel-asylum",
            claim="The Royal Hotel is being turned into housing for asylum seekers",
            correction="The Royal Hotel was sold to a private buyer for flats; no asylum accommodation is planned.",
            source_url="https://council.example/news/royal-hotel",
        ),
    ),
    unreliable_domains=("townhalltruth.example", "https://www.leaks-daily.example/", "Patriot-Voice.EXAMPLE"),
)
ENGINE = Engine(REGISTER)


def categories(text: str, author: dict | None = None) -> set[str]:
    return ENGINE.classify(text, author).categories


@pytest.mark.parametrize(
    "text",
    [
        "The council is closing every library in the borough",
        "they're shutting all the libraries, every single one",
        "Heard the libraries are all being closed down by the council. Typical.",
        "So you're fining drivers £130 for using Green Lane now?",
        "£130 fine for driving down Green Lane, what a racket",
        "Royal Hotel is being turned into housing for asylum seekers and nobody asked us",
        "they're putting refugees in the Royal Hotel, flats for migrants",
    ],
)
def test_restating_a_registered_claim_in_other_words_is_a_false_claim(text):
    hit = ENGINE.classify(text).hit("false_claim")
    assert hit is not None
    assert (hit.rule, hit.severity) == (4, "medium")


def test_false_claim_reason_quotes_claim_correction_and_source():
    reason = ENGINE.classify("they're shutting all the libraries, every single one").hit("false_claim").reason
    assert "library-closures" in reason
    assert '"The council is closing every library in the borough"' in reason
    assert "none close" in reason
    assert "https://council.example/libraries/future" in reason


@pytest.mark.parametrize(
    "text",
    [
        "What time does the library open on Saturdays?",
        "Lovely afternoon at the library reading group, thanks to the staff",
        "Green Lane is so much quieter for the kids walking to school",
        "Is the Royal Hotel still doing Sunday lunch?",
        "The Royal Hotel car park is full of potholes",
        "Drivers keep speeding on Green Lane at night",
    ],
)
def test_unrelated_mentions_of_the_same_topic_are_not_false_claims(text):
    assert "false_claim" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "It's not true that the council is closing every library, read the plan",
        "The council is not closing any libraries, two are moving into hubs",
        "Is it true the council is closing every library?",
    ],
)
def test_debunking_denying_or_asking_about_a_claim_is_not_a_false_claim(text):
    assert "false_claim" not in categories(text)


def test_an_empty_register_finds_no_false_claims():
    assert Engine().classify("The council is closing every library in the borough").hits == ()


@pytest.mark.parametrize(
    "text",
    [
        "Read this: https://townhalltruth.example/cover-up",
        "read this http://www.townhalltruth.example/cover-up before you vote",
        "townhalltruth.example/cover-up",
        "It's all at WWW.TOWNHALLTRUTH.EXAMPLE.",
        "see (https://news.townhalltruth.example/story?id=4)",
        "https://leaks-daily.example, page 2",
        "patriot-voice.example!!",
        "townhalltruth[.]example/cover-up",
    ],
)
def test_links_to_listed_domains_and_their_subdomains_are_unreliable_sources(text):
    hit = ENGINE.classify(text).hit("unreliable_source")
    assert hit is not None
    assert (hit.rule, hit.severity) == (4, "medium")


def test_unreliable_source_reason_names_the_domain():
    reason = ENGINE.classify("https://news.townhalltruth.example/a").hit("unreliable_source").reason
    assert '"townhalltruth.example"' in reason


@pytest.mark.parametrize(
    "text",
    [
        "https://notownhalltruth.example/story",
        "https://townhalltruth.example.org/story",
        "email me at press@townhalltruth.example",
        "the council website is https://council.example/bins",
    ],
)
def test_lookalike_domains_emails_and_other_sites_are_not_unreliable_sources(text):
    assert "unreliable_source" not in categories(text)


def test_register_entries_with_odd_values_do_not_break_the_engine():
    odd = Engine(
        Register(
            claims=(Claim(code="x", claim="", correction="", source_url=""),),
            unreliable_domains=("", "   ", "not a domain", "HTTPS://Example.org/path"),
        )
    )
    assert odd.classify("see example.org/news").hit("unreliable_source") is not None
