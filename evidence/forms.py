"""Forms for the incident log. The values are checked again against the account by the services."""

from __future__ import annotations

from django import forms

from evidence.incidents import TEXT_FIELDS, author_on_account
from evidence.models import Incident
from moderation.models import CampaignAccount, Item

_TEXT_LIMIT = 20_000


def _text(label: str, *, required: bool = False, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=_TEXT_LIMIT,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class IncidentForm(forms.Form):
    """One incident log entry, in the order the victims' guides ask for it."""

    title = forms.CharField(
        label="Case title",
        required=False,
        max_length=200,
        help_text="Needed when the incident isn't about one author, e.g. “Pile-on after the budget debate”.",
    )
    author = forms.CharField(
        label="Author (handle)", required=False, max_length=100, help_text="The account you believe is behind it."
    )
    occurred_at = forms.DateTimeField(
        label="When it happened (UK time)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    what_happened = _text("What happened", required=True)
    evidence_held = _text("Evidence you hold", help_text="Screenshots, saved messages, witnesses.")
    suspect = _text("Who you think did it, and why you believe so")
    evidence_needed = _text("Evidence still needed")
    impact = _text("Impact on you", help_text="How it has affected you, your work, your family or your safety.")
    platform_references = _text(
        "Platform reference numbers", help_text="The numbers a platform gave your reports.", rows=2
    )
    police_references = _text(
        "Police reference numbers", help_text="Crime or incident numbers from 101 or 999.", rows=2
    )
    status = forms.ChoiceField(label="Status", choices=Incident.Status.choices, initial=Incident.Status.OPEN)
    items = forms.TypedMultipleChoiceField(label="Replies that are part of it", required=False, choices=())
    reason = forms.CharField(
        label="Why you are making this change",
        required=False,
        max_length=500,
        help_text="Recorded with your name in the custody log.",
    )

    def __init__(self, *args, account: CampaignAccount, candidates: list[Item], reason_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.candidates = {str(item.code): item for item in candidates}
        self.fields["items"].choices = [(code, code) for code in self.candidates]
        self.fields["reason"].required = reason_required

    def clean_author(self):
        handle = self.cleaned_data.get("author", "").strip()
        if not handle:
            return None
        author = author_on_account(account=self.account, handle=handle)
        if author is None:
            raise forms.ValidationError(
                f"No author @{handle.lstrip('@')} has replies on @{self.account.handle}; check the handle."
            )
        return author

    def clean_items(self):
        return [self.candidates[code] for code in self.cleaned_data.get("items", [])]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and not cleaned.get("author") and "author" not in self.errors:
            self.add_error("title", "Give the incident a title, or name the author it is about.")
        return cleaned

    def item_rows(self) -> list[tuple[Item, bool]]:
        """Each candidate reply and whether it is ticked, for the checkboxes."""
        if self.is_bound:
            chosen = set(self.data.getlist("items")) if hasattr(self.data, "getlist") else set()
        else:
            chosen = {str(code) for code in self.initial.get("items", [])}
        return [(item, code in chosen) for code, item in self.candidates.items()]


def incident_initial(incident: Incident) -> dict:
    return {
        "title": incident.title,
        "author": incident.author.handle if incident.author_id else "",
        "occurred_at": incident.occurred_at,
        **{name: getattr(incident, name) for name, _ in TEXT_FIELDS},
        "status": incident.status,
        "items": [item.code for item in incident.items.all()],
    }
