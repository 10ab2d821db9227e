"""The routing rules the bureau edits: a new rule changes where the next case goes (the rule of
the nearest region wins), bad rules are refused on their field with nothing stored, each change
is logged, and an operator edits only the rules of his own region subtree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jingban.core.errors import Forbidden, NotFound, ValidationFailed
from jingban.core.models import ActionLog, Organisation, Region
from jingban.desk import queries, services
from jingban.desk.models import CaseKind, Category, Channel, RoutingRule
from tests.personas import Personas


def _filing(region: Region, category: str = Category.SERVICE) -> services.Filing:
    return services.Filing(
        kind=CaseKind.COMPLAINT,
        channel=Channel.WALK_IN,
        category=category,
        region=region,
        text="窗口办事等待时间过长。",
        name="李明",
        document="320505198203151234",
        phone="13812345678",
    )


def _org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def _region(code: str) -> Region:
    return Region.objects.get(code=code)


def test_a_new_rule_changes_where_the_next_case_goes_and_the_nearest_region_wins(
    personas: Personas,
) -> None:
    wang = personas.user("wang")
    county, other = _region("320505"), _region("320506")
    before = services.receive(_filing(county), acting_user=None).case
    assert before.organisation == _org("SZ-YBJ")  # the city's rule
    rule = services.add_rule(Category.SERVICE, county, _org("SZ-INS-LTC"), acting_user=wang)
    after = services.receive(_filing(county), acting_user=None).case
    assert after.organisation == _org("SZ-INS-LTC")  # the county's own rule wins
    # Another county still follows the city's rule, and the case received before keeps its own.
    assert services.receive(_filing(other), acting_user=None).case.organisation == _org("SZ-YBJ")
    before.refresh_from_db()
    assert before.organisation == _org("SZ-YBJ")
    # Changed back to the bureau, then deleted: the city's rule applies again.
    services.edit_rule(rule, Category.SERVICE, county, _org("SZ-YBJ"), acting_user=wang)
    services.delete_rule(rule, acting_user=wang)
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()
    assert services.receive(_filing(county), acting_user=None).case.organisation == _org("SZ-YBJ")
    entries = list(
        ActionLog.objects.filter(object_type="desk.routing_rule", object_id=str(rule.pk))
        .order_by("id")
        .values_list("action", "before", "after")
    )
    assert [e[0] for e in entries] == [
        "desk.routing.added",
        "desk.routing.changed",
        "desk.routing.deleted",
    ]
    assert entries[0][2] == {
        "category": "service",
        "region": "320505",
        "organisation": "SZ-INS-LTC",
    }
    assert entries[1][1]["organisation"] == "SZ-INS-LTC"
    assert entries[1][2]["organisation"] == "SZ-YBJ"
    assert entries[2][1]["region"] == "320505"


def _refused(field: str, *args: object, **kwargs: object) -> None:
    count = RoutingRule.objects.count()
    with pytest.raises(ValidationFailed) as raised:
        services.add_rule(*args, **kwargs)  # type: ignore[arg-type]
    assert field in raised.value.fields, raised.value.fields
    assert RoutingRule.objects.count() == count


def test_bad_rules_are_refused_on_their_field_and_nothing_is_stored(personas: Personas) -> None:
    wang, admin = personas.user("wang"), personas.user("admin")
    county = _region("320505")
    unsaved = Region(code="999999", name="无此地", path="999999/")
    _refused("region", Category.SERVICE, None, _org("SZ-YBJ"), acting_user=wang)
    _refused("region", Category.SERVICE, unsaved, _org("SZ-YBJ"), acting_user=admin)
    _refused("category", "weather", county, _org("SZ-YBJ"), acting_user=wang)
    # A care institution does not handle complaints: only the bureau or an insurer.
    _refused("organisation", Category.SERVICE, county, _org("SZ-CARE-KN"), acting_user=wang)
    # Nanjing's bureau does not work in Suzhou.
    _refused("organisation", Category.SERVICE, county, _org("NJ-YBJ"), acting_user=admin)
    # The city already has a rule for every category.
    _refused("region", Category.SERVICE, _region("320500"), _org("SZ-YBJ"), acting_user=wang)
    # Outside wang's region.
    _refused("region", Category.SERVICE, _region("320102"), _org("NJ-YBJ"), acting_user=wang)
    # A change to a duplicate is refused too, and the rule is left as it was.
    rule = services.add_rule(Category.SERVICE, county, _org("SZ-YBJ"), acting_user=wang)
    with pytest.raises(ValidationFailed) as raised:
        services.edit_rule(
            rule, Category.SERVICE, _region("320500"), _org("SZ-YBJ"), acting_user=wang
        )
    assert "region" in raised.value.fields
    rule.refresh_from_db()
    assert rule.region == county
    assert not ActionLog.objects.filter(action="desk.routing.changed").exists()


def test_who_edits_the_rules(personas: Personas) -> None:
    county = _region("320505")
    for name in ("sun", "zhao", "qian", "kangning", "chen"):
        with pytest.raises(Forbidden):
            services.add_rule(
                Category.SERVICE, county, _org("SZ-YBJ"), acting_user=personas.user(name)
            )
    nanjing = services.add_rule(
        Category.SERVICE, _region("320102"), _org("NJ-YBJ"), acting_user=personas.user("admin")
    )
    wang = personas.user("wang")
    assert nanjing not in queries.rules_for(wang)
    with pytest.raises(NotFound):
        queries.rule_for(wang, nanjing.pk)
    assert nanjing in queries.rules_for(personas.user("admin"))


def test_the_pages_add_and_delete_a_rule_after_confirmation(personas: Personas) -> None:
    client = personas.client("wang")
    listing = client.get(reverse("desk:rule_list")).content.decode()
    # Labels, not codes: the demo routes long-term care in Suzhou to the insurer.
    assert "长期护理" in listing and "示例健康保险股份有限公司苏州分公司" in listing
    assert "SZ-YBJ" not in listing and ">ltc<" not in listing
    response = client.post(
        reverse("desk:rule_new"),
        {
            "category": Category.LTC,
            "region": _region("320506").pk,
            "organisation": _org("SZ-CARE-KN").pk,
        },
    )
    assert response.status_code == 400  # not an offered choice: refused on the field
    assert not RoutingRule.objects.filter(region__code="320506").exists()
    response = client.post(
        reverse("desk:rule_new"),
        {
            "category": Category.LTC,
            "region": _region("320506").pk,
            "organisation": _org("SZ-YBJ").pk,
        },
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get(region__code="320506", category=Category.LTC)
    confirm = client.get(reverse("desk:rule_delete", args=[rule.pk]))
    assert confirm.status_code == 200 and RoutingRule.objects.filter(pk=rule.pk).exists()
    assert client.post(reverse("desk:rule_delete", args=[rule.pk])).status_code == 302
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()


def test_the_log_names_a_rule_and_links_it_while_it_exists(personas: Personas) -> None:
    from django.utils import translation

    from jingban.core.actionlog.sentences import sentences

    wang, zhao = personas.user("wang"), personas.user("zhao")
    rule = services.add_rule(Category.LTC, _region("320505"), _org("SZ-YBJ"), acting_user=wang)
    entry = ActionLog.objects.get(action="desk.routing.added", object_id=str(rule.pk))
    with translation.override("zh-hans"):
        shown = sentences([entry], wang)[entry.pk]
        assert shown.action == "新增了投诉举报转办规则"
        assert shown.object is not None and shown.object.text == "长期护理 · 虎丘区"
        assert shown.object.url == reverse("desk:rule_edit", args=[rule.pk])
        # The auditor reads the log but does not edit rules: no link for him.
        auditor_view = sentences([entry], zhao)[entry.pk].object
        assert auditor_view is not None and auditor_view.url is None
        services.delete_rule(rule, acting_user=wang)
        gone = sentences([entry], wang)[entry.pk].object
        assert gone is not None and gone.url is None and gone.text == ""


def test_a_case_is_routed_only_to_the_bureau_or_an_insurer(personas: Personas) -> None:
    case = services.receive(_filing(_region("320505")), acting_user=None).case
    with pytest.raises(ValidationFailed) as raised:
        services.reroute(case, _org("SZ-CARE-KN"), acting_user=personas.user("wang"), reason="x")
    assert "organisation" in raised.value.fields
    case.refresh_from_db()
    assert case.organisation == _org("SZ-YBJ")
