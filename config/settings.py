"""An Sinh settings.

One file holds everything; environment variables change only what differs between machines:
  DATABASE_URL   database (default: SQLite file ``ansinh.db`` in the current folder)
  SECRET_KEY     signing key (default: a development key; set it in production)
  DEBUG          "1" to show debug pages (default off)
  ALLOWED_HOSTS  comma-separated host names (default: localhost names)
  ANSINH_DEMO    "1" when the demo province is served (demo passwords may be shown)
  ANSINH_PG_PREPARE  "0" to turn off PostgreSQL prepared statements (needed behind a transaction-pooling
                 proxy such as PgBouncer); default on
"""

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "ansinh-development-key-not-for-production")
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
ANSINH_DEMO = os.environ.get("ANSINH_DEMO", "0") == "1"
# Office policy, not law: how many days back an agent may date a payment in the web forms (a payment is
# priced on its date, so an old date would price at old rules). None: no limit.
ANSINH_MAX_BACKDATE_DAYS = 31

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
    "ansinh.demo",
    "ansinh.jobs",
    "django_tasks_db",
    "axes",
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
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves the finders' files; it expects this folder (collectstatic)
STATICFILES_DIRS = [BASE_DIR / "ansinh" / "static"]
WHITENOISE_USE_FINDERS = True
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
