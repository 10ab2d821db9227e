from django.utils.translation import gettext_lazy as _

from jingban.jobs.kinds import JobContext, job_kind
from tests.plugin_app.plugin import GREET


@job_kind("plugin_app.greeting.count", label=_("Home"), capability=GREET)
def count(ctx: JobContext) -> dict[str, object]:
    return {"greetings": 1}
