"""The kinds of background job, declared by the apps that own the work.

An app declares a kind in the module its plugin names in ``jobs`` (imported when the jobs app is
ready)::

    @job_kind(
        "ltc.settle.month",
        label=_("Monthly LTC settlement"),
        capability="ltc.pay.run",
        labels={"month": _("Month"), "region": _("Region"), "persons": _("Persons")},
    )
    def run(ctx: JobContext, month: str, region: str = "") -> dict[str, object]:
        ...
        ctx.progress(done, total, message=_("Persons"))
        return {"persons": persons}

The function runs inside one database transaction that also records the run's success: it must
make all its changes through the database (no file written half-way that a retry would find),
must not commit on its own, and must not touch ``ctx.run``. Its keyword parameters are the job's
parameters; ints, floats, bools and strings given as text (the command line) are converted. It
returns a JSON-able dict of figures, shown on the run's page under the labels the kind declares
(``labels``, for parameters and figures alike). A kind that cannot run in some state of the
system declares ``unavailable``: it is then not offered, and starting it is refused.
"""

from __future__ import annotations

import inspect
import time
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jingban.core.errors import Message, ValidationFailed
from jingban.core.roles import Cap

if TYPE_CHECKING:
    from jingban.core.models import User
    from jingban.jobs.models import JobRun

JobFunction = Callable[..., Mapping[str, Any] | None]


class JobInterrupted(Exception):
    """Raised from ``ctx.progress`` when the worker asks a running job to stop (it is shutting
    down). Nothing the job did is kept; the run is marked failed and can be retried."""


class ProgressSink(Protocol):
    def write(self, done: int, total: int | None, message: str) -> None: ...


class JobContext:
    """What a running job gets: its run, who started it, and a way to report progress."""

    # Seconds between two progress writes; the first and the last are always written.
    progress_interval = 0.5

    def __init__(
        self,
        run: JobRun,
        sink: ProgressSink,
        *,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self.run = run
        self._sink = sink
        self._should_stop = should_stop or (lambda: False)
        self._last_write: float | None = None

    @property
    def user(self) -> User | None:
        return self.run.started_by

    def progress(self, done: int, total: int | None = None, message: str | Promise = "") -> None:
        """Record that ``done`` of ``total`` units are finished.

        Writes are throttled; each is committed on its own connection at once, so the run's page
        shows it while the job's own transaction is still open. Raises ``JobInterrupted`` when
        the worker is stopping.
        """
        if self._should_stop():
            raise JobInterrupted(gettext("The worker stopped while this job ran."))
        now = time.monotonic()
        finished = total is not None and done >= total
        if self._last_write is None or finished or now - self._last_write >= self.progress_interval:
            self._sink.write(done, total, str(message)[:300])
            self._last_write = now


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise
    function: JobFunction
    # Needed, besides Cap.JOB_RUN, to start or retry a run of this kind.
    capability: str | None = None
    # The names of the job's parameters and of its result's figures, in the user's language:
    # the run's page shows these, never the keys.
    labels: Mapping[str, Message] = field(default_factory=dict, hash=False, compare=False)
    # Why the job cannot run now (a synthetic city when one is loaded), or None when it can:
    # a kind that cannot run is not offered, and starting it is refused with this reason.
    unavailable: Callable[[], Message | None] | None = field(
        default=None, hash=False, compare=False
    )

    def label_for(self, key: str) -> str:
        """The label of a parameter or result figure; the key itself when none is declared."""
        label = self.labels.get(key)
        return str(label) if label is not None else key

    def why_unavailable(self) -> Message | None:
        return self.unavailable() if self.unavailable is not None else None

    def parameters(self) -> dict[str, inspect.Parameter]:
        """The job's parameters: the function's keyword parameters after the context."""
        listed = list(inspect.signature(self.function).parameters.values())[1:]
        return {p.name: p for p in listed if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}

    @property
    def needs_parameters(self) -> bool:
        return any(p.default is inspect.Parameter.empty for p in self.parameters().values())

    def clean_params(self, params: Mapping[str, object]) -> dict[str, object]:
        """Check ``params`` against the function's signature and convert text to the declared
        types. Every problem is reported at once, by parameter name."""
        declared = self.parameters()
        hints = typing.get_type_hints(self.function)
        errors: dict[str, list[Message]] = {}
        clean: dict[str, object] = {}
        for name, value in params.items():
            if name not in declared:
                errors[name] = [_("This job has no such parameter.")]
                continue
            try:
                clean[name] = _convert(value, hints.get(name))
            except (TypeError, ValueError):
                errors[name] = [_type_message(hints.get(name))]
        for name, parameter in declared.items():
            if name not in params and parameter.default is inspect.Parameter.empty:
                errors[name] = [_("This parameter is required.")]
        if errors:
            raise ValidationFailed(fields=errors)
        return clean


def _convert(value: object, annotation: object) -> object:
    if annotation is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ValueError(value)
    if annotation is int:
        if isinstance(value, bool) or isinstance(value, float):
            raise TypeError(value)
        return int(str(value).strip()) if isinstance(value, str) else int(value)  # type: ignore[call-overload]
    if annotation is float:
        if isinstance(value, bool):
            raise TypeError(value)
        return float(value)  # type: ignore[arg-type]
    if annotation is str:
        if not isinstance(value, str):
            raise TypeError(value)
        return value
    return value


def _type_message(annotation: object) -> Message:
    if annotation is int:
        return _("Enter a whole number.")
    if annotation is float:
        return _("Enter a number.")
    if annotation is bool:
        return _("Enter true or false.")
    return _("Enter text.")


_KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str,
    *,
    label: str | Promise,
    capability: str | None = None,
    labels: Mapping[str, Message] | None = None,
    unavailable: Callable[[], Message | None] | None = None,
) -> Callable[[JobFunction], JobFunction]:
    """Declare ``function`` as the job kind ``name`` (a dotted code, ``app.thing.verb``), with
    the labels of its parameters and result figures, and the check that says when it cannot
    run (see ``JobKind``)."""

    def declare(function: JobFunction) -> JobFunction:
        register(JobKind(name, label, function, capability, dict(labels or {}), unavailable))
        return function

    return declare


def register(kind: JobKind) -> None:
    existing = _KINDS.get(kind.name)
    if existing is not None and existing.function is not kind.function:
        raise ImproperlyConfigured(f"job kind {kind.name!r} is declared twice")
    _KINDS[kind.name] = kind


def unregister(name: str) -> None:
    """Forget a kind (tests declare their own kinds and remove them afterwards)."""
    _KINDS.pop(name, None)


def get_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def all_kinds() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda k: k.name)


def label_of(name: str) -> str:
    kind = _KINDS.get(name)
    return str(kind.label) if kind else name


def may_start(user: User | None, kind: JobKind) -> bool:
    """Whether ``user`` may start (or retry) runs of ``kind``; None is the system itself."""
    if user is None:
        return True
    if not user.can(Cap.JOB_RUN):
        return False
    return kind.capability is None or user.can(kind.capability)
