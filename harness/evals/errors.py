"""The two failure causes the suite tells apart: a broken scenario file, a broken environment."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from harness.errors import UserError

if TYPE_CHECKING:
    from harness.evals.agents.base import AgentOutcome


class ScenarioError(UserError):
    """A scenario file is invalid: the message names the file, the field and the problem."""

    def __init__(self, path: str | os.PathLike[str], field: str, problem: str):
        self.path, self.field, self.problem = str(path), field or "(top level)", problem
        super().__init__(f"{self.path}: {self.field}: {problem}")


class InfraError(Exception):
    """The cluster, a tool or an API broke: the run is an `error`, never a `fail`."""

    # what an agent used before the error (tokens, cost), kept by the runner
    outcome: AgentOutcome | None = None


class ApiError(InfraError):
    """The model API answered with an error status: the run is an `error` (never a `fail`);
    429 and 5xx are worth retrying, after `retry_after` seconds when the API said so."""

    def __init__(self, message: str, status: int | None = None,
                 retry_after: float | None = None):
        self.status, self.retry_after = status, retry_after
        super().__init__(message)

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500


class Interrupted(InfraError):
    """The user stopped the suite (Ctrl-C): the run in progress stops at its next step,
    cleans up and is recorded as an interrupted `error`."""
