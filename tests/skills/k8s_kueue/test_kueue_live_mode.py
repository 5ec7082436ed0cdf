"""Live mode through a fake kubectl: one `get` per type, absent CRDs tolerated, errors = exit 2."""
from __future__ import annotations

import os
import stat
import sys

FAKE = r'''#!PYTHON
"""Fake kubectl: serve objects of a dump by resource type; some CRDs are 'not installed'."""
import json, os, sys
import yaml
args = sys.argv[1:]
resource = args[1]
log = os.environ["FAKE_KUBECTL_LOG"]
with open(log, "a") as handle:
    handle.write(" ".join(args) + "\n")
if os.environ.get("FAKE_KUBECTL_DOWN"):
    sys.stderr.write("The connection to the server localhost:8080 was refused\n")
    sys.exit(1)
if resource.split(".")[0] in ("jobsets", "rayjobs", "pytorchjobs", "cohorts"):
    sys.stderr.write('error: the server doesn\'t have a resource type "%s"\n' % resource)
    sys.exit(1)
kinds = {"workloads": "Workload", "localqueues": "LocalQueue", "clusterqueues": "ClusterQueue",
         "resourceflavors": "ResourceFlavor", "admissionchecks": "AdmissionCheck",
         "namespaces": "Namespace", "nodes": "Node", "jobs": "Job", "pods": "Pod",
         "events": "Event", "leaderworkersets": "LeaderWorkerSet", "trainjobs": "TrainJob",
         "resourceclaimtemplates": "ResourceClaimTemplate",
         "multikueueclusters": "MultiKueueCluster"}
kind = kinds[resource.split(".")[0]]
with open(os.environ["FAKE_KUBECTL_DUMP"]) as handle:
    items = yaml.safe_load(handle)["items"]
ns = args[args.index("-n") + 1] if "-n" in args else None
out = [o for o in items if o["kind"] == kind and (ns is None or
       o["metadata"].get("namespace") in (None, ns))]
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": out}))
'''


def _env(tmp_path, dump, down=False):
    kubectl = tmp_path / "kubectl"
    kubectl.write_text(FAKE.replace("PYTHON", sys.executable, 1))
    kubectl.chmod(kubectl.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ, PATH=f"{tmp_path}{os.pathsep}{os.environ['PATH']}",
               FAKE_KUBECTL_DUMP=dump, FAKE_KUBECTL_LOG=str(tmp_path / "calls.log"))
    if down:
        env["FAKE_KUBECTL_DOWN"] = "1"
    return env


def test_live_reads_each_type_once_and_skips_absent_crds(script, resource, tmp_path):
    env = _env(tmp_path, resource("quota_exhausted.yaml"))
    result = script("explain_pending.py", "-n", "team-a", "train-b", "--json", env=env)
    assert result.code == 1, result.err
    assert [f["cause"] for f in result.doc["findings"]] == ["quota_exhausted"]
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert len(calls) == len(set(calls))
    # holders may live in other namespaces: workloads are always read cluster-wide
    assert any(c.startswith("get workloads.kueue.x-k8s.io") and "--all-namespaces" in c
               for c in calls)
    assert any(c.startswith("get pods") and "-n team-a" in c for c in calls)


def test_dead_cluster_is_one_line_exit_2(script, resource, tmp_path):
    env = _env(tmp_path, resource("quota_exhausted.yaml"), down=True)
    result = script("explain_pending.py", env=env)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "connection to the server" in result.err
