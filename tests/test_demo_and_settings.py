"""The demo loader, the settings read from the environment, and the deployment files."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from moderation.models import CampaignAccount, Item, Membership

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_seed_demo_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode only"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not CampaignAccount.objects.exists()


@pytest.mark.django_db
def test_seed_demo_creates_the_three_logins_and_loads_replies_once(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    loaded = Item.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Item.objects.count() == loaded > 100
    roles = {(m.user.username, m.role) for m in Membership.objects.select_related("user")}
    assert {("councillor", "owner"), ("colleague", "moderator"), ("comms", "comms")} <= roles
    for username in ("councillor", "colleague", "comms"):
        assert authenticate(username=username, password="saferpol-demo") is not None
    assert Item.objects.filter(status="open").count() > 20


def settings_in_subprocess(env: dict[str, str], expr: str) -> str:
    code = f"import django, os; django.setup(); from django.conf import settings; print({expr})"
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SAFERPOL_TESTING", "DEBUG"}}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "saferpol.settings", **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0 or env.get("EXPECT_FAIL"), proc.stderr
    return proc.stdout.strip() or proc.stderr


def test_nothing_set_means_sqlite_and_in_process_tasks():
    out = settings_in_subprocess(
        {"SAFERPOL_DEMO": "true"}, "settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER"
    )
    assert out == "django.db.backends.sqlite3 True"


def test_database_and_redis_urls_switch_to_postgres_and_celery():
    out = settings_in_subprocess(
        {"SAFERPOL_DEMO": "true", "DATABASE_URL": "postgres://u@db:5432/sp", "REDIS_URL": "redis://cache:6379/0"},
        "settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL,"
        " settings.CELERY_TASK_ACKS_LATE, sorted({r['queue'] for r in settings.CELERY_TASK_ROUTES.values()})",
    )
    queues = "['actions', 'evidence', 'exports', 'ingest']"
    assert out == f"django.db.backends.postgresql False redis://cache:6379/0 True {queues}"


def test_production_without_secret_key_refuses_to_start():
    out = settings_in_subprocess({"EXPECT_FAIL": "1", "SECRET_KEY": ""}, "1")
    assert "SECRET_KEY must be set" in out


def test_bad_boolean_is_a_clear_error():
    out = settings_in_subprocess({"EXPECT_FAIL": "1", "DEBUG": "maybe"}, "1")
    assert "DEBUG must be true or false" in out


def test_demo_password_is_never_in_production_settings():
    assert "saferpol-demo" not in (ROOT / "saferpol" / "settings.py").read_text()


def test_docker_compose_parses_and_runs_every_service():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    for name in ("web", "postgres", "redis", "worker"):
        assert "healthcheck" in services[name], name
    assert {"postgres-data", "media"} <= set(compose["volumes"])
    worker = " ".join(services["worker"]["command"])
    assert "-Q" in worker and "ingest" in worker and "actions" in worker


def test_readme_quick_start_is_one_block_of_two_commands():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = section.split("```")
    assert len(blocks) == 3, "exactly one fenced block"
    commands = [line for line in blocks[1].splitlines()[1:] if line.strip()]
    assert commands == ["./bin/run", "./bin/test"]
    assert "./bin/test" in (ROOT / ".ci" / "run").read_text()


def test_a_worker_knows_every_task_and_routes_it_to_a_named_queue():
    from django.conf import settings

    from saferpol.celery import app

    app.loader.import_default_modules()
    ours = {name for name in app.tasks if name.split(".")[0] in ("moderation", "evidence", "platforms", "team")}
    assert {"evidence.pack_tasks.pack_build", "moderation.export_tasks.export_run"} <= ours
    for name in settings.CELERY_TASK_ROUTES:
        assert name in app.tasks, f"routed task {name} is not registered with the worker"
        # A worker imports an app's tasks.py by itself; any other module must be listed.
        module = name.rsplit(".", 1)[0]
        assert module.endswith(".tasks") or module in settings.CELERY_IMPORTS, f"{module} is never imported"
