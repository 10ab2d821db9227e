"""Django settings, read only from environment variables (see jingban.config.VARIABLES)."""

from __future__ import annotations

import warnings
from pathlib import Path
from urllib.parse import unquote, urlparse

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
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "procrastinate.contrib.django",
    "jingban.core",
    "jingban.registry",
    "jingban.jobs",
    "jingban.medical",
    "jingban.packs",
    "jingban.files",
    "jingban.documents",
    "jingban.notices",
    # A deployment's own apps (JINGBAN_EXTRA_APPS): each joins through its plugin module.
    *env_list("JINGBAN_EXTRA_APPS"),
    # The demo world stays last: it uses every app above and nothing uses it.
    "jingban.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jingban.core.middleware.PreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
]

ROOT_URLCONF = "jingban.urls"
WSGI_APPLICATION = "jingban.wsgi.application"
AUTH_USER_MODEL = "core.User"
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


def _database_from_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ConfigError("DATABASE_URL must start with postgresql://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
    }


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
DATABASES["default"]["CONN_MAX_AGE"] = 0
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
