"""GET /api/items/ and /api/items/<code>/: scope, fields, filters, pagination, bad input."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from api.tokens import api_token_revoke
from moderation.models import Item
from moderation.services import item_decide
from platforms.base import FetchedPost
from tests.factories import CIVIL, RACIST, RUDE, THREAT, fetched_author, fetched_item, make_account

pytestmark = pytest.mark.django_db

ITEMS = "/api/items/"
ITEM_FIELDS = {
    "code",
    "platform",
    "account",
    "external_id",
    "url",
    "text",
    "author",
    "hits",
    "severity",
    "status",
    "decisions",
    "posted_at",
    "received_at",
    "kind",
    "in_reply_to",
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


def item_url(item: Item) -> str:
    return f"/api/items/{item.code}/"


def codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


# --- Authentication ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ITEMS, "/api/items/00000000-0000-0000-0000-000000000000/"])
def test_anonymous_gets_401_with_a_bearer_challenge(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in response.json()["detail"]


def test_anonymous_gets_401_on_the_item_even_when_it_exists(anonymous, items):
    response = anonymous.get(item_url(items["threat"]))
    assert response.status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer spol_not-a-real-token", "Bearer ", "Basic YWxpY2U6cGFzc3dvcmQ=", "spol_xyz", "Bearer " + "x" * 5000],
)
def test_bad_tokens_get_401(items, header, client):
    response = client.get(ITEMS, headers={"Authorization": header})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_revoked_token_gets_401(alice, token_for, client, items):
    raw = token_for(alice)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(ITEMS, headers=headers).status_code == 200
    api_token_revoke(token=alice.api_tokens.get(), by=alice)
    response = client.get(ITEMS, headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert client.get(item_url(items["threat"]), headers=headers).status_code == 401


def test_deactivated_persons_token_gets_401(alice, api_as, items):
    api = api_as(alice)
    alice.is_active = False
    alice.save()
    assert api.get(ITEMS).status_code == 401


def test_session_login_is_not_accepted_by_the_api(alice, client, items):
    client.force_login(alice)
    response = client.get(ITEMS)
    assert response.status_code == 401


def test_token_use_is_recorded_at_most_once_a_minute(alice, api_as, items, django_assert_num_queries):
    api = api_as(alice)
    token = alice.api_tokens.get()
    assert token.last_used_at is None
    api.get(ITEMS)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api.get(ITEMS)
    token.refresh_from_db()
    assert token.last_used_at == first
    type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    api.get(ITEMS)
    token.refresh_from_db()
    assert token.last_used_at > first


# --- Listing --------------------------------------------------------------------------------


def test_list_shows_every_item_most_severe_then_newest_first(api_as, alice, items):
    response = api_as(alice).get(ITEMS)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"results", "next"}
    assert body["next"] is None
    expected = [items[name] for name in ("threat", "racist", "rude", "civil")]
    assert codes(response) == [str(item.code) for item in expected]


def test_ties_on_severity_put_the_newest_first(api_as, alice, ingest):
    now = datetime.now(UTC)
    older, newer = ingest(
        fetched_item(THREAT, posted_at=now - timedelta(hours=2)),
        fetched_item(THREAT, posted_at=now - timedelta(hours=1)),
    )
    assert codes(api_as(alice).get(ITEMS)) == [str(newer.code), str(older.code)]


def test_item_fields_are_exactly_the_documented_ones(api_as, alice, items):
    [row] = [r for r in api_as(alice).get(ITEMS).json()["results"] if r["code"] == str(items["threat"].code)]
    assert set(row) == ITEM_FIELDS
    assert set(row["author"]) == AUTHOR_FIELDS
    assert row["account"] == "AliceForMillbrook"
    assert row["platform"] == "demo"
    assert row["text"] == THREAT
    assert row["severity"] == "critical"
    assert row["status"] == "open"
    assert row["kind"] == "reply"
    assert row["decisions"] == []
    assert row["in_reply_to"] is None
    assert row["author"]["handle"] == "millbrook_mum"
    assert row["author"]["created_at"].startswith("2015-04-01")
    assert row["author"]["followers_count"] == 300
    [hit] = row["hits"]
    assert set(hit) == {"rule", "category", "score", "severity", "reason"}
    assert hit["rule"] == 2 and hit["severity"] == "critical"
    assert 0 <= hit["score"] <= 1


def test_author_is_the_profile_as_seen_with_the_item(api_as, alice, ingest):
    [first] = ingest(fetched_item(RUDE, author=fetched_author(followers_count=10, bio="before")))
    ingest(fetched_item(CIVIL, author=fetched_author(followers_count=9999, bio="after")))
    row = api_as(alice).get(item_url(first)).json()
    assert row["author"]["followers_count"] == 10
    assert row["author"]["bio"] == "before"


def test_in_reply_to_is_the_text_of_the_post_it_answers(api_as, alice, ingest):
    post = FetchedPost(external_id="post-1", text="Our plan for Mill Lane", url="https://demo.saferpol.invalid/p/1")
    [item] = ingest(fetched_item(RUDE, in_reply_to="post-1"), posts=[post])
    assert api_as(alice).get(item_url(item)).json()["in_reply_to"] == "Our plan for Mill Lane"


def test_list_is_scoped_to_the_persons_accounts(api_as, charlie, charlies_account, items, ingest):
    [own] = ingest(RUDE, target=charlies_account)
    assert codes(api_as(charlie).get(ITEMS)) == [str(own.code)]


def test_comms_officer_can_read_the_list(api_as, carol, items):
    assert len(codes(api_as(carol).get(ITEMS))) == 4


def test_person_without_accounts_gets_an_empty_list(api_as, make_user, items):
    response = api_as(make_user("dora")).get(ITEMS)
    assert response.status_code == 200
    assert response.json() == {"results": [], "next": None}


def test_decisions_show_with_their_outcome(api_as, alice, bob, items, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(item=items["rude"], user=bob, kind="hide", note="rule 1")
    item_decide(item=items["racist"], user=alice, kind="report")
    item_decide(item=items["civil"], user=alice, kind="dismiss")
    rows = {row["code"]: row for row in api_as(alice).get(ITEMS).json()["results"]}
    [hide] = rows[str(items["rude"].code)]["decisions"]
    assert set(hide) == {"action", "by", "at", "note", "outcome"}
    assert hide["action"] == "hide" and hide["by"] == "bob" and hide["note"] == "rule 1"
    assert hide["outcome"] == {"status": "done", "error": None, "guidance": None}
    [report] = rows[str(items["racist"].code)]["decisions"]
    assert report["outcome"]["status"] == "manual"
    assert "https://help.twitter.com/" in report["outcome"]["guidance"]
    [dismiss] = rows[str(items["civil"].code)]["decisions"]
    assert dismiss["outcome"] is None
    assert rows[str(items["civil"].code)]["status"] == "dismissed"


def test_list_makes_the_same_number_of_queries_for_many_items(api_as, alice, ingest, django_assert_max_num_queries):
    things = ingest(*[THREAT, RACIST, RUDE, CIVIL] * 5)
    for item in things[:8]:
        item_decide(item=item, user=alice, kind="escalate", note="n")
    api = api_as(alice)
    api.get(ITEMS)  # records last use, so the counted call below doesn't
    # token, memberships, items, hits, decisions (with action and person), their post
    with django_assert_max_num_queries(6):
        response = api.get(ITEMS)
    assert len(response.json()["results"]) == 20


# --- Filters ---------------------------------------------------------------------------------


@pytest.fixture
def decided(items, alice):
    item_decide(item=items["threat"], user=alice, kind="escalate")
    item_decide(item=items["racist"], user=alice, kind="report")  # actioned
    return items


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("escalated", ["threat"]),
        ("actioned", ["racist"]),
        ("open", ["rude"]),
        ("clear", ["civil"]),
        ("dismissed", []),
        ("needs_decision", ["threat", "rude"]),
        ("all", ["threat", "racist", "rude", "civil"]),
    ],
)
def test_status_filter(api_as, alice, decided, status, expected):
    response = api_as(alice).get(ITEMS, status=status)
    assert response.status_code == 200
    assert codes(response) == [str(decided[name].code) for name in expected]


def test_status_defaults_to_all(api_as, alice, decided):
    assert len(codes(api_as(alice).get(ITEMS))) == 4


@pytest.mark.parametrize(("rule", "expected"), [(1, ["rude"]), (2, ["threat"]), (3, ["racist"]), (4, []), (5, [])])
def test_rule_filter(api_as, alice, items, rule, expected):
    response = api_as(alice).get(ITEMS, rule=rule)
    assert response.status_code == 200
    assert codes(response) == [str(items[name].code) for name in expected]


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        ("critical", ["threat"]),
        ("high", ["threat", "racist"]),
        ("3", ["threat", "racist"]),
        ("medium", ["threat", "racist"]),
        ("low", ["threat", "racist", "rude"]),
        ("1", ["threat", "racist", "rude"]),
        ("none", ["threat", "racist", "rude", "civil"]),
        ("0", ["threat", "racist", "rude", "civil"]),
        ("4", ["threat"]),
    ],
)
def test_severity_filter_means_this_or_worse(api_as, alice, items, severity, expected):
    response = api_as(alice).get(ITEMS, severity=severity)
    assert response.status_code == 200
    assert codes(response) == [str(items[name].code) for name in expected]


def test_account_filter_by_handle_or_code(api_as, alice, account, items, ingest):
    other = make_account(alice, handle="AliceAtCouncil")
    [other_item] = ingest(RUDE, target=other)
    api = api_as(alice)
    assert len(codes(api.get(ITEMS))) == 5
    assert len(codes(api.get(ITEMS, account="AliceForMillbrook"))) == 4
    assert len(codes(api.get(ITEMS, account="@aliceformillbrook"))) == 4
    assert len(codes(api.get(ITEMS, account=str(account.code)))) == 4
    assert codes(api.get(ITEMS, account=str(other.code))) == [str(other_item.code)]
    assert codes(api.get(ITEMS, account="AliceAtCouncil")) == [str(other_item.code)]


@pytest.mark.parametrize("value", ["CharlieForEastfield", "nobody-at-all", "charlies-code"])
def test_account_filter_on_anothers_account_is_refused_like_an_unknown_one(
    api_as, alice, items, charlies_account, value
):
    if value == "charlies-code":
        value = str(charlies_account.code)
    response = api_as(alice).get(ITEMS, account=value)
    assert response.status_code == 422
    assert response.json() == {"detail": "account: none of your accounts has that handle or code."}


def test_since_filter_takes_a_date_or_a_date_time(api_as, alice, ingest):
    old, recent = ingest(
        fetched_item(RUDE, posted_at=datetime(2025, 1, 10, 12, tzinfo=UTC)),
        fetched_item(RUDE, posted_at=datetime(2025, 3, 1, 9, tzinfo=UTC)),
    )
    api = api_as(alice)
    assert codes(api.get(ITEMS, since="2025-02-01")) == [str(recent.code)]
    assert codes(api.get(ITEMS, since="2025-03-01T09:00:00Z")) == [str(recent.code)]
    assert codes(api.get(ITEMS, since="2025-03-01T09:00:01+00:00")) == []
    assert codes(api.get(ITEMS, since="2025-01-10")) == [str(recent.code), str(old.code)]


def test_filters_combine(api_as, alice, decided):
    response = api_as(alice).get(ITEMS, status="needs_decision", severity="high", rule=2)
    assert codes(response) == [str(decided["threat"].code)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "everything"}, "status"),
        ({"rule": "6"}, "rule"),
        ({"rule": "0"}, "rule"),
        ({"rule": "two"}, "rule"),
        ({"severity": "extreme"}, "severity"),
        ({"severity": "5"}, "severity"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2025-13-45"}, "since"),
        ({"since": "0001-01-01T00:00:00+14:00"}, "since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "lots"}, "limit"),
        ({"cursor": "garbage"}, "cursor"),
        ({"cursor": "WzEsMiwzXQ"}, "cursor"),  # valid base64 of [1,2,3]
        ({"account": "bad\x00handle"}, "account"),
    ],
)
def test_bad_query_values_get_422_with_a_reason(api_as, alice, items, params, field):
    response = api_as(alice).get(ITEMS, **params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and field in detail


def test_unknown_query_parameters_are_ignored(api_as, alice, items):
    assert api_as(alice).get(ITEMS, colour="blue").status_code == 200


# --- Pagination ------------------------------------------------------------------------------


def test_pages_walk_every_item_once_in_order_without_counting(api_as, alice, ingest, django_assert_max_num_queries):
    now = datetime.now(UTC)
    same_time = now - timedelta(hours=1)
    texts = [THREAT, RACIST, RUDE, CIVIL] * 6
    # Several items share a severity and a posting time: the id breaks the tie.
    stored = ingest(
        *[
            fetched_item(t, posted_at=same_time if n % 3 == 0 else now - timedelta(minutes=n))
            for n, t in enumerate(texts)
        ]
    )
    api = api_as(alice)
    everything = codes(api.get(ITEMS, limit=200))
    assert len(everything) == len(stored) == 24

    seen, url, pages = [], f"{ITEMS}?limit=5", 0
    while url:
        parts = urlsplit(url)
        response = api.client.get(f"{parts.path}?{parts.query}", headers=api.headers)
        assert response.status_code == 200
        body = response.json()
        assert len(body["results"]) <= 5
        seen.extend(row["code"] for row in body["results"])
        url = body["next"]
        pages += 1
    assert pages == 5
    assert seen == everything
    assert len(set(seen)) == len(seen)


def test_next_link_keeps_the_filters(api_as, alice, ingest):
    ingest(*[RUDE] * 3)
    ingest(CIVIL)
    api = api_as(alice)
    first = api.get(ITEMS, limit=2, severity="low").json()
    assert first["next"].startswith("http://testserver/api/items/?")
    assert "severity=low" in first["next"] and "limit=2" in first["next"]
    parts = urlsplit(first["next"])
    second = api.client.get(f"{parts.path}?{parts.query}", headers=api.headers).json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_last_full_page_has_no_next_link(api_as, alice, items):
    assert api_as(alice).get(ITEMS, limit=4).json()["next"] is None


def test_default_page_size_is_50(api_as, alice, ingest):
    ingest(*[CIVIL] * 51)
    body = api_as(alice).get(ITEMS).json()
    assert len(body["results"]) == 50 and body["next"]


# --- One item --------------------------------------------------------------------------------


def test_member_reads_one_item(api_as, carol, items):
    response = api_as(carol).get(item_url(items["racist"]))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ITEM_FIELDS
    assert body["code"] == str(items["racist"].code)
    assert body["severity"] == "high"
    assert body["hits"][0]["rule"] == 3


def test_outsider_and_unknown_codes_get_the_same_404(api_as, charlie, charlies_account, items):
    api = api_as(charlie)
    outsider = api.get(item_url(items["threat"]))
    unknown = api.get(f"/api/items/{uuid.uuid4()}/")
    malformed = api.get("/api/items/not-a-uuid/")
    assert outsider.status_code == unknown.status_code == malformed.status_code == 404
    assert outsider.json() == unknown.json() == malformed.json() == {"detail": "Not found."}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_wrong_method_gets_405(api_as, alice, items, method):
    api = api_as(alice)
    assert api.request(method, ITEMS).status_code == 405
    assert api.request(method, item_url(items["threat"])).status_code == 405


def test_openapi_document_is_served_and_lists_the_operations(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert set(document["paths"]) == {"/api/items/", "/api/items/{code}/", "/api/items/{code}/decisions/"}
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_no_interactive_docs_that_would_load_from_a_cdn(client):
    assert client.get("/api/docs").status_code == 404
