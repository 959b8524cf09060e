"""The background half of large evidence packs: a thin task that calls the pack service.

It runs on the exports queue, beside the log exports, so a pack of thousands of items never
holds up ingest or evidence capture. Without a broker it runs in-process once the request's
transaction commits, like exports do.
"""

from __future__ import annotations

from celery import shared_task

from evidence.pack import pack_run


# A large pack re-hashes every file it copies and draws a long report; minutes, not seconds.
@shared_task(queue="exports", soft_time_limit=3600, time_limit=3660)
def pack_build(pack_id: int) -> str:
    return pack_run(pack_id=pack_id).status
