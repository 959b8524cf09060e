"""Connecting an X account from the dashboard: OAuth 2.0 authorization code with PKCE (S256).

The person is sent to X's consent page; X sends them back to our callback with a one-time
code, which we swap (with the PKCE verifier) for the account's access and refresh tokens. The
verifier and the state never leave the server: they wait in the person's (database-backed)
Django session, one pending connection per session, for at most ten minutes.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from platforms.x import REQUEST_TIMEOUT, XConnectError, x_account_connect, x_lookup_me

if TYPE_CHECKING:
    from moderation.models import CampaignAccount

SESSION_KEY = "x_oauth_pending"
PENDING_LIFETIME = timedelta(minutes=10)
SCOPES = ["tweet.read", "users.read", "tweet.moderate.write", "mute.write", "offline.access"]
ENTERPRISE_SCOPE = "block.write"  # X only grants blocking to apps with Enterprise API access
ENTERPRISE_SETTING = "x_enterprise"  # what XConnector.capabilities reads


def x_scopes(*, enterprise: bool) -> list[str]:
    return [*SCOPES, ENTERPRISE_SCOPE] if enterprise else list(SCOPES)


def x_oauth_configured() -> bool:
    return bool(settings.X_CLIENT_ID)


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 S256: base64url(sha256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


# --- reads ---------------------------------------------------------------------------------


def x_accounts_owned(user) -> QuerySet[CampaignAccount]:
    """The X accounts this person owns, which they alone may reconnect."""
    from moderation.models import CampaignAccount

    return CampaignAccount.objects.filter(platform="x", owner=user).order_by("handle")


def x_account_to_reconnect(user, code: str) -> CampaignAccount:
    """The account to reconnect: 404 to outsiders, 403 to members who don't own it."""
    from moderation.models import Membership

    membership = Membership.objects.select_related("account").filter(user=user, account__code=code).first()
    if membership is None:
        raise Http404("No such account")
    # The grant is the owner's own X login: nobody else can (or should) sign in to X for it.
    if membership.account.owner_id != user.pk:
        raise PermissionDenied("Only the account's owner can reconnect it.")
    return membership.account


# --- the redirect to X ---------------------------------------------------------------------


def x_authorization_begin(
    session, *, user, redirect_uri: str, enterprise: bool = False, account: CampaignAccount | None = None
) -> str:
    """Remember a fresh state and PKCE verifier in the session and return X's consent page URL.

    Starting again replaces any pending connection in this session: only the latest one counts.
    """
    if not x_oauth_configured():
        raise XConnectError("X isn't set up here yet: the operator must set X_CLIENT_ID.")
    state = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 unreserved characters, inside RFC 7636's 43..128
    scopes = x_scopes(enterprise=enterprise)
    session[SESSION_KEY] = {
        "state": state,
        "verifier": verifier,
        "created": time.time(),
        "user": user.pk,
        "account": str(account.code) if account is not None else "",
        "redirect_uri": redirect_uri,
        "enterprise": enterprise,
    }
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.X_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
            "state": state,
            "code_challenge": pkce_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if "?" in settings.X_AUTHORIZE_URL else "?"
    return f"{settings.X_AUTHORIZE_URL}{separator}{query}"


# --- the way back --------------------------------------------------------------------------


def _pending(session, *, user, state: str) -> dict:
    # Popped whatever happens next: a verifier is good for one attempt only.
    pending = session.pop(SESSION_KEY, None)
    if not isinstance(pending, dict) or pending.get("user") != user.pk:
        raise XConnectError("There's no X connection waiting to finish here: start again from the connect page.")
    if time.time() - float(pending.get("created") or 0) > PENDING_LIFETIME.total_seconds():
        raise XConnectError("The connection to X took more than 10 minutes and has expired: please start again.")
    if not state or not secrets.compare_digest(str(pending.get("state", "")), state):
        raise XConnectError("X's answer doesn't match the connection started here, so it was ignored: start again.")
    return pending


def _exchange_code(*, code: str, verifier: str, redirect_uri: str) -> dict:
    client_id, client_secret = settings.X_CLIENT_ID, settings.X_CLIENT_SECRET
    try:
        response = requests.post(
            f"{settings.X_API_BASE_URL}/2/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
                "client_id": client_id,
            },
            auth=(client_id, client_secret) if client_secret else None,  # confidential clients use Basic auth
            timeout=REQUEST_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise XConnectError(f"Couldn't reach X to finish connecting ({type(exc).__name__}): try again.") from exc
    if response.status_code in (400, 401):
        raise XConnectError(
            "X refused to finish the connection (the approval was already used, expired or didn't match): "
            "start again from the connect page."
        )
    if response.status_code >= 300:
        raise XConnectError(f"X couldn't finish the connection right now ({response.status_code}): try again later.")
    try:
        grant = response.json()
        if not isinstance(grant, dict) or not grant.get("access_token"):
            raise ValueError
    except ValueError as exc:
        raise XConnectError("X answered with something unexpected: try again later.") from exc
    return grant


def x_authorization_finish(session, *, user, query: Mapping[str, str]) -> CampaignAccount:
    """Check X's answer against the pending connection, swap the code for tokens, connect the account.

    Raises XConnectError with a message for the person for every way this can go wrong; nothing is
    connected then.
    """
    pending = _pending(session, user=user, state=query.get("state", ""))
    error = query.get("error", "")
    if error == "access_denied":
        raise XConnectError("You didn't allow SaferPol on X, so nothing was connected.")
    if error:
        raise XConnectError(f"X didn't connect the account ({error[:100]}).")
    code = query.get("code", "")
    if not code:
        raise XConnectError("X sent no authorization code back: start again from the connect page.")
    account = None
    if pending.get("account"):
        account = x_account_to_reconnect(user, pending["account"])  # still the owner?
    grant = _exchange_code(code=code, verifier=pending["verifier"], redirect_uri=pending["redirect_uri"])
    x_user = x_lookup_me(grant["access_token"])
    if account is not None and str(x_user["id"]) != account.external_id:
        raise XConnectError(
            f"You approved SaferPol as @{x_user['username']} on X, but this was to reconnect @{account.handle}: "
            f"sign in to X as @{account.handle} and try again."
        )
    return x_account_authorize(user=user, x_user=x_user, grant=grant, enterprise=bool(pending.get("enterprise")))


@transaction.atomic
def x_account_authorize(*, user, x_user: dict, grant: dict, enterprise: bool) -> CampaignAccount:
    """Store the grant X gave (tokens, lifetime, scopes) and whether it includes blocking."""
    try:
        expires_in = int(grant.get("expires_in")) if grant.get("expires_in") is not None else None
    except (TypeError, ValueError):
        expires_in = None
    account = x_account_connect(
        owner=user,
        user=x_user,
        access_token=grant["access_token"],
        refresh_token=grant.get("refresh_token") or "",
        expires_in=expires_in,
    )
    granted = str(grant.get("scope") or "")
    account.credential.scopes = granted[:500]
    account.credential.save(update_fields=["scopes", "updated_at"])
    # Blocking is offered only when the person said they have Enterprise access and X granted it.
    account.settings = {**(account.settings or {}), ENTERPRISE_SETTING: enterprise and ENTERPRISE_SCOPE in granted}
    account.save(update_fields=["settings"])
    return account
