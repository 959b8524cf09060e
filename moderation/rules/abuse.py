"""Rule 2 ``abuse`` and ``harassment``, and rule 1 ``incivility``.

The line this module draws: criticism of what a politician does ("useless decision", "resign",
"a disgrace") is nothing; insulting the person is rule 1; strong personal abuse is rule 2; and
intimidation (watching, following, sexual remarks, demands without end) is harassment. Insults
about third parties ("some idiot parked on the pavement") are not aimed at anyone in the debate.
"""

from __future__ import annotations

import re

from moderation.rules.context import addresses_reader, aim, mentioned_not_used
from moderation.rules.groups import said_by_a_third_party
from moderation.rules.normalise import Document
from moderation.rules.patterns import PatternSet, alternation, matches, phrase
from moderation.rules.verdict import Cue

# Strong personal abuse. Words that are also ordinary nouns ("vermin" in the bins, "filth" for
# the police, "rat") count only when pointed at someone.
_ABUSE_ALWAYS = alternation(
    "cunt|cunts|cunting|cunty|kunt|piece of shit|piece of crap|piece of filth|piece of garbage|piece of trash"
    "|piece of sh1t|scumbag|scumbags|scumbucket|lowlife|low life|low-life|waste of space|waste of oxygen"
    "|waste of skin|waste of air|waste of a human being|excuse for a human being|excuse of a human being"
    "|sorry excuse for a (?:man|woman|human|person|councillor)|subhuman|sub-human|nonce|paedo|pedo|kiddie fiddler"
    "|motherfucker|mother fucker|motherfuckers|shitbag|shitstain|dirtbag|son of a bitch|whore|whores|slut|sluts"
    "|slapper|skank|rot in hell|burn in hell"
)
_ABUSE_AIMED = alternation(
    "scum|vermin|filth|parasite|parasites|leech|cockroach|rat|snake|degenerate|bitch|slag|pig|swine"
)
_ABUSE_RE = phrase(rf"\b(?P<q>{_ABUSE_ALWAYS})\b")
_ABUSE_AIMED_RE = phrase(
    rf"\b(?P<q>{_ABUSE_AIMED})\b(?! (?:off|about|heap|heaps|ing|control|problem|infestation|catcher))"
)
_PARTY_ABUSE_RE = phrase(
    r"\b(?P<q>(?:tory|tories|labour|lib ?dem|libdem|reform|green|snp|ukip|conservative|council|lefty|leftie|commie"
    r"|woke)"
    r" (?:scum|vermin|filth|parasites?|rats?|scumbags?|traitors? scum))\b"
)

# Rule 1: insults. Nouns that are also names or objects ("dick", "knob", "a clown costume", the Muppets)
# only count when pointed at someone; the rest count unless plainly about a third party.
_INSULTS = alternation(
    "idiot|idiots|moron|morons|plonker|plonkers|pillock|pillocks|numpty|numpties|numbskull|prat|prats"
    "|twit|twits|dickhead|dickheads|knobhead|knobheads|knobend|bellend|bellends|tosser|tossers|wanker|wankers"
    "|wankstain|arsehole|arseholes|asshole|assholes|twat|twats|cretin|cretins|imbecile|imbeciles|halfwit|halfwits"
    "|dimwit|dimwits|nitwit|buffoon|buffoons|dunce|dipshit|dumbass|jackass|shithead|shitheads|fuckwit|fuckwits"
    "|fucktard|libtard|gobshite|bastard|bastards|prick|pricks"
    "|nutter|nutjob|loony|psycho|weirdo|creep|scrote|toerag|chav|gammon|snowflake|jobsworth"
)
_INSULTS_AIMED = alternation(
    "muppet|muppets|clown|clowns|clown show|clown car|circus act|weapon|dick|knob|fool|loser|losers|stupid|dumb"
    "|thick|braindead|brain dead|useless|pathetic|spineless|gutless"
    "|worthless|vile|ugly|fat pig|fat cow|fat slob|fat bastard|thick as mince|thick as shit|thick as two short planks"
    "|brain of a \\w+|clueless idiot"
)
_INSULT_RE = phrase(rf"\b(?P<q>{_INSULTS})\b")
_INSULT_AIMED_RE = phrase(
    rf"\b(?P<q>{_INSULTS_AIMED})\b(?! (?:decision|decisions|idea|ideas|policy|policies|plan|plans|scheme|service"
    rf"|services"
    r"|council|road|roads|bins?|question|questions|system|bus|buses|app|website|law|rule|rules|move|mistake|excuse"
    r"|design"
    r"|layout|proposal|consultation|cycle lanes?|lane|parking|traffic|decision-making|thing|things|of|to|about|at"
    r"|as)\b)"
)
_DISMISSALS_RE = phrase(
    r"\b(?P<q>shut up|shut it|shut your (?:mouth|face|gob|trap|hole|cakehole)|shut the fuck up|stfu|wind your neck in"
    r"|fuck off|f off|piss off|sod off|bugger off|naff off|get fucked|go fuck yourself|fuck you|fuck u|screw you"
    r"|up yours"
    r"|eat shit|go to hell|get in the sea|kiss my arse|kiss my ass|get to fuck|sit down and shut up"
    r"|nobody asked(?: you)?|oi"
    r"|(?:just |go and |why don't you )?(?:do one|jog on)(?= ?(?:$|[.!,])))\b"
)
_PROFANITY_RE = re.compile(r"\b(?P<q>fuck\w*|fck\w*|fuk\w*|shit\w*|shite|wank\w*|cunt\w*|bollocks|bullshit|twat\w*)\b")

# Harassment: intimidation short of a threat, sexual remarks, demands that won't stop.
_HARASSMENT: PatternSet[tuple[float, str, str]] = PatternSet(
    (phrase(p), (score, severity, label))
    for p, score, severity, label in (
        (r"\b(?:we're|we are|i'm|i am|we've been|i've been|people are|everyone is|we'll be|i'll be|we will be|i will be"
         r"|we're all|we are all|always)(?: always| all| now| still)? (?P<q>watching(?: (?:you|u|your every move"
         r"|where you go|everything you do))?)"
         r"\b(?! (?:the|it|this|that|how|closely|on|live|online|from|tv|out for|with interest|with|for)\b)",
         0.8, "high", "intimidation"),
        (r"(?P<q>(?:got|have|keeping) (?:our |my )?eyes on (?:you|u))", 0.75, "high", "intimidation"),
        (r"(?P<q>(?:every|each) move (?:you|u) make)", 0.7, "high", "intimidation"),
        (r"(?P<q>(?:you|u) can(?:'t|not) hide(?: from (?:me|us))?)", 0.75, "high", "intimidation"),
        (r"(?P<q>(?:i'm|i am|we're|we are) not going anywhere)", 0.55, "medium", "persistent contact"),
        (r"(?:i'll|i will|we'll|we will|gonna|going to) (?P<q>make (?:your|ur) life (?:a )?(?:hell|misery"
         r"|a living hell|unbearable))",
         0.85, "high", "intimidation"),
        (r"(?:i'll|i will|we'll|we will|i'm going to|i am going to|gonna)(?: just)? (?P<q>(?:make|create|open"
         r"|set up) (?:another|a new|new"
         r"|more|100 more|loads of) accounts?)", 0.7, "medium", "evading blocks"),
        (r"(?:i'll|i will|we'll|we will|i'm going to|gonna|going to) (?P<q>(?:be|turn up|show up|come|appear) (?:at"
         r"|outside|to) (?:every|each"
         r"|all (?:your|ur|the)) (?:meeting|surgery|event|door|street|place)s?)", 0.7, "high", "intimidation"),
        (r"(?P<q>outside every door (?:you|u))", 0.75, "high", "intimidation"),
        (r"(?:i'll|i will|we'll|we will|i'm going to|gonna|going to) (?P<q>(?:turn up|show up|come round|come over"
         r"|pop round|be|wait)"
         r"(?:\s\w+){0,2} (?:at|outside|on) (?:your|ur) (?:house|home|door|front door|doorstep|kids' school"
         r"|street))", 0.85, "high",
         "intimidation"),
        (r"(?:i'll|i will|we'll|we will|i'm going to|gonna|going to)(?: keep)? (?P<q>(?:ask|asking|message|messaging"
         r"|tag|tagging|email"
         r"|emailing|post|posting|call|calling|ring|ringing|text|texting|dm|dming|@ing|contact|contacting)(?: you"
         r"| u)? (?:every|each)"
         r" (?:hour|day|minute|week|morning|night|five minutes|single day))", 0.7, "medium", "repeated demands"),
        (r"(?:i|we)(?:'ll| will| won't| will not|'m not going to| am not going to)(?: keep"
         r"| stop)? (?P<q>(?:keep )?(?:asking|messaging"
         r"|tagging|emailing|posting|contacting|calling|texting|coming|stop)(?:\s\w+){0,3} (?:until|till|til"
         r"|untill) (?:you|u))", 0.65,
         "medium", "repeated demands"),
        (r"(?P<q>(?:i'm|i am|i've been|been) (?:thinking|dreaming) (?:about|of) (?:you|u) (?:tonight|in bed|at night"
         r"|all night|all day|naked))",
         0.6, "medium", "sexualised remarks"),
        (r"(?P<q>(?:nice|great|lovely|fit|massive|big|cracking|perky) (?:tits|boobs|knockers|arse|ass|rack|bum|jugs"
         r"|melons|legs|pins))", 0.85,
         "high", "sexualised remarks"),
        (r"(?P<q>(?:show|flash|get) (?:us |me )?(?:your|ur|them|those|a bit more|a bit of|some|more) (?:tits|boobs"
         r"|knockers|bum|arse|ass"
         r"|pussy|dick|cock|leg|legs|cleavage|skin)(?: out)?)", 0.85, "high", "sexualised remarks"),
        (r"(?P<q>send (?:me |us )?(?:nudes|pics of (?:you|yourself)|a pic of (?:you|yourself|your \w+)))", 0.85, "high",
         "sexualised remarks"),
        (r"(?P<q>(?:i'd|i would|i wanna|i want to|i'm going to|i'd love to|would love to|i'd happily) (?:fuck|shag"
         r"|bang|smash|do|ride"
         r"|bone|rail|pound|bend) (?:you|u|her|him))\b(?! (?:in|at) the (?:election|polls|debate))", 0.9, "high",
         "sexualised remarks"),
        (r"(?P<q>sit on my (?:face|lap|cock|dick)|suck my (?:dick|cock|balls)|blow ?job|hand ?job|give (?:me"
         r"|us) a (?:bj|blowjob|handjob))",
         0.85, "high", "sexualised remarks"),
        (r"(?P<q>(?:you're|you are|ur|u r|she's|she is) (?:so |well |dead |really |bloody )?(?:sexy|shaggable"
         r"|fuckable|doable|bangable"
         r"|fit as|hot stuff|a milf))", 0.75, "high", "sexualised remarks"),
        (r"(?P<q>what (?:are you|r u|you) wearing)", 0.65, "medium", "sexualised remarks"),
        (r"(?P<q>bet (?:you're|ur|you are|she's|she is) (?:good|great|a goer|filthy|dirty|wild"
         r"|a screamer) in bed)", 0.85, "high",
         "sexualised remarks"),
        (r"(?P<q>(?:bet|imagine) (?:you|u|she) (?:look|looks) (?:even )?(?:better|good|great|hot|sexy|fit) (?:without"
         r"|naked|with nothing|in"
         r" (?:a bikini|lingerie|your underwear|stockings)))", 0.8, "high", "sexualised remarks"),
        (r"(?P<q>(?:meet|see|get) (?:you|u) (?:somewhere|some place|someplace) (?:more )?(?:private|quiet"
         r"|alone))", 0.75, "high",
         "sexualised remarks"),
        (r"(?P<q>get (?:your|ur) (?:kit|clothes|knickers|bra|top) off)", 0.85, "high", "sexualised remarks"),
        (r"(?P<q>(?:bend|bent) (?:you|u|her) over)", 0.85, "high", "sexualised remarks"),
        (r"(?P<q>(?:i'm|im|i am) (?:wanking|touching myself|hard)(?: over| thinking about)? (?:you|your))", 0.9, "high",
         "sexualised remarks"),
    )
)  # fmt: skip
_DEMAND_RE = re.compile(
    r"\b(?:answer (?:me|the question|my question|my emails?|it)|reply to me|respond to me|why (?:are you|won't you"
    r"|wont you|aren't you|r u)"
    r" (?:ignoring|answering|replying|responding)|stop ignoring me|answer now)\b"
)
_SHOUT_MARKS_RE = re.compile(r"[!?]{2,}")


def _shouting(original: str) -> bool:
    upper = sum(map(str.isupper, original))
    if upper < 9:
        return False
    letters = sum(map(str.isalpha, original))
    return letters >= 12 and upper / letters >= 0.7


def detect(doc: Document) -> list[Cue]:
    cues: list[Cue] = []
    for view, (s, _) in enumerate(doc.views):
        cues.extend(_abuse(doc, view, s))
        cues.extend(_incivility(doc, view, s))
        cues.extend(_harassment(doc, view, s))
    cues.extend(_repetition(doc))
    return cues


def _abuse(doc: Document, view: int, s: str) -> list[Cue]:
    cues = []
    for m in matches(_ABUSE_RE, s):
        if mentioned_not_used(s, *m.span()):
            continue
        target = aim(s, *m.span())
        if target == "third_party":
            continue
        score = 0.9 if target == "aimed" else 0.7
        cues.append(Cue(2, "abuse", score, "high", f"personal abuse: {doc.cite(view, *m.span('q'))}"))
        break
    for regex in (_PARTY_ABUSE_RE, _ABUSE_AIMED_RE):
        for m in matches(regex, s):
            if mentioned_not_used(s, *m.span()):
                continue
            if regex is _ABUSE_AIMED_RE and aim(s, *m.span()) != "aimed":
                continue
            cues.append(Cue(2, "abuse", 0.85, "high", f"personal abuse: {doc.cite(view, *m.span('q'))}"))
            break
    return cues


def _incivility(doc: Document, view: int, s: str) -> list[Cue]:
    cues = []
    shouting = _shouting(doc.original)
    for regex, needs_aim in ((_INSULT_RE, False), (_INSULT_AIMED_RE, True)):
        for m in matches(regex, s):
            if mentioned_not_used(s, *m.span()) or _negated_insult(s, m.start()):
                continue
            # "He called you a spineless weasel, ignore him": the insult is reported, not made.
            if said_by_a_third_party(s, m.start()):
                continue
            target = aim(s, *m.span())
            if target == "third_party" or (needs_aim and target != "aimed"):
                continue
            score = 0.7 if target == "aimed" else 0.5
            reason = f"insult: {doc.cite(view, *m.span('q'))}"
            if shouting:
                score += 0.15
                reason += " (shouted in capitals)"
            cues.append(Cue(1, "incivility", score, "low", reason))
            break
    for m in matches(_DISMISSALS_RE, s):
        if mentioned_not_used(s, *m.span()):
            continue
        if m.group("q") in ("oi", "nobody asked") and not (shouting or addresses_reader(s, *m.span())):
            continue
        cues.append(Cue(1, "incivility", 0.7, "low", f"rude dismissal: {doc.cite(view, *m.span('q'))}"))
        break
    for m in matches(_PROFANITY_RE, s):
        if mentioned_not_used(s, *m.span()):
            continue
        # Swearing at the reader is discourteous; swearing about potholes is still strong language
        # on the politician's page (rule 1 asks for politeness), but it is the mildest flag there is.
        if addresses_reader(s, *m.span()):
            cues.append(
                Cue(1, "incivility", 0.5, "low", f"profanity aimed at the reader: {doc.cite(view, *m.span('q'))}")
            )
        else:
            cues.append(
                Cue(
                    1,
                    "incivility",
                    0.35,
                    "low",
                    f"strong language, not aimed at anyone: {doc.cite(view, *m.span('q'))}",
                )
            )
        break
    if shouting and addresses_reader(s, 0, len(s)) and len(_SHOUT_MARKS_RE.findall(doc.original)) >= 2:
        cues.append(Cue(1, "incivility", 0.45, "low", "shouting at the reader in capitals"))
    return cues


_NEGATED_INSULT_RE = re.compile(r"\b(?:not|never|n't|no)(?:\s\S+){0,2} ?(?:an? )?$")


def negated_insult(s: str) -> bool:
    """An insult in the reply is negated: "I'm not calling you an idiot"."""
    return any(
        _negated_insult(s, m.start()) for regex in (_INSULT_RE, _INSULT_AIMED_RE) for m in matches(regex, s)
    ) or bool(re.search(r"\b(?:not|never|n't)\b(?: \S+){0,3} (?:calling|call|saying|say) (?:you|u)\b", s))


def _negated_insult(s: str, start: int) -> bool:
    """ "You're not an idiot", "I'd never call you a muppet"."""
    return bool(_NEGATED_INSULT_RE.search(s[max(0, start - 30) : start]))


def _harassment(doc: Document, view: int, s: str) -> list[Cue]:
    cues = []
    for regex, (score, severity, label) in _HARASSMENT.candidates(s):
        m = regex.search(s)
        if m and not mentioned_not_used(s, *m.span()):
            cues.append(Cue(2, "harassment", score, severity, f"{label}: {doc.cite(view, *m.span('q'))}"))
    demands = _DEMAND_RE.findall(s)
    if len(demands) >= 3:
        cues.append(Cue(2, "harassment", 0.7, "medium", f'repeated demands ({len(demands)} times): "{demands[0]}"'))
    return cues


def _repetition(doc: Document) -> list[Cue]:
    """The same sentence three or more times in one reply is a demand that won't stop."""
    sentences = [part.strip() for part in re.split(r"[.!?\n]+", doc.text) if len(part.strip()) >= 8]
    if len(sentences) < 3:
        return []
    most = max(set(sentences), key=sentences.count)
    count = sentences.count(most)
    if count >= 3:
        return [Cue(2, "harassment", 0.6, "medium", f'repeats "{most[:60]}" {count} times')]
    return []
