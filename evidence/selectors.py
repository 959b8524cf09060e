"""Evidence reads, scoped to the accounts a person is a member of: artefacts and custody events."""

from __future__ import annotations

from django.db import connection
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, Substr
from django.http import Http404

from evidence.models import Artefact, CustodyEvent, Incident, Pack
from moderation.models import CampaignAccount, Item, Membership

# Image types a browser may show inline; anything else is only ever offered as a download.
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def artefact_for_user(user, code) -> tuple[Artefact, Membership]:
    """The artefact, or 404 to anyone outside its item's account (every member may read evidence)."""
    try:
        artefact = Artefact.objects.select_related("item__account").get(code=code)
    except (Artefact.DoesNotExist, ValueError, TypeError):
        raise Http404("No such evidence file") from None
    membership = Membership.objects.filter(user=user, account=artefact.item.account).first()
    if membership is None:
        raise Http404("No such evidence file")
    return artefact, membership


# The order the Evidence panel shows an item's originals in: pictures first, as in the pack's report.
_PANEL_ORDER = [kind.value for kind in Artefact.Kind]


def item_artefacts(item: Item) -> list[Artefact]:
    """The item's artefacts: originals first (pictures, then payloads), then uploads, notes and redactions."""
    order = ["post_png", "profile_png", "post_screenshot", "profile_screenshot", "post_json", "author_json"]
    order += [kind for kind in _PANEL_ORDER if kind not in order]
    return sorted(
        item.artefacts.all(),
        key=lambda a: (a.derived_from_id is not None, order.index(a.kind) if a.kind in order else 99, a.id),
    )


def _code_text(field: str):
    """A UUID column as the text ``str(uuid)`` gives, which is what the custody log stores.

    PostgreSQL casts a uuid to that form; SQLite (and MySQL) keep 32 hex digits, so the dashes
    are put back.
    """
    text = Cast(field, CharField())
    if connection.vendor == "postgresql":
        return text
    dash = Value("-")
    return Concat(
        Substr(text, 1, 8),
        dash,
        Substr(text, 9, 4),
        dash,
        Substr(text, 13, 4),
        dash,
        Substr(text, 17, 4),
        dash,
        Substr(text, 21, 12),
        output_field=CharField(),
    )


def _codes(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(code_text=_code_text("code")).values("code_text")


def custody_events_for_user(
    user, *, item: Item | None = None, account: CampaignAccount | None = None
) -> QuerySet[CustodyEvent]:
    """Custody events about the person's accounts, newest first: their items' files, their incidents,
    their exports and the downloads of their evidence packs. With an item, only that item's; with an
    account, only that account's.

    The caller checks that the item or account is the person's (``item_for_user`` and the like).
    """
    if item is not None:
        return (
            CustodyEvent.objects.filter(
                Q(
                    object_type="artefact",
                    object_code__in=[str(code) for code in item.artefacts.values_list("code", flat=True)],
                )
                | Q(object_type="item", object_code=str(item.code))
                | Q(
                    object_type="incident",
                    object_code__in=[str(code) for code in item.incidents.values_list("code", flat=True)],
                )
            )
            .select_related("actor")
            .order_by("-id")
        )
    accounts = CampaignAccount.objects.filter(memberships__user=user)
    if account is not None:
        accounts = accounts.filter(pk=account.pk)
    items = Item.objects.filter(account__in=accounts)
    return (
        CustodyEvent.objects.filter(
            Q(object_type="artefact", object_code__in=_codes(Artefact.objects.filter(item__in=items)))
            | Q(object_type="item", object_code__in=_codes(items))
            | Q(object_type="incident", object_code__in=_codes(Incident.objects.filter(account__in=accounts)))
            | Q(object_type="campaignaccount", object_code__in=_codes(accounts))
            # Downloads of the accounts' evidence packs, whoever made them.
            | Q(object_type="pack", object_code__in=_codes(Pack.objects.filter(account__in=accounts)))
        )
        .select_related("actor")
        .order_by("-id")
    )
