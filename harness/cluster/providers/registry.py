"""The cluster provider registry: a provider is one class, registered with `@register(...)`,
that declares which `cluster up` options it takes. The CLI builds `up`'s flags from here,
refuses a flag the chosen provider does not take, and talks to a cluster only through the
`Provider` protocol; so adding a provider is one file (like `agents.register` for agent
backends).

A named cluster remembers its provider in <state>/clusters/<name>/state.json, so `down`,
`status` and `env` need only the name.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from harness.cluster import paths, state_json
from harness.cluster.health import ComponentHealth
from harness.cluster.kubectl import Kubectl
from harness.errors import UserError
from harness.registry import Registry, first_doc_line

Log = Callable[[str], None]


class Provider(Protocol):
    """One named cluster of one provider."""

    name: str
    dir: Path  # its state folder: state.json, and whatever else the provider keeps

    @property
    def kubeconfig(self) -> Path: ...

    def kubectl(self) -> Kubectl: ...

    def state(self) -> dict[str, Any]:
        """state.json's content; {} when the cluster does not exist."""
        ...

    def up(self, *args: Any, **options: Any) -> bool:
        """Start (or adopt) the cluster with the options its registration declares; False
        when it was already running."""
        ...

    def down(self) -> int:
        """Stop and forget the cluster; returns how many processes were stopped."""
        ...

    def status(self) -> list[ComponentHealth]:
        """Health of each component this provider can see."""
        ...

    def inventory(self) -> dict[str, int]:
        """Nodes, Ready nodes, real nodes, GPUs and DRA devices (see node_inventory)."""
        ...

    def logs(self) -> str:
        """Where this cluster's logs are (a folder, or the command that collects them);
        empty when the provider keeps none."""
        ...


@dataclass(frozen=True)
class Option:
    """A `cluster up` flag, filling the keyword `dest` of the provider's `up()`. A flag
    that several providers take is one Option object that each of them lists."""

    flag: str
    dest: str
    help: str
    type: Callable[[str], Any] | None = None
    choices: tuple[str, ...] | None = None
    action: str | None = None  # store_true / store_false; None: takes a value
    metavar: str | None = None

    def argparse_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"dest": self.dest}
        if self.action:
            kwargs["action"] = self.action
        if self.type:
            kwargs["type"] = self.type
        if self.choices:
            kwargs["choices"] = self.choices
        if self.metavar:
            kwargs["metavar"] = self.metavar
        return kwargs


RETAIN = Option(
    "--retain", "retain", action="store_true",
    help="when the start fails, keep the cluster for debugging (its processes stopped, its "
         "data and logs kept) and say where the logs are; remove it with `cluster down`")

Factory = Callable[[str, Log | None], Provider]
F = TypeVar("F", bound=Factory)


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    factory: Factory
    options: tuple[Option, ...]
    doc: str = ""

    def takes(self, dest: str) -> bool:
        return any(o.dest == dest for o in self.options)


REGISTRY: Registry[ProviderSpec] = Registry("provider", UserError)


def register(name: str, *, options: Iterable[Option] = ()) -> Callable[[F], F]:
    """Class decorator: `@register("kind", options=(RETAIN,))`. The class is built with
    (cluster name, log) and implements `Provider`; its docstring's first line is the
    provider's help."""
    def wrap(factory: F) -> F:
        taken = tuple(options)
        for option in taken:
            known = _option(option.flag)
            if known is not None and known != option:
                raise ValueError(f"provider {name!r}: {option.flag} is declared differently "
                                 "by another provider: share one Option object")
        REGISTRY[name] = ProviderSpec(name, factory, taken, first_doc_line(factory))
        return factory
    return wrap


def spec(name: str) -> ProviderSpec:
    """The registered provider; UserError naming the known ones."""
    return REGISTRY.spec(name)


def names() -> tuple[str, ...]:
    return REGISTRY.names()


def all_options() -> list[tuple[Option, tuple[str, ...]]]:
    """Every `up` flag once, in registration order, with the providers that take it."""
    seen: dict[str, tuple[Option, tuple[str, ...]]] = {}
    for provider in REGISTRY.values():
        for option in provider.options:
            known = seen.get(option.flag)
            seen[option.flag] = (option, (known[1] if known else ()) + (provider.name,))
    return list(seen.values())


def _option(flag: str) -> Option | None:
    return next((o for s in REGISTRY.values() for o in s.options if o.flag == flag), None)


def check_options(provider: str, given: dict[str, Any]) -> None:
    """UserError on a flag given (by dest) that `provider` does not take."""
    chosen = spec(provider)
    for dest in given:
        if not chosen.takes(dest):
            flag = next(o.flag for o, _ in all_options() if o.dest == dest)
            takes = ", ".join(o.flag for o in chosen.options) or "no options"
            raise UserError(f"{flag} is not an option of the {provider} provider "
                            f"(it takes: {takes})")


def read_state(name: str) -> dict[str, Any]:
    return state_json.read(paths.cluster_dir(name) / "state.json")


def new_cluster(provider: str, name: str, log: Log | None = None) -> Provider:
    return spec(provider).factory(name, log)


def open_cluster(name: str, log: Log | None = None) -> Provider:
    """The provider object of an existing cluster (a local one when none exists)."""
    provider = read_state(name).get("provider", "local")
    if provider not in REGISTRY:
        raise UserError(f"cluster {name!r} was made by provider {provider!r}, which this "
                        f"harness does not know (known: {', '.join(names())}); remove "
                        f"{paths.cluster_dir(name)} by hand")
    return new_cluster(provider, name, log)


def node_inventory(kubectl: Kubectl) -> dict[str, int]:
    """What `cluster status` counts: nodes, Ready nodes, real (kubelet) nodes, GPUs as
    extended resources and DRA devices in ResourceSlices."""
    from harness.cluster.node_config import KIND_LABEL
    nodes = kubectl.get_json("nodes")["items"]
    ready = [n for n in nodes if any(c.get("type") == "Ready" and c.get("status") == "True"
                                     for c in n.get("status", {}).get("conditions", []))]
    gpus = sum(int(n["status"].get("allocatable", {}).get("nvidia.com/gpu", 0)) for n in nodes)
    slices = kubectl.run("get", "resourceslices", "-o", "json", check=False)
    devices = 0
    if slices.returncode == 0:
        devices = sum(len(s["spec"].get("devices", []))
                      for s in json.loads(slices.stdout)["items"])
    real = [n for n in nodes if (n["metadata"].get("labels") or {}).get(KIND_LABEL) == "real"]
    return {"nodes": len(nodes), "ready_nodes": len(ready), "real_nodes": len(real),
            "extended_gpus": gpus, "dra_devices": devices}


def apiserver_health(kubectl: Kubectl) -> ComponentHealth:
    """The one component a cluster we did not start shows: its apiserver's /readyz."""
    ok = kubectl.ok("get", "--raw", "/readyz")
    return ComponentHealth("kube-apiserver", ok, "readyz ok" if ok else "unreachable")
