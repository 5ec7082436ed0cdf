"""The judgement of one command: class, the decision it needs at least, and why.

Classes say what a command does to the cluster or the machine; decisions say who must
agree. A verdict starts as an allowed read and only ever gets stricter.

    >>> v = Verdict()
    >>> v.raise_to("write", "kubectl scale changes the cluster", "kubectl:scale")
    >>> v.need("ask", "sets KUBECONFIG", "target:KUBECONFIG")
    >>> v.cls, v.floor, v.reasons[0]
    ('write', 'ask', 'kubectl scale changes the cluster')
"""
from __future__ import annotations

from dataclasses import dataclass, field

CLASSES = ("read", "write", "destructive")
DECISIONS = ("allow", "ask", "deny")


def stricter(a: str, b: str) -> str:
    """The stricter of two decisions."""
    return a if DECISIONS.index(a) >= DECISIONS.index(b) else b


@dataclass
class Verdict:
    cls: str = "read"
    floor: str = "allow"          # the least decision this command needs, whatever the policy
    reasons: list = field(default_factory=list)
    signals: list = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    dry_run: str = ""             # "server" / "client" when kubectl really honours it
    key_reason: str = ""          # the one line that explains the decision

    def raise_to(self, cls: str, reason: str = "", signal: str = "") -> None:
        if CLASSES.index(cls) > CLASSES.index(self.cls):
            self.cls = cls
            if reason:
                self.key_reason = reason
        self.note(reason, signal)

    def need(self, decision: str, reason: str = "", signal: str = "") -> None:
        if DECISIONS.index(decision) > DECISIONS.index(self.floor):
            self.floor = decision
            if reason:
                self.key_reason = reason
        self.note(reason, signal)

    def note(self, reason: str = "", signal: str = "") -> None:
        if reason and reason not in self.reasons:
            self.reasons.append(reason)
        if signal and signal not in self.signals:
            self.signals.append(signal)

    def unknown(self, reason: str, signal: str = "opaque") -> "Verdict":
        """Something the guard cannot fully understand: ask, and count it as destructive."""
        self.raise_to("destructive", reason, signal)
        self.need("ask", reason)
        return self

    def merge(self, other: "Verdict") -> None:
        """Fold in the verdict of a command this one runs (sh -c, xargs, timeout ...)."""
        before = (self.cls, self.floor)
        self.raise_to(other.cls)
        self.need(other.floor)
        if (self.cls, self.floor) != before and other.key_reason:
            self.key_reason = other.key_reason
        for reason in other.reasons:
            self.note(reason)
        for signal in other.signals:
            self.note("", signal)
        if other.dry_run:
            self.dry_run = other.dry_run
        if other.facts and not self.facts.get("verb"):
            self.facts = dict(other.facts)


def opaque(reason: str, signal: str = "opaque") -> Verdict:
    return Verdict().unknown(reason, signal)
