"""Where and what is wrong with a pack: the problem (dotted path, line, stable code), the error
that lists them, and how a validation error of the union becomes problems at the paths and lines
of the text as written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from jingban.engine.policy.schema import FAMILY_SECTIONS, Family, PackHeader


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: where (dotted path, line) and what, in English, with a stable
    ``code`` and its ``params`` so an application can say it in the user's language. Codes are
    pydantic's error types (``missing``, ``extra_forbidden`` …) and the schema's own
    (``pack.bands_overlap``, ``money.too_precise`` …)."""

    path: str
    line: int | None
    message: str
    code: str = "pack.invalid"
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.path or '(pack)'}: {self.message}"


# The most problems a pack error lists; the rest are counted ("… and 12 more").
MAX_PROBLEMS = 100


class PackError(ValueError):
    """A pack that cannot be loaded; names the file, and each problem's path and line."""

    code = "policy.invalid_pack"

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.total = len(problems)
        # A page of 15,000 problems helps no one: the first ones, then how many more.
        shown = list(problems[:MAX_PROBLEMS])
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            shown.append(Problem("", None, f"… and {more} more", "pack.more", {"count": more}))
        self.problems = tuple(shown)
        super().__init__(f"{source}: " + "; ".join(str(p) for p in self.problems))


def path_text(loc: Iterable[object]) -> str:
    return ".".join(str(part) for part in loc)


def line_of(node: yaml.Node | None, loc: Sequence[object]) -> int | None:
    """The line (1-based) of the deepest key along ``loc`` in the composed document."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if part == "[key]":  # pydantic's marker for a bad mapping key: the key's own line
            continue
        match: tuple[yaml.Node, yaml.Node] | None = None
        if isinstance(node, yaml.MappingNode):
            # A figure with notes is a mapping around its value: the path goes on inside it.
            match = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                match = (node.value[part], node.value[part])
        if match is None:
            break
        key, node = match
        line = key.start_mark.line + 1
    return line


_TAG_ERRORS = frozenset({"union_tag_invalid", "union_tag_not_found"})


def header_problems(
    plain: Mapping[str, Any], node: yaml.Node | None, layout: int, skip: set[str]
) -> list[Problem]:
    """The problems of the header alone, for a pack whose family is not known."""
    header = {k: v for k, v in plain.items() if k in PackHeader.model_fields}
    try:
        PackHeader.model_validate(header, context={"layout": layout})
    except ValidationError as err:
        return [
            p
            for p in validation_problems(err, plain, node, layout)
            if p.path.split(".")[0] not in skip
        ]
    return []


def validation_problems(
    err: ValidationError, plain: Mapping[str, Any], node: yaml.Node | None, layout: int
) -> list[Problem]:
    """Each validation error as a problem at its path and line. The union puts the family first
    in each location: it is taken off, so a path reads as the text is written."""
    family = plain.get("family")
    problems = []
    for e in err.errors(include_url=False):
        if e["type"] in _TAG_ERRORS:
            problems.append(_family_problem(family, node))
            problems += header_problems(plain, node, layout, skip={"family"})
            continue
        loc = tuple(e["loc"])
        if loc and loc[0] == family:
            loc = loc[1:]
        code, params = e["type"], {k: v for k, v in (e.get("ctx") or {}).items() if k != "error"}
        message = e["msg"].removeprefix("Value error, ")
        if code == "extra_forbidden" and len(loc) == 1:
            code, message, params = _section_of_other_family(str(loc[0]), family, code, message)
        problems.append(
            Problem(
                path_text(part for part in loc if part != "[key]"),
                line_of(node, loc),
                message,
                code,
                params,
            )
        )
    return problems


def _family_problem(family: object, node: yaml.Node | None) -> Problem:
    expected = ", ".join(f.value for f in Family)
    line = line_of(node, ("family",))
    if family is None:
        return Problem(
            "family",
            line,
            f"name the scheme family of the pack: family: {expected}",
            "pack.family_missing",
            {"expected": expected},
        )
    return Problem(
        "family",
        line,
        f"{family!r} is not a scheme family (one of {expected})",
        "pack.unknown_family",
        {"family": repr(family), "expected": expected},
    )


def _section_of_other_family(
    key: str, family: object, code: str, message: str
) -> tuple[str, str, dict[str, object]]:
    """A top-level key another family has: say so rather than "not permitted"."""
    owners = [f.value for f, sections in FAMILY_SECTIONS.items() if key in sections]
    if not owners:
        return code, message, {}
    params: dict[str, object] = {"section": key, "family": str(family), "owner": owners[0]}
    return (
        "pack.section_of_other_family",
        f"{key} belongs to a {owners[0]} pack, not to a {family} pack",
        params,
    )
