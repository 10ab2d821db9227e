"""Background jobs: a PostgreSQL-backed queue (procrastinate) with progress kept per run."""

from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jingban.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Each installed app names the module that declares its job kinds in its plugin.
        from jingban.core import plugins

        for module in plugins.job_modules():
            import_module(module)
