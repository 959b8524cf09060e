"""Who can get in: invitations to an account, personal API tokens and one-time recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from base64 import b32encode

from django.conf import settings
from django.db import models
from django.utils.crypto import salted_hmac
from django_otp.models import Device, ThrottlingMixin, TimestampMixin


def token_digest(token: str) -> str:
    """Tokens and invitation secrets are stored only as this digest."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey("moderation.CampaignAccount", on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20)
    note = models.CharField(max_length=200, blank=True)  # who it is for, as the owner wrote it
    secret_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation to {self.account} as {self.role}"


class ApiToken(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)  # shown in the dashboard so a person can tell tokens apart
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# --- Recovery codes ------------------------------------------------------------------------

# Why a keyed HMAC-SHA256 and not a password hasher: recovery codes are random (40 bits from the
# operating system), not chosen by people, so there is no dictionary to slow down; what stops an
# offline guess is the key, SECRET_KEY, which is not in the database, so a dump of it alone signs
# no one in. A deliberately slow hasher would only matter to someone who holds SECRET_KEY as well
# as the dump, and would cost one slow hash per stored code (up to SAFERPOL_RECOVERY_CODES) on every
# attempt. Django's salted_hmac derives a key for this use only, and SECRET_KEY_FALLBACKS keeps
# codes working across a change of key.
RECOVERY_CODE_KEY_SALT = "saferpol.team.RecoveryCode"


def recovery_code_normal(raw: str) -> str:
    """Codes are forgiving of spaces, dashes and case, as people copy them from paper or phones."""
    return "".join(raw.split()).replace("-", "").lower()


def recovery_code_digest(code: str, *, secret: str | bytes | None = None) -> str:
    """What is stored for a recovery code; `secret` defaults to SECRET_KEY."""
    return salted_hmac(RECOVERY_CODE_KEY_SALT, recovery_code_normal(code), secret, algorithm="sha256").hexdigest()


def random_recovery_code() -> str:
    """Eight characters of base32 (40 random bits), the shape django-otp's static tokens had."""
    return b32encode(secrets.token_bytes(5)).decode().lower()


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A person's one-time recovery codes as a django-otp device, so signing in with one goes
    through django-otp's verify_token, login and is_verified like the authenticator app does.

    Unlike django-otp's static device it stores no code, only each code's keyed digest
    (RecoveryCode), and a code is gone once used.
    """

    def get_throttle_factor(self) -> int:
        # The same back-off as django-otp's static device had: 1, 2, 4, 8... seconds.
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token: str) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        match = self._matching_code(token)
        # Deleted by a conditional delete: of two sign-ins racing with one code, only the one
        # whose delete removes the row gets in.
        if match is None or RecoveryCode.objects.filter(pk=match).delete()[0] == 0:
            self.throttle_increment()
            return False
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def _matching_code(self, token: str) -> int | None:
        """The id of the stored code the token is, compared in constant time against every one."""
        keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        candidates = [recovery_code_digest(token, secret=key) for key in keys]
        match = None
        for pk, digest in self.codes.values_list("pk", "digest"):
            for candidate in candidates:
                # No early exit: the time taken says nothing about how close a guess came.
                if hmac.compare_digest(digest, candidate):
                    match = pk
        return match


class RecoveryCode(models.Model):
    """One unused recovery code, kept only as recovery_code_digest(code)."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"recovery code of {self.device.user}"
