"""Reads: the approved registry the engine runs on (and its refusal of a tampered version), the
comparison of figures, and who sees the versions."""

from __future__ import annotations

import pgtrigger
import pytest
from django.db import connection

from jingban.engine.policy import Figure, Note, load_pack_text, shipped_registry
from jingban.packs import queries, services
from jingban.packs.models import PackVersion
from tests.packs.conftest import OUTPATIENT_CAP, PACK_ID, pack_text
from tests.personas import Personas

IMMUTABLE = (
    "packs.PackVersion:packversion_decided_no_update",
    "packs.PackVersion:packversion_decided_no_delete",
)


def _tamper(sql: str, params: list[object]) -> None:
    """What someone with database access does: switch the triggers off and use raw SQL."""
    with pgtrigger.ignore(*IMMUTABLE), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _approved_v3(personas: Personas) -> PackVersion:
    row = services.import_pack_text(
        pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin")
    )
    return services.approve_version(row, acting_user=personas.user("qian"))


def test_the_registry_holds_every_approved_version_and_no_draft(personas: Personas) -> None:
    v3 = _approved_v3(personas)
    services.import_pack_text(
        pack_text(4, ("amount: 2000", "amount: 2500")), acting_user=personas.user("admin")
    )
    registry = queries.approved_registry()
    assert [(str(p.ref), p.layout) for p in registry.all()] == [
        ("jiangsu-ankang-2026@1", 2),
        ("jiangsu-yihuibao-2021@1", 1),
        ("jiangsu-yihuibao-2021@2", 2),
        ("national-ltc-assessment-2021@1", 2),
        (f"{PACK_ID}@1", 1),
        (f"{PACK_ID}@2", 2),
        (f"{PACK_ID}@3", 2),
        ("sample-resident-2026@1", 2),
        ("sample-resident-contributions-2025@1", 2),
        ("sample-resident-contributions-2025@2", 2),
        ("sample-resident-contributions-2026@1", 2),
        ("suzhou-desk-2026@1", 2),
        ("suzhou-filing-2026@1", 2),
        ("suzhou-ltc@1", 2),
        ("suzhou-reimbursement-2026@1", 2),
        ("tengzhou-ltc-2024@1", 2),
        ("yantai-ltc@1", 2),
        ("yantai-ltc@2", 2),
        ("yantai-ltc@3", 2),
        ("zhangjiagang-ltc-2021@1", 2),
    ]
    latest = registry.get(PACK_ID)
    assert latest.hash == v3.content_hash and latest.version == 3
    assert latest.medical.caps["outpatient_general"].amount == 18_000  # fen
    # Version 1, approved in step 3, is read through the compatibility path with its hash.
    assert registry.get(PACK_ID, 1).hash == shipped_registry().get(PACK_ID, 1).hash


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        (
            "UPDATE packs_packversion SET content = replace(content, 'amount: 180', "
            "'amount: 999') WHERE id = %s",
            "hashes to",
        ),
        ("UPDATE packs_packversion SET content_hash = repeat('0', 64) WHERE id = %s", "hashes to"),
        ("UPDATE packs_packversion SET content = 'id: [' WHERE id = %s", "no longer loads"),
        ("UPDATE packs_packversion SET version = 7 WHERE id = %s", "not sample-resident-2025@7"),
    ],
)
def test_a_tampered_approved_version_is_refused(personas: Personas, sql: str, says: str) -> None:
    row = _approved_v3(personas)
    _tamper(sql, [row.pk])
    with pytest.raises(queries.PackTampered) as refused:
        queries.approved_registry()
    assert refused.value.code == "packs.version.tampered"
    assert says in str(refused.value)
    assert f"database #{row.pk}" in refused.value.source


def test_compare_figures_lists_what_changed_was_added_or_removed() -> None:
    before = [
        Figure("version", 1, False),
        Figure("caps.a.amount", 150, False),
        Figure("caps.b.amount", 300, True, Note("猜测", "guess")),
        Figure("caps.c.amount", 10, False),
        Figure("ratio", 0.5, False),
    ]
    after = [
        Figure("version", 2, False),
        Figure("caps.a.amount", 180, False),
        Figure("caps.b.amount", 300, False, Note("已核实", "verified")),  # no longer a sample
        Figure("caps.d.amount", 20, False),
        Figure("ratio", 0.50, False, Note("同值", "same value")),  # a note alone: no change
    ]
    changes = queries.compare_figures(before, after)
    assert [
        (
            c.path,
            c.before.value if c.before else None,
            c.after.value if c.after else None,
        )
        for c in changes
    ] == [
        ("caps.a.amount", 150, 180),
        ("caps.b.amount", 300, 300),
        ("caps.d.amount", None, 20),
        ("caps.c.amount", 10, None),
    ]


def test_previous_approved_skips_drafts_and_rejected(personas: Personas) -> None:
    admin, qian = personas.user("admin"), personas.user("qian")
    v3 = _approved_v3(personas)
    v4 = services.import_pack_text(
        pack_text(4, ("amount: 2000", "amount: 2500")), acting_user=admin
    )
    services.reject_version(v4, reason="不对", acting_user=qian)
    v5 = services.import_pack_text(
        pack_text(5, ("amount: 2000", "amount: 2600")), acting_user=admin
    )
    assert queries.previous_approved(v5) == v3
    assert queries.previous_approved(v3) == PackVersion.objects.get(pack_id=PACK_ID, version=2)
    assert queries.next_version_number(PACK_ID) == 6
    changes = queries.compare_figures(
        load_pack_text(v3.content).figures, load_pack_text(v5.content).figures
    )
    assert [(c.path, c.before.value, c.after.value) for c in changes if c.before and c.after] == [
        ("caps.outpatient_general.amount", 180, 150),
        ("caps.accident.amount", 2000, 2600),
    ]


def test_every_viewer_sees_every_pack_and_others_none(personas: Personas) -> None:
    everything = set(PackVersion.objects.values_list("pk", flat=True))
    for username in ("admin", "wang", "sun", "zhao", "qian"):
        seen = set(queries.versions_for(personas.user(username)).values_list("pk", flat=True))
        assert seen == everything, username
    for username in ("li", "kangning", "zhou", "chen"):
        assert not queries.versions_for(personas.user(username)).exists(), username


def test_groups_and_filters(personas: Personas) -> None:
    _approved_v3(personas)
    admin = personas.user("admin")
    groups = queries.grouped_versions(admin)
    assert [(g.pack_id, [v.version for v in g.versions]) for g in groups] == [
        ("jiangsu-ankang-2026", [1]),
        ("jiangsu-yihuibao-2021", [2, 1]),
        ("national-ltc-assessment-2021", [1]),
        (PACK_ID, [3, 2, 1]),
        ("sample-resident-2026", [1]),
        ("sample-resident-contributions-2025", [2, 1]),
        ("sample-resident-contributions-2026", [1]),
        ("suzhou-desk-2026", [1]),
        ("suzhou-filing-2026", [1]),
        ("suzhou-ltc", [1]),
        ("suzhou-reimbursement-2026", [1]),
        ("tengzhou-ltc-2024", [1]),
        ("yantai-ltc", [3, 2, 1]),
        ("zhangjiagang-ltc-2021", [1]),
    ]
    assert [g.pack_id for g in queries.grouped_versions(admin, "医惠保")] == [
        "jiangsu-yihuibao-2021"
    ]
    assert queries.grouped_versions(admin, status="draft") == []
