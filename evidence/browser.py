"""A real headless-Chromium screenshot of a public page (a post, a profile).

Debian's Chromium at /usr/bin/chromium, driven by Playwright; no browser is ever downloaded.
Only pages on the platform's own hosts are visited, so data from a platform can't point the
capture at anything else (an internal address, a tracking site). A page that doesn't load in
time raises ScreenshotFailed with the reason, for the caller to record and retry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path(os.environ.get("SAFERPOL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOOL = "chromium-playwright"


class ScreenshotFailed(OSError):
    """The page could not be captured; the message says why. An I/O failure: worth a retry."""


@dataclass(frozen=True)
class Screenshot:
    png: bytes
    final_url: str
    title: str
    tool_version: str  # "<chromium version>; playwright <version>"


def check_url(url: str, allowed_hosts: frozenset[str]) -> None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    loopback = host in {"127.0.0.1", "localhost", "::1"}
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise ScreenshotFailed(f"Only https pages are captured, not {parts.scheme or 'this'} URLs.")
    if host not in allowed_hosts:
        raise ScreenshotFailed(f"{host or 'That address'} is not one of the platform's own sites.")


def screenshot_url(url: str, *, allowed_hosts: frozenset[str], timeout_ms: int = 20_000) -> Screenshot:
    check_url(url, allowed_hosts)
    if not CHROMIUM.exists():
        raise ScreenshotFailed(f"No Chromium at {CHROMIUM}.")
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
            try:
                context = browser.new_context(
                    viewport={"width": 1200, "height": 1600}, java_script_enabled=True, accept_downloads=False
                )
                page = context.new_page()
                response = page.goto(url, wait_until="load", timeout=timeout_ms)
                if response is None or response.status >= 400:
                    status = response.status if response is not None else "no answer"
                    raise ScreenshotFailed(f"The page answered {status}.")
                check_url(page.url, allowed_hosts)  # a redirect elsewhere is not this page
                png = page.screenshot(full_page=True, timeout=timeout_ms)
                version = f"{browser.version}; playwright {_playwright_version()}"
                return Screenshot(png=png, final_url=page.url, title=page.title(), tool_version=version)
            finally:
                browser.close()
    except PlaywrightError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ScreenshotFailed(f"The page did not load: {first_line}") from exc


def _playwright_version() -> str:
    from importlib.metadata import version

    return version("playwright")
