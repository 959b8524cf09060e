from __future__ import annotations

import io
import socket

import pytest
from django.core.management import CommandError, call_command

from moderation.models import CampaignAccount, Membership, Role
from platforms.models import PlatformCredential
from tests.x.conftest import REFRESH, TOKEN, stored_tokens


def test_connect_x_creates_the_account_owner_membership_and_encrypted_credential(alice, standin, x_user):
    call_command("connect_x", owner="alice", access_token=TOKEN, refresh_token=REFRESH)

    account = CampaignAccount.objects.get(platform="x")
    assert (account.handle, account.external_id, account.owner) == ("AliceForMillbrook", x_user["id"], alice)
    assert account.display_name == "Alice Hughes"
    assert Membership.objects.get(account=account, user=alice).role == Role.OWNER
    credential = PlatformCredential.objects.get(account=account)
    assert (credential.access_token, credential.refresh_token) == (TOKEN, REFRESH)
    assert credential.expires_at is not None
    stored_access, stored_refresh = stored_tokens(credential)
    assert TOKEN not in stored_access and REFRESH not in stored_refresh  # ciphertext at rest
    lookups = standin.requests_to("/2/users/me")
    assert [r.bearer for r in lookups] == [TOKEN]


def test_connect_x_again_updates_the_same_account_and_token(alice, standin, x_user):
    call_command("connect_x", owner="alice", access_token=TOKEN)
    standin.tokens["second-token"] = x_user["id"]
    call_command("connect_x", owner="alice", access_token="second-token")

    account = CampaignAccount.objects.get(platform="x")
    assert account.credential.access_token == "second-token"
    assert Membership.objects.filter(account=account).count() == 1


def test_connect_x_reconnects_an_account_marked_for_reconnection(alice, standin, x_user):
    call_command("connect_x", owner="alice", access_token=TOKEN)
    CampaignAccount.objects.update(status=CampaignAccount.Status.RECONNECT)
    call_command("connect_x", owner="alice", access_token=TOKEN)
    assert CampaignAccount.objects.get().status == CampaignAccount.Status.CONNECTED


def test_connect_x_unknown_owner_is_a_clear_error(db, standin, x_user):
    with pytest.raises(CommandError, match="No SaferPol user called 'nobody'"):
        call_command("connect_x", owner="nobody", access_token=TOKEN)
    assert not CampaignAccount.objects.exists()


def test_connect_x_bad_token_is_a_clear_error(alice, standin, x_user):
    with pytest.raises(CommandError, match="rejected the access token"):
        call_command("connect_x", owner="alice", access_token="not-a-token")
    assert not CampaignAccount.objects.exists()


def test_connect_x_server_error_is_a_clear_error(alice, standin, x_user):
    standin.fail("/2/users/me", 503)
    with pytest.raises(CommandError, match="X refused the lookup: 503"):
        call_command("connect_x", owner="alice", access_token=TOKEN)


def test_connect_x_network_failure_is_a_clear_error(alice, settings):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.X_API_BASE_URL = f"http://127.0.0.1:{port}"
    with pytest.raises(CommandError, match="Couldn't reach X"):
        call_command("connect_x", owner="alice", access_token=TOKEN)


def test_connect_x_refuses_an_account_another_owner_connected(alice, charlie, standin, x_user):
    call_command("connect_x", owner="charlie", access_token=TOKEN)
    with pytest.raises(CommandError, match="already connected by another owner"):
        call_command("connect_x", owner="alice", access_token=TOKEN)
    assert CampaignAccount.objects.get().owner == charlie


def test_connecting_is_an_audit_event(x_user, alice):
    from moderation.models import AuditEvent

    call_command("connect_x", owner="alice", access_token=TOKEN, stdout=io.StringIO())
    event = AuditEvent.objects.get(verb="account_connected")
    assert event.actor == alice and event.account.platform == "x"
