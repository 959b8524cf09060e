"""The real thing: PostgreSQL, Redis and a Celery worker process running the tasks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from moderation.models import Action, CampaignAccount, Item
from moderation.services import item_decide
from saferpol.celery import app as celery_app
from tests.conftest import require_service
from tests.factories import THREAT

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("SAFERPOL_TEST_REDIS_URL", "")


def wait_for(predicate, *, timeout: float = 45, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker():
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    require_service(bool(REDIS_URL), "Redis (SAFERPOL_TEST_REDIS_URL)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "SAFERPOL_TESTING": "1",
        "CELERY_TASK_SOFT_TIME_LIMIT": "30",
        "CELERY_TASK_TIME_LIMIT": "40",
    }
    log = open(ROOT / "var" / "test-worker.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "saferpol",
            "worker",
            "-Q",
            "default,ingest,actions,exports,evidence",
            "-P",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
            "-n",
            "test-worker@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    old = {"task_always_eager": celery_app.conf.task_always_eager, "broker_url": celery_app.conf.broker_url}
    celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
    forget_connections()
    try:
        wait_for(lambda: celery_app.control.ping(timeout=1), timeout=60, what="the Celery worker to answer")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        celery_app.conf.update(**old)
        forget_connections()


def forget_connections() -> None:
    """Drop the app's cached broker connections so the new broker URL takes effect."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.__dict__.pop("control", None)


def test_worker_carries_out_a_decision_through_redis(worker, ingest, alice):
    [item] = ingest(THREAT)
    decision = item_decide(item=item, user=alice, kind="hide")  # commits; on_commit queues the task
    action = wait_for(
        lambda: Action.objects.filter(pk=decision.action.pk, status=Action.Status.DONE).first(),
        what="the worker to hide the reply",
    )
    assert action.external_reference == f"demo-hide-{item.external_id}"


def test_worker_retries_a_temporary_failure_until_it_succeeds(worker, ingest, alice, account):
    account.settings["fail_actions"] = "temporary"
    account.save()
    [item] = ingest(THREAT)
    decision = item_decide(item=item, user=alice, kind="mute")
    wait_for(lambda: Action.objects.get(pk=decision.action.pk).attempts >= 1, what="a first attempt")
    account.settings.pop("fail_actions")
    CampaignAccount.objects.filter(pk=account.pk).update(settings=account.settings)
    action = wait_for(
        lambda: Action.objects.filter(pk=decision.action.pk, status=Action.Status.DONE).first(),
        timeout=60,
        what="the retried action to succeed",
    )
    assert action.attempts >= 2


def test_beat_tick_polls_due_accounts_on_the_ingest_queue(worker, account):
    from moderation.tasks import poll_due_accounts

    poll_due_accounts.delay()
    polled = wait_for(
        lambda: CampaignAccount.objects.filter(pk=account.pk, poll_cursor="0").first(),
        what="the demo backlog to be ingested",
    )
    assert polled.last_poll_error == ""
    assert Item.objects.filter(account=account).count() > 50
