from __future__ import annotations

from django.db import models

from platforms.secrets import EncryptedTextField


class PlatformCredential(models.Model):
    """A campaign account's platform grant. Tokens are encrypted at rest, never shown again."""

    account = models.OneToOneField("moderation.CampaignAccount", on_delete=models.CASCADE, related_name="credential")
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"credential for {self.account}"
