"""The files directory: random names, two-level fan-out, written whole or not at all."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

_CHUNK = 1 << 20


def files_dir() -> Path:
    return Path(settings.FILES_DIR)


def path_of(storage_name: str) -> Path:
    # Names are ours (hex), so they never climb out of the directory; checked anyway.
    if not storage_name.isalnum():
        raise ValueError(storage_name)
    return files_dir() / storage_name[:2] / storage_name


def new_name() -> str:
    return secrets.token_hex(20)


def write(chunks: Iterable[bytes]) -> tuple[str, str, int]:
    """Store the bytes under a new random name; returns (name, sha256, size).

    Written to a temporary file in the same directory, flushed to disk, then renamed: a crash
    leaves no half file under a real name. Only the owner may read the files.
    """
    name = new_name()
    target = path_of(name)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(name + ".partial")
    digest = hashlib.sha256()
    size = 0
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return name, digest.hexdigest(), size


def remove(storage_name: str) -> None:
    path_of(storage_name).unlink(missing_ok=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
