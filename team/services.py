"""Writes for the team: memberships, invitations and two-step verification. Each is audited."""

from __future__ import annotations

import secrets
from datetime import timedelta

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from moderation.models import AuditEvent, CampaignAccount, Membership, Role
from moderation.services import audit_record
from team import selectors
from team.models import (
    Invitation,
    RecoveryCode,
    RecoveryCodeDevice,
    random_recovery_code,
    recovery_code_digest,
    recovery_code_normal,
    token_digest,
)

INVITATION_LIFETIME = timedelta(days=7)


class TeamChangeRefused(Exception):
    """A change to the team that would leave it broken (for example without an owner)."""


class InvitationUnusable(Exception):
    """The invitation can't be accepted; the message says why, for the person holding the link."""


class CodeRefused(Exception):
    """A two-step code that didn't verify; the message says what to do next."""


def _role(role: str) -> Role:
    if role not in Role.values:
        raise TeamChangeRefused(f"Unknown role {role!r}: choose one of {', '.join(Role.values)}.")
    return Role(role)


def _require_owner(account: CampaignAccount, by) -> None:
    """Views check this first; repeated here so no caller can skip it."""
    if not Membership.objects.filter(account=account, user=by, role=Role.OWNER).exists():
        raise PermissionDenied("Only the account's owners can manage its members.")


def _owner_count(account: CampaignAccount) -> int:
    # Locked, so two owners demoting each other at once can't both succeed and leave none.
    return len(Membership.objects.select_for_update().filter(account=account, role=Role.OWNER).values_list("pk"))


# --- Memberships -------------------------------------------------------------------------


@transaction.atomic
def member_add(*, account: CampaignAccount, user, role: str, by=None) -> Membership:
    """Add someone to an account, or change their role if they're already on it."""
    role = _role(role)
    if by is not None:
        _require_owner(account, by)
    membership = Membership.objects.select_for_update().filter(account=account, user=user).first()
    if membership is not None:
        return member_set_role(membership=membership, role=role, by=by)
    membership = Membership.objects.create(account=account, user=user, role=role)
    audit_record(
        verb=AuditEvent.Verb.MEMBER_ADDED,
        actor=by,
        account=account,
        obj=account,
        summary=f"{user.username} added to {account} as {role.label.lower()}",
        detail={"username": user.username, "role": role.value},
    )
    return membership


@transaction.atomic
def member_set_role(*, membership: Membership, role: str, by) -> Membership:
    role = _role(role)
    account = membership.account
    if by is not None:
        _require_owner(account, by)
    membership = Membership.objects.select_for_update().select_related("user", "account").get(pk=membership.pk)
    before = membership.role
    if before == role:
        return membership
    if before == Role.OWNER and _owner_count(account) <= 1:
        raise TeamChangeRefused(
            f"{membership.user.username} is the only owner of {account}: make someone else an owner first."
        )
    membership.role = role
    membership.save(update_fields=["role"])
    was = Role(before).label.lower()
    audit_record(
        verb=AuditEvent.Verb.ROLE_CHANGED,
        actor=by,
        account=account,
        obj=account,
        summary=f"{membership.user.username} is now {role.label.lower()} of {account} (was {was})",
        detail={"username": membership.user.username, "from": before, "to": role.value},
    )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, by) -> None:
    account = membership.account
    if by is not None:
        _require_owner(account, by)
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.role == Role.OWNER and _owner_count(account) <= 1:
        raise TeamChangeRefused(
            f"{membership.user.username} is the only owner of {account}: make someone else an owner first."
        )
    username, role = membership.user.username, membership.role
    membership.delete()
    audit_record(
        verb=AuditEvent.Verb.MEMBER_REMOVED,
        actor=by,
        account=account,
        obj=account,
        summary=f"{username} removed from {account}",
        detail={"username": username, "role": role},
    )


# --- Invitations -------------------------------------------------------------------------


@transaction.atomic
def member_invite(*, account: CampaignAccount, role: str, note: str, by) -> tuple[Invitation, str]:
    """A one-time link to join the account. Only the digest is stored: the secret is shown once."""
    role = _role(role)
    _require_owner(account, by)
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        account=account,
        role=role,
        note=note.strip()[:200],
        secret_digest=token_digest(secret),
        created_by=by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    audit_record(
        verb=AuditEvent.Verb.INVITED,
        actor=by,
        account=account,
        obj=invitation,
        summary=f"Invitation to join {account} as {role.label.lower()} for {invitation.note}",
        detail={"role": role.value, "note": invitation.note, "expires_at": invitation.expires_at.isoformat()},
    )
    return invitation, secret


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    _require_owner(invitation.account, by)
    invitation = Invitation.objects.select_for_update().select_related("account").get(pk=invitation.pk)
    if invitation.revoked_at is not None or invitation.accepted_at is not None:
        return invitation  # already out of use; revoking twice changes nothing
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        verb=AuditEvent.Verb.INVITATION_REVOKED,
        actor=by,
        account=invitation.account,
        obj=invitation,
        summary=f"Invitation for {invitation.note} to {invitation.account} withdrawn",
        detail={"role": invitation.role, "note": invitation.note},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, secret: str, user) -> Membership:
    """Join the account the invitation is for. Works once, within 7 days, unless withdrawn."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("account")
        .filter(secret_digest=token_digest(secret))
        .first()
    )
    problem = selectors.invitation_problem(invitation)
    if problem:
        raise InvitationUnusable(problem)
    existing = Membership.objects.filter(account=invitation.account, user=user).first()
    if existing is not None:
        raise InvitationUnusable(
            f"You're already on {invitation.account} as {Role(existing.role).label.lower()}; "
            "the invitation is still unused, so it can go to someone else."
        )
    membership = Membership.objects.create(account=invitation.account, user=user, role=invitation.role)
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    audit_record(
        verb=AuditEvent.Verb.MEMBER_ADDED,
        actor=user,
        account=invitation.account,
        obj=invitation,
        summary=(
            f"{user.username} joined {invitation.account} as {Role(invitation.role).label.lower()} "
            f"by invitation (for {invitation.note})"
        ),
        detail={"username": user.username, "role": invitation.role, "invitation": str(invitation.code)},
    )
    return membership


@transaction.atomic
def invitation_accept_as_new_user(*, secret: str, username: str, password: str) -> Membership:
    """Create the person's login and accept in one step: no login is left behind if accepting fails."""
    # Checked before creating anything; invitation_accept checks again under a lock.
    problem = selectors.invitation_problem(selectors.invitation_for_secret(secret))
    if problem:
        raise InvitationUnusable(problem)
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=username, password=password)
    except IntegrityError:
        raise InvitationUnusable(f"The username {username!r} was just taken: choose another.") from None
    return invitation_accept(secret=secret, user=user)


# --- Two-step verification ---------------------------------------------------------------


def totp_device_for_setup(*, user) -> TOTPDevice:
    """The device being set up: the same one on every visit, so a scanned QR code stays good."""
    device = selectors.totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


# Typed codes, the app's 6 digits as much as recovery codes, forgive spaces, dashes and case.
_code = recovery_code_normal


def _refusal(device: Device) -> str:
    allowed, data = device.verify_is_allowed()
    if not allowed and data and data.get("locked_until"):
        seconds = max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
        return f"Too many wrong codes in a row: wait {seconds} second{'s' if seconds != 1 else ''} and try again."
    return ""


def two_step_confirm(*, user, device: TOTPDevice, code: str, ip_address: str | None = None) -> list[str]:
    """Turn on two-step verification once the person proves their app makes the right codes.

    Not one transaction: a wrong code must leave its throttling count behind, not roll it back.
    Returns the first set of recovery codes.
    """
    refusal = _refusal(device)
    if refusal:
        raise CodeRefused(refusal)
    if not django_otp.verify_token(user, device.persistent_id, _code(code)):
        raise CodeRefused(
            "That code didn't match. Type the 6 digits your app shows now, and check your phone's clock is right."
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()  # one app at a time
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            verb=AuditEvent.Verb.TWO_STEP,
            actor=user,
            summary=f"{user.username} turned on two-step verification",
            detail={"device": device.name},
            ip_address=ip_address,
        )
        return recovery_codes_regenerate(user=user, ip_address=ip_address)


@transaction.atomic
def recovery_codes_regenerate(*, user, ip_address: str | None = None) -> list[str]:
    """A fresh set of one-time recovery codes; the old ones stop working.

    Returned to be shown once: only their keyed digests are stored, so they can't be shown again.
    """
    device, _ = RecoveryCodeDevice.objects.get_or_create(user=user, name="Recovery codes", defaults={"confirmed": True})
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    device.codes.all().delete()
    codes = [random_recovery_code() for _ in range(settings.SAFERPOL_RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, digest=recovery_code_digest(code)) for code in codes])
    audit_record(
        verb=AuditEvent.Verb.TWO_STEP,
        actor=user,
        summary=f"{user.username} made a new set of recovery codes",
        detail={"count": len(codes)},
        ip_address=ip_address,
    )
    return codes


def two_step_verify(*, user, code: str, ip_address: str | None = None) -> Device:
    """The device that accepts this code: the app for 6 digits, otherwise a recovery code.

    Not one transaction, for the same reason as two_step_confirm.
    """
    code = _code(code)
    if code.isdigit() and len(code) == 6:
        device: Device | None = selectors.totp_device(user)
    else:
        device = selectors.recovery_device(user)
    if device is None:
        raise CodeRefused("That code didn't work. Type the 6 digits from your app, or one of your recovery codes.")
    refusal = _refusal(device)
    if refusal:
        raise CodeRefused(refusal)
    matched = django_otp.verify_token(user, device.persistent_id, code)
    if matched is None:
        audit_record(
            verb=AuditEvent.Verb.LOGIN_FAILED,
            summary=f"Wrong two-step code for {user.username!r}",
            detail={"username": user.username, "step": "two_step"},
            ip_address=ip_address,
        )
        raise CodeRefused("That code didn't work. Try again with the code your app shows now, or a recovery code.")
    if isinstance(matched, RecoveryCodeDevice):
        left = matched.codes.count()
        audit_record(
            verb=AuditEvent.Verb.TWO_STEP,
            actor=user,
            summary=f"{user.username} signed in with a recovery code ({left} left)",
            detail={"recovery_codes_left": left},
            ip_address=ip_address,
        )
    return matched
