"""The queue-to-decision flow in real headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connections

from moderation.models import AuditEvent, Decision
from tests.conftest import require_service
from tests.factories import CIVIL, PASSWORD, RACIST, RUDE, THREAT, fetched_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> you are a clown'


@pytest.fixture
def page(live_server):
    require_service(CHROMIUM.exists(), "Chromium at /usr/bin/chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        yield page
        browser.close()
        # ORM calls made while Playwright's loop was running used their own connection.
        connections.close_all()


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/queue/")


def test_councillor_decides_from_the_queue_and_sees_it_in_the_audit_log(page, ingest, alice):
    threat, racist, rude, _ = ingest(THREAT, RACIST, fetched_item(HOSTILE), CIVIL)
    sign_in(page, "alice")

    rows = page.locator("#queue-table tbody tr")
    assert rows.count() == 3  # the civil reply is not in the queue
    assert str(threat.code) == rows.first.get_attribute("data-code")
    assert "Rule 2 · threat" in rows.first.inner_text()

    # Keyboard: select the first row (the threat) and escalate it; htmx swaps the results.
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert page.locator("[data-bulk-count]").inner_text() == "Selected: 1"
    page.keyboard.press("e")
    page.wait_for_selector("text=Escalate: recorded for 1 item")
    assert page.locator("#queue-table tbody tr").count() == 3  # escalated items still need a decision
    assert Decision.objects.get(item=threat).kind == "escalate"

    # Open the racist reply and report it from its page with the mouse.
    page.click(f"tr[data-code='{racist.code}'] a.item-link")
    page.wait_for_selector("#decision-panel")
    assert "Why it was flagged" in page.content()
    page.click("#decision-panel button[value=report]")
    page.wait_for_selector("#decision-panel >> text=Report to platform by alice")
    assert "help.twitter.com" in page.locator("#decision-panel").inner_text()

    # The hostile reply was shown as text and nothing in it ran.
    page.goto(f"/queue/items/{rude.code}/")
    assert "<img src=x" in page.locator(".item-text").inner_text()
    assert page.evaluate("window.__pwned") is None

    page.goto("/queue/audit/")
    audit = page.locator(".audit-table").inner_text()
    assert "Escalate on" in audit and "Report to platform on" in audit and "alice signed in" in audit
    assert AuditEvent.objects.filter(verb="decision").count() == 2
    assert page.errors == []


def test_everything_works_without_javascript(live_server, ingest, alice):
    require_service(CHROMIUM.exists(), "Chromium at /usr/bin/chromium")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    [rude] = ingest(RUDE)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        page = browser.new_context(base_url=live_server.url, java_script_enabled=False).new_page()
        sign_in(page, "alice")
        page.check(f"input[value='{rude.code}']")
        page.click(".bulk-bar button[value=mute]")
        page.wait_for_selector("text=Mute author: recorded for 1 item")
        browser.close()
    assert Decision.objects.get(item=rude).action.status == "done"
