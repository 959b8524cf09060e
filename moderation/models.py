"""The moderation domain: accounts, who may work on them, what arrived, what was decided."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from moderation.append_only import AppendOnlyModel


class Platform(models.TextChoices):
    DEMO = "demo", "Demo"
    X = "x", "X"
    # Channels with no API: evidence comes in as an upload (a screenshot, an exported chat).
    WHATSAPP = "whatsapp", "WhatsApp"
    MANUAL = "manual", "Other (entered by hand)"


class Severity(models.IntegerChoices):
    """Stored as a rank so the queue can sort "most severe first" on an index."""

    NONE = 0, "none"
    LOW = 1, "low"
    MEDIUM = 2, "medium"
    HIGH = 3, "high"
    CRITICAL = 4, "critical"

    @classmethod
    def from_name(cls, name: str) -> Severity:
        return next(member for member in cls if member.label == name)


class CampaignAccount(models.Model):
    class Status(models.TextChoices):
        CONNECTED = "connected", "Connected"
        RECONNECT = "reconnect", "Needs reconnecting"
        PAUSED = "paused", "Paused"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=100)
    display_name = models.CharField(max_length=200, blank=True)
    external_id = models.CharField(max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_accounts")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONNECTED)
    # Connector-specific switches (for example the X API access tier), never secrets.
    settings = models.JSONField(default=dict, blank=True)
    poll_cursor = models.CharField(max_length=100, blank=True)
    poll_interval_seconds = models.PositiveIntegerField(default=300)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_poll_error = models.TextField(blank=True)
    poll_failures = models.PositiveIntegerField(default=0)  # in a row; each doubles the wait
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "external_id"], name="account_unique_per_platform"),
        ]
        ordering = ["platform", "handle"]

    def __str__(self) -> str:
        return f"@{self.handle} ({self.get_platform_display()})"

    # A platform that keeps failing is asked less often: the interval doubles per failure in a
    # row, up to this cap, and a rate limit's reset time is always waited out.
    MAX_POLL_BACKOFF = timedelta(hours=6)

    def next_poll_at(self) -> datetime:
        if self.last_polled_at is None:
            return datetime.min.replace(tzinfo=UTC)
        interval = timedelta(seconds=self.poll_interval_seconds)
        wait = min(interval * 2 ** min(self.poll_failures, 10), max(interval, self.MAX_POLL_BACKOFF))
        due = self.last_polled_at + wait
        limited = self.settings.get("rate_limited_until") if isinstance(self.settings, dict) else None
        if limited:
            with contextlib.suppress(TypeError, ValueError):  # a damaged note never stops polling
                due = max(due, datetime.fromisoformat(limited))
        return due


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MODERATOR = "moderator", "Co-moderator"
    COMMS = "comms", "Comms officer"


class Membership(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(CampaignAccount, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "user"], name="one_membership_per_user")]

    @property
    def can_decide(self) -> bool:
        return self.role in (Role.OWNER, Role.MODERATOR)

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.account}"


class Author(models.Model):
    """Who wrote an item, with the profile as last seen; each item keeps its own snapshot too."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    external_id = models.CharField(max_length=100)
    handle = models.CharField(max_length=100)
    display_name = models.CharField(max_length=200, blank=True)
    profile_created_at = models.DateTimeField(null=True, blank=True)
    followers_count = models.PositiveIntegerField(null=True, blank=True)
    following_count = models.PositiveIntegerField(null=True, blank=True)
    posts_count = models.PositiveIntegerField(null=True, blank=True)
    default_avatar = models.BooleanField(default=False)
    bio = models.TextField(blank=True)
    verified = models.BooleanField(default=False)
    profile_url = models.URLField(max_length=500, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "external_id"], name="author_unique_per_platform"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"


class AccountPost(models.Model):
    """One of the campaign account's own posts: the context an incoming reply answers."""

    account = models.ForeignKey(CampaignAccount, on_delete=models.CASCADE, related_name="posts")
    external_id = models.CharField(max_length=100)
    text = models.TextField()
    url = models.URLField(max_length=500, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "external_id"], name="post_unique_per_account"),
        ]


class Item(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", "Reply"
        MENTION = "mention", "Mention"
        COMMENT = "comment", "Comment"
        MESSAGE = "message", "Message"

    class Status(models.TextChoices):
        CLEAR = "clear", "No rule broken"
        OPEN = "open", "Awaiting decision"
        ESCALATED = "escalated", "Escalated"
        ACTIONED = "actioned", "Actioned"
        DISMISSED = "dismissed", "Dismissed"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(CampaignAccount, on_delete=models.PROTECT, related_name="items")
    # Denormalised from the account so uniqueness is enforced by the database.
    platform = models.CharField(max_length=20, choices=Platform.choices)
    external_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()  # verbatim, never altered
    url = models.URLField(max_length=500, blank=True)
    conversation_id = models.CharField(max_length=100, blank=True)
    in_reply_to = models.ForeignKey(AccountPost, null=True, blank=True, on_delete=models.SET_NULL)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="items")
    author_snapshot = models.JSONField(default=dict)  # the profile exactly as seen with this item
    raw = models.JSONField(default=dict, blank=True)  # the platform payload, verbatim
    posted_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, default=Severity.NONE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CLEAR)
    engine_version = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "external_id"], name="item_unique_per_platform"),
        ]
        indexes = [
            # The queue's default view: what still needs a decision on one account, most severe
            # then newest first, read straight off the index a page at a time.
            models.Index(
                F("account"),
                F("severity").desc(),
                F("posted_at").desc(),
                F("id").desc(),
                condition=Q(status__in=["open", "escalated"]),
                name="item_queue_needs_decision",
            ),
            # The same for people working several accounts at once.
            models.Index(
                F("severity").desc(),
                F("posted_at").desc(),
                F("id").desc(),
                condition=Q(status__in=["open", "escalated"]),
                name="item_needs_decision_all",
            ),
            # Any other status filter, and the "all" view.
            models.Index(
                F("account"),
                F("status"),
                F("severity").desc(),
                F("posted_at").desc(),
                F("id").desc(),
                name="item_queue_by_status",
            ),
            models.Index(
                F("account"),
                F("severity").desc(),
                F("posted_at").desc(),
                F("id").desc(),
                name="item_queue_all",
            ),
            models.Index(fields=["author", "-posted_at"], name="item_author_recent"),
            # Exports stream one account's items oldest first.
            models.Index(fields=["account", "posted_at", "id"], name="item_account_chronological"),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.external_id}"

    @property
    def severity_name(self) -> str:
        return Severity(self.severity).label

    @property
    def needs_decision(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.ESCALATED)


class RuleHit(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="hits")
    rule = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=40)
    score = models.FloatField()
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    reason = models.TextField()
    # The account's minimum score for this rule that the hit fell short of at ingest: the hit is
    # kept for the record but did not flag the item. Null when it counted.
    below_threshold = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-severity", "rule"]
        constraints = [
            models.CheckConstraint(condition=Q(rule__gte=1) & Q(rule__lte=5), name="rulehit_rule_1_to_5"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="rulehit_score_0_to_1"),
        ]
        indexes = [models.Index(fields=["rule", "item"], name="rulehit_rule_item")]

    @property
    def severity_name(self) -> str:
        return Severity(self.severity).label

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "category": self.category,
            "score": self.score,
            "severity": self.severity_name,
            "reason": self.reason,
        }


class DecisionKind(models.TextChoices):
    HIDE = "hide", "Hide reply"
    MUTE = "mute", "Mute author"
    BLOCK = "block", "Block author"
    REPORT = "report", "Report to platform"
    DELETE = "delete", "Delete"
    DISMISS = "dismiss", "Dismiss (not a violation)"
    ESCALATE = "escalate", "Escalate"
    UNHIDE = "unhide", "Undo hide"
    UNMUTE = "unmute", "Undo mute"
    # A reply the rules let through that a moderator flags by hand, naming the rule it breaks.
    MISSED = "missed", "Missed by the rules (flagged by hand)"


class Decision(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]


class Feedback(models.Model):
    """A moderator correcting the engine: a flag dismissed as not a violation, or a reply it missed.

    Keeps the engine's hits as they were when the decision was made, so the record still says
    what was overruled after the engine changes; `export_feedback` turns these into test cases.
    """

    class Kind(models.TextChoices):
        NOT_A_VIOLATION = "not_a_violation", "Not a violation"
        MISSED = "missed", "Missed by the rules"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(CampaignAccount, on_delete=models.PROTECT, related_name="feedback")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="feedback")
    decision = models.OneToOneField("Decision", on_delete=models.PROTECT, related_name="feedback")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The rules the moderator says the reply breaks: none for "not a violation".
    rules = models.JSONField(default=list, blank=True)
    engine_version = models.CharField(max_length=40, blank=True)
    # The engine's hits at decision time: {"rule", "category", "score", "severity", "reason",
    # "below_threshold"}; for a dismissal, the ones that flagged the item.
    hits = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["account", "kind", "created_at"], name="feedback_account_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.item}"


class ScoreThreshold(models.Model):
    """An account's minimum score for a rule (or one category of it) before a hit flags a reply.

    A blank category covers every category of the rule; a category's own threshold wins over
    its rule's. Threats are never thresholded: the constraints refuse them in the database too.
    """

    account = models.ForeignKey(CampaignAccount, on_delete=models.CASCADE, related_name="score_thresholds")
    rule = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=40, blank=True)
    min_score = models.FloatField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rule", "category"]
        constraints = [
            models.UniqueConstraint(fields=["account", "rule", "category"], name="one_threshold_per_rule_category"),
            models.CheckConstraint(condition=Q(rule__gte=1) & Q(rule__lte=5), name="threshold_rule_1_to_5"),
            models.CheckConstraint(
                condition=Q(min_score__gt=0) & Q(min_score__lte=1), name="threshold_score_above_0_to_1"
            ),
            # Rule 2 as a whole includes threats, so only its other categories may be thresholded.
            models.CheckConstraint(condition=~Q(rule=2, category__in=["", "threat"]), name="threshold_never_threats"),
        ]

    def __str__(self) -> str:
        return f"rule {self.rule} {self.category or 'all'} below {self.min_score:.2f}"


class Action(models.Model):
    """The outbox row a decision causes: done by the platform, or a guided manual step."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        MANUAL = "manual", "Manual step"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="action")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # What the person needs for a manual step (report page), or the platform's reference.
    guidance = models.TextField(blank=True)
    external_reference = models.CharField(max_length=200, blank=True)
    # Held back until then: the platform's per-account action limit is used up for now.
    not_before = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="action_outbox")]


class Export(models.Model):
    """A log export a comms officer asked for, written in the background with progress."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV (spreadsheet)"
        JSONL = "jsonl", "JSON lines"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Writing"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(CampaignAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    since = models.DateField(null=True, blank=True)
    format = models.CharField(max_length=10, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(null=True, blank=True)
    written = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=300, blank=True)  # relative to MEDIA_ROOT
    sha256 = models.CharField(max_length=64, blank=True)
    bytes = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When its file was deleted, SAFERPOL_EXPORT_RETENTION_DAYS after it was made. The row stays:
    # it is the record of who exported what, and when.
    expired_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_format_display()} export {self.code}"


class FalseClaim(models.Model):
    """The claims register for rule 4: a false claim, its correction and the source."""

    code = models.SlugField(max_length=60, unique=True)
    claim = models.TextField()
    correction = models.TextField()
    source_url = models.URLField(max_length=500)
    active = models.BooleanField(default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.claim[:80]


class UnreliableDomain(models.Model):
    domain = models.CharField(max_length=253, unique=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.domain


class AuditEvent(AppendOnlyModel):
    """Append-only record of decisions, action outcomes, logins and exports.

    The model refuses updates and deletes; on PostgreSQL a trigger refuses them too, so not
    even a raw query or the admin can rewrite history.
    """

    log_name = "audit log"

    class Verb(models.TextChoices):
        DECISION = "decision", "Decision"
        ACTION_DONE = "action_done", "Action done"
        ACTION_FAILED = "action_failed", "Action failed"
        ACTION_MANUAL = "action_manual", "Manual step"
        LOGIN = "login", "Login"
        LOGIN_FAILED = "login_failed", "Failed login"
        LOGOUT = "logout", "Logout"
        EXPORT = "export", "Export"
        EXPORT_DOWNLOAD = "export_download", "Export downloaded"
        EXPORT_EXPIRED = "export_expired", "Export expired"
        EXPORT_FAILED = "export_failed", "Export failed"
        INGEST = "ingest", "Items received"
        INVITED = "invited", "Invitation created"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        MEMBER_ADDED = "member_added", "Member added"
        MEMBER_REMOVED = "member_removed", "Member removed"
        ROLE_CHANGED = "role_changed", "Role changed"
        TOKEN_CREATED = "token_created", "API token created"
        TOKEN_REVOKED = "token_revoked", "API token revoked"
        TWO_STEP = "two_step", "Two-step verification changed"
        ACCOUNT_CONNECTED = "account_connected", "Account connected"
        EVIDENCE_UPLOAD = "evidence_upload", "Evidence uploaded"
        INCIDENT = "incident", "Incident log"
        THRESHOLD = "threshold", "Score threshold changed"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)  # survives for system actors too
    verb = models.CharField(max_length=30, choices=Verb.choices)
    account = models.ForeignKey(CampaignAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=40, blank=True)
    object_code = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["account", "-at"], name="audit_account_recent")]
