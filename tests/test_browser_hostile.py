"""Script and markup from platforms never run: every page that shows platform content, in Chromium."""

from __future__ import annotations

import os

import pytest
from django.db import connections

from platforms.base import FetchedAuthor, FetchedPost
from tests.conftest import require_service
from tests.factories import PASSWORD, fetched_item
from tests.test_browser import CHROMIUM, FLAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each payload tries to set window.__xss; a page is safe when it stays undefined.
PAYLOADS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    '<svg onload="window.__xss = 3"></svg>',
    '"><script>window.__xss = 4</script>',
    "'><img src=x onerror=window.__xss=5>",
    '<a href="javascript:window.__xss = 6" id="xss-link">click me</a>',
    '<details open ontoggle="window.__xss = 7">x</details>',
    '<iframe srcdoc="<script>parent.__xss = 8</script>"></iframe>',
    '<div hx-get="/queue/" hx-trigger="load" hx-on::after-request="window.__xss = 9">htmx</div>',
    "</textarea><script>window.__xss = 10</script>",
    "{{ 7|add:7 }} {% now 'Y' %} ${7*7}",
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss = 11">',
    "\u202e<b>reversed</b>\u200b",
]
HOSTILE_TEXT = "I will kill you. " + " ".join(PAYLOADS)


@pytest.fixture
def hostile_item(ingest):
    author = FetchedAuthor(
        external_id="hostile-author",
        handle='evil"><script>window.__xss=20</script>',
        display_name='<img src=x onerror="window.__xss = 21">',
        bio='<script>window.__xss = 22</script><a href="javascript:window.__xss=23">bio</a>',
        profile_url="javascript:window.__xss = 24",
    )
    post = FetchedPost(external_id="hostile-post", text='Our post <img src=x onerror="window.__xss = 25">')
    [item] = ingest(fetched_item(HOSTILE_TEXT, author=author, in_reply_to="hostile-post"), posts=[post])
    # A second item by the same author puts the first on the "their other replies" panel.
    ingest(fetched_item(HOSTILE_TEXT + " again", author=author))
    return item


def test_no_page_runs_script_or_markup_from_a_platform(live_server, hostile_item, alice):
    require_service(CHROMIUM.exists(), "Chromium at /usr/bin/chromium")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    pages = [
        "/queue/",
        "/queue/?status=all",
        f"/queue/items/{hostile_item.code}/",
        "/queue/audit/",
        "/queue/accounts/",
    ]
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        page = browser.new_context(base_url=live_server.url).new_page()
        page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.goto("/login/")
        page.fill("#id_username", "alice")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/queue/")
        # A decision with a hostile note puts platform-derived text in the audit log too.
        page.goto(f"/queue/items/{hostile_item.code}/")
        page.fill("#id_note", PAYLOADS[1])
        page.click("#decision-panel button[value=escalate]")
        page.wait_for_selector("#decision-panel >> text=Escalate")
        for url in pages:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            for link in page.locator("#xss-link").all():
                link.click(no_wait_after=True)  # shown as text, so there is nothing to follow
            if page.evaluate("window.__xss") is not None:
                problems.append(f"{url}: window.__xss = {page.evaluate('window.__xss')}")
            if page.locator("img[src=x], iframe[srcdoc], svg[onload], details[ontoggle]").count():
                problems.append(f"{url}: injected element in the page")
        page.goto(f"/queue/items/{hostile_item.code}/")
        assert PAYLOADS[0] in page.locator(".item-text").inner_text()  # shown as text, not run
        browser.close()
    connections.close_all()
    assert problems == []
