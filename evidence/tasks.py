"""Thin Celery tasks for evidence, on their own queue so ingest never waits for a capture."""

from __future__ import annotations

from celery import shared_task

from evidence import services, uploads


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


# A chat's import belongs with ingest, never behind evidence capture; it is slower than most
# tasks (about a minute for 50,000 messages), and it records its own failures.
@shared_task(
    queue="ingest", soft_time_limit=uploads.IMPORT_SOFT_TIME_LIMIT, time_limit=uploads.IMPORT_SOFT_TIME_LIMIT + 60
)
def whatsapp_import_run(job: str, artefact_id: int, user_id: int, time_zone: str, date_order: str, anchor: str) -> str:
    """Import the messages of an uploaded WhatsApp chat from its stored file, with progress."""
    progress = uploads.whatsapp_messages_ingest(
        job=job, artefact_id=artefact_id, user_id=user_id, time_zone=time_zone, date_order=date_order, anchor=anchor
    )
    return progress["state"]
