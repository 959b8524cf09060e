"""Rule 3 by insinuation: a protected group named, and a slur left unsaid.

"Funny how the burglaries went up the same year the asylum hotel opened." has no insult in it; the
hate is in what the reader is invited to conclude. Two shapes are read here, each only in a reply
that names a protected group, neither quotes nor reports someone else's words, condemns no
prejudice and praises no one:

- a nudge that asks the reader to draw the conclusion ("funny how ... since they moved in",
  "just saying", "you know why", "for obvious reasons", "ticks the diversity box");
- a knowing aside ("of course", "hope the sheds are insured", "keep the kids indoors") that comes
  with one of the old stereotypes: theft, danger to children, money, smell, bombs, shirking;
- scorn in emoji: vermin, apes or vomit next to a group named or pointed at ("gypsy site planned by
  the rugby club 🐀🐀🐀"), or apes standing for people ("another one of these 🐒🐒 moved in").

The hit is medium severity and says it is an insinuation, so a moderator reads it before acting.
"""

from __future__ import annotations

import re

from moderation.rules.context import denounces
from moderation.rules.groups import group_mentioned, group_pointed_at, reported_or_quoted
from moderation.rules.normalise import Document
from moderation.rules.verdict import Cue

# Cause and effect laid at a group's door: "funny how X started the week they arrived".
_FUNNY_HOW = re.compile(
    r"\b(?:funny|interesting|strange|odd|remarkable|amazing|curious|weird|notice) (?:how|that)\b[^.!?]*?"
    r"\b(?:since|the (?:same |very )?(?:week|month|year|day|summer|winter)|right after|just after|ever since"
    r"|moved in|arrived|turned up|opened|pitched up|came)\b"
)
_NUDGE = re.compile(
    r"\b(?:just saying|just sayin|just an observation|not saying it's them|draw your own conclusions|you know why"
    r"|we all know (?:why|who|what)|for obvious reasons|makes you wonder|total mystery|no mystery|say no more"
    r"|nuff said|wonder (?:whose|what could have changed|why that is)|you do the maths|join the dots"
    r"|read into that what you will|coincidence\?|pure coincidence|coincidence, i'm sure"
    r"|tick(?:s|ed|ing)? (?:a |the |their |her |his |that )?(?:\w+ ){0,3}box(?:es)?"
    r"|diversity (?:hire|box|quota|pick)|(?:not|wasn't|weren't|isn't) (?:selected |chosen |picked |hired )?on merit"
    r"|selected on merit|only (?:got|in|there|hired|selected|picked|chosen) (?:\w+ ){0,4}?(?:because|cos|for one reason"
    r"|to tick)"
    # Sarcasm that hands the reader the conclusion: "I'm sure that's a total coincidence", "shock
    # horror", "give it ten years and ...", "remember when you could ...", "there goes the neighbourhood".
    r"|just asking|coincidences?|shock,? horror|shocked,? i tell you|colou?r me (?:shocked|surprised)|what a surprise"
    r"|who (?:could|would) have (?:guessed|seen|predicted|thought)|i'm sure (?:it|that|this|they)(?:'s| is| was| were)"
    r"|says it all|explains (?:why|a lot|everything|the)|no need to (?:tell|ask|say)|there goes the neighbou?rhood"
    r"|what they've done to|remember when (?:you|we|this|it|the)|give it (?:a |an |another |\w+ ){0,2}?(?:days?|weeks?"
    r"|months?|years?|decades?)(?: and| till| until| before|,)|right up until|diversity is our strength"
    r"|culturally enriched|(?<!self-)(?<!self )enrichment|never the locals|not (?:the )?locals|wonder which"
    r"|notice (?:who|which)|guess who(?:'s| gets| always)"
    r"|recruitment (?:drive|poster|campaign)"
    r"|access to (?:the |our |your )?(?:kids|children)|keep (?:the|your|our) (?:\w+ )?(?:kids|kiddies|children|pets)"
    r"|on the menu|lock up your|better get (?:\w+ ){0,4}?counted"
    r"|(?:count|check) (?:the|your) \w+(?: \w+)? (?:tonight|now|before))\b"
)
_ASIDE = re.compile(
    r"\b(?:of course|obviously|naturally|no surprise|surprise surprise|typical|predictabl[ey]|hope (?:\w+ ){0,3}"
    r"insured|lock (?:up|away|your|everything)|keep (?:the|your|my) (?:kids|children|kiddies|daughters?|sons?)"
    r"|wouldn't leave (?:my|your|our) (?:kids|children)|best not|check your|count (?:the|your)|hide your"
    r"|don't expect|used to be (?:english|british|nice|lovely|a nice|a decent)|phrasebook"
    r"|makes you think|really makes you|i wonder|anyone seen|who's going to do|that'll (?:speed|explain))\b"
)
# The old stereotypes an aside leans on.
_TROPE = re.compile(
    r"\b(?:nick\w*|steal\w*|stole|stolen|theft|thie\w*|bikes?|lawnmowers?|catalytic|sheds?|burglar\w*"
    r"|shoplift\w*|telly|tv|phones?|scams?|scammers?|bank details|inherit\w*|fortune|kids|kiddies|children"
    r"|scouts|youth|pe teacher|teacher|loos?|toilets?|changing rooms?|daughters?|budget|pennies|money|consultan\w*"
    r"|their own|smell\w*|stink\w*|curry|explosives|bombs?|loyalt\w*|cats|dogs|sprint\w*|range rovers?"
    r"|actual work|the work|wipe (?:his|her|their) chin|speed things up|behaviour|stabbing\w*|knife crime"
    r"|colour|benefits|handouts)\b"
)
# A group left unnamed but pointed at, with crime: "funny how every grooming gang is the same
# religion", "we all know which community the drugs come from".
_CODED = re.compile(
    r"\b(?:the same|one particular|a certain|the one) (?P<a>religion|faith|race|nationality|community|colour|culture"
    r"|background|ethnicity)\b|\bwe all know (?:which|what) (?P<b>community|religion|race|nationality|culture|faith"
    r"|colour)\b"
)
_CRIME = re.compile(
    r"\b(?:grooming|gangs?|crime|criminals?|drugs?|dealers?|stabbings?|knife|knives|terror\w*|bomb\w*|fraud|scam\w*"
    r"|rapes?|rapists?|thefts?|attacks?|muggings?|burglar\w*|shoplift\w*|benefits?)\b"
)
_CODED_CATEGORY = {"religion": "religion", "faith": "religion"}
# Narrower than the second reading's praise words: sarcasm wears a bare "lovely" or "amazing"
# ("Lovely to have a woman doing finance, explains why the bins are late").
_PRAISE = re.compile(
    r"\b(?:thanks?|thank you|brilliant|wonderful|lucky to have|proud|welcome|well done|congratulations|congrats"
    r"|grateful|amazing work|fantastic|great work|great job|better for it|credit to|kind|generous|heroes|lovely"
    r" (?:people|family|families|neighbours|couple|lads)|solidarity|stand with)\b"
)


# "Funny how 'disabled' people can all afford Range Rovers": the sneer is at the group named right
# after it (or pointed at), not at anyone the sentence mentions later.
_FUNNY_BARE = re.compile(r"\b(?:funny|strange|odd|amazing|remarkable|curious|weird|interesting) how\b")
# Hearts, smiles, thanks and flexed arms say the reply is warm, whatever its words.
_WARM_EMOJI = re.compile(
    "[\u2764\u263a\U0001f495\U0001f496\U0001f497\U0001f49e\U0001f60d\U0001f970\U0001f64f\U0001f4aa\U0001f44f\U0001f917]"
)
# "Not saying it's them" and "just saying" are the nudge itself, not someone's words reported.
_SAYING_NUDGE = re.compile(r"\b(?:i'm |im |i am )?(?:not|just|only) saying\b")


def _funny_how_at_a_group(s: str) -> re.Match[str] | None:
    for m in _FUNNY_BARE.finditer(s):
        after = " ".join(s[m.end() : m.end() + 60].replace("'", " ").split()[:4])
        if group_mentioned(Document(after)) or group_pointed_at(s[m.end() :]):
            return m
    return None


def _reported(doc: Document) -> bool:
    if not reported_or_quoted(doc):
        return False
    if not _SAYING_NUDGE.search(doc.text):
        return True
    return reported_or_quoted(Document(_SAYING_NUDGE.sub(" ", doc.text)))


# Emoji that make people vermin, apes or filth, or say they are sickening.
# Pigs are left out (halal and kosher are about pork), and so is the pile of poo ("give a 💩").
_SCORN_EMOJI = re.compile(
    "[\U0001f412\U0001f435\U0001f98d\U0001f9a7\U0001f400\U0001f401\U0001f42d\U0001fab3\U0001f41b"
    "\U0001fab1\U0001f9a0\U0001f40d\U0001f99f\U0001fab0\U0001f92e\U0001f922\U0001f5d1\U0001f6ae]"
)
# Not scorn: the emoji negated or said of oneself ("gay people are not 🤮", "last night i 🤮"),
# or real animals ("those 🐒 at the zoo").
_SCORN_UNSAID = re.compile(r"\b(?:not|n't|never|no|i|i'm|im|i am|we|me)\W*$")
_REAL_ANIMALS = re.compile(
    r"\b(?:zoos?|wild|wildlife|jungle|safari|pets?|sanctuary|farm|vet|cage|nature|documentary)\b"
)
# Apes standing for people: "more 🐒🐒 from Africa", "these 🐒 moved in", "the new families 🐒".
_APES_FOR_PEOPLE = re.compile(
    "(?:\\b(?:more|another|these|those|them|lot|families|family|neighbours|bunch of|full of|load of|loads of)\\W{0,3}"
    "[\U0001f412\U0001f435\U0001f98d\U0001f9a7])"
    "|[\U0001f412\U0001f435\U0001f98d\U0001f9a7]\\W{0,6}(?:moved|moving|move|from|taking|took|arrived|arriving"
    "|next door|on (?:the |our |my )?\\w+ (?:road|street|st|lane|estate)"
    "|in (?:the |our |my )?(?:street|town|area|school|estate))\\b"
)


def _scorn_in_emoji(doc: Document) -> list[Cue]:
    lower = doc.original.lower()
    said = [m for m in _SCORN_EMOJI.finditer(doc.original) if not _SCORN_UNSAID.search(lower[: m.start()])]
    if not said or _WARM_EMOJI.search(doc.original) or _PRAISE.search(doc.text) or denounces(doc.text):
        return []
    if _REAL_ANIMALS.search(doc.text):
        return []
    found = said[0]
    if _reported(doc):
        return []
    apes = _APES_FOR_PEOPLE.search(doc.original)
    category = group_mentioned(doc) or group_pointed_at(doc.text) or ("racism" if apes else None)
    if category is None or category == "ageism":
        return []
    quoted = doc.original[found.start() : found.end()]
    return [Cue(3, category, 0.75, "medium", f"scorns a group in emoji: {quoted}")]


def detect(doc: Document) -> list[Cue]:
    return _insinuated(doc) or _scorn_in_emoji(doc)


# Nudges that leave the group unnamed as well ("remind me whose country this is", "if you catch my
# drift", "wonder where his loyalties really lie"). With no group named the rules cannot tell hate
# from a gripe about the council, so only the second reading's model judges these replies
# (learned.second_reading), and it must be all but sure.
_UNNAMED_NUDGE = re.compile(
    r"\b(?:catch my drift|if you know what i mean|you know (?:exactly )?what i mean|know what i'm saying"
    r"|not being funny|certain (?:communit\w*|people|groups|types|sections|areas|cultures)|cultural thing"
    r"|whose country|(?:doesn't|does not|don't) feel like (?:england|britain|home)|wonder (?:which|who|where|whose)"
    r"|same (?:complexion|surnames?|names)|(?:his|her|their) (?:real )?loyalt\w*|real brits|the newcomers?"
    r"|their sort|that sort|those types?|these people|them lot|you know who|if you get me|i'll let you guess"
    r"|no prizes for guessing"
    # The old dog whistles: who belongs ("people who aren't really British", "born in a stable doesn't
    # make you a horse", "if they love their homeland so much, why don't they go back?"), who
    # breeds, who is replaced ("a polite word for fewer of us") and who "really controls the banks".
    r"|(?:not|aren't|isn't|wasn't|weren't|never) (?:really|truly|properly|actually|real) (?:british|english|scottish"
    r"|welsh|brits?|from (?:here|round here))|born in a stable|(?:their|your|his|her) (?:own )?homeland"
    r"|why (?:don't|dont|won't|can't) (?:they|you|ya|u) (?:just )?go back"
    r"|go back (?:to )?where (?:they|you|ya) (?:came|come)"
    r"|breed(?:s|ing)? like|out-?breed\w*|fewer of us|(?:minority|outnumbered) in (?:our|my) own"
    r"|who (?:really )?(?:controls?|runs?|owns?) the (?:banks|media|money|press|world))\b"
)


def nudges(s: str) -> bool:
    """The reply invites its reader to draw a conclusion: a nudge, a knowing aside, a group coded
    ("the same religion") or left unnamed ("whose country is this"), whether or not it names anyone."""
    return any(regex.search(s) for regex in (_FUNNY_HOW, _NUDGE, _ASIDE, _CODED, _UNNAMED_NUDGE))


# Which protected group an insinuation that names none is about, from the places and things it
# mentions; most of them, in replies to councillors, are about race and migration.
_HINTED = (
    (
        re.compile(
            r"\b(?:mosques?|church(?:es)?|synagogues?|temples?|gurdwaras?|prayer|halal|kosher|imams?|rabbis?"
            r"|sharia|burqas?|hijabs?|minarets?|(?:controls?|runs?|owns?) the (?:banks|media|money|press|world))\b"
        ),
        "religion",
    ),
    (re.compile(r"\b(?:pronouns|drag|trans|transitioning)\b"), "transphobia"),
    (re.compile(r"\b(?:rainbow|pride|gay)\b"), "homophobia"),
    (re.compile(r"\b(?:wheelchairs?|disab\w*|blue badges?|mobility)\b"), "ableism"),
    (re.compile(r"\b(?:woman|women|girls?|ladies|maternity)\b"), "sexism"),
)


def hinted_category(s: str) -> str:
    """The category of rule 3 an insinuation with no group named is most likely about."""
    return next((category for regex, category in _HINTED if regex.search(s)), "racism")


def _insinuated(doc: Document) -> list[Cue]:
    s = doc.text
    found = _FUNNY_HOW.search(s) or _NUDGE.search(s)
    if found is None:
        found = _funny_how_at_a_group(s)
    if found is None:
        aside = _ASIDE.search(s)
        found = aside if aside is not None and _TROPE.search(s) else None
    coded = _CODED.search(s)  # read below only with crime, and only if no group is named
    if found is None:
        found = coded
    if found is None or _PRAISE.search(s) or _WARM_EMOJI.search(doc.original) or denounces(s) or _reported(doc):
        return []
    category = group_mentioned(doc)
    if category is None and coded is not None and _CRIME.search(s):
        category = _CODED_CATEGORY.get(coded.group("a") or coded.group("b"), "racism")
        found = coded
    if category is None and found is not coded:
        category = group_pointed_at(s)
    # "Old" is too common a word ("a 7 week old", "typical and old") to carry an insinuation.
    if category is None or category == "ageism":
        return []
    quoted = doc.cite(0, *found.span())
    return [Cue(3, category, 0.7, "medium", f"insinuates something about a group: {quoted}")]
