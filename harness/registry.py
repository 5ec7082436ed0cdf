"""One small registry of named specs, filled by class decorators at import time: agent
backends (harness.evals.agents.registry) and cluster providers
(harness.cluster.providers.registry) each keep one. A dict, so iterating, `in` and
`.items()` read it as before."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

S = TypeVar("S")


class Registry(dict[str, S]):
    def __init__(self, what: str, error: Callable[[str], Exception]) -> None:
        super().__init__()
        self.what = what      # "agent", "provider": the word errors use
        self.error = error    # the exception an unknown name raises

    def spec(self, name: str) -> S:
        """The registered spec; `error` naming the known ones."""
        try:
            return self[name]
        except KeyError:
            raise self.error(f"unknown {self.what} {name!r}; known {self.what}s: "
                             f"{', '.join(self.names())}") from None

    def names(self) -> tuple[str, ...]:
        return tuple(self)


def first_doc_line(obj: object) -> str:
    """The first line of a registered class's docstring: its help text."""
    doc = (obj.__doc__ or "").strip().splitlines()
    return doc[0] if doc else ""
