"""Service, ConfigMap, Secret, PersistentVolumeClaim and Namespace rules of the apiserver's
Go validation (k8s.io/kubernetes v1.37.2 pkg/apis/core/validation/validation.go: validateService,
validateServicePort, ValidateConfigMap, ValidateSecret, ValidatePersistentVolumeClaimSpec),
after the core/v1 defaults (type ClusterIP, protocol TCP, targetPort = port,
sessionAffinity None).

    >>> svc = {"spec": {"ports": [{"port": 80}, {"port": 81}]}}
    >>> [str(v) for v in service(svc)]
    ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']
"""
from __future__ import annotations

from . import field
from .core_pod import _port_num_or_name
from .meta import validate_labels
from .names import is_config_map_key, is_dns1123_label, is_dns1123_subdomain, \
    is_valid_port_num, is_qualified_name

SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
PROTOCOLS = ["SCTP", "TCP", "UDP"]
ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
DATA_LIMIT = 1024 * 1024


def service(obj: dict, old: dict | None = None) -> list:
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    kind = spec.get("type") or "ClusterIP"
    headless = spec.get("clusterIP") == "None" or (spec.get("clusterIPs") or [None])[0] == "None"
    ports = [p for p in spec.get("ports") or [] if isinstance(p, dict)]
    errs = []
    if not ports and not headless and kind != "ExternalName":
        errs.append(field.required("spec.ports"))
    if kind not in SERVICE_TYPES:
        errs.append(field.not_supported("spec.type", kind, SERVICE_TYPES))
    if kind == "ExternalName":
        cname = str(spec.get("externalName") or "").removesuffix(".")
        if cname:
            errs += [field.invalid("spec.externalName", cname, m) for m in is_dns1123_subdomain(cname)]
        else:
            errs.append(field.required("spec.externalName"))
    if kind in ("LoadBalancer", "NodePort") and headless:
        errs.append(field.invalid("spec.clusterIPs[0]", "None",
                                  f"may not be set to 'None' for {kind} services"))
    errs += _service_ports(ports, kind)
    if isinstance(spec.get("selector"), dict):
        errs += validate_labels(spec["selector"], "spec.selector")
    affinity = spec.get("sessionAffinity") or "None"
    if affinity not in ("ClientIP", "None"):
        errs.append(field.not_supported("spec.sessionAffinity", affinity, ["ClientIP", "None"]))
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(field.forbidden("spec.sessionAffinityConfig",
                                    "must not be set when session affinity is None"))
    return errs


def _service_ports(ports: list, kind: str) -> list:
    errs, names, seen = [], set(), set()
    for i, port in enumerate(ports):
        where = f"spec.ports[{i}]"
        name = port.get("name") or ""
        if len(ports) > 1 and not name:
            errs.append(field.required(f"{where}.name"))
        elif name:
            errs += [field.invalid(f"{where}.name", name, m) for m in is_dns1123_label(name)]
            if name in names:
                errs.append(field.duplicate(f"{where}.name", name))
            names.add(name)
        number = port.get("port", 0)
        if isinstance(number, int):
            errs += [field.invalid(f"{where}.port", number, m) for m in is_valid_port_num(number)]
        protocol = port.get("protocol") or "TCP"
        if protocol not in PROTOCOLS:
            errs.append(field.not_supported(f"{where}.protocol", protocol, PROTOCOLS))
        target = port.get("targetPort", number)
        if target not in (None, 0):
            errs += _port_num_or_name(target, f"{where}.targetPort")
        if port.get("appProtocol"):
            errs += [field.invalid(f"{where}.appProtocol", port["appProtocol"], m)
                     for m in is_qualified_name(str(port["appProtocol"]))]
        if kind == "ClusterIP" and port.get("nodePort"):
            errs.append(field.forbidden(f"{where}.nodePort",
                                        "may not be used when `type` is 'ClusterIP'"))
        key = (protocol, number)
        if key in seen:
            errs.append(field.duplicate(where, {"port": number, "protocol": protocol}))
        seen.add(key)
    return errs


def config_map(obj: dict, old: dict | None = None) -> list:
    errs, size = [], 0
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    binary = obj.get("binaryData") if isinstance(obj.get("binaryData"), dict) else {}
    for key, value in data.items():
        errs += [field.invalid("data", key, m) for m in is_config_map_key(str(key))]
        size += len(str(value or "").encode())
    for key, value in binary.items():
        errs += [field.invalid("binaryData", key, m) for m in is_config_map_key(str(key))]
        if key in data:
            errs.append(field.invalid("data", key, "duplicate of key present in binaryData"))
        size += len(str(value or "")) * 3 // 4
    if size > DATA_LIMIT:
        errs.append(field.too_long("", DATA_LIMIT))
    return errs


def secret(obj: dict, old: dict | None = None) -> list:
    errs = []
    for section in ("data", "stringData"):
        values = obj.get(section) if isinstance(obj.get(section), dict) else {}
        for key in values:
            errs += [field.invalid(section, key, m) for m in is_config_map_key(str(key))]
    return errs


def persistent_volume_claim(obj: dict, old: dict | None = None) -> list:
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    errs = []
    modes = spec.get("accessModes") or []
    if not modes:
        errs.append(field.required("spec.accessModes", "at least 1 access mode is required"))
    for mode in modes:
        if mode not in ACCESS_MODES:
            errs.append(field.not_supported("spec.accessModes", mode, ACCESS_MODES))
    if "ReadWriteOncePod" in modes and len(modes) > 1:
        errs.append(field.forbidden("spec.accessModes", "may not use ReadWriteOncePod with other "
                                    "access modes"))
    resources = spec.get("resources") if isinstance(spec.get("resources"), dict) else {}
    requests = resources.get("requests") if isinstance(resources.get("requests"), dict) else {}
    if "storage" not in requests:
        errs.append(field.required("spec.resources[storage]"))
    return errs


def namespace(obj: dict, old: dict | None = None) -> list:
    return []  # the name rule (DNS-1123 label) is applied with the object's metadata
