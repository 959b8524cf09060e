"""Two-step verification: nobody reaches the dashboard on a password alone (outside the demo)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from moderation.models import AuditEvent
from team.models import ApiToken, RecoveryCode, recovery_code_digest
from tests.factories import PASSWORD
from tests.team.conftest import app_for, client_for, code_now, recovery_codes_for, verified_client_for

pytestmark = pytest.mark.django_db

QUEUE = "/queue/"
SETUP = "/team/two-step/setup/"
VERIFY = "/team/two-step/verify/"


def sign_in(username: str = "alice") -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password step should succeed"
    return client


# --- Forced set-up -----------------------------------------------------------------------


def test_without_an_app_every_page_sends_you_to_set_one_up(require_2fa, account, alice):
    client = sign_in()
    for url in (QUEUE, reverse("moderation:audit"), reverse("team:members"), reverse("team:security"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP + "?next=")


def test_password_sign_in_lands_on_set_up_with_the_queue_as_next(require_2fa, account, alice):
    client = sign_in()
    response = client.get(QUEUE)
    assert response["Location"] == f"{SETUP}?next=%2Fqueue%2F"


def test_set_up_shows_a_qr_code_and_the_key_and_keeps_them_on_reload(require_2fa, alice):
    client = client_for(alice)
    first = client.get(SETUP)
    assert first.status_code == 200
    body = first.content.decode()
    svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    assert "<path" in svg and "style=" not in svg and "<script" not in svg
    device = TOTPDevice.objects.get(user=alice)
    assert not device.confirmed
    key = "".join(first.context["secret_groups"])
    assert len(key) == 32 and " ".join(first.context["secret_groups"]) in body
    second = client.get(SETUP)
    assert "".join(second.context["secret_groups"]) == key
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_set_up_with_a_wrong_code_says_so_and_changes_nothing(require_2fa, alice):
    client = client_for(alice)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 400
    assert "That code didn" in response.content.decode()
    assert not TOTPDevice.objects.get(user=alice).confirmed
    assert client.get(QUEUE)["Location"].startswith(SETUP)


def test_set_up_with_the_right_code_turns_it_on_and_shows_ten_recovery_codes_once(require_2fa, account, alice):
    client = sign_in()
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=alice)
    response = client.post(SETUP, {"code": code_now(device), "next": QUEUE})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    stored = RecoveryCode.objects.filter(device__user=alice).values_list("digest", flat=True)
    assert sorted(stored) == sorted(recovery_code_digest(code) for code in codes)
    assert client.get(QUEUE).status_code == 200
    # Shown once: the Security page tells how many are left, never the codes.
    security = client.get(reverse("team:security")).content.decode()
    assert "10</strong> unused recovery codes" in security and codes[0] not in security
    assert AuditEvent.objects.filter(verb="two_step", actor=alice).count() == 2  # turned on, codes made


def test_with_an_app_set_up_cannot_be_used_to_replace_it(require_2fa, alice):
    app_for(alice)
    client = client_for(alice)
    response = client.get(SETUP + "?next=/queue/")
    assert response.status_code == 302 and response["Location"] == VERIFY + "?next=%2Fqueue%2F"
    assert client.post(SETUP, {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=alice).count() == 1


# --- Verifying a code --------------------------------------------------------------------


def test_with_an_app_every_page_asks_for_the_code(require_2fa, account, alice):
    app_for(alice)
    client = sign_in()
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"] == f"{VERIFY}?next=%2Fqueue%2F"


def test_the_right_code_opens_the_dashboard_with_a_new_session_key(require_2fa, account, alice):
    device = app_for(alice)
    client = sign_in()
    key_before = client.session.session_key
    response = client.post(VERIFY, {"code": code_now(device), "next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert client.session.session_key != key_before
    assert client.get(QUEUE).status_code == 200
    assert client.get(reverse("team:members")).status_code == 200


def test_a_wrong_code_is_refused_and_audited(require_2fa, account, alice):
    app_for(alice)
    client = sign_in()
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 400
    assert "That code didn" in response.content.decode()
    assert client.get(QUEUE)["Location"].startswith(VERIFY)
    event = AuditEvent.objects.filter(verb="login_failed").latest("id")
    assert event.detail == {"username": "alice", "step": "two_step"}


def test_guessing_quickly_is_slowed_down(require_2fa, alice):
    device = app_for(alice)
    client = client_for(alice)
    client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": code_now(device)})
    assert response.status_code == 400
    assert "Too many wrong codes in a row: wait" in response.content.decode()


def test_after_a_wrong_code_the_right_one_still_works(require_2fa, settings, account, alice):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = app_for(alice)
    client = sign_in()
    assert client.post(VERIFY, {"code": "111111"}).status_code == 400
    assert client.post(VERIFY, {"code": code_now(device)}).status_code == 302
    assert client.get(QUEUE).status_code == 200


def test_next_is_never_another_site(require_2fa, alice):
    device = app_for(alice)
    client = client_for(alice)
    response = client.post(VERIFY, {"code": code_now(device), "next": "https://evil.example/phish"})
    assert response["Location"] == QUEUE


def test_a_recovery_code_works_once(require_2fa, account, alice):
    app_for(alice)
    recovery_codes_for(alice, ["abcd2345", "efgh6789"])
    first = sign_in()
    response = first.post(VERIFY, {"code": "ABCD-2345", "next": QUEUE}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == QUEUE
    assert "You used a recovery code; 1 left" in response.content.decode()
    assert AuditEvent.objects.get(verb="two_step").detail == {"recovery_codes_left": 1}

    second = sign_in()
    assert second.post(VERIFY, {"code": "abcd2345"}).status_code == 400
    assert second.get(QUEUE)["Location"].startswith(VERIFY)


def test_htmx_requests_are_redirected_as_a_whole_page(require_2fa, alice):
    app_for(alice)
    response = client_for(alice).get(QUEUE, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(VERIFY)


def test_sign_out_health_check_and_static_files_need_no_second_step(require_2fa, alice):
    app_for(alice)
    client = client_for(alice)
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/saferpol/app.css").status_code == 200
    assert client.get(VERIFY).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert Client().get(QUEUE)["Location"].startswith(reverse("login"))


def test_the_json_api_is_left_to_its_own_token_check(require_2fa, alice):
    app_for(alice)
    client = client_for(alice)
    for url in ("/api/items/", "/api/openapi.json", "/api/no-such-endpoint"):
        response = client.get(url)
        assert VERIFY not in response.get("Location", ""), url
        assert VERIFY not in response.get("HX-Redirect", ""), url


def test_session_pages_under_api_still_need_the_second_step(require_2fa, alice):
    # Making an API token on a password alone would get round the second step for good.
    app_for(alice)
    client = client_for(alice)
    for url in (reverse("api:tokens"), reverse("api:token_create")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
    assert client.post(reverse("api:token_create"), {"name": "sneaky"}).status_code == 302
    assert not ApiToken.objects.exists()


# --- Verified sessions -------------------------------------------------------------------


def test_verified_session_reaches_the_queue(require_2fa, account, alice):
    device = app_for(alice)
    client = sign_in()
    client.post(VERIFY, {"code": code_now(device)})
    response = client.get(QUEUE)
    assert response.status_code == 200 and response.templates[0].name == "moderation/queue.html"


def test_verified_page_asks_nothing_more(require_2fa, account, alice):
    client = verified_client_for(alice)
    assert client.get(QUEUE).status_code == 200
    assert client.get(VERIFY)["Location"] == QUEUE


# --- Demo mode and the tests' default ----------------------------------------------------


def test_demo_mode_does_not_force_set_up(settings, account, alice):
    settings.DEMO_MODE = True
    settings.SAFERPOL_REQUIRE_2FA = False  # what settings.py derives from SAFERPOL_DEMO
    client = sign_in()
    assert client.get(QUEUE).status_code == 200
    page = client.get(reverse("team:security")).content.decode()
    assert "Optional in the demo" in page and reverse("team:two_step_setup") in page
    setup = client.get(SETUP)
    assert setup.status_code == 200 and "skip for now" in setup.content.decode()


def test_demo_mode_still_asks_for_the_code_of_someone_who_set_up_an_app(settings, account, alice):
    settings.DEMO_MODE = True
    settings.SAFERPOL_REQUIRE_2FA = False
    app_for(alice)
    assert sign_in().get(QUEUE)["Location"].startswith(VERIFY)


# --- Security page and new recovery codes ------------------------------------------------


def test_security_page_shows_the_state(require_2fa, alice):
    app_for(alice)
    recovery_codes_for(alice, ["aaaa1111", "bbbb2222"])
    body = verified_client_for(alice).get(reverse("team:security")).content.decode()
    assert "On: after your password" in body and "2</strong> unused recovery codes" in body


def test_new_recovery_codes_replace_the_old_ones(require_2fa, alice):
    recovery_codes_for(alice, ["oldcode1"])
    client = verified_client_for(alice)
    response = client.post(reverse("team:recovery_codes"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    codes = response.context["codes"]
    assert len(codes) == 10 and "Your earlier recovery codes no longer work" in response.content.decode()
    stored = set(RecoveryCode.objects.filter(device__user=alice).values_list("digest", flat=True))
    assert stored == {recovery_code_digest(code) for code in codes}
    assert AuditEvent.objects.filter(verb="two_step", actor=alice).exists()


def test_new_recovery_codes_refuse_get(require_2fa, alice):
    assert verified_client_for(alice).get(reverse("team:recovery_codes")).status_code == 405


def test_new_recovery_codes_need_a_csrf_token(require_2fa, alice):
    recovery_codes_for(alice, ["oldcode1"])
    assert verified_client_for(alice, csrf=True).post(reverse("team:recovery_codes")).status_code == 403
    assert RecoveryCode.objects.get(device__user=alice).digest == recovery_code_digest("oldcode1")


def test_new_recovery_codes_need_the_second_step_first(settings, alice):
    settings.SAFERPOL_REQUIRE_2FA = False  # even where it's optional, an app that's set up must be used
    app_for(alice)
    recovery_codes_for(alice, ["oldcode1"])
    response = client_for(alice).post(reverse("team:recovery_codes"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert RecoveryCode.objects.get(device__user=alice).digest == recovery_code_digest("oldcode1")


def test_new_recovery_codes_without_an_app_explain_what_to_do(settings, alice):
    settings.SAFERPOL_REQUIRE_2FA = False
    response = client_for(alice).post(reverse("team:recovery_codes"), follow=True)
    assert "Set up two-step verification first" in response.content.decode()
    assert not RecoveryCode.objects.exists()
