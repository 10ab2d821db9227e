"""The synthetic city, app by app: each installed app that declares a generator in its plugin
(``AppPlugin.synth``) adds its part, in the order their ``after`` lists give (the registry's
persons before anything that needs them). ``jingban synth``, ``jingban demo`` and the synthetic
city job run them through ``generate``; this module imports no app.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jingban.core import plugins
from jingban.core.plugins import SynthContext, SynthOutcome

if TYPE_CHECKING:
    from jingban.core.models import User


@dataclass(frozen=True)
class SynthRun:
    """Every generator's outcome, in the order they ran."""

    persons: int
    seed: int
    out: Path | None
    outcomes: tuple[SynthOutcome, ...]
    seconds: float

    @property
    def counts(self) -> dict[str, int]:
        return {table: n for outcome in self.outcomes for table, n in outcome.counts.items()}

    @property
    def digest(self) -> str:
        """The digest of the whole city: the only generator's own digest when there is one, a
        digest of their digests otherwise, so the same apps, persons and seed give the same."""
        if len(self.outcomes) == 1:
            return self.outcomes[0].digest
        text = "\n".join(f"{o.name}:{o.digest}" for o in self.outcomes)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def persons_per_second(self) -> float:
        return self.persons / self.seconds if self.seconds > 0 else float("inf")


def generate(
    persons: int,
    seed: int,
    *,
    out: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    acting_user: User | None = None,
) -> SynthRun:
    """Run every installed app's generator in turn."""
    started = time.perf_counter()
    outcomes: dict[str, SynthOutcome] = {}
    for generator in plugins.synth_generators():
        function: Callable[[SynthContext], SynthOutcome] = plugins.load(generator.generate)
        context = SynthContext(
            persons=persons,
            seed=seed,
            out=out,
            progress=progress,
            acting_user=acting_user,
            earlier=dict(outcomes),
        )
        outcomes[generator.name] = function(context)
    return SynthRun(
        persons=persons,
        seed=seed,
        out=out,
        outcomes=tuple(outcomes.values()),
        seconds=time.perf_counter() - started,
    )


def loaded() -> bool:
    """Whether a synthetic city is in the database already: an installed app's generator says
    its part is loaded (``SynthGenerator.loaded``). A city loads once into a registry."""
    for generator in plugins.synth_generators():
        if generator.loaded:
            check: Callable[[], bool] = plugins.load(generator.loaded)
            if check():
                return True
    return False
