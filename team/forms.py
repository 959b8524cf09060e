from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm

from moderation.models import Role


class InvitationForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MODERATOR)
    note = forms.CharField(
        max_length=200,
        label="Who is it for?",
        help_text="A name or a few words, so you can tell invitations apart. Only your team sees it.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class JoinForm(UserCreationForm):
    """A new login for the person accepting an invitation; Django's password rules apply."""


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=40,
        label="Code",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )
