"""Leonsite settings, read from the environment with safe development defaults.

DEBUG defaults to on with SQLite so a fresh clone runs with nothing to configure.
Production is DEBUG=false: it then requires SECRET_KEY and ALLOWED_HOSTS and turns on
HTTPS-only cookies, HSTS and the other headers `check --deploy` asks for.
"""

import logging
import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as err:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from err


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-leonsite-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "" if not DEBUG else _DEV_SECRET_KEY)
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, whose forms it extends: the catalogue's French fields.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "axes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "reversion",
    "csp",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leonsite.accounts",
    "films",
    "reviews",
    "reviews.moderation",
]

MIDDLEWARE = [
    "leonsite.lib.guards.RequestSizeMiddleware",
    # The read API's CORS headers (CORS_* below), before anything that may answer.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (which may redirect to a slashed URL in
    # the language's prefix): the language is the URL's prefix (/fr/...), else English.
    "django.middleware.locale.LocaleMiddleware",
    # A visitor who chose French and comes back to an unprefixed page goes to /fr/.
    "leonsite.lib.language.RememberedLanguageMiddleware",
    # Signed-out visitors' cached pages, before the middleware they do not need.
    "leonsite.lib.caching.VisitorPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "leonsite.accounts.security.AccountStateMiddleware",
    # A member's own copy of a page, once they are known and their account checked.
    "leonsite.lib.caching.MemberPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
    # Innermost, so it sees the views' database errors first: a 503, not a 500.
    "leonsite.lib.guards.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "leonsite.urls"
WSGI_APPLICATION = "leonsite.wsgi.application"

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
                "leonsite.context_processors.site",
            ],
            # Blocks one app plugs into another app's pages (leonsite/lib/slots.py).
            "libraries": {
                "slots": "leonsite.lib.slots",
                "spoilers": "leonsite.lib.spoilers",
                "languages": "leonsite.lib.language_tags",
            },
        },
    },
]

# SQLite by default; DATABASE_URL (postgres://...) switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0 if DEBUG else 60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # A write waits this long for another's lock, then the visitor gets a 503 page
        # (leonsite.lib.guards) rather than a worker stuck for twenty seconds.
        "timeout": env_int("DB_BUSY_TIMEOUT", 5),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: compiling a plan costs ~10 ms, more than any of the site's statements take
    # (search's fallback branch, estimated costly but rarely run, triggered it).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c statement_timeout=5000 -c jit=off"
    )
    # An unreachable server fails a request (and a worker's warm-up) in seconds, not
    # after the operating system's TCP timeout of minutes.
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 5)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and (worker := os.environ.get("PYTEST_XDIST_WORKER", "")):
    # Tests run in parallel (gw0, gw1…) each use a Redis database of their own (1 to 15
    # of Redis's 16): a test that clears the cache then clears only its own worker's.
    database = 1 + int(worker[2:]) % 15
    REDIS_URL = urlsplit(REDIS_URL)._replace(path=f"/{database}").geturl()
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "leonsite"),
            # A cache outage degrades to misses instead of 500s, and a slow or unreachable
            # Redis costs a request at most a second rather than the worker.
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    # A member's every request reads their session: from Redis, with the database
    # behind it (written through, read on a miss). Not without Redis: a per-process
    # cache could keep serving a session another worker had ended.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def in_process_cache(location: str, entries: int) -> dict[str, object]:
    """A cache each process keeps for itself, bounded, entries kept ten minutes."""
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": location,
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": entries},
    }


# Rendered fragments that many pages repeat (a review card's head, the reviews' filter
# form), under keys that carry the cache versions of what they show: kept in each
# process, so reading twenty of them costs no round trips to Redis, and a change (a new
# version) can leave nothing stale behind, only unused entries that age out.
CACHES["fragments"] = in_process_cache("fragments", 5000)
# The whole pages signed-out visitors got last (leonsite.lib.caching), also kept in
# each process: the versions still come from the shared cache on every request, but the
# page itself (tens of kilobytes) need not. Pages a query string selects (search, a
# sorted list) are kept only here. Two hundred pages, about ten megabytes at most.
CACHES["pages"] = in_process_cache("pages", 200)
# Signed-in members' accounts with their profiles (leonsite.accounts.security), read on
# every request they make: kept per process under the versions their writes move.
CACHES["members"] = in_process_cache("members", 2000)
# Members' own copies of the pages they read last (leonsite.lib.caching): only ever in
# the process that rendered them, never in the shared cache. Three hundred, about
# fifteen megabytes at most.
CACHES["member-pages"] = in_process_cache("member-pages", 300)

# django-axes checks the lockout first; MemberBackend (ModelBackend's) then checks the
# password. ModelBackend stays listed for the sessions it started before.
AUTHENTICATION_BACKENDS = [
    "leonsite.accounts.security.LockoutBackend",
    "leonsite.accounts.security.MemberBackend",
    "django.contrib.auth.backends.ModelBackend",
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

LANGUAGE_CODE = "en"
# English at the site's unprefixed URLs, French under /fr/ (README: "Languages").
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The catalogue's translated fields (films/translation.py): English is the default and
# what a French page falls back to where a curator has written no French.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The switch remembers a visitor's choice for a year (leonsite.lib.language).
LANGUAGE_COOKIE_AGE = 365 * 86400
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# The site serves uploads itself (leonsite/lib/media.py); false when a proxy or a CDN
# serves MEDIA_URL instead.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Object storage (S3 or any S3-compatible store) for uploads and their renditions, when
# a bucket is named; boto3 reads the credentials from its usual AWS_* variables. Needs
# the `s3` extra: pip install -e ".[s3]".
MEDIA_BUCKET = os.environ.get("MEDIA_BUCKET", "")
if MEDIA_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_REGION") or None,
            "custom_domain": os.environ.get("MEDIA_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("MEDIA_PREFIX", "media"),
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
            # Names are random and renditions are remade under the same name only by
            # rebuild_renditions: a year's caching is safe for browsers and CDNs.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
# Uploads larger than this go to a temporary file, not memory; form data larger than
# this is refused; and a request declaring a larger body is refused before it is read
# (413). The proxy should cap bodies at the same size (README: Production).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 6 * 1024 * 1024)
# The admin, where curators upload catalogue pictures of up to 10 MB.
LARGE_UPLOAD_PATHS = ["/admin/"]
LARGE_UPLOAD_MAX_REQUEST_BYTES = env_int("LARGE_UPLOAD_MAX_REQUEST_BYTES", 12 * 1024 * 1024)
# A Letterboxd export of up to 20 MB (reviews/letterboxd.py): a little more is let through
# so that the form itself, not a bare 413, tells a member their 21 MB file is too large.
IMPORT_UPLOAD_PATHS = ["/diary/import/", "/fr/diary/import/"]
IMPORT_MAX_REQUEST_BYTES = env_int("IMPORT_MAX_REQUEST_BYTES", 24 * 1024 * 1024)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions: members 14 days; staff (curators, moderators) 12 hours at
# most and 30 minutes idle, enforced by leonsite.accounts.security.AccountStateMiddleware.
SESSION_COOKIE_AGE = 14 * 24 * 3600
STAFF_SESSION_MAX_AGE = env_int("STAFF_SESSION_MAX_AGE", 12 * 3600)
STAFF_SESSION_IDLE = env_int("STAFF_SESSION_IDLE", 30 * 60)

# Login lockout: 5 failures per (username, address) lock that pair for
# 15 minutes; the lockout answers 429. Attempts live in the database (AccessAttempt), so
# every worker sees them whatever the cache.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # 15 minutes from the lock, fixed
AXES_LOCKOUT_CALLABLE = "leonsite.accounts.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "leonsite.lib.ratelimit.client_ip"
# How many proxies in front of the site append to X-Forwarded-For (nginx: 1). 0 trusts
# only REMOTE_ADDR, so a forged header buys nothing.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Rate limits, counted in the cache: "N/period" with s, m, h, d.
# "user" rules apply to members, replaced by "new_user" in an account's first day;
# "ip" rules apply to everyone from one address.
NEW_ACCOUNT_SECONDS = 24 * 3600
RATE_LIMITS = {
    "signup": {"ip": ["3/d"]},
    "login": {"ip": ["6/m", "30/h"]},
    "review": {"user": ["1/5s", "20/d"], "new_user": ["1/30s", "10/d"], "ip": ["60/h"]},
    "comment": {"user": ["1/5s", "200/d"], "new_user": ["1/30s", "50/d"], "ip": ["120/h"]},
    "report": {"user": ["30/d"], "new_user": ["10/d"], "ip": ["60/d"]},
    "like": {"user": ["120/h", "500/d"], "new_user": ["20/d"], "ip": ["600/h"]},
    # Every other write has its limit too: edits, collections, profiles, deletions.
    "review-edit": {"user": ["1/5s", "60/d"], "new_user": ["1/30s", "20/d"], "ip": ["120/h"]},
    "comment-edit": {"user": ["1/5s", "100/d"], "new_user": ["1/30s", "30/d"], "ip": ["120/h"]},
    "collection": {"user": ["5/m", "30/d"], "new_user": ["3/m", "10/d"], "ip": ["60/h"]},
    "collection-edit": {
        "user": ["60/m", "1000/d"],
        "new_user": ["30/m", "300/d"],
        "ip": ["1200/h"],
    },
    "profile": {"user": ["10/h", "30/d"], "new_user": ["5/h", "10/d"], "ip": ["60/h"]},
    "avatar": {"user": ["5/h", "10/d"], "ip": ["30/h"]},
    "delete": {"user": ["60/h", "300/d"], "ip": ["300/h"]},
    "account-delete": {"user": ["5/h"], "ip": ["20/h"]},
    "confirm": {"ip": ["30/h"]},
    "password-reset": {"ip": ["5/h", "20/d"], "field:email": ["3/h", "5/d"]},
    "password-change": {"user": ["10/h"], "ip": ["30/h"]},
    "moderate": {"user": ["600/h"]},
    "progress": {"user": ["60/m"], "ip": ["120/m"]},
    "correction": {"user": ["1/10s", "20/d"], "new_user": ["1/30s", "5/d"], "ip": ["60/d"]},
    "follow": {"user": ["60/h", "300/d"], "new_user": ["20/h", "50/d"], "ip": ["300/h"]},
    "block": {"user": ["60/h", "300/d"], "ip": ["300/h"]},
    # Members named in posts (each one a notification), counted per writer: past the
    # limit a post still goes out, its extra mentions notify no one.
    "mention": {"user": ["50/h"], "new_user": ["10/h"]},
    # A member's film life: the header's rating, diary entries, the watchlist.
    "rating": {"user": ["20/m", "300/d"], "new_user": ["10/m", "60/d"], "ip": ["600/h"]},
    "diary": {"user": ["10/m", "200/d"], "new_user": ["3/m", "50/d"], "ip": ["300/h"]},
    "watchlist": {"user": ["30/m", "300/d"], "new_user": ["10/m", "100/d"], "ip": ["600/h"]},
    # Letterboxd: reading an upload (every one counts) and applying a previewed import.
    "letterboxd-preview": {"user": ["20/h"], "ip": ["60/h"]},
    "letterboxd-import": {"user": ["10/h"], "ip": ["30/h"]},
    # The read API (/api/v1/), per address: everyone is anonymous there.
    "api": {"ip": ["120/m", "3000/h"]},
}

# Moderation: this many open reports from distinct members hide an item until a
# moderator decides.
MODERATION_AUTO_HIDE_REPORTS = env_int("MODERATION_AUTO_HIDE_REPORTS", 3)
# Only reports from accounts this many days old, or with a report a moderator upheld,
# count towards that: three accounts made today cannot hide anything.
MODERATION_TRUSTED_AFTER_DAYS = env_int("MODERATION_TRUSTED_AFTER_DAYS", 7)

# URL names, so a French page sends one to the French login page and back.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# E-mail (password resets): printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Leonsite <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SITE_NAME = "Leonsite"
# Absolute base for canonical links, Open Graph and the sitemap when a request has none.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Content-Security-Policy: nothing inline, nothing third-party.
CONTENT_SECURITY_POLICY: dict[str, dict[str, list[str] | bool]] = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is hard to undo: an explicit decision,
        # not a default. Without it the only deploy warning is this one.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True


class UTCFormatter(logging.Formatter):
    converter = time.gmtime  # type: ignore[assignment]


# The security log (logins, lockouts, rate limits, moderation) is kept at INFO, in UTC.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {
            "()": UTCFormatter,
            "format": "%(asctime)sZ %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "utc"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "leonsite.security": {"level": os.environ.get("SECURITY_LOG_LEVEL", "INFO")},
        "django.security": {"level": "INFO"},
    },
}

# The read API (/api/v1/, README: API): read-only, the same for everyone, JSON only.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["leonsite.lib.api.throttling.AddressRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "leonsite.lib.api.paging.CursorPages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "leonsite.lib.api.schema.SpoilerAwareSchema",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Leonsite API",
    "DESCRIPTION": (
        "The catalogue of Léon: The Professional (1994) and its community's public reviews "
        "and quote collections, read-only. Lists are paged by cursor; spoilers are left "
        "out unless asked for (`spoilers=include`)."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "supportedSubmitMethods": ["get", "head"]},
    "ENUM_NAME_OVERRIDES": {
        "CreditRoleEnum": "films.models.Credit.Role",
        "TrackCreditRoleEnum": "films.models.TrackCredit.Role",
        "FigureKindEnum": "films.models.Figure.Kind",
        "CriticScoreKindEnum": "films.models.CriticScore.Kind",
        "SourceKindEnum": "films.models.Source.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "leonsite.lib.api.schema.error_responses",
    ],
}
# Any site may read the API from a browser (GET, no credentials); nothing else is shared.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-modified-since", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

FEATURED_FILM_SLUG = os.environ.get("FEATURED_FILM_SLUG", "leon-the-professional")
