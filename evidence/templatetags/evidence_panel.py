"""The Evidence panel on an item's page: its stored files, with pictures hidden until someone asks."""

from __future__ import annotations

from django import template

from evidence.redactions import annotation_note_for, is_redactable
from evidence.selectors import INLINE_IMAGE_TYPES, item_artefacts
from evidence.views import REVEALED_SESSION_KEY

register = template.Library()


@register.inclusion_tag("evidence/_item_panel.html", takes_context=True)
def evidence_panel(context, item, membership=None) -> dict:
    request = context.get("request")
    revealed = set(request.session.get(REVEALED_SESSION_KEY, [])) if request is not None else set()
    rows = []
    for artefact in item_artefacts(item):
        captured = artefact.status == artefact.Status.CAPTURED
        picture = captured and artefact.media_type in INLINE_IMAGE_TYPES
        is_note = artefact.kind == artefact.Kind.ANNOTATION
        rows.append(
            {
                "artefact": artefact,
                "picture": picture,
                "revealed": picture and str(artefact.code) in revealed,
                # An annotation's words are the team's own: shown (escaped), not hidden like evidence.
                "note": annotation_note_for(artefact) if is_note and captured else None,
                "can_annotate": captured and not is_note,
                "can_redact": is_redactable(artefact),
            }
        )
    return {
        "item": item,
        "rows": rows,
        "incidents": item.incidents.select_related("author").order_by("-updated_at")[:10],
        "can_write": bool(membership and membership.can_decide),
        "csrf_token": context.get("csrf_token"),
    }
