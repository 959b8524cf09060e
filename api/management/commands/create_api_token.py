"""Create a personal API token from the command line, for scripts and first setup.

The token is printed once, as the last word of the output, and never stored in the clear.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.tokens import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a person and print it (the only time it is shown)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="Whose token it is; it can do what that person can.")
        parser.add_argument("--name", default="cli", help="What the token is for (default: cli).")

    def handle(self, *args, username: str, name: str, **options) -> None:
        name = name.strip()
        if not name or len(name) > 100 or "\x00" in name:
            raise CommandError("--name must be 1 to 100 characters.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No person with the username {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username} is deactivated: a token for them would not work.")
        token, raw = api_token_create(user=user, name=name, source="command line")
        self.stdout.write(f"Created token '{token.name}' for {user.username}: {raw}")
