"""The two failure causes the suite tells apart: a broken scenario file, a broken environment."""
from __future__ import annotations

from harness.errors import UserError


class ScenarioError(UserError):
    """A scenario file is invalid: the message names the file, the field and the problem."""

    def __init__(self, path, field: str, problem: str):
        self.path, self.field, self.problem = str(path), field or "(top level)", problem
        super().__init__(f"{self.path}: {self.field}: {problem}")


class InfraError(Exception):
    """The cluster, a tool or an API broke: the run is an `error`, never a `fail`."""
