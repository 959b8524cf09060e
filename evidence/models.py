"""Evidence: write-once artefacts captured from flagged items, and the custody log over them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from moderation.append_only import AppendOnlyModel


class Artefact(models.Model):
    """One stored file about an item: a payload, an image, an upload, or a note on another one.

    The file under MEDIA_ROOT is written once and never modified; an annotation or a redaction
    is a new artefact whose ``derived_from`` points at the original it is about.
    """

    class Kind(models.TextChoices):
        POST_JSON = "post_json", "Post payload (JSON)"
        AUTHOR_JSON = "author_json", "Author profile payload (JSON)"
        POST_PNG = "post_png", "Post image (rendered)"
        PROFILE_PNG = "profile_png", "Profile image (rendered)"
        POST_SCREENSHOT = "post_screenshot", "Post screenshot (browser)"
        PROFILE_SCREENSHOT = "profile_screenshot", "Profile screenshot (browser)"
        UPLOAD = "upload", "Uploaded file"
        ANNOTATION = "annotation", "Annotation"
        REDACTION = "redaction", "Redaction"

    class Status(models.TextChoices):
        CAPTURED = "captured", "Captured"
        FAILED = "failed", "Failed"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey("moderation.Item", on_delete=models.PROTECT, related_name="artefacts")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    file_name = models.CharField(max_length=300, blank=True)  # relative to MEDIA_ROOT
    media_type = models.CharField(max_length=100, blank=True)
    bytes = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)  # UTC, from the server's clock
    tool = models.CharField(max_length=100, blank=True)
    tool_version = models.CharField(max_length=40, blank=True)
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derivatives"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CAPTURED)
    error = models.TextField(blank=True)  # the last failed attempt's reason
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "kind", "id"]
        constraints = [
            # One original of each captured kind per item. Uploads repeat (each uploaded file is its
            # own original), and so do annotations and redactions (they point at an original).
            models.UniqueConstraint(
                fields=["item", "kind"],
                condition=Q(derived_from__isnull=True) & ~Q(kind="upload"),
                name="artefact_one_original_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of item {self.item_id}"


class CustodyEvent(AppendOnlyModel):
    """Append-only, hash-chained record of everything done to the evidence.

    Each event's ``hash`` covers its content and the previous event's hash, so editing, removing
    or reordering an event breaks the chain where it happened and ``verify_evidence`` names it.
    The model refuses updates and deletes; on PostgreSQL a trigger refuses them too.
    """

    log_name = "custody log"

    class Action(models.TextChoices):
        CAPTURE = "capture", "Captured"
        CAPTURE_FAILED = "capture_failed", "Capture failed"
        VIEW = "view", "Viewed"
        REVEAL = "reveal", "Revealed"
        ANNOTATE = "annotate", "Annotated"
        REDACT = "redact", "Redacted"
        UPLOAD = "upload", "Uploaded"
        EXPORT = "export", "Exported"
        EXPORT_EXPIRED = "export_expired", "Export expired"
        DOWNLOAD = "download", "Downloaded"
        VERIFY = "verify", "Verified"
        INCIDENT_OPEN = "incident_open", "Incident opened"
        INCIDENT_UPDATE = "incident_update", "Incident updated"

    at = models.DateTimeField()  # set by the appender under the chain lock, so ids and times agree
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)  # survives for system actors too
    action = models.CharField(max_length=30, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_code = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # Two events can never chain to the same predecessor: a fork is refused by the database.
            models.UniqueConstraint(fields=["prev_hash"], name="custody_one_successor"),
        ]
        indexes = [models.Index(fields=["object_type", "object_code"], name="custody_by_object")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} {self.object_code} by {self.actor_label}"


class Pack(models.Model):
    """An evidence pack someone exported from the dashboard; only they can download it.

    A pack covers an account's flagged items (narrowed by author and date), or exactly the items
    someone picked (``selected_items``). Small packs are built while the person waits; large
    ones on the exports queue, with the status shown on the packs page.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    exporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey("moderation.CampaignAccount", on_delete=models.PROTECT, related_name="+")
    author_handle = models.CharField(max_length=100, blank=True)
    since = models.DateField(null=True, blank=True)
    # The items picked one by one; empty for a pack made from the filters above.
    selected_items = models.ManyToManyField("moderation.Item", blank=True, related_name="evidence_packs")
    redacted = models.BooleanField(default=False)  # redacted copies of pictures used in place of the originals
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DONE)
    error = models.TextField(blank=True)
    file_name = models.CharField(max_length=300, blank=True)  # relative to MEDIA_ROOT
    sha256 = models.CharField(max_length=64, blank=True)
    bytes = models.PositiveBigIntegerField(null=True, blank=True)
    items = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When its ZIP was deleted, SAFERPOL_EXPORT_RETENTION_DAYS after it was made. The row stays, as
    # the record of who exported what; the evidence it was made from is never deleted.
    expired_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"evidence pack {self.code} of @{self.account.handle}"


class Incident(models.Model):
    """One entry of the incident log the victims' guides ask for, about an author or a case.

    The fields follow those guides (Online SOS and the Safer Politics toolkit): when and what
    happened, the evidence held, who did it and why you believe so, what evidence is still
    needed, the impact on you, and the reference numbers the platform and the police gave.
    Every change is an audit event and a custody event, so the log's history can be shown.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey("moderation.CampaignAccount", on_delete=models.PROTECT, related_name="incidents")
    author = models.ForeignKey(
        "moderation.Author", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    title = models.CharField(max_length=200, blank=True)  # the case's name when it is not one author
    items = models.ManyToManyField("moderation.Item", blank=True, related_name="incidents")
    occurred_at = models.DateTimeField(null=True, blank=True)
    what_happened = models.TextField()
    evidence_held = models.TextField(blank=True)
    suspect = models.TextField(blank=True)  # who did it and why you believe so
    evidence_needed = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    platform_references = models.TextField(blank=True)
    police_references = models.TextField(blank=True)  # crime and incident numbers
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            # An incident is about someone or something: an author, or a case with a title.
            models.CheckConstraint(
                condition=Q(author__isnull=False) | ~Q(title=""), name="incident_has_author_or_title"
            ),
        ]
        indexes = [models.Index(fields=["account", "-updated_at"], name="incident_account_recent")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How the incident is named in lists: its title, else the author it is about."""
        if self.title:
            return self.title
        return f"@{self.author.handle}" if self.author_id else f"Incident {self.code}"
