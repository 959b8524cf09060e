"""Personal API tokens: the dashboard pages, the services and the create_api_token command."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from api.tokens import api_token_authenticate, api_token_create, api_token_revoke
from moderation.models import AuditEvent
from team.models import ApiToken

pytestmark = pytest.mark.django_db

TOKENS = reverse("api:tokens")
CREATE = reverse("api:token_create")


def client_for(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def revoke_url(token: ApiToken) -> str:
    return reverse("api:token_revoke", kwargs={"code": token.code})


def csrf_token_from(client: Client) -> str:
    client.get(TOKENS)
    return client.cookies["csrftoken"].value


# --- Services ----------------------------------------------------------------------------------


def test_create_stores_only_the_digest_and_a_short_prefix(alice):
    token, raw = api_token_create(user=alice, name="weekly report")
    assert raw.startswith("spol_") and len(raw) >= 40
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:12]
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(raw in str(value) for value in stored.values())
    assert api_token_authenticate(raw) == alice


def test_each_token_is_different(alice):
    assert api_token_create(user=alice, name="a")[1] != api_token_create(user=alice, name="a")[1]


def test_revoked_token_no_longer_authenticates(alice):
    token, raw = api_token_create(user=alice, name="cli")
    api_token_revoke(token=token, by=alice)
    assert api_token_authenticate(raw) is None


@pytest.mark.parametrize("raw", [None, "", "spol_unknown", "x" * 10_000, "\ud800"])
def test_unknown_or_junk_tokens_do_not_authenticate(alice, raw):
    api_token_create(user=alice, name="cli")
    assert api_token_authenticate(raw) is None


def test_only_the_owner_can_revoke(alice, bob):
    token, raw = api_token_create(user=alice, name="cli")
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=bob)
    assert api_token_authenticate(raw) == alice


def test_revoking_twice_keeps_the_first_time(alice):
    token, _ = api_token_create(user=alice, name="cli")
    first = api_token_revoke(token=token, by=alice).revoked_at
    assert api_token_revoke(token=token, by=alice).revoked_at == first
    assert AuditEvent.objects.filter(verb="token_revoked").count() == 1


def test_creation_and_revocation_are_audited(alice):
    token, raw = api_token_create(user=alice, name="cli", ip_address="192.0.2.1")
    api_token_revoke(token=token, by=alice)
    created, revoked = AuditEvent.objects.order_by("id")
    assert (created.verb, revoked.verb) == ("token_created", "token_revoked")
    assert created.actor == revoked.actor == alice
    assert created.object_code == revoked.object_code == str(token.code)
    assert created.ip_address == "192.0.2.1"
    assert raw not in created.summary and raw not in str(created.detail)


# --- The tokens page ---------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in():
    response = Client().get(TOKENS)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_page_lists_only_the_persons_own_tokens(alice, bob):
    api_token_create(user=alice, name="alice-script")
    bobs, _ = api_token_create(user=bob, name="bob-script")
    api_token_revoke(token=bobs, by=bob)
    response = client_for(alice).get(TOKENS)
    assert response.status_code == 200
    assert b"alice-script" in response.content
    assert b"bob-script" not in response.content
    assert ApiToken.objects.get(user=alice).prefix.encode() in response.content


def test_page_shows_revoked_and_last_used(alice, client):
    used, raw = api_token_create(user=alice, name="in-use")
    old, _ = api_token_create(user=alice, name="retired")
    api_token_revoke(token=old, by=alice)
    client.get("/api/items/", headers={"Authorization": f"Bearer {raw}"})
    page = client_for(alice).get(TOKENS).content.decode()
    rows = {
        name: next(row for row in page.split("<tr>") if f"<td>{name}</td>" in row) for name in ("in-use", "retired")
    }
    assert "Never" not in rows["in-use"] and "Active" in rows["in-use"]
    assert revoke_url(used) in rows["in-use"]
    assert "Never" in rows["retired"] and "Revoked" in rows["retired"]
    assert revoke_url(old) not in page  # nothing left to revoke


def test_token_names_are_escaped(alice):
    api_token_create(user=alice, name='<script>alert("x")</script>')
    response = client_for(alice).get(TOKENS)
    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;" in response.content


# --- Creating from the page --------------------------------------------------------------------


def test_create_shows_the_token_once_and_stores_only_its_digest(alice):
    client = client_for(alice, csrf=True)
    response = client.post(CREATE, {"name": "reporting", "csrfmiddlewaretoken": csrf_token_from(client)})
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=alice)
    assert token.name == "reporting"
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    # Never shown again: not on the list, not in a message.
    assert raw.encode() not in client.get(TOKENS).content
    assert AuditEvent.objects.filter(verb="token_created", actor=alice).exists()


def test_token_from_the_page_works_on_the_api(alice, client):
    raw = client_for(alice).post(CREATE, {"name": "script"}).context["raw"]
    assert client.get("/api/items/", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_create_needs_a_name(alice):
    response = client_for(alice).post(CREATE, {"name": "   "})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    assert not ApiToken.objects.exists()


def test_create_refuses_get(alice):
    assert client_for(alice).get(CREATE).status_code == 405
    assert not ApiToken.objects.exists()


def test_create_needs_the_csrf_token(alice):
    response = client_for(alice, csrf=True).post(CREATE, {"name": "sneaky"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_create_needs_sign_in():
    response = Client().post(CREATE, {"name": "x"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


# --- Revoking from the page --------------------------------------------------------------------


def test_owner_revokes_their_token(alice, client):
    token, raw = api_token_create(user=alice, name="cli")
    signed_in = client_for(alice, csrf=True)
    response = signed_in.post(revoke_url(token), {"csrfmiddlewaretoken": csrf_token_from(signed_in)})
    assert response.status_code == 302 and response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/items/", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert AuditEvent.objects.filter(verb="token_revoked", actor=alice, object_code=str(token.code)).exists()


def test_revoke_refuses_get(alice):
    token, _ = api_token_create(user=alice, name="cli")
    assert client_for(alice).get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_the_csrf_token(alice):
    token, _ = api_token_create(user=alice, name="cli")
    assert client_for(alice, csrf=True).post(revoke_url(token)).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_another_persons_token_is_404(alice, bob):
    token, raw = api_token_create(user=alice, name="cli")
    assert client_for(bob).post(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_token_authenticate(raw) == alice


def test_unknown_token_is_404(alice):
    url = reverse("api:token_revoke", kwargs={"code": uuid.uuid4()})
    assert client_for(alice).post(url).status_code == 404


def test_revoke_needs_sign_in(alice):
    token, _ = api_token_create(user=alice, name="cli")
    assert Client().post(revoke_url(token)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


# --- The create_api_token command ---------------------------------------------------------------


def test_command_prints_the_token_as_the_last_word_and_it_works(alice, client):
    out = io.StringIO()
    call_command("create_api_token", "alice", "--name", "deploy", stdout=out)
    output = out.getvalue().strip()
    raw = output.split()[-1]
    assert output == f"Created token 'deploy' for alice: {raw}"
    assert AuditEvent.objects.get(verb="token_created").detail["source"] == "command line"
    assert ApiToken.objects.get(user=alice).name == "deploy"
    response = client.get("/api/items/", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_command_names_the_token_cli_by_default(alice):
    call_command("create_api_token", "alice", stdout=io.StringIO())
    assert ApiToken.objects.get(user=alice).name == "cli"


def test_command_refuses_an_unknown_person(db):
    with pytest.raises(CommandError, match="No person"):
        call_command("create_api_token", "nobody", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_command_refuses_an_empty_name(alice):
    with pytest.raises(CommandError, match="--name"):
        call_command("create_api_token", "alice", "--name", " ", stdout=io.StringIO())
