"""Platform tokens at rest: only Fernet ciphertext reaches the database."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from platforms import secrets
from platforms.models import PlatformCredential

pytestmark = pytest.mark.django_db

TOKEN = "x-access-token-AAAA1111bbbb2222"
REFRESH = "x-refresh-token-CCCC3333"


def raw_columns(credential: PlatformCredential) -> tuple[str, str]:
    table = PlatformCredential._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT access_token, refresh_token FROM {table} WHERE id = %s", [credential.pk])
        return cursor.fetchone()


@pytest.fixture
def key(settings):
    settings.SAFERPOL_ENCRYPTION_KEY = Fernet.generate_key().decode()
    return settings.SAFERPOL_ENCRYPTION_KEY


def test_the_database_column_never_holds_the_token(key, account):
    credential = PlatformCredential.objects.create(account=account, access_token=TOKEN, refresh_token=REFRESH)
    access, refresh = raw_columns(credential)
    assert TOKEN not in access and REFRESH not in refresh
    assert access.startswith("gAAAA")  # a Fernet token
    assert Fernet(key.encode()).decrypt(access.encode()).decode() == TOKEN


def test_the_token_round_trips(key, account):
    PlatformCredential.objects.create(account=account, access_token=TOKEN, refresh_token="")
    credential = PlatformCredential.objects.get(account=account)
    assert credential.access_token == TOKEN and credential.refresh_token == ""


def test_an_update_is_encrypted_too(key, account):
    credential = PlatformCredential.objects.create(account=account, access_token=TOKEN)
    PlatformCredential.objects.filter(pk=credential.pk).update(access_token="rotated-token-9999")
    assert "rotated-token-9999" not in raw_columns(credential)[0]
    assert PlatformCredential.objects.get(pk=credential.pk).access_token == "rotated-token-9999"


def test_a_wrong_key_is_a_clear_error(key, account, settings):
    PlatformCredential.objects.create(account=account, access_token=TOKEN)
    settings.SAFERPOL_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(secrets.SecretUnreadable, match="can't be decrypted"):
        PlatformCredential.objects.get(account=account)


def test_without_a_key_nothing_is_stored(settings, account):
    settings.SAFERPOL_ENCRYPTION_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="SAFERPOL_ENCRYPTION_KEY must be set"), transaction.atomic():
        PlatformCredential.objects.create(account=account, access_token=TOKEN)
    assert not PlatformCredential.objects.exists()


def test_a_malformed_key_is_a_clear_error(settings, account):
    settings.SAFERPOL_ENCRYPTION_KEY = "not-a-fernet-key"
    with pytest.raises(ImproperlyConfigured, match="must be Fernet keys"):
        PlatformCredential.objects.create(account=account, access_token=TOKEN)


def test_key_rotation_still_reads_rows_written_with_the_old_key(settings, account, charlies_account):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SAFERPOL_ENCRYPTION_KEY = old
    PlatformCredential.objects.create(account=account, access_token=TOKEN)

    settings.SAFERPOL_ENCRYPTION_KEY = f"{new},{old}"  # newest first
    assert PlatformCredential.objects.get(account=account).access_token == TOKEN
    fresh = PlatformCredential.objects.create(account=charlies_account, access_token="written-after-rotation")
    # New rows use the new key: they read with it alone once the old key is retired.
    settings.SAFERPOL_ENCRYPTION_KEY = new
    assert PlatformCredential.objects.get(pk=fresh.pk).access_token == "written-after-rotation"
    with pytest.raises(secrets.SecretUnreadable):
        PlatformCredential.objects.get(account=account)


def test_the_test_suite_has_a_key_by_default():
    from django.conf import settings

    assert settings.SAFERPOL_ENCRYPTION_KEY
    assert secrets.decrypt(secrets.encrypt("round trip")) == "round trip"
