"""The person's whole picture: one page and one API that gather what every app knows of an
insured person, each part shown as the viewer's role and scope allow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PictureConfig(AppConfig):
    name = "jingban.picture"
    label = "picture"
    verbose_name = _("The person's whole picture")
