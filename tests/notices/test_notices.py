"""Notifications: the reminder job fills the right inboxes once, a user sees and marks only
their own notices, and the outside channels get each new notice without personal data."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from django.urls import reverse

from jingban.core import plugins
from jingban.core.models import User
from jingban.core.reminders import Reminder
from jingban.core.roles import Role
from jingban.core.services.accounts import create_account
from jingban.jobs import runner
from jingban.jobs import services as jobs_services
from jingban.jobs.models import JobRun, JobStatus
from jingban.notices import channels, queries, services
from jingban.notices.models import Notice, NoticePreference
from jingban.packs import services as packs_services
from jingban.packs.models import PackVersion
from tests.packs.conftest import PACK_ID, pack_text
from tests.personas import Personas


class RecordingChannel:
    """A channel that keeps what it was asked to send."""

    name = "recording"
    label = "Recording"
    sent: list[tuple[int, str, str, str]] = []

    def send(self, recipient: User, subject: str, text: str, *, key: str) -> None:
        RecordingChannel.sent.append((recipient.pk, subject, text, key))


@pytest.fixture(autouse=True)
def _empty_inboxes(personas: Personas) -> None:
    """The demo world's own notices (chen's reimbursement steps) are not the reminders these
    tests count: each test starts from empty inboxes (rolled back after it)."""
    Notice.objects.all().delete()


@pytest.fixture(autouse=True)
def _only_the_sources_under_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests count the notices of the packs' and the jobs' reminders; the demo world's
    desk cases and rectification orders remind too, and are tested in their own apps."""
    everyone = plugins.reminder_sources
    monkeypatch.setattr(
        plugins,
        "reminder_sources",
        lambda: [s for s in everyone() if s.startswith(("jingban.packs.", "jingban.jobs."))],
    )


@pytest.fixture
def recording(settings) -> Iterator[list[tuple[int, str, str, str]]]:
    settings.NOTICE_CHANNELS = ["log", "tests.notices.test_notices:RecordingChannel"]
    channels.configured.cache_clear()
    RecordingChannel.sent = []
    yield RecordingChannel.sent
    channels.configured.cache_clear()


@pytest.fixture
def admin2(personas: Personas) -> User:
    user = create_account(
        username="admin2", password="admin2-pass-1", role=Role.ADMIN, acting_user=None
    )
    User.objects.filter(pk=user.pk).update(language="en", display_name="第二管理员")
    user.refresh_from_db()
    return user


@pytest.fixture
def draft(personas: Personas) -> PackVersion:
    """A draft entered by admin: qian and the other administrators may approve it."""
    return packs_services.import_pack_text(pack_text(3), acting_user=personas.user("admin"))


def remind(capture, day: str = "") -> JobRun:
    """Run the reminder job in-process, delivering to the channels as on commit."""
    with capture(execute=True):
        run = jobs_services.enqueue(
            None, "notices.remind", {"day": day} if day else {}, defer=False
        )
        runner.execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED, run.error
    return run


def keys_of(user: User) -> set[str]:
    return set(Notice.objects.filter(user=user).values_list("key", flat=True))


def test_a_draft_reminds_every_approver_but_its_author(
    personas: Personas, draft: PackVersion, admin2: User, django_capture_on_commit_callbacks
) -> None:
    run = remind(django_capture_on_commit_callbacks)
    key = f"packs.version.waiting:{draft.pk}"
    assert keys_of(personas.user("qian")) == {key}
    assert keys_of(admin2) == {key}
    assert keys_of(personas.user("admin")) == set()  # the author approves nothing of their own
    for name in ("wang", "sun", "li", "zhao", "kangning", "zhou", "chen"):
        assert keys_of(personas.user(name)) == set(), name
    assert run.result is not None
    assert run.result["created"] == 2
    assert run.result["recipients"] == 2
    # Each in their own language, with a link to the version.
    qian_notice = Notice.objects.get(user=personas.user("qian"))
    assert qian_notice.title == f"政策包 {PACK_ID}@3 待审批"
    assert qian_notice.url == f"/policies/{draft.pk}/"
    assert Notice.objects.get(user=admin2).title == f"Policy pack {PACK_ID}@3 waits for approval"


def test_running_twice_creates_nothing_new(
    personas: Personas, draft: PackVersion, admin2: User, django_capture_on_commit_callbacks
) -> None:
    remind(django_capture_on_commit_callbacks)
    before = list(Notice.objects.order_by("id").values_list("id", "user_id", "key"))
    second = remind(django_capture_on_commit_callbacks)
    assert list(Notice.objects.order_by("id").values_list("id", "user_id", "key")) == before
    assert second.result is not None
    assert second.result["created"] == 0
    assert second.result["already_delivered"] == 2


def test_an_approved_draft_resolves_its_notices(
    personas: Personas, draft: PackVersion, admin2: User, django_capture_on_commit_callbacks
) -> None:
    remind(django_capture_on_commit_callbacks)
    packs_services.approve_version(draft, acting_user=personas.user("qian"))
    run = remind(django_capture_on_commit_callbacks)
    assert run.result is not None
    assert run.result["resolved"] == 2
    notice = Notice.objects.get(user=admin2)
    assert notice.resolved_at is not None and notice.read_at is None
    assert queries.waiting_count(personas.user("qian")) == 0  # no longer waiting
    home = personas.client("qian").get(reverse("core:home")).content.decode()
    assert "notices-waiting" not in home and "home-notices" not in home


def test_a_failed_run_reminds_the_user_who_started_it(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    wang = personas.user("wang")
    failed = JobRun.objects.create(
        kind="core.audit.verify", status=JobStatus.FAILED, started_by=wang, attempt=2
    )
    JobRun.objects.create(kind="core.audit.verify", status=JobStatus.FAILED)  # the system's
    JobRun.objects.create(kind="core.audit.verify", status=JobStatus.SUCCEEDED, started_by=wang)
    remind(django_capture_on_commit_callbacks)
    assert set(Notice.objects.values_list("user_id", "key")) == {
        (wang.pk, f"jobs.run.failed:{failed.pk}:2")
    }
    notice = Notice.objects.get(user=wang)
    assert notice.title == f"后台任务 #{failed.pk} 失败"
    assert "第 2 次尝试" in notice.body
    assert notice.url == f"/jobs/{failed.pk}/"


def test_an_inactive_user_gets_nothing(
    personas: Personas, draft: PackVersion, admin2: User, django_capture_on_commit_callbacks
) -> None:
    User.objects.filter(pk=admin2.pk).update(is_active=False)
    remind(django_capture_on_commit_callbacks)
    assert keys_of(admin2) == set()
    assert keys_of(personas.user("qian")) == {f"packs.version.waiting:{draft.pk}"}


def test_a_bad_day_is_refused_by_name(personas: Personas) -> None:
    run = jobs_services.enqueue(None, "notices.remind", {"day": "2026-13-01"}, defer=False)
    with pytest.raises(runner.JobFailed):
        runner.execute(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED
    assert "日期：" in run.error  # the parameter by its label, not its key
    assert Notice.objects.count() == 0


def test_unread_first_and_marking_read(
    personas: Personas, draft: PackVersion, django_capture_on_commit_callbacks
) -> None:
    qian = personas.user("qian")
    old = Notice.objects.create(user=qian, key="t:old", source="tests", title="旧通知")
    remind(django_capture_on_commit_callbacks)
    newest = Notice.objects.get(user=qian, source__startswith="jingban.packs")
    client = personas.client("qian")

    home = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="notices-waiting">2<' in home
    assert "旧通知" in home and f"{PACK_ID}@3" in home

    response = client.post(reverse("notices:mark_read", args=[old.pk]))
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.read_at is not None
    page = client.get(reverse("notices:inbox")).content.decode()
    # The unread one comes first although the read one is … read.
    assert page.index(f"{PACK_ID}@3") < page.index("旧通知")
    assert 'data-testid="notices-waiting">1<' in page

    response = client.get(reverse("notices:open", args=[newest.pk]))
    assert response.status_code == 302 and response["Location"] == f"/policies/{draft.pk}/"
    newest.refresh_from_db()
    assert newest.read_at is not None
    assert "notices-waiting" not in client.get(reverse("notices:inbox")).content.decode()


def test_mark_all_read_touches_only_ones_own(personas: Personas) -> None:
    qian, wang = personas.user("qian"), personas.user("wang")
    for n in range(3):
        Notice.objects.create(user=qian, key=f"t:{n}", source="tests", title=f"q{n}")
    Notice.objects.create(user=wang, key="t:w", source="tests", title="w")
    response = personas.client("qian").post(reverse("notices:mark_all_read"))
    assert response.status_code == 302
    assert Notice.objects.filter(user=qian, read_at__isnull=True).count() == 0
    assert Notice.objects.filter(user=wang, read_at__isnull=True).count() == 1


def test_the_inbox_holds_only_ones_own_notices(personas: Personas) -> None:
    qian, wang = personas.user("qian"), personas.user("wang")
    mine = Notice.objects.create(user=qian, key="t:mine", source="tests", title="钱的通知")
    theirs = Notice.objects.create(user=wang, key="t:theirs", source="tests", title="王的通知")
    client = personas.client("qian")
    page = client.get(reverse("notices:inbox")).content.decode()
    assert "钱的通知" in page and "王的通知" not in page
    assert client.get(reverse("notices:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notices:mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(reverse("notices:mark_read", args=[mine.pk])).status_code == 302
    # Not an action on anyone's data: nothing in the action log.
    from jingban.core.models import ActionLog

    assert not ActionLog.objects.filter(action__startswith="notices.").exists()


def test_the_channels_get_each_new_notice_and_the_log_no_personal_data(
    personas: Personas,
    draft: PackVersion,
    admin2: User,
    recording,
    caplog,
    django_capture_on_commit_callbacks,
) -> None:
    caplog.set_level(logging.INFO, logger="jingban.notices")
    remind(django_capture_on_commit_callbacks)
    key = f"packs.version.waiting:{draft.pk}"
    qian = personas.user("qian")
    assert sorted((pk, k) for pk, _s, _t, k in recording) == sorted(
        [(qian.pk, key), (admin2.pk, key)]
    )
    subject = next(s for pk, s, _t, _k in recording if pk == admin2.pk)
    assert subject == f"Policy pack {PACK_ID}@3 waits for approval"
    lines = [r.getMessage() for r in caplog.records if r.name == "jingban.notices"]
    assert sorted(lines) == sorted(
        [f"notice {key} for user {qian.pk}", f"notice {key} for user {admin2.pk}"]
    )
    for line in lines:
        for personal in ("qian", "钱监督", "admin2", "第二管理员", "Policy pack", "政策包"):
            assert personal not in line

    # A second run sends nothing again.
    recording.clear()
    caplog.clear()
    remind(django_capture_on_commit_callbacks)
    assert recording == []
    assert [r for r in caplog.records if r.name == "jingban.notices"] == []


def test_a_user_chooses_the_channels(
    personas: Personas, draft: PackVersion, recording, django_capture_on_commit_callbacks
) -> None:
    client = personas.client("qian")
    page = client.get(reverse("notices:inbox")).content.decode()
    assert 'value="recording"' in page and 'value="log"' in page
    response = client.post(reverse("notices:channels"), {"channels": ["recording"]})
    assert response.status_code == 302
    assert NoticePreference.objects.get(user=personas.user("qian")).channels == ["recording"]
    response = client.post(reverse("notices:channels"), {"channels": ["sms"]})
    assert response.status_code == 400
    remind(django_capture_on_commit_callbacks)
    assert [pk for pk, *_rest in recording] == [personas.user("qian").pk]
    # With nothing chosen, only the inbox.
    client.post(reverse("notices:channels"), {})
    recording.clear()
    Notice.objects.all().delete()
    remind(django_capture_on_commit_callbacks)
    assert recording == []
    assert Notice.objects.filter(user=personas.user("qian")).count() == 1


def test_a_failing_channel_does_not_stop_the_others(
    personas: Personas, settings, caplog, django_capture_on_commit_callbacks
) -> None:
    settings.NOTICE_CHANNELS = ["tests.notices.test_notices:BrokenChannel", "log"]
    channels.configured.cache_clear()
    try:
        caplog.set_level(logging.INFO, logger="jingban.notices")
        wang = personas.user("wang")
        with django_capture_on_commit_callbacks(execute=True):
            services.record_reminders(
                [("tests", [Reminder(user_id=wang.pk, key="t:1", title="x")])]
            )
        messages = [r.getMessage() for r in caplog.records if r.name == "jingban.notices"]
        assert messages == [
            "channel broken failed for notice t:1: RuntimeError",
            f"notice t:1 for user {wang.pk}",
        ]
        assert "13800138000" not in caplog.text
    finally:
        channels.configured.cache_clear()


class BrokenChannel:
    name = "broken"
    label = "Broken"

    def send(self, recipient: User, subject: str, text: str, *, key: str) -> None:
        raise RuntimeError("could not reach 13800138000")


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("/policies/3/", "/policies/3/"),
        ("https://evil.example/", ""),
        ("//evil.example/", ""),
        ("javascript:alert(1)", ""),
        ("/\\evil.example", ""),
    ],
)
def test_a_notice_links_only_inside_the_application(url: str, kept: str) -> None:
    assert services.safe_url(url) == kept


def test_reminders_of_one_user_and_key_are_one_notice(personas: Personas) -> None:
    wang = personas.user("wang")
    reminder = Reminder(user_id=wang.pk, key="t:same", title="一", url="https://evil.example/")
    summary = services.record_reminders([("tests", [reminder, reminder])])
    assert summary.created == 1
    assert Notice.objects.get(user=wang).url == ""
