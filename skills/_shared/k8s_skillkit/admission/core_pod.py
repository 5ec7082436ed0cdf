"""Pod spec rules of the apiserver's Go validation that no OpenAPI schema expresses.

Ported from k8s.io/kubernetes v1.37.2 pkg/apis/core/validation/validation.go (ValidatePodSpec,
validateContainers, validateContainerCommon, validateContainerPorts,
validateResourceRequirements, validateProbe/validateHandler, ValidateVolumes,
ValidateVolumeMounts, ValidateEnv, ValidateTolerations) with the defaults of
pkg/apis/core/v1/defaults.go applied first (probe thresholds, protocol TCP, httpGet path
"/", a volume without a source becomes an emptyDir). Only the rules users hit are ported;
everything else is left to `kubectl apply --dry-run=server`.

`template=True` validates a PodTemplateSpec: unlike a Pod, requests are not defaulted
from limits there (SetDefaults_Pod applies to v1.Pod only).

    >>> spec = {"containers": [{"name": "a", "image": "x", "resources": {
    ...     "requests": {"nvidia.com/gpu": "1"}}}]}
    >>> [str(v) for v in validate_pod_spec(spec, "spec", template=True)]
    ['spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources']
"""
from __future__ import annotations
from typing import Any

from fractions import Fraction
import re

from . import field
from ..objects import dict_at
from .meta import validate_labels
from .names import (is_config_map_key, is_dns1123_label,
                    is_dns1123_subdomain, is_label_key, is_label_value,
                    is_relaxed_env_var_name,
                    is_valid_port_name, is_valid_port_num)
from .quantities import canonical, parse_quantity_strict

NEGATIVE = "must be greater than or equal to 0"
PROTOCOLS = ["SCTP", "TCP", "UDP"]
PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
RESTART_POLICIES = ["Always", "OnFailure", "Never"]
DNS_POLICIES = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]
STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
INTEGER_RESOURCES = {"pods", "services", "replicationcontrollers", "resourcequotas",
                     "secrets", "configmaps", "persistentvolumeclaims",
                     "services.nodeports", "services.loadbalancers"}
HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
VOLUME_SOURCES = ("hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore",
                  "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim",
                  "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
                  "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
                  "photonPersistentDisk", "projected", "portworxVolume", "scaleIO",
                  "storageos", "csi", "ephemeral", "image")


def validate_pod_spec(spec: object, path: str, template: bool = False) -> list[field.Violation]:
    """Every ported rule over one PodSpec at `path` (e.g. spec.template.spec)."""
    if not isinstance(spec, dict):
        return []
    volumes, errs = _volumes(spec.get("volumes") or [], f"{path}.volumes")
    claims = {c.get("name") for c in spec.get("resourceClaims") or [] if isinstance(c, dict)}
    containers = spec.get("containers") or []
    inits = spec.get("initContainers") or []
    if not containers:
        errs.append(field.required(f"{path}.containers"))
    names: set[object] = set()
    for section, items in (("containers", containers), ("initContainers", inits)):
        for i, ctr in enumerate(items):
            where = f"{path}.{section}[{i}]"
            if not isinstance(ctr, dict):
                continue
            errs += _container(ctr, where, volumes, claims, template, init=section != "containers")
            name = ctr.get("name")
            if name and name in names:
                errs.append(field.duplicate(f"{where}.name", name))
            names.add(name)
    errs += _pod_level(spec, path)
    return errs + _host_port_conflicts(containers, f"{path}.containers")


def _host_port_conflicts(containers: list[Any], path: str) -> list[field.Violation]:
    """checkHostPortConflicts: one (hostIP, hostPort, protocol) per pod."""
    errs, seen = [], set()
    for i, ctr in enumerate(containers):
        for j, port in enumerate((ctr or {}).get("ports") or [] if isinstance(ctr, dict) else []):
            if not isinstance(port, dict) or not port.get("hostPort"):
                continue
            key = (port.get("hostIP") or "", port["hostPort"], port.get("protocol") or "TCP")
            if key in seen:
                errs.append(field.duplicate(f"{path}[{i}].ports[{j}].hostPort",
                                            f"{key[2]}/{key[1]}"))
            seen.add(key)
    return errs


def _pod_level(spec: dict[str, Any], path: str) -> list[field.Violation]:
    errs = []
    restart = spec.get("restartPolicy") or "Always"
    if restart not in RESTART_POLICIES:
        errs.append(field.not_supported(f"{path}.restartPolicy", restart, RESTART_POLICIES))
    dns = spec.get("dnsPolicy") or "ClusterFirst"
    if dns not in DNS_POLICIES:
        errs.append(field.not_supported(f"{path}.dnsPolicy", dns, DNS_POLICIES))
    errs += validate_labels(spec.get("nodeSelector") or {}, f"{path}.nodeSelector")
    for key in ("serviceAccountName", "priorityClassName", "nodeName"):
        value = spec.get(key)
        if value:
            errs += [field.invalid(f"{path}.{key}", value, m) for m in is_dns1123_subdomain(value)]
    for key in ("hostname", "subdomain"):
        value = spec.get(key)
        if value:
            errs += [field.invalid(f"{path}.{key}", value, m) for m in is_dns1123_label(value)]
    deadline = spec.get("activeDeadlineSeconds")
    if isinstance(deadline, int) and not 1 <= deadline <= 2 ** 31 - 1:
        errs.append(field.invalid(f"{path}.activeDeadlineSeconds", deadline,
                                  "must be between 1 and 2147483647, inclusive"))
    errs += _tolerations(spec.get("tolerations") or [], f"{path}.tolerations")
    errs += security_context(spec.get("securityContext"), f"{path}.securityContext")
    errs += _affinity(spec.get("affinity"), f"{path}.affinity")
    seen = set()
    for i, claim in enumerate(spec.get("resourceClaims") or []):
        name = (claim or {}).get("name") if isinstance(claim, dict) else None
        if name in seen:
            errs.append(field.duplicate(f"{path}.resourceClaims[{i}].name", name))
        seen.add(name)
    return errs


def _affinity(affinity: object, path: str) -> list[field.Violation]:
    """Node affinity requirements; pod (anti-)affinity terms: a topologyKey and valid label
    selectors."""
    if not isinstance(affinity, dict):
        return []
    errs = _node_affinity(affinity.get("nodeAffinity"), f"{path}.nodeAffinity")
    for kind in ("podAffinity", "podAntiAffinity"):
        terms = dict_at(affinity, kind)
        where = f"{path}.{kind}"
        for i, term in enumerate(terms.get("requiredDuringSchedulingIgnoredDuringExecution")
                                 or []):
            errs += _affinity_term(term, f"{where}.requiredDuringSchedulingIgnoredDuringExecution"
                                         f"[{i}]")
        for i, weighted in enumerate(terms.get("preferredDuringSchedulingIgnoredDuringExecution")
                                     or []):
            # A missing podAffinityTerm decodes to its zero value: no topologyKey.
            term = (weighted.get("podAffinityTerm") or {}) if isinstance(weighted, dict) else {}
            weight = weighted.get("weight", 0) if isinstance(weighted, dict) else 0
            if isinstance(weight, int) and not 1 <= weight <= 100:
                errs.append(field.invalid(f"{where}.preferredDuringSchedulingIgnoredDuring"
                                          f"Execution[{i}].weight", weight,
                                          "must be in the range 1-100"))
            errs += _affinity_term(term, f"{where}.preferredDuringSchedulingIgnoredDuringExecution"
                                         f"[{i}].podAffinityTerm")
    return errs


def _node_affinity(node: object, path: str) -> list[field.Violation]:
    if not isinstance(node, dict):
        return []
    errs = []
    required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(required, dict):
        where = f"{path}.requiredDuringSchedulingIgnoredDuringExecution"
        terms = required.get("nodeSelectorTerms") or []
        if not terms:
            errs.append(field.required(f"{where}.nodeSelectorTerms", "must have at least one "
                                       "node selector term"))
        for i, term in enumerate(terms):
            errs += _node_selector_term(term, f"{where}.nodeSelectorTerms[{i}]")
    for i, pref in enumerate(node.get("preferredDuringSchedulingIgnoredDuringExecution") or []):
        pref = pref if isinstance(pref, dict) else {}
        where = f"{path}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
        weight = pref.get("weight", 0)
        if isinstance(weight, int) and not 1 <= weight <= 100:
            errs.append(field.invalid(f"{where}.weight", weight, "must be in the range 1-100"))
        errs += _node_selector_term(pref.get("preference") or {}, f"{where}.preference")
    return errs


def _node_selector_term(term: object, path: str) -> list[field.Violation]:
    """ValidateNodeSelectorRequirement for each matchExpressions entry."""
    term = term if isinstance(term, dict) else {}
    errs = []
    for i, req in enumerate(term.get("matchExpressions") or []):
        req = req if isinstance(req, dict) else {}
        where, op, values = f"{path}.matchExpressions[{i}]", req.get("operator"), \
            req.get("values") or []
        if op in ("In", "NotIn"):
            if not values:
                errs.append(field.required(f"{where}.values", "must be specified when "
                                           "`operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(field.forbidden(f"{where}.values", "may not be specified when "
                                            "`operator` is 'Exists' or 'DoesNotExist'"))
        elif op in ("Gt", "Lt"):
            if len(values) != 1:
                errs.append(field.required(f"{where}.values", "must be specified single value "
                                           "when `operator` is 'Lt' or 'Gt'"))
        else:
            errs.append(field.invalid(f"{where}.operator", op or "",
                                      "not a valid selector operator"))
        errs += [field.invalid(f"{where}.key", req.get("key", ""), m)
                 for m in is_label_key(str(req.get("key", "")))]
        errs += [field.invalid(f"{where}.values[{j}]", v, m) for j, v in enumerate(values)
                 for m in is_label_value(str(v))]
    return errs


def _affinity_term(term: object, path: str) -> list[field.Violation]:
    from .meta import validate_label_selector
    if not isinstance(term, dict):
        return []
    errs = []
    if not term.get("topologyKey"):
        errs.append(field.required(f"{path}.topologyKey", "can not be empty"))
    else:
        errs += [field.invalid(f"{path}.topologyKey", term["topologyKey"], m)
                 for m in is_label_key(str(term["topologyKey"]))]
    for key in ("labelSelector", "namespaceSelector"):
        errs += validate_label_selector(term.get(key), f"{path}.{key}")
    return errs


# ---------------------------------------------------------------- containers

def _container(ctr: dict[str, Any], path: str, volumes: set[object], claims: set[object],
               template: bool,
               init: bool) -> list[field.Violation]:
    errs = []
    name = ctr.get("name")
    if not name:
        errs.append(field.required(f"{path}.name"))
    else:
        errs += [field.invalid(f"{path}.name", name, m) for m in is_dns1123_label(str(name))]
    if not ctr.get("image"):
        errs.append(field.required(f"{path}.image"))
    policy = ctr.get("imagePullPolicy")
    if policy and policy not in PULL_POLICIES:  # "" is the zero value: defaulted
        errs.append(field.not_supported(f"{path}.imagePullPolicy", policy, PULL_POLICIES))
    message_policy = ctr.get("terminationMessagePolicy")
    if message_policy and message_policy not in ("File", "FallbackToLogsOnError"):
        errs.append(field.not_supported(f"{path}.terminationMessagePolicy", message_policy,
                                        ["File", "FallbackToLogsOnError"]))
    errs += _ports(ctr.get("ports") or [], f"{path}.ports")
    errs += _env(ctr.get("env") or [], f"{path}.env")
    errs += _mounts(ctr.get("volumeMounts") or [], volumes, f"{path}.volumeMounts")
    errs += validate_resources(ctr.get("resources") or {}, f"{path}.resources", claims,
                               default_requests=not template)
    errs += security_context(ctr.get("securityContext"), f"{path}.securityContext")
    if not init:
        errs += _probe(ctr.get("livenessProbe"), f"{path}.livenessProbe", single_success=True)
        errs += _probe(ctr.get("readinessProbe"), f"{path}.readinessProbe")
        errs += _probe(ctr.get("startupProbe"), f"{path}.startupProbe", single_success=True)
    return errs


def _ports(ports: list[Any], path: str) -> list[field.Violation]:
    errs, names = [], set()
    for i, port in enumerate(ports):
        if not isinstance(port, dict):
            continue
        where = f"{path}[{i}]"
        name = port.get("name")
        if name:
            messages = is_valid_port_name(str(name))
            if messages:
                errs += [field.invalid(f"{where}.name", name, m) for m in messages]
            elif name in names:
                errs.append(field.duplicate(f"{where}.name", name))
            names.add(name)
        number = port.get("containerPort", 0)
        if not number:
            errs.append(field.required(f"{where}.containerPort"))
        elif isinstance(number, int):
            errs += [field.invalid(f"{where}.containerPort", number, m)
                     for m in is_valid_port_num(number)]
        host = port.get("hostPort", 0)
        if isinstance(host, int) and host:
            errs += [field.invalid(f"{where}.hostPort", host, m) for m in is_valid_port_num(host)]
        protocol = port.get("protocol") or "TCP"
        if protocol not in PROTOCOLS:
            errs.append(field.not_supported(f"{where}.protocol", protocol, PROTOCOLS))
    return errs


def _env(env: list[Any], path: str) -> list[field.Violation]:
    errs = []
    for i, var in enumerate(env):
        if not isinstance(var, dict):
            continue
        where = f"{path}[{i}]"
        name = var.get("name") or ""
        if not name:
            errs.append(field.required(f"{where}.name"))
        else:
            errs += [field.invalid(f"{where}.name", name, m) for m in is_relaxed_env_var_name(name)]
        source = var.get("valueFrom")
        if isinstance(source, dict):
            errs += _env_source(var, source, f"{where}.valueFrom")
    return errs


def _env_source(var: dict[str, Any], source: dict[str, Any], path: str) -> list[field.Violation]:
    kinds = [k for k in ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef",
                         "fileKeyRef") if source.get(k) is not None]
    if not kinds:
        return [field.invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, "
                              "`configMapKeyRef` or `secretKeyRef`")]
    if var.get("value"):
        return [field.invalid(path, "", "may not be specified when `value` is not empty")]
    if len(kinds) > 1:
        return [field.invalid(path, "", "may not have more than one field specified at a time")]
    ref = source[kinds[0]]
    if kinds[0] == "fieldRef" and isinstance(ref, dict):
        return _field_ref(ref, f"{path}.fieldRef")
    if kinds[0] == "resourceFieldRef" and isinstance(ref, dict) and not ref.get("resource"):
        return [field.required(f"{path}.resourceFieldRef.resource")]
    if kinds[0] in ("configMapKeyRef", "secretKeyRef") and isinstance(ref, dict):
        errs = []
        key = ref.get("key") or ""
        if not key:
            errs.append(field.required(f"{path}.{kinds[0]}.key"))
        else:
            errs += [field.invalid(f"{path}.{kinds[0]}.key", key, m) for m in is_config_map_key(key)]
        if not ref.get("name"):
            errs.append(field.required(f"{path}.{kinds[0]}.name"))
        return errs
    return []


ENV_FIELD_PATHS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                   "spec.serviceAccountName", "status.hostIP", "status.hostIPs",
                   "status.podIP", "status.podIPs"]


def _field_ref(ref: dict[str, Any], path: str) -> list[field.Violation]:
    """validateObjectFieldSelector with the env-var field paths."""
    field_path = ref.get("fieldPath") or ""
    if not field_path:
        return [field.required(f"{path}.fieldPath")]
    if re.fullmatch(r"metadata\.(labels|annotations)(\['[^']*'\])?", field_path):
        return []
    if field_path not in ENV_FIELD_PATHS:
        return [field.not_supported(f"{path}.fieldPath", field_path, ENV_FIELD_PATHS)]
    return []


def _mounts(mounts: list[Any], volumes: set[object], path: str) -> list[field.Violation]:
    errs, points = [], set()
    for i, mount in enumerate(mounts):
        if not isinstance(mount, dict):
            continue
        where = f"{path}[{i}]"
        name = mount.get("name") or ""
        if not name:
            errs.append(field.required(f"{where}.name"))
        if name not in volumes:
            errs.append(field.not_found(f"{where}.name", name))
        mount_path = mount.get("mountPath") or ""
        if not mount_path:
            errs.append(field.required(f"{where}.mountPath"))
        if mount_path in points:
            errs.append(field.invalid(f"{where}.mountPath", mount_path, "must be unique"))
        points.add(mount_path)
    return errs


def _volumes(volumes: list[Any], path: str) -> tuple[set[object], list[field.Violation]]:
    """(names of valid volumes, errors); a volume without a source defaults to emptyDir."""
    errs, names = [], set()
    for i, vol in enumerate(volumes):
        if not isinstance(vol, dict):
            continue
        where, name, own = f"{path}[{i}]", vol.get("name") or "", []
        sources = [k for k in VOLUME_SOURCES if vol.get(k) is not None]
        if len(sources) > 1:
            own.append(field.forbidden(f"{where}.{sources[1]}",
                                       "may not specify more than 1 volume type"))
        elif sources:
            own += _volume_source(sources[0], vol[sources[0]], f"{where}.{sources[0]}")
        if not name:
            own.append(field.required(f"{where}.name"))
        else:
            own += [field.invalid(f"{where}.name", name, m) for m in is_dns1123_label(name)]
        if name in names:
            own.append(field.duplicate(f"{where}.name", name))
        if not own:
            names.add(name)
        errs += own
    return names, errs


HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File",
                   "FileOrCreate", "Socket"]


def _volume_source(kind: str, source: object, path: str) -> list[field.Violation]:
    """validateVolumeSource: the fields each common source requires."""
    source = source if isinstance(source, dict) else {}
    errs = []
    if kind == "hostPath":
        if not source.get("path"):
            return [field.required(f"{path}.path")]
        if (source.get("type") or "") not in HOST_PATH_TYPES:
            errs.append(field.not_supported(f"{path}.type", source["type"], HOST_PATH_TYPES))
    elif kind == "persistentVolumeClaim" and not source.get("claimName"):
        errs.append(field.required(f"{path}.claimName"))
    elif kind == "nfs":
        if not source.get("server"):
            errs.append(field.required(f"{path}.server"))
        if not source.get("path"):
            errs.append(field.required(f"{path}.path"))
    elif kind in ("configMap", "secret"):
        for i, item in enumerate(source.get("items") or []):
            item = item if isinstance(item, dict) else {}
            if not item.get("key"):
                errs.append(field.required(f"{path}.items[{i}].key"))
            if not item.get("path"):
                errs.append(field.required(f"{path}.items[{i}].path"))
    return errs


# ---------------------------------------------------------------- security context

SECCOMP_TYPES = ["Localhost", "RuntimeDefault", "Unconfined"]
ID_RANGE = "must be between 0 and 2147483647, inclusive"


def security_context(ctx: object, path: str) -> list[field.Violation]:
    """Pod or container securityContext: ids in range, seccomp profile well-formed."""
    if not isinstance(ctx, dict):
        return []
    errs = []
    for key in ("runAsUser", "runAsGroup", "fsGroup"):
        value = ctx.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and \
                not 0 <= value <= 2147483647:
            errs.append(field.invalid(f"{path}.{key}", value, ID_RANGE))
    for i, gid in enumerate(ctx.get("supplementalGroups") or []):
        if isinstance(gid, int) and not 0 <= gid <= 2147483647:
            errs.append(field.invalid(f"{path}.supplementalGroups[{i}]", gid, ID_RANGE))
    profile = ctx.get("seccompProfile")
    if isinstance(profile, dict):
        kind = profile.get("type") or ""
        if not kind:
            errs.append(field.required(f"{path}.seccompProfile.type", "type is required when "
                                       "seccompProfile is set"))
        elif kind not in SECCOMP_TYPES:
            errs.append(field.not_supported(f"{path}.seccompProfile.type", kind, SECCOMP_TYPES))
        elif kind == "Localhost" and profile.get("localhostProfile") is None:
            errs.append(field.required(f"{path}.seccompProfile.localhostProfile",
                                       "must be set when seccomp type is Localhost"))
        elif kind != "Localhost" and profile.get("localhostProfile") is not None:
            errs.append(field.invalid(f"{path}.seccompProfile.localhostProfile", profile,
                                      "can only be set when seccomp type is Localhost"))
    return errs


# ---------------------------------------------------------------- resources

def validate_resources(resources: dict[str, Any], path: str, claims: set[object] | None = None,
                       default_requests: bool = False) -> list[field.Violation]:
    """validateResourceRequirements; `default_requests` mimics SetDefaults_Pod."""
    limits = resources.get("limits") or {}
    requests = dict(resources.get("requests") or {})
    if default_requests:
        for key, value in limits.items():
            requests.setdefault(key, value)
    if not isinstance(limits, dict) or not isinstance(requests, dict):
        return []
    errs = []
    for name, raw in limits.items():
        errs += _resource_entry(str(name), raw, f"{path}.limits[{name}]")
    for name, raw in requests.items():
        where = f"{path}.requests[{name}]"
        errs += _resource_entry(str(name), raw, where)
        errs += _request_vs_limit(str(name), raw, limits, path)
    hugepages = any(str(n).startswith("hugepages-") for n in [*limits, *requests])
    if hugepages and not ({"cpu", "memory"} & {str(n) for n in [*limits, *requests]}):
        errs.append(field.forbidden(path, "HugePages require cpu or memory"))
    seen = set()
    for i, claim in enumerate(resources.get("claims") or []):
        name = (claim or {}).get("name", "")
        if claims is not None and name not in claims:
            errs.append(field.not_found(f"{path}.claims[{i}]", name))
        key = (name, (claim or {}).get("request", ""))
        if key in seen:
            errs.append(field.duplicate(f"{path}.claims[{i}]", name))
        seen.add(key)
    return errs


def _resource_entry(name: str, raw: object, path: str) -> list[field.Violation]:
    errs = []
    for message in is_label_key(name):
        errs.append(field.invalid(path, name, message))
    if not errs:
        if "/" not in name:
            if name not in STANDARD_CONTAINER_RESOURCES and not name.startswith("hugepages-"):
                errs.append(field.invalid(path, name, "must be a standard resource for containers"))
        elif not _is_native(name) and not _is_extended(name):
            errs.append(field.invalid(path, name, "doesn't follow extended resource name standard"))
    value = _quantity(raw)
    if value is not None and value < 0:
        errs.append(field.invalid(path, canonical(raw), NEGATIVE))
    # Go checks MilliValue() % 1000: a value whose milli-units overflow int64 fails too.
    if value is not None and (name in INTEGER_RESOURCES or _is_extended(name)) and \
            (value.denominator != 1 or abs(value) * 1000 > 2 ** 63 - 1):
        errs.append(field.invalid(path, canonical(raw), "must be an integer"))
    return errs


def _request_vs_limit(name: str, raw: object, limits: dict[str, Any], path: str) -> list[field.Violation]:
    request = _quantity(raw)
    if name not in limits:
        if not _overcommit_allowed(name):
            return [field.required(f"{path}.limits",
                                   "Limit must be set for non overcommitable resources")]
        return []
    limit = _quantity(limits[name])
    if request is None or limit is None:
        return []
    if request != limit and not _overcommit_allowed(name):
        return [field.invalid(f"{path}.requests", canonical(raw),
                              f"must be equal to {name} limit of {canonical(limits[name])}")]
    if request > limit:
        return [field.invalid(f"{path}.requests", canonical(raw),
                              f"must be less than or equal to {name} limit of "
                              f"{canonical(limits[name])}")]
    return []


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_extended(name: str) -> bool:
    return not _is_native(name) and not name.startswith("requests.") and \
        not is_label_key("requests." + name)


def _overcommit_allowed(name: str) -> bool:
    return _is_native(name) and not name.startswith("hugepages-")


def _quantity(raw: object) -> Fraction | None:
    try:
        return parse_quantity_strict(raw if isinstance(raw, str) else str(raw))
    except ValueError:
        return None


# ---------------------------------------------------------------- probes and tolerations

def _probe(probe: object, path: str, single_success: bool = False) -> list[field.Violation]:
    if not isinstance(probe, dict):
        return []
    errs = _handler(probe, path)
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold"):
        value = probe.get(key)
        if isinstance(value, int) and value < 0:
            errs.append(field.invalid(f"{path}.{key}", value, NEGATIVE))
    success = probe.get("successThreshold", 1)
    if single_success and success != 1:
        errs.append(field.invalid(f"{path}.successThreshold", success, "must be 1"))
    grace = probe.get("terminationGracePeriodSeconds")
    if isinstance(grace, int) and grace <= 0:
        errs.append(field.invalid(f"{path}.terminationGracePeriodSeconds", grace,
                                  "must be greater than 0"))
    return errs


def _handler(probe: dict[str, Any], path: str) -> list[field.Violation]:
    present = [k for k in HANDLERS if probe.get(k) is not None]
    if not present:
        return [field.required(path, "must specify a handler type")]
    errs = [field.forbidden(f"{path}.{k}", "may not specify more than 1 handler type")
            for k in present[1:]]
    kind, action = present[0], probe[present[0]]
    if not isinstance(action, dict):
        return errs
    if kind == "exec" and not action.get("command"):
        errs.append(field.required(f"{path}.exec.command"))
    if kind in ("httpGet", "tcpSocket", "grpc"):
        errs += _port_num_or_name(action.get("port"), f"{path}.{kind}.port")
    if kind == "httpGet":
        scheme = action.get("scheme") or "HTTP"
        if scheme not in ("HTTP", "HTTPS"):
            errs.append(field.not_supported(f"{path}.httpGet.scheme", scheme, ["HTTP", "HTTPS"]))
    return errs


def _port_num_or_name(port: object, path: str) -> list[field.Violation]:
    if isinstance(port, bool) or port is None:
        return [field.invalid(path, 0, "must be between 1 and 65535, inclusive")] \
            if port is None else []
    if isinstance(port, int):
        return [field.invalid(path, port, m) for m in is_valid_port_num(port)]
    if isinstance(port, str):
        return [field.invalid(path, port, m) for m in is_valid_port_name(port)]
    return []


TOLERATION_EFFECTS = ["NoExecute", "NoSchedule", "PreferNoSchedule"]


def _tolerations(tolerations: list[Any], path: str) -> list[field.Violation]:
    """ValidateTolerations: key syntax, operator/value/effect combinations. Lt/Gt depend on
    the TaintTolerationComparisonOperators gate: left to the server."""
    errs = []
    for i, tol in enumerate(tolerations):
        if not isinstance(tol, dict):
            continue
        where = f"{path}[{i}]"
        key, op, value = tol.get("key") or "", tol.get("operator") or "", tol.get("value") or ""
        if key:
            errs += [field.invalid(f"{where}.key", key, m) for m in is_label_key(key)]
        if not key and op != "Exists":
            errs.append(field.invalid(f"{where}.operator", op, "operator must be Exists when "
                                      "`key` is empty, which means \"match all values and all "
                                      "keys\""))
        if tol.get("tolerationSeconds") is not None and tol.get("effect") != "NoExecute":
            errs.append(field.invalid(f"{where}.effect", tol.get("effect") or "", "effect must "
                                      "be 'NoExecute' when `tolerationSeconds` is set"))
        if op in ("Equal", ""):
            messages = is_label_value(str(value))
            if messages:
                errs.append(field.invalid(f"{where}.operator", value, ";".join(messages)))
        elif op == "Exists":
            if value:
                errs.append(field.invalid(f"{where}.operator", value, "value must be empty when "
                                          "`operator` is 'Exists'"))
        elif op not in ("Lt", "Gt"):
            errs.append(field.not_supported(f"{where}.operator", op, ["Equal", "Exists"]))
        effect = tol.get("effect")
        if effect and effect not in TOLERATION_EFFECTS:
            errs.append(field.not_supported(f"{where}.effect", effect, TOLERATION_EFFECTS))
    return errs
