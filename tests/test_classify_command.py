"""`manage.py classify`: the batch contract, JSON lines in and verdicts out."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from moderation.models import FalseClaim, UnreliableDomain

ROOT = Path(__file__).resolve().parent.parent


def run_classify(lines: list[str]) -> tuple[list[dict], str, int]:
    """Run the command as an operator would, in its own process, reading stdin."""
    proc = subprocess.run(
        [sys.executable, "manage.py", "classify"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**__import__("os").environ, "SQLITE_PATH": "/nonexistent/none.sqlite3", "DATABASE_URL": ""},
    )
    out = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return out, proc.stderr, proc.returncode


def test_verdicts_follow_the_contract():
    lines = [
        json.dumps({"id": "a", "text": "I know where you live. I'm going to kill you."}),
        json.dumps({"id": "b", "text": "Thanks for sorting the streetlight on Elm Road."}),
    ]
    out, _, code = run_classify(lines)
    assert code == 0
    assert [v["id"] for v in out] == ["a", "b"]
    threat = out[0]
    assert threat["severity"] == "critical"
    assert set(threat) == {"id", "hits", "severity"}
    hit = next(h for h in threat["hits"] if h["category"] == "threat")
    assert set(hit) == {"rule", "category", "score", "severity", "reason"}
    assert hit["rule"] == 2 and hit["severity"] == "critical" and 0 <= hit["score"] <= 1 and hit["reason"]
    assert out[1] == {"id": "b", "hits": [], "severity": "none"}


def test_bad_lines_are_reported_by_number_and_the_rest_still_run():
    lines = [
        json.dumps({"id": 1, "text": "fine"}),
        "{not json",
        json.dumps({"id": 3}),
        json.dumps(["a", "list"]),
        json.dumps({"id": 5, "text": "also fine", "author": "nope"}),
        json.dumps({"id": 6, "text": "last one"}),
    ]
    out, err, code = run_classify(lines)
    assert [v["id"] for v in out] == [1, 6]
    assert "line 2: not valid JSON" in err
    assert 'line 3: "text" must be a string' in err
    assert "line 4: expected a JSON object" in err
    assert 'line 5: "author" must be an object' in err
    assert code == 1


def test_empty_enormous_and_hostile_text_all_get_verdicts():
    texts = ["", "x" * 2_000_000, "\u202e\u200b\x00\x07 \ud800 <script>", "🔪🔪 " * 1000]
    lines = [json.dumps({"id": i, "text": t}) for i, t in enumerate(texts)]
    out, err, code = run_classify(lines)
    assert code == 0, err
    assert [v["id"] for v in out] == [0, 1, 2, 3]


@pytest.mark.django_db
def test_files_and_the_teams_claims_register_are_used(tmp_path):
    FalseClaim.objects.create(
        code="park-sale",
        claim="The council is selling Victoria Park to housing developers",
        correction="Victoria Park is not for sale.",
        source_url="https://www.eastmoor.example/park",
    )
    UnreliableDomain.objects.create(domain="eastmoortruth.example")
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "p", "text": "So the council is flogging Victoria Park off to the housing developers now?"})
        + "\n"
        + json.dumps({"id": "d", "text": "Read this https://news.EastmoorTruth.example/story."})
        + "\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.jsonl"
    call_command("classify", input=str(source), output=str(target))
    verdicts = {v["id"]: v for v in map(json.loads, target.read_text(encoding="utf-8").splitlines())}
    assert {h["category"] for h in verdicts["p"]["hits"]} >= {"false_claim"}
    assert {h["category"] for h in verdicts["d"]["hits"]} >= {"unreliable_source"}


@pytest.mark.django_db
def test_missing_input_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot open"):
        call_command("classify", input=str(tmp_path / "missing.jsonl"), stdout=io.StringIO())
