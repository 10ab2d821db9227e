"""The demo world (演示): the accounts, organisations and persons of ``jingban demo`` and the
tests, over every installed app. It sits above all the other apps and nothing imports it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "jingban.demo"
    label = "demo"
    verbose_name = _("Demo")
