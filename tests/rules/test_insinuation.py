"""Rule 3 by insinuation: the group is named and the slur left for the reader to supply."""

from __future__ import annotations

import pytest

from moderation.rules import Engine
from moderation.rules.groups import reported_or_quoted, unquoted
from moderation.rules.insinuation import detect
from moderation.rules.normalise import Document

ENGINE = Engine()


def hateful(text: str) -> bool:
    return any(hit.rule == 3 for hit in ENGINE.classify(text).hits)


@pytest.mark.parametrize(
    "text",
    [
        "Strange how the vans started getting broken into the month the Romanians moved onto Cross Street.",
        "Another Muslim on the licensing committee. Draw your own conclusions.",
        "Our new head of planning is a Black woman. Ticks every box, I suppose.",
        "Travellers on the playing field again. Hope your garage is insured, Cllr.",
        "A gay couple running the Sunday school now? Keep the kids well away.",
        "Of course the Jewish landlord wants the rents up. Count your change.",
        "Polish car wash opened on Ferry Road. Hide your catalytic converter.",
    ],
)
def test_an_insinuation_about_a_protected_group_is_rule_3(text):
    assert hateful(text)


def test_the_hit_says_it_is_an_insinuation_and_quotes_the_nudge():
    (cue,) = detect(Document("Funny how the thefts went up the week the Travellers pulled in."))
    assert cue.rule == 3 and cue.category == "racism" and cue.severity == "medium"
    assert cue.reason.startswith("insinuates something about a group:")
    assert "Funny how the thefts" in cue.reason


@pytest.mark.parametrize(
    "text",
    [
        # No protected group named.
        "Funny how the potholes got worse the year the new contractor started.",
        "Lock up your bikes, the CCTV on the station car park has been off for weeks.",
        # Praise, or the group named with no stereotype.
        "Funny how the town came alive since the Polish deli opened. Brilliant place.",
        "Of course the Sikh temple turned out to feed everyone during the floods, they always do. Heroes.",
        "Our new Muslim councillor obviously knows the ward inside out.",
        # Counter-speech: the insinuation named to condemn it.
        "People saying 'funny how crime went up when the Romanians arrived' are just being racist.",
        "It's racist to hint that the Travellers took the bikes. Lock-ups get broken into every winter.",
        # An identity adjective that is only a number of weeks.
        "She's got a 7 week old and she's obviously exhausted, give her a break.",
    ],
)
def test_named_groups_without_a_stereotype_or_with_condemnation_are_not_insinuations(text):
    assert not detect(Document(text))


@pytest.mark.parametrize(
    "text",
    [
        "Three new Albanian families on Kiln Lane and my shed's been done twice. Just saying.",
        'Another boatload of "refugees" booked into the Grand on the seafront. All lads, all with phones.',
        'So a trans "woman" is running the girls\' football club now. Keep an eye on your daughters.',
        "I see the Romanians have put in for another car wash. They won't stop till the whole parade is theirs.",
    ],
)
def test_the_writers_own_nudge_is_not_taken_for_a_report_of_someone_elses(text):
    # "just saying" is the writer's aside; a group's name in scare quotes is a sneer, not a quotation;
    # "won't stop till" does not tell anyone to stop.
    doc = Document(text)
    assert not reported_or_quoted(doc)
    assert unquoted(doc).text == doc.text


@pytest.mark.parametrize(
    "text",
    [
        'He called my neighbour a "paki" outside the chip shop. Reported it to the police.',
        'They keep calling the families at the Grand "invaders". They\'re children and their mums.',
        'People saying "refugees" like it\'s a dirty word should meet the lads at the Grand.',
        "Stop saying the Travellers took the bikes, the CCTV shows it was kids from the Moor.",
    ],
)
def test_quotations_and_reports_stay_someone_elses_words(text):
    assert reported_or_quoted(Document(text))


@pytest.mark.parametrize(
    "text",
    [
        # A group pointed at rather than named, with the nudge that asks the reader to finish it.
        "Funny how the garage break-ins on Elm Row started the week the new arrivals got the flats. Just saying.",
        "Not saying it's them, but the bike thefts began when they moored the asylum barge. Just saying.",
        "The market used to be proper English. Give it five years and you'll need an interpreter to buy a cabbage.",
        "Another mugging by the precinct. No need to tell us the colour of the lad, is there.",
        "Amazing how the 'disabled' lot on our road can all manage the stairs to the bookies.",
        "Another female-led scrutiny panel blows its budget. I'm sure that's pure coincidence.",
        "The bankers, the papers, the council: always the same sort of surname (((coincidence)))",
        "Diwali lights up on Belgrave Road again. Remember when you knew you were in England?",
        "Two blokes snogging at the bus stop by the primary school. Lovely. Just saying.",
        "Give it ten years and you'll need a passport to walk down Green Street.",
    ],
)
def test_a_group_pointed_at_with_a_nudge_is_rule_3(text):
    assert hateful(text)


@pytest.mark.parametrize(
    "text",
    [
        # The nudge and the pointer, but nothing sneered at: warm words or warm emoji.
        "Funny how the new arrivals from Ukraine have already joined the litter pick. Brilliant lot.",
        "Give it a week and the Diwali lights will be the best thing on the high street ❤️",
        # Funny how ... at people who are not a protected group.
        "Funny how the cabinet only finds money for the ring road in an election year.",
        "Amazing how the councillors all turn up when there's a camera and a ribbon to cut.",
        # The asylum barge as a matter of fact.
        "The asylum barge contract ends in March according to the Home Office letter.",
    ],
)
def test_pointers_and_nudges_without_a_sneer_are_clean(text):
    assert not hateful(text)


@pytest.mark.parametrize(
    "text",
    [
        "Traveller camp going in behind the leisure centre 🐀🐀 hide the strimmer",
        "Romanian hand car wash opening on the bypass 🤮🤮",
        "More of these 🐒🐒 moved onto our street this week",
        "🇵🇱 lot in the flats above the chippy 🐀🗑️",
        # "Nothing more to say", "needless to say": the writer's own words, not someone else's reported.
        "Somalis at the end of our road 🐀🐀 needless to say the bins are a state",
        "Gypsies on the rec again 🤮 nothing more to say",
    ],
)
def test_scorn_in_emoji_next_to_a_group_is_rule_3(text):
    assert hateful(text)


@pytest.mark.parametrize(
    "text",
    [
        "Took the grandkids to see the 🐒🐒 at Twycross zoo, best day out all summer",
        "Rats 🐀🐀 all over the bins behind the precinct again, when is pest control coming?",
        "Gay people are not 🤮, grow up",
        "Polish deli on the corner does the best pierogi in town 😍",
        "I 🤮 after the kebab from the van outside the Turkish barber's, my own fault",
    ],
)
def test_emoji_that_scorn_no_group_are_clean(text):
    assert not hateful(text)
