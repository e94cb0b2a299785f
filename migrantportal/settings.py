"""Settings for the migrant portal, read from the environment.

One module for every environment: development gets safe defaults (SQLite in the
project folder, DEBUG on, localhost only); production sets DEBUG=false and must
then provide SECRET_KEY. See docs/configuration.md for every variable.
"""

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from migrantportal.env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "migrantportal",
    "registry",
    "policy",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Dutch unless the visitor chose English; the browser's language is not asked.
    "migrantportal.i18n.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "migrantportal.security.PrivatePagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "migrantportal.security.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "migrantportal.security.StaffTwoFactorMiddleware",
    # Records who made a change in history rows written during a request (admin included).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "migrantportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "migrantportal.context_processors.menu",
            ],
        },
    },
]

WSGI_APPLICATION = "migrantportal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env_str("DB_CONN_MAX_AGE", default="60")),
        conn_health_checks=True,
    )
}
# SQLite serialises writers; a longer wait keeps concurrent requests from
# failing with "database is locked" during an import.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first, so a locked-out login never reaches the password check;
# then Django's model backend, reading signed-in users through the cache (auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "migrantportal.auth_backends.CachedModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The municipality the dashboards open on for a user without one in their profile.
DEFAULT_MUNICIPALITY = env_str("DEFAULT_MUNICIPALITY", default="GM0394")
# Counts of persons from 1 up to this number are shown as "< 5" to readers without staff
# rights, with what could give them away (charts/privacy.py, docs/privacy.md); 0: off.
SMALL_NUMBER_THRESHOLD = int(env_str("SMALL_NUMBER_THRESHOLD", default="5"))
# A prioritisation round's result, overall and per party group, is shown only from this
# many ballots on: with one ballot the result is that member's ranking, with two a member
# subtracts their own. Values below 3 are raised to 3 (docs/council-workflow.md).
ROUND_RESULT_MIN_BALLOTS_FLOOR = 3
ROUND_RESULT_MIN_BALLOTS = max(
    ROUND_RESULT_MIN_BALLOTS_FLOOR, int(env_str("ROUND_RESULT_MIN_BALLOTS", default="3"))
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security settings that matter once DEBUG is off; `check --deploy` stays clean.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production settings over plain HTTP on this machine's loopback only, to try a
# release before it goes behind TLS; `check --deploy` flags it (migrantportal/checks.py).
ALLOW_INSECURE_LOCAL = env_bool("ALLOW_INSECURE_LOCAL", default=False)
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
if ALLOW_INSECURE_LOCAL and not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
    raise ImproperlyConfigured(
        "ALLOW_INSECURE_LOCAL serves over plain HTTP and is for loopback only: "
        f"ALLOWED_HOSTS may hold only {', '.join(sorted(LOOPBACK_HOSTS))}."
    )
_HTTPS_ONLY = not DEBUG and not ALLOW_INSECURE_LOCAL
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=_HTTPS_ONLY)
SESSION_COOKIE_SECURE = _HTTPS_ONLY
CSRF_COOKIE_SECURE = _HTTPS_ONLY
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEBUG else int(env_str("SECURE_HSTS_SECONDS", default="31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from the portal's own static
# files, never inline or eval'd. Styles allow inline because plotly.js writes
# its own <style> element and the admin sets style attributes; styles cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        # plotly.js draws the PNG download through data: and blob: images.
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sessions end after this much inactivity; SessionIdleTimeoutMiddleware slides
# the expiry forward at most once a minute, so browsing does not write the
# session on every request.
SESSION_IDLE_MINUTES = int(env_str("SESSION_IDLE_MINUTES", default="60"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed attempts for the
# same user name from the same address, that pair is locked for LOGIN_COOLOFF_MINUTES.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(env_str("LOGIN_FAILURE_LIMIT", default="5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env_str("LOGIN_COOLOFF_MINUTES", default="15")))
AXES_RESET_ON_SUCCESS = True
# The audit log records lockouts; axes' own start-up banner only adds noise.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "migrantportal.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "migrantportal.security.client_ip"
# Behind a load balancer or reverse proxy, the number of proxies that append to
# X-Forwarded-For; 0 trusts only the connection's own address.
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", default="0"))

# Two-factor login (django-otp) for staff: when on, users with staff rights log in
# with a code from an authenticator app registered for them in the admin.
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", default=False)
OTP_TOTP_ISSUER = "Migrantenportaal"
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"

REDIS_URL = env_str("REDIS_URL", default="")
CACHES = {
    "default": {
        "BACKEND": "migrantportal.redis_cache.ClientReusingRedisCache",
        "LOCATION": REDIS_URL,
        # A Redis that hangs must cost a page a fraction of a second, not a worker's
        # timeout; after a failure the portal serves without it (redis_cache.py).
        "OPTIONS": {
            "socket_connect_timeout": float(env_str("REDIS_TIMEOUT", default="0.5")),
            "socket_timeout": float(env_str("REDIS_TIMEOUT", default="0.5")),
        },
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# With a shared cache, sessions are read from it and written through to the
# database, which saves a query on every page.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# django-import-export: who may import and export through the admin.
# The uploaded file waits between preview and confirm in the database, which every
# worker reads and which neither evicts it nor goes away with Redis.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "registry.upload_storage.DatabaseUploadStorage"
# Off: the library's escaping drops a leading "=" and turns numbers into text; the export
# resources and formats make cells safe themselves (migrantportal/spreadsheet.py).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# CBS open data (OData v3) table of inhabitants per region and year, read by
# `manage.py fetch_cbs_population`. 70072ned is "Regionale kerncijfers Nederland".
CBS_ODATA_URL = env_str("CBS_ODATA_URL", default="https://opendata.cbs.nl/ODataApi/OData")
CBS_POPULATION_TABLE = env_str("CBS_POPULATION_TABLE", default="70072ned")
CBS_POPULATION_FIELD = env_str("CBS_POPULATION_FIELD", default="TotaleBevolking_1")
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# The audit log (migrantportal/audit.py): one JSON object per line for logins,
# failed logins, lockouts, imports, publications and permission changes. To a
# file when AUDIT_LOG_FILE is set, otherwise to standard error with the rest.
AUDIT_LOG_FILE = env_str("AUDIT_LOG_FILE", default="")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "audit": {"class": "logging.FileHandler", "filename": AUDIT_LOG_FILE, "formatter": "json"}
        if AUDIT_LOG_FILE
        else {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "loggers": {
        "migrantportal.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False},
        # The audit log records logins and lockouts; axes' own lines would repeat them.
        "axes": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
}

# Uploads: the size limit is checked before the body is read (migrantportal/upload_limits.py,
# 50 MB; the reverse proxy's client_max_body_size matches it, docs/operations.md). Files
# over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) are received into a temporary file.
FILE_UPLOAD_HANDLERS = [
    "migrantportal.upload_limits.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# PDF downloads (`?format=pdf` on the debate pack, meeting packs, policy matrix and
# follow-up monitor) are printed by headless Chromium on this server
# (migrantportal/pdf.py, docs/operations.md#pdf-downloads). Without it, or when it
# times out, the link answers with a Dutch message (503) instead of a PDF.
PDF_CHROMIUM_PATH = env_str(
    "PDF_CHROMIUM_PATH", default=shutil.which("chromium") or "/usr/bin/chromium"
)
PDF_TIMEOUT_SECONDS = float(env_str("PDF_TIMEOUT_SECONDS", default="40"))
# Virtual time Chromium gives the page's scripts (the charts) before it prints.
PDF_VIRTUAL_TIME_MS = int(env_str("PDF_VIRTUAL_TIME_MS", default="5000"))
# Chromiums at once on one machine, across all worker processes, and how long a
# request waits for one before it is told to try again.
PDF_SLOTS = int(env_str("PDF_SLOTS", default="1"))
PDF_SLOT_WAIT_SECONDS = float(env_str("PDF_SLOT_WAIT_SECONDS", default="1"))
PDF_SLOT_DIR = env_str(
    "PDF_SLOT_DIR", default=str(Path(tempfile.gettempdir()) / "migrantportal-pdf-slots")
)
