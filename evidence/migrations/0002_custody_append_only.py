"""On PostgreSQL the custody log refuses UPDATE and DELETE at the database itself."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION saferpol_custody_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'evidence_custodyevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER custodyevent_append_only
    BEFORE UPDATE OR DELETE ON evidence_custodyevent
    FOR EACH ROW EXECUTE FUNCTION saferpol_custody_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS custodyevent_append_only ON evidence_custodyevent;
DROP FUNCTION IF EXISTS saferpol_custody_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
