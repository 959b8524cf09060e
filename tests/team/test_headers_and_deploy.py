"""Security headers, and a production configuration that `check --deploy` finds nothing wrong with."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.team.conftest import app_for, client_for, verified_client_for

ROOT = Path(__file__).resolve().parents[2]

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def csp_directives(header: str) -> dict[str, str]:
    parts = [part.strip() for part in header.split(";") if part.strip()]
    return {name: value for name, _, value in (part.partition(" ") for part in parts)}


@pytest.mark.django_db
def test_sign_in_page_has_the_exact_content_security_policy():
    response = Client().get(reverse("login"))
    assert csp_directives(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_dashboard_pages_have_the_policy_and_the_other_headers(account, alice):
    response = client_for(alice).get(reverse("moderation:queue"))
    assert csp_directives(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


INLINE = re.compile(r"""<script(?![^>]*\bsrc=)[^>]*>|\sstyle\s*=|\son[a-z]+\s*=|<style[\s>]|javascript:""", re.I)


@pytest.mark.django_db
def test_pages_have_nothing_inline_that_the_policy_would_block(require_2fa, ingest, alice, settings):
    (item,) = ingest("Shut up you absolute clown")
    app_for(alice)
    client = verified_client_for(alice)
    pages = [
        reverse("moderation:queue"),
        reverse("moderation:item", kwargs={"code": item.code}),
        reverse("moderation:audit"),
        reverse("moderation:accounts"),
        reverse("team:members"),
        reverse("team:security"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not INLINE.findall(response.content.decode()), url
    # The set-up page, with its QR code, for someone who hasn't set up an app yet.
    setup = client_for(item.account.memberships.get(role="moderator").user).get(reverse("team:two_step_setup"))
    assert setup.status_code == 200 and not INLINE.findall(setup.content.decode())
    assert not INLINE.findall(Client().get(reverse("login")).content.decode())


def test_check_deploy_finds_no_issues_in_a_production_environment():
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "VIRTUAL_ENV"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "saferpol.settings",
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "saferpol.example",
        }
    )
    assert "SAFERPOL_TESTING" not in env and "SAFERPOL_DEMO" not in env
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "System check identified no issues" in proc.stdout, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stdout + proc.stderr


def test_check_deploy_warns_if_two_step_is_turned_off():
    env = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "saferpol.settings",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "saferpol.example",
            "SAFERPOL_REQUIRE_2FA": "false",
        }
    )
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert "team.W001" in proc.stdout + proc.stderr


def settings_value(env: dict[str, str], expr: str) -> str:
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    code = f"import django; django.setup(); from django.conf import settings; print({expr})"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "saferpol.settings", "SECRET_KEY": "x" * 60, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_two_step_is_required_in_production_and_optional_in_the_demo():
    assert settings_value({}, "settings.SAFERPOL_REQUIRE_2FA") == "True"
    assert settings_value({"SAFERPOL_DEMO": "true"}, "settings.SAFERPOL_REQUIRE_2FA") == "False"
    assert settings_value({"SAFERPOL_TESTING": "1"}, "settings.SAFERPOL_REQUIRE_2FA") == "False"


def test_the_fixed_test_encryption_key_is_only_used_under_testing():
    assert settings_value({}, "repr(settings.SAFERPOL_ENCRYPTION_KEY)") == "''"
    assert settings_value({"SAFERPOL_DEMO": "true"}, "repr(settings.SAFERPOL_ENCRYPTION_KEY)") == "''"
    assert settings_value({"SAFERPOL_TESTING": "1"}, "bool(settings.SAFERPOL_ENCRYPTION_KEY)") == "True"
