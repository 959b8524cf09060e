"""Helpers for the team tests; the personas (alice owner, bob moderator, carol comms, charlie
outsider) come from tests/conftest.py."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from team.models import RecoveryCode, RecoveryCodeDevice, recovery_code_digest


def client_for(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def app_for(user) -> TOTPDevice:
    """A confirmed authenticator app for the user, as if set up on the Security page."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def recovery_codes_for(user, codes: list[str]) -> RecoveryCodeDevice:
    """Recovery codes as recovery_codes_regenerate stores them: digests only."""
    device = RecoveryCodeDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, digest=recovery_code_digest(code)) for code in codes])
    return device


def code_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def verified_client_for(user, *, csrf: bool = False) -> Client:
    """Signed in and past the second step, as after entering a code."""
    client = client_for(user, csrf=csrf)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or app_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def require_2fa(settings):
    """Production's rule: every dashboard login needs the second step."""
    settings.SAFERPOL_REQUIRE_2FA = True
    return settings
