"""The public contract other code relies on: types, formats, severities and robustness."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from moderation.rules import SEVERITIES, SEVERITY_RANK, Claim, Engine, Hit, Register, Verdict, normalise

ENGINE = Engine()


def categories(text: str, author: dict | None = None) -> set[str]:
    return ENGINE.classify(text, author).categories


def test_public_names_are_exported():
    assert callable(normalise)
    assert {Claim, Engine, Hit, Register, Verdict}
    assert isinstance(Engine.VERSION, str) and Engine.VERSION.startswith("rules-")


def test_severities_are_ordered_and_ranked():
    assert SEVERITIES == ("none", "low", "medium", "high", "critical")
    assert [SEVERITY_RANK[s] for s in SEVERITIES] == [0, 1, 2, 3, 4]


def test_types_are_frozen_dataclasses():
    for cls in (Hit, Verdict, Claim, Register):
        assert dataclasses.is_dataclass(cls)
        assert cls.__dataclass_params__.frozen
    assert Register() == Register(claims=(), unreliable_domains=())


def test_clean_reply_has_no_hits_and_severity_none():
    verdict = ENGINE.classify("Thanks for sorting the streetlight on Church Lane so quickly.")
    assert verdict == Verdict(hits=(), severity="none")
    assert verdict.as_dict() == {"hits": [], "severity": "none"}


def test_as_dict_has_exactly_the_agreed_keys_and_is_json_serialisable():
    verdict = ENGINE.classify("You muppet, I know where you live")
    data = verdict.as_dict()
    assert set(data) == {"hits", "severity"}
    for hit in data["hits"]:
        assert set(hit) == {"rule", "category", "score", "severity", "reason"}
        assert isinstance(hit["rule"], int) and 1 <= hit["rule"] <= 5
        assert 0.0 <= hit["score"] <= 1.0 and round(hit["score"], 2) == hit["score"]
        assert hit["severity"] in SEVERITIES[1:]
        assert hit["reason"]
    json.dumps(data)


def test_verdict_severity_is_the_worst_hit_and_hits_come_worst_first():
    verdict = ENGINE.classify("You muppet, I know where you live")
    assert verdict.severity == "critical"
    ranks = [SEVERITY_RANK[h.severity] for h in verdict.hits]
    assert ranks == sorted(ranks, reverse=True)
    assert verdict.hits[0].category == "threat"


def test_one_hit_per_rule_and_category_keeping_the_strongest_and_merging_reasons():
    verdict = ENGINE.classify("I will kill you. I know where you live. I'll burn your house down.")
    threats = [h for h in verdict.hits if h.category == "threat"]
    assert len(threats) == 1
    assert threats[0].score == 0.97
    assert threats[0].reason.count(";") >= 1


def test_a_discourteous_but_legitimate_reply_is_low_and_never_a_threat():
    verdict = ENGINE.classify("You're an absolute clown and you should resign before the election.")
    assert verdict.categories == {"incivility"}
    assert verdict.severity == "low"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00\x01\x02\x1b[31m",
        "\ud800\udc00\ud83d",
        "\u202e\u2066\u200f\u061c abc",
        "\u0301\u0301\u0301" * 50,
        "\ufeff" * 100,
        "🔪🔪🔪 👳🏾",
        "a" * 1000,
        "k " * 5000,
        "*" * 3000,
        "1" * 3000,
        "." * 3000,
        "@" * 3000,
    ],
)
def test_odd_text_never_raises(text):
    verdict = ENGINE.classify(text)
    assert isinstance(verdict, Verdict)
    json.dumps(verdict.as_dict())


def test_non_string_text_is_treated_as_text():
    assert ENGINE.classify(None).severity == "none"  # type: ignore[arg-type]
    assert ENGINE.classify(12345).severity == "none"  # type: ignore[arg-type]


def test_a_megabyte_of_text_is_classified():
    text = "".join(f"Bin {n} on Larch Avenue was missed on week {n % 52}. " for n in range(25_000))
    assert len(text) > 1_000_000
    assert ENGINE.classify(text).severity == "none"


def test_the_same_sentence_pasted_over_and_over_is_harassment():
    assert ENGINE.classify("Fix the bins on Larch Avenue. " * 50).hit("harassment") is not None


def test_abuse_near_the_top_of_a_huge_reply_is_found():
    verdict = ENGINE.classify("I will kill you. " + "blah " * 200_000)
    assert verdict.hit("threat") is not None


def test_only_the_first_max_chars_are_examined():
    text = "x" * Engine.MAX_CHARS + " I will kill you"
    assert ENGINE.classify(text).hits == ()


def test_random_unicode_never_raises():
    rng = random.Random(20240521)
    pools = [
        range(0x20, 0x7F),
        range(0x80, 0x250),
        range(0x370, 0x530),
        range(0x2000, 0x2070),
        range(0xD800, 0xE000),
        range(0xFE00, 0xFF70),
        range(0x1F300, 0x1F6FF),
        range(0, 0x20),
    ]
    for _ in range(300):
        chars = [chr(rng.choice(rng.choice(pools))) for _ in range(rng.randint(0, 120))]
        assert isinstance(ENGINE.classify("".join(chars)), Verdict)


def test_engine_can_be_built_with_no_register():
    assert Engine(None).classify("I will kill you").severity == "critical"
