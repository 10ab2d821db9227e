"""The department directory (部门电话): departments and windows by region and business line,
searchable by staff and the public."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "jingban.directory"
    label = "directory"
    verbose_name = _("Department directory")
