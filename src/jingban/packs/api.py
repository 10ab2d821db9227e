"""API of policy packs: the stored versions, one version with its figures, and approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from jingban.core.api_access import api_user
from jingban.core.api_errors import errors
from jingban.core.models import User
from jingban.core.roles import Cap
from jingban.engine.policy import Figure, PolicyPack
from jingban.packs import figures as figures_view
from jingban.packs import queries, services
from jingban.packs.models import PackVersion

router = Router(tags=["policy packs"])
PAGE_SIZE = 50

_HASH = "3f1c0a9e5b7d2c4f6a8e0b1d3c5f7a9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a"
_EXAMPLE: dict[str, Any] = {
    "id": 3,
    "pack_id": "sample-resident-2025",
    "version": 2,
    "spec": "sample-resident-2025@2",
    "kind": "public",
    "title_zh": "示例城乡居民基本医疗保险(2025年度)",
    "title_en": "Sample resident basic medical insurance (2025)",
    "region": "000000",
    "scheme": "resident_medical",
    "effective_start": "2025-01-01",
    "effective_end": "2025-12-31",
    "content_hash": _HASH,
    "status": "draft",
    "origin": "edited",
    "author": "admin",
    "created_at": "2026-03-02T09:30:00+08:00",
    "reviewer": None,
    "reviewed_at": None,
    "approved_at": None,
    "review_note": "",
}


class PackVersionOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    id: int
    pack_id: str
    version: int
    spec: str = Field(description="id@version, as --policy takes it")
    kind: str = Field(description="public or supplementary")
    title_zh: str
    title_en: str
    region: str = Field(description="Administrative code; 000000 for the whole country")
    scheme: str
    effective_start: dt.date
    effective_end: dt.date
    content_hash: str = Field(description="SHA-256 of the pack's canonical content")
    status: str = Field(description="draft, approved or rejected")
    origin: str = Field(description="shipped, imported or edited")
    author: str | None = Field(description="Username; None for a pack shipped with jingban")
    created_at: dt.datetime
    reviewer: str | None = Field(description="Username of who approved or rejected it")
    reviewed_at: dt.datetime | None
    approved_at: dt.datetime | None
    review_note: str


class FigureOut(Schema):
    path: str = Field(description="Dotted path in the pack, e.g. benefits.inpatient.ratio")
    value: Any = Field(description="The figure as the pack writes it (yuan, a ratio …)")
    sample: bool = Field(description="True when no seed or cited source gives the figure")
    note: str = Field(description="Where the figure comes from, in the request's language")
    note_zh: str = Field(description="The note in Chinese (a layout-1 note: as written)")
    note_en: str = Field(description="The note in English (a layout-1 note: as written)")
    label: str = Field(
        description="Its place in the scheme, in the request's language "
        "(基本医保待遇 · 住院 · 起付线 · 三级医院)"
    )
    shown: str = Field(description="The value in its unit, as the pages show it (¥800, 85%)")


class FigureChangeOut(Schema):
    path: str
    before: Any = Field(description="The previous approved version's value; None: absent")
    after: Any = Field(description="This version's value; None: absent")


class PackVersionDetailOut(PackVersionOut):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_EXAMPLE,
                    "content": "id: sample-resident-2025\nversion: 2\n…",
                    "hash_verified": True,
                    "figures": [
                        {
                            "path": "caps.outpatient_general.amount",
                            "value": 180,
                            "sample": False,
                            "note": "",
                        }
                    ],
                    "previous_approved": "sample-resident-2025@1",
                    "changes": [
                        {"path": "caps.outpatient_general.amount", "before": 150, "after": 180}
                    ],
                }
            ]
        }
    )

    content: str = Field(description="The pack's YAML text")
    hash_verified: bool = Field(description="The text still hashes to content_hash")
    figures: list[FigureOut]
    previous_approved: str | None = Field(
        description="id@version of the approved version just below this one"
    )
    changes: list[FigureChangeOut] = Field(
        description="Figures that differ from previous_approved (empty when there is none)"
    )


class PackVersionPage(Schema):
    count: int
    page: int
    results: list[PackVersionOut]


class ApproveIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"note": "与局发文件核对一致"}, {"note": ""}]}
    )

    note: str = Field("", max_length=services.MAX_NOTE, description="Optional review note")


def _username(user: User | None) -> str | None:
    return user.get_username() if user is not None else None


def _fields(row: PackVersion) -> dict[str, Any]:
    return {
        "id": row.pk,
        "pack_id": row.pack_id,
        "version": row.version,
        "spec": row.spec,
        "kind": row.kind,
        "title_zh": row.title_zh,
        "title_en": row.title_en,
        "region": row.region,
        "scheme": row.scheme,
        "effective_start": row.effective_start,
        "effective_end": row.effective_end,
        "content_hash": row.content_hash,
        "status": row.status,
        "origin": row.origin,
        "author": _username(row.author),
        "created_at": row.created_at,
        "reviewer": _username(row.reviewer),
        "reviewed_at": row.reviewed_at,
        "approved_at": row.approved_at,
        "review_note": row.review_note,
    }


def _pack(row: PackVersion) -> PolicyPack | None:
    try:
        return queries.load_row(row)
    except queries.PackTampered:
        return None


def _figures(row: PackVersion) -> tuple[Figure, ...] | None:
    pack = _pack(row)
    return pack.figures if pack is not None else None


def _value(figure: Figure | None) -> Any:
    return figure.value if figure is not None else None


def _detail(row: PackVersion) -> PackVersionDetailOut:
    pack = _pack(row)
    figures = pack.figures if pack is not None else None
    language = get_language() or ""
    labelled = {
        r.path: r
        for section in (figures_view.figure_sections(pack, language) if pack else [])
        for r in section.rows
    }
    previous = queries.previous_approved(row)
    before = _figures(previous) if previous is not None else None
    changes = (
        queries.compare_figures(before, figures)
        if before is not None and figures is not None
        else []
    )
    return PackVersionDetailOut(
        **_fields(row),
        content=row.content,
        hash_verified=figures is not None,
        figures=[
            FigureOut(
                path=f.path,
                value=f.value,
                sample=f.sample,
                note=f.note.get(get_language() or ""),
                note_zh=f.note.zh,
                note_en=f.note.en,
                label=labelled[f.path].full if f.path in labelled else f.path,
                shown=labelled[f.path].value if f.path in labelled else str(f.value),
            )
            for f in figures or ()
        ],
        previous_approved=previous.spec if previous is not None else None,
        changes=[
            FigureChangeOut(path=c.path, before=_value(c.before), after=_value(c.after))
            for c in changes
        ],
    )


@router.get(
    "",
    response={200: PackVersionPage, **errors(403)},
    summary="Stored versions of every policy pack, by pack id, newest version first",
)
def version_list(request: HttpRequest, page: int = 1) -> PackVersionPage:
    user = api_user(request, Cap.POLICY_VIEW)
    rows = queries.versions_for(user)
    page = max(page, 1)
    start = (page - 1) * PAGE_SIZE
    count = rows.count()
    # A page past the end is empty; asking the database for it could overflow its OFFSET.
    results = (
        [PackVersionOut(**_fields(r)) for r in rows[start : start + PAGE_SIZE]]
        if start < count
        else []
    )
    return PackVersionPage(count=count, page=page, results=results)


@router.get(
    "/{int:pk}",
    response={200: PackVersionDetailOut, **errors(403, 404)},
    summary="One version with its figures and the changes from the previous approved version",
)
def version_detail(request: HttpRequest, pk: int) -> PackVersionDetailOut:
    user = api_user(request, Cap.POLICY_VIEW)
    return _detail(queries.version_for(user, pk))


@router.post(
    "/{int:pk}/approve",
    response={200: PackVersionDetailOut, **errors(400, 403, 404, 409)},
    summary="Approve a draft: 403 (code packs.version.own_version) for its author, 409 "
    "(packs.version.not_draft) unless it is a draft",
)
def version_approve(request: HttpRequest, pk: int, payload: ApproveIn) -> PackVersionDetailOut:
    user = api_user(request, Cap.POLICY_APPROVE)
    row = queries.version_for(user, pk)
    return _detail(services.approve_version(row, note=payload.note, acting_user=user))
