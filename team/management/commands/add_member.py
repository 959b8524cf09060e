"""Add someone to a campaign account (or change their role): for the first owner, and for support.

python manage.py add_member --account AliceForMillbrook --user alice --role owner
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from moderation.models import CampaignAccount, Membership, Role
from team.services import TeamChangeRefused, member_add


class Command(BaseCommand):
    help = "Add a user to a campaign account with a role; an existing member gets the new role."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--account", required=True, help="the account's handle, with or without @")
        parser.add_argument("--platform", default="", help="the platform, when the handle is on more than one")
        parser.add_argument("--user", required=True, help="the username")
        parser.add_argument("--role", required=True, help=f"one of: {', '.join(Role.values)}")

    def handle(self, *args, **options) -> None:
        role = options["role"].strip().lower()
        if role not in Role.values:
            raise CommandError(f"Unknown role {options['role']!r}: choose one of {', '.join(Role.values)}.")
        account = self._account(options["account"], options["platform"])
        username = options["user"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}. Create the login first (manage.py createsuperuser).")

        before = Membership.objects.filter(account=account, user=user).values_list("role", flat=True).first()
        try:
            member_add(account=account, user=user, role=role)
        except TeamChangeRefused as exc:
            raise CommandError(str(exc)) from exc
        label = Role(role).label.lower()
        if before is None:
            self.stdout.write(self.style.SUCCESS(f"Added {username} to {account} as {label}."))
        elif before == role:
            self.stdout.write(f"{username} is already {label} of {account}; nothing changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{username} is now {label} of {account} (was {before})."))

    def _account(self, handle: str, platform: str) -> CampaignAccount:
        handle = handle.strip().lstrip("@")
        accounts = CampaignAccount.objects.filter(handle__iexact=handle)
        if platform:
            accounts = accounts.filter(platform=platform)
        found = list(accounts[:10])
        if not found:
            where = f" on {platform}" if platform else ""
            raise CommandError(f"No campaign account with the handle {handle!r}{where}.")
        if len(found) > 1:
            options = ", ".join(f"{a} (--platform {a.platform})" for a in found)
            raise CommandError(f"More than one account has the handle {handle!r}: {options}. Add --platform.")
        return found[0]
