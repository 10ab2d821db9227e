"""``{% person_documents person own %}``: the documents a user may download for a person."""

from __future__ import annotations

from typing import Any

from django import template

from jingban.documents.views import ISSUE_OWN_PROOF, ISSUE_PROOF

register = template.Library()


@register.inclusion_tag("documents/_person_documents_section.html", takes_context=True)
def person_documents(context: dict[str, Any], person: Any, own: bool = False) -> dict[str, Any]:
    user = context["request"].user
    allowed = user.can(ISSUE_OWN_PROOF) if own else user.can(ISSUE_PROOF)
    return {
        "shown": bool(allowed and person is not None),
        "person": person,
        "own": own,
        "csrf_token": context.get("csrf_token"),
    }
