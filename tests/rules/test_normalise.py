"""normalise(): the text as the engine reads it, and how obfuscation is undone."""

from __future__ import annotations

import pytest

from moderation.rules import Engine, normalise

ENGINE = Engine()


def categories(text: str, author: dict | None = None) -> set[str]:
    return ENGINE.classify(text, author).categories


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'll KILL you", "i'll kill you"),
        ("\uff2b\uff29\uff2c\uff2c", "kill"),  # fullwidth, handled by NFKC
        ("k\u200bi\u200cl\u200dl", "kill"),  # zero-width space, non-joiner, joiner
        ("ki\u00adll \ufeffyou", "kill you"),  # soft hyphen, byte order mark
        ("\u202ekill\u202c you", "kill you"),  # bidi override and pop
        ("k\u2066il\u2069l", "kill"),  # isolates
        ("k\u034fill", "kill"),  # combining grapheme joiner
        ("\u043a\u0456ll", "kill"),  # Cyrillic ka and Ukrainian i
        ("\u03bai\u03bdd", "kivd"),  # Greek kappa and nu fold to k and v
        ("p\u0430r\u0441\u0435l", "parcel"),  # Cyrillic a, es, ie
        ("k\u00efll", "kill"),  # accents are dropped
    ],
)
def test_invisibles_are_removed_and_look_alikes_folded(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("k1ll", "kill"),
        ("sh!t", "shit"),
        ("1d10t", "idiot"),
        ("$cum", "scum"),
        ("r@pe", "rape"),
        ("d13", "die"),
    ],
)
def test_leetspeak_inside_words_is_read_as_letters(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "text",
    ["5 days", "the 1990s", "3rd time this month", "the 10am surgery", "a 50p charge", "M25 closed", "4.99% rise"],
)
def test_numbers_are_not_leetspeak(text):
    assert normalise(text) == text.lower()


def test_exclamation_and_at_sign_are_leet_only_between_letters():
    assert normalise("@CllrJones idiot!") == "@cllrjones idiot!"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("k i l l", "kill"),
        ("k.i.l.l", "kill"),
        ("k-i-l-l", "kill"),
        ("k_i_l_l y_o_u", "kill you"),
        ("k i l l  y o u", "kill you"),
        ("K.I.L.L Y.O.U", "kill you"),
    ],
)
def test_spaced_out_letters_are_joined_and_wider_gaps_kept_as_word_breaks(text, expected):
    assert normalise(text) == expected


def test_text_speak_single_letters_are_not_joined():
    assert normalise("u r a disgrace") == "u r a disgrace"


def test_repeated_letters_are_squeezed_to_two():
    assert normalise("kiiiiiill youuuuu") == "kiill youu"


def test_squeezed_to_one_letter_form_is_matched_too():
    assert "threat" in ENGINE.classify("I will kiiiiiill you").categories


@pytest.mark.parametrize(
    ("text", "expected"),
    [("c*nt", "cunt"), ("f***ing", "fucking"), ("sh*t", "shit"), ("k*ll", "kill"), ("b#tch", "bitch")],
)
def test_masked_letters_are_restored_for_words_worth_unmasking(text, expected):
    assert normalise(text) == expected


def test_masks_that_fit_no_listed_word_are_left_alone():
    assert normalise("co-op f*** w**d") == "co-op f*** w**d"


def test_whitespace_and_control_characters_collapse_to_single_spaces():
    assert normalise("  bins\n\n\tmissed\x00again\r\n ") == "bins missed again"


@pytest.mark.parametrize("text", ["", "\u200b\u200b", "\ud800", "\x00\x01\x02", "\u202e"])
def test_degenerate_input_normalises_without_error(text):
    assert isinstance(normalise(text), str)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("if that goes in i will k i l l  y o u", 'direct threat: "k i l l  y o u" (obfuscated: kill you)'),
        ("I'll k\u200bill you", 'direct threat: "kill you" (obfuscated: kill you)'),
        ("I will K1LL YOU", 'direct threat: "K1LL YOU" (obfuscated: kill you)'),
        ("I WILL KILL YOU", 'direct threat: "KILL YOU"'),
    ],
)
def test_reasons_quote_the_original_words_and_flag_obfuscation(text, quoted):
    assert ENGINE.classify(text).hit("threat").reason == quoted


def test_the_reading_is_the_same_in_every_process_whatever_its_hash_seed():
    # Spaced-out letters with two separators as common as each other ("A S___T") were once joined
    # by whichever separator a set yielded first, which the process's hash seed decides.
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    texts = ["I DON'T GIVE A S___T JACKET", "k i l l - a l l - t h e m", "m.u.s l.i.m.s o u t"]
    code = (
        "import json; from moderation.rules.normalise import normalise; "
        f"print(json.dumps([normalise(t) for t in {texts!r}]))"
    )
    seen = set()
    for seed in ("1", "2", "3", "4", "5", "6"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=Path(__file__).resolve().parents[2],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        seen.add(tuple(json.loads(out.stdout)))
    assert len(seen) == 1
    assert list(seen.pop()) == [normalise(t) for t in texts]
