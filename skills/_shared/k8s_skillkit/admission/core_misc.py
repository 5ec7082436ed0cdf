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
from typing import Any

from . import field
from ..objects import dict_at
from .core_pod import _port_num_or_name
from .meta import validate_labels
from .names import is_config_map_key, is_dns1123_label, is_dns1123_subdomain, \
    is_valid_port_num, is_qualified_name

SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
PROTOCOLS = ["SCTP", "TCP", "UDP"]
ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
DATA_LIMIT = 1024 * 1024


def service(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
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
    for i, ip in enumerate(spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get(
            "clusterIP") else [])):
        if ip not in ("None", "") and not _is_ip(str(ip)):
            errs.append(field.invalid(f"spec.clusterIPs[{i}]", ip, "must be a valid IP address, "
                                      "(e.g. 10.9.8.7 or 2001:db8::ffff)"))
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


def _is_ip(text: str) -> bool:
    import ipaddress
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def _service_ports(ports: list[Any], kind: str) -> list[Any]:
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


def config_map(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    errs, size = [], 0
    data = dict_at(obj, "data")
    binary = dict_at(obj, "binaryData")
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


def secret(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    errs = []
    for section in ("data", "stringData"):
        values = dict_at(obj, section)
        for key, value in values.items():
            errs += [field.invalid(section, key, m) for m in is_config_map_key(str(key))]
            bad = _base64_error_offset(value) if section == "data" and isinstance(value, str) \
                else None
            if bad is not None:
                # Decoding fails before validation: the server answers with this alone.
                errs.append(field.Violation("", f'Secret in version "v1" cannot be handled as '
                                            f"a Secret: illegal base64 data at input byte {bad}"))
    return errs


def _base64_error_offset(text: str) -> int | None:
    """Where Go's base64.StdEncoding stops on `text` (None when it decodes)."""
    import base64
    import binascii
    import string
    try:
        base64.b64decode(text, validate=True)
        return None
    except (binascii.Error, ValueError):
        alphabet = set(string.ascii_letters + string.digits + "+/=")
        return next((i for i, c in enumerate(text) if c not in alphabet), len(text))


def persistent_volume_claim(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
    return claim_spec(spec, "spec")


def claim_spec(spec: dict[str, Any], path: str) -> list[Any]:
    """ValidatePersistentVolumeClaimSpec (also volumeClaimTemplates of a StatefulSet)."""
    errs = []
    modes = spec.get("accessModes") or []
    if not modes:
        errs.append(field.required(f"{path}.accessModes", "at least 1 access mode is required"))
    for mode in modes:
        if mode not in ACCESS_MODES:
            errs.append(field.not_supported(f"{path}.accessModes", mode, ACCESS_MODES))
    if "ReadWriteOncePod" in modes and len(modes) > 1:
        errs.append(field.forbidden(f"{path}.accessModes", "may not use ReadWriteOncePod with "
                                    "other access modes"))
    resources = dict_at(spec, "resources")
    requests = dict_at(resources, "requests")
    if "storage" not in requests:
        errs.append(field.required(f"{path}.resources[storage]"))
    return errs


def storage_class(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    provisioner = obj.get("provisioner") or ""
    errs = []
    reclaim = obj.get("reclaimPolicy")
    if reclaim is not None and reclaim not in ("Delete", "Retain"):
        errs.append(field.not_supported("reclaimPolicy", reclaim, ["Delete", "Retain"]))
    mode = obj.get("volumeBindingMode")
    if mode is not None and mode not in ("Immediate", "WaitForFirstConsumer"):
        errs.append(field.not_supported("volumeBindingMode", mode,
                                        ["Immediate", "WaitForFirstConsumer"]))
    if not provisioner:
        return errs + [field.required("provisioner")]
    return errs + [field.invalid("provisioner", provisioner, m)
                   for m in is_qualified_name(provisioner)]


PV_SOURCES = ("gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs",
              "rbd", "quobyte", "cinder", "cephfs", "iscsi", "fc", "flocker", "flexVolume",
              "azureFile", "vsphereVolume", "azureDisk", "photonPersistentDisk",
              "portworxVolume", "scaleIO", "local", "storageos", "csi")


def persistent_volume(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    """ValidatePersistentVolumeSpec: access modes, a storage capacity, one volume source."""
    spec = dict_at(obj, "spec")
    errs = []
    modes = spec.get("accessModes") or []
    if not modes:
        errs.append(field.required("spec.accessModes"))
    for mode in modes:
        if mode not in ACCESS_MODES:
            errs.append(field.not_supported("spec.accessModes", mode, ACCESS_MODES))
    capacity = dict_at(spec, "capacity")
    if not capacity:
        errs.append(field.required("spec.capacity"))
    if set(capacity) - {"storage"} or not capacity:
        errs.append(field.not_supported("spec.capacity", capacity or None, ["storage"]))
    reclaim = spec.get("persistentVolumeReclaimPolicy")
    if reclaim and reclaim not in ("Delete", "Recycle", "Retain"):
        errs.append(field.not_supported("spec.persistentVolumeReclaimPolicy", reclaim,
                                        ["Delete", "Recycle", "Retain"]))
    sources = [k for k in PV_SOURCES if spec.get(k) is not None]
    if not sources:
        errs.append(field.required("spec", "must specify a volume type"))
    elif len(sources) > 1:
        errs.append(field.forbidden(f"spec.{sources[1]}", "may not specify more than 1 volume "
                                    "type"))
    else:
        from .core_pod import _volume_source
        errs += _volume_source(sources[0], spec[sources[0]], f"spec.{sources[0]}")
    return errs


def namespace(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    return []  # the name rule (DNS-1123 label) is applied with the object's metadata


def custom_resource_definition(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    """apiextensions validation: the CRD's name is spec.names.plural + "." + spec.group."""
    spec = dict_at(obj, "spec")
    names = dict_at(spec, "names")
    name = (obj.get("metadata") or {}).get("name") or ""
    errs = []
    if name and name != f"{names.get('plural', '')}.{spec.get('group', '')}":
        errs.append(field.invalid("metadata.name", name,
                                  'must be spec.names.plural+"."+spec.group'))
    return errs


STANDARD_RESOURCES = {"cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
                      "requests.ephemeral-storage", "limits.cpu", "limits.memory",
                      "limits.ephemeral-storage", "pods", "resourcequotas", "services",
                      "replicationcontrollers", "secrets", "configmaps",
                      "persistentvolumeclaims", "storage", "requests.storage",
                      "services.nodeports", "services.loadbalancers"}
QUOTA_RESOURCES = STANDARD_RESOURCES - {"storage"}
CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
LIMIT_TYPES = {"Pod", "Container", "PersistentVolumeClaim"}


def _hugepages(name: str) -> bool:
    return name.startswith(("hugepages-", "requests.hugepages-", "limits.hugepages-"))


def resource_name(name: str, path: str, standard: set[str], what: str = "") -> list[Any]:
    """validateResourceName (+ the container/quota variants): qualified, and standard
    unless it carries a domain."""
    errs = [field.invalid(path, name, m) for m in is_qualified_name(name)]
    if errs or "/" in name:
        return errs
    if name not in STANDARD_RESOURCES and not _hugepages(name):
        errs.append(field.invalid(path, name, "must be a standard resource type or fully "
                                  "qualified"))
    if what and name not in standard and not _hugepages(name):
        errs.append(field.invalid(path, name, what))
    return errs


def limit_range(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
    errs, seen = [], set()
    for i, limit in enumerate(spec.get("limits") or []):
        limit = limit if isinstance(limit, dict) else {}
        where, kind = f"spec.limits[{i}]", str(limit.get("type") or "")
        type_errs = [field.invalid(f"{where}.type", kind, m) for m in is_qualified_name(kind)]
        if not type_errs and "/" not in kind and kind not in LIMIT_TYPES:
            type_errs.append(field.invalid(f"{where}.type", kind, "must be a standard limit "
                                           "type or fully qualified"))
        errs += type_errs
        if kind in seen:
            errs.append(field.duplicate(f"{where}.type", kind))
        seen.add(kind)
        pod_like = kind in ("Pod", "Container")
        for section in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
            for name in dict_at(limit, section):
                errs += resource_name(str(name), f"{where}.{section}[{name}]",
                                      CONTAINER_RESOURCES,
                                      "must be a standard resource for containers"
                                      if pod_like else "")
    return errs


def resource_quota(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
    hard = dict_at(spec, "hard")
    errs = []
    for name, value in hard.items():
        errs += resource_name(str(name), f"spec.hard[{name}]", QUOTA_RESOURCES,
                              "must be a standard resource for quota")
        errs += _integer_quantity(str(name), value, f"spec.hard[{name}]")
    return errs


INTEGER_QUOTA = {"pods", "services", "replicationcontrollers", "resourcequotas", "secrets",
                 "configmaps", "persistentvolumeclaims", "services.nodeports",
                 "services.loadbalancers"}


def _integer_quantity(name: str, raw: object, path: str) -> list[Any]:
    from .quantities import canonical, parse_quantity_strict
    try:
        value = parse_quantity_strict(raw if isinstance(raw, str) else str(raw))
    except ValueError:
        return []
    errs = []
    if value < 0:
        errs.append(field.invalid(path, canonical(raw), "must be greater than or equal to 0"))
    if (name in INTEGER_QUOTA or name.startswith("count/")) and \
            (value.denominator != 1 or abs(value) * 1000 > 2 ** 63 - 1):
        errs.append(field.invalid(path, canonical(raw), "must be an integer"))
    return errs
