"""Real Chromium screenshots of pages served on loopback."""

from __future__ import annotations

import dataclasses
import io
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from evidence.browser import CHROMIUM, ScreenshotFailed, check_url, screenshot_url
from tests.conftest import require_service

pytestmark = pytest.mark.browser
HOSTS = frozenset({"127.0.0.1"})


class Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/gone":
            body = b"<!doctype html><title>Not found</title><p>This account doesn't exist"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path == "/away":
            self.send_response(302)
            self.send_header("Location", "http://localhost:1/elsewhere")
            self.end_headers()
            return
        body = b"<!doctype html><title>@troll_99 on X</title><h1>I know where you live</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site():
    require_service(CHROMIUM.exists(), "Chromium at /usr/bin/chromium")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_public_page_is_captured_as_a_png(site):
    shot = screenshot_url(f"{site}/post/1", allowed_hosts=HOSTS)
    image = Image.open(io.BytesIO(shot.png))
    assert image.format == "PNG" and image.width == 1200
    assert shot.title == "@troll_99 on X"
    assert "playwright" in shot.tool_version


def test_a_page_that_does_not_load_in_time_is_a_clear_failure(site):
    with pytest.raises(ScreenshotFailed, match="did not load"):
        screenshot_url(f"{site}/slow", allowed_hosts=HOSTS, timeout_ms=1000)


def test_an_error_page_is_not_evidence(site):
    with pytest.raises(ScreenshotFailed, match="answered 404"):
        screenshot_url(f"{site}/gone", allowed_hosts=HOSTS)


def test_a_redirect_off_the_platform_is_refused(site):
    with pytest.raises(ScreenshotFailed):
        screenshot_url(f"{site}/away", allowed_hosts=HOSTS)


@pytest.mark.parametrize(
    "url",
    [
        "http://x.com/a",
        "https://169.254.169.254/latest",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://evil.example/",
    ],
)
def test_only_the_platforms_own_https_pages_are_visited(url):
    with pytest.raises(ScreenshotFailed):
        check_url(url, frozenset({"x.com"}))


@pytest.mark.django_db
def test_flagged_items_get_screenshots_of_their_public_pages_and_failures_are_recorded(
    site, ingest, settings, tmp_path, django_capture_on_commit_callbacks
):
    from evidence.models import Artefact
    from evidence.services import evidence_verify
    from platforms.base import FetchedAuthor
    from tests.factories import THREAT, fetched_item

    settings.MEDIA_ROOT = tmp_path
    settings.SAFERPOL_EVIDENCE_SCREENSHOTS = True
    settings.SAFERPOL_SCREENSHOT_HOSTS = {"demo": ["127.0.0.1"]}
    author = FetchedAuthor(external_id="t99", handle="troll_99", profile_url=f"{site}/gone")
    reply = dataclasses.replace(fetched_item(THREAT, author=author), url=f"{site}/post/1")
    with django_capture_on_commit_callbacks(execute=True):
        [item] = ingest(reply)
    post_shot = Artefact.objects.get(item=item, kind="post_screenshot")
    assert post_shot.status == "captured" and post_shot.tool == "chromium-playwright"
    profile_shot = Artefact.objects.get(item=item, kind="profile_screenshot")
    assert profile_shot.status == "failed" and "404" in profile_shot.error
    assert Artefact.objects.filter(item=item, status="captured").count() == 5  # payloads, pictures, one page
    assert evidence_verify() == []
