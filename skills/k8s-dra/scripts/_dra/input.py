"""Input for the DRA scripts: a dump (-f) or live state through kubectl, plus Kueue config."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

from k8s_skillkit.errors import InputError
from k8s_skillkit.dump import Dump
from k8s_skillkit.event_table import unwrap_free_text
from k8s_skillkit.loading import (ResourceTypeAbsent, flatten, kubectl_get, parse_documents,
                                   parse_paste, read_text)
from k8s_skillkit.objects import dig
from k8s_skillkit import surface
from k8s_skillkit.prose import ProseOnly, is_report, report_lines

from _dra import component_lines
from _dra.messages import mentions_dra
from _dra.tables import slice_fragments, slice_objects

try:
    import yaml
except ImportError:  # pragma: no cover
    yaml = None

DRA_RESOURCES = ("resourceslices.resource.k8s.io", "deviceclasses.resource.k8s.io",
                 "resourceclaims.resource.k8s.io", "resourceclaimtemplates.resource.k8s.io")
CORE_RESOURCES = ("nodes", "namespaces")
# DeviceTaintRule (resource.k8s.io/v1 from 1.37, v1beta2 1.36, v1alpha3 1.33-1.35): taints
# devices without touching their slices; an older cluster without it is fine.
OPTIONAL_RESOURCES = ("devicetaintrules.resource.k8s.io",)
KUEUE_RESOURCES = ("clusterqueues.kueue.x-k8s.io", "localqueues.kueue.x-k8s.io",
                   "resourceflavors.kueue.x-k8s.io")
KUEUE_CONFIGMAP_KEY = "controller_manager_config.yaml"
# the words a DRA report uses (API kinds of every version, the kubelet gRPC calls, CDI, the
# feature gate): a prose paste that names none of them and links no thread is not about DRA
DRA_VOCABULARY = re.compile(
    r"\bDRA\b|Dynamic ?Resource ?Allocation|DynamicResources|ResourceClaim|DeviceClass|"
    r"ResourceSlice|ResourceClass|resource\.k8s\.io|Node(?:Un)?PrepareResources?|"
    r"kubelet[- ]?plugin|\bCDI\b|DeviceTaintRule|\b(?:match|distinct)Attribute\b|"
    # NVIDIA's DRA driver's multi-node NVLink resource and the IMEX daemon it runs
    r"ComputeDomain|\bIMEX\b|"
    # a claim and allocation said in words ("allocated to other claims")
    r"\bclaims?\b[^.\n]{0,60}\b(?:de)?allocat\w*|\b(?:de)?allocat\w*\b[^.\n]{0,60}\bclaims?\b|"
    # a device's taint, a selector over devices ("no device matches the selector")
    r"\bdevices?\b[^.\n]{0,40}\btaint\w*|\bselectors?\b[^.\n]{0,40}\bdevices?\b|"
    r"\bdevices?\b[^.\n]{0,40}\bselectors?\b", re.IGNORECASE)


class Loaded:
    """The objects read (a kit `Dump`: it knows which kinds were listed in full), what could
    not be read live (an unserved API, say), and the lines of a paste that were not objects
    (log lines, error text: events and describe blocks become objects in the kit)."""

    def __init__(self, dump: Dump, missing=(), api_versions=None, lines=None, raw=(),
                 extra=(), prose=()):
        self.dump = dump
        # a paste with no object and no message this skill reads, only a person's report
        # (prose, markdown, links): its lines, so a script can say what it could not decide
        self.prose = list(prose)
        # the paste's lines as given (tables keep their rows one per line)
        self.raw = list(raw)
        self.objects = list(dump) + list(extra)
        self.missing = list(missing)
        self.api_versions = api_versions
        self.source = "live" if dump.live else "dump"
        # every line of a paste: a component's message is evidence wherever it sits (the
        # reports module skips lines that an object read from the paste already carries)
        self.texts = unwrap_free_text(list(lines if lines is not None else dump.texts))

    def complete(self, kind: str, namespace: str = "") -> bool:
        """May the input prove that an object of `kind` does not exist? Only a full listing
        of that kind (live, or a List in the paste) can: a paste is partial (DIAG rule 2)."""
        return self.dump.has_full_list(kind, namespace)


def load(path: str | None, pod_namespace: str | None = None, kueue: bool = False,
         pods: bool = True) -> Loaded:
    """Objects from a file (every form the kit reads), or live: DRA objects of every
    namespace (holders anywhere matter), pods and events only of `pod_namespace` when given."""
    if path:
        return _load_paste(path)
    dump, missing = Dump(live=True, forms=["live"]), []
    # events carry what the scheduler, kubelet and drivers reported (reported evidence)
    wanted = list(DRA_RESOURCES) + list(OPTIONAL_RESOURCES) + list(CORE_RESOURCES) + \
        (["pods", "events"] if pods else [])
    if kueue:
        wanted += list(KUEUE_RESOURCES)
    for res in wanted:
        scoped = res in ("pods", "events") and pod_namespace
        try:
            dump = dump + kubectl_get(res, namespace=pod_namespace if scoped else None,
                                      all_namespaces=not scoped)
        except ResourceTypeAbsent:
            missing.append(res)
        except InputError:
            if res in KUEUE_RESOURCES or res in OPTIONAL_RESOURCES or \
                    res in ("namespaces", "events"):
                missing.append(res)  # optional: RBAC may hide them; say so, go on
                continue
            raise
    if kueue:
        dump = dump + Dump(_kueue_configmaps())
    return Loaded(dump, missing, api_versions=_api_versions())


_DRA_KINDS = ("ResourceSlice", "ResourceClaim", "ResourceClaimTemplate", "DeviceClass")


def _load_paste(path: str) -> Loaded:
    """A pasted file: objects in any form the kit reads, and/or text carrying components'
    messages (kubelet or driver log lines, an error a command printed). A paste with neither
    objects nor any DRA message is bad input (exit 2); a DRA component's routine lines
    (_dra.component_lines) count as its messages, answered with what they cannot tell."""
    text, label = read_text(path)
    # a log line or error a terminal cut at its width is read whole (kit event_table)
    # the lines as kubectl printed them (CRLF, a GitHub quote's `> ` markers off, columns a
    # copy turned into tabs re-aligned: the table readers find cells by the header's offsets)
    printed = surface.clean_lines(text)
    lines = unwrap_free_text(printed)
    dra_text = any(mentions_dra(line) for line in lines) or mentions_dra(" ".join(lines)) \
        or any(component_lines.recognised(line) for line in lines)  # routine, no fault
    try:
        dump = parse_paste(text, label)
    except InputError:
        if not dra_text and not is_report(lines, DRA_VOCABULARY):
            raise  # a part the kit could not read (invalid YAML, say): its one-line reason
        # the kit cannot split it, but the lines carry DRA messages, or it is a report in
        # words around snippets (a diff, a describe cut short: kubernetes/kubernetes#118468)
        dump = Dump()
    # `kubectl get resourceslices` rows the kit did not read (no command line above them)
    extra = slice_objects(printed, dump) + slice_fragments(dump.fragments)
    # a `kubectl get <dra kind>` answered "No resources found" is a full, empty listing: the
    # dump then says that none exists (kit paste.py _mark_none_found)
    listed_empty = any(kind in dump.full_lists for kind in _DRA_KINDS)
    if not dump and not dra_text and not extra and not listed_empty:
        if is_report(lines, DRA_VOCABULARY):  # a report in prose: say what is missing
            return Loaded(dump, lines=lines, raw=printed,
                          prose=report_lines(lines))
        raise InputError(f"{label}: neither Kubernetes objects (kubectl get -o yaml|json, "
                         "describe, events) nor a DRA component's message (kubelet or "
                         "driver log, an error)")
    # objects-only pastes carry their messages in fields; other forms may hold lines the kit
    # did not turn into objects (a log excerpt under a describe block)
    whole = set(dump.forms) <= {"yaml", "json"} and bool(dump)
    return Loaded(dump, lines=None if whole else lines, raw=printed, extra=extra)


def prose_finding(loaded: Loaded, collect: str) -> dict:
    """The honest answer to a paste that is only a report in prose (no object, no message a
    component prints that this skill reads): the cause cannot be told from it; what to run."""
    return ProseOnly("", loaded.prose, [collect]).finding()


def _kubectl_json(args: list[str], timeout: float = 30):
    exe = shutil.which("kubectl")
    if not exe:
        return None
    try:
        proc = subprocess.run([exe, *args], capture_output=True, text=True, timeout=timeout)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if proc.returncode != 0:
        return None
    return proc.stdout


def current_namespace() -> str:
    """The namespace of the current kubeconfig context, as kubectl would use it."""
    out = _kubectl_json(["config", "view", "--minify", "-o", "jsonpath={..namespace}"])
    return (out or "").strip() or "default"


def _api_versions() -> list[str] | None:
    out = _kubectl_json(["api-versions"])
    return None if out is None else [line.strip() for line in out.splitlines() if line.strip()]


def _kueue_configmaps() -> list[dict]:
    out = _kubectl_json(["get", "configmaps", "-n", "kueue-system", "-o", "json"])
    if not out:
        return []
    try:
        return [cm for cm in flatten(json.loads(out))
                if KUEUE_CONFIGMAP_KEY in (cm.get("data") or {})]
    except json.JSONDecodeError:
        return []


def kueue_configuration(objects: list[dict], path: str | None) -> dict | None:
    """Kueue's Configuration: from --kueue-config FILE, else a ConfigMap in the objects."""
    if path:
        text, label = read_text(path)
        for doc in parse_documents(text, label):
            found = _configuration_from(doc)
            if found is not None:
                return found
        raise InputError(f"{label}: no Kueue Configuration (config.kueue.x-k8s.io) found")
    for obj in objects:
        found = _configuration_from(obj)
        if found is not None:
            return found
    return None


def _configuration_from(doc: dict) -> dict | None:
    if doc.get("kind") == "Configuration" and "kueue" in str(doc.get("apiVersion", "")):
        return doc
    if doc.get("kind") == "ConfigMap" and KUEUE_CONFIGMAP_KEY in (doc.get("data") or {}):
        if yaml is None:
            return None
        try:
            inner = yaml.safe_load(doc["data"][KUEUE_CONFIGMAP_KEY])
        except yaml.YAMLError:
            return None
        return inner if isinstance(inner, dict) else None
    return None


def device_class_mappings(config: dict | None) -> dict[str, str]:
    """DeviceClass name -> Kueue resource name (resources.deviceClassMappings): the first
    entry naming a class wins (kueue v0.19.2 pkg/dra/mapper.go l.128-130)."""
    out: dict[str, str] = {}
    for mapping in dig(config or {}, "resources", "deviceClassMappings", default=[]) or []:
        for cls in mapping.get("deviceClassNames") or []:
            out.setdefault(cls, mapping.get("name", ""))
    return out

