"""The ``jingban`` command: every operation of the application.

It is Django's command line with these additions:

- when no ``DATABASE_URL`` is set, commands that need the database first make sure the embedded
  server runs and the application database exists;
- ``jingban``, ``jingban help`` and ``jingban --help`` list jingban's own commands grouped by
  purpose, one line each, in the configured language (``JINGBAN_LANGUAGE``); Django's built-in
  commands are one line that says how to list them (``jingban help --all``);
- a command's error is printed as its message alone, without Django's ``CommandError:`` prefix,
  and an unknown command is said in the configured language.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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
    "ltc",
}

_OVERVIEW_ARGS: tuple[list[str], ...] = ([], ["help"], ["--help"], ["-h"])


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


def _groups() -> list[tuple[Any, list[tuple[str, Any]]]]:
    """jingban's own commands by purpose, each with its one line (translated lazily)."""
    from django.utils.translation import gettext_lazy as _

    return [
        (
            _("Database"),
            [
                ("db", _("Start, stop or show the embedded PostgreSQL server.")),
                ("backup", _("Back up the database and the stored files.")),
                ("restore", _("Restore a backup (replaces the database).")),
            ],
        ),
        (
            _("Demo and synthetic data"),
            [
                ("demo", _("Prepare the demo city and serve the web application.")),
                ("synth", _("Generate a synthetic city, into the database or to files.")),
            ],
        ),
        (
            _("Policy packs and settlement"),
            [
                ("policy", _("Check, list, show, import, approve and sync policy packs.")),
                ("adjudicate", _("Settle a file of claims with the policy packs.")),
                ("ltc", _("Grade LTC assessments or settle a month of care services from files.")),
                ("calendar", _("Seed the working-day calendar, or check one date.")),
            ],
        ),
        (
            _("Operations"),
            [
                ("serve", _("Serve the web application.")),
                ("worker", _("Run background jobs from the queue.")),
                ("jobs", _("Start, follow, list and retry background jobs.")),
                ("audit", _("Verify or seal the action log's hash chain.")),
                ("token", _("Issue or revoke API tokens.")),
                ("gateway", _("Issue a hospital's gateway signature credential.")),
                ("config", _("List the configuration variables and their values.")),
                ("i18n", _("Compile or check the translation catalogs.")),
                ("docs", _("Rewrite the generated pages of the documentation.")),
            ],
        ),
    ]


def _first_line(text: object) -> str:
    return " ".join(str(text or "").split()).split(". ")[0].rstrip(".") + "."


def overview() -> str:
    """The command overview ``jingban --help`` prints, in the active language."""
    from django.core.management import get_commands, load_command_class
    from django.utils.translation import gettext as _

    commands = get_commands()
    own = {name for name, app in commands.items() if app.startswith("jingban")}
    groups = _groups()
    listed = {name for _title, entries in groups for name, _line in entries}
    # An app added later brings commands this table does not know: they still show.
    others = sorted(own - listed)
    if others:
        groups.append(
            (
                _("Other"),
                [(n, _first_line(load_command_class(commands[n], n).help)) for n in others],
            )
        )
    width = max(len(name) for _title, entries in groups for name, _line in entries)
    lines = [_("Usage: jingban COMMAND [OPTIONS]"), ""]
    for title, entries in groups:
        present = [(name, line) for name, line in entries if name in own]
        if not present:
            continue
        lines.append(str(title))
        lines += [f"  {name:<{width}}  {line}" for name, line in present]
        lines.append("")
    builtin = len(commands) - len(own)
    lines.append(
        _("Django's %(count)s built-in commands are listed by: jingban help --all")
        % {"count": builtin}
    )
    lines.append(_("The options of one command: jingban help COMMAND"))
    return "\n".join(lines) + "\n"


def _setup() -> None:
    import django
    from django.conf import settings
    from django.utils import translation

    django.setup()
    translation.activate(settings.LANGUAGE_CODE)


def _unknown(command: str) -> bool:
    """Say that ``command`` does not exist, in the configured language; True when it does not."""
    if command.startswith("-") or command in {"help", "version"}:
        return False
    from django.core.management import get_commands
    from django.utils.translation import gettext as _

    if command in get_commands():
        return False
    sys.stderr.write(
        _("jingban has no command %(command)s. The commands: jingban help") % {"command": command}
        + "\n"
    )
    return True


@contextmanager
def _plain_command_errors() -> Iterator[None]:
    """While the command line runs, print a command's ``CommandError`` as its message alone:
    Django prefixes it with the exception's class name, which is an internal. Only the
    outermost command's error is caught (a command may call another and handle its error);
    ``--traceback`` still raises. Django's own method is back in place afterwards, so that
    ``call_command`` in the same process raises as documented."""
    from django.core.management.base import BaseCommand, CommandError, SystemCheckError

    execute = BaseCommand.execute
    depth = [0]

    def plain(self: BaseCommand, *args: Any, **options: Any) -> Any:
        depth[0] += 1
        try:
            return execute(self, *args, **options)
        except CommandError as err:
            if depth[0] > 1 or options.get("traceback") or isinstance(err, SystemCheckError):
                raise
            self.stderr.write(str(err))
            raise SystemExit(err.returncode) from None
        finally:
            depth[0] -= 1

    BaseCommand.execute = plain  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseCommand.execute = execute  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingban.settings")
    if argv[1:] in _OVERVIEW_ARGS:
        _setup()
        sys.stdout.write(overview())
        return
    if argv[1:] == ["help", "--all"]:
        from django.core.management import ManagementUtility

        _setup()
        sys.stdout.write(ManagementUtility([argv[0]]).main_help_text() + "\n")
        return
    command = argv[1]
    _setup()
    if _unknown(command):
        raise SystemExit(1)
    # `policy check FILE` only reads a file; the other `policy` actions use the database.
    no_database = command in _NO_DATABASE or argv[1:3] == ["policy", "check"]
    started = False
    if not no_database and not os.environ.get("DATABASE_URL"):
        started = _ensure_embedded_database()
    from django.core.management import execute_from_command_line

    try:
        with _plain_command_errors():
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
