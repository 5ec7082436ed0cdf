"""Re-capture the pod-level troubleshooting fixtures from the local cluster's real node.

    .venv/bin/python tests/resources/troubleshooting/capture.py [--name CLUSTER] [FIXTURE ...]

Needs a running local cluster with its real node (`k8s-skills cluster up`). Each fixture is
made by creating its objects in namespace ts-dev or ts-fx on the real node, waiting until
the kubelet reports the state named below, and dumping the namespace's objects with
`kubectl get -o json`, trimmed of server bookkeeping (managedFields, resourceVersion, the
last-applied annotation). Its header says what was captured, from which kubelet and
containerd, and when. The scheduling, PVC, Kueue and node fixtures come from other real
components and are not re-captured here.
"""
from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the repository's tests/
from harness.cluster.local import LocalCluster
from tests.live import real_faults as rf

HERE = Path(__file__).parent
KINDS = "pods,events,deployments,replicasets,jobs,configmaps"


@dataclass
class Fixture:
    file: str
    title: str
    namespace: str
    objects: list[dict]
    ready: Callable[[list[dict]], bool]   # pods -> captured state reached
    setup: list[dict] | None = None


def bare_pod(name: str, ns: str, *containers: dict, **spec) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": rf.pod_spec(*containers, **spec)}


def named(name: str, **fields) -> dict:
    return {**rf.container(**fields), "name": name}


def _pod(pods: list[dict], name: str) -> dict:
    return next((p for p in pods if p["metadata"]["name"] == name), {})


def fixtures() -> list[Fixture]:
    dev, fx = "ts-dev", "ts-fx"
    server = dict(image="nginx:1.27", ports=[{"containerPort": 8080}],
                  env=[{"name": "LISTEN", "value": ":8080"}])
    probe = {"httpGet": {"path": "/ready", "port": 8081}, "periodSeconds": 5}
    good = {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 5}
    return [
        Fixture("crash_loop.yaml", "crash_loop: command ends in `exit 3`; a healthy sidecar",
                dev, [bare_pod("crash", dev,
                               named("app", image="busybox:1.36",
                                     command=["sh", "-c", "echo hi; exit 3"]),
                               named("side", image=rf.WORKER))],
                lambda pods: rf.crashed(3, "Always")(_pod(pods, "crash"))),
        Fixture("image_pull.yaml", "image_pull: tag v9.9.9 was never published", dev,
                [bare_pod("pull", dev, named("web", image="team/web:v9.9.9"))],
                lambda pods: rf.waiting("ImagePullBackOff")(_pod(pods, "pull"))),
        Fixture("oom_killed.yaml", "oom_killed: stress --vm-bytes 250M under a 100Mi limit",
                dev, [bare_pod("oom", dev, named(
                    "stress", image="polinux/stress", command=["stress"],
                    args=["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"],
                    resources={"requests": {"memory": "100Mi"},
                               "limits": {"memory": "100Mi"}}))],
                lambda pods: rf.waiting("CrashLoopBackOff")(_pod(pods, "oom"))),
        Fixture("probe_failing.yaml", "probe_failing: readinessProbe port 8081, containerPort "
                "8080", dev, [bare_pod("probe", dev, named("web", **server,
                                                            readinessProbe=probe))],
                lambda pods: rf.unready_running(_pod(pods, "probe"))),
        Fixture("healthy.yaml", "healthy: a Running, Ready pod with a correct probe "
                "(no finding)", dev, [bare_pod("healthy", dev, named(
                    "web", **server, readinessProbe=good))],
                lambda pods: any(c.get("ready") for c in rf.statuses(_pod(pods, "healthy")))),
        Fixture("config_missing.yaml", "config_missing: Secret db absent, ConfigMap settings "
                "lacks key mode", dev,
                [{"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": "settings", "namespace": dev},
                  "data": {"level": "debug"}},
                 bare_pod("cfg", dev, named("app", image="app:1.0", env=[
                     {"name": "DB_PASS", "valueFrom": {"secretKeyRef": {
                         "name": "db", "key": "password"}}},
                     {"name": "MODE", "valueFrom": {"configMapKeyRef": {
                         "name": "settings", "key": "mode"}}}]))],
                lambda pods: rf.waiting("CreateContainerConfigError")(_pod(pods, "cfg"))),
        # Created failing (no earlier revision): both pods unready, the deadline passes.
        Fixture("rollout_stuck.yaml", "rollout_stuck: new pods fail the readiness probe, "
                "progressDeadlineSeconds 5", fx,
                [rf.deployment("web", fx, rf.pod_spec(named("web", **server,
                                                            readinessProbe=probe)),
                               replicas=2, progressDeadlineSeconds=5)],
                lambda pods: len(pods) == 2 and all(rf.unready_running(p) for p in pods)),
    ]


class Capture:
    def __init__(self, cluster: LocalCluster):
        self.kubectl = cluster.kubectl()

    def run(self, fixture: Fixture) -> None:
        ns = fixture.namespace
        self.kubectl.run("delete", "namespace", ns, "--wait=true", check=False, timeout=120)
        self.kubectl.run("create", "namespace", ns)
        if fixture.setup:
            self.kubectl.apply(fixture.setup)
            name = fixture.setup[-1]["metadata"]["name"]
            self.kubectl.run("rollout", "status", f"deployment/{name}", "-n", ns,
                             "--timeout=90s", timeout=100)
        self.kubectl.apply(fixture.objects)
        deadline = time.monotonic() + 180
        while not fixture.ready(self._pods(ns)):
            if time.monotonic() > deadline:
                raise SystemExit(f"{fixture.file}: the kubelet never reported the state")
            time.sleep(2)
        if "rollout" in fixture.file:
            self._wait_progress_deadline(ns)
        time.sleep(3)  # the events of the last transition
        items = [trim(o) for o in self.kubectl.get_json(KINDS, "-n", ns)["items"]]
        items += [trim(self.kubectl.get_json("node", rf.node.NODE_NAME))]
        write(HERE / fixture.file, fixture.title, items, self._versions())
        self.kubectl.run("delete", "namespace", ns, "--wait=false", check=False)

    def _pods(self, ns: str) -> list[dict]:
        return self.kubectl.get_json("pods", "-n", ns)["items"]

    def _wait_progress_deadline(self, ns: str) -> None:
        for _ in range(60):
            dep = self.kubectl.get_json("deployment", "web", "-n", ns)
            if any(c.get("reason") == "ProgressDeadlineExceeded"
                   for c in dep.get("status", {}).get("conditions", [])):
                return
            time.sleep(1)

    def _versions(self) -> str:
        info = self.kubectl.get_json("node", rf.node.NODE_NAME)["status"]["nodeInfo"]
        return f"kubelet {info['kubeletVersion']}, {info['containerRuntimeVersion']}"


DROP_META = ("managedFields", "resourceVersion", "selfLink")


def trim(obj: dict) -> dict:
    meta = obj.get("metadata", {})
    for key in DROP_META:
        meta.pop(key, None)
    annotations = meta.get("annotations") or {}
    annotations.pop("kubectl.kubernetes.io/last-applied-configuration", None)
    if not annotations:
        meta.pop("annotations", None)
    if obj.get("kind") == "Node":
        obj.get("status", {}).pop("images", None)   # a list of every pulled image
    return obj


def write(path: Path, title: str, items: list[dict], versions: str) -> None:
    when = datetime.date.today().isoformat()
    header = (f"# {title}\n"
              f"# Captured from the real node of the local cluster ({versions}; images from\n"
              f"# its local registry) on {when} by capture.py; the kubelet wrote every status.\n")
    body = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": items},
                          sort_keys=False, default_flow_style=False, width=100)
    path.write_text(header + body)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", default="k8s-skills", help="local cluster name")
    parser.add_argument("fixtures", nargs="*", help="fixture files (default: all)")
    args = parser.parse_args(argv)
    cluster = LocalCluster(args.name)
    if not cluster.is_running() or not cluster.state().get("real_node"):
        print(f"error: cluster {args.name!r} is not running with its real node: run "
              "`k8s-skills cluster up`", file=sys.stderr)
        return 2
    capture = Capture(cluster)
    for fixture in fixtures():
        if not args.fixtures or fixture.file in args.fixtures:
            print(f"capturing {fixture.file}", file=sys.stderr)
            capture.run(fixture)
    return 0


if __name__ == "__main__":
    sys.exit(main())
