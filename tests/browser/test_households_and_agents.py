"""The household and agent journeys in Chinese, in Debian's Chromium (axe checks every page on
the way): the operator opens a household, adds a member and records an agent; the agent signs in,
finds the person under 代他人办理, and updates her phone, which is logged on her behalf."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from jingban.core.models import ActionLog
from jingban.registry import queries
from jingban.registry.models import AgentAuthorisation, Household
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def _free(personas: Personas, count: int) -> list:
    found = [
        p
        for p in personas.world.persons
        if "320500/" in p.region.path
        and p.account_id is None
        and queries.open_household_membership(p) is None
    ]
    return found[:count]


def test_operator_opens_a_household_and_records_an_agent(
    live_server, page: Page, personas: Personas
) -> None:
    head, member = _free(personas, 2)
    base = live_server.url
    sign_in(page, base, "wang", personas.world.passwords["wang"])
    page.goto(f"{base}/persons/{head.pk}/")
    page.get_by_role("link", name="以该人员为户主建立家庭户").click()
    page.get_by_role("button", name="保存").click()
    household = Household.objects.get(members__person=head)
    expect(page.locator("h1")).to_contain_text(household.number)
    page.get_by_label("成员证件号码").fill(member.document_number)
    page.get_by_label("与户主关系").select_option("child")
    page.get_by_role("button", name="添加").click()
    expect(page.locator("table.data")).to_contain_text(member.name)
    assert queries.open_household_membership(member).household == household  # type: ignore[union-attr]

    page.goto(f"{base}/persons/{head.pk}/agents/new/")
    # The agent is named as on the letter: by name (or document number), not a user name.
    page.get_by_label("代办人证件号码或姓名").fill(personas.own_person.name)
    page.get_by_label("查询参保人信息及参保情况").check()
    page.get_by_label("授权依据").fill("授权委托书 2026-009")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("table.data:not(.action-log)").last).to_contain_text("有效")
    assert AgentAuthorisation.objects.filter(person=head, agent__username="chen").exists()


def test_agent_acts_for_the_neighbour_and_it_is_logged(
    live_server, page: Page, personas: Personas
) -> None:
    base = live_server.url
    sign_in(page, base, "chen", personas.world.passwords["chen"])
    page.get_by_role("link", name="代他人办理").first.click()
    neighbour = AgentAuthorisation.objects.get(agent__username="chen").person
    page.get_by_role("link", name=neighbour.name).click()
    expect(page.locator("h1")).to_contain_text(neighbour.name)
    page.get_by_role("link", name=re.compile("变更联系电话")).click()
    # The phone on record is not in the form: the field starts empty, the number masked.
    expect(page.get_by_label("联系电话", exact=True)).to_have_value("")
    page.get_by_label("联系电话", exact=True).fill("13955556666")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text(neighbour.name)
    neighbour.refresh_from_db()
    assert neighbour.phone == "13955556666"
    entry = ActionLog.objects.get(action="registry.person.contact_updated")
    assert entry.actor_name == "chen"
    assert entry.on_behalf_of == f"registry.person:{neighbour.pk}"
