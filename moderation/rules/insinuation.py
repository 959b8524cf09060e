"""Rule 3 by insinuation: a protected group named, and a slur left unsaid.

"Funny how the burglaries went up the same year the asylum hotel opened." has no insult in it; the
hate is in what the reader is invited to conclude. Two shapes are read here, each only in a reply
that names a protected group, neither quotes nor reports someone else's words, condemns no
prejudice and praises no one:

- a nudge that asks the reader to draw the conclusion ("funny how ... since they moved in",
  "just saying", "you know why", "for obvious reasons", "ticks the diversity box");
- a knowing aside ("of course", "hope the sheds are insured", "keep the kids indoors") that comes
  with one of the old stereotypes: theft, danger to children, money, smell, bombs, shirking.

The hit is medium severity and says it is an insinuation, so a moderator reads it before acting.
"""

from __future__ import annotations

import re

from moderation.rules.context import denounces
from moderation.rules.groups import group_mentioned, reported_or_quoted
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
    r"|to tick))\b"
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


def detect(doc: Document) -> list[Cue]:
    s = doc.text
    found = _FUNNY_HOW.search(s) or _NUDGE.search(s)
    if found is None:
        aside = _ASIDE.search(s)
        found = aside if aside is not None and _TROPE.search(s) else None
    coded = _CODED.search(s)  # read below only with crime, and only if no group is named
    if found is None:
        found = coded
    if found is None or _PRAISE.search(s) or denounces(s) or reported_or_quoted(doc):
        return []
    category = group_mentioned(doc)
    if category is None and coded is not None and _CRIME.search(s):
        category = _CODED_CATEGORY.get(coded.group("a") or coded.group("b"), "racism")
        found = coded
    # "Old" is too common a word ("a 7 week old", "typical and old") to carry an insinuation.
    if category is None or category == "ageism":
        return []
    quoted = doc.cite(0, *found.span())
    return [Cue(3, category, 0.7, "medium", f"insinuates something about a group: {quoted}")]
