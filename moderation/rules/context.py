"""Context shared by the text detectors: who a word is aimed at, and whether it is used or merely
mentioned (quoted to denounce it, reported, negated, or an election-night figure of speech).

Everything here works on the normalised main view, where words are lowercase and single-spaced.
"""

from __future__ import annotations

import re
from functools import lru_cache

SECOND_PERSON = r"(?:you|u|ya|yah|ye|yer|your|ur|yours|yourself|yourselves|you're|youre|yous|youse|you've|you'll|you'd)"
_SECOND_RE = re.compile(rf"\b{SECOND_PERSON}\b")

_SENTENCE_END = ".!?"


def sentence_bounds(s: str, start: int, end: int) -> tuple[int, int]:
    left = max(s.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    rights = [i for i in (s.find(c, end) for c in _SENTENCE_END) if i != -1]
    return left, (min(rights) if rights else len(s))


def sentence(s: str, start: int, end: int) -> str:
    left, right = sentence_bounds(s, start, end)
    return s[left:right]


def addresses_reader(s: str, start: int, end: int) -> bool:
    """A second-person word in the same sentence."""
    return bool(_SECOND_RE.search(sentence(s, start, end)))


# --- Politics is not violence ------------------------------------------------------------
# "We'll bury you at the ballot box", "your days are numbered as a councillor": the harm is
# electoral. Applied to the weaker threat patterns only, never to weapons or "I know where you live".
_ELECTORAL_RE = re.compile(
    r"\b(?:ballot(?: box)?|the polls|polling (?:day|station|booth)|(?:next|the|this|an|council|local"
    r"|general) elections?"
    r"|elections?|re-?elect\w*|come may|in may|next may|vote (?:you|him|her|them) out|voted out|lose (?:your|his|her"
    r"|their) seat"
    r"|your seat|politically|electorally|(?:your|his|her|their) career|in office|out of office"
    r"|as (?:a |our |the )?(?:councillor|cllr|mp|leader|mayor|representative|chair(?:man|woman|person)?)"
    r"|at the count|next time round"
    r"|hustings|(?:the|a|tv|radio|live) debates?|(?:your|his|her|their|this|last|second|another|next) term)\b"
)


# ...unless the sentence carries the frames of real harm, which no election figure uses: "I'll have
# you killed before polling day", "you'll not live to see the next election", "next time I see ye
# at the count", a weapon.
_ELECTORAL_MENACE_RE = re.compile(
    r"\b(?:(?:have|get|got) (?:you|ya|ye|u|him|her|them) (?:killed|shot|stabbed|knifed|done in|battered|hurt|beaten"
    r"|seen to)|(?:not|never|won't|wont) (?:\w+ )?live to|next time (?:i|we) see (?:you|ya|ye|u)|where you live"
    r"|on your way home|knife|knives|blade|machete|gun|bullet|acid|petrol|noose|rope|string (?:you|ya|him|her) up"
    r"|security(?:,)? (?:it )?won't help|i mean it|not joking|swear down|for real)\b"
)


def speaks_of_elections(s: str) -> bool:
    """Anywhere in ``s``: "we'll beat you in May" is about votes, not violence (unless the frames of
    real harm are there too)."""
    return bool(_ELECTORAL_RE.search(s)) and not _ELECTORAL_MENACE_RE.search(s)


def electoral(s: str, start: int, end: int) -> bool:
    """The same, for the sentence that holds s[start:end]."""
    return speaks_of_elections(sentence(s, start, end))


# "Rovers are going to murder City", "we'll batter you at five-a-side": the harm is a scoreline.
# A contest only excuses the words of winning and losing, and never with the frames that carry
# match-day violence ("after the match", "outside the ground").
_CONTEST_RE = re.compile(
    r"\b(?:(?<!no )match(?:es)?(?! funding)|(?:next|saturday's|sunday's|friday's|tonight's|weekend's|home|away"
    r"|charity|board|video|cup|league|football|rugby|cricket|darts|bowls) games?|games? night|the big game|derby"
    r"|the league|league (?:table|game|match|cup)|the cup|cup (?:tie|final|run)|fa cup|fixture|five-a-side"
    r"|5-a-side|six-a-side|football|footy|cricket|rugby|darts|snooker|pool table|bowls|quiz|pub quiz|tournament"
    r"|tug of war|sparring|chess|warhammer|fifa|tennis|golf|netball|hockey|rounders|regatta|sports day|fun run"
    r"|bake off|the pitch|innings|bowler|bouncers?|wicket|scoreline|half-time|full-time|penalties|relegat\w*"
    r"|trophy|fc|afc|rovers|wanderers|albion|hotspur|villa|charity (?:boxing|bout|race)|boxing (?:match|bout)"
    r"|on the (?:field|court|green|board|oche))\b"
)
_CONTEST_MENACE_RE = re.compile(
    r"\b(?:after the (?:match|game)|outside the (?:ground|stadium|pub)|car park|in the street|on your way home"
    r"|your (?:house|home|kids|family|wife|husband|office)|where you live|knife|knives|blade|gun|bullet|petrol"
    r"|acid|hospital|blood|dead|death|coffin|grave|for real|not joking|no joke|i mean it|swear down)\b"
)


def contest(s: str, start: int, end: int) -> bool:
    """The sentence is about a match, game or race and has none of the frames of real violence."""
    text = sentence(s, start, end)
    return bool(_CONTEST_RE.search(text)) and not _CONTEST_MENACE_RE.search(s)


def speaks_of_contest(s: str) -> bool:
    """Anywhere in the reply, with no frame of real violence anywhere."""
    return bool(_CONTEST_RE.search(s)) and not _CONTEST_MENACE_RE.search(s)


# --- Mention, not use --------------------------------------------------------------------
# Those who abuse a group told off: "they're human beings. Have some decency", "have a word with
# yourself".
REBUKE = (
    r"have some (?:decency|respect|compassion|humanity)|(?:they're|they are|theyre) (?:human beings|people too)"
    r"|have a (?:word|serious word) with (?:yourself|yourselves)"
)
_DENOUNCE_RE = re.compile(
    r"\b(?:racis[mt]\w*|sexis[mt]\w*|misogyn\w*|homophob\w*|transphob\w*|islamophob\w*|anti-?semit\w*"
    r"|xenophob\w*|ableis[mt]\w*|ageis[mt]\w*|bigot\w*|hateful|hatred|hate speech|hate crimes?|disgust\w*"
    r"|disgrace\w*|shame\w*|ashamed|appall?\w*|vile|unacceptable|out of order|offensive|abhorrent"
    r"|condemn\w*|not ok(?:ay)?|no place|prejudice\w*|discriminat\w*|horrible|awful|sickening|shocking"
    r"|i stand with|we stand with|solidarity|(?:report|block|mut)(?:ed|ing|e)? (?:it|this|them|him|her)|abuse"
    rf"|{REBUKE})\b"
)
_REPORTING = (
    r"(?:say|says|saying|said|call|calls|called|calling|tell|tells|telling|told|shout|shouts|shouted"
    r"|shouting|chant\w*|yell\w*|scream\w*|post|posts|posted|posting|tweet\w*|writ\w*|wrote|use|uses"
    r"|using|used|accus\w*|the word|the words|words like|phrases like|terms like|the phrase|the term"
    r"|stuff like|things like|comments like|slogans like)"
)
# The reported words sit within a few words after the reporting verb, in the same sentence.
_REPORTED_RE = re.compile(rf"\b{_REPORTING}\b(?: \S+){{0,5}} ?$")
# Frames that point at someone else's words without needing a denouncing word nearby.
_ADDRESSING_HATER_RE = re.compile(
    r"\b(?:whoever|anyone who|anybody who|those who|people who|the person who|someone|somebody|the man who"
    r"|the woman who|the people who) (?:\w+ ){0,3}?(?:keeps? |kept )?(?:telling|tells|told|saying|says|said|calling"
    r"|calls|called|shouting|shouted|posting|posted|writing|wrote|chanting|chanted)\b"
    r"|\bcalled (?:me|us|my \w+|him|her|them)\b"
)
_QUOTED_RE = re.compile(r"(?:^|(?<=[\s(\[:,]))([\"'])(.+?)\1(?=$|[\s.,!?;:)\]])")


@lru_cache(maxsize=16)
def quoted_spans(s: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span(2) for m in _QUOTED_RE.finditer(s))


def denounces(s: str) -> bool:
    """The reply condemns prejudice or abuse somewhere ("racist", "vile", "no place for this")."""
    return bool(_DENOUNCE_RE.search(s))


def mentioned_not_used(s: str, start: int, end: int) -> bool:
    """True when the words are quoted or reported in order to criticise them (counter-speech)."""
    left, _ = sentence_bounds(s, start, end)
    before = s[left:start]
    if _REPORTED_RE.search(before) and (_ADDRESSING_HATER_RE.search(before) or _DENOUNCE_RE.search(s)):
        return True
    if '"' in s or "'" in s:
        for a, b in quoted_spans(s):
            if a <= start and end <= b + 1 and _DENOUNCE_RE.search(s[:a] + " " + s[b + 1 :]):
                return True
    return False


_NEGATION_FRAME_RE = re.compile(
    r"\b(?:not|never|no one|nobody|don't|doesn't|didn't|isn't|aren't|wasn't|won't|can't|cannot|stop|wrong"
    r"|myth|lie|false|nonsense|untrue)\b(?: \S+){0,4}? (?:say|says|saying|said|think|thinks|thought|believe"
    r"|believes|claim|claims|claiming|call|calling|pretend|pretending|suggest|suggesting|that|agree|accept)\b"
)
_DISCLAIMER_RE = re.compile(
    r"\b(?:not (?:a |being )?racist|no offen[cs]e|not being funny|nothing against \w+|not homophobic"
    r"|not sexist|not transphobic|not a bigot)\b,?(?: \S+){0,2} but\b"
)


# "Can't believe this ward elected a ..." is astonishment, not a negation, unless what follows is
# someone's view ("can't believe people still say ...").
_ASTONISHED_RE = re.compile(r"\b(?:can't|cannot|can not|couldn't|cant) believe\b")
_VIEW_RE = re.compile(
    r"\b(?:say|says|saying|said|think|thinks|thought|claim|claims|claiming|call|calls|calling|called|tweet\w*|post\w*"
    r"|shout\w*|chant\w*|writ\w*|wrote|use|uses|using|used|pretend\w*|suggest\w*|believe|believes|reckon\w*)\b"
)


def negated(s: str, start: int) -> bool:
    """'Nobody thinks ...', 'it's a lie that ...' before the words; 'I'm not racist but' is no negation."""
    left, _ = sentence_bounds(s, start, start)
    before = s[max(left, start - 80) : start]
    found = _NEGATION_FRAME_RE.search(before)
    if found is None or _DISCLAIMER_RE.search(before):
        return False
    astonished = _ASTONISHED_RE.match(before, found.start())
    return not (astonished and not _VIEW_RE.search(before, astonished.end()))


# --- Who an insult is aimed at -----------------------------------------------------------
_POINTING_RE = re.compile(
    r"(?:\b(?:this|that)(?: \S+)?(?<! is)(?<! was)(?<! are)(?<!'s)$|\b(?:what an?|absolute|absolutely|total|totally"
    r"|utter|utterly|complete|completely|such an?"
    r"|proper|bunch of|pack of|load of|lot of|you|ya|u|ur|you're|youre|your|lying|useless|pathetic|spineless"
    r"|corrupt|tory|tories|labour|lib ?dem|libdem|reform|green|snp|plaid|ukip|conservative|woke|two-faced"
    r"|he's|she's|they're|he is|she is|they are|is an?|are an?|is such an?)"
    r"|@\w+)(?: \S+)?$"
)
_SOMEONE_BEFORE_RE = re.compile(r"\b(?:some|whoever|whatever|which ever|another)(?: \S+)? ?$")
_THIRD_PARTY_BEFORE_RE = re.compile(r"\b(?:some|the|those|these|any|other|whichever|whatever)(?: \S+)? ?$")
_THIRD_PARTY_AFTER_RE = re.compile(
    r"^\S* ?(?:who|that|which|from|parking|parked|driving|dumping|dumped|on|at|in|nicked|stole|left|smashed|broke"
    r"|vandalised|sprayed|keyed|dumps|parks|drives|leaves|keeps|kept)\b"
)
_OFFICIAL_AFTER_RE = re.compile(
    r"^\S* ?(?:councillors?|cllrs?|council|mp|mps|politicians?|leaders?|mayor|cabinet|running|in charge|at the council|"
    r"at county hall|at the town hall|lot of you)\b"
)
_OFFICIAL_THIRD_RE = re.compile(
    r"^\S* ?(?:at|in|on|running|who run|who runs|who are running) (?:the |this )?(?:council|county hall|town hall"
    r"|cabinet|westminster|government|committee|charge|power)\b"
)


_COPULA_END_RE = re.compile(r"\b(?:are|is|was|were|r)$")


def aim(s: str, start: int, end: int) -> str:
    """'aimed' at the reader (or the politician), 'third_party' (someone else), or 'unclear'."""
    left, right = sentence_bounds(s, start, end)
    before = s[left:start].rstrip(" ,")
    after = s[end:right]
    whole = s[left:right]
    if not _SECOND_RE.search(whole):
        if _SOMEONE_BEFORE_RE.search(before):
            return "third_party"  # "some idiot parked on the pavement"
        if _THIRD_PARTY_BEFORE_RE.search(before) and _THIRD_PARTY_AFTER_RE.search(after):
            return "aimed" if _OFFICIAL_THIRD_RE.search(after) else "third_party"
    if _SECOND_RE.search(before[-40:]) or _SECOND_RE.search(after[:30]):
        return "aimed"
    if _POINTING_RE.search(before) or _OFFICIAL_AFTER_RE.search(after):
        return "aimed"
    if len(whole.split()) <= 4 and len(before.split()) <= 2 and not _COPULA_END_RE.search(before):
        # A sentence that is little more than the insult is said to someone: "Scum." "Useless."
        # ("Immigrants are vermin" is about a group, which rule 3 handles.)
        return "aimed"
    return "unclear"
