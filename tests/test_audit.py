from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from moderation.models import AuditEvent
from moderation.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_events_cannot_be_edited_or_deleted(alice):
    event = audit_record(verb="login", actor=alice, summary="alice signed in")
    event.summary = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "alice signed in"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgres_refuses_raw_updates_and_deletes_of_the_audit_log(alice):
    event = audit_record(verb="login", actor=alice, summary="alice signed in")
    for sql in ("UPDATE moderation_auditevent SET summary = 'x'", "DELETE FROM moderation_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).summary == "alice signed in"
