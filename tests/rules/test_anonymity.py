"""Rule 5: anonymous-looking accounts, from profile signals only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from moderation.rules import Engine

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
        "default avatar",
        "display name is just the handle",
        "auto-generated",
        "empty bio",
        "account 3 days old",
        "1 followers, follows 820",
    ):
        assert signal in hit.reason


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
        {"created_at": days_ago(5)},
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
