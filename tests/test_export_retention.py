"""Exported files are deleted after SAFERPOL_EXPORT_RETENTION_DAYS; their records and the evidence stay.

Carol, Alice's comms officer, exports logs and evidence packs for the police. Thirty days on, the
files go: her exports stay listed as expired, their download pages say to make a new one, and
the deletion is in the audit log (and the custody log for packs). The captures never go.
When a worker dies part-way through one of her exports, the same clean-up marks it failed after
SAFERPOL_EXPORT_STUCK_HOURS, so its page tells her to start again, and deletes the partial file.
"""

from __future__ import annotations

import io
import os
import time
import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from evidence.models import Artefact, CustodyEvent, Pack
from evidence.pack import PACK_STUCK_ERROR, pack_create, pack_fail_stuck
from evidence.services import artefact_path, evidence_verify
from moderation import exports
from moderation.export_tasks import exports_prune
from moderation.models import AuditEvent, Export, Membership, Role
from moderation.retention import export_files_prune
from tests.factories import THREAT
from tests.team.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SAFERPOL_EXPORT_RETENTION_DAYS = 30
    settings.SAFERPOL_EXPORT_STUCK_HOURS = 6
    return tmp_path


def aged(model, row, days: int):
    """Pretend the row was made `days` days ago."""
    when = timezone.now() - timedelta(days=days)
    model.objects.filter(pk=row.pk).update(created_at=when, finished_at=when)
    row.refresh_from_db()
    return row


def export_made(user, account, media, *, days_ago: int, status: str = "done", fmt: str = "csv") -> Export:
    """A finished export with its file on disk, as export_file_run leaves it."""
    code = uuid.uuid4()
    file_name = f"exports/{code}.{fmt}"
    (media / "exports").mkdir(exist_ok=True)
    (media / file_name).write_text("code,text\n")
    export = Export.objects.create(
        code=code,
        requested_by=user,
        account=account,
        format=fmt,
        status=status,
        file_name=file_name,
        sha256="a" * 64,
        bytes=10,
        total=1,
        written=1,
    )
    return aged(Export, export, days_ago)


@pytest.fixture
def flagged(ingest, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ingest(THREAT)


def pack_made(user, account, *, days_ago: int) -> Pack:
    return aged(Pack, pack_create(user=user, account=account), days_ago)


def evidence_files() -> list:
    files = [artefact_path(a) for a in Artefact.objects.filter(status=Artefact.Status.CAPTURED)]
    assert files and all(path.is_file() for path in files)
    return files


# --- What is deleted, and what is kept ----------------------------------------------------


def test_old_exports_and_packs_lose_their_files_and_keep_their_rows(account, carol, media, flagged):
    export = export_made(carol, account, media, days_ago=31)
    pack = pack_made(carol, account, days_ago=31)
    export_file, pack_file = media / export.file_name, media / pack.file_name
    assert export_file.is_file() and pack_file.is_file()

    result = export_files_prune()

    assert [e.pk for e in result.exports] == [export.pk] and [p.pk for p in result.packs] == [pack.pk]
    assert not export_file.exists() and not pack_file.exists()
    export.refresh_from_db()
    pack.refresh_from_db()
    assert export.expired_at and export.file_name == "" and export.status == "done"
    assert pack.expired_at and pack.file_name == "" and pack.status == "done"
    # The record of who exported what stays, down to the hash of the file handed on.
    assert export.requested_by == carol and export.sha256 == "a" * 64
    assert pack.exporter == carol and len(pack.sha256) == 64


def test_recent_exports_and_packs_are_kept(account, carol, media, flagged):
    export = export_made(carol, account, media, days_ago=29)
    pack = pack_made(carol, account, days_ago=29)
    result = export_files_prune()
    assert result.exports == [] and result.packs == []
    assert (media / export.file_name).is_file() and (media / pack.file_name).is_file()
    assert not Export.objects.filter(expired_at__isnull=False).exists()


def test_zero_days_keeps_everything(settings, account, carol, media):
    settings.SAFERPOL_EXPORT_RETENTION_DAYS = 0
    export = export_made(carol, account, media, days_ago=3650)
    result = export_files_prune()
    assert result.cutoff is None and result.exports == []
    assert (media / export.file_name).is_file()
    out = io.StringIO()
    call_command("prune_exports", stdout=out)
    assert "kept forever" in out.getvalue() and (media / export.file_name).is_file()


def test_failed_exports_are_expired_too_and_unfinished_ones_never(account, carol, media):
    failed = export_made(carol, account, media, days_ago=40, status="failed")
    running = export_made(carol, account, media, days_ago=40, status="running")
    pending = export_made(carol, account, media, days_ago=40, status="pending")
    assert [e.pk for e in export_files_prune().exports] == [failed.pk]
    assert not (media / failed.file_name).exists()
    assert (media / running.file_name).is_file() and (media / pending.file_name).is_file()


def test_the_evidence_a_pack_was_made_from_is_never_deleted(account, carol, media, flagged):
    files = evidence_files()
    pack_made(carol, account, days_ago=31)
    assert len(export_files_prune().packs) == 1
    assert all(path.is_file() for path in files)
    assert evidence_verify() == []  # every capture intact and the custody chain still whole


def test_a_row_naming_a_file_outside_its_folder_is_left_alone(account, carol, media, flagged):
    """A tampered or mistaken row can't turn retention into deleting original evidence."""
    capture = evidence_files()[0]
    pack = pack_made(carol, account, days_ago=31)
    Pack.objects.filter(pk=pack.pk).update(file_name=f"packs/../{capture.relative_to(media)}")
    export = export_made(carol, account, media, days_ago=31)

    result = export_files_prune()

    assert capture.is_file()
    assert result.packs == [] and len(result.refused) == 1 and "left alone" in result.refused[0]
    pack.refresh_from_db()
    assert pack.expired_at is None
    assert [e.pk for e in result.exports] == [export.pk]  # the others still go


def test_a_file_already_missing_does_not_stop_the_prune(account, carol, media):
    gone = export_made(carol, account, media, days_ago=31)
    (media / gone.file_name).unlink()
    other = export_made(carol, account, media, days_ago=31)
    result = export_files_prune()
    assert {e.pk for e in result.exports} == {gone.pk, other.pk} and result.refused == []
    gone.refresh_from_db()
    assert gone.expired_at is not None
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT_EXPIRED, object_code=str(gone.code))
    assert event.detail["deleted"] is False and "already gone" in event.summary


def test_running_again_expires_nothing_twice(account, carol, media):
    export_made(carol, account, media, days_ago=31)
    assert len(export_files_prune().exports) == 1
    assert export_files_prune().exports == []
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT_EXPIRED).count() == 1


# --- The record of each deletion ----------------------------------------------------------


def test_each_deleted_export_file_is_audited_on_its_account(account, carol, media):
    export = export_made(carol, account, media, days_ago=31)
    export_files_prune()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT_EXPIRED)
    assert event.account == account and event.actor is None and event.actor_label == "system"
    assert (event.object_type, event.object_code) == ("export", str(export.code))
    assert event.detail["file"] == export.file_name and event.detail["deleted"] is True
    assert event.detail["requested_by"] == "carol" and event.detail["sha256"] == "a" * 64
    assert event.detail["retention_days"] == 30 and event.detail["by"] == "the daily clean-up"
    # Carol's own audit page shows it, as it showed the export.
    assert b"expired after 30 days" in client_for(carol).get(reverse("moderation:audit")).content


def test_an_all_accounts_export_is_audited_on_each_account_it_covered(
    account, charlies_account, carol, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(user=carol, account=None, since=None, fmt="csv")
    aged(Export, export, 31)
    export_files_prune()
    events = AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT_EXPIRED)
    assert [e.account for e in events] == [account]  # Carol is on Alice's account only


def test_a_deleted_pack_is_in_the_audit_and_custody_logs(account, carol, media, flagged):
    pack = pack_made(carol, account, days_ago=31)
    export_files_prune()
    audit = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT_EXPIRED)
    assert audit.account == account and audit.object_code == str(pack.code)
    assert audit.detail["format"] == "evidence_pack" and audit.detail["exporter"] == "carol"
    custody = CustodyEvent.objects.get(action=CustodyEvent.Action.EXPORT_EXPIRED)
    made = CustodyEvent.objects.get(action=CustodyEvent.Action.EXPORT)
    # The same account and file name as the event that recorded making it, so the two pair up.
    assert (custody.object_type, custody.object_code) == (made.object_type, made.object_code)
    assert custody.detail["file"] == made.detail["file"] and custody.detail["sha256"] == pack.sha256
    assert custody.actor_label == "system" and "retention period" in custody.reason


# --- The dashboard ------------------------------------------------------------------------


def test_an_expired_export_download_says_so_and_how_to_get_a_new_one(account, carol, media):
    export = export_made(carol, account, media, days_ago=31)
    export_files_prune()
    response = client_for(carol).get(reverse("exports:download", kwargs={"code": export.code}))
    assert response.status_code == 410
    body = response.content.decode()
    assert "This export has expired" in body and "kept for 30 days" in body
    assert reverse("exports:list") in body and "Start a new export" in body
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT_DOWNLOAD).exists()


def test_an_expired_export_page_offers_no_download(account, carol, media):
    export = export_made(carol, account, media, days_ago=31)
    export_files_prune()
    client = client_for(carol)
    detail = client.get(reverse("exports:detail", kwargs={"code": export.code})).content.decode()
    assert "This export has expired" in detail
    assert reverse("exports:download", kwargs={"code": export.code}) not in detail
    listing = client.get(reverse("exports:list")).content.decode()
    assert "Expired" in listing and "deleted 30 days after they are made" in listing


def test_an_expired_pack_download_says_so_and_how_to_get_a_new_one(account, carol, media, flagged):
    pack = pack_made(carol, account, days_ago=31)
    export_files_prune()
    client = client_for(carol)
    response = client.get(reverse("evidence:pack_download", kwargs={"code": pack.code}))
    assert response.status_code == 410
    body = response.content.decode()
    assert "This evidence pack has expired" in body and "Build a new pack" in body
    assert pack.sha256 in body
    packs_page = client.get(reverse("evidence:packs")).content.decode()
    assert "Expired: the ZIP was deleted" in packs_page
    assert reverse("evidence:pack_download", kwargs={"code": pack.code}) not in packs_page


def test_someone_elses_expired_pack_is_still_404(account, carol, alice, media, flagged):
    pack = pack_made(carol, account, days_ago=31)
    export_files_prune()
    assert client_for(alice).get(reverse("evidence:pack_download", kwargs={"code": pack.code})).status_code == 404


# --- The command and the daily task -------------------------------------------------------


def test_dry_run_lists_what_would_go_and_deletes_nothing(account, carol, media, flagged):
    export = export_made(carol, account, media, days_ago=31)
    pack = pack_made(carol, account, days_ago=31)
    out = io.StringIO()
    call_command("prune_exports", "--dry-run", stdout=out)
    text = out.getvalue()
    assert export.file_name in text and pack.file_name in text
    assert "Dry run, nothing deleted: would expire 1 export file and 1 evidence pack file" in text
    assert (media / export.file_name).is_file() and (media / pack.file_name).is_file()
    assert not Export.objects.filter(expired_at__isnull=False).exists()
    assert not Pack.objects.filter(expired_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT_EXPIRED).exists()


def test_command_expires_and_records_who_ran_it(account, carol, media):
    recent = export_made(carol, account, media, days_ago=8)
    out = io.StringIO()
    call_command("prune_exports", "--days", "7", stdout=out)
    assert "Expired 1 export file and 0 evidence pack files" in out.getvalue()
    assert not (media / recent.file_name).exists()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT_EXPIRED)
    assert "manage.py prune_exports" in event.detail["by"] and event.detail["retention_days"] == 7


def test_command_refuses_fewer_than_one_day(account):
    with pytest.raises(CommandError, match="--days must be 1 or more"):
        call_command("prune_exports", "--days", "0")


def test_command_fails_naming_a_file_it_would_not_delete(account, carol, media):
    export = export_made(carol, account, media, days_ago=31)
    Export.objects.filter(pk=export.pk).update(file_name="evidence/elsewhere.png")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 could not be expired"):
        call_command("prune_exports", stdout=io.StringIO(), stderr=err)
    assert "evidence/elsewhere.png" in err.getvalue()


def test_the_daily_task_prunes_on_the_exports_queue(settings, account, carol, media):
    schedule = settings.CELERY_BEAT_SCHEDULE["prune-old-exports"]
    assert schedule["task"] == exports_prune.name == "moderation.export_tasks.exports_prune"
    assert schedule["schedule"].hour == {3} and schedule["schedule"].day_of_week == set(range(7))
    assert settings.CELERY_TASK_ROUTES[exports_prune.name] == {"queue": "exports"}
    export_made(carol, account, media, days_ago=31)
    assert exports_prune() == 1


def test_retention_days_are_read_strictly_from_the_environment():
    from tests.test_demo_and_settings import settings_in_subprocess

    assert settings_in_subprocess({"SAFERPOL_DEMO": "true"}, "settings.SAFERPOL_EXPORT_RETENTION_DAYS") == "30"
    assert (
        settings_in_subprocess(
            {"SAFERPOL_DEMO": "true", "SAFERPOL_EXPORT_RETENTION_DAYS": "0"}, "settings.SAFERPOL_EXPORT_RETENTION_DAYS"
        )
        == "0"
    )
    out = settings_in_subprocess(
        {"EXPECT_FAIL": "1", "SAFERPOL_DEMO": "true", "SAFERPOL_EXPORT_RETENTION_DAYS": "-5"}, "1"
    )
    assert "SAFERPOL_EXPORT_RETENTION_DAYS must be 0 or more" in out


# --- Exports and packs a dead worker left unfinished -------------------------------------------


def asked_for(model, row, *, hours: int):
    """Pretend the row was asked for `hours` hours ago and has not finished."""
    model.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    row.refresh_from_db()
    return row


def unfinished_export(user, account, *, hours: int, status: str = "running") -> Export:
    """An export as export_file_run leaves it when its worker dies: running, with a name but no file."""
    code = uuid.uuid4()
    export = Export.objects.create(
        code=code, requested_by=user, account=account, format="csv", status=status, file_name=f"exports/{code}.csv"
    )
    return asked_for(Export, export, hours=hours)


def unfinished_pack(user, account, *, hours: int, status: str = "running") -> Pack:
    """A pack as pack_run leaves it when its worker dies: being built, with a name but no ZIP."""
    pack = Pack.objects.create(exporter=user, account=account, status=status, items=250)
    Pack.objects.filter(pk=pack.pk).update(file_name=f"packs/{pack.code}.zip")
    return asked_for(Pack, pack, hours=hours)


def partial_file(media, relative: str, *, hours: int):
    """A partial file last written to `hours` hours ago, as a writer that died leaves it."""
    path = media / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04 half a file")
    when = time.time() - hours * 3600
    os.utime(path, (when, when))
    return path


def test_a_stuck_export_is_failed_audited_and_its_partial_file_removed(account, carol, media):
    export = unfinished_export(carol, account, hours=7)
    partial = partial_file(media, f"exports/{export.code}.csv.{uuid.uuid4().hex}.part", hours=7)

    result = export_files_prune()

    assert [e.pk for e in result.stuck_exports] == [export.pk] and result.partial_files == [partial]
    assert not partial.exists()
    export.refresh_from_db()
    assert export.status == "failed" and export.finished_at is not None
    assert export.error == "The export stopped part-way (the worker was restarted); start it again."
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT_FAILED)
    assert event.account == account and event.actor is None and event.actor_label == "system"
    assert (event.object_type, event.object_code) == ("export", str(export.code))
    assert event.detail["status_was"] == "running" and event.detail["stuck_hours"] == 6
    assert event.detail["requested_by"] == "carol" and event.detail["by"] == "the daily clean-up"
    assert "still being written after 6 hours" in event.summary


def test_a_stuck_pack_is_failed_audited_and_its_partial_zip_removed(account, carol, media):
    pack = unfinished_pack(carol, account, hours=7)
    partial = partial_file(media, f"packs/.{pack.code}.zip.{uuid.uuid4().hex}.part", hours=7)

    result = export_files_prune()

    assert [p.pk for p in result.stuck_packs] == [pack.pk] and result.partial_files == [partial]
    assert not partial.exists()
    pack.refresh_from_db()
    assert pack.status == "failed" and pack.error == PACK_STUCK_ERROR and pack.finished_at is not None
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT_FAILED)
    assert event.account == account and (event.object_type, event.object_code) == ("pack", str(pack.code))
    assert event.detail["format"] == "evidence_pack" and event.detail["exporter"] == "carol"
    # Nothing was handed over and no evidence was touched, so the custody log has nothing to add.
    assert not CustodyEvent.objects.exists()


def test_one_still_waiting_to_start_is_failed_too(account, carol, media):
    export = unfinished_export(carol, account, hours=7, status="pending")
    pack = unfinished_pack(carol, account, hours=7, status="pending")
    result = export_files_prune()
    assert [e.pk for e in result.stuck_exports] == [export.pk] and [p.pk for p in result.stuck_packs] == [pack.pk]
    summaries = list(AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT_FAILED).values_list("summary", flat=True))
    assert len(summaries) == 2 and all("still waiting to start after 6 hours" in s for s in summaries)


def test_recent_running_ones_and_their_partial_files_are_untouched(account, carol, media):
    export = unfinished_export(carol, account, hours=5)
    pack = unfinished_pack(carol, account, hours=5, status="pending")
    writing = partial_file(media, f"exports/{export.code}.csv.{uuid.uuid4().hex}.part", hours=0)
    building = partial_file(media, f"packs/.{pack.code}.zip.{uuid.uuid4().hex}.part", hours=5)

    result = export_files_prune()

    assert result.stuck_exports == [] and result.stuck_packs == [] and result.partial_files == []
    assert writing.is_file() and building.is_file()
    export.refresh_from_db()
    pack.refresh_from_db()
    assert export.status == "running" and export.error == "" and pack.status == "pending"
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT_FAILED).exists()


def test_finished_ones_are_never_marked_failed(account, carol, media):
    done = export_made(carol, account, media, days_ago=1)
    pack = unfinished_pack(carol, account, hours=7, status="done")
    assert export_files_prune().stuck_exports == []
    # And a pack that finished between the look-up and the change is left as it is.
    assert pack_fail_stuck(pack=pack, hours=6, by="test") is False
    done.refresh_from_db()
    pack.refresh_from_db()
    assert done.status == "done" and pack.status == "done"


def test_only_partial_files_directly_in_the_exports_and_packs_folders_are_deleted(account, carol, media, flagged):
    capture = evidence_files()[0]
    stale = partial_file(media, f"exports/{uuid.uuid4()}.csv.{uuid.uuid4().hex}.part", hours=7)
    # Evidence files are written through partial names of their own: never swept from here.
    evidence_partial = partial_file(media, f"{capture.parent.relative_to(media)}/.post.json.x.part", hours=7)
    nested = partial_file(media, "packs/old/.x.zip.y.part", hours=7)
    not_partial = partial_file(media, "exports/notes.txt", hours=7)
    link = media / "packs" / ".z.zip.w.part"
    link.symlink_to(capture)
    os.utime(link, (time.time() - 7 * 3600,) * 2, follow_symlinks=False)

    assert export_files_prune().partial_files == [stale]

    assert not stale.exists()
    assert evidence_partial.is_file() and nested.is_file() and not_partial.is_file()
    assert link.is_symlink() and capture.is_file()
    assert evidence_verify() == []


def test_stuck_ones_are_failed_even_when_retention_is_off(settings, account, carol, media):
    settings.SAFERPOL_EXPORT_RETENTION_DAYS = 0
    export = unfinished_export(carol, account, hours=7)
    out = io.StringIO()
    call_command("prune_exports", stdout=out)
    export.refresh_from_db()
    assert export.status == "failed"
    text = out.getvalue()
    assert "Marked failed 1 export and 0 evidence packs still unfinished after 6 hours" in text
    assert "kept forever" in text


def test_dry_run_reports_stuck_ones_and_changes_nothing(account, carol, media):
    export = unfinished_export(carol, account, hours=7)
    pack = unfinished_pack(carol, account, hours=8)
    partial = partial_file(media, f"packs/.{pack.code}.zip.{uuid.uuid4().hex}.part", hours=8)
    out = io.StringIO()

    call_command("prune_exports", "--dry-run", stdout=out)

    text = out.getvalue()
    assert export.file_name in text and pack.file_name in text and str(partial) in text
    assert (
        "Dry run, nothing changed: would mark failed 1 export and 1 evidence pack still unfinished after 6 hours, "
        "and delete 1 partial file." in text
    )
    assert partial.is_file()
    export.refresh_from_db()
    pack.refresh_from_db()
    assert export.status == "running" and pack.status == "running" and export.error == pack.error == ""
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT_FAILED).exists()


def test_command_marks_them_failed_and_records_who_ran_it(account, carol, media):
    unfinished_export(carol, account, hours=7)
    out = io.StringIO()
    call_command("prune_exports", stdout=out)
    assert "Marked failed 1 export and 0 evidence packs still unfinished after 6 hours" in out.getvalue()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT_FAILED)
    assert "manage.py prune_exports" in event.detail["by"]


def test_a_stuck_all_accounts_export_is_audited_on_each_of_the_persons_accounts(
    account, charlies_account, alice, media
):
    Membership.objects.create(account=charlies_account, user=alice, role=Role.COMMS)
    export = Export.objects.create(requested_by=alice, account=None, format="jsonl", status="running")
    asked_for(Export, export, hours=7)
    export_files_prune()
    events = AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT_FAILED).order_by("account__handle")
    assert [e.account for e in events] == [account, charlies_account]


def test_the_daily_task_fails_stuck_ones(account, carol, media):
    unfinished_export(carol, account, hours=7)
    partial_file(media, f"exports/{uuid.uuid4()}.csv.{uuid.uuid4().hex}.part", hours=7)
    assert exports_prune() == 2


def test_the_pages_say_a_stuck_one_stopped_and_to_start_again(account, carol, media):
    export = unfinished_export(carol, account, hours=7)
    unfinished_pack(carol, account, hours=7)
    export_files_prune()
    client = client_for(carol)
    detail = client.get(reverse("exports:detail", kwargs={"code": export.code})).content.decode()
    assert "The export stopped part-way (the worker was restarted); start it again." in detail
    assert "hx-trigger" not in detail  # it no longer polls for progress that will never come
    assert "Failed" in client.get(reverse("exports:list")).content.decode()
    packs_page = client.get(reverse("evidence:packs")).content.decode()
    assert f"Failed: {PACK_STUCK_ERROR}" in packs_page


def test_stuck_hours_are_read_strictly_from_the_environment():
    from tests.test_demo_and_settings import settings_in_subprocess

    demo = {"SAFERPOL_DEMO": "true"}
    assert settings_in_subprocess(demo, "settings.SAFERPOL_EXPORT_STUCK_HOURS") == "6"
    assert (
        settings_in_subprocess({**demo, "SAFERPOL_EXPORT_STUCK_HOURS": "12"}, "settings.SAFERPOL_EXPORT_STUCK_HOURS")
        == "12"
    )
    for bad, message in (("0", "must be 1 or more"), ("six", "must be a whole number")):
        out = settings_in_subprocess({**demo, "EXPECT_FAIL": "1", "SAFERPOL_EXPORT_STUCK_HOURS": bad}, "1")
        assert f"SAFERPOL_EXPORT_STUCK_HOURS {message}" in out
