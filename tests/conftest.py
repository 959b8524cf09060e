"""Shared personas.

Alice owns the campaign account, Bob is her co-moderator, Carol is her comms officer, and
Charlie is an outsider with an account of his own.
"""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model

from moderation.models import CampaignAccount, Item, Membership, Role
from moderation.services import item_ingest_page
from platforms.base import FetchedItem, FetchPage
from tests.factories import PASSWORD, fetched_item, make_account

CI = os.environ.get("CI") == "true"


def require_service(available: bool, what: str) -> None:
    """Skip when a service is missing on a developer's machine; under CI=true, fail instead."""
    if available:
        return
    if CI:
        pytest.fail(f"{what} is required under CI=true and is not available")
    pytest.skip(f"{what} not available on this machine")


@pytest.fixture
def make_user(db):
    def make(username: str):
        return get_user_model().objects.create_user(username=username, password=PASSWORD)

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def carol(make_user):
    return make_user("carol")


@pytest.fixture
def charlie(make_user):
    return make_user("charlie")


@pytest.fixture
def account(alice, bob, carol):
    account = make_account(alice, handle="AliceForMillbrook")
    Membership.objects.create(account=account, user=bob, role=Role.MODERATOR)
    Membership.objects.create(account=account, user=carol, role=Role.COMMS)
    return account


@pytest.fixture
def charlies_account(charlie):
    return make_account(charlie, handle="CharlieForEastfield")


@pytest.fixture
def ingest(account):
    """Ingest replies into an account and return the stored items, in the order given."""

    def ingest_into(*texts_or_items, target: CampaignAccount | None = None, posts=()):
        target = target or account
        fetched = [t if isinstance(t, FetchedItem) else fetched_item(t) for t in texts_or_items]
        item_ingest_page(account=target, page=FetchPage(items=fetched, posts=list(posts)))
        by_id = {i.external_id: i for i in Item.objects.filter(external_id__in=[f.external_id for f in fetched])}
        return [by_id[f.external_id] for f in fetched]

    return ingest_into
