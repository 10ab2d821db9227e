"""The uploaded files in a backup: a tar beside the dump, listed in the manifest.

Backup: every stored file (``ab/ab…``, the files app's random names) goes into an uncompressed
tar (the files are PDFs and images, compressed already), written after the dump. Files are only
ever added, never changed, so the tar holds at least every file the dump's rows name; a file
uploaded in between is an extra that nothing names.

Restore: the tar's size and SHA-256 are checked against the manifest before anything else, its
members are unpacked into a staging directory beside the files directory (regular files with
names of our own shape only), each file a restored row names is checked against the row's
SHA-256, and only after the database has been swapped in does the staging directory take the
place of the files directory.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.utils.translation import gettext as _

from jingban.backup.manifest import sha256_of
from jingban.backup.tools import BackupError

# The files app's storage names: two hex characters of fan-out, then the 40-character name.
_MEMBER = re.compile(r"^([0-9a-f]{2})/\1[0-9a-f]{38}$")
# The table the files app keeps its rows in; a database without it names no file.
FILES_TABLE = "files_storedfile"


@dataclass(frozen=True)
class FilesFacts:
    file: str
    bytes: int
    sha256: str
    count: int

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "bytes": self.bytes, "sha256": self.sha256, "count": self.count}

    @classmethod
    def from_dict(cls, value: Any) -> FilesFacts:
        return cls(
            file=str(value["file"]),
            bytes=int(value["bytes"]),
            sha256=str(value["sha256"]),
            count=int(value["count"]),
        )


def files_dir() -> Path:
    return Path(settings.FILES_DIR)


def archive_path(dump: Path) -> Path:
    return dump.with_name(dump.name + ".files.tar")


def _stored_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.glob("*/*")
        if path.is_file() and _MEMBER.match(path.relative_to(directory).as_posix())
    )


def write_archive(target: Path, name: str) -> FilesFacts:
    """Write every stored file into ``target`` (reserved empty by the caller), to be renamed
    ``name`` beside the dump."""
    directory = files_dir()
    members = _stored_files(directory)
    try:
        with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
            for path in members:
                tar.add(path, arcname=path.relative_to(directory).as_posix(), recursive=False)
    except OSError as err:
        raise BackupError(
            _("Cannot archive the files of %(dir)s into %(file)s: %(error)s")
            % {"dir": directory, "file": target, "error": err}
        ) from err
    return FilesFacts(name, target.stat().st_size, sha256_of(target), len(members))


def check_archive(dump: Path, facts: FilesFacts) -> Path:
    """The tar the manifest names, whole and unchanged; refused otherwise."""
    path = dump.with_name(facts.file)
    if facts.file != Path(facts.file).name or not path.is_file():
        raise BackupError(
            _("The files archive %(file)s named by the manifest is missing.") % {"file": path}
        )
    if path.stat().st_size != facts.bytes or sha256_of(path) != facts.sha256:
        raise BackupError(
            _(
                "The files archive %(file)s does not match its manifest (truncated or changed); "
                "nothing was restored."
            )
            % {"file": path}
        )
    return path


def unpack(archive: Path) -> Path:
    """Unpack into a new staging directory beside the files directory; return it."""
    target = files_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.restoring-{secrets.token_hex(4)}")
    staging.mkdir(mode=0o700)
    try:
        with tarfile.open(archive, "r") as tar:
            members = tar.getmembers()
            for member in members:
                if not member.isfile() or not _MEMBER.match(member.name):
                    raise BackupError(
                        _("The files archive %(file)s holds an unexpected entry: %(entry)s")
                        % {"file": archive, "entry": member.name[:100]}
                    )
            tar.extractall(staging, members=members, filter="data")
    except BaseException as err:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(err, tarfile.TarError):
            raise BackupError(
                _("The files archive %(file)s cannot be read: %(error)s")
                % {"file": archive, "error": err}
            ) from err
        raise
    return staging


def check_rows(conn: psycopg.Connection[Any], staging: Path) -> int:
    """Every file the restored database names is in the staging directory, byte for byte."""
    exists = conn.execute("SELECT to_regclass(%s)", [f"public.{FILES_TABLE}"]).fetchone()
    if not exists or exists[0] is None:
        return 0
    rows = conn.execute(f"SELECT storage_name, sha256 FROM {FILES_TABLE}").fetchall()  # noqa: S608
    bad = []
    for name, digest in rows:
        path = staging / name[:2] / name
        if not path.is_file() or sha256_of(path) != digest:
            bad.append(name)
    if bad:
        raise BackupError(
            _(
                "%(count)d files named by the restored database are missing from the files "
                "archive or differ from it; nothing was restored."
            )
            % {"count": len(bad)}
        )
    return len(rows)


def swap_in(staging: Path, *, keep_previous: bool) -> Path | None:
    """Put the staging directory in place of the files directory; return where the old one
    went when it is kept."""
    target = files_dir()
    aside = None
    if target.exists():
        aside = target.with_name(f".{target.name}.replaced-{secrets.token_hex(4)}")
        target.rename(aside)
    try:
        staging.rename(target)
    except BaseException:
        if aside is not None:
            aside.rename(target)
        raise
    if aside is not None and not keep_previous:
        shutil.rmtree(aside, ignore_errors=True)
        return None
    return aside


def discard(staging: Path | None) -> None:
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)
