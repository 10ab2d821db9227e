from collections.abc import Mapping, Sequence

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from jingban.core.actionlog import log_action
from jingban.core.models import User
from jingban.core.views.access import AuthedRequest, requires
from tests.plugin_app.plugin import GREET


@requires(GREET)
def greetings(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        with transaction.atomic():
            log_action(
                acting_user=request.user,
                action="plugin_app.greeting.sent",
                object_type="plugin_app.greeting",
                object_id=1,
            )
        return HttpResponse("sent", status=201)
    return HttpResponse("plugin greetings page")


def public_greeting(request: HttpRequest) -> HttpResponse:
    return HttpResponse("public greeting")


def build_demo(admin: User, users: Mapping[str, User]) -> None:
    """The app's demo rows: one organisation named after the operator, once."""
    from jingban.core.models import Organisation, Region

    region = Region.objects.get(code="320500")
    Organisation.objects.get_or_create(
        code="PLUGIN-APP-DEMO",
        defaults={"name": f"demo for {users['wang'].username}", "kind": "bureau", "region": region},
    )


def panel(user: User) -> Mapping[str, object]:
    return {"greeting": f"plugin panel for {user.username}"}


def describe_greetings(viewer: User, ids: Sequence[str], *, reveal: bool) -> dict[str, str]:
    return {i: f"greeting {i} for {viewer.username}" for i in ids}


def greeting_link(viewer: User, object_id: str) -> str | None:
    return "/plugin-app/" if viewer.can(GREET) else None
