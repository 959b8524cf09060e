"""The background half of dashboard exports: thin tasks that call the export services.

Route it to its own queue so a 100,000-item export never holds up ingest or actions:
CELERY_TASK_ROUTES["moderation.export_tasks.export_run"] = {"queue": "exports"}.
"""

from __future__ import annotations

from celery import shared_task

from moderation.exports import export_file_run
from moderation.retention import export_files_prune


# Large exports take minutes, not the default two; the service records failures itself.
@shared_task(soft_time_limit=3600, time_limit=3660)
def export_run(export_id: int) -> str:
    return export_file_run(export_id=export_id).status


# Daily, on the beat schedule: the files of exports and evidence packs past their retention period,
# and those left unfinished by a worker that died (marked failed, their partial files deleted).
@shared_task
def exports_prune() -> int:
    result = export_files_prune()
    return (
        len(result.exports)
        + len(result.packs)
        + len(result.stuck_exports)
        + len(result.stuck_packs)
        + len(result.partial_files)
    )
