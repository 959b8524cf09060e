"""Invitations end to end: an owner creates a link, a new person joins with it, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from moderation.models import AuditEvent, Membership, Role
from team.models import Invitation
from team.services import InvitationUnusable, invitation_accept, member_invite
from tests.team.conftest import client_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-42"


def invite_link(client: Client, account, *, role: str = "moderator", note: str = "Sam from the ward") -> str:
    response = client.post(reverse("team:invite", kwargs={"code": account.code}), {"role": role, "note": note})
    assert response.status_code == 200
    return response.context["link"].removeprefix("http://testserver")


def join_as_new_user(link: str, username: str = "sam", password: str = NEW_PASSWORD, client: Client | None = None):
    client = client or Client()
    return client.post(link, {"username": username, "password1": password, "password2": password})


def test_new_person_joins_with_the_link_and_is_asked_to_set_up_two_step(account, alice):
    link = invite_link(client_for(alice), account, role="moderator")

    page = Client().get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert "@AliceForMillbrook" in body and "co-moderator" in body and "Create your login" in body

    client = Client()
    response = join_as_new_user(link, client=client)
    assert response.status_code == 302 and response["Location"] == reverse("team:two_step_setup")
    sam = get_user_model().objects.get(username="sam")
    assert sam.check_password(NEW_PASSWORD)
    assert Membership.objects.get(account=account, user=sam).role == Role.MODERATOR
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == sam and invitation.accepted_at is not None
    assert AuditEvent.objects.filter(verb="member_added", account=account, actor=sam).exists()
    # Signed in as the new person, straight away.
    assert client.get(reverse("team:members")).context["user"] == sam


def test_the_link_works_once(account, alice):
    link = invite_link(client_for(alice), account)
    join_as_new_user(link, "sam")
    again = join_as_new_user(link, "someone_else")
    assert again.status_code == 404
    assert "already been used" in again.content.decode()
    assert not get_user_model().objects.filter(username="someone_else").exists()
    assert Client().get(link).status_code == 404


def test_an_expired_link_is_refused(account, alice):
    link = invite_link(client_for(alice), account)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = join_as_new_user(link)
    assert response.status_code == 404 and "expired" in response.content.decode()
    assert not get_user_model().objects.filter(username="sam").exists()


def test_a_withdrawn_link_is_refused(account, alice):
    client = client_for(alice)
    link = invite_link(client, account)
    client.post(reverse("team:invitation_revoke", kwargs={"code": Invitation.objects.get().code}))
    response = join_as_new_user(link)
    assert response.status_code == 404 and "withdrawn" in response.content.decode()
    assert not Membership.objects.filter(user__username="sam").exists()


def test_a_made_up_link_is_refused():
    response = Client().get(reverse("team:join", kwargs={"secret": "not-a-real-secret"}))
    assert response.status_code == 404 and "invitation link isn&#x27;t valid" in response.content.decode()


def test_a_weak_password_is_refused_with_the_reasons(account, alice):
    link = invite_link(client_for(alice), account)
    response = join_as_new_user(link, password="password")
    assert response.status_code == 400
    body = response.content.decode()
    assert "too short" in body and "too common" in body
    assert not get_user_model().objects.filter(username="sam").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_taken_username_is_refused(account, alice, charlie):
    link = invite_link(client_for(alice), account)
    response = join_as_new_user(link, username="charlie")
    assert response.status_code == 400 and "already exists" in response.content.decode()
    assert not Membership.objects.filter(account=account, user=charlie).exists()


def test_signed_in_person_accepts_with_one_button(account, alice, charlie):
    link = invite_link(client_for(alice), account, role="comms")
    client = client_for(charlie)
    page = client.get(link)
    assert "Accept as charlie" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("team:members")
    assert Membership.objects.get(account=account, user=charlie).role == Role.COMMS


def test_accepting_needs_a_csrf_token(account, alice, charlie):
    link = invite_link(client_for(alice), account)
    assert client_for(charlie, csrf=True).post(link).status_code == 403
    assert Client(enforce_csrf_checks=True).post(link, {"username": "sam"}).status_code == 403
    assert not Membership.objects.filter(account=account, user=charlie).exists()


def test_join_refuses_other_methods(account, alice):
    link = invite_link(client_for(alice), account)
    assert Client().put(link).status_code == 405


def test_an_existing_member_cannot_use_up_an_invitation(account, alice, bob):
    _, secret = member_invite(account=account, role=Role.OWNER, note="for bob?", by=alice)
    with pytest.raises(InvitationUnusable, match="already on"):
        invitation_accept(secret=secret, user=bob)
    assert Membership.objects.get(account=account, user=bob).role == Role.MODERATOR
    assert Invitation.objects.get().accepted_at is None


def test_only_owners_can_invite_even_through_the_service(account, bob):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        member_invite(account=account, role=Role.OWNER, note="me again", by=bob)


def test_an_invitation_from_someone_no_longer_an_owner_is_refused(account, alice, bob):
    Membership.objects.filter(account=account, user=bob).update(role=Role.OWNER)
    _, secret = member_invite(account=account, role=Role.OWNER, note="bob's friend", by=bob)
    Membership.objects.filter(account=account, user=bob).delete()
    response = join_as_new_user(reverse("team:join", kwargs={"secret": secret}))
    assert response.status_code == 404 and "no longer an owner" in response.content.decode()
    assert not get_user_model().objects.filter(username="sam").exists()
