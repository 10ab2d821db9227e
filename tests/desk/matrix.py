"""The desk's routes in the authorization matrix. A case of a Suzhou county is in wang's scope;
a case of Nanjing (玄武区) is not, and is 404 to everyone but the unrestricted administrator."""

from __future__ import annotations

from jingban.core.models import Region
from jingban.desk import services
from jingban.desk.models import Case, CaseKind, Category, Channel, RoutingRule
from tests.authz import Route
from tests.personas import Personas

VIEWERS = {"admin", "wang", "sun", "zhao", "qian"}
HANDLERS = {"admin", "wang"}
REVEALERS = {"zhao", "qian"}


def _case(p: Personas, in_scope: bool, kind: str = CaseKind.COMPLAINT) -> int:
    code = "320505" if in_scope else "320102"
    filing = services.Filing(
        kind=kind,
        channel=Channel.WALK_IN,
        category=Category.FRAUD if kind == CaseKind.REPORT else Category.SERVICE,
        region=Region.objects.get(code=code),
        text="matrix",
        name="矩阵",
        document="320505198001010011",
        phone="13800000000",
    )
    return services.receive(filing, acting_user=None).case.pk


def case(p: Personas, in_scope: bool) -> int:
    return _case(p, in_scope)


def report(p: Personas, in_scope: bool) -> int:
    return _case(p, in_scope, CaseKind.REPORT)


def answered(p: Personas, in_scope: bool) -> int:
    pk = _case(p, in_scope)
    services.answer(Case.objects.get(pk=pk), "答复", acting_user=None)
    return pk


def _bureau(p: Personas) -> dict[str, object]:
    from jingban.core.models import Organisation

    return {"organisation": Organisation.objects.get(code="SZ-YBJ").pk, "reason": "matrix"}


def rule(p: Personas, in_scope: bool) -> int:
    """A rule of a Suzhou county (in wang's scope) or of Nanjing 玄武区 (outside it)."""
    from jingban.core.models import Organisation

    found, _ = RoutingRule.objects.get_or_create(
        category=Category.SERVICE,
        region=Region.objects.get(code="320505" if in_scope else "320102"),
        defaults={"organisation": Organisation.objects.get(code="SZ-YBJ")},
    )
    return found.pk


def _free_rule(p: Personas) -> dict[str, object]:
    """A category and Suzhou region without a rule yet, so that each allowed role adds one."""
    from jingban.core.models import Organisation

    taken = set(RoutingRule.objects.values_list("category", "region_id"))
    for region in Region.objects.filter(
        path__startswith=Region.objects.get(code="320500").path
    ).order_by("code"):
        for category in Category.values:
            if (category, region.pk) not in taken:
                return {
                    "category": category,
                    "region": region.pk,
                    "organisation": Organisation.objects.get(code="SZ-YBJ").pk,
                }
    raise AssertionError("no free routing rule left")


PAGES: dict[str, Route] = {
    "desk:case_list": Route(VIEWERS),
    "desk:case_export_csv": Route(VIEWERS),
    "desk:case_export_xlsx": Route(VIEWERS),
    "desk:intake": Route(HANDLERS),
    "desk:case_detail": Route(VIEWERS, case),
    "desk:case_route": Route(HANDLERS, case, method="post", data=_bureau, ok=302),
    "desk:case_assign": Route(HANDLERS, case, method="post", ok=302),
    "desk:case_note": Route(HANDLERS, case, method="post", data={"note-text": "m"}, ok=302),
    "desk:case_answer": Route(HANDLERS, case, method="post", data={"answer-text": "m"}, ok=302),
    "desk:case_close": Route(
        HANDLERS, answered, method="post", data={"satisfaction": "satisfied"}, ok=302
    ),
    "desk:case_escalate": Route(HANDLERS, case, method="post", ok=302),
    "desk:case_refer": Route(HANDLERS, report, method="post", ok=302),
    # A negative amount: refused by the form (400) once access is granted; a Nanjing report
    # would have no reward rule in force, so a valid amount cannot serve both scopes.
    "desk:case_confirm": Route(HANDLERS, report, method="post", data={"verified": "-1"}, ok=400),
    "desk:case_reveal": Route(REVEALERS, report, method="post"),
    # Routing rules: the administrator, and operators within their own region subtree.
    "desk:rule_list": Route(HANDLERS),
    "desk:rule_export_csv": Route(HANDLERS),
    "desk:rule_export_xlsx": Route(HANDLERS),
    "desk:rule_new": Route(HANDLERS, method="post", data=_free_rule, ok=302),
    "desk:rule_edit": Route(HANDLERS, rule, method="post", data=_free_rule, ok=302),
    "desk:rule_delete": Route(HANDLERS, rule, method="post", ok=302, confirm=True),
}
# Anyone, signed in or not: filing (captcha and rate limit) and tracking (throttled, neutral).
PUBLIC = {"desk:file", "desk:challenge", "desk:track"}
