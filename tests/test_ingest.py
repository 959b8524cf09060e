from __future__ import annotations

import pytest

from moderation.models import AccountPost, Author, Item, RuleHit, Severity
from moderation.services import account_poll, claims_register_import, item_ingest_page
from platforms.base import FetchedPost, FetchPage
from platforms.demo import load_sample
from tests.factories import CIVIL, RACIST, THREAT, fetched_author, fetched_item

pytestmark = pytest.mark.django_db


def test_threat_is_stored_critical_and_open_with_explained_hits(ingest):
    [item] = ingest(THREAT)
    assert item.status == Item.Status.OPEN
    assert item.severity == Severity.CRITICAL
    hit = item.hits.get(category="threat")
    assert hit.rule == 2 and hit.severity_name == "critical"
    assert hit.reason


def test_civil_reply_is_stored_clear_with_no_hits(ingest):
    [item] = ingest(CIVIL)
    assert item.status == Item.Status.CLEAR
    assert item.severity == Severity.NONE
    assert not item.hits.exists()


def test_text_is_kept_verbatim_including_invisible_characters(ingest):
    text = "k\u200bill  <script>alert(1)</script>\n\ttabs"
    [item] = ingest(text)
    assert Item.objects.get(pk=item.pk).text == text


def test_reingesting_the_same_page_never_duplicates(account):
    page = FetchPage(items=[fetched_item(RACIST, external_id="dup-1"), fetched_item(CIVIL, external_id="dup-2")])
    first = item_ingest_page(account=account, page=page)
    second = item_ingest_page(account=account, page=page)
    assert (first.created, first.duplicates) == (2, 0)
    assert (second.created, second.duplicates) == (0, 2)
    assert Item.objects.count() == 2
    assert (
        RuleHit.objects.filter(item__external_id="dup-1").count() == Item.objects.get(external_id="dup-1").hits.count()
    )


def test_same_id_twice_in_one_page_is_stored_once(account):
    page = FetchPage(items=[fetched_item(CIVIL, external_id="twice"), fetched_item(CIVIL, external_id="twice")])
    result = item_ingest_page(account=account, page=page)
    assert (result.created, result.duplicates) == (1, 1)


def test_author_profile_is_updated_and_each_item_keeps_its_snapshot(ingest):
    [first] = ingest(fetched_item(CIVIL, author=fetched_author(display_name="Priya S", followers_count=10)))
    [second] = ingest(fetched_item(CIVIL, author=fetched_author(display_name="Priya Sharma", followers_count=12)))
    assert Author.objects.count() == 1
    assert Author.objects.get().display_name == "Priya Sharma"
    first.refresh_from_db()
    assert first.author_snapshot["display_name"] == "Priya S"
    assert second.author_snapshot["followers_count"] == 12


def test_reply_is_linked_to_the_post_it_answers(ingest):
    post = FetchedPost(external_id="post-1", text="Bin collections change from Monday.")
    [item] = ingest(fetched_item(CIVIL, in_reply_to="post-1"), posts=[post])
    assert item.in_reply_to == AccountPost.objects.get(external_id="post-1")


def test_enormous_and_empty_text_are_stored_without_error(ingest):
    big, empty = ingest("a" * 300_000, "")
    assert len(Item.objects.get(pk=big.pk).text) == 300_000
    assert empty.status == Item.Status.CLEAR


def test_demo_account_first_poll_loads_backlog_then_trickles(account):
    sample = load_sample()
    backlog = [r for r in sample["replies"] if r["account"] == "x" and not r.get("trickle")]
    first = account_poll(account=account)
    assert first.completed and first.ingest.created == len(backlog)
    assert first.ingest.flagged > 0
    account.refresh_from_db()
    second = account_poll(account=account)
    assert second.ingest.created == 1
    assert Item.objects.count() == len(backlog) + 1


def test_demo_backlog_covers_every_rule(account):
    sample = load_sample()
    claims_register_import(claims=sample["claims"], domains=sample["unreliable_domains"])
    account_poll(account=account)
    assert set(RuleHit.objects.values_list("rule", flat=True)) == {1, 2, 3, 4, 5}


def test_poll_failure_keeps_items_already_stored_and_the_old_cursor(account, monkeypatch):
    from platforms.demo import DemoConnector

    original = DemoConnector.fetch

    def fails_after_first_page(self, acct, cursor):
        pages = original(self, acct, cursor)
        yield next(pages)
        raise ConnectionError("platform went away")

    monkeypatch.setattr(DemoConnector, "fetch", fails_after_first_page)
    result = account_poll(account=account)
    account.refresh_from_db()
    assert not result.completed
    assert "platform went away" in account.last_poll_error
    assert account.poll_cursor == ""
    assert Item.objects.count() == result.ingest.created > 0


def test_repeated_poll_failures_back_off_and_a_success_resets(account, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from moderation.tasks import poll_due_accounts
    from platforms.demo import DemoConnector

    def down(self, acct, cursor):
        raise ConnectionError("503 Service Unavailable")
        yield  # pragma: no cover - makes this a generator like the real fetch

    monkeypatch.setattr(DemoConnector, "fetch", down)
    for _ in range(3):
        account_poll(account=account)
    account.refresh_from_db()
    assert account.poll_failures == 3
    interval = timedelta(seconds=account.poll_interval_seconds)
    assert account.next_poll_at() == account.last_polled_at + interval * 8

    # Not due after one interval, due after eight.
    account.last_polled_at = timezone.now() - interval * 2
    account.save()
    queued = []
    monkeypatch.setattr("moderation.tasks.poll_account.delay", queued.append)
    assert poll_due_accounts() == 0
    account.last_polled_at = timezone.now() - interval * 9
    account.save()
    assert poll_due_accounts() == 1 and queued == [account.pk]

    monkeypatch.undo()
    account_poll(account=account)
    account.refresh_from_db()
    assert account.poll_failures == 0


def test_beat_waits_out_a_rate_limit_reset(account, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from moderation.tasks import poll_due_accounts

    account.last_polled_at = timezone.now() - timedelta(hours=1)
    account.settings["rate_limited_until"] = (timezone.now() + timedelta(minutes=10)).isoformat()
    account.save()
    monkeypatch.setattr("moderation.tasks.poll_account.delay", lambda account_id: None)
    assert poll_due_accounts() == 0
    account.settings["rate_limited_until"] = "not a time"
    account.save()
    assert poll_due_accounts() == 1
