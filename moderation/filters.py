from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet

from moderation.models import CampaignAccount, Item, Platform, RuleHit, Severity
from moderation.selectors import accounts_for_user

RULE_CHOICES = [
    (1, "1 · Courtesy"),
    (2, "2 · Abuse and threats"),
    (3, "3 · Discrimination"),
    (4, "4 · False information"),
    (5, "5 · Anonymous posting"),
]
NEEDS_DECISION = "needs_decision"
STATUS_CHOICES = [(NEEDS_DECISION, "Needs a decision"), *Item.Status.choices, ("all", "All")]


class ItemFilter(django_filters.FilterSet):
    account = django_filters.ModelChoiceFilter(
        queryset=CampaignAccount.objects.none(), to_field_name="code", empty_label="All accounts"
    )
    platform = django_filters.ChoiceFilter(field_name="platform", choices=Platform.choices, empty_label="All platforms")
    rule = django_filters.ChoiceFilter(choices=RULE_CHOICES, method="filter_rule", empty_label="Any rule", label="Rule")
    severity = django_filters.ChoiceFilter(
        choices=[(s.value, f"{s.label} or worse") for s in Severity if s != Severity.NONE],
        method="filter_severity",
        empty_label="Any severity",
        label="Severity",
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", empty_label=None, null_label=None, label="Status"
    )
    since = django_filters.DateFilter(
        field_name="posted_at",
        lookup_expr="date__gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="posted_at",
        lookup_expr="date__lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Item
        fields: list[str] = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        data = data.copy() if data is not None else {}
        # The queue opens on what needs a decision; "all" shows everything.
        if not data.get("status"):
            data["status"] = NEEDS_DECISION
        super().__init__(data, *args, **kwargs)
        self.filters["account"].queryset = accounts_for_user(user)

    def filter_rule(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        if not value:
            return queryset
        return queryset.filter(Exists(RuleHit.objects.filter(item=OuterRef("pk"), rule=int(value))))

    def filter_severity(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        return queryset.filter(severity__gte=int(value)) if value else queryset

    def filter_status(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        if value == NEEDS_DECISION:
            return queryset.filter(status__in=[Item.Status.OPEN, Item.Status.ESCALATED])
        if value == "all":
            return queryset
        return queryset.filter(status=value)
