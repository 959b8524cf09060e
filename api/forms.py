from __future__ import annotations

from django import forms


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="What the token is for, so you can tell it apart later: for example “weekly report script”.",
    )
