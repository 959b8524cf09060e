"""Poll every connected account once, synchronously (operators, tests, the demo's trickle)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from evidence.tasks import evidence_capture_due
from moderation.models import CampaignAccount
from moderation.services import account_poll, action_run, actions_due
from platforms.base import ActionError


class Command(BaseCommand):
    help = "Fetch new items for every connected account and run them through the rules."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--account", help="only this handle")
        parser.add_argument("--loop", type=float, default=0, help="keep polling, this many seconds apart")

    def handle(self, *args, **options) -> None:
        if options["loop"] < 0:
            raise CommandError("--loop must be a positive number of seconds")
        while True:
            self._poll_once(options["account"])
            self._run_due_actions()
            # Without a broker, beat isn't running: sweep for incomplete evidence here too.
            evidence_capture_due()
            if not options["loop"]:
                return
            time.sleep(options["loop"])

    def _run_due_actions(self) -> None:
        """Without a broker nothing else runs actions that waited for a platform limit."""
        for action_id in actions_due():
            try:
                action = action_run(action_id=action_id)
            except ActionError as exc:
                self.stderr.write(f"action {action_id}: {exc}; will try again")
                continue
            self.stdout.write(f"action {action_id}: {action.status}")

    def _poll_once(self, handle: str | None) -> None:
        accounts = CampaignAccount.objects.filter(status=CampaignAccount.Status.CONNECTED)
        if handle:
            accounts = accounts.filter(handle__iexact=handle.lstrip("@"))
            if not accounts.exists():
                raise CommandError(f"No connected account @{handle.lstrip('@')}")
        for account in accounts:
            result = account_poll(account=account)
            line = (
                f"{account}: {result.ingest.created} new, {result.ingest.flagged} flagged, "
                f"{result.ingest.duplicates} already stored"
            )
            if result.completed:
                self.stdout.write(line)
            else:
                self.stderr.write(f"{line}; stopped early: {result.error}")
