"""Renda settings: one module driven by environment variables.

Embedded default: SQLite under RENDA_DATA_DIR (default ./var), DEBUG off, a secret key generated
once and kept in the data directory. Production: DATABASE_URL (PostgreSQL) and REDIS_URL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("RENDA_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# embedded | production | test (pytest sets PYTEST_VERSION for its own run)
RENDA_ENV = os.environ.get("RENDA_ENV") or (
    "test" if os.environ.get("PYTEST_VERSION") else "embedded"
)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key comes from the environment, or is generated once and kept in the data directory."""
    if os.environ.get("RENDA_SECRET_KEY"):
        return os.environ["RENDA_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    try:
        # O_EXCL: when several workers start at once, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        key = secrets.token_urlsafe(50)
        fh.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("RENDA_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("RENDA_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("RENDA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "django_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "renda.accounts",
    "renda.orgs",
    "renda.audit",
    "renda.calendar",
    "renda.notifications",
    "renda.suggestions",
    "renda.deputies",
    "renda.opinions",
    "renda.livelihood",
    "renda.search",
    "renda.votes",
    "renda.routing",
    "renda.topics",
    "renda.home",
    "renda.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "renda.home.middleware.SecureCookiesOnHttpsMiddleware",
    "renda.home.middleware.ApiMethodNotAllowedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "renda.home.middleware.ContentSecurityPolicyMiddleware",  # django-csp's, lighter on JSON
    "django_htmx.middleware.HtmxMiddleware",
    "renda.audit.middleware.RequestAddressMiddleware",
    "renda.accounts.middleware.AccountGateMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "renda.urls"
WSGI_APPLICATION = "renda.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "renda" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "renda.home.context_processors.shell",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite in WAL mode with a busy timeout and IMMEDIATE transactions (writers queue instead of
# failing with "database is locked" when two of them upgrade a read lock at once).
SQLITE_PATH = DATA_DIR / "renda.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            # Keep each thread's connection: opening SQLite and running the PRAGMAs below cost
            # about 1 ms a request (docs/performance.md).
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA cache_size=-20000;"
                ),
            },
            # Tests use a real file (WAL, busy timeout) rather than shared-cache memory, whose
            # table locks ignore the busy timeout and would make concurrency tests meaningless.
            "TEST": {"NAME": str(DATA_DIR / f"test-renda-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions ------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "renda",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "renda.accounts.sessions"

# How long a rendered home page is kept at most (it is dropped sooner whenever something it shows
# changes: renda.home.versions); 0 turns the keeping off. Off in tests, whose transactions never
# commit (the versions move on commit): renda/home/tests/test_home_cache.py turns it on, with
# real commits.
RENDA_HOME_CACHE_SECONDS = int(
    os.environ.get("RENDA_HOME_CACHE_SECONDS", "0" if RENDA_ENV == "test" else "60")
)
# Citizens' messages on a deputy's public profile are limited per address
# (renda.deputies.ratelimits): the counters must be shared by every worker, so Redis when there
# is one, otherwise a database table (made by the deputies' migration 0003).
CACHES["ratelimit"] = (
    {**CACHES["default"], "KEY_PREFIX": "renda-rl"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "renda_rate_limits",
    }
)
# The address printed in deputy codes (代表码), e.g. https://rd.example.gov.cn: the public one,
# even when the office works on an internal address. Empty: the address of the request.
RENDA_PUBLIC_URL = os.environ.get("RENDA_PUBLIC_URL", "").rstrip("/")
# A font that draws Chinese, for the deputy's name under a printed code (else one is looked for).
RENDA_CJK_FONT = os.environ.get("RENDA_CJK_FONT", "")
# (count, seconds) windows: 5 messages per 10 minutes and 20 a day from one address.
RENDA_MESSAGE_LIMITS = [
    (int(n), int(s))
    for n, s in (
        pair.split("/")
        for pair in os.environ.get("RENDA_MESSAGE_LIMITS", "5/600,20/86400").split(",")
    )
]


def _limit_pairs(name: str, default: str) -> list[tuple[int, int]]:
    """An environment variable of "count/seconds" windows, e.g. "10/600,50/86400"."""
    return [
        (int(n), int(s))
        for n, s in (pair.split("/") for pair in os.environ.get(name, default).split(","))
    ]


# The audit trail's public lanes (renda.audit.actions, docs/security.md "Audit"): citizens'
# submissions are chained on this many parallel chains besides the main one, so they do not
# queue behind one locked chain head until each commit is flushed. 0: everything on the main chain.
RENDA_AUDIT_LANES = int(os.environ.get("RENDA_AUDIT_LANES", "8"))
# Citizens' opinions (renda.opinions, issue 5): submissions per network address and per phone
# number left, and tracking look-ups per address (each a list of (count, seconds) windows).
RENDA_OPINION_SUBMIT_LIMITS = _limit_pairs("RENDA_OPINION_SUBMIT_LIMITS", "10/600,50/86400")
RENDA_OPINION_PHONE_LIMITS = _limit_pairs("RENDA_OPINION_PHONE_LIMITS", "5/3600,10/86400")
RENDA_OPINION_TRACK_LIMITS = _limit_pairs("RENDA_OPINION_TRACK_LIMITS", "60/600,300/86400")
# Photos attached to an opinion: how many, how large (bytes as uploaded), how many pixels.
RENDA_OPINION_IMAGE_MAX_COUNT = int(os.environ.get("RENDA_OPINION_IMAGE_MAX_COUNT", "4"))
RENDA_OPINION_IMAGE_MAX_BYTES = int(os.environ.get("RENDA_OPINION_IMAGE_MAX_BYTES", "5242880"))
RENDA_OPINION_IMAGE_MAX_PIXELS = int(os.environ.get("RENDA_OPINION_IMAGE_MAX_PIXELS", "40000000"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
# Forced on by RENDA_HTTPS; otherwise SecureCookiesOnHttpsMiddleware marks cookies secure
# whenever the request itself came over HTTPS.
RENDA_HTTPS = _env_bool("RENDA_HTTPS", False)
SESSION_COOKIE_SECURE = RENDA_HTTPS
CSRF_COOKIE_SECURE = RENDA_HTTPS
# Behind a reverse proxy: trust its X-Forwarded-Proto, and take the client's address from the
# right-most X-Forwarded-For entry (the one our proxy appended, not one a client wrote).
RENDA_BEHIND_PROXY = _env_bool("RENDA_BEHIND_PROXY", False)
if RENDA_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if RENDA_HTTPS:
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Background tasks (Django's Tasks API backport, database queue) --------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Accounts and security --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "renda.accounts.auth.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): a lock on the account and, separately, on the address.
AXES_FAILURE_LIMIT = int(os.environ.get("RENDA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("RENDA_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "renda.accounts.throttling.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# One definition of "the client's address" for throttling and the audit trail alike.
AXES_CLIENT_IP_CALLABLE = "renda.audit.addresses.client_address"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Renda"
API_TOKEN_LIFETIME_HOURS = int(os.environ.get("RENDA_API_TOKEN_HOURS", "12"))

# --- Content-Security-Policy: no inline script anywhere --------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation: Simplified Chinese by default, English on request -----------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "renda" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The project-wide assets (Bootstrap, app.css, app.js) live outside any app.
STATICFILES_DIRS = [BASE_DIR / "renda" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if RENDA_ENV == "test":
    # Tests render templates without running collectstatic first.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_AUTOREFRESH = True
# Uploads (suggestion attachments) go to STORAGES["default"]: files under MEDIA_ROOT by
# default, S3-compatible object storage with django-storages when several app servers run
# (docs/suggestions.md, Attachments). MEDIA_URL is never routed: media are served only by the
# permission-checked download views.
MEDIA_ROOT = Path(os.environ.get("RENDA_MEDIA_ROOT", DATA_DIR / "media")).resolve()
RENDA_ATTACHMENT_MAX_MB = float(os.environ.get("RENDA_ATTACHMENT_MAX_MB", "20"))
RENDA_ATTACHMENT_MAX_COUNT = int(os.environ.get("RENDA_ATTACHMENT_MAX_COUNT", "10"))
# Deputies' roster import (docs/deputies.md): the largest file and the most rows accepted.
RENDA_ROSTER_MAX_MB = float(os.environ.get("RENDA_ROSTER_MAX_MB", "10"))
RENDA_ROSTER_MAX_ROWS = int(os.environ.get("RENDA_ROSTER_MAX_ROWS", "20000"))
# Files above 2.5 MB stream to a temporary file, never whole into memory; the first handler stops
# storing an upload as soon as it passes the attachment limit (the view then answers 422).
FILE_UPLOAD_HANDLERS = [
    "renda.suggestions.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o600

# --- Mail and SMS -----------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "RENDA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("RENDA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("RENDA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("RENDA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("RENDA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("RENDA_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("RENDA_EMAIL_FROM", "renda@localhost")
SMS_BACKEND = os.environ.get("RENDA_SMS_BACKEND", "renda.notifications.sms.ConsoleSmsBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RENDA_LOG_LEVEL", "WARNING")},
    "loggers": {
        "renda": {"level": os.environ.get("RENDA_LOG_LEVEL", "INFO")},
        "django_tasks": {"level": "WARNING"},
    },
}

# Demo data only; seed_demo refuses to run when RENDA_ENV=production.
RENDA_DEMO_PASSWORD = os.environ.get("RENDA_DEMO_PASSWORD", "renda-demo-2026")  # noqa: S105

# --- Search (renda/search, docs/search.md) -----------------------------------------------------
# A unit assigned at least this many suggestions is searched like the office (best matches
# first, each checked), not by listing all of its suggestions first ("Speed at scale").
SEARCH_BUSY_UNIT = int(os.environ.get("RENDA_SEARCH_BUSY_UNIT", "2000"))
# A search of every kind runs its kinds side by side on PostgreSQL, on this many connections of
# a worker (the request's own and a pool's; 1: one after another). docs/search.md, "Every kind
# at once".
SEARCH_THREADS = int(os.environ.get("RENDA_SEARCH_THREADS", str(min(3, os.cpu_count() or 1))))
# Similar suggestions (并案) look among the suggestions of this many years, this year included
# (2: this year and last, the ones that can still be merged or co-signed); 0: every year.
SIMILAR_YEARS = int(os.environ.get("RENDA_SIMILAR_YEARS", "2"))

# --- Assignment proposals (renda/routing, docs/routing.md) -------------------------------------
# Too little history proposes nothing: fewer past assignments or units than these.
ROUTING_MIN_SAMPLES = int(os.environ.get("RENDA_ROUTING_MIN_SAMPLES", "50"))
ROUTING_MIN_UNITS = int(os.environ.get("RENDA_ROUTING_MIN_UNITS", "2"))
# The background job retrains after this many new assignments since the last training.
ROUTING_RETRAIN_AFTER = int(os.environ.get("RENDA_ROUTING_RETRAIN_AFTER", "200"))
# A training reads the newest this many samples (time and memory stay bounded at 1 M).
ROUTING_MAX_SAMPLES = int(os.environ.get("RENDA_ROUTING_MAX_SAMPLES", "100000"))
