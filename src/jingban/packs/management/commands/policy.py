"""``jingban policy``: policy packs from the command line.

- ``check FILE``: load a pack file and report it, or each of its problems with line and path.
  Needs no database (``jingban.cli`` does not start one for it).
- ``list``, ``show ID[@VERSION]``: the versions stored in the database.
- ``import FILE --user NAME``: store a pack file as a draft entered by NAME.
- ``approve ID@VERSION --user NAME [--note TEXT]``: NAME, not the author, approves the draft.
- ``sync --user NAME``: record the packs shipped with jingban as approved versions.

Problems exit with status 2 and name what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jingban.core import file_errors
from jingban.core.errors import DomainError
from jingban.core.models import User
from jingban.core.pack_problems import problem_line
from jingban.engine.policy import BadPackSpec, PackError, load_pack_file, parse_spec
from jingban.packs import queries, services

EXIT_PROBLEM = 2


def _problems(err: PackError) -> str:
    return "\n".join(f"{err.source}: {problem_line(problem)}" for problem in err.problems)


class Command(BaseCommand):
    help = "Check, list, show, import, approve and sync policy packs."
    # `policy check` runs without a database; the system checks are not needed by any action.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="policy_action", required=True, metavar="ACTION")
        check = actions.add_parser("check", help="Check a pack file (no database needed).")
        check.add_argument("file", metavar="FILE")
        actions.add_parser("list", help="Every stored version.")
        show = actions.add_parser("show", help="One stored version with its figures.")
        show.add_argument("spec", metavar="ID[@VERSION]")
        imp = actions.add_parser("import", help="Store a pack file as a draft.")
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--user", required=True, metavar="NAME", help="The author.")
        approve = actions.add_parser("approve", help="Approve a draft (not one's own).")
        approve.add_argument("spec", metavar="ID@VERSION")
        approve.add_argument("--user", required=True, metavar="NAME", help="The reviewer.")
        approve.add_argument("--note", default="", help="A review note.")
        sync = actions.add_parser(
            "sync", help="Record the packs shipped with jingban as approved versions."
        )
        sync.add_argument("--user", required=True, metavar="NAME", help="Who records them.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["policy_action"]
        if action == "check":
            self._check(options["file"])
            return
        try:
            if action == "list":
                self._list()
            elif action == "show":
                self._show(options["spec"])
            elif action == "import":
                self._import(options["file"], options["user"])
            elif action == "approve":
                self._approve(options["spec"], options["user"], options["note"])
            else:
                self._sync(options["user"])
        except DomainError as err:
            raise CommandError(_describe(err), returncode=EXIT_PROBLEM) from None

    # Without a database

    def _check(self, file: str) -> None:
        try:
            pack = load_pack_file(Path(file))
        except PackError as err:
            raise CommandError(_problems(err), returncode=EXIT_PROBLEM) from None
        self.stdout.write(f"{pack.ref}  {pack.rules.title.zh}")
        self.stdout.write(_("Content hash: %(hash)s") % {"hash": pack.hash})
        self.stdout.write(
            _("%(figures)s figures, of which %(samples)s marked sample.")
            % {"figures": len(pack.figures), "samples": len(pack.samples)}
        )
        for figure in pack.samples:
            self.stdout.write(f"  {_('sample')}: {figure.path} = {figure.value}")

    # With the database

    def _list(self) -> None:

        rows = list(queries.all_versions())
        if not rows:
            self.stdout.write(_("No policy pack is stored yet."))
            return
        for row in rows:
            self.stdout.write(
                "  ".join(
                    [
                        f"{row.spec:<32}",
                        f"{row.get_status_display():<8}",
                        f"{row.effective_start:%Y-%m-%d}–{row.effective_end:%Y-%m-%d}",
                        row.content_hash[:12],
                        str(row.get_origin_display()),
                    ]
                )
            )

    def _show(self, spec: str) -> None:

        pack_id, version = _spec(spec)
        row = queries.find_version(pack_id, version)
        if row is None:
            raise CommandError(
                _("No stored policy pack %(spec)s.") % {"spec": spec}, returncode=EXIT_PROBLEM
            )
        facts = [
            (_("Pack"), f"{row.spec}  {row.title_zh}"),
            (_("Status"), str(row.get_status_display())),
            (_("Origin"), str(row.get_origin_display())),
            (_("Region"), row.region),
            (_("Scheme"), row.scheme),
            (_("Effective"), f"{row.effective_start:%Y-%m-%d} – {row.effective_end:%Y-%m-%d}"),
            (_("Content hash"), row.content_hash),
            (_("Author"), row.author.get_username() if row.author else "—"),
            (_("Reviewer"), row.reviewer.get_username() if row.reviewer else "—"),
        ]
        if row.reviewed_at:
            facts.append((_("Reviewed"), f"{row.reviewed_at:%Y-%m-%d %H:%M}"))
        if row.review_note:
            facts.append((_("Review note"), row.review_note))
        for label, value in facts:
            self.stdout.write(f"{label}: {value}")
        try:
            pack = queries.load_row(row)
        except PackError as err:
            raise CommandError(_problems(err), returncode=EXIT_PROBLEM) from None
        self.stdout.write(_("Figures:"))
        for figure in pack.figures:
            mark = f"  [{_('sample')}]" if figure.sample else ""
            text = figure.note.get(get_language() or "")
            note = f"  # {text}" if text else ""
            self.stdout.write(f"  {figure.path} = {figure.value}{mark}{note}")

    def _import(self, file: str, username: str) -> None:

        user = _user(username)
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s")
                % {"file": file, "error": file_errors.describe(err)},
                returncode=EXIT_PROBLEM,
            ) from None
        row = services.import_pack_text(text, source=path.name, acting_user=user)
        self.stdout.write(
            _("Imported %(spec)s as a draft (#%(id)s). Another person must approve it.")
            % {"spec": row.spec, "id": row.pk}
        )

    def _approve(self, spec: str, username: str, note: str) -> None:

        pack_id, version = _spec(spec)
        if version is None:
            raise CommandError(
                _("Name the version to approve: %(id)s@VERSION.") % {"id": pack_id},
                returncode=EXIT_PROBLEM,
            )
        user = _user(username)
        row = queries.find_version(pack_id, version)
        if row is None:
            raise CommandError(
                _("No stored policy pack %(spec)s.") % {"spec": spec}, returncode=EXIT_PROBLEM
            )
        services.approve_version(row, note=note, acting_user=user)
        self.stdout.write(_("Approved %(spec)s.") % {"spec": row.spec})

    def _sync(self, username: str) -> None:

        result = services.import_shipped_packs(acting_user=_user(username))
        for row in result.created:
            self.stdout.write(_("Recorded %(spec)s (shipped).") % {"spec": row.spec})
        for pack, stored in result.taken:
            self.stdout.write(
                _(
                    "Not recorded: the shipped %(spec)s, since %(stored)s (%(origin)s) already "
                    "holds its number."
                )
                % {"spec": pack.ref, "stored": stored.spec, "origin": stored.get_origin_display()}
            )
        if not result.created and not result.taken:
            self.stdout.write(_("Every shipped pack is recorded already."))


def _spec(spec: str) -> tuple[str, int | None]:
    try:
        return parse_spec(spec)
    except BadPackSpec:
        raise CommandError(
            _("%(spec)s is not a pack id with an optional @version.") % {"spec": spec},
            returncode=EXIT_PROBLEM,
        ) from None


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(
            _("No user is named %(name)s.") % {"name": username}, returncode=EXIT_PROBLEM
        )
    return user


def _describe(err: DomainError) -> str:
    lines = [str(err.message)]
    for messages in err.fields.values():
        lines += [f"  {message}" for message in messages]
    return "\n".join(lines)
