"""Writing and running the detectors' regular expressions.

``phrase`` compiles a pattern written with plain spaces between words; ``alternation`` turns a
"|"-separated word list into a group. ``PatternSet`` and ``matches`` run patterns with
a cheap pre-check: most replies match none of the ~250 patterns, and testing a set of
three-letter pieces costs a fraction of a regex search. For each pattern we work out, from its
parsed form, literal strings one of which any match must contain, and keep the rarest
three-letter piece of each; when none of those pieces occurs in the text, the pattern cannot
match and is skipped. This is sound by construction: a pattern we cannot analyse, or whose
literals are shorter than three letters, always runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from re import _constants as _sre  # the stdlib's own regex parser, used read-only
from re import _parser as _regex_parser
from typing import Generic, TypeVar

T = TypeVar("T")


def phrase(pattern: str) -> re.Pattern:
    """Compile a pattern written with single spaces between words.

    Spaces become optional because spaced-out letters are joined without word breaks
    ("k i l l y o u" reads "killyou"); the word boundaries at either end still hold.
    """
    regex = re.compile(pattern.replace(" ", " ?"))
    _SINGLE_GRAMS[regex] = pattern_grams(regex)  # worked out now, not on the first reply
    return regex


# A pattern's first few matches are enough to judge a reply, and stopping there keeps a 20,000
# character paste of one repeated word from costing a context check per repetition.
MAX_MATCHES = 25


def scan(regex: re.Pattern, s: str) -> Iterator[re.Match]:
    """The first MAX_MATCHES matches."""
    return islice(regex.finditer(s), MAX_MATCHES)


# --- Pre-checks -------------------------------------------------------------------------------
# Three-letter pieces found in most English text; a pre-check on one of them rules out nothing.
_COMMON_GRAMS = frozenset({
    "the", "and", "ing", "ion", "ent", "her", "for", "tha", "int", "ere", "tio", "ter", "est", "ers", "ati",
    "hat", "ate", "all", "eth", "hes", "ver", "his", "oth", "res", "ont", "you", "are", "wit", "thi", "not",
    "ome", "peo", "eop", "opl", "ple", "one", "our", "out", "ill", "ell", "tho", "hav", "ave", "ove", "nth",
    "ith", "oft",
})  # fmt: skip


def _rare_gram(needle: str) -> str:
    """The piece of ``needle`` least likely to turn up in ordinary text."""
    pieces = [needle[i : i + 3] for i in range(len(needle) - 2)]
    for piece in pieces:
        if " " not in piece and piece not in _COMMON_GRAMS:
            return piece
    return pieces[0]


def pattern_grams(regex: re.Pattern) -> frozenset[str] | None:
    needles = required_substrings(regex.pattern)
    if not needles or min(len(n) for n in needles) < 3:
        return None
    return frozenset(_rare_gram(n) for n in needles)


@lru_cache(maxsize=8)
def text_grams(s: str) -> frozenset[str]:
    """Every three-character piece of ``s``."""
    return frozenset([s[i : i + 3] for i in range(len(s) - 2)])


class PatternSet(Generic[T]):
    """Patterns run together over one text; ``candidates`` skips those that cannot match."""

    __slots__ = ("_always", "_by_gram", "_entries")

    def __init__(self, entries: Iterable[tuple[re.Pattern, T]]) -> None:
        self._entries = tuple((regex, item) for regex, item in entries)
        # Which patterns each three-character piece can wake, so a text is looked up by its own
        # pieces rather than every pattern being checked against it.
        always: list[int] = []
        by_gram: dict[str, list[int]] = {}
        for i, (regex, _) in enumerate(self._entries):
            needed = pattern_grams(regex)
            if needed is None:
                always.append(i)
            else:
                for gram in needed:
                    by_gram.setdefault(gram, []).append(i)
        self._always = frozenset(always)
        self._by_gram = {gram: tuple(found) for gram, found in by_gram.items()}

    def candidates(self, s: str) -> list[tuple[re.Pattern, T]]:
        """The patterns that could match ``s``, in the order they were given."""
        hit = set(self._always)
        by_gram = self._by_gram
        # The intersection runs in C; only the few pieces that wake a pattern are looked up.
        for gram in self._by_gram.keys() & text_grams(s):
            hit.update(by_gram[gram])
        entries = self._entries
        return [entries[i] for i in sorted(hit)]


_SINGLE_GRAMS: dict[re.Pattern, frozenset[str] | None] = {}


def matches(regex: re.Pattern, s: str) -> Iterator[re.Match]:
    """The first MAX_MATCHES matches of a lone pattern, with the same pre-check."""
    try:
        needed = _SINGLE_GRAMS[regex]
    except KeyError:
        needed = _SINGLE_GRAMS[regex] = pattern_grams(regex)
    if needed is not None and needed.isdisjoint(text_grams(s)):
        return iter(())
    return islice(regex.finditer(s), MAX_MATCHES)


def required_substrings(pattern: str) -> tuple[str, ...] | None:
    """Literal strings one of which every match of ``pattern`` contains, or None if unsure."""
    try:
        found = _sequence(list(_regex_parser.parse(pattern)))
    except Exception:  # an unusual construct: no pre-check, never a wrong one
        return None
    return tuple(sorted(found)) if found else None


def _node(op: object, av: object) -> set[str] | None:
    if op is _sre.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is _sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            needed = _sequence(list(branch))
            if needed is None:
                return None
            out |= needed
        return out
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _, item = av
        return _sequence(list(item)) if low >= 1 else None
    if op is _sre.IN and all(o is _sre.LITERAL for o, _ in av):
        return {chr(a) for _, a in av} or None
    return None


def _selectivity(needles: set[str]) -> tuple[int, int]:
    # Only the first three letters are checked, so longer needles gain nothing beyond that.
    return (min(3, *(len(n) for n in needles)), -len(needles))


def _sequence(items: list) -> set[str] | None:
    candidates: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is _sre.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append({run})
            run = ""
        needed = _node(op, av)
        if needed:
            candidates.append(needed)
    if run:
        candidates.append({run})
    return max(candidates, key=_selectivity) if candidates else None


def alternation(words: str) -> str:
    """'a b|c d' -> '(?:a b|c d)'; longest first so 'old git' wins over 'old'.

    Splits on top-level bars only, so items may hold their own groups: 'ruining (?:this|our) town'.
    """
    items: set[str] = set()
    depth, start = 0, 0
    for i, ch in enumerate(words):
        if ch == "(" and (i == 0 or words[i - 1] != "\\"):
            depth += 1
        elif ch == ")" and (i == 0 or words[i - 1] != "\\"):
            depth -= 1
        elif ch == "|" and depth == 0:
            items.add(words[start:i].strip())
            start = i + 1
    items.add(words[start:].strip())
    items.discard("")
    return "(?:" + "|".join(sorted(items, key=len, reverse=True)) + ")"
