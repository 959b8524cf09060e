"""Template helpers for showing platform content, which is hostile input."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html

register = template.Library()

# Links are only made clickable when they point at the platform's own site; anything else a
# platform hands us (profile links, URLs in bios) is shown as text.
PLATFORM_HOSTS = {
    "demo": {"demo.saferpol.invalid"},
    "x": {"x.com", "twitter.com", "www.x.com", "www.twitter.com", "mobile.twitter.com"},
}


@register.simple_tag
def platform_link(url: str, platform: str, label: str = "") -> str:
    text = label or url
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return format_html("<span class='url-text'>{}</span>", text)
    if parts.scheme == "https" and (parts.hostname or "") in PLATFORM_HOSTS.get(platform, set()):
        return format_html("<a href='{}' rel='noopener noreferrer nofollow' target='_blank'>{}</a>", url, text)
    return format_html("<span class='url-text'>{}</span>", text)


SEVERITY_LABELS = {0: "none", 1: "low", 2: "medium", 3: "high", 4: "critical"}


@register.filter
def severity_name(rank: int) -> str:
    return SEVERITY_LABELS.get(rank, "none")


@register.filter
def isodate(value: str | None) -> datetime | None:
    """An ISO 8601 string from a stored snapshot, as a datetime for the date filter."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
