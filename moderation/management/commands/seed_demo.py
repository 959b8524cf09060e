"""Load the demo: three logins, two campaign accounts of a fictional councillor, the claims
register, and the first batch of replies. Safe to run again; refuses outside demo mode."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from moderation.models import CampaignAccount, Membership, Role
from moderation.services import account_poll, claims_register_import
from platforms.demo import load_sample

DEMO_PASSWORD = "saferpol-demo"
DEMO_USERS = (
    ("councillor", "Sam", "Patel", Role.OWNER),
    ("colleague", "Jo", "Okafor", Role.MODERATOR),
    ("comms", "Alex", "Reid", Role.COMMS),
)


class Command(BaseCommand):
    help = "Create the demo logins and accounts and load the demo replies (demo mode only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("The demo logins are for demo mode only: set SAFERPOL_DEMO=true.")
        sample = load_sample()
        with transaction.atomic():
            users = self._users()
            accounts = self._accounts(sample, owner=users["councillor"])
            for account in accounts:
                for username, _, _, role in DEMO_USERS:
                    Membership.objects.update_or_create(account=account, user=users[username], defaults={"role": role})
            claims_register_import(
                claims=sample.get("claims", []),
                domains=sample.get("unreliable_domains", []),
                reason="Listed by the demo team",
            )
        for account in accounts:
            if not account.poll_cursor:
                result = account_poll(account=account)
                self.stdout.write(f"{account}: {result.ingest.created} replies loaded, {result.ingest.flagged} flagged")
        self.stdout.write(self.style.SUCCESS("Demo ready."))

    def _users(self) -> dict:
        User = get_user_model()  # noqa: N806
        users = {}
        for username, first, last, _ in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            if created or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save()
            users[username] = user
        return users

    def _accounts(self, sample: dict, *, owner) -> list[CampaignAccount]:
        accounts = []
        for record in sample["accounts"]:
            account, _ = CampaignAccount.objects.get_or_create(
                platform="demo",
                external_id=record["external_id"],
                defaults={
                    "handle": record["handle"],
                    "display_name": record.get("display_name", ""),
                    "owner": owner,
                    "settings": {"demo_key": record["key"], "profile": record.get("profile", "x")},
                    "poll_interval_seconds": 20,
                },
            )
            accounts.append(account)
        return accounts
