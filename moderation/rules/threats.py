"""Rule 2, ``threat`` (always critical): threats to life, safety or property, wished harm, telling
someone to kill themselves, and publishing where someone lives or how to ring them.

Precision matters as much as recall here: a threat pages a human and may bring in the police,
so "I'll shoot you an email", "we'll kill you at the ballot box" and "drop dead gorgeous" must
not fire. Each pattern therefore names who acts and on whom, and the weaker ones are dropped
when the sentence is about an election or a match ("Rovers are going to murder City").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation.rules.context import contest, electoral
from moderation.rules.groups import negated, reports_speech
from moderation.rules.lexicon import ANY_GROUP, NAMED_GROUP
from moderation.rules.normalise import MENTION_RE, Document
from moderation.rules.patterns import PatternSet, matches, phrase, scan
from moderation.rules.verdict import Cue

YOU = r"(?:you|u|ya|yah|ye|youse|yous)"
YOUR = r"(?:your|ur|yer|yor)"
TPOS = r"(?:your|ur|yer|his|her|their)"
FAMILY = (
    r"(?:family|wife|husband|kids|kid|children|child|son|sons|daughter|daughters|partner|boyfriend|girlfriend"
    r"|mum|mom|mother|dad|father|parents|baby|babies|grandkids|grandchildren|staff|dog|cat|little ones|missus)"
)
PROPERTY = (
    r"(?:office|car|house|home|windows?|front door|door|constituency office|surgery|shop|garage|van|tyres"
    r"|garden|office windows|car windows|place)"
)
TARGET = rf"(?:{YOU}|him|her|them|the lot of (?:you|them)|all of (?:you|them)|{TPOS} {FAMILY}|you and {TPOS} {FAMILY})"
# Who says they will act, with how: "i'll", "we're going to", "someone will", "imma".
SUBJECT_MODAL = (
    r"(?:\b(?:i|we|someone|somebody|some1|one of us|my mates|my lads|the lads)"
    r"(?:'ll|ll| will| shall| would|'d| could| am going to|'m going to| m going to| am gonna|'m gonna| m gonna"
    r"| gonna| gunna| wanna| want to| am coming to|'m coming to| are going to|'re going to| are gonna|'re gonna"
    r"| need to| needs to| should| ought to| oughta| must| intend to| plan to| promise to|'m about to| am about to| can't wait to| cant wait to"
    r"|'d love to| would love to|'d happily| would happily| will personally|'ll personally)"
    r"|\b(?:imma|ima|i'ma)"
    # The subject left out at the start of a sentence: "Gonna deck you next time I see you".
    r"|(?:^|(?<=[.!?,]) )(?:gonna|gunna|going to|will))"
)
ADVERBS = (
    r"(?: (?:personally|happily|gladly|fucking|fkn|effing|just|actually|literally|really|definitely|absolutely"
    r"|seriously|genuinely|still|then|come and|come round and|come over and|go and|go round and|find you and"
    r"|track you down and|hunt you down and|get you and|wait for you and|catch you and|be the one to))*"
)
VIOLENT = (
    r"(?:kill|murder|stab|shoot|knife|strangle|throttle|choke|behead|butcher|slaughter|torture|lynch|rape|execute"
    r"|hang|maim|hurt|harm|batter|punch|glass|burn|gut|slit|smash|bash|bomb|shank|beat|thump|deck|twat|kick|cut"
    r"|end|slap|attack|assault|acid|petrol bomb|firebomb|lamp|leather|merk|chin|nut|floor|bottle|headbutt)"
)
PERSON_SUBJECT = (
    rf"(?:you|u|he|she|they|them|him|her|people like (?:you|him|her|them|that)|all of (?:you|them)"
    rf"|the lot of (?:you|them)|every (?:one|last one) of (?:you|them)|politicians|councillors|cllrs|mps|traitors"
    rf"|the traitors|tories|the tories|paedos|nonces|you lot|(?:all )?{ANY_GROUP}|[a-z]+(?:ers|ors|ians|ists|ites|men"
    rf"|people|folk)|(?:this|that) (?:councillor|cllr|mp|mayor|minister|traitor|leader))"
)
HARMED = (
    r"(?:die|hang|be hanged|be hung|be shot|be killed|be stabbed|be lynched|be strung up|be executed|be raped"
    r"|be beaten|burn|be burned|be burnt|be put down|be gassed|be culled|be exterminated|be beheaded|be murdered"
    r"|be tortured|be shot on sight|be lined up and shot|be put against a wall|be hung drawn and quartered"
    r"|be wiped out|be eradicated|be set on fire|be sterilised|be sterilized|be castrated"
    r"|be lined up against a wall|be stood against a wall|be sent to the (?:ovens|gas chambers|camps)"
    r"|face (?:a|the) firing squad|be put in front of a firing squad|face the (?:rope|noose|gallows)"
    r"|swing for (?:it|this|that|treason)|swing from (?:a|the) \w+"
    r"|have (?:their|his|her|your) (?:hands|fingers|legs|feet) (?:chopped|cut|hacked) off)"
)
# Done to someone, in the forms a wish or a hypothetical puts it ("if someone threw acid..."); not
# "beat" ("if someone beat you at the polls") or "did" ("if someone did that to your mum?").
HARM_DONE = (
    r"(?:killed|kills|kill|shot|shoots|shoot|stabbed|stabs|stab|threw acid|throws acid|throw acid|torched|torches"
    r"|torch|burned|burnt|burns|burn|petrol bombed|firebombed|kneecapped|strangled|strangles|strangle|glassed"
    r"|glasses|knifed|battered|batters|attacked|attacks|ran over|runs over|run over|lynched|hanged"
    r"|hung|murdered|raped|smashed|put a brick|put a bullet|put a knife|set fire to|set light to|done in)"
)
# Suffered by someone: "if your kids got hurt", "if every one of them got a bullet".
HARM_SUFFERED = (
    r"(?:hurt|killed|shot|stabbed|beaten(?: up)?|battered|attacked|knifed|glassed|kneecapped|lynched|hanged|hung"
    r"|murdered|raped|run over|burned|burnt|torched|firebombed|petrol bombed|set on fire|smashed(?: up)?"
    r"|a bullet|a knife|acid|a kicking|a beating|a brick through|bricks through|rocks? through|an accident|up in flames"
    r"|burned down|burnt down|broken|broken into|kicked in|trashed|wrecked|vandalised|vandalized"
    r"|caught fire|done in|strung up|drowned|gassed)"
)
# The harm in "if someone threw acid in your face" or "if your kids got hurt": done to the reader,
# their family or home, or to a group, by someone; or suffered by them.
HARM_IF = (
    rf"\b(?:someone|somebody|some \w+|a \w+|people|they|i|we|one of us)(?: \w+){{0,2}}? {HARM_DONE}\b"
    rf"[^.!?]{{0,30}}?\b(?:{YOU}|{YOUR}|him|her|them|his|their)\b"
    rf"|\b(?:{YOU}|{TPOS} (?:\w+ )?(?:{FAMILY}|{PROPERTY})|him|her|them|every (?:one|last one) of (?:you|them)"
    rf"|(?:all|every|the) (?:\w+ )?{ANY_GROUP}|every [a-z]+(?:an|ian|ish|i|er|ist))(?: \w+){{0,2}}? "
    rf"(?:got|get|gets|were|was|ended up|had|went|caught) {HARM_SUFFERED}"
)
PUBLIC_ROLE = (
    r"(?:the (?:mayor|councillor|cllr|council leader|leader|mp|chair|chairman|minister|prime minister|pm"
    r"|chief executive|planning officer|inspector)|(?:that|this) (?:mayor|councillor|cllr|mp|minister|woman|man"
    r"|bloke|prick|traitor|clown|idiot))"
)
# A blade or a bat brought for a harmless use: "bringing my knife for the cake", "a bat for the nets".
# What a constituent is armed with on their way to a meeting: "we're armed with the facts".
ARMED_HARMLESSLY = (
    r" with (?:the |a |my |our |some |all the |plenty of )?(?:facts|evidence|knowledge|questions|information|data"
    r"|figures|leaflets|a petition|petitions|receipts|a smile|patience|coffee|tea|cake|umbrellas?|clipboards?)\b"
)
HARMLESS_USE = (
    r" (?:for|to cut|to carve) (?:the |a |some |our |my )?(?:\w+ )?(?:cake|bread|buffet|picnic|barbecue|bbq"
    r"|sandwiches|veg|turkey|roast|kitchen|allotment|workshop|cricket|rounders|softball|baseball|match|nets"
    r"|quiz|party|raffle)\b"
)
# A contest the reader can be beaten at: "beat you at the ballot box", "murder you at darts"; never "at
# the next ward meeting" or "at your surgery".
_AT_A_CONTEST = (
    r"at (?:the |a |this |that |our |your |next |tonight's |saturday's |sunday's |friday's )*(?:\w+ )?(?:ballot box"
    r"|ballots?|polls?|elections?|hustings|count|vote|debates?|darts|pool|chess|snooker|scrabble|quiz|bowls|golf"
    r"|tennis|squash|badminton|cards|poker|football|footy|five-a-side|5-a-side|cricket|rugby|netball|fifa"
    r"|monopoly|games?|match|board|arm wrestling|karaoke|bingo|table tennis|ping pong|rounders|sports day|races?"
    r"|polling station|own game|bake off|fun run|pub quiz)"
)
# "I'll shoot you an email", "beat you at the ballot box", "kick you out in May", "cut you some slack".
NOT_VIOLENCE_AFTER = re.compile(
    r"^ ?(?:an? |the |a quick |over an? )?(?:email|e-?mail|message|dm|text|line|note|link|reply|copy|invite|invitation"
    r"|letter|pm|call|ring|wave|look|smile)\b|^ ?(?:out|off|some slack|a break|a deal|in on|"
    + _AT_A_CONTEST
    + r"|in the|to it|fair|by"
    r"|with kindness"
    r"|head|heads|down a peg)\b|^ (?:out to dry)"
)
TRAFFIC = re.compile(
    r"\b(?:road|roads|traffic|cycl\w*|bikes?|crossing|junction|driv\w*|cars?(?! park)|lorr\w*|vans?|bus|buses|speed\w*"
    r"|pavement|potholes?|walking|ice|icy|flood\w*)\b"
)


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern
    score: float
    label: str
    figure_guard: bool = False  # dropped when the sentence is about an election or a match
    traffic_guard: bool = False  # dropped when it reads as a road-safety warning
    after_guard: bool = False  # dropped when followed by "an email", "at the polls"...


def _p(pattern: str, score: float, label: str, **flags: bool) -> _Pattern:
    return _Pattern(phrase(pattern), score, label, **flags)


# "You won't make it to the count as our candidate": the race, not the reader's life.
_CANDIDACY = (
    r"\b(?:as (?:a |our |the |their )?(?:candidate|councillor|cllr|mp|leader|member)|shortlist\w*|selection"
    r"|deselect\w*|ballot paper|nominat\w*)\b"
)

_PATTERNS: tuple[_Pattern, ...] = (
    # --- direct threats --------------------------------------------------------------
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>{VIOLENT} (?:the (?:shit|crap|hell|life|fuck) out of )?{YOU})\b",
        0.97,
        "direct threat",
        after_guard=True,
        figure_guard=True,
    ),
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>{VIOLENT} (?:the (?:shit|crap|hell|life|fuck) out of )?{TPOS} {FAMILY})\b",
        0.97,
        "threat against family",
        after_guard=True,
    ),
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>{VIOLENT} (?:the (?:shit|crap|hell|life|fuck) out of )?(?:him|her|them"
        rf"|the lot of them|all of them))\b",
        0.88,
        "direct threat",
        after_guard=True,
        figure_guard=True,
    ),
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:beat|kick|smash|bash|knock|batter|punch) {TARGET} (?:up|senseless"
        rf"|to death|to a pulp"
        rf"|black and blue|unconscious|into next week|out cold|spark out|clean out))",
        0.95,
        "direct threat",
    ),
    _p(
        rf"(?P<q>(?:kick|smash|bash|cave|punch|stamp|knock) {TPOS} (?:fucking )?(?:head|face|teeth|skull|brains?) in)",
        0.93,
        "direct threat",
    ),
    _p(
        # "Someone will break their neck on those steps": an accident foretold, not a threat.
        rf"(?!(?:someone|somebody)(?:'ll| will| could| would| is going to|'s going to) (?:break|snap) their\b)"
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:break|snap|smash) {TPOS} (?:legs?|neck|arms?|jaw|fingers|nose|face|knees"
        rf"|kneecaps|skull))",
        0.95,
        "direct threat",
    ),
    _p(rf"(?P<q>(?:slit|cut) {TPOS} (?:fucking )?throat)", 0.95, "direct threat"),
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:burn|torch|firebomb|petrol bomb|smash up|smash|wreck|trash|brick|blow up"
        rf"|bomb|set fire to"
        rf"|vandalise|vandalize|key|slash) (?:down )?{TPOS} {PROPERTY})",
        0.9,
        "threat to property",
    ),
    _p(
        rf"(?P<q>(?:brick|bricks|rock|petrol bomb|firework) through {TPOS} (?:\w+\s)?windows?)",
        0.85,
        "threat to property",
    ),
    # The reader's place on fire, foretold or wished: "your office is going up in flames this weekend",
    # "shame if your allotment shed went up in smoke". Their house that burned last night is news.
    _p(
        rf"(?P<q>{YOUR} (?:\w+ )?(?:{PROPERTY}|shed)(?:'s| is| will| will be|'ll|'ll be| could| could be| might"
        rf"| might be| would| would be| is going to| is gonna)? (?:going|go) up in (?:flames|smoke))"
        rf"|(?P<q2>if {YOUR} (?:\w+ )?(?:{PROPERTY}|shed) (?:went|goes|go|was to go|were to go) up in (?:flames|smoke))",
        0.9,
        "threat to property",
    ),
    # Blows no election gives: "I'm going to beat the living daylights out of you after the hustings"
    # ("at the ballot box" after it is still a contest).
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:beat|kick|knock|batter|punch|thump|smack|belt|leather|twat|bash)"
        rf" (?:seven bells|the (?:living )?daylights|the snot) out of {TARGET})\b",
        0.95,
        "direct threat",
        after_guard=True,
    ),
    # A place burnt, foretold: "the Sikh temple will be ashes by Sunday". Rubble can be a demolition.
    _p(
        r"(?P<q>(?:mosques?|temples?|synagogues?|gurdwaras?|church(?:es)?|office|house|home|hotel|surgery|shop|flat)"
        r" (?:(?:will be|is going to be|'ll be|is gonna be|will soon be)(?: (?:nothing but|a pile of|a heap of))?"
        r" (?:ashes|burnt out|burned out|burnt to the ground|burned to the ground|torched|in flames)"
        r"|will go up in flames))",
        0.9,
        "threat to property",
    ),
    # What else will be kicked in: "your front door won't be the only thing getting kicked in".
    _p(
        r"(?P<q>won't be the only (?:thing|one|window|door|car|tyre) (?:getting|that gets|to get|that's getting)"
        r" (?:kicked in|smashed|broken|burnt|burned|torched|slashed|put through))",
        0.9,
        "veiled threat",
    ),
    # An election disowned: "hope you're ready for the consequences, and I don't mean at the ballot box".
    _p(
        r"(?P<q>(?:i|we) (?:don't|do not|dont) mean (?:at the ballot box|at the polls|politically|electorally|in may"
        r"|at the (?:next )?election|with votes|votes))(?!,? (?:i|we) mean\b)",
        0.9,
        "veiled threat",
    ),
    # A weapon taken to someone, a dog set on them: "I'll take a Stanley knife to your face", "I'm
    # setting my dog on you". A hammer taken to a fence is DIY.
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>take (?:a|my|the|an) (?:\w+ )?(?:knife|blade|razor|machete|bat|hammer|axe"
        rf"|crowbar|brick|bottle|cleaver|golf club|iron bar|baseball bat) to {TPOS} (?:\w+ )?(?:face|head|throat|neck"
        rf"|legs?|knees?|kneecaps|skull|teeth|kids?|family|car|house|windows?|tyres))",
        0.95,
        "direct threat",
    ),
    _p(
        rf"(?P<q>(?:set|setting|sets|put|putting) (?:my|the|our|his|me) (?:\w+ )?dogs? (?:on|onto) {TARGET})\b",
        0.9,
        "direct threat",
    ),
    # Coming home whole: "you won't make it to the end of your term in one piece".
    _p(
        rf"(?P<q>{YOU} (?:won't|will not|wont|aren't going to|are not going to|never) (?:make it|last|leave"
        rf"|(?:get|come|go|walk) (?:home|back|out|away))\b[^.!?]{{0,40}}\bin one piece)",
        0.85,
        "veiled threat",
    ),
    # A murdered MP remembered at the reader: "remember what happened to that MP in Essex?".
    _p(
        r"(?P<q>(?:remember|don't forget|you know|look at|think about|ask) what happened to (?:jo cox|(?:sir )?david"
        r" amess|that (?:mp|councillor|politician)(?! who\b)(?: (?:in|from) \w+)?)\b)",
        0.85,
        "veiled threat",
    ),
    # The UK's stock promise of a beating: "hope you like hospital food".
    _p(
        rf"(?P<q>(?:hope|hoping|bet|trust) {YOU}(?:'re| are)? (?:like|likes|enjoy|fancy|fond of|ready for|used to"
        rf"|a fan of|hungry for) hospital food|(?:get|getting) used to hospital food"
        rf"|(?:you'll|you will|you're gonna|you are going to|you're going to) be (?:eating|on|living on|tasting)"
        rf" hospital food)",
        0.9,
        "veiled threat",
    ),
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:put|stick|shove) (?:a bullet|a knife|one|a blade|a round|a brick) (?:in"
        rf"|into|through|between) "
        rf"(?:{TARGET}|{TPOS} \w+))",
        0.95,
        "direct threat",
    ),
    _p(rf"(?P<q>bullet (?:in|between|through) {TPOS} (?:head|eyes|brain|skull|face|back))", 0.9, "direct threat"),
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:run|mow) {TARGET} (?:over|down|off the road))",
        0.88,
        "direct threat",
        figure_guard=True,
    ),
    _p(rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:hunt|track) {TARGET} down)", 0.9, "direct threat", after_guard=True),
    _p(rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>string {TARGET} up)", 0.95, "direct threat"),
    _p(rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:set|light) {TARGET} (?:on fire|alight|ablaze))", 0.95, "direct threat"),
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:find|get) {YOU})(?= ?(?:$|[.!,;]|and\b|soon|one day|eventually|wherever"
        rf"|mark my|when you"
        r"|trust me|believe me|for this|for that|back|sooner or later|don't you worry))",
        0.8,
        "direct threat",
        figure_guard=True,
    ),
    _p(
        rf"(?:{SUBJECT_MODAL}|\b(?:we're|we are|i'm|i am|they're|they are)){ADVERBS} (?P<q>(?:come|coming) (?:for"
        rf"|after) {TARGET})\b",
        0.8,
        "direct threat",
        figure_guard=True,
    ),
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:make {YOU} (?:suffer|bleed|disappear|pay for this|pay for that)"
        rf"|teach {YOU} a lesson|sort {YOU} out(?= ?(?:$|[.!,;]|properly|good|once and for all))"
        rf"|end {YOU}\b|do (?:{YOU}|him|her|them) in\b(?! (?:the|a|an|my|your|our|time|public|style|private)\b)"
        rf"|take {YOU} out(?! (?:for|to|on))))",
        0.75,
        "direct threat",
        figure_guard=True,
    ),
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:pay {TARGET} a (?:little )?visit|visit {YOU} at (?:home|your house)"
        rf"|turn up at {TPOS} (?:house|home|door)"
        rf"|(?:come|pop|go) round (?:to )?(?:{TPOS} (?:house|home|place|door)|yours|hers|his)))",
        0.75,
        "threatens to visit",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:pop|go|come|head|drop) round (?:to )?(?:hers|his|theirs|her (?:place|house|home)|his (?:place"
        r"|house|home)"
        r"|your (?:place|house|home)|yours))",
        0.7,
        "threatens to visit",
        figure_guard=True,
    ),
    _p(
        rf"\b(?:i'll|i will|we'll|we will|i'm|i am|we're|we are"
        rf"|ill)(?: be)?(?: the one)? (?P<q>waiting (?:for (?:{YOU}|her|him) )?"
        r"(?:outside|after|in the car park|at (?:home|your|her|his)|by your)\w*)"
        # "waiting outside the chamber for the vote result": waiting for news, not for someone.
        r"(?![^.!?]{0,30}\bfor the (?:vote|result|results|count|decision|announcement|verdict|bus|train|doors|start))",
        0.75,
        "veiled threat",
    ),
    # --- harm foretold to the reader ----------------------------------------------------
    _p(
        rf"\b(?P<q>{YOU}(?:'ll|ll| will| are going to|'re going to| re going to| are gonna|'re gonna| gonna)(?:\s\w+)? "
        r"(?:get|be|end up) (?:stabbed|shot|beaten|battered|attacked|done in|lynched|hanged|hung|raped|murdered"
        r"|knifed|glassed"
        r"|burned|burnt|bashed|smashed|kicked in|put in hospital|beaten up|sorted out|dealt with))",
        0.9,
        "threat of harm",
        figure_guard=True,
    ),
    _p(
        rf"\b(?P<q>{YOU}(?:'ll|ll| will| are going to|'re going to| re going to| are gonna|'re gonna| gonna)(?:\s\w+)? "
        r"(?:get|be|end up) (?:hurt|killed|in hospital|dead|in a (?:ditch|box|body bag|wheelchair)))",
        0.85,
        "threat of harm",
        figure_guard=True,
        traffic_guard=True,
    ),
    _p(
        r"\b(?:anyone|anybody|any \w+|whoever|he|she|they|that \w+|those \w+|every \w+)(?: who| that)?(?:\s\S+){0,8}? "
        r"(?P<q>(?:will|'ll|is going to|are going to|gonna|is gonna) get (?:battered|stabbed|shot|beaten|beaten up"
        r"|lynched"
        r"|knifed|glassed|done in|kicked in|a kicking|a beating|what's coming|hurt))",
        0.85,
        "threat of harm",
        figure_guard=True,
        traffic_guard=True,
    ),
    _p(
        rf"\b(?P<q>{YOU}(?:'re| are|re| r) (?:a )?dead(?: (?:man|woman|meat|men))?)(?= ?(?:$|[.!,;]|when|if|mate|pal"
        rf"|now|already|soon"
        r"|walking|you hear|trust me|kid\b))",
        0.95,
        "direct threat",
    ),
    _p(r"(?P<q>dead (?:man|woman) walking)", 0.85, "direct threat", figure_guard=True),
    _p(
        rf"\b(?P<q>{YOU}(?:'re| are|re| will be|'ll be) next)(?= ?(?:$|[.!?]))",
        0.6,
        "veiled threat",
        figure_guard=True,
    ),
    _p(r"(?P<q>your days are numbered)", 0.8, "veiled threat", figure_guard=True),
    # Stock threats everyone knows: "say that to my face", "five minutes alone with you", "they'll
    # need dental records", "you'll pay for this in blood", "I'll spark you out".
    _p(
        rf"(?P<q>say (?:that|it) to my face|(?:five|ten|two|5|10|2) minutes? alone with (?:{YOU}|him|her|that"
        r" (?:councillor|cllr|mp|mayor|traitor|clown|woman|man))\b"
        r"|need (?:your |his |her )?dental records|pay\b[^.!?]{0,30}\bin blood"
        r"|spark (?:you|u|ya|him|her) out|knock(?:s|ing)? (?:you|u|ya|him|her) spark out"
        r"|(?:need|needing|want|get yourself) a bodyguard|gut (?:you|u|ya|him|her) like a fish"
        r"|(?:stabbed|shot|killed|murdered|attacked|knifed|beaten up|gone missing|disappeared|vanished"
        r"|ended up in (?:hospital|a&e|the canal|the river)) for less(?! than (?:a|an|£|\d|\w+ quid))"
        # "Take a bat to your kneecaps", "rip your head off".
        r"|take (?:a|the|my) (?:baseball |cricket |golf )?(?:bat|hammer|knife|crowbar|belt|brick|bottle|machete|club"
        r"|blade|axe) to (?:your|ur|his|her|their|yer) \w+"
        r"|rip (?:your|ur|his|her|their|yer) (?:head|face|throat|arms?|legs?|tongue|heart)s? (?:off|out)"
        r"|(?:accidents|bad things) (?:happen|can happen|tend to happen|have a way of happening)"
        r"(?: to (?:people )?like (?:you|u|ya)\b|\b[^!?]{0,40}?\bto (?:\w+ )?(?:people|councillors|cllrs|mps|politicians"
        r"|those|folk|anyone) (?:who|that) (?:cross|ignore|don't listen|won't listen|go against|mess|upset|betray"
        r"|stick (?:their|your) nose|vote (?:the wrong way|against)|lie to))"
        # "I'd happily do time for you", "the fire brigade will be too late", "find out what a car does
        # at 40mph", a bat "and I'm not afraid to use it", "a brick round your neck" (not a worry about
        # fire cover, children on a bend, or a cricket bat).
        r"|(?:i'?ll|i will|i'd|i would|id|happy to|gladly|happily|worth) (?:\w+ )?(?:do|doing|serve|serving)"
        r" (?:time|bird|a stretch|life|porridge) for (?:you|u|ya|him|her|them)\b"
        r"|fire (?:brigade|service|engines?)(?:'ll| will) (?:\w+ )?be too late(?![^.!?]*\b(?:if|when|to (?:reach|get))\b)"
        r"|(?:^|[.!?] )(?![^.!?]*\b(?:kids?|children|cyclists?|pedestrians?|someone|somebody|bikes?|crossing|junction"
        r"|bend|pensioners?|if|unless)\b)[^.!?]*?find out what a (?:car|van|lorry|truck|bat|knife|brick|blade|fist|boot"
        r"|bullet|machete|petrol can) (?:does|can do|feels like)"
        r"|\b(?:bats?|knife|knives|guns?|blades?|machetes?|crowbars?|shotguns?|rifles?)\b"
        r"(?![^.!?]*\b(?:cricket|rounders|baseball|softball|garden|allotment|kitchen|cake|veg|diy|nets|butcher)\b)[^!?]{0,80}"
        r"\b(?:not afraid|won't hesitate|will not hesitate|wouldn't hesitate|not scared) to use (?:it|them)"
        r"|(?:bricks?|rocks?|stones?|breeze ?blocks?) (?:tied )?(?:round|around) (?:your|ur|his|her|their) necks?"
        r"|what hitler (?:didn't|did not|never|couldn't|failed to) (?:\w+ ){0,3}finish|(?:finish|finishing) what hitler"
        r"|what happened to (?:jo cox|(?:sir )?david amess|amess) (?:could|can|will|might|may) happen"
        r"|close (?:your|ur) eyes for good"
        r"|(?:firework|petrol|brick|burning|lit|flaming|rag|dog (?:shit|mess))\w*[^.!?]{0,30}through (?:your|ur) letterbox"
        rf"|{YOU}r?\b[^.!?]{{0,30}}with a broken (?:jaw|nose|neck|skull))",
        0.8,
        "veiled threat",
        figure_guard=True,
    ),
    # "Not a threat, a promise", unless what is promised is a vote or a complaint; and the reckoning
    # that is "not at the ballot box".
    _p(
        r"(?P<q>not a threat,? (?:it'?s |it is |just |but )?a promise)\b(?![^.!?]*\b(?:vote|votes|voting|ballot"
        r"|elections?|polls?|leaflets?|campaign\w*|deselect\w*|petition\w*|ombudsman|complaints?|standards|judicial"
        r"|solicitor|lawyers?|court|press|paper|papers)\b)"
        r"|(?:regret|pay|sorry|answer for)[^.!?]{0,40}\b(?:not (?:at|through|via|by|in) the ballot box)",
        0.8,
        "veiled threat",
    ),
    # Harm named in the old words: "a rope with your name on it", "tar and feather you", "take the
    # MP out", "Jo Cox was just the start", "we'll see how fast you can run".
    _p(
        r"(?P<q>(?:rope|bullet|noose|knife|blade|bomb|grave|coffin|brick)s? with (?:your|ur|his|her) name on it"
        r"|tar(?:red)? and feather\w*|(?:take|takes|taking) (?:this|that|the|our) (?:mp|councillor|cllr|traitor"
        r"|minister|mayor) out\b|(?:someone|somebody|anyone) (?:should|needs to|ought to|will|'ll) take (?:her|him|you"
        r"|them) out\b|heads? cut off|(?:jo cox|david amess)\b[^.!?]{0,40}\b(?:just the start|the start|the beginning"
        r"|next|remember)|(?:end up|ended up|go the same way as|same way as|same as|like) (?:jo cox|david amess)"
        rf"|{YOU}(?:'ll|'re going to| will| are going to| re going to) (?:\w+ )?need (?:police protection|protecting)"
        rf"|see how fast {YOU} (?:can )?run|stamp on (?:your|ur|his|her|their) (?:head|face|skull)"
        r"|let the brakes off|make (?:you|them|him|her) wish (?:you|they|he|she)(?:'d| had)"
        rf"|give {YOU} a (?:little |wee |gentle )?push|(?:didn't|did not) get {YOU},? but (?:we|i) will"
        r"|keep (?:that|your|ur) \w+ attached"
        rf"|drag {YOU} (?:out )?(?:of (?:\w+ ){{1,2}})?by (?:your|ur|the) (?:neck|hair|throat|collar))",
        0.8,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>watch your back|better watch out|sleep(?:ing)? with one eye open"
        r"|(?:keep )?look(?:ing)? over your shoulder"
        r"|(?:you|u|ya|they|he|she) (?:won't|will not|wont|will never|'ll never) (?:be|feel) safe"
        r"|not safe (?:anywhere|at home|in your)|won't live (?:to see|long)|(?:'ll|will) not live to see"
        r"|won't see (?:christmas|easter|next year|the new year|another birthday|the summer|the spring|next week"
        r"|the weekend)|won't know what hit (?:you|u)"
        # ... unless it is a treat: "when you see the new mural", "when you try the sausage rolls".
        r"(?! when (?:you|u) (?:\w+ )?(?:see|try|taste|hear|read|walk in|open|smell|eat)))",
        0.8,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        rf"\b{YOU}(?:'ll|ll| will| are going to|'re going to) (?P<q>(?:get|have) what's coming(?: to (?:you|u))?)",
        0.85,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:shame|pity) if (?:something|anything) (?:bad |nasty )?(?:were to |was to |should "
        r"|ever )?happen(?:ed|s)? to)",
        0.88,
        "veiled threat",
    ),
    _p(
        rf"(?P<q>(?:see|watch|wait and see) what happens to {TPOS} (?:\w+\s)?(?:{FAMILY}|{PROPERTY}))",
        0.85,
        "veiled threat",
    ),
    _p(
        rf"(?P<q>something (?:bad |nasty |terrible )?(?:will|might|could|is going to|is gonna"
        rf"|may) happen to (?:{TARGET}|{TPOS} \w+))",
        0.8,
        "veiled threat",
        figure_guard=True,
    ),
    _p(r"(?:^|[.!?] )(?P<q>(?:it )?would be a shame)(?= ?(?:$|[.!?]|, wouldn't it|, eh))", 0.6, "veiled threat"),
    # --- knowing where someone lives ----------------------------------------------------
    _p(
        rf"\b(?:i|we|i've|we've|people|everyone|my mates|they)(?:\s\w+)?(?: now)? (?:know|knows|found|find|have|got"
        rf"|know exactly"
        rf"|found out|figured out|worked out)(?: exactly)? (?P<q>where {YOU} (?:live|sleep|stay)s?)\b"
        # ... unless it is because they are neighbours: "I know where you live, you're my neighbour",
        # "we know where you live: Ward 7, same as us".
        r"(?![^.!?]{0,40}\b(?:same (?:\w+ )?as (?:me|us)|(?:you're|you are|ur) (?:my|our) (?:\w+ ){0,2}neighbours?"
        r"|next door to (?:me|us)|(?:i'm|we're|i am|we are) (?:your|ur) (?:\w+ ){0,2}neighbours?))",
        0.95,
        "knows where they live",
    ),
    _p(
        rf"\b(?:i|we|i've|we've|people|everyone|they)(?:\s\w+)? (?:know|knows|found out"
        rf"|found)(?: exactly)? (?P<q>where {YOU} (?:work|park))\b",
        0.8,
        "knows where they are",
    ),
    _p(
        rf"(?:know|found out|found|got|have|know exactly) (?:\w+\s){{0,2}}?(?P<q>(?:where"
        rf"|which school) {TPOS} {FAMILY}(?:\s\w+){{0,3}} "
        r"(?:live|lives|go to school|goes to school|go|goes|sleep|sleeps|study|play|plays|work|works))",
        0.95,
        "knows where their family is",
    ),
    _p(rf"(?:know|found|have|got) (?P<q>{TPOS} (?:home )?address)", 0.9, "knows their address"),
    _p(
        r"(?:know|found out|found) (?P<q>where (?:he|she|they|the councillor|the cllr) (?:lives?|sleeps?))",
        0.9,
        "knows where they live",
    ),
    _p(
        rf"(?:know|found out) (?P<q>(?:which|what) (?:car|house|motor|vehicle)(?:\s\w+){{0,2}} (?:is yours|{YOU} drive"
        rf"|{YOU} own|is hers"
        rf"|is his|{YOU} have|{YOU} park))",
        0.8,
        "knows their car",
    ),
    _p(
        rf"(?:know|found out|i see|i've seen|i watch|clocked) (?P<q>(?:what time|when) {YOU} (?:leave|get home|finish"
        rf"|arrive|go home"
        r"|walk|lock up))",
        0.85,
        "watches their movements",
    ),
    _p(
        rf"(?:know|found out) (?P<q>where {YOUR} (?:\w+ )?(?:office|surgery|constituency office) is)",
        0.7,
        "knows where they are",
    ),
    _p(
        rf"(?P<q>{YOUR} (?:kids?|children|son|daughter|grandkids) (?:go|goes|are|is) (?:to"
        rf"|at) (?:\S+\s){{0,3}}?(?:primary|school|academy"
        r"|nursery|college|high))\b",
        0.85,
        "names their children's school",
    ),
    _p(
        rf"(?:i|we) (?:know|clocked|have) (?P<q>{YOUR} (?:car|reg|registration|number plate|plates))",
        0.8,
        "knows their car",
    ),
    _p(rf"(?P<q>followed {TARGET} home)", 0.85, "followed them home"),
    # --- conditional threats ------------------------------------------------------------
    _p(
        rf"\bif {YOU} (?:\S+\s){{0,10}}?(?P<q>(?:{YOU}(?:'ll|ll| will)|{YOU}(?:'re| are) going to|then) (?:regret it"
        rf"|regret this|be sorry"
        r"|pay|pay for it|pay for this|get hurt|be next|suffer|find out|see what happens|know about it"
        r"|wish you hadn't|wish you never had))",
        0.85,
        "conditional threat",
        figure_guard=True,
    ),
    _p(
        rf"\b(?:vote|back|support|approve|close|shut|do|push|sign|build|pass)(?:\s\S+){{0,6}} and (?P<q>{YOU}(?:'ll|ll"
        rf"| will) (?:regret it"
        r"|regret this|be sorry|pay for it|suffer|get hurt|find out|know about it|see what happens))",
        0.8,
        "conditional threat",
        figure_guard=True,
    ),
    _p(
        rf"\bor (?P<q>{YOU}(?:'ll|ll| will) (?:get hurt|regret it|pay|be sorry|suffer|be next|find out))",
        0.85,
        "conditional threat",
        figure_guard=True,
    ),
    _p(r"(?P<q>\bor else)(?= ?(?:$|[.!?]))", 0.65, "veiled threat", figure_guard=True),
    _p(
        rf"\b(?P<q>{YOU}(?:'ll|ll| will) regret (?:it|this|that|the day))\b",
        0.7,
        "conditional threat",
        figure_guard=True,
    ),
    _p(r"(?P<q>you(?:'ve| have) been warned)", 0.55, "veiled threat", figure_guard=True),
    # --- wished harm ----------------------------------------------------------------
    _p(
        rf"\b(?P<q>hope (?:that )?(?:{YOU}|he|she|they|him|her|{TPOS} {FAMILY}"
        rf"|you and {TPOS} {FAMILY})(?:\s\w+){{0,2}}? (?:die|dies|died"
        r"|get cancer|gets cancer|get killed|gets killed|get raped|gets raped|get stabbed|gets stabbed|get shot"
        r"|gets shot|burns? to death"
        r"|get run over|gets run over|get hit by a (?:bus|car|train|lorry)|drop dead|drops dead|catch \w+ and die"
        r"|never wake up"
        r"|have a heart attack|has a heart attack|get battered|get beaten|get attacked|get hurt|gets hurt|get acid))",
        0.92,
        "wished harm",
    ),
    _p(
        rf"\b(?P<q>hope (?:that )?(?:someone|somebody|some \w+|a \w+|they|people)(?:\s\w+){{0,2}}? (?:runs?"
        rf"|{VIOLENT}(?:s|es)?|throttles?|kneecaps?|torch(?:es)?) (?:{YOU}|him|her|{TPOS} \w+)"
        r"(?: over| up| down)?)",
        0.9,
        "wished harm",
        after_guard=True,
    ),
    _p(
        rf"\b(?P<q>hope (?:that )?(?:{TPOS} (?:house|home|office|car|place)|it)(?:\s\w+){{0,2}}? (?:burns? down"
        rf"|gets? (?:burned"
        r"|burnt|torched|firebombed|smashed up|smashed)|blows? up))",
        0.85,
        "wished harm",
    ),
    _p(
        rf"\b(?:someone|somebody|people|they|one of us) (?:needs? to|should|ought to|will|is going to|are going to"
        rf"|wants? to)"
        rf" (?P<q>(?:teach {YOU} a lesson|sort {YOU} out|deal with {YOU}|shut {YOU} up|pay {YOU} a visit"
        rf"|have a word with {YOU}))\b",
        0.75,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:deserve|deserves|get|gets|getting) (?:everything|all|exactly what)(?: that's| that is| what's"
        r"| thats|'s)?"
        r" coming(?: to (?:you|u|him|her))?)",
        0.7,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        rf"\b(?P<q>{YOU}(?:'ll|ll| will)(?: \w+)? be sorry)(?= ?(?:$|[.!,;]|if\b|when\b|mate|pal|trust me|mark my))",
        0.7,
        "conditional threat",
        figure_guard=True,
    ),
    # "Watch yourself" is advice on icy pavements; with a time or place for it, it is menace.
    _p(
        r"(?P<q>\bwatch (?:yourself|your step)\b)(?=[^.!?]{0,40}\b(?:tonight|tomorrow night|after the meeting"
        r"|when you leave"
        r"|on your way home|on the way home|in the car park|outside|at night|walking home|next time i see you))",
        0.75,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        rf"\b(?:i'm|i am|we're|we are|i'll be|we'll be) (?P<q>coming (?:round|over|to (?:your|ur) (?:house|home"
        rf"|office|place))"
        rf"(?:\s\w+){{0,3}} (?:to )?(?:sort {YOU} out|deal with {YOU}|see {YOU}|have a word|teach {YOU}))",
        0.75,
        "threatens to visit",
        figure_guard=True,
    ),
    _p(
        rf"\b(?P<q>hope (?:that )?(?:{YOU}|he|she|they|him|her)(?:\s\w+){{0,2}}? (?:rot|rots|suffer|suffers|choke"
        rf"|chokes|burn|burns))\b",
        0.65,
        "wished harm",
        figure_guard=True,
    ),
    _p(
        rf"\b(?:someone|somebody|people|they|one of you|anyone|anybody|you lot)(?: really)? (?:should|needs? to"
        rf"|ought to|has to|have to"
        rf"|will|is going to|wants? to|gotta|oughta|must|please|pls|plz)(?: really| just| finally)? (?P<q>(?:kill|shoot"
        rf"|stab|hang"
        rf"|lynch|hurt|murder"
        rf"|batter|beat up|rape|bomb|burn|string up|knife|glass|take out|do in|acid|run over) {TARGET})\b",
        0.9,
        "incitement to violence",
        after_guard=True,
    ),
    _p(
        rf"\b(?P<q>{PERSON_SUBJECT}(?:,? [a-z']+){{0,6}}?,? (?:all )?(?:deserves?|needs?|ought|should|must)(?: all)?"
        rf"(?: just| really| simply| all| actually)?(?: to)? {HARMED})\b"
        r"(?! (?:out to dry|up|parliament|(?:your|his|her|their|its) heads?|(?:of|down|out|off|laughing|happy)\b"
        r"|(?<=hang) (?:in|on|around|about|together|tight|with|onto|loose)\b))",
        0.9,
        "wished harm",
    ),
    _p(
        r"(?P<q>\bdrop dead)\b(?! (?:gorgeous|good|beautiful|handsome|funny|brilliant|lovely|stunning))",
        0.8,
        "wished harm",
    ),
    _p(
        r"(?P<q>\bgo (?:and )?die\b|\bjust die\b|die in a (?:fire|ditch|hole|car crash)|go (?:and )?(?:get"
        r"|catch) cancer)",
        0.88,
        "wished harm",
    ),
    _p(
        r"\b(?:needs?|deserves?|wants?|could do with|asking for) (?P<q>(?:a bullet|a good kicking|a kicking|a beating"
        r"|a good slap|a smack"
        r"|a punch|putting down|stringing up|a hanging|shooting|a knife|stabbing|a brick|acid|a good hiding|a hiding"
        r"|a battering"
        r"|lining up against a wall))",
        0.8,
        "wished harm",
        figure_guard=True,
    ),
    _p(
        rf"(?:^|[.!?,] |\b(?:just|let's|lets|should|i say|time to|need to|we need to|we should|gonna) )(?P<q>(?:kill"
        rf"|shoot|hang|lynch"
        rf"|gas|stab|murder|string up|round up and shoot|exterminate|wipe out) (?:them|em|'em|the lot|the lot of them"
        rf"|all of them"
        rf"|every (?:one|last one) of them|the traitors|all the traitors|(?:all )?(?:the )?{ANY_GROUP})(?: all)?)\b"
        r"(?! with kindness)",
        0.9,
        "incitement to violence",
    ),
    _p(rf"(?P<q>\b(?:kill|gas|exterminate|shoot|hang|burn) all (?:the )?{ANY_GROUP})", 0.95, "incitement to violence"),
    # --- harm put as a question, a wish or a hypothetical -------------------------------------
    # "How would you feel if someone threw acid in your face?", "Wouldn't it be grand if every one
    # of them got a bullet", "Be a real shame if your kids got hurt walking home": the harm is named
    # and falls on the reader, their family or home, or a group; with no one harmed it is left alone.
    _p(
        rf"\b(?:how (?:would|'d) {YOU} (?:feel|like it)|what (?:would {YOU} do )?if|imagine if) (?:\S+ ){{0,3}}?"
        rf"(?P<q>{HARM_IF})",
        0.85,
        "veiled threat",
        figure_guard=True,
        traffic_guard=True,  # "how would you feel if your kids got hurt on that junction?"
    ),
    _p(
        rf"\b(?:(?:wouldn't|would|it'd|itd) (?:it )?be (?:a )?(?:real |right |proper |terrible |crying )?(?:shame"
        rf"|pity|grand|great|nice|lovely|funny|good|a laugh|tragedy)|(?:a |real |such a )(?:shame|pity|tragedy)) if"
        rf" (?:\S+ ){{0,3}}?"
        rf"(?P<q>{HARM_IF})",
        0.85,
        "veiled threat",
        figure_guard=True,
    ),
    # "She deserves to be dragged out of the chamber and beaten senseless."
    _p(
        r"\b(?:deserves?|needs?|ought|should|must)(?: just| all| really)?(?: to)? be (?:[a-z']+ ){1,8}?and "
        r"(?:then )?(?P<q>(?:beaten|shot|hanged|hung|stabbed|killed|burned|burnt|lynched|strung up|set on fire"
        r"|kicked to death|battered|drowned|stoned|gassed|put down))\b",
        0.85,
        "wished harm",
        figure_guard=True,
    ),
    # "Somebody should have shot him years ago", "someone would've kneecapped every one of them".
    _p(
        rf"\b(?:someone|somebody|people|they|anyone|anybody)(?: really)? (?:should|would|ought to|needs? to|could)"
        rf"(?:'ve| have| of) (?:already |just |finally |long since )?(?P<q>(?:killed|shot|stabbed|strangled|hanged"
        rf"|hung|lynched|kneecapped|burned|burnt|torched|bombed|drowned|gassed|murdered|beaten|battered|run over"
        rf"|put down|strung up|knifed|glassed) (?:{TARGET}|every (?:\w+ )?\w+|all (?:the )?(?:\w+ )?{ANY_GROUP}"
        rf"|the lot|(?:the )?{ANY_GROUP}))\b",
        0.85,
        "incitement to violence",
    ),
    # "Someone needs to run the mayor over."
    _p(
        rf"\b(?:someone|somebody|people|one of (?:you|us)|anyone|anybody)(?: really)? (?:should|needs? to|ought to"
        rf"|has to|gotta|must|wants? to|please|pls|plz)(?: just| finally)? (?P<q>(?:run|mow) (?:{TARGET}|{PUBLIC_ROLE}) "
        rf"(?:over|down)|(?:kill|shoot|stab|hang|lynch|hurt|murder|batter|beat up|knife|glass|do in) {PUBLIC_ROLE})\b",
        0.9,
        "incitement to violence",
        after_guard=True,
    ),
    # "Want to see what happens when I catch one of them on his own?"
    _p(
        rf"\b(?:see|find out|guess|know) what (?:happens|will happen|'ll happen) (?:when|if) (?:i|we|the lads|my mates"
        rf"|my lads) (?P<q>(?:catch|get hold of|get|find|see|meet|corner) (?:{TARGET}|(?:a|an|one|any) (?:\w+ )?\w+)"
        rf"(?: (?:on (?:his|her|their|your|ur|yer) own|alone|by (?:him|her|them)sel(?:f|ves)|after dark|in a dark \w+"
        rf"|walking home|outside)|(?= ?(?:$|[.!?]))))",
        0.85,
        "veiled threat",
        figure_guard=True,
    ),
    # "Bringing my knife for the queers", "got the petrol ready for you".
    _p(
        rf"\b(?:bring|bringing|brought|got|have|carrying|sharpening|sharpened|loaded|loading)(?: (?:my|a|the|me))?"
        rf" (?P<q>(?:knife|knives|gun|blade|machete|axe|bat|hammer|petrol|shotgun|rifle|\U0001f52a|\U0001f52b"
        rf"|\U0001fa93)(?: \w+)?(?: ready)? for (?:{TARGET}|(?:the |those |any |all (?:the )?)?{ANY_GROUP}))",
        0.9,
        "direct threat",
        figure_guard=True,
    ),
    # --- injury and finality foretold, without a word of violence ------------------------------
    # "It might be your last", "you'll be eating through a straw", "nobody walks out alive".
    _p(
        r"\b(?:might|could|will|may|'ll) be (?P<q>(?:your|ur) last)(?= ?(?:$|[.!?,]|one\b|,? (?:cllr|councillor|mate)\b))",
        0.85,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        rf"\b(?P<q>(?:{YOU}(?:'ll|ll| will| are going to|'re going to| are gonna|'re gonna)|make sure {YOU}) (?:be )?"
        r"(?:eating through a straw|need(?:ing)? a new set of teeth|leav(?:e|ing) (?:\w+ ){0,4}?on a stretcher"
        r"|never walk again|be in a wheelchair|eating hospital food|need (?:a|an) (?:ambulance|undertaker|new face)))",
        0.9,
        "threat of harm",
        figure_guard=True,
    ),
    _p(r"(?P<q>(?:wear|bring|get yourself|buy yourself|invest in) a stab vest)", 0.8, "veiled threat"),
    _p(
        r"(?P<q>next time (?:it|it'll|it will) (?:won't|will not|wont|'ll not) be (?:just )?(?:eggs|paint|a letter"
        r"|words|a warning|flour|a brick through the window|graffiti))",
        0.85,
        "veiled threat",
    ),
    _p(
        r"(?P<q>(?:nobody|no one|none of (?:you|them|us)|not (?:one|a single) (?:of (?:you|them)|\w+(?: \w+)?))"
        r" (?:walks?|gets?|comes?|makes? it) out(?: of (?:it|there|that \w+|(?:\w+ ){1,4}?))? alive)",
        0.95,
        "direct threat",
    ),
    _p(
        r"\b(?:we|i)(?:'ve| have)? (?P<q>(?:got|made|drawn up|compiled) a list)"
        # "I've got a list of questions ready": a list to ask, not to work through.
        r"(?! of (?:questions|points|issues|things|concerns|complaints|demands|suggestions|potholes|problems))"
        r"(?: of (?:names|addresses|you|them"
        r"|every \w+))?(?=[^.!?]{0,40}(?:working through|one by one|ticking|coming|$|[.!?]))",
        0.75,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        rf"\b(?:we|i) (?P<q>know (?:{TPOS}|their) (?:names and (?:\w+ ){{0,3}}|faces|bus stop|school run|routine|movements"
        r"|(?:running|jogging|walking|cycling|dog walking|daily|usual) route|route home|shifts|shift pattern|prayer times|whereabouts"
        r"|daily walk|walk home)(?! (?:is|are|has|have|was|were|must|will)\b))",
        0.8,
        "veiled threat",
        figure_guard=True,
    ),
    _p(rf"\b(?:we|i)(?:'ve| have) (?P<q>been watching (?:{YOU}|them|him|her|{TPOS} \w+))", 0.8, "veiled threat"),
    # --- telling someone to kill themselves -------------------------------------------------
    _p(
        r"(?P<q>\bkill (?:your ?self|yo ?self|ur ?self|ya ?self|your ?selves|ur ?selves|yourselfs)|\bkys\b)",
        0.97,
        "tells them to kill themselves",
    ),
    _p(
        r"(?P<q>\b(?:neck|hang|top|off|shoot|stab|drown|unalive|end|gas|slit|poison|delete) (?:your ?self|ur ?self"
        r"|your ?selves|ya ?self))\b",
        0.95,
        "tells them to kill themselves",
    ),
    _p(r"(?P<q>\b(?:drink|swallow|down) (?:some |a bottle of )?bleach)", 0.9, "tells them to kill themselves"),
    _p(
        r"(?P<q>\b(?:jump|throw yourself) (?:off|in front of|under) (?:a |the )?(?:bridge|cliff|building|train|bus"
        r"|roof|tower|lorry))",
        0.85,
        "tells them to kill themselves",
    ),
    _p(
        r"(?P<q>\bdo (?:us|the world|everyone|everybody|the town|the ward|the country|the planet|humanity"
        r"|us all)(?: all)? a (?:favour|favor)"
        r" and (?:die|drop dead|end it|end it all|disappear permanently|jump|stop breathing|\w+ (?:your ?self"
        r"|ur ?self)))",
        0.95,
        "tells them to kill themselves",
    ),
    _p(r"(?P<q>\bend (?:it all|your (?:own |miserable |pathetic )?life))", 0.9, "tells them to kill themselves"),
    _p(
        r"(?P<q>better off (?:if (?:you|u) (?:were dead|died|was dead)|with (?:you|u) dead|dead))\b",
        0.85,
        "wished harm",
    ),
)

# --- Doxxing: addresses and phone numbers (read on the plain view) -------------------------
_MOBILE = r"(?:\+44 ?\(?0?\)? ?7\d{3}|\(?07\d{3}\)?)[ .\-]?\d{3}[ .\-]?\d{3}"
_LANDLINE = r"(?:\+44 ?\(?0?\)? ?|0)(?:1\d{2,4}|2\d|3\d{2}|8\d{2})[ .\-]?\d{3,4}[ .\-]?\d{3,4}"
_PHONE_RE = re.compile(rf"(?<![\d+])(?P<mobile>{_MOBILE})(?!\d)|(?<![\d+])(?P<landline>{_LANDLINE})(?!\d)")
_STREET = (
    r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|grove|gardens|gdns|place|pl|terrace"
    r"|court|ct|mews|row|walk|hill|view|square|sq|rise|parade|vale|croft|fold|wynd|gate|green|park)"
)
_ADDRESS_RE = re.compile(
    rf"(?<![\w£$.,])\d{{1,4}}[a-z]?,? (?:[a-z][a-z'\-]+ ){{1,3}}{_STREET}\b(?:,? (?:[a-z][a-z'\-]+ ?){{0,3}})?"
    r"(?:,? [a-z]{1,2}\d[a-z\d]? ?\d[abd-hjlnp-uw-z]{2}\b)?"
)
_POSTCODE_RE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]? ?\d[abd-hjlnp-uw-z]{2}\b")
_ADDRESS_CUE_RE = re.compile(
    r"\b(?:lives?|living|lived|resides?|home address|address is|address's|(?:his|her|their|your|ur) (?:address|house"
    r"|home|flat|place)"
    r"|(?:he|she|they|you) (?:live|lives|stay|stays)|where (?:he|she|they|you) lives?)\b"
)
_OWN_ADDRESS_RE = re.compile(
    r"\b(?:i|we) (?:live|lived|am|are|'m|'re|stay)\b|\b(?:my|our) (?:address|house|home|flat|street|road)\b"
)
_PHONE_CUE_RE = re.compile(
    r"\b(?:his|her|their|your|ur|him|them|she's|he's|personal|private|at home|home number|day or night|all night"
    r"|bombard|flood"
    r"|spam|harass|tell (?:her|him|them)|let (?:her|him|them) know|give (?:her|him|them) a (?:ring|call|bell))\b"
)
_OWN_PHONE_RE = re.compile(
    r"\b(?:call me|ring me|text me|contact me|reach me|phone me|whatsapp me|my (?:number|mobile|phone|landline)"
    r"|i'm on|i am on"
    r"|our (?:number|office|shop|phone))\b"
)
_ORG_PHONE_RE = re.compile(
    r"\b(?:council|helpline|hotline|samaritans|nhs|police|switchboard|reception|contact centre|customer services"
    r"|department"
    r"|team|charity|advice line|freephone|office hours|opening hours)\b"
)


_DIGIT_RE = re.compile(r"\d")


def _doxxing(doc: Document) -> list[Cue]:
    cues: list[Cue] = []
    plain = doc.plain
    if _DIGIT_RE.search(plain):
        for m in matches(_PHONE_RE, plain):
            if _OWN_PHONE_RE.search(plain) or (_ORG_PHONE_RE.search(plain) and not _PHONE_CUE_RE.search(plain)):
                break
            kind = "mobile" if m.group("mobile") else "landline"
            if _PHONE_CUE_RE.search(plain):
                score = 0.9
            elif kind == "mobile":
                score = 0.7
            else:
                continue
            cues.append(Cue(2, "threat", score, "critical", f"publishes a phone number: {doc.cite_plain(*m.span())}"))
            break
        if _ADDRESS_CUE_RE.search(plain) and not _OWN_ADDRESS_RE.search(plain):
            m = _ADDRESS_RE.search(plain)
            if m:
                cues.append(Cue(2, "threat", 0.9, "critical", f"publishes a home address: {doc.cite_plain(*m.span())}"))
            else:
                m = _POSTCODE_RE.search(plain)
                if m:
                    cues.append(
                        Cue(2, "threat", 0.8, "critical", f"publishes a home postcode: {doc.cite_plain(*m.span())}")
                    )
    return cues


# Threats in emoji: a weapon, a coffin or a noose aimed at the reader, a politician or a place
# ("Cllr Gray 🔪🩸⚰️", "see you at the surgery Saturday 🔫🔫"); fire set beside a building with a
# time or a warning ("🔥🏢 constituency office, don't be inside"). Not a knife for the cake or a
# game, not "you're the 💣", and not emoji reported or denied ("did you say they should be 🔪").
_WEAPON_EMOJI = re.compile(
    "(?<!the )(?<!the)(?<!da )(?<!da)"
    "[\U0001f52a\U0001f52b\U0001f4a3\U0001f9e8\U0001fa93\U0001f5e1\u26b0\U0001faa6\U0001faa2]"
)
_FIRE_EMOJI = "\U0001f525"
_BUILDING = re.compile(
    "[\U0001f3e2\U0001f3e8\U0001f54c\U0001f54d\u26ea\U0001f3e0\U0001f3e1\U0001f3eb\U0001f6d5\U0001f3db]"
    r"|\b(?:office|surgery|house|home|hotel|mosque|synagogue|temple|gurdwara|church|school|float|bar|pub|shop)\b"
)
_EMOJI_TARGET = re.compile(
    rf"\b(?:{YOU}|{YOUR}|cllr|councillor|mp|mayor|traitors?|office|surgery|school|house|home|hotel|cabinet member|leader"
    r"|mosque|synagogue|temple|church|prayers|float|march|parade)\b"
)
_EMOJI_WHEN = re.compile(r"\b(?:tick tock|inside|in it|don't be|be out)\b|[\u23f3\u23f0\u231b]")
_EMOJI_MAX_WORDS = 12
_WORD_RE = re.compile(r"[a-z0-9']+")
_EMOJI_SAID = re.compile(r"\b(?:say|says|said|saying|rather|believe|think|thinks|thought)\b")
_EMOJI_HARMLESS = re.compile(
    r"\b(?:cake|s'mores|smores|cook\w*|chop\w*|veg|kitchen|recipe|bbq|barbecue|dinner|chef|carv\w*|slic\w*|steak"
    r"|bread|pizza|game|gaming|fortnite|warzone|minecraft|level|boss|film|movie|halloween|costume|lol|lmao"
    r"|sent me|reported|received|screenshot)\b"
)


def _emoji_threat(doc: Document) -> list[Cue]:
    s = doc.text
    weapons = list(_WEAPON_EMOJI.finditer(s))
    fire = s.find(_FIRE_EMOJI)
    if not weapons and fire < 0:
        return []
    if _EMOJI_HARMLESS.search(s) or _EMOJI_SAID.search(s) or reports_speech(doc):
        return []
    # A short reply that is little more than its target and the emoji ("Cllr Gray 🔪🩸⚰️"); a bomb
    # alone ("you're looking 💣") only next to a place or another weapon.
    words = len(_WORD_RE.findall(MENTION_RE.sub(" ", s)))
    bomb_only = {m.group() for m in weapons} == {"\U0001f4a3"}
    if (
        weapons
        and words <= _EMOJI_MAX_WORDS
        and (_EMOJI_TARGET.search(s) or words == 0)  # nothing but weapons and the handles they answer
        and not negated(doc)
        and not (bomb_only and not _BUILDING.search(s))
    ):
        at, width = weapons[0].start(), len(weapons[0].group())
    elif fire >= 0 and _BUILDING.search(s) and (_EMOJI_WHEN.search(s) or weapons):
        at, width = fire, len(_FIRE_EMOJI)
    else:
        return []
    quoted = doc.cite(0, max(0, at - 30), min(len(s), at + width + 30))
    return [Cue(2, "threat", 0.85, "critical", f"threat in emoji: {quoted}")]


# Veiled and implied threats: what a careful moderator reads as a threat without a violent verb.
_IMPLIED: tuple[_Pattern, ...] = (
    # A bounty: "whoever shoots this MP gets a pint off me", "a medal for anyone who torches it".
    _p(r"(?P<q>(?:whoever|anyone who|anybody who|the first (?:person|one) (?:who|to)) (?:finally )?(?:kills|shoots|stabs|hangs|lynches|bombs|torches|firebombs|burns|glasses|knifes|batters|runs over|does in|takes out|kill|shoot|stab|torch) (?:this|that|the|our|your|him|her|them|you)\b[^.!?]{0,40}?\b(?:gets|deserves|will get|can have|earns|wins)\b)", 0.9, "incitement to violence"),
    _p(r"(?P<q>(?:a pint|pints|a drink|drinks|a medal|a knighthood|a reward|free \w+|£\d+) (?:off me |on me )?(?:for|to) (?:whoever|anyone who|anybody who|the first (?:person|one) (?:who|to)) (?:finally )?(?:kills|shoots|stabs|hangs|lynches|bombs|torches|firebombs|burns|glasses|knifes|batters|runs over|does in|takes out|kill|shoot|stab|torch))", 0.9, "incitement to violence"),
    # Harm to the reader put as a knowing question.
    _p(r"(?P<q>ever (?:had|wanted|fancied) (?:your|ur) (?:face|head|legs?|nose|jaw|teeth|windows?|car|house|tyres) (?:rearranged|smashed|kicked in|broken|caved in|done in|torched|slashed|put through))", 0.85, "veiled threat"),
    _p(r"(?P<q>(?:ever seen|know) what (?:a|an|your|you|one of) [^.!?]{0,40}?looks? like after (?:a|an|some|my) (?:steel toecap|toecap|brick|baseball bat|bat|hammer|kicking|beating|bottle|blade|crowbar|iron bar|acid))", 0.85, "veiled threat"),
    _p(r"(?P<q>(?:how easy|easy) (?:it'd be|it would be|it'll be|it is|it's|would it be) to (?:(?:cut|slash|burn|torch|hurt|snatch) (?:your|ur|you)\b|(?:find|get to|reach|follow) (?:you|ya|u)\b(?! (?:a|an|the|some|one)\b)))", 0.8, "veiled threat"),
    _p(r"(?P<q>who(?:'d| would| will|'ll) (?:even |actually )?(?:miss|notice|care about|mourn) (?:you|ya|u)\b[^.!?]{0,40}?\b(?:if|when) (?:you|someone|somebody)\b[^.!?]{0,30}?\b(?:stabbed|shot|killed|hurt|disappeared|vanished|went missing|run over|attacked|got done))", 0.85, "veiled threat"),
    _p(r"(?P<q>(?:end|ended|ending) up like (?:jo cox|david amess|sir david amess|amess|cox))", 0.97, "threat invoking a murdered MP"),
    _p(r"(?P<q>(?:remember|think of|look what happened to|what happened to) (?:jo cox|david amess|sir david amess))", 0.9, "threat invoking a murdered MP", figure_guard=True),
    _p(r"(?P<q>(?:you'll|you will|you're going to|you are going to|you're gonna|you'd|you) (?:be )?(?:leave|leaving|go home|going home|end up|ending up|carried out|go out) in (?:an ambulance|a body bag|a box|a coffin|hospital))", 0.93, "veiled threat"),
    _p(r"(?P<q>(?:you|ya|u) (?:won't|will not|wont|aren't going to|ain't gonna) (?:be )?(?:walking out|walk out|leaving|leave|getting out|get out|walking away|walk away)(?: of (?:there|it|that \w+))?(?: alive| in one piece)?)", 0.85, "veiled threat"),
    _p(r"(?P<q>(?:you're|you are|youre|ur) (?:getting|going to get|gonna get|about to get|due) (?:stabbed|shot|battered|glassed|smashed|knifed|done in|bottled|beaten|hurt|jumped|kicked in|killed|merked|bodied|decked|lamped|leathered|chinned|nutted|floored|shanked|twatted|headbutted|murdered|acid))", 0.95, "direct threat"),
    _p(r"(?P<q>(?:put|putting|puts) (?:a |one |two )?(?:bullet|bullets|knife|blade) (?:in|through|into) (?:you|ya|u|your))", 0.95, "direct threat"),
    _p(r"(?P<q>(?:i'm|im|i am|we're|we are) (?:\w+ )?(?:battering|stabbing|shooting|killing|smashing|kicking|punching|glassing|decking|slapping|hitting|knifing|burning|torching|bottling|leathering|doing) (?:you|ya|u|your)\b)", 0.93, "direct threat", after_guard=True, figure_guard=True),
    _p(rf"(?P<q>(?:coming|come|coming round|coming over|on my way|turning up|popping round|be round|be there|be outside|see you) (?:\w+ ){{0,6}}?with (?:a |an |my |some )?(?:petrol can|can of petrol|jerry can|knife|machete|gun|baseball bat|bat|hammer|acid|crowbar|axe|shotgun|rifle|blade|noose|rope|brick|bottle|matches|a lighter)(?! and fork)(?![^.!?]{{0,30}}?{HARMLESS_USE}))", 0.95, "threat with a weapon"),
    # A weapon named, or armed or tooled up with no harmless sense: "I'm bringing sandwiches" and "we're armed with the facts" are not threats.
    _p(rf"(?P<q>(?:i'm|im|i am|i'll be|i will be|we're|we'll be) (?:(?:bringing|carrying|packing)(?![^.!?]{{0,30}}?{HARMLESS_USE}) (?:a |an |my |some |the )?(?:petrol can|can of petrol|jerry can|knife|machete|gun|baseball bat|bat|hammer|acid|crowbar|axe|shotgun|rifle|blade|noose|rope|brick|bottle|\U0001f52a|\U0001f52b|\U0001fa93)|tooled up|armed(?!{ARMED_HARMLESSLY})))", 0.9, "threat with a weapon"),
    _p(r"(?P<q>(?:your|ur) (?:kids|children|son|daughter|little one|lad|girl|boy|grandkids) (?:go|goes|walk|walks|attend|attends) (?:to )?[^.!?]{0,40}?(?:don't they|doesn't (?:he|she)|isn't it|aren't they|think about that|just saying|remember that|be a shame|funny that))", 0.95, "threat against family"),
    _p(r"(?P<q>(?:get|got|getting) what (?:jo cox|david amess|sir david amess|amess|cox) got)", 0.97, "threat invoking a murdered MP"),
    _p(r"(?P<q>(?:your|ur) (?:car|house|home|office|surgery)(?:'s| is| will be| is going| going)? (?:going )?(?:up in flames|on fire|burn(?:ing)? down|getting torched|getting firebombed)[^.!?]{0,30}?(?:with you|you in it|inside))", 0.97, "veiled threat"),
    _p(r"(?P<q>(?:i'll|i will|i'm going to|im going to|gonna|going to|i'm gonna) (?:\w+ ){0,8}?and (?:batter|stab|kill|shoot|hurt|smash|kick|beat|knife|glass|deck|punch|slap|lamp|leather|do) (?:you|ya|u)\b)", 0.95, "direct threat", after_guard=True, figure_guard=True),
    _p(r"(?P<q>(?:break|snap|smash) both (?:your|ur) (?:legs|arms|knees|hands|kneecaps))", 0.97, "direct threat"),
    _p(r"(?P<q>(?:you|ya|u)\b[^.!?]{0,40}?(?:are|is|'re) (?:getting|going to get|gonna get|about to get) (?:stabbed|shot|battered|glassed|knifed|done in|bottled|beaten|hurt|killed|merked|bodied|decked|lamped|leathered|chinned|nutted|floored|shanked|twatted|headbutted|murdered|burned|torched))", 0.95, "direct threat"),
    _p(r"(?P<q>(?:someone|somebody|some one|anyone|somebody's|someone's|someone is|somebody is) (?:should|needs to|need to|ought to|has to|is going to|'s going to|going to|is gonna|'s gonna|will|must|wants to) (?:\w+ )?(?:put a bullet in|put a knife in|stab|shoot|kill|knife|hang|do in|murder|behead|blow up|run over|acid attack|torch|firebomb)\b)", 0.95, "incitement to violence"),
    _p(r"(?P<q>(?:got|have|know|found|we've got|i've got|i know) (?:your|ur) (?:car reg|reg|registration|address|home address|postcode|kids' school|house)\b[^.!?]{0,60}?(?:see you|be seeing you|coming|soon|watch|waiting|stab|visit|knock))", 0.9, "veiled threat"),
    _p(r"(?P<q>bring an ambulance|bring a stretcher|book (?:yourself )?an ambulance|need an ambulance|call (?:yourself )?an ambulance)", 0.9, "veiled threat"),
    _p(r"(?P<q>(?:you|ya|u) (?:won't|will not|wont|might not|may not|aren't going to|are not going to|ain't gonna) (?:(?:be making|make) it (?:back|home|to (?:polling day|the count|the election|the next election|christmas|the weekend|the meeting)(?![^.!?]*" + _CANDIDACY + r"))|see (?:the next|another|next) (?:election|christmas|year|birthday|week|summer)|live (?:to see|long|much longer)|be around (?:much )?(?:longer|for long)|wake up|get home))", 0.93, "veiled threat"),
    _p(r"(?P<q>(?:you'll|you will|ye'll|ya'll) (?:not|never) (?:live (?:to see|long|much longer)|see (?:the next|another|next) (?:election|christmas|year|birthday)|make it (?:home|back|to (?:polling day|the count|the election|christmas)(?![^.!?]*" + _CANDIDACY + r"))))", 0.93, "veiled threat"),
    _p(r"(?P<q>(?:i'll|i will|we'll|we will|i'm going to|we're going to|gonna|i'm gonna) (?:have|get) (?:you|ya|ye|u) (?:killed|shot|stabbed|knifed|done in|kneecapped|battered|beaten up|seen to)\b)", 0.95, "direct threat"),
    _p(r"(?P<q>(?:you'll|you will|you'd|ya'll|you're going to|you are going to|you're gonna|you could|you might) (?:be |end up |get )?(?:found|end up|ending up) (?:dead |face down )?in (?:a |the )?(?:ditch|river|canal|morgue|body bag|gutter|woods|boot|skip|bin))", 0.95, "veiled threat"),
    _p(r"(?P<q>(?:your|ur) (?:kids|children|son|daughter|wife|husband|family|partner|mum|mam) (?:walk|walks|go|goes|play|plays|get|gets|come|comes|wait|waits)[^.!?]{0,40}(?:my house|past me|past my|near me|alone)(?:[^.!?]|[.!?] ){0,30}(?:just saying|just sayin|be a shame|be careful|watch out|remember that|funny that|isn't it|aren't they))", 0.95, "threat against family"),
    _p(r"(?P<q>(?:i'll|i will|i'm going to|im going to|i'm gonna|im gonna|gonna|going to|i'd) (?:\w+ )?(?:break|snap|smash) (?:every|all the|all of the|both of|both|all) (?:\w+ )?(?:bones?|legs?|arms?|fingers?|teeth|ribs) in (?:your|ur))", 0.97, "direct threat"),
    _p(r"(?P<q>(?:i'll|i will|i'm going to|im going to|gonna|going to|i'd) (?:\w+ )?(?:break|snap|smash) (?:your|ur) (?:\w+ )?(?:legs?|arms?|neck|jaw|face|nose|fingers?|teeth|skull|head|ribs))", 0.97, "direct threat"),
    _p(r"(?P<q>(?:somebody|someone|some one|anyone|people|we) (?:needs? to|should|ought to|has to|have to|gotta|is going to|are going to|will|must) (?:\w+ )?(?:take (?:you|u|ya) out|sort (?:you|u|ya) out|deal with (?:you|u|ya)|do (?:you|u|ya) in|shut (?:you|u|ya) up)(?: for good| permanently|\. permanently)?)", 0.9, "incitement against the politician", figure_guard=True),
    _p(r"(?P<q>(?:i'll|i will|i'm going to|gonna|going to|i'd|i'm gonna) (?:\w+ )?(?:knock|put|send|kick|punch|smack|slap|lamp|deck|drop|floor|chin|glass|bottle|headbutt|nut|leather|batter|stab|shoot|stomp|kill) (?:you|u|ya|ye|yer|your face|your head|ur face)(?: \w+){0,3}? (?:out cold|out|in hospital|into hospital|into next week|to the floor|in a wheelchair|in the ground|in a box|six feet under|unconscious|senseless|spark out|through a window|down|in))\b", 0.95, "direct threat", after_guard=True, figure_guard=True),
    # Said and left hanging: "I'm outside." "I'm waiting." (not "I'm waiting for the bus").
    _p(r"(?P<q>(?:i'm|i am|we're|we are|im) (?:coming|coming for (?:you|u|ya)|on my way|on our way|waiting|outside))(?= ?(?:$|[.!?]|,? (?:mate|pal|love|sweetheart|cllr|councillor)\b|for (?:you|u|ya)\b))", 0.7, "veiled threat", figure_guard=True),
    _p(r"(?P<q>(?:good|strong|decent|better) locks on (?:your|ur) (?:doors?|windows)|lock (?:your|ur) doors (?:tonight|at night)|sleep(?:ing)? with one eye open|watch your back|look over your shoulder|won't see (?:me|it) coming|never see (?:me|it) coming|you've been warned|consider yourself warned|final warning|last warning)", 0.85, "veiled threat"),
    _p(r"(?P<q>(?:you'll|you will|you're going to|you are going to|ya'll|you're gonna|you'd) (?:\w+ )?(?:be )?(?:swinging|swing|hanging|hang|dangling) (?:from|off) (?:a |the )?(?:lamppost|lamp post|tree|rope|noose|bridge|gallows))", 0.97, "direct threat"),
    _p(r"(?P<q>(?:with|bring|bringing|got|have|carrying) (?:a |an |my |some )?(?:petrol can|can of petrol|jerry can|knife|machete|gun|baseball bat|bat|hammer|acid|crowbar|axe|shotgun|rifle|blade|noose|rope)\b[^.!?]{0,40}?(?:your|ur|you|ya)\b|(?:outside|at|to|near|round) (?:your|ur) (?:office|surgery|house|home|door|constituency office|car|kids' school)[^.!?]{0,40}?(?:with|bringing) (?:a |an |my |some )?(?:petrol can|can of petrol|petrol|jerry can|knife|machete|gun|baseball bat|bat|hammer|acid|crowbar|axe|shotgun|rifle|blade|noose|rope|matches|lighter))", 0.97, "threat with a weapon"),
    _p(r"(?P<q>(?:shame|pity|be a shame|would be a shame|be a pity|terrible|awful|sad) if (?:it|your \w+|your (?:house|home|car|office)|something|anything) (?:went up|goes up|caught fire|burned down|burnt down|happened|was to happen|were to happen|got burned|got torched|exploded)[^.!?]{0,30})", 0.93, "veiled threat"),
    _p(r"(?P<q>(?:i'll|i will|we'll|we will) make sure (?:of it|you don't|you never|you won't))", 0.8, "veiled threat", figure_guard=True),
    _p(r"(?P<q>(?:you'll|you will|you're going to|you are going to|you're gonna) (?:get|be getting) (?:what's coming to you|what you deserve|yours|a visit|a knock|a bullet|a kicking|a beating|a slap|hurt|done|battered|stabbed|shot|smashed))", 0.85, "veiled threat", figure_guard=True),
    # Whereabouts and routine watched: "your wife does the Tesco shop on Saturday mornings, doesn't she?"
    _p(rf"(?P<q>(?:\byou|{YOUR} (?:\w+ )?{FAMILY}|{YOUR} (?:\w+ )?(?:car|motor|corsa|van)|(?:those|the) (?:\w+ ){{0,2}}?(?:{ANY_GROUP}|lads|girls|family|couple|kids)(?: \w+){{0,4}}?) (?:walks?|leaves?|jogs?|does|plays?|parks?|drops?|picks?|gets? home|finish(?:es)?|goes|drives?|cycles?|runs?)\b[^.!?]{{0,60}}?\b(?:\d{{1,2}}[.:]\d{{2}}|\d{{1,2}} ?(?:am|pm)|o'clock|every (?:morning|night|evening|day|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s? (?:mornings?|nights?|evenings?)|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday) (?:mornings?|nights?|evenings?)|most nights)\b(?=[^!?]{{0,160}}?(?:just so you know|we know|funny what|for now|dark|on (?:her|his|their|your) own|isolated|alone|guard dog|just saying|think on|see how|shame if|wouldn't want|be careful|doesn't (?:she|he)|don't (?:they|you)|isn't it)))", 0.8, "veiled threat: someone's movements watched"),
    # A place or people not long for this world: "won't be standing by Christmas, me and the lads will make sure of it".
    _p(r"(?P<q>(?:won't|will not|wont|aren't going to) be (?:standing|open|there|around|in one piece|breathing|walking)\b[^.!?]{0,50}?(?:make sure of it|see to it|trust me|mark my words|i promise|whether they leave|walking or not))", 0.85, "veiled threat", figure_guard=True),
    _p(r"(?P<q>(?:the next one|your (?:\w+ ){0,2}(?:house|home|office|car|shop|surgery)|(?:their|the) (?:\w+ ){0,2}(?:temple|mosque|synagogue|gurdwara|church|shop|float|bar|hotel|centre)) (?:\w+ ){0,4}?(?:goes up in flames|go up in flames|will go up|catches fire|caught fire|is full of smoke|'s full of smoke|full of smoke|got petrol-? ?bombed|gets? petrol-? ?bombed|gets? firebombed|got firebombed|is getting firebombed|is getting torched|'s getting torched|is getting bricked)|(?:if|when) (?:it|your \w+|the \w+ \w+|their \w+) (?:all )?(?:came in|comes in) one night)", 0.9, "threat to property"),
    _p(r"(?P<q>(?:had better|'d better|better) (?:watch (?:their|your|his|her) backs?|stay (?:inside|indoors|in(?= ?(?:$|[.!,;])))|keep (?:their|your) heads? down))", 0.85, "veiled threat"),
    _p(r"(?P<q>(?:make sure|making sure) (?:they|you|he|she|them) (?:never|don't|do not|won't) (?:feel|are|is|be) safe|about to (?:feel|be) (?:a )?(?:whole )?(?:lot )?less safe|(?:think|reckon) (?:they're|you're|they are|you are) safe\?? (?:\w+ )?(?:they|you) won't be|how safe (?:do you (?:reckon|think)|would you say) (?:your|the \w+ (?:\w+ )?(?:feel|are)\b|they))", 0.8, "veiled threat", figure_guard=True, traffic_guard=True),
    _p(r"(?P<q>(?:watch|see|learn|find out) what happens (?:to (?:the next|any|anyone|you|them)|when we(?:'ve| have)? (?:had enough|come)|next)|\b(?:again|once more|one more time|try it|try that|go ahead|i dare you),? and see what happens\b)", 0.8, "veiled threat", figure_guard=True),
    _p(rf"(?P<q>(?:my mates|the lads|a few of (?:us|my mates)|we|they) (?:will|'ll) be (?:at|outside|round|knocking on) {YOUR} (?:door|house|home|place|office)(?: on \w+(?: \w+)?)? at (?:\d|midnight|night))", 0.85, "veiled threat"),
    _p(r"(?P<q>(?:needs?|deserves?|want|wants) (?:hanging|shooting|stabbing|lynching|stringing up|putting down|burning|gassing|a bullet|a good kicking|a kicking|a beating|a hiding)(?:,? not\b| for\b|\.|$))", 0.9, "incitement to violence"),
    _p(r"(?P<q>(?:should|ought to|needs? to|must) be (?:hit|slapped|punched|smacked|kicked|beaten|battered)\b(?! (?:out|off|by the|for six)\b))", 0.85, "incitement to violence"),
    _p(r"(?P<q>(?:someone|somebody|we|they) (?:should|ought to|need to|needs to|will|could) hold (?:them|him|her|you) under)", 0.9, "incitement to violence"),
    _p(r"(?P<q>pay (?:for \w+ )?with (?:their|your|his|her) lives)", 0.9, "threat to life"),
    _p(r"(?P<q>(?:a )?visit (?:from (?:\w+ ){0,2})?with (?:a |some |their )?(?:crowbars?|bats?|baseball bats?|hammers?|knives|knife|machetes?|petrol|bricks?|shotguns?|guns?)|(?:going|go) in with (?:\w+ and )?(?:shotguns|guns|knives|bats|machetes|petrol))", 0.9, "threat with a weapon"),
    _p(r"(?P<q>give (?:them|him|her|you|the \w+) a (?:good )?(?:hiding|kicking|beating|battering|slap)(?: they| he| she| you)? (?:won't|will never) forget)", 0.9, "incitement to violence", figure_guard=True),
    _p(r"(?P<q>deserves? (?:their|his|her|your) (?:\w+ )?(?:burnt|burned|torched|smashed up|firebombed|blown up|bulldozed)(?: to the ground| down)?)", 0.9, "incitement to violence"),
    _p(r"(?P<q>(?:would|will|'d) (?:anyone|anybody|you) (?:really )?(?:mind|care|miss \w+) if (?:the|that|their|your) (?:\w+ ){0,3}(?:got|gets|was|were) (?:petrol-? ?bombed|firebombed|torched|burnt down|burned down|blown up|bombed|stabbed|shot))", 0.85, "veiled threat"),
    _p(r"(?P<q>(?:which|what) [^.!?]{0,40}?(?:do you reckon|would|'d|will) (?:\w+ )?burns? (?:best|quickest|fastest|first|brightest))", 0.85, "veiled threat"),
    _p(r"(?P<q>(?:stop|stopping) (?:us|me) (?:from )?(?:stringing up|hanging|killing|burning|lynching|shooting|stabbing|torching|beating up|battering))", 0.9, "incitement to violence"),
    _p(rf"(?<!probably\s)(?<!might\s)(?<!could\s)(?P<q>(?:get|getting|gets|got) (?:his|her|their|{YOUR}) (?:\w+ )?(?:kicked|smashed|caved|bashed|knocked) in\b)", 0.9, "direct threat", figure_guard=True),
    _p(rf"(?P<q>(?:{ANY_GROUP}|them|they|those \w+) (?:are|is|'re|r) (?:getting|going to get|gonna get|about to get) (?:shanked|stabbed|shot|battered|glassed|knifed|done in|bottled|merked|lynched|strung up|burnt out|burned out))", 0.95, "threat against a group"),
    _p(r"(?P<q>hope (?:the next |a |some )?(?:\w+ ){0,4}?(?:flattens|runs over|mows down|ploughs into|kills|wipes out) (?:the|those|them|him|her|you|all)\b)", 0.85, "wished harm"),
    _p(r"(?P<q>knock the (?:\w+ )out of (?:you|him|her|them|any|every)\b)", 0.9, "direct threat", figure_guard=True),
    _p(r"(?P<q>(?:\byou|\bya|\bfancy)\b[^.!?]{0,40}?with (?:a broken (?:jaw|nose|leg|arm|neck)|no teeth|your teeth in your hand|two black eyes|a black eye|a fat lip|a bloody nose))", 0.85, "veiled threat", figure_guard=True),
    _p(r"(?P<q>when (?:you're|you are|they're|they are) least expecting it)", 0.85, "veiled threat"),
    _p(rf"(?P<q>{YOUR} (?:house|home|place) is the one (?:with|on|at|next to|opposite))", 0.85, "knows where someone lives"),
    _p(r"(?P<q>(?:anyone|anybody|who) (?:\w+ ){0,3}?knows? where (?:cllr|councillor|the mp|the mayor|our mp|that \w+|\w+ \w+) (?:\w+ )?lives)", 0.85, "asks where someone lives"),
    _p(r"(?P<q>(?:start|starting|will be) slashing (?:\w+ )?tyres|it'll be more than (?:tyres|windows|eggs|paint))", 0.85, "threat to property"),
    _p(r"(?P<q>(?:(?:someone|somebody|anyone)(?: \w+){0,2}? |(?:'ll|will|might|could) )(?:leave|left|leaves|drop|dropped|drops|post|posts) a (?:little )?(?:present|parcel|package|surprise|gift) (?:at|on|through|outside|in) (?:the|your|their) (?:door|letterbox|doorstep|office|mosque|temple|synagogue|house))", 0.8, "veiled threat"),
    _p(r"(?P<q>(?:going to|gonna|will|'ll) (?:\w+ )?survive the (?:summer|winter|year|week|night|month)\b[^.!?]{0,20}\?)", 0.8, "veiled threat"),
    _p(r"(?P<q>(?:had|have had|enjoy(?:ed)?) (?:their|your|his|her) last (?:peaceful|quiet|happy|safe|easy) (?:winter|summer|christmas|night|day|year|week))", 0.85, "veiled threat"),
    _p(r"(?P<q>bring (?:something heavy(?! (?:to|for) )|(?:your |a |the )?(?:bats|bat|tools|crowbars?|petrol|matches|knives|knife|hammers?)(?= ?(?:$|[.!,;]| and\b(?! forks?\b)| with\b))))", 0.8, "incitement to violence", figure_guard=True),
)  # fmt: skip

# Menace a careful moderator reads without a verb of violence, and violence in the words people
# actually use for it: the outcome foretold ("carried out of that chamber in a box"), the blow
# named as a thing ("a brick in her face"), the reader's routine known ("I know your running
# route"), a visit that "won't be for a chat", the reader's own demand turned on them ("close
# the baths and we'll close you").
_BLOW = (
    r"(?:fist|fists|boot|brick|bricks|smack|punch|bat|bottle|glass|knife|blade|right hander|headbutt|hammer|crowbar)"
)
_SLANG_BEATING = (
    r"doing|pasting|shoeing|kicking|hiding|beating|battering|going over|seeing to|hammering|leathering|slap|smack"
    r"|kneecapping|glassing|bottling"
)
_SLANG_DONE = (
    r"merked|sparked|spark(?:ed)? out|wellied|leathered|battered|twatted|decked|lamped|chinned|banged out|knocked out cold"
    r"|bodied|shanked|stabbed|shot|jumped|done over|done in|filled in|kicked in|glassed|bottled|knifed|kneecapped"
    r"|rushed by|set on|boxed (?:in|off)(?! by (?:traffic|cars|the))|dropped(?! (?:off|from|by|at|as|to|in|out|like"
    rf"|for|into|onto|down|back)\b)|(?:an? )?(?:proper |good |right |real )?(?:{_SLANG_BEATING})"
)
_STAFF = (
    rf"(?:{FAMILY}|caseworker|case worker|office staff|office manager|press officer|assistant|secretary|agent|team"
    r"|researcher|volunteers?)"
)
_VEILED: tuple[_Pattern, ...] = (
    _p(
        rf"\b(?P<q>(?:{YOU}(?:'ll|ll| will| are going to|'re going to|'re gonna| are gonna| gonna)|{YOU}(?:'re| are)"
        r"|(?:he|she|they)(?:'ll| will|'s going to| is going to|'re going to| are going to))"
        r" (?:\w+ ){0,6}?(?:(?:carried|leav\w*|wheeled|taken|going|coming|come|go|sent) (?:\w+ ){0,5}?(?:in a (?:box"
        r"|wooden box|body bag|coffin|bag)|on a stretcher|feet first)|in a (?:body bag|coffin|wooden box)"
        r"|six f(?:ee|oo)t under|joining (?:her|him|them)(?= ?(?:$|[.!?]))))",
        0.9,
        "harm foretold",
        figure_guard=True,
        traffic_guard=True,
    ),
    # "I am going to come to your house and hurt your family", "gonna wait till it empties then ..."
    _p(
        r"(?P<q>(?:i'll|i will|i'm going to|im going to|i am going to|i'm gonna|im gonna|i am gonna|gonna|going to"
        r"|we'll|we will|we're going to|we are going to|we're gonna)(?: \w+){1,8}? (?:and|then|and then)"
        r" (?:i'll |i will |we'll |we will )?(?:hurt|batter|stab|kill|shoot|smash|kick|beat|knife|glass|deck|punch"
        rf"|slap|lamp|leather|shank|bang|drop|chin|nut|torch|burn) (?:{TARGET}|that (?:mp|cllr|councillor)))\b",
        0.92,
        "direct threat",
        after_guard=True,
        figure_guard=True,
    ),
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:{VIOLENT}|wring) (?:that|this|the) (?:mp|cllr|councillor|mayor"
        r"|(?:council )?leader|minister|traitor|prick|bitch|bastard|cow)\b)",
        0.9,
        "direct threat",
        after_guard=True,
        figure_guard=True,
    ),
    _p(rf"(?P<q>wring (?:{TPOS}|their) (?:\w+ )?necks?)", 0.85, "direct threat", figure_guard=True),
    _p(rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>bang {TARGET} out)\b", 0.9, "direct threat", figure_guard=True),
    _p(
        rf"(?P<q>(?:{SUBJECT_MODAL}|gonna)[^.!?]{{0,60}}\b(?:{YOU}|him|her|them)\b[^.!?]{{0,40}}"
        r"with (?:my|our|me) (?:fists|boots|bare hands|fist))",
        0.9,
        "direct threat",
    ),
    # The blow as a thing: "you're getting a smack in the mouth", "gets my fist in his mouth".
    # Not the idioms "a kick in the teeth" and "a slap in the face".
    _p(
        r"(?P<q>(?:get|gets|getting|got)(?: \w+)? (?:a |my |me |our |his )?"
        rf"{_BLOW} (?:in|round|across|through|to) (?:(?:the|me|my) (?:mouth|gob|head|chops|kisser)"
        rf"|(?:her|his|their|{YOUR}) (?:\w+ )?(?:mouth|face|gob|head|teeth|jaw|nose|skull|chops|kisser|ribs)))",
        0.9,
        "direct threat",
        figure_guard=True,
    ),
    _p(
        rf"(?P<q>(?:{YOU}|he|she|they|him|her|them|every \w+|all (?:the |of )?\w+|{NAMED_GROUP})(?:'re| are|'s| is)"
        r" (?:getting|going to get|gonna get|about to get) (?:a |an )?(?:good )?(?:slap|smack|kicking|beating|hiding"
        r"|battering|hammering|pasting|leathering|punch|glassing|bottling|dig|clip round the ear)\b(?! on the wrist))",
        0.85,
        "direct threat",
        figure_guard=True,
    ),
    # Property foretold: "your constituency office will be ashes by Monday", "and you with it".
    _p(
        rf"(?P<q>{YOUR} (?:\w+ ){{0,2}}?(?:office|house|home|car|surgery|shop|windows|front door|place|gaff|van)"
        r"(?: will be|'ll be| is going to be| are going to be| gets| get| is getting)(?: \w+)?"
        r" (?:ashes|rubble|a pile of ashes|burnt out|burned out|burnt down|burned down|torched|firebombed"
        r"|petrol bombed|it(?= ?(?:$|[.!,;]))))",
        0.85,
        "threat to property",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:burnt|burned|torched|firebombed|petrol bombed|blown up|up in flames|burns? down|burnt out"
        r"|burned out)\b[^.!?]{0,20}?(?:and you with it|with you (?:in it|inside)|you in it|you inside))",
        0.95,
        "threat to property and life",
    ),
    _p(
        r"(?P<q>(?:windows?|car|house|tyres|office|shop|van)(?: windows)? (?:will|'ll|would) be the least of"
        r" (?:your|his|her|their) (?:worries|problems))",
        0.85,
        "veiled threat",
    ),
    _p(
        r"(?P<q>(?:windows|car|house|office|shop|door|tyres)s? first,? (?:then|and then|next) (?:you|them|him|her)\b)",
        0.9,
        "veiled threat",
    ),
    _p(
        r"(?P<q>(?:petrol bomb|molotov|firebomb|brick through \w+ \w+|bullet|knife|acid)[^.!?]{0,30}"
        r"(?:get|grab|have|catch) (?:your|their|his|her) attention)",
        0.9,
        "veiled threat",
    ),
    # Someone close warned: "tell your husband to lock the back gate tonight", "your caseworker
    # Sophie better watch herself in the car park". Not "careful not to" or a warning about roads.
    _p(
        rf"(?P<q>{YOUR} (?:\w+ ){{0,2}}?{_STAFF}(?: \w+)?,? (?:she |he |they )?(?:better|had better|'d better"
        r"|should|wants? to|needs? to|ought to|might want to)(?: be)? (?:very |extra |really )?(?:careful"
        r"|watch (?:herself|himself|themselves|out|(?:her|his|their) backs?)|lock (?:the|their|your|her|his)"
        r" (?:\w+ )?(?:doors?|gate|windows))\b)(?! not\b| what\b| about\b| with (?:the|their) (?:money|budget))",
        0.85,
        "veiled threat against someone close",
        figure_guard=True,
        traffic_guard=True,
    ),
    _p(
        rf"(?P<q>tell {YOUR} (?:\w+ ){{0,2}}?{_STAFF}(?: \w+)? to (?:lock (?:the|their|your|her|his) (?:\w+ )?(?:doors?"
        r"|gate|windows)|watch (?:herself|himself|themselves|(?:her|his|their) backs?)|be (?:very |extra )?careful"
        r" (?:tonight|walking|leaving|after dark|at night|on (?:her|his|their) own)))"
        r"(?![^.!?]{0,60}\b(?:burglar\w*|break-?ins?|thie\w*|storm|wind|gales?|police said))",
        0.85,
        "veiled threat against someone close",
        figure_guard=True,
        traffic_guard=True,
    ),
    _p(
        r"(?P<q>(?:cllr|councillor|the mp|the mayor|the leader|the council leader) (?:\w+ )?(?:should|had better"
        r"|'d better|better|wants to|might want to) be (?:very |extra |really )?careful (?:opening|walking|leaving"
        r"|going|who|where)\b)",
        0.8,
        "veiled threat",
        figure_guard=True,
        traffic_guard=True,
    ),
    _p(
        r"(?P<q>(?:lock (?:your|ur|the) (?:back |front )?(?:gate|windows|doors?)|keep (?:your|ur) (?:doors|windows|gate)"
        r" locked) tonight)(?![^.!?]{0,60}\b(?:burglar\w*|break-?ins?|thie\w*|storm|wind|gales?|police said))",
        0.75,
        "veiled threat",
    ),
    # A visit that "won't be for a chat"; "not a social one"; "a surprise for you. You won't enjoy it."
    _p(
        r"(?:visit|outside|turn(?:s|ing)? up|doorstep|letterbox|coming|calling|call|round|see (?:you|ya)|waiting|be (?:at|stood"
        r"|standing)|paying)\b(?:[^.!?]|[.!?,;]+ ){0,120}?[.!?,;]* (?:and )?(?P<q>(?:it|that|this|they|he|she|we|i)(?:'s| is)?"
        r" (?:won't|will not|wont|isn't|is not|ain't|'ll not|won't be|will not be)(?: be)? (?:for |holding |carrying"
        r" |bringing )?(?:a |an |any )?(?:chat|natter|social|friendly|petition|leaflets?|placards?|cup of tea|cuppa"
        r"|christmas card|birthday card|hug|flowers|polite|clapping|cheering|waving|to (?:talk|chat|donate|pray|cheer"
        r"|clap|welcome|say hello))\b)(?![^.!?]{0,20}\b(?:if|unless|until)\b)",
        0.85,
        "veiled threat",
    ),
    _p(
        r"(?:visit|visiting|visitors?|word with|call on|calling on|company|door to door|door-to-door|coming|turn up)\b"
        r"[^.!?]{0,60}[.!?,;]* (?:and )?(?P<q>not (?:a |the )?(?:social|friendly|polite|nice|good|leafleting|canvassing)"
        r" (?:one|call|visit|kind|sort|type)\b)",
        0.85,
        "veiled threat",
    ),
    _p(
        rf"(?P<q>surprise (?:for|waiting for) {YOU}\b[^.!?]{{0,30}}[.!?,;]* {YOU} (?:won't|will not|wont) (?:enjoy"
        r"|like|forget) (?:it|this))",
        0.85,
        "veiled threat",
    ),
    # The reader's demand turned on them: "close the swimming baths and we'll close you".
    _p(
        r"\b(?P<q>(?P<v>close|shut|cut|fix|axe|scrap|bin|ruin|destroy|finish|end|stop|bulldoze|flatten|demolish"
        r"|take down|knock down)\b[^.!?]{0,50}?\b(?:and|or) (?:we|i)(?:'ll| will|'re going to| are going to)?"
        r" (?P=v) (?:you|ya|u)\b)",
        0.8,
        "conditional threat",
        after_guard=True,
        figure_guard=True,
    ),
    _p(
        r"(?P<q>\bif (?:the|that|this|our|my) (?:\w+ ){1,3}?(?:goes|closes|shuts|dies|burns|falls|disappears),?"
        r" (?:then )?so (?:do|will) (?:you|ya|u))\b",
        0.8,
        "conditional threat",
        figure_guard=True,
    ),
    _p(
        rf"{SUBJECT_MODAL}(?: \w+){{0,2}}? (?P<q>(?:stop|end|silence|shut|finish|sort|remove|deal with) (?:{YOU}|him|her"
        r"|them|that (?:councillor|cllr|mp|mayor|woman|man|bloke))(?: up| out)?[.!,]* (?:permanently|for good|forever))\b",
        0.85,
        "direct threat",
        figure_guard=True,
    ),
    # Against a group: "the fire escape won't save you", "no Roma kid walks to St Peter's in one
    # piece again", "is fair game from tonight", "enjoy your first and last week".
    _p(
        r"(?P<q>(?:fire escape|police|locks?|fence|guards?|security|cameras?|panic button|bodyguards?|door|protection"
        r"|gods?|allah|prayers?) (?:won't|will not|wont|can't|cannot|isn't going to|ain't gonna) (?:save|protect"
        r"|help) (?:you|them|him|her|ya))",
        0.85,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        rf"(?P<q>(?:no|not one|not a single|none of (?:the|them|those|you)) (?:\w+ ){{0,2}}?(?:kid|child|lad|girl|boy"
        rf"|man|woman|one|person|family|muslim|jew|sikh|hindu|gay|lesbian|immigrant|migrant|refugee|{NAMED_GROUP})s?"
        rf" (?:\S+ ){{0,6}}?in one piece"
        rf"|(?:{YOU}|they|he|she) (?:won't|will not|wont|aren't going to|are not going to)(?: \w+){{1,5}}? in one piece)",
        0.85,
        "veiled threat",
        figure_guard=True,
        traffic_guard=True,
    ),
    _p(
        rf"(?P<q>(?:{NAMED_GROUP}|any \w+|every \w+)(?: \S+){{0,8}}? (?:is|are|'re) (?:now |officially )?fair game)\b"
        r"(?! for| to (?:criticise|criticize|mock|question|challenge))",
        0.8,
        "veiled threat",
    ),
    _p(r"(?P<q>(?:enjoy|welcome to) (?:your|their) first and last (?:week|night|day|month))", 0.85, "veiled threat"),
    _p(
        r"(?P<q>six f(?:ee|oo)t under (?:it|there|the \w+)\b|(?:put|putting|bury|burying|see|want|have) (?:you|them"
        r"|him|her|'em|em|the lot|every \w+|all (?:the )?\w+)(?: \w+){0,3}? six f(?:ee|oo)t under)",
        0.85,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:seen|heard|remember|know) what happened to (?:the last|that|the other)\b[^.!?]{0,60}[.!?]*"
        r" (?:don't make us|it could happen|could happen (?:here|again|to you)|it'll happen|same thing|you're next))",
        0.85,
        "veiled threat",
    ),
    _p(
        r"(?P<q>petrol\b(?:[^.!?]|[.!?] ){0,60}\b(?:sleep (?:well|tight)|night night|sweet dreams|tick tock))",
        0.85,
        "veiled threat",
    ),
    _p(
        r"(?P<q>(?:sleep (?:tight|well)|enjoy (?:it|yourself|your \w+)|make the most of it)\b[^.!?]{0,20}[.!?,]*"
        r" (?:while (?:you|ya|u|they) (?:still )?can|for now)\b)",
        0.8,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:make sure|making sure|see to it|ensure)[^.!?]{0,60}too (?:scared|frightened|afraid|terrified)"
        r" to (?:leave|step out of|go out of|walk out of|go out|walk home))",
        0.85,
        "veiled threat",
    ),
    _p(
        r"(?P<q>see (?:what|how)[^.!?]{0,30}(?:do|fare|get on|cope|manage) against (?:\w+ )?(?:of us|of my mates"
        r"|of the lads|the lads|us))",
        0.8,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:think|reckon|feel) (?:they're|you're|they are|you are|he's|she's) safe\b[^.!?]{0,40}[.!?,]*"
        r" (?:well,? )?(?:they|you|he|she) (?:won't|will not|wont|aren't|are not)(?: be)?(?: for long| safe)?)",
        0.85,
        "veiled threat",
        figure_guard=True,
    ),
    _p(r"(?P<q>\b(?:jo cox|amess)(?:'d|ed)\b|do a (?:jo cox|david amess|amess) on)", 0.95, "names a murdered MP"),
    _p(
        rf"(?P<q>(?:want|love|like|wanna|hope|can't wait|cant wait|long) to see (?:{TARGET}|{NAMED_GROUP}|every \w+|all"
        r" (?:the )?\w+|the lot of them|(?:the|that|this) (?:council |party )?(?:mp|councillor|cllr|mayor|leader|traitor)s?)"
        r" (?:\w+ )?(?:hanging|swinging|burning|dead|dying|bleeding|in body bags|in coffins|strung up|lined up"
        r"|shot|hanged|hung|gassed|lynched|on fire)\b)",
        0.9,
        "wished harm",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:make sure|see to it|ensure) (?:that )?(?:every|all|each|the|those|these) (?:\w+ ){0,4}?(?:suffer|suffers"
        r"|bleed|bleeds|die|dies|pay with|pays with|gets? hurt|burn|burns))\b",
        0.85,
        "direct threat",
        figure_guard=True,
    ),
    # The reader's smile, safety, time or insurance, in the words of menace.
    _p(
        r"(?P<q>(?:won't|will not|wont) be (?:smiling|laughing|so (?:smug|brave|cocky|gobby|clever|confident))\b"
        r"[^.!?]{0,30}when (?:there's no (?:security|police|bodyguard|protection)|(?:we|i|the lads|they) (?:come knocking"
        r"|come for (?:you|ya)|come round|catch (?:you|ya)|find (?:you|ya)|get (?:you|hold of you)|turn up at (?:yours"
        r"|your))))",
        0.85,
        "veiled threat",
    ),
    _p(
        r"(?P<q>(?:your time's up|your time is up|you're finished|you're done)\b[^.!?]{0,30}[.!?,]* in more ways than"
        r" one)",
        0.85,
        "veiled threat",
    ),
    _p(
        r"(?P<q>\bmaybe (?:your|ur) last (?:christmas|summer|birthday|year|week|day|everything|anything))(?= ?(?:$|[.!?]))",
        0.85,
        "veiled threat",
    ),
    _p(
        r"(?P<q>(?:hope|better make sure|check) (?:you've got|you have|you got|your) (?:\w+ ){0,3}?insurance\b[^.!?]{0,40}"
        r"(?:[.!?] )?(?:you're going to|you are going to|you'll|you might|you may|you will|you're gonna) need it)",
        0.85,
        "veiled threat",
        traffic_guard=True,
    ),
    _p(
        r"(?P<q>(?:you'll|you will|you're going to|you'd) need (?:a lot )?more than (?:a |your |the )?(?:ring doorbell"
        r"|doorbell|camera|cctv|locks?|alarm|panic (?:button|alarm)|police|security|bodyguards?))",
        0.85,
        "veiled threat",
    ),
    _p(r"(?P<q>scrap(?:e|ing) (?:bits of )?(?:you|him|her|them) (?:up )?off)", 0.9, "threat of harm"),
    _p(
        r"(?P<q>pay for (?:this|that|it) with (?:a lot )?more than (?:your|his|her) (?:seat|job|career|majority))",
        0.85,
        "veiled threat",
    ),
    _p(
        r"(?P<q>next time (?:it'll|it will|it's going to|it is going to) be (?:the |your )(?:front door|house|car|office"
        r"|windows?|you|kids|family|wife|husband))(?= ?(?:$|[.!?]))",
        0.85,
        "veiled threat",
    ),
    _p(
        rf"(?P<q>(?:pray|hope|wish)\w* (?:that )?(?:someone|somebody|some \w+)(?: \w+)? (?:puts?|put) (?:{TARGET}|that"
        r" \w+) (?:in the ground|in a box|six feet under|in hospital|in a coffin|in a wheelchair))",
        0.9,
        "wished harm",
    ),
    _p(
        r"(?P<q>(?:leave|leaving|go home|going home|carried out|come out|coming out|sent back|sending them back)"
        r" (?:\S+ ){0,4}?(?:on stretchers|in ambulances|in body bags|in coffins|in boxes))",
        0.9,
        "threat of harm",
        figure_guard=True,
    ),
    # Menace against a group, in the stock phrases for it.
    _p(
        r"(?P<q>(?:time for|need|needs|want|wants|bring back|another|a good old(?: fashioned)?|a proper)"
        r" (?:a |an |another |some )?(?:kristallnacht|pogrom|night of the long knives|final solution|lynch mob))",
        0.9,
        "incitement to violence",
    ),
    _p(
        rf"(?P<q>(?:{NAMED_GROUP}|every \w+|any \w+)[^.!?]{{0,40}}(?:need|needs|deserve|deserves|want|wants|will|'ll"
        r"|are going to|are gonna|gonna|should|ought to)(?: to)? be (?:taught|given) a (?:\w+ )?lesson)",
        0.8,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>god help (?:whoever|anyone|anybody|them|those|the \w+)(?:'s| is| who(?:'s| is)?| that's)?"
        r" (?:inside|in there|in it|in the building))",
        0.9,
        "veiled threat",
    ),
    _p(
        r"(?P<q>even if it (?:takes|means|comes to) (?:violence|force|bloodshed|a war|blood|a fight|burning \w+ down))",
        0.85,
        "incitement to violence",
    ),
    _p(
        r"(?P<q>make sure (?:no|not one|none of the|not a single) (?:\w+ ){0,2}?(?:feels?|is|are|will feel) (?:ever )?"
        r"(?:safe|welcome))",
        0.85,
        "veiled threat",
    ),
    _p(
        rf"(?P<q>(?:{NAMED_GROUP}|they|them)[^.!?]{{0,60}}(?:are|is|'re) (?:living )?on borrowed time)",
        0.8,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:find out|see|learn|show (?:them|you)) how welcome (?:you|they|them) (?:are|really are|really)\b)"
        r"(?=[^.!?]{0,40}(?:round here|here|soon|after dark|on (?:our|this|the) estate|down \w+ \w+ after))",
        0.85,
        "veiled threat",
    ),
    _p(
        r"(?P<q>\b(?:leave|go|move|get out|pack up)(?: \w+){0,3}? or (?:be made to|get made to|we'll make (?:you|them)"
        r"|we will make (?:you|them)|we'll help (?:you|them)|get helped))\b",
        0.85,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:won't|will not|wont|aren't going to) (?:enjoy|like|forget) the (?:welcome|reception|surprise|party"
        r"|welcome party|welcome committee)\b)(?=[^.!?]{0,40}\b(?:we've|we have|we're|we are|the lads|i've|i have|we)"
        r" (?:got )?(?:planned|planning|organised|organising|ready|lined up|got))",
        0.85,
        "veiled threat",
    ),
    _p(
        rf"(?P<q>(?:{NAMED_GROUP}|(?:the|that|their) (?:\w+ )?(?:mosque|synagogue|school|hotel|temple|gurdwara|church"
        r"|centre|camp|site|shop|hostel))[^.!?]{0,40}(?:gets?|getting|got) what(?:'s| is) coming)",
        0.8,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:won't|will not|wont|isn't going to|aren't going to) (?:last|survive|see|be (?:here|there|open"
        r"|around|standing))\b[^.!?]{0,40}[.!?,]* (?:we'll|we will|i'll|i will|the lads will|my lads will|we're"
        r" going to) (?:see to (?:it|that)|make sure(?: of (?:it|that))?))",
        0.85,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:see|watch) how long (?:it|they|he|she|you|the \w+)(?: \w+)? (?:stays? standing|lasts? (?:round"
        r" here|on (?:this|our) estate|in this town|here)))",
        0.85,
        "veiled threat",
    ),
    _p(
        rf"(?:{NAMED_GROUP}|march|parade|rally|vigil|mosque|synagogue|gurdwara|temple|hotel|camp)\b[^!]{{0,80}}"
        r"(?P<q>good luck (?:getting|walking|making it|going) (?:\w+ ){0,3}?(?:home|back|out) in one piece)",
        0.8,
        "veiled threat",
        figure_guard=True,
        traffic_guard=True,
    ),
    _p(
        r"(?P<q>a few (?:broken windows|bricks|cracked heads|bloody noses|black eyes|broken noses|beatings|kickings"
        r"|petrol bombs|fires))\b(?=[^.!?]{0,60}(?:would|'d|will|is what|and (?:they|that)|soon get|sort|teach"
        r"|get the message))",
        0.8,
        "incitement to violence",
        figure_guard=True,
    ),
    _p(
        rf"(?P<q>{NAMED_GROUP}[^.!?]{{0,60}}(?:need to|needs to|had better|'d better|better|should|want to|wants to"
        r"|ought to) watch (?:themselves|their backs?))",
        0.85,
        "veiled threat",
    ),
    _p(
        rf"(?P<q>{NAMED_GROUP}[^.!?]{{0,60}}(?:are|is|'re) (?:just |now |really )?asking for it)\b",
        0.75,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        rf"(?P<q>{NAMED_GROUP}[^.!?]{{0,60}}(?:will|'ll|gonna|are going to) get sorted(?: out)?)\b",
        0.8,
        "veiled threat",
        figure_guard=True,
    ),
    # Advice to a group that is menace: "should start taking taxis. that's all I'm saying".
    _p(
        rf"(?P<q>{NAMED_GROUP}[^.!?]{{0,60}}(?:should|better|had better|'d better|want to|might want to|need to"
        r"|ought to) (?:think (?:about|twice)|start|be careful|stay|keep|lock)[^.!?]{0,60}(?:[.!?] )?(?:just (?:advice"
        r"|saying|a thought)|that's all i'm saying|people talk|from now on|after dark|we're in groups|you've been"
        r" warned|while they can))",
        0.85,
        "veiled threat",
        traffic_guard=True,
    ),
    _p(
        r"(?P<q>(?:going home|leave|leaving|go back|pack up|get out)[^.!?]{0,20}before (?:we|i|the lads|someone)"
        r" (?:help|make|send|put|force) (?:them|you|him|her))\b",
        0.85,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:deserve|deserves|need|needs) a (?:shove|push|nudge) (?:under|in front of|off) (?:a|the) (?:bus"
        r"|train|lorry|cliff|bridge|pier))",
        0.85,
        "wished harm",
    ),
    _p(
        r"(?P<q>the same as (?:that|the) (?:mp|councillor|cllr) (?:in|from|at|over in) (?:leigh-on-sea|leigh on sea"
        r"|birstall|southend|batley))",
        0.9,
        "names a murdered MP",
    ),
    _p(r"(?P<q>might be (?:your|ur) last (?:everything|anything|day|breath))", 0.85, "veiled threat"),
    _p(
        r"(?:^|[.!?,] )(?:and )?(?P<q>no witnesses(?= ?(?:$|[.!?]))|nobody would hear a thing|no one would hear"
        r" (?:a thing|you scream))",
        0.8,
        "veiled threat",
    ),
    # A dare to be somewhere alone; harm reckoned against the police's arrival.
    _p(
        r"(?:alone|on your own|after dark|at night|round here|down here|on (?:this|our|the) estate)\b[^.!?]{0,60}"
        r"[.!?,]* (?:go on[.!,]* )?(?P<q>i (?:dare|double dare) (?:you|ya|u))\b",
        0.85,
        "veiled threat",
        figure_guard=True,
    ),
    _p(
        r"(?P<q>(?:take out|kill|stab|shoot|knife|batter)\b[^.!?]{0,40}before the (?:police|cops|feds|old bill"
        r"|coppers) (?:turn|arrive|get|got|show|come|came)\w*)",
        0.9,
        "direct threat",
    ),
    # Violence in British slang: "you'll get merked", "you're getting sparked", "a proper pasting".
    _p(
        rf"(?P<q>(?:{YOU}|he|she|they|him|her|them|that (?:mp|cllr|councillor|\w+))(?:'re| are| is|'s|'ll| will)?"
        rf" (?:getting|gonna get|going to get|get|gets|about to get)(?: (?:proper|properly|well|fucking|absolutely))?"
        rf" (?:{_SLANG_DONE}))",
        0.9,
        "direct threat",
        figure_guard=True,
        traffic_guard=True,
    ),
    _p(
        rf"(?P<q>(?:give|giving|gave|gives) (?:{TARGET}|that (?:\w+ )?\w+|the (?:\w+ ){{0,3}}?(?:leader|councillor|cllr|mp"
        rf"|mayor|member|officer))(?: \w+)? an? (?:proper |good |right |real |bloody )?(?:{_SLANG_BEATING}))\b",
        0.85,
        "direct threat",
        figure_guard=True,
    ),
    _p(
        rf"{SUBJECT_MODAL}{ADVERBS} (?P<q>(?:put|send|throw|chuck|drag) (?:{TARGET}|that (?:mp|cllr|councillor|woman"
        r"|man|bloke)|the (?:council leader|leader|mp|councillor)) (?:\w+ )?(?:in the ground|through (?:the|a|your)"
        r" (?:hedge|window|wall|door|windscreen)|in (?:hospital|a wheelchair|intensive care|a coma)))",
        0.9,
        "direct threat",
        figure_guard=True,
    ),
    _p(
        rf"(?:{SUBJECT_MODAL}|\b(?:i'm|im|i am|we're|we are)){ADVERBS} (?P<q>(?:chinning|decking|lamping|leathering"
        r"|twatting|battering|sparking|merking|shanking|glassing|bottling|stabbing|knifing|dropping|flooring"
        r"|nutting|headbutting|wellying|kneecapping) (?:him|her|them|you|that \w+|the \w+))\b",
        0.9,
        "direct threat",
        after_guard=True,
        figure_guard=True,
    ),
    _p(
        rf"\b(?:i'll|i will|we'll|we will) (?P<q>have (?:{YOU}|him|her))(?= ?(?:$|[.!,;]|proper|properly|for (?:this"
        r"|that)|one day|(?:you|ya) \w+))",
        0.8,
        "direct threat",
        figure_guard=True,
    ),
    _p(
        rf"(?P<q>(?:split|crack|cave|stove|open) {TPOS} (?:\w+ )?(?:head|skull|face) (?:open|in)"
        rf"|set (?:the |my |me )?dogs? on {TARGET}"
        rf"|(?:cut|cutting|snip|snipping|mess with|tamper with) (?:the )?brake(?: line)?s (?:on|of) {TPOS} (?:\w+ )?car"
        rf"|(?:a )?bullet with {TPOS} name on it|bring a gum ?shield|(?:throttle|strangle) (?:{TARGET}|that \w+)"
        rf" with (?:\w+ )?(?:own )?(?:lanyard|tie|scarf|bare hands)|on (?:your|ur) way out,? (?:\w+,? )?feet first)",
        0.9,
        "direct threat",
        figure_guard=True,
    ),
    _p(
        rf"(?P<q>{YOUR} (?:\w+ )?(?:windows|windscreen|front door|door)(?:'s| is| are) (?:going|getting|coming) in"
        rf"|{YOUR} (?:\w+ )?(?:car|van|house|office)(?:'s| is) getting (?:keyed|torched|smashed|done over|bricked"
        rf"|burnt|burned)|(?:do|doing|turn|turning) {TPOS} (?:\w+ )?(?:office|house|home|place|shop|car) over"
        rf"|(?:pile|heap) of (?:ash|ashes|rubble) by)",
        0.85,
        "threat to property",
        figure_guard=True,
    ),
)
_PATTERNS = _PATTERNS + _IMPLIED + _VEILED

_PATTERN_SET = PatternSet((p.regex, p) for p in _PATTERNS)


# The joke told in the shape of a veiled threat gives itself away with something concrete and kind:
# "you'll get what's coming to you: a thank you card", "we know where you live, pop round for a
# cuppa". Only the weaker readings (below 0.9) give way to it, never with a weapon or a word of
# violence in the reply, and never when the kind thing is denied ("and it won't be a petition").
_KIND_REVEAL = re.compile(
    r"\b(?:cuppa|cup of tea|flasks? of tea|bbq|barbecue|street party|surprise party|birthday party|award|brownies"
    r"|biscuits|petition|survey forms?|placards|peaceful protest|congratulations|well deserved|best speech|gazebo"
    r"|pantomime|parking ticket|signed copy|thank you card|thank-you card|signatures|banners|leaflets)\b"
)
_DENIED_BEFORE = re.compile(r"(?:\bnot|n't|\bno|\bnever|\bnor|\binstead of|\brather than)\b(?:\W+\w+){0,3}\W*$")
_WEAPON_OR_VIOLENCE = re.compile(
    rf"\b(?:{VIOLENT}|bats?|knife|knives|petrol|acid|bricks?|guns?|hammers?|crowbars?|machetes?|axes?|fire|blood)\b"
)


def _a_joke(s: str, cues: list[Cue]) -> bool:
    if not cues or max(c.score for c in cues) >= 0.9 or _WEAPON_OR_VIOLENCE.search(s):
        return False
    return any(not _DENIED_BEFORE.search(s[max(0, m.start() - 30) : m.start()]) for m in _KIND_REVEAL.finditer(s))


# "At" excuses a contest ("beat you at the ballot box", "murder you at darts"), never a weapon:
# "I'll glass you at the next ward meeting".
_WEAPON_WORK = re.compile(r"\b(?:glass|bottl|stab|knif|shank|shoot|acid|strangl|slit|behead|lynch)")


_PAUSE = re.compile(r"^(?: ?(?:\.{2,}|\u2026|-+|\u2013|\u2014))+")


# "Out" ousts ("kick you out in May", "vote you out"), but a blow knocks out cold ("I'll knock you
# out"), unless it is out of a race or the park.
_BLOW = re.compile(r"\b(?:knock|deck|spark|lamp|punch|smack|chin|floor)")
_OUT_OF_A_RACE = re.compile(r"^ ?out of (?:the |this |that )?(?:race|running|contest|election|office|park|competition)")


def not_violence_after(quoted: str, after: str) -> bool:
    """The words after a figure of violence make it a message, a contest or an ousting, not a blow,
    also after a pause for effect ("I'll hunt you down... at the ballot box")."""
    after = _PAUSE.sub("", after, count=1)
    found = NOT_VIOLENCE_AFTER.search(after)
    if found is None:
        return False
    word = found.group().split()[0]
    if word == "at":
        return not _WEAPON_WORK.search(quoted)
    if word == "out" and _BLOW.search(quoted):
        return bool(_OUT_OF_A_RACE.search(after))
    return True


def detect(doc: Document) -> list[Cue]:
    cues = _threat_cues(doc)
    return [] if _a_joke(doc.text, cues) else cues


def _threat_cues(doc: Document) -> list[Cue]:
    cues = _doxxing(doc) + _emoji_threat(doc)
    for view, (s, _) in enumerate(doc.views):
        for regex, pattern in _PATTERN_SET.candidates(s):
            for m in scan(regex, s):
                qa, qb = m.span("q") if m.groupdict().get("q") is not None else m.span()
                if pattern.after_guard and not_violence_after(s[qa:qb], s[qb : qb + 40]):
                    continue
                if pattern.figure_guard and (electoral(s, m.start(), m.end()) or contest(s, m.start(), m.end())):
                    continue
                if pattern.traffic_guard and TRAFFIC.search(s[max(0, m.start() - 60) : m.end() + 60]):
                    continue
                cues.append(Cue(2, "threat", pattern.score, "critical", f"{pattern.label}: {doc.cite(view, qa, qb)}"))
                break
    return cues
