"""Recovery codes are kept only as keyed digests: a copy of the database signs no one in.

Alice has two-step verification with recovery codes; Bob, her co-moderator, has his own.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from team import selectors, services
from team.models import RecoveryCode, RecoveryCodeDevice
from tests.team.conftest import app_for, recovery_codes_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_slow_down(settings):
    # The back-off after a wrong code has its own test in test_two_step; here each try is judged alone.
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def sign_in_with(user, code: str):
    return services.two_step_verify(user=user, code=code)


def test_every_new_code_works_once(alice):
    app_for(alice)
    codes = services.recovery_codes_regenerate(user=alice)
    assert len(codes) == 10 and len(set(codes)) == 10
    for used, code in enumerate(codes, start=1):
        assert isinstance(sign_in_with(alice, code), RecoveryCodeDevice)
        assert selectors.recovery_codes_left(alice) == 10 - used
        with pytest.raises(services.CodeRefused):
            sign_in_with(alice, code)


def test_a_code_is_forgiving_of_dashes_spaces_and_capitals(alice):
    recovery_codes_for(alice, ["abcd2345"])
    assert sign_in_with(alice, " ABCD-2345 ")


def test_a_wrong_code_is_refused_and_slows_the_next_try(settings, alice):
    settings.OTP_STATIC_THROTTLE_FACTOR = 1
    recovery_codes_for(alice, ["abcd2345"])
    with pytest.raises(services.CodeRefused, match="didn't work"):
        sign_in_with(alice, "zzzz9999")
    with pytest.raises(services.CodeRefused, match="Too many wrong codes"):
        sign_in_with(alice, "abcd2345")
    assert selectors.recovery_codes_left(alice) == 1


def test_someone_elses_code_is_refused(alice, bob):
    recovery_codes_for(alice, ["abcd2345"])
    recovery_codes_for(bob, ["bbbb2222"])
    with pytest.raises(services.CodeRefused):
        sign_in_with(alice, "bbbb2222")
    assert selectors.recovery_codes_left(bob) == 1


def test_new_codes_make_the_old_ones_stop_working(alice):
    old = services.recovery_codes_regenerate(user=alice)
    new = services.recovery_codes_regenerate(user=alice)
    with pytest.raises(services.CodeRefused):
        sign_in_with(alice, old[0])
    assert sign_in_with(alice, new[0])
    assert RecoveryCodeDevice.objects.filter(user=alice).count() == 1


def test_a_code_read_by_two_sign_ins_at_once_lets_only_one_in(alice):
    recovery_codes_for(alice, ["abcd2345"])
    first = RecoveryCodeDevice.objects.get(user=alice)
    second = RecoveryCodeDevice.objects.get(user=alice)  # loaded before the first used the code
    assert first.verify_token("abcd2345") is True
    assert second.verify_token("abcd2345") is False


def test_codes_keep_working_after_the_secret_key_is_rotated(settings, alice):
    settings.SECRET_KEY = "the-key-the-codes-were-made-with"
    codes = services.recovery_codes_regenerate(user=alice)
    settings.SECRET_KEY = "a-new-key"
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(services.CodeRefused):
        sign_in_with(alice, codes[0])
    settings.SECRET_KEY_FALLBACKS = ["the-key-the-codes-were-made-with"]
    assert sign_in_with(alice, codes[0])


def test_earlier_secret_keys_are_read_from_the_environment():
    from tests.test_demo_and_settings import settings_in_subprocess

    out = settings_in_subprocess(
        {"SAFERPOL_DEMO": "true", "SECRET_KEY_FALLBACKS": "an-old-key, an-older-key"}, "settings.SECRET_KEY_FALLBACKS"
    )
    assert out == "['an-old-key', 'an-older-key']"


def database_text() -> str:
    """Every row of every table, as text: what a copy of the database would show."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(rows).lower()


def test_the_database_holds_no_recovery_code_in_plain_text(alice):
    app_for(alice)
    codes = services.recovery_codes_regenerate(user=alice)
    assert RecoveryCode.objects.filter(device__user=alice).count() == 10
    text = database_text()
    assert [code for code in codes if code in text] == []
    assert not StaticToken.objects.exists()


# --- Codes made before they were stored hashed --------------------------------------------


def plain_text_codes_for(user, codes: list[str], **device_fields) -> StaticDevice:
    """Recovery codes as they used to be stored: django-otp's static tokens, in plain text."""
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True, **device_fields)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return device


def convert_plain_text_codes() -> None:
    migration = importlib.import_module("team.migrations.0003_recovery_codes_from_plain_text")
    migration.codes_to_digests(apps, None)


def test_the_migration_keeps_plain_text_codes_working_and_removes_them(alice, bob):
    app_for(alice)
    plain_text_codes_for(alice, ["abcd2345", "efgh6789"])
    plain_text_codes_for(bob, ["bbbb2222"], throttling_failure_count=3)
    convert_plain_text_codes()

    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
    text = database_text()
    assert "abcd2345" not in text and "efgh6789" not in text and "bbbb2222" not in text
    assert selectors.recovery_codes_left(alice) == 2
    assert isinstance(sign_in_with(alice, "efgh-6789"), RecoveryCodeDevice)
    with pytest.raises(services.CodeRefused):
        sign_in_with(alice, "efgh6789")
    # Bob's device keeps its name, state and count of wrong codes in a row.
    device = RecoveryCodeDevice.objects.get(user=bob)
    assert (device.name, device.confirmed, device.throttling_failure_count) == ("Recovery codes", True, 3)
    assert selectors.recovery_codes_left(bob) == 1


def test_the_migration_with_no_codes_changes_nothing(alice):
    convert_plain_text_codes()
    assert not RecoveryCodeDevice.objects.exists()
