"""The synthetic city as a background job: administrators only, progress in rows, the result's
figures, and a second load refused as a failed run that wrote nothing."""

from __future__ import annotations

import pytest

from jingban.core.errors import Forbidden, ValidationFailed
from jingban.jobs import runner, services
from jingban.jobs.models import JobRun, JobStatus
from jingban.registry.models import Household, Person
from tests.personas import Personas


@pytest.mark.parametrize("role", ["wang", "sun", "zhao", "qian", "li"])
def test_only_an_administrator_may_start_the_synthetic_city(personas: Personas, role: str) -> None:
    with pytest.raises(Forbidden):
        services.enqueue(personas.user(role), "core.synth.city", {"persons": 10}, defer=False)
    assert not JobRun.objects.filter(kind="core.synth.city").exists()


def test_synth_job_loads_a_city_with_progress_and_refuses_a_second(personas: Personas) -> None:
    admin = personas.user("admin")
    persons_before = Person.objects.count()
    households_before = Household.objects.count()
    # The demo world already holds its own synthetic city (seed 7): another seed is a new city,
    # but a registry holds one synthetic city, so this is refused … unless the world has none.
    run = services.enqueue(admin, "core.synth.city", {"persons": 120, "seed": 11}, defer=False)
    with pytest.raises(runner.JobFailed):
        runner.execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED
    assert run.error
    assert (Person.objects.count(), Household.objects.count()) == (
        persons_before,
        households_before,
    )


def test_synth_job_on_an_empty_registry(db, settings) -> None:
    from jingban.core.roles import Role
    from jingban.core.services.accounts import create_account

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    operator = create_account(
        username="op", password="op-pass-1234", role=Role.ADMIN, acting_user=None
    )
    run = services.enqueue(operator, "core.synth.city", {"persons": 150, "seed": 3}, defer=False)
    runner.execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED
    assert run.result["persons"] == 150
    assert Person.objects.count() == 150
    assert run.progress_done == run.progress_total > 150  # persons, households, members, …
    assert len(run.result["digest"]) == 64


@pytest.mark.parametrize(("params", "field"), [({"persons": 0}, "persons"), ({"seed": -1}, "seed")])
def test_synth_job_checks_its_parameters(personas: Personas, params, field: str) -> None:
    run = services.enqueue(personas.user("admin"), "core.synth.city", params, defer=False)
    with pytest.raises(runner.JobFailed):
        runner.execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED
    assert JobRun.objects.filter(pk=run.pk, status=JobStatus.FAILED).exists()
    with pytest.raises(ValidationFailed):
        from jingban.jobs.builtin import synth_city

        synth_city(None, **params)  # type: ignore[arg-type]
