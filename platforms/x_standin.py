"""A local stand-in for X's API v2, for tests and benchmarks only: never used by production code.

It answers the handful of endpoints the X connector calls with X's documented response shapes,
holds state the caller seeds (users, the account's own posts, mentions and replies), records
every request that reached it, and can be told to fail a path (429 with `x-rate-limit-reset`,
401, 403, 503...) so every failure the connector handles can be exercised with the real tweepy
client over real HTTP.

    with XStandin() as x:
        me = x.add_account("AliceForMillbrook", token="tok-1")
        troll = x.add_user("troll")
        x.add_mention(me["id"], troll["id"], "you're a disgrace")
        ... settings.X_API_BASE_URL = x.base_url ...

It also plays X's OAuth 2.0 consent page (`GET /i/oauth2/authorize`, approving at once as the
user given to `sign_in`, or refusing after `deny`) and the authorization-code grant with PKCE:

        x.register_client("standin-client", redirect_uri="http://testserver/platforms/x/callback/")
        x.sign_in(me["id"])
        ... settings.X_AUTHORIZE_URL = x.base_url + "/i/oauth2/authorize" ...
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

# Tweet ids are snowflakes like X's (milliseconds since X's epoch, shifted left 22 bits), so
# they sort by time and a connector may derive an id from a time, as real clients do.
TWITTER_EPOCH_MS = 1_288_834_974_657
FIRST_USER_ID = 1_500_000_000_000_000_000
DEFAULT_AVATAR = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
MUTING_PATH = re.compile(r"^/2/users/(?P<source>\d+)/(?P<verb>muting|blocking)(?:/(?P<target>\d+))?$")
MENTIONS_PATH = re.compile(r"^/2/users/(?P<id>\d+)/mentions$")
HIDDEN_PATH = re.compile(r"^/2/tweets/(?P<id>\d+)/hidden$")
CONVERSATION_QUERY = re.compile(r"^conversation_id:(?P<id>\d+) is:reply$")
PKCE_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # base64url of a SHA-256 digest, unpadded


@dataclass(frozen=True)
class Recorded:
    """One request as it reached the stand-in."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: object

    @property
    def bearer(self) -> str:
        value = self.headers.get("authorization", "")
        return value.removeprefix("Bearer ") if value.startswith("Bearer ") else ""


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict | None = None


def _problem(status: int, title: str, detail: str) -> dict:
    # X's v2 error shape (RFC 7807 style problem document).
    return {"title": title, "type": "about:blank", "status": status, "detail": detail}


FAULT_BODIES = {
    401: _problem(401, "Unauthorized", "Unauthorized"),
    403: _problem(403, "Forbidden", "You are not permitted to perform this action."),
    429: _problem(429, "Too Many Requests", "Too Many Requests"),
    500: _problem(500, "Internal Server Error", "Internal Server Error"),
    503: _problem(503, "Service Unavailable", "Service Unavailable"),
}


class XStandin:
    """The stand-in server and its state. Use as a context manager; `base_url` is where it listens."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sequence = itertools.count()
        self._user_ids = itertools.count(FIRST_USER_ID)
        self._token_numbers = itertools.count(1)
        self.users: dict[str, dict] = {}
        self.tweets: dict[str, dict] = {}
        self.mentions: dict[str, list[str]] = defaultdict(list)
        self.tokens: dict[str, str] = {}  # access token -> user id
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> user id
        self.hidden: set[str] = set()
        self.muted: dict[str, set[str]] = defaultdict(set)
        self.blocked: dict[str, set[str]] = defaultdict(set)
        self.clients: dict[str, dict] = {}  # OAuth client id -> {"secret": ..., "redirect_uri": ...}
        self.codes: dict[str, dict] = {}  # authorization code -> what was approved, until it is used
        self.signed_in: str | None = None  # who approves on the consent page
        self.denying = False
        self.requests: list[Recorded] = []
        self._faults: dict[str, deque[Fault | None]] = defaultdict(deque)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> XStandin:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="x-standin", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the stand-in with `with XStandin() as x:`"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- seeding -----------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        *,
        name: str = "",
        created_at: datetime | None = None,
        description: str = "",
        followers: int = 10,
        following: int = 10,
        tweets: int = 10,
        default_avatar: bool = False,
        verified: bool = False,
    ) -> dict:
        user_id = str(next(self._user_ids))
        created_at = created_at or datetime(2019, 5, 1, tzinfo=UTC)
        user = {
            "id": user_id,
            "username": username,
            "name": name or username,
            "created_at": _iso(created_at),
            "description": description,
            "profile_image_url": DEFAULT_AVATAR
            if default_avatar
            else f"https://pbs.twimg.com/profile_images/{user_id}/photo_normal.jpg",
            "public_metrics": {
                "followers_count": followers,
                "following_count": following,
                "tweet_count": tweets,
                "listed_count": 0,
                "like_count": 0,
            },
            "verified": verified,
            "verified_type": "blue" if verified else "none",
        }
        with self._lock:
            self.users[user_id] = user
        return user

    def add_account(self, username: str, *, token: str, refresh_token: str = "", **profile) -> dict:
        """The campaign account: a user whose access token the stand-in accepts."""
        user = self.add_user(username, **profile)
        with self._lock:
            self.tokens[token] = user["id"]
            if refresh_token:
                self.refresh_tokens[refresh_token] = user["id"]
        return user

    def _tweet_id(self, created_at: datetime) -> str:
        milliseconds = int(created_at.timestamp() * 1000) - TWITTER_EPOCH_MS
        return str((milliseconds << 22) | (next(self._sequence) % (1 << 22)))

    def add_post(self, account_id: str, text: str, *, created_at: datetime | None = None) -> dict:
        """One of the account's own posts, which replies answer."""
        created_at = created_at or datetime.now(UTC)
        tweet_id = self._tweet_id(created_at)
        tweet = {
            "id": tweet_id,
            "text": text,
            "author_id": account_id,
            "conversation_id": tweet_id,
            "created_at": _iso(created_at),
            "edit_history_tweet_ids": [tweet_id],
        }
        with self._lock:
            self.tweets[tweet_id] = tweet
        return tweet

    def add_mention(
        self,
        account_id: str,
        author_id: str,
        text: str,
        *,
        in_reply_to: str = "",
        created_at: datetime | None = None,
    ) -> dict:
        """A post mentioning the account; with `in_reply_to`, a reply to one of its posts."""
        created_at = created_at or datetime.now(UTC)
        tweet_id = self._tweet_id(created_at)
        tweet = {
            "id": tweet_id,
            "text": text,
            "author_id": author_id,
            "conversation_id": tweet_id,
            "created_at": _iso(created_at),
            "edit_history_tweet_ids": [tweet_id],
        }
        if in_reply_to:
            parent = self.tweets[in_reply_to]
            tweet["conversation_id"] = parent["conversation_id"]
            tweet["in_reply_to_user_id"] = parent["author_id"]
            tweet["referenced_tweets"] = [{"type": "replied_to", "id": in_reply_to}]
        with self._lock:
            self.tweets[tweet_id] = tweet
            self.mentions[account_id].append(tweet_id)
        return tweet

    def add_reply(self, parent_id: str, author_id: str, text: str, *, created_at: datetime | None = None) -> dict:
        """A reply deeper in a thread, to someone else: found by conversation search, not in mentions."""
        created_at = created_at or datetime.now(UTC)
        parent = self.tweets[parent_id]
        tweet_id = self._tweet_id(created_at)
        tweet = {
            "id": tweet_id,
            "text": text,
            "author_id": author_id,
            "conversation_id": parent["conversation_id"],
            "in_reply_to_user_id": parent["author_id"],
            "referenced_tweets": [{"type": "replied_to", "id": parent_id}],
            "created_at": _iso(created_at),
            "edit_history_tweet_ids": [tweet_id],
        }
        with self._lock:
            self.tweets[tweet_id] = tweet
        return tweet

    # --- OAuth 2.0 ----------------------------------------------------------------------

    def register_client(self, client_id: str, *, redirect_uri: str, secret: str = "") -> None:
        """The developer app: its id, its secret for a confidential client, its one callback URL."""
        with self._lock:
            self.clients[client_id] = {"secret": secret, "redirect_uri": redirect_uri}

    def sign_in(self, user_id: str) -> None:
        """The person at X's consent page is signed in to X as this user, and approves."""
        self.signed_in = user_id
        self.denying = False

    def deny(self) -> None:
        """The person at X's consent page presses Cancel."""
        self.denying = True

    # --- faults and inspection ---------------------------------------------------------

    def fail(
        self, path: str, status: int, *, after: int = 0, times: int = 1, headers: dict | None = None, body=None
    ) -> None:
        """Make the next `times` requests to `path` fail with `status`, after `after` normal answers."""
        fault = Fault(status=status, headers=dict(headers or {}), body=body)
        with self._lock:
            queue = self._faults[path]
            queue.extend([None] * after)
            queue.extend([fault] * times)

    def rate_limit(self, path: str, *, reset_at: datetime, after: int = 0) -> None:
        reset = str(int(reset_at.timestamp()))
        self.fail(path, 429, after=after, headers={"x-rate-limit-reset": reset, "x-rate-limit-remaining": "0"})

    def requests_to(self, path_prefix: str, method: str | None = None) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith(path_prefix) and (method is None or r.method == method)]

    def muted_by(self, account_id: str) -> set[str]:
        return set(self.muted[account_id])

    # --- answering ---------------------------------------------------------------------

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(path)
            if queue:
                return queue.popleft()
        return None

    def answer(self, request: Recorded) -> tuple[int, dict, dict | None]:
        with self._lock:
            self.requests.append(request)
        fault = self._next_fault(request.path)
        if fault is not None:
            return fault.status, fault.headers, fault.body if fault.body is not None else FAULT_BODIES.get(fault.status)
        if request.path == "/i/oauth2/authorize" and request.method == "GET":
            return self._authorize(request)
        if request.path == "/2/oauth2/token" and request.method == "POST":
            return self._token(request)
        user_id = self.tokens.get(request.bearer)
        if user_id is None:
            return 401, {}, FAULT_BODIES[401]
        path = request.path
        if path == "/2/users/me" and request.method == "GET":
            return 200, {}, {"data": self._user_fields(self.users[user_id], request.query)}
        if match := MENTIONS_PATH.match(path):
            tweets = [self.tweets[i] for i in self.mentions.get(match["id"], [])]
            return self._page(request, tweets, token_param="pagination_token", smallest=5)
        if path == "/2/tweets/search/recent" and request.method == "GET":
            match = CONVERSATION_QUERY.match(request.query.get("query", ""))
            if match is None:
                return 400, {}, _problem(400, "Invalid Request", "The stand-in only answers conversation searches.")
            tweets = [t for t in self.tweets.values() if t["conversation_id"] == match["id"] and t["id"] != match["id"]]
            return self._page(request, tweets, token_param="next_token", smallest=10)
        if (match := HIDDEN_PATH.match(path)) and request.method == "PUT":
            hidden = bool((request.body or {}).get("hidden"))
            with self._lock:
                (self.hidden.add if hidden else self.hidden.discard)(match["id"])
            return 200, {}, {"data": {"hidden": hidden}}
        if match := MUTING_PATH.match(path):
            if match["source"] != user_id:
                return 403, {}, FAULT_BODIES[403]
            store = self.muted if match["verb"] == "muting" else self.blocked
            if request.method == "POST" and not match["target"]:
                target = str((request.body or {}).get("target_user_id", ""))
                with self._lock:
                    store[user_id].add(target)
                return 200, {}, {"data": {match["verb"]: True}}
            if request.method == "DELETE" and match["target"]:
                with self._lock:
                    store[user_id].discard(match["target"])
                return 200, {}, {"data": {match["verb"]: False}}
        return 404, {}, _problem(404, "Not Found Error", f"No stand-in route for {request.method} {path}")

    def _authorize(self, request: Recorded) -> tuple[int, dict, dict | None]:
        """X's consent page, approved (or refused) at once; bad requests never redirect anywhere."""
        query = request.query
        client = self.clients.get(query.get("client_id", ""))
        if client is None:
            return 400, {}, _problem(400, "Invalid Request", "Unknown client_id.")
        redirect_uri = query.get("redirect_uri", "")
        if redirect_uri != client["redirect_uri"]:
            return 400, {}, _problem(400, "Invalid Request", "redirect_uri doesn't match the app's callback URL.")
        problems = []
        if query.get("response_type") != "code":
            problems.append("response_type must be code")
        if not query.get("state"):
            problems.append("state is required")
        if query.get("code_challenge_method") != "S256" or not PKCE_CHALLENGE.match(query.get("code_challenge", "")):
            problems.append("an S256 code_challenge is required")
        if not query.get("scope"):
            problems.append("scope is required")
        if problems:
            return 400, {}, _problem(400, "Invalid Request", "; ".join(problems))
        if self.denying or self.signed_in is None:
            answer = {"error": "access_denied", "state": query["state"]}
        else:
            code = f"standin-code-{next(self._token_numbers)}"
            with self._lock:
                self.codes[code] = {
                    "client_id": query["client_id"],
                    "redirect_uri": redirect_uri,
                    "challenge": query["code_challenge"],
                    "user_id": self.signed_in,
                    "scope": query["scope"],
                }
            answer = {"state": query["state"], "code": code}
        return 302, {"location": f"{redirect_uri}?{urlencode(answer)}"}, None

    def _token(self, request: Recorded) -> tuple[int, dict, dict]:
        form = request.body if isinstance(request.body, dict) else {}
        if form.get("grant_type") == "authorization_code":
            return self._code_grant(request, form)
        user_id = self.refresh_tokens.get(form.get("refresh_token", ""))
        if form.get("grant_type") != "refresh_token" or user_id is None:
            return 400, {}, _invalid("Value passed for the token was invalid.")
        with self._lock:
            # X rotates refresh tokens: the old one stops working once used.
            del self.refresh_tokens[form["refresh_token"]]
        return 200, {}, self._grant(user_id, "tweet.read users.read tweet.moderate.write mute.write offline.access")

    def _code_grant(self, request: Recorded, form: dict) -> tuple[int, dict, dict]:
        client = self.clients.get(form.get("client_id", ""))
        if client is None:
            return 401, {}, {"error": "invalid_client", "error_description": "Unknown client_id."}
        if client["secret"]:  # a confidential client must authenticate with HTTP Basic
            expected = base64.b64encode(f"{form['client_id']}:{client['secret']}".encode()).decode()
            if request.headers.get("authorization", "") != f"Basic {expected}":
                return 401, {}, {"error": "invalid_client", "error_description": "Client authentication failed."}
        with self._lock:
            approved = self.codes.pop(form.get("code", ""), None)  # single use, whatever happens next
        if approved is None or approved["client_id"] != form["client_id"]:
            return 400, {}, _invalid("Value passed for the authorization code was invalid.")
        if form.get("redirect_uri") != approved["redirect_uri"]:
            return 400, {}, _invalid("redirect_uri doesn't match the authorization request.")
        verifier = form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or digest != approved["challenge"]:
            return 400, {}, _invalid("Value passed for the code_verifier was invalid.")
        return 200, {}, self._grant(approved["user_id"], approved["scope"])

    def _grant(self, user_id: str, scope: str) -> dict:
        number = next(self._token_numbers)
        access, refresh = f"standin-access-{number}", f"standin-refresh-{number}"
        grant = {"token_type": "bearer", "expires_in": 7200, "access_token": access, "scope": scope}
        with self._lock:
            self.tokens[access] = user_id
            if "offline.access" in scope.split():
                self.refresh_tokens[refresh] = user_id
                grant["refresh_token"] = refresh
        return grant

    def _page(self, request: Recorded, tweets: list[dict], *, token_param: str, smallest: int):
        query = request.query
        try:
            max_results = int(query.get("max_results", "10"))
        except ValueError:
            max_results = 0
        if not smallest <= max_results <= 100:
            return 400, {}, _problem(400, "Invalid Request", f"max_results must be between {smallest} and 100")
        since_id = int(query.get("since_id") or 0)
        end_time = query.get("end_time")
        if end_time:  # exclusive, whole seconds, as X documents it
            end = datetime.fromisoformat(end_time.replace("Z", "+00:00"))
            tweets = [t for t in tweets if datetime.fromisoformat(t["created_at"].replace("Z", "+00:00")) < end]
        # Tokens name the last id already returned, so new posts arriving mid-walk don't shift pages.
        before = query.get(token_param, "")
        before_id = int(before.removeprefix("np")) if before.startswith("np") else None
        selected = sorted(
            (t for t in tweets if int(t["id"]) > since_id and (before_id is None or int(t["id"]) < before_id)),
            key=lambda t: int(t["id"]),
            reverse=True,
        )
        page, rest = selected[:max_results], selected[max_results:]
        if not page:
            return 200, {}, {"meta": {"result_count": 0}}
        fields = set((query.get("tweet.fields") or "").split(","))
        data = [{k: v for k, v in t.items() if k in {"id", "text", "edit_history_tweet_ids"} | fields} for t in page]
        body: dict = {
            "data": data,
            "meta": {"result_count": len(page), "newest_id": page[0]["id"], "oldest_id": page[-1]["id"]},
        }
        expansions = (query.get("expansions") or "").split(",")
        includes: dict = {}
        if "author_id" in expansions:
            author_ids = list(dict.fromkeys(t["author_id"] for t in page))
            includes["users"] = [self._user_fields(self.users[a], query) for a in author_ids if a in self.users]
        if "referenced_tweets.id" in expansions:
            referenced = dict.fromkeys(r["id"] for t in page for r in t.get("referenced_tweets", []))
            includes["tweets"] = [
                {k: v for k, v in self.tweets[r].items() if k in {"id", "text", "edit_history_tweet_ids"} | fields}
                for r in referenced
                if r in self.tweets
            ]
        if includes:
            body["includes"] = includes
        if rest:
            body["meta"]["next_token"] = f"np{page[-1]['id']}"
        return 200, {}, body

    @staticmethod
    def _user_fields(user: dict, query: dict) -> dict:
        wanted = {"id", "name", "username"} | set((query.get("user.fields") or "").split(","))
        return {k: v for k, v in user.items() if k in wanted}


def _invalid(description: str) -> dict:
    # X's OAuth error shape (RFC 6749 section 5.2).
    return {"error": "invalid_request", "error_description": description}


def _iso(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _handler_for(standin: XStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            content_type = self.headers.get("content-type", "")
            body: object = None
            if raw and "json" in content_type:
                body = json.loads(raw)
            elif raw:
                body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            request = Recorded(
                method=self.command,
                path=url.path,
                query={k: v[0] for k, v in parse_qs(url.query).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            status, headers, payload = standin.answer(request)
            data = json.dumps(payload).encode() if payload is not None else b""
            self.send_response(status)
            self.send_header("content-type", "application/json; charset=utf-8")
            self.send_header("content-length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815 - http.server's naming

        def log_message(self, format, *args) -> None:
            return  # keep test and bench output quiet

    return Handler


def reset_in(seconds: int) -> datetime:
    """A rate-limit reset time `seconds` from now, as X would send it."""
    return datetime.now(UTC) + timedelta(seconds=seconds)
