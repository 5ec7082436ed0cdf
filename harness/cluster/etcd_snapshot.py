"""The objects every local cluster starts with, restored from a cached etcd data folder.

Creating ~40 CRDs (Kueue, JobSet, LeaderWorkerSet, Gateway API, Inference Extension, Envoy
Gateway, Envoy AI Gateway) in a fresh apiserver made it spend ~20 CPU seconds (OpenAPI
models, establishing, storage per CRD) of the ~30 a `cluster up` used, and dominated its
wall time on 2 cores (benchmarks/startup_profile.py). An apiserver that starts on an etcd
that already holds those CRDs, Established, serves them after loading them once.

So the fixed objects of a start (the CRDs, KWOK's stages, the namespaces, the topology's
nodes, ResourceSlices and DeviceClass) are written once into a throwaway control plane
(etcd and kube-apiserver only, no controller to leave events, leases or pods behind), whose
stopped etcd data folder is cached under `<versions>/etcd-snapshots/<key>/`; each `cluster
up` copies it in place before kwokctl starts etcd (kwokctl keeps an existing data folder:
pkg/kwokctl/runtime/binary/cluster_setup.go, `MkdirAll(etcdDataPath)`; its PKI is made
fresh per cluster as before). The key is a digest of everything the content depends on:
the pinned versions, the generating modules' source, the objects themselves are not
needed to compute it (that would cost the YAML parsing the cache saves), so the inputs are
the topology's objects, the Gateway API channel and which controllers run.

Kueue's CRD conversion webhooks point at a port chosen when the snapshot was made, with a
CA kept beside it: the first cluster that starts from the snapshot claims that port (a lock
its Kueue holds while it runs) and changes nothing; another one, started while the first
runs, re-points those CRDs to a port of its own (updating 6 large CRDs costs the apiserver
seconds, so it is the exception). Kueue's admission webhooks and its ResourceFlavors are not
in the snapshot (they are applied after Kueue starts, as before).
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from harness import pins
from harness.cluster import crds, paths, pki, procs, topology
from harness.cluster.kueue import config as kueue
from harness.cluster.envoy_ai_gateway import config as aigw_config
from harness.cluster.envoy_gateway import config as eg_config
from harness.errors import UserError

# Bump when the way a snapshot is made changes in a way the source digest cannot see.
FORMAT = 1
HERE = Path(__file__).resolve().parent
# Modules whose code decides what the snapshot holds (or how it is made).
SOURCES = (
    HERE / "etcd_snapshot.py", HERE / "crds.py", HERE / "kueue" / "config.py",
    HERE / "topology.py", HERE / "pki.py",
    HERE / "envoy_gateway" / "config.py", HERE / "envoy_ai_gateway" / "config.py",
    Path(pins.__file__).resolve(),
)
ETCD_DIR = "etcd"      # inside a snapshot folder, and kwokctl's name in its cluster folder
META = "meta.json"
WEBHOOK_CA = ("webhook-ca.crt", "webhook-ca.key")
UNUSED_DAYS = 7


def key(inputs: dict[str, Any]) -> str:
    """Digest of the snapshot's inputs (JSON-able) plus FORMAT and the sources' digest."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"format": FORMAT, "inputs": inputs}, sort_keys=True).encode())
    for path in SOURCES:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def root() -> Path:
    return paths.versions_dir() / "etcd-snapshots"


def folder(snapshot_key: str) -> Path:
    return root() / snapshot_key


def ensure(snapshot_key: str, build: Callable[[Path], dict[str, Any]],
           log: Callable[[str], None] = lambda m: None) -> Path:
    """The snapshot folder for `snapshot_key`, made by `build(data_dir) -> meta dict` when
    missing (under a lock: two clusters starting at once build it once)."""
    target = folder(snapshot_key)
    if (target / META).is_file():
        os.utime(target / META)  # last use, for prune()
        return target
    root().mkdir(parents=True, exist_ok=True)
    with _lock(root() / f".{snapshot_key}.lock"):
        if (target / META).is_file():
            return target
        log("no etcd snapshot for these versions and this topology yet: making one "
            "(once; later starts restore it)")
        work = root() / f".{snapshot_key}.{os.getpid()}.tmp"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        try:
            meta = build(work / ETCD_DIR)
            (work / META).write_text(json.dumps(meta, indent=1, sort_keys=True))
            os.replace(work, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    prune(keep=snapshot_key)
    return target


def prune(keep: str, unused_for: float = UNUSED_DAYS * 86400) -> list[str]:
    """Delete the snapshots (about 70 MB each) no start has used for `unused_for` seconds:
    those of older pins, code or topologies. Returns the keys deleted."""
    now, gone = time.time(), []
    for path in root().iterdir():
        stamp = path / META
        if path.name == keep or path.name.startswith(".") or not stamp.is_file():
            continue
        if now - stamp.stat().st_mtime > unused_for:
            shutil.rmtree(path, ignore_errors=True)
            gone.append(path.name)
    return gone


def meta(snapshot: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((snapshot / META).read_text())
    return data


def webhook_ca(snapshot: Path) -> pki.KeyPair:
    """The CA Kueue's webhooks are wired to in the snapshot (its key stays in the cache)."""
    return pki.KeyPair((snapshot / WEBHOOK_CA[0]).read_bytes(),
                       (snapshot / WEBHOOK_CA[1]).read_bytes())


def write_webhook_ca(folder: Path, ca: pki.KeyPair) -> None:
    pki.write_pair(ca, folder, *WEBHOOK_CA)  # the key is mode 0600


def reclaim_webhook_port(snapshot: str | None, port: int) -> IO[str] | None:
    """For a Kueue restart: the claim again if this cluster's port is the snapshot's."""
    if not snapshot or not (Path(snapshot) / META).is_file():
        return None
    if meta(Path(snapshot))["webhook_port"] != port:
        return None
    claim = claim_webhook_port(Path(snapshot))
    return claim[1] if claim else None


def claim_webhook_port(snapshot: Path) -> tuple[int, IO[str]] | None:
    """The snapshot's Kueue webhook port, if no other cluster started from this snapshot
    uses it: (port, locked file) or None. The caller's Kueue inherits the file, and with
    it the lock, for as long as it runs; then the CRDs need no re-pointing."""
    handle = open(snapshot / ".webhook-port.lock", "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    port = meta(snapshot)["webhook_port"]
    if not procs.port_is_free(port):  # something else took it meanwhile
        handle.close()
        return None
    return port, handle


def restore(snapshot: Path, data_dir: Path) -> None:
    """Copy the cached etcd data folder to where etcd will start (a fresh copy each time:
    etcd writes to it)."""
    if data_dir.exists():
        raise UserError(f"{data_dir} exists already: not restoring over a cluster's data")
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(snapshot / ETCD_DIR, data_dir)


def stop_and_copy(workdir: Path, data_dir: Path, target: Path) -> None:
    """Stop every process of a snapshot build (etcd flushes on SIGTERM) and copy etcd's
    data folder to `target`."""
    procs.stop_all(procs.processes_using(workdir), grace=20)
    left = procs.processes_using(workdir)
    if left:
        raise UserError(f"the etcd snapshot build left processes running: "
                        f"{[p.pid for p in left]}")
    shutil.copytree(data_dir, target)


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def inputs(topo: topology.Topology, gateway_channel: str, gateway_controller: bool,
           ai_gateway: bool) -> dict[str, Any]:
    """What the fixed objects depend on besides pins and code (see etcd_snapshot.key)."""
    return {"topology": topology.objects(topo), "gateway_channel": gateway_channel,
            "gateway_controller": gateway_controller, "ai_gateway": ai_gateway}


def fixed_objects(topo: topology.Topology, gateway_channel: str, gateway_controller: bool,
                  ai_gateway: bool, webhook_port: int,
                  ca_pem: bytes) -> list[dict[str, Any]]:
    """Every object a start installs that is the same for every cluster of these inputs,
    in apply order: Kueue's namespace and CRDs (their conversion webhook at `webhook_port`
    with `ca_pem`, re-pointed by a cluster that cannot have that port) and its integrations' CRDs, the gateway namespaces, the networking CRDs and
    the topology's cluster-scoped DRA objects. Not KWOK's stages and nodes: kwokctl makes
    the Stage CRD itself at every start (it fails when one exists), and a node that KWOK
    sees before its node stages stays NotReady; nor ResourceFlavors (Kueue's webhook
    validates those, so they wait for Kueue)."""
    namespace = {"apiVersion": "v1", "kind": "Namespace",
                 "metadata": {"name": kueue.NAMESPACE}}
    return ([namespace] + [crds.without_embedded_pod_docs(c) for c in (
                kueue.crds(webhook_port, ca_pem)
                + crds.objects(gateway_channel, crds.KUEUE_INTEGRATIONS))]
            + ([eg_config.namespace()] if gateway_controller else [])
            + ([aigw_config.namespace()] if ai_gateway else [])
            + crds.objects(gateway_channel, crds.NETWORKING)
            + (eg_config.crd_objects() if gateway_controller else [])
            + (aigw_config.crd_objects() if ai_gateway else [])
            + [o for o in topology.objects(topo) if o["kind"] not in PER_START_KINDS])


# Applied at every start, not restored (see fixed_objects).
PER_START_KINDS = ("Node", "ResourceFlavor")


def kwokctl_argv_extra() -> list[str]:
    """A snapshot build runs etcd and kube-apiserver only: no controller writes events,
    leases, service accounts or node status into what every cluster will start with."""
    return ["--disable=kube-controller-manager,kube-scheduler,kwok-controller"]
