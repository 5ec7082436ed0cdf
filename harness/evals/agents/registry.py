"""The agent backend registry: a backend is one class, registered with `@register(...)`,
that declares what it needs. The CLI, the runner, the summary and the guard review ask
here, so adding a backend is one file (like `checks.register` for check types)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from harness.registry import Registry, first_doc_line

if TYPE_CHECKING:
    from harness.evals.agents.base import AgentContext, AgentOutcome


class AgentBackend(Protocol):
    """Works on one scenario run and says what it did."""

    def run(self, ctx: AgentContext) -> AgentOutcome: ...


@dataclass(frozen=True)
class BackendSpec:
    name: str
    factory: Callable[[], AgentBackend]
    doc: str = ""
    # A model drives it: --model, skills on/off arms, epochs, pricing, the judge, and a
    # local fake Anthropic API for --scripted runs.
    model: bool = False
    key: bool = False          # Anthropic credentials, unless --scripted
    sdk: bool = False          # the claude-agent-sdk package and its CLI's sandbox
    transcript: bool = False   # --transcript: recorded commands to play
    reviewed: bool = False     # the guard review judges the commands it ran
    control: bool = False      # one of `eval --validate`'s control runs


REGISTRY: Registry[BackendSpec] = Registry("agent", KeyError)
B = TypeVar("B", bound=Callable[[], AgentBackend])


def register(name: str, *, model: bool = False, key: bool = False, sdk: bool = False,
             transcript: bool = False, reviewed: bool = False,
             control: bool = False) -> Callable[[B], B]:
    """Class decorator: `@register("messages", model=True, key=True, reviewed=True)`."""
    def wrap(factory: B) -> B:
        REGISTRY[name] = BackendSpec(name, factory, first_doc_line(factory), model, key, sdk,
                                     transcript, reviewed, control)
        return factory
    return wrap


def spec(name: str) -> BackendSpec:
    """The registered backend; KeyError naming the known ones."""
    return REGISTRY.spec(name)


def names() -> tuple[str, ...]:
    return REGISTRY.names()


def controls() -> tuple[str, ...]:
    """The control runs of `eval --validate`, in registration order."""
    return tuple(name for name, s in REGISTRY.items() if s.control)


def model_agents() -> tuple[str, ...]:
    return tuple(name for name, s in REGISTRY.items() if s.model)


def uses_model(name: str) -> bool:
    """Whether a backend is model-driven; a name no longer registered (a record from an
    older harness) counts as a control backend without a model."""
    known = REGISTRY.get(name)
    return bool(known and known.model)


def reviewed_sources() -> tuple[str, ...]:
    """Transcript sources whose commands the guard review judges: the reviewed backends'
    names, and `agent`, the agent service's own transcripts."""
    return tuple(name for name, s in REGISTRY.items() if s.reviewed) + ("agent",)
