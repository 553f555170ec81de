"""Settings for the cluster portal.

Every value that differs between a developer's laptop and production comes from the
environment (see README.md, "Configuration"). Defaults are safe: DEBUG is off unless asked
for, and with DEBUG off the portal refuses to start without a SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when DEBUG is off "
            "(for local development set DEBUG=1, as `make run` does)."
        )
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    # Background tasks: the backport of Django 6.0's Tasks framework, with its database
    # backend (the queue is a table, so no other service is needed; `manage.py db_worker`).
    "django_tasks",
    "django_tasks_db",
    "cluster_portal",
    "members",
    "plans",
    "agreements",
    "evaluations",
    "ballots",
    "dossiers",
    "reports",
]

MIDDLEWARE = [
    # First, so that every log line of the request, and every response, carries its id.
    "cluster_portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy header (django-csp), see CONTENT_SECURITY_POLICY below.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cluster_portal.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a logged-in user unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "cluster_portal.middleware.ReviewerReadOnlyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns lockouts raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cluster_portal.urls"
WSGI_APPLICATION = "cluster_portal.wsgi.application"
ASGI_APPLICATION = "cluster_portal.asgi.application"

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
                "members.context_processors.notifications",
            ],
        },
    },
]

# Database: an embedded SQLite file by default, PostgreSQL (or anything dj-database-url
# understands) when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so that concurrent writers queue up
    # (signing day) instead of failing with "database is locked" half-way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every app server: a table of the database by default (created by
# `migrate`, cluster_portal/migrations/0005_cache_table.py), Redis when REDIS_URL is set
# (Django's own backend). Nothing needs it to be right: cached pages are keyed on the data's
# version (cluster_portal.cache), and without a cache every page is still fast.
CACHE_TABLE = "cluster_portal_cache"
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    )
}
# Sessions stay in the database whatever the cache: a restart or eviction logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so that a locked-out user is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "members:dashboard"
LOGOUT_REDIRECT_URL = "login"

# How many reverse proxies stand in front of the app servers, each appending to
# X-Forwarded-For: the client address is taken from that header accordingly
# (cluster_portal.net.client_address). AXES_PROXY_COUNT is the older name of the variable.
PROXY_COUNT = env_int("PROXY_COUNT", env_int("AXES_PROXY_COUNT", 0))
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT must be 0 or more.")

# The audit trail's hash chain is an HMAC keyed by AUDIT_HMAC_KEY, or, when that is not set,
# by a key derived from SECRET_KEY (cluster_portal.audit). Older keys, after a rotation, stay
# in AUDIT_HMAC_KEY_FALLBACKS so that the events they hashed still verify.
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "")
AUDIT_HMAC_KEY_FALLBACKS = env_list("AUDIT_HMAC_KEY_FALLBACKS")
# Ballot papers are sealed (AES-GCM) and receipts hashed with BALLOT_KEY, or, when that is
# not set, with a key derived from SECRET_KEY (ballots.crypto). Keep it unchanged while a
# ballot is open: papers sealed under another key cannot be counted.
BALLOT_KEY = os.environ.get("BALLOT_KEY", "")

# Repeated failed logins for one user name from one client address lock that pair out for a
# while: neither another client logging in to that account nor that client logging in to
# another account is locked (behind a proxy, "everyone" would otherwise be one address).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The lock-out page says until when the lock lasts (from the last failed attempt).
AXES_LOCKOUT_CALLABLE = "cluster_portal.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cluster_portal.net.client_address"
AXES_VERBOSE = False

# Internationalisation: Vietnamese by default, English through the language switch.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Dates are typed day/month/year in both languages (cluster_portal/formats).
FORMAT_MODULE_PATH = ["cluster_portal.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages come from npm (package-lock.json), never copied into the repo.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    # Tinos, the face the PDFs embed (cluster_portal/pdf.py), served as the covenant's web
    # font so that the text on screen matches the PDF (SIL OFL, its licence alongside).
    ("vendor/tinos", BASE_DIR / "node_modules" / "@expo-google-fonts" / "tinos"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads are personal data: readable by the portal's own user only (the process umask,
# set in manage.py/wsgi.py/asgi.py, covers the database file and backups as well).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploads and issued PDFs live in a local folder (MEDIA_ROOT) by default. Several app servers
# share them through an S3-compatible object store (django-storages) when MEDIA_STORAGE=s3 or
# a bucket is named; objects stay private and are reached only through signed URLs.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "").strip().lower() or (
    "s3" if AWS_STORAGE_BUCKET_NAME else "filesystem"
)
if MEDIA_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'.")
if MEDIA_STORAGE == "s3":
    if not AWS_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    _s3_options = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "default_acl": "private",
        "querystring_auth": True,
        # Never replace an existing object (an issued PDF): a clashing name gets a suffix,
        # as on the file system.
        "file_overwrite": False,
    }
    # Unset values are left to boto3 (its credential chain, e.g. an instance role).
    for _option, _variable in [
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
    ]:
        if os.environ.get(_variable, "").strip():
            _s3_options[_option] = os.environ[_variable].strip()
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": _s3_options,
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Uploaded files are served only through permission-checked views, never from MEDIA_URL.
# The largest upload accepted (minutes, photos, attachments), in bytes: 10 MB by default.
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console in development, SMTP from the environment in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cum-thi-dua@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (issuing the final covenant PDF, every e-mail, reminders): queued in the
# database by default and run by `manage.py db_worker` (`make run` starts one beside the web
# server; production runs workers as their own processes). TASKS_BACKEND may name another
# backend of the Tasks framework, e.g. django_tasks.backends.immediate.ImmediateBackend to
# run each task inside the request that queues it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A failing task is tried this many times in all, waiting TASK_RETRY_DELAY_SECONDS before
# the second attempt and twice as long before each later one; then the secretariat sees it.
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
TASK_RETRY_DELAY_SECONDS = env_int("TASK_RETRY_DELAY_SECONDS", 30)
# The seal put on issued PDFs (PAdES): a PKCS#12 file and its passphrase. Without them a
# self-signed demo seal is generated and the PDFs say that it is a demo seal.
PORTAL_SEAL_PKCS12 = os.environ.get("PORTAL_SEAL_PKCS12", "")
PORTAL_SEAL_PASSPHRASE = os.environ.get("PORTAL_SEAL_PASSPHRASE", "")
# The demo seal's key is stored in the database encrypted with this passphrase (by default
# one derived from SECRET_KEY), so that a copy of the database or a backup alone is not enough.
SEAL_KEY_PASSPHRASE = os.environ.get("SEAL_KEY_PASSPHRASE", "")
# Largest PDF accepted by the verification page.
PDF_VERIFY_MAX_BYTES = env_int("PDF_VERIFY_MAX_BYTES", 20 * 1024 * 1024)
# A PDF over any of these is refused before analysis: pyHanko's change analysis grows with
# the square of the signature fields and with the objects and revisions.
PDF_VERIFY_MAX_SIGNATURE_FIELDS = env_int("PDF_VERIFY_MAX_SIGNATURE_FIELDS", 30)
PDF_VERIFY_MAX_REVISIONS = env_int("PDF_VERIFY_MAX_REVISIONS", 30)
PDF_VERIFY_MAX_OBJECTS = env_int("PDF_VERIFY_MAX_OBJECTS", 20_000)
PDF_VERIFY_MAX_PAGES = env_int("PDF_VERIFY_MAX_PAGES", 500)
# The analysis runs in a child process killed after this many seconds (keep it below the app
# server's worker timeout: gunicorn's default is 30 s) and limited to this much memory.
PDF_VERIFY_TIMEOUT_SECONDS = env_int("PDF_VERIFY_TIMEOUT_SECONDS", 15)
PDF_VERIFY_MEMORY_MB = env_int("PDF_VERIFY_MEMORY_MB", 1024)
# Verifications per user in a sliding window (counted in the database: all app servers).
PDF_VERIFY_RATE_LIMIT = env_int("PDF_VERIFY_RATE_LIMIT", 10)
PDF_VERIFY_RATE_WINDOW_MINUTES = env_int("PDF_VERIFY_RATE_WINDOW_MINUTES", 10)
# CA certificates (a PEM file, or a folder of PEM/DER files) that signatures other than the
# portal's seal are validated against, e.g. the government CA roots for official-duty
# signatures; without them no such signature is reported as trusted.
PDF_VERIFY_TRUST_ROOTS = os.environ.get("PDF_VERIFY_TRUST_ROOTS", "").strip()
# Fetch OCSP/CRL for those signatures (soft-fail). Off by default: a closed network.
PDF_VERIFY_FETCH_REVOCATION = env_bool("PDF_VERIFY_FETCH_REVOCATION", False)

# The portal's public address, for links in e-mail sent outside a request (reminders).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The daily send_reminders job reminds departments whose self-assessment is not submitted
# in this many days before its deadline (at most one reminder per department per day).
EVALUATION_REMINDER_DAYS = env_int("EVALUATION_REMINDER_DAYS", 7)

# Security. With DEBUG off every protection is on by default; each can be switched by the
# environment (e.g. SECURE_SSL_REDIRECT=0 behind a proxy that already redirects).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A session ends after SESSION_IDLE_MINUTES without a request (each request renews it) and
# when the browser closes: officials share office computers.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# The load balancer probes /healthz over plain HTTP: answer it rather than redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): everything from the portal itself, no inline script or
# style (templates keep styles in static/css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Logs go to stdout, one JSON object per line in production (LOG_FORMAT=json, the default
# with DEBUG off) or plain text; each line carries the request id (X-Request-ID).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cluster_portal.log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "cluster_portal.log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
