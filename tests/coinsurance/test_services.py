"""Panels and statements: a panel's rules (shares add up to exactly 100 %, each above zero,
one chief, no insurer twice; nothing stored when refused), the panel in force on each item's
day, the golden statement of 11 insurers, conservation, versions and the monthly job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from jingban.coinsurance import services
from jingban.coinsurance.models import Panel, PanelMember, Statement, StatementLine, StatementRun
from jingban.core.errors import Forbidden, ValidationFailed
from jingban.core.models import ActionLog
from tests.coinsurance.helpers import CODES, PRODUCT, FixedProvider, eleven_panel
from tests.personas import Personas

JAN = dt.date(2026, 1, 1)


def _panel(members: list[tuple[str, str, bool]], day: dt.date = JAN) -> Panel:
    return services.create_panel(
        services.PanelInput(PRODUCT, day, [services.MemberInput(*m) for m in members]),
        acting_user=None,
    )


def _refused(members: list[tuple[str, str, bool]]) -> dict[str, list[str]]:
    panels, members_before = Panel.objects.count(), PanelMember.objects.count()
    logged = ActionLog.objects.count()
    # In English: the Chinese texts are the pages' tests'.
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        _panel(members)
    assert (Panel.objects.count(), PanelMember.objects.count()) == (panels, members_before)
    assert ActionLog.objects.count() == logged
    with translation.override("en"):
        return {name: [str(m) for m in msgs] for name, msgs in caught.value.fields.items()}


@pytest.mark.usefixtures("personas")
def test_shares_not_adding_up_to_100_are_refused_naming_the_field(provider: FixedProvider) -> None:
    fields = _refused([("JS-INS-01", "60", True), ("JS-INS-02", "39.9999", False)])
    assert fields == {"members": ["The shares add up to 99.9999 %, not 100 %."]}
    fields = _refused([("JS-INS-01", "60", True), ("JS-INS-02", "40.0001", False)])
    assert fields == {"members": ["The shares add up to 100.0001 %, not 100 %."]}


@pytest.mark.usefixtures("personas")
def test_a_share_must_be_above_zero_with_four_decimals_at_most(provider: FixedProvider) -> None:
    fields = _refused([("JS-INS-01", "100", True), ("JS-INS-02", "0", False)])
    assert fields == {"share_2": ["Row 2: a share is above 0 % and at most 100 %."]}
    fields = _refused([("JS-INS-01", "99.99995", True), ("JS-INS-02", "0.00005", False)])
    assert set(fields) == {"share_1", "share_2"}
    fields = _refused([("JS-INS-01", "abc", True)])
    assert fields == {"share_1": ["Row 1: enter the share in percent."]}


@pytest.mark.usefixtures("personas")
def test_one_chief_no_insurer_twice_and_only_insurers(provider: FixedProvider) -> None:
    assert _refused([("JS-INS-01", "50", True), ("JS-INS-02", "50", True)]) == {
        "chief": ["Choose exactly one chief insurer."]
    }
    assert _refused([("JS-INS-01", "50", False), ("JS-INS-02", "50", False)]) == {
        "chief": ["Choose exactly one chief insurer."]
    }
    fields = _refused([("JS-INS-01", "50", True), ("JS-INS-01", "50", False)])
    assert fields == {
        "insurer_2": ["Row 2: 示例人寿保险股份有限公司江苏省分公司 is on the panel twice."]
    }
    # A hospital is not an insurer.
    assert _refused([("SZ-HOSP-1", "100", True)]) == {"insurer_1": ["Row 1: choose an insurer."]}
    assert _refused([]) == {"members": ["Add at least one insurer."]}


def test_only_an_administrator_sets_up_a_panel(personas: Personas, provider: FixedProvider) -> None:
    with pytest.raises(Forbidden):
        services.create_panel(
            services.PanelInput(PRODUCT, JAN, [services.MemberInput("JS-INS-01", "100", True)]),
            acting_user=personas.user("wang"),
        )
    panel = services.create_panel(
        services.PanelInput(PRODUCT, JAN, [services.MemberInput("JS-INS-01", "100", True)]),
        acting_user=personas.user("admin"),
    )
    entry = ActionLog.objects.get(action="coinsurance.panel.created", object_id=str(panel.pk))
    assert entry.after["members"] == [{"insurer": "JS-INS-01", "share": "100", "chief": True}]


@pytest.mark.usefixtures("personas")
def test_the_golden_statement_of_eleven_insurers(provider: FixedProvider) -> None:
    """Fixed items of January 2026 → fixed parts (fen) per insurer, in the demo's panel order:
    30, 12, 9.5, 8, 7.5, 7, 6.5, 6, 5.25, 4.75, 3.5 %."""
    eleven_panel()
    provider.add("premium", "premium:1", dt.date(2026, 1, 3), 10000)
    provider.add("premium", "premium:2", dt.date(2026, 1, 4), 1)
    provider.add("premium", "premium:3", dt.date(2026, 1, 5), 0)
    provider.add("premium", "premium:4", dt.date(2026, 1, 6), -10000)  # a refund
    provider.add("premium", "premium:5", dt.date(2026, 1, 7), 123457)
    provider.add("claim", "claim:1", dt.date(2026, 1, 8), 33333)
    provider.add("claim", "claim:2", dt.date(2026, 1, 9), 9999)
    provider.add("claim", "claim:3", dt.date(2026, 1, 31), -777)  # a reversal
    provider.add("claim", "claim:4", dt.date(2026, 2, 1), 5000)  # next month: not in it

    run = services.generate(PRODUCT, dt.date(2026, 1, 15), acting_user=None)

    assert (run.month, run.version, run.item_count) == (JAN, 1, 8)
    assert (run.premiums, run.claims) == (123458, 42555)
    by_code = {s.insurer.code: s for s in Statement.objects.filter(run=run)}
    assert list(by_code) == sorted(CODES)
    premiums = [37038, 14815, 11728, 9877, 9259, 8642, 8025, 7407, 6482, 5864, 4321]
    claims = [12766, 5107, 4042, 3405, 3192, 2979, 2766, 2553, 2234, 2021, 1490]
    net = [24272, 9708, 7686, 6472, 6067, 5663, 5259, 4854, 4248, 3843, 2831]
    assert [by_code[c].premiums for c in CODES] == premiums
    assert [by_code[c].claims for c in CODES] == claims
    assert [by_code[c].net for c in CODES] == net
    assert {by_code[c].item_count for c in CODES} == {8}
    # Item by item: claim:1 (333.33 元) as the largest remainders give it.
    parts = dict(
        StatementLine.objects.filter(statement__run=run, ref="claim:1").values_list(
            "statement__insurer__code", "part"
        )
    )
    assert [parts[c] for c in CODES] == [
        10000,
        4000,
        3166,
        2667,
        2500,
        2333,
        2167,
        2000,
        1750,
        1583,
        1167,
    ]
    # The 1-fen premium goes to the chief (the largest remainder, 0.30 fen).
    one = dict(
        StatementLine.objects.filter(statement__run=run, ref="premium:2").values_list(
            "statement__insurer__code", "part"
        )
    )
    assert one == {c: (1 if c == "JS-INS-01" else 0) for c in CODES}
    entry = ActionLog.objects.get(action="coinsurance.statement.generated", object_id=str(run.pk))
    assert entry.after["items"] == 8 and entry.after["premiums"] == 123458


@pytest.mark.usefixtures("personas")
def test_every_item_is_conserved_across_the_insurers(provider: FixedProvider) -> None:
    eleven_panel()
    for n, amount in enumerate([1, 2, 3, 7, 11, 99, 101, 9_999_999, -1, -12345, 0], start=1):
        provider.add("premium" if n % 2 else "claim", f"x:{n}", dt.date(2026, 3, n), amount)
    run = services.generate(PRODUCT, dt.date(2026, 3, 1), acting_user=None)
    for item in provider.items:
        lines = StatementLine.objects.filter(statement__run=run, ref=item.ref)
        assert lines.count() == 11
        assert sum(lines.values_list("part", flat=True)) == item.amount
    statements = Statement.objects.filter(run=run)
    assert sum(s.premiums for s in statements) == run.premiums
    assert sum(s.claims for s in statements) == run.claims


@pytest.mark.usefixtures("personas")
def test_items_are_split_by_the_panel_in_force_on_their_day(provider: FixedProvider) -> None:
    _panel([("JS-INS-01", "50", True), ("JS-INS-02", "50", False)], JAN)
    _panel([("JS-INS-01", "75", True), ("JS-INS-03", "25", False)], dt.date(2026, 1, 16))
    provider.add("premium", "a", dt.date(2026, 1, 15), 1000)
    provider.add("premium", "b", dt.date(2026, 1, 16), 1000)
    run = services.generate(PRODUCT, JAN, acting_user=None)
    got = {(s.insurer.code): (s.premiums, s.item_count) for s in Statement.objects.filter(run=run)}
    assert got == {"JS-INS-01": (1250, 2), "JS-INS-02": (500, 1), "JS-INS-03": (250, 1)}
    # The first panel stays on record for the days before.
    assert services.panel_on(PRODUCT, dt.date(2026, 1, 15)).members.count() == 2  # type: ignore[union-attr]


@pytest.mark.usefixtures("personas")
def test_an_item_before_any_panel_refuses_the_month(provider: FixedProvider) -> None:
    _panel([("JS-INS-01", "100", True)], dt.date(2026, 1, 10))
    provider.add("claim", "early", dt.date(2026, 1, 9), 100)
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.generate(PRODUCT, JAN, acting_user=None)
    assert "2026-01-09" in str(caught.value.message) and "early" in str(caught.value.message)
    assert not StatementRun.objects.filter(product=PRODUCT).exists()


@pytest.mark.usefixtures("personas")
def test_generating_a_month_again_makes_a_new_version(provider: FixedProvider) -> None:
    _panel([("JS-INS-01", "100", True)])
    provider.add("premium", "p", dt.date(2026, 1, 2), 500)
    first = services.generate(PRODUCT, JAN, acting_user=None)
    provider.add("premium", "late", dt.date(2026, 1, 30), 300)
    second = services.generate(PRODUCT, JAN, acting_user=None)
    first.refresh_from_db()
    assert (first.version, first.current, second.version, second.current) == (1, False, 2, True)
    assert Statement.objects.get(run=first).premiums == 500  # the old version is kept as it was
    assert Statement.objects.get(run=second).premiums == 800


def test_the_monthly_job_generates_once_after_the_month(
    personas: Personas, provider: FixedProvider
) -> None:
    _panel([("JS-INS-01", "100", True)])
    provider.add("claim", "c", dt.date(2026, 2, 10), 2000)
    made = services.generate_due(dt.date(2026, 2, 1))
    assert made >= 1
    assert StatementRun.objects.get(product=PRODUCT, month=dt.date(2026, 2, 1)).claims == 2000
    services.generate_due(dt.date(2026, 2, 1))
    assert StatementRun.objects.filter(product=PRODUCT, month=dt.date(2026, 2, 1)).count() == 1
    with pytest.raises(Forbidden):
        services.generate(PRODUCT, JAN, acting_user=personas.user("sun"))


def test_the_demo_panels(personas: Personas) -> None:
    panel = services.panel_on("jiangsu-yihuibao-2021", dt.date(2026, 6, 1))
    assert panel is not None
    members = list(panel.members.select_related("insurer").order_by("position"))
    assert len(members) == 11 and sum(m.share for m in members) == 100
    assert members[0].insurer.code == "JS-INS-01" and members[0].chief
    assert [m.chief for m in members].count(True) == 1
    ankang = services.panel_on("jiangsu-ankang-2026", dt.date(2026, 6, 1))
    assert ankang is not None
    assert [(m.insurer.code, m.share) for m in ankang.members.all()] == [("JS-INS-01", 100)]
