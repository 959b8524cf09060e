"""The X (Twitter) connector: mentions in, hide and mute out, through tweepy's v2 Client.

Every call, token refresh included, goes to settings.X_API_BASE_URL: tweepy hard-codes its API
host, so the client's requests session rewrites that host. Tokens are the account's OAuth 2.0
user-context grant (PlatformCredential, encrypted at rest), refreshed shortly before expiry.

Failures are translated once, here: a 429 records X's reset time on the account and pauses it
until then (never sleeping), a 401 marks the account for reconnection, 5xx and network errors
are temporary. See ../shared/PLATFORMS.md for what X's API allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import requests
import tweepy
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from platforms.base import (
    AUTOMATIC,
    ActionError,
    ActionResult,
    Capability,
    CapabilityState,
    Connector,
    FetchedAuthor,
    FetchedItem,
    FetchedPost,
    FetchPage,
    manual,
    unavailable,
)

if TYPE_CHECKING:
    from moderation.models import Author, CampaignAccount, Item
    from platforms.models import PlatformCredential

# tweepy.client.BaseClient.request builds every URL as "https://api.twitter.com" + route.
TWEEPY_HOST = "https://api.twitter.com"
X_WEB = "https://x.com"
REPORT_URL = "https://help.twitter.com/en/safety-and-security/report-abusive-behavior"
BLOCK_REASON = "Blocking through X's API needs Enterprise access: mute and report instead."
DELETE_REASON = "X doesn't let an account delete other people's replies: hide it instead."
REPORT_REASON = "X has no reporting API: report it on X, then record the reference here."
REQUEST_TIMEOUT = 30  # seconds; tweepy sets none, and a hung socket would hold a worker forever
REFRESH_MARGIN = timedelta(minutes=5)
DEFAULT_BACKOFF = timedelta(minutes=15)  # X's rate-limit window, when a 429 carries no reset header
PAGE_SIZE = 100
SEARCH_WINDOW = timedelta(days=7)  # X's recent search reaches back seven days
SEARCH_LAG = timedelta(seconds=10)
TWITTER_EPOCH_MS = 1_288_834_974_657  # the epoch of X's snowflake ids
CURSOR = re.compile(r"m(?P<mentions>\d*):r(?P<replies>\d*)")
POLL_LIMIT_KEY = "rate_limited_until"
ACTION_LIMIT_KEY = "actions_rate_limited_until"  # X limits hide/mute separately from reads
USER_FIELDS = ["created_at", "description", "profile_image_url", "public_metrics", "verified", "verified_type"]
TWEET_FIELDS = ["author_id", "conversation_id", "in_reply_to_user_id", "referenced_tweets", "created_at"]
# The replied-to posts come back in includes.tweets, so the account's own posts are learnt for free.
EXPANSIONS = ["author_id", "referenced_tweets.id"]


class XApiError(Exception):
    """X couldn't or wouldn't answer; `retryable` says whether a later attempt may succeed."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


class XRateLimited(XApiError):
    def __init__(self, message: str):
        super().__init__(message, retryable=True)


class XReconnectNeeded(XApiError):
    def __init__(self, message: str = "X rejected the account's access: an owner needs to reconnect it."):
        super().__init__(message, retryable=False)


class _RebasedSession(requests.Session):
    """A requests session that sends tweepy's hard-coded host to the configured base URL."""

    def __init__(self, base_url: str):
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if isinstance(url, str) and url.startswith(TWEEPY_HOST):
            url = self.base_url + url[len(TWEEPY_HOST) :]
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return super().request(method, url, *args, **kwargs)


class XClient(tweepy.Client):
    """tweepy's v2 client with a user bearer token, pointed at X_API_BASE_URL.

    `user_id` is the account's own X id, which we already store: tweepy would otherwise look it
    up with an extra GET /2/users/me before every mute.
    """

    def __init__(self, access_token: str, *, user_id: str = "", base_url: str | None = None):
        super().__init__(bearer_token=access_token, return_type=dict)
        self.session = _RebasedSession(base_url or settings.X_API_BASE_URL)
        self.user_id = user_id

    def _get_authenticating_user_id(self, *, oauth_1: bool = False) -> str:
        if self.user_id:
            return self.user_id
        return super()._get_authenticating_user_id(oauth_1=oauth_1)


def x_problem(exc: tweepy.HTTPException) -> str:
    """X's own words for an error, kept short; it's platform text, shown escaped like all of it."""
    details = "; ".join(str(m) for m in exc.api_messages if m) or exc.response.reason or "no detail"
    return f"{exc.response.status_code} {details}"[:300]


# --- tokens ------------------------------------------------------------------------------


def x_credential(account: CampaignAccount) -> PlatformCredential:
    from platforms.models import PlatformCredential

    credential = PlatformCredential.objects.filter(account=account).first()
    if credential is None or not credential.access_token:
        _mark_reconnect(account)
        raise XReconnectNeeded("This X account has no stored access token: an owner needs to connect it.")
    return credential


def x_access_token(account: CampaignAccount) -> str:
    """The account's access token, refreshed first when it expires within five minutes."""
    credential = x_credential(account)
    if credential.refresh_token and credential.expires_at and credential.expires_at - timezone.now() < REFRESH_MARGIN:
        try:
            credential = x_token_refresh(account=account)
        except XReconnectNeeded:
            _mark_reconnect(account)  # outside the refresh's transaction, which has rolled back
            raise
    return credential.access_token


@transaction.atomic
def x_token_refresh(*, account: CampaignAccount) -> PlatformCredential:
    """Swap the refresh token for a new grant and store both tokens (encrypted by the field)."""
    from platforms.models import PlatformCredential

    # Locked, because X rotates refresh tokens: a second concurrent refresh would use a dead one.
    credential = PlatformCredential.objects.select_for_update().get(account=account)
    if credential.expires_at and credential.expires_at - timezone.now() >= REFRESH_MARGIN:
        return credential  # someone else refreshed it while we waited for the lock
    client_id = settings.X_CLIENT_ID
    client_secret = settings.X_CLIENT_SECRET
    try:
        response = requests.post(
            f"{settings.X_API_BASE_URL}/2/oauth2/token",
            data={"grant_type": "refresh_token", "refresh_token": credential.refresh_token, "client_id": client_id},
            auth=(client_id, client_secret) if client_secret else None,  # confidential clients use Basic auth
            timeout=REQUEST_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise XApiError(
            f"Couldn't reach X to refresh the access token ({type(exc).__name__}).", retryable=True
        ) from exc
    if response.status_code in (400, 401):
        # The grant was revoked or the refresh token already used: only a new connection helps.
        raise XReconnectNeeded("X refused to refresh the access token: an owner needs to reconnect the account.")
    if response.status_code >= 300:
        raise XApiError(f"X couldn't refresh the access token right now ({response.status_code}).", retryable=True)
    try:
        grant = response.json()
        credential.access_token = grant["access_token"]
    except (ValueError, KeyError, TypeError) as exc:
        raise XApiError("X answered the token refresh with something unexpected.", retryable=True) from exc
    credential.refresh_token = grant.get("refresh_token") or credential.refresh_token
    credential.expires_at = timezone.now() + timedelta(seconds=int(grant.get("expires_in") or 7200))
    credential.scopes = (grant.get("scope") or credential.scopes)[:500]
    credential.save(update_fields=["access_token", "refresh_token", "expires_at", "scopes", "updated_at"])
    return credential


# --- account state kept in settings (see the report: a model field would be better) --------


def _mark_reconnect(account: CampaignAccount) -> None:
    from moderation.models import CampaignAccount

    if account.status != CampaignAccount.Status.RECONNECT:
        account.status = CampaignAccount.Status.RECONNECT
        account.save(update_fields=["status"])


def limited_until(account: CampaignAccount, key: str = POLL_LIMIT_KEY) -> datetime | None:
    """When X's rate limit for this account lifts, if it is still in force."""
    value = (account.settings or {}).get(key)
    if not value:
        return None
    try:
        until = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return until if until > timezone.now() else None


def _record_limit(account: CampaignAccount, key: str, exc: tweepy.TooManyRequests) -> datetime:
    until = datetime.fromtimestamp(exc.reset_time, tz=UTC) if exc.reset_time else timezone.now() + DEFAULT_BACKOFF
    account.settings = {**(account.settings or {}), key: until.isoformat()}
    account.save(update_fields=["settings"])
    return until


def _limit_message(until: datetime) -> str:
    return f"X rate limit reached: paused until {timezone.localtime(until):%H:%M}."


@contextmanager
def _translated(account: CampaignAccount, limit_key: str) -> Iterator[None]:
    """Turn tweepy's and requests' failures into XApiError, recording what the account must remember."""
    try:
        yield
    except tweepy.TooManyRequests as exc:
        raise XRateLimited(_limit_message(_record_limit(account, limit_key, exc))) from exc
    except tweepy.Unauthorized as exc:
        _mark_reconnect(account)
        raise XReconnectNeeded() from exc
    except tweepy.TwitterServerError as exc:
        raise XApiError(f"X is having trouble ({x_problem(exc)}); will try again.", retryable=True) from exc
    except tweepy.HTTPException as exc:
        raise XApiError(f"X refused the request: {x_problem(exc)}", retryable=False) from exc
    except requests.RequestException as exc:
        raise XApiError(f"Couldn't reach X ({type(exc).__name__}); will try again.", retryable=True) from exc


# --- mapping X's payloads ----------------------------------------------------------------


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def x_author(user: dict) -> FetchedAuthor:
    metrics = user.get("public_metrics") or {}
    username = user.get("username") or user["id"]
    return FetchedAuthor(
        external_id=str(user["id"]),
        handle=username,
        display_name=user.get("name") or "",
        created_at=_parse_time(user.get("created_at")),
        followers_count=metrics.get("followers_count"),
        following_count=metrics.get("following_count"),
        posts_count=metrics.get("tweet_count"),
        default_avatar="default_profile" in (user.get("profile_image_url") or ""),
        bio=user.get("description") or "",
        verified=bool(user.get("verified")) or user.get("verified_type") not in (None, "", "none"),
        profile_url=f"{X_WEB}/{username}",
        raw=user,
    )


def _unknown_author(author_id: str) -> FetchedAuthor:
    # A suspended or withheld author is missing from includes; keep the item, with what we know.
    return FetchedAuthor(external_id=author_id, handle=author_id, profile_url=f"{X_WEB}/i/user/{author_id}")


def _replied_to(tweet: dict) -> str:
    for reference in tweet.get("referenced_tweets") or []:
        if reference.get("type") == "replied_to":
            return str(reference.get("id") or "")
    return ""


def _page_items(
    account: CampaignAccount, response: dict, *, thread_post: str = ""
) -> tuple[list[FetchedItem], list[FetchedPost]]:
    includes = response.get("includes") or {}
    users = {str(u["id"]): u for u in includes.get("users") or [] if u.get("id")}
    posts = [
        FetchedPost(
            external_id=str(t["id"]),
            text=t.get("text") or "",
            url=f"{X_WEB}/{account.handle}/status/{t['id']}",
            posted_at=_parse_time(t.get("created_at")),
        )
        for t in includes.get("tweets") or []
        if str(t.get("author_id")) == account.external_id
    ]
    items = []
    for tweet in response.get("data") or []:
        author_id = str(tweet.get("author_id") or "")
        user = users.get(author_id)
        author = x_author(user) if user else _unknown_author(author_id)
        is_reply = bool(thread_post) or str(tweet.get("in_reply_to_user_id") or "") == account.external_id
        items.append(
            FetchedItem(
                external_id=str(tweet["id"]),
                kind="reply" if is_reply else "mention",
                text=tweet.get("text") or "",
                author=author,
                posted_at=_parse_time(tweet.get("created_at")) or timezone.now(),
                url=f"{X_WEB}/{author.handle}/status/{tweet['id']}",
                conversation_id=str(tweet.get("conversation_id") or ""),
                in_reply_to=thread_post or (_replied_to(tweet) if is_reply else ""),
                raw=tweet,
            )
        )
    return items, posts


def snowflake_at(moment: datetime) -> str:
    """The smallest X id that could have been created at `moment` (ids are time-ordered snowflakes)."""
    return str(max(0, int(moment.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22)


def split_cursor(cursor: str) -> tuple[str, str]:
    """(newest mention id, reply search position) from a stored cursor like "m123:r456"."""
    if cursor.isdigit():  # a bare id: both streams start from it
        return cursor, cursor
    match = CURSOR.fullmatch(cursor or "")
    return (match["mentions"], match["replies"]) if match else ("", "")


def join_cursor(mentions: str, replies: str) -> str:
    return f"m{mentions}:r{replies}"


def _newest(current: str, candidates: list[str]) -> str:
    ids = [int(c) for c in [current, *candidates] if c and c.isdigit()]
    return str(max(ids)) if ids else ""


# --- the connector -----------------------------------------------------------------------


class XConnector(Connector):
    platform = "x"
    report_url = REPORT_URL
    # X allows 50 hides and 50 mutes per user per 15 minutes; the outbox queues anything beyond.
    action_limits = {kind: (50, 15 * 60) for kind in ("hide", "unhide", "mute", "unmute")}

    def capabilities(self, account: CampaignAccount) -> dict[Capability, CapabilityState]:
        return {
            Capability.READ: AUTOMATIC,
            Capability.HIDE: AUTOMATIC,
            Capability.MUTE: AUTOMATIC,
            Capability.BLOCK: AUTOMATIC if account.settings.get("x_enterprise") else unavailable(BLOCK_REASON),
            Capability.REPORT: manual(REPORT_REASON, REPORT_URL),
            Capability.DELETE: unavailable(DELETE_REASON),
        }

    def client(self, account: CampaignAccount) -> XClient:
        return XClient(x_access_token(account), user_id=account.external_id)

    def fetch(self, account: CampaignAccount, cursor: str) -> Iterator[FetchPage]:
        """Every mention newer than the cursor, then every reply in the account's recent threads.

        Mentions come newest first, 100 a page. Replies come from a recent search per own post
        of the last 7 days (X's search window), bounded by an end time fixed at the start of the
        walk, so a reply posted mid-walk is never skipped past. Each page's cursor holds the
        newest ids of the walk so far; the service stores it once the walk completes.
        """
        from moderation.models import AccountPost

        until = limited_until(account, POLL_LIMIT_KEY)
        if until is not None:
            raise XRateLimited(f"X rate limit: skipped until {timezone.localtime(until):%H:%M}.")
        with _translated(account, POLL_LIMIT_KEY):
            client = self.client(account)
        mentions_since, replies_since = split_cursor(cursor)
        started = timezone.now()
        recent_posts = AccountPost.objects.filter(account=account, posted_at__gte=started - SEARCH_WINDOW)
        known_posts = set(recent_posts.values_list("external_id", flat=True))
        newest_mention, seen = mentions_since, set()

        for response in self._pages(account, client.get_users_mentions, account.external_id, since_id=mentions_since):
            items, posts = _page_items(account, response)
            seen.update(item.external_id for item in items)
            newest_mention = _newest(newest_mention, [item.external_id for item in items])
            yield FetchPage(items=items, posts=posts, cursor=join_cursor(newest_mention, replies_since))

        # X's search wants end_time at least 10 seconds in the past. Everything up to it is read
        # below, so the next walk may start from the snowflake id of that moment.
        # X's end_time has whole seconds and is exclusive; since_id is exclusive too, hence the -1.
        end_time = (started - SEARCH_LAG).replace(microsecond=0)
        newest_reply = _newest(replies_since, [str(int(snowflake_at(end_time)) - 1)])
        # Posts learnt during this walk (from the mentions' includes) are searched from the start.
        for post_id in recent_posts.order_by("posted_at").values_list("external_id", flat=True):
            query = f"conversation_id:{post_id} is:reply"
            since = replies_since if post_id in known_posts else ""
            for response in self._pages(account, client.search_recent_tweets, query, since_id=since, end_time=end_time):
                items, posts = _page_items(account, response, thread_post=post_id)
                fresh = [item for item in items if item.external_id not in seen]  # also a mention: read already
                seen.update(item.external_id for item in fresh)
                yield FetchPage(items=fresh, posts=posts, cursor=join_cursor(newest_mention, replies_since))
        yield FetchPage(items=[], cursor=join_cursor(newest_mention, newest_reply))

    def _pages(self, account: CampaignAccount, method, *args, since_id: str, **params) -> Iterator[dict]:
        # Page by page, not .flatten(): flatten drops the includes that carry the author profiles.
        pages = tweepy.Paginator(
            method,
            *args,
            since_id=since_id or None,
            max_results=PAGE_SIZE,
            expansions=EXPANSIONS,
            user_fields=USER_FIELDS,
            tweet_fields=TWEET_FIELDS,
            user_auth=False,
            **params,
        )
        iterator = iter(pages)
        while True:
            with _translated(account, POLL_LIMIT_KEY):
                response = next(iterator, None)
            if response is None:
                return
            yield response

    def _act(self, account: CampaignAccount, call) -> dict:
        until = limited_until(account, ACTION_LIMIT_KEY)
        if until is not None:
            raise ActionError(f"X rate limit: waiting until {timezone.localtime(until):%H:%M}.", retryable=True)
        try:
            with _translated(account, ACTION_LIMIT_KEY):
                return call(self.client(account))
        except XApiError as exc:
            raise ActionError(str(exc), retryable=exc.retryable) from exc

    def hide(self, account: CampaignAccount, item: Item) -> ActionResult:
        self._act(account, lambda client: client.hide_reply(item.external_id, user_auth=False))
        return ActionResult(reference=f"hidden:{item.external_id}")

    def unhide(self, account: CampaignAccount, item: Item) -> ActionResult:
        self._act(account, lambda client: client.unhide_reply(item.external_id, user_auth=False))
        return ActionResult(reference=f"unhidden:{item.external_id}")

    def mute(self, account: CampaignAccount, author: Author) -> ActionResult:
        self._act(account, lambda client: client.mute(author.external_id, user_auth=False))
        return ActionResult(reference=f"muted:{author.external_id}")

    def unmute(self, account: CampaignAccount, author: Author) -> ActionResult:
        self._act(account, lambda client: client.unmute(author.external_id, user_auth=False))
        return ActionResult(reference=f"unmuted:{author.external_id}")

    def block(self, account: CampaignAccount, author: Author) -> ActionResult:
        if not account.settings.get("x_enterprise"):
            raise ActionError(BLOCK_REASON, retryable=False)
        # tweepy >= 4.15 dropped its block call; the v2 endpoint itself still exists for Enterprise apps.
        route = f"/2/users/{account.external_id}/blocking"
        self._act(
            account,
            lambda client: client.request("POST", route, json={"target_user_id": author.external_id}, user_auth=False),
        )
        return ActionResult(reference=f"blocked:{author.external_id}")

    def delete(self, account: CampaignAccount, item: Item) -> ActionResult:
        raise ActionError(DELETE_REASON, retryable=False)


# --- connecting an account ---------------------------------------------------------------


class XConnectError(Exception):
    """Connecting failed for a reason the operator can fix; the message says which."""


def x_lookup_me(access_token: str) -> dict:
    """Who the access token belongs to (GET /2/users/me), or XConnectError saying why not."""
    client = XClient(access_token)
    try:
        response = client.get_me(user_fields=USER_FIELDS, user_auth=False)
    except tweepy.Unauthorized as exc:
        raise XConnectError("X rejected the access token (401): it is wrong, expired or revoked.") from exc
    except tweepy.TooManyRequests as exc:
        raise XConnectError("X is rate limiting this app right now: try again in 15 minutes.") from exc
    except tweepy.HTTPException as exc:
        raise XConnectError(f"X refused the lookup: {x_problem(exc)}") from exc
    except requests.RequestException as exc:
        raise XConnectError(f"Couldn't reach X at {settings.X_API_BASE_URL} ({type(exc).__name__}).") from exc
    user = (response or {}).get("data") if isinstance(response, dict) else None
    if not user or not user.get("id") or not user.get("username"):
        raise XConnectError("X didn't say which account this token belongs to.")
    return user


@transaction.atomic
def x_account_connect(
    *, owner, user: dict, access_token: str, refresh_token: str = "", expires_in: int | None = None
) -> CampaignAccount:
    """Create or update the owner's X account and store its grant; the owner gets an owner membership."""
    from moderation.models import CampaignAccount, Membership, Role
    from platforms.models import PlatformCredential

    account = CampaignAccount.objects.select_for_update().filter(platform="x", external_id=str(user["id"])).first()
    if account is not None and account.owner_id != owner.pk:
        raise XConnectError(f"@{user['username']} is already connected by another owner.")
    if account is None:
        account = CampaignAccount(platform="x", external_id=str(user["id"]), owner=owner)
    account.handle = user["username"][:100]
    account.display_name = (user.get("name") or "")[:200]
    account.status = CampaignAccount.Status.CONNECTED
    account.save()
    Membership.objects.update_or_create(account=account, user=owner, defaults={"role": Role.OWNER})
    if expires_in is not None:  # X said how long the token lives (the dashboard's OAuth flow)
        expires_at = timezone.now() + timedelta(seconds=expires_in)
    else:
        # A pasted token's lifetime is unknown; X's live two hours, so with a refresh token assume that.
        expires_at = timezone.now() + timedelta(hours=2) if refresh_token else None
    PlatformCredential.objects.update_or_create(
        account=account,
        defaults={"access_token": access_token, "refresh_token": refresh_token, "expires_at": expires_at},
    )
    from moderation.services import audit_record

    audit_record(
        verb="account_connected",
        actor=owner,
        account=account,
        summary=f"@{account.handle} on X connected by {owner.username}",
        detail={"external_id": account.external_id, "refresh_token": bool(refresh_token)},
    )
    return account
