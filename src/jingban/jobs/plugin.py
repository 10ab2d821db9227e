"""What the jobs app brings: the background runs' pages, API and capabilities."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    ApiRouter,
    AppPlugin,
    Capability,
    NavEntry,
    ObjectType,
    Routes,
)
from jingban.core.roles import Cap, Role

PLUGIN = AppPlugin(
    app="jobs",
    capabilities=(
        Capability(Cap.JOB_VIEW, _("View background jobs"), {Role.OPERATOR, Role.ADMIN}),
        Capability(Cap.JOB_RUN, _("Start background jobs"), {Role.OPERATOR, Role.ADMIN}),
    ),
    navigation=(NavEntry(_("Background jobs"), "jobs:run_list", Cap.JOB_VIEW, order=800),),
    actions=(
        ActionCode("jobs.run.queued", _("started a background job")),
        ActionCode("jobs.run.retried", _("retried a background job")),
        ActionCode("jobs.run.succeeded", _("finished a background job")),
        ActionCode("jobs.run.failed", _("recorded a failed background job")),
    ),
    object_types=(
        ObjectType(
            "jobs.run",
            _("job run"),
            url_name="jobs:run_detail",
            capability=Cap.JOB_VIEW,
            model="jobs.JobRun",
        ),
    ),
    urls=Routes("jobs/", "jingban.jobs.urls"),
    api_routers=(ApiRouter("/jobs", "jingban.jobs.api:router"),),
    jobs="jingban.jobs.builtin",
    reminders=("jingban.jobs.reminders:failed_runs",),
)
