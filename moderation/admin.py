from django.contrib import admin

from moderation.models import AuditEvent, CampaignAccount, FalseClaim, Membership, UnreliableDomain


@admin.register(CampaignAccount)
class CampaignAccountAdmin(admin.ModelAdmin):
    list_display = ("handle", "platform", "owner", "status", "last_polled_at")
    exclude = ("poll_cursor",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("account", "user", "role")


@admin.register(FalseClaim)
class FalseClaimAdmin(admin.ModelAdmin):
    list_display = ("code", "claim", "active")


@admin.register(UnreliableDomain)
class UnreliableDomainAdmin(admin.ModelAdmin):
    list_display = ("domain", "reason")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ("at", "actor_label", "verb", "summary")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
