"""What the export commands share: the account named on the command line, and where the export goes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from moderation.exports import DigestWriter
from moderation.models import CampaignAccount, Platform


def account_by_handle(handle: str) -> CampaignAccount | None:
    """The account named by --account ("handle", "@handle" or "platform:handle"); None when empty."""
    handle = handle.strip()
    if not handle:
        return None
    accounts = CampaignAccount.objects.all()
    platform, _, rest = handle.partition(":")
    if rest and platform in Platform.values:  # "x:handle" picks one when a handle is on two platforms
        accounts, handle = accounts.filter(platform=platform), rest
    handle = handle.lstrip("@")
    matches = list(accounts.filter(handle__iexact=handle))
    if not matches:
        raise CommandError(f"No campaign account with the handle {handle!r}.")
    if len(matches) > 1:
        platforms = ", ".join(sorted(account.platform for account in matches))
        raise CommandError(
            f"The handle {handle!r} is on more than one platform ({platforms}); "
            f"name one as PLATFORM:HANDLE, for example {matches[0].platform}:{handle}."
        )
    return matches[0]


@contextmanager
def digest_output(command: BaseCommand, target: str) -> Iterator[DigestWriter]:
    """A writer to the file `target`, or to standard output for "-", hashing and counting the bytes.

    The last block is flushed when the block ends without an error.
    """
    if target == "-":
        # Decoding each block back to text costs little and keeps call_command(stdout=...) working.
        writer = DigestWriter(lambda data: command.stdout.write(data.decode("utf-8"), ending=""))
        yield writer
        writer.flush()
        command.stdout.flush()
        return
    try:
        handle = open(target, "wb")  # noqa: SIM115 (closed below, after the last block is flushed)
    except OSError as exc:
        raise CommandError(f"Cannot write to {target}: {exc.strerror or exc}") from exc
    with handle:
        writer = DigestWriter(handle.write)
        yield writer
        writer.flush()
