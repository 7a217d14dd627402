"""Settings for every environment.

Unset variables give the embedded default (SQLite, in-memory channel layer, eager Celery,
outbound messages to the local outbox); the contract's variables point the same code at
PostgreSQL, Redis, Twilio and Telegram in production.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from .env import env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.bool("DJANGO_DEBUG", True)
SECRET_KEY = env.secret(
    "DJANGO_SECRET_KEY",
    debug=DEBUG,
    dev_default="dev-only-insecure-key-4f9a1c7e2b8d6a3f0e5c9b1d7a2f8e6c4b0d9a3e",
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")

CRM_COUNTRY = env.choice("CRM_COUNTRY", "MN", ("MN", "KZ"))
COUNTRY_PROFILES = {
    "MN": {"time_zone": "Asia/Ulaanbaatar", "currency": "MNT", "language": "mn"},
    "KZ": {"time_zone": "Asia/Almaty", "currency": "KZT", "language": "kk"},
}
COUNTRY = COUNTRY_PROFILES[CRM_COUNTRY]

# Where ./scripts/run.sh [--port N] last served the demo, so that webhook signatures and the
# operator's simulators agree on the port without PUBLIC_BASE_URL being set in every shell.
LOCAL_SERVER_FILE = BASE_DIR / ".run" / "server-url"
_local_server = LOCAL_SERVER_FILE.read_text().strip() if LOCAL_SERVER_FILE.is_file() else ""
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", _local_server or "http://127.0.0.1:8000").rstrip("/")
_public = urlsplit(PUBLIC_BASE_URL)
if _public.hostname and not DEBUG and _public.hostname not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_public.hostname)
CSRF_TRUSTED_ORIGINS = [f"{_public.scheme}://{_public.netloc}"] if _public.netloc else []

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "channels",
    "crm",
    "cases",
    "channels_app",
    "sms",
    "ivr",
    "kiosk",
    "console",
    "telegram_bot",
    "audit",
    "demo",
]

# Set by config/asgi.py: requests arrive on an event loop (uvicorn, daphne).
ASGI_PROCESS = env.bool("CRM_ASGI", False)
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Provider webhooks (marked @provider_webhook) are answered here, without the browser's
    # middleware below: they carry no session, user or language (channels_app.webhooks).
    # Under ASGI its async-only variant keeps them on the event loop.
    "channels_app.webhooks.AsyncProviderWebhookMiddleware"
    if ASGI_PROCESS
    else "channels_app.webhooks.ProviderWebhookMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.AuditMiddleware",
    "csp.middleware.CSPMiddleware",
    "crm.api.middleware.ApiNotFoundAsJson",
    # Last, as django-axes asks: it turns a locked-out login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- data stores -------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL")


# Deadlines on the database, so a request fails fast (well inside Twilio's 15 s webhook
# timeout) instead of hanging when the server is gone or a query runs away. Seconds to open a
# connection (libpq counts at least 2), seconds to wait for one from the pool, and the longest
# statement a web request may run (ms); reports and exports raise it for themselves
# (crm.db.statement_timeout, REPORT_STATEMENT_TIMEOUT). Celery and management commands keep
# no statement limit: migrations and bulk loads run long by nature.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", 2)
DATABASE_POOL_TIMEOUT = env.int("DATABASE_POOL_TIMEOUT", 3)
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", 5000)
REPORT_STATEMENT_TIMEOUT = env.int("REPORT_STATEMENT_TIMEOUT", 120000)
# Seconds in which connects fail at once after one failed: a dead server costs one timeout.
DATABASE_RETRY_SECONDS = env.int("DATABASE_RETRY_SECONDS", 2)
# The provider webhooks' own connections (config/database/async_pool.py) run one INSERT over
# and over: prepared once per connection, PostgreSQL skips parsing and planning it each time.
# Turn off behind PgBouncer older than 1.21 in transaction mode, which cannot keep them.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", True)
# Set by config/asgi.py and config/wsgi.py: this process serves web requests.
WEB_PROCESS = env.bool("CRM_WEB_PROCESS", False)


# SQLite (the embedded default, or a sqlite:// DATABASE_URL): waiting on a lock beats failing
# at once when the server and a task write together. IMMEDIATE takes the write lock when a
# transaction begins, so two writers queue on the timeout instead of one failing at once with
# "database is locked" when it upgrades a read; WAL lets pages be read while a request writes.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL;",
}


def _postgres(url: str, *, web: bool = False) -> dict:
    """A server database behind a connection pool per process.

    Under ASGI every request thread would otherwise hold a persistent connection of its own,
    and a burst exhausts PostgreSQL's max_connections (bench: allocation under contention).
    The pool caps each process and makes a burst wait for a connection instead.
    """
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return config
    # Django's backend plus a fail-fast window after a failed connect (config/database/).
    config["ENGINE"] = "config.database"
    options = config.setdefault("OPTIONS", {})
    options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    if web and DATABASE_STATEMENT_TIMEOUT:
        options["options"] = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}"
    if env.bool("DATABASE_POOL", True):
        options["pool"] = {
            "min_size": 1,
            "max_size": env.int("DATABASE_POOL_MAX", 8),
            "timeout": DATABASE_POOL_TIMEOUT,
        }
    return config


DATABASES = {
    "default": _postgres(DATABASE_URL, web=WEB_PROCESS)
    if DATABASE_URL
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        "OPTIONS": dict(SQLITE_OPTIONS),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL")
_xdist_worker = env.str("PYTEST_XDIST_WORKER")
if REDIS_URL and _xdist_worker:
    # The suite runs in parallel: each worker gets a Redis database of its own, so one worker's
    # cache.clear() between tests never wipes what another worker's test is relying on.
    _redis = urlsplit(REDIS_URL)
    _worker = int(_xdist_worker.removeprefix("gw") or 0)
    _base = int(_redis.path.strip("/") or 0)
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{(_base + 1 + _worker) % 16}"))
# Seconds to reach Redis and to wait for its answer: an unreachable Redis costs a request
# about a second, never a hang (web nodes keep working without it).
REDIS_CONNECT_TIMEOUT = env.int("REDIS_CONNECT_TIMEOUT", 1)
REDIS_SOCKET_TIMEOUT = env.int("REDIS_SOCKET_TIMEOUT", 2)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 blocks forever on a dead socket without a timeout (channels_redis#422).
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 5,
                        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                    }
                ]
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Celery: eager in-process without a broker, a real worker with Redis ----------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
# Publishing a task to an unreachable broker fails within seconds, not Kombu's minutes.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
# Celery's Django fixup otherwise closes the database connection before and after every task
# (and, in a prefork child, tears down Django's connection pool with it): a new PostgreSQL
# connection per task was most of the cost of sending a notification. Reconnect every 500.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", 500)
CELERY_TIMEZONE = COUNTRY["time_zone"]
CELERY_BEAT_SCHEDULE: dict = {}
# Console pushes (live inbox updates, auto-assignment) get their own queue so a burst of them
# never delays the outbox delivering citizens' notifications on the default queue.
CELERY_TASK_ROUTES = {"console.tasks.console_react": {"queue": "console"}}
# A worker started before Redis waits for it; one whose connection breaks beyond repair exits
# and its supervisor restarts it (docs/operations.md). Tasks are idempotent and acknowledged
# late: what ran when the connection was lost is cancelled and delivered again.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True

# --- auth --------------------------------------------------------------------------------
AUTH_USER_MODEL = "crm.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/console/login/"
LOGIN_REDIRECT_URL = "/console/"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username is refused before its password is even checked.
    "crm.auth_backends.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login lockout (django-axes) on the console, the admin and the API token login: a username
# is locked from one client address after AXES_FAILURE_LIMIT failures, for the cool-off.
# Never a whole address (a call centre shares one NAT) and never a username from everywhere
# (anyone could lock a named agent out). Admins unlock under Axes -> Access attempts.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "crm.lockout.lockout_response"
# Behind a TLS proxy the client address is the last hop it appends to X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
# API tokens (django-rest-knox): one per login, stored hashed, expiring, revoked by
# POST /api/v1/auth/logout/ and by signing out of the console.
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=env.int("API_TOKEN_TTL_HOURS", 10)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": None,
}

# --- languages and time ------------------------------------------------------------------
# Staff pick their own language (cookie / Accept-Language); this is the fallback.
LANGUAGE_CODE = env.str("DJANGO_LANGUAGE_CODE", COUNTRY["language"])
LANGUAGES = [
    ("mn", _("Mongolian")),
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and number formats for mn, kk and en staff (Django's own serve ru): config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = COUNTRY["time_zone"]
DEFAULT_CURRENCY = COUNTRY["currency"]
# A caregiver allowance's monthly amount when its catalogue entry names none (seed 001: MNT).
ALLOWANCE_MONTHLY_AMOUNT = env.int("ALLOWANCE_MONTHLY_AMOUNT", 70000)

# --- static and uploads ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    # Per signed-in user and per anonymous client address; the login endpoints are exempt
    # (one call-centre address would share one budget) and covered by the lockout instead.
    "DEFAULT_THROTTLE_CLASSES": [
        "crm.api.throttling.AnonThrottle",
        "crm.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", "60/minute"),
        "user": env.str("API_THROTTLE_USER", "1200/minute"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["crm.api.permissions.IsStaffAccount"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "crm.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Welfare CRM API",
    "DESCRIPTION": (
        "Staff API of the omnichannel welfare CRM: citizens, timelines and the "
        "intake-and-placement case workflow. Every list is scoped to the caller's jurisdiction."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "crm.api.schema.add_common_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "crm.models.Channel",
        "LanguageEnum": "crm.models.Language",
        "RoleEnum": "crm.models.Role",
    },
}

# --- providers ---------------------------------------------------------------------------
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER")
TELEGRAM_BOT_TOKEN = env.str("TELEGRAM_BOT_TOKEN")
TELEGRAM_WEBHOOK_SECRET = env.str("TELEGRAM_WEBHOOK_SECRET")
# The Bot API's limits (about 30 messages a second, 1 a second per chat) are shared between
# TELEGRAM_SENDERS sending processes; a send waits at most TELEGRAM_MAX_WAIT_SECONDS for its
# slot, later ones go back to the outbox for their turn.
TELEGRAM_MESSAGES_PER_SECOND = env.int("TELEGRAM_MESSAGES_PER_SECOND", 30)
TELEGRAM_SENDERS = env.int("TELEGRAM_SENDERS", 2)
TELEGRAM_MAX_WAIT_SECONDS = env.int("TELEGRAM_MAX_WAIT_SECONDS", 10)
TELEGRAM_HTTP_TIMEOUT = env.int("TELEGRAM_HTTP_TIMEOUT", 30)

# The state registry (ХУР / the Kazakh GBD FL): a local demo table unless a URL is given.
CRM_REGISTRY_URL = env.str("CRM_REGISTRY_URL")
CRM_REGISTRY_TOKEN = env.str("CRM_REGISTRY_TOKEN")
CRM_REGISTRY_BACKEND = (
    "crm.registry.HttpRegistry" if CRM_REGISTRY_URL else "crm.registry.LocalRegistry"
)


def _websocket_origins(base_url: str) -> list[str]:
    """The console's websocket origin when the public URL names one (older browsers do not
    count ws(s):// as 'self')."""
    parts = urlsplit(base_url)
    if not parts.netloc:
        return []
    return [f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"]


# --- production hardening (check --deploy is clean with DJANGO_DEBUG off) -----------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^ready/$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy on every page (django-csp): scripts, styles and connections only
# from this origin (the console's htmx and its own JS are static files; websockets are
# same-origin). Inline style attributes are allowed for layout tweaks; inline scripts never.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        # blob: the case page's thumbnails of files chosen for upload, before they are sent.
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF, *_websocket_origins(PUBLIC_BASE_URL)],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- benchmark harness (bench/) ------------------------------------------------------------
# A bare TwiML view at /bench/ gives the webhook figures their same-run baseline; it exists
# only when the harness turns it on, never in a normal deployment.
CRM_BENCH_ENDPOINTS = env.bool("CRM_BENCH_ENDPOINTS", False)

# --- cases: name the case core's choice sets in the OpenAPI schema --------------------------
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "CaseStatusEnum": "cases.models.Status",
        "CaseDocumentKindEnum": "cases.models.CaseDocument.Kind",
        "ReturnReasonEnum": "cases.models.ReturnReason",
        "AccreditationEnum": "cases.models.Facility.Accreditation",
        "WorkflowEnum": "cases.models.Workflow",
    }
)

# --- channels_app: the outbox's sweeps and delivery ----------------------------------------
CELERY_BEAT_SCHEDULE["channels-outbox-requeue-pending"] = {
    "task": "channels_app.tasks.outbound_requeue_pending",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["cases-marks-expire"] = {
    "task": "cases.tasks.marks_expire",
    "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["channels-outbox-reconcile-sending"] = {
    "task": "channels_app.tasks.outbound_reconcile_sending",
    "schedule": 60.0,
}
# One delivery task sends up to this many due outbox rows, this many at a time in threads
# (the provider's round trip is waiting, not work).
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", 100)
# Drain tasks that may run at once (each takes its own rows; keep it <= worker concurrency).
OUTBOX_DRAINERS = env.int("OUTBOX_DRAINERS", 2)
OUTBOX_SEND_THREADS = env.int("OUTBOX_SEND_THREADS", 8)
# A drainer holds its slot this long past its last batch: a killed worker's slot frees soon.
OUTBOX_DRAIN_LEASE_SECONDS = env.int("OUTBOX_DRAIN_LEASE_SECONDS", 20)
# Pending rows whose task should have run this long ago start drainers (beat, every minute).
OUTBOX_REQUEUE_AFTER_SECONDS = env.int("OUTBOX_REQUEUE_AFTER_SECONDS", 60)
OUTBOX_REQUEUE_COUNT_LIMIT = env.int("OUTBOX_REQUEUE_COUNT_LIMIT", 10000)
# Rows still "sending" this long after their claim are checked with the provider, this many
# a run (beat, every minute). Must exceed 120 s + TWILIO_HTTP_TIMEOUT (checked at start-up).
OUTBOX_SENDING_STALE_SECONDS = env.int("OUTBOX_SENDING_STALE_SECONDS", 180)
OUTBOX_RECONCILE_BATCH = env.int("OUTBOX_RECONCILE_BATCH", 2000)
# Seconds to wait for Twilio's API; a send that times out is checked with Twilio, not resent.
TWILIO_HTTP_TIMEOUT = env.int("TWILIO_HTTP_TIMEOUT", 30)

# --- inbound webhooks: stored in one INSERT, processed by workers (channels_app.intake) ----
CELERY_BEAT_SCHEDULE["channels-inbound-sweep"] = {
    "task": "channels_app.tasks.inbound_sweep_waiting",
    "schedule": 30.0,
}
# A delivery failing this many times is parked as failed (re-run it from the admin).
INBOUND_MAX_ATTEMPTS = env.int("INBOUND_MAX_ATTEMPTS", 5)
# Backoff after the n-th failure: base * 3^(n-1) seconds (5, 15, 45, 135 s).
INBOUND_RETRY_BASE_SECONDS = env.int("INBOUND_RETRY_BASE_SECONDS", 5)
# The sweep queues deliveries still waiting this long after they arrived or were due.
INBOUND_SWEEP_AFTER_SECONDS = env.int("INBOUND_SWEEP_AFTER_SECONDS", 30)
INBOUND_SWEEP_LIMIT = env.int("INBOUND_SWEEP_LIMIT", 1000)
# One task processes at most this many deliveries of one sender, then hands over.
INBOUND_DRAIN_LIMIT = env.int("INBOUND_DRAIN_LIMIT", 50)
# Drain tasks that may run at once, each for its own senders (keep it <= worker concurrency);
# a stored delivery starts its sender's drainer unless one holds the lease already.
INBOUND_DRAINERS = env.int("INBOUND_DRAINERS", 2)
# A drainer holds its lease this long past its last batch: a killed worker's slot frees soon.
INBOUND_DRAIN_LEASE_SECONDS = env.int("INBOUND_DRAIN_LEASE_SECONDS", 20)
# Senders one drainer's batch takes in turn before it looks for newer work.
INBOUND_DRAIN_SENDERS = env.int("INBOUND_DRAIN_SENDERS", 100)
# Longer provider fields (a 2 MB body) are cut to this many characters, with a note kept.
INBOUND_FIELD_MAX_CHARS = env.int("INBOUND_FIELD_MAX_CHARS", 4000)
# Fallback webhooks keep requests in Redis, else as files here, for a sweep to import.
INBOUND_SPOOL_DIR = env.str("INBOUND_SPOOL_DIR", str(BASE_DIR / "var" / "inbound-spool"))
INBOUND_SPOOL_IMPORT_LIMIT = env.int("INBOUND_SPOOL_IMPORT_LIMIT", 5000)
CELERY_BEAT_SCHEDULE["channels-inbound-spool-import"] = {
    "task": "channels_app.tasks.inbound_spool_import",
    "schedule": 30.0,
}

# --- durable side effects: tasks kept while the broker is down, notifications checked ------
CELERY_BEAT_SCHEDULE["channels-deferred-tasks"] = {
    "task": "channels_app.tasks.deferred_tasks_publish",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["channels-case-notifications-check"] = {
    "task": "channels_app.tasks.case_notifications_check",
    "schedule": 60.0,
}
DEFERRED_TASKS_BATCH = env.int("DEFERRED_TASKS_BATCH", 2000)
# Case events older than this with no notification decided are notified by the sweep...
CASE_NOTIFY_SWEEP_AFTER_SECONDS = env.int("CASE_NOTIFY_SWEEP_AFTER_SECONDS", 120)
# ...looking back this far, this many a run.
CASE_NOTIFY_SWEEP_WINDOW_HOURS = env.int("CASE_NOTIFY_SWEEP_WINDOW_HOURS", 48)
CASE_NOTIFY_SWEEP_LIMIT = env.int("CASE_NOTIFY_SWEEP_LIMIT", 500)


# --- audit trail: who read or changed a citizen's data ----------------------------------------
# Off only to measure what auditing costs (bench); a deployment keeps it on.
AUDIT_ENABLED = env.bool("AUDIT_ENABLED", True)
# Rows older than this are deleted by the daily job (0 keeps them for ever).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", 1825)
# Proxies in front of the server (each appends to X-Forwarded-For): the address recorded is
# the one the outermost proxy saw. 0: the connection's own address.
AUDIT_PROXY_COUNT = env.int("AUDIT_PROXY_COUNT", 0)
# A TrueType font with Cyrillic for the data export PDF (the system's DejaVu Sans when empty).
AUDIT_PDF_FONT = env.str("AUDIT_PDF_FONT", "")
CELERY_BEAT_SCHEDULE["audit-purge-expired"] = {
    "task": "audit.tasks.audit_purge_expired",
    "schedule": 24 * 60 * 60.0,
}

# --- ivr: the Twilio Voice hotline ----------------------------------------------------------
# Twilio voices for <Say> (Twilio has none for Mongolian or Kazakh: those are recordings).
IVR_SAY_VOICES = {"ru": ("Polly.Tatyana", "ru-RU"), "en": ("Polly.Joanna", "en-US")}
# A caller waiting this long for an agent is offered to leave the line for a call back.
IVR_QUEUE_CALLBACK_OFFER_SECONDS = env.int("IVR_QUEUE_CALLBACK_OFFER_SECONDS", 120)
IVR_VOICEMAIL_MAX_SECONDS = env.int("IVR_VOICEMAIL_MAX_SECONDS", 120)
# A notification call nobody answered is tried again this often, this many calls in all.
IVR_NOTIFY_CALL_ATTEMPTS = env.int("IVR_NOTIFY_CALL_ATTEMPTS", 3)
IVR_NOTIFY_RETRY_MINUTES = env.int("IVR_NOTIFY_RETRY_MINUTES", 30)
# Stored step answers (for Twilio's retries) are pruned after this many days.
IVR_STEP_KEEP_DAYS = env.int("IVR_STEP_KEEP_DAYS", 2)
CELERY_BEAT_SCHEDULE["ivr-call-steps-prune"] = {
    "task": "ivr.tasks.call_steps_prune",
    "schedule": 3600.0,
}

# --- kiosk: self-service kiosks and the public status page ----------------------------------
# Idle seconds before the touch page asks "Are you still there?", then seconds of countdown
# before it ends the citizen's session and wipes the screen.
KIOSK_IDLE_SECONDS = env.int("KIOSK_IDLE_SECONDS", 60)
KIOSK_COUNTDOWN_SECONDS = env.int("KIOSK_COUNTDOWN_SECONDS", 15)
# One-time identification codes: lifetime, wrong tries per code, codes per citizen per hour.
KIOSK_CODE_TTL_SECONDS = env.int("KIOSK_CODE_TTL_SECONDS", 300)
KIOSK_CODE_MAX_ATTEMPTS = env.int("KIOSK_CODE_MAX_ATTEMPTS", 5)
KIOSK_CODES_PER_HOUR = env.int("KIOSK_CODES_PER_HOUR", 5)
KIOSK_PAIRING_TTL_HOURS = env.int("KIOSK_PAIRING_TTL_HOURS", 72)
# Requests one kiosk may make (DRF rate: "120/min"); the admin flags kiosks silent this long.
KIOSK_THROTTLE_RATE = env.str("KIOSK_THROTTLE_RATE", "120/min")
KIOSK_IDENTIFY_THROTTLE_RATE = env.str("KIOSK_IDENTIFY_THROTTLE_RATE", "10/min")
KIOSK_STALE_MINUTES = env.int("KIOSK_STALE_MINUTES", 10)
# Public /status/<token>/ views per client address.
STATUS_PAGE_THROTTLE_RATE = env.str("STATUS_PAGE_THROTTLE_RATE", "30/min")

# --- deadlines: record missed deadlines, tell the holder, escalate (cases.deadlines) ----------
CELERY_BEAT_SCHEDULE["cases-deadlines-check"] = {
    "task": "cases.tasks.deadlines_check_task",
    "schedule": 60.0,
}
# The maintained case counts behind the casework figures, recounted from the cases nightly.
CELERY_BEAT_SCHEDULE["cases-tally-reconcile"] = {
    "task": "cases.tasks.case_tally_reconcile",
    "schedule": 24 * 3600.0,
}
# Supervisors' figures (desk pages and /api/v1/stats/) are reused this many seconds; 0: never.
CRM_STATS_CACHE_SECONDS = env.int("CRM_STATS_CACHE_SECONDS", 60)
