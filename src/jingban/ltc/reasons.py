"""The LTC engine's codes in the user's language: why an assessment or a service row was
refused (``jingban.engine.ltc``), ONE table for the errors files, the command's output and the
settlement pages (``texts_settlement.reason_text``).

Care forms and severities in the parameters are shown by their labels, never their codes. A
code the engine raises with different parameters (a file's column, a settled row's care form)
has one sentence for each; the first whose parameters fit is used. A code missing here keeps
the caller's fallback (the engine's English message, or the page's "not paid"), so a new code is
never lost, only untranslated."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jingban.core.engine_messages import describe_problem
from jingban.ltc.models import CareFormCode, Severity

HOSPITAL_STAY_LABEL = _("Day in hospital")

# The columns of the batch files, as a person reads them.
COLUMN_LABELS: Mapping[str, Promise] = {
    "assessment_id": pgettext_lazy("ltc file column", "Assessment ID"),
    "person_id": pgettext_lazy("ltc file column", "Person ID"),
    "disability_level": pgettext_lazy("ltc file column", "Disability level"),
    "person_category": pgettext_lazy("ltc file column", "Person category"),
    "care_form": pgettext_lazy("ltc file column", "Care form"),
    "hospital_level": pgettext_lazy("ltc file column", "Hospital level"),
    "service_date": pgettext_lazy("ltc file column", "Date of service"),
    "hours": pgettext_lazy("ltc file column", "Hours"),
    "check_in": pgettext_lazy("ltc file column", "Check-in"),
    "check_out": pgettext_lazy("ltc file column", "Check-out"),
    "lat": pgettext_lazy("ltc file column", "Latitude"),
    "lon": pgettext_lazy("ltc file column", "Longitude"),
    "billed": pgettext_lazy("ltc file column", "Amount billed"),
    "dementia": pgettext_lazy("ltc file column", "Dementia"),
}

MESSAGES: Mapping[str, Promise | tuple[Promise, ...]] = {
    # Scoring (jingban.engine.ltc.scoring); ``item`` is the item's column.
    "ltc.score_missing": _("%(item)s: no score."),
    "ltc.score_not_a_number": _("%(item)s: “%(value)s” is not a score."),
    "ltc.score_not_allowed": _("%(item)s: %(value)s is not an allowed score (%(allowed)s)."),
    "ltc.answer_not_allowed": _("%(item)s: “%(value)s” is not independent, partial or dependent."),
    # Reading a row (jingban.engine.ltc.files); ``field`` is the column.
    "row.required": _("%(field)s is required."),
    "row.column_count": _("The row has %(count)s values where the header has %(expected)s."),
    "ltc.bad_level": _("%(field)s: “%(value)s” is not a disability level from 0 to 5."),
    "ltc.bad_category": _("%(field)s: “%(value)s” is not a person category (general or relief)."),
    "ltc.bad_hospital_level": _("%(field)s: “%(value)s” is not a hospital level (1, 2 or 3)."),
    "ltc.bad_date": _("%(field)s: “%(value)s” is not a date written YYYY-MM-DD."),
    "ltc.bad_datetime": _("%(field)s: “%(value)s” is not a time written YYYY-MM-DD HH:MM."),
    "ltc.bad_hours": _("%(field)s: “%(value)s” is not a number of hours from 0 to 24."),
    "ltc.bad_coordinate": _("%(field)s: “%(value)s” is not a coordinate from %(low)s to %(high)s."),
    "ltc.bad_flag": _("%(field)s: “%(value)s” is not 0 or 1."),
    "ltc.unknown_care_form": (
        _("%(field)s: “%(value)s” is not a care form."),
        _("the care form is not one the pack knows"),
    ),
    "ltc.check_out_before_check_in": _("The check-out is before the check-in."),
    # Settling (jingban.engine.ltc.settle).
    "ltc.outside_month": _("The service date %(date)s is not in the month settled."),
    "ltc.unknown_category": _("“%(category)s” is not a person category (general or relief)."),
    "ltc.in_hospital": _("%(date)s is a day in hospital: no care is paid that day."),
    "ltc.not_entitled": _("%(date)s is not a day in benefit (outside the benefit or suspended)."),
    "ltc.level_not_covered": _("Disability level %(level)s is not covered."),
    "ltc.form_not_covered": _("The policy pays no care of the form “%(care_form)s”."),
    "ltc.severity_not_covered": _("%(care_form)s is not paid for %(severity)s disability"),
    "ltc.form_conflict": _("%(date)s is already a day of %(other)s"),
    "ltc.duplicate_day": _("%(date)s is already paid as a day of %(care_form)s"),
    "ltc.over_quota": _("Visit %(visit)s is over the quota of %(limit)s visits a month."),
    "ltc.no_hours": _("A visit of no hours."),
    "ltc.too_short": _("The visit lasted %(minutes)s minutes, less than %(min_minutes)s."),
    "ltc.no_location": _("The check-in has no location, which the policy requires."),
    "ltc.billed_missing": _("%(care_form)s pays a share of the billed amount: the row has none"),
    "ltc.hospital_level_missing": _("%(care_form)s pays by hospital level: the row has none"),
}


def care_form_label(code: str) -> str:
    """A care form's label (a day in hospital included); "other care" for an unknown code."""
    if code == "hospital_stay":
        return str(HOSPITAL_STAY_LABEL)
    try:
        return str(CareFormCode(code).label)
    except ValueError:
        return gettext("Other care")


def severity_label(code: str) -> str:
    try:
        return str(Severity(code).label)
    except ValueError:
        return code


def _labelled(params: Mapping[str, object]) -> dict[str, object]:
    values = dict(params)
    if "field" in values:
        name = str(values["field"])
        label = COLUMN_LABELS.get(name)
        values["field"] = str(label) if label is not None else name
    for key in ("care_form", "other"):
        if key in values:
            values[key] = care_form_label(str(values[key]))
    if "severity" in values:
        values["severity"] = severity_label(str(values["severity"]))
    return values


def describe_code(code: str, fallback: str, params: Mapping[str, object]) -> str:
    """The message of ``code`` in the active language, ``fallback`` when there is none or the
    parameters do not fit; other codes (money, files) go to the shared table."""
    entry = MESSAGES.get(code)
    if entry is None:
        return describe_problem(code, fallback, params)
    values = _labelled(params)
    for template in entry if isinstance(entry, tuple) else (entry,):
        try:
            return str(template) % values
        except (KeyError, TypeError, ValueError):
            continue
    return fallback
