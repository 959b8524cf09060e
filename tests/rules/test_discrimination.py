"""Rule 3: the seven categories, and everything that must not be mistaken for them."""

from __future__ import annotations

import pytest

from moderation.rules import Engine, learned
from moderation.rules.discrimination import CATEGORIES

ENGINE = Engine()


def categories(text: str, author: dict | None = None) -> set[str]:
    return ENGINE.classify(text, author).categories


def test_category_names_are_the_agreed_ones():
    assert CATEGORIES == ("racism", "sexism", "ageism", "ableism", "homophobia", "transphobia", "religion")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # slurs, UK and US usage
        ("Another p*ki on the council, great", "racism"),
        ("the estate is full of pikeys now", "racism"),
        ("bunch of wogs running the town hall", "racism"),
        ("typical faggot councillor", "homophobia"),
        ("you're a bender, everyone knows it", "homophobia"),
        ("Get that tranny off the school governors", "transphobia"),
        ("what a retard", "ableism"),
        ("Only spastics would design a junction like that", "ableism"),
        ("the kikes on the planning board", "religion"),
        ("Listen here you stupid bitch", "sexism"),
        ("another coffin dodger on the council", "ageism"),
        # derogation and dehumanisation
        ("Immigrants are vermin and you let them in", "racism"),
        ("Asylum seekers are parasites, every one of them", "racism"),
        ("these migrants are animals", "racism"),
        ("Muslims are terrorists, simple as", "religion"),
        ("Islam is a cancer on this town", "religion"),
        ("Gays are perverts and shouldn't be near schools", "homophobia"),
        ("Trans women are men in dresses", "transphobia"),
        ("Disabled people are a drain on the rest of us", "ableism"),
        ("Pensioners are bed blockers, the lot of them", "ageism"),
        ("Women are too emotional to run a council", "sexism"),
        # exclusion
        ("Go back to your own country", "racism"),
        ("send them back, all of them", "racism"),
        ("Women should stay in the kitchen", "sexism"),
        ("Get back in the kitchen, love", "sexism"),
        ("Old people shouldn't be allowed to vote on things that affect us for fifty years", "ageism"),
        ("You're too old to understand how people use the app", "ageism"),
        ("Gays shouldn't be allowed to adopt", "homophobia"),
        ("Ban the mosque extension and no more mosques in this town", "religion"),
        ("The Jews control the planning committee", "religion"),
        # identity-targeted insults
        ("Typical woman, can't make a decision", "sexism"),
        ("Are you autistic or something?", "ableism"),
        ("Calm down dear, it's only a bypass", "sexism"),
        ("you'll never be a real woman", "transphobia"),
        ("dirty immigrants ruining the high street", "racism"),
    ],
)
def test_discrimination_is_flagged_in_its_category(text, category):
    verdict = ENGINE.classify(text)
    hit = verdict.hit(category)
    assert hit is not None, verdict.as_dict()
    assert hit.rule == 3
    assert hit.severity == "high"


def test_discrimination_with_a_threat_is_critical_and_the_threat_is_reported_separately():
    verdict = ENGINE.classify("Go back where you came from or you'll get hurt")
    assert verdict.hit("threat").severity == "critical"
    assert verdict.hit("threat").rule == 2
    assert verdict.hit("racism").severity == "critical"
    assert verdict.severity == "critical"


def test_incitement_against_a_group_is_a_threat_and_discrimination():
    verdict = ENGINE.classify("muslims should be shot")
    assert {"threat", "religion"} <= verdict.categories
    assert verdict.hit("religion").severity == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "As a gay man I support the Pride picnic in the park",
        "The mosque open day was lovely, thank you for coming",
        "Older residents need better buses to the hospital",
        "My daughter is autistic and the SEN transport has been cut again",
        "Please make the new toilets accessible for wheelchair users",
        "Proud to see so many women standing for the council this year",
        "The synagogue and the church are running a joint food bank",
        "Trans people deserve the same respect as everyone else",
        "Many of our immigrants work in the care homes and the NHS",
        "I'm 78 and I still cycle to the allotment",
        "We go back to Poland every summer to see my grandparents",
        "I'm flying home to Jamaica for my nan's 90th",
        "You're never too old to learn to swim, the new lessons are great",
        "Send them back to the drawing board, this junction design is dangerous",
        # The writer is the subject ("I don't feel safe"), not the group.
        "Better lighting in the park please. As a woman I don't feel safe walking home that way",
        "As a bisexual woman I'm grateful the council flew the flag, it means a lot to young people",
        # "Out" that is not a slogan, "it" that is not a person.
        "Muslim, Hindu and Sikh volunteers handed out 300 hot meals at the night shelter",
        "See you at the mosque open day on Sunday, looking forward to it",
        "Grandma is Chinese and doesn't read English, can bin notices be translated?",
    ],
)
def test_neutral_or_positive_mentions_of_groups_are_clean(text):
    assert categories(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Saying 'send them back' is racist and you should be ashamed",
        "Someone shouted 'go back to your own country' at my neighbour. Disgusting.",
        "Whoever keeps telling her to go back where she came from: she was born here.",
        "It's vile to call immigrants vermin.",
        'People calling the Pride volunteers "perverts" should be ashamed of themselves',
    ],
)
def test_counter_speech_quoting_hate_to_condemn_it_is_not_discrimination(text):
    assert not {h.category for h in ENGINE.classify(text).hits if h.rule == 3}


@pytest.mark.parametrize(
    "text",
    [
        "Immigrants are not vermin, they're our neighbours",
        "Nobody here thinks Muslims are terrorists",
        "It's a myth that disabled people are a drain on the council",
    ],
)
def test_negated_hate_is_not_discrimination(text):
    assert not {h.category for h in ENGINE.classify(text).hits if h.rule == 3}


@pytest.mark.parametrize(
    "text",
    [
        "He nipped out for a packet of fags and the shop was shut",
        "The flooding on Dyke Road is back",
        "Went on a bender after the count, no regrets",
        "The flame retardant in the new cladding needs checking",
        "As a queer woman I'm thrilled the library has a Pride display",
        "Our cat is a Maine Coon and she sits on the wall by the bus stop",
        "There's a chink of light in the budget at last",
    ],
)
def test_homonyms_and_reclaimed_self_reference_are_not_slurs(text):
    assert not {h.category for h in ENGINE.classify(text).hits if h.rule == 3}


def test_i_am_not_racist_but_is_still_racist():
    assert "racism" in categories("I'm not racist but immigrants are parasites")


def test_obfuscated_slurs_are_caught_and_the_reason_says_so():
    hit = ENGINE.classify("n\u200bi\u200bg\u200bg\u200be\u200br").hit("racism")
    assert hit is not None
    assert "obfuscated" in hit.reason


def test_masked_slur_in_a_smoking_context_is_still_a_slur():
    # Nobody masks "fags" when they mean cigarettes.
    assert "homophobia" in categories("Park full of f*gs smoking and snogging")


def rule_3(text: str) -> bool:
    return any(hit.rule == 3 for hit in ENGINE.classify(text).hits)


def hate_of(text: str, category: str) -> bool:
    hit = ENGINE.classify(text).hit(category)
    return hit is not None and hit.rule == 3


@pytest.mark.parametrize(
    "text",
    [
        "The butcher on Mill Street makes the best faggots for miles, please back the small shops.",
        "Faggot and some mushy peas from the chippy, sorted.",
        "The drainage dyke behind the allotments has burst its banks again.",
        "The old dyke held the sea back for three hundred years.",
        "It's been a queer old week at the town hall.",
        "Any chink in the flood wall and the whole terrace goes under.",
        "The tranny's packed in on the council minibus again.",
        "The old slag heap above the village needs fencing before a kid falls.",
    ],
)
def test_food_floods_old_words_and_spoil_heaps_are_not_slurs(text):
    assert not rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "Love you, my fellow queers, see you at the march.",
        "Proud dyke here, happy to help with the sandbags.",
        "Us homos on the allotment committee want the rainbow bench kept.",
        "We're just a bunch of loud queers who want the library open.",
    ],
)
def test_slurs_reclaimed_by_the_people_they_name(text):
    assert not rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "You queers should keep away from the park.",
        "Homos like you shouldn't be near kids.",
    ],
)
def test_the_same_words_aimed_at_the_reader_are_still_slurs(text):
    assert rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "Racism against Sikhs has no place in this town.",
        "Abuse of trans people online is disgusting.",
        "People mocking disabled kids on Facebook is vile.",
        "The hatred aimed at refugees outside the hotel was shameful.",
    ],
)
def test_hate_named_in_order_to_condemn_it_is_counter_speech(text):
    assert not rule_3(text)


def test_the_same_frames_without_condemnation_are_still_hate():
    assert rule_3("Hatred of immigrants is only natural, they are parasites.")


@pytest.mark.parametrize(
    "text",
    [
        "The Somalis in the flats above the bookies are filthy animals.",
        "The refugees at the old army camp are vermin.",
        "Mus lims are a plague on this town.",
        "Asy lum seekers are parasites.",
        "Gya people make me sick.",
        "The refgees on Station Road are scum.",
    ],
)
def test_a_group_named_then_placed_or_spelt_to_dodge_a_filter_is_still_hate(text):
    assert rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "The refugees at the old army camp are lovely people.",
        "The Muslims on our street are a credit to the town.",
        "The black smith on the corner is brilliant.",
        "We sat in the police station for an hour.",
    ],
)
def test_placed_groups_described_kindly_and_split_ordinary_words_are_not_hate(text):
    assert not rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "How could anyone trust a Romanian?",
        "The Somalis on our estate are not law-abiding, whatever the council says.",
        "I have never met a Traveller who wasn't a thief.",
        "I don't think asylum seekers deserve any help.",
    ],
)
def test_questions_and_denied_virtues_about_a_group_are_hate(text):
    assert rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "How can anyone not love our Sikh neighbours?",
        "I've never met a Pole who wasn't lovely.",
        "Jewish families on our road are not responsible for a war abroad.",
        "I don't think Chinese people deserve the abuse they get.",
    ],
)
def test_the_same_shapes_with_kindness_are_not_hate(text):
    assert not rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "Muslims out!",
        "Poles and Romanians out",
        "trans women aren't women, they're things",
        "Muslims will never be British",
    ],
)
def test_slogans_and_predicates_the_narrower_forms_still_read(text):
    assert 3 in ENGINE.classify(text).rules


def test_a_nationality_is_racism_not_sexism():
    verdict = ENGINE.classify("The Romanians above the chip shop are thieves, every one of them")
    assert [h.category for h in verdict.hits if h.rule == 3] == ["racism"]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Don't you think Muslims are just a danger to everyone?", "religion"),
        ("Can anyone tell me why gay people are always so disgusting?", "homophobia"),
    ],
)
def test_a_question_asking_the_reader_to_agree_is_the_writers_own_hate(text, category):
    assert hate_of(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "Don't you think women are the backbone of this council?",
        "Can anyone tell me why people keep saying gay people are disgusting? It's hateful",
        "Lovely to see the Eid lights up on the high street, thanks to everyone who helped",
        "People who say Muslims are a danger to everyone should be ashamed",
    ],
)
def test_questions_praise_and_counter_speech_about_a_group_stay_clean(text):
    assert not rule_3(text)


def test_sarcastic_praise_does_not_hide_hate_from_the_second_reading():
    verdict = ENGINE.classify(
        "Lovely new park benches by the station. Bet the Romanians are sleeping on them by Friday"
    )
    hit = verdict.hit("racism")
    assert hit is not None and hit.rule == 3 and "text model" in hit.reason
    assert hit.score >= learned.OVERRULING_HATE_FLOOR


def test_a_writer_who_counts_themselves_in_is_not_read_past_their_praise(monkeypatch):
    asked = []
    real = learned.group_head.group_scores
    monkeypatch.setattr(learned.group_head, "group_scores", lambda *a, **k: asked.append(a) or real(*a, **k))
    verdict = ENGINE.classify("As a gay man who grew up on Mill Lane I'm proud of this town. Thank you.")
    assert 3 not in verdict.rules
    assert asked == []  # the model is not asked about a thank-you from one of the group


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Of course one of those trans people would say that", "transphobia"),
        ("Trust the immigrants to mess it up again", "racism"),
        ("Muslims only have themselves to blame", "religion"),
        ("Our town was better before the black people arrived", "racism"),
    ],
)
def test_a_group_named_as_the_reason_is_implicit_derogation(text, category):
    assert hate_of(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "Of course a Sikh family would be first to help at the flood",
        "Leave it to the Muslim community to organise the best Eid fair yet",
        "The women only have themselves to thank for this win",
        "Our town was better before the new ring road arrived",
    ],
)
def test_the_same_shapes_with_credit_or_no_group_are_not_hate(text):
    assert not rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "Eritreans in the hotel ought to be shot on the beach",
        "Small boat arrivals are vermin",
        "Kashmiris are all crooks",
    ],
)
def test_more_nationalities_and_arrivals_are_named_groups(text):
    assert ENGINE.classify(text).hit("racism") is not None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("No wonder the economy is struggling with all these immigrants", "racism"),
        ("I'm not racist but black people commit more crime", "racism"),
        ("There's a reason they don't let women fly planes", "sexism"),
        ("Give it twenty years and this will be a Muslim country", "religion"),
        ("Funny how every grooming gang is the same religion", "religion"),
        ("We all know which community the drugs come from", "racism"),
    ],
)
def test_blame_takeover_and_a_group_pointed_at_without_its_name(text, category):
    assert hate_of(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "All the volunteers at the fun day were from the same community",
        "In ten years this will be a Polish town, says the census, and that's great",
        "No wonder the fun day was packed with all these immigrants making friends",
        "Companies that hire migrants who commit crimes should be fined",
    ],
)
def test_the_same_shapes_said_kindly_or_of_some_are_not_hate(text):
    assert not rule_3(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Nobody asked for more trans people", "transphobia"),
        ("Only in Britain would gay people get a council house before a local", "homophobia"),
        ("Women need to learn their place", "sexism"),
    ],
)
def test_a_group_unwanted_favoured_or_put_in_its_place(text, category):
    assert hate_of(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "Nobody wants disabled people left without a bus service",
        "Only in Britain would a refugee get a warmer welcome than at home, proud of us",
        "Nobody asked for more potholes",
    ],
)
def test_wishes_for_a_group_and_pride_in_welcoming_it_are_not_hate(text):
    assert not rule_3(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("M*slims are scum", "religion"),
        ("mus1ims are scum", "religion"),
        ("Muzlims are a disease", "religion"),
        ("Jewz are parasites", "religion"),
        ("w*men are stupid", "sexism"),
    ],
)
def test_group_names_masked_or_respelt_to_dodge_a_filter(text, category):
    assert hate_of(text, category)


def test_a_masked_word_that_is_not_a_group_is_left_alone():
    assert 3 not in ENGINE.classify("The m*sic was awful and the s*und worse").rules


@pytest.mark.parametrize(
    "text",
    [
        "Someone on Facebook said trans people are mentally ill, blocked them",
        "Someone at the bus stop said Muslims are terrorists, reported it",
    ],
)
def test_hate_reported_from_someone_and_blocked_or_reported_is_counter_speech(text):
    assert not rule_3(text)


def test_blocking_the_people_who_disagree_does_not_excuse_the_hate():
    assert ENGINE.classify("Trans people are mentally ill, blocked anyone who disagrees").hit("transphobia") is not None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I wouldn't eat food cooked by a Muslim", "religion"),
        ("A disabled person as PM? Don't make me laugh", "ableism"),
        ("Black people are naturally better at crime", "racism"),
        ("It's wrong for gay people to adopt", "homophobia"),
        ("We need to stop letting immigrants in", "racism"),
    ],
)
def test_a_group_shunned_mocked_or_denied_its_rights(text, category):
    assert hate_of(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "It's wrong for disabled people to be denied access to the pool",
        "Stop letting refugees sleep in the cold, open the hall",
        "A woman as mayor? Brilliant news, congratulations",
        "It's dangerous for gay people to walk home on that road at night, we need lighting",
    ],
)
def test_rights_defended_and_worry_for_a_groups_safety_are_not_hate(text):
    verdict = ENGINE.classify(text)
    assert 3 not in verdict.rules
    assert verdict.hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "Dyke and proud, and still waiting on the council to fix the changing rooms at the lido",
        "As one old queen to another, councillor, that was a cracking speech. This old queer salutes you.",
        "Big daft crip from Ashton here 👋 the new dropped kerbs are a godsend",
        "Me and the other old poofs from the bowls club will be at the Pride picnic",
        "We're the dykes and queers your predecessor tried to ban from the library, and we're still here",
    ],
)
def test_a_slur_reclaimed_by_the_writer_about_themselves_is_clean(text):
    assert not rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "Another bunch of pakis on the council, this town is finished",
        # A bunch the writer does not say they are part of.
        "Bunch of trannies hanging round the library again",
        "Look at this queer walking down the high street like he owns it",
        "Dirty dykes the lot of them",
    ],
)
def test_the_same_slurs_aimed_at_others_are_still_rule_3(text):
    assert rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "There's no such thing as an honest Albanian car dealer",
        "Not one Romanian plasterer has ever done a decent job on this estate",
        "Autistic people are never as autistic as they make out when there's a benefit in it",
    ],
)
def test_negated_praise_of_a_group_is_rule_3(text):
    assert rule_3(text)


def test_a_group_said_to_be_as_capable_as_it_says_is_clean():
    assert not rule_3("Disabled people are every bit as capable as they say, give them the jobs")


@pytest.mark.parametrize(
    "text",
    [
        "Faggots, chips and mushy peas at the Legion quiz night, cracking value",
        "Picked up a dozen faggots from the butcher on Queen Street for Sunday",
        "The woodland trust volunteers tied the hazel trimmings into faggots for kindling",
        "My gran gave to the Spastics Society for years before it was renamed Scope",
        "Thanks to Mrs Coon at the library for sorting the large print section",
        "Community centre kitchen is spick and span after the deep clean, thank you",
    ],
)
def test_a_slurs_innocent_sense_is_clean_for_the_rules_and_the_models(text):
    assert not rule_3(text)


def test_a_word_that_only_begins_like_the_innocent_sense_is_still_the_slur():
    # "teaching" is not "tea".
    assert rule_3("I don't want some faggot teaching my lad to swim")


@pytest.mark.parametrize(
    ("text", "hateful"),
    [
        ("Every Pole on that building site wants sending home", True),
        ("Not one Pole in this town can be trusted", True),
        ("The telegraph pole outside number 12 came down in the storm", False),
        ("Verstappen took pole position again, boring season", False),
    ],
)
def test_a_pole_is_a_person_unless_it_holds_something_up(text, hateful):
    assert rule_3(text) is hateful


@pytest.mark.parametrize(
    "text",
    [
        "I happen to think Muslims are a danger to this country",
        "I have to say Romanians have ruined the market",
        "Personally I reckon women aren't cut out for running a council",
    ],
)
def test_an_opinion_the_writer_owns_is_the_writers_hate(text):
    assert rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "People like to think Muslims are a danger, and it's a lie",
        "The Bangladeshi family who took over the corner shop have made it the best on the street",
    ],
)
def test_an_opinion_reported_to_condemn_it_or_a_shop_taken_over_is_clean(text):
    assert not rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nurses from overseas aren't a burden on the NHS, they practically run it",
        "The women's team at the leisure centre absolutely smashed it on Saturday",
        # "Deaf people pick up things the rest of us never notice" is tested in the grammar alone
        # below: the hate-and-threat models of rules-3.0 and rules-3.2 read this praise as hate
        # (0.96, 0.97), that of rules-3.1 did not (MODEL_CARD.md, known weaknesses).
    ],
)
def test_it_and_things_as_the_object_of_a_verb_do_not_dehumanise(text):
    assert not rule_3(text)


def test_things_as_the_object_of_a_verb_do_not_dehumanise_in_the_grammar(monkeypatch):
    # The grammar reads no "things" here, whatever the hate-and-threat model says.
    from moderation.rules import group_head

    monkeypatch.setattr(group_head, "group_scores", lambda texts, prepared=False: None)
    assert not rule_3("Deaf people pick up things the rest of us never notice")


def test_a_group_called_things_is_still_dehumanised():
    assert rule_3("Trans people are just things, not people")


@pytest.mark.parametrize(
    "text",
    [
        "Fed up of reading homophobic rubbish under the council's Pride post. Gay people just want to live.",
        "Nobody in our block thinks the Somali family upstairs are any bother, they're lovely",
        "I don't believe for a minute that Polish drivers are the problem on the bypass",
    ],
)
def test_words_against_prejudice_and_beliefs_denied_are_clean(text):
    assert not rule_3(text)


def test_run_together_words_are_still_read():
    assert rule_3("muslimscantbetrusted, everyone knows it")


@pytest.mark.parametrize(
    "text",
    [
        "The gurdwara volunteers were out helping after the flood on Canal Street",
        "Scapegoating Romanians for the state of the market is lazy and wrong",
    ],
)
def test_a_flood_that_is_weather_and_scapegoating_named_to_condemn_it_are_clean(text):
    assert not rule_3(text)


def test_a_group_said_to_flood_in_is_still_rule_3():
    assert rule_3("Migrants flood into this country every summer and nobody stops them, parasites")


@pytest.mark.parametrize(
    "text",
    [
        "Bunch of thick micks on the roadworks again, nobody's paid tax in years",
        "Are there any Albanians in this town who aren't dealing?",
        "Criminals posing as refugees, that's all the council is housing",
        "Wo men should never chair a finance committee",
    ],
)
def test_more_wordings_of_hate_are_rule_3(text):
    assert rule_3(text)


def test_a_man_called_mick_is_clean():
    assert not rule_3("Mick from the bowls club fixed the fence for free, what a star")


def test_a_lone_word_after_hate_reported_judges_the_report():
    assert not rule_3("Someone has sprayed 'go home' on the front of the Polish shop. Vile. Please get it removed")


def test_a_lone_insult_after_a_group_is_still_hate():
    assert rule_3("Another lot of Albanians moved into the flats. Parasites.")


@pytest.mark.parametrize(
    "text",
    [
        "Hindus act like they own this town now",
        "Refugees sitting at home doing nothing while the rest of us pay for it",
        "The Jews wield far too much influence over the press",
        "Never met a decent Nigerian in my life",
        "My nan says the Romanians are thieves, and she's dead right",
    ],
)
def test_lording_it_idleness_undue_influence_and_hate_agreed_with_are_rule_3(text):
    assert 3 in ENGINE.classify(text).rules


@pytest.mark.parametrize(
    "text",
    [
        "Muslims don't think they own the place, they want a prayer room like anyone else",
        "Refugees aren't sitting at home doing nothing, they volunteer at the food bank",
        "Anyone who thinks Muslims should be burned out of their homes needs help",
        "Saw two lads holding hands on the prom, made my day",
        "The Somali restaurant on Mill Road is brilliant",
        "Landlords have far too much power over tenants in this borough",
    ],
)
def test_the_same_words_denied_reported_answered_or_kind_are_not_rule_3(text):
    verdict = ENGINE.classify(text)
    assert 3 not in verdict.rules and verdict.hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "Queer and staying put in Hebden, whatever the letters page thinks",
        "Queer, trans and going nowhere. Thanks for the bench on the front.",
        "Our whippet bitch is expecting pups in May, any takers in the ward?",
        "The dyke running behind Marsh Lane needs dredging before the winter floods",
        "Off on an almighty bender in Blackpool for our Shaz's hen do",
    ],
)
def test_reclaimed_words_and_dogs_ditches_and_benders_are_not_hate_to_rules_or_model(text):
    assert 3 not in ENGINE.classify(text).rules


@pytest.mark.parametrize(
    "text",
    [
        "Couple of dykes running the youth club now, no wonder the lads have stopped going",
        "That bitch of a councillor had a litter of excuses for the bins",
        "Queers, trans and the rest of them should stay away from our school",
    ],
)
def test_the_same_words_aimed_at_people_are_still_hate(text):
    assert 3 in ENGINE.classify(text).rules


def test_a_disability_that_describes_the_writers_family_is_no_insult():
    from moderation.rules import discrimination
    from moderation.rules.normalise import Document

    assert discrimination.detect(Document("@cllr_rees my autistic daughter has waited 2 years for an EHCP")) == []
    assert discrimination.detect(Document("our son is on the spectrum and the school won't help")) == []
    assert discrimination.detect(Document("@cllr_rees you autistic clown, answer the question"))


def test_astonishment_is_no_negation_of_a_slur_but_a_view_reported_still_is():
    assert rule_3("Can't believe this ward actually elected a faggot")
    assert rule_3("cannot believe the council's flying a flag for a bunch of faggots")
    assert not rule_3("Can't believe people still say faggot in 2026")
    assert not rule_3("I can't believe anyone thinks gay people are sick")


@pytest.mark.parametrize(
    "text",
    [
        "Queer elders' coffee morning at St John's hall needs a new venue now the lease is up",
        "The queer choir are singing at the fete on Saturday, come along",
    ],
)
def test_a_queer_group_or_event_is_no_slur(text):
    assert not rule_3(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is it faggots or sausages at the Legion carvery on Sunday?",
        "I'm trans and my mates and I jokingly call ourselves trannies, our word not yours",
    ],
)
def test_a_menu_and_a_word_the_writer_calls_themselves_are_no_slur(text):
    assert not rule_3(text)
