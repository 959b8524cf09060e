"""Polling X: mentions through the real tweepy client and the stand-in, every failure recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from moderation.models import AccountPost, Author, CampaignAccount, Item
from moderation.services import account_poll
from platforms.x import split_cursor
from platforms.x_standin import reset_in
from tests.x.conftest import TOKEN


def mentions_path(account) -> str:
    return f"/2/users/{account.external_id}/mentions"


def seed_mentions(standin, account, count: int, *, authors: int = 3) -> list[dict]:
    people = [standin.add_user(f"person{n}") for n in range(authors)]
    return [standin.add_mention(account.external_id, people[n % authors]["id"], f"reply {n}") for n in range(count)]


def test_poll_ingests_every_page_of_mentions_with_author_profiles(x_account, standin):
    troll = standin.add_user(
        "egg_4417",
        name="Patriot",
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
        description="Just asking questions",
        followers=2,
        following=900,
        tweets=4000,
        default_avatar=True,
    )
    verified = standin.add_user("local_paper", verified=True, followers=12000)
    post = standin.add_post(x_account.external_id, "Bins on Mill Lane: update")
    reply = standin.add_mention(x_account.external_id, troll["id"], "@AliceForMillbrook clown", in_reply_to=post["id"])
    standin.add_mention(x_account.external_id, verified["id"], "Councillor @AliceForMillbrook said...")
    tweets = seed_mentions(standin, x_account, 248)

    result = account_poll(account=x_account)

    assert result.completed and result.ingest.created == 250 and result.ingest.duplicates == 0
    assert Item.objects.filter(account=x_account, platform="x").count() == 250
    pages = standin.requests_to(mentions_path(x_account))
    assert len(pages) == 3
    assert {r.bearer for r in pages} == {TOKEN}
    assert "since_id" not in pages[0].query and pages[0].query["max_results"] == "100"
    assert set(pages[0].query["expansions"].split(",")) == {"author_id", "referenced_tweets.id"}
    assert [bool(r.query.get("pagination_token")) for r in pages] == [False, True, True]

    author = Author.objects.get(platform="x", external_id=troll["id"])
    assert (author.handle, author.display_name, author.bio) == ("egg_4417", "Patriot", "Just asking questions")
    assert (author.followers_count, author.following_count, author.posts_count) == (2, 900, 4000)
    assert author.default_avatar and not author.verified
    assert author.profile_created_at == datetime(2026, 11, 1, tzinfo=UTC)
    assert author.profile_url == "https://x.com/egg_4417"
    assert Author.objects.get(external_id=verified["id"]).verified

    item = Item.objects.get(external_id=reply["id"])
    assert item.kind == "reply" and item.conversation_id == post["id"]
    assert item.in_reply_to == AccountPost.objects.get(account=x_account, external_id=post["id"])
    assert item.author_snapshot["default_avatar"] is True
    assert Item.objects.get(external_id=tweets[0]["id"]).kind == "mention"

    x_account.refresh_from_db()
    assert split_cursor(x_account.poll_cursor)[0] == tweets[-1]["id"]  # the newest mention of the whole walk
    assert x_account.last_poll_error == ""


def test_second_poll_asks_since_the_stored_cursor_and_ingests_nothing_new(x_account, standin):
    tweets = seed_mentions(standin, x_account, 120)
    account_poll(account=x_account)

    again = account_poll(account=x_account)

    assert again.completed and again.ingest.created == 0 and again.ingest.duplicates == 0
    last = standin.requests_to(mentions_path(x_account))[-1]
    assert last.query["since_id"] == tweets[-1]["id"]
    newcomer = standin.add_mention(x_account.external_id, standin.add_user("late")["id"], "one more")
    third = account_poll(account=x_account)
    assert third.ingest.created == 1
    x_account.refresh_from_db()
    assert split_cursor(x_account.poll_cursor)[0] == newcomer["id"]
    assert Item.objects.filter(account=x_account).count() == 121


def test_rate_limit_mid_walk_keeps_what_was_fetched_and_pauses_the_account_until_reset(x_account, standin):
    tweets = seed_mentions(standin, x_account, 250)
    reset = reset_in(600).replace(microsecond=0)
    standin.rate_limit(mentions_path(x_account), reset_at=reset, after=1)

    result = account_poll(account=x_account)

    assert not result.completed
    assert result.ingest.created == 100
    assert Item.objects.filter(account=x_account).count() == 100
    x_account.refresh_from_db()
    assert x_account.poll_cursor == ""  # the walk didn't complete
    assert datetime.fromisoformat(x_account.settings["rate_limited_until"]) == reset
    assert "XRateLimited" in x_account.last_poll_error
    assert f"paused until {timezone.localtime(reset):%H:%M}" in x_account.last_poll_error

    requests_before = len(standin.requests)
    skipped = account_poll(account=x_account)
    assert not skipped.completed and "skipped until" in skipped.error
    assert len(standin.requests) == requests_before  # nothing sent to X before the reset

    x_account.settings["rate_limited_until"] = (timezone.now() - timedelta(seconds=1)).isoformat()
    x_account.save(update_fields=["settings"])
    resumed = account_poll(account=x_account)
    assert resumed.completed
    assert (resumed.ingest.created, resumed.ingest.duplicates) == (150, 100)
    x_account.refresh_from_db()
    assert split_cursor(x_account.poll_cursor)[0] == tweets[-1]["id"]
    assert Item.objects.filter(account=x_account).count() == 250


def test_rate_limit_without_reset_header_backs_off_for_the_window(x_account, standin):
    seed_mentions(standin, x_account, 3)
    standin.fail(mentions_path(x_account), 429)

    account_poll(account=x_account)

    x_account.refresh_from_db()
    until = datetime.fromisoformat(x_account.settings["rate_limited_until"])
    assert timedelta(minutes=14) < until - timezone.now() <= timedelta(minutes=15)


def test_unauthorized_marks_the_account_for_reconnection(x_account, standin):
    seed_mentions(standin, x_account, 3)
    standin.fail(mentions_path(x_account), 401)

    result = account_poll(account=x_account)

    assert not result.completed
    x_account.refresh_from_db()
    assert x_account.status == CampaignAccount.Status.RECONNECT
    assert "reconnect" in x_account.last_poll_error
    assert x_account.poll_cursor == ""


def test_revoked_token_marks_the_account_for_reconnection(x_account, standin):
    standin.tokens.clear()  # X no longer accepts the grant

    account_poll(account=x_account)

    x_account.refresh_from_db()
    assert x_account.status == CampaignAccount.Status.RECONNECT


def test_server_error_is_recorded_and_the_next_poll_retries(x_account, standin):
    seed_mentions(standin, x_account, 5)
    standin.fail(mentions_path(x_account), 503)

    failed = account_poll(account=x_account)
    assert not failed.completed and "503" in failed.error
    x_account.refresh_from_db()
    assert "X is having trouble" in x_account.last_poll_error
    assert x_account.status == CampaignAccount.Status.CONNECTED
    assert "rate_limited_until" not in x_account.settings

    retried = account_poll(account=x_account)
    assert retried.completed and retried.ingest.created == 5
    x_account.refresh_from_db()
    assert x_account.last_poll_error == ""


def test_forbidden_is_recorded_without_reconnecting(x_account, standin):
    standin.fail(mentions_path(x_account), 403)

    result = account_poll(account=x_account)

    assert "X refused the request: 403" in result.error
    x_account.refresh_from_db()
    assert x_account.status == CampaignAccount.Status.CONNECTED


def test_empty_mentions_complete_the_walk_without_items(x_account, standin):
    result = account_poll(account=x_account)

    assert result.completed and result.ingest.created == 0
    assert standin.requests_to(mentions_path(x_account))[0].path == mentions_path(x_account)


def test_network_failure_is_recorded(x_account, standin, settings):
    settings.X_API_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing answers

    result = account_poll(account=x_account)

    assert not result.completed and "Couldn't reach X" in result.error


def test_missing_credential_marks_the_account_for_reconnection(x_account, standin):
    x_account.credential.delete()

    result = account_poll(account=x_account)

    assert "no stored access token" in result.error
    x_account.refresh_from_db()
    assert x_account.status == CampaignAccount.Status.RECONNECT


def test_author_missing_from_includes_is_still_ingested(x_account, standin):
    ghost = standin.add_user("suspended")
    tweet = standin.add_mention(x_account.external_id, ghost["id"], "gone")
    del standin.users[ghost["id"]]

    account_poll(account=x_account)

    assert Item.objects.get(external_id=tweet["id"]).author.handle == ghost["id"]


def thread(standin, account):
    """An own post, a mention replying to it, and a reply to that reply which doesn't mention the account."""
    now = timezone.now()
    post = standin.add_post(account.external_id, "Consultation opens", created_at=now - timedelta(hours=2))
    first = standin.add_user("first")
    second = standin.add_user("second")
    mention = standin.add_mention(
        account.external_id,
        first["id"],
        "@AliceForMillbrook why?",
        in_reply_to=post["id"],
        created_at=now - timedelta(hours=1),
    )
    deep = standin.add_reply(mention["id"], second["id"], "@first she's a liar", created_at=now - timedelta(minutes=30))
    return post, mention, deep


def test_replies_deeper_in_the_accounts_threads_come_from_conversation_search(x_account, standin):
    post, _mention, deep = thread(standin, x_account)

    result = account_poll(account=x_account)

    assert result.completed and result.ingest.created == 2 and result.ingest.duplicates == 0
    [search] = standin.requests_to("/2/tweets/search/recent")
    assert search.query["query"] == f"conversation_id:{post['id']} is:reply"
    assert "since_id" not in search.query  # a post first seen in this walk is searched from the start
    assert search.query["end_time"].endswith("Z") and search.bearer == TOKEN
    item = Item.objects.get(external_id=deep["id"])
    assert item.kind == "reply" and item.in_reply_to.external_id == post["id"]
    assert item.author.handle == "second"


def test_next_poll_searches_known_threads_since_the_stored_position(x_account, standin):
    thread(standin, x_account)
    account_poll(account=x_account)
    x_account.refresh_from_db()
    replies_since = split_cursor(x_account.poll_cursor)[1]

    again = account_poll(account=x_account)

    assert again.completed and again.ingest.created == 0
    last = standin.requests_to("/2/tweets/search/recent")[-1]
    assert last.query["since_id"] == replies_since


def test_a_reply_posted_during_a_walk_is_read_by_the_next_one(x_account, standin, monkeypatch):
    _post, mention, _deep = thread(standin, x_account)
    late = standin.add_reply(mention["id"], standin.add_user("late")["id"], "just now")  # after the walk's end time

    account_poll(account=x_account)
    assert not Item.objects.filter(external_id=late["id"]).exists()

    monkeypatch.setattr("platforms.x.SEARCH_LAG", timedelta(seconds=-5))  # as if time had moved on
    account_poll(account=x_account)
    assert Item.objects.filter(external_id=late["id"]).exists()


def test_posts_older_than_seven_days_are_not_searched(x_account, standin):
    AccountPost.objects.create(
        account=x_account, external_id="1", text="old", posted_at=timezone.now() - timedelta(days=8)
    )

    account_poll(account=x_account)

    assert standin.requests_to("/2/tweets/search/recent") == []


def test_rate_limit_during_conversation_search_keeps_the_cursor(x_account, standin):
    thread(standin, x_account)
    standin.rate_limit("/2/tweets/search/recent", reset_at=reset_in(300))

    result = account_poll(account=x_account)

    assert not result.completed and result.ingest.created == 1  # the mention, stored before the search failed
    x_account.refresh_from_db()
    assert x_account.poll_cursor == "" and "rate_limited_until" in x_account.settings


def test_cursor_parsing_accepts_bare_ids_and_rejects_junk():
    assert split_cursor("123") == ("123", "123")
    assert split_cursor("m5:r7") == ("5", "7")
    assert split_cursor("m:r") == ("", "")
    assert split_cursor("nonsense") == ("", "")
