"""Access tokens are refreshed shortly before expiry, through X_API_BASE_URL, and stored encrypted."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from moderation.models import CampaignAccount
from moderation.services import account_poll
from tests.x.conftest import REFRESH, TOKEN, stored_tokens


def expire_soon(account, minutes: int = 2) -> None:
    account.credential.expires_at = timezone.now() + timedelta(minutes=minutes)
    account.credential.save()


def test_token_near_expiry_is_refreshed_and_the_new_one_used(x_account, standin, settings):
    settings.X_CLIENT_ID = "saferpol-client"
    expire_soon(x_account)

    result = account_poll(account=x_account)

    assert result.completed
    [refresh] = standin.requests_to("/2/oauth2/token")
    assert refresh.body == {"grant_type": "refresh_token", "refresh_token": REFRESH, "client_id": "saferpol-client"}
    [mentions] = standin.requests_to(f"/2/users/{x_account.external_id}/mentions")
    assert mentions.bearer == "standin-access-1"
    credential = x_account.credential.__class__.objects.get(account=x_account)
    assert (credential.access_token, credential.refresh_token) == ("standin-access-1", "standin-refresh-1")
    assert timedelta(minutes=119) < credential.expires_at - timezone.now() <= timedelta(hours=2)
    stored_access, stored_refresh = stored_tokens(credential)
    assert "standin-access-1" not in stored_access and "standin-refresh-1" not in stored_refresh


def test_token_far_from_expiry_is_not_refreshed(x_account, standin):
    account_poll(account=x_account)

    assert standin.requests_to("/2/oauth2/token") == []
    assert standin.requests_to(f"/2/users/{x_account.external_id}/mentions")[0].bearer == TOKEN


def test_refused_refresh_marks_the_account_for_reconnection(x_account, standin):
    standin.refresh_tokens.clear()  # the grant was revoked
    expire_soon(x_account)

    result = account_poll(account=x_account)

    assert not result.completed and "reconnect" in result.error
    x_account.refresh_from_db()
    assert x_account.status == CampaignAccount.Status.RECONNECT
    assert x_account.credential.access_token == TOKEN


def test_refresh_server_error_is_temporary(x_account, standin):
    standin.fail("/2/oauth2/token", 503)
    expire_soon(x_account)

    failed = account_poll(account=x_account)
    assert not failed.completed and "couldn't refresh" in failed.error
    x_account.refresh_from_db()
    assert x_account.status == CampaignAccount.Status.CONNECTED

    assert account_poll(account=x_account).completed
