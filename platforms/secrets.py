"""Encryption at rest for platform tokens: a model field that stores only ciphertext.

The key comes from SAFERPOL_ENCRYPTION_KEY (one or more comma-separated Fernet keys, newest
first, so keys can be rotated). Without it the field refuses to store anything.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class SecretUnreadable(Exception):
    """The stored ciphertext can't be decrypted with the configured keys."""


@cache
def _fernet(keys: str) -> MultiFernet:
    parts = [key.strip() for key in keys.split(",") if key.strip()]
    if not parts:
        raise ImproperlyConfigured("SAFERPOL_ENCRYPTION_KEY must be set to store platform tokens")
    try:
        return MultiFernet([Fernet(key.encode()) for key in parts])
    except ValueError as exc:
        raise ImproperlyConfigured("SAFERPOL_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes)") from exc


def encrypt(plaintext: str) -> str:
    return _fernet(settings.SAFERPOL_ENCRYPTION_KEY).encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet(settings.SAFERPOL_ENCRYPTION_KEY).decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("A stored platform token can't be decrypted with the configured key") from exc


class EncryptedTextField(models.TextField):
    """Plain text in Python, Fernet ciphertext in the database."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)
