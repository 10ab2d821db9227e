"""The directory app's routes in the authorization matrix.

Everyone signed in reads the directory; operators change the entries of their region subtree
(wang: Suzhou), the administrator every entry. In scope: a Suzhou window; out of scope: the
Nanjing window (404 for wang, the administrator may change it)."""

from __future__ import annotations

from jingban.directory.models import Entry
from tests.authz import EVERYONE, Route
from tests.personas import Personas

EDITORS = {"admin", "wang"}
EXPORTERS = {"admin", "wang", "sun", "zhao", "qian"}


def entry(p: Personas, in_scope: bool) -> int:
    name = "虎丘区医保服务站" if in_scope else "南京市医保局服务窗口"
    return Entry.objects.get(name=name).pk


def inactive_entry(p: Personas, in_scope: bool) -> int:
    pk = entry(p, in_scope)
    Entry.objects.filter(pk=pk).update(active=False)
    return pk


PAGES = {
    "directory:entry_list": Route(EVERYONE),
    "directory:entry_create": Route(EDITORS),
    "directory:entry_import": Route({"admin"}),
    "directory:entry_edit": Route(EDITORS, entry),
    "directory:entry_deactivate": Route(EDITORS, entry, method="post", ok=302, confirm=True),
    "directory:entry_reactivate": Route(EDITORS, inactive_entry, method="post", ok=302),
    "directory:entry_export_csv": Route(EXPORTERS),
    "directory:entry_export_xlsx": Route(EXPORTERS),
}
PUBLIC = {"directory:public_search"}

API = {("GET", "/api/v1/directory"): Route(EVERYONE)}
