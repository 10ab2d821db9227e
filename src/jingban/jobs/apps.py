"""Background jobs: a PostgreSQL-backed queue (procrastinate) with progress kept per run."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jingban.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # The platform's own kinds, then every app's ``jobs`` module, where apps declare theirs.
        from jingban.jobs import builtin  # noqa: F401

        autodiscover_modules("jobs")
