"""manage.py add_member: the first owner of an account, and support changes to a team."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from moderation.models import AuditEvent, Membership, Role
from tests.factories import make_account

pytestmark = pytest.mark.django_db


def add_member(*args: str) -> str:
    out = io.StringIO()
    call_command("add_member", *args, stdout=out)
    return out.getvalue()


def test_adds_a_user_to_an_account(account, charlie):
    out = add_member("--account", "AliceForMillbrook", "--user", "charlie", "--role", "comms")
    assert "Added charlie to @AliceForMillbrook (Demo) as comms officer." in out
    assert Membership.objects.get(account=account, user=charlie).role == Role.COMMS
    event = AuditEvent.objects.get(verb="member_added")
    assert event.actor is None and event.actor_label == "system" and event.account == account


def test_handle_may_have_an_at_sign_and_any_case(account, charlie):
    add_member("--account", "@alicEFORmillbrook", "--user", "charlie", "--role", "moderator")
    assert Membership.objects.filter(account=account, user=charlie, role=Role.MODERATOR).exists()


def test_existing_member_gets_the_new_role(account, bob):
    out = add_member("--account", "AliceForMillbrook", "--user", "bob", "--role", "owner")
    assert "bob is now owner of" in out and "(was moderator)" in out
    assert Membership.objects.get(account=account, user=bob).role == Role.OWNER
    assert Membership.objects.filter(account=account, user=bob).count() == 1
    assert AuditEvent.objects.get(verb="role_changed").detail["to"] == "owner"


def test_same_role_again_changes_nothing(account, bob):
    out = add_member("--account", "AliceForMillbrook", "--user", "bob", "--role", "moderator")
    assert "nothing changed" in out
    assert not AuditEvent.objects.filter(verb__in=["role_changed", "member_added"]).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--account", "Nobody", "--user", "charlie", "--role", "comms"),
            "No campaign account with the handle 'Nobody'",
        ),
        (("--account", "AliceForMillbrook", "--user", "ghost", "--role", "comms"), "No user called 'ghost'"),
        (("--account", "AliceForMillbrook", "--user", "charlie", "--role", "admin"), "Unknown role 'admin'"),
    ],
)
def test_bad_input_is_a_clear_error(args, message, account, charlie):
    with pytest.raises(CommandError, match=message):
        add_member(*args)
    assert not Membership.objects.filter(user=charlie, account=account).exists()


def test_demoting_the_last_owner_is_a_clear_error(account, alice):
    with pytest.raises(CommandError, match="only owner"):
        add_member("--account", "AliceForMillbrook", "--user", "alice", "--role", "comms")
    assert Membership.objects.get(account=account, user=alice).role == Role.OWNER


def test_a_handle_on_two_platforms_needs_the_platform(account, charlie):
    other = make_account(charlie, handle="AliceForMillbrook-x")
    other.handle = "AliceForMillbrook"
    other.platform = "x"
    other.save()
    with pytest.raises(CommandError, match="More than one account"):
        add_member("--account", "AliceForMillbrook", "--user", "charlie", "--role", "comms")
    add_member("--account", "AliceForMillbrook", "--platform", "demo", "--user", "charlie", "--role", "comms")
    assert Membership.objects.get(account=account, user=charlie).role == Role.COMMS
