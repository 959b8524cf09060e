"""Protected groups (rule 3) as people name them, by category.

Shared by the discrimination detector ("immigrants are vermin") and the threat detector
("muslims should be shot"), which must recognise the same groups. Plural or collective forms,
because derogation generalises; singular insults live with the slurs in discrimination.py.
Everything is lowercase and matched on the normalised text.
"""

from __future__ import annotations

import re

from moderation.rules.patterns import alternation

GROUPS: dict[str, str] = {
    "racism": (
        "immigrants|migrants|asylum seekers|refugees|foreigners|illegals|illegal immigrants|illegal migrants"
        "|blacks|black people|black men|black women|asians|pakis|pakistanis|indians|bangladeshis|africans"
        "|nigerians|somalis|arabs|chinese|chinese people|eastern europeans|poles|polish people|romanians"
        "|bulgarians|albanians|gypsies|gipsies|travellers|pikeys|roma|jamaicans|mexicans|the irish|the scots"
        "|the welsh|the english|boat people|non-whites|non whites|ethnics|brown people|foreign nationals"
        "|these people from abroad|wogs|niggers|coons|chinks|darkies|foreign scum"
    ),
    "sexism": "women|woman|females|girls|ladies|wives|mothers|mums|men|males|feminists",
    "ageism": (
        "old people|older people|pensioners|oaps|the elderly|old folk|old folks|boomers|baby boomers"
        "|the old|old codgers|old farts|coffin dodgers|coffin-dodgers|young people|youngsters|millennials"
        "|gen z|zoomers|teenagers|over-\\d\\ds|over \\d\\ds|under-\\d\\ds|under \\d\\ds|the over \\d\\ds|the old ones"
    ),
    "ableism": (
        "disabled people|the disabled|cripples|autistic people|autistics|wheelchair users|the mentally ill"
        "|mentally ill people|people with learning disabilities|blind people|deaf people|retards|spastics"
        "|downs people|the handicapped|handicapped people"
    ),
    "homophobia": (
        "gays|gay people|gay men|lesbians|homosexuals|homos|queers|bisexuals|faggots|fags|poofs|the gays"
        "|lgbt people|lgbtq people|lgbt|lgbtq|lgbtq\\+|the lgbt community|gay couples|homosexuality|being gay"
        "|gayness|pride|gay pride|dykes"
    ),
    "transphobia": (
        "trans people|trans women|transwomen|trans men|transmen|transgender people|transgenders|transsexuals"
        "|trannies|trannys|non-binary people|enbies|trans kids|the trans community|being trans|transgenderism"
        "|trans ideology|trans activists|troons|trans"
    ),
    "religion": (
        "muslims|moslems|muzzies|islam|jews|the jews|jewish people|judaism|christians|catholics|protestants"
        "|hindus|sikhs|buddhists|mormons|the muslim community|the jewish community|mosques|synagogues"
        "|imams|rabbis|priests"
    ),
}

GROUP_PATTERNS: dict[str, str] = {category: alternation(words) for category, words in GROUPS.items()}
ANY_GROUP = alternation("|".join(GROUPS.values()))
# A protected group named, without the words that are also ordinary phrases ("the old cinema", "pride in").
NAMED_GROUP = alternation(
    "|".join(w for words in GROUPS.values() for w in words.split("|") if w not in {"the old", "pride", "gay pride"})
)
_GROUP_FULL = [(category, re.compile(pattern)) for category, pattern in GROUP_PATTERNS.items()]


def group_category(name: str) -> str | None:
    """Which category a matched group name belongs to (first listed wins)."""
    for category, pattern in _GROUP_FULL:
        if pattern.fullmatch(name):
            return category
    return None
