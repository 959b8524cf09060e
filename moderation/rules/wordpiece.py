"""BERT's uncased WordPiece tokeniser, as all-MiniLM-L6-v2 was trained with it.

Written out here rather than taken from the ``tokenizers`` package, which would bring a model-hub
client with it. It follows BERT's reference tokeniser step for step, so the ids are the ones the
model expects:

1. Clean: drop NUL, U+FFFD and control characters; every kind of whitespace becomes a space.
2. Put spaces round CJK ideographs, so each is a word of its own.
3. Split on whitespace; lowercase each word and strip accents (NFD, then drop the combining marks).
4. Split each word again on punctuation (any Unicode P* character, and every printable ASCII
   character that is not a letter or a digit, such as "$", "+" or "^").
5. WordPiece: take the longest prefix found in the vocabulary, then the longest "##" continuation,
   and so on. A word that cannot be covered, or is longer than 100 characters, is one [UNK].
6. Add [CLS] and [SEP] and keep at most 128 tokens (only the first 8,000 characters are read).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

VOCAB_PATH = Path(__file__).resolve().parent / "models" / "minilm_vocab.txt"
MAX_TOKENS = 128
MAX_WORD_CHARS = 100
# 128 tokens are used up long before this many characters in any real text; cutting here keeps a
# 20,000-character paste from costing a full tokenisation only to be truncated.
MAX_READ_CHARS = 8_000

_CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_control(ch: str) -> bool:
    # Tab, newline and carriage return count as whitespace, not as control characters.
    return ch not in "\t\n\r" and unicodedata.category(ch).startswith("C")


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def _clean(text: str) -> str:
    if text.isascii():
        # Fast path for the common case: only ASCII controls and whitespace to deal with.
        if text.isprintable():
            return text
        return "".join(" " if ch in "\t\n\r" else ch for ch in text if ch.isprintable() or ch in "\t\n\r")
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        if _is_whitespace(ch):
            out.append(" ")
        elif _is_cjk(cp):
            out.append(f" {ch} ")
        else:
            out.append(ch)
    return "".join(out)


def _strip_accents(word: str) -> str:
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if unicodedata.category(ch) != "Mn")


def _split_punctuation(word: str) -> list[str]:
    if word.isalnum():
        return [word]
    pieces: list[str] = []
    current: list[str] = []
    for ch in word:
        if _is_punctuation(ch):
            if current:
                pieces.append("".join(current))
                current = []
            pieces.append(ch)
        else:
            current.append(ch)
    if current:
        pieces.append("".join(current))
    return pieces


def basic_tokens(text: str) -> list[str]:
    """Steps 1 to 4: the words and punctuation marks WordPiece then splits."""
    text = unicodedata.normalize("NFC", _clean(text))
    words: list[str] = []
    for word in text.split():
        words.extend(_split_punctuation(_strip_accents(word.lower())))
    return words


class WordPieceTokenizer:
    """Text to token ids for all-MiniLM-L6-v2 (BERT uncased vocabulary)."""

    def __init__(self, vocab_path: Path = VOCAB_PATH, max_tokens: int = MAX_TOKENS) -> None:
        lines = vocab_path.read_text(encoding="utf-8").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        self.vocab: dict[str, int] = {token: i for i, token in enumerate(lines)}
        for special in ("[PAD]", "[UNK]", "[CLS]", "[SEP]"):
            if special not in self.vocab:
                raise ValueError(f"{vocab_path} is not a BERT vocabulary: it has no {special} token")
        self.pad_id = self.vocab["[PAD]"]
        self.unk_id = self.vocab["[UNK]"]
        self.cls_id = self.vocab["[CLS]"]
        self.sep_id = self.vocab["[SEP]"]
        self.max_tokens = max_tokens
        # Replies reuse the same few thousand words; remembering their pieces makes tokenising cheap.
        self._word_ids = lru_cache(maxsize=65_536)(self._word_ids_uncached)

    def _word_ids_uncached(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARS:
            return (self.unk_id,)
        vocab = self.vocab
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk_id,)
            ids.append(found)
            start = end
        return tuple(ids)

    def tokenize(self, text: str) -> list[str]:
        """The WordPiece tokens of ``text`` (no [CLS]/[SEP]); for reading and tests."""
        inverse = {i: token for token, i in self.vocab.items()}
        return [inverse[i] for i in self.encode(text)[1:-1]]

    def encode(self, text: str) -> list[int]:
        """[CLS] + pieces + [SEP], cut to ``max_tokens`` (the [SEP] is kept)."""
        budget = self.max_tokens - 2
        ids = [self.cls_id]
        for word in basic_tokens(text[:MAX_READ_CHARS]):
            ids.extend(self._word_ids(word))
            if len(ids) > budget:
                del ids[budget + 1 :]
                break
        ids.append(self.sep_id)
        return ids
