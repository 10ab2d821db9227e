"""Background jobs of the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingban.core.errors import ValidationFailed
from jingban.core.roles import Cap
from jingban.jobs.kinds import JobContext, job_kind

#: The largest city one job generates: a province is loaded city by city.
MAX_SYNTH_PERSONS = 5_000_000


@job_kind("registry.synth", label=_("Generate a synthetic city"), capability=Cap.PERSON_CREATE)
def synth_city(ctx: JobContext, persons: int = 20_000, seed: int = 2025) -> dict[str, object]:
    """Generate a synthetic city and load it into the registry, with progress in rows."""
    from jingban.synth import generate_city

    if not 1 <= persons <= MAX_SYNTH_PERSONS:
        raise ValidationFailed(
            fields={
                "persons": [
                    _("Give a number of persons from 1 to %(max)s.") % {"max": MAX_SYNTH_PERSONS}
                ]
            }
        )
    if seed < 0:
        raise ValidationFailed(fields={"seed": [_("The seed must be zero or more.")]})
    result = generate_city(
        persons,
        seed,
        progress=lambda done, total: ctx.progress(done, total),
        acting_user=ctx.user,
    )
    return {
        "persons": result.persons,
        "seed": result.seed,
        "digest": result.digest,
        "rows": result.counts,
        "persons_per_second": round(result.persons_per_second),
    }
