"""Tables for the incident log and the custody log pages; every cell is escaped by the templates."""

from __future__ import annotations

import django_tables2 as tables

from evidence.models import CustodyEvent, Incident

_UTC = (
    "{% load tz %}{% with t=value|utc %}"
    '<time datetime="{{ t|date:"c" }}">{{ t|date:"Y-m-d H:i:s" }} UTC</time>{% endwith %}'
)


class IncidentTable(tables.Table):
    label = tables.TemplateColumn(
        "<a href=\"{% url 'evidence:incident' code=record.code %}\">{{ record.label }}</a>",
        verbose_name="Incident",
        orderable=False,
    )
    account = tables.Column(verbose_name="Account", orderable=False)
    status = tables.Column(verbose_name="Status", orderable=False)
    occurred_at = tables.TemplateColumn(
        '{% if value %}{{ value|date:"j M Y, H:i" }}{% else %}—{% endif %}', verbose_name="When", orderable=False
    )
    item_count = tables.Column(verbose_name="Replies", orderable=False, empty_values=())
    updated_at = tables.TemplateColumn(
        '{{ value|date:"j M Y, H:i" }} by {{ record.updated_by.username }}',
        verbose_name="Last changed",
        orderable=False,
    )

    class Meta:
        model = Incident
        fields = ("label", "account", "status", "occurred_at", "item_count", "updated_at")
        orderable = False
        template_name = "moderation/_table.html"
        attrs = {"class": "audit-table", "id": "incident-table"}
        empty_text = "No incidents yet."


class CustodyTable(tables.Table):
    at = tables.TemplateColumn(_UTC, verbose_name="When (UTC)", orderable=False)
    actor_label = tables.Column(verbose_name="Who", orderable=False)
    action = tables.Column(verbose_name="What", orderable=False)
    object = tables.TemplateColumn(
        "{{ record.object_type|default:'—' }} <code class=\"url-text\">{{ record.object_code }}</code>",
        verbose_name="Object",
        orderable=False,
        empty_values=(),
    )
    reason = tables.Column(verbose_name="Reason", orderable=False, default="")
    hash = tables.TemplateColumn(
        '<code class="url-text" title="{{ value }}">{{ value|truncatechars:17 }}</code>',
        verbose_name="Hash",
        orderable=False,
    )

    class Meta:
        model = CustodyEvent
        fields = ("at", "actor_label", "action", "object", "reason", "hash")
        orderable = False
        template_name = "moderation/_table.html"
        attrs = {"class": "audit-table", "id": "custody-table"}
        empty_text = "No custody events yet."
