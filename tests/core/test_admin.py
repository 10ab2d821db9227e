"""The reference-data admin at /admin/: only the reference administrator gets in, it speaks
Chinese, every add, change and delete writes exactly one action row, and what is in use or
invalid is refused without writing anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from jingban.core.admin_site import site
from jingban.core.models import (
    ActionLog,
    CalendarYear,
    Holiday,
    Organisation,
    Region,
    Scheme,
    ServiceWindow,
)
from jingban.core.roles import Cap
from jingban.core.services.calendar import seed_from_chinese_calendar
from jingban.registry.models import GroupMembership, SpecialGroup
from jingban.registry.services import add_membership
from tests.personas import Personas

OTHER_ROLES = ["wang", "sun", "li", "zhao", "kangning", "zhou", "chen", "qian"]
MODELS = [
    "core/region",
    "core/organisation",
    "core/scheme",
    "core/holiday",
    "core/calendaryear",
    "registry/specialgroup",
]


@pytest.fixture
def world(personas: Personas) -> Personas:
    seed_from_chinese_calendar([2025], acting_user=None)
    return personas


@pytest.fixture
def admin_client(world: Personas) -> Client:
    return world.client("admin")


class LogWatch:
    """The action rows written since it was made."""

    def __init__(self) -> None:
        self.last = ActionLog.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def rows(self) -> list[ActionLog]:
        return list(ActionLog.objects.filter(id__gt=self.last).order_by("id"))

    def one(self) -> ActionLog:
        rows = self.rows()
        assert len(rows) == 1, [r.action for r in rows]
        return rows[0]


def admin_url(name: str, *args: object) -> str:
    return reverse(f"admin:{name}", args=args)


# --- Who gets in ---------------------------------------------------------------------------


def _admin_routes(world: Personas) -> dict[str, str]:
    """Every route of the admin, each with a URL to call it: objects that exist, a real app."""
    resolver = next(
        e
        for e in get_resolver().url_patterns
        if isinstance(e, URLResolver) and e.namespace == "admin"
    )
    region = Region.objects.get(code="320505")
    routes: dict[str, str] = {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):  # one model's views
            prefix = str(entry.pattern)
            model = apps.get_model(*prefix.strip("/").split("/"))
            pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            assert pk is not None, prefix
            for view in entry.url_patterns:
                assert isinstance(view, URLPattern)
                route = str(view.pattern).replace("<path:object_id>", str(pk))
                routes[f"{prefix}{view.name or 'redirect'}"] = f"/admin/{prefix}{route}"
            continue
        assert isinstance(entry, URLPattern)
        if entry.name == "app_list":
            routes["app_list"] = admin_url("app_list", "core")
        elif entry.name == "view_on_site":
            content_type = ContentType.objects.get_for_model(Region)
            routes["view_on_site"] = admin_url("view_on_site", content_type.pk, region.pk)
        elif entry.name == "autocomplete":
            routes["autocomplete"] = (
                admin_url("autocomplete")
                + "?app_label=core&model_name=organisation&field_name=region&term=苏州"
            )
        elif entry.name is None:  # the final catch-all
            routes["catch_all"] = "/admin/no-such-page/"
        else:
            routes[entry.name] = admin_url(entry.name)
    return routes


def _admin_expects(key: str) -> int:
    special = {
        "login": 302,  # on to our sign-in page, which sends a signed-in user straight back
        "logout": 405,  # POST only
        "view_on_site": 404,  # reference data has no page of its own on the site
        "catch_all": 404,
    }
    if key in special:
        return special[key]
    return 302 if key.endswith("redirect") else 200


def test_every_admin_route_is_for_the_reference_administrator_only(world: Personas) -> None:
    routes = _admin_routes(world)
    # Six models, each with its changelist, add, change, delete, history and redirect views.
    assert sum(1 for key in routes if "/" in key) == len(MODELS) * 6
    assert {key.rsplit("/", 1)[0] + "/" for key in routes if "/" in key} == {
        f"{m}/" for m in MODELS
    }
    admin = world.client("admin")
    failures = []
    for key, url in routes.items():
        status = admin.get(url).status_code
        if status != _admin_expects(key):
            failures.append(("admin", key, status))
    for role in OTHER_ROLES:
        assert not world.user(role).can(Cap.REFERENCE_ADMIN)
        client = world.client(role)
        for key, url in routes.items():
            response = client.get(url)
            expected = 302 if key == "login" else 403
            if response.status_code != expected:
                failures.append((role, key, response.status_code))
            elif expected == 302:
                assert response["Location"].startswith(reverse("core:login"))
    anonymous = Client()
    for key, url in routes.items():
        response = anonymous.get(url)
        if response.status_code != 302 or not response["Location"].startswith(
            reverse("core:login")
        ):
            failures.append(("anonymous", key, response.status_code))
    assert not failures, failures


def test_a_refused_post_changes_nothing(world: Personas) -> None:
    watch = LogWatch()
    holiday = Holiday.objects.order_by("date").first()
    assert holiday is not None
    response = world.client("wang").post(
        admin_url("core_holiday_delete", holiday.pk), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    assert watch.rows() == []


def test_an_inactive_administrator_is_refused(world: Personas) -> None:
    client = world.client("admin")
    admin = world.user("admin")
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    response = client.get(admin_url("index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_the_admin_is_in_chinese_with_our_header(admin_client: Client) -> None:
    page = admin_client.get(admin_url("index")).content.decode()
    assert '<html lang="zh-hans"' in page
    assert "欢迎，" in page and "修改密码" in page  # Django's own strings, from its catalog
    # Its odd or untranslated phrases in our wording; the greeting by name, not login name.
    assert "退出登录" in page and "注销" not in page
    assert "<strong>系统管理员</strong>" in page
    assert "最近操作" in page and "最近动作" not in page
    for english in ("Model name", "Add link", "Change or view list link"):
        assert english not in page
    assert "在应用程序" not in page and "无可选的" not in page
    assert "行政区划" in page and "节假日" in page and "特殊群体" in page  # our verbose names
    with translation.override("zh-hans"):
        assert str(site.site_header) in page
    for model in MODELS:
        app, name = model.split("/")
        changelist = admin_client.get(admin_url(f"{app}_{name}_changelist")).content.decode()
        assert "选择要修改的" in changelist and "来修改" not in changelist, model
        add = admin_client.get(admin_url(f"{app}_{name}_add")).content.decode()
        assert "保存" in add and "新增" in add and "增加 " not in add, model
    groups = admin_client.get(admin_url("registry_specialgroup_changelist")).content.decode()
    assert "城乡居民基本医疗保险" in groups or "居民" in groups
    assert "resident_medical" not in groups


def test_navigation_links_to_the_admin_only_for_the_capability(world: Personas) -> None:
    link = f'href="{admin_url("index")}"'
    assert link in world.client("admin").get(reverse("core:home")).content.decode()
    for role in OTHER_ROLES:
        assert link not in world.client(role).get(reverse("core:home")).content.decode(), role


def test_the_admins_own_sign_in_goes_to_ours(world: Personas) -> None:
    response = Client().get(admin_url("login") + "?next=/admin/core/region/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2Fcore%2Fregion%2F"


# --- Holidays: through the calendar services -------------------------------------------------


def test_holiday_add_change_delete_write_one_row_each(
    admin_client: Client, world: Personas
) -> None:
    admin = world.user("admin")
    watch = LogWatch()
    response = admin_client.post(
        admin_url("core_holiday_add"),
        {"date": "2025-03-03", "kind": "holiday", "name": "测试假日"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    holiday = Holiday.objects.get(date=dt.date(2025, 3, 3))
    row = watch.one()
    assert (row.action, row.actor, row.object_id) == ("core.calendar.day_set", admin, "2025-03-03")
    assert (row.before, row.after) == (None, {"kind": "holiday", "name": "测试假日"})

    watch = LogWatch()
    response = admin_client.post(
        admin_url("core_holiday_change", holiday.pk),
        {"date": "2025-03-10", "kind": "holiday", "name": "改名"},  # the date is read-only
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert (holiday.date, holiday.name) == (dt.date(2025, 3, 3), "改名")
    row = watch.one()
    assert row.action == "core.calendar.day_set" and row.actor == admin
    assert row.before == {"kind": "holiday", "name": "测试假日"}
    assert row.after == {"kind": "holiday", "name": "改名"}

    watch = LogWatch()
    response = admin_client.post(admin_url("core_holiday_delete", holiday.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    row = watch.one()
    assert row.action == "core.calendar.day_removed" and row.actor == admin
    assert row.before == {"kind": "holiday", "name": "改名"} and row.after is None


def test_holiday_bulk_delete_logs_each_day(admin_client: Client) -> None:
    days = list(Holiday.objects.filter(date__year=2025).order_by("date")[:3])
    watch = LogWatch()
    response = admin_client.post(
        admin_url("core_holiday_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Holiday.objects.filter(pk__in=[d.pk for d in days]).exists()
    rows = watch.rows()
    assert [r.action for r in rows] == ["core.calendar.day_removed"] * 3
    assert sorted(r.object_id for r in rows) == sorted(d.date.isoformat() for d in days)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        # 2025-01-01 is already in the table (seeded): the unique date is refused.
        ({"date": "2025-01-01", "kind": "holiday", "name": "重复"}, "date", "已存在"),
        # The service's rules, reached through the admin form.
        ({"date": "2025-03-05", "kind": "workday", "name": ""}, "kind", "周六或周日"),
        ({"date": "2031-03-05", "kind": "holiday", "name": ""}, "date", "2031"),
    ],
)
def test_bad_holiday_shows_field_error_and_writes_nothing(
    admin_client: Client, data: dict[str, str], field: str, message: str
) -> None:
    count = Holiday.objects.count()
    watch = LogWatch()
    response = admin_client.post(admin_url("core_holiday_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert Holiday.objects.count() == count
    assert watch.rows() == []


def test_calendar_year_goes_through_the_service_and_one_in_use_stays(
    admin_client: Client, world: Personas
) -> None:
    watch = LogWatch()
    response = admin_client.post(
        admin_url("core_calendaryear_add"), {"year": "2031", "source": "国务院办公厅通知"}
    )
    assert response.status_code == 302
    row = watch.one()
    assert row.action == "core.calendar.year_added" and row.actor == world.user("admin")
    assert row.after == {"year": 2031, "source": "国务院办公厅通知"}

    watch = LogWatch()
    response = admin_client.post(admin_url("core_calendaryear_add"), {"year": "1999"})
    assert response.status_code == 200
    assert "year" in response.context["adminform"].form.errors
    assert watch.rows() == []

    response = admin_client.post(admin_url("core_calendaryear_delete", 2025), {"post": "yes"})
    assert response.status_code == 200 and "无法删除" in response.content.decode()
    assert CalendarYear.objects.filter(year=2025).exists() and watch.rows() == []

    # The year is fixed once covered; its source note can be corrected (no service for that).
    response = admin_client.post(
        admin_url("core_calendaryear_change", 2031), {"year": "2032", "source": "国办发明电"}
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2031).source == "国办发明电"
    assert not CalendarYear.objects.filter(year=2032).exists()
    row = watch.one()
    assert (row.action, row.object_type, row.object_id) == (
        "admin.core.calendar_year.change",
        "core.calendar_year",
        "2031",
    )
    assert (row.before, row.after) == ({"source": "国务院办公厅通知"}, {"source": "国办发明电"})

    watch = LogWatch()
    response = admin_client.post(admin_url("core_calendaryear_delete", 2031), {"post": "yes"})
    assert response.status_code == 302
    row = watch.one()
    assert row.action == "admin.core.calendar_year.delete"
    assert row.before == {"year": 2031, "source": "国办发明电"}


# --- Organisations, with their service windows ------------------------------------------------


def _organisation_form(
    region: Region, windows: list[dict[str, Any]], initial: int = 0, **fields: object
) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "care_institution",
        "region": region.pk,
        "windows-TOTAL_FORMS": len(windows),
        "windows-INITIAL_FORMS": initial,
        "windows-MIN_NUM_FORMS": 0,
        "windows-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for i, window in enumerate(windows):
        for key, value in window.items():
            data[f"windows-{i}-{key}"] = value
    return data


def test_organisation_add_change_delete_write_one_row_each(
    admin_client: Client, world: Personas
) -> None:
    admin = world.user("admin")
    wuzhong = Region.objects.get(code="320506")
    window = {
        "name": "颐养院服务台",
        "region": wuzhong.pk,
        "address": "木渎镇示例路9号",
        "phone": "0512-11112222",
        "opening_hours": "9:00–17:00",
    }
    watch = LogWatch()
    response = admin_client.post(
        admin_url("core_organisation_add"),
        _organisation_form(wuzhong, [window], code="SZ-CARE-YY", name="颐养护理院"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    org = Organisation.objects.get(code="SZ-CARE-YY")
    row = watch.one()
    assert (row.action, row.actor) == ("admin.core.organisation.add", admin)
    assert (row.object_type, row.object_id) == ("core.organisation", str(org.pk))
    assert row.region_path == wuzhong.path
    assert row.before is None
    window_pk = org.windows.get().pk
    assert row.after == {
        "code": "SZ-CARE-YY",
        "name": "颐养护理院",
        "kind": "care_institution",
        "region": "320506",
        "hospital_level": None,
        "schemes": [],
        "windows": [{"id": window_pk, **window, "region": "320506"}],
    }

    watch = LogWatch()
    changed = {**window, "id": window_pk, "organisation": org.pk, "phone": "0512-33334444"}
    response = admin_client.post(
        admin_url("core_organisation_change", org.pk),
        _organisation_form(wuzhong, [changed], initial=1, code="CHANGED", name="颐养护理院（新）"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    org.refresh_from_db()
    assert (org.code, org.name) == ("SZ-CARE-YY", "颐养护理院（新）")  # the code is fixed
    row = watch.one()
    assert row.action == "admin.core.organisation.change" and row.actor == admin
    assert set(row.before) == set(row.after) == {"name", "windows"}
    assert (row.before["name"], row.after["name"]) == ("颐养护理院", "颐养护理院（新）")
    assert row.before["windows"][0]["phone"] == "0512-11112222"
    assert row.after["windows"][0]["phone"] == "0512-33334444"

    watch = LogWatch()
    # Saving the form unchanged changes nothing and logs nothing.
    response = admin_client.post(
        admin_url("core_organisation_change", org.pk),
        _organisation_form(wuzhong, [changed], initial=1, name="颐养护理院（新）"),
    )
    assert response.status_code == 302
    assert watch.rows() == []

    response = admin_client.post(admin_url("core_organisation_delete", org.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=org.pk).exists()
    assert not ServiceWindow.objects.filter(pk=window_pk).exists()
    row = watch.one()
    assert row.action == "admin.core.organisation.delete" and row.actor == admin
    assert row.after is None and row.before is not None
    assert row.before["code"] == "SZ-CARE-YY" and len(row.before["windows"]) == 1


def test_organisation_rules_are_field_errors(admin_client: Client) -> None:
    wuzhong = Region.objects.get(code="320506")
    ltc = Scheme.objects.get(code="ltc")
    watch = LogWatch()
    response = admin_client.post(
        admin_url("core_organisation_add"),
        _organisation_form(wuzhong, [], code="X-1", name="X", schemes=[ltc.pk], hospital_level="2"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"schemes", "hospital_level"}
    assert not Organisation.objects.filter(code="X-1").exists()
    assert watch.rows() == []


def test_an_organisation_in_use_is_not_deleted(admin_client: Client) -> None:
    org = Organisation.objects.get(code="SZ-CARE-KN")  # kangning and zhou work there
    watch = LogWatch()
    response = admin_client.post(admin_url("core_organisation_delete", org.pk), {"post": "yes"})
    assert response.status_code == 200 and "无法删除" in response.content.decode()
    assert Organisation.objects.filter(pk=org.pk).exists() and org.windows.count() == 2
    assert watch.rows() == []


# --- Regions -------------------------------------------------------------------------------


def test_region_add_and_rename_keep_the_path(admin_client: Client, world: Personas) -> None:
    huqiu = Region.objects.get(code="320505")
    watch = LogWatch()
    response = admin_client.post(
        admin_url("core_region_add"),
        {"code": "320505002", "name": "枫桥街道", "level": "town", "parent": huqiu.pk},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    town = Region.objects.get(code="320505002")
    assert town.path == "320000/320500/320505/320505002/"
    row = watch.one()
    assert row.action == "admin.core.region.add" and row.actor == world.user("admin")
    assert row.region_path == town.path
    assert row.after == {
        "code": "320505002",
        "name": "枫桥街道",
        "level": "town",
        "parent": "320505",
        "path": town.path,
    }

    # Code, level and parent are read-only once the region exists: a posted change is ignored.
    nanjing = Region.objects.get(code="320100")
    watch = LogWatch()
    response = admin_client.post(
        admin_url("core_region_change", town.pk),
        {"code": "320102009", "name": "枫桥街道（新）", "level": "village", "parent": nanjing.pk},
    )
    assert response.status_code == 302
    town.refresh_from_db()
    assert (town.code, town.level, town.parent_id) == ("320505002", "town", huqiu.pk)
    assert town.path == "320000/320500/320505/320505002/"
    row = watch.one()
    assert row.action == "admin.core.region.change"
    assert (row.before, row.after) == ({"name": "枫桥街道"}, {"name": "枫桥街道（新）"})

    watch = LogWatch()
    assert (
        admin_client.post(admin_url("core_region_delete", town.pk), {"post": "yes"}).status_code
        == 302
    )
    row = watch.one()
    assert row.action == "admin.core.region.delete" and row.before["code"] == "320505002"
    assert row.region_path == "320000/320500/320505/320505002/"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "32050A", "level": "county"}, "code"),  # not digits
        ({"code": "3205070", "level": "county"}, "code"),  # seven digits
        ({"code": "330507", "level": "county"}, "code"),  # not under Suzhou (3205…)
        ({"code": "320507", "level": "county", "parent": None}, "parent"),  # no parent
        ({"code": "320507001", "level": "town", "parent": "320000"}, "parent"),  # not 320507
        ({"code": "320505001001", "level": "village", "parent": "320505"}, "parent"),
        ({"code": "320505", "level": "county"}, "code"),  # exists already
    ],
)
def test_invalid_region_is_a_field_error(
    admin_client: Client, data: dict[str, Any], field: str
) -> None:
    parent_code = data.pop("parent", "320500")
    parent = Region.objects.get(code=parent_code) if parent_code else None
    form = {"name": "新区", **data, "parent": parent.pk if parent else ""}
    count = Region.objects.count()
    watch = LogWatch()
    response = admin_client.post(admin_url("core_region_add"), form)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors, response.context[
        "adminform"
    ].form.errors
    assert Region.objects.count() == count
    assert watch.rows() == []


def test_a_region_in_use_is_not_deleted(admin_client: Client) -> None:
    huqiu = Region.objects.get(code="320505")  # towns, a hospital, persons
    count = Region.objects.count()
    watch = LogWatch()
    response = admin_client.post(admin_url("core_region_delete", huqiu.pk), {"post": "yes"})
    assert response.status_code == 200 and "无法删除" in response.content.decode()
    response = admin_client.post(
        admin_url("core_region_changelist"),
        {"action": "delete_selected", "_selected_action": [huqiu.pk], "post": "yes"},
    )
    assert response.status_code == 200 and "无法删除" in response.content.decode()
    assert Region.objects.count() == count
    assert watch.rows() == []


# --- Schemes and special groups ---------------------------------------------------------------


def test_a_scheme_named_only_by_an_insurer_is_in_use(admin_client: Client) -> None:
    scheme = Scheme.objects.create(code="extra", kind="supplementary", name_zh="附加", name_en="X")
    Organisation.objects.get(code="SZ-INS-HMB").schemes.add(scheme)
    watch = LogWatch()
    response = admin_client.post(admin_url("core_scheme_delete", scheme.pk), {"post": "yes"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "无法删除" in page and "示例人寿保险股份有限公司苏州分公司" in page
    assert Scheme.objects.filter(pk=scheme.pk).exists() and watch.rows() == []


def test_special_group_add_change_delete_write_one_row_each(
    admin_client: Client, world: Personas
) -> None:
    admin = world.user("admin")
    watch = LogWatch()
    data = {
        "code": "orphan",
        "name_zh": "孤儿",
        "name_en": "Orphans",
        "tier": "core",
        "scheme_kinds": "resident_medical,ltc",
    }
    response = admin_client.post(admin_url("registry_specialgroup_add"), data)
    assert response.status_code == 302
    group = SpecialGroup.objects.get(code="orphan")
    assert group.scheme_kinds == ["resident_medical", "ltc"]
    row = watch.one()
    assert (row.action, row.actor) == ("admin.registry.special_group.add", admin)
    assert (row.object_type, row.object_id) == ("registry.special_group", str(group.pk))
    # The admin's log keeps a list as its text.
    logged = {**data, "scheme_kinds": str(["resident_medical", "ltc"])}
    assert (row.before, row.after, row.region_path) == (None, logged, "")

    watch = LogWatch()
    response = admin_client.post(
        admin_url("registry_specialgroup_change", group.pk), {**data, "tier": "other"}
    )
    assert response.status_code == 302
    row = watch.one()
    assert row.action == "admin.registry.special_group.change"
    assert (row.before, row.after) == ({"tier": "core"}, {"tier": "other"})

    watch = LogWatch()
    response = admin_client.post(
        admin_url("registry_specialgroup_delete", group.pk), {"post": "yes"}
    )
    assert response.status_code == 302 and not SpecialGroup.objects.filter(pk=group.pk).exists()
    row = watch.one()
    assert row.action == "admin.registry.special_group.delete"
    assert (row.before, row.after) == ({**logged, "tier": "other"}, None)


def test_special_group_bulk_delete_logs_each_and_refuses_one_in_use(
    admin_client: Client, world: Personas
) -> None:
    groups = [
        SpecialGroup.objects.create(code=f"g{i}", name_zh=f"组{i}", name_en=f"G{i}", tier="other")
        for i in range(2)
    ]
    watch = LogWatch()
    response = admin_client.post(
        admin_url("registry_specialgroup_changelist"),
        {"action": "delete_selected", "_selected_action": [g.pk for g in groups], "post": "yes"},
    )
    assert response.status_code == 302
    rows = watch.rows()
    assert [r.action for r in rows] == ["admin.registry.special_group.delete"] * 2
    assert sorted(r.before["code"] for r in rows) == ["g0", "g1"]
    assert not SpecialGroup.objects.filter(code__in=["g0", "g1"]).exists()

    add_membership(
        world.in_scope_person,
        group_code="tekun",
        valid_from=dt.date(2025, 1, 1),
        valid_to=None,
        acting_user=world.user("admin"),
    )
    tekun = SpecialGroup.objects.get(code="tekun")
    watch = LogWatch()
    response = admin_client.post(
        admin_url("registry_specialgroup_changelist"),
        {"action": "delete_selected", "_selected_action": [tekun.pk], "post": "yes"},
    )
    assert response.status_code == 200 and "无法删除" in response.content.decode()
    assert SpecialGroup.objects.filter(pk=tekun.pk).exists()
    assert GroupMembership.objects.filter(group=tekun).exists()
    assert watch.rows() == []


def test_own_password_change_is_logged(admin_client: Client, world: Personas) -> None:
    admin = world.user("admin")
    watch = LogWatch()
    response = admin_client.post(
        admin_url("password_change"),
        {
            "old_password": world.world.passwords["admin"],
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    row = watch.one()
    assert (row.action, row.actor, row.object_id) == (
        "core.user.password_changed",
        admin,
        str(admin.pk),
    )
    admin.refresh_from_db()
    assert admin.check_password("a-new-long-passphrase-42")
