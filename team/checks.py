"""Deployment checks: `manage.py check --deploy` warns if someone turned two-step verification off."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def two_step_required(app_configs, **kwargs) -> list[CheckMessage]:
    if settings.SAFERPOL_REQUIRE_2FA or settings.DEMO_MODE:
        return []
    return [
        Warning(
            "Two-step verification is not required (SAFERPOL_REQUIRE_2FA is off).",
            hint="Unset SAFERPOL_REQUIRE_2FA: every dashboard login outside the demo needs a second step.",
            id="team.W001",
        )
    ]
