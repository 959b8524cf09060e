"""Rule 3, and rule 2 threats against groups: what a reply says about a protected group.

The reply is read as a line of words in which every mention of a protected group ("Muslims",
"disabled people", "🏳🌈"), and every pronoun that points back to one ("... I hate every one of
them"), becomes the placeholder ``GRP``. Hate is then a small grammar over that line:

    I hate GRP / GRP disgust me                       negative emotion
    GRP are (all just) liars / vermin                 negative attribute, dehumanisation
    GRP belong in a zoo / should stick to the kitchen implicit derogation
    I'll shoot every GRP / GRP should be hanged       threats, direct or as what "should" happen
    GRP are not human / will never be real Brits      negated positives
    why are GRP so stupid? / I think GRP are a burden questions and opinions read the same way

and what must stay quiet: negated hate ("GRP are not inferior", "no GRP deserves this"),
counter-speech that quotes or reports hate to denounce it ("saying GRP are vermin is vile"),
neutral and positive mentions, and anything said about people who are not a protected group
("Tories are parasites" is rule 1 or 2 business, not rule 3).

Before the grammar runs, the words are repaired the way a human reader repairs them: emoji that
stand in for words (🐀 rats, 🤮 disgusting, 🔥 burn), one-letter typos of the words the grammar
knows ("imigrnats", "Muslms"), words run together ("womenarepathetic") and common shorthand
("ppl"). A word is only repaired when it is not an English word already: the vocabulary is the
sentence encoder's (moderation/rules/models/minilm_vocab.txt).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from moderation.rules.context import sentence_bounds
from moderation.rules.normalise import Document
from moderation.rules.verdict import Cue

_VOCAB_FILE = Path(__file__).parent / "models" / "minilm_vocab.txt"

# --- Protected groups ----------------------------------------------------------------------
# name -> category. Plural and singular forms; adjective + people-noun pairs are built below.
_GROUP_NOUNS: dict[str, str] = {}


def _add(category: str, names: str) -> None:
    for name in names.split("|"):
        _GROUP_NOUNS[name.strip()] = category


_add(
    "racism",
    "immigrants|immigrant|migrants|migrant|asylum seekers|asylum seeker|refugees|refugee|foreigners|foreigner"
    "|illegals|illegal immigrants|illegal migrants|blacks|asians|pakis|paki|pakistanis|pakistani|indians"
    "|bangladeshis|africans|african|nigerians|somalis|arabs|arab|chinese|eastern europeans|poles|pole|romanians"
    "|romanian|bulgarians|bulgarian|albanians|albanian|somali|nigerian|bangladeshi|afghan|syrian|iraqi|iranian|kurd"
    "|lithuanian|latvian|jamaican|ghanaian|ethiopian|moroccan|gypsies|gypsy|gipsies|travellers|traveller|pikeys|roma|romani"
    "|jamaicans|mexicans|boat people|non-whites|non whites|ethnics|wogs|niggers|nigger|niggas|coons|chinks"
    "|chink|darkies|negroes|negros|kurds|turks|lithuanians|latvians|afghans|syrians|iraqis|iranians"
    "|ethnic minorities|minorities|people of colour|people of color|bame people|brown people|black people"
    "|dinghy people|eritreans|eritrean|sudanese|somalian|somalians|ethiopians|ghanaians|zimbabweans|congolese"
    "|vietnamese|filipinos|nepalese|sri lankans|tamils|slovaks|czechs|hungarians|portuguese|brazilians|moroccans"
    "|algerians|libyans|egyptians|palestinians|israelis|kosovans|kosovars|ukrainians|russians|bengalis|punjabis"
    "|kashmiris|gujaratis|mirpuris|hasidic jews|the hasidic lot|orthodox jews|channel migrants|small boat arrivals"
    "|every illegal|any illegal|the illegals",
)
_add("sexism", "women|woman|females|girls|ladies|wives|feminists|lasses|birds|wimmin")
_add("racism", "the polish|the chinese|the irish|the pakistanis|the blacks|the asians")
_add(
    "religion",
    "mosque|mosques|synagogue|synagogues|gurdwara|gurdwaras|temple|islamic centre|jewish school|kosher shop",
)
_add(
    "racism",
    "asylum hotel|asylum hotels|refugee hotel|migrant hotel|migrant hotels|traveller camp|traveller site|gypsy camp|caravans",
)
_add(
    "homophobia",
    "bisexual|bisexuals|a gay|pride event|pride events|pride parade|pride march|pride flag|pride month|gay bar|gay bars|pride march|pride parade|gay club",
)
_add("ageism", "old biddies|old codgers|coffin dodgers|wrinklies|old dears|oldies")
_add("homophobia", "any gay|every gay")
_add("ageism", "old people|older people|pensioners|oaps|the elderly|elderly people|boomers|old folk|old folks")
_add(
    "ableism",
    "disabled people|wheelchair user|the disabled|cripples|autistic people|autistics|wheelchair users|the mentally ill"
    "|mentally ill people|people with learning disabilities|blind people|deaf people|retards|spastics"
    "|downs people|the handicapped|handicapped people|disabled|people with down syndrome|people with autism"
    "|people with disabilities|amputees|dwarves|midgets",
)
_add(
    "homophobia",
    "gays|gay people|gay men|lesbians|lesbian|homosexuals|homosexual|homos|queers|bisexuals|faggots|fags"
    "|poofs|poofters|dykes|lgbt people|lgbtq people|the lgbt community|gay couples|bi people",
)
_add(
    "transphobia",
    "trans people|trans women|transwomen|trans men|transmen|transgender people|transgenders|transsexuals"
    "|trannies|trannys|tranny|non-binary people|trans kids|the trans community|troons|trans folk|enbies",
)
_add(
    "religion",
    "muslims|muslim|moslems|muzzies|muzzie|jews|jew|jewish people|the jews|hindus|hindu|sikhs|sikh"
    "|the muslim community|the jewish community|christians|catholics|buddhists",
)

# "black" + "people" etc.: identity adjectives that make a group of any people-noun after them.
_IDENTITY_ADJ: dict[str, str] = {}
for _cat, _words in (
    ("racism", "black|asian|african|pakistani|indian|bangladeshi|chinese|polish|romanian|bulgarian|albanian"
     "|somali|nigerian|jamaican|arab|brown|foreign|immigrant|migrant|refugee|gypsy|traveller|roma|romani"
     "|irish|scottish|welsh|english|eastern european|ethnic|kurdish|turkish|lithuanian|afghan|syrian"),
    ("sexism", "female|women|woman|lady"),
    ("ageism", "old|older|elderly"),
    ("ableism", "disabled|autistic|deaf|blind|handicapped|mentally ill|retarded|spastic"),
    ("homophobia", "gay|lesbian|bisexual|bi|queer|homosexual"),
    ("transphobia", "trans|transgender|non-binary|nonbinary|transsexual"),
    ("religion", "muslim|jewish|hindu|sikh|islamic|christian|catholic"),
):  # fmt: skip
    for _w in _words.split("|"):
        _IDENTITY_ADJ[_w] = _cat
_PEOPLE_NOUNS = (
    "people|persons|men|women|folk|folks|guys|lads|girls|boys|kids|children|families|ones|neighbours|immigrants"
    "|migrants|refugees|community|communities|population|lot|types|sorts|blokes|wives|mothers|mums|dads|youths"
    "|workers|voters|students|councillors|mps|politicians|members|ppl|person|councillor|mp|chancellor|minister|leader|candidate|players|player|footballers|footballer|fans|man|woman|lad|girl|boy|kid|child|family"
    "|bloke|guy|neighbour|builder|builders|drivers|driver|doctors|doctor|teachers|teacher|staff|couple|couples"
)
for _adj, _cat in _IDENTITY_ADJ.items():
    for _noun in _PEOPLE_NOUNS.split("|"):
        _GROUP_NOUNS.setdefault(f"{_adj} {_noun}", _cat)
# A bare identity adjective as a noun: "the gays", "blacks". Bare adjectives alone ("gay",
# "black") are too ambiguous ("a black car") and count only in "GRP are ..." readings via nouns.
for _adj in ("gays", "blacks", "muslims", "jews", "trans"):
    _GROUP_NOUNS.setdefault(_adj, _IDENTITY_ADJ.get(_adj.rstrip("s"), "transphobia"))

# Emoji that name a group. Skin-tone modifiers are handled separately (dark tones on a person).
_EMOJI_GROUPS = {
    "🏳🌈": "gay people",
    "🌈": "gay people",
    "🏳⚧": "trans people",
    "⚧": "trans people",
    "♿": "disabled people",
    "✡": "jews",
    "🕍": "jews",
    "☪": "muslims",
    "🕌": "muslims",
    "🧕": "muslims",
    "👳": "muslims",
    "🚺": "women",
    "♀": "women",
}
_PERSON_EMOJI = set("👨👩🧑👦👧🧔👶👱👴👵🙋🙎🙍💁🙆🙅🤷🤦👮👷💂✊✋👋🤚🖐👊🤝👏🙏👍👎🧒")
_DARK_TONES = {"\U0001f3fe", "\U0001f3ff"}
_TONES = {"\U0001f3fb", "\U0001f3fc", "\U0001f3fd", "\U0001f3fe", "\U0001f3ff"}

# Emoji that stand in for words.
_EMOJI_WORDS = {
    **dict.fromkeys("🐀🐁🐭", "rats"),
    **dict.fromkeys("🐒🐵🦍🦧🙈🙉🙊", "monkeys"),
    **dict.fromkeys("🐷🐖🐽", "pigs"),
    **dict.fromkeys("🪳🐜", "cockroaches"),
    **dict.fromkeys("🦠", "disease"),
    **dict.fromkeys("🐍", "snakes"),
    **dict.fromkeys("🐛🪱", "worms"),
    **dict.fromkeys("🦟🪰", "insects"),
    **dict.fromkeys("🐕🐶🐩", "dogs"),
    **dict.fromkeys("🧟", "zombies"),
    **dict.fromkeys("🤡", "clowns"),
    **dict.fromkeys("🦹", "criminals"),
    **dict.fromkeys("🦇", "disease"),
    **dict.fromkeys("👎", "bad"),
    **dict.fromkeys("🤮🤢", "disgusting"),
    **dict.fromkeys("😡🤬👿😠", "hate"),
    **dict.fromkeys("🖕", "fuck"),
    **dict.fromkeys("💩", "shit"),
    **dict.fromkeys("🗑🚮", "trash"),
    **dict.fromkeys("☠💀⚰", "dead"),
    **dict.fromkeys("🔪🗡", "stab"),
    **dict.fromkeys("🔫", "gun"),
    **dict.fromkeys("💣🧨", "bomb"),
    **dict.fromkeys("🔥", "burn"),
    **dict.fromkeys("🪢", "hang"),
    **dict.fromkeys("❤💕💖💗💓💞😍🥰💜💛💚💙🤍🖤🧡💘♥", "love"),
}

_SHORTHAND = {
    "ppl": "people", "peeps": "people", "u": "you", "r": "are", "ur": "your", "da": "the", "dem": "them",
    "dey": "they", "shud": "should", "shld": "should", "wud": "would", "gonna": "going to", "wanna": "want to",
    "gotta": "got to", "dont": "don't", "cant": "can't", "wont": "won't", "im": "i'm", "ive": "i've",
    "isnt": "isn't", "arent": "aren't", "doesnt": "doesn't", "didnt": "didn't", "shouldnt": "shouldn't",
    "wouldnt": "wouldn't", "couldnt": "couldn't", "aint": "ain't", "em": "them", "yall": "you all",
    "cuz": "because", "they're": "they are", "theyre": "they are", "they've": "they have", "they'd": "they would", "they'll": "they will", "coz": "because", "bc": "because", "tho": "though", "thx": "thanks", "plz": "please",
    "bcos": "because", "cos": "because", "n": "and",
}  # fmt: skip

# --- The grammar's words -------------------------------------------------------------------
_NEGATOR = r"(?:not|n't|never|no|nobody|none|nothing|neither|nor|hardly|barely|without|cannot|can't|don't|doesn't|didn't|isn't|aren't|wasn't|weren't|won't|wouldn't|shouldn't|couldn't|mustn't|ain't|stop|against)"
_W = r"(?:(?!" + _NEGATOR + r"\b)[a-z0-9'][a-z0-9']* )"  # any word but a negator, with its space
_GAP3 = _W + "{0,3}"
_GAP2 = _W + "{0,2}"

_DEHUMANISING = (
    "vermin|rats|rat|cockroaches|cockroach|roaches|parasites|parasite|leeches|leech|lice|insects|maggots|animals"
    "|animal|beasts|savages|apes|monkeys|gorillas|baboons|pigs|swine|dogs|mongrels|snakes|rodents|worms|slugs"
    "|locusts|a swarm|a plague|plague|a disease|disease|diseases|a cancer|cancer|a virus|virus|an infestation"
    "|infestation|filth|scum|trash|garbage|rubbish|subhumans|subhuman|sub-humans|sub-human|untermensch|cattle"
    "|livestock|objects|property|breeding machines|baby machines|pests|pest|a blight|a scourge|a stain|a curse"
    "|a pestilence|pestilence|bacteria|germs|a tumour|tumours|filthy animals|dirty animals|creatures|things|it|zombies"
    "|brood mares|breeding stock|dead wood|deadwood|dead weight|deadweight|walking corpses|corpses|human waste|mutants|vegetables|cabbages|a sub-species|subspecies|an infection"
)
_NEG_NOUNS = (
    "attention seekers|attention-seekers|fakers|chancers|pickpockets|shoplifters|muggers|beggars|gangsters|thugs|yobs|vandals|drug dealers|dealers|rejects|ugly rejects|spies|a spy|drunks|alcoholics|druggies|junkies|addicts|clowns|bombers|bomb|bombs|suicide bombers|villains|dole scroungers|degenerates|freaks|perverts|deviants|paedos|pedos|paedophiles|pedophiles|nonces|groomers|predators|rapists"
    "|terrorists|criminals|thieves|thief|crook|liar|crooks|scroungers|spongers|freeloaders|benefit cheats|liars|idiots|morons"
    "|imbeciles|cretins|retards|losers|burdens|a burden|a drain|drains|abominations|an abomination|mistakes"
    "|a mistake|failures|inferiors|barbarians|primitives|invaders|occupiers|cunts|twats|wankers|pricks|bastards"
    "|dickheads|shits|bellends|tossers|slags|whores|sluts|bitches|hoes|dirt|pond life|lowlifes|low-lifes"
    "|the lowest of the low|sheep|a menace|a threat|a danger|the problem|a problem|a disgrace|a joke|an embarrassment"
    "|a waste of space|a waste of oxygen|a waste of air|a waste of skin|a waste of money|a waste|waste of space"
    "|the enemy|enemies|the enemy within|traitors|snakes|fakes|frauds|psychos|lunatics|maniacs|nutters|headcases"
    "|mental cases|a mental illness|mentally ill|sick|sick in the head|sick people|nothing|worthless|dangerous"
    "|a danger to children|a danger to kids|a risk to children|a threat to children|a threat to women"
    "|a threat to our way of life|a danger to society|a threat to society|a threat to this country|savage"
    "|second-class|second class|second class citizens|second-class citizens|unwelcome|unwanted|not welcome"
    "|the worst|the scum of the earth|scum of the earth|a cancer on society|a plague on society|bludgers|parasitic"
    "|cowards|weaklings|hypocrites|bigots|fanatics|extremists|jihadis|jihadists|groomer|paedo|nonce|animals"
    "|inbreds|inbred|bottom feeders|scroungers|dole scum|wasters|layabouts|leeches|a plague|beneath us|less than us"
    "|less than human|not human|not fully human|barely human|half human|vile|filthy|greedy snakes"
)
_NEG_ADJ = (
    "full of shit|full of crap|full of it|bitter|man-hating|man hating|loud|aggressive|bad|everywhere now|fucking everywhere|bloody everywhere|selfish|shit-stained|shit stained|workshy|work-shy|more criminal|dirtiest|laziest|stupidest|thickest|ugliest|smelliest|greediest|rudest|most disgusting|repellent|repellant|odious|loathsome|despicable|contemptible|abhorrent|detestable|sickening|obsessed with money|money-grabbing|money grabbing|tight-fisted|stingy|grasping|sick in the head|man-haters|man haters|haters|perversions|a perversion|an affront|disgusting|vile|revolting|repulsive|repugnant|gross|nasty|horrible|horrid|awful|evil|wicked|filthy|dirty"
    "|smelly|stinking|stinky|unclean|diseased|infected|twisted|perverted|depraved|degenerate|deviant|unnatural"
    "|abnormal|inferior|worthless|useless|pointless|hopeless|pathetic|stupid|thick|dumb|brainless|ignorant"
    "|backward|backwards|primitive|uncivilised|uncivilized|savage|barbaric|violent|criminal|lazy|greedy|sneaky"
    "|shifty|dishonest|untrustworthy|treacherous|devious|manipulative|hysterical|irrational|incompetent"
    "|incapable|insane|crazy|deranged|delusional|ugly|hideous|scummy|grubby|rotten|toxic|poisonous|vicious"
    "|bloodthirsty|retarded|defective|freakish|creepy|predatory|shameless|ungrateful|insufferable|unbearable"
    "|intolerable|obnoxious|shit|shite|crap|crappy|shitty|good for nothing|good-for-nothing|unfit|unworthy"
    "|a drain|parasitic|vermin|subhuman|mental|psychotic|dangerous|sick|not normal|an abomination|a disgrace"
    "|disgraceful|sinful|immoral|godless|satanic|demonic|feral|wild|uncontrollable|thieving|lying|scrounging"
    "|freeloading|inbred|too stupid|too thick|too weak|too emotional|too dumb|fucked up|messed up|weird|weirdos"
    "|cancerous|rank|minging|manky|skanky|dodgy|bent|sly|cunning|two-faced|worse|the worst|beneath contempt"
    "|less intelligent|less capable|less than|lesser|dim|simple|slow|thick as mince|backward|dense|feeble|weak"
    "|emotional|irrational|unstable|confused|mentally ill|ill|a joke|laughable|a waste|pests|disgusted|drunk"
)
_INTENSIFIERS = (
    "all|just|so|such|really|very|truly|totally|completely|utterly|absolutely|basically|simply|naturally|always"
    "|literally|genuinely|fucking|bloody|effing|freaking|frigging|damn|proper|the|a|an|complete|total|utter"
    "|absolute|nothing but|nothing more than|no better than|little more than|no more than|inherently|by nature"
    "|mostly|generally|clearly|obviously|too|far too|way too|a bunch of|a pack of|a load of|a lot of|a horde of"
    "|a gang of|a plague of|workshy|work-shy|idle|moaning|whining|whingeing|whinging|scrounging|still|as|actually|like|just like|as bad as|worse than|the biggest|the most|some of the most|one big"
    "|dirty|filthy|disgusting|stupid|lazy|greedy|thieving|lying|evil|vile|nasty|smelly|worthless|sick|twisted"
    "|of them|every one of them|each of them|a bunch|all of them|all the|these|those"
)
_COPULA = (
    r"(?:have to be|always have to be|has to be|are all the same:|are all|are all just|are|is|r|were|was|be|being|been|='?|:|-|'re|will always be|will be|have always been|are becoming"
    r"|become|becoming|seem|seem to be|look like|act like|behave like|are like|remain|stay|make|make up|count as)"
)
_EMOTE_VERBS = (
    "hate|hating|hated|despise|despising|detest|detesting|loathe|loathing|abhor|can't stand|cannot stand"
    "|can't bear|can't tolerate|cannot tolerate|can't abide|can't stomach|sick of|sick and tired of|fed up of"
    "|fed up with|tired of|disgusted by|disgusted with|sickened by|repulsed by|revolted by|appalled by"
    "|have no time for|have no respect for|have no sympathy for|have nothing but contempt for|contempt for"
    "|hatred of|hatred for|hatred towards|hate for|loathing of|loathing for|resent|resenting|fuck|fuck off"
    "|screw|sod|to hell with|damn|down with|fuck all|fuck the|fuck off all|ban all|ban|don't want|do not want"
    "|want rid of|want shot of|wish there were no|wish there weren't any|get rid of|rid the country of"
    "|rid us of|rid britain of|sick to death of|wary of|suspicious of|afraid of|scared of|terrified of"
    "|would never trust|don't trust|never trust|would never hire|would never employ|would never rent to"
    "|would never vote for|would never let|won't serve|refuse to serve|won't rent to|no respect for"
    "|can smell|could smell|cannot bear|can't be around|cannot abide|can't abide|wouldn't trust|would not trust|can't trust|cannot trust|could never trust|the sight of|the smell of|the thought of|don't like|do not like|dislike|disliking|can't be doing with|detest all"
)
_EMOTED_BY = (
    "make me physically sick|make me physically ill|makes me physically sick|make me feel sick|make me feel ill|make me feel physically sick|make me feel physically ill|makes me feel sick|make me cringe|makes me cringe|irritate the life out of me|irritate|irritates|annoy|annoys|infuriate|infuriates|enrage|enrages|make my blood boil|fill me with pure loathing|fill me with pure hatred|fill me with pure disgust|fills me with loathing|fill me with revulsion|makes me sick|makes me ill|makes me angry|makes me furious|make me furious|makes my blood boil|make my flesh creep|makes my flesh creep|make my skin creep|fill me with contempt|fill me with nothing but contempt|fills me with disgust|fills me with rage|fills me with hate|fill me with nothing but hate|fill me with nothing but disgust|fill me with loathing|disgust|disgusts|sicken|sickens|repulse|repulses|revolt|revolts|nauseate|nauseates|appal|appals|horrify"
    "|make me sick|makes me sick|make me ill|make me vomit|make me puke|make me want to vomit|make me want to puke"
    "|make me want to throw up|make me want to spew|make my skin crawl|makes my skin crawl|make my blood boil"
    "|turn my stomach|turns my stomach|give me the creeps|creep me out|piss me off|pisses me off|wind me up"
    "|get on my nerves|make me angry|make me furious|fill me with hate|fill me with disgust|fill me with rage"
    "|are the worst|ruin everything|ruin it for everyone|can fuck off|can piss off|can do one|can get fucked"
    "|can fuck right off|fuck right off|can go to hell|can rot|can rot in hell|should rot in hell|should fuck off|should piss off|fuck off"
    "|piss off|out(?<=GRP out)|out(?<=GRP all out)|out!|go home|not welcome|aren't welcome|are not welcome|are unwelcome|get out|gtfo"
)
_BAD_VERBS = (
    "smell|stink|lie|lie about|steal|cheat|rob|rape|breed|breed like rats|breed like rabbits|scrounge|sponge"
    "|leech|whinge|moan|ruin|ruin everything|destroy|spoil|wreck|infest|invade|swarm|flood in|flood into|flood our"
    "|flood the country|flood this country|flood over|flood here|overrun|spread disease"
    "|spread diseases|bring crime|bring disease|bring nothing|bring nothing but|take our jobs|take our houses"
    "|take our homes|take our benefits|take over|are taking over|are ruining|are destroying|are invading"
    "|are flooding|are swarming|are infesting|are breeding|are replacing|replace us|need to go|need to leave"
    "|should leave|should go back|go back to|don't belong|do not belong|never integrate|refuse to integrate"
    "|won't integrate|can't integrate|contribute nothing|add nothing|give nothing|can't be trusted"
    "|cannot be trusted|can never be trusted|are not to be trusted|shouldn't be trusted|shouldn't be allowed"
    "|should not be allowed|should never be allowed|shouldn't have rights|should have no rights|shouldn't exist"
    "|should not exist|don't deserve|do not deserve|deserve nothing|deserve no|have no place|have no right"
    "|bleed us dry|bleed the country dry|drain|are draining|sponge off|live off|scrounge off|abuse children"
    "|groom children|groom kids|prey on|are a danger|are a threat|are a burden|are a drain|are a plague"
    "|only want|only care about|are only good for|are good for nothing|are good for is|are only fit for"
    "|belong in|belong in a zoo|belong in cages|belong in the kitchen|belong in the jungle|belong in the gutter"
    "|belong in the bin|belong in prison|belong in an asylum|belong in the sea|belong in a cage|belong in the past"
    "|belong in a home|belong in institutions|belong behind bars|belong back in|belong in the ground"
    "|should stick to|should stay in|should stay out|should be kept|should be locked up|should be banned"
    "|should be sterilised|should be deported|should be segregated|should be rounded up|should know their place"
    "|should keep quiet|should be seen and not heard|should shut up|should be put in|should be sent back"
    "|should go home|should be removed|should be barred|should be kicked out|should be thrown out"
    "|need to know their place|need to learn their place|should learn their place|need putting in their place"
    "|need to be put in their place|should be ashamed"
    "|should be cured|need curing|need fixing|need to be fixed|need to be cured|need sectioning|should be sectioned"
    "|should be locked away|should be kept away|should be kept out|should stay away|should be shipped"
    "|should stay at home|should stay in the kitchen|should get back in|should get back to|should go back to"
    "|need to go back|want to go back|belong back|get back in|get back to the kitchen|get in the kitchen"
    "|make me a sandwich|make us a sandwich|are mentally ill|have a mental illness|are confused|are delusional"
    "|are brainwashed|are grooming|want to groom|want to convert|are out to get|control the|run the banks"
    "|run the media|control the media|control the banks|control everything|own everything|are behind"
    "|caused|cause all|are the cause|are to blame|are responsible for all|should pay|should be punished"
    "|should suffer|deserve to suffer|deserve everything|deserve what|had it coming|bring it on themselves"
    "|get what they deserve|can't drive|cannot drive|can't lead|can't think|can't do anything|can't cope"
    "|can't be|shouldn't vote|shouldn't drive|shouldn't lead|shouldn't work|shouldn't teach|shouldn't adopt"
    "|shouldn't have children|shouldn't breed|shouldn't be near|shouldn't be around|keep breeding"
    "|pulling the strings|pulling all the strings|pull the strings|take the whole town over|take the town over|take the country over|take everything over|taking over|nothing better to do than rob|nothing better to do than steal|nothing better to do than cause trouble|rob people|mug people|leeching|milking|draining|draining benefits|kicking off|causing trouble|starting trouble|causing problems|always the ones|laugh at us|laughing at us|take us for mugs|take the piss|belong at home|belong at the sink|belong in the home|sell their own mothers|sell their own grandmothers|sell their own kids|sell their own children|in on the grooming|shove it in|shove their|ram it down|attacking our|attack our|rape our|raping our|going after our|prey on our|preying on our|eat bats|eat dogs|eat cats|eat anything|only here for|only come here for|only came here for|only came for|here for the benefits|here for the handouts|only get jobs|only got the job|only got jobs|diversity hire|tick a box|tick boxes|shouldn't be in|should not be in|don't belong in|drag us down|dragging us down|dragging everyone else down|drag everyone down|holding us back|hold everyone back|should stop voting|stop voting|shouldn't be allowed to vote|should lose the vote|can't commit|can never commit|should be grateful|should be thankful|should all be ashamed|ashamed to exist|are all the same|all look the same|are all alike|all the same|ruining|destroying|wrecking|invading|infesting|flooding|scrounging|sponging|breeding|taking over|bring knife crime|brought knife crime|bring drugs|brought drugs|brought nothing|brought crime|brought disease|brought nothing but|bring crime|keep their perversions|ram it down|shove it down|push their agenda|forcing their|cost us|cost the taxpayer|milk the system|play the victim|play the race card|play the disability card"
    "|are faking|fake it|pretend to be|are pretending|are a drain on|suck the life|leech off|feed off"
    "|belong nowhere|are no good|are not to be|are beneath|are lesser|are less|count for nothing"
    "|make this country worse|make everything worse|lower the tone|bring down|drag down|ruin our|ruin the"
    "|destroy our|destroy the|pollute|contaminate|dilute|outbreed|outnumber us|are out of control|run riot"
    "|have ruined|has ruined|ruined our|ruined the|ruined this|ruined every|wrecked our|wrecked the|destroyed our"
    "|destroyed the|invaded our|overran|have overrun|have infested"
)
_POSITIVE = (
    "human|humans|human beings|people|equal|equals|welcome|wanted|british|english|scottish|welsh|brits|part of"
    "|one of us|capable|able|intelligent|smart|clever|bright|competent|trustworthy|to be trusted|worth|worthy"
    "|valid|normal|natural|real|women|men|citizens|fit|good enough|as good as|deserving|valuable|belong"
    "|allowed|safe|decent|civilised|civilized|clean|honest|proper|true|real people|real women|real men"
    "|attractive|pretty|beautiful|good-looking|faithful|monogamous|loyal|useful|productive|welcome here|wanted here|welcome in|part of society|part of this country"
    "|part of our community|the same as us|like us|our equals|our neighbours|mothers|parents|fit to|qualified"
    "|suited|suitable|strong|smart enough|good|worth anything|worth saving|worth helping|worth it|anything"
    "|worth listening to|to be taken seriously|taken seriously|serious|adults|grown-ups|grown ups|responsible(?! for)"
    "|sane|right in the head|all there|normal people|real british|really british|genuinely british|law-abiding"
    "|law abiding|hard-working|hard working|good neighbours|cut out for|up to the job|up to it|made for"
)
_POS_VERBS = (
    "deserve a penny|deserve a pound|deserve a home|deserve a house|told the truth|been honest|done an honest day's work|done an honest day|done a day's work|done a proper day's work|worked a day|paid a penny|paid taxes|paid tax|contributed|deserve rights|deserve respect|deserve to live|deserve to exist|deserve to vote|deserve equal rights"
    "|deserve to be here|deserve a voice|deserve anything|deserve kindness|deserve sympathy|deserve help"
    "|deserve compassion|deserve dignity|deserve protection|deserve a say|deserve a seat|deserve a job"
    "|deserve housing|deserve benefits|deserve the vote|deserve to be treated|deserve love|deserve happiness"
    "|deserve to be heard|deserve to be safe|deserve any|deserve our|deserve the same|belong here|belong in britain"
    "|belong in this country|belong in our|fit in|integrate|contribute|add anything|add value|matter|count"
    "|think|lead|drive|run|govern|cope|be trusted|be equal|be british|be english|be accepted|be real|change"
    "|be normal|be part of|be one of us|be welcome|be good|be capable|be intelligent|be parents|be mothers"
    "|be fathers|be teachers|be leaders|be allowed|understand|learn|do anything right|do anything|have rights"
    "|have a say|have a voice|vote|work|be women|be men|be citizens|be neighbours|be friends"
    "|done a proper job|done a decent job|done a good job|done an honest job|done any good|done anything useful"
    "|have a single useful thing|have a single thing|have anything useful|have a single good thing"
)
_VIOLENT_BASE = (
    "kill|murder|shoot|stab|hang|lynch|burn|gas|bomb|slaughter|butcher|execute|exterminate|eradicate|wipe out"
    "|massacre|behead|decapitate|torture|beat|beat up|batter|attack|hurt|string up|put down|drown|run over"
    "|strangle|cull|purge|cleanse|annihilate|destroy|eliminate|shank|knife|machete|smash|blow up|set fire to"
    "|set alight|torch|firebomb|hunt|hunt down|round up and shoot|round up and kill|deal with|get rid of|coming for|come for|go after|going after|push|throw|slit the throat of|slit the throats of|cut the throat of|put a brick through|put bricks through|put in hospital|hospitalise|smash up|burn down|torch|firebomb|petrol bomb|blow up|run down|run over|fire on|open fire on|attack"
    "|finish off|take out|do in|knock out|glass|acid|throw acid at|skin|crucify|stone|nuke|poison|starve"
    "|castrate|mutilate|rape|punch|kick|slap|bash|kick the shit out of|kick the crap out of|beat the shit out of"
    "|shoot up|mow down|wipe|cut|gun|gun down|bleed|make bleed|kick the living daylights out of|beat the living daylights out of|knock the living daylights out of|kick the hell out of|smash the teeth in of|kick the teeth in of|knock the teeth out of|smash the face in of|kick the head in of|kick the heads in of|breaking|stabbing|shooting|killing|battering|smashing|kicking|punching|burning|torching|bombing|hanging|lynching|gassing|knifing|slit the throats of|cut the throats of|axe|hack|break the legs of"
)
_VIOLENT_PP = (
    "killed|murdered|shot|stabbed|hanged|hung|lynched|burned|burnt|burned alive|burnt alive|gassed|bombed"
    "|slaughtered|butchered|executed|exterminated|eradicated|wiped out|wiped off|massacred|beheaded|tortured"
    "|beaten|beaten up|battered|attacked|hurt|strung up|put down|drowned|run over|strangled|culled|purged"
    "|cleansed|annihilated|destroyed|eliminated|shanked|smashed|blown up|set on fire|set alight|torched"
    "|firebombed|hunted|hunted down|rounded up and shot|rounded up and killed|dealt with|got rid of|gotten rid of"
    "|finished off|taken out|done in|stoned|stoned to death|nuked|poisoned|starved|castrated|mutilated|raped"
    "|punched|kicked|slapped|bashed|shot on sight|lined up and shot|put against a wall|put up against a wall"
    "|put in gas chambers|sent to the gas chambers|sent to the camps|put in camps|thrown off buildings"
    "|thrown off roofs|thrown in the sea|thrown overboard|sunk|left to drown|locked up and the key thrown away"
    "|whipped|flogged|crucified|skinned|hacked|axed|knifed|glassed|wiped from the earth|wiped off the map"
    "|wiped off the face of the earth|removed from the gene pool|gunned down|mowed down|bombed to hell|euthanised|euthanized"
    "|left to die|left to rot|left to starve|left to drown|driven out with sticks|driven out with fire|put to sleep|smothered|smothered at birth|aborted|drowned at birth|thrown off buildings|thrown off tall buildings|thrown off roofs"
    "|thrown off bridges|thrown off cliffs|rounded up and gassed|burn|stab|shoot|hang|gas|bomb|gun|gunned|dead|deported to camps"
    "|have their throats cut|have their throats slit|have their heads cut off|have their heads kicked in|have their legs broken"
    "|get their heads kicked in|get their throats cut|get their heads smashed in"
)
_DIE = (
    "die|rot|burn|hang|suffer|perish|drown|burn in hell|rot in hell|die in a fire|die in a ditch|be dead"
    "|all die|all be dead|drop dead|get cancer|get aids|starve|go to the gas chambers|go to the ovens|swing"
)


def _alt(words: str, singulars: bool = False) -> str:
    items = {w.strip() for w in words.split("|") if w.strip()}
    if singulars:  # "crooks" also reads "a crook"
        items |= {w[:-1] for w in items if w.endswith("s") and not w.endswith("ss") and len(w) > 4}
    return "(?:" + "|".join(sorted(items, key=len, reverse=True)) + ")"


_TROPE = (
    r"(?:cross the road|clutch (?:my|your|their) (?:bag|purse|handbag)|lock (?:up )?(?:your|my|our) (?:bikes?|cars?|doors?|daughters?|valuables|house|sheds?|windows)"
    r"|keep (?:your|my|our) (?:daughters|kids|children|cats?|dogs?|wallet|purse|hand on|eye on)|keeping the (?:cat|dog|kids) (?:in|indoors)|count (?:your|my) change"
    r"|hide (?:your|my) (?:valuables|wallet|purse|bikes?|daughters)|watch your (?:wallet|purse|bags?|back|kids|daughters)|house prices|property prices"
    r"|crime (?:rate |rates )?(?:shot up|went up|goes up|soared|rocketed|doubled|skyrocketed|exploded)|go(?:ne)? to pot|going to pot|tick(?:ing)? (?:a |the )?box(?:es)?"
    r"|box-ticking|diversity hire|follow the money|globalists?|rootless|cabal|puppet ?masters?|(?:control|controls|run|runs|own|owns) (?:the )?(?:banks|media|money|world|government|show|hollywood)"
    r"|zionist agenda|dual loyalty|loyal to israel|great replacement|replacing us|outbreeding us|breed(?:ing)? like rabbits|benefits? cheats?|on the take|on the fiddle"
    r"|keep an eye on (?:your|my|our) (?:bikes?|bags?|kids|children|purses?|wallets?|cars?|sheds?)|what could possibly go wrong|second lock|extra lock|lock on (?:your|the) sheds?"
    r"|(?:wouldn't|would never|never|won't) leave (?:my|your|our|the) (?:kids|children|daughters?|sons?|dog|cat|bag|car) (?:alone )?(?:with|near|around)"
    r"|keep (?:your|my|our) (?:daughters|kids|children|wives|women|girls) (?:at home|indoors|inside|away|close)|you never know what|hand (?:them|GRP) the keys"
    r"|serving dogs?|serve dogs?|cook dogs?|lost their marbles|nick everything|steal everything|sit on their (?:backsides|arses|asses|bums|behinds)|sit around all day|my taxes pay for|cats (?:have )?(?:started )?go(?:ing)? missing|dogs (?:have )?(?:started )?go(?:ing)? missing|grooming gangs?|rape gangs?|sharia|no-go areas?|taking our jobs|taking all the houses|jumped the queue|jumping the queue|free houses|free hotels?"
    # Idle, lording it, pulling strings: "sit at home doing nothing", "think they own the place",
    # "far too much influence over our MPs".
    r"|sit(?:ting|s)? at home (?:all day|doing nothing)|doing nothing all day"
    r"|(?:think|thinks|act like|acts like) (?:they|it|GRP) owns? (?:the place|this (?:\w+ )?(?:town|country|street|estate|city))"
    r"|(?:far |way |so |much )?too much (?:influence|power|control|sway) (?:over|in|on))\b"
)
_WEAPON = (
    r"(?:"
    r"(?:with|bringing|brought|got|have|carrying|armed with|grab(?:bing)?|pick(?:ing)? up) (?:a |an |my |some |our |the |baseball |cricket |a few )?"
    r"(?:can of petrol|cans of petrol|petrol|jerry can|knife|knives|machete|machetes|gun|guns|bat|bats|hammer|acid|rope|ropes|noose|matches|lighter|molotovs?"
    r"|petrol bombs?|bombs?|sticks|clubs|fire|pitchforks|crowbar|axe|axes|shotgun|rifle|rifles|blade|blades|pitchforks?|torches|nail bomb|explosives|hammers|bricks?|poles)\b"
    r"|\b(?:a brick to|a bottle to|a fist to|a boot to|their windows put in|windows put in|put their windows in|a hammer to|a bat to|a knife in|a knife to|a bullet in|a bullet through|bullets in|acid in|a brick through|petrol through|a match to|a lighter to)\b"
    r")"
)
_DEHUM, _NEGN = _alt(_DEHUMANISING, singulars=True), _alt(_NEG_NOUNS, singulars=True)
# "It" and "things" dehumanise as a predicate ("trans women are things"), not as the last word of any
# sentence about a group ("the mosque open day on Sunday, looking forward to it").
_DEHUM_NOUN = _alt("|".join(w for w in _DEHUMANISING.split("|") if w not in {"it", "things"}), singulars=True)
_NEGA, _INT = _alt(_NEG_ADJ), _alt(_INTENSIFIERS)
_IDADJ = _alt("|".join(_IDENTITY_ADJ))
_EMOTE, _EMOTED, _BADV = _alt(_EMOTE_VERBS), _alt(_EMOTED_BY), _alt(_BAD_VERBS)
_POS, _POSV = _alt(_POSITIVE), _alt(_POS_VERBS)
_VIOL, _VPP, _DIEW = _alt(_VIOLENT_BASE), _alt(_VIOLENT_PP), _alt(_DIE)
_INTS = rf"(?:{_INT} ){{0,4}}"
_ALL = r"(?:(?:the next lot of|next lot of|lot of|bunch of|a bunch of|a single one of|a single|one of|any of|the first|the next|first|next|any more|all|every|each|any|the|these|those|some|more|most|of|them|of the|every single|every last|all the|all of the|all of them|every one of the|a few|loads of|lots of|as many|as many as possible|you) )*"
_MODAL = r"(?:should|must|need to|needs to|ought to|deserve to|deserves to|have to|has to|want to be|are going to be|will be|are to be|would be better|are better|ought|oughta|gotta|got to|better be|wanna be|need|needs|deserve|deserves|are asking to be|are begging to be)"
_FIRST = r"(?:i|we|i'm|im|we're|i am|we are|i will|i'll|we will|we'll|i'd|we'd|me and|us|let's|lets|let us|gonna|going to|want to|wanna|would love to|would like to|like to|love to|can't wait to|cannot wait to|ready to|plan to|planning to|about to|will|shall|i'm gonna|i'm going to|we're going to|we're gonna|someone|somebody|anyone|everyone|people|time to|it's time to|its time to|we need to|we should|you should|they should|should|someone should|someone needs to|someone needs|somebody should|the government should|the police should|britain should|we must|we have to|must|i want to|i wanna|i hope someone|hope someone|i hope somebody|i'd love to|i'd happily|i would happily|happy to|i'll happily|i will happily|i'll personally|i will personally|i'm coming to|we're coming to|coming to|go out and|get out there and|grab a|grab your|get the|pick up a|round up and)"


@dataclass(frozen=True)
class _Form:
    regex: re.Pattern
    label: str
    score: float
    threat: bool = False  # also a rule 2 threat
    negatable: bool = True  # a negator inside the match undoes it
    # An insult standing alone as a sentence ("Refugees got the hotel. Parasites."): after a quotation
    # or someone's words reported it judges them ("... sprayed on the mosque. Disgusting.").
    alone: bool = False


# Said to a group's credit, anywhere after: "... and that's great", "... making friends".
_CREDIT = (
    r"(?!.*\b(?:great|brilliant|good thing|welcome|proud|lovely|fantastic|wonderful|celebrat\w*|friend\w*|help\w*"
    r"|thriv\w*|vibrant|kind\w*|better|love\w*)\b)"
)


def _f(pattern: str, label: str, score: float, **flags: bool) -> _Form:
    return _Form(re.compile(pattern), label, score, **flags)


_FORMS: tuple[_Form, ...] = (
    # Threats first: they set the severity.
    _f(rf"\b{_FIRST} (?:{_W}){{0,3}}?{_VIOL} (?:{_W}){{0,2}}?{_ALL}GRP\b", "threat of violence against a group", 0.95, threat=True),
    _f(rf"(?:^|[.!?,:;] )(?:{_VIOL}) {_ALL}GRP\b", "call for violence against a group", 0.9, threat=True),
    _f(rf"\bGRP (?:{_W}){{0,4}}?{_MODAL} (?:all )?(?:be )?(?:{_W}){{0,3}}?{_VPP}\b", "says a group should suffer violence", 0.95, threat=True),
    _f(rf"\bGRP (?:{_W}){{0,2}}?(?:should|must|need to|ought to|deserve to|can|will|are going to|gonna|better) (?:all |just |fucking |go and )?{_DIEW}\b", "says a group should die", 0.95, threat=True),
    _f(rf"\bGRP (?:{_W}){{0,4}}?(?:deserve|deserves|need|needs|want|are asking for|are begging for|should get|should be given|have it coming|had it coming|belong in) (?:a |an |the |another |a good |a proper )?(?:{_W}){{0,1}}?(?:holocaust|genocide|pogrom|final solution|ethnic cleansing|cull|extermination|gun to the head|gun to their head|knife|knife in the back|bullet|bullets|bullet in the head|death|to die|killing|shooting|hanging|gassing|culling|lynching|exterminating|exterminated|putting down|a rope|the rope|the noose|a noose|the gallows|the chair|gas chambers|gas chamber|the ovens|ovens|an oven|a mass grave|the ground|a grave|graves|a bomb|the firing squad|a firing squad|beating|kicking|hiding|thrashing|good hiding|slap|smack|punch|a beating|a kicking|a good kicking|battering|stabbing|burning|bombing|torching)\b", "says a group deserves violence", 0.95, threat=True),
    _f(rf"\b(?:death to|kill all|kill the|kill every|kill more|shoot all|shoot the|shoot every|burn all|burn the|hang all|hang the|gas all|gas the|bomb all|bomb the|exterminate all|exterminate the|wipe out all|wipe out the|string up all|string up the|stab all|stab the|nuke all|nuke the|lynch all|lynch the|slaughter all|slaughter the|cull all|cull the|behead all|behead the) (?:{_W}){{0,1}}?GRP\b", "call for violence against a group", 0.95, threat=True),
    _f(rf"\b(?:someone|somebody|anyone|everyone|people|we|you|they|the government|the police) (?:{_W}){{0,2}}?(?:should|needs to|need to|ought to|must|has to|have to|is going to|are going to|will|gotta) (?:{_W}){{0,2}}?{_VIOL} (?:{_W}){{0,2}}?{_ALL}GRP\b", "says someone should attack a group", 0.95, threat=True),
    _f(r"\b(?:the (?:only )?(?:good|best) GRP (?:is|are) (?:a )?dead|the world (?:would be|is) better (?:off )?(?:with(?:out)? )?(?:all )?GRP (?:dead|gone|wiped out|exterminated|six feet under)|GRP (?:are|r|is) better off dead|GRP belong (?:six feet under|in the ground|in a grave|in graves|in the ovens|in gas chambers|in a gas chamber|in a mass grave|dead))\b", "wishes a group dead", 0.95, threat=True),
    _f(rf"\b(?:i|we) (?:{_W}){{0,2}}?(?:hope|wish|pray) (?:{_W}){{0,3}}?(?:all )?GRP (?:{_W}){{0,2}}?(?:die|get killed|get shot|get hurt|burn|suffer|drown|get cancer|rot|get what's coming|get run over|get attacked|get raped|get beaten|get murdered|get hanged|get bombed|get gassed|are killed|are shot|are wiped out|are hanged|are gassed|sink|drowned)\b", "wishes violence on a group", 0.9, threat=True),
    _f(rf"\b(?:i'd|i would|we'd|we would|i'll|i will|we'll|we will) (?:happily |gladly |love to |like to |personally )?(?:{_VIOL}) (?:{_W}){{0,2}}?(?:a |any |every |one |some |an )?GRP\b", "threat of violence against a group", 0.95, threat=True),
    # Stereotypes and insinuation: the group next to a warning or a trope.
    _f(rf"\bGRP\b.{{0,100}}?\b{_TROPE}", "stereotypes a group", 0.75),
    _f(rf"\b{_TROPE}[^.!?]{{0,80}}?\bGRP\b", "stereotypes a group", 0.75),
    # "Of course a GRP would say that", "trust GRP to mess it up", "leave it to GRP to ...": the
    # group named as the reason, unless what they would do is good ("... would be first to help").
    _f(r"\b(?:of course|trust|typical of|leave it to|count on|only) (?:a |an |one of (?:those|them|these) |the |some )?GRP (?:would|will|to|'d)\b(?![^.!?]*\b(?:help\w*|win\w*|best|brilliant|kind\w*|generous|step up|welcom\w*|first to|thank\w*|proud)\b)", "stereotypes a group", 0.8),
    _f(r"\bGRP (?:\w+ ){0,2}?(?:only )?(?:have|has|have got|'ve got) (?:only )?(?:themselves|themself) to blame\b", "blames a group for its own treatment", 0.8),
    # "Rapists dressed up as asylum seekers": the group said to be a disguise for criminals.
    _f(r"\b(?:rapists|criminals|terrorists|paedos|paedophiles|jihadis|jihadists|thieves|crooks|scroungers|con artists) (?:\w+ )?(?:dressed up as|dressed as|posing as|pretending to be|disguised as|masquerading as) GRP\b", "says a group is a disguise for criminals", 0.85),
    # "Disabled people are never as disabled as they make out": the group said to fake what it is.
    _f(r"\bGRP (?:\w+ ){0,2}?(?:never|not|aren't|isn't|ain't|wasn't|weren't)(?: \w+){0,2}? as \w+ as GRP (?:\w+ )?(?:make out|makes out|claim|claims|pretend|pretends|say|says|let on|lets on|act|acts|like to think)\b", "says a group fakes what it is", 0.8, negatable=False),
    _f(rf"\bno wonder\b[^.!?]{{0,60}}?\b(?:with|now|since|what with) (?:all )?(?:these|those|the|so many|this many) GRP\b{_CREDIT}", "blames a group", 0.8, negatable=False),
    _f(r"\bGRP (?!who |that |which )(?:\w+ ){0,2}?(?:commit|commits|cause|causes|are behind|are responsible for|account for|bring|brought) (?:\w+ ){0,2}?(?:crime|crimes|the crime|stabbings|knife crime|rapes?|grooming|terror|terrorism|the drugs|drugs|disease)\b", "blames a group for crime", 0.8),
    _f(r"\b(?:nobody|no one|noone) (?:\w+ )?(?:asked for|wants|wanted|needs|needed|voted for) (?:any )?more GRP(?= ?(?:$|[.!?,;]| here| in| round| on| coming| moving| arriving))", "says a group is unwanted", 0.8, negatable=False),
    _f(rf"\bonly in (?:britain|this country|england|the uk|scotland|wales) (?:would|could|do|does|can) (?:a |an )?GRP (?:get|be given|be handed|jump)\b{_CREDIT}", "says a group is favoured", 0.8, negatable=False),
    _f(r"\b(?:wouldn't|would not|would never|won't|will never|never) (?:eat|buy|touch|drink|take|use)(?: \w+){0,3}? (?:cooked|made|served|sold|prepared|touched|handled|built) by (?:a |an |any )?GRP\b", "shuns a group", 0.8, negatable=False),
    _f(r"\b(?:a |an )?GRP (?:as|for) (?:the )?(?:pm|prime minister|mp|leader|mayor|chancellor|councillor|boss|president|head|chair|minister)\b(?: ?[?!.,])* (?:don't make me laugh|you're having a laugh|are you having a laugh|what a joke|god help us|are you joking|pull the other one|give me strength|lol|lmao|haha)", "mocks a group's fitness", 0.8, negatable=False),
    _f(r"\bGRP (?:\w+ ){0,3}?(?:better|good|best|great) at (?:crime|stealing|lying|cheating|scamming|robbing|thieving|breeding|begging|fraud|fiddling|shoplifting)\b", "stereotypes a group", 0.8),
    _f(r"\b(?:wrong|not right|unnatural|disgusting|sick|a sin|sinful|dangerous) for (?:a |an )?GRP to (?:adopt|marry|teach|vote|raise (?:kids|children|a family)|lead|run (?:the|a|our)|serve|foster|look after (?:kids|children))\b", "denies a group's rights", 0.85, negatable=False),
    _f(r"\b(?:stop|no more|ban|end|quit) (?:letting|allowing) (?:any (?:more )?|more )?GRP (?:in|into|come|to come|through|over|here)\b", "exclusion of a group", 0.8, negatable=False),
    _f(r"\bthere's a reason (?:why )?(?:they|we|you|nobody|no one) (?:don't|do not|never|won't|doesn't) (?:let|allow|trust|hire|employ|promote) (?:a |an |any )?GRP\b", "stereotypes a group", 0.8),
    _f(rf"\b(?:give it|in|within) (?:\w+ ){{0,2}}?(?:years?|decades?|generations?)\b[^.!?]{{0,40}}?(?:will be|'ll be|becomes?|turn(?:s|ing)? into) (?:a |an )?(?:{_IDADJ}|GRP) (?:country|town|city|state|nation|majority|area|ghetto|caliphate)\b{_CREDIT}", "says a group is taking over", 0.8),
    _f(r"\b(?:better|nicer|safer|cleaner|quieter|fine|great|lovely|decent|a nice place|a good place|english|british)(?: \w+){0,3}? (?:before|until|till) (?:the |all the |those |these |they let (?:the |all the |in the )?|the council (?:let|moved|brought|put) (?:in )?(?:the |all the )?)?GRP (?:arrived|came|moved in|turned up|showed up|took over|got here|came over|were let in|moved|started arriving|started coming|landed|invaded)\b", "says a group spoils a place", 0.8),
    _f(rf"\bGRP\b[^.!?]{{0,100}}?, (?:the |those |these |you |bloody |fucking |dirty |filthy |disgusting |stinking |little )*(?:{_DEHUM_NOUN}|{_NEGN})(?=$|[\s.!?,])", "insults a group", 0.8),
    _f(rf"\bGRP\b[^.!?]{{0,100}}? , (?:{_NEGA} |{_INT} )*(?:{_DEHUM_NOUN}|{_NEGN})(?=$|[\s.!?,])", "insults a group", 0.8),
    _f(r"\b(?:never met|ever met|is there a single|is there one|is there any|are there any|name one|name me one|show me an?|find me an?|there's no such thing as an?|there is no such thing as an?|never seen an?|ever seen an?|never known an?) (?:a |an |one |single )?GRP (?:\w+ ){0,3}?(?:who|that|i|which) (?:\w+ ){0,2}?(?:wasn't|isn't|didn't|doesn't|weren't|aren't|don't|wouldn't|hasn't|haven't|can't|couldn't|won't)\b(?! (?:(?:a|an|so|really|very|absolutely|just|dead|proper) )*(?:lovely|kind|nice|friendly|helpful|polite|hard-?working|great|brilliant|decent|honest|generous|welcoming|good|wonderful|grafter|gent|gentleman|diamond|pleasure|credit|sound|salt of the earth|hard worker|smashing)\b)", "generalises hate to a whole group", 0.85, negatable=False),
    _f(rf"\b(?:not one|none|not a single one|not a one) of GRP (?:{_W}){{0,2}}?(?:had|has|have|is|was|were|are|can|could|ever had) (?:a |any |an ounce of |one )?(?:brain|brains|sense|morals|decency|clue|talent|ability|honour|worth|value|intelligence|common sense|backbone|manners|shame|loyalty|idea|job)\b", "denies a group's worth or humanity", 0.85, negatable=False),
    _f(rf"\bGRP (?:{_W}){{0,5}}?(?:made|make|makes|turned|turn|turns|left|leave|leaves|make it|turned it into|turn it into) (?:{_W}){{0,3}}?(?:filthy|a tip|a dump|a shithole|a slum|a jungle|a mess|dirty|unsafe|dangerous|worse|hell|a no-go area|no-go|a ghetto|third world|a war zone|a warzone|a hellhole|a cesspit|a cesspool|a zoo)\b", "derogates a group", 0.8),
    _f(r"\bGRP\b[^.!?]{0,60}?(?:now it's|now it is|and now it's|it's now|now it's become|turned into|has become|became) (?:a |an )?(?:jungle|tip|dump|shithole|slum|ghetto|third world|no-go area|war zone|warzone|hellhole|cesspit|cesspool|zoo|mess)\b", "derogates a group", 0.8),
    _f(r"\bGRP\b[^.!?]{0,80}?(?:girls?|kids?|children|women|boys) (?:get|gets|will get|are|is|gonna get|going to get) (?:hurt|attacked|raped|groomed|abused|harmed|assaulted|molested|stabbed)\b", "says a group is a danger", 0.8, negatable=False),
    _f(rf"\bGRP\b[^.!?]{{0,60}}?\b{_WEAPON}", "threat of violence against a group", 0.9, threat=True, negatable=False),
    _f(rf"\b{_WEAPON}[^.!?]{{0,40}}?\bGRP\b", "threat of violence against a group", 0.9, threat=True, negatable=False),
    _f(rf"\bGRP\b[^.!?]{{0,60}}?, (?:i'll|i will|i'm gonna|i'm going to|we'll|we will|i'd|i'm|we're) (?:{_W}){{0,2}}?{_VIOL}\b", "threat of violence against a group", 0.9, threat=True),
    _f(rf"\b(?:put|putting|send|sending) (?:{_W}){{0,2}}?GRP (?:{_W}){{0,6}}?(?:in the ground|in hospital|in a box|in a coffin|six feet under|in their graves|in a grave|in body bags|in the morgue|in intensive care|in a wheelchair|through a window|in the river|in the canal|in the sea)\b", "threat of violence against a group", 0.9, threat=True),
    _f(r"\b(?:see|saw|hear|heard|think about|look at|watching|seeing|hearing|meet|met) (?:a |an |any |the |those |these )?GRP\b[^.!?]{0,60}?(?:feel|felt|get|got|am|go|went) (?:physically |genuinely |actually |so |really )?(?:ill|sick|angry|disgusted|nauseous|furious|queasy|repulsed|violent|murderous|like vomiting|like puking|like throwing up)\b", "expresses hatred of a group", 0.8),
    _f(rf"\b(?:to|should|must|gotta|let's|lets|we'll|we will|i'll|i will) {_VIOL} (?:{_W}){{0,1}}?{_ALL}GRP\b", "call for violence against a group", 0.9, threat=True),
    _f(r"\b(?:better|best|great|good|happier|safer|nicer|cleaner)\b[^.!?]{0,40}? if (?:all )?(?:of )?(?:the )?GRP (?:were|was|are|got|all|just) (?:all )?(?:dead|gone for good|wiped out|killed|shot|exterminated|eradicated|gassed|hanged|burned|burnt|six feet under|died)\b", "wishes a group dead", 0.9, threat=True),
    # After a group is named, a sentence that is only an insult is about them: "... Parasites."
    _f(rf"(?:^|[.!?] )(?:{_INT} ){{0,3}}(?:{_DEHUM}|{_NEGN}|{_NEGA})(?: (?:and|,) (?:{_NEGA}|{_NEGN}))?(?:(?: ,)? (?:every one|each one|every single one|all of GRP|the lot of GRP|the lot|every last one|the whole lot|as ever|as usual|all of em|GRP all|GRP))?(?=$| ?[.!?])", "insults a group", 0.75, negatable=False, alone=True),
    _f(rf"(?:^|[.!?] )(?:{_INT} |bunch of |load of |pack of |lot of ){{0,3}}(?:{_DEHUM}|{_NEGN}|{_NEGA}) ?, (?:every one|each one|every single one|all of GRP|the lot of GRP|the lot|every last one|the whole lot|GRP all|GRP)\b", "insults a group", 0.8, negatable=False),
    _f(rf"\b{_IDADJ} (?:{_NEGA} )?(?:{_DEHUM}|{_NEGN})(?=$|[\s.!?,:;)])(?! heaps?\b)", "insults a group", 0.8),
    _f(rf"\bGRP (?:{_W}){{0,6}}?(?:is|are|will|gonna|'s) (?:going to |gonna )?(?:get|be|end up) (?:hurt|stabbed|shot|battered|beaten|killed|done in|smashed|burned|burnt|glassed|hospitalised|in hospital|in an ambulance)\b", "threat of violence against a group", 0.9, threat=True),
    _f(r"\bGRP\b[^.!?]{0,80}?(?:won't|will not|aren't going to|are not going to|ain't gonna|won't be) (?:walk|walking|get|getting|make it|come|coming|go|going|leave|leaving) (?:out|home|back|alive|of there)", "threat of violence against a group", 0.9, threat=True, negatable=False),
    _f(r"\b(?:leave|leaving|go home|going home|end up|ending up|carried out|go out) (?:of there )?in (?:an ambulance|ambulances|a body bag|body bags|a box|boxes|a coffin|coffins|hospital)\b", "threat of violence against a group", 0.9, threat=True),
    _f(rf"\b{_FIRST} (?:{_W}){{0,2}}?(?:running|run|knock|knocking|push|pushing|beat|beating|smack|smacking|kick|kicking|run down|mow) {_ALL}GRP (?:over|down|off|up|in|out)\b", "threat of violence against a group", 0.9, threat=True),
    _f(rf"\bGRP (?:{_W}){{0,4}}?(?:can't|cannot|can not|couldn't) (?:even |ever |just )?(?:park|cook|read|speak english|speak|count|spell|write|parallel park|reverse|add up|tell the time|hold a job|keep a job|do maths|do math|behave|be trusted)\b", "denies a group's abilities", 0.8, negatable=False),
    _f(rf"\b(?:i|we) (?:don't|do not|never|can't|cannot) (?:really |honestly |genuinely )?(?:think|believe|reckon|accept) (?:that )?{_ALL}GRP (?:{_W}){{0,1}}?(?:(?:are|is|can|could|will|would|should) )?(?:ever )?(?:be )?(?:{_W}){{0,1}}?(?:{_POS}|{_POSV})\b", "denies a group's worth or humanity", 0.8, negatable=False),
    _f(rf"\bGRP (?:{_W}){{0,2}}?(?:have|has|got|show) (?:no|zero|little) (?:respect for|idea of|concept of|sense of|understanding of|regard for|grasp of) (?:hygiene|decency|manners|cleanliness|the law|law|rules|british values|our values|our culture|women|anyone|boundaries|honesty|loyalty|other people|authority|personal space)\b", "derogates a group", 0.8, negatable=False),
    _f(r"\b(?:there isn't|there is not|there's not|there's no|there is no|never met|never known|never seen|not met|haven't met|have never met|i've never met) (?:such a thing as |such thing as )?(?:a |an |one )?(?:single )?(?:decent|honest|good|clever|intelligent|normal|trustworthy|nice|hardworking|hard-working|law-abiding|clean|sane|competent|reliable|genuine|polite) GRP\b", "denies a group's worth or humanity", 0.85, negatable=False),
    _f(rf"\bwhy (?:can't|won't|don't|doesn't|do|does|must|should|would) {_ALL}GRP (?:{_W}){{0,2}}?(?:behave|act normal|act like normal|integrate|learn english|learn to speak|speak english|keep (?:it|their \w+) to themselves|stop (?:whining|moaning|complaining|breeding|scrounging|begging|stealing|lying)|wash|go back|just leave|shut up|shove|ram|force|insist)\b", "derogates a group as a question", 0.8, negatable=False),
    _f(rf"\b(?:what's|what is|whats) the (?:point|use) of {_ALL}GRP\b", "denies a group's worth or humanity", 0.85),
    _f(rf"\bGRP\b[^.!?]{{0,60}}? like (?:{_INT} )*(?:{_DEHUM}|{_NEGN})(?=$|[\s.!?,:;)])", "dehumanises a group", 0.8),
    _f(r"\bGRP (?:\w+ ){0,6}?(?:haven't|hasn't|have not|has not|don't have|doesn't have|ain't) (?:got )?(?:a single |one |a |an )?(?:brain cell|brain|clue|ounce of sense|shred of decency|single brain cell)\b", "denies a group's worth or humanity", 0.8, negatable=False),
    _f(r"\bfills? me with (?:\w+ ){0,2}?(?:revulsion|loathing|disgust|hate|hatred|rage|contempt|fury)\b[^.!?]{0,40}?GRP\b|\bGRP\b[^.!?]{0,40}?fills? me with (?:\w+ ){0,2}?(?:revulsion|loathing|disgust|hate|hatred|rage|contempt|fury)\b", "expresses hatred of a group", 0.85),
    _f(r"\bGRP\b[^.!?]{0,60}?(?:is|are|'s|'re|will be|gonna be) (?:getting|going to get|gonna get|about to get) (?:a |an |their |his |her |the )?(?:head kicked in|heads kicked in|face smashed in|teeth kicked in|petrol bomb|shotgun cartridge|bullet|bullets|brick|bricks|bottle|knife|knifing|beating|kicking|hiding|slap|smack|stabbed|shot|battered|burned|burnt|torched|bombed)", "threat of violence against a group", 0.9, threat=True, negatable=False),
    _f(r"\bGRP\b[^.!?]{0,60}?(?:gets?|will get|get) (?:a |an )?(?:shotgun cartridge|bullet|petrol bomb|brick|bottle|knife|beating|kicking|hiding|slap|smack|hammer|bat)\b", "threat of violence against a group", 0.9, threat=True, negatable=False),
    _f(rf"\bnothing (?:decent|good|redeeming|positive|worthwhile|admirable|likeable|nice) (?:about|in|with) {_ALL}GRP\b", "denies a group's worth or humanity", 0.85, negatable=False),
    _f(rf"\bwhy (?:do|does|would|should) (?:{_W}){{0,1}}?GRP (?:even |actually |honestly |really )?(?:think|believe|reckon|imagine) (?:that )?GRP (?:are|is|can|could|would be) (?:{_W}){{0,1}}?(?:capable|able|fit|clever|good enough|smart|intelligent|competent|qualified|suited)\b", "denies a group's abilities", 0.8, negatable=False),
    _f(rf"\b(?:better|safer|happier|cleaner|nicer|richer) off without (?:{_W}){{0,1}}?{_ALL}GRP\b", "wishes a group gone", 0.85),
    _f(rf"\bGRP\b[^.!?]{{0,60}}? (?:{_DEHUM_NOUN})$", "dehumanises a group", 0.75),
    _f(rf"\bGRP (?:{_W}){{0,4}}?(?:should|must|need to|ought to|deserve to|want to) (?:all )?have (?:their|his|her) [^.!?]{{0,40}}?(?:kicked in|ripped off|torn off|cut off|smashed in|slit|cut|broken|burned|burnt|blown off|set on fire|pulled off)\b", "says a group should suffer violence", 0.9, threat=True),
    _f(rf"\b(?:{_NEGA}|{_DEHUM}|{_NEGN})(?: lot| people| bunch| crowd| sorts?| types?)? , {_ALL}GRP (?:are|is|'re|r)(?: (?:all|too|mate|like|though|innit|an all|and all))?(?= ?[.!?,]|$)", "insults a group", 0.8),
    _f(rf"\bwho (?:actually |really |honestly |in their right mind )?(?:wants|would want|needs|would let|lets) {_ALL}GRP (?:teaching|looking after|near|around|working with|living next to|running|in charge|treating|nursing|caring for|babysitting|coaching)\b", "says a group is a danger", 0.8),
    _f(rf"\bwhy (?:do|does|should|must) (?:we|you|the council|taxpayers|i) (?:let|allow|pay for|fund|keep) {_ALL}GRP (?:{_W}){{0,3}}?(?:waste|wasting|drain|draining|scrounge|take|taking|sponge|leech|ruin|ruining|nick|steal|live off)\b", "derogates a group as a question", 0.8),
    # Negative emotion.
    _f(rf"(?<!the )(?<!this )(?<!that )(?<!of )(?<!no )(?<!more )(?<!online )(?<!racial )(?<!such )(?<!their )(?<!face )(?<!received )(?<!receive )(?<!against )(?<!about )\b{_EMOTE}(?! (?:directed|aimed|thrown|hurled|levelled|leveled|targeted|against|towards|toward|crimes?|speech|campaign|mail|mob|they've|they have|we've)\b) (?:{_W}){{0,3}}?{_ALL}GRP\b", "expresses hatred of a group", 0.85),
    _f(rf"\bGRP (?:{_W}){{0,2}}?{_EMOTED}(?=$|[\s.!?,])", "expresses hatred of a group", 0.85),
    _f(rf"\b(?:fills? me with|makes? me|gets? me) (?:\w+ ){{0,2}}?(?:more|angrier|sicker|madder) (?:\w+ ){{0,2}}?than (?:{_W}){{0,1}}?GRP\b", "expresses hatred of a group", 0.85),
    _f(rf"\b(?:nothing|there's nothing|there is nothing|no one|nobody|nothing i hate|none) (?:is |i hate )?(?:worse|more disgusting|lower|more pathetic|more annoying) than (?:{_W}){{0,1}}?GRP\b", "expresses hatred of a group", 0.85),
    # Negative attributes and dehumanisation: "GRP are (all just) X", "are GRP X?", "X GRP".
    _f(rf"\bGRP (?:(?:{_W}){{0,1}}?{_COPULA}|(?:{_W}){{2,3}}?(?:are|r|were|be)) (?:(?:{_W}){{0,1}}?{_INTS}(?:{_DEHUM_NOUN})|{_INTS}(?:it|things))(?=$|[\s.!?,:;)])", "dehumanises a group", 0.9),
    _f(rf"\bGRP (?:(?:{_W}){{0,1}}?{_COPULA}|(?:{_W}){{2,3}}?(?:are|r|were|be)) (?:{_W}){{0,1}}?{_INTS}(?:{_NEGN}|{_NEGA})(?=$|[\s.!?,:;)])", "describes a group as bad by nature", 0.85),
    _f(rf"\b(?:are|is|were|r|aren't|isn't) (?:all |most |any |the )?GRP (?:{_W}){{0,1}}?{_INTS}(?:{_DEHUM}|{_NEGN}|{_NEGA})(?=$|[\s.!?,:;)])", "describes a group as bad by nature", 0.85),
    # Where they are, then what they are: "the refugees at the old barracks are dirty animals".
    _f(rf"\bGRP (?:in|on|at|from|round|near|by|off|across|around|behind|opposite|living in|living on|staying in|housed in|moving into|running) (?:{_W}){{1,5}}?(?:are|r|were) (?:(?:{_W}){{0,1}}?{_INTS}(?:{_DEHUM_NOUN})|{_INTS}(?:it|things))(?=$|[\s.!?,:;)])", "dehumanises a group", 0.85),
    _f(rf"\bGRP (?:in|on|at|from|round|near|by|off|across|around|behind|opposite|living in|living on|staying in|housed in|moving into|running) (?:{_W}){{1,5}}?(?:are|r|were) (?:{_W}){{0,1}}?{_INTS}(?:{_NEGN}|{_NEGA})(?=$|[\s.!?,:;)])", "describes a group as bad by nature", 0.8),
    _f(rf"\b(?:{_NEGA}|dirty|filthy|stinking|fucking|bloody|scummy|scrounging|thieving|lying|sick|twisted|disgusting|inbred|smelly|greedy|lazy|typical|bloody well) (?:{_NEGA} )?(?:fucking )?GRP\b", "insults a group", 0.8),
    _f(rf"\bGRP (?:{_W}){{0,1}}?(?:like|as|such|are like|r like|just like) (?:{_W}){{0,1}}?(?:{_DEHUM})(?=$|[\s.!?,:;)])", "dehumanises a group", 0.85),
    _f(rf"\bGRP (?:, )?(?:[=:-] |{_W}{{0,2}})(?:{_DEHUM_NOUN}|{_NEGA}|{_NEGN})(?=$|[\s.!?,:;)])", "dehumanises a group", 0.85),
    _f(rf"\b(?:{_DEHUM}|{_NEGN}) (?:like|such as|called|i mean|aka|otherwise known as|=|:|-) ?(?:{_W}){{0,1}}?GRP\b", "dehumanises a group", 0.8),
    # Implicit derogation and exclusion.
    _f(rf"\bGRP (?:{_W}){{0,4}}?{_BADV}(?=$|[\s.!?,:;)])", "derogates a group", 0.8),
    _f(r"\b(?:keep|get|send|kick|throw|ship|drive|force|boot|chuck|deport|ban|remove) (?:all )?(?:the )?GRP (?:out|back|away|home|off)\b", "calls for a group to be excluded", 0.8),
    _f(r"\b(?:keep|get|send|kick|throw|ship|drive|force|boot|chuck|deport|ban|remove) (?:all )?(?:the )?GRP (?:from|out of) (?:our|my|this|the|britain|england|the uk|scotland|wales|society|here)\b", "calls for a group to be excluded", 0.8),
    _f(rf"\b(?:don't|do not|never) let (?:{_W}){{0,1}}?GRP (?:near|around|anywhere near|into|in|look after|teach|work with|adopt|have)\b", "says a group is a danger", 0.8, negatable=False),
    _f(rf"\b(?:you|one) (?:can't|cannot|can never|could never|shouldn't|should never|must never) (?:trust|believe|rely on|turn your back on|leave your kids with|leave children with) (?:{_W}){{0,1}}?GRP\b", "says a group cannot be trusted", 0.8, negatable=False),
    _f(rf"\b(?:the (?:country|world|uk|town|area|borough|city|street|estate|council|nation|planet)|britain|society|we|everyone|everybody|this (?:country|town|place|area|borough|city)|life|our (?:town|area|streets|country|schools)) (?:would be|is|was|'d be|will be|would look) (?:so )?(?:much |far |a lot |way )?(?:better|cleaner|safer|nicer|happier|better off|great again) (?:off )?without (?:{_W}){{0,1}}?GRP\b", "wishes a group gone", 0.85),
    _f(r"\b(?:no|not any more|no more) GRP (?:allowed|wanted|welcome|please|here|in|on)\b", "calls for a group to be excluded", 0.8, negatable=False),
    _f(r"\bGRP (?:are|r|is) (?:not|never) (?:welcome|wanted|allowed)\b", "calls for a group to be excluded", 0.8, negatable=False),
    _f(r"\b(?:too many|far too many|way too many|sick of all these|fed up of all these|fed up with all these) GRP\b(?! (?:are|r|is) (?:being|treated|attacked|abused|targeted|harassed|killed|suffering|victims|struggling|denied|waiting|homeless|dying|in need|missing out|excluded|left behind))", "complains about a group's presence", 0.7),
    # Negated positives: "GRP are not human", "GRP will never be British", "no GRP can lead".
    _f(rf"\bGRP (?:{_W}){{0,4}}?(?:are|r|is|were|will|can|could|should|would|do|does|have) (?:{_W}){{0,1}}?(?:not|never|no longer|nowhere near|hardly|barely) (?!(?:any )?(?:less|worse|lower|inferior|lesser)\b)(?:ever )?(?:be |been |become |going to be |gonna be )?(?:{_W}){{0,1}}?{_POS}(?=$|[\s.!?,:;)])", "denies a group's worth or humanity", 0.85, negatable=False),
    _f(rf"\bGRP (?!(?:i|we|i'm|im|we're|i've|we've)\b)(?:{_W}){{0,2}}?(?:aren't|isn't|weren't|won't|can't|cannot|couldn't|shouldn't|wouldn't|don't|doesn't|ain't|will never|can never|could never|should never|would never|never|have never|do not|does not|did not) (?!(?:any )?(?:less|worse|lower|inferior|lesser|only)\b)(?:ever )?(?:be |been |become |really |truly |actually |properly )?(?!(?:read|reads|speak|speaks|write|writes|understand|understands|talk|talks) )(?!think (?:they|GRP|that|it|we|you|i|he|she)\b)(?:{_W}){{0,1}}?(?:{_POS}|{_POSV})(?=$|[\s.!?,:;)])", "denies a group's worth or humanity", 0.85, negatable=False),
    _f(rf"\bnever (?:met|known|seen) (?:a|an|one) GRP (?:who|that) (?:wasn't|isn't|weren't|wasnt|isnt) (?:a |an )?(?:{_W}){{0,1}}?(?:{_NEGA}|{_NEGN})(?=$|[\s.!?,:;)])", "describes a group as bad by nature", 0.85, negatable=False),
    _f(rf"\bhow (?:can|could|do|does|would) (?:anyone|anybody|you|people|any normal person|a normal person) (?:ever )?(?:stand|trust|tolerate|like|bear|respect|stomach|put up with|live next to|be friends with) {_ALL}(?:a |an )?GRP\b", "hate phrased as a question", 0.8, negatable=False),
    _f(rf"\bwhy {_ALL}GRP (?:are|r|is) (?:always |all |so |such |never |ever )*(?:{_INTS})(?:{_NEGA}|{_NEGN})(?=$|[\s.!?,:;)])", "hate phrased as a question", 0.8),
    _f(rf"\b(?:no|not one|not a single|none of the|not any|never met a|never met an|never met any) GRP (?:{_W}){{0,4}}?(?:is|are|can|could|will|should|has ever|have ever|would|deserves|deserve|ever|was|were) (?:ever )?(?:be |been )?(?:a |an )?(?:{_W}){{0,1}}?(?:{_POS}|{_POSV}|trusted|welcome|capable|worth|good|decent|honest|clever|intelligent)(?=$|[\s.!?,:;)])", "denies a group's worth or humanity", 0.85, negatable=False),
    _f(rf"\bGRP (?:{_W}){{0,1}}?(?:lives|rights|opinions|views|votes|feelings) (?:don't|do not|doesn't|does not|will never|never) (?:matter|count)\b", "denies a group's worth or humanity", 0.85, negatable=False),
    _f(rf"\bGRP (?:{_W}){{0,2}}?(?:are|r|is|have|has) (?:no|zero) (?:{_W}){{0,1}}?(?:value|worth|place|right|rights|business|morals|brains|intelligence|culture|decency|honour|loyalty|shame|use|purpose|future)\b", "denies a group's worth or humanity", 0.85, negatable=False),
    _f(rf"\b(?:i|we|i'll|we'll|i'd|we'd) (?:{_W}){{0,1}}?(?:would never|will never|never|wouldn't|won't|don't|do not|refuse to|never) (?:ever )?(?:hire|employ|trust|rent to|serve|sit next to|work with|vote for|date|respect|accept|tolerate|let|allow|help|shake hands with|treat|see) (?:{_W}){{0,1}}?(?:a |an |any )?GRP\b", "refuses a group as equals", 0.8, negatable=False),
    _f(rf"\bGRP (?:{_W}){{0,2}}?(?:are|r|is) (?:less|lower|worse) (?:than|then) (?:{_W}){{0,2}}?(?:us|human|humans|people|everyone|animals|dogs|rats|normal people|real people|everybody)\b", "describes a group as less than human", 0.9),
    _f(rf"\b(?:real|true|proper|normal|decent) (?:people|humans|britons|brits|citizens|women|men) (?:aren't|are not|don't|do not|wouldn't|would never) (?:{_W}){{0,2}}?GRP\b", "denies a group's worth or humanity", 0.8, negatable=False),
    _f(r"\bGRP (?:are|r|is) (?:just |simply |only |merely )?(?:a )?(?:fad|phase|trend|lifestyle choice|choice|mental illness|illness|disorder|delusion|sin|fetish|perversion|disease|mistake|abomination|joke|hoax|fantasy|cult|contagion|social contagion)\b", "derogates a group", 0.8),
)  # fmt: skip

# Said to condemn hate rather than to spread it: the match is reported, quoted or denied.
_REPORTER = (
    r"(?:say|says|saying|said|think|thinks|thinking|thought|claim|claims|claiming|claimed|call|calls|calling"
    r"|called|believe|believes|believing|suggest|suggests|suggesting|suggested|tweet|tweets|tweeting|tweeted"
    r"|post|posts|posting|posted|write|writes|writing|wrote|written|shout|shouts|shouting|shouted|reckon"
    r"|reckons|reckoning|imply|implies|implying|implied|insist|insists|insisting|argue|argues|arguing|argued"
    r"|pretend|pretends|pretending|spout|spouts|spouting|spread|spreads|spreading|chant|chants|chanting"
    r"|chanted|scream|screaming|screamed|yell|yelling|yelled|paint|painted|spray|sprayed|graffiti|label"
    r"|labels|labelling|labelled|brand|branding|branded|describe|describes|describing|described|refer|refers"
    r"|referring|referred|tell|tells|telling|told|accuse|accuses|accusing|accused|joke|jokes|joking|joked"
    r"|retweet|retweeted|share|shared|sharing|like|liked|repeat|repeating|repeated|quote|quoting|quoted)"
)
_OWN_VIEW = "".join(
    f"(?<!{w} )"
    for w in (
        *("happen", "happens", "tend", "come", "starting", "beginning", "have", "got", "gotta", "i'd like"),
        # "Nothing more to say", "needless to say", "safe to say": the writer's own words too.
        *("more", "needless", "suffice it", "safe", "fair", "sad", "sorry"),
    )
)
# "Screaming" reports speech in "people screaming go home", not in "you'll die screaming".
_MANNER = "".join(
    f"(?<!{verb} )" for verb in ("die", "dies", "died", "dying", "run", "ran", "go", "went", "came", "left")
)
# Noise where and when it is made, not words reported: "lads shouting in the park till 2am".
_NOISE_ONLY = r"(?! (?:in|on|outside|around|round|near|by|all night|late|at night|till|until|through the night)\b)"
GERUND_REPORTER = re.compile(
    r"\b(?:(?<!just )(?<!jus )(?<!only )(?<!i'm )(?<!im )(?<!i am )saying|calling|claiming|suggesting|implying|(?<!worth )thinking|believing|tweeting|posting|writing|spouting"
    rf"|spreading|chanting|{_MANNER}(?:shouting|screaming|yelling){_NOISE_ONLY}|labelling|branding|describing|referring to|telling people"
    r"|insisting|arguing|pretending|joking|retweeting|sharing|repeating|quoting|comparing|likening|equating|being called"
    r"|tarring|scapegoating|demonising|demonizing|vilifying|stereotyping|lumping"
    # "arrested for threatening to bomb the mosque": a threat reported, not made.
    r"|(?<!i'm )(?<!i am )(?<!we're )(?<!we are )threaten(?:ing|ed|s)(?= to\b| ?$)"
    r"|being labelled|being branded|being described as|being treated as|being compared to|being told|to call|to claim"
    r"|to suggest|to write|to post|to tweet|to describe|to label|to imply|to pretend"
    # "I happen to think", "I have to say": the writer's own opinion, not a report of another's.
    rf"|{_OWN_VIEW}to (?:say|think))\b"
)
# Someone else, named or not, as the one who says or does it: "he said", "the sign says".
_THIRD_PARTY = (
    r"(?:he|she|they|someone|somebody|people|those|these|some|one of"
    r"|his|her|their|the (?:man|woman|guy|bloke|person|tweet|post|poster|people|lad|lads|men|women"
    r"|leaflet|sign|banner|graffiti|comment|commenter|reply|account|troll|trolls|idiot|idiots|bigot|bigots"
    r"|racist|racists|mob|crowd|group|candidate|party|councillor|mp|paper|article|headline|speaker)"
    r"|a (?:man|woman|guy|bloke|person|lad|group|mob|crowd|few|lot of people|candidate|councillor|neighbour)"
    r"|my (?:neighbour|colleague|uncle|aunt|dad|mum|brother|sister|boss|friend|cousin|grandad|nan)"
    r"|[a-z]+ (?:who|that) (?:\w+ ){0,2}?|it|this|that|the)"
)
_OTHER_SUBJECT = rf"(?:you|u|anyone|anybody|whoever|who|your \w+|{_THIRD_PARTY})"
_COUNTER_BEFORE = re.compile(
    rf"\b(?<!only one ){_OTHER_SUBJECT} (?:\w+ ){{0,3}}?{_REPORTER}\b"
    r"|\b(?:how can|how could|how dare|who) (?:you|anyone|anybody|people|they|he|she"
    r"|somebody|someone|these people|some people|your|a) \b"
    r"|\bthe (?:idea|notion|claim|lie|myth|view|suggestion|belief|argument|assumption|stereotype|trope"
    r"|smear|slur|rhetoric|narrative|implication|insinuation|accusation|theory|conspiracy theory|line|nonsense) (?:that|of)\b"
    r"|\b(?:statements|comments|tweets|posts|words|slogans|things|language|stuff|phrases|rhetoric|remarks|views"
    r"|opinions|bile|vitriol|crap|shit|garbage|rubbish|nonsense|chants|signs|leaflets|graffiti|messages"
    r"|replies|jokes|abuse|hate|slurs|insults) (?:like|such as|saying|that say|that said|calling|claiming)\b"
    r"|\bif (?:you|anyone|anybody|someone|somebody|people|u) (?:\w+ ){0,2}?(?:think|thinks|believe|believes"
    r"|say|says|agree|agrees|reckon|reckons|feel|feels)\b"
    r"|\b(?:(?<!won't )(?<!wont )(?<!never )(?<!will not )(?<!bus )(?<!tram )(?<!pit )(?<!full )stop|quit|enough of|enough with|no more|sick of people|tired of people|fed up of people"
    r"|fed up with people|sick of hearing|tired of hearing|sick of seeing|tired of seeing|sick of reading"
    r"|disgusted to see|disgusted to read|sad to see|shocked to see|appalled to see|horrified to see) "
    r"(?:\w+ ){0,2}?(?:saying|calling|claiming|pretending|suggesting|spreading|implying|posting|tweeting"
    r"|telling|writing|labelling|describing|treating|people saying|people calling|people claiming|hearing"
    r"|seeing|reading|the|this|that|these|those|all|your)\b"
    r"|\bit(?:'s| is| was) (?:\w+ ){0,2}?(?:wrong|not ok|not okay|unacceptable|racist|bigoted|sexist|homophobic"
    r"|transphobic|ableist|disgusting|vile|hateful|a lie|false|nonsense|untrue|a myth|rubbish|offensive|hate speech"
    r"|ignorant|shameful|cruel|dangerous|a disgrace|disgraceful|pathetic|sick|evil|not acceptable|never ok"
    r"|never okay|never acceptable|not true|simply not true|not right|absurd|ridiculous|laughable|nasty) "
    r"(?:to (?:say|call|claim|suggest|think|imply|write|post|tweet|describe|label|pretend)|that)\b"
    r"|\b(?:no|nobody|no one|noone|none of us) (?:should|can|gets to|has the right to|is allowed to|may) "
    r"(?:say|call|claim|suggest|write|post|tweet|describe|label|get away with)\b"
    r"|\b(?:not true|untrue|false|nonsense|a lie|a myth|lies|myth|rubbish|wrong|bollocks) (?:that|to say)\b"
    r"|\b(?:disagree|do not agree|don't agree|never agree|won't agree|can't agree|cannot agree|object|objects) (?:with|that|to)\b"
)
# A question that asks the reader to agree is the writer's own opinion, not a report of someone
# else's: "don't you think GRP are ...", "can anyone tell me why GRP are always ...".
_OWN_QUESTION = re.compile(
    r"\b(?:don't|do not|dont|wouldn't|would not|doesn't|does not) (?:you|anyone|anybody|everyone|people|u)"
    r" (?:\w+ )?(?:think|reckon|agree|believe|feel|find)\b"
    r"|\b(?:can|could|will|would) (?:anyone|anybody|someone|somebody|you|u) (?:please )?(?:tell|explain(?: to)?)"
    r" (?:me|us)(?= (?:why|how|what))"
)
_COUNTER_AFTER = re.compile(
    r"^[\"'\s]*(?:[-\u2014\u2013:,.!?]+ *)?(?:is|are|was|were|'s|isn't|that's|that is|this is|these are|those are|those|just"
    r"|sounds|makes|shows|says|tells|reveals|it's|it is|and|what|how|who|why|absolutely|utterly|completely|pure"
    r"|straight|sheer|such|more|full|blatant|another|classic|typical|textbook|nothing but|said no|said nobody"
    r"|said no one|—|-)? ?(?:\w+ ){0,3}?(?:racis[mt]\w*|sexis[mt]\w*|misogyn\w*|homophob\w*|transphob\w*"
    r"|islamophob\w*|anti-?semit\w*|xenophob\w*|ableis[mt]\w*|bigot\w*|hateful|hate speech|hatred|disgust\w*"
    r"|disgrace\w*|shame\w*|appall?\w*|vile|unacceptable|out of order|abhorrent|sickening|shocking|horrible"
    r"|awful|nasty|evil|wrong|pathetic|ignorant|stupid|dangerous|poison\w*|toxic|cruel|offensive|vicious"
    r"|dehumanis\w*|dehumaniz\w*|hate crime|a crime|illegal|reported|report\w*|nonsense|rubbish|lies|a lie"
    r"|false|untrue|myth|bollocks|garbage|crap|grim|vulgar|sick|twisted|brainwashed|deluded|idiotic|moronic"
    r"|pathetic|embarrassing|backward|medieval|fascis[mt]\w*|nazi\w*|far right|far-right|extremis[mt]\w*"
    r"|no place|not welcome|not ok|not okay|never ok|beyond the pale|beneath|beyond|how|why|who|what|seriously"
    r"|really|unbelievable|incredible|jesus|wow|yikes|christ|god|ffs|for fuck's sake|for fucks sake|shocking)\b"
)
_QUOTES = re.compile(r"\"([^\"]{3,}?)\"|(?:^|(?<=[\s(:]))'((?:[^']|(?<=[a-z])'(?=[a-z])){3,}?)'(?=$|[\s.,!?;:)])")
_NEGATOR_RE = re.compile(rf"\b{_NEGATOR}\b")
# Phrases whose negator is part of the hostility itself ("I can't stand ...", "don't trust ...").
_FIXED_NEGATIVE = re.compile(
    r"\b(?:can't|cannot|can not) (?:stand|bear|abide|stomach|tolerate|trust|be around|be doing with)\b"
    r"|\b(?:don't|do not|wouldn't|would not|would never|never|won't|will not) (?:trust|want|like|hire|employ|rent to|serve|let)\b"
    r"|\bseen and not heard\b|\bstop (?:voting|breeding|coming|having kids|having children)\b|\bnot welcome\b|\bno (?:time|respect|sympathy|place|right|value|worth)\b|\bnothing but\b|\bnothing more than\b"
    r"|\bno better than\b|\bnot human\b|\bnot fully human\b|\bnot normal\b|\bbring nothing\b|\bbrought nothing\b|\bdoing nothing\b"
    r"|\bcontribute nothing\b|\badd nothing\b|\bgive nothing\b|\bdeserve nothing\b|\bcount for nothing\b"
    r"|\bgood for nothing\b|\bnever integrate\b|\bcan't (?:be trusted|integrate|commit|drive|lead|think|cope|be)\b"
    r"|\b(?:shouldn't|should not|should never) (?:be allowed|be in|have rights|exist|be trusted|vote|drive|lead|work|teach|adopt|have children|breed|be near|be around)\b"
    r"|\b(?:don't|do not) belong (?:here|in (?:this|our|britain|the uk|england|scotland|wales|society))\b|\b(?:don't|do not) deserve (?:rights|respect|to live|to be here|anything|a voice|to exist|the vote|benefits|housing|help|sympathy|equal|any)\b|\bno-go\b|\bare not to be trusted\b|\bcannot be trusted\b|\bcan never be trusted\b"
)
# "Don't you think ...?", "Isn't it time ...": a question that asserts, not a negation.
_RHETORICAL = re.compile(
    r"\b(?:don't you (?:think|agree|reckon|find)|do you not (?:think|agree)|wouldn't (?:we|you|it|everyone|the country|britain)"
    r"|isn't it (?:time|true|obvious|clear|funny)|aren't (?:they|we)|can't we (?:just )?(?:admit|agree)|wouldn't it be|won't somebody"
    r"|won't someone|why (?:don't|can't|won't|doesn't) (?:we|they|you|the government|someone|somebody))\b"
)
_NEGATED_SUBJECT = re.compile(
    r"(?:^|[.!?,;:] |\b(?:and|but|because|so|yet) )(?:no|nobody|no one|noone|never|none of|not one|not a single"
    r"|not all|not every|not everyone|not everybody|neither) (?:\w+ ){0,3}?$"
)
_DONT_BEFORE = re.compile(
    rf"\b(?:i|we|you|they|people|nobody|no one|noone|never|one|GRP) (?:\w+ )?{_NEGATOR} (?:\w+ ){{0,2}}?$"
    rf"|\b(?:don't|do not|never|stop|quit|wouldn't|would never|will never|won't|can't|cannot|shouldn't|should never|must never|mustn't|nobody should|no one should|no one has the right to|nobody has the right to|it's wrong to|it is wrong to|it's not ok to|not okay to|not ok to|it's not right to|no reason to|no excuse to|no need to|unacceptable to) (?:\w+ ){{0,2}}?$"
    # A belief denied: "nobody on our street thinks the new family are ...", "I don't believe for one
    # second that ...".
    r"|\b(?:nobody|no one|noone|no-one|none of us|not one of us)(?: \w+){0,4}? (?:thinks|believes|reckons|says|feels"
    r"|accepts|thought|said)(?: that)? (?:\w+ ){0,3}?$"
    r"|\b(?:i|we|you|they|people) (?:\w+ )?(?:don't|do not|never|didn't|won't|can't|cannot) (?:\w+ )?(?:think|believe"
    r"|reckon|accept|buy|agree)(?: (?:for )?(?:one|a) (?:second|minute|moment))?(?: that)? (?:\w+ ){0,3}?$"
)


# --- Reading the words -------------------------------------------------------------------
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*|[^\sa-z0-9]")
_END_PUNCT = frozenset(".!?;")
_PRONOUNS = frozenset({"they", "them", "theyre", "they're", "they'll", "they've"})
_PRONOUN_PHRASES = (
    ("his", "lot"),
    ("her", "lot"),
    ("their", "lot"),
    ("them", "lot"),
    ("his", "sort"),
    ("her", "sort"),
    ("their", "sort"),
    ("his", "kind"),
    ("her", "kind"),
    ("any", "of", "their", "kind"),
    ("the", "first", "one"),
    ("the", "next", "one"),
    ("these", "people"),
    ("those", "people"),
    ("such", "people"),
    ("this", "lot"),
    ("that", "lot"),
    ("these", "lot"),
    ("those", "lot"),
    ("their", "kind"),
    ("that", "sort"),
    ("that", "kind"),
    ("people", "like", "them"),
    ("people", "like", "that"),
    ("the", "lot", "of", "them"),
    ("every", "one", "of", "them"),
    ("each", "of", "them"),
    ("all", "of", "them"),
    ("any", "of", "them"),
    ("most", "of", "them"),
    ("none", "of", "them"),
)


def _key_words() -> frozenset[str]:
    words: set[str] = set()
    for source in (
        _DEHUMANISING,
        _NEG_NOUNS,
        _NEG_ADJ,
        _EMOTE_VERBS,
        _EMOTED_BY,
        _VIOLENT_BASE,
        _VIOLENT_PP,
        _DIE,
        "|".join(_GROUP_NOUNS),
        "|".join(_IDENTITY_ADJ),
        _TROPE,
        _BAD_VERBS,
        "people kitchen space sink vermin parasites",
    ):
        words.update(w for w in re.findall(r"[a-z]{3,}", source))
    return frozenset(words)


_KEY_WORDS = _key_words()
_GROUP_MAX_WORDS = max(len(name.split()) for name in _GROUP_NOUNS)
_GROUP_TUPLES = {tuple(name.split()): category for name, category in _GROUP_NOUNS.items()}
# Most words start no group name: checking the first word spares building every longer tuple.
_GROUP_FIRST_WORDS = frozenset(key[0] for key in _GROUP_TUPLES)
_PRONOUN_FIRST_WORDS = frozenset(phrase[0] for phrase in _PRONOUN_PHRASES)


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """English words as the sentence encoder knows them (whole words only)."""
    try:
        lines = _VOCAB_FILE.read_text(encoding="utf-8").split("\n")
    except OSError:
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and w.islower() and len(w) > 1)


@lru_cache(maxsize=1)
def _typo_index() -> dict[str, str | None]:
    """Every one-letter slip (dropped letter, swapped neighbours) of a key word -> the key word."""
    index: dict[str, str | None] = {}
    for word in _KEY_WORDS:
        if len(word) < 3:
            continue
        # A three-letter word only by its swapped letters ("gya"); a dropped letter leaves too little.
        variants = {word[:i] + word[i + 1 :] for i in range(len(word))} if len(word) > 3 else set()
        variants |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
        if " " not in word and word in _GROUP_NOUNS:
            # A group's name as it is spelt to dodge a filter: "muzlims", "jewz", "mus1ims" (read "musiims").
            variants |= {word[:i] + "z" + word[i + 1 :] for i, ch in enumerate(word) if ch == "s"}
            variants |= {word[:i] + "i" + word[i + 1 :] for i, ch in enumerate(word) if ch == "l"}
        variants.discard(word)
        for v in variants:
            if len(v) < 3:
                continue
            if v in index and index[v] != word:
                other = index[v]
                same_group = other and _GROUP_NOUNS.get(other) and _GROUP_NOUNS.get(other) == _GROUP_NOUNS.get(word)
                if not same_group:
                    index[v] = None  # ambiguous: leave it alone
                elif word.endswith(("s", "en")):
                    index[v] = word  # "womn": woman or women, the same group; read the plural
            else:
                index[v] = word
    return index


@lru_cache(maxsize=50_000)
def _repair(token: str) -> tuple[str, ...]:
    """A word as a reader would take it: shorthand expanded, a typo corrected, run-together words split."""
    if token in _SHORTHAND:
        return tuple(_SHORTHAND[token].split())
    if not token.isalpha() or len(token) < 3 or token in _KEY_WORDS:
        return (token,)
    vocab = _vocabulary()
    if token in vocab:
        return (token,)
    # Plural of a key word ("vermins") or a word the vocabulary has ("bigots").
    if token.endswith("s") and (token[:-1] in _KEY_WORDS or token[:-1] in vocab):
        return (token,)
    index = _typo_index()
    fixed = index.get(token)
    if fixed:
        return (fixed,)
    # One letter too many: "muslimms", "imigrantts".
    for i in range(len(token)):
        shorter = token[:i] + token[i + 1 :]
        if shorter in _KEY_WORDS and len(shorter) >= 4:
            return (shorter,)
    if len(token) >= 6:
        split = _segment(token, vocab)
        if split:
            return tuple(w for piece in split for w in _SHORTHAND.get(piece, piece).split())
    return (token,)


# Two-letter words a run-together reply can hold; "ph", "ob" and "ic" are not words ("transphobic").
_SHORT_WORDS = frozenset(
    {"am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it", "me", "my", "no", "of", "oh"}
    | {"ok", "on", "or", "so", "to", "up", "us", "we", "ye", "ya"}
)
# Words made from a group's name, or ending like one, that are not run together: "transphobic",
# "homophobes", "Islamist", "appalling".
_NOT_RUN_TOGETHER = re.compile(r"phob|(?:ism|isms|ist|ists|ling|lings)$")


def _segment(token: str, vocab: frozenset[str]) -> tuple[str, ...] | None:
    """'womenarepathetic' -> ('women', 'are', 'pathetic'), only when a key word is among the pieces."""
    n = len(token)
    if n > 40 or _NOT_RUN_TOGETHER.search(token):
        return None
    best: list[tuple[int, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0, ())
    for i in range(n):
        if best[i] is None:
            continue
        cost, pieces = best[i]
        for j in range(i + 1, min(n, i + 18) + 1):
            piece = token[i:j]
            if piece in _KEY_WORDS or piece in vocab or piece in ("i", "a") or piece in _SHORTHAND:
                candidate = (cost + 1, (*pieces, piece))
                if best[j] is None or candidate[0] < best[j][0]:
                    best[j] = candidate
    result = best[n]
    if result is None or len(result[1]) < 2:
        return None
    pieces = result[1]
    if not any(p in _KEY_WORDS for p in pieces) or any(len(p) == 1 and p not in ("i", "a") for p in pieces):
        return None
    if any(len(p) == 2 and p not in _SHORT_WORDS and p not in _KEY_WORDS for p in pieces):
        return None
    return pieces


@dataclass
class _Line:
    """The reply as words with groups replaced by GRP, and where each word came from."""

    text: str
    spans: list[tuple[int, int]]  # per output word: span in the normalised text
    starts: list[int]  # per output word: offset in ``text``
    categories: dict[int, str]  # output word index of each GRP -> category
    has_group: bool


def _words(s: str) -> list[tuple[str, int, int]]:
    """Tokens of the normalised text, with emoji turned into words and words repaired."""
    out: list[tuple[str, int, int]] = []
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(s)]
    i = 0
    while i < len(tokens):
        tok, a, b = tokens[i]
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if tok in _PERSON_EMOJI or tok in _EMOJI_GROUPS or tok in _EMOJI_WORDS or tok in _TONES or tok == "🏳":
            pair = tok + nxt
            if nxt and pair in _EMOJI_GROUPS:
                out.extend((w, a, tokens[i + 1][2]) for w in _EMOJI_GROUPS[pair].split())
                i += 2
                continue
            if tok in _PERSON_EMOJI and nxt in _TONES:
                if nxt in _DARK_TONES:
                    out.extend((w, a, tokens[i + 1][2]) for w in ("black", "people"))
                i += 2
                continue
            if tok in _EMOJI_GROUPS:
                out.extend((w, a, b) for w in _EMOJI_GROUPS[tok].split())
            elif tok in _EMOJI_WORDS:
                word = _EMOJI_WORDS[tok]
                if not (out and out[-1][0] == word):  # "🐀🐀🐀" reads "rats" once
                    out.append((word, a, b))
            i += 1
            continue
        if tok in ("\ufe0f",) or (len(tok) == 1 and ord(tok) > 0x2000 and not tok.isalnum()):
            i += 1  # an emoji or symbol that stands for no word here: read past it
            continue
        joined = _joined(tok, nxt)
        if joined:
            out.append((joined, a, tokens[i + 1][2]))
            i += 2
            continue
        for w in _repair(tok):
            out.append((w, a, b))
        i += 1
    return out


def _joined(tok: str, nxt: str) -> str | None:
    """A group name split by a space to get past a filter: "immi grants", "les bians", "wo men"."""
    joined = tok + nxt
    if len(joined) < 5 or joined not in _GROUP_FIRST_WORDS or not (tok.isalpha() and nxt.isalpha()):
        return None
    vocab = _vocabulary()
    if tok not in vocab or nxt not in vocab:
        return joined
    # "wo men": a piece of two letters that is no word on its own.
    return joined if min(len(tok), len(nxt)) <= 2 and (tok if len(tok) <= 2 else nxt) not in _SHORT_WORDS else None


@lru_cache(maxsize=64)  # analyse() and group_mentioned() read the same reply's line
def _line(s: str) -> _Line:
    words = _words(s)
    out_words: list[str] = []
    spans: list[tuple[int, int]] = []
    categories: dict[int, str] = {}
    last_category: str | None = None
    i = 0
    n = len(words)
    while i < n:
        matched = 0
        if words[i][0] in _GROUP_FIRST_WORDS:
            for size in range(min(_GROUP_MAX_WORDS, n - i), 0, -1):
                key = tuple(w for w, _, _ in words[i : i + size])
                category = _GROUP_TUPLES.get(key)
                if category and not _GROUP_HOMONYM.match(s, words[i][1]):
                    matched = size
                    break
        if matched:
            categories[len(out_words)] = category
            last_category = category
            out_words.append("GRP")
            spans.append((words[i][1], words[i + matched - 1][2]))
            i += matched
            continue
        if last_category is not None:
            # A pronoun or "these people" refers back to the last group named.
            for phrase in _PRONOUN_PHRASES if words[i][0] in _PRONOUN_FIRST_WORDS else ():
                size = len(phrase)
                if tuple(w for w, _, _ in words[i : i + size]) == phrase:
                    matched = size
                    break
            if not matched and words[i][0] in _PRONOUNS:
                matched = 1
            if matched:
                categories[len(out_words)] = last_category
                out_words.append("GRP")
                spans.append((words[i][1], words[i + matched - 1][2]))
                i += matched
                continue
        word = words[i][0]
        if word in _IDENTITY_ADJ and out_words and out_words[-1] in ("are", "is", "was", "were", "'re", "be"):
            last_category = _IDENTITY_ADJ[word]  # "my neighbours are Polish, and ... their kind"
        out_words.append(word)
        spans.append((words[i][1], words[i][2]))
        i += 1
    starts = []
    pos = 0
    for w in out_words:
        starts.append(pos)
        pos += len(w) + 1
    return _Line(" ".join(out_words), spans, starts, categories, bool(categories))


def _word_at(line: _Line, offset: int) -> int:
    lo, hi = 0, len(line.starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if line.starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


_CLAUSE_JOINTS = ("and", "but", "because", "so", "while", "when", "yet", "then", ",", "cos", "as")


def _clause_start(text: str, start: int) -> int:
    cut = max(text.rfind(f" {p} ", 0, start) for p in _END_PUNCT)
    return 0 if cut < 0 else cut + 3


_HATE_NAMED = re.compile(
    r"\b(?:racism|racist abuse|hatred|hate|abuse|bigotry|prejudice|discrimination|slurs?|attacks?|harassment"
    r"|mockery|islamophob\w*|antisemit\w*|transphob\w*|homophob\w*|ableis\w*|xenophob\w*|messages|heckling"
    r"|comments|people (?:\w+ )?(?:mock\w*|slagging off|blaming|abusing|attacking|insulting|bullying|harassing"
    r"|targeting|calling))"
    r"(?: [a-z'-]+){0,3}? (?:of|against|towards?|aimed at|directed at|at|on|about|to)? ?(?:[a-z'-]+ ){0,2}?GRP\b"
)

_CONDEMNED = re.compile(
    r"\b(?:no place|disgust\w*|disgrace\w*|vile|shameful|shame on|appall\w*|unacceptable|out of order|sickening"
    r"|shocking|embarrassing|not ok(?:ay)?|sick of|tired of|fed up|(?:has|have|needs?|must) to stop|must stop"
    r"|should be ashamed|abhorrent|horrible|awful|solidarity|stand with|reported)\b"
)
# "Chinks in the armour" and faggots with peas are not the groups the slurs name.
_GROUP_HOMONYM = re.compile(
    r"chinks? (?:in|of)\b|faggots?,? (?:and|n|with|from|for) (?:some |a |the )?(?:mushy peas|peas|mash|gravy|chips|tea"
    r"|onions?|butcher)"
    # Poles that hold things up: "the telegraph pole", "pole position", "up the pole".
    r"|(?:(?<=telegraph )|(?<=lamp )|(?<=flag )|(?<=fishing )|(?<=tent )|(?<=totem )|(?<=bean )"
    r"|(?<=curtain )|(?<=ski )|(?<=scaffold )|(?<=scaffolding )|(?<=metal )|(?<=wooden )|(?<=greasy )"
    r"|(?<=north )|(?<=south )|(?<=barber's )|(?<=washing )|(?<=up the )|(?<=broken )|(?<=fallen )"
    r"|(?<=bent )|(?<=rotten )|(?<=leaning )|(?<=transformer )|(?<=power )|(?<=electric )|(?<=electricity )"
    r"|(?<=phone )|(?<=street )|(?<=light )|(?<=utility )|(?<=bamboo )|(?<=tall )"
    r")poles?\b|poles? (?:position|dancing|dance|dancer|vault\w*|star|barn|apart|to pole)\b"
)


_AGREED_AFTER = re.compile(
    r"\b(?:and|,|but) (?:i (?:totally |completely |fully )?agree|(?:she|he|they)(?:'s|'re| is| are) (?:dead |absolutely |totally"
    r" |completely |100% )?right|(?:she|he|they) (?:has|have|had) a point|spot on|too right|couldn't agree more)\b"
)


def _reported(text: str, start: int, end: int, original: str) -> bool:
    """Counter-speech: the words are reported, quoted or denied in order to condemn them."""
    left = _clause_start(text, start)
    before = _OWN_QUESTION.sub(" ", text[left:start])
    # A report frames what follows it in the same clause: "they think GRP are owed something and
    # GRP make me sick" reports nothing about the second half.
    joint = max(before.rfind(f" {w} ") for w in _CLAUSE_JOINTS)
    if joint >= 0 and "GRP" in before[:joint]:
        before = before[joint:]
    if GERUND_REPORTER.search(before) or _COUNTER_BEFORE.search(before):
        # "She said they're a plague, and she's dead right": reported, then made the reply's own.
        return not _AGREED_AFTER.search(text, end, end + 60)
    # The hate named to condemn it: "racism against GRP has no place here", "people mocking GRP
    # online is disgusting".
    if _HATE_NAMED.search(text[left:end]) and _CONDEMNED.search(original.lower()):
        return True
    # Quoted words with a comment after them, or with words of the reply's own around them.
    return _has_quotation(original) and bool(
        _COUNTER_AFTER.search(text[end : end + 80]) or _outside_quotes_words(original) >= 2
    )


def _has_quotation(original: str) -> bool:
    return ('"' in original or "'" in original) and bool(_QUOTES.search(original))


def _outside_quotes_words(original: str) -> int:
    rest = _QUOTES.sub(" ", original)
    return len(re.findall(r"[a-z]{2,}", rest))


def _negated(form: _Form, text: str, start: int, end: int) -> bool:
    if not form.negatable:
        return False
    inside = _FIXED_NEGATIVE.sub(" ", text[start:end])
    if _NEGATOR_RE.search(inside.replace("GRP", "")):
        return True
    left = _clause_start(text, start)
    before = text[left:start]
    if _RHETORICAL.search(before):
        return False
    return bool(_NEGATED_SUBJECT.search(before) or _DONT_BEFORE.search(before))


_IDADJ_RE = re.compile(rf"\b{_IDADJ}\b")
_ENDORSE = re.compile(
    r"\b(?:exactly|agree|agreed|spot on|so true|well said|too right|100%|facts|absolutely right|dead right"
    r"|couldn't agree more|hear hear|preach|based)\b"
)


# Scare quotes: a group's name, or a word said in its defence, quoted to sneer at it (trans "women",
# another dinghy of "refugees", "fleeing war"). The words are the writer's own, not a quotation,
# unless the reply also says who said them.
_SCARE_WORD = re.compile(
    r"(?:an? |the |so-called )?(?:refugees?|asylum seekers?|migrants?|women|woman|ladies|lady|girls?|men|man|lads?"
    r"|boys?|children|child|kids|teenagers|minors?|unaccompanied minors?|famil(?:y|ies)|students?|doctors?"
    r"|engineers?|professionals?|skilled workers?|newcomers|new arrivals|british|english|citizens?|community"
    r"|communities|culture|cultural|religion of peace|peaceful|vibrant|diversity|diverse|enrich\w*"
    r"|fleeing (?:war|persecution)|persecuted|vulnerable|genuine|marriage|wife|wives|husband)"
)
_REPORTER_RE = re.compile(rf"\b{_REPORTER}\b")


def scare_quotes_only(doc: Document) -> bool:
    """Every quotation in the reply is a scare quote: a few words of _SCARE_WORD, and no one said to
    have said them."""
    quoted = [(m.group(1) or m.group(2) or "").strip(" .,!?") for m in _QUOTES.finditer(doc.plain)]
    if not quoted or not all(len(q.split()) <= 3 and _SCARE_WORD.fullmatch(q) for q in quoted):
        return False
    return _REPORTER_RE.search(_QUOTES.sub(" ", doc.plain)) is None


def unquoted(doc: Document) -> Document:
    """The reply with quoted words blanked out when it quotes them to report or condemn them.

    '"Pakis out" was sprayed on the bus shelter' reports hate; it does not spread it. Quotations
    that are endorsed ('"immigrants are vermin" - spot on') are kept.
    """
    original = doc.original
    if '"' not in doc.text and "'" not in doc.text:
        return doc
    folded = doc.plain
    spans = [m.span() for m in _QUOTES.finditer(folded)]
    if not spans:
        return doc
    outside = _QUOTES.sub(" ", folded)
    if len(re.findall(r"[a-z]{2,}", outside)) < 2 or _ENDORSE.search(outside) or scare_quotes_only(doc):
        return doc
    # Blank by the plain view's map back to the original characters.
    chars = list(original)
    for a, b in spans:
        for i in range(doc.plain_idx[a], doc.plain_idx[b - 1] + 1):
            chars[i] = " "
        chars[doc.plain_idx[a]] = "\u2026"
    return Document("".join(chars))


def group_mentioned(doc: Document) -> str | None:
    """The category of the first protected group the reply names (words, emoji or pronoun), if any."""
    line = _line(doc.text)
    if line.categories:
        return line.categories[min(line.categories)]
    found = _IDADJ_RE.search(line.text)
    return _IDENTITY_ADJ[found.group()] if found else None


# A group pointed at rather than named, which the nudges above lean on: "the new arrivals", "the
# lads off the barge", "a 'youth' from a 'certain background'", "(((coincidence)))", "Little
# Karachi", "leaflets in Urdu", "Diwali", the flag of a nation.
_POINTED_AT = tuple(
    (re.compile(pattern), category)
    for pattern, category in (
        (
            r"\bnew (?:arrivals|'arrivals'|neighbours)\b|\b(?:asylum )?barges?\b|\basylum (?:hotels?|boats?)\b"
            r"|\bsmall boats?\b|\bdinghy\b|\bdinghies\b|\boff the boats?\b|\bfleeing (?:war|persecution)\b"
            r"|\bcertain (?:'?(?:background|community|communities|culture|areas?|sort|type)'?)\b"
            r"|'(?:residents|refugees|asylum seekers|children|kids|youths?|lads|young men|families|migrants|community"
            r"|communities|aged \d+|teenagers|minors)'"
            r"|\bfrom (?:africa|abroad|overseas|pakistan|romania|albania|somalia|eritrea|afghanistan|syria|iraq|iran"
            r"|bangladesh|nigeria|bulgaria)\b|\blittle (?:karachi|mogadishu|pakistan|lagos|bucharest|baghdad|kabul"
            r"|islamabad|delhi|dhaka|beirut|africa|india)\b|\bin (?:urdu|arabic|polish|romanian|bengali|punjabi|somali"
            r"|pashto|farsi|gujarati)\b|\bphrasebook\b|\btranslator\b|\binterpreter\b|\bcolou?r of (?:the|his|their)\b"
            r"|\bknow (?:you were|you're|we were|we're) in (?:england|britain)\b|\bskin colou?r\b"
            r"|\bneed a passport to (?:walk|go|get|shop)\b|\basylum (?:centres?|camps?|sites?|hostels?)\b"
            r"|\bcaravan (?:sites?|camps?)\b|\bevery caravan\b"
            # The flags of nations whose people are the usual targets.
            r"|\U0001f1f7\U0001f1f4|\U0001f1f5\U0001f1f1|\U0001f1e8\U0001f1f3|\U0001f1f5\U0001f1f0|\U0001f1ee\U0001f1f3|\U0001f1e7\U0001f1e9"
            r"|\U0001f1f3\U0001f1ec|\U0001f1f8\U0001f1f4|\U0001f1e6\U0001f1f1|\U0001f1f8\U0001f1fe|\U0001f1e6\U0001f1eb|\U0001f1ee\U0001f1f6"
            r"|\U0001f1ee\U0001f1f7|\U0001f1ea\U0001f1f7|\U0001f1e7\U0001f1ec|\U0001f1f1\U0001f1f9|\U0001f1f9\U0001f1f7|\U0001f1ef\U0001f1f2",
            "racism",
        ),
        (
            r"\(\(\(|\bsame (?:sort of |kind of )?surnames?\b|\bpulling the strings\b|\bglobalists?\b"
            r"|\b(?:diwali|eid|ramadan|hanukkah|halal|kosher|madrassas?|gurdwaras?|mandir|menorah|burqas?|niqabs?"
            r"|minarets?|call to prayer)\b",
            "religion",
        ),
        (
            r"\bdrag (?:queens?|story|storytime|acts?|shows?)\b|\bpride (?:storytime|story|flags?|month|crossing)\b"
            r"|\brainbow (?:crossing|flags?|lanyards?|bunting)\b|'one of them'|\bthat sort\b"
            r"|\b(?:two|2) (?:blokes|men|lads|fellas|guys|women|girls|lasses) (?:holding hands|kissing|snogging)\b",
            "homophobia",
        ),
        (
            r"'(?:disabled|bad backs?|bad back|ill|sick|vulnerable|carers?)'|\bwheelchair users?\b|\bblue badges?\b"
            r"|\bautism unit\b|\bday centre\b|\bmobility scooters?\b",
            "ableism",
        ),
        (r"\bfemale-led\b|\bwoman in charge\b|\bwomen in charge\b", "sexism"),
    )
)


def group_pointed_at(s: str) -> str | None:
    """The category of a protected group the reply points at without naming it, if any."""
    for regex, category in _POINTED_AT:
        if regex.search(s):
            return category
    return None


def reports_speech(doc: Document) -> bool:
    """The reply quotes someone ("...") or reports what someone said or did ("saying", "calling")."""
    if GERUND_REPORTER.search(doc.text) is not None:
        return True
    return '"' in doc.text and not scare_quotes_only(doc)


_THIRD_PARTY_SAID = re.compile(rf"\b{_THIRD_PARTY} (?:\w+ ){{0,3}}?{_REPORTER}\b")


def said_by_a_third_party(s: str, start: int) -> bool:
    """The words at ``start`` are what a third party called or said of someone: "he called you a
    spineless weasel", "people keep saying you're a clown"."""
    if _ENDORSE.search(s, start) or _AGREED_AFTER.search(s, start):  # "my neighbour says you're a clown and I agree"
        return False
    left, _ = sentence_bounds(s, start, start)
    for m in _THIRD_PARTY_SAID.finditer(s, left, start):
        # Close to the words and in the same clause: "they say you're useless and honestly you're a
        # weasel" reports the first and makes the second.
        gap = s[m.end() : start]
        if len(gap.split()) <= 4 and not _CLAUSE_BREAK.search(gap):
            return True
    return False


_CLAUSE_BREAK = re.compile(r"\b(?:and|but|so)\b|[,;:]")


def others_words(doc: Document) -> bool:
    """The reply's strong words may be someone else's: it quotes words ("..."), or reports what a
    third party said or did ("he called her", "people saying"). Narrower than reported_or_quoted:
    "how dare you", "you think" and "the idea that" argue with the reader in the reply's own words,
    and a stray quotation mark quotes nothing."""
    s = doc.text
    return bool(('"' in s and _QUOTES.search(doc.plain)) or GERUND_REPORTER.search(s) or _THIRD_PARTY_SAID.search(s))


# The writer counts themselves in: "as a gay man who grew up here", "I'm a proud Muslim", "we Sikhs".
_MEMBER_RE = re.compile(
    rf"\b(?:as an?|i'm an?|im an?|i am an?|speaking as an?|proud to be an?|we|we're|we are|us|fellow)"
    rf"(?: proud| \w+)? {_IDADJ}s?\b"
)


def speaks_as_member(doc: Document) -> bool:
    """The writer names themselves as one of a protected group."""
    return _MEMBER_RE.search(doc.text) is not None


# Members of the writer's family, as people name them ("my daughter", "our twins").
FAMILY_MEMBER = (
    r"(?:sons?|daughters?|child|children|kids?|boy|girl|brother|sister|grandson|granddaughter|grandkids|nephew"
    r"|niece|twins?|husband|wife|partner|cousin|mum|mam|dad)"
)
# The writer's own family, named as one of a group: "my gay son was chuffed to bits", "my autistic
# daughter has waited two years for an EHCP".
_OWN_KIN_RE = re.compile(rf"\bmy (?:\w+ )?{_IDADJ} (?:{FAMILY_MEMBER}|mom)\b")


def speaks_of_own_kin(doc: Document) -> bool:
    """The writer names someone of their own family as one of a protected group."""
    return _OWN_KIN_RE.search(doc.text) is not None


def reported_or_quoted(doc: Document) -> bool:
    """The reply quotes or reports someone else's words (so its strong words may not be its own)."""
    s = doc.text
    return bool(reports_speech(doc) or _COUNTER_BEFORE.search(_OWN_QUESTION.sub(" ", s)))


def negated(doc: Document) -> bool:
    """The reply has a negation somewhere ("not", "never", "don't", ...)."""
    return _NEGATOR_RE.search(doc.text) is not None


# Words that are slurs from outsiders and reclaimed by the people they name, when the writer counts
# themselves in ("us homos", "a bunch of loud queers", "me and my niggas", "the other old biddies").
_RECLAIMED = frozenset(
    {"queer", "queers", "homo", "homos", "nigga", "niggas", "dyke", "dykes", "poof", "poofs", "bender", "benders"}
    | {"biddies", "old biddies"}
)
_SELF_BEFORE = re.compile(
    r"\b(?:us|we|we're|we are|me and my|me and the other|my fellow|fellow|i'm an?|i am an?|as an?|proud"
    r"|(?<!what a )(?<!such a )bunch of|us lot|the rest of us)(?: [a-z']+){0,2} ?$"
)


def _said_of_oneself(s: str, start: int, end: int) -> bool:
    return s[start:end] in _RECLAIMED and bool(_SELF_BEFORE.search(s[max(0, start - 40) : start]))


# Violent words in idioms of money and trust: "bleed pensioners dry", "wouldn't trust one of them
# as far as I could throw them".
_NOT_VIOLENCE = re.compile(r"\bas far as (?:i|you|we|he|she) (?:could|can) throw\b|\bbleed (?:\w+ ){1,6}dry\b")


def analyse(doc: Document) -> list[Cue]:
    s = doc.text
    line = _line(s)
    if not line.has_group and not _IDADJ_RE.search(line.text):
        return []
    text = line.text
    cues: list[Cue] = []
    seen: set[tuple[str, bool]] = set()
    for form in _FORMS:
        for m in form.regex.finditer(text):
            start, end = m.span()
            if _negated(form, text, start, end) or _reported(text, start, end, s):
                continue
            if form.threat and _NOT_VIOLENCE.search(text, max(0, start - 20), min(len(text), end + 40)):
                continue
            if form.alone and (_has_quotation(s) or _REPORTER_RE.search(text, 0, start)):
                continue
            first, last = _word_at(line, start), _word_at(line, max(start, end - 1))
            grp_words = [i for i in range(first, last + 1) if i in line.categories]
            earlier = [i for i in line.categories if i < first]
            if grp_words:
                category = line.categories[grp_words[0]]
            elif earlier:
                category = line.categories[earlier[-1]]  # "Refugees got the hotel. Parasites."
            else:
                idadj = _IDADJ_RE.search(text, start, end)
                if not idadj:
                    continue
                category = _IDENTITY_ADJ[idadj.group()]
            a, b = line.spans[first][0], line.spans[last][1]
            if any(_said_of_oneself(s, *line.spans[i]) for i in grp_words):
                continue
            key = (category, form.threat)
            if key in seen:
                break
            seen.add(key)
            cite = doc.cite(0, a, b)
            cues.append(Cue(3, category, form.score, "high", f"{form.label}: {cite}"))
            if form.threat:
                cues.append(Cue(2, "threat", form.score, "critical", f"{form.label}: {cite}"))
            break
    return cues
