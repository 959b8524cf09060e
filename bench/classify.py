"""Throughput and latency of the rules engine on realistic mixed replies.

    python bench/classify.py [--n 20000] [--seed 7] [--processes 2]

Prints marginal throughput (replies per second, engine start-up and reply generation excluded)
and single-reply latency percentiles in one process, then the throughput of one process per core
(the worker pool's layout, each process with its own engine). Replies are generated from
templates: mostly ordinary constituent replies, plus rude, abusive, threatening, discriminatory,
false-claim, link-bearing and obfuscated ones, with a mix of ordinary and throwaway author
profiles. Then the same single-process figures
for the functional cases in tests/rules/, every one about a protected group or violence: the load
of a pile-on of hate, where the second reading of hate and threats is asked most.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
FUNCTIONAL_DIR = Path(__file__).resolve().parents[1] / "tests" / "rules"

REGISTERED_CLAIMS = (
    ("park-sale", "The council is selling Victoria Park to housing developers", "It is not for sale.", ""),
    ("bins-monthly", "Black bin collections are being cut to once a month", "They stay fortnightly.", ""),
    ("road-closure", "Station Road will be closed to cars for the new cycle lane", "It stays open.", ""),
)
UNRELIABLE = ("townhalltruth.example", "leaks-daily.example")

PLACES = [
    "Larch Avenue",
    "Station Road",
    "Church Street",
    "the high street",
    "Victoria Park",
    "Mill Lane",
    "the estate",
]
THINGS = ["bins", "potholes", "streetlights", "bus shelter", "library", "cycle lane", "crossing", "parking", "drains"]
CLEAN = [
    "Thanks for sorting the {thing} on {place} so quickly.",
    "Any update on the {thing} near {place}? It's been three weeks now.",
    "I won't be voting for you again after the {thing} decision. Resign.",
    "This {thing} scheme is a disgrace and you know it.",
    "Could you raise the {thing} on {place} at the next committee meeting please?",
    "Bloody {thing} again on {place}. When will it be fixed?",
    "Great turnout at the {place} litter pick this morning, well done everyone.",
    "My mum is 84 and can't get to the shops since the bus was cut. Please help.",
    "As a gay man who grew up on {place} I'm proud of this town. Thank you.",
    "Is the surgery on Saturday at the community centre or the library?",
    "The {thing} outside 14 {place} has been broken since March.",
]
RUDE = [
    "You useless muppet, fix the {thing}.",
    "Shut up and sort the {thing} on {place}.",
    "What a clown. Three months for the {thing}.",
    "WHEN ARE YOU GOING TO FIX THE {thing_upper}?? IDIOT!!",
]
ABUSE = ["You're a lying piece of sh*t.", "Scum. Absolute scum.", "Worthless c*nt, resign."]
THREAT = [
    "I know where you live.",
    "If the {thing} goes ahead I will k i l l  y o u",
    "hope you d13 in a fire",
    "do everyone a favour and k\u200bill yourself",
    "Vote for the {thing} and you'll regret it.",
]
HATE = [
    "Go back to your own country.",
    "Immigrants are vermin and you let them in.",
    "Women shouldn't be in politics.",
    "Too old and senile to run a council.",
    "Tr*nnies at the library, disgusting.",
]
CLAIM_REPLIES = [
    "They're flogging Victoria Park to developers, it's all agreed.",
    "black bins only emptied once a month from April, thanks for nothing",
    "Read this https://townhalltruth.example/{thing}-cover-up before you trust her",
]
MIX = [(CLEAN, 0.62), (RUDE, 0.12), (ABUSE, 0.04), (THREAT, 0.06), (HATE, 0.06), (CLAIM_REPLIES, 0.10)]


def make_replies(n: int, seed: int) -> list[tuple[str, dict]]:
    rng = random.Random(seed)
    pools, weights = zip(*MIX, strict=True)
    now = datetime.now(UTC)
    replies = []
    for _ in range(n):
        template = rng.choice(rng.choices(pools, weights=weights)[0])
        thing = rng.choice(THINGS)
        text = template.format(place=rng.choice(PLACES), thing=thing, thing_upper=thing.upper())
        if rng.random() < 0.2:
            author = {
                "handle": f"resident{rng.randint(1_000_000, 9_999_999)}",
                "display_name": "",
                "created_at": (now - timedelta(days=rng.randint(0, 20))).isoformat(),
                "followers_count": rng.randint(0, 5),
                "following_count": rng.randint(100, 2000),
                "default_avatar": True,
                "bio": "",
            }
        else:
            author = {
                "handle": "JoanPritchard",
                "display_name": "Joan Pritchard",
                "created_at": "2015-06-01T09:00:00Z",
                "followers_count": rng.randint(50, 900),
                "following_count": rng.randint(50, 900),
                "default_avatar": False,
                "bio": "Millbrook resident.",
                "verified": False,
            }
        replies.append((text, author))
    return replies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="replies to classify (default 20000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="also classify the replies split over this many processes, as the worker pool does (default: one a core)",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    # Start-up: importing compiles the patterns; building the engine prepares the register.
    engine = bench_engine()
    startup = time.perf_counter() - started
    replies = make_replies(args.n, args.seed)

    total, latencies, flagged = timed(engine, replies)
    mean_length = statistics.mean(len(text) for text, _ in replies)
    registered = len(REGISTERED_CLAIMS)
    print(f"engine {engine.VERSION}: start-up {startup * 1000:.1f} ms (import + build), {registered} registered claims")
    print(f"replies: {len(replies)} ({flagged} flagged), mean length {mean_length:.0f} chars")
    report(len(replies), total, latencies)
    if args.processes > 1:
        rate = machine_throughput(replies, args.processes)
        print(
            f"throughput: {rate:,.0f} replies/s over {args.processes} processes (the whole machine, one engine a core)"
        )

    # The hard case: every reply names a protected group or uses words of violence, so the second
    # reading of hate and threats (a MiniLM, a few ms a reply) is asked whenever the rules miss.
    hard = [(case["text"], None) for path in sorted(FUNCTIONAL_DIR.glob("functional_*.jsonl")) for case in cases(path)]
    from moderation.rules import group_head

    asked = 0
    real = group_head.group_scores

    def counted(texts, prepared=False):
        nonlocal asked
        asked += 1
        return real(texts, prepared=prepared)

    group_head.group_scores = counted
    try:
        total, latencies, flagged = timed(engine, hard)
    finally:
        group_head.group_scores = real
    print(f"\nfunctional cases (tests/rules): {len(hard)} replies, all about protected groups or violence")
    print(f"second reading asked for {asked} ({asked / len(hard):.0%})")
    report(len(hard), total, latencies)


def bench_engine():
    """The engine with the benchmark's claims register."""
    from moderation.rules import Claim, Engine, Register

    return Engine(Register(claims=tuple(Claim(*c) for c in REGISTERED_CLAIMS), unreliable_domains=UNRELIABLE))


def _share(args) -> tuple[float, float]:
    """One process's share: build its own engine, warm it, wait for the others, then time."""
    replies, barrier = args
    engine = bench_engine()
    for text, author in replies[:200]:
        engine.classify(text, author)
    barrier.wait()
    start = time.perf_counter()  # CLOCK_MONOTONIC: comparable between processes
    for text, author in replies:
        engine.classify(text, author)
    return start, time.perf_counter()


def machine_throughput(replies: list[tuple[str, dict]], processes: int) -> float:
    """Replies per second with ``processes`` engines at once, each on its share of the replies
    (the worker pool's layout: one process per core); from the first start to the last finish."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(processes)
        shares = [(replies[i::processes], barrier) for i in range(processes)]
        with context.Pool(processes) as pool:
            spans = pool.map(_share, shares)
    return len(replies) / (max(end for _, end in spans) - min(start for start, _ in spans))


def cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def timed(engine, replies: list[tuple[str, dict | None]]) -> tuple[float, list[float], int]:
    """Seconds for all the replies, each reply's seconds (sorted), and how many were flagged."""
    for text, author in replies[:200]:  # warm caches (character folding, lru, models) before timing
        engine.classify(text, author)
    latencies = []
    flagged = 0
    clock = time.perf_counter
    total_start = clock()
    for text, author in replies:
        t0 = clock()
        verdict = engine.classify(text, author)
        latencies.append(clock() - t0)
        flagged += bool(verdict.hits)
    total = clock() - total_start
    latencies.sort()
    return total, latencies, flagged


def report(n: int, total: float, latencies: list[float]) -> None:
    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    print(f"throughput: {n / total:,.0f} replies/s (one core, start-up excluded)")
    print(f"latency ms: p50 {pct(50):.3f}  p95 {pct(95):.3f}  p99 {pct(99):.3f}  max {latencies[-1] * 1000:.3f}")


if __name__ == "__main__":
    main()
