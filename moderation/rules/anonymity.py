"""Rule 5: anonymous posting, judged from the author's profile, never from the text.

The score is the sum of the weights of the signals the profile shows, capped at 1; the rule fires
at THRESHOLD (0.5), and the reason lists every signal with its weight. Each signal is weak on its
own (plenty of real residents have no bio, a default avatar or a year in their handle), so it
takes two strong signals or three weaker ones:

    signal                                            weight
    account age: under 7 days / 30 days / 90 days     0.40 / 0.30 / 0.10
    default avatar                                    0.25
    handle with a run of 6+ digits ("patriot84736251") 0.25
    followers: at most 5 while following 200+        0.25
      (or fewer than 10, following 50+ and 5x as many) (0.15)
    no display name, or the display name is the handle 0.15
    posting 5+ times a day on an account under 90 days 0.15
    empty bio                                         0.10
    display name is a slogan, not a name ("Patriot")  0.10
    display name is a person's name the handle doesn't share ("Sarah Jenkins" as @sj_19477302)
                                                      0.10
    imitates the account holder's own name or handle  0.50

The last needs to know whose account is being replied to (``account``: its handle and display
name); without it that signal is simply not checked. A verified account is never anonymous.
Fields may be missing or of the wrong type (a platform changed its API, a hand-edited import):
an unreadable field is no signal. The weights were set by hand from the demo data and checked on
tests/rules/author_cases.jsonl (training/eval_rules45.py prints precision and recall).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from moderation.rules.verdict import Cue

THRESHOLD = 0.5
NEW_ACCOUNT_DAYS = 30
# (younger than this many days, weight)
_AGE_STEPS = ((7, 0.40), (30, 0.30), (90, 0.10))
_WEIGHTS = {
    "default_avatar": 0.25,
    "generated_handle": 0.25,
    "follow_ratio": 0.25,
    "follow_ratio_mild": 0.15,
    "no_name": 0.15,
    "posting_rate": 0.15,
    "empty_bio": 0.10,
    "slogan_name": 0.10,
    "name_mismatch": 0.10,
    "impersonation": 0.50,
}
_RATE_PER_DAY = 5
_RATE_MAX_AGE_DAYS = 90
# A run of six or more digits: what platforms suggest when you don't choose a handle.
_GENERATED_HANDLE_RE = re.compile(r"\d{6,}|^(?:user|anon|account)_?\d{3,}$", re.IGNORECASE)
# Words that make a display name a stance rather than a name.
_SLOGAN_WORDS = frozenset(
    [
        "patriot",
        "patriots",
        "truth",
        "truthseeker",
        "truthteller",
        "seeker",
        "teller",
        "concerned",
        "resident",
        "residents",
        "local",
        "locals",
        "watch",
        "watcher",
        "anon",
        "anonymous",
        "freedom",
        "free",
        "speech",
        "thinker",
        "awake",
        "woke",
        "asking",
        "justasking",
        "taxpayer",
        "ratepayer",
        "citizen",
        "voice",
        "real",
        "news",
        "informed",
        "insider",
        "whistleblower",
        "lionheart",
        "warrior",
    ]
)
_NAME_WORD_RE = re.compile(r"[^\W\d_]+")
_HANDLE_PART_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Look-alike characters in handles: "CIlrSamPate1" for "CllrSamPatel".
_SKELETON = str.maketrans({"0": "o", "1": "l", "i": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})


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


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch)).strip()


def _same_name(name: str, handle: str) -> bool:
    # Only an untouched copy counts: "Peggy Hardcastle" for @PeggyHardcastle is a person's choice.
    return name.strip().lstrip("@").casefold() == handle.strip().lstrip("@").casefold()


def _name_words(name: str) -> list[str]:
    return [w for w in _NAME_WORD_RE.findall(_fold(name)) if w]


def _is_slogan(name: str) -> bool:
    words = _name_words(name)
    return bool(words) and all(w in _SLOGAN_WORDS for w in words)


def _looks_like_a_person(name: str) -> bool:
    """Two to four capitalised words of letters ("Sarah Jenkins", "Zoë Marchetti")."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.isalpha() and len(w) >= 2 for w in words)


def _handle_shares_name(name: str, handle: str) -> bool:
    # "Bev" in @BevAndBiscuit is Beverley Shaw's choice: three letters of any name word will do.
    folded = _fold(handle)
    return any(word[:3] in folded for word in _name_words(name) if len(word) >= 3)


def _skeleton(text: str) -> str:
    return re.sub(r"[^a-z]", "", _fold(text.lstrip("@")).translate(_SKELETON))


def _handle_parts(handle: str) -> frozenset[str]:
    return frozenset(_skeleton(p) for p in _HANDLE_PART_RE.findall(handle.lstrip("@")) if _skeleton(p))


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = edits = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i += 1
            j += 1
            continue
        edits += 1
        if edits > 1:
            return False
        if len(a) == len(b):
            i += 1
        j += 1
    return edits + (len(b) - j) <= 1


def _imitates(handle: str, name: str, account: Mapping) -> str | None:
    """What of the account holder's identity the author copies, if anything."""
    own_handle = _text(account.get("handle")) or ""
    own_name = _text(account.get("display_name")) or ""
    if own_handle and handle:
        if handle.strip().lstrip("@").casefold() == own_handle.strip().lstrip("@").casefold():
            return None  # the account holder themself
        mine, theirs = _skeleton(own_handle), _skeleton(handle)
        if len(mine) >= 5 and (
            theirs == mine
            or _within_one_edit(theirs, mine)
            or (len(_handle_parts(own_handle)) >= 2 and _handle_parts(handle) == _handle_parts(own_handle))
        ):
            return f"@{own_handle.lstrip('@')}"
    if own_name and name and len(_name_words(own_name)) >= 2 and _name_words(name) == _name_words(own_name):
        return f'"{own_name}"'
    return None


def assess(author: object, now: datetime | None = None, account: Mapping | None = None) -> list[Cue]:
    """Rule 5 for one author; ``account`` is the account replied to, for the impersonation check."""
    if not isinstance(author, Mapping):
        return []
    if author.get("verified") is True:
        return []
    now = now or datetime.now(UTC)
    signals: list[tuple[float, str]] = []

    def signal(key: str, text: str) -> None:
        signals.append((_WEIGHTS[key], text))

    handle = (_text(author.get("handle")) if "handle" in author else None) or ""
    name = _text(author.get("display_name")) if "display_name" in author else None

    created = _when(author.get("created_at"))
    age_days: float | None = None
    if created is not None and created <= now + timedelta(days=1):
        age_days = max(0.0, (now - created).total_seconds() / 86400)
        for limit, weight in _AGE_STEPS:
            if age_days < limit:
                days = int(age_days)
                signals.append((weight, f"account {days} day{'s' if days != 1 else ''} old"))
                break

    if author.get("default_avatar") is True:
        signal("default_avatar", "default avatar")

    if handle and _GENERATED_HANDLE_RE.search(handle.lstrip("@")):
        signal("generated_handle", f'handle looks auto-generated ("{handle[:40]}")')

    followers = _count(author.get("followers_count"))
    following = _count(author.get("following_count"))
    if followers is not None and following is not None and followers >= 0:
        follows = f"{int(followers)} follower{'s' if int(followers) != 1 else ''}, follows {int(following)}"
        if followers <= 5 and following >= 200:
            signal("follow_ratio", follows)
        elif followers < 10 and following >= 50 and following >= 5 * followers:
            signal("follow_ratio_mild", follows)

    if name is not None:
        if len(name.strip()) <= 1:
            signal("no_name", "no display name")
        elif handle and _same_name(name, handle):
            signal("no_name", "display name is just the handle")
        elif _is_slogan(name):
            signal("slogan_name", f'display name is a slogan, not a name ("{name.strip()[:40]}")')
        elif handle and _looks_like_a_person(name.strip()) and not _handle_shares_name(name, handle):
            signal("name_mismatch", f'display name "{name.strip()[:40]}" shares nothing with the handle')

    posts = _count(author.get("posts_count"))
    if posts is not None and age_days is not None and age_days < _RATE_MAX_AGE_DAYS:
        per_day = posts / max(age_days, 1.0)
        if per_day >= _RATE_PER_DAY:
            signal("posting_rate", f"posting {per_day:.0f} times a day")

    if "bio" in author:
        bio = _text(author.get("bio"))
        if bio is not None and not bio.strip():
            signal("empty_bio", "empty bio")

    if isinstance(account, Mapping):
        copied = _imitates(handle, name or "", account)
        if copied:
            signal("impersonation", f"imitates the account holder ({copied})")

    score = min(1.0, round(sum(weight for weight, _ in signals), 2))
    if score < THRESHOLD:
        return []
    listed = ", ".join(f"{text} (+{weight:.2f})" for weight, text in signals)
    reason = f"anonymous-looking account, score {score:.2f}: {listed}"
    return [Cue(5, "anonymous", score, "low", reason)]
