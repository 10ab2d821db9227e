"""The desk: deadlines in working days (across the National Day holiday), routing, reminders and
escalation in the right inboxes, the report reward from the pack, the confidentiality of a
reporter, and the public pages' tracking rules (throttled, no information leak)."""

from __future__ import annotations

import datetime as dt

import altcha
import pytest
from django.test import Client
from django.urls import reverse

from jingban.core.errors import DomainError, Forbidden, ValidationFailed
from jingban.core.models import ActionLog, Organisation, Region
from jingban.core.services.calendar import seed_from_chinese_calendar
from jingban.desk import captcha, reminders, services, tracking
from jingban.desk.models import Case, CaseKind, CaseState, Category, Channel, Referral
from jingban.notices import services as notice_services
from jingban.notices.models import Notice
from tests.personas import Personas

TRACK = "/public/track/"
DOCUMENT = "320505198203151234"


def filing(region: Region, **more: object) -> services.Filing:
    base: dict[str, object] = {
        "kind": CaseKind.COMPLAINT,
        "channel": Channel.WALK_IN,
        "category": Category.SERVICE,
        "region": region,
        "text": "窗口办事等待时间过长。",
        "name": "李明",
        "document": DOCUMENT,
        "phone": "13812345678",
    }
    base.update(more)
    return services.Filing(**base)  # type: ignore[arg-type]


@pytest.fixture
def county(personas: Personas) -> Region:
    seed_from_chinese_calendar([2026], acting_user=None)
    return Region.objects.get(code="320505")


def test_the_deadline_counts_working_days_across_the_national_day_holiday(
    personas: Personas, county: Region
) -> None:
    # Received on Wednesday 30 September 2026; the service category has 10 working days in
    # Suzhou's desk pack. 1–7 October are the holiday; Saturday 10 October is a working day.
    case = services.receive(
        filing(county), acting_user=personas.user("wang"), received_on=dt.date(2026, 9, 30)
    ).case
    assert case.deadline == dt.date(2026, 10, 20)
    # Without the holiday table the tenth weekday would have been 14 October.
    assert case.remind_from == dt.date(2026, 10, 16)
    assert case.deadline_pack == "suzhou-desk-2026@1" and case.deadline_sample
    # A fraud report has 20 working days.
    report = services.receive(
        filing(county, kind=CaseKind.REPORT, category=Category.FRAUD),
        acting_user=personas.user("wang"),
        received_on=dt.date(2026, 9, 30),
    ).case
    assert report.deadline == dt.date(2026, 11, 3)


def test_a_case_is_routed_by_topic_and_region(personas: Personas, county: Region) -> None:
    case = services.receive(filing(county), acting_user=None).case
    assert case.organisation is not None and case.organisation.code == "SZ-YBJ"
    assert case.state == CaseState.ROUTED
    ltc = services.receive(filing(county, category=Category.LTC), acting_user=None).case
    assert ltc.organisation is not None and ltc.organisation.code == "SZ-INS-LTC"
    nanjing = services.receive(filing(Region.objects.get(code="320102")), acting_user=None).case
    assert nanjing.organisation is None and nanjing.state == CaseState.RECEIVED
    # An operator re-routes, with a reason.
    insurer = Organisation.objects.get(code="SZ-INS-LTC")
    with pytest.raises(ValidationFailed):
        services.reroute(case, insurer, acting_user=personas.user("wang"), reason=" ")
    case = services.reroute(case, insurer, acting_user=personas.user("wang"), reason="长护相关")
    assert case.organisation == insurer
    with pytest.raises(Forbidden):
        services.reroute(case, insurer, acting_user=personas.user("sun"), reason="x")


def _record(day: dt.date) -> None:
    notice_services.record_reminders([("jingban.desk.reminders:due", list(reminders.due(day)))])


def _keys(username: str, personas: Personas) -> set[str]:
    return set(Notice.objects.filter(user=personas.user(username)).values_list("key", flat=True))


def test_reminders_before_the_deadline_and_escalation_after_it_reach_the_right_inboxes(
    personas: Personas, county: Region
) -> None:
    case = services.receive(filing(county), acting_user=None, received_on=dt.date(2026, 9, 30)).case
    key_due, key_late = f"desk.case.due:{case.pk}", f"desk.case.escalated:{case.pk}"
    _record(dt.date(2026, 10, 15))  # before the reminder day: nothing
    assert key_due not in _keys("wang", personas)
    _record(dt.date(2026, 10, 16))  # the reminder day: the bureau's operators
    assert key_due in _keys("wang", personas)
    assert key_due not in _keys("qian", personas) and key_due not in _keys("li", personas)
    _record(dt.date(2026, 10, 21))  # past the deadline: the supervisors
    assert key_late in _keys("qian", personas)
    assert key_late not in _keys("wang", personas)
    assert services.escalate_overdue(dt.date(2026, 10, 21)) >= 1
    case.refresh_from_db()
    assert case.escalated
    # Once answered, the case reminds no one any more: the notice resolves.
    services.answer(case, "已处理。", acting_user=personas.user("wang"))
    _record(dt.date(2026, 10, 22))
    notice = Notice.objects.get(user=personas.user("qian"), key=key_late)
    assert notice.resolved_at is not None
    # No reminder names the filer.
    texts = " ".join(str(n.title) + str(n.body) for n in Notice.objects.all())
    assert "李明" not in texts and DOCUMENT not in texts


def test_an_assigned_case_reminds_its_assignee_only(personas: Personas, county: Region) -> None:
    case = services.receive(filing(county), acting_user=None, received_on=dt.date(2026, 9, 30)).case
    services.assign(case, personas.user("admin"), acting_user=personas.user("admin"))
    _record(dt.date(2026, 10, 16))
    assert f"desk.case.due:{case.pk}" in _keys("admin", personas)
    assert f"desk.case.due:{case.pk}" not in _keys("wang", personas)


def test_answer_close_with_satisfaction(personas: Personas, county: Region) -> None:
    wang = personas.user("wang")
    case = services.receive(filing(county), acting_user=wang).case
    with pytest.raises(DomainError):
        services.close(case, "satisfied", acting_user=wang)
    case = services.answer(case, "已答复。", acting_user=wang)
    with pytest.raises(ValidationFailed):
        services.close(case, "happy", acting_user=wang)
    case = services.close(case, "basically", acting_user=wang)
    assert (case.state, case.satisfaction) == (CaseState.CLOSED, "basically")
    actions = list(
        ActionLog.objects.filter(object_type="desk.case", object_id=str(case.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["desk.case.received", "desk.case.answered", "desk.case.closed"]


def test_the_reward_of_a_confirmed_report_follows_the_pack(
    personas: Personas, county: Region
) -> None:
    wang = personas.user("wang")
    report = services.receive(
        filing(county, kind=CaseKind.REPORT, category=Category.FRAUD, anonymous=True, name=""),
        acting_user=wang,
        received_on=dt.date(2026, 9, 30),
    ).case
    # 4 % (sample) of 100,000 yuan = 4,000 yuan.
    assert services.confirm_report(report, 10_000_000, acting_user=wang).reward_fen == 400_000
    assert report.reward_sample is False or True
    report.refresh_from_db()
    assert report.reward_sample
    # The floor: 200 yuan; the ceiling: 200,000 yuan.
    assert services.confirm_report(report, 100_000, acting_user=wang).reward_fen == 20_000
    assert services.confirm_report(report, 10**10, acting_user=wang).reward_fen == 20_000_000
    referral = services.refer_to_audit(report, acting_user=wang)
    assert Referral.objects.get(case=report) == referral and referral.state == "pending"
    with pytest.raises(DomainError):
        services.refer_to_audit(report, acting_user=wang)


def test_an_anonymous_report_keeps_no_identity_and_a_named_one_reveals_only_with_the_capability(
    personas: Personas, county: Region
) -> None:
    anonymous = services.receive(
        filing(county, kind=CaseKind.REPORT, category=Category.FRAUD, anonymous=True),
        acting_user=None,
    )
    assert anonymous.secret and anonymous.case.filer_name == anonymous.case.filer_document == ""
    assert anonymous.secret not in anonymous.case.secret_hash
    named = services.receive(
        filing(county, kind=CaseKind.REPORT, category=Category.FRAUD), acting_user=None
    ).case
    with pytest.raises(Forbidden):
        services.reveal_reporter(named, acting_user=personas.user("wang"))
    seen = services.reveal_reporter(named, acting_user=personas.user("zhao"))
    assert seen["document"] == DOCUMENT
    entry = ActionLog.objects.get(action="desk.reporter.revealed", object_id=str(named.pk))
    assert DOCUMENT not in str(entry.after) and "李明" not in str(entry.after)
    # Pages: wang sees the name masked; zhao sees it in clear only after asking (logged).
    page = personas.client("wang").get(reverse("desk:case_detail", args=[named.pk]))
    assert "李明" not in page.content.decode() and DOCUMENT not in page.content.decode()
    shown = personas.client("zhao").post(reverse("desk:case_reveal", args=[named.pk]))
    assert DOCUMENT in shown.content.decode()
    assert ActionLog.objects.filter(action="desk.reporter.revealed").count() == 2


def test_bad_filings_are_refused_by_field(personas: Personas, county: Region) -> None:
    with pytest.raises(ValidationFailed) as error:
        services.receive(filing(county, text=" ", phone="abc", anonymous=True), acting_user=None)
    assert {"text", "anonymous"} <= set(error.value.fields)
    with pytest.raises(ValidationFailed) as error:
        services.receive(filing(county, phone="call me"), acting_user=None)
    assert set(error.value.fields) == {"phone"}
    for wrong in ("1381234567", "512-65234567", ""):
        with pytest.raises(ValidationFailed) as error:
            services.receive(filing(county, phone=wrong), acting_user=None)
        assert set(error.value.fields) == {"phone"}, wrong
    assert not Case.objects.filter(text=" ").exists()
    landline = services.receive(filing(county, phone="0512 6523 4567"), acting_user=None)
    assert landline.case.filer_phone == "0512-65234567"


def test_tracking_numbers_are_random_with_a_check_character() -> None:
    numbers = {tracking.new_number() for _ in range(200)}
    assert len(numbers) == 200 and all(tracking.well_formed(n) for n in numbers)
    number = next(iter(numbers))
    changed = number[:3] + ("A" if number[3] != "A" else "B") + number[4:]
    assert not tracking.well_formed(changed)


def _track(number: str, proof: str, address: str = "198.51.100.7") -> str:
    response = Client(REMOTE_ADDR=address).post(TRACK, {"number": number, "proof": proof})
    return f"{response.status_code}:{response.content.decode()}"


def test_tracking_shows_status_deadline_and_answer_and_nothing_else(
    personas: Personas, county: Region
) -> None:
    case = services.receive(filing(county), acting_user=None).case
    services.answer(case, "已为您办理完毕。", acting_user=personas.user("wang"))
    page = _track(case.number, "1234")
    assert page.startswith("200:") and "已为您办理完毕。" in page and "已答复" in page
    assert "李明" not in page and DOCUMENT not in page and "窗口办事等待时间过长" not in page


def test_an_anonymous_report_shows_only_its_status(personas: Personas, county: Region) -> None:
    filed = services.receive(
        filing(county, kind=CaseKind.REPORT, category=Category.FRAUD, anonymous=True),
        acting_user=None,
    )
    services.answer(filed.case, "已立案核查。", acting_user=personas.user("wang"))
    page = _track(filed.case.number, filed.secret)
    assert page.startswith("200:") and "已答复" in page
    assert "已立案核查" not in page and 'id="track-answer"' not in page
    assert filed.case.deadline.isoformat() not in page
    # The last four of a document number do not open an anonymous report.
    assert _track(filed.case.number, "1234", "198.51.100.8").startswith("400:")


def test_wrong_tracking_guesses_leak_nothing_and_the_sixth_in_a_minute_is_throttled(
    personas: Personas, county: Region
) -> None:
    case = services.receive(filing(county), acting_user=None).case
    unknown = tracking.new_number()
    wrong_digits = _track(case.number, "9999", "198.51.100.20").split(":", 1)
    no_such_case = _track(unknown, "9999", "198.51.100.21").split(":", 1)
    malformed = _track("ABC", "9999", "198.51.100.22").split(":", 1)
    assert wrong_digits[0] == no_such_case[0] == malformed[0] == "400"

    def message(page: str) -> str:
        start = page.index('id="track-error">')
        return page[start : page.index("</p>", start)]

    assert message(wrong_digits[1]) == message(no_such_case[1]) == message(malformed[1])
    # Per address: five wrong tries, then the sixth is throttled, even with the right proof.
    for _i in range(4):
        assert _track(tracking.new_number(), "0000", "198.51.100.20").startswith("400:")
    assert _track(case.number, "1234", "198.51.100.20").startswith("429:")
    # Per number: five wrong tries from five addresses, then the number is throttled.
    for i in range(4):
        assert _track(case.number, "0000", f"203.0.113.{i}").startswith("400:")
    assert _track(case.number, "1234", "203.0.113.99").startswith("429:")
    # Another number from another address is not affected.
    assert _track(unknown, "0000", "203.0.113.100").startswith("400:")


def _solved(challenge: dict[str, object]) -> str:
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed)
    assert solution is not None
    return altcha.Payload(parsed, solution).to_base64()  # type: ignore[no-any-return]


def test_the_public_form_needs_a_solved_captcha_used_once(
    personas: Personas, county: Region, settings
) -> None:
    settings.DESK_CAPTCHA_COST = 1
    client = Client(REMOTE_ADDR="192.0.2.50")
    challenge = client.get(reverse("desk:challenge")).json()
    payload = _solved(challenge)
    data = {
        "kind": "complaint",
        "category": "service",
        "region": county.pk,
        "text": "网上办事系统经常无法登录。",
        "name": "王芳",
        "document": "320505199001011234",
        "phone": "13912340000",
    }
    refused = client.post(reverse("desk:file"), {**data, "altcha": "not-a-solution"})
    assert refused.status_code == 400 and not Case.objects.filter(filer_name="王芳").exists()
    filed = client.post(reverse("desk:file"), {**data, "altcha": payload})
    assert filed.status_code == 200
    case = Case.objects.get(filer_name="王芳")
    assert case.channel == Channel.WEB and case.number in filed.content.decode()
    replayed = client.post(reverse("desk:file"), {**data, "altcha": payload})
    assert replayed.status_code == 400 and Case.objects.filter(filer_name="王芳").count() == 1
    assert captcha.verify(payload) is False


def test_an_anonymous_public_report_gets_a_secret_code_and_no_public_page_names_the_reporter(
    personas: Personas, county: Region, settings
) -> None:
    settings.DESK_CAPTCHA_COST = 1
    client = Client(REMOTE_ADDR="192.0.2.60")
    payload = _solved(client.get(reverse("desk:challenge")).json())
    response = client.post(
        reverse("desk:file"),
        {
            "kind": "report",
            "category": "fraud",
            "region": county.pk,
            "text": "某药店串换药品。",
            "subject_type": "core.organisation",
            "subject_text": "某药店",
            "anonymous": "on",
            "name": "不应保存",
            "document": "320505199001019999",
            "phone": "13900000000",
            "altcha": payload,
        },
    )
    assert response.status_code == 200
    case = Case.objects.get(text="某药店串换药品。")
    assert case.anonymous and case.filer_name == case.filer_document == case.filer_phone == ""
    page = response.content.decode()
    assert 'id="secret-code"' in page
    entries = ActionLog.objects.filter(object_type="desk.case", object_id=str(case.pk))
    assert "不应保存" not in str(list(entries.values("after", "reason")))


def test_the_synthetic_city_and_the_demo_hold_cases_in_every_state(personas: Personas) -> None:
    states = set(Case.objects.values_list("state", flat=True))
    assert states == set(CaseState.values)
    assert Case.objects.filter(kind=CaseKind.REPORT, anonymous=True).exists()
    assert Case.objects.filter(escalated=True, region__code="320505").exists()


def test_the_export_holds_no_document_number_or_phone(personas: Personas, county: Region) -> None:
    services.receive(filing(county), acting_user=None)
    response = personas.client("wang").get(reverse("desk:case_export_csv"))
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert response.status_code == 200 and "李*" in body
    assert DOCUMENT not in body and "13812345678" not in body and "李明" not in body


def test_filings_are_limited_per_address(db) -> None:
    from jingban.desk import throttle

    assert all(throttle.allow_filing("192.0.2.77") for _ in range(throttle.FILINGS_PER_HOUR))
    assert throttle.allow_filing("192.0.2.77") is False
    assert throttle.allow_filing("192.0.2.78") is True


def test_the_list_holds_the_scope_and_filters(personas: Personas, county: Region) -> None:
    from jingban.desk import queries

    wang, admin = personas.user("wang"), personas.user("admin")
    nanjing = services.receive(filing(Region.objects.get(code="320102")), acting_user=None).case
    mine = services.receive(filing(county), acting_user=None).case
    services.assign(mine, wang, acting_user=wang)
    today = dt.date(2026, 12, 5)
    assert nanjing not in queries.cases_for(wang) and nanjing in queries.cases_for(admin)
    assigned = queries.filtered(wang, mine=True, today=today)
    assert mine in assigned and all(c.assignee == wang for c in assigned)
    late = queries.filtered(wang, overdue=True, today=today)
    assert late.exists() and all(c.deadline < today and c.is_open for c in late)
    page = personas.client("wang").get(reverse("desk:case_list") + "?mine=1")
    assert mine.number in page.content.decode() and nanjing.number not in page.content.decode()
    assert (
        personas.client("wang").get(reverse("desk:case_detail", args=[nanjing.pk])).status_code
        == 404
    )
