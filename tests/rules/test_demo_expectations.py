"""Every reply in the demo dataset against the rules engine.

The dataset (platforms/demo_data/replies.json) lists, per reply, the rules and categories it
breaks. Each expected category must be hit; a reply expected to break none of rules 1-3 must get
no rule 1-3 hit; and rules 4 and 5 must not fire where the file does not expect them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from moderation.rules import Claim, Engine, Register

DEMO = Path(__file__).resolve().parents[2] / "platforms" / "demo_data" / "replies.json"

# Where the engine and the file disagree, and why; reported to the dataset's author rather than
# forced through. Each entry still has to hold everything else the file expects.
DISAGREEMENTS: dict[str, set[str]] = {}


def _load() -> dict:
    return json.loads(DEMO.read_text(encoding="utf-8"))


DATA = _load()
AUTHORS = {author["id"]: author for author in DATA["authors"]}


def _profile(author: dict) -> dict:
    """The author as the engine sees it; "created_days_ago" keeps demo accounts new."""
    profile = {key: value for key, value in author.items() if key not in ("id", "created_days_ago")}
    if profile.get("created_at") is None and "created_days_ago" in author:
        profile["created_at"] = (datetime.now(UTC) - timedelta(days=author["created_days_ago"])).isoformat()
    return profile


@pytest.fixture(scope="module")
def demo_engine() -> Engine:
    claims = tuple(
        Claim(code=c["code"], claim=c["claim"], correction=c["correction"], source_url=c["source_url"])
        for c in DATA["claims"]
    )
    return Engine(Register(claims=claims, unreliable_domains=tuple(DATA["unreliable_domains"])))


@pytest.mark.parametrize("reply", DATA["replies"], ids=lambda reply: reply["id"])
def test_demo_reply_gets_the_expected_rules_and_categories(demo_engine, reply):
    verdict = demo_engine.classify(reply["text"], _profile(AUTHORS[reply["author"]]))
    expected_rules = set(reply["expect"]["rules"])
    expected = set(reply["expect"]["categories"]) - DISAGREEMENTS.get(reply["id"], set())
    got = verdict.categories

    assert expected <= got, f"missing {sorted(expected - got)}: {verdict.as_dict()}"
    if not expected_rules & {1, 2, 3}:
        assert not [h for h in verdict.hits if h.rule in (1, 2, 3)], verdict.as_dict()
    unexpected = {h.category for h in verdict.hits if h.rule in (4, 5)} - set(reply["expect"]["categories"])
    assert not unexpected, verdict.as_dict()


def test_every_disagreement_is_still_a_reply_in_the_file():
    ids = {reply["id"] for reply in DATA["replies"]}
    assert set(DISAGREEMENTS) <= ids
