"""Connecting an X account from the dashboard: OAuth 2.0 with PKCE, against the local stand-in.

The person's browser is played by `requests` (X's consent page answers at once with a redirect)
and by Django's test client (our pages), so every hop is real HTTP or a real request to a view.
"""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from moderation.models import AuditEvent, CampaignAccount, Membership, Role
from platforms import x_oauth
from platforms.models import PlatformCredential
from tests.x.conftest import stored_tokens

CLIENT_ID = "saferpol-standin-client"
CALLBACK = "http://testserver/platforms/x/callback/"


@pytest.fixture
def oauth(settings, standin):
    """X's developer app as registered at the stand-in, and SaferPol configured to use it."""
    settings.X_CLIENT_ID = CLIENT_ID
    settings.X_CLIENT_SECRET = ""
    settings.X_AUTHORIZE_URL = standin.base_url + "/i/oauth2/authorize"
    standin.register_client(CLIENT_ID, redirect_uri=CALLBACK)
    return standin


@pytest.fixture
def x_person(oauth):
    """The councillor's X account; its owner is signed in to X and will approve."""
    user = oauth.add_user("AliceForMillbrook", name="Alice Hughes")
    oauth.sign_in(user["id"])
    return user


def signed_in(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def start(client: Client, url: str | None = None, **data) -> str:
    response = client.post(url or reverse("platforms:connect_x_start"), data)
    assert response.status_code == 302, response.status_code
    return response["Location"]


def approve_at_x(authorize_url: str) -> str:
    """The person's browser at X's consent page: where X sends it back."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return response.headers["location"]


def come_back(client: Client, location: str):
    parts = urlsplit(location)
    return client.get(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the full flow -----------------------------------------------------------------------


def test_connect_creates_account_owner_membership_and_encrypted_credential(alice, x_person, oauth):
    client = signed_in(alice)
    authorize_url = start(client)
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith(oauth.base_url + "/i/oauth2/authorize?")
    assert query["client_id"] == [CLIENT_ID] and query["redirect_uri"] == [CALLBACK]
    assert query["code_challenge_method"] == ["S256"]
    assert query["scope"] == ["tweet.read users.read tweet.moderate.write mute.write offline.access"]
    pending = client.session[x_oauth.SESSION_KEY]
    assert query["state"] == [pending["state"]]
    assert pending["verifier"] not in authorize_url  # only the challenge travels

    response = come_back(client, approve_at_x(authorize_url))

    assert response.redirect_chain[-1][0] == reverse("moderation:accounts")
    assert any("@AliceForMillbrook on X is connected" in m for m in messages_of(response))
    account = CampaignAccount.objects.get(platform="x")
    assert (account.external_id, account.handle, account.owner) == (x_person["id"], "AliceForMillbrook", alice)
    assert account.status == CampaignAccount.Status.CONNECTED
    assert account.settings.get("x_enterprise") is False
    assert Membership.objects.get(account=account, user=alice).role == Role.OWNER
    credential = PlatformCredential.objects.get(account=account)
    assert oauth.tokens[credential.access_token] == x_person["id"]
    assert oauth.refresh_tokens[credential.refresh_token] == x_person["id"]
    assert timedelta(minutes=119) < credential.expires_at - timezone.now() <= timedelta(hours=2)
    assert "offline.access" in credential.scopes
    stored_access, stored_refresh = stored_tokens(credential)
    assert credential.access_token not in stored_access and credential.refresh_token not in stored_refresh
    assert AuditEvent.objects.filter(verb="account_connected", account=account, actor=alice).exists()
    assert x_oauth.SESSION_KEY not in client.session  # one go per pending connection

    exchange = oauth.requests_to("/2/oauth2/token")[-1].body
    assert exchange["grant_type"] == "authorization_code" and exchange["code_verifier"] == pending["verifier"]
    assert exchange["redirect_uri"] == CALLBACK and exchange["client_id"] == CLIENT_ID


def test_confidential_client_authenticates_with_basic_auth(alice, x_person, oauth, settings):
    settings.X_CLIENT_SECRET = "s3cret"
    oauth.register_client(CLIENT_ID, redirect_uri=CALLBACK, secret="s3cret")
    client = signed_in(alice)
    come_back(client, approve_at_x(start(client)))
    assert CampaignAccount.objects.filter(platform="x", owner=alice).exists()
    assert oauth.requests_to("/2/oauth2/token")[-1].headers["authorization"].startswith("Basic ")


def test_enterprise_access_asks_for_block_write_and_enables_blocking(alice, x_person, oauth):
    client = signed_in(alice)
    authorize_url = start(client, enterprise="on")
    assert "block.write" in parse_qs(urlsplit(authorize_url).query)["scope"][0].split()
    come_back(client, approve_at_x(authorize_url))
    account = CampaignAccount.objects.get(platform="x")
    assert account.settings["x_enterprise"] is True
    assert "block.write" in account.credential.scopes


def test_any_signed_in_person_may_connect_a_new_account_and_owns_it(charlie, oauth):
    user = oauth.add_user("CharlieForEastfield")
    oauth.sign_in(user["id"])
    client = signed_in(charlie)
    come_back(client, approve_at_x(start(client)))
    account = CampaignAccount.objects.get(platform="x")
    assert account.owner == charlie
    assert Membership.objects.get(account=account).user == charlie


# --- refusals: nothing connected, a message, never a 500 -----------------------------------


def test_tampered_verifier_is_refused_by_pkce_and_nothing_is_connected(alice, x_person, oauth):
    client = signed_in(alice)
    location = approve_at_x(start(client))
    session = client.session
    session[x_oauth.SESSION_KEY] = {**session[x_oauth.SESSION_KEY], "verifier": "x" * 86}
    session.save()

    response = come_back(client, location)

    assert response.status_code == 200
    assert any("X refused to finish the connection" in m for m in messages_of(response))
    assert not CampaignAccount.objects.filter(platform="x").exists()
    assert oauth.requests_to("/2/oauth2/token")  # it did get to X, and X said no
    assert oauth.requests_to("/2/users/me") == []


def test_state_mismatch_is_ignored(alice, x_person, oauth):
    client = signed_in(alice)
    location = approve_at_x(start(client))
    forged = location.replace("state=", "state=forged")

    response = come_back(client, forged)

    assert any("doesn't match the connection started here" in m for m in messages_of(response))
    assert not CampaignAccount.objects.filter(platform="x").exists()
    assert oauth.requests_to("/2/oauth2/token") == []  # the code was never exchanged


def test_missing_state_is_ignored(alice, x_person, oauth):
    client = signed_in(alice)
    location = approve_at_x(start(client))
    code = parse_qs(urlsplit(location).query)["code"][0]

    response = client.get(reverse("platforms:x_callback"), {"code": code}, follow=True)

    assert any("doesn't match the connection started here" in m for m in messages_of(response))
    assert not CampaignAccount.objects.filter(platform="x").exists()


def test_starting_again_replaces_the_pending_connection(alice, x_person, oauth):
    client = signed_in(alice)
    first = approve_at_x(start(client))
    second = approve_at_x(start(client))

    response = come_back(client, first)
    assert any("doesn't match the connection started here" in m for m in messages_of(response))
    assert not CampaignAccount.objects.filter(platform="x").exists()
    # The first answer used up the attempt: the person starts once more and it works.
    assert any("no X connection waiting" in m for m in messages_of(come_back(client, second)))
    come_back(client, approve_at_x(start(client)))
    assert CampaignAccount.objects.filter(platform="x").exists()


def test_callback_from_another_session_is_ignored(alice, x_person, oauth):
    location = approve_at_x(start(signed_in(alice)))
    response = come_back(signed_in(alice), location)  # a second browser, with no pending connection
    assert any("no X connection waiting" in m for m in messages_of(response))
    assert not CampaignAccount.objects.filter(platform="x").exists()


def test_expired_pending_connection_is_refused(alice, x_person, oauth):
    client = signed_in(alice)
    location = approve_at_x(start(client))
    session = client.session
    session[x_oauth.SESSION_KEY] = {**session[x_oauth.SESSION_KEY], "created": time.time() - 601}
    session.save()

    response = come_back(client, location)

    assert any("more than 10 minutes" in m for m in messages_of(response))
    assert not CampaignAccount.objects.filter(platform="x").exists()


def test_a_code_is_good_once(alice, x_person, oauth):
    client = signed_in(alice)
    authorize_url = start(client)
    location = approve_at_x(authorize_url)
    pending = client.session[x_oauth.SESSION_KEY]
    come_back(client, location)
    assert CampaignAccount.objects.filter(platform="x").count() == 1

    # Replaying the same code, even with the right state and verifier, is refused by X.
    session = client.session
    session[x_oauth.SESSION_KEY] = {**pending, "created": time.time()}
    session.save()
    CampaignAccount.objects.update(status=CampaignAccount.Status.RECONNECT)
    response = come_back(client, location)

    assert any("X refused to finish the connection" in m for m in messages_of(response))
    assert CampaignAccount.objects.get(platform="x").status == CampaignAccount.Status.RECONNECT


def test_replayed_callback_finds_no_pending_connection(alice, x_person, oauth):
    client = signed_in(alice)
    location = approve_at_x(start(client))
    come_back(client, location)
    response = come_back(client, location)
    assert any("no X connection waiting" in m for m in messages_of(response))


def test_access_denied_at_x_connects_nothing(alice, x_person, oauth):
    oauth.deny()
    client = signed_in(alice)
    location = approve_at_x(start(client))
    assert "error=access_denied" in location

    response = come_back(client, location)

    assert response.status_code == 200
    assert any("You didn't allow SaferPol on X" in m for m in messages_of(response))
    assert not CampaignAccount.objects.filter(platform="x").exists()
    assert x_oauth.SESSION_KEY not in client.session


def test_x_unreachable_at_the_exchange_is_a_message(alice, x_person, oauth):
    client = signed_in(alice)
    location = approve_at_x(start(client))
    oauth.fail("/2/oauth2/token", 503)
    response = come_back(client, location)
    assert any("couldn't finish the connection right now (503)" in m for m in messages_of(response))
    assert not CampaignAccount.objects.filter(platform="x").exists()


def test_account_already_connected_by_another_owner_is_a_clear_error(alice, charlie, x_person, oauth):
    client = signed_in(alice)
    come_back(client, approve_at_x(start(client)))
    intruder = signed_in(charlie)

    response = come_back(intruder, approve_at_x(start(intruder)))

    assert any("@AliceForMillbrook is already connected by another owner" in m for m in messages_of(response))
    account = CampaignAccount.objects.get(platform="x")
    assert account.owner == alice
    assert not Membership.objects.filter(account=account, user=charlie).exists()


def test_missing_client_id_says_the_operator_must_set_it(alice, oauth, settings):
    settings.X_CLIENT_ID = ""
    client = signed_in(alice)
    page = client.get(reverse("platforms:connect_x"))
    assert page.status_code == 200
    assert "the operator must set <code>X_CLIENT_ID</code>" in page.content.decode()

    response = client.post(reverse("platforms:connect_x_start"), follow=True)
    assert response.status_code == 200
    assert any("the operator must set X_CLIENT_ID" in m for m in messages_of(response))
    assert x_oauth.SESSION_KEY not in client.session
    assert oauth.requests == []


# --- the pages and who may use them --------------------------------------------------------


def test_connect_page_offers_the_button_and_reconnect_for_owned_accounts(alice, bob, x_account, oauth):
    page = signed_in(alice).get(reverse("platforms:connect_x")).content.decode()
    assert reverse("platforms:connect_x_start") in page
    assert reverse("platforms:reconnect_x", kwargs={"code": x_account.code}) in page
    # Bob moderates the account but doesn't own it: no reconnect button for him.
    page = signed_in(bob).get(reverse("platforms:connect_x")).content.decode()
    assert reverse("platforms:reconnect_x", kwargs={"code": x_account.code}) not in page


def test_start_requires_post(alice, oauth):
    assert signed_in(alice).get(reverse("platforms:connect_x_start")).status_code == 405


def test_start_requires_csrf(alice, oauth):
    response = signed_in(alice, csrf=True).post(reverse("platforms:connect_x_start"))
    assert response.status_code == 403
    assert oauth.requests == []


@pytest.mark.parametrize("name", ["platforms:connect_x", "platforms:x_callback"])
def test_anonymous_get_is_sent_to_sign_in(db, oauth, name):
    response = Client().get(reverse(name))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_anonymous_start_is_sent_to_sign_in(db, oauth):
    response = Client().post(reverse("platforms:connect_x_start"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_callback_without_a_pending_connection_is_a_message(alice, oauth):
    response = signed_in(alice).get(reverse("platforms:x_callback"), follow=True)
    assert response.status_code == 200
    assert any("no X connection waiting" in m for m in messages_of(response))


# --- reconnecting ------------------------------------------------------------------------


def test_owner_reconnect_flips_reconnect_to_connected_with_new_tokens(alice, x_account, x_user, oauth):
    x_account.status = CampaignAccount.Status.RECONNECT
    x_account.save()
    oauth.sign_in(x_user["id"])
    client = signed_in(alice)

    location = approve_at_x(start(client, reverse("platforms:reconnect_x", kwargs={"code": x_account.code})))
    response = come_back(client, location)

    assert any("is connected" in m for m in messages_of(response))
    x_account.refresh_from_db()
    assert x_account.status == CampaignAccount.Status.CONNECTED
    assert CampaignAccount.objects.filter(platform="x").count() == 1
    assert x_account.credential.access_token.startswith("standin-access-")
    assert Membership.objects.filter(account=x_account).count() == 3  # the team is untouched


def test_reconnect_as_a_different_x_account_is_refused(alice, x_account, oauth):
    x_account.status = CampaignAccount.Status.RECONNECT
    x_account.save()
    other = oauth.add_user("SomeoneElse")
    oauth.sign_in(other["id"])
    client = signed_in(alice)

    location = approve_at_x(start(client, reverse("platforms:reconnect_x", kwargs={"code": x_account.code})))
    response = come_back(client, location)

    assert any("but this was to reconnect @AliceForMillbrook" in m for m in messages_of(response))
    assert CampaignAccount.objects.filter(platform="x").count() == 1
    x_account.refresh_from_db()
    assert x_account.status == CampaignAccount.Status.RECONNECT


@pytest.mark.parametrize(("persona", "status"), [("bob", 403), ("carol", 403), ("charlie", 404)])
def test_reconnect_is_owner_only(x_account, oauth, request, persona, status):
    response = signed_in(request.getfixturevalue(persona)).post(
        reverse("platforms:reconnect_x", kwargs={"code": x_account.code})
    )
    assert response.status_code == status
    assert oauth.requests == []


def test_reconnect_requires_post_and_csrf(alice, x_account, oauth):
    url = reverse("platforms:reconnect_x", kwargs={"code": x_account.code})
    assert signed_in(alice).get(url).status_code == 405
    assert signed_in(alice, csrf=True).post(url).status_code == 403


def test_reconnect_of_an_account_on_another_platform_is_a_message(alice, account, oauth):
    response = signed_in(alice).post(reverse("platforms:reconnect_x", kwargs={"code": account.code}), follow=True)
    assert response.status_code == 200
    assert any("isn't an X account" in m for m in messages_of(response))


# --- the stand-in's consent page checks what X checks ----------------------------------------


def test_standin_consent_page_refuses_requests_without_pkce_or_with_a_foreign_callback(oauth):
    good = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": CALLBACK,
        "scope": "tweet.read",
        "state": "s",
        "code_challenge": x_oauth.pkce_challenge("v" * 43),
        "code_challenge_method": "S256",
    }
    url = oauth.base_url + "/i/oauth2/authorize"
    oauth.sign_in(oauth.add_user("someone")["id"])
    assert requests.get(url, params=good, allow_redirects=False, timeout=10).status_code == 302
    for bad in (
        {"code_challenge_method": "plain"},
        {"code_challenge": ""},
        {"state": ""},
        {"client_id": "unknown"},
        {"redirect_uri": "https://evil.example/callback"},
    ):
        response = requests.get(url, params={**good, **bad}, allow_redirects=False, timeout=10)
        assert response.status_code == 400, bad
        assert "location" not in response.headers
