"""Thin Celery tasks for evidence, on their own queue so ingest never waits for a capture."""

from __future__ import annotations

from celery import shared_task

from evidence import services


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=30, retry_jitter=True, max_retries=5)
def evidence_capture(self, item_id: int) -> int:
    """Capture a flagged item's payloads, draw its pictures from them, then screenshot its pages.

    A failed write is recorded, then retried with backoff; kinds already stored are kept.
    """
    captured = services.evidence_capture(item_id=item_id)
    rendered = services.evidence_render(item_id=item_id)
    return len(captured) + len(rendered) + len(services.evidence_screenshot(item_id=item_id))


@shared_task
def evidence_capture_due() -> int:
    """The sweep: capture flagged items whose evidence is still incomplete."""
    due = services.evidence_items_due()
    for item_id in due:
        evidence_capture.delay(item_id)
    return len(due)
