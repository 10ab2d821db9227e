"""Translated messages of batch settlement, by stable code.

The engine refuses a row or a file with a code, an English message and named parameters; this
table turns the code into a message in the active language, for the errors file, the ``reason``
column of the results and the command's own output. A code missing here falls back to the
engine's English message, so a new engine code is never lost, only untranslated.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jingban.core import file_errors
from jingban.core.pack_problems import problem_line
from jingban.engine.codes import PERSON_CATEGORIES, Condition, CrossRegion, VisitType
from jingban.engine.medical.batch import Refusal
from jingban.engine.policy import PackError

# The claim columns, as a person reads them.
FIELD_LABELS: dict[str, Promise] = {
    "claim_id": _("Claim ID"),
    "person_id": _("Person ID"),
    "visit_type": _("Visit type"),
    "condition": _("Condition"),
    "hospital_level": _("Hospital level"),
    "service_date": _("Service date"),
    "discharge_date": _("Discharge date"),
    "total": _("Total"),
    "out_of_scope": _("Out-of-scope amount"),
    "class_b": _("Class B amount"),
    "class_b_first": _("Class B first payment"),
    "person_category": _("Person category"),
    "cross_region": _("Cross-region status"),
    "year": _("Year"),
    "counter": _("Counter"),
    "value": _("Value"),
}

# The money columns of a result.
AMOUNT_LABELS: dict[str, Promise] = {
    "total": _("Total"),
    "basic_fund": _("Basic insurance fund"),
    "critical_illness": _("Critical illness insurance"),
    "medical_assistance": _("Medical assistance"),
    "supplementary": _("Supplementary insurance"),
    "out_of_pocket": _("Out of pocket"),
}

# Why a row was refused. ``field`` is the translated column, ``claim_id`` and ``line`` are
# always given; the other parameters come with the refusal.
ROW_MESSAGES: dict[str, Promise] = {
    "claim.required": _("%(field)s is required."),
    "claim.bad_visit_type": _("%(field)s: “%(value)s” is not a visit type (use %(choices)s)."),
    "claim.bad_condition": _(
        "%(field)s: “%(value)s” is not a condition (use %(choices)s, or leave it empty)."
    ),
    "claim.bad_level": _("%(field)s: “%(value)s” is not a hospital level (use 1, 2 or 3)."),
    "claim.bad_category": _("%(field)s: “%(value)s” is not a person category (use %(choices)s)."),
    "claim.bad_cross_region": _(
        "%(field)s: “%(value)s” is not a cross-region status (use %(choices)s)."
    ),
    "claim.bad_date": _("%(field)s: “%(value)s” is not a date written YYYY-MM-DD."),
    "money.empty": _("%(field)s: an amount is required."),
    "money.negative": _("%(field)s must not be negative."),
    "money.not_a_number": _(
        "%(field)s: “%(value)s” is not an amount of yuan (write it like 1234.50, without "
        "separators)."
    ),
    "money.too_precise": _("%(field)s: “%(value)s” has more than two decimals."),
    "row.column_count": _("The row has %(count)s values where the header has %(expected)s."),
    "claim.out_of_scope_above_total": _("%(field)s is more than the total."),
    "claim.class_b_above_in_scope": _(
        "%(field)s is more than the total less the out-of-scope amount."
    ),
    "claim.class_b_first_above_class_b": _("%(field)s is more than the class B amount."),
    "claim.discharge_before_admission": _("%(field)s is before the service (admission) date."),
    "claim.discharge_date_required": _(
        "%(field)s is required for an inpatient or maternity stay: a stay is settled once, at "
        "discharge (a settlement in the middle of a stay is not accepted)."
    ),
    "claim.discharge_date_not_allowed": _(
        "%(field)s is only for an inpatient or maternity stay: leave it empty for an outpatient "
        "visit (%(visit_type)s)."
    ),
    "claim.condition_required": _(
        "%(field)s is required for a two-diseases visit (hypertension or diabetes)."
    ),
    "claim.duplicate_id": _("%(field)s “%(claim_id)s” was already given on line %(first_line)s."),
    "claim.no_pack_in_force": _("No public pack given is in force on %(day)s (given: %(packs)s)."),
    "claim.pack_not_in_force": _("The pack %(pack)s is not in force on %(day)s."),
    "trial.no_public_pack": _(
        "No approved public pack is in force on this date to stack the supplementary pack on."
    ),
    "claim.visit_type_not_covered": _(
        "The pack %(pack)s has no benefit for the visit type %(visit_type)s."
    ),
    "claim.condition_not_covered": _(
        "The pack %(pack)s has no benefit for this visit type and condition."
    ),
}

# Problems with a whole file, the packs or the options: nothing is settled or written.
FILE_MESSAGES: dict[str, Promise] = {
    "file.unreadable": _("%(path)s cannot be read: %(error)s."),
    "file.not_utf8": _("%(path)s: line %(line)s is not UTF-8 text. Save the file as UTF-8 CSV."),
    "file.bad_csv": _("%(path)s: line %(line)s is not valid CSV (%(error)s)."),
    "file.empty": _("%(path)s is empty: it needs at least a header row."),
    "file.duplicate_columns": _("%(path)s: the header names %(columns)s more than once."),
    "file.missing_columns": _("%(path)s: the header lacks the columns %(columns)s."),
    "file.is_directory": _("%(path)s is a directory, not a file."),
    "file.unwritable": _("%(path)s cannot be written: %(error)s."),
    "file.output_is_input": _("%(path)s is an input file: choose another file to write."),
    "file.output_twice": _("%(path)s is given for two outputs: choose a file for each."),
    "accumulators.column_count": _(
        "%(path)s: line %(line)s has %(count)s values where the header has %(expected)s."
    ),
    "accumulators.bad_row": _(
        "%(path)s: line %(line)s: %(field)s “%(value)s” is not valid (year and value are "
        "whole numbers, person_id and counter are required)."
    ),
    "accumulators.duplicate": _(
        "%(path)s: line %(line)s repeats the counter %(counter)s of %(person_id)s in %(year)s."
    ),
    "batch.not_a_claim_pack": _(
        "%(packs)s settles no claim: give a medical pack, and supplementary packs on top of it."
    ),
    "batch.no_public_pack": _(
        "No public pack given (only %(packs)s): a supplementary pack settles only on top of a "
        "public one."
    ),
    "batch.public_packs_overlap": _(
        "The public packs %(first)s and %(second)s are in force on the same days: give one "
        "public pack per period."
    ),
    "batch.supplementary_packs_overlap": _(
        "The supplementary packs %(first)s and %(second)s are in force on the same days."
    ),
    "policy.unknown_pack": _("There is no policy pack “%(spec)s” (known: %(known)s)."),
    "policy.bad_spec": _(
        "“%(spec)s” is neither a pack id with an optional @version nor a .yaml pack file."
    ),
    "policy.invalid_pack": _("The policy pack %(source)s cannot be loaded:"),
    "policy.database_unavailable": _(
        "The packs cannot be read from the database (%(error)s). Give --policy-source files "
        "to use the packs shipped with jingban."
    ),
}


def _choices() -> dict[str, str]:
    return {
        "claim.bad_visit_type": ", ".join(v.value for v in VisitType),
        "claim.bad_condition": ", ".join(v.value for v in Condition),
        "claim.bad_category": ", ".join(PERSON_CATEGORIES),
        "claim.bad_cross_region": ", ".join(v.value for v in CrossRegion),
    }


def field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name


def _format(template: Promise, params: Mapping[str, object], fallback: str) -> str:
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        # A parameter the message needs is missing: the English text still says what is wrong.
        return fallback


def describe(refusal: Refusal) -> str:
    """Why ``refusal``'s row was not settled, in the active language: every problem of the
    row (a row refused for three columns names the three)."""
    return "; ".join(_describe_one(problem) for problem in refusal.problems)


def _describe_one(refusal: Refusal) -> str:
    template = ROW_MESSAGES.get(refusal.code)
    if template is None:
        return refusal.message
    params: dict[str, object] = {"choices": _choices().get(refusal.code, "")}
    params.update(refusal.params)
    params.update(field=field_label(refusal.field), claim_id=refusal.claim_id, line=refusal.line)
    return _format(template, params, refusal.message)


def describe_problem(code: str, fallback: str, params: Mapping[str, object]) -> str:
    """A file, pack or option problem (``FileProblem``, ``PackSetError`` …) in the active
    language."""
    template = FILE_MESSAGES.get(code)
    if template is None:
        return fallback
    values = dict(params)
    if "errno" in values:
        # The operating system's English text gives way to its reason in the user's language.
        number = values["errno"]
        values["error"] = file_errors.reason(number if isinstance(number, int) else None)
    if "field" in values:
        values["field"] = field_label(str(values["field"]))
    return _format(template, values, fallback)


def describe_pack_error(error: PackError, source: str) -> str:
    """A broken pack: which one, then each problem with its path in the pack and its line."""
    lines = [
        _format(FILE_MESSAGES["policy.invalid_pack"], {"source": source}, str(error)),
    ]
    lines += ["  " + problem_line(problem) for problem in error.problems]
    return "\n".join(lines)
