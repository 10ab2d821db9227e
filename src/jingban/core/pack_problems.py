"""A pack's problems in the user's language: the engine reports each with a stable code and its
parameters (pydantic's error types and the schema's own codes); this table says them. A code
without an entry keeps the engine's English."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jingban.core import file_errors
from jingban.engine.policy import Problem

MESSAGES: Mapping[str, Promise] = {
    # Reading the file.
    "pack.unreadable": _("The file cannot be read: %(error)s"),
    "pack.yaml": _("This is not valid YAML: %(problem)s"),
    "pack.not_mapping": _("A pack is a mapping of names to values."),
    "pack.duplicate_key": _("The key %(key)s is written twice; keep one."),
    "pack.bad_date": _("%(value)s is not a date."),
    "pack.alias": _("Anchors and aliases (& and *) are not allowed: write each figure out."),
    "pack.too_deep": _("The pack is nested too deeply."),
    "pack.sample_flag": _("sample must be true or false."),
    # The layout and the family (docs/adr/0006-pack-schema-union.md).
    "pack.unknown_schema": _(
        "schema %(schema)s is not a pack layout this version of jingban reads (%(expected)s)."
    ),
    "pack.schema_missing": _(
        "A pack that names its family says which layout it is written in: schema: 2."
    ),
    "pack.family_missing": _("Name the scheme family of the pack: family: %(expected)s."),
    "pack.unknown_family": _("%(family)s is not a scheme family (one of %(expected)s)."),
    "pack.section_of_other_family": _(
        "%(section)s belongs to a %(owner)s pack, not to a %(family)s pack."
    ),
    "pack.kind_not_of_family": _("A %(family)s pack is of kind %(expected)s, not %(kind)s."),
    "pack.contributions_moved": _(
        "From schema 2 on, contributions are a pack of their own (family: contribution)."
    ),
    "pack.note_not_bilingual": _(
        "From schema 2 on, a note is written in both languages: {zh: …, en: …}."
    ),
    "pack.note_shape": _("A note is text, or {zh: …, en: …} with both languages."),
    "pack.too_many_values": _("The pack holds too many names and values; is this a pack?"),
    "pack.more": _("… and %(count)s more problems."),
    # pydantic's checks of shape and type.
    "missing": _("This figure is required."),
    "extra_forbidden": _("This name is not part of a pack (a typing mistake?)."),
    "enum": _("Must be one of %(expected)s."),
    "literal_error": _("Must be one of %(expected)s."),
    "int_parsing": _("Must be a whole number."),
    "int_type": _("Must be a whole number."),
    "greater_than_equal": _("Must be at least %(ge)s."),
    "bool_parsing": _("Must be true or false."),
    "bool_type": _("Must be true or false."),
    "date_type": _("Must be a date written YYYY-MM-DD."),
    "date_parsing": _("Must be a date written YYYY-MM-DD."),
    "date_from_datetime_parsing": _("Must be a date written YYYY-MM-DD."),
    "string_type": _("Must be text."),
    "string_too_short": _("Must not be empty."),
    # The pattern itself is a regular expression: the form is said in words (PATTERN_FORMS).
    "string_pattern_mismatch": _("Does not have the expected form: %(form)s."),
    "dict_type": _("Must be a mapping of names to values."),
    "model_type": _("Must be a mapping of names to values."),
    "tuple_type": _("Must be a list."),
    "list_type": _("Must be a list."),
    "too_short": _("Needs at least %(min_length)s entries."),
    # Amounts and ratios.
    "money.empty": _("An amount is required."),
    "money.negative": _("%(value)s is negative."),
    "money.not_a_number": _("%(value)s is not an amount of yuan."),
    "money.too_precise": _("%(value)s has more than two decimals."),
    "ratio.not_a_number": _("%(value)s is not a ratio (write 0.65 or 65%%)."),
    "ratio.out_of_range": _("%(value)s is not between 0 and 100%%."),
    # The schema's own rules.
    "pack.end_before_start": _("The end of the period is before its start."),
    "pack.level_missing": _("%(what)s gives no figure for hospital level %(levels)s."),
    "pack.amount_or_by_level": _("Give either amount or by_level."),
    "pack.repeat_needs_per_visit": _("A repeat-admission deductible needs basis per_visit."),
    "pack.repeat_above_first": _(
        "repeat_by_level %(level)s is higher than the first admission's deductible."
    ),
    "pack.one_payment_rule": _(
        "Give exactly one of ratio, ratio_by_level, lump_sum or conditions."
    ),
    "pack.lump_sum_deductible": _("A lump sum has no deductible."),
    "pack.band_open": _("Band %(band)s has no upper edge but is not the last."),
    "pack.band_empty": _("Band %(band)s ends at or below where it starts."),
    "pack.bands_overlap": _("Bands %(first)s and %(second)s overlap."),
    "pack.bands_gap": _("There is a gap between bands %(first)s and %(second)s."),
    "pack.deductible_twice": _("Give deductible or deductible_share, not both."),
    "pack.not_relief_category": _("%(category)s is not a relief person category."),
    "pack.cross_region_missing": _("cross_region gives no rule for %(codes)s."),
    "pack.unknown_category": _("category_points: %(category)s is not a person category."),
    "pack.unknown_cap": _("benefits.%(visit)s draws from an unknown cap %(cap)s."),
    "pack.desk_reward_order": _("The maximum reward is below the minimum reward."),
    # Long-term care (engine/policy/families/ltc.py).
    "pack.ltc_negative_score": _("A score is never below 0."),
    "pack.ltc_band_order": _("%(what)s: a band ends below its start."),
    "pack.ltc_band_twice": _("%(what)s: a band is given twice."),
    "pack.ltc_band_gap": _("%(what)s: a total of %(points)s points falls in no band."),
    "pack.ltc_band_overlap": _("%(what)s: a total of %(points)s points falls in %(count)s bands."),
    "pack.ltc_self_count": _(
        "Grade %(grade)s: %(a)s items of category a and %(b)s of category b are more items "
        "than the form has."
    ),
    "pack.ltc_self_twice": _(
        "%(a)s items of category a and %(b)s of category b are in grades %(first)s and %(grade)s."
    ),
    "pack.ltc_self_missing": _("No grade is given for %(combinations)s."),
    "pack.ltc_dimension_missing": _("The dimension %(dimensions)s is missing."),
    "pack.ltc_combination_cell": _(
        "The combination table gives no level for a cell of the ADL band %(band)s."
    ),
    "pack.ltc_level_unnamed": _("Level %(level)s has no name."),
    "pack.ltc_experts_above_assessors": _("More experts on site than assessors on site."),
    "pack.ltc_validity_months": _("A conclusion is valid for at least one month."),
    "pack.ltc_severe_validity": _(
        "A severe disability conclusion is valid for at most 24 months, not %(months)s."
    ),
    "pack.ltc_rule_field": _("A %(kind)s payment rule does not take %(fields)s."),
    "pack.ltc_rule_missing": _("A %(kind)s payment rule needs %(fields)s."),
    "pack.ltc_hourly_split": _(
        "The fund's and the person's share an hour do not add up to the hourly rate."
    ),
    "pack.ltc_ratio_form": _("Give either ratio or ratio_by_level."),
    "pack.ltc_cap_form": _("Give daily_cap or cap_by_level, not both."),
    "pack.ltc_severity_missing": _("The covered level %(level)s has no severity."),
    # Contributions and continuity (step 8).
    "pack.bad_day": _("The period names a day that does not exist."),
    "pack.period_reversed": _("The period ends before it starts."),
    "pack.waiting_limit_below_fixed": _(
        "The longest waiting period is shorter than the fixed one."
    ),
    # Cross-region filing (step 8).
    "pack.filing_min_over_validity": _("The shortest period is longer than the validity."),
    "pack.filing_commitment_without_proof": _(
        "A personal commitment replaces a proof: name the proof it replaces."
    ),
    "pack.filing_temporary_open": _("A temporary filing (%(kind)s) needs a validity."),
    # Manual reimbursement (step 9).
    "pack.reimbursement_group_unnamed": _(
        "The materials of group %(group)s are all optional: a one-of group needs a rule."
    ),
    "pack.accident_unknown_grade": _("Disability grades run from 1 to 10, not %(grade)s."),
    "pack.accident_grades_not_descending": _(
        "A more severe disability grade (a smaller number) pays at least as much as a lighter one."
    ),
}


# The forms the pack header's patterns ask for (engine/policy/header.py), in words.
PATTERN_FORMS: Mapping[str, Promise] = {
    r"^[a-z0-9][a-z0-9-]{2,63}$": _(
        "3 to 64 lower-case Latin letters, digits and hyphens, starting with a letter or digit"
    ),
    r"^\d{6}$": _("six digits, the region's administrative code"),
}


def _form(pattern: object) -> str:
    form = PATTERN_FORMS.get(str(pattern))
    return str(form if form is not None else _("see the pack format documentation"))


def _param(value: object) -> str:
    # An error met reading the file is said by its reason, never the system's English text.
    if isinstance(value, OSError | UnicodeDecodeError):
        return file_errors.describe(value)
    return str(value)


def problem_text(problem: Problem) -> str:
    """What is wrong, in the active language (the engine's English when the code is unknown or
    its parameters do not fit)."""
    message = MESSAGES.get(problem.code)
    if message is None:
        return problem.message
    params = {k: _param(v) for k, v in problem.params.items()}
    if problem.code == "string_pattern_mismatch":
        params["form"] = _form(problem.params.get("pattern"))
    try:
        return str(message) % params
    except (KeyError, TypeError, ValueError):
        return problem.message


def problem_line(problem: Problem) -> str:
    """Where and what: ``Line 12, caps.pooled.amount: …``, or without the parts not known."""
    values = {"line": problem.line, "path": problem.path, "message": problem_text(problem)}
    if problem.line and problem.path:
        return _("Line %(line)s, %(path)s: %(message)s") % values
    if problem.line:
        return _("Line %(line)s: %(message)s") % values
    if problem.path:
        return _("%(path)s: %(message)s") % values
    return problem_text(problem)
