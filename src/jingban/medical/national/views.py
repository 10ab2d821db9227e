"""The one endpoint, ``POST /fsi/api/rsfComIfsService/callService`` (the path is
``JINGBAN_HOSPITAL_INTERFACE_PATH``): authenticate, read the envelope, check the institution,
run the transaction, answer the envelope. No session, no CSRF (a hospital system is not a
browser); every answer is HTTP 200 with ``infcode`` saying how it went, except a method other
than POST (405)."""

from __future__ import annotations

import json
import logging
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from jingban.core.actionlog import personal
from jingban.core.errors import DomainError
from jingban.core.models import User
from jingban.medical.national import auth, signing, throttle
from jingban.medical.national.envelope import (
    BUSINESS_ERROR,
    SUCCESS,
    SYSTEM_ERROR,
    Envelope,
    InterfaceError,
    answer,
    parse_envelope,
    problem_message,
)
from jingban.medical.national.models import InterfaceMessage
from jingban.medical.national.transactions import Call, Transaction, lookup
from jingban.medical.national.wire import FieldProblem, dumps, loads

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 4 * 1024 * 1024
_ANSWER_FIELD = "medical_national.answer"


def _respond(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="application/json; charset=utf-8")


def domain_message(error: DomainError) -> str:
    """The service's message and each field it names (``字段 psn_no：…``); a field whose
    message is the error's own is named once, not repeated."""
    message = str(error.message)
    parts = [] if any(str(m) == message for ms in error.fields.values() for m in ms) else [message]
    for name, messages in error.fields.items():
        problem = "；".join(str(m) for m in messages)
        parts.append(_("Field %(field)s: %(problem)s") % {"field": name, "problem": problem})
    return " ".join(parts) or message


@csrf_exempt
def call_service(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        # A JSON answer like every other, so that a hospital system (or a browser) reads why.
        with translation.override("zh-hans"):
            body = json.dumps(
                {"infcode": -1, "err_msg": str(_("This interface only accepts POST."))},
                ensure_ascii=False,
            )
        return HttpResponseNotAllowed(["POST"], content=body, content_type="application/json")
    received = timezone.now()
    # Hospital systems read Chinese messages, whatever the account's language.
    with translation.override("zh-hans"):
        return _respond(_serve(request, received))


def _admdvs(user: User | None) -> str:
    organisation = getattr(user, "organisation", None)
    return organisation.region.code[:6] if organisation is not None else "000000"


def _serve(request: HttpRequest, received: Any) -> str:
    """The answer's JSON text."""
    user: User | None = None

    def fail(message: str, infcode: int = BUSINESS_ERROR) -> str:
        return dumps(
            answer(
                infcode=infcode,
                output=None,
                received=received,
                now=timezone.now(),
                admdvs=_admdvs(user),
                err_msg=message,
            )
        )

    try:
        body = request.body  # Django refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE
    except RequestDataTooBig:
        return fail(_("The request is too large."))
    if len(body) > MAX_BODY_BYTES:
        return fail(_("The request is too large."))
    try:
        user = auth.authenticate(request, body)
        try:
            data = loads(body)
        except ValueError:
            return fail(_("The request is not valid JSON."))
        envelope = parse_envelope(data)
        organisation = user.organisation
        if organisation is None or organisation.code != envelope.fixmedins_code:
            raise InterfaceError(
                _("fixmedins_code %(code)s is not this account's institution.")
                % {"code": envelope.fixmedins_code},
                field="fixmedins_code",
            )
        found = lookup(envelope)
        signing.check_sign_no(user, organisation, envelope.infno, envelope.sign_no)
    except InterfaceError as error:
        return fail(error.message, error.infcode)
    except FieldProblem as problem:
        return fail(problem_message(problem))
    if envelope.infno == "1101" and not throttle.allow_lookup(user):
        return fail(
            _("Too many person lookups from this account; wait a minute and try again."),
            SYSTEM_ERROR,
        )
    tz = ZoneInfo(settings.TIME_ZONE)
    call = Call(user=user, institution=organisation, envelope=envelope, tz=tz)
    try:
        if found.writes:
            return _logged(call, found, received)
        return dumps(_run(call, found, received))
    except InterfaceError as error:
        return fail(error.message, error.infcode)
    except Exception:
        logger.exception("hospital interface: %s failed", envelope.infno)
        return fail(
            _("A system error occurred; reverse this message (2601) and try again."), SYSTEM_ERROR
        )


def _run(call: Call, found: Transaction, received: Any) -> dict[str, Any]:
    """Run a transaction; a caller's mistake becomes infcode −2 (the savepoint rolled back)."""
    admdvs = call.institution.region.code[:6]
    try:
        with transaction.atomic():
            output = found.handler(call)
    except FieldProblem as problem:
        message = problem_message(problem)
    except InterfaceError as error:
        message = error.message
    except DomainError as error:
        message = domain_message(error)
    else:
        return answer(
            infcode=SUCCESS,
            output=output,
            received=received,
            now=timezone.now(),
            admdvs=admdvs,
            warn_msg="；".join(call.warnings),
        )
    return answer(
        infcode=BUSINESS_ERROR,
        output=None,
        received=received,
        now=timezone.now(),
        admdvs=admdvs,
        err_msg=message,
    )


@transaction.atomic
def _logged(call: Call, found: Transaction, received: Any) -> str:
    """A state-changing transaction, once per (institution, msgid): the row is inserted first,
    so a second request with the same msgid waits on the unique index until the first commits,
    then finds its answer and returns it (ADR 0016). A system error rolls the row back with
    everything else, so the message can be sent again."""
    envelope: Envelope = call.envelope
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO medical_national_interfacemessage"
            " (institution_id, msgid, infno, infcode, answer, reversed_by, received_at)"
            " VALUES (%s, %s, %s, 0, '', '', %s)"
            " ON CONFLICT (institution_id, msgid) DO NOTHING RETURNING id",
            [call.institution.pk, envelope.msgid, envelope.infno, received],
        )
        inserted = cursor.fetchone()
    if inserted is None:
        first = InterfaceMessage.objects.get(institution=call.institution, msgid=envelope.msgid)
        if first.infno != envelope.infno:
            raise InterfaceError(
                _("msgid %(msgid)s was already used for transaction %(infno)s.")
                % {"msgid": envelope.msgid, "infno": first.infno}
            )
        if first.reversed_by:
            raise InterfaceError(
                _("Message %(msgid)s was reversed by message %(by)s.")
                % {"msgid": envelope.msgid, "by": first.reversed_by}
            )
        return str(personal.decrypt(_ANSWER_FIELD, first.answer))
    result = _run(call, found, received)
    text = dumps(result)
    InterfaceMessage.objects.filter(pk=inserted[0]).update(
        infcode=result["infcode"], answer=personal.encrypt(_ANSWER_FIELD, text)
    )
    return text
