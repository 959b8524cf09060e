"""Sign-ins and sign-outs go to the audit log, failures included."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from moderation.models import AuditEvent
from moderation.services import audit_record
from saferpol.client_address import client_ip


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(verb=AuditEvent.Verb.LOGIN, actor=user, summary=f"{user.username} signed in", ip_address=_ip(request))


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(
            verb=AuditEvent.Verb.LOGOUT, actor=user, summary=f"{user.username} signed out", ip_address=_ip(request)
        )


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        verb=AuditEvent.Verb.LOGIN_FAILED,
        summary=f"Failed sign-in for {username!r}",
        detail={"username": username},
        ip_address=_ip(request),
    )
