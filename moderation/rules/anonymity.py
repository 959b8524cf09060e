"""Rule 5: anonymous posting, judged from the author's profile, never from the text.

Each signal is weak on its own (plenty of real residents have no bio or a default avatar), so
the rule fires only when their weights add up to 0.5, which takes two strong signals or three
weaker ones. A verified account is never anonymous. Fields may be missing or of the wrong type
(a platform changed its API, a hand-edited import): an unreadable field is simply no signal.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from moderation.rules.verdict import Cue

THRESHOLD = 0.5
NEW_ACCOUNT_DAYS = 30
_WEIGHTS = {
    "default_avatar": 0.25,
    "no_name": 0.2,
    "generated_handle": 0.3,
    "empty_bio": 0.15,
    "new_account": 0.3,
    "follow_ratio": 0.2,
}
# A name followed by six or more digits: what platforms suggest when you don't choose a handle.
_GENERATED_HANDLE_RE = re.compile(r"^[a-z_]+[._]?\d{6,}$", re.IGNORECASE)


def _text(value: object) -> str | None:
    if value is None:
        return ""
    return value if isinstance(value, str) else None


def _count(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _when(value: object) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _same_name(name: str, handle: str) -> bool:
    # Only an untouched copy counts: "Peggy Hardcastle" for @PeggyHardcastle is a person's choice.
    return name.strip().lstrip("@").casefold() == handle.strip().lstrip("@").casefold()


def assess(author: object, now: datetime | None = None) -> list[Cue]:
    if not isinstance(author, Mapping):
        return []
    if author.get("verified") is True:
        return []
    now = now or datetime.now(UTC)
    signals: list[tuple[str, str]] = []

    if author.get("default_avatar") is True:
        signals.append(("default_avatar", "default avatar"))

    handle = _text(author.get("handle")) if "handle" in author else None
    if "display_name" in author:
        name = _text(author.get("display_name"))
        if name is not None:
            if not name.strip():
                signals.append(("no_name", "no display name"))
            elif handle and _same_name(name, handle):
                signals.append(("no_name", "display name is just the handle"))

    if handle and _GENERATED_HANDLE_RE.match(handle.lstrip("@")):
        signals.append(("generated_handle", f'handle looks auto-generated ("{handle[:40]}")'))

    if "bio" in author:
        bio = _text(author.get("bio"))
        if bio is not None and not bio.strip():
            signals.append(("empty_bio", "empty bio"))

    created = _when(author.get("created_at"))
    if created is not None and created <= now + timedelta(days=1):
        age = now - created
        if age < timedelta(days=NEW_ACCOUNT_DAYS):
            days = max(0, age.days)
            signals.append(("new_account", f"account {days} day{'s' if days != 1 else ''} old"))

    followers = _count(author.get("followers_count"))
    following = _count(author.get("following_count"))
    if (
        followers is not None
        and following is not None
        and followers < 10
        and following >= 50
        and following >= 5 * followers
    ):
        signals.append(("follow_ratio", f"{int(followers)} followers, follows {int(following)}"))

    score = sum(_WEIGHTS[key] for key, _ in signals)
    if score < THRESHOLD:
        return []
    reason = "anonymous-looking account: " + ", ".join(text for _, text in signals)
    return [Cue(5, "anonymous", min(1.0, score), "low", reason)]
