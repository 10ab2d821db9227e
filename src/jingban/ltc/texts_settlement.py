"""How settlement shows its figures and reasons: amounts in yuan from fen, care forms by their
labels, and each rejected row's reason (the engine's stable code and parameters) as a sentence
in the user's language, never a code. The sentences are the one table of ``ltc.reasons``,
which the command's output and errors files use too."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext

from jingban.ltc.reasons import describe_code


def yuan(fen: int | None) -> str:
    """``123456`` → ``1,234.56`` (negative amounts keep their sign)."""
    value = fen or 0
    sign = "-" if value < 0 else ""
    whole, cents = divmod(abs(value), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def reason_text(item: Mapping[str, object]) -> str:
    """A stored rejection (``{"code", "params", …}``) as a sentence, without its full stop (the
    pages list several in a row); "not paid" for a code without a sentence."""
    code = str(item.get("code", ""))
    raw = item.get("params") or {}
    params: Mapping[str, object] = raw if isinstance(raw, Mapping) else {}
    not_paid = gettext("not paid")
    if not code.startswith("ltc."):
        return not_paid
    return describe_code(code, not_paid, params).rstrip(".。")
