"""The visitor's address behind reverse proxies: one reading for sign-in, the audit log and the API.

Alice signs in and works through the office's nginx (10.0.0.2); her own address is 203.0.113.7.
Mallory, a stranger, types an X-Forwarded-For header to pass as someone else (6.6.6.6).
"""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from api.tokens import api_token_create
from moderation.models import AuditEvent
from saferpol.client_address import client_ip
from tests.factories import PASSWORD, THREAT
from tests.team.conftest import client_for

PROXY = "10.0.0.2"
ALICE = "203.0.113.7"
TYPED = "6.6.6.6"


def request_from(remote_addr: str = PROXY, forwarded_for: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **extra)


# --- Reading the address -----------------------------------------------------------------


def test_with_no_trusted_proxy_a_typed_forwarded_for_is_ignored(settings):
    settings.SAFERPOL_TRUSTED_PROXIES = 0
    assert client_ip(request_from(ALICE, forwarded_for=TYPED)) == ALICE


def test_behind_one_proxy_the_right_most_address_is_the_visitors(settings):
    settings.SAFERPOL_TRUSTED_PROXIES = 1
    # Mallory typed the first entry; nginx appended the address it really saw.
    assert client_ip(request_from(forwarded_for=f"{TYPED}, {ALICE}")) == ALICE


def test_behind_two_proxies_the_second_from_the_right_is_the_visitors(settings):
    settings.SAFERPOL_TRUSTED_PROXIES = 2
    assert client_ip(request_from(forwarded_for=f"{TYPED}, {ALICE}, 10.0.0.1")) == ALICE


def test_several_forwarded_for_headers_read_as_one_list(settings):
    # The WSGI server joins repeated headers with a comma, in the order they came.
    settings.SAFERPOL_TRUSTED_PROXIES = 1
    assert client_ip(request_from(forwarded_for=f"{TYPED},{ALICE}")) == ALICE


def test_more_proxies_than_forwarded_addresses_falls_back_to_the_connecting_address(settings):
    """The request skipped part of the chain we were told about: no entry can be trusted."""
    settings.SAFERPOL_TRUSTED_PROXIES = 2
    assert client_ip(request_from(forwarded_for=TYPED)) == PROXY


def test_behind_a_proxy_a_request_without_the_header_gives_the_connecting_address(settings):
    settings.SAFERPOL_TRUSTED_PROXIES = 1
    assert client_ip(request_from(ALICE)) == ALICE
    assert client_ip(request_from(ALICE, forwarded_for="")) == ALICE


def test_an_entry_that_is_not_an_address_falls_back_to_the_connecting_address(settings):
    # Stored in an inet column: "unknown" or a port must never turn a sign-in into a 500.
    settings.SAFERPOL_TRUSTED_PROXIES = 1
    assert client_ip(request_from(forwarded_for="unknown")) == PROXY
    assert client_ip(request_from(forwarded_for=f"{ALICE}:51234")) == PROXY


def test_addresses_are_given_in_canonical_form(settings):
    settings.SAFERPOL_TRUSTED_PROXIES = 1
    assert client_ip(request_from(forwarded_for=" 2001:DB8:0::1 ")) == "2001:db8::1"


def test_no_usable_connecting_address_gives_none(settings):
    settings.SAFERPOL_TRUSTED_PROXIES = 0
    assert client_ip(request_from("")) is None
    assert client_ip(request_from("not-an-address")) is None


def test_a_negative_number_of_proxies_is_refused_at_start_up():
    from tests.test_demo_and_settings import settings_in_subprocess

    out = settings_in_subprocess({"EXPECT_FAIL": "1", "SAFERPOL_DEMO": "true", "SAFERPOL_TRUSTED_PROXIES": "-1"}, "1")
    assert "SAFERPOL_TRUSTED_PROXIES must be 0 or more" in out


# --- Everywhere it is used ---------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_is_audited_and_locked_by_the_forwarded_address(settings, alice, bob):
    settings.SAFERPOL_TRUSTED_PROXIES = 1

    def sign_in(password: str, visitor: str, username: str = "alice"):
        return Client().post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=visitor,
        )

    for _ in range(5):
        sign_in("wrong", ALICE)
    assert sign_in(PASSWORD, ALICE).status_code == 429
    # Everyone arrives from the proxy's address: the lock is on Alice's own, not on the proxy's.
    assert sign_in(PASSWORD, "198.51.100.20").status_code == 302
    assert AuditEvent.objects.filter(verb="login_failed").first().ip_address == ALICE


@pytest.mark.django_db
def test_typing_a_new_forwarded_for_each_time_does_not_escape_the_lockout(settings, alice):
    settings.SAFERPOL_TRUSTED_PROXIES = 0  # no proxy: the header is Mallory's to type
    for n in range(5):
        Client().post(
            reverse("login"),
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR=TYPED,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    locked = Client().post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR=TYPED, HTTP_X_FORWARDED_FOR=ALICE
    )
    assert locked.status_code == 429


@pytest.mark.django_db
def test_api_decisions_are_audited_with_the_forwarded_address(settings, alice, ingest):
    settings.SAFERPOL_TRUSTED_PROXIES = 1
    threat = ingest(THREAT)[0]
    _, token = api_token_create(user=alice, name="script")
    response = Client().post(
        f"/api/items/{threat.code}/decisions/",
        {"action": "escalate"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "X-Forwarded-For": f"{TYPED}, {ALICE}"},
        REMOTE_ADDR=PROXY,
    )
    assert response.status_code == 201
    assert AuditEvent.objects.get(verb=AuditEvent.Verb.DECISION).ip_address == ALICE


@pytest.mark.django_db
def test_api_token_pages_audit_the_forwarded_address(settings, alice):
    settings.SAFERPOL_TRUSTED_PROXIES = 1
    client = client_for(alice)
    forwarded = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{TYPED}, {ALICE}"}
    created = client.post(reverse("api:token_create"), {"name": "laptop"}, **forwarded)
    assert created.status_code == 200
    code = created.context["token"].code
    client.post(reverse("api:token_revoke", kwargs={"code": code}), **forwarded)
    events = AuditEvent.objects.filter(verb__in=[AuditEvent.Verb.TOKEN_CREATED, AuditEvent.Verb.TOKEN_REVOKED])
    assert sorted(events.values_list("verb", "ip_address")) == [("token_created", ALICE), ("token_revoked", ALICE)]
