"""The hash-chained custody log, its append-only guards, and verify_evidence finding tampering."""

from __future__ import annotations

import os

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from evidence.models import CustodyEvent
from evidence.services import GENESIS_HASH, custody_append, event_hash, evidence_capture, evidence_verify
from tests.evidence.conftest import custody_trigger_off


def _verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_evidence")
    return str(failure.value)


def _raw(sql: str, params=()) -> None:
    with custody_trigger_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def captured(flagged):
    evidence_capture(item_id=flagged.id)
    custody_append(action="view", obj=flagged, reason="reviewing the queue")
    return flagged


def test_the_chain_links_each_event_to_the_one_before(captured):
    events = list(CustodyEvent.objects.order_by("id"))

    assert len(events) == 3
    assert events[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert all(event_hash(e) == e.hash for e in events)
    assert len({e.hash for e in events}) == 3


def test_two_events_cannot_chain_to_the_same_predecessor(captured):
    latest = CustodyEvent.objects.order_by("-id").first()
    fork = CustodyEvent(at=latest.at, actor_label="x", action="view", prev_hash=latest.prev_hash, hash="f" * 64)

    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()


def test_custody_events_cannot_be_changed_or_deleted_through_the_model(captured):
    event = CustodyEvent.objects.first()

    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        CustodyEvent.objects.filter(pk=event.pk).update(reason="nothing to see")
    with pytest.raises(PermissionError):
        CustodyEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
def test_postgresql_refuses_raw_edits_of_custody_events(captured):
    from django.db import DatabaseError

    event = CustodyEvent.objects.first()
    for sql in (
        "UPDATE evidence_custodyevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM evidence_custodyevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])


def test_verify_passes_on_a_clean_store_and_logs_itself(captured, capsys):
    call_command("verify_evidence")

    assert "2 artefacts and 3 custody events verified" in capsys.readouterr().out
    verify = CustodyEvent.objects.order_by("-id").first()
    assert verify.action == "verify"
    assert verify.detail == {"artefacts": 2, "events": 3}
    assert evidence_verify() == []  # the verify event chains on like any other


def test_verify_passes_on_an_empty_store(db, media, capsys):
    call_command("verify_evidence")
    assert "0 artefacts and 0 custody events verified" in capsys.readouterr().out


def test_verify_names_an_altered_file(captured, media):
    author = captured.artefacts.get(kind="author_json")
    path = media / author.file_name
    os.chmod(path, 0o644)
    content = bytearray(path.read_bytes())
    content[10] ^= 0x01  # one bit
    path.write_bytes(bytes(content))

    message = _verify_fails()

    assert f"artefact {author.code}" in message
    assert "author.json" in message and "altered" in message
    assert "post.json" not in message


def test_verify_names_a_missing_file(captured, media):
    post = captured.artefacts.get(kind="post_json")
    (media / post.file_name).unlink()

    message = _verify_fails()

    assert "post.json" in message and "missing" in message


def test_verify_notices_an_artefact_row_rewritten_to_match_an_altered_file(captured, media):
    import hashlib

    post = captured.artefacts.get(kind="post_json")
    path = media / post.file_name
    os.chmod(path, 0o644)
    path.write_bytes(b'{"text": "something milder"}')
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE evidence_artefact SET sha256 = %s, bytes = %s WHERE id = %s",
            [hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_size, post.pk],
        )

    message = _verify_fails()

    assert "post.json" in message and "no longer matches its capture event" in message


def test_verify_names_an_edited_custody_event(captured):
    target = CustodyEvent.objects.order_by("id")[1]
    _raw("UPDATE evidence_custodyevent SET reason = %s WHERE id = %s", ["routine", target.pk])

    message = _verify_fails()

    assert f"custody event #{target.pk} " in message and "altered" in message


def test_verify_names_the_event_after_a_deleted_one(captured):
    _first, second, third = CustodyEvent.objects.order_by("id")
    _raw("DELETE FROM evidence_custodyevent WHERE id = %s", [second.pk])

    message = _verify_fails()

    assert f"custody event #{third.pk} " in message and "removed or reordered" in message


def test_verify_names_reordered_events(captured):
    _first, second, third = CustodyEvent.objects.order_by("id")
    # Swap the second and third events' places in the log.
    _raw("UPDATE evidence_custodyevent SET id = %s WHERE id = %s", [-1, second.pk])
    _raw("UPDATE evidence_custodyevent SET id = %s WHERE id = %s", [second.pk, third.pk])
    _raw("UPDATE evidence_custodyevent SET id = %s WHERE id = %s", [third.pk, -1])

    message = _verify_fails()

    assert f"custody event #{second.pk} " in message and "removed or reordered" in message


def test_verify_names_events_whose_times_were_swapped(captured):
    first, second, _ = CustodyEvent.objects.order_by("id")
    _raw("UPDATE evidence_custodyevent SET at = %s WHERE id = %s", [second.at, first.pk])

    message = _verify_fails()

    assert f"custody event #{first.pk} " in message and "altered" in message


def test_a_failed_verify_is_not_logged_as_a_verification(captured, media):
    (media / captured.artefacts.get(kind="post_json").file_name).unlink()
    before = CustodyEvent.objects.count()

    _verify_fails()

    assert CustodyEvent.objects.count() == before
