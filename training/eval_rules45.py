"""Precision and recall of rules 4 (registered false claims) and 5 (anonymous accounts).

    python training/eval_rules45.py

Rule 4 on tests/rules/claims_cases.jsonl: eight registered claims, each with paraphrases that
must be caught and same-topic remarks, questions and denials that must not. Every claim is
registered in one engine, so a reply caught for the wrong claim counts against it too. The
similarity threshold was chosen on the "dev" claims only; the "test" claims are held out. The
lexical stage alone is scored as well, to show what matching by meaning adds.

Rule 5 on tests/rules/author_cases.jsonl: anonymous or throwaway accounts against ordinary
residents, local groups and the councillor's own account.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CLAIM_CASES = ROOT / "tests" / "rules" / "claims_cases.jsonl"
AUTHOR_CASES = ROOT / "tests" / "rules" / "author_cases.jsonl"


def _read(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name} line {number} is not valid JSON: {exc}") from exc
    return rows


def _scores(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def claim_cases() -> tuple[list[dict], list[dict]]:
    """(claims, replies) from claims_cases.jsonl."""
    rows = _read(CLAIM_CASES)
    return [r for r in rows if r["kind"] == "claim"], [r for r in rows if r["kind"] == "reply"]


def _claims_figures(replies: list[dict], split_of: dict[str, str], hits_for) -> dict:
    """Figures per split for a function text -> set of claim codes hit."""
    out: dict[str, dict] = {}
    tallies: dict[str, dict[str, int]] = {}
    for reply in replies:
        hit = hits_for(reply["text"])
        for split in (split_of[reply["claim"]], "all"):
            t = tallies.setdefault(split, {"tp": 0, "fp": 0, "fn": 0, "topic_hit": 0, "denial_hit": 0, "n": 0})
            t["n"] += 1
            if reply["hit"]:
                if reply["claim"] in hit:
                    t["tp"] += 1
                else:
                    t["fn"] += 1
                t["fp"] += bool(hit - {reply["claim"]})  # caught for the wrong claim as well or instead
            elif hit:
                t["fp"] += 1
                t[f"{reply['label']}_hit"] += 1
    for split in ("dev", "test", "all"):
        t = tallies.get(split)
        if t:
            out[split] = {
                **_scores(t["tp"], t["fp"], t["fn"]),
                "replies": t["n"],
                "same_topic_caught": t["topic_hit"],
                "denials_caught": t["denial_hit"],
            }
    return out


def evaluate_claims() -> dict:
    """Rule 4: precision / recall / F1 per split, for the whole engine and the lexical stage alone."""
    from moderation.rules import Claim, Engine, Register
    from moderation.rules.claims import SIMILARITY_THRESHOLD, ClaimMatcher
    from moderation.rules.normalise import Document

    claims, replies = claim_cases()
    split_of = {c["code"]: c["split"] for c in claims}
    register = tuple(Claim(c["code"], c["claim"], c["correction"], c["source_url"]) for c in claims)
    engine = Engine(Register(claims=register))
    codes = [c["code"] for c in claims]

    def engine_hits(text: str) -> set[str]:
        hit = engine.classify(text).hit("false_claim")
        return {code for code in codes if hit and f"({code}" in hit.reason}

    lexical = ClaimMatcher(register, semantic=False)

    def lexical_hits(text: str) -> set[str]:
        return {code for cue in lexical.match(Document(text)) for code in codes if f"({code}" in cue.reason}

    return {
        "semantic_stage": engine._claims.semantic,
        "threshold": SIMILARITY_THRESHOLD,
        "engine": _claims_figures(replies, split_of, engine_hits),
        "lexical_only": _claims_figures(replies, split_of, lexical_hits),
    }


def author_profile(author: dict, now: datetime) -> dict:
    """The author as the engine sees it; "created_days_ago" keeps the cases' new accounts new."""
    profile = {k: v for k, v in author.items() if k != "created_days_ago"}
    if "created_days_ago" in author:
        profile["created_at"] = (now - timedelta(days=author["created_days_ago"])).isoformat()
    return profile


def evaluate_authors() -> dict:
    """Rule 5: precision / recall / F1 of "anonymous" on the labelled authors."""
    from moderation.rules import anonymity

    now = datetime.now(UTC)
    tp = fp = fn = 0
    for row in _read(AUTHOR_CASES):
        flagged = bool(anonymity.assess(author_profile(row["author"], now), now=now, account=row.get("account")))
        anonymous = row["label"] == "anonymous"
        tp += flagged and anonymous
        fp += flagged and not anonymous
        fn += anonymous and not flagged
    rows = _read(AUTHOR_CASES)
    return {
        **_scores(tp, fp, fn),
        "authors": len(rows),
        "anonymous": sum(r["label"] == "anonymous" for r in rows),
        "false_positives": fp,
        "false_negatives": fn,
    }


if __name__ == "__main__":
    print(json.dumps({"claims": evaluate_claims(), "authors": evaluate_authors()}, indent=2))
