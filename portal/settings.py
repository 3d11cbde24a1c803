"""Settings of the Industrie du Futur portal.

The environment is read once, here. Local use needs no variable at all: SQLite file, tasks run
in-process, e-mail printed to the console. `DJANGO_ENV=production` switches on the hardened
defaults that `manage.py check --deploy` asks for.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from portal.browser_policies import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY  # noqa: F401 (settings)
from portal.settings_sources import neighbour_redis_database, object_storage_options

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="local")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="" if PRODUCTION else "local-only-insecure-key-do-not-use-in-production-0123456789",
)
if PRODUCTION and not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "health_check",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes (portal.security)
    "csp",
    "rest_framework",
    "drf_spectacular",
    "portal",
    "diagnostics",
    "experts",
    "regions",
    "seeding",  # demo and benchmark data (its management commands)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "portal.middleware.CachedOTPMiddleware",  # django-otp's, device read from the cache
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.SessionLifetimeMiddleware",
    "portal.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.http.ServiceErrorMiddleware",  # a service error no view caught: its status and message
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into its page
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "portal.context_processors.spaces",
            ],
        },
    },
]

# Database: a SQLite file by default; DATABASE_URL=postgres://… for the production stack.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE makes concurrent writers wait for
    # the lock (up to `timeout` seconds) instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Redis, when given, is the Celery broker and the cache (CACHE_URL, by default the next database of
# the same server); without it tasks run in-process and the cache is per process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHE_URL = env.str("CACHE_URL", default=neighbour_redis_database(REDIS_URL))
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400_000  # KiB: WeasyPrint's memory grows across renders
# A message taken by a worker that died with it (kill -9, lost host) comes back after the visibility
# timeout: just above the hard time limit, so no task still running is delivered twice and a lost
# render is back within minutes, not an hour. Set in every place Celery reads it (docs/background-work.md).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60)
# Workers look for such messages every 10 s (kombu's default scans every 100 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
# One queue per kind of work: PDF renders on `reports`, everything else (peer figures, e-mails, audit,
# retention) on `default`, each consumed by its own workers (`celery -A portal worker -Q reports`), so
# a backlog of renders never delays an e-mail. A worker started without -Q consumes both.
CELERY_TASK_QUEUES = {"default": {}, "reports": {}}
CELERY_TASK_ROUTES = {
    "diagnostics.render_report": {"queue": "reports"},
    "regions.render_closing_statement": {"queue": "reports"},
}
# Beat keeps its schedule in Redis (RedBeat) rather than a local file, and holds a lock there: run one
# beat; a second one started by mistake waits for the lock instead of sending every task twice.
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_LOCK_TIMEOUT = 5 * 60
# The sweeper re-enqueues reports whose message was lost (broker down at submit, worker killed).
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-reports": {"task": "diagnostics.requeue_stuck_reports", "schedule": 60.0},
    # Seal yesterday's audit trail (portal/audit.py) shortly after midnight, Paris time, then anchor
    # its digest outside the database; anchor the new entries every hour (portal/audit_anchors.py).
    "seal-audit-days": {"task": "portal.seal_audit_days", "schedule": crontab(hour=0, minute=10)},
    "anchor-audit-chain": {"task": "portal.anchor_audit_chain", "schedule": crontab(minute=5)},
    # The retention purge (RETENTION_* below; `manage.py purge_expired` does the same).
    "purge-expired-data": {"task": "portal.purge_expired", "schedule": timedelta(days=1)},
    # E-mails not sent and visits not booked because their message was lost (portal/background.py).
    "sweep-side-effects": {"task": "portal.sweep", "schedule": 300.0},
    # The inbox's daily digest, for the users who chose it rather than an e-mail per message.
    "send-daily-digests": {"task": "portal.send_daily_digests", "schedule": crontab(hour=7, minute=30)},
    # Invitations to re-assess after a programme's support (T1 at completion, T2 months later).
    "invite-reassessments": {"task": "regions.send_reassessment_invitations", "schedule": crontab(hour=8, minute=0)},
    # The open-data aggregates (regions/opendata), recomputed from the whole population at night.
    "publish-open-data": {"task": "regions.publish_open_data", "schedule": crontab(hour=2, minute=30)},
}

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username+IP before any check
    "rules.permissions.ObjectPermissionBackend",
    "portal.auth.PortalBackend",  # ModelBackend that reads the request's viewer with the user (portal/viewer.py)
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
INVITATION_VALIDITY_DAYS = env.int("INVITATION_VALIDITY_DAYS", default=14)
SIGNUP_CONFIRMATION_VALIDITY_HOURS = env.int("SIGNUP_CONFIRMATION_VALIDITY_HOURS", default=48)
# Retention (portal.privacy.retention, shown on the privacy page): draft diagnostics untouched this
# many days are deleted; invitations and sign-up requests this many days after their link expired.
# Beat runs the purge (`manage.py purge_expired` does the same) once a day.
# The second measurement after a programme's support (T2): this many months after its completion the
# company is invited to re-assess (regions.services.reassessment; T1 is due at completion).
REASSESSMENT_T2_MONTHS = env.int("REASSESSMENT_T2_MONTHS", default=12)
RETENTION_DRAFT_DAYS = env.int("RETENTION_DRAFT_DAYS", default=365)
RETENTION_EXPIRED_INVITATION_DAYS = env.int("RETENTION_EXPIRED_INVITATION_DAYS", default=30)
RETENTION_EXPIRED_SIGNUP_DAYS = env.int("RETENTION_EXPIRED_SIGNUP_DAYS", default=30)

# Login throttling (django-axes): 5 failures for one e-mail from one address lock that pair out for
# 15 minutes; the attempts are stored and logged. Behind a reverse proxy, TRUSTED_PROXY_COUNT says how
# many proxies append to X-Forwarded-For, so the client's address is read there and not forged.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command; failures and lockouts are still logged
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"  # renders registration/lockout.html
AXES_USERNAME_FORM_FIELD = "username"  # what Django's login form calls its e-mail field
AXES_USERNAME_CALLABLE = "portal.security.login_username"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Two-factor authentication (django-otp, TOTP): officers and staff must verify a code from an
# authenticator app before any page of their role; every other user may enrol one.
OTP_REQUIRED_FOR_ROLES = env.bool("OTP_REQUIRED_FOR_ROLES", default=True)
OTP_TOTP_ISSUER = "Industrie du Futur"
# Staff reset a lost second factor by deleting the devices in the admin; they never need to read an
# authenticator key or a recovery code there.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")


# Files (reports, and every file the portal keeps): local disk under MEDIA_ROOT by default; S3-compatible
# object storage (any host, several hosts) when STORAGE_URL or AWS_STORAGE_BUCKET_NAME is set. Objects
# are private: downloads go through a permission-checked view that redirects to a presigned URL valid
# FILE_URL_EXPIRY_SECONDS, signed for STORAGE_PUBLIC_URL (the address browsers reach) when it is given.
STORAGE_URL = env.str("STORAGE_URL", default="")
OBJECT_STORAGE = bool(STORAGE_URL or env.str("AWS_STORAGE_BUCKET_NAME", default=""))
FILE_URL_EXPIRY_SECONDS = env.int("FILE_URL_EXPIRY_SECONDS", default=60)
if OBJECT_STORAGE:
    _files = {
        "BACKEND": "portal.storage.ObjectStorage",
        "OPTIONS": {
            **object_storage_options(STORAGE_URL, env),
            "public_endpoint_url": env.str("STORAGE_PUBLIC_URL", default="") or None,
            "querystring_expire": FILE_URL_EXPIRY_SECONDS,
            "file_overwrite": False,  # write once: a name already taken is never replaced
        },
    }
else:
    _files = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _files,
    "reports": _files,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Whitenoise's list of files not worth compressing, plus the fonts (read from disk by WeasyPrint, not
# served to browsers) and the source maps (fetched by developer tools only): compressing these few large
# files took most of collectstatic's time (over 30 s with brotli installed) for no visitor's benefit.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv"),
    *("woff", "woff2", "ttf", "map"),
)
# Hosts that run web or worker processes. Local disk cannot be shared between hosts: production refuses
# HOST_COUNT > 1 without object storage (portal/deployment.py).
HOST_COUNT = env.int("HOST_COUNT", default=1)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Portail Industrie du Futur <noreply@industrie-du-futur.local>"
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions are read from the cache (Redis in production) and written through to the database, so a
# request usually costs no session query (autosave stays within its query budget).
# The portal's store is Django's cached_db one whose rows also record the user, so that disabling an
# account can end its sessions at once (portal/sessions.py).
SESSION_ENGINE = "portal.sessions"
# An absolute lifetime for every session, counted from the login, and an inactivity limit for the
# accounts that handle money and companies' data (officers and staff); both enforced server-side.
SESSION_ABSOLUTE_LIFETIME = env.int("SESSION_ABSOLUTE_LIFETIME_HOURS", default=12) * 3600
SESSION_IDLE_TIMEOUT_PRIVILEGED = env.int("SESSION_IDLE_TIMEOUT_PRIVILEGED_MINUTES", default=30) * 60
# Cookies and rows outlive those limits by a quarter of an hour, so that the portal, not the store,
# notices the end and can tell the user why they must log in again.
SESSION_EXPIRY_GRACE = 15 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME + SESSION_EXPIRY_GRACE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer's probe speaks plain HTTP to the web process itself, not through the proxy.
    SECURE_REDIRECT_EXEMPT = [r"^sante/"]
    if TRUSTED_PROXY_COUNT > 0:
        # Only a declared proxy (which sets the header itself) may say the request came over HTTPS;
        # without one, a client could send X-Forwarded-Proto: https over plain HTTP.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The audit trail's anchors outside the database (portal/audit_anchors.py): every sealed day and,
# hourly, the current day are signed with an Ed25519 key that the database never holds (a PEM file,
# or the key itself in the environment), written once to the file storage ("audit" when defined,
# else "default"), and timestamped by an RFC 3161 authority when AUDIT_TSA_URL is set. Without a
# signing key nothing is anchored; `verify_audit` checks with the public key (derived from the
# signing key, or AUDIT_VERIFY_KEY for a verifier that must not hold the private one).
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default="")
AUDIT_SIGNING_KEY_FILE = env.str("AUDIT_SIGNING_KEY_FILE", default="")
AUDIT_VERIFY_KEY = env.str("AUDIT_VERIFY_KEY", default="")
AUDIT_TSA_URL = env.str("AUDIT_TSA_URL", default="")
AUDIT_TSA_CA_FILE = env.str("AUDIT_TSA_CA_FILE", default="")
# Entries older than this and still unanchored mean the hourly anchoring stopped: verify_audit says so.
AUDIT_ANCHOR_MAX_DELAY = timedelta(hours=env.int("AUDIT_ANCHOR_MAX_DELAY_HOURS", default=3))

# Every file the portal accepts (a referential today, evidence and documents later) is refused above
# this size before it is read (portal/file_limits.py).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=2 * 1024 * 1024)
# Evidence on a diagnostic's answers (diagnostics/evidence.py): the largest file accepted (checked
# before it is read) and how many files and links one answer may carry.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_PER_ANSWER = env.int("EVIDENCE_MAX_PER_ANSWER", default=5)
# The documents of an application (registration extract, quotes, de minimis declaration): PDF, images or
# office documents, recognised by their content (portal/file_types.py), each at most this size, at most
# this many per application.
APPLICATION_DOCUMENT_MAX_BYTES = env.int("APPLICATION_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
APPLICATION_DOCUMENTS_MAX_COUNT = env.int("APPLICATION_DOCUMENTS_MAX_COUNT", default=20)
# De minimis (Regulation (EU) 2023/2831): the aid one undertaking may receive over any three years, in EUR.
DE_MINIMIS_CEILING = Decimal(env.str("DE_MINIMIS_CEILING", default="300000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Absolute links in e-mails: required in production (portal/deployment.py), the local server by default.
SITE_URL = env.str("SITE_URL", default="" if PRODUCTION else "http://127.0.0.1:8000")

# The REST API (/api/v1/, portal/api): personal access tokens only (no session cookie, hence no CSRF
# exposure), JSON in and out, the same scoped selectors and rules as the pages.
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)  # a token always expires
API_TOKEN_MAX_ACTIVE = env.int("API_TOKEN_MAX_ACTIVE", default=10)  # active tokens per user
API_TOKEN_RATE = env.str("API_TOKEN_RATE", default="1000/hour")  # calls per token
API_ANONYMOUS_RATE = env.str("API_ANONYMOUS_RATE", default="300/hour")  # calls without a token, per address
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["portal.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.TokenRateThrottle",
        "portal.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PagePagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portail Industrie du Futur – API",
    "DESCRIPTION": (
        "Referential versions and the expert directory (public); a company's diagnostics, scores and "
        "answers; programmes and applications for regional officers. Every call acts with the rights of "
        "the token's owner, as on the portal's pages."
    ),
    "VERSION": "1",
    "LICENSE": {
        "name": "EUPL-1.2",
        "url": "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}},
    "ENUM_NAME_OVERRIDES": {
        "ReferentialStatusEnum": "diagnostics.models.Referential.Status",
        "PublicReferentialStatusEnum": [("published", "published"), ("retired", "retired")],
        "DiagnosticStatusEnum": "diagnostics.models.Diagnostic.Status",
        "ScaleEnum": "diagnostics.models.Scale",
        "ProgrammeStatusEnum": "regions.models.Programme.Status",
        "EnrolmentStatusEnum": "regions.models.Enrolment.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.add_error_responses",
    ],
}
