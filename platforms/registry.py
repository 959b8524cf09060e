"""Which connector serves which platform."""

from __future__ import annotations

from functools import cache

from platforms.base import Connector
from platforms.demo import DemoConnector
from platforms.x import XConnector

CONNECTORS: dict[str, type[Connector]] = {
    DemoConnector.platform: DemoConnector,
    XConnector.platform: XConnector,
}


class UnknownPlatform(LookupError):
    pass


@cache
def connector_for(platform: str) -> Connector:
    try:
        return CONNECTORS[platform]()
    except KeyError:
        raise UnknownPlatform(f"No connector for platform {platform!r}") from None
