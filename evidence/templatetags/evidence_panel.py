"""The Evidence panel on an item's page: its stored files, with pictures hidden until someone asks."""

from __future__ import annotations

from django import template

from evidence.selectors import INLINE_IMAGE_TYPES, item_artefacts
from evidence.views import REVEALED_SESSION_KEY

register = template.Library()


@register.inclusion_tag("evidence/_item_panel.html", takes_context=True)
def evidence_panel(context, item, membership=None) -> dict:
    request = context.get("request")
    revealed = set(request.session.get(REVEALED_SESSION_KEY, [])) if request is not None else set()
    rows = []
    for artefact in item_artefacts(item):
        picture = artefact.status == artefact.Status.CAPTURED and artefact.media_type in INLINE_IMAGE_TYPES
        rows.append({"artefact": artefact, "picture": picture, "revealed": picture and str(artefact.code) in revealed})
    return {
        "item": item,
        "rows": rows,
        "incidents": item.incidents.select_related("author").order_by("-updated_at")[:10],
        "can_write": bool(membership and membership.can_decide),
        "csrf_token": context.get("csrf_token"),
    }
