"""The X connector's tests run the real tweepy client against the local stand-in of X's API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from moderation.models import CampaignAccount, Membership, Role
from platforms.models import PlatformCredential
from platforms.x_standin import XStandin

TOKEN = "alice-access-token"
REFRESH = "alice-refresh-token"


@pytest.fixture
def standin(settings):
    with XStandin() as x:
        settings.X_API_BASE_URL = x.base_url
        yield x


@pytest.fixture
def x_user(standin):
    """Alice's campaign account as X knows it."""
    return standin.add_account("AliceForMillbrook", token=TOKEN, refresh_token=REFRESH, name="Alice Hughes")


@pytest.fixture
def x_account(alice, bob, carol, x_user):
    account = CampaignAccount.objects.create(
        platform="x", handle=x_user["username"], external_id=x_user["id"], owner=alice
    )
    Membership.objects.create(account=account, user=alice, role=Role.OWNER)
    Membership.objects.create(account=account, user=bob, role=Role.MODERATOR)
    Membership.objects.create(account=account, user=carol, role=Role.COMMS)
    PlatformCredential.objects.create(
        account=account, access_token=TOKEN, refresh_token=REFRESH, expires_at=timezone.now() + timedelta(hours=2)
    )
    return account


def stored_tokens(credential: PlatformCredential) -> tuple[str, str]:
    """The tokens exactly as the database holds them."""
    table = PlatformCredential._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT access_token, refresh_token FROM {table} WHERE id = %s", [credential.pk])
        return cursor.fetchone()
