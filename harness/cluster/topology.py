"""Fake hardware: a topology YAML file becomes KWOK Nodes, DRA objects and Kueue flavors.

See data/topology-default.yaml for the format. Device attributes follow NVIDIA's DRA
driver (gpu.nvidia.com: productName, architecture, cudaComputeCapability, driverVersion,
uuid, index; capacity memory), values from a real H200 (shared/reference/gpu-sample.md).
"""
from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harness.errors import UserError

DEFAULT_FILE = Path(__file__).parent / "data" / "topology-default.yaml"
POOL_LABEL = "k8s-skills.io/node-pool"
KWOK_ANNOTATION = "kwok.x-k8s.io/node"
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_POOL_KEYS = {"name", "count", "flavor", "labels", "taints", "cpu", "memory", "pods", "gpus"}
_GPU_KEYS = {"mode", "count", "productName", "architecture", "memory",
             "cudaComputeCapability", "driverVersion", "cudaDriverVersion"}
_TOP_KEYS = {"deviceClass", "kueueDeviceClassMapping", "pools"}


@dataclass
class Pool:
    name: str
    count: int
    labels: dict[str, Any] = field(default_factory=dict)
    taints: list[Any] = field(default_factory=list)
    cpu: str = "32"
    memory: str = "128Gi"
    pods: str = "110"
    gpus: dict[str, Any] | None = None
    flavor: str | None = None

    @property
    def gpu_mode(self) -> str | None:
        return (self.gpus or {}).get("mode")


@dataclass
class Topology:
    pools: list[Pool]
    device_class: str = "gpu.nvidia.com"
    kueue_mapping: str = "nvidia.com/dra-gpu"

    @property
    def uses_dra(self) -> bool:
        return any(p.gpu_mode == "dra" for p in self.pools)


def load(path: str | Path | None = None) -> Topology:
    """Read and check a topology file; UserError naming the bad field otherwise."""
    return parse(record(path)["content"], str(path or DEFAULT_FILE))


def record(path: str | Path | None = None) -> dict[str, str]:
    """What a cluster's state.json keeps of the topology it started with: the file's path,
    its sha256 and its content (the file may change or go while the cluster runs)."""
    path = Path(path) if path else DEFAULT_FILE
    try:
        text = path.read_text()
    except FileNotFoundError as err:
        raise UserError(f"{path}: no such topology file") from err
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"{path}: cannot read the topology file: {err}") from err
    return {"file": str(path.resolve()), "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "content": text}


def from_record(recorded: dict[str, str]) -> Topology:
    """The topology of a record (see `record`); UserError naming the bad field."""
    return parse(recorded["content"], recorded["file"])


def parse(text: str, label: str) -> Topology:
    """Check a topology document; `label` names it in errors."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise UserError(f"{label}: not valid YAML: {' '.join(str(err).split())[:200]}") from err
    if not isinstance(doc, dict):
        raise UserError(f"{label}: a topology must be a mapping with a `pools` list")
    _no_unknown_keys(label, "", doc, _TOP_KEYS)
    pools_doc = doc.get("pools")
    if not isinstance(pools_doc, list) or not pools_doc:
        raise UserError(f"{label}: pools: must be a non-empty list of node pools")
    pools = [_pool(label, i, p) for i, p in enumerate(pools_doc)]
    names = [p.name for p in pools]
    if len(set(names)) != len(names):
        raise UserError(f"{label}: pools: pool names must be unique, got {names}")
    return Topology(pools, str(doc.get("deviceClass", "gpu.nvidia.com")),
                    str(doc.get("kueueDeviceClassMapping", "nvidia.com/dra-gpu")))


def _pool(label: str, index: int, doc: object) -> Pool:
    where = f"pools[{index}]"
    if not isinstance(doc, dict):
        raise UserError(f"{label}: {where}: must be a mapping")
    _no_unknown_keys(label, where, doc, _POOL_KEYS)
    name = str(doc.get("name", ""))
    if not _NAME.match(name) or len(name) > 50:
        raise UserError(f"{label}: {where}.name: {name!r} must be a DNS label "
                        "(lower-case letters, digits, '-'; at most 50 characters)")
    count = doc.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 500:
        raise UserError(f"{label}: {where}.count: must be an integer from 1 to 500, got {count!r}")
    gpus = doc.get("gpus")
    if gpus is not None:
        _check_gpus(label, f"{where}.gpus", gpus)
    labels = doc.get("labels") or {}
    if not isinstance(labels, dict):
        raise UserError(f"{label}: {where}.labels: must be a mapping of label to value")
    return Pool(name=name, count=count, labels={str(k): str(v) for k, v in labels.items()},
                taints=list(doc.get("taints") or []), cpu=str(doc.get("cpu", "32")),
                memory=str(doc.get("memory", "128Gi")), pods=str(doc.get("pods", "110")),
                gpus=gpus, flavor=doc.get("flavor"))


def _check_gpus(label: str, where: str, gpus: object) -> None:
    if not isinstance(gpus, dict):
        raise UserError(f"{label}: {where}: must be a mapping with mode and count")
    _no_unknown_keys(label, where, gpus, _GPU_KEYS)
    if gpus.get("mode") not in ("extended", "dra"):
        raise UserError(f"{label}: {where}.mode: must be 'extended' or 'dra', "
                        f"got {gpus.get('mode')!r}")
    count = gpus.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 64:
        raise UserError(f"{label}: {where}.count: must be an integer from 1 to 64, got {count!r}")


def _no_unknown_keys(label: str, where: str, doc: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(map(str, doc)) - allowed)
    if unknown:
        prefix = f"{where}: " if where else ""
        raise UserError(f"{label}: {prefix}unknown field {unknown[0]!r} "
                        f"(allowed: {', '.join(sorted(allowed))})")


def node_names(pool: Pool) -> list[str]:
    return [f"{pool.name}-{i}" for i in range(pool.count)]


def objects(topo: Topology) -> list[dict[str, Any]]:
    """Every API object of the topology, in apply order."""
    out: list[dict[str, Any]] = []
    if topo.uses_dra:
        out.append(device_class(topo))
    for pool in topo.pools:
        for name in node_names(pool):
            out.append(node(pool, name))
            if pool.gpu_mode == "dra":
                out.append(resource_slice(topo, pool, name))
        if pool.flavor:
            out.append(resource_flavor(pool))
    return out


def node(pool: Pool, name: str) -> dict[str, Any]:
    capacity = {"cpu": pool.cpu, "memory": pool.memory, "pods": pool.pods,
                "ephemeral-storage": "1Ti"}
    if pool.gpus and pool.gpu_mode == "extended":
        capacity["nvidia.com/gpu"] = str(pool.gpus["count"])
    labels = {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64", "type": "kwok", POOL_LABEL: pool.name}
    labels.update(pool.labels)
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "labels": labels,
                     "annotations": {KWOK_ANNOTATION: "fake",
                                     "node.alpha.kubernetes.io/ttl": "0"}},
        "spec": {"taints": pool.taints} if pool.taints else {},
        "status": {"capacity": capacity, "allocatable": dict(capacity),
                   "nodeInfo": _node_info(name)},
    }


def _node_info(name: str) -> dict[str, Any]:
    machine = uuid.uuid5(uuid.NAMESPACE_DNS, f"node/{name}")
    return {"architecture": "amd64", "operatingSystem": "linux", "osImage": "KWOK fake node",
            "kernelVersion": "fake", "kubeletVersion": "fake", "kubeProxyVersion": "fake",
            "containerRuntimeVersion": "fake", "machineID": machine.hex,
            "systemUUID": str(machine), "bootID": str(machine)}


def device_class(topo: Topology) -> dict[str, Any]:
    expr = (f'device.driver == "{topo.device_class}" && '
            f'device.attributes["{topo.device_class}"].type == "gpu"')
    return {"apiVersion": "resource.k8s.io/v1", "kind": "DeviceClass",
            "metadata": {"name": topo.device_class},
            "spec": {"selectors": [{"cel": {"expression": expr}}]}}


def resource_slice(topo: Topology, pool: Pool, node_name: str) -> dict[str, Any]:
    gpus = pool.gpus or {}
    devices = [_device(gpus, node_name, i) for i in range(gpus["count"])]
    return {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceSlice",
            "metadata": {"name": f"{node_name}-{topo.device_class}",
                         "labels": {POOL_LABEL: pool.name}},
            "spec": {"driver": topo.device_class, "nodeName": node_name,
                     "pool": {"name": node_name, "generation": 1, "resourceSliceCount": 1},
                     "devices": devices}}


def _device(gpus: dict[str, Any], node_name: str, index: int) -> dict[str, Any]:
    # A stable UUID per node and index, shaped like nvidia-smi's GPU-xxxxxxxx-... form.
    gpu_uuid = "GPU-" + str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{node_name}/{index}"))
    attrs = {"type": {"string": "gpu"}, "index": {"int": index},
             "uuid": {"string": gpu_uuid},
             "productName": {"string": str(gpus.get("productName", "NVIDIA H200"))},
             "brand": {"string": "Nvidia"},
             "architecture": {"string": str(gpus.get("architecture", "Hopper"))},
             "cudaComputeCapability": {"version": _semver(gpus.get("cudaComputeCapability", "9.0"))},
             "driverVersion": {"version": _semver(gpus.get("driverVersion", "580.159.04"))},
             "cudaDriverVersion": {"version": _semver(gpus.get("cudaDriverVersion", "13.0"))},
             "pcieRoot": {"string": f"pci0000:{index // 4:02x}"}}
    return {"name": f"gpu-{index}", "attributes": attrs,
            "capacity": {"memory": {"value": str(gpus.get("memory", "143771Mi"))}}}


def resource_flavor(pool: Pool) -> dict[str, Any]:
    """A flavor selecting the pool by its most meaningful label."""
    node_labels: dict[str, Any]
    for key in ("nvidia.com/gpu.product", "node.kubernetes.io/instance-type"):
        if key in pool.labels:
            node_labels = {key: pool.labels[key]}
            break
    else:
        node_labels = {POOL_LABEL: pool.name}
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor",
            "metadata": {"name": str(pool.flavor)}, "spec": {"nodeLabels": node_labels}}


def _semver(value: object) -> str:
    """DRA version attributes are semver: "9.0" -> "9.0.0", "580.159.04" -> "580.159.4"."""
    parts = [str(int(p)) for p in str(value).split(".") if p.isdigit()][:3]
    while len(parts) < 3:
        parts.append("0")
    return ".".join(parts)


def of_cluster(state: dict[str, Any]) -> Topology | None:
    """The topology a cluster started with, from its state.json; None when the state holds
    none (a cluster we did not start, or one started before topologies were recorded)."""
    recorded = state.get("topology")
    return from_record(recorded) if isinstance(recorded, dict) else None
