"""Rule 4: false or unverified information, against the team's register.

``false_claim``: a reply that restates a registered false claim, in other words too. Two stages:

1. Lexical: content words after light stemming and a small synonym table ("flogged" = "sold",
   "bike lane" = "cycle lane", "forty per cent" = "40%"). A claim is a topic plus an assertion
   ("Victoria Park" + "is being sold"), so a match needs at least one of the claim's assertion
   words (selling, closing, cutting, paying, a frequency or a number) and one of its topic words,
   and enough of the claim overall. That keeps "Is Victoria Park open on Sunday?" from matching a
   claim that it is being sold.
2. Semantic: a reply the lexical stage did not match, but which shares the claim's topic, is
   compared with the claim by meaning (sentence vectors from all-MiniLM-L6-v2, see encoder.py),
   so "they're dosing our water supply with chemicals to keep us docile" matches "the council is
   putting fluoride in tap water to control people". See ``ClaimMatcher`` for the gate that keeps
   the encoder's cost off most replies, and the semantic-stage notes below for the checks that
   keep denials, questions and discussion of a claim from counting as the claim.

Either way a reply that denies or debunks the claim ("it's a myth that ...", "nobody is ...")
does not count. The reason names the claim, how similar the reply is (semantic stage), the
correction and the source.

``unreliable_source``: a link to a listed domain or any subdomain of it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from moderation.rules.normalise import Document, normalise
from moderation.rules.patterns import PatternSet
from moderation.rules.verdict import Cue

logger = logging.getLogger(__name__)

# Numbers however they are written: "forty per cent" = "40%", "two million" = "£2,000,000" = "2m".
_NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50",
    "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
}  # fmt: skip
_NUMBER_WORD_RE = re.compile(r"\b(?:" + "|".join(_NUMBER_WORDS) + r")\b")
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
        (r"\bshut (?:up|it|your)\b", " silence "),
        (r"\blow[- ]traffic (?:neighbourhoods?|schemes?|zones?|areas?)\b|\bltns?\b", " ltn "),
        (r"\b(?:open|green) spaces?\b|\bplaying fields?\b|\brecreation grounds?\b", " park "),
        (r"\b(\d+(?:\.\d+)?) ?(?:per ?cent|percent)\b", r" \1% "),
        (r"\b(\d{1,3})(?:,000,000\b| ?(?:million|mill|mil)\b)", r"\1m"),
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
    "parking": "parking",
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
    "councillor": "councillor councillors cllr cllrs",
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
    r"\b(?:not true|isn't true|is untrue|untrue|a myth|debunked|fact[- ]?check\w*|misinformation|disinformation"
    r"|the opposite|not for sale|no plans to|isn't happening|is not happening|won't happen|read the actual"
    r"|don't believe the rumou?rs?|conspiracy theor(?:y|ies|ists?)"
    r"|stop (?:spreading|sharing) (?:this|that|these|the|such)"
    r"|(?:is|are|was|were|it's|that's|simply|completely|totally|entirely) (?:false|made up|a lie|a hoax)"
    r"|no truth (?:in|to)|there'?s no evidence|no such (?:plan|thing|scheme|proposal)"
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


def _rephrase(text: str) -> str:
    """Numbers as digits and the phrase table's phrases as their one word."""
    text = _NUMBER_WORD_RE.sub(lambda m: _NUMBER_WORDS[m.group()], text)
    for pattern, replacement in _PHRASE_SET.candidates(text):
        text = pattern.sub(replacement, text)
    return text


def terms(text: str) -> list[str]:
    """Canonical content words of already-normalised text, in order (negated assertions dropped)."""
    text = _rephrase(text)
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
    # Terms that let a reply through to the sentence encoder (see ``ClaimMatcher`` on the gate).
    gate: frozenset[str]
    # The claim itself says "couldn't" or "no": then a reply's negation is no sign of denial.
    negative: bool
    # The claim's assertion words and the words related to them (see UNSUPPORTED_THRESHOLD).
    assertion: frozenset[str]


# --- The semantic stage -------------------------------------------------------------------
#
# Matching by meaning: the reply and each registered claim become sentence vectors (see
# encoder.py), and a reply whose cosine similarity with a claim reaches SIMILARITY_THRESHOLD
# restates it. A sentence encoder scores topic as much as assertion and barely notices negation
# ("it's a myth that the council puts fluoride in water to control people" scores 0.85 against
# the claim itself), so four cheap checks stand guard, each on a plain linguistic ground:
#   - a denial or debunking is never a hit: _DEBUNK_RE, an opening "No,", or a negation whose
#     scope takes in the claim's words in the clause that carries most of the claim;
#   - a plain question ("Is there a consultation on fluoride?") asks rather than asserts; "why"
#     and "how can you" questions presuppose the claim and still count;
#   - a reply that calls the matter debated, or cites the evidence or an NHS/GOV.UK page,
#     discusses the claim rather than making it;
#   - what ought to happen ("councillors should be paid more") is no claim about what happens.
# The threshold was chosen on tests/rules/claims_cases.jsonl: the highest value with the best F1
# on the "dev" claims; the held-out "test" claims check it (training/eval_rules45.py prints both).
SIMILARITY_THRESHOLD = 0.46
# A claim with assertion words ("fined", "£130", "selling") names what is said to happen; a reply
# that shares its topic but none of those words, nor words related to them, is more likely to be
# about something else that happens there ("drivers keep speeding on Green Lane"), so it needs
# a closer match.
UNSUPPORTED_THRESHOLD = 0.65

# Words a civic reply uses for a registered claim's topic without using the claim's own words.
# Only the gate uses them: they decide whether a reply is worth encoding, never whether it hits.
_RELATED_TOPIC_WORDS: dict[str, str] = {
    "water": "supply supplies tap taps drinking reservoir reservoirs",
    "fluoride": "fluoridation fluoridate fluoridated fluoridating chemical chemicals",
    "lamp": "lamppost lampposts streetlight streetlights street-light light lights column columns",
    "mast": "masts antenna antennas transmitter transmitters phone",
    "vote": "votes voting ballot ballots election elections count counted polling",
    "logo": "rebrand rebranding branding brand badge crest",
    "neighbourhood": "area areas district districts zone zones ward wards",
    "housing": "homes home list waiting register queue",
    "immigrant": "foreigners foreigner arrivals seekers",
    "councillor": "member members allowance allowances",
    "pay": "allowance allowances salary salaries wage wages",
    "ltn": "bollards bollard planters planter filter filters barrier barriers",
    "ambulance": "ambulances paramedic paramedics 999 emergency",
    "library": "libraries books",
    "park": "green recreation playground",
    "bin": "rubbish refuse waste recycling",
    "cyclelane": "cycling cyclists bikes bike",
    "school": "schools pupils academy",
    "hotel": "hotels hostel accommodation",
}
# Words for what a claim says happens, beyond the synonym table.
_RELATED_ASSERTION_WORDS: dict[str, str] = {
    "fine": "charge charged charging penalise penalised penalising ticket tickets",
    "track": "tracking tracked spy spying monitor monitoring surveillance watch watching tabs",
    "increase": "hike hikes bump bumped boost boosted",
    "sell": "sale",
}
# Background words that are still a claim's topic: "councillors voted themselves a pay rise".
_TOPICAL_BACKGROUND = frozenset(["councillor"])
_RELATED_TOPIC: dict[str, frozenset[str]] = {}
_RELATED_ASSERTION: dict[str, frozenset[str]] = {}

# Street and place nouns: nearly every civic reply names a road or a park, so they say little about topic.
_PLACE_WORDS = frozenset(["road", "lane", "avenue", "drive", "way", "crescent", "grove", "square", "place", "park"])
_URL_RE = re.compile(r"(?:https?|hxxps?)://\S+|\bwww?\.\S+")
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+")
_CLAUSE_RE = re.compile(r"[.!?;:]+(?:\s+|$)|,\s*|\s+-+\s+|\s+(?:but|while|whereas|although|though|yet)\s+")
_NEGATION_WORDS = frozenset(
    [
        "not",
        "no",
        "never",
        "nobody",
        "nothing",
        "none",
        "neither",
        "nor",
        "cannot",
        "aint",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "cant",
        "wont",
        "havent",
        "hasnt",
        "hadnt",
        "shouldnt",
        "wouldnt",
        "couldnt",
    ]
)
# Negations that say nothing about whether the claim is true ("can't believe they're selling it").
_IDIOM_RE = re.compile(
    r"\b(?:can't|cannot|couldn't) (?:believe|wait|stand|understand)\b"
    r"|\bdon't (?:be fooled|fall for|let|forget|believe (?:them|the council|a word|her|him)|you dare|tell me|trust)\b"
    r"|\bmake no mistake\b|\bno (?:wonder|doubt|surprise|consultation|warning|notice|say|one asked|one wanted)\b"
    r"|\bnobody (?:asked|wanted|cares|will use)\b|\bnot (?:only|even hiding|surprised|good enough)\b"
    r"|\bwhether or not\b|\bif not\b"
)
# "Nope, ..." or "No, ..." at the start answers the claim with a denial.
_FLAT_DENIAL_RE = re.compile(r"^\W*(?:no|nope|wrong|false)\b\s*[,.!:;-]")
_QUESTION_STARTS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "am",
        "do",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "should",
        "shall",
        "has",
        "have",
        "had",
        "may",
        "might",
        "when",
        "where",
        "who",
        "whom",
        "whose",
        "which",
        "what",
        "how",
        "any",
        "anyone",
        "anybody",
    ]
)
_RHETORICAL_RE = re.compile(
    r"\bwhy\b|^\W*(?:how (?:come|dare|can|could)|what (?:a|kind)|who do (?:you|they|we) think)\b"
)
_HEDGE_RE = re.compile(
    r"\b(?:is|are|being|been|hotly|still|widely) (?:debated|disputed|contested)\b|\bcontroversial\b"
    r"|\bthe (?:evidence|research|science|studies)\b|\b(?:research|studies|evidence) (?:shows?|says?|suggests?)\b"
    r"|\b(?:nhs|gov)\.uk\b"
)
_WINDOW = 4  # content words after a negation that fall within its scope
# What ought to happen is no claim about what is happening ("councillors should be paid more").
_NORMATIVE_RE = re.compile(
    r"\b(?:should|ought to)\b(?! (?:know|be aware|be told|read|look|ask|check))|\bdeserves?\b"
    r"|\b(?:'d|would) rather\b|\bwe need\b|\bneeds? to be\b"
)


def _is_negation(word: str) -> bool:
    return word in _NEGATION_WORDS or word.endswith("n't")


def _clause_terms(clause: str) -> list[tuple[str, bool]]:
    """(canonical term, is a negation) for each word of a clause, stop words dropped."""
    out = []
    for word in _WORD_RE.findall(_rephrase(clause)):
        if _is_negation(word):
            out.append((word, True))
        elif word not in _STOPWORDS:
            out.append((_stem(word) if word[0].isalpha() else word.lstrip("£"), False))
    return out


def _negation(clause: str, weights: dict[str, float], claim_negative: bool) -> str:
    """How this clause denies the claim: "strong", "weak" or "" (it doesn't).

    A negation denies the claim when the claim's words fall within its scope (the next few content
    words). "Nobody", "nothing", "none" and a clause-opening "no" deny strongly; "not", "never" and
    "-n't" weakly, and not at all when the claim itself is negative ("couldn't get through").
    """
    items = _clause_terms(_IDIOM_RE.sub(" ", clause))
    found = ""
    for i, (term, negation) in enumerate(items):
        if not negation:
            continue
        strong = term in ("nobody", "nothing", "none") or (term == "no" and i == 0)
        if not strong and (claim_negative or (i == 0 and term in ("don't", "dont", "never"))):
            continue  # an opening "don't drink the tap water" is advice, not a denial
        scope = [t for t, neg in items[i + 1 : i + 1 + _WINDOW] if not neg]
        if any(weights.get(t, 0.0) >= 1.0 for t in scope):
            if strong:
                return "strong"
            found = "weak"
    return found


def _denies(text: str, claim: _CompiledClaim) -> bool:
    """The reply denies or debunks the claim rather than making it."""
    if _DEBUNK_RE.search(text) or _FLAT_DENIAL_RE.search(text):
        return True
    best, best_negated = 0.0, False
    for clause in _CLAUSE_RE.split(text):
        words = {t for t, neg in _clause_terms(clause) if not neg}
        weight = sum(claim.weights.get(t, 0.0) for t in words)
        if weight <= 0.0:
            continue
        negation = _negation(clause, claim.weights, claim.negative)
        if negation == "strong":
            return True
        negated = negation == "weak"
        # Otherwise the clause that carries most of the claim decides; on a tie the assertion wins.
        if weight > best or (weight == best and best_negated and not negated):
            best, best_negated = weight, negated
    return best_negated


def _main_clause(text: str, claim: _CompiledClaim) -> str:
    """The clause that carries most of the claim's words."""
    best, best_weight = "", 0.0
    for clause in _CLAUSE_RE.split(text):
        weight = sum(claim.weights.get(t, 0.0) for t, neg in _clause_terms(clause) if not neg)
        if weight > best_weight:
            best, best_weight = clause, weight
    return best


def _only_asks(text: str, claim: _CompiledClaim) -> bool:
    """Every sentence about the claim's topic is a plain question, not a rhetorical one."""
    sentences = [s for s in _SENTENCE_RE.split(text) if s.strip()]
    about = [
        s for s in sentences if {t for t, neg in _clause_terms(s) if not neg} & (claim.gate | claim.weights.keys())
    ]
    for sentence in about or sentences:
        if not sentence.rstrip().endswith("?") or _RHETORICAL_RE.search(sentence):
            return False
        first = sentence.split()
        last = sentence.rsplit(",", 1)[-1].split()
        if not (first and first[0] in _QUESTION_STARTS) and not (last and last[0] in _QUESTION_STARTS):
            return False
    return bool(sentences)


class ClaimMatcher:
    """The register's false claims, prepared once; ``match`` runs per reply.

    Two stages. The lexical stage (``terms``) catches a reply that restates a claim in the claim's
    own words or the synonym table's. The semantic stage catches the rest by meaning, but the
    sentence encoder costs several milliseconds a reply against well under one for everything
    else the engine does, so a reply is encoded only when it passes ``gated`` (it shares the
    claim's topic), the lexical stage has not already matched that claim, and it is neither a
    plain question nor a discussion of the evidence; a reply is encoded at most once, however
    many claims it could match, and recent replies are remembered. On bench/classify.py's mix
    0.3% of replies reach the encoder. Everything per claim, the claims' vectors included, is
    prepared here. Without the encoder (model missing or failing its checksum) the matcher logs
    why and carries on with the lexical stage alone.
    """

    def __init__(self, claims: Iterable, encoder: object | None = None, semantic: bool = True) -> None:
        self._claims: list[_CompiledClaim] = []
        self._index: dict[str, list[int]] = {}
        self._gate_index: dict[str, list[int]] = {}
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
            # The gate opens on the claim's topic, not on its assertion words or numbers alone: "my rent
            # went up 40%" shares "up 40%" with "councillors voted themselves a 40% pay rise", but it is
            # no paraphrase of it. Words related to any of the claim's words count as topic.
            distinctive = {t for t, w in weights.items() if w >= 1.0} | (weights.keys() & _TOPICAL_BACKGROUND)
            gate = set(topics | (weights.keys() & _TOPICAL_BACKGROUND)) or set(distinctive)
            for term in distinctive:
                gate |= _RELATED_TOPIC.get(term, frozenset())
            correction = str(getattr(claim, "correction", "") or "")
            compiled = _CompiledClaim(
                code=str(getattr(claim, "code", "")),
                claim=str(getattr(claim, "claim", "")),
                correction=correction,
                source_url=str(getattr(claim, "source_url", "")),
                weights=weights,
                predicates=predicates,
                topics=topics,
                gate=frozenset(gate),
                negative=any(_is_negation(w) for w in _WORD_RE.findall(text)),
                assertion=predicates.union(*(_RELATED_ASSERTION.get(t, ()) for t in predicates)),
            )
            i = len(self._claims)
            for term in weights:
                self._index.setdefault(term, []).append(i)
            for term in gate:
                self._gate_index.setdefault(term, []).append(i)
            self._claims.append(compiled)
        self._encoder = None
        self._vectors = None
        if semantic and self._claims:
            self._semantic_setup(encoder)
        # Pile-ons repeat the same words; a reply seen before is not encoded again.
        self._embed = lru_cache(maxsize=4096)(self._embed_uncached)

    def _semantic_setup(self, encoder: object | None) -> None:
        try:
            if encoder is None:
                from moderation.rules.encoder import encoder as shared_encoder

                encoder = shared_encoder()
            self._vectors = encoder.embed([claim.claim for claim in self._claims])
            self._encoder = encoder
        except Exception:
            logger.exception("claims register: sentence encoder unavailable, matching claims by their words only")
            self._encoder = None
            self._vectors = None

    @property
    def semantic(self) -> bool:
        """Whether claims are matched by meaning as well as by words."""
        return self._encoder is not None

    @staticmethod
    def _weight(term: str) -> float:
        if term in _BACKGROUND:
            return 0.3
        if term in _GENERIC:
            return 0.5
        return 1.0

    def _embed_uncached(self, text: str):
        return self._encoder.embed([text])[0]

    def gated(self, present: set[str]) -> set[int]:
        """The claims a reply with these terms could paraphrase: the gate in front of the encoder.

        The reply must share the claim's topic: a topic word of the claim or a word related to
        one (the correction's words were tried too: on the labelled set they let through denials
        and neutral replies and caught no paraphrase the claim's words missed). When the claim has
        assertion words and the reply has none of them, it must share two topic words besides
        street and place nouns, since only a reply that close to the topic could reach
        UNSUPPORTED_THRESHOLD ("thanks for sorting the bins on Mill Lane" is not encoded for "bin
        collections are being cut to once a month").
        """
        found: dict[int, set[str]] = {}
        for term in present:
            for i in self._gate_index.get(term, ()):
                found.setdefault(i, set()).add(term)
        out = set()
        for i, topical in found.items():
            claim = self._claims[i]
            topic = topical - claim.assertion  # a word can't be both topic and assertion ("housing")
            if not topic:
                continue
            if claim.predicates and present.isdisjoint(claim.assertion) and len(topic - _PLACE_WORDS) < 2:
                continue
            out.add(i)
        return out

    def match(self, doc: Document) -> list[Cue]:
        if not self._claims:
            return []
        text = doc.text
        if _DEBUNK_RE.search(text):
            return []
        present = set(terms(text))
        cues = []
        lexical: set[int] = set()
        candidates = {i for term in present for i in self._index.get(term, ())}
        for i in sorted(candidates):
            claim = self._claims[i]
            coverage = self._coverage(claim, present)
            if coverage is None or _denies(text, claim):
                continue
            lexical.add(i)
            score = min(0.95, 0.45 + 0.5 * coverage)
            cues.append(Cue(4, "false_claim", score, "medium", self._reason("repeats", claim)))
        if self._encoder is None:
            return cues
        gated = [i for i in sorted(self.gated(present) - lexical) if not _only_asks(text, self._claims[i])]
        if not gated or _HEDGE_RE.search(doc.plain):
            return cues
        stripped = _URL_RE.sub(" ", text).strip()
        if not stripped:
            return cues
        try:
            vector = self._embed(stripped)
        except Exception:  # the words-only findings above still stand
            logger.exception("claims register: sentence encoder failed on a reply")
            return cues
        for i in gated:
            claim = self._claims[i]
            similarity = float(self._vectors[i] @ vector)
            supported = not claim.predicates or not present.isdisjoint(claim.assertion)
            if similarity < (SIMILARITY_THRESHOLD if supported else UNSUPPORTED_THRESHOLD):
                continue
            if _denies(text, claim) or _NORMATIVE_RE.search(_main_clause(text, claim)):
                continue
            score = min(0.95, 0.3 + 0.7 * similarity)
            cues.append(Cue(4, "false_claim", score, "medium", self._reason("paraphrases", claim, similarity)))
        return cues

    @staticmethod
    def _coverage(claim: _CompiledClaim, present: set[str]) -> float | None:
        """How much of the claim the reply's words cover, or None when the lexical stage doesn't match."""
        shared = present.intersection(claim.weights)
        if claim.predicates:
            if not shared & claim.predicates or (claim.topics and not shared & claim.topics):
                return None
            needed = 0.5
        else:
            if len(shared & claim.topics) < min(2, len(claim.topics)):
                return None
            needed = 0.6
        coverage = sum(claim.weights[t] for t in shared) / sum(claim.weights.values())
        return coverage if coverage >= needed else None

    @staticmethod
    def _reason(verb: str, claim: _CompiledClaim, similarity: float | None = None) -> str:
        how = f", similarity {similarity:.2f}" if similarity is not None else ""
        reason = f'{verb} registered false claim "{claim.claim}" ({claim.code}{how}). Correction: {claim.correction}'
        return reason + (f" Source: {claim.source_url}" if claim.source_url else "")


for _table, _related in ((_RELATED_TOPIC_WORDS, _RELATED_TOPIC), (_RELATED_ASSERTION_WORDS, _RELATED_ASSERTION)):
    for _canonical, _words in _table.items():
        _related[_stem(_canonical)] = frozenset(_stem(w) for w in _words.split())


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
