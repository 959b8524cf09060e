"""The custody log's chain head as an anchor kept outside the database: verify_evidence prints it,
every pack carries it, and --expect-head catches a log whose newest events were deleted."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from evidence.models import CustodyEvent
from evidence.pack import evidence_pack_build
from evidence.services import custody_append, custody_head, evidence_capture, evidence_render, evidence_verify
from tests.evidence.conftest import custody_trigger_off


@pytest.fixture
def captured(flagged):
    evidence_capture(item_id=flagged.id)
    evidence_render(item_id=flagged.id)
    # Views log events that no file depends on: deleting them leaves nothing else to notice.
    custody_append(action="view", obj=flagged, reason="reviewing the queue")
    return flagged


def _verify(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_evidence", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_evidence", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return str(failure.value)


def _pack_anchor(item, path) -> tuple[str, int, dict]:
    evidence_pack_build(account=item.account, out_path=path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        readme = archive.read("README.txt").decode("utf-8")
    head, count = manifest["custody_chain_head"], manifest["custody_event_count"]
    assert f"Custody chain head:  {head}" in readme
    assert f"Custody events:      {count}" in readme
    return head, count, manifest


def _truncate_from(event_id: int) -> None:
    """Delete the custody events from this one on, as someone with database access could."""
    with custody_trigger_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM evidence_custodyevent WHERE id >= %s", [event_id])


def test_verify_prints_the_chain_head_and_the_count(captured):
    out = _verify()

    count, head = custody_head()
    newest = CustodyEvent.objects.order_by("-id").first()
    assert newest.action == "verify" and head == newest.hash
    assert count == CustodyEvent.objects.count()
    assert f"Chain head:     {head}" in out
    assert f"Custody events: {count}" in out
    assert f"--expect-head {head} --expect-count {count}" in out


def test_the_printed_head_passes_as_an_anchor_and_is_recorded(captured):
    count, head = custody_head()

    out = _verify("--expect-head", head.upper(), "--expect-count", str(count))

    assert f"The custody log still reaches chain head {head}" in out
    verify = CustodyEvent.objects.order_by("-id").first()
    assert verify.detail["anchor"] == {"head": head, "count": count}


def test_a_pack_carries_the_head_and_its_export_event_records_it(captured, tmp_path):
    head, count, _ = _pack_anchor(captured, tmp_path / "a.zip")

    export = CustodyEvent.objects.order_by("-id").first()
    assert export.action == "export"
    assert export.prev_hash == head  # the head is the event just before the export
    assert CustodyEvent.objects.filter(id__lt=export.id).count() == count
    assert export.detail["chain_head"] == head and export.detail["chain_events"] == count


def test_an_intact_log_passes_with_an_older_packs_head(captured, tmp_path):
    head, count, _ = _pack_anchor(captured, tmp_path / "old.zip")
    custody_append(action="view", obj=captured, reason="reviewing")
    _pack_anchor(captured, tmp_path / "new.zip")
    _verify()

    out = _verify("--expect-head", head, "--expect-count", str(count))

    assert f"still reaches chain head {head}" in out


def test_expect_head_catches_a_truncated_log_that_plain_verify_misses(captured, tmp_path):
    head, count, _ = _pack_anchor(captured, tmp_path / "a.zip")
    custody_append(action="view", obj=captured, reason="reviewing")
    anchor_event = CustodyEvent.objects.get(hash=head)
    _truncate_from(anchor_event.id)  # the pack's head, its export and everything after are gone

    assert evidence_verify() == []  # the shorter chain still links up: this is the weakness
    events_before = CustodyEvent.objects.count()

    message = _verify_fails("--expect-head", head, "--expect-count", str(count))

    assert "custody log ends before the anchor" in message
    assert f"holds {count - 1} events, but {count} were there" in message
    assert CustodyEvent.objects.count() == events_before  # a failed verify logs nothing

    message = _verify_fails("--expect-head", head)  # without the count, the head alone is missing
    assert f"chain head {head} is not in the custody log" in message
    assert "removed from the end of the log" in message


def test_a_cut_log_that_grew_again_is_caught_by_the_head(captured, tmp_path):
    head, count, _ = _pack_anchor(captured, tmp_path / "a.zip")
    _truncate_from(CustodyEvent.objects.get(hash=head).id)
    for _ in range(5):  # new events chain on after the cut, so the log is as long as before
        custody_append(action="view", obj=captured, reason="after the cut")
    assert evidence_verify() == []

    message = _verify_fails("--expect-head", head, "--expect-count", str(count))

    assert f"chain head {head} is not in the custody log" in message


def test_a_wrong_count_for_a_head_in_the_log_is_named(captured):
    count, head = custody_head()

    message = _verify_fails("--expect-head", head, "--expect-count", str(count + 2))

    assert f"is event {count} of the custody log, but the anchor says it was event {count + 2}" in message


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--expect-head", "abc123"], "is not a SHA-256"),
        (["--expect-head", "g" * 64], "is not a SHA-256"),
        (["--expect-count", "3"], "--expect-count needs --expect-head"),
        (["--expect-head", "a" * 64, "--expect-count", "-1"], "must be 0 or more"),
    ],
)
def test_bad_anchor_input_is_refused_clearly_and_records_nothing(captured, args, error):
    events = CustodyEvent.objects.count()

    assert error in _verify_fails(*args)
    assert CustodyEvent.objects.count() == events
