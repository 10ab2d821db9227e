"""Schemathesis against /api/v1/openapi.json: every operation, as the administrator and as the
Suzhou operator, with a fixed example budget. See docs/testing.md."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest

from jingban.core.roles import Role
from jingban.core.services.accounts import create_account, issue_api_token
from jingban.demo.world import resident_id
from jingban.jobs.models import JobRun, JobStatus
from jingban.packs.models import PackVersion
from jingban.packs.queries import next_version_number
from jingban.packs.services import bump_version_line, import_pack_text
from jingban.registry.models import AgentAuthorisation
from jingban.registry.services import PersonInput, bulk_register_persons
from jingban.wsgi import application
from tests.api.fuzzing import fuzz, load_schema
from tests.personas import Personas

MAX_EXAMPLES = 25  # per operation and caller, plus the schema's own examples
CALLERS = ("admin", "wang")
# Tried in turn for an operation neither caller may use (the insured person's own record …).
FALLBACK = ("chen", "kangning", "sun", "zhao", "li", "zhou", "qian")


def _bearer(personas: Personas, username: str) -> dict[str, str]:
    token = issue_api_token(personas.user(username), name="fuzz", acting_user=None)
    return {"Authorization": f"Bearer {token}"}


def _failed_runs(personas: Personas) -> None:
    """A failed run for each caller, so that retrying one can succeed (only failed runs may be
    retried, and a run is visible to the user who started it)."""
    for name in CALLERS:
        JobRun.objects.create(
            kind="core.audit.verify",
            status=JobStatus.FAILED,
            started_by=personas.user(name),
            error="interrupted (fuzz fixture)",
        )


def _persons_without_household(personas: Personas, count: int = 40) -> None:
    """Suzhou persons in no household yet, so that adding a member to a household can succeed
    (the synthetic city puts nearly everyone in one)."""
    bulk_register_persons(
        [
            PersonInput(
                document_type="resident_id",
                document_number=resident_id(
                    "320505", dt.date(1950 + i, 1 + i % 12, 1 + i % 28), 400 + i, male=i % 2 == 0
                ),
                name=f"单身{i}",
                region_code="320505001",
            )
            for i in range(count)
        ],
        acting_user=personas.user("admin"),
    )


def _pack_drafts(personas: Personas) -> None:
    """Drafts entered by another administrator, so that approving one can succeed (nobody
    approves their own)."""
    author = create_account(
        username="fuzz-author", password="fuzz-pass-123", role=Role.ADMIN, acting_user=None
    )
    shipped = PackVersion.objects.get(pack_id="sample-resident-2025", version=1)
    first = next_version_number(shipped.pack_id)
    for version in (first, first + 1):
        import_pack_text(bump_version_line(shipped.content, version), acting_user=author)


# The operations are fuzzed in parts, so that test workers (``pytest -n``) share the work: each
# part takes whole OpenAPI tags (an app's router), so what one operation creates is there for the
# next ones of its app (a household, then its members; an agent's authorisation, then /acting).
PARTS = 3


def _tags(operation: Any) -> tuple[str, ...]:
    return tuple(operation.tags or ()) or ("",)


def parts_of(operations: list[Any], parts: int = PARTS) -> list[set[str]]:
    """The tags, dealt into ``parts`` sets of about as many operations each: the largest tag
    first, each to the part with the fewest operations so far (ties by name: the same split in
    every worker)."""
    counts: Counter[str] = Counter(_tags(operation)[0] for operation in operations)
    dealt: list[set[str]] = [set() for _ in range(parts)]
    sizes = [0] * parts
    for tag, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        smallest = sizes.index(min(sizes))
        dealt[smallest].add(tag)
        sizes[smallest] += count
    return dealt


def test_the_parts_take_every_operation_once() -> None:
    def op(tag: str) -> Any:
        return SimpleNamespace(tags=[tag] if tag else None)

    operations = [op("registry")] * 5 + [op("jobs")] * 3 + [op("ltc")] * 2 + [op("")] * 2
    dealt = parts_of(operations)
    assert dealt == [{"registry"}, {"jobs"}, {"ltc", ""}]
    assert parts_of(operations, 2) == [{"registry", "ltc"}, {"jobs", ""}]


def _acting_for() -> dict[str, dict[str, set[Any]]]:
    """The persons each agent acts for: what the registry's ``/acting`` shows them, for the
    ``/acting/{person_id}`` operations of other apps, which may be fuzzed in another part."""
    shown: dict[str, dict[str, set[Any]]] = {}
    for username, person_id in AgentAuthorisation.objects.values_list(
        "agent__username", "person_id"
    ):
        shown.setdefault(username, {}).setdefault("person_id", set()).add(person_id)
    return shown


@pytest.mark.parametrize("part", range(PARTS))
def test_every_operation_survives_fuzzing_and_answers_2xx(personas: Personas, part: int) -> None:
    _failed_runs(personas)
    _pack_drafts(personas)
    _persons_without_household(personas)
    whole = load_schema("/api/v1/openapi.json", application)
    operations = [result.ok() for result in whole.get_all_operations()]
    assert len(operations) >= 9
    tags = parts_of(operations)[part]
    schema = whole.include(lambda ctx: _tags(ctx.operation)[0] in tags)
    report = fuzz(
        schema,
        {name: _bearer(personas, name) for name in CALLERS},
        fallback_callers={name: _bearer(personas, name) for name in FALLBACK},
        max_examples=MAX_EXAMPLES,
        shown=_acting_for(),
    )
    print(report.histogram())
    # This part fuzzed exactly the operations of its tags.
    mine = {operation.label for operation in operations if _tags(operation)[0] in tags}
    assert set(report.operations) == mine and mine, tags
    assert not report.failures() and not report.never_succeeded(), report.summary()


@pytest.mark.urls("tests.api.broken_api")
def test_the_fuzzer_reports_each_kind_of_defect(personas: Personas) -> None:
    """The same machinery, pointed at an API with one deliberate defect per operation."""
    schema = load_schema("/api/broken/openapi.json", application)
    report = fuzz(schema, {"admin": _bearer(personas, "admin")}, max_examples=10)

    def titles(path: str) -> set[str]:
        return {title for _caller, title, _status in report.operations[f"GET {path}"].failures}

    assert titles("/api/broken/fine") == titles("/api/broken/refused") == set()
    assert "Server error" in titles("/api/broken/crash")
    assert titles("/api/broken/wrong-shape") == {"Response violates schema"}
    assert titles("/api/broken/undocumented") == {"Undocumented status code"}
    assert "Server error" in titles("/api/broken/search")  # only the null-character edge value
    assert titles("/api/broken/open") == {"API accepts requests without authentication"}
    assert report.never_succeeded() == ["GET /api/broken/crash", "GET /api/broken/refused"]
    summary = report.summary()
    assert "RuntimeError: deliberate crash" in summary
    assert "GET /api/broken/crash" in summary and "500×1" in summary
