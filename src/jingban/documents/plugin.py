"""What the documents app brings: official documents as PDF with a verifiable code."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    AppPlugin,
    Capability,
    ObjectType,
    PublicPage,
    Routes,
)
from jingban.core.roles import Role

PLUGIN = AppPlugin(
    app="documents",
    capabilities=(
        Capability(
            "documents.proof.issue",
            _("Issue proofs of enrollment for persons"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "documents.own_proof.issue", _("Download one's own proof of enrollment"), {Role.INSURED}
        ),
    ),
    actions=(ActionCode("documents.document.issued", _("issued an official document")),),
    # Two families under one module: documents/… for signed-in users, public/verify/ for anyone.
    object_types=(
        ObjectType("documents.document", _("issued document"), model="documents.IssuedDocument"),
    ),
    urls=Routes("", "jingban.documents.urls"),
    public_pages=(
        PublicPage(
            _("Verify a document"),
            "documents:verify",
            _("Check that a document issued by the medical insurance bureau is genuine."),
            order=900,
        ),
    ),
)
