"""The common envelope (公共报文) in and out.

In: ``infno, msgid, mdtrtarea_admvs, insuplc_admdvs, recer_sys_code, dev_no, dev_safe_info,
cainfo, signtype, infver, opter_type, opter, opter_name, inf_time, fixmedins_code,
fixmedins_name, sign_no, input``. Out: ``infcode`` (0 success; −1 system error, after which the
hospital reverses with 2601; −2 business error), ``inf_refmsgid, refmsg_time, respond_time,
err_msg, warn_msg, output``. Fields jingban does not use are accepted and ignored."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from jingban.medical.national.wire import FieldProblem, compact_time

SUCCESS = 0
SYSTEM_ERROR = -1
BUSINESS_ERROR = -2

_MSGID = re.compile(r"^[0-9A-Za-z_-]{1,30}$")
_INFNO = re.compile(r"^\d{4}$")
_ADMDVS = re.compile(r"^\d{6}$")


class InterfaceError(Exception):
    """An answer with ``infcode`` below 0 and a Chinese ``err_msg``."""

    def __init__(self, message: str, *, infcode: int = BUSINESS_ERROR, field: str = "") -> None:
        self.infcode = infcode
        self.message = message
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class Envelope:
    infno: str
    msgid: str
    fixmedins_code: str
    input: Mapping[str, Any]
    mdtrtarea_admvs: str = ""
    insuplc_admdvs: str = ""
    opter: str = ""
    opter_name: str = ""
    opter_type: str = ""
    sign_no: str = ""
    inf_time: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FieldProblem(name, _("must be text"))
    return str(value).strip()


def parse_envelope(data: object) -> Envelope:
    """Check the envelope's shape; a missing or malformed field raises ``FieldProblem``."""
    if not isinstance(data, Mapping):
        raise FieldProblem("infno", _("the body must be a JSON object"))
    infno = _text(data, "infno")
    if not infno:
        raise FieldProblem("infno", _("is required"))
    if not _INFNO.match(infno):
        raise FieldProblem("infno", _("must be a four-digit transaction number"))
    msgid = _text(data, "msgid")
    if not msgid:
        raise FieldProblem("msgid", _("is required"))
    if not _MSGID.match(msgid):
        raise FieldProblem("msgid", _("must be at most 30 letters or digits"))
    fixmedins_code = _text(data, "fixmedins_code")
    if not fixmedins_code:
        raise FieldProblem("fixmedins_code", _("is required"))
    areas = {}
    for name in ("mdtrtarea_admvs", "insuplc_admdvs"):
        areas[name] = _text(data, name)
        if areas[name] and not _ADMDVS.match(areas[name]):
            raise FieldProblem(name, _("must be a six-digit administrative division code"))
    payload = data.get("input")
    if payload is None:
        payload = {}
    if not isinstance(payload, Mapping):
        raise FieldProblem("input", _("must be a JSON object"))
    return Envelope(
        infno=infno,
        msgid=msgid,
        fixmedins_code=fixmedins_code,
        input=payload,
        mdtrtarea_admvs=areas["mdtrtarea_admvs"],
        insuplc_admdvs=areas["insuplc_admdvs"],
        opter=_text(data, "opter"),
        opter_name=_text(data, "opter_name"),
        opter_type=_text(data, "opter_type"),
        sign_no=_text(data, "sign_no"),
        inf_time=_text(data, "inf_time"),
    )


def peek(data: object, name: str) -> str:
    """A field of a body that may not be a valid envelope (for an error answer)."""
    if isinstance(data, Mapping):
        value = data.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)[:30]
    return ""


def new_refmsgid(admdvs: str, now: dt.datetime) -> str:
    """The platform's id of an answer: admdvs (6) + yyyyMMddHHmmss + 10 random characters."""
    return f"{admdvs[:6]:0<6}{now.strftime('%Y%m%d%H%M%S')}{secrets.token_hex(5)}"


def answer(
    *,
    infcode: int,
    output: Mapping[str, Any] | None,
    received: dt.datetime,
    now: dt.datetime,
    admdvs: str,
    err_msg: str = "",
    warn_msg: str = "",
) -> dict[str, Any]:
    """The envelope out. ``output`` is ``{}`` rather than absent on an error, as clients that
    deserialise into a typed model expect."""
    return {
        "infcode": infcode,
        "inf_refmsgid": new_refmsgid(admdvs, now),
        "refmsg_time": compact_time(received),
        "respond_time": compact_time(now),
        "err_msg": err_msg or None,
        "warn_msg": warn_msg or None,
        "output": dict(output) if output is not None else {},
    }


def problem_message(problem: FieldProblem) -> str:
    """``字段 medfee_sumamt：不能为负数`` — the field named as the interface names it."""
    return _("Field %(field)s: %(problem)s") % {"field": problem.field, "problem": problem.message}
