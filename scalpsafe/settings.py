"""ScalpSafe settings: one file, every deploy-time value read from the environment.

The README's "Deploying" section lists every variable. Defaults are the safe choice: DEBUG is off
unless asked for, and with DEBUG off the server refuses to start without a SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from scalpsafe.env import env_bool, env_choice, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# Development mode (DEBUG on, as `make run` does) supplies a key; nothing else does.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-only-key" if DEBUG else None)
if SECRET_KEY is None:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django.contrib.admin, with our site (scalpsafe/admin_site.py).
    "scalpsafe.admin_site.ScalpSafeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "formtools",
    "crispy_forms",
    "crispy_bootstrap5",
    "scalpsafe.apps.ScalpSafeConfig",
    "assessments",
    "clinics",
    "outbox",
    "roller_sessions",
    "allauth",
    "allauth.account",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: the security headers below also on a response Django made from an early error,
    # e.g. the 400 for a bad Host header (scalpsafe/middleware.py).
    "scalpsafe.middleware.SecurityHeadersOnEveryResponse",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # With REDIS_URL: a result page's browser session and cached body in one read from Redis,
    # after the checks above (host, CSRF), before anything reads the session (the module says
    # why; left out without Redis).
    "assessments.middleware.ResultBodyReadWithSession",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "scalpsafe.browser_session_lifetime.BrowserSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Gives allauth the request it serves (allauth.core.context), e.g. for its emails.
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scalpsafe.urls"
WSGI_APPLICATION = "scalpsafe.wsgi.application"

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

# Database: DATABASE_URL selects PostgreSQL (the production and scale-out path); unset means an
# embedded SQLite file (SQLITE_PATH), tuned so that several threads and processes can share it
# safely. A sqlite:////path DATABASE_URL gets the same tuning.


def sqlite_database(path: Path) -> dict:
    """The SQLite file at `path`, with the tuning every SQLite database here gets: the default
    file and a `sqlite:////...` DATABASE_URL alike (the web server and the task worker write to
    it at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
            # on the busy timeout instead of failing with "database is locked" mid-transaction.
            "transaction_mode": "IMMEDIATE",
            # Seconds to wait for a lock (sqlite's busy timeout).
            "timeout": 20,
            # WAL lets readers carry on while one writer writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # A file, not memory, so tests run with the same pragmas as production; one per test
        # run (process), so two runs on one machine never collide.
        "TEST": {"NAME": str(path.parent / f"test-{os.getpid()}.sqlite3")},
    }


def postgresql_pool(environ=None) -> dict | None:
    """psycopg's connection pool for each process (Django's OPTIONS["pool"]), or None when
    DATABASE_POOL_MAX_SIZE=0 turns it off (then DATABASE_CONN_MAX_AGE applies).

    On by default: a gunicorn worker's threads share one pool, so a request takes an open
    connection instead of opening one (docs/scaling.md has the arithmetic). The default maximum
    is the worker's thread count, so a thread never waits for a connection.
    """
    max_size = env_int(
        "DATABASE_POOL_MAX_SIZE", env_int("GUNICORN_THREADS", 4, environ=environ), environ=environ
    )
    if max_size == 0:
        return None
    min_size = env_int("DATABASE_POOL_MIN_SIZE", 1, environ=environ)
    if min_size > max_size:
        raise ImproperlyConfigured(
            f"DATABASE_POOL_MIN_SIZE={min_size} is more than DATABASE_POOL_MAX_SIZE={max_size}."
        )
    # Seconds a request waits for a free connection before it fails (the 503 page).
    timeout = env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1, environ=environ)
    return {
        "min_size": min_size,
        "max_size": max_size,
        "timeout": timeout,
        # While the database is unreachable the pool retries a lost connection with a delay
        # that doubles each time (1, 2, 4, 8 s ...), by default for up to 5 minutes: after an
        # outage of a minute the next try could be a minute away, and every request until then
        # a 503. Given up after a request's wait, the pool starts afresh at the next request,
        # so it reconnects within a few seconds of the database coming back
        # (tests/serving/test_faults.py).
        "reconnect_timeout": timeout,
    }


DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        if DATABASES["default"]["NAME"] in ("", ":memory:"):
            # The web server and the task worker are separate processes: they share a file.
            raise ImproperlyConfigured(
                "DATABASE_URL: a SQLite database must be a file, e.g. sqlite:////srv/db.sqlite3"
            )
        DATABASES["default"] = sqlite_database(Path(DATABASES["default"]["NAME"]))
    else:
        if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
            # Django's backend, with timestamps parsed by psycopg's C parser
            # (scalpsafe/postgresql/base.py).
            DATABASES["default"]["ENGINE"] = "scalpsafe.postgresql"
        pool = postgresql_pool()
        if pool is None:
            DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
        else:
            # Django refuses persistent connections beside a pool: the pool keeps them open.
            # With CONN_HEALTH_CHECKS, Django has the pool check each one as it hands it out.
            DATABASES["default"]["CONN_MAX_AGE"] = 0
            DATABASES["default"].setdefault("OPTIONS", {})["pool"] = pool
        # Prepared statements: values bound by the server, not written into the text, and a
        # statement run five times on a connection prepared there, so PostgreSQL stops parsing
        # and planning it again on every request (the pages' statements are the same on every
        # request; docs/performance.md). A statement of more values than the server binds is
        # sent as without them (scalpsafe/postgresql_cursor.py). Django leaves both off for
        # connection poolers: DATABASE_PREPARED_STATEMENTS=false for a PgBouncer in transaction
        # mode older than 1.21 (docs/scaling.md).
        if env_bool("DATABASE_PREPARED_STATEMENTS", True):
            from scalpsafe.postgresql_cursor import PreparedStatementsCursor

            DATABASES["default"].setdefault("OPTIONS", {}).update(
                server_side_binding=True,
                cursor_factory=PreparedStatementsCursor,
                prepare_threshold=5,
            )
        # One test database per test run (process), so two runs on one machine never collide.
        DATABASES["default"]["TEST"] = {
            "NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"
        }
else:
    SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "scalpsafe.sqlite3")))
    DATABASES = {"default": sqlite_database(SQLITE_PATH)}

# Backups (`manage.py backup` and `restore`, README "Backups"): where they are written, and for
# PostgreSQL the folder of pg_dump and pg_restore of the server's major version when they are in
# neither Debian's place (/usr/lib/postgresql/<major>/bin) nor on PATH.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
POSTGRES_BIN_DIR = env_str("POSTGRES_BIN_DIR")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches. Three aliases:
# - "default", shared by every worker process and host: allauth's rate limits count here, so a
#   limit "per address" is one limit, not one per worker or host; with REDIS_URL the browser
#   sessions are kept here too (cached_db: written through to the database, read from Redis).
# - "pages": rendered fragments of one person's data, read after the ownership check (a result's
#   body, a trend chart), under keys that change with the code and the rulebook
#   (assessments/page_cache.py). Deleting a result deletes its entry: from Redis, for every
#   host, with REDIS_URL; without it from the deleting process's memory only (another worker's
#   copy is never served, as ownership is checked in the database first, and it expires within
#   page_cache.RESULT_BODY_SECONDS).
# - "forms": the blank questionnaire forms, the same for everyone and holding no one's data,
#   under keys that change with the code and the rulebook. Always each process's own memory,
#   with or without Redis: an entry can never be stale or someone else's, nothing ever has to be
#   deleted from it on every host, and a step page then needs no round trip to Redis for it
#   (docs/performance.md, "sixth sitting").
# With REDIS_URL (several hosts): "default" and "pages" in Redis, through Django's RedisCache
# (one client per pool: scalpsafe/redis_cache.py) with the hiredis parser. Without it (one
# machine): "default" is a database table (made by migration scalpsafe 0002,
# `createcachetable`) and "pages" each process's own memory, so nothing else has to run.
_BLANK_FORMS = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "scalpsafe-forms",
}
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if urlsplit(REDIS_URL).scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(
            f"REDIS_URL={REDIS_URL!r} must be a redis://, rediss:// or unix:// address, "
            "e.g. redis://127.0.0.1:6379/0"
        )
    _REDIS = {
        "BACKEND": "scalpsafe.redis_cache.RedisCache",  # one client per pool: the module says why
        "LOCATION": REDIS_URL,
        # redis-py picks hiredis by itself when it is installed; named here so that a missing
        # hiredis fails at start-up instead of slowing every cache call down.
        "OPTIONS": {"parser_class": "redis.connection._HiredisParser"},
    }
    CACHES = {
        "default": {**_REDIS, "KEY_PREFIX": "scalpsafe"},
        "pages": {**_REDIS, "KEY_PREFIX": "scalpsafe-pages"},
        "forms": _BLANK_FORMS,
    }
    # Django's cached_db; an unreachable database answered 503 (scalpsafe/cached_db_sessions.py).
    SESSION_ENGINE = "scalpsafe.cached_db_sessions"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "scalpsafe_cache",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "scalpsafe-pages",
        },
        "forms": _BLANK_FORMS,
    }
    # Django's database sessions, read with one fixed query (scalpsafe/db_sessions.py).
    SESSION_ENGINE = "scalpsafe.db_sessions"

# A browser session lives at most 12 hours from its start (scalpsafe/browser_session_lifetime.py
# enforces it, as the cookie's own age restarts whenever the session is saved); a signed-in
# person who is idle for 30 minutes is logged out. A questionnaire in progress survives within
# that window.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_ABSOLUTE_LIFETIME = 12 * 60 * 60
SESSION_IDLE_TIMEOUT = 30 * 60

# Login throttling (django-axes, database-backed): 5 failures for the same username from the
# same address lock that pair for 15 minutes, on the site's and the admin's login alike, and
# so do wrong passwords typed to delete the account or change the password
# (scalpsafe/password_checks.py). allauth's backend is Django's ModelBackend plus its own
# log-in methods; the only one after axes that checks passwords, so a wrong one is hashed once.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Answers permission checks only, in one statement (the module says why); asked first.
    "scalpsafe.auth_backend.OneStatementPermissions",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "scalpsafe.security.client_ip"
# A name that matches no account is stored as a keyed hash, never in clear
# (scalpsafe/login_records.py); the form's log-in and password fields are masked in the
# POST data axes keeps.
AXES_USERNAME_CALLABLE = "scalpsafe.login_records.axes_username"
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "login",
    "email",
    "ip_address",
    "oldpassword",
    "old_password",
    "password1",
    "password2",
    "new_password1",
    "new_password2",
]
# How long lock-out records and access logs are kept: the nightly purge deletes older ones.
AXES_RETENTION_DAYS = env_int("AXES_RETENTION_DAYS", 90, minimum=1)
# How many reverse proxies in front of the app append to X-Forwarded-For (0: trust none).
PROXY_COUNT = env_int("PROXY_COUNT", 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "assessments:mine"
LOGOUT_REDIRECT_URL = "home"

# Accounts: django-allauth's views under /accounts/ (templates in templates/account/), Django's
# User model. Sign-up asks for a username (to log in with) and an email address, which must be
# confirmed before the first log-in. The answer to a sign-up or a password reset is the same
# whether or not the address has an account; its owner is emailed instead. Every email goes
# through the queue (scalpsafe/account_adapter.py), so response times give nothing away either.
ACCOUNT_ADAPTER = "scalpsafe.account_adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "change_password": "scalpsafe.forms.ThrottledChangePasswordForm",
    "login": "scalpsafe.forms.SiteLoginForm",
    "reset_password": "scalpsafe.forms.SiteResetPasswordForm",
    "reset_password_from_key": "scalpsafe.forms.NewPasswordFromLinkForm",
    "set_password": "scalpsafe.forms.FirstPasswordForm",
    "signup": "scalpsafe.forms.EvenTimeSignupForm",
}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link shows a page whose button (a POST) confirms
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset for an unknown address sends nothing
ACCOUNT_CHANGE_EMAIL = True  # one address; a new one replaces it once confirmed
# Changing the address (the way to a password reset) asks for the password again unless the
# last log-in was recent: a borrowed or stolen browser session cannot take the account over.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_SESSION_REMEMBER = True  # no "remember me" box: sessions last as SESSION_* below say
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# allauth's rate limits (in the shared "default" cache): per client address ("ip") and per
# email address or username ("key"). Over the limit, the page says "too many requests" (429)
# whichever one was hit. django-axes (below) still does the log-in lock-out.
ACCOUNT_RATE_LIMITS = {
    "signup": "20/m/ip",  # per address: "confirm_email", one email per 3 minutes
    "login": "30/m/ip",
    # Per username looser than axes' 5 per username and address, so that one address's
    # guesses meet axes' lock-out first, and guesses spread over many addresses meet this.
    "login_failed": "10/m/ip,20/h/key",
    "reset_password": "20/m/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
# The site is in one language, British English (the rulebook's), and never switches (no
# LocaleMiddleware). Without USE_I18N every message Django, the admin and allauth write is their
# English source text, the same words (their en-GB catalogues only repeat them), while dates and
# numbers keep LANGUAGE_CODE's formats. With it on, each of the hundreds of gettext calls a page
# makes looked up the active language in a context-local: about 7% of every page's time
# (docs/performance.md). A translated site turns it back on, with LocaleMiddleware.
USE_I18N = False
USE_TZ = True
# Times on the 24-hour clock in the admin too (the module says why).
FORMAT_MODULE_PATH = ["scalpsafe.formats"]

# Static files: Bootstrap and our CSS are served from our own origin by WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "scalpsafe.static_storage.StaticStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# HTTPS. On by default whenever DEBUG is off; a deployment behind a TLS-terminating proxy sets
# SECURE_PROXY_SSL_HEADER=true so Django trusts the proxy's X-Forwarded-Proto header.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "scalpsafe.security.csrf_failure"

# Content-Security-Policy: everything from our own origin, nothing inline, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Email: printed to the console in development; SMTP, configured here, in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds an SMTP connection may block. Bounded, so a delivery task always ends well within the
# worker's stale-task threshold (outbox/recovery.py) and is never run twice at once.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ScalpSafe <no-reply@localhost>")

# The site's own address, for links in emails sent from outside a request (the worker has no
# request to take the host from), e.g. the clinic's notification.
SITE_URL = env_url("SITE_URL", "http://localhost:8000")

# Work outside the request: Django's task API (the django-tasks backport of Django 6's
# django.tasks), stored in the database (django-tasks-db) and run by `manage.py run_task_worker`
# (outbox/management/commands/run_task_worker.py). Every email goes through it (outbox/).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Django's SuspiciousOperation subclasses (core, sessions, admin): each answers 400.
SUSPICIOUS_OPERATIONS = [
    "SuspiciousOperation",
    "DisallowedHost",
    "DisallowedRedirect",
    "RequestDataTooBig",
    "TooManyFieldsSent",
    "TooManyFilesSent",
    "SuspiciousFileOperation",
    "SuspiciousMultipartForm",
    "SuspiciousSession",
    "InvalidSessionKey",
    "DisallowedModelAdminLookup",
    "DisallowedModelAdminToField",
]
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No private-link token in any log line (clinics/log_redaction.py): on the handler, and on
    # the loggers that write a request's path, so every other handler gets it redacted too.
    "filters": {
        "private_links": {"()": "clinics.log_redaction.RedactPrivateLinks"},
        # A refused request (4xx) is one short line, never a traceback (scalpsafe/log_filters.py).
        "client_errors": {"()": "scalpsafe.log_filters.ClientErrorsOnOneLine"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["private_links"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Security events are one JSON object per line (scalpsafe/security.py).
    "loggers": {
        "scalpsafe.security": {"level": "INFO", "filters": ["private_links"]},
        "django.request": {"filters": ["private_links", "client_errors"]},
        # Each refused request (a bad Host header, a body over the limit...) goes to a logger of
        # its exception's name, with a traceback: a filter on "django.security" would not see
        # them (a logger's filters only apply to its own records), so each one is listed.
        **{
            f"django.security.{name}": {"filters": ["private_links", "client_errors"]}
            for name in SUSPICIOUS_OPERATIONS
        },
        "django.security.csrf": {"filters": ["private_links"]},
        # runserver's access log (`make run`), which has a handler of its own.
        "django.server": {"filters": ["private_links"]},
        # The task worker's own loop says "starting" and "no more tasks" on every poll
        # (run_task_worker runs it in batches); its warnings and errors still show.
        "django_tasks_db": {"level": "WARNING"},
    },
}

# How long assessments are kept: promised in the privacy notice, and the default of
# `manage.py purge_old_assessments`, which deletes the older ones.
ASSESSMENT_RETENTION_DAYS = env_int("ASSESSMENT_RETENTION_DAYS", 730, minimum=1)
