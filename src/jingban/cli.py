"""The ``jingban`` command: every operation of the application.

It is Django's command line with one addition: when no ``DATABASE_URL`` is set, commands that need
the database first make sure the embedded server runs and the application database exists.
"""

from __future__ import annotations

import os
import sys

# Commands that never touch the database.
_NO_DATABASE = {
    "help",
    "--help",
    "-h",
    "version",
    "--version",
    "db",
    "config",
    "makemessages",
    "compilemessages",
    "i18n",
    "check",
    "docs",
    # Resolves packs from the shipped files, or starts a configured database itself.
    "adjudicate",
}


def _ensure_embedded_database() -> bool:
    """Start the embedded server if needed; True when this process started it."""
    from jingban import devdb

    try:
        started = devdb.start()
        devdb.ensure_database("jingban")
    except devdb.EmbeddedDatabaseError as err:
        sys.stderr.write(f"jingban: {err}\n")
        raise SystemExit(2) from err
    return started


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingban.settings")
    command = argv[1] if len(argv) > 1 else "help"
    # `policy check FILE` only reads a file; the other `policy` actions use the database.
    no_database = command in _NO_DATABASE or argv[1:3] == ["policy", "check"]
    started = False
    if not no_database and not os.environ.get("DATABASE_URL"):
        started = _ensure_embedded_database()
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except KeyboardInterrupt:
        pass
    finally:
        # A server this command started is stopped with it: nothing is left running behind.
        if started:
            from jingban import devdb

            devdb.stop()


if __name__ == "__main__":
    main()
