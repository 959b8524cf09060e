"""Sign-in lockout (django-axes): 5 wrong passwords for a username from one address, 15 minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse

from moderation.models import AuditEvent
from saferpol.client_address import client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(password: str, *, username: str = "alice", ip: str = "203.0.113.7", client: Client | None = None):
    return (client or Client()).post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_username_from_that_address(alice):
    for _ in range(4):
        assert attempt("wrong").status_code == 200  # the form again, with its error
    locked = attempt("wrong")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Too many wrong passwords" in body and "Try again in 15 minutes" in body
    # Even the right password is refused while locked.
    assert attempt(PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().failures_since_start >= 5


def test_lockout_is_for_that_username_and_address_only(alice, bob):
    for _ in range(5):
        attempt("wrong")
    assert attempt(PASSWORD, ip="198.51.100.20").status_code == 302  # alice elsewhere
    assert attempt(PASSWORD, username="bob").status_code == 302  # bob on the same network


def test_lockout_ends_after_the_cool_off(alice):
    for _ in range(5):
        attempt("wrong")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert attempt(PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(alice):
    for _ in range(4):
        attempt("wrong")
    assert attempt(PASSWORD).status_code == 302
    for _ in range(4):
        assert attempt("wrong").status_code == 200


def test_failed_sign_ins_are_still_audited(alice):
    for _ in range(6):
        attempt("wrong")
    events = AuditEvent.objects.filter(verb="login_failed", detail__username="alice")
    assert events.count() == 6
    assert events.first().ip_address == "203.0.113.7"


def test_sign_in_without_a_request_is_checked_by_password_only(alice):
    # The shell and management commands have no address to lock by.
    assert authenticate(username="alice", password=PASSWORD) == alice
    assert authenticate(username="alice", password="wrong") is None


def test_lockout_uses_the_visitors_address_behind_a_trusted_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "10.0.0.2"  # no proxy configured: the header is anyone's to type
    settings.SAFERPOL_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.7"  # the one our proxy saw, not the one the visitor typed
