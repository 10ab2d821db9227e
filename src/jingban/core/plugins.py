"""What each app brings to the platform, declared in the app's own ``plugin`` module.

An app (any entry of ``INSTALLED_APPS``) that has a module ``<app>.plugin`` with a ``PLUGIN``
attribute of type ``AppPlugin`` joins the platform through it: its capabilities and the roles
that get them, navigation entries, home-page panels, action codes with their labels, job kinds,
URL routes, API routers and its synthetic-data generator. Core only collects; adding an app edits
nothing in core, ``urls.py`` or ``api.py``::

    # jingban/ltc/plugin.py
    PLUGIN = AppPlugin(
        app="ltc",
        capabilities=(Capability("ltc.case.view", _("View LTC cases"), roles={"operator"}),),
        navigation=(NavEntry(_("Long-term care"), "ltc:case_list", "ltc.case.view", order=300),),
        home_panels=(HomePanel("ltc.waiting", "ltc/_home_waiting.html",
                               "jingban.ltc.panels:waiting", capability="ltc.case.view"),),
        actions=(ActionCode("ltc.case.applied", _("applied for long-term care")),),
        urls=Routes("ltc/", "jingban.ltc.urls"),
        api_routers=(ApiRouter("/ltc", "jingban.ltc.api:router"),),
        jobs="jingban.ltc.jobs",
        synth=SynthGenerator("ltc", "jingban.ltc.synth:generate", after=("registry",)),
    )

Views, routers, panels and generators are named by dotted path (``module:attribute``) and imported
only when used, so declaring an app imports none of its views and no import cycle can start here.
This module imports nothing from any app.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

if TYPE_CHECKING:
    from jingban.core.models import User

Label = str | Promise


def load(dotted: str) -> Any:
    """The object named ``package.module:attribute`` (or ``package.module.attribute``)."""
    module_name, _sep, attribute = dotted.partition(":")
    if not attribute:
        module_name, _dot, attribute = dotted.rpartition(".")
    obj: Any = import_module(module_name)
    for part in attribute.split("."):
        obj = getattr(obj, part)
    return obj


@dataclass(frozen=True)
class Capability:
    """A named capability (``registry.person.reveal``) and the roles that hold it."""

    code: str
    label: Label
    roles: AbstractSet[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))


@dataclass(frozen=True)
class NavEntry:
    """A link in the navigation, shown to users who hold ``capability`` (everyone if None)."""

    label: Label
    url_name: str
    capability: str | None = None
    order: int = 500


@dataclass(frozen=True)
class HomePanel:
    """A card on the home page: a role's pending work or its list.

    ``context`` names a callable ``(user) -> Mapping | None`` (``module:function``); the panel
    is rendered with ``template`` and that mapping, and left out when it returns None.
    """

    key: str
    template: str
    context: str
    capability: str | None = None
    order: int = 500

    def context_for(self, user: User) -> Mapping[str, object] | None:
        function: Callable[[User], Mapping[str, object] | None] = load(self.context)
        return function(user)


@dataclass(frozen=True)
class ActionCode:
    """An action-log code (``registry.person.registered``) with its label, a verb phrase
    written in English and translated (``registered a person``)."""

    code: str
    label: Label


@dataclass(frozen=True)
class ObjectType:
    """A kind of object the action log names (``registry.person``): its label (``insured
    person``), shown instead of the code, and optionally how an entry names and links it.

    ``describe`` names a callable ``(viewer, object_ids, *, reveal) -> {object_id: text}`` that
    gives the objects as this viewer may see them (a person's name and masked number), one query
    for a page of entries; personal data in clear only when ``reveal`` (the page logs that it
    showed it), masked otherwise. ``link`` names a callable
    ``(viewer, object_id) -> url | None``: the object's page, when the viewer may open it; for the
    common case ``url_name`` (a route taking the object's id) and ``capability`` (needed to open
    it) say the same without a function. ``model`` (``app_label.Model``) gives the labels of the
    fields an entry's before and after hold (their ``verbose_name``) and of stored choices;
    ``fields`` labels the keys that are not model fields (or relabels them).
    """

    code: str
    label: Label
    describe: str | None = None
    link: str | None = None
    url_name: str | None = None
    capability: str | None = None
    model: str | None = None
    fields: Mapping[str, Label] = field(default_factory=dict)
    # Further models whose fields an entry about this object may hold (a person's entry holds an
    # agent authorisation's snapshot), consulted after ``model``.
    models: tuple[str, ...] = ()
    # A callable ``(key, value) -> text | None`` (``module:function``) that shows a value of an
    # entry's before/after that neither a label nor a choice explains (a list's name); None: as
    # stored.
    value_text: str | None = None
    # True when ``describe`` gives a whole name ("list of insured persons") that replaces the
    # label, rather than a name shown after it ("insured person 张三").
    names_itself: bool = False
    # True when ``describe`` names a person: a page that shows that name in clear (``reveal``)
    # logs that it showed personal data.
    personal: bool = False


@dataclass(frozen=True)
class LogSubject:
    """Whom the action log can be filtered by (an insured person): an app says how to find
    them and which entries are about them, so core never reads the app's tables.

    - ``search``: ``(viewer, term) -> [(object_id, text), ...]``, the subjects in the viewer's
      scope that a posted term (a name, a document number) finds. It logs and limits what the app
      logs and limits for such a search, and may raise a ``DomainError`` (too many searches).
    - ``describe``: ``(viewer, object_id) -> text | None``, one subject as the viewer may see it,
      None when it is outside their scope (the filter is then refused).
    - ``related``: ``(object_id) -> [(object_type, object_id), ...]``, the objects whose entries
      belong to the subject's history (the person, their enrollments, households, agents). Entries
      made on the subject's behalf (``on_behalf_of``) belong to it too.
    """

    object_type: str
    label: Label
    search: str
    describe: str
    related: str


@dataclass(frozen=True)
class Routes:
    """URL routes of an app: ``include(module)`` under ``prefix`` (``"persons/"``)."""

    prefix: str
    module: str


@dataclass(frozen=True)
class PublicPage:
    """A page for anyone, without signing in, listed on the public index (``/public/``): a
    title, a line saying what it is for, and its route (under ``/public/``)."""

    label: Label
    url_name: str
    description: Label = ""
    order: int = 500


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja router (``module:attribute``) mounted under ``/api/v1`` + ``prefix``."""

    prefix: str
    router: str


@dataclass(frozen=True)
class SynthGenerator:
    """An app's part of the synthetic city.

    ``generate`` names a callable ``(ctx: jingban.core.synth.SynthContext) -> SynthResult``;
    ``after`` lists the generators (by name) whose rows this one needs; ``loaded`` optionally
    names a callable ``() -> bool`` that says whether this app's part of a city is in the
    database already (a city loads once: the synthetic city job is then not offered).
    """

    name: str
    generate: str
    after: tuple[str, ...] = ()
    loaded: str = ""


@dataclass(frozen=True)
class SynthContext:
    """What a generator gets: the size and seed of the city, where to write (``out``: Parquet
    files in that directory; None: load into the database), a progress callback in rows, who
    runs it, and what the generators before it produced."""

    persons: int
    seed: int
    out: Path | None = None
    progress: Callable[[int, int], None] | None = None
    acting_user: User | None = None
    earlier: Mapping[str, SynthOutcome] = field(default_factory=dict)


@dataclass(frozen=True)
class SynthOutcome:
    """One generator's result: rows per table and the digest of their content."""

    name: str
    counts: Mapping[str, int]
    digest: str
    seconds: float
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AppPlugin:
    """Everything one app declares. Every field is optional."""

    app: str
    capabilities: tuple[Capability, ...] = ()
    navigation: tuple[NavEntry, ...] = ()
    home_panels: tuple[HomePanel, ...] = ()
    actions: tuple[ActionCode, ...] = ()
    urls: Routes | None = None
    api_routers: tuple[ApiRouter, ...] = ()
    jobs: str | None = None  # the module that declares the app's job kinds (``@job_kind``)
    synth: SynthGenerator | None = None
    # Callables (``module:function``) that produce the reminders a notification job sends:
    # deadlines coming up, items waiting for someone (``core.reminders``).
    reminders: tuple[str, ...] = ()
    # Templates shown in every page's header to signed-in users (an unread count, say).
    header_templates: tuple[str, ...] = ()
    # The object types the app's action-log entries name, with labels and links.
    object_types: tuple[ObjectType, ...] = ()
    # Whom the action log can be filtered by (a person), and the entries about them.
    log_subjects: tuple[LogSubject, ...] = ()
    # Pages for anyone (no sign-in), listed on the public index.
    public_pages: tuple[PublicPage, ...] = ()
    # A callable ``(admin: User, users: Mapping[str, User]) -> None`` (``module:function``)
    # that adds the app's part of the demo world (``jingban demo``, and the tests' personas):
    # a few fixed, named rows beside the synthetic city, idempotent (a second run adds nothing).
    # ``users`` are the demo accounts by username.
    demo: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def demo_persons() -> int:
    """How many persons the apps' demos register beside the city's ``persons`` (each app
    declares its own as ``extra["demo_persons"]``): a demo of N persons holds N plus these."""
    return sum(int(plugin.extra.get("demo_persons", 0)) for plugin in plugins())


@functools.cache
def plugins() -> tuple[AppPlugin, ...]:
    """The plugins of the installed apps, in ``INSTALLED_APPS`` order."""
    found = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.plugin"
        if find_spec(config.name) is None or _missing(module_name):
            continue
        plugin = getattr(import_module(module_name), "PLUGIN", None)
        if plugin is None:
            continue
        if not isinstance(plugin, AppPlugin):
            raise ImproperlyConfigured(f"{module_name}.PLUGIN is not an AppPlugin")
        found.append(plugin)
    _check_unique(found)
    return tuple(found)


def _missing(module_name: str) -> bool:
    try:
        return find_spec(module_name) is None
    except ModuleNotFoundError:
        return True


def _check_unique(found: Iterable[AppPlugin]) -> None:
    seen: dict[str, str] = {}
    for plugin in found:
        codes = [c.code for c in plugin.capabilities] + [a.code for a in plugin.actions]
        for code in codes:
            owner = seen.setdefault(code, plugin.app)
            if owner != plugin.app:
                raise ImproperlyConfigured(f"{code} is declared by both {owner} and {plugin.app}")


@functools.cache
def capabilities() -> dict[str, Capability]:
    return {c.code: c for plugin in plugins() for c in plugin.capabilities}


@functools.cache
def role_capabilities() -> dict[str, frozenset[str]]:
    """Role code → the capability codes every app grants it."""
    grants: dict[str, set[str]] = {}
    for capability in capabilities().values():
        for role in capability.roles:
            grants.setdefault(role, set()).add(capability.code)
    return {role: frozenset(codes) for role, codes in grants.items()}


def navigation() -> list[NavEntry]:
    entries = [entry for plugin in plugins() for entry in plugin.navigation]
    return sorted(entries, key=lambda e: e.order)


def home_panels() -> list[HomePanel]:
    panels = [panel for plugin in plugins() for panel in plugin.home_panels]
    return sorted(panels, key=lambda p: p.order)


@functools.cache
def action_labels() -> dict[str, Label]:
    """Action code → its label (lazy, translated when rendered)."""
    return {a.code: a.label for plugin in plugins() for a in plugin.actions}


def action_label(code: str) -> str:
    """The label of an action code in the active language; the code itself when undeclared."""
    label = action_labels().get(code)
    return str(label) if label is not None else code


# Codes under this namespace are for the test suite's own rows and need no declaration.
TEST_NAMESPACE = "test."


def require_declared_action(code: str) -> None:
    """Refuse to log an action code no installed app declares: every code in the log has a
    label in both languages, and a typo cannot create a new kind of row."""
    if code not in action_labels() and not code.startswith(TEST_NAMESPACE):
        raise ImproperlyConfigured(f"action code {code!r} is not declared by any app's plugin")


@functools.cache
def object_types() -> dict[str, ObjectType]:
    """Object type code → its declaration, from every installed app."""
    return {t.code: t for plugin in plugins() for t in plugin.object_types}


def object_type_label(code: str) -> str:
    """The label of an object type in the active language; the code itself when undeclared."""
    declared = object_types().get(code)
    return str(declared.label) if declared is not None else code


@functools.cache
def log_subjects() -> dict[str, LogSubject]:
    """Subject object type → how the action log finds it, from every installed app."""
    return {s.object_type: s for plugin in plugins() for s in plugin.log_subjects}


def routes() -> list[Routes]:
    return [plugin.urls for plugin in plugins() if plugin.urls is not None]


def api_routers() -> list[ApiRouter]:
    return [router for plugin in plugins() for router in plugin.api_routers]


def job_modules() -> list[str]:
    return [plugin.jobs for plugin in plugins() if plugin.jobs]


def public_pages() -> list[PublicPage]:
    pages = [page for plugin in plugins() for page in plugin.public_pages]
    return sorted(pages, key=lambda p: p.order)


def demo_builders() -> list[str]:
    """The apps' demo-world builders, in ``INSTALLED_APPS`` order."""
    return [plugin.demo for plugin in plugins() if plugin.demo]


def header_templates() -> list[str]:
    return [template for plugin in plugins() for template in plugin.header_templates]


def reminder_sources() -> list[str]:
    return [source for plugin in plugins() for source in plugin.reminders]


def synth_generators() -> list[SynthGenerator]:
    """The synthetic-data generators in an order where each comes after those it needs."""
    pending = {p.synth.name: p.synth for p in plugins() if p.synth is not None}
    for generator in pending.values():
        unknown = set(generator.after) - set(pending)
        if unknown:
            raise ImproperlyConfigured(f"{generator.name} needs unknown generators {unknown}")
    ordered: list[SynthGenerator] = []
    while pending:
        done = {g.name for g in ordered}
        ready = [g for g in pending.values() if set(g.after) <= done]
        if not ready:
            raise ImproperlyConfigured(f"synthetic generators wait on each other: {set(pending)}")
        for generator in ready:
            ordered.append(generator)
            del pending[generator.name]
    return ordered


def clear_cache() -> None:
    """Forget the collected plugins (tests that change ``INSTALLED_APPS``)."""
    for cached in (
        plugins,
        capabilities,
        role_capabilities,
        action_labels,
        object_types,
        log_subjects,
    ):
        cached.cache_clear()
