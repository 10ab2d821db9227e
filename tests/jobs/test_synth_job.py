"""The synthetic city as a background job: administrators only, progress in rows, the result's
figures, and a second load refused as a failed run that wrote nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jingban.core import synthetic
from jingban.core.errors import Conflict, Forbidden, ValidationFailed
from jingban.jobs import runner, services
from jingban.jobs.models import JobRun, JobStatus
from jingban.registry.models import Household, Person
from tests.personas import Personas


@pytest.mark.parametrize("role", ["wang", "sun", "zhao", "qian", "li"])
def test_only_an_administrator_may_start_the_synthetic_city(personas: Personas, role: str) -> None:
    with pytest.raises(Forbidden):
        services.enqueue(personas.user(role), "core.synth.city", {"persons": 10}, defer=False)
    assert not JobRun.objects.filter(kind="core.synth.city").exists()


def test_a_second_city_is_neither_offered_nor_started(personas: Personas) -> None:
    admin = personas.user("admin")
    persons_before = Person.objects.count()
    households_before = Household.objects.count()
    # The demo world already holds its own synthetic city (seed 7): another seed is a new city,
    # but a registry holds one synthetic city, so the job is not offered and is refused.
    assert synthetic.loaded()
    with pytest.raises(Conflict) as refused:
        services.enqueue(admin, "core.synth.city", {"persons": 120, "seed": 11}, defer=False)
    assert refused.value.code == "job_unavailable"
    assert not JobRun.objects.filter(kind="core.synth.city").exists()
    assert (Person.objects.count(), Household.objects.count()) == (
        persons_before,
        households_before,
    )
    page = personas.client("admin").get(reverse("jobs:run_list")).content.decode()
    assert 'value="core.synth.city"' not in page
    assert 'value="core.audit.verify"' in page
    # Said beside the form, not inside its list of jobs.
    assert "未提供：生成模拟城市。" in page.split("</select>", 1)[1]
    posted = personas.client("admin").post(reverse("jobs:run_start"), {"kind": "core.synth.city"})
    assert posted.status_code == 400
    assert "已有一座模拟城市" in posted.content.decode()


def test_synth_job_on_an_empty_registry(empty_database, settings) -> None:
    from jingban.core.roles import Role
    from jingban.core.services.accounts import create_account

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    operator = create_account(
        username="op", password="op-pass-1234", role=Role.ADMIN, acting_user=None
    )
    assert not synthetic.loaded()
    client = Client()
    client.force_login(operator)
    assert 'value="core.synth.city"' in client.get(reverse("jobs:run_list")).content.decode()
    run = services.enqueue(operator, "core.synth.city", {"persons": 150, "seed": 3}, defer=False)
    runner.execute(run.pk)
    assert synthetic.loaded()
    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED
    assert run.result["persons"] == 150
    assert Person.objects.count() == 150
    assert run.progress_done == run.progress_total > 150  # persons, households, members, …
    assert len(run.result["digest"]) == 64


@pytest.mark.parametrize(("params", "field"), [({"persons": 0}, "persons"), ({"seed": -1}, "seed")])
def test_synth_job_checks_its_parameters(empty_database, settings, params, field: str) -> None:
    from jingban.core.roles import Role
    from jingban.core.services.accounts import create_account

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    admin = create_account(
        username="op", password="op-pass-1234", role=Role.ADMIN, acting_user=None
    )
    run = services.enqueue(admin, "core.synth.city", params, defer=False)
    with pytest.raises(runner.JobFailed):
        runner.execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED
    # The parameter by its label, not its key.
    assert run.error.splitlines()[-1].startswith({"persons": "人数：", "seed": "随机种子："}[field])
    with pytest.raises(ValidationFailed):
        from jingban.jobs.builtin import synth_city

        synth_city(None, **params)  # type: ignore[arg-type]
