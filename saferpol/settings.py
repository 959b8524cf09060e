"""SaferPol settings, read from the environment.

With nothing set, a fresh checkout runs on SQLite with tasks executed in-process, so one
machine with no services runs everything. Setting DATABASE_URL switches to PostgreSQL and
REDIS_URL switches tasks to Celery workers over Redis.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be {minimum} or more, not {raw!r}")
    return value


DEBUG = env_bool("DEBUG", False)
# Set by bin/test only: plain-HTTP test servers, an insecure key, static files from source.
TESTING = env_bool("SAFERPOL_TESTING", False)

# The demo flag turns on the demo logins and relaxes two-step checks in later issues; it is
# never implied by anything else, so production settings cannot pick it up by accident.
DEMO_MODE = env_bool("SAFERPOL_DEMO", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or DEMO_MODE or TESTING:
        SECRET_KEY = "insecure-local-only-key-not-for-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set unless DEBUG or SAFERPOL_DEMO is on")

# Earlier keys, still accepted after SECRET_KEY changes: recovery codes are hashed with the key
# of the day they were made, and keep working until the old key is dropped from here.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or DEMO_MODE) else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "moderation",
    "platforms",
    "evidence",
    "team",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user verified once a second step has been passed in this session...
    "django_otp.middleware.OTPMiddleware",
    # ...and sends anyone not yet verified to the code (or set-up) page.
    "team.middleware.TwoStepRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "saferpol.urls"
WSGI_APPLICATION = "saferpol.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "moderation.context_processors.saferpol",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections in production; none in tests, where server threads come and go.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if TESTING else 60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "saferpol.sqlite3")),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing dominates test time; tests never store real passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "moderation:queue"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # django-axes' lockout check first (a subclass that lets request-less logins through), then passwords.
    "team.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
if TESTING and "MEDIA_ROOT" not in os.environ:
    # Evidence written by tests goes to a scratch folder, never into the working tree.
    import tempfile

    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="saferpol-test-media-"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve straight from the source folders when nothing has been collected (tests, first run).
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE or TESTING

# Capture evidence of every flagged item as it arrives (on the "evidence" queue with Celery;
# in-process without a broker). Benchmarks of ingest alone turn it off.
SAFERPOL_CAPTURE_ON_INGEST = env_bool("SAFERPOL_CAPTURE_ON_INGEST", True)
# Log exports and evidence packs are copies of abuse made to be handed on, not the record: their
# files are deleted this many days after they were made (the rows stay, marked expired, as the
# record of who exported what). 0 keeps them forever. The evidence they were made from is kept.
SAFERPOL_EXPORT_RETENTION_DAYS = env_int("SAFERPOL_EXPORT_RETENTION_DAYS", 30, minimum=0)
# An export or pack still waiting or being written this many hours after it was asked for has
# lost its worker (their tasks are killed after an hour): the same daily run marks it failed, so
# its page says to start again, and deletes the partial files such runs leave behind.
SAFERPOL_EXPORT_STUCK_HOURS = env_int("SAFERPOL_EXPORT_STUCK_HOURS", 6, minimum=1)

# Real browser screenshots of public pages, on each platform's own hosts only. The demo has no
# public pages; tests turn this on against pages served on loopback.
SAFERPOL_EVIDENCE_SCREENSHOTS = env_bool("SAFERPOL_EVIDENCE_SCREENSHOTS", not (TESTING or DEMO_MODE))
SAFERPOL_SCREENSHOT_HOSTS = {"x": ["x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"]}

# Fernet key(s) for platform tokens at rest, newest first; required before connecting a platform.
# Tests get a fixed, public key so the suite can store credentials; nothing else ever does.
TEST_ENCRYPTION_KEY = "c2FmZXJwb2wtdGVzdHMtb25seS1ub3QtYS1zZWNyZXQ="  # base64 of a 32-byte public string
SAFERPOL_ENCRYPTION_KEY = os.environ.get("SAFERPOL_ENCRYPTION_KEY", "") or (TEST_ENCRYPTION_KEY if TESTING else "")

# Platform API base URLs: tests and staging point these at a local stand-in.
X_API_BASE_URL = os.environ.get("X_API_BASE_URL", "https://api.x.com").rstrip("/")
# OAuth 2.0 (PKCE) for connecting X accounts from the dashboard: the app's client id (and secret
# for a confidential client) from X's developer portal, and where X sends people to approve.
X_CLIENT_ID = os.environ.get("X_CLIENT_ID", "")
X_CLIENT_SECRET = os.environ.get("X_CLIENT_SECRET", "")
X_AUTHORIZE_URL = os.environ.get("X_AUTHORIZE_URL", "https://x.com/i/oauth2/authorize")

# --- Tasks -------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker every task runs in-process at the point it is enqueued (after commit).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_TASK_DEFAULT_QUEUE = "default"
# Named queues: ingest must never wait behind slow work such as evidence capture.
CELERY_TASK_ROUTES = {
    "moderation.tasks.poll_account": {"queue": "ingest"},
    "moderation.tasks.poll_due_accounts": {"queue": "ingest"},
    "moderation.tasks.action_execute": {"queue": "actions"},
    "moderation.tasks.actions_run_due": {"queue": "actions"},
    "moderation.export_tasks.export_run": {"queue": "exports"},
    "moderation.export_tasks.exports_prune": {"queue": "exports"},
    "evidence.tasks.evidence_capture": {"queue": "evidence"},
    "evidence.tasks.evidence_capture_due": {"queue": "evidence"},
    "evidence.pack_tasks.pack_build": {"queue": "exports"},
    "evidence.tasks.whatsapp_import_run": {"queue": "ingest"},
}
CELERY_IMPORTS = ["moderation.export_tasks", "evidence.pack_tasks"]
CELERY_BEAT_SCHEDULE = {
    "poll-due-accounts": {
        "task": "moderation.tasks.poll_due_accounts",
        "schedule": float(env_int("SAFERPOL_POLL_TICK_SECONDS", 30)),
    },
    "run-due-actions": {"task": "moderation.tasks.actions_run_due", "schedule": 60.0},
    "capture-missing-evidence": {"task": "evidence.tasks.evidence_capture_due", "schedule": 300.0},
    # Once a day, at a quiet hour: delete exported files past SAFERPOL_EXPORT_RETENTION_DAYS.
    "prune-old-exports": {"task": "moderation.export_tasks.exports_prune", "schedule": crontab(hour=3, minute=30)},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

CACHES = (
    {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

# --- Security ----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not (DEBUG or DEMO_MODE or TESTING):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Content-Security-Policy (django-csp 4): only our own scripts, styles and forms; nothing inline,
# so an abusive reply that slipped past escaping still could not run or restyle the page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "connect-src": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
        "form-action": [CSP_SELF],
        "base-uri": [CSP_NONE],
        "object-src": [CSP_NONE],
    }
}

# Two-step verification (django-otp): a code from an authenticator app, or a one-time recovery
# code, after the password. Always required in production; optional in the demo, and off by
# default under bin/test so force_login() sessions reach the pages (the team tests turn it on).
SAFERPOL_REQUIRE_2FA = env_bool("SAFERPOL_REQUIRE_2FA", not DEMO_MODE and not TESTING)
OTP_TOTP_ISSUER = "SaferPol"
SAFERPOL_RECOVERY_CODES = 10

# Sign-in throttling (django-axes): five wrong passwords for one username from one address locks
# that pair for 15 minutes; other people on the same network, and the same person elsewhere, can
# still sign in, so a stranger can't lock a councillor out from afar.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "team.views.lockout"
# The same address the audit log records, dashboard and JSON API alike.
AXES_CLIENT_IP_CALLABLE = "saferpol.client_address.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are already in the audit log
# Behind a reverse proxy REMOTE_ADDR is the proxy: set this to the number of proxies in front
# (1 for one nginx) so the address locked and audited is the visitor's, read from X-Forwarded-For.
# Never more than there really are: each extra one lets a visitor choose their address.
SAFERPOL_TRUSTED_PROXIES = env_int("SAFERPOL_TRUSTED_PROXIES", 0, minimum=0)

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Every task's "succeeded" line would drown the demo's terminal; failures still show.
        "celery.app.trace": {"level": "WARNING"},
    },
}

# Queue page size; the queue never counts all rows (a million items per account).
SAFERPOL_QUEUE_PAGE_SIZE = env_int("SAFERPOL_QUEUE_PAGE_SIZE", 25)
