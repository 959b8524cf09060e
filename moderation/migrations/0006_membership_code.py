"""Memberships get an opaque code for their URLs; existing rows each get their own."""

import uuid

from django.db import migrations, models


def fill_codes(apps, schema_editor):
    Membership = apps.get_model("moderation", "Membership")
    for membership in Membership.objects.filter(code__isnull=True).only("pk"):
        membership.code = uuid.uuid4()
        membership.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("moderation", "0005_export_index")]

    operations = [
        migrations.AddField(model_name="membership", name="code", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="membership",
            name="code",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
