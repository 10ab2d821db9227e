"""Django settings, read only from environment variables (see jingban.config.VARIABLES)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import warnings
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from jingban import devdb
from jingban.config import ConfigError, env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = env_path("JINGBAN_VAR_DIR")

DEBUG = env_bool("JINGBAN_DEBUG")
SECRET_KEY = env_str("JINGBAN_SECRET_KEY")
if not SECRET_KEY:
    if env_str("DATABASE_URL") and not DEBUG:
        # A deployment (an external database, debug off) never runs on a published key.
        raise ConfigError("JINGBAN_SECRET_KEY must be set when DATABASE_URL is set")
    # Development, demo and tests on the embedded database only.
    SECRET_KEY = "insecure-development-key-set-JINGBAN_SECRET_KEY-in-production"  # noqa: S105
ALLOWED_HOSTS = [*env_list("JINGBAN_ALLOWED_HOSTS"), "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # Swagger UI's files, served from the app rather than a CDN
    "axes",
    "csp",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "procrastinate.contrib.django",
    "jingban.core",
    "jingban.registry",
    "jingban.jobs",
    "jingban.packs",
    "jingban.files",
    "jingban.documents",
    "jingban.notices",
    "jingban.providers",
    "jingban.workforce",
    "jingban.directory",
    "jingban.catalogue",
    "jingban.desk",
    "jingban.public",
    "jingban.ltc",
    "jingban.enrollment",
    "jingban.filing",
    # Medical settlement after the apps it settles against (enrollment, catalogue, filing):
    # its demo builder runs after theirs.
    "jingban.medical",
    "jingban.medical.national",
    # Step 9: above medical (they read settlements; medical reaches them only through plugin
    # hooks). Co-insurance after the products whose premiums and claims it splits; the whole
    # picture after every app whose sections it gathers.
    "jingban.reimburse",
    "jingban.supplementary",
    "jingban.accident",
    "jingban.coinsurance",
    "jingban.picture",
    # A deployment's own apps (JINGBAN_EXTRA_APPS): each joins through its plugin module.
    *env_list("JINGBAN_EXTRA_APPS"),
    # The demo world stays last: it uses every app above and nothing uses it.
    "jingban.demo",
]

MIDDLEWARE = [
    # Outermost: forwarded headers only from trusted proxies, NUL in a query, no Server version.
    "jingban.core.security.EdgeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files stay cacheable, everything else is no-store; every error
    # under /api/ becomes JSON, including those the middleware below produces.
    "jingban.core.security.NoStoreMiddleware",
    "jingban.core.security.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jingban.core.security.IdleTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",
    "jingban.core.middleware.PreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
]

ROOT_URLCONF = "jingban.urls"
WSGI_APPLICATION = "jingban.wsgi.application"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jingban.core.context.shell",
            ],
        },
    }
]


# DATABASE_URL keys of libpq's own URI form that Django keeps outside OPTIONS.
_URL_PARTS_IN_QUERY = {
    "host": "HOST",
    "port": "PORT",
    "dbname": "NAME",
    "user": "USER",
    "password": "PASSWORD",
}


def _database_from_url(url: str) -> dict[str, object]:
    """DATABASES["default"] from a ``postgresql://`` URL, with its query options (``sslmode``,
    ``sslrootcert``, ``connect_timeout``, ``options`` …) handed to libpq through OPTIONS.

    An option libpq does not know is refused here, by name, rather than at the first
    connection; the URL itself never appears in a message (it may hold a password)."""
    from urllib.parse import parse_qs, urlsplit

    import dj_database_url
    from psycopg import pq

    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in {"postgres", "postgresql"}:
        raise ConfigError(
            "DATABASE_URL must start with postgresql:// (or postgres://): jingban runs on "
            "PostgreSQL only"
        )
    try:
        parsed: dict[str, object] = dict(dj_database_url.parse(url))
    except ValueError:
        raise ConfigError(
            "DATABASE_URL is not a valid URL: percent-encode special characters of the user "
            "name and password (@ as %40, / as %2F, : as %3A)"
        ) from None
    # dj-database-url turns "10" into 10 and "true" into True; libpq takes text, and a value in
    # DATABASE_URL is what the operator wrote.
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    known = {option.keyword.decode() for option in pq.Conninfo.get_defaults()}
    options: dict[str, str] = {}
    for name, values in query.items():
        if name not in known:
            raise ConfigError(
                f"DATABASE_URL option {name!r} is not a PostgreSQL connection parameter "
                "(see libpq's list: sslmode, sslrootcert, sslcert, sslkey, connect_timeout, "
                "options, application_name, target_session_attrs …)"
            )
        if len(values) != 1:
            raise ConfigError(f"DATABASE_URL option {name!r} is given more than once")
        options[name] = values[0]
    for name, key in _URL_PARTS_IN_QUERY.items():
        # libpq's URI form allows them in the query too (a Unix socket: ?host=/run/postgresql).
        if name in options:
            parsed[key] = options.pop(name)
    parsed["PORT"] = str(parsed.get("PORT") or "")
    parsed["OPTIONS"] = options
    return parsed


DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED_DATABASE = not DATABASE_URL
if DATABASE_URL:
    DATABASES = {"default": _database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "jingban",
            "USER": devdb.SUPERUSER,
            "PASSWORD": "",
            "HOST": str(devdb.socket_dir()),
            "PORT": str(devdb.PORT),
        }
    }


# Each server thread keeps its connection for this long instead of opening one per request
# (a new PostgreSQL backend costs a few milliseconds); broken ones are replaced before use.
def _conn_max_age() -> int:
    from jingban.config import env_int

    return env_int("JINGBAN_DB_CONN_MAX_AGE")


DATABASES["default"]["CONN_MAX_AGE"] = _conn_max_age()
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": "test_jingban"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = env_str("JINGBAN_LANGUAGE")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("JINGBAN_TIME_ZONE")
USE_TZ = True
LANGUAGE_COOKIE_NAME = "jingban_language"

STATIC_URL = "/static/"
# `jingban collectstatic` fills it for a deployment; in development WhiteNoise serves the apps'
# static folders directly, and the warning about the empty directory is noise.
STATIC_ROOT = VAR_DIR / "static"
warnings.filterwarnings("ignore", message="No directory at")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Sessions (ADR 0009): signed out after JINGBAN_SESSION_IDLE_MINUTES without a request
# (core.security.IdleTimeoutMiddleware), and after a working day whatever happens.
SESSION_IDLE_SECONDS = env_int("JINGBAN_SESSION_IDLE_MINUTES") * 60
if SESSION_IDLE_SECONDS <= 0:
    raise ConfigError("JINGBAN_SESSION_IDLE_MINUTES must be a positive number of minutes")
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
TOKEN_DAYS = env_int("JINGBAN_TOKEN_DAYS")

# Reverse proxies whose X-Forwarded-For / -Proto are believed (core.network).
TRUSTED_PROXIES = env_list("JINGBAN_TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ConfigError(
            f"JINGBAN_TRUSTED_PROXIES: {_proxy!r} is not an address or network"
        ) from None

# HTTPS deployments: cookies only over TLS, and browsers told to come back only over TLS. The
# scheme is read from X-Forwarded-Proto only when it comes from a trusted proxy (core.security
# strips it from anyone else).
HTTPS = env_bool("JINGBAN_HTTPS")
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("JINGBAN_HSTS_SECONDS")
    if TRUSTED_PROXIES:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Largest request body (not counting file uploads) Django reads; larger answers 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Content-Security-Policy (django-csp): nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in throttling (core.signin): axes records attempts; the delays are ours, no lockout.
AXES_LOCK_OUT_AT_FAILURE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_COOLOFF_TIME = dt.timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "jingban.core.network.client_address"
AXES_USERNAME_CALLABLE = "jingban.core.signin.axes_username"
AXES_SENSITIVE_PARAMETERS = ["username", "password", "ip_address"]
AXES_VERBOSE = False

AUDIT_KEY = env_str("JINGBAN_AUDIT_KEY") or f"audit-chain:{SECRET_KEY}"
# Personal data in the action log is encrypted under PII_KEY; old keys only decrypt (rotation).
# See docs/adr/0007-action-log-row-mac-and-personal-data.md.
PII_KEY = env_str("JINGBAN_PII_KEY")
if not PII_KEY:
    if env_str("DATABASE_URL") and not DEBUG:
        raise ConfigError("JINGBAN_PII_KEY must be set when DATABASE_URL is set")
    PII_KEY = f"personal-data:{SECRET_KEY}"
elif len(PII_KEY) < 32 and not DEBUG:
    raise ConfigError("JINGBAN_PII_KEY must be at least 32 characters long")
PII_OLD_KEYS = env_list("JINGBAN_PII_OLD_KEYS")
_anchor = env_str("JINGBAN_AUDIT_ANCHOR_FILE")
AUDIT_ANCHOR_FILE = (
    env_path("JINGBAN_AUDIT_ANCHOR_FILE") if _anchor else VAR_DIR / "audit" / "anchors.log"
)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Notifications: the outside channels (besides the inbox) notices may be sent by.
NOTICE_CHANNELS = env_list("JINGBAN_NOTICE_CHANNELS")
_loggers = LOGGING.setdefault("loggers", {})
assert isinstance(_loggers, dict)
# The log channel's lines (user id and notice key only) are kept at INFO.
_loggers["jingban.notices"] = {"level": "INFO"}
# Files and official documents (jingban.files, jingban.documents; docs/adr/0008).
FILES_DIR = env_path("JINGBAN_FILES_DIR") if env_str("JINGBAN_FILES_DIR") else VAR_DIR / "files"
UPLOAD_MAX_BYTES = env_int("JINGBAN_UPLOAD_MAX_MB") * 1024 * 1024
DOCUMENT_KEY = env_str("JINGBAN_DOCUMENT_KEY") or f"document-codes:{SECRET_KEY}"
VERIFY_PER_MINUTE = env_int("JINGBAN_VERIFY_PER_MINUTE")
# The national hospital interface (jingban.medical.national; docs/hospital-interface.md).
HOSPITAL_INTERFACE_PATH = env_str("JINGBAN_HOSPITAL_INTERFACE_PATH").strip("/")
GATEWAY_KEY = env_str("JINGBAN_GATEWAY_KEY") or f"hospital-gateway:{SECRET_KEY}"
GATEWAY_WINDOW_SECONDS = env_int("JINGBAN_GATEWAY_WINDOW_SECONDS")
HOSPITAL_LOOKUPS_PER_MINUTE = env_int("JINGBAN_HOSPITAL_LOOKUPS_PER_MINUTE")
HOSPITAL_SIGN_IN_HOURS = env_int("JINGBAN_HOSPITAL_SIGN_IN_HOURS")
HOSPITAL_MESSAGE_RETENTION_DAYS = env_int("JINGBAN_HOSPITAL_MESSAGE_RETENTION_DAYS")
