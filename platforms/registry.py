"""Which connector serves which platform."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from platforms.base import ActionError, Capability, CapabilityState, Connector, FetchPage, manual, unavailable
from platforms.demo import DemoConnector
from platforms.x import XConnector

if TYPE_CHECKING:
    from moderation.models import Author, CampaignAccount, Item


class ManualConnector(Connector):
    """Channels with no API: items arrive as uploads (a screenshot typed up, an exported chat).

    Nothing is fetched and nothing can be done through SaferPol; reporting is a step the person
    takes in the app or on the site, then records here with the reference they were given.
    """

    platform = "manual"
    where = "on the site or app where it was posted"

    def capabilities(self, account: CampaignAccount) -> dict[Capability, CapabilityState]:
        no_api = f"SaferPol has no connection to this channel: do it {self.where}."
        return {
            Capability.READ: unavailable("Nothing is read automatically: upload a screenshot or an exported chat."),
            Capability.HIDE: unavailable(no_api),
            Capability.MUTE: unavailable(no_api),
            Capability.BLOCK: unavailable(no_api),
            Capability.REPORT: manual(f"Report it {self.where}, then record the reference here.", ""),
            Capability.DELETE: unavailable(no_api),
        }

    def fetch(self, account: CampaignAccount, cursor: str) -> Iterator[FetchPage]:
        yield FetchPage(items=[], cursor=cursor)

    def _refuse(self) -> ActionError:
        return ActionError(f"SaferPol has no connection to this channel: do it {self.where}.")

    def hide(self, account: CampaignAccount, item: Item):
        raise self._refuse()

    def unhide(self, account: CampaignAccount, item: Item):
        raise self._refuse()

    def delete(self, account: CampaignAccount, item: Item):
        raise self._refuse()

    def mute(self, account: CampaignAccount, author: Author):
        raise self._refuse()

    def unmute(self, account: CampaignAccount, author: Author):
        raise self._refuse()

    def block(self, account: CampaignAccount, author: Author):
        raise self._refuse()


class WhatsAppConnector(ManualConnector):
    """WhatsApp has no API for a councillor's chats: exported chats are imported instead."""

    platform = "whatsapp"
    where = "in WhatsApp (press and hold the message, then Report)"


CONNECTORS: dict[str, type[Connector]] = {
    DemoConnector.platform: DemoConnector,
    XConnector.platform: XConnector,
    ManualConnector.platform: ManualConnector,
    WhatsAppConnector.platform: WhatsAppConnector,
}


class UnknownPlatform(LookupError):
    pass


@cache
def connector_for(platform: str) -> Connector:
    try:
        return CONNECTORS[platform]()
    except KeyError:
        raise UnknownPlatform(f"No connector for platform {platform!r}") from None
