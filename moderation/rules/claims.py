"""Rule 4: false or unverified information, against the team's register.

``false_claim``: a reply that restates a registered false claim, in other words too. v1 compares
content words after light stemming and a small synonym table ("flogged" = "sold", "bike lane" =
"cycle lane"). A claim is a topic plus an assertion ("Victoria Park" + "is being sold"), so a
match needs at least one of the claim's assertion words (selling, closing, cutting, paying,
a frequency or a number) and one of its topic words, and enough of the claim overall. That keeps
"Is Victoria Park open on Sunday?" from matching a claim that it is being sold.

``unreliable_source``: a link to a listed domain or any subdomain of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from moderation.rules.normalise import Document, normalise
from moderation.rules.patterns import PatternSet
from moderation.rules.verdict import Cue

# Multi-word phrases that mean one thing, rewritten before splitting into words.
_PHRASES: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (
            r"\b(?:once|one)(?: \w+)? (?:a|per|every) month\b|\bevery (?:month|four weeks|4 weeks)\b|\bfour-?weekly\b",
            " monthly ",
        ),
        (r"\bevery (?:two|2|other) weeks?\b|\bbi-?weekly\b|\bonce a fortnight\b", " fortnightly "),
        (r"\bevery week\b|\bonce a week\b", " weekly "),
        (r"\bopen days?\b|\bopen house\b|\bfun days?\b", " event "),
        (
            r"\bcouncil tax\b|\btax ?payers'? money\b|\bpublic money\b|\bour money\b|\btax money\b"
            r"|\bratepayers'? money\b"
            r"|\bcouncil (?:budget|money|funds)\b|\bour taxes\b|\bpublic funds\b",
            " money ",
        ),
        (r"\b(?:cycle|bike|bicycle) (?:lanes?|paths?|routes?|tracks?)\b|\bcycleways?\b", " cyclelane "),
        (
            r"\bblack[ -]bins?\b|\bgeneral waste\b|\bresidual waste\b|\bwheelie bins?\b|\bhousehold waste\b"
            r"|\brubbish bins?\b",
            " bin ",
        ),
        (r"\b(?:sold|sell|selling|flogged|flog|flogging) off\b", " sell "),
        (r"\bshut(?:ting)? down\b|\bclos(?:ed|ing|e) off\b|\bblock(?:ed|ing)? off\b", " close "),
        (r"\b(?:through|all|motor) traffic\b", " car "),
        (r"\bhousing developers?\b", " housing developer "),
        (r"\bproperty developers?\b|\bhouse ?builders?\b", " developer "),
        # A street called "... Close" and being "close to" something assert nothing about closing.
        (
            r"\b\d{1,4}[a-z]? (?:(?!(?:for|to|the|a|an|on|in|at|of|using|and|or|with|by|from|per|is|are|was|down"
            r"|up|along)\b)[a-z'\-]+ ){1,3}(?:close|road|street|lane|drive|way|avenue|crescent|grove)\b",
            " ",
        ),
        (r"\bclose (?:to|by)\b|\bup close\b|\bclose call\b|\bclose friends?\b", " near "),
        (r"\b(?:open|green) spaces?\b|\bplaying fields?\b|\brecreation grounds?\b", " park "),
    )
)
_PHRASE_SET = PatternSet(_PHRASES)
_SYNONYMS: dict[str, str] = {}
for _canonical, _words in {
    "sell": "sell sold selling sells flog flogged flogging flogs dispose disposal disposing auction auctioned",
    "close": "close closed closing closes closure closures shut shuts shutting",
    "cut": "cut cuts cutting reduce reduced reducing reduction slash slashed axe axed axing",
    "collect": "collect collected collection collections collecting empty emptied emptying pickup pickups",
    "bin": "bin bins",
    "car": "car cars traffic vehicle vehicles driver drivers motorist motorists motor motors",
    "road": "road roads rd street streets st",
    "cyclelane": "cyclelane cyclelanes",
    "park": "park parks field fields",
    "housing": "housing house houses homes flat flats estate estates apartment apartments development developments"
    " develop developed",
    "developer": "developer developers builder builders",
    "pay": "pay paid paying pays fund funded funding funds bankroll bankrolled subsidise subsidised subsidize"
    " subsidized spend spent spending",
    "money": "money tax taxes budget taxpayer taxpayers cash £",
    "worship": "mosque mosques church churches synagogue synagogues temple temples gurdwara gurdwaras religious"
    " faith islamic muslim muslims",
    "event": "event events festival festivals celebration celebrations party parties gathering fete",
    "monthly": "monthly",
    "ban": "ban bans banned banning prohibit prohibited outlaw outlawed",
    "build": "build builds building built construct constructed erect erected",
    "scrap": "scrap scrapped scrapping cancel cancelled canceling cancelling abolish abolished ditch ditched",
    "increase": "increase increased increases rise rises rising raise raised hike hiked up double doubled triple"
    " tripled",
    "fine": "fine fines fined fining penalty penalties",
    "charge": "charge charges charged charging fee fees levy",
    "demolish": "demolish demolished demolishing bulldoze bulldozed knock",
    "camera": "camera cameras cctv anpr",
    "vaccine": "vaccine vaccines jab jabs vaccination vaccinations",
    "immigrant": "immigrant immigrants migrant migrants asylum refugee refugees",
    "hotel": "hotel hotels",
}.items():
    for _w in _words.split():
        _SYNONYMS[_w] = _canonical

# Assertion words: what the claim says happens. A matching reply must share one of them.
_PREDICATES = frozenset(
    [
        "sell",
        "close",
        "cut",
        "pay",
        "money",
        "monthly",
        "fortnightly",
        "weekly",
        "yearly",
        "ban",
        "build",
        "scrap",
        "increase",
        "fine",
        "charge",
        "demolish",
        "housing",
        "developer",
        "lie",
        "hide",
        "fake",
        "rig",
        "steal",
        "force",
        "track",
        "poison",
        "microchip",
        "spy",
        "cover",
    ]
)
# Words every civic conversation shares; they count for little.
_BACKGROUND = frozenset(
    [
        "council",
        "councils",
        "councillor",
        "councillors",
        "cllr",
        "borough",
        "town",
        "city",
        "local",
        "people",
        "resident",
        "residents",
        "area",
        "ward",
        "year",
        "years",
        "now",
        "new",
        "going",
        "will",
        "government",
        "public",
        "community",
        "plan",
        "plans",
        "service",
        "services",
    ]
)
_GENERIC = frozenset(["event", "day", "time", "week", "thing", "things", "place"])
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "it",
        "its",
        "it's",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "they're",
        "we",
        "our",
        "us",
        "you",
        "your",
        "i",
        "me",
        "my",
        "he",
        "she",
        "his",
        "her",
        "him",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "some",
        "no",
        "not",
        "only",
        "just",
        "so",
        "than",
        "too",
        "very",
        "can",
        "could",
        "should",
        "would",
        "may",
        "might",
        "must",
        "shall",
        "do",
        "does",
        "did",
        "doing",
        "done",
        "has",
        "have",
        "had",
        "having",
        "get",
        "gets",
        "got",
        "because",
        "since",
        "while",
        "also",
        "again",
        "out",
        "up",
        "down",
        "off",
        "then",
        "once",
        "here",
        "more",
        "most",
        "much",
        "many",
        "such",
        "own",
        "same",
        "other",
        "another",
        "each",
        "every",
        "both",
        "few",
        "very",
        "yet",
        "because",
        "s",
        "t",
        "ll",
        "re",
        "ve",
        "d",
        "m",
        "don't",
        "isn't",
        "aren't",
        "won't",
        "can't",
    ]
)
_WORD_RE = re.compile(r"£?\d+(?:\.\d+)?(?:%|m|k|bn)?|[a-z][a-z'\-]*[a-z]|[a-z]")
_PAREN_RE = re.compile(r"\(([^)]*)\)")
_NEGATORS = frozenset(
    [
        "not",
        "never",
        "no",
        "isn't",
        "aren't",
        "won't",
        "wasn't",
        "weren't",
        "don't",
        "doesn't",
        "didn't",
        "nobody",
        "nothing",
    ]
)
_DEBUNK_RE = re.compile(
    r"\b(?:not true|isn't true|is untrue|a myth|debunked|fact[- ]?check\w*|misinformation|disinformation|the opposite"
    r"|not for sale|no plans to|isn't happening|is not happening|won't happen|read the actual"
    r"|don't believe the rumou?rs?"
    r"|stays? (?:open|fortnightly|weekly|two-way)|is it true|is this true|any truth)\b"
)


def _stem(word: str) -> str:
    if word in _SYNONYMS:
        return _SYNONYMS[word]
    base = word
    if base.endswith("'s"):
        base = base[:-2]
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if base.endswith(suffix) and len(base) - len(suffix) >= 3 and not base.endswith(("ss", "us", "is")):
            base = base[: -len(suffix)] + repl
            break
    return _SYNONYMS.get(base, base)


def terms(text: str) -> list[str]:
    """Canonical content words of already-normalised text, in order (negated assertions dropped)."""
    for pattern, replacement in _PHRASE_SET.candidates(text):
        text = pattern.sub(replacement, text)
    out: list[str] = []
    previous = ""
    for word in _WORD_RE.findall(text):
        if word in _STOPWORDS and word not in _NEGATORS:
            previous = word
            continue
        if word in _NEGATORS:
            previous = word
            continue
        term = _stem(word.lstrip("£")) if not word[0].isdigit() and word[0] != "£" else word.lstrip("£")
        if term in _PREDICATES and previous in _NEGATORS:
            previous = word
            continue  # "is not selling" asserts the opposite
        out.append(term)
        previous = word
    return out


@dataclass(frozen=True)
class _CompiledClaim:
    code: str
    claim: str
    correction: str
    source_url: str
    weights: dict[str, float]
    predicates: frozenset[str]
    topics: frozenset[str]


class ClaimMatcher:
    """The register's false claims, prepared once; ``match`` runs per reply."""

    def __init__(self, claims: Iterable) -> None:
        self._claims: list[_CompiledClaim] = []
        self._index: dict[str, list[int]] = {}
        for claim in claims:
            text = normalise(getattr(claim, "claim", "") or "")
            # Words in brackets explain rather than assert: "(general waste)".
            aside = " ".join(_PAREN_RE.findall(text))
            weights: dict[str, float] = {}
            for term in terms(_PAREN_RE.sub(" ", text)):
                weights[term] = max(weights.get(term, 0.0), self._weight(term))
            for term in terms(aside):
                weights.setdefault(term, 0.3)
            if not weights:
                continue
            predicates = frozenset(t for t in weights if t in _PREDICATES or t[0].isdigit())
            topics = frozenset(t for t, w in weights.items() if t not in predicates and w >= 1.0)
            compiled = _CompiledClaim(
                code=str(getattr(claim, "code", "")),
                claim=str(getattr(claim, "claim", "")),
                correction=str(getattr(claim, "correction", "")),
                source_url=str(getattr(claim, "source_url", "")),
                weights=weights,
                predicates=predicates,
                topics=topics,
            )
            for term in weights:
                self._index.setdefault(term, []).append(len(self._claims))
            self._claims.append(compiled)

    @staticmethod
    def _weight(term: str) -> float:
        if term in _BACKGROUND:
            return 0.3
        if term in _GENERIC:
            return 0.5
        return 1.0

    def match(self, doc: Document) -> list[Cue]:
        if not self._claims:
            return []
        text = doc.text
        if _DEBUNK_RE.search(text):
            return []
        present = set(terms(text))
        candidates = {i for term in present for i in self._index.get(term, ())}
        cues = []
        for i in sorted(candidates):
            claim = self._claims[i]
            shared = present.intersection(claim.weights)
            if claim.predicates:
                if not shared & claim.predicates or (claim.topics and not shared & claim.topics):
                    continue
                needed = 0.5
            else:
                if len(shared & claim.topics) < min(2, len(claim.topics)):
                    continue
                needed = 0.6
            coverage = sum(claim.weights[t] for t in shared) / sum(claim.weights.values())
            if coverage < needed:
                continue
            score = min(0.95, 0.45 + 0.5 * coverage)
            reason = f'repeats registered false claim {claim.code}: "{claim.claim}". Correction: {claim.correction}' + (
                f" Source: {claim.source_url}" if claim.source_url else ""
            )
            cues.append(Cue(4, "false_claim", score, "medium", reason))
        return cues


_HOST_RE = re.compile(
    r"(?<![@\w.\-])(?:(?:https?|hxxps?|ftp)://)?(?:www\d?\.)?"
    r"(?P<host>(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9\-]{0,61}[a-z0-9])(?![\w\-])"
)
_DEFANG_RE = re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)")


def _clean_domain(domain: str) -> str:
    d = str(domain).strip().lower()
    d = re.sub(r"^[a-z]+://", "", d)
    d = d.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].split(":", 1)[0]
    d = d.strip(". ")
    if d.startswith("www."):
        d = d[4:]
    return d


class DomainMatcher:
    """Links to listed domains, or subdomains of them, wherever they appear in the text."""

    def __init__(self, domains: Iterable[str]) -> None:
        self._domains = frozenset(d for d in (_clean_domain(x) for x in domains if x) if "." in d)

    def match(self, doc: Document) -> list[Cue]:
        if not self._domains or "." not in doc.plain:
            return []
        text = _DEFANG_RE.sub(".", doc.plain) if "[" in doc.plain or "(" in doc.plain or "{" in doc.plain else doc.plain
        found: list[str] = []
        for m in _HOST_RE.finditer(text):
            labels = m.group("host").split(".")
            for i in range(len(labels) - 1):
                candidate = ".".join(labels[i:])
                if candidate in self._domains:
                    if candidate not in found:
                        found.append(candidate)
                    break
        if not found:
            return []
        listed = ", ".join(f'"{d}"' for d in found)
        return [Cue(4, "unreliable_source", 0.9, "medium", f"links to a source on the unreliable list: {listed}")]
