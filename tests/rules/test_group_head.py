"""The hate-and-threat model (moderation/rules/group_head.py) and its place in the engine."""

from __future__ import annotations

import hashlib
import json
import logging
import math

import pytest

from moderation.rules import Engine, group_head, insinuation, learned
from moderation.rules.encoder_head import EncoderHeadUnavailable
from moderation.rules.group_head import (
    META_PATH,
    MODEL_PATH,
    MODEL_SHA256,
    GroupHead,
    model_text,
    model_words,
    thresholds,
)
from moderation.rules.normalise import Document
from training.train_group_head import (
    FUNCTIONAL_DIR,
    FUNCTIONAL_SETS,
    MEASURING_SETS,
    WRITTEN_DIR,
    _key,
    measuring_texts,
    model_ids,
    written_cases,
    written_split,
)

ODD = ["", "   ", "🤡🤡🤡", "@a @b @c", "北京 city", "word " * 500, "x" * 20_000, "\u202e\u200b\ufeff"]


@pytest.fixture(scope="module")
def head() -> GroupHead:
    return GroupHead()


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.fixture
def fresh_singleton(monkeypatch):
    monkeypatch.setattr(group_head._loaded, "_model", None)
    monkeypatch.setattr(group_head._loaded, "_refused", None)


def test_shipped_file_matches_the_checksum_in_code_and_in_its_figures():
    found = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()
    assert found == MODEL_SHA256
    meta = json.loads(META_PATH.read_text(encoding="utf-8"))
    assert meta["sha256"] == found
    assert meta["bytes"] == MODEL_PATH.stat().st_size < 30_000_000
    assert meta["settings"]["outputs"] == ["hate", "threat"]


def test_thresholds_were_chosen_on_validation_and_are_probabilities():
    chosen = thresholds()
    assert set(chosen) == {"hate", "threat"}
    assert all(0.0 < v < 1.0 for v in chosen.values())
    meta = json.loads(META_PATH.read_text(encoding="utf-8"))
    assert meta["evaluation"]["thresholds"] == chosen


def test_the_model_never_trains_on_the_sets_that_measure_it():
    # Sets 1-19 train it; sets 20 and 21 measure it, with the written development sets (hate and
    # threats, ordinary replies).
    assert {"functional_blind2", "functional_blind6", "threats_blind6", "threats_blind10"} <= set(FUNCTIONAL_SETS)
    assert {"functional_blind10", "threats_blind11", "functional_blind11", "threats_blind12"} <= set(FUNCTIONAL_SETS)
    assert {"functional_blind12", "threats_blind13", "functional_blind13", "threats_blind14"} <= set(FUNCTIONAL_SETS)
    assert {"functional_blind14", "threats_blind15"} <= set(FUNCTIONAL_SETS)
    assert {"functional_blind15", "threats_blind16"} <= set(FUNCTIONAL_SETS)
    assert {"functional_blind16", "threats_blind17", "functional_blind17", "threats_blind18"} <= set(MEASURING_SETS)
    assert {"hate_and_threats_written", "ordinary_replies"} <= set(MEASURING_SETS)
    assert not set(MEASURING_SETS) & set(FUNCTIONAL_SETS)
    assert {path.stem for path in WRITTEN_DIR.glob("*.jsonl")} == {
        "group_cases",
        "group_cases_implicit",
        "threat_cases",
        "threat_cases_groups",
        "threat_cases_persons",
        "ordinary_cases_lookalike",
        "contrast_cases",
        "council_replies_cases",
        "council_replies_cases2",
        "council_replies_cases3",
    }
    # The same reply opened by other handles is the same reply.
    trained = {_key(case["text"]) for case in written_cases()}
    assert len(trained) > 4_000
    assert not trained & measuring_texts()


def test_written_training_cases_are_well_formed_and_split_for_good():
    cases = [c for path in sorted(WRITTEN_DIR.glob("*.jsonl")) for c in map(json.loads, path.read_text().splitlines())]
    assert len(cases) >= 1_800
    assert len({c["text"] for c in cases}) == len(cases)
    for case in cases:
        assert isinstance(case["hateful"], bool) and isinstance(case["threat"], bool)
        assert case["kind"]
    splits = [written_split(c["text"]) for c in cases]
    assert splits == [written_split(c["text"]) for c in cases]
    assert 0.1 < splits.count("validation") / len(splits) < 0.2


def test_model_text_reads_emoji_as_words_and_undoes_disguises():
    assert model_text("I would love to 🔪 some 👳🏾") == "i would love to knife some man with turban dark skinned"
    assert model_text("M u s l i m s 4r3 5cum 🐀") == "muslims are scum rat"
    assert model_text("Thanks for fixing the bins ❤️") == "thanks for fixing the bins heart"
    assert model_text("plain text") == "plain text"


@pytest.mark.parametrize(
    "text",
    ["@cllr_amos @ward3 you lot https://t.co/abc &amp; more", "Bringing my 🔪 for them", "plain words"],
)
def test_training_reads_a_reply_as_the_second_reading_does(head, text):
    # learned.second_reading passes model_words(Document.text); the head then prepares it.
    assert model_ids(head.tokenizer, text) == head.encode(model_words(Document(text).text))


def test_the_model_reads_a_reply_without_its_handles_and_links(head):
    bare = "Immigrants are parasites and I'll stab the lot of them"
    for dressed in (f"@cllr_amos @ward3news {bare}", f"{bare} https://t.co/x1 www.example.org", f"@Cllr_Amos {bare}"):
        assert model_text(dressed) == model_text(bare)
    (hate, threat), (hate_at, threat_at) = head.scores([bare, f"@cllr_amos {bare}"])
    assert hate_at == pytest.approx(hate) and threat_at == pytest.approx(threat)


def test_scores_are_probabilities_for_odd_input(head):
    for hate, threat in head.scores(ODD):
        assert 0.0 <= hate <= 1.0 and 0.0 <= threat <= 1.0
        assert not (math.isnan(hate) or math.isnan(threat))


def test_it_tells_a_threat_from_a_figure_of_speech(head):
    (_, threat), (_, idiom) = head.scores(
        [
            "If I see a group of Romanians on the high street again, I'm driving my van straight into them.",
            "I could murder a bacon sandwich after that planning meeting.",
        ]
    )
    assert threat >= thresholds()["threat"] > idiom


def test_engine_flags_a_threat_only_the_model_reads(engine):
    verdict = engine.classify(
        "If I see a group of Romanians on the high street again, I'm driving my van straight into them."
    )
    hit = verdict.hit("threat")
    assert hit is not None and hit.rule == 2
    assert hit.severity in ("high", "critical")
    assert "text model" in hit.reason
    assert 3 in verdict.rules  # aimed at a protected group: discrimination too


def test_engine_leaves_figures_of_speech_and_reported_threats_alone(engine):
    for text in (
        "I could murder a bacon sandwich after that planning meeting.",
        "We're going to fight this care home closure tooth and nail.",
        'A man shouted "I\'ll burn your mosque down" at the imam; I have reported it to the police.',
    ):
        assert engine.classify(text).hit("threat") is None, text


def test_menace_against_a_named_group_needs_no_word_of_violence(engine):
    verdict = engine.classify(
        "We know which street the Kurdish families are on. They'd be wise to move out before we come round"
    )
    hit = verdict.hit("threat")
    assert hit is not None and "a threat against a protected group" in hit.reason
    assert 3 in verdict.rules


@pytest.mark.parametrize(
    "text",
    [
        # Hateful, not a threat: the future tense of a prejudice.
        "Give it ten years and the Pakistanis will be running this council, mark my words",
        # Neither.
        "The Somali families on our road will be at the Eid party in the park on Sunday, everyone welcome",
        "As a Black resident I'd like to know when the bins will be collected",
    ],
)
def test_a_group_in_the_future_tense_is_not_menace(engine, text):
    assert engine.classify(text).hit("threat") is None


def test_menace_is_only_read_in_a_reply_that_is_also_hate(monkeypatch, engine):
    # The model is sure of a threat and not of hate: a group named is not enough.
    text = "The Polish families on Tower Road will have a busy Saturday"
    monkeypatch.setattr(group_head, "group_scores", lambda texts, prepared=False: [(0.2, 0.99)] * len(texts))
    assert engine.classify(text).hits == ()
    # Sure of both, it is a threat against the group, and hate.
    monkeypatch.setattr(group_head, "group_scores", lambda texts, prepared=False: [(0.95, 0.99)] * len(texts))
    verdict = engine.classify(text)
    assert "against a protected group" in verdict.hit("threat").reason
    assert 3 in verdict.rules


def test_a_word_of_violence_in_hate_against_a_group_needs_less_certainty(monkeypatch, engine):
    text = "If the Kurdish families stay on our road there will be blood"
    monkeypatch.setattr(group_head, "group_scores", lambda texts, prepared=False: [(0.95, 0.65)] * len(texts))
    assert engine.classify(text).hit("threat") is not None
    # Without hate, the same threat score is not enough.
    monkeypatch.setattr(group_head, "group_scores", lambda texts, prepared=False: [(0.1, 0.65)] * len(texts))
    assert engine.classify("There will be blood on the pitch on Saturday").hit("threat") is None


def test_the_model_is_not_asked_without_a_group_or_words_of_violence(monkeypatch, engine):
    def refuse(*args, **kwargs):
        raise AssertionError("the model was asked")

    monkeypatch.setattr(group_head, "group_scores", refuse)
    for text in ("Thanks for fixing the streetlight on Mill Lane", "When is the next surgery in my ward?"):
        assert engine.classify(text).hits == ()


@pytest.mark.parametrize(
    "text",
    [
        "Big garden you've got at the back, Cllr. Nobody would see a thing from the road.",
        "We've noticed you walk the dog along the canal after dark. On your own.",
    ],
)
def test_a_veiled_threat_with_no_word_the_rules_know_is_read_by_the_model(engine, text):
    hit = engine.classify(text).hit("threat")
    assert hit is not None and "text model" in hit.reason


@pytest.mark.parametrize(
    "text",
    [
        "Your constituency office has a side door nobody watches, doesn't it?",
        "Councillors come and go round here, and some go quicker than others.",
    ],
)
def test_the_threat_filter_passes_a_reply_aimed_at_someone_to_the_model(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.01, 0.98)
    hit = engine.classify(text).hit("threat")
    assert hit is not None and "a threat" in hit.reason
    # The model must be all but sure.
    _model_says(monkeypatch, 0.01, 0.97)
    assert engine.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        # The courtesies of an errand, a figure of the election, a worry with no one doing it.
        "What time does your surgery finish on Saturday? I'll pop in after work.",
        "I'll wait outside the surgery till you're free, no rush.",
        "Your office has a back entrance for wheelchair users, doesn't it? Good to know.",
        "Enjoy the count tonight, councillor, may the best candidate win.",
        "Want to see what happens when I show you the planning file?",
    ],
)
def test_ordinary_replies_in_the_same_shapes_are_not_read_as_threats(engine, text):
    assert engine.classify(text).hit("threat") is None


def test_the_threat_filter_keeps_most_replies_from_the_model(monkeypatch, engine):
    asked = []

    def counting(texts, prepared=False):
        asked.extend(texts)
        return [(0.01, 0.01)] * len(texts)

    monkeypatch.setattr(group_head, "group_scores", counting)
    for text in (
        "You promised a new crossing two years ago and we're still waiting.",
        "Can you tell me when the library reopens?",
    ):
        engine.classify(text)
    assert asked == []
    # Of the 950 ordinary replies, those aimed at someone in no harmless frame (357) are the ones the
    # open reading could ask about: the filter passes 152 of them (180 with rules-2.9's filter).
    lines = (FUNCTIONAL_DIR / "ordinary_replies.jsonl").read_text(encoding="utf-8").splitlines()
    ordinary = [json.loads(line)["text"] for line in lines if line.strip()]
    aimed = [said for said in map(Document, ordinary) if learned._open_reading(said.text)]
    passed = [said for said in aimed if learned._worth_a_reading(said)]
    assert len(aimed) > 300 and len(passed) / len(aimed) < 0.5


def test_without_the_model_the_rules_judge_alone_and_the_reason_is_logged_once(
    fresh_singleton, monkeypatch, tmp_path, caplog, engine
):
    monkeypatch.setattr(group_head, "MODEL_PATH", tmp_path / "gone.onnx")
    text = "If I see a group of Romanians on the high street again, I'm driving my van straight into them."
    with caplog.at_level(logging.WARNING, logger="moderation.rules.encoder_head"):
        assert group_head.group_scores([text]) is None
        assert learned.second_reading(*(2 * [engine_doc(text)]), hate_found=False, threat_found=False) == []
    warnings = [r for r in caplog.records if "gone.onnx" in r.getMessage()]
    assert len(warnings) == 1
    assert "rules judge alone" in warnings[0].getMessage()


def engine_doc(text: str):
    from moderation.rules.normalise import Document

    return Document(text)


def test_a_missing_or_different_file_is_refused(tmp_path):
    with pytest.raises(EncoderHeadUnavailable, match="is not there"):
        GroupHead(tmp_path / "group_minilm.onnx")
    impostor = tmp_path / "group_minilm.onnx"
    impostor.write_bytes(b"not a model")
    with pytest.raises(EncoderHeadUnavailable, match="SHA-256"):
        GroupHead(impostor)


def _model_says(monkeypatch, hate: float, threat: float) -> None:
    monkeypatch.setattr(group_head, "group_scores", lambda texts, prepared=False: [(hate, threat)] * len(texts))


@pytest.mark.parametrize(
    "text",
    [
        "One of these nights someone's going to follow you home from the count, councillor.",
        "Got your reg plate now. Pick a day.",
        "No cameras in the multi-storey, are there? See you after the budget vote.",
        "What happens next is on you, Cllr. We did ask nicely.",
    ],
)
def test_the_time_and_place_watched_or_a_promise_is_read_for_a_veiled_threat(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.05, 0.9)
    hit = engine.classify(text).hit("threat")
    assert hit is not None and "veiled threat" in hit.reason


def test_a_veiled_threat_the_model_reads_in_a_stock_phrase_of_menace(engine):
    hit = engine.classify("One of these nights someone's going to follow you home from the count, councillor.").hit(
        "threat"
    )
    assert hit is not None and "text model" in hit.reason


@pytest.mark.parametrize(
    "text",
    [
        # Danger with no one doing it, a shame that befalls a thing, a visit the politician pays,
        # a cook's knives, and "end up" doing something ordinary.
        "How would you feel if your kids got knocked over on that junction? Sort the crossing.",
        "Would be a shame if the lido shut, it's where half the town learnt to swim.",
        "Every family on the estate should get a visit from their councillor before the vote.",
        "@HotelChefSam 🔪🔪 the new knife roll is gorgeous",
        "Half the pensioners end up queuing in the rain because the shelter's gone.",
    ],
)
def test_worries_and_ordinary_errands_are_not_put_to_the_model_as_threats(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.05, 0.99)
    assert engine.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "It's a myth that Travellers leave every site in a mess, ours is spotless.",
        "The Polish lads at the garage are a credit to Kettering.",
    ],
)
def test_the_model_does_not_overrule_a_denial_or_plain_credit(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.99, 0.01)
    assert 3 not in engine.classify(text).rules


def test_the_model_may_still_overrule_praise_that_is_sarcasm(monkeypatch, engine):
    _model_says(monkeypatch, 0.99, 0.01)
    assert 3 in engine.classify("Lovely little town, shame about all the Poles now").rules


def test_praise_does_not_keep_menace_against_a_group_from_being_read(monkeypatch, engine):
    _model_says(monkeypatch, 0.97, 0.97)
    text = "Lovely to hear the Kurdish families on Tower Road are settling in. We'll be popping round one night."
    hit = engine.classify(text).hit("threat")
    assert hit is not None and "against a protected group" in hit.reason
    # Someone else's words stay theirs.
    reported = 'He posted "a lovely welcome planned for the Kurdish families" and I have sent it to the police.'
    assert engine.classify(reported).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "We'll see you outside the Red Lion after full council, Cllr.",
        "I'm going to make your life a misery, and then some.",
        "Go back to Lagos or we'll send you back ourselves.",
    ],
)
def test_stock_phrases_of_a_reckoning_are_read_for_a_veiled_threat(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.05, 0.9)
    assert engine.classify(text).hit("threat") is not None


@pytest.mark.parametrize(
    "text",
    [
        "Funny, your routine never changes, does it, councillor?",
        "Be seeing you, Cllr. Sooner than you think.",
        "A few of us want a quiet word with you after the meeting.",
        "Go and ask the last leader what happens to people who cross us.",
        "Careful walking past the flats tonight, Cllr.",
        "Your name's on a list now.",
        "Enjoy the ward office while it's still standing.",
        "Some friends of mine want a chat with you. Not the friendly kind.",
        # Protection advised, a list kept, a return spoiled.
        "Might be time to get a panic button fitted, councillor. Just a thought",
        "We're keeping a list of where you go after surgery",
        "Your caseworkers finish at six. Tell them to walk in pairs.",
        "Have a lovely break in Wales. Shame about what you'll come back to.",
        "You have no idea who you've crossed",
    ],
)
def test_the_readers_days_a_word_with_them_and_what_befalls_others_are_read_for_menace(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.05, 0.9)
    hit = engine.classify(text).hit("threat")
    assert hit is not None and "veiled threat" in hit.reason


@pytest.mark.parametrize(
    "text",
    [
        "A few of us want a quiet word with you after the meeting.",
        "Careful walking past the flats tonight, Cllr.",
        "Your name's on a list now.",
    ],
)
def test_the_model_reads_those_as_menace(engine, text):
    assert engine.classify(text).hit("threat") is not None


@pytest.mark.parametrize(
    "text",
    [
        "Careful parking on Elm Road tonight, the wardens are out in force",
        "The old lido is still standing after all these years, amazing",
        "You're on the list for the consultation, the council will write in March",
        "Mum's getting her affairs in order before the move into sheltered housing",
        "What happens to people who miss the deadline for the school place appeal?",
        "Be seeing you at the fun day on Saturday, the kids can't wait",
        "Please get a panic alarm for the housing officers, they get abuse every day",
        "Could you send a list of where you go for the ward walkabouts?",
        "The youth club leave in pairs after dark, sensible given the lighting",
    ],
)
def test_the_same_words_in_ordinary_replies_are_not_read_as_menace(engine, text):
    assert engine.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "Gay lads at the rugby club reckon they're safe now. Wait till the end of season do.",
        "Doesn't matter what the council says, we're moving the Travellers on ourselves. With them still inside.",
    ],
)
def test_what_a_group_or_the_council_are_said_to_think_does_not_hide_menace(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.97, 0.97)
    hit = engine.classify(text).hit("threat")
    assert hit is not None and "against a protected group" in hit.reason


@pytest.mark.parametrize(
    "text",
    [
        'He wrote "the Travellers will be moved on with them in the vans" and the police have it.',
        "People who think Muslims should be burned out of their homes are the real problem here.",
        "As a gay man I reckon the rugby club is safe now, wait till you see the end of season do.",
    ],
)
def test_reported_menace_counter_speech_and_members_are_not_read_as_menace(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.97, 0.97)
    assert engine.classify(text).hit("threat") is None


def test_menace_against_a_group_with_a_stock_phrase_needs_less_certainty(monkeypatch, engine):
    _model_says(monkeypatch, 0.95, 0.85)
    hit = engine.classify("The Kurds in the flats need a reminder whose town this is").hit("threat")
    assert hit is not None and "against a protected group" in hit.reason
    # Without one, hate that foretells ("will be running the council") is not menace at that level.
    assert engine.classify("The Kurds in the flats will be running the council in ten years").hit("threat") is None


def test_a_group_pointed_at_by_its_centre_is_read_for_menace(monkeypatch, engine):
    _model_says(monkeypatch, 0.9, 0.97)
    text = "Asylum centre at the old barracks, gonna be a bonfire night to remember. Some of us have been shopping"
    hit = engine.classify(text).hit("threat")
    assert hit is not None and "against a protected group" in hit.reason


def test_a_threat_made_before_answering_others_is_still_read(monkeypatch, engine):
    _model_says(monkeypatch, 0.05, 0.97)
    assert engine.classify("I want to 🔪 anyone who says the Pride march should go ahead").hit("threat") is not None
    assert engine.classify("Anyone who says the Pride march should be 🔪 needs help").hit("threat") is None


def test_what_the_writer_is_saying_is_their_own(monkeypatch, engine):
    # "That's all I'm saying" reports no one else's words: the model is asked about the reply.
    _model_says(monkeypatch, 0.99, 0.97)
    text = "Gay lads getting the night bus from the village should start taking taxis. That's all I'm saying"
    verdict = engine.classify(text)
    assert verdict.hit("threat") is not None and 3 in verdict.rules


@pytest.mark.parametrize(
    "text",
    [
        "Travellers have been let down by the council again",
        "Black lads on the estate get stopped by police every week for nothing",
    ],
)
def test_a_group_named_as_the_one_wronged_is_not_read_as_hate(engine, text):
    assert 3 not in engine.classify(text).rules


def test_a_reason_laid_on_the_group_is_still_read(engine):
    verdict = engine.classify("Travellers get stopped by police all the time because they are thieving scum")
    assert 3 in verdict.rules


@pytest.mark.parametrize(
    "text",
    [
        "Why are there no Black candidates on the Tory list for the county elections?",
        "@cllr_amos why does the council keep housing refugees in B&Bs instead of flats?",
        "Bangladeshi cafes on Brick Lane are getting hammered by the new parking charges",
        "My Polish neighbours make the best bread on the street, sorry not sorry",
    ],
)
def test_questions_to_those_in_power_and_plain_warmth_are_not_read_as_hate(engine, text):
    assert 3 not in engine.classify(text).rules


def test_a_question_followed_by_hate_is_still_read(engine):
    text = "Why is the council printing leaflets in Urdu? Those people should learn English or go home. Leeches."
    assert 3 in engine.classify(text).rules


@pytest.mark.parametrize(
    "text",
    [
        # "Strange how the thefts on the allotments started the week the hotel by the bypass opened.
        # Join the dots." was read by the model of rules-3.1; that of rules-3.2 is 0.87 sure, under
        # the floor (MODEL_CARD.md, known weaknesses).
        "Another Nowak on the licensing committee. Remind me whose country this is?",
        "If they love their homeland that much why don't they go back and fix it",
    ],
)
def test_an_insinuation_that_names_no_group_is_read_by_the_model(engine, text):
    hit = next(h for h in engine.classify(text).hits if h.rule == 3)
    assert hit.category == "racism" and "does not name" in hit.reason


def test_a_gripe_about_the_council_in_the_same_shape_is_not_hate(engine):
    text = "Funny how the potholes on our street only get fixed the week before an election. Just saying."
    assert engine.classify(text).hits == ()


def test_an_unnamed_group_is_read_only_when_the_model_is_all_but_sure(monkeypatch, engine):
    text = "Another shop on Mill Lane with a sign nobody can read. Wonder whose town this will be in ten years"
    _model_says(monkeypatch, 0.75, 0.01)
    assert 3 not in engine.classify(text).rules
    _model_says(monkeypatch, 0.95, 0.01)
    assert engine.classify(text).hit("racism") is not None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("another prayer room on the high street. you know what i mean", "religion"),
        ("drag act at the library again. join the dots", "transphobia"),
        ("blue badge bays everywhere now. just saying", "ableism"),
        ("the same names on every court list. just saying", "racism"),
    ],
)
def test_an_insinuation_naming_no_group_is_filed_under_the_group_its_words_point_to(text, category):
    assert insinuation.hinted_category(text) == category


@pytest.mark.parametrize(
    "text",
    [
        # No nudge: the model is not asked about a reply with no group in it.
        "The hotel by the bypass has had its licence renewed again",
        # The nudge reported, and the nudge denounced.
        "He keeps saying 'funny how the crime went up when the hotel opened', as if that proves anything",
        "Tired of the racist 'just saying' posts about the hotel on this page. Report them.",
    ],
)
def test_an_unnamed_group_is_not_read_without_a_nudge_or_in_words_reported(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.99, 0.01)
    assert 3 not in engine.classify(text).rules


def test_noise_where_it_is_made_is_not_words_reported(monkeypatch, engine):
    # "Shouting in the park" says where a group was, not what anyone said: the model reads the reply.
    _model_says(monkeypatch, 0.97, 0.99)
    verdict = engine.classify("Polish lads shouting in the car park again tonight will get a hiding they won't forget")
    assert verdict.hit("threat") is not None
    # Shouting at someone reports what was done, and the rules judge it.
    assert engine.classify("Polish lads were shouting at the Sikh family on Mill Lane 'go home'").hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        # "Worth thinking about" is the writer's own advice, not someone's thoughts reported.
        "Your ward office has one way in and one way out. Worth thinking about.",
        # A blade's work on a car names violence.
        "Car tyres slash easily, Cllr. So do other things.",
    ],
)
def test_advice_to_think_and_a_slashing_are_read_for_a_threat(engine, text):
    hit = engine.classify(text).hit("threat")
    assert hit is not None and "text model" in hit.reason


def test_demeaning_words_about_a_disguised_group_are_read_by_the_model(engine):
    hit = next(
        h for h in engine.classify("Hindoos are filthy thieves, every last one on Belgrave Road").hits if h.rule == 3
    )
    assert hit.category == "religion" and "disguised" in hit.reason
    # The same words about people who are not a protected group are not hate.
    assert 3 not in engine.classify("Estate agents are thieving leeches, every one of them").rules


def test_a_disguised_group_needs_the_model_all_but_sure(monkeypatch, engine):
    text = "Rumainians are filthy, clear the car park"
    _model_says(monkeypatch, 0.97, 0.01)
    assert 3 not in engine.classify(text).rules
    _model_says(monkeypatch, 0.99, 0.01)
    assert engine.classify(text).hit("racism") is not None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("somalians are drunks", "racism"),
        ("shiks are terrorists", "religion"),
        ("lesbains are perverts", "homophobia"),
        ("honestly easterneuropeanscan'tbetrusted", "racism"),
        ("sikhsareextremists, wake up", "religion"),
        ("the council tax is a disgrace", None),
    ],
)
def test_a_disguised_group_name_is_recognised_by_its_spelling(text, category):
    assert learned._disguised_group(text) == category


def test_not_wanting_anything_to_happen_to_the_readers_things_is_read_for_a_veiled_threat(monkeypatch, engine):
    text = "Wouldn't want anything nasty to happen to that nice new Tesla of yours, would we"
    _model_says(monkeypatch, 0.01, 0.9)
    assert "veiled threat" in engine.classify(text).hit("threat").reason
    # Said of the town's things, with a request, the model does not read menace in it.
    monkeypatch.undo()
    text = "We wouldn't want anything to happen to the Christmas lights, so please fund them"
    assert engine.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Lovely to see the council prioritising people who aren't really British", "racism"),
        ("If they love their homeland so much, why don't they go back?", "racism"),
        ("They breed like there's no tomorrow and muggins here pays the child benefit", "racism"),
        ("Ask yourself who really controls the banks and the media", "religion"),
    ],
)
def test_old_dog_whistles_with_no_group_named_are_read_by_the_model(monkeypatch, engine, text, category):
    _model_says(monkeypatch, 0.95, 0.01)
    hit = engine.classify(text).hit(category)
    assert hit is not None and hit.rule == 3 and "does not name" in hit.reason
    # The model must be sure: a gripe can share the words.
    _model_says(monkeypatch, 0.75, 0.01)
    assert 3 not in engine.classify(text).rules


@pytest.mark.parametrize(
    "text",
    [
        "Back to the drawing board, go back and ask the residents this time",
        "Who runs the bins contract now, is it still Veolia?",
        "The Romans built this road and the council can't even fill a pothole in it",
    ],
)
def test_the_same_words_in_ordinary_replies_are_no_nudge(text):
    assert not insinuation.nudges(text.lower())


@pytest.mark.parametrize(
    "text",
    [
        "People like you have accidents",
        "Sleep with the lights on, mate",
        "The last bloke who crossed us round here still walks with a limp",
        "I'd watch my back at the count if I was you",
    ],
)
def test_what_befalls_those_who_cross_the_writer_is_read_for_a_veiled_threat(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.05, 0.9)
    assert "veiled threat" in engine.classify(text).hit("threat").reason


@pytest.mark.parametrize(
    "text",
    [
        "Got a bone to pick with you about the tip opening times",
        "I'll kill you... with kindness, you've earned a cake",
    ],
)
def test_an_idiom_or_a_figure_of_speech_is_not_put_to_the_model_as_a_threat(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.05, 0.99)
    assert engine.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        # The writer's own family, named as one of the group.
        "Good to see the new rainbow crossing. My gay son was chuffed to bits",
        "My autistic daughter has waited two years for an EHCP, what is the council doing?",
        # Answering those who abuse a group.
        "To the people slagging off the refugees at the hotel: they're human beings. Have some decency",
        # Congratulations are meant.
        "A woman as mayor? Brilliant news, congratulations",
    ],
)
def test_family_answers_to_abusers_and_congratulations_are_not_read_as_hate(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.97, 0.01)
    assert 3 not in engine.classify(text).rules


@pytest.mark.parametrize(
    "text",
    [
        "How easy would it be to find you a slot on Tuesday?",
        "You'll get dropped off at the door by the minibus",
        "Enjoy the fete, Cllr, it might be your last as chair of the committee.",
        "Take care of that knee, hope the physio sorts it out",
        "Hope you're resting up after Covid, nasty one going round",
        "The council is a bin fire and you're pouring petrol on it",
        "Get your head out of your backside and look at what's happening on the estate",
    ],
)
def test_favours_lifts_a_term_as_chair_and_get_well_wishes_are_not_put_to_the_model(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.01, 0.995)
    assert engine.classify(text).hit("threat") is None


@pytest.mark.parametrize(
    "text",
    [
        "You'd better hope the police are quicker than me",
        "Patience is running out, and so is your luck",
        "I'd stay away from the market on Saturday. For your own good.",
        "One wrong move on the green belt and that's you finished",
        "How safe do you feel at your surgery with no security on the door?",
        "Don't think the police can protect you round the clock",
        "Funny how politicians think they're untouchable",
        "Pity nobody can ever find witnesses round here when things go wrong",
        "There's more than one way to get a councillor to change their mind",
        "The car park behind the civic centre has no CCTV",
        "Things happen to people who take backhanders. Ask around.",
        "Hope your insurance covers what's going to happen to the office",
        "Your time's coming, pal",
        "Funny how quickly a person can disappear, isn't it",
        "We're coming round to discuss the parking scheme. Bring a first aid kit.",
        "You won't be so smug when we catch up with you outside the town hall",
    ],
)
def test_luck_safety_and_help_that_will_not_come_are_read_for_a_veiled_threat(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.05, 0.9)
    assert "veiled threat" in engine.classify(text).hit("threat").reason


def test_a_veiled_threat_needs_the_model_surer_when_an_election_is_named(monkeypatch, engine):
    _model_says(monkeypatch, 0.05, 0.75)
    assert engine.classify("Some people in this ward don't forget. I'm one of them").hit("threat") is not None
    assert engine.classify("You'll get what's coming to you at the next election").hit("threat") is None
    _model_says(monkeypatch, 0.05, 0.65)
    assert engine.classify("Some people in this ward don't forget. I'm one of them").hit("threat") is None


def test_prejudice_named_as_such_is_not_read_as_hate_unless_denied_or_worn(monkeypatch, engine):
    _model_says(monkeypatch, 0.97, 0.01)
    assert (
        3 not in engine.classify("Amazed how many people think it's fine to be racist to Black kids on the bus").rules
    )
    assert 3 in engine.classify("Call me racist but Somalis don't belong on this estate").rules
    assert 3 in engine.classify("Not racist but the Poles on our street are a nightmare").rules


@pytest.mark.parametrize(
    "text",
    [
        "So apparently asylum seekers are 'animals' now? Have a word with yourself.",
        "I don't believe for a second that asylum seekers are lazy, most aren't even allowed to work",
    ],
)
def test_a_rebuke_and_a_stereotype_denied_outright_are_not_read_as_hate(monkeypatch, engine, text):
    _model_says(monkeypatch, 0.99, 0.01)
    assert 3 not in engine.classify(text).rules


def test_racism_shouted_as_a_taunt_does_not_keep_the_model_from_reading_hate(monkeypatch, engine):
    _model_says(monkeypatch, 0.95, 0.01)
    assert 3 in engine.classify("Black people shout racism whenever they're caught doing something wrong").rules
