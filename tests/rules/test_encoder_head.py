"""The fine-tuned MiniLM offensive head: the shipped file, its scores, and what happens without it."""

from __future__ import annotations

import hashlib
import logging
import math

import pytest

from moderation.rules import encoder_head
from moderation.rules.encoder_head import (
    MAX_TOKENS,
    MODEL_PATH,
    MODEL_SHA256,
    EncoderHeadUnavailable,
    OffensiveEncoderHead,
    metadata,
    offensive_scores,
    prepare,
)

OFFENSIVE = [
    "You are a fucking idiot",
    "Shut up you stupid bitch",
    "What a pathetic lying piece of shit you are",
    "you're a disgusting moron",
]
BENIGN = [
    "Thank you for fixing the streetlight on our road",
    "Lovely to see you at the community fair on Saturday",
    "Could you tell me when the library reopens?",
    "Good morning, the meeting starts at ten",
]
ODD = ["", "   ", "🤡🤡🤡", "@a @b @c @d @e", "https://example.org/x?y=1", "北京 city", "word " * 500, "x" * 20_000]


@pytest.fixture(scope="module")
def head() -> OffensiveEncoderHead:
    return OffensiveEncoderHead()


@pytest.fixture
def fresh_singleton(monkeypatch):
    """The process-wide model forgotten for one test, so it is loaded (or refused) again."""
    monkeypatch.setattr(encoder_head._loaded, "_model", None)
    monkeypatch.setattr(encoder_head._loaded, "_refused", None)


def test_shipped_file_matches_the_checksum_in_code_and_in_its_figures():
    found = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()
    assert found == MODEL_SHA256
    meta = metadata()
    assert meta["sha256"] == found
    assert meta["bytes"] == MODEL_PATH.stat().st_size < 30_000_000


def test_figures_hold_the_validation_choices_the_engine_will_read():
    runtime = metadata()["runtime"]
    low, high = runtime["uncertain_band"]
    assert 0.0 <= low < runtime["ngram_threshold_in_cascade"] <= high <= 1.0
    assert 0.0 < runtime["alone_threshold"] < 1.0
    assert 0.0 <= runtime["combination"]["encoder_weight"] <= 1.0


def test_scores_are_probabilities_for_any_text(head):
    scores = head.scores([*OFFENSIVE, *BENIGN, *ODD])
    assert len(scores) == len(OFFENSIVE) + len(BENIGN) + len(ODD)
    assert all(isinstance(s, float) and math.isfinite(s) and 0.0 <= s <= 1.0 for s in scores)


def test_obvious_abuse_scores_above_obvious_courtesy(head):
    offensive = head.scores(OFFENSIVE)
    benign = head.scores(BENIGN)
    assert min(offensive) > max(benign)
    threshold = metadata()["runtime"]["alone_threshold"]
    assert all(s >= threshold for s in offensive)
    assert all(s < threshold for s in benign)


def test_a_batch_scores_each_text_as_it_would_alone(head):
    texts = [*OFFENSIVE, *BENIGN, *ODD]
    assert head.scores(texts) == [head.scores([t])[0] for t in texts]
    assert head.scores(list(reversed(texts))) == list(reversed(head.scores(texts)))


def test_no_texts_no_scores(head):
    assert head.scores([]) == []


def test_long_texts_are_cut_to_the_models_length(head):
    assert len(head.encode("word " * 500)) == MAX_TOKENS
    assert head.encode("you idiot")[0] == head.tokenizer.cls_id


def test_mentions_and_links_read_as_the_training_data_wrote_them():
    assert prepare("@JoeBloggs @council_uk @x you clown") == "@user you clown"
    assert prepare("read https://example.org/a?b=1 now") == "read URL now"
    assert prepare("fish &amp; chips") == "fish & chips"
    assert prepare(None) == ""


def test_training_reads_texts_exactly_as_run_time_does(head):
    from moderation.rules.wordpiece import WordPieceTokenizer
    from training.datasets import Row
    from training.train_encoder_head import encode_all

    rows = [Row(str(i), text, {}) for i, text in enumerate([*OFFENSIVE, *ODD])]
    assert encode_all(rows, WordPieceTokenizer(max_tokens=MAX_TOKENS)) == [head.encode(r.text) for r in rows]


def test_the_shared_model_is_loaded_once(fresh_singleton):
    first = encoder_head.encoder_head()
    assert first is not None
    assert encoder_head.encoder_head() is first
    scores = offensive_scores(["You are a fucking idiot", "Thank you for fixing the streetlight"])
    assert scores == first.scores(["You are a fucking idiot", "Thank you for fixing the streetlight"])


def test_a_missing_model_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(EncoderHeadUnavailable, match="is not there"):
        OffensiveEncoderHead(tmp_path / "offensive_minilm.onnx")


def test_a_different_file_is_refused_not_run(tmp_path):
    impostor = tmp_path / "offensive_minilm.onnx"
    impostor.write_bytes(b"not the model")
    with pytest.raises(EncoderHeadUnavailable, match="SHA-256"):
        OffensiveEncoderHead(impostor)


def test_without_the_model_scores_are_none_and_the_reason_is_logged_once(
    fresh_singleton, monkeypatch, tmp_path, caplog
):
    monkeypatch.setattr(encoder_head, "MODEL_PATH", tmp_path / "gone.onnx")
    with caplog.at_level(logging.WARNING, logger="moderation.rules.encoder_head"):
        assert offensive_scores(["You are a fucking idiot"]) is None
        assert offensive_scores(["Thank you"]) is None
    warnings = [r for r in caplog.records if r.name == "moderation.rules.encoder_head"]
    assert len(warnings) == 1
    assert "gone.onnx" in warnings[0].getMessage()
    assert "n-gram head judges alone" in warnings[0].getMessage()


def test_a_bad_thread_setting_is_refused(monkeypatch):
    monkeypatch.setenv("SAFERPOL_ENCODER_THREADS", "lots")
    with pytest.raises(EncoderHeadUnavailable, match="whole number"):
        OffensiveEncoderHead()
