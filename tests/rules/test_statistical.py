"""The statistical text model: a stable featuriser, and the shipped model's behaviour."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from moderation.rules import statistical
from moderation.rules.normalise import Document
from moderation.rules.statistical import HEADS, MODEL_PATH, N_BUCKETS, TextModel, text_model

ROOT = Path(__file__).resolve().parents[2]

OFFENSIVE = [
    "You are a fucking idiot",
    "Shut up you stupid bitch",
    "What a pathetic lying piece of shit you are",
    "fuck off and die you worthless cunt",
    "you're a disgusting moron",
]
BENIGN = [
    "Thank you for fixing the streetlight on our road",
    "Lovely to see you at the community fair on Saturday",
    "Could you tell me when the library reopens?",
    "Congratulations on the new cycle lane, it works well",
    "Good morning, the meeting starts at ten",
]
HATEFUL = [
    "Immigrants are vermin and should be sent back",
    "all blacks are subhuman",
    "I hate all these dirty immigrants",
]

needs_model = pytest.mark.skipif(not MODEL_PATH.exists(), reason="no trained model: run training/train_text_model.py")


# --- featuriser ----------------------------------------------------------------------------------


def test_buckets_are_crc32_of_the_ngram_and_fixed():
    # Fixed numbers: a change of hash or bucket count would silently scramble every shipped weight.
    assert N_BUCKETS == 2**18
    assert statistical._bucket("idiot") == 241815
    assert statistical._bucket("you idiot") == 224775
    assert statistical._bucket(" id") == 59997
    assert statistical._bucket("idiot") == zlib.crc32(b"idiot") % N_BUCKETS


def test_counts_of_a_fixed_string():
    c = statistical.counts("You IDIOT, you!")
    # Tokens you / idiot / you; unigrams you x2, idiot; bigrams "you idiot", "idiot you".
    assert statistical.tokens("You IDIOT, you!") == ["you", "idiot", "you"]
    assert c.word_idx.tolist() == [160156, 224775, 227350, 241815]
    assert dict(zip(c.word_idx.tolist(), c.word_cnt.tolist(), strict=True))[statistical._bucket("you")] == 2
    expected_chars = {statistical._bucket(g) for t in ("you", "idiot") for g in statistical.char_ngrams(t)}
    assert set(c.char_idx.tolist()) == expected_chars
    assert list(c.char_idx) == sorted(c.char_idx)


def test_featuriser_is_the_same_in_another_process_with_another_hash_seed():
    text = "Go back to your own country 👳🏾 k1ll"
    here = statistical.counts(text)
    code = (
        f"import json; from moderation.rules import statistical as s; c = s.counts({text!r}); "
        "print(json.dumps([c.word_idx.tolist(), c.char_idx.tolist(), c.char_cnt.tolist()]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == [here.word_idx.tolist(), here.char_idx.tolist(), here.char_cnt.tolist()]


def test_char_ngrams_match_scikit_learns_char_wb():
    feature_extraction = pytest.importorskip("sklearn.feature_extraction.text")
    analyse = feature_extraction.CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False)
    analyse = analyse.build_analyzer()
    for word in ["a", "go", "you", "idiot", "immigrants", "👳"]:
        assert statistical.char_ngrams(word) == analyse(word)


def test_mentions_links_and_placeholders_are_not_read():
    assert statistical.tokens("@USER @someone RT you clown https://t.co/x1Y2 URL www.example.com") == ["you", "clown"]
    assert statistical.tokens("fish &amp; chips") == ["fish", "chips"]


def test_obfuscation_is_undone_before_featurising():
    assert statistical.tokens("Y0u 1d10t") == statistical.tokens("you idiot")
    assert statistical.tokens("k i l l  y o u") == ["kill", "you"]


def test_emoji_are_tokens_and_punctuation_is_not():
    assert statistical.tokens("🐀 make me 🤢 !!! ...") == ["🐀", "make", "me", "🤢"]


def test_weigh_is_sublinear_tfidf_with_unit_norm():
    idf = np.full(N_BUCKETS, 2.0, dtype=np.float32)
    idf[5] = 4.0
    vals = statistical.weigh(np.array([3, 5]), np.array([math.e, 1.0]), idf)
    # (1 + ln e) * 2 = 4 and 1 * 4 = 4: equal before and after normalising.
    assert vals.tolist() == pytest.approx([math.sqrt(0.5), math.sqrt(0.5)])
    assert statistical.weigh(np.zeros(0, dtype=np.int64), np.zeros(0), idf).size == 0


def test_load_refuses_a_model_built_for_another_featuriser(tmp_path):
    zeros = np.zeros((N_BUCKETS, len(HEADS)), dtype=np.float32)
    model = TextModel(
        word_idf=np.ones(N_BUCKETS, dtype=np.float32),
        char_idf=np.ones(N_BUCKETS, dtype=np.float32),
        word_coef=zeros,
        char_coef=zeros,
        intercept=np.zeros(len(HEADS)),
        thresholds=np.full(len(HEADS), 0.5),
        heads=HEADS,
        meta={"version": "t", "featuriser": "something-else"},
    )
    path = tmp_path / "old.npz"
    model.save(path)
    with pytest.raises(ValueError, match="retrain"):
        TextModel.load(path)


# --- the shipped model ---------------------------------------------------------------------------


@needs_model
def test_shipped_model_describes_itself():
    model = text_model()
    assert model is text_model()  # one per process
    assert model.heads == HEADS
    assert model.version.startswith("text-1-")
    assert all(0 < t < 1 for t in model.thresholds.values())
    assert MODEL_PATH.stat().st_size < 10_000_000
    report = json.loads(MODEL_PATH.with_suffix(".json").read_text())
    assert report["version"] == model.version
    for head in HEADS:
        assert report["heads"][head]["threshold"] == pytest.approx(model.thresholds[head])
        assert report["heads"][head]["test"]


@needs_model
def test_scores_are_probabilities_for_every_head():
    model = text_model()
    for text in OFFENSIVE + BENIGN + HATEFUL:
        scores = model.scores(text)
        assert set(scores) == set(HEADS)
        assert all(0.0 <= v <= 1.0 for v in scores.values())


@needs_model
def test_shipped_model_separates_offensive_from_benign():
    model = text_model()
    offensive = [model.scores(t)["offensive"] for t in OFFENSIVE]
    benign = [model.scores(t)["offensive"] for t in BENIGN]
    assert min(offensive) >= model.thresholds["offensive"] > max(benign)


@needs_model
def test_shipped_model_reads_hate_against_groups():
    model = text_model()
    hateful = [model.scores(t)["hate"] for t in HATEFUL]
    benign = [model.scores(t)["hate"] for t in BENIGN]
    assert min(hateful) >= model.thresholds["hate"] > max(benign)


@needs_model
def test_batch_and_single_agree():
    model = text_model()
    texts = OFFENSIVE + BENIGN + HATEFUL + ["", "🤢"]
    for one, many in zip([model.scores(t) for t in texts], model.scores_many(texts), strict=True):
        assert one == pytest.approx(many, abs=1e-9)


@needs_model
def test_scores_document_agrees_with_scores():
    model = text_model()
    for text in OFFENSIVE + BENIGN:
        assert model.scores_document(Document(text)) == pytest.approx(model.scores(text), abs=1e-9)


@needs_model
@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 20_000,
        "you idiot " * 10_000,  # 100k characters: only the first 20k are read
        "\x00\x01\x02\x1b[31m\x7f you \u202e idiot",
        "🤢🤮👳🏾🐀🇵🇰" * 50,
        "\ud800 lone surrogate",
        "\u200b\u200c\u200d\ufeff",
        None,
    ],
)
def test_hostile_input_is_scored_without_error(text):
    scores = text_model().scores(text)
    assert set(scores) == set(HEADS)
    assert all(0.0 <= v <= 1.0 and not math.isnan(v) for v in scores.values())


@needs_model
def test_empty_text_gets_the_prior_only():
    model = text_model()
    assert model.scores("") == model.scores("!!! ... ???") == model.scores("@USER URL")


def test_very_long_tokens_are_cut():
    wall = "".join(chr(0x4E00 + i) for i in range(5000))
    toks = statistical.tokens(f"hello {wall}")
    assert toks == ["hello", wall[: statistical.MAX_TOKEN]]


# --- the threat filter ---------------------------------------------------------------------------


def test_shipped_threat_filter_describes_itself():
    screen = statistical.threat_filter()
    assert screen is statistical.threat_filter()  # one per process
    assert screen.heads == ("threat",)
    assert screen.version.startswith("threat-filter-1-")
    assert statistical.THREAT_FILTER_PATH.stat().st_size < 5_000_000
    report = json.loads(statistical.THREAT_FILTER_PATH.with_suffix(".json").read_text())
    assert report["version"] == screen.version
    assert report["heads"]["threat"]["threshold"] == pytest.approx(screen.thresholds["threat"])
    # Chosen to pass on at least 95% of the validation threats.
    assert report["validation"]["recall"] >= report["recall_target"] == 0.95


def test_threat_filter_passes_threats_and_keeps_back_thanks():
    screen = statistical.threat_filter()
    cut = screen.thresholds["threat"]
    for text in (
        "We know where you live and we're coming for you",
        "Your kids walk home past my house, shame if something happened",
        "Nice car. Be a pity if the brakes went on the hill",
    ):
        assert screen.scores(text)["threat"] >= cut, text
    for text in BENIGN:
        assert screen.scores(text)["threat"] < cut, text


@pytest.mark.parametrize(
    ("scores", "recall", "expected"),
    [
        ([0.9, 0.8, 0.7, 0.6], 1.0, 0.6),
        ([0.9, 0.8, 0.7, 0.6], 0.75, 0.7),
        ([0.905, 0.5], 0.5, 0.9),
    ],
)
def test_the_filter_threshold_is_the_highest_that_keeps_the_recall(scores, recall, expected):
    from training.train_threat_filter import highest_threshold

    y = np.array([True] * len(scores) + [False])
    proba = np.array([*scores, 0.99])
    chosen = highest_threshold(y, proba, recall)
    assert chosen == pytest.approx(expected)
    assert np.mean(proba[y] >= chosen) >= recall
