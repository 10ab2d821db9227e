"""Typed readers for the environment: the only place settings come from.

Every variable the application reads is declared in ``VARIABLES`` so that the README's
configuration table and ``jingban config`` can list them; reading an undeclared name is a bug.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class ConfigError(ValueError):
    """A variable is set to a value of the wrong shape."""


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    help: str


VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in [
        Variable("JINGBAN_DEBUG", "false", "Debug pages and verbose errors. Never in production."),
        Variable(
            "JINGBAN_SECRET_KEY",
            "",
            "Django secret key. Required when JINGBAN_DEBUG is false; development uses a fixed "
            "insecure key.",
        ),
        Variable(
            "DATABASE_URL",
            "",
            "postgresql://user:password@host:port/name?option=value of an external "
            "PostgreSQL ≥ 15; the options are libpq's (sslmode=verify-full&sslrootcert="
            "/path/ca.pem, connect_timeout, options, application_name …). "
            "Empty: the embedded server under JINGBAN_VAR_DIR/pg (development, demo, tests).",
        ),
        Variable(
            "JINGBAN_VAR_DIR",
            "./var",
            "Where the embedded database, the audit anchor file and other local state live.",
        ),
        Variable("JINGBAN_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names."),
        Variable(
            "JINGBAN_EXTRA_APPS",
            "",
            "Comma-separated Python paths of additional apps to install (a bureau's own module). "
            "Each joins through its plugin module; nothing else is edited.",
        ),
        Variable(
            "JINGBAN_AUDIT_KEY",
            "",
            "Key of the action log's HMAC chain. Empty: derived from the secret key. Keep it "
            "outside the database so that a database writer cannot re-seal a forged chain.",
        ),
        Variable(
            "JINGBAN_PII_KEY",
            "",
            "Key that encrypts personal data in the action log's before/after and reason "
            "(at least 32 characters, e.g. `python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'`). Required when DATABASE_URL is set and "
            "JINGBAN_DEBUG is false; development derives one from the secret key. Keep it "
            "outside the database: destroying it erases what it encrypted.",
        ),
        Variable(
            "JINGBAN_PII_OLD_KEYS",
            "",
            "Comma-separated earlier values of JINGBAN_PII_KEY, kept to read rows written "
            "under them after a rotation. Remove one to erase the rows it encrypted.",
        ),
        Variable(
            "JINGBAN_AUDIT_ANCHOR_FILE",
            "",
            "Append-only file where every sealed head of the action log is also written. "
            "Empty: JINGBAN_VAR_DIR/audit/anchors.log.",
        ),
        Variable(
            "JINGBAN_BACKUP_DIR",
            "",
            "Where `jingban backup` writes its dumps and manifests. "
            "Empty: JINGBAN_VAR_DIR/backups.",
        ),
        Variable(
            "JINGBAN_PG_BINDIR",
            "",
            "Directory of the pg_dump and pg_restore used with DATABASE_URL; their major version "
            "must be the server's. Empty: found on PATH. The embedded server uses its own.",
        ),
        Variable(
            "JINGBAN_FILES_DIR",
            "",
            "Where uploaded files are stored, under random names, outside the web root; "
            "`jingban backup` archives it. Empty: JINGBAN_VAR_DIR/files.",
        ),
        Variable(
            "JINGBAN_UPLOAD_MAX_MB", "20", "Largest file an upload may be, in megabytes (MiB)."
        ),
        Variable(
            "JINGBAN_DOCUMENT_KEY",
            "",
            "Key of the verification codes printed on official documents (HMAC-SHA256). Empty: "
            "derived from the secret key. Changing it makes every code issued before fail.",
        ),
        Variable(
            "JINGBAN_VERIFY_PER_MINUTE",
            "10",
            "Checks of a verification code the public page allows per client address per minute.",
        ),
        Variable(
            "JINGBAN_HOSPITAL_INTERFACE_PATH",
            "fsi/api/rsfComIfsService/callService",
            "Path (without the leading slash) of the national hospital interface's one endpoint.",
        ),
        Variable(
            "JINGBAN_GATEWAY_KEY",
            "",
            "Key the hospitals' gateway signature secrets (x-tif-signature) are derived from. "
            "Empty: derived from the secret key. Changing it invalidates every issued secret.",
        ),
        Variable(
            "JINGBAN_GATEWAY_WINDOW_SECONDS",
            "300",
            "How far a signed request's x-tif-timestamp may be from the server's clock; its "
            "nonce is remembered that long against replay.",
        ),
        Variable(
            "JINGBAN_HOSPITAL_LOOKUPS_PER_MINUTE",
            "120",
            "Person lookups by document number (1101) the hospital interface answers one "
            "hospital account in a minute; more are refused (infcode -1) until the minute passes.",
        ),
        Variable(
            "JINGBAN_HOSPITAL_SIGN_IN_HOURS",
            "24",
            "How long a hospital interface sign-in (9001) stays valid: an account that signs in "
            "must send a sign_no of its own that recent with each money transaction.",
        ),
        Variable(
            "JINGBAN_HOSPITAL_MESSAGE_RETENTION_DAYS",
            "180",
            "Days the hospital interface keeps a message and its answer (the msgid replay "
            "record); the daily job medical.national.messages.purge deletes older ones. "
            "Settlements themselves are kept.",
        ),
        Variable("JINGBAN_LANGUAGE", "zh-hans", "Default language: zh-hans or en."),
        Variable("JINGBAN_TIME_ZONE", "Asia/Shanghai", "Time zone of events and deadlines."),
        Variable(
            "JINGBAN_HOST", "127.0.0.1", "Address `jingban serve` and `jingban demo` bind to."
        ),
        Variable("JINGBAN_PORT", "8000", "Port `jingban serve` and `jingban demo` bind to."),
        Variable(
            "JINGBAN_NOTICE_CHANNELS",
            "log",
            "Outside channels notices are also sent by, comma-separated: `log` (one line per "
            "notice to the jingban.notices logger: user id and notice key only) or the dotted "
            "path of a channel class (`package.module:SmsChannel`). Empty: the inbox only.",
        ),
        Variable(
            "JINGBAN_WEB_WORKERS",
            "0",
            "Worker processes of the production server (`jingban serve`, `jingban demo`). "
            "0: one per CPU core.",
        ),
        Variable(
            "JINGBAN_WEB_THREADS",
            "4",
            "Threads per worker process of the production server: more lets a worker wait on "
            "the database for one request while serving another.",
        ),
        Variable(
            "JINGBAN_DB_CONN_MAX_AGE",
            "60",
            "Seconds a server thread keeps its database connection between requests; 0 opens "
            "one per request.",
        ),
        Variable(
            "JINGBAN_HTTPS",
            "false",
            "The site is served over HTTPS: Secure cookies and HSTS. With JINGBAN_TRUSTED_PROXIES "
            "the proxies' X-Forwarded-Proto is believed.",
        ),
        Variable(
            "JINGBAN_HSTS_SECONDS",
            "31536000",
            "Max-age of Strict-Transport-Security when JINGBAN_HTTPS is true.",
        ),
        Variable(
            "JINGBAN_TRUSTED_PROXIES",
            "",
            "Comma-separated addresses or networks (CIDR) of reverse proxies whose "
            "X-Forwarded-For and X-Forwarded-Proto are believed. Empty: the peer address is the "
            "client's.",
        ),
        Variable(
            "JINGBAN_SESSION_IDLE_MINUTES",
            "30",
            "A session unused for this many minutes is signed out.",
        ),
        Variable(
            "JINGBAN_TOKEN_DAYS",
            "90",
            "Default lifetime of a new API token, in days.",
        ),
        Variable(
            "JINGBAN_CHROMIUM",
            "/usr/bin/chromium",
            "Chromium executable used by the browser tests.",
        ),
    ]
}


def _raw(name: str) -> str:
    if name not in VARIABLES:
        raise KeyError(f"undeclared configuration variable {name}")
    return os.environ.get(name, VARIABLES[name].default)


def env_str(name: str) -> str:
    return _raw(name).strip()


def env_bool(name: str) -> bool:
    value = _raw(name).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def env_int(name: str) -> int:
    value = _raw(name).strip()
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str) -> list[str]:
    return [part.strip() for part in _raw(name).split(",") if part.strip()]


def project_root() -> Path:
    """The checkout's root when running from a source tree, else the working directory."""
    here = Path(__file__).resolve()
    candidate = here.parents[2]
    if (candidate / "pyproject.toml").exists():
        return candidate
    return Path.cwd()


def env_path(name: str) -> Path:
    value = env_str(name)
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = project_root() / path
    return path
