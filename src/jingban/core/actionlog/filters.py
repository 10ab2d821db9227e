"""The action log's filters: time range, actor, subject (a person), object type and action.

Every filter travels in the query string, so a filtered list can be paged, linked and exported;
none of them may carry a person's data (addresses end up in access logs and browser history).
The person is therefore searched by a posted term (``subject_search``), resolved by the app that
owns persons (``LogSubject``), and only its id (``registry.person:42``) reaches the query string.
The app also says which entries belong to the person (the person, their enrollments, households,
agents, and acts made on their behalf).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingban.core import plugins
from jingban.core.models import ActionLog, User
from jingban.core.roles import Role
from jingban.core.scope import region_filter

# A posted person search: long enough for any name or document number, short enough to refuse
# what is not one.
TERM_MAX = 64
# How many people a search offers to choose from.
SUBJECT_CHOICES = 20
# Dates a filter accepts (a day past the last is still a date).
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _action_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The declared action codes, grouped by the app that declares them, labelled."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for plugin in plugins.plugins():
        if not plugin.actions:
            continue
        try:
            name = str(apps.get_app_config(plugin.app).verbose_name)
        except LookupError:
            name = plugin.app
        codes = sorted(((a.code, str(a.label)) for a in plugin.actions), key=lambda c: c[1])
        groups.append((name, codes))
    return groups


def _object_type_choices() -> list[tuple[str, str]]:
    declared = [(t.code, str(t.label)) for t in plugins.object_types().values()]
    return sorted(declared, key=lambda c: c[1])


def actors_for(viewer: User) -> QuerySet[User]:
    """Accounts whose acts the viewer may filter by: staff in the viewer's regions, and the
    accounts without a region (administrators) who act everywhere. Insured persons' own accounts
    are left out: there may be millions, and their names are personal data; what an agent did
    is found through the person it was done for."""
    accounts = User.objects.filter(region_filter(viewer) | Q(region__isnull=True))
    return accounts.exclude(role=Role.INSURED).order_by("display_name", "username")


def split_subject(value: str) -> tuple[str, str] | None:
    """``registry.person:42`` → (``registry.person``, ``42``) for a declared subject type."""
    object_type, sep, object_id = value.partition(":")
    if not sep or object_type not in plugins.log_subjects() or not object_id.isdigit():
        return None
    return object_type, object_id


def describe_subject(viewer: User, value: str) -> str | None:
    """The subject as the viewer may see it; None when it is not one or is out of scope."""
    parts = split_subject(value)
    if parts is None:
        return None
    subject = plugins.log_subjects()[parts[0]]
    describe: Callable[[User, str], str | None] = plugins.load(subject.describe)
    return describe(viewer, parts[1])


def subject_filter(value: str) -> Q:
    """The entries about a subject: its related objects and what was done on its behalf."""
    parts = split_subject(value)
    if parts is None:
        return Q(pk__in=[])
    subject = plugins.log_subjects()[parts[0]]
    related: Callable[[str], Sequence[tuple[str, str]]] = plugins.load(subject.related)
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in related(parts[1]):
        by_type.setdefault(object_type, []).append(str(object_id))
    condition = Q(on_behalf_of=value)
    for object_type, ids in by_type.items():
        condition |= Q(object_type=object_type, object_id__in=ids)
    return condition


def search_subjects(viewer: User, term: str) -> list[tuple[str, str]]:
    """(``type:id``, text) of the subjects a posted term finds, from every declaring app. An
    app's limit on such searches raises its ``DomainError``."""
    found: list[tuple[str, str]] = []
    for subject in plugins.log_subjects().values():
        search: Callable[[User, str], Sequence[tuple[str, str]]] = plugins.load(subject.search)
        for object_id, text in search(viewer, term)[:SUBJECT_CHOICES]:
            found.append((f"{subject.object_type}:{object_id}", text))
    return found[:SUBJECT_CHOICES]


# The browser's date picker; its value is an ISO date, the form's input format too.
_DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SubjectSearchForm(forms.Form):
    """The posted person search: a name or a document number, never put in an address."""

    term = forms.CharField(
        label=gettext_lazy("Person (name or document number)"), max_length=TERM_MAX
    )

    def clean_term(self) -> str:
        term = str(self.cleaned_data["term"]).strip()
        if "\x00" in term or any(not ch.isprintable() for ch in term):
            raise forms.ValidationError(_("Enter a name or a document number."))
        return term


class LogFilterForm(forms.Form):
    """The filters of the list, read from the query string."""

    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=_DAY)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=_DAY)
    actor = forms.TypedChoiceField(
        label=gettext_lazy("Who"), required=False, coerce=int, empty_value=None
    )
    subject = forms.CharField(label=gettext_lazy("Person"), required=False, max_length=80)
    object_type = forms.ChoiceField(label=gettext_lazy("Object type"), required=False)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)

    def __init__(self, data: Any, *, viewer: User) -> None:
        super().__init__(data)
        self.viewer = viewer
        anyone = [("", _("Anyone"))]
        actor_field: Any = self.fields["actor"]
        actor_field.choices = anyone + [(u.pk, str(u)) for u in actors_for(viewer)]
        type_field: Any = self.fields["object_type"]
        type_field.choices = [("", _("Any object")), *_object_type_choices()]
        action_field: Any = self.fields["action"]
        action_field.choices = [("", _("Any action")), *_action_groups()]
        self.subject_text = ""

    def clean_subject(self) -> str:
        value = str(self.cleaned_data.get("subject") or "").strip()
        if not value:
            return ""
        text = describe_subject(self.viewer, value)
        if text is None:
            raise forms.ValidationError(_("This person is not in your scope."))
        self.subject_text = text
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for key in ("date_from", "date_to"):
            day = cleaned.get(key)
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(key, _("Enter a date between 1900 and 2999."))
                cleaned.pop(key, None)
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def apply(self, entries: QuerySet[ActionLog]) -> QuerySet[ActionLog]:
        """The entries that match the (valid) filters."""
        data = self.cleaned_data
        if data.get("date_from"):
            entries = entries.filter(at__gte=_day_start(data["date_from"]))
        if data.get("date_to"):
            entries = entries.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
        if data.get("actor") is not None:
            entries = entries.filter(actor_id=data["actor"])
        if data.get("subject"):
            entries = entries.filter(subject_filter(data["subject"]))
        if data.get("object_type"):
            entries = entries.filter(object_type=data["object_type"])
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        return entries

    def recorded(self) -> dict[str, object]:
        """The filters as an export's log entry records them: ids and codes, no person's data."""
        data = self.cleaned_data
        shown: dict[str, object] = {}
        for key in ("date_from", "date_to"):
            if data.get(key):
                shown[key] = data[key].isoformat()
        for key in ("actor", "subject", "object_type", "action"):
            if data.get(key) not in (None, ""):
                shown[key] = data[key]
        return shown


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the installation's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
