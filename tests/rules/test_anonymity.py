"""Rule 5: anonymous-looking accounts, from profile signals only."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from moderation.rules import Engine
from moderation.rules.anonymity import assess
from training.eval_rules45 import evaluate_authors

ENGINE = Engine()


def categories(text: str, author: dict | None = None) -> set[str]:
    return ENGINE.classify(text, author).categories


LONG_STANDING = {
    "handle": "PeggyHardcastle",
    "display_name": "Peggy Hardcastle",
    "created_at": "2014-03-02T10:00:00Z",
    "followers_count": 310,
    "following_count": 280,
    "posts_count": 5200,
    "default_avatar": False,
    "bio": "Allotment secretary. Mum of two.",
    "verified": False,
}


def days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


def test_long_standing_resident_is_not_anonymous():
    assert categories("When is the next surgery?", LONG_STANDING) == set()


def test_throwaway_account_is_anonymous_and_the_reason_lists_every_signal():
    author = {
        "handle": "ratepayer48120935",
        "display_name": "ratepayer48120935",
        "created_at": days_ago(3),
        "followers_count": 1,
        "following_count": 820,
        "default_avatar": True,
        "bio": "",
        "verified": False,
    }
    hit = ENGINE.classify("When is the next surgery?", author).hit("anonymous")
    assert (hit.rule, hit.category, hit.severity) == (5, "anonymous", "low")
    assert hit.score == 1.0
    for signal in (
        "default avatar (+0.25)",
        "display name is just the handle (+0.15)",
        "auto-generated",
        "empty bio (+0.10)",
        "account 3 days old (+0.40)",
        "1 follower, follows 820 (+0.25)",
    ):
        assert signal in hit.reason
    assert hit.reason.startswith("anonymous-looking account, score 1.00: ")


def test_the_score_is_the_sum_of_the_listed_signals():
    author = {**LONG_STANDING, "created_at": days_ago(12), "posts_count": 20, "default_avatar": True, "bio": ""}
    hit = ENGINE.classify("hello", author).hit("anonymous")
    weights = [float(w) for w in re.findall(r"\(\+(\d\.\d\d)\)", hit.reason)]
    assert weights == [0.30, 0.25, 0.10]
    assert hit.score == 0.65
    assert "score 0.65" in hit.reason


@pytest.mark.parametrize(
    ("changes", "signal"),
    [
        ({"created_at": days_ago(3), "posts_count": 90}, "posting 30 times a day"),
        ({"display_name": "Truth Seeker"}, 'display name is a slogan, not a name ("Truth Seeker")'),
        ({"display_name": "Sarah Jenkins"}, 'display name "Sarah Jenkins" shares nothing with the handle'),
        ({"display_name": ""}, "no display name"),
        ({"followers_count": 8, "following_count": 90}, "8 followers, follows 90 (+0.15)"),
        ({"created_at": days_ago(60)}, "account 60 days old (+0.10)"),
    ],
)
def test_each_signal_is_named_in_the_reason(changes, signal):
    base = {"default_avatar": True, "bio": "", "followers_count": 2, "following_count": 300}
    author = {**LONG_STANDING, **base, **changes}
    hit = ENGINE.classify("hello", author).hit("anonymous")
    assert hit is not None and signal in hit.reason


def test_posting_rate_counts_only_on_young_accounts():
    prolific = {**LONG_STANDING, "posts_count": 52_000, "default_avatar": True}
    assert "anonymous" not in categories("hello", prolific)


@pytest.mark.parametrize(
    "changes",
    [
        {"default_avatar": True, "created_at": days_ago(10)},
        {"handle": "resident2024551", "created_at": days_ago(20)},
        {"default_avatar": True, "display_name": "", "bio": ""},
        {"followers_count": 2, "following_count": 600, "handle": "watcher9918273"},
    ],
)
def test_two_strong_or_three_weak_signals_make_an_account_anonymous(changes):
    assert "anonymous" in categories("hello", {**LONG_STANDING, **changes})


@pytest.mark.parametrize(
    "changes",
    [
        {"default_avatar": True},
        {"bio": ""},
        {"display_name": "", "bio": ""},
        {"created_at": days_ago(5), "posts_count": 12},
        {"handle": "GeoffBramley1958"},
        {"followers_count": 4, "following_count": 12},
    ],
)
def test_a_single_weak_signal_is_not_enough(changes):
    assert "anonymous" not in categories("hello", {**LONG_STANDING, **changes})


def test_verified_accounts_are_never_anonymous():
    author = {"handle": "news123456789", "default_avatar": True, "bio": "", "created_at": days_ago(1), "verified": True}
    assert "anonymous" not in categories("hello", author)


def test_no_author_means_no_rule_5_judgement():
    assert categories("hello", None) == set()


def test_created_at_may_be_a_datetime_or_a_date():
    fresh = datetime.now(UTC) - timedelta(days=2)
    base = {"default_avatar": True}
    assert "anonymous" in categories("hello", {**base, "created_at": fresh})
    assert "anonymous" in categories("hello", {**base, "created_at": fresh.replace(tzinfo=None)})
    assert "anonymous" in categories("hello", {**base, "created_at": date.today() - timedelta(days=2)})


@pytest.mark.parametrize(
    "author",
    [
        {"created_at": "not a date", "followers_count": "lots", "following_count": "many", "default_avatar": "yes"},
        {"handle": 12345, "display_name": ["x"], "bio": {"a": 1}, "verified": "true"},
        {"followers_count": float("nan"), "following_count": float("inf"), "created_at": 1700000000},
        {"created_at": "2999-01-01T00:00:00Z", "default_avatar": None},
        {},
    ],
)
def test_bad_types_in_the_author_are_ignored_without_error(author):
    verdict = ENGINE.classify("hello", author)
    assert verdict.hit("anonymous") is None


def test_author_that_is_not_a_mapping_is_ignored():
    assert ENGINE.classify("hello", ["not", "a", "dict"]).hits == ()  # type: ignore[arg-type]


ACCOUNT = {"handle": "CllrSamPatel", "display_name": "Cllr Sam Patel"}


@pytest.mark.parametrize(
    ("handle", "name"),
    [
        ("CIlrSamPate1", "Sam P"),  # look-alike characters
        ("CllrSamPatel_", "Sam"),  # one character added
        ("SamPatelCllr", "Sam"),  # the same words reshuffled
        ("millbrook_news", "Cllr Sam Patel"),  # the display name copied
    ],
)
def test_imitating_the_account_holder_is_enough_on_its_own(handle, name):
    author = {**LONG_STANDING, "handle": handle, "display_name": name}
    cues = assess(author, account=ACCOUNT)
    assert cues and cues[0].score >= 0.5
    assert "imitates the account holder" in cues[0].reason


@pytest.mark.parametrize(
    ("handle", "name"),
    [
        ("CllrSamPatel", "Cllr Sam Patel"),  # the account holder themself
        ("SamPatelPlumbing", "Sam Patel"),  # a namesake with his own handle
        ("CllrJoHughes", "Cllr Jo Hughes"),  # a colleague
    ],
)
def test_the_account_holder_namesakes_and_colleagues_are_not_impersonators(handle, name):
    author = {**LONG_STANDING, "handle": handle, "display_name": name}
    assert assess(author, account=ACCOUNT) == []


def test_without_the_account_impersonation_is_not_checked():
    author = {**LONG_STANDING, "handle": "CllrSamPatel_", "display_name": "Cllr Sam Patel"}
    assert assess(author) == []
    assert assess(author, account={"handle": None, "display_name": 7}) == []


def test_the_labelled_authors_hold_precision_and_recall():
    figures = evaluate_authors()
    assert figures["authors"] >= 60
    assert figures["precision"] >= 0.9, figures
    assert figures["recall"] >= 0.9, figures


def test_the_engine_passes_the_account_so_impersonation_is_seen():
    author = {**LONG_STANDING, "handle": "CllrSamPatel_", "display_name": "Cllr Sam Patel"}
    assert ENGINE.classify("Vote for me!", author).hits == ()
    verdict = ENGINE.classify("Vote for me!", author, account=ACCOUNT)
    assert [h.rule for h in verdict.hits] == [5]
    assert "imitates the account holder" in verdict.hits[0].reason
