"""Per-run isolation on a shared cluster: own namespaces, labelled cluster-scoped objects.

Every object the harness applies carries `k8s-skills.eval/run=<token>`; cleanup deletes
the run's namespaces and every labelled cluster-scoped object it applied, all kinds at once
(Kube.delete_labelled: one deletecollection per kind where the apiserver serves it) and
without waiting for finalizers. Names carry the run's token, so an object still finalizing
never collides with the next run's, and a run costs well under a second of isolation
overhead.
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import copy
import secrets
import time

from harness.evals.errors import InfraError

if TYPE_CHECKING:
    from harness.evals.kube import Kube
    from harness.evals.scenario import Scenario

RUN_LABEL = "k8s-skills.eval/run"
SCENARIO_LABEL = "k8s-skills.eval/scenario"


class Sandbox:
    def __init__(self, kube: Kube, scenario: Scenario, token: str | None = None) -> None:
        self.kube = kube
        self.scenario = scenario
        self.token = token or secrets.token_hex(3)
        self.prefix = f"ev-{self.token}"
        self.namespace_specs = scenario.namespaces
        self.namespaces = {n["name"]: f"{n['name']}-{self.token}" for n in self.namespace_specs}
        self.cluster_kinds: set[str] = set()
        self.cluster_objects: dict[str, set[str]] = {}   # "plural.group" -> names applied
        self.timings = {"namespace_setup": 0.0, "cleanup": 0.0}

    @property
    def ns(self) -> str:
        return self.namespaces[self.namespace_specs[0]["name"]]

    @property
    def run_label(self) -> str:
        return f"{RUN_LABEL}={self.token}"

    def context(self) -> dict[str, Any]:
        """Jinja2 variables for scenario strings and manifests."""
        from harness.evals.cluster_facts import template_vars
        return {"ns": self.ns, "namespaces": dict(self.namespaces), "prefix": self.prefix,
                "run_label": self.run_label, "scenario": self.scenario.id,
                **template_vars(self.kube.kubeconfig)}

    def env(self) -> dict[str, str]:
        """Shell variables every command (agent, reference fix, checks) sees."""
        env = {"NS": self.ns, "PREFIX": self.prefix}
        for logical, actual in self.namespaces.items():
            env[f"NS_{logical.upper().replace('-', '_')}"] = actual
        return env

    def describe(self) -> dict[str, Any]:
        return {"token": self.token, "prefix": self.prefix, "namespaces": dict(self.namespaces)}

    def create(self) -> None:
        start = time.monotonic()
        for spec in self.namespace_specs:
            self.kube.create(self._labelled({
                "apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": self.namespaces[spec["name"]],
                             "labels": dict(spec["labels"])}}))
        self.timings["namespace_setup"] = round(time.monotonic() - start, 3)

    def apply(self, objects: list[dict[str, Any]]) -> None:
        """Label every object, put namespaced ones without a namespace into `ns`, apply."""
        prepared = []
        for obj in objects:
            obj = self._labelled(copy.deepcopy(obj))
            kind, api = obj.get("kind", ""), obj.get("apiVersion", "")
            if self.kube.is_namespaced(kind, api):
                obj["metadata"].setdefault("namespace", self.ns)
            else:
                group = api.split("/")[0] if "/" in api else ""
                self.cluster_kinds.add(f"{kind.lower()}.{group}".rstrip("."))
                res = self.kube.resource(kind, api)
                key = f"{res.plural if res else kind.lower()}.{group}".rstrip(".")
                self.cluster_objects.setdefault(key, set()).add(obj["metadata"]["name"])
            prepared.append(obj)
        self.kube.apply(prepared)

    def cleanup(self) -> None:
        """Delete what the run made; never raises (cleanup must not hide the result)."""
        start = time.monotonic()
        self.cleanup_error = None
        try:
            self.kube.delete_labelled([*sorted(self.cluster_kinds), "namespaces"],
                                      self.run_label,
                                      known={"namespaces": list(self.namespaces.values())})
        except InfraError as err:
            self.cleanup_error = str(err)
        self.timings["cleanup"] = round(time.monotonic() - start, 3)

    def _labelled(self, obj: dict[str, Any]) -> dict[str, Any]:
        labels = obj.setdefault("metadata", {}).setdefault("labels", {}) or {}
        labels[RUN_LABEL] = self.token
        labels[SCENARIO_LABEL] = self.scenario.id[:63]
        obj["metadata"]["labels"] = labels
        return obj


LEFTOVER_KINDS = ("clusterqueues.kueue.x-k8s.io", "resourceflavors.kueue.x-k8s.io",
                  "deviceclasses.resource.k8s.io", "clusterroles", "clusterrolebindings",
                  "priorityclasses", "namespaces")


def remove_leftovers(kube: Kube) -> str:
    """Delete everything any eval run labelled (after an interrupted run)."""
    names = [f"{kind}/{o['metadata']['name']}" for kind in LEFTOVER_KINDS
             if kube.resource(kind) for o in kube.list(kind, selector=RUN_LABEL,
                                                       all_namespaces=True)]
    kube.delete_labelled([k for k in LEFTOVER_KINDS if kube.resource(k)], RUN_LABEL)
    return "\n".join(f"deleted {n}" for n in names)
