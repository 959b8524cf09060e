"""The JSON API under /api/: read the queue, read one item, record a decision.

Bearer tokens only: no session cookie is ever accepted here, so there is no CSRF surface.
Every error is a JSON body {"detail": "..."} that says what went wrong; none is a 500.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from api import selectors
from api.schemas import DecisionCreatedOut, DecisionIn, ErrorOut, ItemFilters, ItemOut, ItemPage, decision_out, item_out
from api.tokens import api_token_authenticate
from moderation import services
from moderation.selectors import item_for_user
from saferpol.client_address import client_ip

UNAUTHORIZED = "Send a valid API token as 'Authorization: Bearer <token>'; create one under API tokens."


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return api_token_authenticate(token)


api = NinjaAPI(
    title="SaferPol API",
    version="1",
    description=(
        "Read the moderation queue of the campaign accounts you are a member of, and record decisions. "
        "Authenticate with a personal API token: `Authorization: Bearer <token>`."
    ),
    auth=BearerToken(),
    docs_url=None,  # the interactive docs load from a CDN, which this product never uses
    openapi_url=None,  # served by api.views.openapi_document, which answers GET only
    urls_namespace="api:ninja",
)


# --- Errors: always JSON {"detail": "..."} -----------------------------------------------


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": UNAUTHORIZED}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # One body for unknown, malformed and other people's codes: existence is not revealed.
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Your role does not allow this."}, status=403)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if detail.startswith("Cannot parse request body"):
        detail = 'The request body must be JSON, for example {"action": "hide", "note": "..."}.'
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _readable(exc.errors)}, status=422)


def _readable(errors: list[dict]) -> str:
    """Pydantic's error list as one sentence per field: "status: Input should be 'open', ..."."""
    parts = []
    for error in errors:
        # Drop where the value came from ("query", "body") and the parameter's own name.
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path", "filters")]
        location = [part for part in location if part != "payload"] or ["body"]
        message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
        parts.append(f"{'.'.join(location)}: {message}")
    return "; ".join(parts) or "The request is invalid."


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- Operations ---------------------------------------------------------------------------


@api.get(
    "/items/",
    response={200: ItemPage, 401: ErrorOut, 422: ErrorOut},
    url_name="items",
    operation_id="items_list",
    summary="List items",
    description=(
        "Your accounts' items, most severe then newest first, a page at a time. "
        "Follow `next` for the following page; it is null on the last one."
    ),
)
def items_list(request: HttpRequest, filters: Query[ItemFilters]):
    try:
        queryset = selectors.api_items(request.auth, filters)
    except selectors.InvalidQuery as exc:
        return Status(422, {"detail": str(exc)})
    # One row more than the page says whether there is a next page, without counting.
    rows = list(queryset[: filters.limit + 1])
    next_url = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        params = request.GET.copy()
        params["cursor"] = selectors.Cursor.after(rows[-1]).encode()
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {"results": [item_out(item) for item in rows], "next": next_url}


@api.get(
    "/items/{code}/",
    response={200: ItemOut, 401: ErrorOut, 404: ErrorOut},
    url_name="item",
    operation_id="item_detail",
    summary="One item",
)
def item_detail(request: HttpRequest, code: str):
    return item_out(selectors.api_item(request.auth, code))


@api.post(
    "/items/{code}/decisions/",
    response={201: DecisionCreatedOut, **ERRORS},
    url_name="item_decisions",
    operation_id="item_decision_create",
    summary="Record a decision",
    description=(
        "Decide on an item as its account's owner or co-moderator. The answer carries the decision and the "
        "outcome of the platform action it caused: done, failed (with the error), pending (still queued), "
        "or manual (with guidance for the step to take by hand). Dismiss causes no action: its outcome is null. "
        "`missed` with a `rule` (1-5) flags an item the rules let through (status clear) and puts it in the queue; "
        "it causes no action either."
    ),
)
def item_decision_create(request: HttpRequest, code: str, payload: DecisionIn):
    # 404 for a stranger or an unknown code, 403 for a comms officer.
    item, _ = item_for_user(request.auth, selectors.item_code(code), to_decide=True)
    try:
        decision = services.item_decide(
            item=item,
            user=request.auth,
            kind=payload.action,
            note=payload.note or "",
            ip_address=client_ip(request),
            rule=payload.rule,
        )
    except services.DecisionNotPossible as exc:
        return Status(422, {"detail": str(exc)})
    decision = selectors.decision_with_outcome(decision)
    return Status(
        201,
        {
            "decision": decision_out(decision, with_code=True),
            "item": item_out(selectors.api_item(request.auth, code)),
        },
    )
