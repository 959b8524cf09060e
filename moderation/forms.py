from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError

from moderation.models import DecisionKind

MAX_BULK_ITEMS = 500


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=DecisionKind.choices,
        error_messages={
            "invalid_choice": "Unknown action %(value)s: choose hide, mute, block, report, dismiss or escalate."
        },
    )
    note = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class ItemCodesField(forms.Field):
    """A list of item codes from checkboxes named `items`."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: list[str] | None) -> list[uuid.UUID]:
        codes = []
        for raw in value or []:
            try:
                codes.append(uuid.UUID(str(raw)))
            except ValueError:
                raise ValidationError("The selection contains an unknown item.") from None
        if not codes:
            raise ValidationError("Select at least one item first.")
        if len(codes) > MAX_BULK_ITEMS:
            raise ValidationError(f"Decide at most {MAX_BULK_ITEMS} items at a time.")
        return list(dict.fromkeys(codes))


class BulkDecisionForm(DecisionForm):
    items = ItemCodesField()
