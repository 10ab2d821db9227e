"""The files app's routes in the authorization matrix."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from jingban.files.models import StoredFile
from jingban.files.services import upload_file
from tests.authz import PERSON_VIEWERS, Route
from tests.files.samples import PDF
from tests.personas import Personas

UPLOADERS = {"admin", "wang"}


def stored_file(p: Personas, in_scope: bool) -> int:
    """A file attached to the in- or out-of-scope person (uploaded by admin on first use)."""
    person = p.in_scope_person if in_scope else p.out_of_scope_person
    found = StoredFile.objects.filter(object_type="registry.person", object_id=str(person.pk))
    if found.exists():
        return found.first().pk  # type: ignore[union-attr]
    upload = SimpleUploadedFile("matrix.pdf", PDF, content_type="application/pdf")
    return upload_file("registry.person", str(person.pk), upload, acting_user=p.user("admin")).pk


def person_object(p: Personas, in_scope: bool) -> tuple[str, int]:
    person = p.in_scope_person if in_scope else p.out_of_scope_person
    return "registry.person", person.pk


PAGES = {
    # Institution staff see their own institution's files only (tests/providers/
    # test_order_files.py): a person's file is absent to them.
    "files:download": Route(PERSON_VIEWERS, stored_file, denied_as={"kangning": 404}),
    # No file in the form: the translated field error, 400.
    "files:upload": Route(UPLOADERS, person_object, method="post", ok=400),
}
