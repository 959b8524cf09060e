from __future__ import annotations

import django_tables2 as tables

from moderation.models import AuditEvent, Item


class ItemTable(tables.Table):
    select = tables.TemplateColumn(
        template_name="moderation/columns/select.html",
        verbose_name="",
        orderable=False,
        attrs={"td": {"class": "col-select"}, "th": {"class": "col-select"}},
    )
    severity = tables.TemplateColumn(template_name="moderation/columns/severity.html", orderable=False)
    text = tables.TemplateColumn(
        template_name="moderation/columns/text.html", verbose_name="Reply and why it was flagged", orderable=False
    )
    author = tables.TemplateColumn(template_name="moderation/columns/author.html", orderable=False)
    account = tables.TemplateColumn(template_name="moderation/columns/account.html", orderable=False)
    posted_at = tables.TemplateColumn(
        template_name="moderation/columns/posted.html", verbose_name="Posted", orderable=False
    )
    status = tables.TemplateColumn(template_name="moderation/columns/status.html", orderable=False)

    class Meta:
        model = Item
        fields = ("select", "severity", "text", "author", "account", "posted_at", "status")
        template_name = "moderation/_table.html"
        orderable = False  # the queue's order is fixed: most severe, then newest
        attrs = {"class": "queue-table", "id": "queue-table"}
        row_attrs = {
            "data-code": lambda record: str(record.code),
            "class": lambda record: f"row row-{record.severity_name}",
            "tabindex": "-1",
        }
        empty_text = "Nothing here needs a decision. Take a break."


class AuditTable(tables.Table):
    at = tables.DateTimeColumn(format="j M Y, H:i:s", verbose_name="When")
    actor_label = tables.Column(verbose_name="Who")
    verb = tables.Column(verbose_name="What")
    account = tables.Column(verbose_name="Account", default="—")
    summary = tables.Column(verbose_name="Detail")
    ip_address = tables.Column(verbose_name="From", default="")

    class Meta:
        model = AuditEvent
        fields = ("at", "actor_label", "verb", "account", "summary", "ip_address")
        orderable = False
        template_name = "moderation/_table.html"
        attrs = {"class": "audit-table"}
        empty_text = "No events yet."
