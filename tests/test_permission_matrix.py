"""Who may do what, generated over every URL pattern the project has.

Each named route is declared once below with the access it needs; the test enumerates the URL
resolver, so a new route without a declaration fails `test_every_route_is_declared`. For each
route and persona the expected answer follows from the access level:

- anonymous: sent to sign in (web) or 401 (API), unless the route is public;
- Charlie, an outsider: 404 for anything addressed to Alice's account or its objects;
- Carol (comms) and Bob (co-moderator): 403 where their role isn't enough;
- the allowed people: a success (2xx, or a redirect that is not to the sign-in page).
Every route also answers 405 to a method it doesn't take, and every signed-in web write is
refused without a CSRF token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from api.tokens import api_token_create
from evidence.pack import pack_create
from evidence.tasks import evidence_capture as evidence_capture_task
from moderation.exports import export_request
from moderation.models import Export
from moderation.services import item_decide
from team.services import member_invite
from tests.factories import RACIST, THREAT

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any signed-in person; the page scopes what it shows
MEMBER = "member"  # any member of Alice's account
DECIDER = "decider"  # Alice's account's owner or co-moderator
OWNER = "owner"  # Alice only
CREATOR = "creator"  # only the person who made the object (an export, a token)
NOBODY = "nobody"  # nothing is served here: 404 for everyone

PERSONAS = ("anonymous", "alice", "bob", "carol", "charlie")
ALLOWED = {
    PUBLIC: set(PERSONAS),
    SIGNED_IN: {"alice", "bob", "carol", "charlie"},
    MEMBER: {"alice", "bob", "carol"},
    DECIDER: {"alice", "bob"},
    OWNER: {"alice"},
    NOBODY: set(),
}


@dataclass(frozen=True)
class Route:
    method: str
    access: str
    kwargs: callable = lambda world: {}
    data: callable = lambda world: {}
    api: bool = False  # bearer-token JSON API rather than a signed-in page
    creator: str = ""  # for CREATOR routes: whose object it is
    other_methods: tuple[str, ...] = field(default=())  # also accepted (not 405)


def account_code(world):
    return {"code": world.account.code}


def incident_code(world):
    """An incident on Alice's account, opened by Alice the first time a route needs one."""
    from evidence.incidents import incident_create
    from evidence.models import Incident

    incident = Incident.objects.filter(account=world.account).first() or incident_create(
        account=world.account, user=world.account.owner, data={"title": "Pile-on", "what_happened": "Threats"}
    )
    return {"code": incident.code}


def artefact_code(world):
    """The rendered picture of Alice's flagged item, captured the first time a route needs it."""
    evidence_capture_task(world.item.pk)
    return {"code": world.item.artefacts.get(kind="post_png").code}


def clear_item_code(world):
    """A reply the rules let through on Alice's account, ingested the first time a route needs one."""
    from moderation.models import Item
    from moderation.services import item_ingest_page
    from platforms.base import FetchPage
    from tests.factories import CIVIL, fetched_item

    item = Item.objects.filter(account=world.account, status=Item.Status.CLEAR).first()
    if item is None:
        item_ingest_page(account=world.account, page=FetchPage(items=[fetched_item(CIVIL)]))
        item = Item.objects.get(account=world.account, status=Item.Status.CLEAR)
    return {"code": item.code}


def whatsapp_import_job(world):
    """A WhatsApp chat uploaded by Alice to her account, its import queued: the job's id."""
    from evidence.uploads import whatsapp_upload

    chat = "14/03/2025, 10:00 - Dave Mercer: When are the bins collected?\n"
    result = whatsapp_upload(
        user=world.account.owner, account=world.account, data=chat.encode(), file_name="chat.txt", queue=False
    )
    return {"job": result.job}


INCIDENT_FORM = {"title": "Pile-on", "what_happened": "Threats", "status": "open", "reason": "more_came_in"}


ROUTES: dict[str, Route] = {
    "home": Route("GET", SIGNED_IN),
    "login": Route("GET", PUBLIC, other_methods=("POST",)),
    "logout": Route("POST", PUBLIC),
    "healthz": Route("GET", PUBLIC),
    "moderation:queue": Route("GET", SIGNED_IN),
    "moderation:queue_decide": Route(
        "POST", SIGNED_IN, data=lambda w: {"action": "dismiss", "items": [str(w.item.code)]}
    ),
    "moderation:item": Route("GET", MEMBER, kwargs=lambda w: {"code": w.item.code}),
    "moderation:item_decide": Route(
        "POST", DECIDER, kwargs=lambda w: {"code": w.item.code}, data=lambda w: {"action": "dismiss"}
    ),
    "moderation:item_missed": Route(
        "POST", DECIDER, kwargs=clear_item_code, data=lambda w: {"rule": "2", "note": "veiled_threat"}
    ),
    "moderation:thresholds": Route("GET", MEMBER, kwargs=account_code),
    "moderation:threshold_set": Route(
        "POST", OWNER, kwargs=account_code, data=lambda w: {"target": "1:incivility", "min_score": "0.6"}
    ),
    "moderation:threshold_remove": Route("POST", OWNER, kwargs=account_code, data=lambda w: {"target": "1:incivility"}),
    "moderation:action_reference": Route(
        "POST", DECIDER, kwargs=lambda w: {"code": w.report_action.code}, data=lambda w: {"reference": "X-123"}
    ),
    "moderation:audit": Route("GET", SIGNED_IN),
    "moderation:accounts": Route("GET", SIGNED_IN),
    "exports:list": Route("GET", SIGNED_IN),
    "exports:create": Route("POST", SIGNED_IN, data=lambda w: {"format": "csv"}),
    "exports:detail": Route("GET", CREATOR, kwargs=lambda w: {"code": w.export.code}, creator="carol"),
    "exports:progress": Route("GET", CREATOR, kwargs=lambda w: {"code": w.export.code}, creator="carol"),
    "exports:download": Route("GET", CREATOR, kwargs=lambda w: {"code": w.export.code}, creator="carol"),
    "evidence:packs": Route("GET", SIGNED_IN),
    "evidence:pack_new": Route("POST", MEMBER, data=lambda w: {"account": str(w.account.code)}),
    "evidence:pack_download": Route("GET", CREATOR, kwargs=lambda w: {"code": w.make_pack().code}, creator="carol"),
    # Picking replies for a pack, and building a pack of them: every member may export.
    "evidence:pack_select": Route("POST", MEMBER, data=lambda w: {"items": [str(w.item.code)]}),
    "evidence:pack_selection_build": Route("POST", MEMBER, data=lambda w: {"items": [str(w.item.code)]}),
    "evidence:incidents": Route("GET", SIGNED_IN),
    "evidence:incident_new": Route(
        "POST", DECIDER, data=lambda w: {"account": str(w.account.code), **INCIDENT_FORM}, other_methods=("GET",)
    ),
    "evidence:incident": Route("GET", MEMBER, kwargs=incident_code),
    "evidence:incident_edit": Route(
        "POST",
        DECIDER,
        kwargs=incident_code,
        data=lambda w: {**INCIDENT_FORM, "what_happened": "Threats_and_more"},
        other_methods=("GET",),
    ),
    "evidence:artefact": Route("GET", MEMBER, kwargs=artefact_code),
    "evidence:artefact_reveal": Route("POST", MEMBER, kwargs=artefact_code),
    "evidence:artefact_note": Route(
        "POST", DECIDER, kwargs=artefact_code, data=lambda w: {"note": "Seen_by_police"}, other_methods=("GET",)
    ),
    "evidence:artefact_redact": Route(
        "POST",
        DECIDER,
        kwargs=artefact_code,
        data=lambda w: {"rectangles": "0,0,10,10", "reason": "hide_address"},
        other_methods=("GET",),
    ),
    "evidence:custody": Route("GET", SIGNED_IN),
    "evidence:uploads": Route("GET", SIGNED_IN),
    # Without a file the form comes back with its errors (200): the access check comes first.
    "evidence:upload_screenshot": Route("POST", DECIDER, data=lambda w: {"account": str(w.account.code)}),
    "evidence:upload_whatsapp": Route("POST", DECIDER, data=lambda w: {"account": str(w.account.code)}),
    # A chat import's progress: every member of the account may follow it.
    "evidence:whatsapp_import": Route("GET", MEMBER, kwargs=whatsapp_import_job),
    "evidence:whatsapp_import_progress": Route("GET", MEMBER, kwargs=whatsapp_import_job),
    "team:members": Route("GET", SIGNED_IN),
    "team:invite": Route("POST", OWNER, kwargs=account_code, data=lambda w: {"role": "comms", "note": "Dana"}),
    "team:member_role": Route(
        "POST",
        OWNER,
        kwargs=lambda w: {"code": w.account.memberships.get(user__username="bob").code},
        data=lambda w: {"role": "comms"},
    ),
    "team:member_remove": Route(
        "POST", OWNER, kwargs=lambda w: {"code": w.account.memberships.get(user__username="carol").code}
    ),
    "team:invitation_revoke": Route("POST", OWNER, kwargs=lambda w: {"code": w.invitation.code}),
    "team:join": Route("GET", PUBLIC, kwargs=lambda w: {"secret": w.invitation_secret}, other_methods=("POST",)),
    "team:security": Route("GET", SIGNED_IN),
    "team:recovery_codes": Route("POST", SIGNED_IN),
    "team:two_step_setup": Route("GET", SIGNED_IN, other_methods=("POST",)),
    "team:two_step_verify": Route("GET", SIGNED_IN, other_methods=("POST",)),
    "api:tokens": Route("GET", SIGNED_IN),
    "api:token_create": Route("POST", SIGNED_IN, data=lambda w: {"name": "laptop"}),
    "api:token_revoke": Route("POST", CREATOR, kwargs=lambda w: {"code": w.token.code}, creator="bob"),
    "api:openapi": Route("GET", PUBLIC, api=True),
    "api:ninja:items": Route("GET", SIGNED_IN, api=True),
    "api:ninja:item": Route("GET", MEMBER, kwargs=lambda w: {"code": w.item.code}, api=True),
    "api:ninja:item_decisions": Route(
        "POST", DECIDER, kwargs=lambda w: {"code": w.item.code}, data=lambda w: {"action": "dismiss"}, api=True
    ),
    "api:ninja:api-root": Route("GET", NOBODY, api=True),
    "platforms:connect_x": Route("GET", SIGNED_IN),
    "platforms:connect_x_start": Route("POST", SIGNED_IN),
    "platforms:x_callback": Route("GET", SIGNED_IN),
    "platforms:reconnect_x": Route("POST", OWNER, kwargs=account_code),
}


def route_names() -> set[str]:
    """Every named route outside Django's admin, which has its own staff-only checks."""

    def walk(patterns, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"unnamed route {pattern.pattern}: name it and declare it here"
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, None))


def test_every_route_is_declared():
    assert route_names() == set(ROUTES)


@dataclass
class World:
    account: object
    item: object
    export: Export
    token: object
    invitation: object
    invitation_secret: str
    tokens: dict
    report_action: object
    make_pack: callable


@pytest.fixture
def world(
    account,
    charlies_account,
    ingest,
    alice,
    bob,
    carol,
    charlie,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    item, racist = ingest(THREAT, RACIST)
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(user=carol, account=account, since=None, fmt="csv")
    export.refresh_from_db()
    assert export.status == Export.Status.DONE
    invitation, secret = member_invite(account=account, role="moderator", note="Dana", by=alice)
    tokens = {
        name: api_token_create(user=user, name="matrix")[1]
        for name, user in {"alice": alice, "bob": bob, "carol": carol, "charlie": charlie}.items()
    }
    token = bob.api_tokens.get()
    report_action = item_decide(item=racist, user=alice, kind="report").action

    def make_pack():
        # Only the evidence routes need a pack (and the evidence it packs): build it on demand.
        for flagged in (item, racist):
            evidence_capture_task(flagged.pk)
        return pack_create(user=carol, account=account)

    return World(account, item, export, token, invitation, secret, tokens, report_action, make_pack)


def client_for(persona: str, world: World, route: Route, *, enforce_csrf: bool = False) -> Client:
    from django.contrib.auth import get_user_model

    client = Client(enforce_csrf_checks=enforce_csrf)
    if persona == "anonymous":
        return client
    if route.api:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[persona]}"
    else:
        client.force_login(get_user_model().objects.get(username=persona))
    return client


def call(client: Client, method: str, url: str, route: Route, world: World):
    data = route.data(world)
    if route.api and method in {"POST", "PUT", "PATCH"}:
        return client.generic(method, url, json.dumps(data), content_type="application/json")
    if method == "GET":
        return client.get(url, data)
    return client.generic(
        method, url, "&".join(f"{k}={v}" for k, v in _flatten(data)), content_type="application/x-www-form-urlencoded"
    )


def _flatten(data: dict):
    for key, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            yield key, one


def expected(route: Route, persona: str) -> str:
    if route.access == CREATOR:
        if persona == route.creator:
            return "ok"
        return "login" if persona == "anonymous" else "404"
    if persona in ALLOWED[route.access]:
        return "ok"
    if route.access == NOBODY:
        return "404"
    if persona == "anonymous":
        return "login"
    if route.access in {MEMBER, DECIDER, OWNER} and persona == "charlie":
        return "404"
    return "403"


def outcome(response, route: Route) -> str:
    status = response.status_code
    if route.access == PUBLIC and status == 302:
        return "ok"  # signing out, for one, ends on the sign-in page
    if status in (401,) and route.api:
        return "login"
    if status == 302 and reverse("login") in response["Location"] and not route.api:
        return "login"
    if status in (200, 201, 204, 302):
        return "ok"
    return str(status)


CASES = [(name, persona) for name in ROUTES for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_access(world, name, persona):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world))
    response = call(client_for(persona, world, route), route.method, url, route, world)
    assert outcome(response, route) == expected(route, persona), (response.status_code, response.get("Location"))


def allowed_persona(route: Route) -> str:
    if route.access == CREATOR:
        return route.creator
    return "alice" if route.access != PUBLIC else "anonymous"


WRONG_METHODS = [
    (name, method)
    for name, route in ROUTES.items()
    if route.access != NOBODY
    for method in ("GET", "POST", "PUT", "DELETE")
    if method not in {route.method, *route.other_methods}
]


@pytest.mark.parametrize(("name", "method"), WRONG_METHODS, ids=[f"{n}-{m}" for n, m in WRONG_METHODS])
def test_wrong_method_is_405(world, name, method):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world))
    response = call(client_for(allowed_persona(route), world, route), method, url, route, world)
    assert response.status_code == 405


WEB_WRITES = [
    name for name, route in ROUTES.items() if route.method == "POST" and not route.api and route.access != PUBLIC
]


@pytest.mark.parametrize("name", WEB_WRITES)
def test_web_write_without_csrf_token_is_refused(world, name):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world))
    client = client_for(allowed_persona(route), world, route, enforce_csrf=True)
    response = call(client, "POST", url, route, world)
    assert response.status_code == 403


def test_admin_is_for_staff_only(world, alice):
    assert Client().get("/admin/").status_code == 302
    client = Client()
    client.force_login(alice)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_expired_invitation_link_is_404_for_everyone(world):
    world.invitation.expires_at = timezone.now() - timedelta(minutes=1)
    world.invitation.save()
    assert Client().get(reverse("team:join", kwargs={"secret": world.invitation_secret})).status_code == 404
