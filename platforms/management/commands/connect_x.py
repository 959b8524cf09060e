"""Connect an X account from an existing OAuth 2.0 user access token (operators, scripted setups)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from platforms.x import XConnectError, x_account_connect, x_lookup_me


class Command(BaseCommand):
    help = "Look the token's account up with GET /2/users/me and connect it for OWNER."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--owner", required=True, help="username of the SaferPol user who will own the account")
        parser.add_argument("--access-token", required=True, help="OAuth 2.0 user-context access token")
        parser.add_argument("--refresh-token", default="", help="refresh token (scope offline.access)")

    def handle(self, *args, **options) -> None:
        username = options["owner"]
        owner = get_user_model().objects.filter(username=username).first()
        if owner is None:
            raise CommandError(f"No SaferPol user called {username!r}: create the user first.")
        if not options["access_token"].strip():
            raise CommandError("--access-token is empty.")
        try:
            user = x_lookup_me(options["access_token"].strip())
            account = x_account_connect(
                owner=owner,
                user=user,
                access_token=options["access_token"].strip(),
                refresh_token=options["refresh_token"].strip(),
            )
        except XConnectError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Connected {account} for {owner.username} (X id {account.external_id}).")
