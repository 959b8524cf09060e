"""Capture of a flagged item's payloads into write-once artefacts."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from unittest import mock

import pytest

from evidence import services
from evidence.models import Artefact, CustodyEvent
from evidence.services import ArtefactConflict, artefact_store, evidence_capture, evidence_capture_on_commit


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_capture_stores_post_and_author_payloads_with_their_hashes(flagged, media):
    stored = evidence_capture(item_id=flagged.id)

    assert {a.kind for a in stored} == {"post_json", "author_json"}
    post = flagged.artefacts.get(kind="post_json")
    path = media / post.file_name
    content = path.read_bytes()
    assert post.file_name == f"evidence/{flagged.account.code}/{flagged.code}/post.json"
    assert json.loads(content) == flagged.raw
    assert post.sha256 == hashlib.sha256(content).hexdigest()
    assert post.bytes == len(content)
    assert post.media_type == "application/json"
    assert post.status == "captured"
    assert post.tool == "saferpol-capture"
    assert post.tool_version == "0.1.0"
    assert post.captured_at is not None
    assert post.attempts == 1
    author = flagged.artefacts.get(kind="author_json")
    assert json.loads((media / author.file_name).read_bytes()) == flagged.author_snapshot


def test_payload_is_stored_as_received_not_sorted(flagged, media):
    post = evidence_capture(item_id=flagged.id)[0]
    text = (media / post.file_name).read_text(encoding="utf-8")
    # The fixture's payload is {"id": ..., "text": ...}: written in that order, indented, unescaped.
    assert text == json.dumps(flagged.raw, ensure_ascii=False, indent=2)


def test_captured_files_are_read_only(flagged, media):
    for artefact in evidence_capture(item_id=flagged.id):
        assert _mode(media / artefact.file_name) == 0o444


def test_each_capture_is_a_custody_event_carrying_the_hash(flagged):
    stored = evidence_capture(item_id=flagged.id)

    events = list(CustodyEvent.objects.filter(action="capture"))
    assert [e.object_code for e in events] == [str(a.code) for a in stored]
    assert events[0].object_type == "artefact"
    assert events[0].actor is None and events[0].actor_label == "system"
    assert events[0].detail["sha256"] == stored[0].sha256
    assert events[0].detail["file"] == stored[0].file_name


def test_capture_is_idempotent(flagged, media):
    first = evidence_capture(item_id=flagged.id)
    events = CustodyEvent.objects.count()

    again = evidence_capture(item_id=flagged.id)

    assert [a.pk for a in again] == [a.pk for a in first]
    assert Artefact.objects.count() == 2
    assert CustodyEvent.objects.count() == events
    assert flagged.artefacts.get(kind="post_json").attempts == 1


def test_clear_items_are_not_captured(clear, media):
    assert evidence_capture(item_id=clear.id) == []
    assert not Artefact.objects.exists()
    assert not CustodyEvent.objects.exists()


def test_a_missing_item_is_skipped(db, media):
    assert evidence_capture(item_id=999_999) == []


def test_capture_on_commit_queues_a_task_per_item_after_commit(ingest, media, django_capture_on_commit_callbacks):
    from tests.factories import CIVIL, THREAT

    threat, civil = ingest(THREAT, CIVIL)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_capture_on_commit([threat.id, civil.id])
        assert not Artefact.objects.exists()  # nothing happens before the commit
    assert len(callbacks) == 2

    for callback in callbacks:
        callback()  # in-process Celery: the task runs here

    # The task stores the payloads, then the pictures drawn from them.
    kinds = set(threat.artefacts.values_list("kind", flat=True))
    assert kinds == {"post_json", "author_json", "post_png", "profile_png"}
    assert not civil.artefacts.exists()


def test_a_failed_capture_is_recorded_and_a_later_retry_succeeds(flagged, media):
    with (
        mock.patch.object(services, "_write_once", side_effect=OSError(28, "No space left on device")),
        pytest.raises(OSError),
    ):
        evidence_capture(item_id=flagged.id)

    failed = list(flagged.artefacts.order_by("kind"))
    assert [(a.kind, a.status, a.attempts) for a in failed] == [
        ("author_json", "failed", 1),
        ("post_json", "failed", 1),
    ]
    assert "No space left on device" in failed[0].error
    assert failed[0].sha256 == "" and failed[0].file_name == ""
    assert CustodyEvent.objects.filter(action="capture_failed").count() == 2

    evidence_capture(item_id=flagged.id)

    post = flagged.artefacts.get(kind="post_json")
    assert (post.status, post.attempts, post.error) == ("captured", 2, "")
    assert (media / post.file_name).exists()
    assert services.evidence_verify() == []


def test_the_task_retries_a_failed_write_until_it_succeeds(flagged, media):
    from evidence.tasks import evidence_capture as capture_task

    real_write = services._write_once
    calls = {"n": 0}

    def flaky(path, content):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("media volume not mounted yet")
        real_write(path, content)

    with mock.patch.object(services, "_write_once", side_effect=flaky):
        capture_task.apply(args=[flagged.id])

    assert set(flagged.artefacts.values_list("status", flat=True)) == {"captured"}
    assert flagged.artefacts.get(kind="post_json").attempts == 2


def test_the_task_is_routed_to_its_own_queue(settings):
    assert settings.CELERY_TASK_ROUTES["evidence.tasks.evidence_capture"] == {"queue": "evidence"}


def test_a_file_is_written_once_and_never_overwritten(tmp_path):
    path = tmp_path / "post.json"
    services._write_once(path, b"original")

    with pytest.raises(FileExistsError):
        services._write_once(path, b"replacement")

    assert path.read_bytes() == b"original"
    assert [p.name for p in tmp_path.iterdir()] == ["post.json"]  # no temporary left behind


def test_a_different_file_in_the_way_is_left_untouched_and_reported(flagged, media):
    target = media / f"evidence/{flagged.account.code}/{flagged.code}/post.json"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"someone else's bytes")

    with pytest.raises(ArtefactConflict):
        artefact_store(item=flagged, kind="post_json", content=b"{}", media_type="application/json", tool="t")

    assert target.read_bytes() == b"someone else's bytes"
    assert not Artefact.objects.filter(status="captured").exists()


def test_a_conflicting_file_is_recorded_as_a_failed_capture(flagged, media):
    target = media / f"evidence/{flagged.account.code}/{flagged.code}/post.json"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"someone else's bytes")

    evidence_capture(item_id=flagged.id)  # not an OSError: retrying would not help, so no raise

    post = flagged.artefacts.get(kind="post_json")
    assert post.status == "failed" and "different content" in post.error
    assert flagged.artefacts.get(kind="author_json").status == "captured"


def test_a_file_left_by_an_uncommitted_attempt_is_adopted_when_identical(flagged, media):
    content = services.payload_json(flagged.raw)
    target = media / f"evidence/{flagged.account.code}/{flagged.code}/post.json"
    services._write_once(target, content)

    artefact = artefact_store(item=flagged, kind="post_json", content=content, media_type="application/json", tool="t")

    assert artefact.status == "captured"
    assert artefact.sha256 == hashlib.sha256(content).hexdigest()


def test_annotations_are_new_files_pointing_at_the_original(flagged, media, alice):
    (post, _) = evidence_capture(item_id=flagged.id)

    notes = [
        artefact_store(
            item=flagged,
            kind="annotation",
            content=f"note {n}".encode(),
            media_type="text/plain",
            tool="saferpol-annotate",
            derived_from=post,
            actor=alice,
            reason="context for the officer",
        )
        for n in (1, 2)
    ]

    assert len({n.file_name for n in notes}) == 2
    assert all(n.derived_from == post for n in notes)
    assert (media / post.file_name).read_bytes() == services.payload_json(flagged.raw)  # original untouched
    event = CustodyEvent.objects.get(object_code=str(notes[0].code))
    assert (event.actor, event.actor_label, event.reason) == (alice, "alice", "context for the officer")
    assert services.evidence_verify() == []


def test_a_capture_that_keeps_failing_never_breaks_ingest(flagged, media, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(services, "_write_once", side_effect=OSError("read-only file system")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        evidence_capture_on_commit([flagged.id])  # in-process Celery: retried, then given up quietly

    post = flagged.artefacts.get(kind="post_json")
    assert post.status == "failed"
    assert post.attempts == 6  # the first try and five retries
    assert "read-only file system" in post.error


def test_ingesting_a_flagged_reply_captures_its_evidence_with_rendered_pictures(
    ingest, settings, tmp_path, django_capture_on_commit_callbacks
):
    from PIL import Image

    from evidence.models import Artefact
    from evidence.services import artefact_path, evidence_verify

    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        threat, civil = ingest("I know where you live and I will kill you", "Thanks for fixing the streetlight.")
    kinds = set(Artefact.objects.filter(item=threat, status="captured").values_list("kind", flat=True))
    assert kinds == {"post_json", "author_json", "post_png", "profile_png"}
    assert not Artefact.objects.filter(item=civil).exists()
    post_png = Artefact.objects.get(item=threat, kind="post_png")
    assert post_png.media_type == "image/png" and "Pillow" in post_png.tool
    assert Image.open(artefact_path(post_png)).format == "PNG"
    assert evidence_verify() == []


def test_the_sweep_captures_flagged_items_whose_capture_never_ran(ingest, media):
    from datetime import timedelta

    from django.utils import timezone

    from evidence.services import MAX_CAPTURE_ATTEMPTS, evidence_items_due
    from evidence.tasks import evidence_capture_due
    from moderation.models import Item
    from tests.factories import CIVIL, RACIST, THREAT

    threat, racist, civil = ingest(THREAT, RACIST, CIVIL)  # no commit here, so no capture task ran
    assert evidence_items_due() == []  # fresh items are left to their own task for five minutes
    Item.objects.filter(pk__in=[threat.pk, racist.pk, civil.pk]).update(
        received_at=timezone.now() - timedelta(minutes=6)
    )
    assert set(evidence_items_due()) == {threat.pk, racist.pk}

    Artefact.objects.create(
        item=racist,
        kind="post_png",
        status="failed",
        attempts=MAX_CAPTURE_ATTEMPTS,
        error="disk full",
        file_name="",
        media_type="image/png",
        tool="t",
        tool_version="1",
    )
    assert evidence_items_due() == [threat.pk]  # given up on: left for a person

    assert evidence_capture_due() == 1  # in-process: the capture runs right here
    assert evidence_items_due() == []
    assert set(threat.artefacts.filter(status="captured").values_list("kind", flat=True)) == {
        "post_json",
        "author_json",
        "post_png",
        "profile_png",
    }
