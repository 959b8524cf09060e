"""Text normalisation: undo the tricks people use to slip words past a filter.

Every step keeps a map from each output character back to its position in the original text,
so a reason can quote the words the author actually typed ("k i l l  y o u") next to what the
engine read ("kill you").

Pipeline for the main view (``Document.views[0]``):
  fold (NFKC, drop invisibles and marks, lowercase, look-alike letters)
  -> join spaced-out letters ("k i l l", "k.i.l.l")
  -> collapse whitespace
  -> leetspeak inside words ("k1ll", "sh!t"; "5 days" stays)
  -> unmask masked words ("c*nt", "f***ing") against a short list of words worth unmasking
  -> squeeze runs of 3+ letters to two ("kiiiill" -> "kiill").
A second view squeezes those runs to one letter ("kill") when that differs, and detectors match
both. ``Document.plain`` stops after the fold and whitespace steps: postcodes, phone numbers and
links are read there, where leetspeak must not turn "L1 8JQ" into "li 8jq".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

# Only the first MAX_CHARS characters are examined: abuse that matters is near the top, and this
# bounds the work any one reply can cost (a 1 MB paste must not stall the ingest queue).
MAX_CHARS = 20_000

# A handle, as replies on X open with them ("@cllr_amos").
MENTION_RE = re.compile(r"@\w+")

# Invisible characters that are dropped outright (the brief's list; most are category Cf too).
_INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x2060, 0x2065)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u00ad", "\u034f", "\u180e", "\u115f", "\u1160", "\u3164", "\uffa0"]
)

# Letters that look like Latin ones, written as escapes so the source shows what they are.
# Applied after lowercasing, so only lowercase forms.
_HOMOGLYPHS = {
    # Cyrillic
    "\u0430": "a", "\u0432": "b", "\u0435": "e", "\u0451": "e", "\u0437": "3", "\u043a": "k", "\u043c": "m",
    "\u043d": "h", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0442": "t", "\u0443": "y", "\u0445": "x",
    "\u0455": "s", "\u0456": "i", "\u0457": "i", "\u0458": "j", "\u0501": "d", "\u04bb": "h", "\u04cf": "l",
    "\u051b": "q", "\u051d": "w", "\u04af": "y", "\u044c": "b",
    # Greek
    "\u03b1": "a", "\u03b2": "b", "\u03b3": "y", "\u03b5": "e", "\u03b7": "n", "\u03b9": "i", "\u03ba": "k",
    "\u03bc": "u", "\u03bd": "v", "\u03bf": "o", "\u03c1": "p", "\u03c4": "t", "\u03c5": "u", "\u03c7": "x",
    "\u03c9": "w", "\u03c2": "s", "\u03c3": "o",
    # Latin look-alikes that NFKC leaves alone
    "\u0261": "g", "\u0131": "i", "\u0237": "j", "\u0251": "a", "\u0269": "i", "\u00f8": "o", "\u00f0": "d",
    "\u0142": "l", "\u0111": "d", "\u0127": "h", "\u0140": "l", "\u0192": "f", "\u026a": "i", "\u029f": "l",
    "\u0280": "r", "\u028f": "y", "\u0262": "g", "\u029c": "h", "\u0274": "n", "\u1d00": "a", "\u0299": "b",
    "\u1d04": "c", "\u1d05": "d", "\u1d07": "e", "\ua730": "f", "\u1d0a": "j", "\u1d0b": "k", "\u1d0d": "m",
    "\u1d0f": "o", "\u1d18": "p", "\ua731": "s", "\u1d1b": "t", "\u1d1c": "u", "\u1d20": "v", "\u1d21": "w",
    "\u1d22": "z",
    # Typography that would otherwise split words or contractions
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"', "\u2010": "-",
    "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
}  # fmt: skip

# ASCII fast path: one translate() lowercases and turns control characters into spaces.
_ASCII_TABLE = {c: " " for c in range(32)} | {127: " "} | {c: c + 32 for c in range(65, 91)}
_ASCII_TABLE[ord("`")] = "'"

_FOLD_CACHE: dict[str, str] = {}
_FOLD_CACHE_LIMIT = 50_000

_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}

# Words worth unmasking, most likely first: "s**t" is far more often shit than smut. A masked
# token is unmasked only to a word of the same length whose visible letters all agree.
_MASKABLE = [
    "fuck",
    "fucks",
    "fucked",
    "fucker",
    "fuckers",
    "fucking",
    "fuckin",
    "fuckwit",
    "cunt",
    "cunts",
    "cunting",
    "shit",
    "shits",
    "shite",
    "shitty",
    "bullshit",
    "bitch",
    "bitches",
    "bastard",
    "bastards",
    "twat",
    "twats",
    "wanker",
    "wankers",
    "wank",
    "prick",
    "pricks",
    "dick",
    "dickhead",
    "knob",
    "knobhead",
    "bellend",
    "arse",
    "arsehole",
    "asshole",
    "tosser",
    "piss",
    "pissed",
    "crap",
    "bollocks",
    "slag",
    "slut",
    "sluts",
    "whore",
    "whores",
    "slapper",
    "skank",
    "scum",
    "scumbag",
    "nonce",
    "paedo",
    "kill",
    "killed",
    "killing",
    "die",
    "dead",
    "death",
    "rape",
    "raped",
    "rapist",
    "stab",
    "shoot",
    "hang",
    "murder",
    "nigger",
    "niggers",
    "nigga",
    "niggas",
    "paki",
    "pakis",
    "wog",
    "wogs",
    "coon",
    "coons",
    "chink",
    "faggot",
    "faggots",
    "fag",
    "fags",
    "poof",
    "poofs",
    "poofter",
    "dyke",
    "dykes",
    "tranny",
    "trannies",
    "trannys",
    "retard",
    "retards",
    "retarded",
    "spastic",
    "spastics",
    "spaz",
    "mong",
    "muzzie",
    "muzzies",
    "kike",
    "kikes",
    "yid",
    "pikey",
    "gyppo",
    # Group names masked to dodge a filter ("m*slims", "j*ws").
    "muslim",
    "muslims",
    "islam",
    "jews",
    "gays",
    "lesbians",
    "blacks",
    "asians",
    "immigrants",
    "migrants",
    "refugees",
    "hindus",
    "sikhs",
    "gypsies",
    "women",
    "idiot",
    "moron",
    "muppet",
    "clown",
]
_MASK_CHARS = "*#%?_-"
_MASK_INDEX: dict[tuple[int, str, str], list[str]] = {}
for _word in _MASKABLE:
    _MASK_INDEX.setdefault((len(_word), _word[0], _word[-1]), []).append(_word)

# Runs made only of these are text-speak ("u r a clown", "i c u"), not a spelled-out word.
_TEXTSPEAK = frozenset("uraiycnb")

_WS_RE = re.compile(r"\s+")
# Three or more single letters (or leet digits) separated by the same kind of filler: "k i l l",
# "k.i.l.l", "k-i-l-l", "f u c k  y o u". Runs of single letters are rare in real prose.
_SPACED_RE = re.compile(
    r"(?<![a-z0-9@$*])[a-z013457@$](?:[\s.\-_*|/\\,~+:;\u2022\u00b7]{1,3}[a-z013457@$](?![a-z0-9@$*])){2,}"
)
_SPACED_SPLIT_RE = re.compile(r"([\s.\-_*|/\\,~+:;\u2022\u00b7]{1,3})")
_LEET_RE = re.compile(r"(?<=[a-z])[013457$]+|[013457$]+(?=[a-z])|(?<=[a-z])[@!]+(?=[a-z])")
_MASKED_RE = re.compile(r"(?<![\w*#%?\-])[a-z][a-z*#%?_\-]{1,10}[a-z](?![\w*#%?\-])")
_SUFFIX_RE = re.compile(r"[a-z]+")
_NUMBER_SUFFIXES = frozenset(
    [
        "s",
        "st",
        "nd",
        "rd",
        "th",
        "am",
        "pm",
        "k",
        "m",
        "bn",
        "p",
        "mph",
        "kg",
        "km",
        "ft",
        "x",
        "mins",
        "min",
        "hrs",
        "hr",
        "yrs",
        "yr",
        "yo",
        "ish",
        "ml",
        "l",
        "g",
        "kw",
        "kwh",
        "gb",
        "mb",
        "tb",
        "v",
        "w",
    ]
)
_REPEAT_RE = re.compile(r"([a-z])\1{2,}")


def _fold_char(ch: str) -> str:
    cached = _FOLD_CACHE.get(ch)
    if cached is not None:
        return cached
    if ch in _INVISIBLE:
        folded = ""
    else:
        category = unicodedata.category(ch)
        if category == "Cc" or category[0] == "Z":
            folded = " "
        elif category in ("Cf", "Cs", "Co", "Cn", "Mn", "Me"):
            # Format characters, lone surrogates, private use and combining marks (accents,
            # "zalgo" stacks, U+034F) carry nothing a reader sees as a letter.
            folded = ""
        else:
            pieces = []
            for c in unicodedata.normalize("NFKC", ch).lower():
                for d in unicodedata.normalize("NFD", c):
                    if not unicodedata.combining(d):
                        pieces.append(_HOMOGLYPHS.get(d, d))
            folded = "".join(pieces)
    if len(_FOLD_CACHE) < _FOLD_CACHE_LIMIT:
        _FOLD_CACHE[ch] = folded
    return folded


def _fold(text: str) -> tuple[str, Sequence[int]]:
    if text.isascii():
        return text.translate(_ASCII_TABLE), range(len(text))
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        folded = ch.translate(_ASCII_TABLE) if ch < "\x80" else _fold_char(ch)
        if folded:
            out.append(folded)
            idx.extend([i] * len(folded))
    return "".join(out), idx


def _rewrite(s: str, idx: Sequence[int], pattern: re.Pattern, replace) -> tuple[str, Sequence[int]]:
    """Apply ``replace(match) -> str`` to every match, carrying the index map along."""
    out: list[str] = []
    new_idx: list[int] = []
    pos = 0
    changed = False
    for m in pattern.finditer(s):
        repl = replace(m)
        a, b = m.span()
        if repl == s[a:b]:
            continue
        changed = True
        out.append(s[pos:a])
        new_idx.extend(idx[pos:a])
        out.append(repl)
        n, width = len(repl), b - a
        if n == width:
            new_idx.extend(idx[a:b])
        elif n == 1:
            new_idx.append(idx[a])
        elif n:
            # Spread the replacement over the span so its last character maps to the span's end.
            new_idx.extend(idx[a + (j * (width - 1)) // (n - 1)] for j in range(n))
        pos = b
    if not changed:
        return s, idx
    out.append(s[pos:])
    new_idx.extend(idx[pos:])
    return "".join(out), new_idx


def _join_spaced(m: re.Match) -> str:
    run = m.group()
    parts = _SPACED_SPLIT_RE.split(run)
    letters, seps = parts[0::2], parts[1::2]
    if sum(c.isalpha() for c in letters) < 2 or set(letters) <= _TEXTSPEAK:
        return run
    # The usual separator joins letters; a different or longer one marks a word break. On a tie the
    # first one seen is the usual one (not whichever a set happens to yield first: that depends on
    # the process's hash seed, and "A S___T" read "as t" in one process and "a st" in another).
    usual = Counter(seps).most_common(1)[0][0]
    out = [letters[0]]
    for sep, letter in zip(seps, letters[1:], strict=True):
        if sep != usual:
            out.append(" ")
        out.append(letter)
    return "".join(out)


def _unleet(m: re.Match) -> str:
    start = m.start()
    s = m.string
    if start == 0 or not s[start - 1].isalpha():
        # Digits that open a token are leet only if what follows is not a unit or ordinal:
        # "5hit" is, but "30s", "3rd", "10am" and "50p" are numbers.
        if start and s[start - 1].isdigit():
            return m.group()
        suffix = _SUFFIX_RE.match(s, m.end())
        if suffix and suffix.group() in _NUMBER_SUFFIXES:
            return m.group()
    return "".join(_LEET.get(c, c) for c in m.group())


def _unmask(m: re.Match) -> str:
    token = m.group()
    if not any(c in _MASK_CHARS for c in token):
        return token
    for word in _MASK_INDEX.get((len(token), token[0], token[-1]), ()):
        if all(t == w or t in _MASK_CHARS for t, w in zip(token, word, strict=True)):
            return word
    return token


def _collapse_ws(s: str, idx: Sequence[int]) -> tuple[str, Sequence[int]]:
    s, idx = _rewrite(s, idx, _WS_RE, lambda m: " ")
    start, end = 0, len(s)
    while start < end and s[start] == " ":
        start += 1
    while end > start and s[end - 1] == " ":
        end -= 1
    if start or end != len(s):
        s, idx = s[start:end], idx[start:end]
    return s, idx


class Document:
    """One reply, read several ways, with the means to quote the original."""

    __slots__ = ("original", "plain", "plain_idx", "truncated", "views")

    def __init__(self, text: str) -> None:
        self.truncated = len(text) > MAX_CHARS
        self.original = text[:MAX_CHARS] if self.truncated else text
        folded, fidx = _fold(self.original)
        self.plain, self.plain_idx = _collapse_ws(folded, fidx)

        s, idx = _rewrite(folded, fidx, _SPACED_RE, _join_spaced)
        s, idx = _collapse_ws(s, idx)
        s, idx = _rewrite(s, idx, _LEET_RE, _unleet)
        s, idx = _rewrite(s, idx, _MASKED_RE, _unmask)
        two, two_idx = _rewrite(s, idx, _REPEAT_RE, lambda m: m.group(1) * 2)
        self.views: list[tuple[str, Sequence[int]]] = [(two, two_idx)]
        if two is not s:
            one, one_idx = _rewrite(s, idx, _REPEAT_RE, lambda m: m.group(1))
            self.views.append((one, one_idx))

    @property
    def text(self) -> str:
        """The main normalised view."""
        return self.views[0][0]

    def original_span(self, idx: Sequence[int], start: int, end: int) -> str:
        if end <= start or not idx:
            return ""
        return self.original[idx[start] : idx[end - 1] + 1]

    def cite(self, view: int, start: int, end: int, limit: int = 80) -> str:
        """'"the original words"', plus '(obfuscated: what we read)' when they differ."""
        seen, idx = self.views[view]
        read = seen[start:end].strip()
        raw = self.original_span(idx, start, end)
        original = _displayable(raw)
        if not original:
            return f'"{read}"'
        quoted = original if len(original) <= limit else original[: limit - 1] + "\u2026"
        # Compared with the raw text, so hidden characters count as obfuscation too.
        if _WS_RE.sub(" ", raw.lower().replace("\u2019", "'").replace("\u2018", "'")).strip() != read:
            return f'"{quoted}" (obfuscated: {read})'
        return f'"{quoted}"'

    def cite_plain(self, start: int, end: int, limit: int = 80) -> str:
        original = _displayable(self.original_span(self.plain_idx, start, end))
        quoted = original if len(original) <= limit else original[: limit - 1] + "\u2026"
        return f'"{quoted}"'


def _displayable(text: str) -> str:
    """The original words without controls or invisible characters (they'd garble the reason)."""
    out = []
    for ch in text:
        if ch in _INVISIBLE:
            continue
        if ch < " " or ch == "\x7f":
            out.append(" ")
            continue
        if ch >= "\x80" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
            continue
        out.append(ch)
    return "".join(out).strip()


def normalise(text: str) -> str:
    """The text as the engine reads it: folded, de-obfuscated, lowercased, one space between words."""
    if not isinstance(text, str):
        return ""
    return Document(text).text
