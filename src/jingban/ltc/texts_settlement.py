"""How settlement shows its figures and reasons: amounts in yuan from fen, care forms by their
labels, and each rejected row's reason (the engine's stable code and parameters) as a sentence
in the user's language, never a code."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jingban.ltc.models import CareFormCode, Severity

HOSPITAL_STAY_LABEL = _("Day in hospital")

REASONS: Mapping[str, Promise] = {
    "ltc.outside_month": _("the service date %(date)s is not in the month settled"),
    "ltc.unknown_care_form": _("the care form is not one the pack knows"),
    "ltc.unknown_category": _("the person category is not known"),
    "ltc.check_out_before_check_in": _("the check-out is before the check-in"),
    "ltc.in_hospital": _("%(date)s is a day in hospital: no care is paid that day"),
    "ltc.not_entitled": _("%(date)s is not a day in benefit (outside the benefit or suspended)"),
    "ltc.level_not_covered": _("disability level %(level)s is not covered"),
    "ltc.form_not_covered": _("the pack pays no %(care_form)s"),
    "ltc.severity_not_covered": _("%(care_form)s is not paid for %(severity)s disability"),
    "ltc.form_conflict": _("%(date)s is already a day of %(other)s"),
    "ltc.duplicate_day": _("%(date)s is already paid as a day of %(care_form)s"),
    "ltc.over_quota": _("visit %(visit)s is over the quota of %(limit)s visits a month"),
    "ltc.no_hours": _("a visit of no hours"),
    "ltc.too_short": _("the visit lasted %(minutes)s minutes, less than %(min_minutes)s"),
    "ltc.no_location": _("the check-in has no location, which the pack requires"),
    "ltc.billed_missing": _("%(care_form)s pays a share of the billed amount: the row has none"),
    "ltc.hospital_level_missing": _("%(care_form)s pays by hospital level: the row has none"),
}


def yuan(fen: int | None) -> str:
    """``123456`` → ``1,234.56`` (negative amounts keep their sign)."""
    value = fen or 0
    sign = "-" if value < 0 else ""
    whole, cents = divmod(abs(value), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def care_form_label(code: str) -> str:
    if code == "hospital_stay":
        return str(HOSPITAL_STAY_LABEL)
    try:
        return str(CareFormCode(code).label)
    except ValueError:
        return gettext("Other care")


def _severity_label(code: str) -> str:
    try:
        return str(Severity(code).label)
    except ValueError:
        return code


def reason_text(item: Mapping[str, object]) -> str:
    """A stored rejection (``{"code", "params", …}``) as a sentence."""
    code = str(item.get("code", ""))
    template = REASONS.get(code)
    if template is None:
        return gettext("not paid")
    raw = item.get("params") or {}
    params: dict[str, object] = dict(raw) if isinstance(raw, Mapping) else {}
    for key in ("care_form", "other"):
        if key in params:
            params[key] = care_form_label(str(params[key]))
    if "severity" in params:
        params["severity"] = _severity_label(str(params["severity"]))
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return gettext("not paid")
