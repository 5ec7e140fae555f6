"""SafeWard settings, driven by environment variables (see README "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = Path(os.environ.get("SAFEWARD_HOME", BASE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("SAFEWARD_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("SAFEWARD_DEBUG", False)
SECRET_KEY = os.environ.get("SAFEWARD_SECRET_KEY", "insecure-dev-key-change-me-" + "x" * 40)
ALLOWED_HOSTS = env_list("SAFEWARD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("SAFEWARD_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000")

# Demo-only conveniences (printed TOTP secrets, visible demo logins). Never on in production.
SAFEWARD_DEMO_MODE = env_bool("SAFEWARD_DEMO_MODE", False)

INSTALLED_APPS = [
    # first, so that it registers the catalogue's translated fields before other apps load
    "modeltranslation",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "axes",
    "safeward.core",
    "safeward.geo",
    "safeward.accounts",
    "safeward.people",
    "safeward.web",
    "safeward.demo",
]
# Domain apps are appended here as they are added; each is self-contained.
SAFEWARD_DOMAIN_APPS = [
    app
    for app in [
        "safeward.reports",
        "safeward.cameras",
        "safeward.evidence",
        "safeward.community",
        "safeward.outreach",
        "safeward.analytics",
        "safeward.bulletins",
    ]
    if (BASE_DIR / app.split(".")[1] / "apps.py").exists()
]
INSTALLED_APPS += SAFEWARD_DOMAIN_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "safeward.core.middleware.RequestContextMiddleware",
    "safeward.core.replica.ReplicaMiddleware",
    "safeward.reports.open311.Open311ErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safeward.accounts.middleware.SessionSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safeward.web.workqueue.ForgetAfterActingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lock-out flagged during the request into the reply.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safeward.config.urls"
WSGI_APPLICATION = "safeward.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeward.web.context_processors.shell",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'safeward.sqlite3'}")
# Connections are kept between requests on both databases: a new SQLite connection parses
# the schema and prepares every statement again, which costs more than a submission.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# Seconds a writer waits for SQLite's write lock before "database is locked".
SQLITE_TIMEOUT = float(os.environ.get("SAFEWARD_SQLITE_TIMEOUT", "20"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with write transactions queued on a lock file (see its docstring).
    DATABASES["default"]["ENGINE"] = "safeward.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_TIMEOUT,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            f" PRAGMA busy_timeout={int(SQLITE_TIMEOUT * 1000)};"
        ),
    }
if os.environ.get("SAFEWARD_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["SAFEWARD_TEST_DB_NAME"]}
# A PostgreSQL streaming replica for dashboards, exports and statistics (safeward.core.replica).
SAFEWARD_REPLICA_URL = os.environ.get("SAFEWARD_REPLICA_URL", "")
if SAFEWARD_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(SAFEWARD_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    # Tests read the test database through the primary's connection.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["safeward.core.replica.ReplicaRouter"]
SAFEWARD_REPLICA_CHECK_SECONDS = float(os.environ.get("SAFEWARD_REPLICA_CHECK_SECONDS", "2"))
SAFEWARD_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("SAFEWARD_REPLICA_MAX_LAG_SECONDS", "5"))
SAFEWARD_REPLICA_PIN_SECONDS = int(os.environ.get("SAFEWARD_REPLICA_PIN_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:landing"

# Sign-in security.
# Sign-in throttling (django-axes, see safeward/accounts/lockout.py): failures count per
# (username, address) and per address alone, never per username alone.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SAFEWARD_LOCKOUT_THRESHOLD = int(os.environ.get("SAFEWARD_LOCKOUT_THRESHOLD", "5"))
SAFEWARD_LOCKOUT_ADDRESS_THRESHOLD = int(os.environ.get("SAFEWARD_LOCKOUT_ADDRESS_THRESHOLD", "30"))
SAFEWARD_LOCKOUT_MINUTES = int(os.environ.get("SAFEWARD_LOCKOUT_MINUTES", "15"))
AXES_FAILURE_LIMIT = SAFEWARD_LOCKOUT_THRESHOLD
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_COOLOFF_TIME = "safeward.accounts.lockout.cool_off"
AXES_HANDLER = "safeward.accounts.lockout.SafeWardAxesHandler"
AXES_CLIENT_IP_CALLABLE = "safeward.accounts.lockout.client_address"
AXES_USERNAME_CALLABLE = "safeward.accounts.lockout.client_username"
AXES_LOCKOUT_CALLABLE = "safeward.accounts.lockout.keep_page"
AXES_RESET_ON_SUCCESS = False  # a sign-in clears only its own pair (lockout.signin_completed)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in the audit log already
AXES_VERBOSE = False
SAFEWARD_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SAFEWARD_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = int(os.environ.get("SAFEWARD_SESSION_HOURS", "12")) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SAFEWARD_SECURE_COOKIES", not DEBUG and not SAFEWARD_DEMO_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SAFEWARD_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SAFEWARD_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SAFEWARD_HSTS_INCLUDE_SUBDOMAINS", True)
# HSTS preload is a decision for each deployment's domain, not the application's.
# Covering indexes (INCLUDE) serve PostgreSQL; SQLite simply ignores the extra columns.
SILENCED_SYSTEM_CHECKS = ["security.W021", "models.W040"]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English")), ("ar", _("Arabic"))]
LANGUAGES_BIDI = ["ar"]
# Catalogue texts (report categories and their questions) are kept in every language;
# a text not yet written in the reader's language shows the Vietnamese one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "vi"
MODELTRANSLATION_LANGUAGES = ("vi", "en", "ar")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("vi", "en")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# One way of writing dates per language: dd/mm/yyyy and the 24-hour clock (config/formats).
FORMAT_MODULE_PATH = ["safeward.config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SAFEWARD_STATIC_ROOT", PROJECT_DIR / "var" / "static"))
MEDIA_ROOT = Path(os.environ.get("SAFEWARD_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
for _dir in (VAR_DIR, STATIC_ROOT):
    _dir.mkdir(parents=True, exist_ok=True)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cached for a year by browsers) and gzip/brotli copies, written by
    # `collectstatic`, which `serve` runs at start; a file the manifest does not know yet
    # (a checkout without collectstatic: tests, development) keeps its plain name.
    "staticfiles": {"BACKEND": "safeward.web.staticfiles.StaticFiles"},
}
# S3-compatible object storage for stored files (safeward.core.objectstore): the bucket is
# private, every read goes through a permission-checked view, evidence is write-once.
SAFEWARD_S3_ENDPOINT_URL = os.environ.get("SAFEWARD_S3_ENDPOINT_URL", "")
SAFEWARD_S3_LOCK_DAYS = int(os.environ.get("SAFEWARD_S3_LOCK_DAYS", "3650"))
if SAFEWARD_S3_ENDPOINT_URL:
    STORAGES["default"] = {
        "BACKEND": "safeward.core.objectstore.ObjectStorage",
        "OPTIONS": {
            "endpoint_url": SAFEWARD_S3_ENDPOINT_URL,
            "bucket_name": os.environ.get("SAFEWARD_S3_BUCKET", "safeward-files"),
            "access_key": os.environ.get("SAFEWARD_S3_ACCESS_KEY", ""),
            "secret_key": os.environ.get("SAFEWARD_S3_SECRET_KEY", ""),
            "region_name": os.environ.get("SAFEWARD_S3_REGION", "us-east-1"),
            "addressing_style": "path",
            "signature_version": "s3v4",
        },
    }
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600  # files without a hashed name; hashed ones are cached for a year

EMAIL_BACKEND = os.environ.get(
    "SAFEWARD_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("SAFEWARD_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("SAFEWARD_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("SAFEWARD_FROM_EMAIL", "safeward@localhost")
SAFEWARD_BASE_URL = os.environ.get("SAFEWARD_BASE_URL", "http://127.0.0.1:8000")
# Text gateways: an http(s) URL the message is POSTed to, or a file:// outbox of JSON lines
# (``make demo`` writes its messages under var/outbox/, as its e-mail under var/mail/).
SAFEWARD_SMS_GATEWAY_URL = os.environ.get("SAFEWARD_SMS_GATEWAY_URL", "")
# Bulletins: the CAP sender, the Zalo gateway, and how fast
# each channel may send from one worker (messages a second; 0 = as fast as it takes them).
SAFEWARD_CAP_SENDER = os.environ.get("SAFEWARD_CAP_SENDER", "safeward.quangninh.gov.vn")
SAFEWARD_ZALO_GATEWAY_URL = os.environ.get("SAFEWARD_ZALO_GATEWAY_URL", "")
SAFEWARD_ZALO_TEMPLATE_ID = os.environ.get("SAFEWARD_ZALO_TEMPLATE_ID", "safeward-bulletin")
SAFEWARD_ZALO_ACCESS_TOKEN = os.environ.get("SAFEWARD_ZALO_ACCESS_TOKEN", "")
# How long a sender holds the deliveries it claimed before another may send them again.
SAFEWARD_DELIVERY_LEASE_SECONDS = int(os.environ.get("SAFEWARD_DELIVERY_LEASE_SECONDS", "120"))
SAFEWARD_BULLETIN_SENDERS = int(os.environ.get("SAFEWARD_BULLETIN_SENDERS", "2"))
SAFEWARD_BULLETIN_RATES = {
    "sms": float(os.environ.get("SAFEWARD_SMS_PER_SECOND", "0")),
    "zalo": float(os.environ.get("SAFEWARD_ZALO_PER_SECOND", "0")),
    "email": float(os.environ.get("SAFEWARD_EMAIL_PER_SECOND", "0")),
    "webhook": float(os.environ.get("SAFEWARD_WEBHOOK_PER_SECOND", "0")),
}
SAFEWARD_MAP_TILE_URL = os.environ.get("SAFEWARD_MAP_TILE_URL", "")
# Land and coast (built from Natural Earth by `make assets`); points farther out at sea are refused.
SAFEWARD_LAND_DIR = Path(
    os.environ.get(
        "SAFEWARD_LAND_DIR", Path(__file__).resolve().parents[1] / "web/static/vendor/geo"
    )
)
SAFEWARD_COAST_MARGIN_KM = float(os.environ.get("SAFEWARD_COAST_MARGIN_KM", "2"))
SAFEWARD_PLACE_RADIUS_KM = float(os.environ.get("SAFEWARD_PLACE_RADIUS_KM", "3"))
# A point farther than this from every current ward's centre is outside the area served.
SAFEWARD_SERVED_RADIUS_KM = float(os.environ.get("SAFEWARD_SERVED_RADIUS_KM", "25"))

REDIS_URL = os.environ.get("REDIS_URL", "")
TASKS = {
    "default": (
        {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        if os.environ.get("SAFEWARD_TASK_BACKEND") == "rq"
        else {
            "BACKEND": os.environ.get(
                "SAFEWARD_TASK_BACKEND_CLASS", "django_tasks_db.DatabaseBackend"
            )
        }
    )
}
# An import whose progress has not moved for this long lost its worker: the periodic
# tidy closes it as failed and removes the rows it had written hidden.
SAFEWARD_IMPORT_STALE_SECONDS = int(os.environ.get("SAFEWARD_IMPORT_STALE_SECONDS", "300"))
# A task worker silent this long is taken for dead: the tasks it ran are marked failed.
SAFEWARD_WORKER_STALE_SECONDS = int(os.environ.get("SAFEWARD_WORKER_STALE_SECONDS", "300"))
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safeward.accounts.authentication.ApiTokenAuthentication",
        "safeward.accounts.authentication.OtpSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "safeward.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "safeward.core.rest.schema.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "safeward.core.rest.parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["safeward.core.filters.FilterBackend"],
    "EXCEPTION_HANDLER": "safeward.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon_intake": "30/hour", "user": "5000/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SafeWard API",
    "DESCRIPTION": "Grassroots security and order: units, reports, cameras, evidence, analytics.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that several apps name "status" or "scope" get distinct schema names.
    "ENUM_NAME_OVERRIDES": {
        "GroupStatusEnum": "safeward.community.choices.GroupStatus",
        "MovementModelStatusEnum": "safeward.community.choices.ModelStatus",
        "SessionStatusEnum": "safeward.outreach.choices.SessionStatus",
        "CameraStatusEnum": "safeward.cameras.choices.CameraStatus",
        "SharingModeEnum": "safeward.cameras.choices.SharingMode",
        "FootageRequestStatusEnum": "safeward.evidence.choices.RequestStatus",
        "ReportStatusEnum": "safeward.reports.choices.ReportStatus",
        "PeriodicReportStatusEnum": "safeward.analytics.choices.ReportStatus",
        "BulletinCategoryEnum": "safeward.bulletins.choices.Category",
    },
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAFEWARD_LOG_LEVEL", "WARNING")},
}
