"""``--policy`` resolution against the database: approved versions win, drafts never count, an id
the database lacks falls back to the shipped file in auto mode only."""

from __future__ import annotations

import pgtrigger
import pytest
from django.db import connection

from jingban.engine.policy import PackRegistry, UnknownPack, load_pack_text, shipped_registry
from jingban.packs import queries, resolution, services
from jingban.packs.resolution import PackSource, resolve_specs
from tests.packs.conftest import OUTPATIENT_CAP, PACK_ID, pack_text
from tests.personas import Personas

SHIPPED_HASH = shipped_registry().get(PACK_ID).hash  # the latest shipped version, @2
SHIPPED_V1_HASH = shipped_registry().get(PACK_ID, 1).hash


@pytest.fixture
def v3(personas: Personas) -> str:
    """An approved version 3 (outpatient cap 180 yuan) and a draft version 4; returns v3's hash."""
    admin, qian = personas.user("admin"), personas.user("qian")
    row = services.import_pack_text(pack_text(3, OUTPATIENT_CAP), acting_user=admin)
    services.approve_version(row, acting_user=qian)
    services.import_pack_text(pack_text(4, ("amount: 2000", "amount: 2500")), acting_user=admin)
    return row.content_hash


def test_the_database_answers_for_the_ids_it_holds(v3: str) -> None:
    (latest,) = resolve_specs([PACK_ID])
    assert (latest.version, latest.hash) == (3, v3)
    assert latest.medical.caps["outpatient_general"].amount == 18_000
    assert "database" in latest.source
    (second,) = resolve_specs([f"{PACK_ID}@2"])
    assert (second.version, second.hash, second.layout) == (2, SHIPPED_HASH, 2)
    assert "database" in second.source
    (first,) = resolve_specs([f"{PACK_ID}@1"])
    assert (first.version, first.hash, first.layout) == (1, SHIPPED_V1_HASH, 1)
    # Version 3 is a draft: it is not there to use, in either mode.
    for source in (PackSource.AUTO, PackSource.DATABASE):
        with pytest.raises(UnknownPack, match=f"{PACK_ID}@4"):
            resolve_specs([f"{PACK_ID}@4"], source)


def test_files_mode_ignores_the_database(v3: str) -> None:
    (pack,) = resolve_specs([PACK_ID], PackSource.FILES)
    assert (pack.version, pack.hash, pack.source) == (2, SHIPPED_HASH, f"{PACK_ID}.v2.yaml")
    (old,) = resolve_specs([f"{PACK_ID}@1"], PackSource.FILES)
    assert (old.version, old.hash, old.source) == (1, SHIPPED_V1_HASH, f"{PACK_ID}.yaml")


def test_auto_falls_back_to_the_files_for_an_id_the_database_lacks(
    v3: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    files_only = load_pack_text(
        pack_text(1).replace(f"id: {PACK_ID}", "id: files-only-2025"), source="files-only.yaml"
    )
    monkeypatch.setattr(
        resolution, "shipped", lambda: PackRegistry([*shipped_registry().all(), files_only])
    )
    found = resolve_specs(["files-only-2025", PACK_ID])
    assert [(p.id, p.version, p.source) for p in found] == [
        ("files-only-2025", 1, "files-only.yaml"),
        (PACK_ID, 3, found[1].source),
    ]
    assert found[1].hash == v3
    with pytest.raises(UnknownPack, match="files-only-2025"):
        resolve_specs(["files-only-2025"], PackSource.DATABASE)
    # The plain string works like the enum.
    with pytest.raises(UnknownPack):
        resolve_specs(["files-only-2025"], "database")  # type: ignore[arg-type]


def test_an_empty_database_falls_back_in_auto_mode_only(empty_database) -> None:
    (pack,) = resolve_specs([PACK_ID])
    assert pack.source == f"{PACK_ID}.v2.yaml"
    with pytest.raises(UnknownPack):
        resolve_specs([PACK_ID], PackSource.DATABASE)


def test_without_a_configured_database_the_files_answer(
    v3: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resolution, "database_configured", lambda: False)

    def no_database() -> PackRegistry:
        raise AssertionError("the database was asked")

    monkeypatch.setattr(queries, "approved_registry", no_database)
    (pack,) = resolve_specs([PACK_ID])
    assert pack.hash == SHIPPED_HASH


def test_a_tampered_version_stops_the_resolution(v3: str) -> None:
    with (
        pgtrigger.ignore("packs.PackVersion:packversion_decided_no_update"),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE packs_packversion SET content = replace(content, 'amount: 180', "
            "'amount: 900') WHERE content_hash = %s",
            [v3],
        )
    with pytest.raises(queries.PackTampered):
        resolve_specs([f"{PACK_ID}@3"])
