"""Reads for the team pages. Account-scoped: outsiders get 404, members without the role 403."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from moderation import selectors as moderation_selectors
from moderation.models import CampaignAccount, Membership, Role
from team.models import Invitation, RecoveryCode, RecoveryCodeDevice, token_digest

ROLE_ORDER = {Role.OWNER: 0, Role.MODERATOR: 1, Role.COMMS: 2}


def account_for_user(user, code: str, *, manage: bool = False) -> tuple[CampaignAccount, Membership]:
    """The account and the person's membership; 404 to outsiders, 403 to non-owners when managing."""
    return moderation_selectors.account_for_user(user, code, owners_only_to="manage its members" if manage else "")


def member_for_user(user, code: str) -> Membership:
    """A membership of an account the person owns; 404 when it isn't there or they're an outsider."""
    membership = Membership.objects.select_related("user", "account").filter(code=code).first()
    if membership is None:
        raise Http404("No such member")
    account_for_user(user, membership.account.code, manage=True)
    return membership


def invitation_for_user(user, code: str) -> Invitation:
    """An invitation to an account the person owns."""
    invitation = Invitation.objects.select_related("account").filter(code=code).first()
    if invitation is None:
        raise Http404("No such invitation")
    account_for_user(user, invitation.account.code, manage=True)
    return invitation


def pending_invitations(account: CampaignAccount) -> QuerySet[Invitation]:
    return (
        account.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("created_by")
        .order_by("-created_at")
    )


@dataclass
class AccountTeam:
    account: CampaignAccount
    my_membership: Membership
    members: list[Membership]
    invitations: list[Invitation] = field(default_factory=list)

    @property
    def can_manage(self) -> bool:
        return self.my_membership.role == Role.OWNER


def teams_for_user(user) -> list[AccountTeam]:
    """Every account the person belongs to, with its members; owners also get pending invitations."""
    mine = (
        Membership.objects.filter(user=user).select_related("account").order_by("account__platform", "account__handle")
    )
    teams = []
    for membership in mine:
        members = sorted(
            membership.account.memberships.select_related("user"),
            key=lambda m: (ROLE_ORDER.get(m.role, 9), m.user.username.lower()),
        )
        team = AccountTeam(account=membership.account, my_membership=membership, members=members)
        if team.can_manage:
            team.invitations = list(pending_invitations(membership.account))
            for invitation in team.invitations:
                invitation.role_label = Role(invitation.role).label
        teams.append(team)
    return teams


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why an invitation can't be used, in words for the person holding the link; None if it can."""
    if invitation is None:
        return "This invitation link isn't valid. Check you copied all of it, or ask for a new one."
    if invitation.revoked_at is not None:
        return "This invitation was withdrawn. Ask the account's owner for a new one."
    if invitation.accepted_at is not None:
        return "This invitation has already been used. Each link works once; ask for a new one."
    if invitation.expires_at <= timezone.now():
        return "This invitation has expired (links last 7 days). Ask the account's owner for a new one."
    if not Membership.objects.filter(
        account_id=invitation.account_id, user_id=invitation.created_by_id, role=Role.OWNER
    ).exists():
        # Someone removed from the team (or no longer an owner) can't still let people in.
        return "This invitation is no longer valid: whoever made it is no longer an owner. Ask for a new one."
    return None


def invitation_for_secret(secret: str) -> Invitation | None:
    return Invitation.objects.select_related("account", "created_by").filter(secret_digest=token_digest(secret)).first()


# --- Two-step verification ---------------------------------------------------------------


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()


def has_two_step(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_device(user) -> RecoveryCodeDevice | None:
    return RecoveryCodeDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()
