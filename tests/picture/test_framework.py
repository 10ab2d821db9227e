"""The picture's framework: sections from every plugin, in order, left out when they return
None; a failing section raises in tests (and development) and, in production, is logged and
shown as not loaded while the other parts still show; the year is checked."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from jingban.core.calendar import today
from jingban.core.picture import PictureSection
from jingban.picture import services
from tests.personas import Personas

BROKEN = "tests.picture.test_framework:broken_section"
EARLY = "tests.picture.test_framework:early_section"
HIDDEN = "tests.picture.test_framework:hidden_section"


def broken_section(person, viewer, *, year):
    raise RuntimeError("a section's bug")


def early_section(person, viewer, *, year):
    return PictureSection(
        key="test.early",
        title="最先的部分",
        order=1,
        template="registry/picture/_state.html",
        context={"state": "revoked"},
        data={"year": year},
        count=1,
    )


def hidden_section(person, viewer, *, year):
    return None


@pytest.fixture
def extra_sources(monkeypatch):
    shipped = services._sources()

    def with_extra(*added: str) -> None:
        monkeypatch.setattr(services, "_sources", lambda: [*shipped, *added])

    return with_extra


def test_every_app_declares_its_sections() -> None:
    sources = services._sources()
    apps = {source.split(".")[1] for source in sources}
    assert {"registry", "enrollment", "medical", "filing", "catalogue", "ltc", "notices"} <= apps


def test_order_and_none(personas: Personas, extra_sources) -> None:
    extra_sources(EARLY, HIDDEN)
    body = personas.client("chen").get("/api/v1/picture/me").json()
    keys = [s["key"] for s in body["sections"]]
    assert keys[0] == "test.early" and keys[1] == "registry.person"
    assert body["sections"][0]["data"] == {"year": today().year}
    html = personas.client("chen").get(reverse("picture:mine")).content.decode()
    assert html.index("最先的部分") < html.index("基本信息")
    assert "已撤销" in html  # the section's own template, with its own context


def test_a_failing_section_fails_loudly_in_tests(personas: Personas, extra_sources) -> None:
    extra_sources(BROKEN)
    assert services.strict()
    with pytest.raises(RuntimeError, match="a section's bug"):
        personas.client("chen").get(reverse("picture:mine"))


def test_in_production_a_failing_section_is_logged_and_the_rest_shows(
    personas: Personas, extra_sources, monkeypatch, caplog
) -> None:
    extra_sources(BROKEN)
    monkeypatch.setattr(services, "strict", lambda: False)
    with caplog.at_level(logging.ERROR, logger="jingban.picture"):
        response = personas.client("chen").get(reverse("picture:mine"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "此部分未能加载" in html and "医疗结算" in html
    record = next(r for r in caplog.records if r.name == "jingban.picture")
    assert BROKEN in record.getMessage()
    assert "陈秀英" not in record.getMessage()  # the person's id, never their data
    body = personas.client("chen").get("/api/v1/picture/me").json()
    failed = [s for s in body["sections"] if not s["loaded"]]
    assert [s["key"] for s in failed] == [BROKEN]
    assert any(s["key"] == "medical.settlements" and s["loaded"] for s in body["sections"])


def test_the_year_is_checked(personas: Personas) -> None:
    client = personas.client("chen")
    this = today().year
    for wrong in ("1999", str(this + 2), "abc"):
        response = client.get(reverse("picture:mine"), {"year": wrong})
        assert response.status_code == 400, wrong
        assert "请选择" in response.content.decode() or "整数" in response.content.decode()
    api = client.get("/api/v1/picture/me", {"year": 1999})
    assert api.status_code == 400 and "year" in api.json()["fields"]
    assert client.get("/api/v1/picture/me", {"year": this - 1}).json()["year"] == this - 1
    page = client.get(reverse("picture:mine"), {"year": this - 1}).content.decode()
    assert f'<option value="{this - 1}" selected>' in page
