"""Checks run by tests/core/test_plugins.py in a separate pytest process whose only difference is
``JINGBAN_EXTRA_APPS=tests.plugin_app``: everything the test app declares works."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from jingban.core import plugins
from jingban.core.models import ActionLog
from jingban.jobs import runner, services
from jingban.jobs.models import JobStatus
from tests.personas import Personas


def test_the_route_and_its_capability(personas: Personas) -> None:
    url = reverse("plugin_app:greetings")
    assert url == "/plugin-app/"
    response = personas.client("wang").get(url)
    assert response.status_code == 200 and b"plugin greetings page" in response.content
    for role in ("sun", "li", "zhao", "kangning", "zhou", "chen", "qian", "admin"):
        assert personas.client(role).get(url).status_code == 403, role
    assert personas.user("wang").can("plugin_app.greeting.send")
    assert not personas.user("admin").can("plugin_app.greeting.send")


def test_the_api_operation(personas: Personas) -> None:
    response = personas.client("wang").get("/api/v1/plugin-app/greeting")
    assert response.status_code == 200 and response.json() == {"greeting": "hello wang"}
    refused = personas.client("sun").get("/api/v1/plugin-app/greeting")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    paths = personas.client("wang").get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/plugin-app/greeting" in paths


def test_the_navigation_entry_and_the_home_panel(personas: Personas) -> None:
    home = personas.client("wang").get(reverse("core:home")).content.decode()
    assert 'href="/plugin-app/"' in home and "Plugin greetings" in home
    assert "plugin panel for wang" in home
    other = personas.client("sun").get(reverse("core:home")).content.decode()
    assert 'href="/plugin-app/"' not in other and "plugin panel" not in other


def test_the_action_code_is_logged_and_labelled(personas: Personas) -> None:
    response = personas.client("wang").post(reverse("plugin_app:greetings"))
    assert response.status_code == 201
    row = ActionLog.objects.get(action="plugin_app.greeting.sent")
    assert row.actor == personas.user("wang")
    with translation.override("en"):
        assert plugins.action_label("plugin_app.greeting.sent") == "Home"
    with translation.override("zh-hans"):
        assert plugins.action_label("plugin_app.greeting.sent") == "首页"


def test_the_action_log_names_and_links_its_object(personas: Personas) -> None:
    from jingban.core.actionlog.sentences import sentences

    personas.client("wang").post(reverse("plugin_app:greetings"))
    row = ActionLog.objects.get(action="plugin_app.greeting.sent")
    with translation.override("zh-hans"):
        said = sentences([row], personas.user("wang"))[row.pk]
        assert (said.actor, said.action) == ("王经办", "首页")
        assert said.object is not None
        assert (said.object.type_label, said.object.text) == ("首页", "greeting 1 for wang")
        assert said.object.url == "/plugin-app/"
    assert sentences([row], personas.user("sun"))[row.pk].object.url is None  # type: ignore[union-attr]


def test_the_job_kind(personas: Personas) -> None:
    run = services.enqueue(personas.user("wang"), "plugin_app.greeting.count", defer=False)
    runner.execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED and run.result == {"greetings": 1}


def test_the_public_page_is_listed_on_the_public_index() -> None:
    from django.test import Client

    body = Client().get("/public/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'href="/plugin-app/public/">首页</a>' in body
    assert Client().get("/plugin-app/public/").content == b"public greeting"


def test_the_demo_builder_runs_once_per_world(personas: Personas) -> None:
    from jingban.core.models import Organisation
    from jingban.demo.world import build_world

    demo = Organisation.objects.get(code="PLUGIN-APP-DEMO")
    assert demo.name == "demo for wang"
    build_world(persons=24, seed=7, var_dir=None)
    assert Organisation.objects.filter(code="PLUGIN-APP-DEMO").count() == 1
