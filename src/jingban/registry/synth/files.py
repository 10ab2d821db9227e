"""Write a generated city to Parquet files, one per table, with a manifest; read it back."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl

from jingban.registry.synth.generate import TABLES

MANIFEST = "city.json"


def write_city(
    out: Path,
    frames: dict[str, pl.DataFrame],
    *,
    manifest: dict[str, object],
) -> None:
    """Each table to ``out/<table>.parquet`` and the manifest to ``out/city.json``. Each file is
    written beside its final name and renamed into place, so none is ever half written."""
    out.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        target = out / f"{name}.parquet"
        partial = target.with_name(target.name + ".partial")
        frames[name].write_parquet(partial, compression="zstd")
        os.replace(partial, target)
    target = out / MANIFEST
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, target)


def read_city(directory: Path) -> tuple[dict[str, pl.DataFrame], dict[str, object]]:
    """The frames and the manifest of a city written by ``write_city``."""
    frames = {name: pl.read_parquet(directory / f"{name}.parquet") for name in TABLES}
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    return frames, manifest
