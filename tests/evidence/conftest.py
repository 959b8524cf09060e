"""Evidence fixtures: a private MEDIA_ROOT per test and a flagged item from the shared personas."""

from __future__ import annotations

import contextlib

import pytest
from django.db import connection

from tests.factories import CIVIL, THREAT


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def flagged(ingest, media):
    (item,) = ingest(THREAT)
    assert item.status != "clear"
    return item


@pytest.fixture
def clear(ingest, media):
    (item,) = ingest(CIVIL)
    assert item.status == "clear"
    return item


@contextlib.contextmanager
def custody_trigger_off():
    """Let a test tamper with the custody log behind the model's back.

    On PostgreSQL the append-only trigger would refuse the raw edit (which has its own test), so
    it is dropped inside the test's transaction; the rollback at the end of the test restores it.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS custodyevent_append_only ON evidence_custodyevent")
    yield
