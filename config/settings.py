"""An Sinh settings.

One file holds everything; environment variables change only what differs between machines:
  DATABASE_URL   database (default: SQLite file ``ansinh.db`` in the current folder)
  SECRET_KEY     signing key. Required in production: without DEBUG the web server (``ansinh serve``,
                 ``config.wsgi``) refuses to start when it is unset (the demo, tests and commands use a
                 development key), and ``check --deploy`` reports it (ansinh.E001)
  DEBUG          "1" to show debug pages (default off)
  ALLOWED_HOSTS  comma-separated host names (default: localhost names)
  ANSINH_HTTPS   "1" when users reach An Sinh over HTTPS: Secure session and CSRF cookies, redirect of plain
                 HTTP to HTTPS, HSTS (default off, for a machine on a local network without a certificate)
  ANSINH_HSTS_SECONDS  HSTS duration when ANSINH_HTTPS is on (default 31536000, one year; 0 turns it off)
  ANSINH_PROXY_SSL_HEADER  "1" behind a reverse proxy that terminates HTTPS and sets X-Forwarded-Proto
                 (only then: a client could otherwise claim HTTPS)
  CSRF_TRUSTED_ORIGINS  comma-separated origins (https://ansinh.example.vn) when served behind a proxy
  ANSINH_IMPORT_MAX_ROWS  the upload check stops past this many data rows (default 200000)
  ANSINH_SESSION_HOURS  a signed-in session lasts this many hours (default 8, one office day) and ends
                 when the browser closes (shared office computers)
  ANSINH_DEMO    "1" when the demo province is served (demo passwords may be shown)
  DATABASE_REPLICA_URL  a streaming replica of the PostgreSQL primary: dashboards, progress pages,
                 official lists and exports read from it (``ansinh/core/replica.py``); default none
  MESSAGING_SMS_URL, MESSAGING_SMS_KEY, MESSAGING_SMS_BRANDNAME   the HTTP SMS API of reminder messages
  MESSAGING_ZALO_URL, MESSAGING_ZALO_TOKEN   Zalo ZNS template-message endpoint and access token
  MESSAGING_WEBHOOK_SECRET   shared secret that signs the gateways' delivery reports and replies
  MESSAGING_PUBLIC_URL   the site's public address, for the opt-out link in messages
  ANSINH_RATELIMIT_CACHE  where the API's rate limits count: "database" (default, a table shared by every
                 process and machine), "local" (inside each process), "redis://host:6379/0"
  ANSINH_PG_PREPARE  "0" to turn off PostgreSQL prepared statements (needed behind a transaction-pooling
                 proxy such as PgBouncer); default on
"""

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "ansinh-development-key-not-for-production"
SECRET_KEY_MISSING = ("SECRET_KEY chưa được đặt: máy chủ An Sinh không khởi động khi tắt DEBUG mà không có khóa bí mật "
                      "riêng. Đặt biến môi trường SECRET_KEY (một chuỗi ngẫu nhiên dài, ví dụ tạo bằng: python -c "
                      "'import secrets; print(secrets.token_urlsafe(50))') rồi chạy lại.")
DEBUG = os.environ.get("DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
SECRET_KEY_FROM_ENV = bool(SECRET_KEY)
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
ANSINH_DEMO = os.environ.get("ANSINH_DEMO", "0") == "1"
# Uploads: the check of a member list stops with a message naming this limit past this many data rows
# (memory and time stay bounded; a larger list is split into several files).
ANSINH_IMPORT_MAX_ROWS = int(os.environ.get("ANSINH_IMPORT_MAX_ROWS", "200000"))
# Office policy, not law: how many days back an agent may date a payment in the web forms (a payment is
# priced on its date, so an old date would price at old rules). None: no limit.
ANSINH_MAX_BACKDATE_DAYS = 31
# Reminders and the renewals page list cards and VSI periods lapsed at most this many days ago.
ANSINH_LAPSED_WINDOW_DAYS = int(os.environ.get("ANSINH_LAPSED_WINDOW_DAYS", "365"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "ninja",  # the API documentation page (/api/v1/docs/) served from ninja's own static files, no CDN
    "ansinh.core",
    "ansinh.areas",
    "ansinh.accounts",
    "ansinh.registry",
    "ansinh.enrollment",
    "ansinh.collection",
    "ansinh.campaigns",
    "ansinh.reports",
    "ansinh.parameters",
    "ansinh.calculator",
    "ansinh.administration",
    "ansinh.api",
    "ansinh.imports",
    "ansinh.messaging",
    "ansinh.demo",
    "ansinh.jobs",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    # first, so it compresses every answer the others make (Django's docs); pages are sent gzipped to a
    # browser that asks (a province's lists are 100-200 KB of HTML, 5-20 KB compressed). Against BREACH
    # Django pads each compressed answer with random bytes and CSRF tokens are masked per request.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ansinh.api.middleware.ApiGuardMiddleware",  # /api/: body size limit, JSON for every error
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from this site (htmx, Chart.js and An Sinh's own files
# are served locally; no inline script, no on*= handler). Inline style attributes stay allowed (progress
# bar widths, htmx's indicator style). Nothing may frame the pages, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# HTTPS (ANSINH_HTTPS=1 in production behind a certificate): cookies only over HTTPS, plain HTTP redirected,
# browsers told to keep to HTTPS (HSTS).
ANSINH_HTTPS = os.environ.get("ANSINH_HTTPS", "0") == "1"
SESSION_COOKIE_SECURE = ANSINH_HTTPS
CSRF_COOKIE_SECURE = ANSINH_HTTPS
SECURE_SSL_REDIRECT = ANSINH_HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("ANSINH_HSTS_SECONDS", "31536000")) if ANSINH_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = ANSINH_HTTPS
SECURE_HSTS_PRELOAD = ANSINH_HTTPS
if os.environ.get("ANSINH_PROXY_SSL_HEADER", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Shared office computers: a session lasts one office day and ends when the browser closes.
SESSION_COOKIE_AGE = int(float(os.environ.get("ANSINH_SESSION_HOURS", "8")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

SESSION_ENGINE = "ansinh.accounts.sessions"  # database sessions, read by one hand-written query
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ansinh" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ansinh.accounts.context_processors.role",
                "ansinh.campaigns.context_processors.working",
            ],
            "builtins": ["ansinh.core.templatetags.vn"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{Path.cwd() / 'ansinh.db'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get("ANSINH_PG_PREPARE", "1") == "1":
    # Server-side binding lets PostgreSQL keep a query's plan after its 5th run on a connection
    # (psycopg prepared statements): the same queries repeat on every payment.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Serialise writers instead of failing with "database is locked" under concurrent requests.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

if os.environ.get("DATABASE_REPLICA_URL"):
    # A hot standby of the primary (PostgreSQL streaming replication). Tests see it as a mirror of the
    # primary, so the same queries run on one test database.
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ansinh.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches. "ratelimit" holds only the API's rate-limit counters (uses of a token, failed token attempts per
# address, ansinh/api/services.py). Every process and machine serving the API must share it, or each would
# count on its own and the limits would multiply with the workers: by default it is a table of the database
# (``ansinh_ratelimit``, created by ``migrate``, api migration 0002), which every worker already shares.
# ANSINH_RATELIMIT_CACHE: "database" (default); "local" counts inside each process (one process only, e.g.
# a laptop); "redis://host:6379/0" a Redis server (needs the redis package, not installed by default).
RATELIMIT_CACHE_TABLE = "ansinh_ratelimit"


def _ratelimit_cache(choice: str) -> dict:
    if choice == "local":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ansinh-ratelimit"}
    if choice.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": choice}
    if choice != "database":
        raise ValueError(f"ANSINH_RATELIMIT_CACHE: database, local hoặc redis://…, không phải {choice!r}")
    # Counters live a window (60 s; 900 s for failed attempts); expired rows are deleted once the table
    # passes MAX_ENTRIES rows, which live counters (one per token used in the last minute) stay far below.
    return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": RATELIMIT_CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 3}}


CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": _ratelimit_cache(os.environ.get("ANSINH_RATELIMIT_CACHE", "database").strip()),
}

# Background jobs (imports, large exports, progress refreshes, reminders): Django's own tasks framework
# with the database backend of django-tasks-db, run by `ansinh worker`. Why this queue: it needs no new
# server (the embedded SQLite default stays one file; on PostgreSQL, workers on several machines share
# the queue through the same database), the package is kept by the author of Django's tasks framework,
# and a task is written in the same database transaction as the work that asks for it (a request that
# rolls back leaves no task; one that commits always has its task). Tests run tasks at once with Django's
# ImmediateBackend (conftest.py) except those that test the queue itself.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A worker that has not written its heartbeat for this many seconds is taken as dead: the task it was
# running is run again by another worker (ansinh/jobs/worker.py). Longer than any database lock wait.
ANSINH_WORKER_LEASE_SECONDS = float(os.environ.get("ANSINH_WORKER_LEASE_SECONDS", "60"))
# Rows an import checks and writes per transaction (its restart granularity); empty: 1000.
ANSINH_IMPORT_CHUNK_ROWS = int(os.environ.get("ANSINH_IMPORT_CHUNK_ROWS", "0")) or None

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out sign-in before the password is checked
    "ansinh.accounts.backends.RoleBackend",
]
# Sign-in throttling (django-axes): 5 failed attempts for one user name from one address lock that pair
# for 15 minutes (agents often share an office address, so the address alone is never locked).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_DISABLE_ACCESS_LOG = True  # keep the failures only, not every sign-in
AXES_USERNAME_CALLABLE = "ansinh.accounts.throttling.attempted_username"
# Behind a reverse proxy, pass the client's address to Django (REMOTE_ADDR) or every user shares the
# proxy's address and a user name could be locked from anywhere (see django-axes "Configuring reverse proxies").
# The API (/api/v1/): request bodies above this size are refused (413); personal tokens last at most this
# many days; a token may make ANSINH_API_TOKEN_RATE[0] requests per ANSINH_API_TOKEN_RATE[1] seconds, and an
# address may send ANSINH_API_AUTH_FAILURE_RATE[0] wrong tokens per window (counted in the cache: with several
# server processes use a shared cache such as the database cache).
ANSINH_API_MAX_BODY_BYTES = 1_000_000
ANSINH_API_TOKEN_MAX_DAYS = 365
ANSINH_API_TOKEN_RATE = (600, 60)
ANSINH_API_AUTH_FAILURE_RATE = (20, 900)
CSRF_FAILURE_VIEW = "ansinh.accounts.views.csrf_failure"
AUTH_PASSWORD_VALIDATORS = [  # accounts' own Vietnamese messages stand for these (by validator code)
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"  # the only language: no LocaleMiddleware, every request is in Vietnamese
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves what ``ansinh serve`` collects here (collectstatic)
STATICFILES_DIRS = [BASE_DIR / "ansinh" / "static"]
WHITENOISE_USE_FINDERS = DEBUG  # otherwise the collected copies (with their .gz/.br) are served
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # ``ansinh serve`` runs collectstatic: each file gets a compressed copy that WhiteNoise sends to
    # browsers that accept it (no file-name hashing, so pages and tests need no manifest).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = DEBUG  # rescanning static files on every request is for development

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"short_client_errors": {"()": "ansinh.core.logging.ShortClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["short_client_errors"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"ansinh": {"level": "INFO"}},
}

# Reminder messages (ansinh.messaging). Endpoints and secrets are settings from the environment, never rows;
# a province may override a channel's settings in MESSAGING_PROVINCE_GATEWAYS = {"92": {"sms": {...}}}.
MESSAGING_GATEWAYS = {
    "sms": {"url": os.environ.get("MESSAGING_SMS_URL", ""), "key": os.environ.get("MESSAGING_SMS_KEY", ""),
            "brandname": os.environ.get("MESSAGING_SMS_BRANDNAME", "BHXH"), "timeout": 10},
    "zalo": {"url": os.environ.get("MESSAGING_ZALO_URL", ""),
             "access_token": os.environ.get("MESSAGING_ZALO_TOKEN", ""), "timeout": 10},
    "email": {"from": os.environ.get("MESSAGING_EMAIL_FROM", "nhac-han@ansinh.local")},
}
if ANSINH_DEMO and not MESSAGING_GATEWAYS["sms"]["url"]:
    # The demo sends to the local stub gateway that ``ansinh demo`` starts (``ansinh messaging_stub``).
    MESSAGING_GATEWAYS["sms"]["url"] = "http://127.0.0.1:8025/sms"
    MESSAGING_GATEWAYS["zalo"]["url"] = "http://127.0.0.1:8025/zns"
# E-mail reminders go through Django's mail (MAILERS, Django 6.1+): SMTP from the environment (localhost when
# EMAIL_HOST is unset); the demo and a development machine without EMAIL_HOST print messages to the console.
_email_host = os.environ.get("EMAIL_HOST", "")
MAILERS = {"default": (
    {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
     "OPTIONS": {"host": _email_host or "localhost", "port": int(os.environ.get("EMAIL_PORT", "587")),
                 "username": os.environ.get("EMAIL_HOST_USER", ""),
                 "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                 "use_tls": os.environ.get("EMAIL_USE_TLS", "1") == "1", "timeout": 10}}
    if _email_host or not (DEBUG or ANSINH_DEMO) else {"BACKEND": "django.core.mail.backends.console.EmailBackend"})}
MESSAGING_PROVINCE_GATEWAYS: dict = {}
MESSAGING_DEFAULT_CHANNEL = "sms"
MESSAGING_WINDOWS = [30, 7]  # days before a card or period ends; one message per window
MESSAGING_LAPSE_DAYS = 90  # lapses that ended at most this long ago get one message
MESSAGING_REQUIRE_CONSENT = True  # Decree 13/2023: only people with recorded consent get messages
MESSAGING_MAX_ATTEMPTS = 5
MESSAGING_BACKOFF_SECONDS = 60  # doubled after each failed try: 60 s, 120 s, 240 s, 480 s
MESSAGING_WEBHOOK_SECRET = os.environ.get("MESSAGING_WEBHOOK_SECRET", "")
MESSAGING_WEBHOOK_TOLERANCE_SECONDS = 300  # a signed report older (or newer) than this is refused: no replay
MESSAGING_PUBLIC_URL = os.environ.get("MESSAGING_PUBLIC_URL", "http://127.0.0.1:8000")
