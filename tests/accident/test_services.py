"""The accident services: enrollment at a window, a group's list (accepted whole or refused
whole, each bad row and column named), claims with their errors, payment by the rules, the
co-insured items, the picture section and the demo rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import translation

from jingban.accident import coinsured, services
from jingban.accident.models import Claim, ClaimStatus, Enrollment, Payment
from jingban.core.calendar import today as local_today
from jingban.core.errors import Forbidden, NotFound, ValidationFailed
from jingban.core.models import ActionLog
from jingban.demo.world import resident_id
from jingban.enrollment.tables import ImportRefused
from jingban.registry.models import Person
from tests.accident import helpers
from tests.personas import Personas

TODAY = local_today()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are asserted in English (the pages' tests read them in Chinese)."""
    with translation.override("en"):
        yield


def _counts() -> tuple[int, int, int, int]:
    return (
        Payment.objects.count(),
        Enrollment.objects.count(),
        Claim.objects.count(),
        ActionLog.objects.count(),
    )


def _group(rows: list[str], region: str = helpers.COMMUNITY, **kwargs: object):
    content = "\n".join(["身份证号码,姓名,联系电话", *rows]).encode()
    return services.GroupImport(
        content=content,
        filename=str(kwargs.pop("filename", "名单.csv")),
        region_code=region,
        organisation="狮山街道测试社区居委会",
        **kwargs,  # type: ignore[arg-type]
    )


def test_an_operator_enrolls_one_person_for_a_cover_year(personas: Personas) -> None:
    person = helpers.new_person(dt.date(1955, 1, 1))
    start = TODAY - dt.timedelta(days=3)
    enrollment = services.enroll(person, start=start, acting_user=personas.user("wang"))
    assert (enrollment.start, enrollment.premium, enrollment.channel) == (start, 3000, "window")
    assert enrollment.end == dt.date(start.year + 1, start.month, start.day) - dt.timedelta(1)
    payment = enrollment.payment
    assert (payment.payer, payment.count, payment.amount) == ("person", 1, 3000)
    entry = ActionLog.objects.filter(action="accident.enrollment.enrolled").latest("pk")
    assert entry.object_id == str(enrollment.pk) and entry.after["premium"] == 3000


def test_enrollment_refusals_store_nothing(personas: Personas) -> None:
    wang = personas.user("wang")
    young = helpers.new_person(TODAY.replace(year=TODAY.year - 59))
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        services.enroll(young, acting_user=wang)
    assert "aged 60 and over" in str(caught.value.fields["person"][0])
    assert _counts() == before
    old = helpers.new_person()
    services.enroll(old, acting_user=wang)
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        services.enroll(old, start=TODAY + dt.timedelta(days=30), acting_user=wang)
    assert "Already covered" in str(caught.value.fields["person"][0])
    with pytest.raises(NotFound):
        services.enroll(helpers.new_person(region_code=helpers.NANJING), acting_user=wang)
    with pytest.raises(Forbidden):
        services.enroll(old, acting_user=personas.user("sun"))
    assert _counts()[:3] == before[:3]


def test_a_good_list_enrolls_everyone_and_records_the_groups_payment(
    personas: Personas,
) -> None:
    people = [helpers.new_person(dt.date(1940 + n, 5, 1)) for n in range(3)]
    result = services.import_list(
        _group([f"{p.document_number},{p.name}," for p in people]),
        acting_user=personas.user("wang"),
    )
    payment = result.payment
    assert (payment.payer, payment.count, payment.premium_each, payment.amount) == (
        "community",
        3,
        3000,
        9000,
    )
    assert {e.person_id for e in payment.enrollments.all()} == {p.pk for p in people}
    assert set(payment.enrollments.values_list("channel", flat=True)) == {"group"}
    entry = ActionLog.objects.filter(action="accident.payment.imported").latest("pk")
    assert entry.after["count"] == 3 and entry.after["amount"] == 9000


def test_a_list_with_bad_rows_is_refused_whole_naming_each_row(personas: Personas) -> None:
    good = helpers.new_person(dt.date(1950, 1, 1))
    young = helpers.new_person(TODAY.replace(year=TODAY.year - 50))
    covered = helpers.new_person(dt.date(1945, 1, 1))
    helpers.cover(covered)
    rows = [
        f"{good.document_number},{good.name},",  # row 2: fine
        f"{young.document_number},{young.name},",  # row 3: under 60
        f"{covered.document_number},{covered.name},",  # row 4: already covered
        "32050519500101123X,无此人,",  # row 5: malformed (bad check character)
        f"{resident_id('110101', dt.date(1950, 1, 1), 3, male=True)},不在登记,",  # row 6: unknown
        f"{good.document_number},别的名字,",  # row 7: name mismatch and repeated
        f"{good.document_number},{good.name},12",  # row 8: repeated, bad phone
    ]
    before = _counts()
    with pytest.raises(ImportRefused) as caught:
        services.import_list(_group(rows), acting_user=personas.user("wang"))
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (3, "ID number"),
        (4, "ID number"),
        (5, "ID number"),
        (6, "ID number"),
        (7, "name"),
        (7, "ID number"),
        (8, "phone"),
        (8, "ID number"),
    }
    messages = {p.row: p.message for p in caught.value.problems if p.column == "ID number"}
    assert "60" in messages[3] and "Already covered" in messages[4]
    assert "Not a valid resident ID" in messages[5] and "No insured person" in messages[6]
    assert "row 2" in messages[7]
    assert _counts() == before


def test_a_list_needs_its_columns_and_a_region_in_scope(personas: Personas) -> None:
    wang = personas.user("wang")
    with pytest.raises(ImportRefused) as caught:
        services.import_list(
            services.GroupImport(b"name\nx\n", "a.csv", helpers.COMMUNITY, "社区"),
            acting_user=wang,
        )
    assert caught.value.problems[0].row == 1
    with pytest.raises(ValidationFailed) as refused:
        services.import_list(_group([], region="320102"), acting_user=wang)
    assert "region" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        services.import_list(_group([], payer="nobody"), acting_user=wang)
    assert "payer" in refused.value.fields


def _claim(person: Person, **kwargs: object) -> services.ClaimData:
    values: dict[str, object] = {
        "accident_date": TODAY - dt.timedelta(days=5),
        "description": "买菜途中摔倒",
        "medical_expenses": 320_000,
        "hospital_days": 6,
    }
    values.update(kwargs)
    return services.ClaimData(person=person, **values)  # type: ignore[arg-type]


def test_a_claim_is_reported_then_paid_by_the_rules(personas: Personas) -> None:
    person = helpers.new_person()
    helpers.cover(person)
    claim = services.report_claim(_claim(person), acting_user=personas.user("wang"))
    assert (claim.status, claim.amount) == (ClaimStatus.REPORTED, 0)
    assert services.assess(claim).total == 297_000
    with pytest.raises(Forbidden):
        services.pay(claim, acting_user=personas.user("wang"))
    paid = services.pay(claim, acting_user=personas.user("sun"))
    assert (paid.status, paid.amount) == (ClaimStatus.PAID, 297_000)
    assert [line["paid"] for line in paid.explanation] == [279_000, 18_000]
    assert sum(line["paid"] for line in paid.explanation) == paid.amount
    with pytest.raises(ValidationFailed):
        services.pay(paid, acting_user=personas.user("sun"))
    reported = ActionLog.objects.filter(action="accident.claim.reported").latest("pk")
    # What happened is free text: stored encrypted in the action log.
    assert "买菜" not in str(reported.after)


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        ("under_60", "person", "aged 60 and over"),
        ("not_enrolled", "person", "not enrolled"),
        ("outside_cover", "accident_date", "outside the cover period"),
        ("late", "accident_date", "within 30 days"),
        ("future", "accident_date", "future"),
        ("no_grade", "disability_grade", "grade"),
    ],
)
def test_bad_claims_are_refused_naming_the_field(
    personas: Personas, case: str, field: str, words: str
) -> None:
    person = helpers.new_person()
    kwargs: dict[str, object] = {}
    if case == "under_60":
        person = helpers.new_person(TODAY.replace(year=TODAY.year - 55))
    elif case == "outside_cover":
        helpers.cover(person, start=TODAY - dt.timedelta(days=3))
    elif case != "not_enrolled":
        helpers.cover(person, start=TODAY - dt.timedelta(days=100))
    if case == "late":
        kwargs["accident_date"] = TODAY - dt.timedelta(days=40)
    if case == "future":
        kwargs["accident_date"] = TODAY + dt.timedelta(days=1)
    if case == "no_grade":
        kwargs["outcome"] = "disability"
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        services.report_claim(_claim(person, **kwargs), acting_user=personas.user("wang"))
    assert words in " ".join(str(m) for m in caught.value.fields[field])
    assert _counts() == before


def test_the_insured_person_reports_for_herself_not_for_others(personas: Personas) -> None:
    chen = personas.own_person
    claim = services.report_claim(
        _claim(chen, medical_expenses=50_000, hospital_days=0), acting_user=personas.user("chen")
    )
    assert claim.agent is None and claim.reported_by == personas.user("chen")
    stranger = helpers.new_person()
    helpers.cover(stranger)
    with pytest.raises((NotFound, Forbidden)):
        services.report_claim(_claim(stranger), acting_user=personas.user("chen"))


def test_a_refusal_needs_its_reason(personas: Personas) -> None:
    claim = helpers.claim(helpers.new_person())
    with pytest.raises(ValidationFailed):
        services.refuse(claim, " ", acting_user=personas.user("sun"))
    refused = services.refuse(claim, "非意外伤害", acting_user=personas.user("sun"))
    assert (refused.status, refused.refusal_reason, refused.amount) == ("refused", "非意外伤害", 0)


def test_coinsured_items_give_each_premium_and_each_paid_claim(personas: Personas) -> None:
    person = helpers.new_person()
    enrollment = services.enroll(person, acting_user=personas.user("wang"))
    claim = services.report_claim(
        _claim(person, accident_date=TODAY), acting_user=personas.user("wang")
    )
    services.pay(claim, acting_user=personas.user("sun"))
    items = list(coinsured.items(TODAY, TODAY + dt.timedelta(days=1)))
    refs = {item.ref: item for item in items}
    premium = refs[f"premium:{enrollment.pk}"]
    assert (premium.product, premium.kind, premium.amount, premium.day) == (
        "jiangsu-ankang-2026",
        "premium",
        3000,
        TODAY,
    )
    assert refs[f"claim:{claim.pk}"].amount == 297_000
    premiums = sum(i.amount for i in items if i.kind == "premium")
    assert premiums == sum(Payment.objects.filter(paid_on=TODAY).values_list("amount", flat=True))
    assert coinsured.products() == [("jiangsu-ankang-2026", "Ankang elderly accident insurance")]
    assert not list(coinsured.items(TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=2)))


def test_the_demo_enrolls_chen_through_her_community_with_one_paid_claim(
    personas: Personas,
) -> None:
    chen = personas.own_person
    enrollment = Enrollment.objects.get(person=chen)
    assert enrollment.channel == "group" and enrollment.payment.payer == "community"
    assert "社区" in enrollment.payment.organisation
    claim = Claim.objects.get(person=chen, status=ClaimStatus.PAID)
    assert claim.amount == 297_000 and claim.decided_by == personas.user("sun")


def test_the_picture_section_shows_covers_and_claims_to_those_who_may_see(
    personas: Personas,
) -> None:
    from jingban.accident.picture import section

    chen = personas.own_person
    mine = section(chen, personas.user("chen"))
    assert mine is not None and mine.order == 550 and mine.count == 2
    assert mine.data["claims"][0]["amount"] == 297_000
    assert section(chen, personas.user("wang")) is not None
    assert section(chen, personas.user("kangning")) is None
