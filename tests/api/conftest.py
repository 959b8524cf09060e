"""API personas: each person gets a bearer token on demand."""

from __future__ import annotations

import pytest
from django.test import Client

from api.tokens import api_token_create
from tests.factories import CIVIL, RACIST, RUDE, THREAT


@pytest.fixture
def token_for(db):
    """A fresh raw token for a person."""

    def make(user, name: str = "test") -> str:
        return api_token_create(user=user, name=name)[1]

    return make


class ApiClient:
    """A test client that sends a bearer token and JSON, never a session cookie."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, url: str, **params):
        return self.client.get(url, params, headers=self.headers)

    def post(self, url: str, data=None, *, raw: str | bytes | None = None, content_type: str = "application/json"):
        body = raw if raw is not None else data
        return self.client.post(url, body, content_type=content_type, headers=self.headers)

    def request(self, method: str, url: str):
        return getattr(self.client, method.lower())(url, headers=self.headers)


@pytest.fixture
def api_as(token_for):
    def make(user) -> ApiClient:
        return ApiClient(token_for(user))

    return make


@pytest.fixture
def anonymous():
    return ApiClient(None)


@pytest.fixture
def items(ingest):
    threat, racist, rude, civil = ingest(THREAT, RACIST, RUDE, CIVIL)
    return {"threat": threat, "racist": racist, "rude": rude, "civil": civil}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas are created per test with real password hashing; these tests never sign in by password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
