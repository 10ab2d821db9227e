"""Schemathesis over every operation of an OpenAPI schema, in-process, inside the test transaction.

``fuzz`` reads the operations from the schema (so a new endpoint is covered without touching the
tests) and sends each one, as each caller: the schema's own examples, edge values (a null
character, an integer beyond ``bigint``), schemathesis' coverage cases (first caller only), and a
bounded, derandomized stream of generated requests, valid (positive) and invalid (negative). Every
response goes through schemathesis' stateless checks, and the status codes are tallied.

Each request runs in a savepoint, rolled back afterwards unless it answered 201 Created: every
request starts from the same world plus what was created, and a failed statement cannot poison the
rest of the run. The operations run creations first (POST, then PUT, PATCH, GET, DELETE; shallow
paths before nested ones), so what one creates, the next can read, change or delete.

Path parameters and ``…_id`` body fields are drawn, half of the time, from real rows, found by
name: ``/persons/{pk}`` and ``{person_id}`` name ``Person``; in
``/households/{pk}/members/{member_pk}`` the last parameter names a ``HouseholdMember``, and the
household key comes from its foreign key. A ``{person_id}`` also takes the ``person_id`` values
earlier responses showed the same caller.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import traceback
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import schemathesis
from django.apps import apps
from django.core import signals
from django.db import close_old_connections, models, transaction
from hypothesis import HealthCheck, Phase, Verbosity
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis import checks as schemathesis_checks
from schemathesis.core.failures import FailureGroup

# The statuses that tell "this request was well formed but refused or not applicable" apart from
# "the API rejected a request its own schema allows". 422 is not among them: a schema-valid request
# that the API answers with 422 means the schema promises more than the API accepts.
POSITIVE_DATA_STATUSES = ["2xx", "400", "401", "403", "404", "409"]

# Stateless checks only; `max_response_time` is left out (no timings in tests).
CHECK_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "ignored_auth",
    "unsupported_method",
)

# Rows of a model offered as path parameters (evenly spread over the table).
MAX_ROWS = 40
# Tries of each example the schema gives (each with another real row in the path).
EXAMPLE_TRIES = 3


def checks() -> list[Any]:
    schemathesis_checks.load_all_checks()
    return [getattr(schemathesis_checks, name) for name in CHECK_NAMES]


def load_schema(path: str, app: Any) -> Any:
    """The schema served by the WSGI application at ``path``, with this module's check settings."""
    config = schemathesis.Config.from_dict(
        {
            "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_DATA_STATUSES}},
            # The caller's token is the credential: no generated Authorization or session cookie.
            # (`ignored_auth` still sends each operation without it and expects a refusal.)
            "generation": {"with-security-parameters": False},
        }
    )
    with django_requests_in_test_transaction():
        return schemathesis.openapi.from_wsgi(path, app, config=config)


@contextlib.contextmanager
def django_requests_in_test_transaction() -> Iterator[list[str]]:
    """Let in-process WSGI requests share the test's connection, and keep their tracebacks.

    Django closes the connection at the end of each request; that would end the test transaction.
    The yielded list receives the traceback of each exception a view raised (the body of a 500
    does not say what went wrong).
    """
    tracebacks: list[str] = []

    def keep(sender: object, request: object = None, **kwargs: object) -> None:
        tracebacks.append(traceback.format_exc())

    quiet = [logging.getLogger(name) for name in ("django.request", "django.security.csrf")]
    levels = [log.level for log in quiet]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.got_request_exception.connect(keep)
    for log in quiet:  # refusals are expected; the tracebacks of 5xx go in the report
        log.setLevel(logging.CRITICAL)
    try:
        yield tracebacks
    finally:
        for log, level in zip(quiet, levels, strict=True):
            log.setLevel(level)
        signals.got_request_exception.disconnect(keep)
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@dataclass
class OperationTally:
    label: str
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    # (caller, failure title, status code) -> the first report of it
    failures: dict[tuple[str, str, int], str] = field(default_factory=dict)

    def succeeded(self) -> bool:
        return any(200 <= code < 300 for seen in self.statuses.values() for code in seen)

    def histogram(self) -> str:
        parts = []
        for caller, seen in self.statuses.items():
            codes = " ".join(f"{code}×{n}" for code, n in sorted(seen.items()))
            parts.append(f"{caller}: {codes or '-'}")
        return f"{self.label:<58} " + " | ".join(parts)


@dataclass
class FuzzReport:
    operations: dict[str, OperationTally] = field(default_factory=dict)

    def never_succeeded(self) -> list[str]:
        return [label for label, tally in self.operations.items() if not tally.succeeded()]

    def failures(self) -> dict[str, list[str]]:
        """Operation label -> one line per distinct failure, with the callers who met it."""
        result = {}
        for label, tally in self.operations.items():
            callers: dict[tuple[str, int], list[str]] = {}
            for caller, title, status in tally.failures:
                callers.setdefault((title, status), []).append(caller)
            if callers:
                result[label] = [
                    f"{title} (status {status}): {', '.join(names)}"
                    for (title, status), names in sorted(callers.items())
                ]
        return result

    def histogram(self) -> str:
        return "\n".join(tally.histogram() for tally in self.operations.values())

    def details(self, limit: int = 12) -> str:
        """The first report of each failure in full: the request, the response, any traceback."""
        blocks = []
        for label, tally in self.operations.items():
            shown: set[object] = set()
            for (caller, title, status), text in tally.failures.items():
                if (title, status) not in shown and text not in shown:
                    shown |= {(title, status), text}
                    blocks.append(f"--- {label} as {caller}: {title} (status {status})\n{text}")
        hidden = len(blocks) - limit
        return "\n".join(blocks[:limit]) + (f"\n… and {hidden} more" if hidden > 0 else "")

    def summary(self) -> str:
        lines = ["Status codes seen, per operation and caller:", self.histogram()]
        never = self.never_succeeded()
        if never:
            lines += ["", "Operations that never answered 2xx:", *(f"  {x}" for x in never)]
        failures = self.failures()
        if failures:
            lines += ["", "Check failures:"]
            for label, items in failures.items():
                lines += [f"  {label}", *(f"    {item}" for item in items)]
            lines += ["", self.details()]
        return "\n".join(lines)


# --- Path parameters from real rows ------------------------------------------------------------


def _noun(name: str) -> str:
    noun = name.lower().replace("-", "").replace("_", "")
    return noun[:-1] if noun.endswith("s") else noun


# Path nouns whose model has another name: /policies/{pk} addresses a PackVersion.
NOUN_MODELS = {"policie": "packversion"}


def model_named(name: str, app: str = "") -> type[models.Model] | None:
    """The project model a path segment or parameter names: exact, then suffix, prefix, part;
    where two apps have a model of that name (``Claim``), the one of ``app`` (the path's)."""
    noun = _noun(name)
    noun = NOUN_MODELS.get(noun, noun)
    candidates = [m for m in apps.get_models() if m.__module__.startswith("jingban.")]
    for match in (
        lambda m: m.__name__.lower() == noun,
        lambda m: m.__name__.lower().endswith(noun),
        lambda m: m.__name__.lower().startswith(noun),
        lambda m: noun in m.__name__.lower(),
    ):
        found = [m for m in candidates if match(m)]
        if len(found) > 1 and app:
            found = [m for m in found if m._meta.app_label == app] or found
        if len(found) == 1:
            return found[0]
    return None


def _param_models(path: str) -> list[tuple[str, type[models.Model] | None]]:
    """Each path parameter with the model it names: ``{pk}``/``{id}`` by the segment before it,
    ``{person_id}``/``{member_pk}`` by its own name."""
    result: list[tuple[str, type[models.Model] | None]] = []
    segments = [s for s in path.split("/") if s]
    # /api/v1/<app>/…: the app whose model a parameter names when two apps share the name.
    app = segments[2] if segments[:2] == ["api", "v1"] and len(segments) > 2 else ""
    for i, segment in enumerate(segments):
        if not (segment.startswith("{") and segment.endswith("}")):
            continue
        name = segment[1:-1]
        if name in {"pk", "id"}:
            noun = segments[i - 1] if i and not segments[i - 1].startswith("{") else ""
        else:
            noun = name.removesuffix("_id").removesuffix("_pk")
        result.append((name, model_named(noun, app) if noun else None))
    return result


def rows_for_path(path: str) -> list[dict[str, Any]]:
    """Path parameters that address real rows, for the operations at ``path`` (may be empty).

    The last parameter decides the rows; an earlier one is filled from the row's foreign key to
    the model it names, so nested paths address a child of its real parent.
    """
    params = _param_models(path)
    if not params:
        return []
    last, model = params[-1]
    if model is None:
        return []
    parents: dict[str, str] = {}
    for name, parent in params[:-1]:
        fk = next(
            (
                f
                for f in model._meta.get_fields()
                if isinstance(f, models.ForeignKey) and parent and f.related_model is parent
            ),
            None,
        )
        if fk is None:
            return []
        parents[name] = fk.attname
    fields = ["pk", *parents.values()]
    rows = list(model._default_manager.order_by("pk").values_list(*fields))
    step = max(1, len(rows) // MAX_ROWS)
    return [
        {last: row[0], **{name: row[1 + i] for i, name in enumerate(parents)}}
        for row in rows[::step][:MAX_ROWS]
    ]


# --- Requests -----------------------------------------------------------------------------------


def _body_properties(operation: Any) -> dict[str, dict[str, Any]]:
    """The top-level properties of the operation's JSON body schema (``$ref`` resolved)."""
    raw = operation.definition.raw.get("requestBody", {})
    schema = raw.get("content", {}).get("application/json", {}).get("schema", {})
    components = operation.schema.raw_schema.get("components", {}).get("schemas", {})
    while "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return dict(schema.get("properties", {}))


def _type_of(schema: dict[str, Any]) -> str | None:
    if "type" in schema:
        return str(schema["type"])
    types = {str(s.get("type")) for s in schema.get("anyOf", []) if s.get("type") != "null"}
    return types.pop() if len(types) == 1 else None


def body_ids(operation: Any) -> dict[str, list[int]]:
    """Real primary keys for the integer ``…_id`` properties of the body, by property."""
    found = {}
    for name, schema in _body_properties(operation).items():
        if not name.endswith("_id") or _type_of(schema) != "integer":
            continue
        model = model_named(name.removesuffix("_id"))
        if model is not None:
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            if pks:
                found[name] = pks[:: max(1, len(pks) // MAX_ROWS)][:MAX_ROWS]
    return found


# Values PostgreSQL refuses to store or compare: a null character, an integer beyond bigint.
EDGE_VALUES = {"string": "\x00", "integer": 2**63}


def _edge_mutations(operation: Any) -> list[tuple[str, str, Any]]:
    """(location, name, value): each string or integer parameter and body property once."""
    mutations = []
    for parameter in operation.definition.raw.get("parameters", []):
        kind = _type_of(parameter.get("schema", {}))
        if kind in EDGE_VALUES and parameter["in"] in {"path", "query"}:
            mutations.append((parameter["in"], parameter["name"], EDGE_VALUES[kind]))
    for name, schema in _body_properties(operation).items():
        kind = _type_of(schema)
        if kind in EDGE_VALUES:
            mutations.append(("body", name, EDGE_VALUES[kind]))
    return mutations


def _mutate(case: Any, *, location: str, name: str, value: Any) -> Any:
    if location == "path":
        case.path_parameters = {**(case.path_parameters or {}), name: value}
    elif location == "query":
        case.query = {**(case.query or {}), name: value}
    elif isinstance(case.body, dict):
        case.body = {**case.body, name: value}
    return case


def harvest(body: object, into: dict[str, set[Any]], depth: int = 0) -> None:
    """Collect the ``…_id`` values of a response body (``person_id`` …), a few levels deep."""
    if depth > 3:
        return
    if isinstance(body, dict):
        for key, value in body.items():
            if str(key).endswith("_id") and isinstance(value, int | str):
                into.setdefault(str(key), set()).add(value)
            else:
                harvest(value, into, depth + 1)
    elif isinstance(body, list):
        for item in body[:MAX_ROWS]:
            harvest(item, into, depth + 1)


class _Strategies:
    """The requests for one operation and caller, given the real rows it can address.

    The rows come from the database and, first, from what this caller was shown: a path
    parameter ``{person_id}`` also takes the ``person_id`` values of earlier responses (the
    persons an agent acts for are in the answer to ``/acting``, not found by the model alone).
    """

    def __init__(self, operation: Any, shown: Mapping[str, set[Any]]) -> None:
        self.operation = operation
        names = [name for name, _model in _param_models(operation.path)]
        known: list[dict[str, Any]] = []
        if len(names) == 1 and names[0] in shown:
            known = [{names[0]: value} for value in sorted(shown[names[0]], key=str)[:MAX_ROWS]]
        rows = rows_for_path(operation.path)
        self.known = len(known)
        self.path_values = known + [row for row in rows if row not in known]
        self.ids = body_ids(operation)

    @functools.cache  # noqa: B019 - one instance per operation and caller, dropped with it
    def _positive_at(self, index: int | None) -> st.SearchStrategy[Any]:
        if index is None:
            return self.operation.as_strategy(GenerationMode.POSITIVE)
        return self.operation.as_strategy(
            GenerationMode.POSITIVE, path_parameters=self.path_values[index]
        )

    def real(self, known_only: bool = False) -> st.SearchStrategy[Any] | None:
        """Valid requests addressing real rows (path parameters and ``…_id`` body fields)."""
        count = self.known if known_only else len(self.path_values)
        if not count and (known_only or not self.ids):
            return None
        indexes: st.SearchStrategy[int | None] = (
            st.sampled_from(range(count)) if count else st.none()
        )
        ids = st.fixed_dictionaries({name: st.sampled_from(pks) for name, pks in self.ids.items()})

        def fill(case: Any, chosen: dict[str, int]) -> Any:
            if isinstance(case.body, dict):
                case.body = {**case.body, **chosen}
            return case

        return st.tuples(indexes.flatmap(self._positive_at), ids).map(lambda pair: fill(*pair))

    def fuzzing(self) -> st.SearchStrategy[Any]:
        branches = [
            self.operation.as_strategy(GenerationMode.POSITIVE),
            self.operation.as_strategy(GenerationMode.NEGATIVE),
        ]
        real, known = self.real(), self.real(known_only=True)
        if real is not None:
            # Half of the examples address real rows (a quarter those the caller was shown).
            branches += [real, real] if known is None else [real, known]
        return st.one_of(branches)

    @functools.cache  # noqa: B019 - as above
    def _examples_at(self, index: int | None) -> list[st.SearchStrategy[Any]]:
        fixed = {} if index is None else {"path_parameters": self.path_values[index]}
        return list(self.operation.get_strategies_from_examples(**fixed))

    def examples(self) -> list[st.SearchStrategy[Any]]:
        """The examples the schema gives; with real rows in the path, when the path has any.
        First, a valid request for each row the caller was shown (an agent's own persons)."""
        shown = [self._positive_at(index) for index in range(self.known)]
        count = len(self._examples_at(None))
        if not self.path_values:
            return self._examples_at(None) + self._examples_with_ids()
        rows = st.sampled_from(range(len(self.path_values)))
        return shown + [
            rows.flatmap(lambda index, k=k: self._examples_at(index)[k]) for k in range(count)
        ]

    def _examples_with_ids(self) -> list[st.SearchStrategy[Any]]:
        """The body's examples once more, their ``…_id`` fields taken from real rows: an example
        cannot know the primary keys of the world it runs against (a person to apply for)."""
        if not self.ids:
            return []
        ids = st.fixed_dictionaries({name: st.sampled_from(pks) for name, pks in self.ids.items()})

        def fill(case: Any, chosen: dict[str, int]) -> Any:
            if isinstance(case.body, dict):
                case.body = {**case.body, **chosen}
            return case

        return [
            st.tuples(example, ids).map(lambda pair: fill(*pair))
            for example in self._examples_at(None)
        ]

    def edges(self) -> list[st.SearchStrategy[Any]]:
        real = self.real()
        base = self.operation.as_strategy(GenerationMode.POSITIVE) if real is None else real
        return [
            base.map(functools.partial(_mutate, location=location, name=name, value=value))
            for location, name, value in _edge_mutations(self.operation)
        ]


# --- Running ------------------------------------------------------------------------------------


def _settings(max_examples: int) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate),
        verbosity=Verbosity.quiet,
    )


class _Run:
    def __init__(self, report: FuzzReport, tracebacks: list[str]) -> None:
        self.report = report
        self.tracebacks = tracebacks
        self.checks = checks()
        self.shown: dict[str, dict[str, set[Any]]] = {}  # caller -> ``…_id`` values seen

    def exercise(self, operation: Any, caller: str, headers: dict[str, str], case: Any) -> None:
        tally = self.report.operations[operation.label]
        seen = tally.statuses.setdefault(caller, Counter())
        savepoint = transaction.savepoint()
        keep = False
        before = len(self.tracebacks)
        try:
            try:
                response = case.call(headers=headers)
            except Exception as exc:  # the request could not even be sent
                tally.failures.setdefault(
                    (caller, f"request failed: {type(exc).__name__}", 0),
                    f"{exc}\n{case.as_curl_command(headers=headers)}",
                )
                return
            seen[response.status_code] += 1
            content_type = (response.headers.get("content-type") or [""])[0]
            if 200 <= response.status_code < 300 and content_type.startswith("application/json"):
                harvest(response.json(), self.shown.setdefault(caller, {}))
            try:
                case.validate_response(
                    response,
                    checks=self.checks,
                    headers=headers,
                    transport_kwargs={"headers": headers},
                )
            except FailureGroup as group:
                text = group.message + "".join(self.tracebacks[before:])
                for failure in group.exceptions:
                    tally.failures.setdefault((caller, failure.title, response.status_code), text)
            else:
                keep = response.status_code == 201
        finally:
            if keep:
                transaction.savepoint_commit(savepoint)
            else:
                transaction.savepoint_rollback(savepoint)

    def cover(self, operation: Any, caller: str, headers: dict[str, str]) -> None:
        """Schemathesis' coverage cases: boundary values, each kind of invalid input, missing
        and unexpected parts, other methods and content types. Deterministic, no budget."""
        schema = operation.schema
        config = schema.config.generation_for(operation=operation, phase="coverage")
        modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
        for case in schema.iter_coverage_cases(
            operation, generation_modes=modes, generation_config=config
        ):
            self.exercise(operation, caller, headers, case)

    def run(
        self,
        operation: Any,
        caller: str,
        headers: dict[str, str],
        strategies: Sequence[st.SearchStrategy[Any]],
        max_examples: int,
    ) -> None:
        for strategy in strategies:

            @_settings(max_examples)
            @hypothesis.given(case=strategy)
            def body(case: Any) -> None:
                self.exercise(operation, caller, headers, case)

            try:
                body()
            except Exception as exc:  # generation itself failed (an unsatisfiable schema …)
                tally = self.report.operations[operation.label]
                tally.failures.setdefault(
                    (caller, f"cannot generate requests: {type(exc).__name__}", 0), str(exc)
                )


_METHOD_ORDER = {"POST": 0, "PUT": 1, "PATCH": 2, "GET": 3, "DELETE": 9}


def _order(operation: Any) -> tuple[int, int]:
    """POST, PUT, PATCH, GET, DELETE; shallow paths before nested ones. What an operation
    creates is there for the next ones (an agent's authorisation, then the agent's pages)."""
    return (_METHOD_ORDER.get(operation.method.upper(), 5), operation.path.count("{"))


def fuzz(
    schema: Any,
    callers: Mapping[str, dict[str, str]],
    *,
    fallback_callers: Mapping[str, dict[str, str]] | None = None,
    max_examples: int = 25,
    shown: Mapping[str, Mapping[str, set[Any]]] | None = None,
) -> FuzzReport:
    """Fuzz every operation as each caller (name -> request headers).

    An operation that none of ``callers`` got a 2xx from (one they may not use) is fuzzed again
    as each of ``fallback_callers`` in turn, until one of them does. ``shown`` gives, per
    caller, ``…_id`` values it would have been shown by an operation of another part (the
    persons an agent acts for, listed by the registry's ``/acting``).
    """
    report = FuzzReport()
    operations = []
    for result in schema.get_all_operations():
        operation = result.ok()  # an operation the schema cannot describe fails here, loudly
        operations.append(operation)
        report.operations[operation.label] = OperationTally(operation.label)
    with django_requests_in_test_transaction() as tracebacks:
        run = _Run(report, tracebacks)
        for caller, values in (shown or {}).items():
            for name, ids in values.items():
                run.shown.setdefault(caller, {}).setdefault(name, set()).update(ids)
        for operation in sorted(operations, key=_order):  # sorted() keeps the schema's order
            tally = report.operations[operation.label]
            for index, (caller, headers) in enumerate(callers.items()):
                plan = _Strategies(operation, run.shown.get(caller, {}))
                run.run(operation, caller, headers, plan.examples(), EXAMPLE_TRIES)
                run.run(operation, caller, headers, plan.edges(), 1)
                if index == 0:
                    run.cover(operation, caller, headers)
                run.run(operation, caller, headers, [plan.fuzzing()], max_examples)
            for caller, headers in (fallback_callers or {}).items():
                if tally.succeeded():
                    break
                plan = _Strategies(operation, run.shown.get(caller, {}))
                run.run(operation, caller, headers, plan.examples(), EXAMPLE_TRIES)
                run.run(operation, caller, headers, plan.edges(), 1)
                # Only looking for a 2xx here: half the budget.
                run.run(operation, caller, headers, [plan.fuzzing()], max(1, max_examples // 2))
    return report
