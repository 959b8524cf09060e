"""Rule 3: discrimination against protected groups, in seven categories.

Four kinds of evidence: slurs; derogation of a group ("X are vermin", "X shouldn't be allowed
to ..."); exclusion ("go back to your own country", "send them back"); and identity-targeted
insults ("typical woman", "are you special needs?"). What must stay quiet: neutral or proud
mentions ("as a gay man I support this"), counter-speech that quotes hate to condemn it,
negations ("immigrants are not vermin"), homonyms ("a packet of fags", "Dyke Road") and
reclaimed self-reference ("us queers").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation.rules.context import aim, mentioned_not_used, negated, sentence_bounds
from moderation.rules.groups import FAMILY_MEMBER, GERUND_REPORTER
from moderation.rules.lexicon import ANY_GROUP, group_category
from moderation.rules.normalise import Document
from moderation.rules.patterns import PatternSet, alternation, matches, phrase, scan
from moderation.rules.verdict import Cue

CATEGORIES = ("racism", "sexism", "ageism", "ableism", "homophobia", "transphobia", "religion")


@dataclass(frozen=True)
class _Term:
    regex: re.Pattern
    category: str
    score: float
    label: str
    aimed_only: bool = False  # counts only when said to or about a person ("you cripple")
    reclaimable: bool = False  # fine in self-reference ("us queers", "as a dyke")
    homonym: re.Pattern | None = None  # context in which it means something else
    masked_or_aimed: bool = False  # ambiguous unless written masked or aimed ("f*gs", "you fag")

    def homonym_at(self, s: str, start: int, end: int) -> bool:
        """The words around s[start:end] give the term its other, innocent sense."""
        return self.homonym is not None and self.homonym.search(s[max(0, start - 25) : end + 25]) is not None


def _t(
    words: str, category: str, score: float, label: str = "slur", homonym: str | None = None, **flags: bool
) -> _Term:
    return _Term(
        phrase(rf"\b(?P<q>{alternation(words)})\b"), category, score, label,
        homonym=re.compile(homonym) if homonym else None, **flags,
    )  # fmt: skip


_TERMS: tuple[_Term, ...] = (
    # racism
    _t("nigger|niggers|nignog|nig nog|nig-nog|niglet|niggerish|sand nigger", "racism", 0.97),
    _t("nigga|niggas|niggaz|nigguh", "racism", 0.8, reclaimable=True),
    _t("paki|pakis|pakki|pakkis|paky|pakkie", "racism", 0.95, reclaimable=True),
    _t(
        "wog|wogs|golliwog|gollywog|golliwogs|sambo|sambos|jungle bunny|jungle bunnies|darkie|darkies|darky",
        "racism",
        0.92,
    ),
    _t(
        "coon|coons",
        "racism",
        0.9,
        homonym=r"coon cheese|maine coon|rac+oon|coon (?:tracks|hunt\w*|dogs?|hounds?|skin|out|up)|ran a coon"
        r"|(?:mr|mrs|ms|miss|dr|cllr|councillor|sir|dame|lady|lord) coon",
    ),
    _t("chink|chinks|chinky|chinkies", "racism", 0.85, homonym=r"chinks? (?:of|in)\b"),
    _t(
        "gook|gooks|spic|spics|spick|wetback|wetbacks|beaner|beaners|zipperhead|zipperheads",
        "racism",
        0.88,
        homonym=r"gobbledy ?-?gook|spick (?:and|&|n) span",
    ),
    _t("raghead|ragheads|towelhead|towelheads|camel jockey|camel jockeys", "racism", 0.9),
    # Anti-Irish: "Mick" is also a name, so only the plural and "thick mick".
    _t("micks|thick mick|thick micks|bog trotter|bog trotters|bogtrotter|bogtrotters", "racism", 0.85),
    _t("pikey|pikeys|pikies|gyppo|gyppos|gippo|gippos|gypo|gypos", "racism", 0.9, reclaimable=True),
    _t(
        "half-caste|half caste|half-castes|kaffir|kaffirs|polack|polacks|dago|dagos|honky|honkies",
        "racism",
        0.75,
        homonym=r"honky[ -]tonk|kaffir lime",
    ),
    _t("jap|japs|chinaman", "racism", 0.6, aimed_only=True),
    _t(
        "little india|little pakistan|little africa|little bangladesh|little poland|little romania|londonistan"
        "|londonstan"
        "|the third world",
        "racism",
        0.7,
        "derogation",
        homonym=r"little india (?:restaurant|takeaway|curry)|the third world war",
    ),
    # religion
    _t("kike|kikes|hymie|hymies|christ killer|christ killers|muzzie|muzzies|muzrat|muzrats", "religion", 0.92),
    _t("yid|yids|yiddo|yiddos", "religion", 0.85, homonym=r"\byid army|spurs|tottenham"),
    _t(
        "cow worshipper|cow worshippers|cow worshiper|cow worshipers|cow piss drinker|cow piss drinkers",
        "religion",
        0.88,
    ),
    _t("taig|taigs|fenian bastards?|fenian scum|fenian cunts?", "religion", 0.85),
    _t("bible basher|bible bashers|bible thumper|bible thumpers|god botherer|god botherers", "religion", 0.5, "insult"),
    _t(
        "paedo prophet|pedo prophet|paedophile prophet|religion of pieces|religion of hate|death cult",
        "religion",
        0.85,
        "derogation",
    ),
    _t(
        "muslim-loving|muslim loving|muslim lover|muslim lovers|islam-loving|jew-loving|jew lover|jew lovers",
        "religion",
        0.75,
        "identity-targeted insult",
    ),
    # ableism
    _t(
        "retard|retards|retarded|tard|tards|fucktard|fucktards|r-tard",
        "ableism",
        0.9,
        homonym=r"flame retard|retardant|retarded (?:growth|ignition|timing|development|release)|(?:will|to|would"
        r"|could|may|might|should|must|can) retard|retard (?:the )?(?:spread|growth|progress|fire|flames|rate)",
    ),
    _t(
        "spastic|spastics|spaz|spazz|spazzes|spazzers|spazzer|spacker|spakka|spazzy|spaccy",
        "ableism",
        0.88,
        reclaimable=True,
        homonym=r"spastic (?:paralysis|diplegia|cerebral|colon|muscles?|quadriplegia|hemiplegia)|spastics? society",
    ),
    _t(
        "mong|mongs|mongy|mongoloid|mongoloids|window licker|window lickers|downie|downies|short bus",
        "ableism",
        0.85,
        homonym=r"mong kok",
    ),
    _t("schizo|schizos|midget|midgets", "ableism", 0.7),
    _t(
        "cripple|cripples",
        "ableism",
        0.75,
        reclaimable=True,
        aimed_only=True,
        homonym=r"cripples? (?:the|our|local|us|businesses|traffic|economy|it|them|this|that|these|his|her|their|your"
        r"|my|any)|(?:to|will|would|could|may|might|can) cripple",
    ),
    _t(
        "special needs|autistic|brain damaged|brain-damaged|a vegetable|on the spectrum",
        "ableism",
        0.7,
        "disability used as an insult",
        aimed_only=True,
    ),
    # homophobia
    _t(
        "faggot|faggots|faggy|batty boy|batty boys|batty man|battyman|bum boy|bumboy|bum boys|bum bandit|bum bandits"
        "|shirt lifter"
        "|shirt lifters|uphill gardener|pillow biter|fudge packer|fudge packers|arse bandit|arse bandits|nancy boy"
        "|nancy boys"
        "|sodomite|sodomites|gaylord|gaylords",
        "homophobia",
        0.92,
        # Faggots are also meatballs (with mash, peas and gravy) and bundles of sticks.
        homonym=r"faggots?,? (?:(?:and|n|with|in|for) )?(?:mushy peas|smash|mash|peas|gravy|chips|onions?|tea|dinner)\b"
        r"|(?:had|ate|eat|eating|cook\w*|making|made|bought|buy|pork|hazel|wood|bundles? of|tied|stacked|homemade"
        r"|brains'?|mr brain's|best|butcher's|butchers) (?:the )?(?:\w+ )?faggots?"
        r"|faggots? of (?:wood|sticks|hazel|twigs)|black country|butcher[^.!?]{0,40}faggots?"
        r"|faggots?[^.!?]{0,40}butcher|faggots?,? (?:\w+ )?(?:and|n|&) (?:mushy )?peas"
        r"|(?:firewood|kindling|hedge\w*|trimmings|brash) (?:\w+ ){0,3}faggots?"
        r"|faggots? (?:\w+ ){0,3}(?:for (?:tea|dinner|supper)|firewood|kindling)"
        # On a menu: "is it faggots or sausages at the Legion carvery?".
        r"|faggots? (?:or|and|&) (?:sausages?|bangers|pies?|chops|burgers?|stew)"
        r"|faggots?[^.!?]{0,40}\b(?:carvery|menu|cafe|caff|chippy|canteen)\b"
        r"|faggots?,? (?:and|n|with) (?:some |a )?(?:mushy peas|peas|mash|gravy)",
    ),
    _t(
        "fag|fags",
        "homophobia",
        0.85,
        masked_or_aimed=True,
        homonym=r"\b(?:smok\w*|packet|pack|box|lighter|ash\w*|fag ends?|fag break|ciggies?|cigarettes?|tobacco|light"
        r"|roll"
        r"|rolled|rolling|rollies|puff|baccy|vape|butts?|twenty|20)\b",
    ),
    _t(
        "poof|poofs|poofter|poofters|pooftah|poofy",
        "homophobia",
        0.85,
        reclaimable=True,
        homonym=r"\b(?:and|then|just|went) poof\b|, poof[,!]|^poof[,!]|poofs? and proud",
    ),
    _t(
        "lesbo|lesbos|lezza|lezzas|lezzer|lezzers|lezzie|lezzies|homo|homos",
        "homophobia",
        0.8,
        reclaimable=True,
        homonym=r"homo (?:sapiens|erectus|habilus)|lesbos (?:island|greece)|island of lesbos",
    ),
    _t(
        "dyke|dykes",
        "homophobia",
        0.75,
        reclaimable=True,
        homonym=r"dykes? (?:march|on bikes)"
        r"|dyke (?:road|lane|drive|street|close|house|end|farm|way)|(?:offa's|devil's|wans|fen|car|the) dyke"
        r"|(?:drainage|flood|sea|river|marsh|into a|along|[a-z]+ley) dykes?"
        r"|dykes? (?:held|burst|overflow\w*|banks?|water|wall|keeps?|holds?|behind|along|floods?|flooded"
        r"|(?:running|runs|that runs) (?:along|alongside|beside|behind|through|past|across)"
        r"|needs (?:\w+ )?(?:repair\w*|dredg\w*|clear\w*)|board)",
    ),
    _t(
        "queer|queers",
        "homophobia",
        0.65,
        reclaimable=True,
        aimed_only=True,
        homonym=r"queer (?:community|people|folk|theory|history|studies|film|eye|as folk|joy|youth|artists?|writers?"
        r"|books?|life|elders|coffee|book club|choir|groups?|nights?|bars?|clubs?|spaces?|centres?|events?|socials?"
        r"|discos?|markets?|fest|festival|voices|singers|refugees|parents|families|couples?|cafe|collective|network"
        r"|forum)|queer old (?:day|clock|thing|fish|one|do|business|time|place|way|world)"
        r"|a queer (?:feeling|thing|sort|fish|do|business|one)",
    ),
    _t(
        "bender|benders",
        "homophobia",
        0.7,
        aimed_only=True,
        homonym=r"on an? (?:\w+ )?bender|(?:day|night|week|weekend|three-day|two-day|drinking) benders?",
    ),
    _t(
        "that's so gay|thats so gay|gay agenda|lgbt agenda|lgbtq agenda|homosexual agenda|rainbow mafia|alphabet mafia"
        "|alphabet people|gay propaganda|lgbt propaganda",
        "homophobia",
        0.65,
        "derogation",
    ),
    # transphobia
    _t(
        "tranny|trannie|trannies|trannys|shemale|shemales|she-male|she-males|he-she|he-shes|heshe|troon|troons|troid"
        "|troids"
        "|troonery|trannyism",
        "transphobia",
        0.9,
        reclaimable=True,
        homonym=r"tranny (?:van|fluid|box|oil|rebuild|cooler|swap)|ford tranny|transit|the tranny\?|transmission"
        r"|tranny'?s? (?:gone|broken|knackered|playing up|packed in|needs|died|failed|is shot)"
        r"|gearbox|tranny radios?|transistor",
    ),
    _t("ladyboy|ladyboys|trans-trender|transtrender|transtrenders", "transphobia", 0.65),
    _t(
        "trans madness|trans cult|trans nonsense|trans lunacy|trans insanity|trans agenda|trans propaganda|trans mafia"
        "|gender cult|gender madness|gender lunacy|transgender madness|trans ideology madness",
        "transphobia",
        0.7,
        "derogation",
    ),
    # sexism
    _t(
        "whore|whores|slut|sluts|slapper|slappers|skank|skanks|bint|bints|thot|thots|trollop|trollops",
        "sexism",
        0.7,
        "misogynistic slur",
        reclaimable=True,
    ),
    _t("slag|slags", "sexism", 0.7, "misogynistic slur", homonym=r"slags? (?:\w+\s)?off|slag heap"),
    _t("feminazi|feminazis|femoid|femoids|foid|foids", "sexism", 0.8),
    _t(
        "bitch|bitches",
        "sexism",
        0.6,
        "misogynistic slur",
        aimed_only=True,
        homonym=r"bad bitch(?:es)?|bitch(?:es|ing)? about|son of a bitch|life's a bitch|a bitch to|sons of bitches"
        # A dog: "my bitch just had a litter", "a spayed lurcher bitch".
        r"|bitch(?:es)? (?:\w+ ){0,2}?(?:had|has|having|is in|in|due|expecting) (?:a |her |the )?(?:litter|pups|puppies"
        r"|season|heat|whelp\w*)|(?:pedigree|breeding|spayed|greyhound|whippet|lurcher|labrador|collie|spaniel|terrier"
        r"|dog|brood) bitch(?:es)?",
    ),
    # ageism
    _t(
        "coffin dodger|coffin dodgers|coffin-dodger|coffin-dodgers|coffindodgers|bed blocker|bed blockers|bed-blocker"
        "|bed-blockers"
        "|bedblockers|wrinklies|crumblies",
        "ageism",
        0.88,
        reclaimable=True,
    ),
    _t("ok boomer|okay boomer", "ageism", 0.6, "dismissal by age"),
    _t("boomer|boomers|geriatric", "ageism", 0.55, aimed_only=True),
    _t(
        "senile|old git|old gits|old fool|old fools|old bag|old bags|old hag|old hags|old fart|old farts|old biddy"
        "|old biddies"
        "|old crone|old bat|old bats|old goat|old duffer|old codger|old codgers|old coot|old fossil|old dinosaur"
        "|decrepit",
        "ageism",
        0.72,
        "age used as an insult",
        reclaimable=True,
        homonym=r"senile (?:dementia|plaques|purpura|tremor)|old (?:bag|bags) (?:of|for|from|in)",
    ),
)

_SLUR_ADJECTIVE = {
    "racism": "immigrant|foreigner|pole|romanian|gypsy|gipsy|traveller|arab|indian|pakistani|nigerian|african|albanian"
    "|migrant|refugee|asylum seeker|paki|wog|black|chinese|asian|eastern european",
    "religion": "jew|muslim|moslem|hindu|sikh|catholic|muzzie|kike|yid",
    "homophobia": "gay|lesbian|queer|dyke|poof|homo",
    "transphobia": "tranny|trans woman|transwoman|trannie",
    "ageism": "pensioner|boomer|oap|old man|old woman|old codger",
    "ableism": "cripple|spastic|retard|spaz",
    "sexism": "woman|female|bitch|cow|tart|bird|feminist",
}
_ADJ_STRONG = "dirty|filthy|smelly|stinking|stinky|greasy|scummy|thieving|lazy|disgusting|vile"
_ADJ_WEAK = "bloody|fucking|effing|fkn|flaming|typical|stupid|silly|daft|fat|ugly|hysterical|thick|dozy|miserable"

_HARD_PREDICATES = alternation(
    "vermin|animals|parasites|disease|a disease|diseased|plague|a plague|cancer|a cancer|scum|filth|filthy|rats"
    "|cockroaches"
    "|roaches|savages|subhuman|sub-human|not human|inferior|dirty|disgusting|virus|a virus|trash|garbage|apes|monkeys"
    "|pigs"
    "|dogs|leeches|locusts|insects|pests|a pest|an infestation|infestation|a stain|a blight|evil|barbarians|backward"
    "|primitive"
    "|unclean|perverts|perverted|pervs|degenerates|degenerate|abominations|an abomination|abomination|unnatural|freaks"
    "|groomers|paedophiles|paedos|pedos|nonces|rapists|terrorists|invaders|an invasion|breeding like rats|not welcome"
    "|not wanted|mentally ill|a mental illness|mental illness|sick|a sickness|sickness|a sin|sinful|sinners"
    "|going to hell"
    "|a death cult|a cult|a perversion|perversion|a disorder|groomers|not real women|not real men|not women|not men"
    "|men in dresses|blokes in dresses|a threat to (?:women|children|kids)|a danger to (?:women|children|kids)"
)
_SOFT_PREDICATES = alternation(
    "criminals|thieves|scroungers|spongers|benefit scroungers|lazy|stupid|thick|useless|worthless|a burden|a drain"
    "|a problem|the problem|a threat|dangerous|weak|too emotional|too hormonal|hysterical|irrational|property|just men"
    "|men|blokes|males|always blokes|bed blockers|a waste of space|a waste of money|taking over|ruining (?:this"
    "|our) (?:country|town)"
    "|destroying (?:this|our) (?:country|town)|not british|not english|the enemy|liars|ugly|smelly|stinking|crazy"
    "|nutters"
)
# Words that demean whoever they are said of: the model is asked about a reply with one of them
# even when no group can be found in it, which disguised spellings hide ("Polaks are filthy
# drunks", "easterneuropeanscan'tbetrusted"); see learned.second_reading.
DEMEANING = re.compile(
    rf"\b(?:{_HARD_PREDICATES}|{_ADJ_STRONG}|drunks|thieves|beggars|scroungers|spongers|criminals|extremists"
    r"|can'?t be trusted|cant be trusted)\b"
)
_COPULA = (
    r"(?:are|r|is|=|are all|are just|are nothing but|are like|are basically|are literally|is just|is nothing but"
    r"|are all just"
    r"|is for|are for|is full of|are full of|is basically|is literally|are still|will always be|always will be)"
)
_INTENSIFIERS = (
    r"(?: (?:all|just|nothing but|a bunch of|a pack of|basically|literally|fucking|such|total|filthy|dirty|like"
    r"|no better than"
    r"|worse than|the|a|an|full of|dangerous|disgusting|sick|complete|utter|absolute|always|still))*"
)
_DEROGATION_RE = phrase(
    rf"\b(?P<q>(?:(?:all|these|those|the|bloody|fucking|most|many|some) )*(?P<g>{ANY_GROUP}) {_COPULA}{_INTENSIFIERS}"
    rf" (?:(?P<hard>{_HARD_PREDICATES})|(?P<soft>{_SOFT_PREDICATES})))\b(?! (?:of|and tired|to death of|at|for|with"
    rf"|about|in))"
)
_COLLECTIVE_RE = phrase(
    rf"\b(?P<q>(?:swarms?|hordes?|plague|infestation|invasion|vermin|flood|floods|tide) of (?:\w+\s)?(?P<g>{ANY_GROUP})"
    rf"|(?P<g2>{ANY_GROUP}) infestation)\b"
)
_NOT_ALLOWED_RE = phrase(
    rf"\b(?P<q>(?P<g>{ANY_GROUP})(?:\s\S+){{0,10}}? (?:(?:shouldn't|should not|should never|must not|mustn't|can't"
    rf"|cannot) "
    r"(?:be allowed(?: to| in| near| into| anywhere near)?|be in (?:politics|power|charge|office|government"
    r"|the council)|get (?:a|the) vote"
    r"|have (?:a|the) vote|vote|lead|govern|run (?:things|councils|the country|anything)|be (?:councillors|leaders"
    r"|trusted|mps|teachers))"
    r"|(?:don't|do not) belong (?:in|here)|have no place in|(?:should|must|need to|ought to) (?:stay|be kept"
    r"|be locked|stay at home|stay in"
    r" the kitchen|stay in the closet|be banned|be sterilised|be sterilized|know their place|be segregated)))"
)
_EXCLUSION: PatternSet[tuple[str, float, str]] = PatternSet(
    (phrase(p), (category, score, label))
    for p, category, score, label in (
        (r"\b(?P<q>(?:(?:go|get|send (?:her|him|them|em|'em|you|the lot)) (?:back|home)"
         r"|(?:fuck|piss|bugger) off(?: back| home)?) "
         r"(?:to |where )(?:your own country|your country|your own lot|where (?:you|u|they|she|he) (?:came|come"
         r"|belong)s? from"
         r"|where (?:you|u|they|she|he) (?:came|come|belong)|africa|asia|pakistan|india|bangladesh|poland|romania"
         r"|jamaica|nigeria"
         r"|somalia|china|the jungle|your mud hut|your cave|your village|the desert|the third world|the caribbean"
         r"|arabia|syria"
         r"|afghanistan|iraq|iran|turkey|albania))",
         "racism", 0.95, "tells them to go back"),
        (r"\b(?P<q>go back where (?:you|u|she|he|they) came from)", "racism", 0.95, "tells them to go back"),
        (r"\b(?P<q>(?:go|represent|look after|stick with|stay with)(?: and)?(?:\s\w+){0,2} (?:your|their) own (?:lot"
         r"|kind|people|sort)"
         r"(?: somewhere else)?)", "racism", 0.75, "exclusion"),
        (r"\b(?P<q>your (?:kind|sort) (?:aren't|are not|isn't|is not) (?:welcome"
         r"|wanted))", "racism", 0.75, "exclusion"),
        (rf"\b(?P<q>send (?:them|em|'em|the lot|all of them|the lot of them|(?:the |these "
         rf"|those )?{ANY_GROUP})(?: all)? (?:back|home))\b"
         r"(?! to (?:the drawing board|committee|the council|planning|cabinet|the chamber|consultation|officers"
         r"|scrutiny))",
         "racism", 0.85, "exclusion"),
        (r"\b(?P<q>(?:you|they|she|he)(?:'re| are|'ll| will| is|'s)? (?:never|not) (?:be )?(?:a )?(?:real |proper "
         r"|true )?"
         r"(?:british|english|brit|englishman|englishwoman|englishmen))\b", "racism", 0.8, "exclusion"),
        (r"\b(?P<q>(?:don't|doesn't|do not|does not) belong in (?:this country|britain|england|the uk|our country"
         r"|great britain))",
         "racism", 0.85, "exclusion"),
        (r"\b(?P<q>you people)(?:\s\S+){0,4} (?:come|came|coming|flood|flooding|arrive|arriving) (?:here|over here"
         r"|to this country"
         r"|to our country|to britain|to england)", "racism", 0.75, "identity-targeted insult"),
        (r"\b(?P<q>(?:white|english|british) (?:genocide|replacement)|great replacement|remigration)\b", "racism", 0.75,
         "racist conspiracy theory"),
        (rf"\b(?P<q>(?:flooded|swamped|overrun|invaded|taken over|infested) (?:by"
         rf"|with) (?:\w+\s)?{ANY_GROUP})", "racism", 0.75,
         "dehumanisation"),
        (r"\b(?P<q>(?:ban|close|shut|shut down|burn down|get rid of|bulldoze|demolish|no more|stop building) (?:the "
         r"|all |that |this "
         r"|our |any |more )?(?:mosques?|islam|muslims|synagogues?|judaism|gurdwaras?|minarets?))\b", "religion", 0.75,
         "religious exclusion"),
        (r"\b(?P<q>(?:jews|the jews|jewish people|zionists|the zionists|rothschilds|the rothschilds"
         r"|jewish bankers) (?:control|run|own"
         r"|rule|pull the strings|are behind|are pulling|bankroll|fund"
         r"|pay))\b", "religion", 0.9, "antisemitic conspiracy theory"),
        (r"\b(?P<q>(?:paid|funded|bought|owned|controlled|run|bankrolled) (?:\w+\s){0,3}by (?:the )?(?:jews|zionists"
         r"|jewish \w+|rothschilds))",
         "religion", 0.8, "antisemitic conspiracy theory"),
        (r"\b(?P<q>(?:who|what) (?:really )?(?:pays|owns|controls|funds|runs"
         r"|bankrolls)(?:\s\S+){0,4} ?\?? (?:the )?(?:jews|zionists|jewish))",
         "religion", 0.8, "antisemitic conspiracy theory"),
        (r"\b(?P<q>holocaust (?:didn't happen|never happened|is a (?:myth|hoax|lie)|was (?:a )?(?:myth|hoax|lie"
         r"|exaggerated|fake))"
         r"|hitler (?:was right|had (?:a point|the right idea)|did nothing wrong)|(?:6|six) ?million (?:wasn't"
         r"|was not) enough)",
         "religion", 0.92, "antisemitism"),
        (r"\b(?P<q>(?:get|go|back|stay|belong|gets|goes)(?:\s\w+)? (?:in|to|back in|back to|into) (?:the|your|a"
         r"|her) kitchen)",
         "sexism", 0.9, "sexist put-down"),
        (r"\b(?P<q>make (?:me|us) a (?:sandwich|sarnie|cup of tea|brew))", "sexism", 0.75, "sexist put-down"),
        (r"\b(?P<q>(?:women|woman|girls|females|wives) (?:should|belong|need to"
         r"|ought to)(?:\s\w+){0,2} (?:in the kitchen|at home|barefoot"
         r"|in the home|seen and not heard|quiet|in their place))", "sexism", 0.9, "sexist put-down"),
        (r"\b(?P<q>(?:got|won|were|was|get|gets) (?:elected|selected|the job|the seat|in|picked|chosen"
         r"|promoted)(?:\s\w+){0,2} "
         r"(?:because (?:you're|you are|she's|she is) a (?:woman|female|girl|bird)|for (?:your|her) looks|on (?:your"
         r"|her) looks"
         r"|by sleeping|on (?:your|her) back))", "sexism", 0.85, "sexist put-down"),
        (r"\b(?P<q>(?:diversity|token|quota) (?:hire|candidate|woman|pick"
         r"|councillor))", "sexism", 0.65, "sexist put-down"),
        (r"\b(?P<q>time of the month|on the rag|pmsing|pms-ing)\b", "sexism", 0.7, "sexist put-down"),
        (r"\b(?P<q>when (?:you|we|they) let (?:women|a woman|girls|females) (?:run|lead|be in charge|make decisions"
         r"|decide|into))",
         "sexism", 0.85, "sexist put-down"),
        (r"\b(?P<q>(?:calm down|settle down|relax|chill|wind your neck in),? (?:dear|love|luv|sweetheart|darling"
         r"|sweetie|hun|pet))\b",
         "sexism", 0.7, "condescension"),
        (r"\b(?P<q>(?:stupid|silly|daft|hysterical|dozy) (?:little )?(?:woman|women|girl|girls|female|bird|cow|moo"
         r"|tart))\b", "sexism",
         0.78, "sexist insult"),
        (r"\b(?P<q>typical (?:woman|female|women|bird|girl))\b", "sexism", 0.8, "identity-targeted insult"),
        (r"(?:^|[.!?,] )(?P<q>(?:little girl|sweetheart|darling|sweetie|missy))(?= ?(?:$"
         r"|[.!?,]))", "sexism", 0.55, "condescension"),
        (r"(?:^|[.!?] |, )(?P<q>(?:grandma|grandad|granny|grandpa|gramps|old timer|old man|old woman|nana|grandmother"
         r"|grandfather))"
         r"(?= ?(?:$|[.!?,]))", "ageism", 0.6, "age used as an insult"),
        (r"(?:^|[.!?,] |\b(?:you're|youre|you are|ur|u r|he's|she's|they're|they are|he is|she is|pensioners are"
         r"|people are|they're all"
         r"|he|she|you|they|clearly|far|much|way|getting|is|are) )(?:\w+\s)?(?P<q>too old(?: and \w+)? (?:to"
         r"|for))\b", "ageism", 0.8,
         "age used as an insult"),
        (r"\b(?P<q>(?:you're|you are|ur|u r|she's|he's) (?:too|far too|way too) young to (?:understand|know|remember"
         r"|have an opinion|vote"
         r"|be a councillor|comment|be taken seriously|be in charge))", "ageism", 0.6, "age used as an insult"),
        (r"\b(?P<q>(?:past (?:it|your|his|her) (?:sell[- ]by date|best)|past it|(?:put|turned|turn) out to (?:grass"
         r"|pasture)))\b", "ageism",
         0.7, "age used as an insult"),
        (r"\b(?P<q>(?:get|go|belong|put (?:him|her|you|them)|should be) (?:back )?(?:in|into) a (?:care|old people's"
         r"|old folks'?|nursing)"
         r" home)", "ageism", 0.7, "age used as an insult"),
        (r"\b(?P<q>(?:lose|take away|remove|strip|scrap|ban|taken away) (?:the|their|his|her|your) (?:vote|votes"
         r"|right to vote|franchise)"
         r" (?:at|over|after|once (?:you're|they're|people are)) \d+)", "ageism", 0.85, "age-based exclusion"),
        (r"\b(?P<q>(?:are you|r u|you must be|you're|youre|you are|ur|u r|he's|she's|is he|is she)(?: (?:actually"
         r"|clinically|fucking"
         r"|a bit|mentally|like|just|totally|completely|seriously))* (?:retarded|autistic|special needs|brain damaged"
         r"|brain-damaged"
         r"|disabled|a cripple|crippled|a vegetable|a mong|mongoloid|downs|backward|simple|a spaz|spastic"
         r"|a window licker"
         r"|on the spectrum|a retard|a spastic))\b", "ableism", 0.8, "disability used as an insult"),
        (r"\b(?P<q>(?:if (?:you|u|they) can't|can't even) (?:walk|get up|climb|manage|use|see|hear|get about"
         r"|get around|get out)(?:\s\S+){0,8}"
         r" (?:stay (?:at )?home|stay indoors|don't (?:go|come) out|shouldn't (?:go|be|come) out))", "ableism", 0.7,
         "tells disabled people to stay home"),
        (r"\b(?P<q>(?:cost|costing|costs|waste|wasting|wasted|spend|spending|fortune)(?:\s\S+){0,6} (?:on|in"
         r"|for) (?:ramps|wheelchair"
         r" (?:ramps|access)|disabled (?:toilets|access|parking|bays|people)|blue badges))", "ableism", 0.6,
         "resentment of disabled access"),
        (r"\b(?P<q>(?:men|man|blokes?|geezers?|lads?|fellas?) in (?:a |their )?(?:dresses|dress|wigs?|frocks?|skirts?"
         r"|lipstick"
         r"|make-?up|heels))\b", "transphobia", 0.8, "transphobic trope"),
        (r"\b(?P<q>(?:trans ?women|transwomen|trans ladies)(?:'re| are| is) (?:just |still |all |only )?(?:men|blokes"
         r"|males|geezers"
         r"|blokes in wigs))\b", "transphobia", 0.75, "denies trans identity"),
        (r"\b(?P<q>(?:you'll|you will|he'll|she'll|they'll|he will|she will|they will) never be a (?:real "
         r"|proper )?(?:woman|man|girl|lady))",
         "transphobia", 0.85, "denies trans identity"),
        (r"\b(?P<q>(?:you're|you are|she's|he's|she is|he is) (?:not|never) a (?:real |proper )?(?:woman|lady"
         r"|girl))\b", "transphobia",
         0.7, "denies trans identity"),
        (r"\b(?P<q>(?:pushing|push|shoving|forcing|ramming|promoting) (?:it|this|that|their \w+|gayness|homosexuality"
         r"|this filth"
         r"|that filth|their filth|perversion) (?:on|onto|down the throats of) (?:kids|children|our kids|our children"
         r"|the kids))",
         "homophobia", 0.55, "grooming trope"),
    )
)  # fmt: skip
_VIOLENCE_AGAINST_RE = phrase(
    rf"\b(?P<q>(?P<g>{ANY_GROUP}) (?:all )?(?:should|must|need to|needs to|deserve to|deserves to|ought to|want)"
    r"(?: all)?(?: be)? (?:shot|hanged|hung|killed|gassed|burned|burnt|lynched|exterminated|wiped out|culled|put down"
    r"|strung up|executed|die|burn|rounded up|sterilised|sterilized|deported|removed))\b"
    rf"|\b(?P<q2>(?:kill|gas|shoot|hang|burn|exterminate|wipe out|round up) (?:all )?(?:the |these "
    rf"|those )?(?P<g2>{ANY_GROUP}))\b"
)
_NOBODY_WANTS_RE = phrase(
    rf"\b(?P<q>(?:nobody|no one|we don't|we do not|don't|do not)(?: in \w+| here| round here"
    rf"| around here)? wants? (?:any )?(?:more )?"
    rf"(?:a |an |any )?(?P<g>{ANY_GROUP}|(?:muslim|jew|jewish|hindu|sikh|gay|trans|black|asian|polish|foreign|immigrant"
    r"|disabled|woman|female|lesbian|tranny|paki)(?:\s\w+)?))\b"
    # "Nobody wants more women to feel unsafe": a wish about them, not against them.
    r"(?!(?: \w+)? (?:to|feeling|being|getting|hurt|harmed|left|going|living|stuck|waiting|sleeping)\b)"
)
_DEPORT_RE = phrase(
    rf"\b(?P<q>(?:deport|repatriate|expel|kick out|round up|get rid of|remove) (?:all )?(?:the |these "
    rf"|those )?(?P<g>{ANY_GROUP}))\b"
)
_SLUR_ADJ_RES = tuple(
    (
        category,
        phrase(rf"\b(?P<q>(?:(?P<strong>{_ADJ_STRONG})|{_ADJ_WEAK}) (?:{alternation(nouns)})s?)\b"),
    )
    for category, nouns in _SLUR_ADJECTIVE.items()
)
# Words that describe the writer on the way to the slur ("as a big tall trannie", "this old queer").
_SELF_ADJ = (
    r"proud|old|big|happy|out|flaming|angry|loud|fellow|queer|trans|gay|bi|butch|daft|silly|mad|bolshy|bolshie|proper"
    r"|tall|little|wee|raging|screaming|card-carrying|lifelong|local|ageing|aging|young|northern|working-class|deaf"
    r"|black|brown|fat|femme|camp|massive|total|bent|cheeky|gobby|grumpy|retired|lucky|token|resident|friendly"
)
# Other reclaimed words in a list the writer is part of: "we're the fags and dykes of ...".
_SELF_LIST = (
    r"(?:queers?|dykes?|fags?|poofs?|homos?|benders?|trannies|trannys?|lesbos?|bent|biddies|crips?)(?:,| and| &| n)"
)
# The writer counting themselves in before the slur. A "bunch of" that opens the reply is not the
# writer's own ("Bunch of trannies hanging round the library again"; "we're a bunch of queers" is).
_RECLAIM_RE = re.compile(
    r"\b(?:i'm|im|i am|as|we're|we are|we|us|fellow|being|me|proud|a proud|as a proud|my fellow|our|speaking as"
    r"|proud to be|a pair of|pair of|(?<!what a )(?<!such a )(?<!another )(?<!more )(?<!load of )(?<!^)bunch of"
    r"|we're the"
    r"|we're just|we're all|us lot|us old|we're a bunch of|we're just a bunch of|me and my|my|me and the other"
    # "My mates and I jokingly call ourselves trannies".
    r"|(?:jokingly |still |proudly )?call(?:s|ed)? (?:ourselves|myself|each other)"
    r"|and the other|with the other|the rest of us)(?: an?| one)?"
    rf"(?: (?:{_SELF_ADJ})| {_SELF_LIST})* ?$"
    # "this old queer has lived here 40 years": the writer, with a word about themselves.
    rf"|\bthis(?: (?:{_SELF_ADJ}))+ ?$"
)
_RECLAIM_AFTER_RE = re.compile(
    r" (?:like me|like us|like myself|like ourselves|such as myself|such as me)\b"
    r"|(?: (?:lad|lass|girl|boy|bloke|woman|man|kid|couple|pair))?(?: from [a-z][a-z' ]{1,25}?)? here"
    r"(?= ?(?:[,.!]|$|and proud|[^\w\s]))"
    r"|,? (?:and |& |n )?proud\b| unite\b| me(?= ?[,.!]|$)"
    # "Queer and staying put", "queer, bi and not going anywhere".
    r"|,? (?:(?:bi|trans|gay|lesbian|disabled|black|brown|deaf|autistic|non-?binary|femme|butch),? )*(?:and |& )?"
    r"(?:staying|still here|here to stay|not going anywhere|going nowhere|staying put|thriving)\b"
)
# "You queers" is aimed at the reader; "love you, my fellow queers" is not.
_SECOND_PERSON_RE = re.compile(r"\b(?:you|u|your|ur|you're)(?: [a-z']+)? ?$")


_TERM_SET = PatternSet((term.regex, term) for term in _TERMS)
_SLUR_ADJ_SET = PatternSet((regex, category) for category, regex in _SLUR_ADJ_RES)


def _used(s: str, start: int, end: int) -> bool:
    """False when the words are quoted to condemn them, reported, or negated."""
    if mentioned_not_used(s, start, end) or negated(s, start):
        return False
    # "Saying women belong in the kitchen is pathetic": reported in order to condemn it.
    left, _ = sentence_bounds(s, start, end)
    before = s[left:start]
    # "Anyone who thinks Muslims should be burned out needs help": the view of those it answers.
    return not (GERUND_REPORTER.search(before) or _THOSE_WHO_THINK.search(before))


_THOSE_WHO_THINK = re.compile(
    r"\b(?:people|anyone|anybody|those|folk|whoever|everyone|the ones|the people) who (?:\w+ ){0,2}?(?:think|thinks"
    r"|say|says|believe|believes|reckon|reckons|claim|claims|want|wants|shout|shouts|chant|chants|post|posts) "
)


def those_who_think_at(s: str) -> int | None:
    """Where the reply starts to answer the view of others ("anyone who thinks ... needs help"),
    or None."""
    m = _THOSE_WHO_THINK.search(s)
    return None if m is None else m.start()


def detect(doc: Document) -> list[Cue]:
    cues: list[Cue] = []
    for view, (s, _) in enumerate(doc.views):
        cues.extend(_slurs(doc, view, s))
        cues.extend(_derogation(doc, view, s))
        cues.extend(_phrases(doc, view, s))
    return cues


def _slurs(doc: Document, view: int, s: str) -> list[Cue]:
    cues = []
    for regex, term in _TERM_SET.candidates(s):
        for m in scan(regex, s):
            a, b = m.span("q")
            # A masked spelling shows the writer meant the slur, whatever the context.
            if term.homonym_at(s, a, b) and not (term.masked_or_aimed and _masked(doc, view, a, b)):
                continue
            if not _used(s, a, b):
                continue
            if _reclaimed(term, s, a, b):
                continue
            if term.masked_or_aimed and not (_masked(doc, view, a, b) or aim(s, a, b) == "aimed"):
                continue
            if term.aimed_only and aim(s, a, b) != "aimed" and not m.group("q").endswith("s"):
                continue
            if term.aimed_only and _describes_family(s, a, b):
                continue
            if term.aimed_only and m.group("q").endswith("s") and aim(s, a, b) == "third_party":
                continue
            cues.append(Cue(3, term.category, term.score, "high", f"{term.label}: {doc.cite(view, a, b)}"))
            break
    for regex, category in _SLUR_ADJ_SET.candidates(s):
        for m in scan(regex, s):
            if _used(s, *m.span()):
                score = 0.85 if m.group("strong") else 0.65
                cues.append(
                    Cue(3, category, score, "high", f"identity-targeted insult: {doc.cite(view, *m.span('q'))}")
                )
                break
    return cues


# A word that describes the writer's family or someone's child is no insult: "my autistic daughter
# has waited two years for an EHCP", "our son is on the spectrum".
_POSSESSIVE_BEFORE = re.compile(r"\b(?:my|our|his|her|their)(?: \w+)? ?$")
_FAMILY_AFTER = re.compile(rf"^ {FAMILY_MEMBER}\b")


def _describes_family(s: str, start: int, end: int) -> bool:
    return bool(_POSSESSIVE_BEFORE.search(s[max(0, start - 24) : start]) and _FAMILY_AFTER.match(s[end : end + 16]))


def innocent_slur_word(doc: Document) -> bool:
    """A slur's word is used here in its other, innocent sense ("faggots and peas for tea", "the
    Spastics Society", "Mr Coon from the Rotary") or reclaimed by the writer ("queer and staying
    put"): the rules know it, and the models, which read the word as a slur, are not asked about
    hate in the reply."""
    s = doc.text
    for regex, term in _TERM_SET.candidates(s):
        if term.homonym is None and not term.reclaimable:
            continue
        for m in scan(regex, s):
            a, b = m.span("q")
            if term.homonym_at(s, a, b) and not _masked(doc, 0, a, b):
                return True
            if _reclaimed(term, s, a, b):
                return True
    return False


def _reclaimed(term: _Term, s: str, a: int, b: int) -> bool:
    return (
        term.reclaimable
        and bool(_RECLAIM_RE.search(s[max(0, a - 40) : a]) or _RECLAIM_AFTER_RE.match(s, b))
        and not _SECOND_PERSON_RE.search(s[max(0, a - 40) : a])
    )


def _masked(doc: Document, view: int, start: int, end: int) -> bool:
    return any(c in "*#%?_-" for c in doc.original_span(doc.views[view][1], start, end))


def _derogation(doc: Document, view: int, s: str) -> list[Cue]:
    cues = []
    for m in matches(_DEROGATION_RE, s):
        if not _used(s, *m.span()):
            continue
        group = m.group("g")
        category = group_category(group)
        if category is None:
            continue
        if m.group("soft") and ("illegal" in group or "criminal" in m.group("soft")):
            continue  # "illegal immigrants are criminals" is a (contested) legal claim, not a slur
        if category == "sexism" and m.group("soft") in ("men", "just men", "blokes", "males", "always blokes"):
            continue  # "women are men" is not how anyone writes; the trans form is below
        score = 0.9 if m.group("hard") else 0.7 if category == "transphobia" else 0.65
        cues.append(Cue(3, category, score, "high", f"derogation of a group: {doc.cite(view, *m.span('q'))}"))
    for m in matches(_COLLECTIVE_RE, s):
        group = m.group("g") or m.group("g2")
        category = group_category(group)
        if category and _used(s, *m.span()):
            cues.append(Cue(3, category, 0.8, "high", f"dehumanisation: {doc.cite(view, *m.span('q'))}"))
    for regex, label, score in (
        (_NOT_ALLOWED_RE, "exclusion of a group", 0.85),
        (_NOBODY_WANTS_RE, "exclusion of a group", 0.75),
    ):
        for m in matches(regex, s):
            category = group_category(m.group("g")) or _singular_category(m.group("g"))
            if category and _used(s, *m.span()):
                cues.append(Cue(3, category, score, "high", f"{label}: {doc.cite(view, *m.span('q'))}"))
    for m in matches(_VIOLENCE_AGAINST_RE, s):
        group = m.group("g") or m.group("g2")
        category = group_category(group)
        if category and "illegal" not in group and _used(s, *m.span()):
            quote = m.span("q") if m.group("q") else m.span("q2")
            cues.append(Cue(3, category, 0.9, "high", f"calls for harm to a group: {doc.cite(view, *quote)}"))
    for m in matches(_DEPORT_RE, s):
        group = m.group("g")
        category = group_category(group)
        if category and "illegal" not in group and _used(s, *m.span()):
            cues.append(Cue(3, category, 0.8, "high", f"exclusion of a group: {doc.cite(view, *m.span('q'))}"))
    return cues


_SINGULAR = {
    "religion": ("muslim", "jew", "jewish", "hindu", "sikh"),
    "homophobia": ("gay", "lesbian"),
    "transphobia": ("trans", "tranny"),
    "racism": ("black", "asian", "polish", "foreign", "immigrant", "paki"),
    "ableism": ("disabled",),
    "sexism": ("woman", "female"),
}


def _singular_category(name: str) -> str | None:
    first = name.split()[0] if name else ""
    for category, words in _SINGULAR.items():
        if first in words:
            return category
    return None


_SPEAKER_OR_NEGATED_RE = re.compile(r"(?:\b(?:i|we|i'll|we'll|i'm|we're|i'd|we'd|let's|my|our)|\bnot|\bnever|n't) ?$")


def _phrases(doc: Document, view: int, s: str) -> list[Cue]:
    cues = []
    for regex, (category, score, label) in _EXCLUSION.candidates(s):
        for m in scan(regex, s):
            if _SPEAKER_OR_NEGATED_RE.search(s[max(0, m.start("q") - 25) : m.start("q")]):
                continue  # "I'm going back to India for a wedding", "not too old to"
            if _used(s, *m.span()):
                cues.append(Cue(3, category, score, "high", f"{label}: {doc.cite(view, *m.span('q'))}"))
                break
    return cues
