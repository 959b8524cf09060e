"""The Team page: who works on each account, and the owner's controls over it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from moderation.models import AuditEvent, Membership, Role
from team.models import Invitation, token_digest
from team.services import member_invite
from tests.team.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(account, alice):
    invitation, _ = member_invite(account=account, role=Role.COMMS, note="Dana, press officer", by=alice)
    return invitation


@pytest.fixture
def write_views(account, invitation):
    """Every write view on the Team page: its URL and a valid form."""
    code = account.code
    return {
        "invite": (reverse("team:invite", kwargs={"code": code}), {"role": "moderator", "note": "Sam from the ward"}),
        "invitation_revoke": (reverse("team:invitation_revoke", kwargs={"code": invitation.code}), {}),
        "member_role": (
            reverse("team:member_role", kwargs={"code": membership_code(account, "carol")}),
            {"role": "moderator"},
        ),
        "member_remove": (reverse("team:member_remove", kwargs={"code": membership_code(account, "carol")}), {}),
    }


VIEWS = ["invite", "invitation_revoke", "member_role", "member_remove"]


# --- The page ----------------------------------------------------------------------------


def test_owner_sees_every_member_with_roles_and_the_controls(account, alice):
    response = client_for(alice).get(reverse("team:members"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "@AliceForMillbrook" in body
    for name, role in (("alice", "Owner"), ("bob", "Co-moderator"), ("carol", "Comms officer")):
        assert name in body and role in body
    assert reverse("team:invite", kwargs={"code": account.code}) in body
    assert reverse("team:member_remove", kwargs={"code": membership_code(account, "bob")}) in body


def test_non_owner_sees_the_members_read_only(account, bob):
    body = client_for(bob).get(reverse("team:members")).content.decode()
    assert "alice" in body and "carol" in body
    assert reverse("team:invite", kwargs={"code": account.code}) not in body
    assert "/remove/" not in body and "/role/" not in body
    assert "Only the account's owners can add or remove people." in body


def test_outsider_sees_only_their_own_accounts(account, charlie, charlies_account):
    body = client_for(charlie).get(reverse("team:members")).content.decode()
    assert "@CharlieForEastfield" in body
    assert "AliceForMillbrook" not in body and "bob" not in body


def test_pending_invitations_are_listed_for_owners_only(account, alice, bob, invitation):
    assert "Dana, press officer" in client_for(alice).get(reverse("team:members")).content.decode()
    assert "Dana, press officer" not in client_for(bob).get(reverse("team:members")).content.decode()


def test_anonymous_visitor_is_sent_to_sign_in():
    response = Client().get(reverse("team:members"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_members_page_refuses_post(alice):
    assert client_for(alice).post(reverse("team:members")).status_code == 405


# --- Every write view: method, scope, role, CSRF -----------------------------------------


@pytest.mark.parametrize("view", VIEWS)
def test_write_view_refuses_get(view, write_views, alice):
    url, _ = write_views[view]
    assert client_for(alice).get(url).status_code == 405


@pytest.mark.parametrize("view", VIEWS)
def test_outsider_gets_404(view, write_views, charlie, charlies_account):
    url, data = write_views[view]
    assert client_for(charlie).post(url, data).status_code == 404


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_non_owner_gets_403(view, persona, write_views, request):
    url, data = write_views[view]
    before = (Membership.objects.count(), Invitation.objects.filter(revoked_at__isnull=True).count())
    assert client_for(request.getfixturevalue(persona)).post(url, data).status_code == 403
    assert (Membership.objects.count(), Invitation.objects.filter(revoked_at__isnull=True).count()) == before
    assert Membership.objects.get(user__username="carol").role == Role.COMMS


@pytest.mark.parametrize("view", VIEWS)
def test_missing_csrf_token_is_refused(view, write_views, alice):
    url, data = write_views[view]
    assert client_for(alice, csrf=True).post(url, data).status_code == 403
    assert Membership.objects.get(user__username="carol").role == Role.COMMS


@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_post_is_sent_to_sign_in(view, write_views):
    url, data = write_views[view]
    response = Client().post(url, data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Invite ------------------------------------------------------------------------------


def test_invite_shows_the_link_once_and_stores_only_its_digest(account, alice):
    client = client_for(alice)
    response = client.post(
        reverse("team:invite", kwargs={"code": account.code}), {"role": "moderator", "note": "Sam from the ward"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    link = response.context["link"]
    assert link.startswith("http://testserver/team/join/") and link in response.content.decode()
    secret = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(note="Sam from the ward")
    assert invitation.secret_digest == token_digest(secret) != secret
    assert invitation.role == "moderator" and invitation.created_by == alice
    assert abs(invitation.expires_at - invitation.created_at - timedelta(days=7)) < timedelta(minutes=1)
    assert secret not in client.get(reverse("team:members")).content.decode()
    event = AuditEvent.objects.get(verb="invited")
    assert event.account == account and event.actor == alice and secret not in str(event.detail)


def test_invite_without_a_note_says_what_is_missing(account, alice):
    response = client_for(alice).post(
        reverse("team:invite", kwargs={"code": account.code}), {"role": "moderator", "note": ""}, follow=True
    )
    assert "Who is it for?: This field is required." in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_with_an_unknown_role_is_refused(account, alice):
    response = client_for(alice).post(
        reverse("team:invite", kwargs={"code": account.code}), {"role": "admin", "note": "Sam"}, follow=True
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_revoking_an_invitation_stops_it_and_is_audited(account, alice, invitation):
    response = client_for(alice).post(reverse("team:invitation_revoke", kwargs={"code": invitation.code}), follow=True)
    assert "withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(verb="invitation_revoked", account=account).count() == 1


# --- Roles and removal -------------------------------------------------------------------


def test_owner_changes_a_role(account, alice, carol):
    response = client_for(alice).post(
        reverse("team:member_role", kwargs={"code": membership_code(account, "carol")}), {"role": "moderator"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("team:members")
    assert Membership.objects.get(account=account, user=carol).role == Role.MODERATOR
    event = AuditEvent.objects.get(verb="role_changed")
    assert event.detail == {"username": "carol", "from": "comms", "to": "moderator"} and event.actor == alice


def test_owner_cannot_demote_the_last_owner(account, alice):
    response = client_for(alice).post(
        reverse("team:member_role", kwargs={"code": membership_code(account, "alice")}),
        {"role": "moderator"},
        follow=True,
    )
    assert "alice is the only owner of" in response.content.decode()
    assert Membership.objects.get(account=account, user=alice).role == Role.OWNER
    assert not AuditEvent.objects.filter(verb="role_changed").exists()


def test_owner_cannot_remove_the_last_owner(account, alice):
    response = client_for(alice).post(
        reverse("team:member_remove", kwargs={"code": membership_code(account, "alice")}), follow=True
    )
    assert "make someone else an owner first" in response.content.decode()
    assert Membership.objects.filter(account=account, user=alice).exists()


def test_with_a_second_owner_the_first_can_step_down(account, alice, bob):
    client = client_for(alice)
    client.post(reverse("team:member_role", kwargs={"code": membership_code(account, "bob")}), {"role": "owner"})
    client.post(reverse("team:member_role", kwargs={"code": membership_code(account, "alice")}), {"role": "comms"})
    roles = dict(Membership.objects.filter(account=account).values_list("user__username", "role"))
    assert roles == {"alice": "comms", "bob": "owner", "carol": "comms"}


def test_owner_removes_a_member_who_then_loses_access(account, alice, bob):
    response = client_for(alice).post(
        reverse("team:member_remove", kwargs={"code": membership_code(account, "bob")}), follow=True
    )
    assert "bob removed from" in response.content.decode()
    assert not Membership.objects.filter(account=account, user=bob).exists()
    assert AuditEvent.objects.get(verb="member_removed").detail == {"username": "bob", "role": "moderator"}
    assert "AliceForMillbrook" not in client_for(bob).get(reverse("team:members")).content.decode()


def test_unknown_member_is_404(account, alice, charlie):
    url = reverse("team:member_remove", kwargs={"code": membership_code(account, "charlie")})
    assert client_for(alice).post(url).status_code == 404


def test_unknown_role_is_refused_with_a_message(account, alice):
    response = client_for(alice).post(
        reverse("team:member_role", kwargs={"code": membership_code(account, "carol")}), {"role": "god"}, follow=True
    )
    assert "Select a valid choice" in response.content.decode()
    assert Membership.objects.get(user__username="carol").role == Role.COMMS


def test_owner_of_one_account_cannot_manage_another(account, alice, charlie, charlies_account):
    url = reverse("team:member_remove", kwargs={"code": membership_code(charlies_account, "charlie")})
    assert client_for(alice).post(url).status_code == 404


def membership_code(account, username: str):
    """The opaque code that addresses one person's membership of an account (a random one if none)."""
    membership = Membership.objects.filter(account=account, user__username=username).first()
    return membership.code if membership else uuid.uuid4()
