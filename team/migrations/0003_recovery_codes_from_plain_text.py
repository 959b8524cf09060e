"""Recovery codes made before they were stored hashed: keep them working, and drop the plain text.

Each of django-otp's static devices becomes a recovery code device for the same person, with
the same name, state and throttling, holding the digest of each unused code; then the static
tokens and devices are deleted, so no code is left readable in the database. Someone whose
session was verified with a recovery code enters a code again on their next page.
"""

from django.db import migrations

# The digest the running code verifies against: the same function, not a copy that could drift.
from team.models import recovery_code_digest


def codes_to_digests(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCodeDevice = apps.get_model("team", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("team", "RecoveryCode")
    for static in StaticDevice.objects.order_by("id").iterator():
        device = RecoveryCodeDevice.objects.create(
            user_id=static.user_id,
            name=static.name,
            confirmed=static.confirmed,
            throttling_failure_timestamp=static.throttling_failure_timestamp,
            throttling_failure_count=static.throttling_failure_count,
            last_used_at=static.last_used_at,
        )
        if static.created_at is not None:  # auto_now_add set it to now on create
            RecoveryCodeDevice.objects.filter(pk=device.pk).update(created_at=static.created_at)
        tokens = StaticToken.objects.filter(device_id=static.pk).values_list("token", flat=True)
        RecoveryCode.objects.bulk_create(
            [RecoveryCode(device=device, digest=recovery_code_digest(token)) for token in tokens]
        )
    StaticToken.objects.all().delete()
    StaticDevice.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("team", "0002_recovery_codes_hashed"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        # Going back can't turn digests into codes again: people make new ones from the Security page.
        migrations.RunPython(codes_to_digests, migrations.RunPython.noop),
    ]
