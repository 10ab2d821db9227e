from django.http import HttpRequest
from ninja import Router, Schema

from jingban.core.api_access import api_user
from tests.plugin_app.plugin import GREET

router = Router(tags=["plugin app"])


class GreetingOut(Schema):
    greeting: str


@router.get("/greeting", response=GreetingOut)
def greeting(request: HttpRequest) -> GreetingOut:
    user = api_user(request, GREET)
    return GreetingOut(greeting=f"hello {user.username}")
