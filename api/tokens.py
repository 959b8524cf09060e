"""Personal API tokens: created, checked and revoked here, stored only as a digest.

The raw token is shown to its owner once, at creation; afterwards only the digest (to check a
token) and a short prefix (so a person can tell their tokens apart) remain in the database.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from moderation.models import AuditEvent
from moderation.services import audit_record
from team.models import ApiToken, token_digest

TOKEN_PREFIX = "spol_"
DISPLAY_PREFIX_LENGTH = 12
# A real token is 48 characters; anything far longer is not worth hashing.
MAX_TOKEN_LENGTH = 200
# Recording every use would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_tokens_for_user(user) -> QuerySet[ApiToken]:
    """The person's own tokens, live ones first, newest first."""
    return ApiToken.objects.filter(user=user).order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-id")


@transaction.atomic
def api_token_create(*, user, name: str, ip_address: str | None = None, source: str = "") -> tuple[ApiToken, str]:
    """A new token for the person; returns the stored row and the raw token to show once.

    `source` says where it was made ("dashboard", "command line") for the audit log, since a
    token made on the command line was made by an administrator, not by the person.
    """
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=raw[:DISPLAY_PREFIX_LENGTH], digest=token_digest(raw)
    )
    audit_record(
        verb=AuditEvent.Verb.TOKEN_CREATED,
        actor=user,
        obj=token,
        summary=f"API token '{token.name}' ({token.prefix}…) created",
        detail={"token": str(token.code), "name": token.name, "prefix": token.prefix, "source": source},
        ip_address=ip_address,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by, ip_address: str | None = None) -> ApiToken:
    """Revoke a token; revoking one twice keeps the first time. Only its owner (or a superuser) may."""
    if token.user_id != by.pk and not by.is_superuser:
        raise PermissionDenied("Only the token's owner can revoke it.")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        verb=AuditEvent.Verb.TOKEN_REVOKED,
        actor=by,
        obj=token,
        summary=f"API token '{token.name}' ({token.prefix}…) revoked",
        detail={"token": str(token.code), "name": token.name, "prefix": token.prefix, "owner": token.user.username},
        ip_address=ip_address,
    )
    return token


def api_token_authenticate(raw: str | None) -> AbstractBaseUser | None:
    """The active person a live token belongs to, or None for anything else."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    try:
        digest = token_digest(raw)
    except UnicodeEncodeError:  # not text a token could contain
        return None
    # A lookup by digest: the raw token is never compared character by character.
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional, so concurrent requests write at most once a minute between them.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return token.user
