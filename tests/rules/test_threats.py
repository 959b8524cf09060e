"""Rule 2 threats: always critical, and never a politician's bad night at the ballot box."""

from __future__ import annotations

import pytest

from moderation.rules import Engine, learned

ENGINE = Engine()


def categories(text: str, author: dict | None = None) -> set[str]:
    return ENGINE.classify(text, author).categories


@pytest.mark.parametrize(
    "text",
    [
        "I will kill you if that bypass goes through",
        "Honestly I'm going to stab you next time I see you at the market",
        "we'll find you and hurt you",
        "You're dead. Mark my words.",
        "I'll break your legs, councillor",
        "Someone's going to put a bullet in your head one day",
        "I'm gonna burn your office down",
        "I'll kick your head in",
        "I will hunt you down",
    ],
)
def test_direct_threats_are_critical(text):
    verdict = ENGINE.classify(text)
    threat = verdict.hit("threat")
    assert threat is not None and threat.rule == 2
    assert threat.severity == "critical"
    assert verdict.severity == "critical"


def test_direct_threat_reason_quotes_the_words_and_scores_high():
    threat = ENGINE.classify("Vote for the incinerator and I will kill you").hit("threat")
    assert threat.reason == 'direct threat: "kill you"'
    assert threat.score >= 0.95


@pytest.mark.parametrize(
    "text",
    [
        "If you close the swimming baths you'll regret it",
        "Approve that mast and you'll get hurt",
        "Keep pushing this scheme or else.",
        "Carry on like this and you'll get what's coming to you",
    ],
)
def test_conditional_and_veiled_threats(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I hope you die",
        "hope you get cancer and your family watches",
        "Someone should shoot her",
        "You deserve to be hanged for what you did to this town",
        "Traitors like you should be strung up",
        "do the world a favour and drop dead",
    ],
)
def test_wished_harm_is_a_threat(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I know where you live.",
        "We found out where your kids go to school",
        "I know what time you leave the town hall on a Thursday",
        "Your daughter goes to St Mary's primary doesn't she",
    ],
)
def test_knowing_where_someone_lives_or_their_family_is_a_threat(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll smash your car windows in",
        "Would be a shame if something happened to your house",
        "Watch your back, I'll be waiting for you outside the surgery",
        "I hope your house burns down with you in it",
        "I hope someone runs you over on the way home",
        "Someone needs to teach you a lesson",
        "I'm coming round to sort you out",
        "watch yourself in the car park tonight",
        "You'll be sorry if you approve those flats",
    ],
)
def test_threats_to_property_and_veiled_menace(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    ["kill yourself", "KYS", "Go hang yourself, you parasite", "Do us all a favour and top yourself"],
)
def test_telling_someone_to_kill_themselves_is_a_critical_threat(text):
    threat = ENGINE.classify(text).hit("threat")
    assert threat is not None and threat.severity == "critical"
    assert "kill themselves" in threat.reason


def test_publishing_a_home_address_is_a_threat():
    threat = ENGINE.classify("She lives at 27 Orchard Grove, Westfield WF3 2LP. Go and tell her what you think.").hit(
        "threat"
    )
    assert threat is not None
    assert threat.reason.startswith("publishes a home address")
    assert "27 Orchard Grove" in threat.reason


def test_publishing_a_mobile_number_is_a_threat():
    threat = ENGINE.classify("His personal mobile is 07700 900982, ring him all night").hit("threat")
    assert threat is not None
    assert threat.reason == 'publishes a phone number: "07700 900982"'


@pytest.mark.parametrize("number", ["07700900123", "+44 7700 900123", "07700-900-123"])
def test_mobile_number_formats_are_recognised(number):
    assert "threat" in categories(f"here's her number {number}, tell her what you think")


@pytest.mark.parametrize(
    "text",
    [
        "Call me on 07700 900555 if you want to talk about the flooding",
        "The council switchboard is 01632 960000 if anyone needs it",
        "The streetlight outside 14 Beech Road has been out for a fortnight",
        "Samaritans are on 116 123, day or night, if this thread is getting to anyone",
    ],
)
def test_own_or_public_numbers_and_addresses_in_complaints_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "We'll kill you at the ballot box in May",
        "You'll get what's coming to you at the next election",
        "I'll shoot you an email with the photos",
        "Your days are numbered as a councillor",
        "If you close the library you'll regret it at the polls",
        "This decision will kill the high street",
        "I'm going to find you the figures by Friday",
        "My wife will kill me if I miss the parish meeting again",
        "You're dead right about the bus lane",
        "That's drop dead gorgeous, well done on the floral display",
        "Cyclists will get killed on that junction if you don't fix it",
        "You should hang your head in shame",
        "We'll beat you in May, no question",
        "I would never hurt you, I just want an answer about the bins",
        "Watch yourself on the ice by the bridge, it hasn't been gritted",
        "You'll be sorry you missed the quiz night!",
        "I'll sort you out a visitor parking permit",
        "Hope someone fixes the lights on Mill Lane soon",
        "The pothole outside the Co-op is going to hurt someone",
    ],
)
def test_electoral_and_everyday_figures_of_speech_are_not_threats(text):
    assert "threat" not in categories(text)


def test_a_weapon_at_a_place_is_a_threat_and_a_contest_at_a_game_is_not():
    # "At" excuses a contest, never a weapon.
    assert "threat" in categories("I'll bottle you at the residents' meeting on Friday")
    assert "threat" in categories("I'll glass you at the next ward surgery")
    assert "threat" not in categories("I'll thrash you at pool on Friday, Cllr")


def test_a_shame_if_the_readers_windows_got_broken_is_a_veiled_threat_and_a_shelter_vandalised_is_not():
    assert "threat" in categories("Would be a real shame if your office windows got broken. Again.")
    assert "threat" not in categories(
        "Be a real shame if the bus shelter got vandalised again, it's only just been fixed"
    )


def test_threat_against_family_is_reported():
    threat = ENGINE.classify("I'll hurt your kids").hit("threat")
    assert threat is not None and "family" in threat.reason


@pytest.mark.parametrize(
    "text",
    [
        "How would you feel if someone threw acid in your face before the vote?",
        "What if somebody torched your car one night, Cllr?",
        "Would be a real shame if your kids got hurt walking home from school.",
        "Wouldn't it be grand if every one of them got a bullet.",
        "Hope someone strangles you in your sleep.",
        "Cllr Moss deserves to be dragged out of the chamber and beaten senseless.",
        "Somebody should have shot him years ago.",
        "Someone needs to run the mayor over with one of his own buses.",
        "Want to see what happens when I catch you on your own?",
        "Bringing my knife for the lot of them on Saturday.",
        "Your kids walk past my house every morning. Just saying.",
        "If I see you at the count I'll knock you out cold.",
        "People like that, costing us all this money, should just be gassed.",
    ],
)
def test_threats_put_as_questions_wishes_and_hypotheticals(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "How would you feel if your kids got hurt on that junction? Fix the crossing.",
        "What if someone gets stabbed in the park, will the council care then?",
        "Would be a shame if the library closed, it's the only warm space we have.",
        "Wouldn't it be grand if the buses ran on time for once.",
        "We just need to hang in there together until the election.",
        "Hope someone fixes the streetlight before a pensioner gets hurt.",
        "Somebody should have fixed that pothole years ago.",
        "Want to see what happens when I show you the planning file?",
        "I'm bringing my knife for the cake at the coffee morning.",
        "The kids walk past my house to get to school and the pavement is a disgrace.",
        "The lads in my five-a-side team will knock you out of the cup.",
        "How would you feel if someone did that to your mum?",
        "Wouldn't it be nice if every voter got a visit from their councillor?",
        "How would you feel if someone beat you at your own game?",
        "You lot who signed it should hang your heads, and the photos should hang in the town hall.",
    ],
)
def test_questions_wishes_and_hypotheticals_without_harm_to_someone_are_not_threats(text):
    assert "threat" not in categories(text)


def test_harm_to_anyone_said_rather_than_asked_is_still_read_as_menace():
    # The question "what if someone gets stabbed?" is a worry; the statement can be a threat, and
    # the second reading is still asked about it.
    assert learned._threat_worth_asking("if that mosque opens someone will get hurt")
    assert not learned._threat_worth_asking("what if someone gets stabbed in the park, will the council care then?")


@pytest.mark.parametrize(
    "text",
    [
        "I'm bringing sandwiches to the meeting",
        "Fancy some photography at the fete? I'm bringing my camera gear!",
        "We're armed with the facts and we'll see you at committee.",
        "I'm waiting for the bus outside the library and it's 40 minutes late.",
        "Im waiting for the minutes of the last meeting.",
    ],
)
def test_bringing_or_waiting_without_a_weapon_or_menace_is_not_a_threat(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    ["I'm bringing a knife.", "I'm tooled up and waiting", "I'm outside.", "I'll be bringing my 🔪 to the count"],
)
def test_a_weapon_brought_or_menace_left_hanging_is_a_threat(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Keep looking over your shoulder, councillor.",
        "Asylum seekers should be lined up against a wall.",
        "Make the most of the summer fete, Cllr. It could be your last.",
        "Carry on like this and you'll be eating through a straw.",
        "Push the mast through and I'll make sure you never walk again.",
        "Holding a public meeting? Wear a stab vest.",
        "We only egged your car. Next time it won't be eggs.",
        "If that centre opens nobody walks out of it alive.",
        "We've got a list and we're working through it.",
        "We know their names and we know their bus stop.",
        "We've been watching you, Cllr.",
    ],
)
def test_injury_and_finality_foretold_without_a_word_of_violence(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "This could be your last chance to comment on the local plan.",
        "Enjoy the fete, Cllr, it might be your last as chair of the committee.",
        "You'll need a new set of bins after the strike, apparently.",
        "We've got a list of potholes for you, Cllr, 23 of them on Mill Lane.",
        "We know their names because they're on the planning application.",
        "I've been watching the council meeting online and you were brilliant.",
        "Stab vests for the community wardens were approved last night.",
    ],
)
def test_last_chances_lists_and_watching_meetings_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Gonna deck you the minute you walk into the Legion.",
        "Going to lamp you one when I see you, councillor.",
        "Keep it up and you're getting merked outside the library.",
        "I'm going to run you off the road on the way home from the count.",
        "You'll die screaming for what you did to our park.",
        "Approve those flats and I'll chin you, simple as.",
    ],
)
def test_threats_in_slang_and_without_a_spoken_subject(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Wanderers are going to murder Albion on Saturday, get yourself down there.",
        "Our lads will batter the council side at five-a-side next week.",
        "The fire station team is going to slaughter you in the tug of war at the gala.",
        "The council darts team is getting annihilated by the Crown on Friday, bless them.",
        "Our quiz team will destroy yours on Thursday night, Cllr.",
        "Going to get you a copy of the minutes tomorrow.",
        "Will see you at the surgery on Friday about the bins.",
        "People screaming go home at refugees outside the hotel should be ashamed.",
    ],
)
def test_matches_games_and_ordinary_plans_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "See you after the match, I'm going to batter you.",
        "Stop playing games, councillor, or you'll get hurt.",
        "You're no match for us, we'll batter you.",
        "Charity boxing match or not, I'm bringing a knife for you.",
    ],
)
def test_a_match_does_not_excuse_real_violence(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "That councillor should be hanged for what he did to the green belt.",
        "MPs like you should face a firing squad.",
        "Somebody please shoot the mayor.",
        "A pint for whoever finally torches that planning office.",
        "Anyone who glasses this councillor gets free drinks all night.",
        "Ever had your windows put through, Cllr?",
        "Know what a councillor looks like after a baseball bat?",
        "Do you realise how easy it'd be to slash your tyres?",
        "Who would even miss you if you got run over on the way home?",
    ],
)
def test_incitement_bounties_and_knowing_questions_about_harm(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Whoever wins the raffle gets a pint off me.",
        "How easy would it be to find your surgery times online?",
        "How easy would it be to find you a slot on Tuesday?",
        "Voters should swing to the Greens next time.",
        "Ever had your car windows cleaned by the lads at the market? Brilliant job.",
    ],
)
def test_prizes_questions_and_swings_that_harm_no_one(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Cllr Moss 🔪🔪⚰️",
        "see you at your surgery on Friday 🔫🔫",
        "your office tonight 🔥🔥🏢 don't be inside",
        "Cllr Ward 💣💥 you and your whole office",
    ],
)
def test_threats_in_emoji(text):
    threat = ENGINE.classify(text).hit("threat")
    assert threat is not None and threat.severity == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "Bringing the 🔪 for the cake at your surgery on Friday!",
        "Great turnout at the office today 🔥🔥",
        "You're the 💣, Cllr, what a speech",
        "Did you see someone said the mosque should be 💣? Reported it.",
        "The 🔪 crime figures for your ward are shocking, what is the plan?",
        "Our new community centre 🏢🔥 opens on Saturday, everyone welcome",
    ],
)
def test_emoji_for_cake_praise_reports_and_news_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Your husband walks the dog past the allotments at 6.30 every morning. Quiet spot. Just so you know.",
        "Those two Polish lads on Kent Road leave for the depot at 5am on weekday mornings. Just saying.",
        "The Somali shop won't be standing by Easter, me and my cousins will see to it.",
        "The next mosque they open goes up in flames.",
        "Migrants on the seafront had better watch their backs after dark.",
        "Muslims round here think they're safe? They won't be for long.",
        "Watch what happens to the next family like that who moves in.",
        "Vote against us again and see what happens.",
        "A few of my mates will be at your door at 3am if the depot closes.",
        "Gypsies on the common need hanging, not a new site.",
        "Women who answer back should be slapped.",
        "The Chinese lot should pay with their lives.",
        "That councillor deserves a visit from lads with baseball bats.",
        "Give them a hiding they won't forget at the church on Sunday.",
        "The Hindus deserve their temple burnt to the ground.",
        "Would anyone really mind if that gay bar got firebombed?",
        "Which refugee hostel do you reckon burns quickest?",
        "Who's going to stop us lynching a few of them?",
        "Any Pakistani in the park after ten is getting his head kicked in.",
        "Them Kurds are getting stabbed, watch.",
        "Hope the next bus through town flattens the lot of them.",
        "You'll be doing your next surgery with a broken jaw.",
        "One night, when you're least expecting it.",
        "Your house is the one with the red gate on Birch Road, isn't it?",
        "Anyone know where Cllr Patel lives? Asking for a few lads.",
        "We'll start slashing tyres, and then it'll be more than tyres.",
        "Someone might leave a little present through your letterbox.",
        "Do you think the Roma families on Elm Street will survive the winter?",
        "The Travellers by the ring road have had their last quiet summer.",
        "Her surgery's at ten on Saturday. Bring something heavy.",
    ],
)
def test_veiled_threats_without_a_word_of_violence_aimed_at_you(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "The bin lorry comes down our road at 6am every Tuesday and wakes the whole street.",
        "You leave the office at five every day, could surgeries run later?",
        "The Polish deli won't be open much longer, the rent has doubled. Such a shame.",
        "The old church went up in flames in 1941 and was rebuilt after the war.",
        "Cyclists had better stay in the bus lane until the new path opens.",
        "Pedestrians won't feel safe on that crossing until the lights are fixed.",
        "Let's wait and see what happens at the committee on Tuesday.",
        "Bring something heavy to hold the gazebo down at the fete.",
        "Bring your tools for the community allotment day.",
        "Ever since the new families moved in, the school choir has been brilliant.",
        "She came home from the match with a broken leg, poor thing.",
        "He should be kicked out of the cabinet for this.",
        "Will the high street survive the winter without the bus route?",
        "We leave a little present at the door of every new neighbour, a cake usually.",
        "Refugees bring knife skills from their restaurants, the new Syrian place is superb.",
    ],
)
def test_routines_closures_and_everyday_plans_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll throttle the next councillor who tells me to be patient.",
        "Next time I see you at the market I'm putting you through the shop window.",
    ],
)
def test_violent_words_the_second_reading_is_asked_about(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "We're coming for you at the ballot box with a knife",
        "We're coming for you at the hustings with a knife",
    ],
)
def test_a_weapon_beside_an_election_is_still_a_threat(text):
    assert ENGINE.classify(text).hit("threat") is not None


@pytest.mark.parametrize(
    "text",
    [
        # Words no election figure uses: a killing ordered, a life that won't last, a meeting in person.
        "I'll get you shot before the election, councillor",
        "Mark my words, you'll not live to see polling day",
        "You won't be making it to the count, pal",
        "Gonna batter ye next time I see ye at the hustings",
    ],
)
def test_the_frames_of_real_harm_beside_an_election_are_still_a_threat(text):
    assert ENGINE.classify(text).hit("threat") is not None


@pytest.mark.parametrize(
    "text",
    [
        "We'll batter you at the count, the doorstep numbers are brilliant",
        "You won't make it to the count as our candidate, the party will deselect you",
        "I'll see you at the count, and I'll be the one smiling",
    ],
)
def test_the_same_shapes_about_the_vote_are_not_threats(text):
    assert ENGINE.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "I'm coming for you at the hustings, bring your best arguments",
        "We're coming for you at the debate on Thursday, better have your numbers ready",
        "See you at the allotments on Sunday with my knife and fork for the bake-off",
    ],
)
def test_a_debate_or_a_knife_and_fork_is_not_a_threat(text):
    assert ENGINE.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        # "Warning" and "warned" are not "war"; a war memorial is a meeting point.
        "I'll be asking you at every surgery until the crossing on Longmoor Road gets done, fair warning",
        "I'll see you at the ward walkabout at 11, meeting point is the war memorial",
        # An accident foretold, on the ice or the steps.
        "Someone will break their neck on those icy steps by the station if they don't get gritted",
    ],
)
def test_warnings_and_accidents_foretold_are_not_threats(text):
    assert ENGINE.classify(text).hit("threat") is None


def test_breaking_their_legs_is_a_threat_when_someone_means_to_do_it():
    text = "if I see that flag on the crossing again I'm going to find whoever painted it and break their legs"
    assert ENGINE.classify(text).hit("threat") is not None


def test_a_treat_you_wont_know_what_hit_you_is_not_a_threat():
    assert (
        ENGINE.classify("You won't know what hit you when you see the new mural, it's stunning").hit("threat") is None
    )
    assert ENGINE.classify("You won't know what hit you when you leave the town hall tonight").hit("threat") is not None


@pytest.mark.parametrize(
    "text",
    [
        # the outcome foretold
        "You'll be going home from that count in a body bag",
        "He'll be carried out of the town hall in a coffin",
        # an act, with words between the one who acts and the blow
        "I'm going to follow you back to your car and then batter you",
        "We'll wait till the meeting ends and hurt your family",
        "Gonna deck that councillor when he next shows his face",
        "I'll wring your scrawny neck",
        "I'll sort you out with my fists after the meeting",
        # the blow as a thing, and British slang
        "You're getting a brick in your face next time you knock on my door",
        "Next time she canvasses here she gets my boot in her mouth",
        "You're getting a proper hiding at the next residents' meeting",
        "You'll get merked if you come back to the estate",
        "im gonna bang you out at the next surgery",
        "Someone should give that councillor a good shoeing",
        "I'm chinning him if I see him at the market",
        "There's a bullet with your name on it",
        # home and property
        "Your office will be rubble by the weekend",
        "The depot goes up in flames, and you with it",
        "Your car will be the least of your worries",
        "Car first, then you",
        "Your windows are going in tonight",
        "A petrol bomb might get your attention",
        # someone close warned; a visit that is not a visit
        "Your researcher had better watch herself in that car park",
        "Tell your wife to lock the back door tonight",
        "We're calling round Saturday. It won't be for a chat",
        "Paying your office a visit. Not a friendly one",
        "I know your running route, councillor",
        # the reader's demand turned on them
        "Shut the library and we'll shut you",
        "If the hospital closes, so do you",
        # against a group
        "The police won't save you",
        "No Muslim in this town walks home in one piece again",
        "Any trans person in the Crown after ten is fair game",
    ],
)
def test_threats_in_the_words_people_use_for_them(text):
    verdict = ENGINE.classify(text)
    assert "threat" in verdict.categories
    assert verdict.severity == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "Your new bins will come flat-packed in a box",
        "She'll be carried to the car by her grandson after the ceremony",
        "I'm going to come to your surgery and then write to the paper",
        "That's a kick in the teeth for everyone on the estate",
        "This decision is a slap in the face for pensioners",
        "Your office will be closed over Christmas",
        "The storm knocked the fence down and the shed went with it",
        "Your car will be the first to get a residents' permit",
        "Shut the library and we'll shut you out of office at the ballot box",
        "If the pub goes, so does the heart of the village",
        "Our kids walked the whole coast path in one piece, what a day",
        "Politicians are fair game for criticism",
        "You'll get dropped off at the door by the minibus",
        "You'll get a proper answer from the highways team next week",
        "Give the volunteers a good round of applause",
        "Your windows are being replaced next week",
        "Tell your staff to be careful not to double-book the hall",
        "Be careful driving home tonight, the roads are icy",
        "I know your team is stretched but the potholes need doing",
        "We'll be watching the match after your surgery if you fancy a pint",
        "Your kids' school fair was brilliant on Saturday",
        "Keep your windows locked tonight, there've been break-ins on Elm Road",
        "Your son's football team looks lovely, well done to the coaches",
        "Your dog was so friendly at the fete, just so you know the kids loved him",
    ],
)
def test_idioms_deliveries_and_kind_words_in_the_same_shapes_are_not_threats(text):
    assert "threat" not in categories(text)


def test_menace_about_family_and_routine_is_read_by_the_second_reading():
    verdict = ENGINE.classify("I know what time your husband gets back from the gym. Just so you know.")
    threat = verdict.hit("threat")
    assert threat is not None and threat.rule == 2
    assert "veiled threat" in threat.reason and "text model" in threat.reason


@pytest.mark.parametrize(
    "text",
    [
        "Walk to your car on your own after the count. Go on, I dare you.",
        "How many of them could I take out before the police arrived?",
    ],
)
def test_a_dare_to_be_alone_and_harm_reckoned_against_the_police_are_threats(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Come to the meeting and say that again, I dare you",
        "I'll get the kids fed before the police arrive for the safety talk",
    ],
)
def test_a_dare_to_debate_and_chores_before_a_visit_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "What Bradford needs is a good old fashioned pogrom",
        "Those Somalis need to be taught a lesson",
        "They're opening the mosque Friday? God help whoever's inside",
        "We'll take the town back even if it takes violence",
        "We'll make sure no refugee feels safe in this town again",
        "The Romanians on Elm Street are on borrowed time",
        "Those asylum seekers will find out how welcome they are round here soon enough",
        "Travellers on the rec: leave or be made to",
        "The migrants won't enjoy the welcome party we're planning",
        "Nobody will cry when that mosque gets what's coming",
        "The new halal shop won't last a month, we'll see to it",
        "Build the gurdwara and watch how long it stays standing",
        "Pride march past the Anchor? Good luck getting home in one piece",
        "A few broken windows at the synagogue would sort it",
        "The gays in the flats above the chippy need to watch themselves",
        "Refugees hanging round the park at night are asking for it",
        "Muslims walking home from the mosque late should think about getting a lift. Just advice",
        "Polish lads should think about going home before we help them",
        "We're doing a door to door on the estate tonight. Not the canvassing kind",
    ],
)
def test_menace_against_a_group_in_its_stock_phrases(text):
    verdict = ENGINE.classify(text)
    assert "threat" in verdict.categories
    assert verdict.severity == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "The council needs to be taught a lesson at the ballot box in May",
        "God help whoever has to read all these consultation responses",
        "We'll make sure no family feels unwelcome at the fun day",
        "The old cinema is on borrowed time, sadly",
        "Come and see how welcome you are at the Eid fair, everyone invited",
        "Leave a comment or come to the surgery",
        "Good luck getting home in one piece after the office party lol",
        "The kids won't enjoy the welcome party if it rains",
        "A few broken windows on the bus shelter need reporting",
        "Women cyclists should think about using the new lane after dark, it's much better lit",
        "We're doing a door to door on Saturday, the leafleting kind, volunteers welcome",
    ],
)
def test_the_stock_phrases_about_buildings_parties_and_elections_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "someone should sort that councillor out, permanently",
        "Someone ought to put that councillor in the ground",
        "gonna do him in if the parking scheme goes through",
        "I'll run you out of town with a black eye",
        "@CllrExample 🔫💥",
        "🪓 for the cabinet member for housing",
    ],
)
def test_threats_at_that_councillor_and_weapons_with_nothing_but_a_handle(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text", ["@ChefDan 🔪🔪 what a knife roll", "We did them in the final, 3-1", "@CllrSmith 🔥🔥 great speech tonight"]
)
def test_a_knife_roll_a_final_and_a_great_speech_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I want to see Muslims hanging from trees",
        "I want to see the council leader hanging from a lamppost",
        "I will make sure every woman in this town suffers",
    ],
)
def test_wishing_to_see_people_hanged_and_promising_suffering_are_threats(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd love to see the lights hanging from the trees at Christmas",
        "We'll make sure every family in this town gets a fair deal",
        "I want to see all the kids dancing at the fun day",
    ],
)
def test_lights_fair_deals_and_dancing_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "We'll be waiting at the end of the parade. With the lads. And we won't be clapping",
        "Travellers who come back to the rec will be leaving on stretchers",
        "Hope you've got good home insurance, Cllr. You might need it soon",
        "Enjoy your last Christmas as a councillor. And maybe your last Christmas",
        "You won't be smiling when we come knocking, Neil",
        "Your time's up councillor. In more ways than one",
        "Keep voting like that and you'll need more than a ring doorbell",
        "You'll pay for this with a lot more than your seat",
        "I'll be at the count with a surprise for you. You won't enjoy it.",
        "They'll be scraping bits of you off the high street",
        "Praying someone finally puts you in the ground before the budget",
        "Shame about your fence last night. Next time it'll be the front door.",
    ],
)
def test_veiled_threats_about_the_readers_smile_safety_time_and_home(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hope you've got good insurance on that car, the potholes on Elm Road will wreck it, you'll need it",
        "You won't be smiling when we come to the surgery with our petition, Neil",
        "My nan's time's up at the care home, in more ways than one, she's moving to her sister's",
        "We're coming to the surgery Saturday with the kids and we won't be clapping if the bus is cut",
        "Maybe your last Christmas as mayor, so enjoy the lights switch-on!",
    ],
)
def test_petitions_potholes_and_last_christmases_in_office_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "You'll get knocked out by the new library, it's stunning",
        "We'll be waiting outside the chamber for the vote result, fingers crossed",
        "The lads gave them a proper pasting at the darts",
        "Our quiz team got a good hiding at the Red Lion",
    ],
)
def test_praise_results_and_pub_games_in_the_words_of_violence_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "We'll be paying your surgery a visit on Saturday about the bins",
        "Next time it'll be the front door that gets painted, the council promised",
    ],
)
def test_a_visit_with_an_errand_and_a_painted_door_are_not_read_for_threats(text):
    assert "threat" not in categories(text)


def test_menace_left_unsaid_is_read_by_the_second_reading():
    threat = ENGINE.classify("You've got till Friday. Then we come to you").hit("threat")
    assert threat is not None and "text model" in threat.reason


@pytest.mark.parametrize(
    "text",
    [
        "You won't like it, but the bins are going fortnightly from April",
        "We'll sort the agenda, then we come to you for questions",
        "The market feels alive again, well done everyone",
    ],
)
def test_bad_news_agendas_and_a_lively_market_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "We're coming for you next week... with a tray of brownies to say thanks for the new bench",
        "You'll get what's coming to you: a well deserved thank you card from the allotment society",
        "Someone is going to pay you a visit this week, the Chamber of Commerce want to give you an award!",
        "I know where your office is and I'll be bringing round the completed survey forms tomorrow",
    ],
)
def test_a_joke_in_the_shape_of_a_veiled_threat_gives_itself_away(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Keep ignoring us and see what turns up on your doorstep. It won't be a petition.",
        "We're coming for you next week, and it won't be with a petition",
        "I know where your office is. Bring your placards, we'll bring the bats",
    ],
)
def test_a_kind_word_denied_or_next_to_a_weapon_does_not_excuse_a_threat(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vote for the incinerator and you will not see Christmas.",
        "Your car was parked on Elm Road last night. Next time it will be on fire.",
        "I know which train you get home. See you there, Cllr.",
    ],
)
def test_what_is_coming_to_the_reader_is_read_when_the_model_is_all_but_certain(text):
    # No word of violence and no stock phrase of menace: only the words that tell the reader
    # what is coming to them, and the model's near-certainty.
    threat = ENGINE.classify(text).hit("threat")
    assert threat is not None and "text model" in threat.reason
    assert threat.score >= learned.SURE_THREAT_FLOOR


@pytest.mark.parametrize(
    "text",
    [
        "You'll need to book the hall early next time, it fills up fast",
        "Be careful what you wish for with this new parking scheme",
        "See you at the surgery on Saturday, I'll bring the petition",
        "You'll have my vote again next time, keep it up",
        "Hit you up after the meeting about the allotments?",
    ],
)
def test_what_is_coming_without_menace_is_not_a_threat(text):
    assert ENGINE.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "Meet me outside the Crown and say it to my face, councillor",
        "Ten minutes alone with you in the car park is all I'm asking",
        "By the time we're done they'll need dental records",
        "Someone's going to spark you out one of these nights",
        "There's a firework with your name on it going through your letterbox",
    ],
)
def test_stock_threats_everyone_knows_are_threats(text):
    assert ENGINE.classify(text).hit("threat") is not None


@pytest.mark.parametrize(
    "text",
    [
        "Our new leaflet goes through your letterbox on Saturday, have a read",
        "She chaired the whole meeting with a broken wrist, fair play to her",
        "The dentist on Mill Road lost my dental records, can the council chase the NHS?",
    ],
)
def test_letterboxes_breaks_and_dentists_are_not_threats(text):
    assert ENGINE.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "There's a bullet with your name on it, traitor",
        "Someone should take him out, he is a traitor to this town",
        "Remember what happened to Jo Cox? You'll end up like Jo Cox",
        "Vote for the incinerator and we'll see how fast you can run",
        "The rest of your lot didn't get you, but we will",
        "Keep that smile attached to your face and stay off our estate",
    ],
)
def test_harm_named_in_the_old_words_is_a_threat(text):
    assert ENGINE.classify(text).hit("threat") is not None


@pytest.mark.parametrize(
    "text",
    [
        "Can someone take the bins out on Carlton Road, they've been there a week",
        "Remembering Jo Cox today. More in common.",
        "The hotel will need police protection if the march goes ahead, please plan for it",
        "Can you give the bus service a push with the county, it's dreadful",
    ],
)
def test_the_same_words_in_ordinary_replies_are_not_threats(text):
    assert ENGINE.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "A man in Dudley was charged for threatening to burn down the gurdwara, good",
        "The bloke who threatened to stab the Polish lads at the car wash got six months",
        "Scrap the parking charges and I'll chain myself to the town hall railings in thanks",
        "The rent rises will bleed the Somali families on Hope Street dry",
        "Wouldn't trust that Romanian landlord as far as I could throw him",
        "Come canvassing on our road, I've got a list of questions about the bins",
    ],
)
def test_threats_reported_and_violent_idioms_are_not_threats(text):
    assert ENGINE.classify(text).hit("threat") is None


def test_a_threat_the_writer_makes_is_still_one():
    assert ENGINE.classify("I'm threatening to burn down the gurdwara and I mean every word").hit("threat")


@pytest.mark.parametrize(
    "text",
    [
        "I know where you live, Cllr, you're my next door neighbour, and your bins are always out first",
        "We know where you live: Elm Road, same as us, and the streetlight's been out for a month",
    ],
)
def test_knowing_where_a_neighbour_lives_is_not_a_threat(text):
    assert ENGINE.classify(text).hit("threat") is None


def test_knowing_where_someone_lives_is_still_a_threat():
    assert ENGINE.classify("We know where you live, councillor. Sleep well.").hit("threat") is not None


@pytest.mark.parametrize(
    "text",
    [
        "I'll knock him spark out if he shows his face at the count",
        "Gut her like a fish, the traitor",
        "Councillors have been shot for less than what you did",
        "Accidents happen to people who don't listen, Cllr",
        "It's not a threat, it's a promise: you'll answer for this, and not at the ballot box",
        "Not a threat, a promise. Watch yourself.",
    ],
)
def test_more_stock_threats_are_threats(text):
    assert ENGINE.classify(text).hit("threat") is not None


@pytest.mark.parametrize(
    "text",
    [
        "Not a threat, a promise: we'll vote you out in May",
        "That's not a threat, it's a promise to take this to the ombudsman",
        "Lads on the parade have been stabbed for less than a phone, we need patrols",
        "Accidents happen at that junction every week, fix the lights",
        "The falling branch knocked him spark out, sort the trees in the park",
    ],
)
def test_promises_of_votes_worries_and_accidents_are_not_threats(text):
    assert ENGINE.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "I'd gladly serve a stretch for you, councillor",
        "We're paying the gurdwara a visit tonight and the fire service will be too late again",
        "Anyone marching for Pride on Sunday will find out what a van does at speed",
        "There's a crowbar in my boot and I'm not scared to use it on you",
        "Folk like you want a breeze block tied round your neck and dropping in the canal",
        "We'll finish what Hitler started with your lot",
        "What happened to David Amess could happen to you, remember that",
        "Not a single migrant gets out of that hotel alive",
        "Accidents happen on the ring road, especially to councillors who ignore the residents",
        "The Poles will pay for this one by one in blood",
    ],
)
def test_time_served_fire_cover_too_late_and_weapons_ready_to_use_are_threats(text):
    assert ENGINE.classify(text).hit("threat") is not None


@pytest.mark.parametrize(
    "text",
    [
        "The fire engines would be too late to reach the new estate, the access road is too narrow",
        "If the road stays blocked the fire brigade will be too late when a house goes up",
        "Kids on bikes will find out what a car does at 40mph on that bend if you don't put in a crossing",
        "Someone's kid will find out what a lorry does to a bike on that junction",
        "Got a new cricket bat for the season and I'm not afraid to use it",
        "Accidents happen to cyclists who ignore the lights, it's not rocket science",
        "Council tax up again and this time it'll hurt",
        "Lovely family day at the park, be a shame if it rained",
        "Bring a helmet if you're joining the bike ride on Sunday",
    ],
)
def test_fire_cover_road_danger_and_sports_kit_are_not_threats(text):
    assert ENGINE.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "Somebody should take a bat to his shins for what he did to the playing fields",
        "Ten minutes alone with that traitor is all I want",
        "Councillors have disappeared for less than this",
        "Bad things happen to councillors who lie to their residents",
        "Accidents happen on the bypass at night. Especially to councillors who vote the wrong way",
    ],
)
def test_a_weapon_taken_to_someone_and_what_befalls_those_who_cross_us_are_threats(text):
    assert ENGINE.classify(text).hit("threat") is not None


@pytest.mark.parametrize(
    "text",
    [
        "Bad things happen to people who don't wear seatbelts",
        "Kids have ended up in hospital for less than a broken swing, fix the park",
        "Five minutes alone with the leader would sort the parking mess",
        "I'd take a hammer to that planning policy if I could",
        "Rip the old fence out and put up a new one please",
    ],
)
def test_safety_warnings_meetings_and_diy_are_not_threats(text):
    assert ENGINE.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        # Blows no election gives, even with the hustings named.
        "I'm going to beat the living daylights out of you after the hustings",
        "Someone will knock seven bells out of you one of these days",
        # The reader's place on fire, foretold or wished.
        "Your office is going up in flames this weekend and you'll be in it",
        "Shame if your allotment shed went up in smoke. Tinder dry this time of year.",
        # The stock promise of a beating.
        "Hope you like hospital food, councillor",
        "You'll be eating hospital food by Christmas",
        # "At" a meeting or a house is no contest, and a pause for effect changes nothing.
        "I'll hunt you down at your house",
        "I'll kill you at the next ward meeting",
        "I'll knock you out, see if I don't",
    ],
)
def test_beatings_fires_and_hospital_food_foretold_are_threats(text):
    threat = ENGINE.classify(text).hit("threat")
    assert threat is not None and threat.rule == 2 and threat.severity == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "I'll hunt you down... at the ballot box. Your majority is 43.",
        "I'm going to beat the living daylights out of you at the ballot box",
        "Their house went up in flames last night, awful news, thoughts with them",
        "Your budget is going up in smoke and nobody on the cabinet cares",
        "The hospital food at the General is a disgrace, when will you sort it",
        "We'll knock you out of the race in May",
        "I'll kill you with kindness, see if I don't",
    ],
)
def test_contests_news_of_fires_and_kindness_are_not_threats(text):
    assert "threat" not in categories(text)


def test_a_blow_foretold_needs_a_whole_word_after_it():
    from moderation.rules import threats
    from moderation.rules.normalise import Document

    # "kill you with kin(dness)" once read as "kill you ... in": the ending must be a whole word.
    assert threats.detect(Document("I'll kill you with kindness")) == []
    assert threats.detect(Document("I'll put you in hospital"))


def test_the_words_after_a_figure_are_read_past_a_pause_and_only_a_contest_excuses_at():
    from moderation.rules.threats import not_violence_after

    assert not_violence_after("shoot you", "... an email tomorrow")
    assert not_violence_after("beat you", " at the ballot box")
    assert not_violence_after("murder you", " at darts on Friday")
    assert not not_violence_after("beat you", " at your surgery")
    assert not not_violence_after("glass you", " at darts")
    assert not_violence_after("kick you", " out in May")
    assert not not_violence_after("knock you", " out cold")
    assert not_violence_after("knock you", " out of the race")


@pytest.mark.parametrize(
    "text",
    [
        "The Sikh temple will be ashes by Sunday, mark my words",
        "That mosque is going to be burnt to the ground, you watch",
        "If the bins aren't collected by Friday your front door won't be the only thing getting kicked in",
        "Hope you're ready for the consequences, and I don't mean at the ballot box",
    ],
)
def test_a_place_burnt_what_else_gets_kicked_in_and_an_election_disowned_are_threats(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "The mosque will be finished by Eid, the builders say",
        "The old library will be rubble by spring once the demolition starts",
        "The new temple will be on fire with colour for Diwali",
        "I don't mean at the ballot box, I mean at full council on Thursday, bring your questions",
    ],
)
def test_a_place_finished_demolished_or_bright_and_a_meeting_named_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Raise the parking charges again and I'll take a Stanley knife to your face",
        "Next time you're canvassing I'm setting my dog on you",
        "Not a threat, just a prediction: you won't make it to the end of your term in one piece",
        "Remember what happened to that MP in Essex? Just thinking out loud.",
    ],
)
def test_a_weapon_taken_to_someone_a_dog_set_on_them_and_a_murdered_mp_remembered_are_threats(text):
    assert "threat" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll take a hammer to the fence this weekend, it's rotten",
        "Remember what happened to the councillors who backed the incinerator? Voted out.",
        "We set the dogs on the agility course at the fun day, brilliant afternoon",
    ],
)
def test_diy_a_vote_remembered_and_a_dog_show_are_not_threats(text):
    assert "threat" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Bring a knife and fork, the hog roast at the summer fete is enormous",
        "You lot would be dead in the water without the student vote",
    ],
)
def test_cutlery_and_a_party_dead_in_the_water_are_not_threats(text):
    assert "threat" not in categories(text)
