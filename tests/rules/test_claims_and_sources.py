"""Rule 4: registered false claims (paraphrase yes, same topic no) and unreliable sources."""

from __future__ import annotations

import logging
import re

import pytest

from moderation.rules import Claim, Engine, Register
from moderation.rules.claims import ClaimMatcher
from moderation.rules.encoder import EncoderUnavailable, encoder
from moderation.rules.normalise import Document
from training.eval_rules45 import evaluate_claims

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


# --- Matching by meaning -------------------------------------------------------------------

FLUORIDE = Claim(
    code="fluoride-control",
    claim="The council is putting fluoride in tap water to control people",
    correction="The council adds nothing to tap water; fluoridation is decided nationally, to protect teeth.",
    source_url="https://council.example/public-health/water-fluoridation",
)
MEANING = Engine(Register(claims=(FLUORIDE, *REGISTER.claims)))


def test_a_paraphrase_in_other_words_is_caught_by_meaning_with_the_similarity_in_the_reason():
    hit = MEANING.classify("they're dosing our water supply with chemicals to keep us docile").hit("false_claim")
    assert hit is not None
    assert (hit.rule, hit.severity) == (4, "medium")
    assert hit.reason.startswith('paraphrases registered false claim "The council is putting fluoride')
    similarity = float(re.search(r"\(fluoride-control, similarity (0\.\d\d)\)", hit.reason).group(1))
    assert 0.46 <= similarity < 1.0
    assert "decided nationally" in hit.reason
    assert "https://council.example/public-health/water-fluoridation" in hit.reason


@pytest.mark.parametrize(
    "text",
    [
        "When is the water main on Elm Road being fixed?",
        "fluoride in water is debated, here's the NHS page https://www.nhs.uk/conditions/fluoride/",
        "Is there a consultation on water fluoridation in our area?",
        "I'd rather fluoride decisions were made locally than by Whitehall",
    ],
)
def test_same_topic_questions_and_discussion_are_not_the_claim(text):
    assert "false_claim" not in MEANING.classify(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "it's a myth that the council puts fluoride in water to control people",
        "Nobody is putting fluoride in the water to control anyone",
        "The council isn't putting fluoride in tap water to control people, read the facts",
        "No, the council is not dosing the water to keep us docile.",
    ],
)
def test_denials_of_a_claim_are_not_the_claim_even_when_worded_alike(text):
    assert "false_claim" not in MEANING.classify(text).categories


def test_negation_elsewhere_in_a_reply_does_not_hide_the_claim():
    text = "Don't drink the tap water, the council's spiking it with fluoride to keep people docile"
    assert MEANING.classify(text).hit("false_claim") is not None


def test_why_questions_presuppose_the_claim_and_still_count():
    text = "Why is the council poisoning our drinking water with fluoride? Mind control, that's why."
    assert MEANING.classify(text).hit("false_claim") is not None


def test_a_reply_is_matched_to_the_claim_it_paraphrases_not_to_others():
    reason = MEANING.classify("the libraries are all getting shut down, every one of them").hit("false_claim").reason
    assert "library-closures" in reason
    assert "fluoride-control" not in reason and "ltn-fines" not in reason


class CountingEncoder:
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def embed(self, texts):
        self.texts.extend(texts)
        return encoder().embed(texts)


def test_replies_off_every_claims_topic_never_reach_the_encoder():
    counting = CountingEncoder()
    matcher = ClaimMatcher((FLUORIDE, *REGISTER.claims), encoder=counting)
    claims_encoded = len(counting.texts)
    for text in (
        "Thanks for sorting the bins on Mill Lane so quickly",
        "Great turnout at the litter pick this morning",
        "You useless muppet, fix the potholes",
        "Is there a consultation on water fluoridation?",  # on topic, but only asks
    ):
        assert matcher.match(Document(text)) == []
    assert len(counting.texts) == claims_encoded


def test_a_reply_is_encoded_once_however_often_it_comes():
    counting = CountingEncoder()
    matcher = ClaimMatcher((FLUORIDE,), encoder=counting)
    before = len(counting.texts)
    for _ in range(3):
        assert matcher.match(Document("they're dosing our water supply with chemicals to keep us docile"))
    assert len(counting.texts) == before + 1


class BrokenEncoder:
    def embed(self, texts):
        raise EncoderUnavailable("Refusing to run model.onnx: its SHA-256 is wrong")


def test_without_the_encoder_claims_are_still_matched_by_their_words(caplog):
    with caplog.at_level(logging.ERROR):
        matcher = ClaimMatcher(REGISTER.claims, encoder=BrokenEncoder())
    assert not matcher.semantic
    assert "sentence encoder unavailable" in caplog.text
    assert matcher.match(Document("The council is closing every library in the borough"))
    assert matcher.match(Document("they're dosing our water supply with chemicals to keep us docile")) == []


def test_the_labelled_claim_cases_hold_precision_and_recall():
    figures = evaluate_claims()
    assert figures["semantic_stage"] is True
    for split in ("dev", "test"):
        assert figures["engine"][split]["precision"] >= 0.9, figures["engine"][split]
        assert figures["engine"][split]["recall"] >= 0.9, figures["engine"][split]
        assert figures["engine"][split]["denials_caught"] == 0
    # Matching by meaning is what finds most paraphrases.
    assert figures["engine"]["all"]["recall"] > figures["lexical_only"]["all"]["recall"] + 0.4


class FailsOnReplies:
    """Encodes the register, then fails on every reply (say, onnxruntime runs out of memory)."""

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("onnxruntime: out of memory")
        return encoder().embed(texts)


def test_an_encoder_failure_on_a_reply_keeps_the_word_matches(caplog):
    matcher = ClaimMatcher((FLUORIDE, *REGISTER.claims), encoder=FailsOnReplies())
    with caplog.at_level(logging.ERROR):
        assert matcher.match(Document("they're dosing our water supply with chemicals to keep us docile")) == []
        cues = matcher.match(Document("The council is closing every library in the borough, and fluoride next"))
    assert [cue.category for cue in cues] == ["false_claim"]
    assert "sentence encoder failed" in caplog.text
