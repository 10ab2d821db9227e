"""The options every batch command of the engine checks the same way (``jingban adjudicate``
of the medical app, ``jingban ltc`` of long-term care; the app layers keep them from importing
each other, so what they share lives here): the exit status of a usage error, output files that
would overwrite an input or each other, and ``--policy`` specs resolved into packs with every
failure said in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from django.core.management.base import CommandError

from jingban.core.engine_messages import describe_pack_error, describe_problem
from jingban.engine.policy import BadPackSpec, PackError, PolicyPack, UnknownPack
from jingban.packs.resolution import PackSource, resolve_specs

USAGE_ERROR = 2  # like argparse's own errors


def usage_error(code: str, fallback: str, params: Mapping[str, object]) -> CommandError:
    """A problem with the options, a file or a pack, in the active language (exit status 2)."""
    return CommandError(describe_problem(code, fallback, params), returncode=USAGE_ERROR)


def check_outputs(inputs: Sequence[Path], outputs: Sequence[Path]) -> None:
    """Refuse an output file that is an input or is given twice (nothing is written yet)."""
    read = {path.resolve() for path in inputs}
    written: set[Path] = set()
    for path in outputs:
        where = path.resolve()
        if where in read:
            raise usage_error("file.output_is_input", f"{path} is an input", {"path": path})
        if where in written:
            raise usage_error("file.output_twice", f"{path} is given twice", {"path": path})
        written.add(where)


def resolve_packs(specs: list[str], source: PackSource) -> list[PolicyPack]:
    """The packs of ``--policy`` specs, or a usage error saying which spec and why."""
    from django.db import Error as DatabaseError

    from jingban.devdb import EmbeddedDatabaseError

    try:
        return resolve_specs(specs, source)
    except UnknownPack as err:
        known = ", ".join(err.known) or "-"
        raise usage_error(err.code, str(err), {"spec": err.spec, "known": known}) from err
    except BadPackSpec as err:
        raise usage_error(err.code, str(err), {"spec": err.spec}) from err
    except PackError as err:
        # A pack file given on the command line is named as it was given, path and all.
        given = next(
            (s for s in specs if s.endswith((".yaml", ".yml")) and Path(s).name == err.source),
            err.source,
        )
        raise CommandError(describe_pack_error(err, given), returncode=USAGE_ERROR) from err
    except (DatabaseError, EmbeddedDatabaseError) as err:
        first_line = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise usage_error("policy.database_unavailable", str(err), {"error": first_line}) from err
