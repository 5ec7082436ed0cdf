"""`kubectl get` tables in a paste, as partial objects; "No resources found" as an empty list.

A table is the most common paste after describe. kubectl prints it with a tabwriter, so every
cell starts at its header's offset (k8s.io/cli-runtime pkg/printers/tablewriter.go: padding 3,
left-aligned). The columns come from the server's table convertor: built-in kinds from
k8s.io/kubernetes pkg/printers/internalversion/printers.go (pods `NAME READY STATUS RESTARTS
AGE`, nodes `NAME STATUS ROLES AGE VERSION`, jobs `NAME STATUS COMPLETIONS DURATION AGE`
since 1.28, services `NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE`, ...), CRDs from their
additionalPrinterColumns (Gateway API config/crd: gateways `NAME CLASS ADDRESS PROGRAMMED
AGE`, Kueue workloads `NAME QUEUE RESERVED IN ADMITTED FINISHED AGE`). `-A` adds a leading
NAMESPACE column; `kubectl get a,b` prefixes names with `kind.group/`.

A row says little: the objects carry `_source: "table"` and the raw cells in `_columns`, and
only the fields a column states are filled in. A table is never a full listing (users cut
rows); "No resources found [in NS namespace]." right after a pasted `kubectl get <type>` line
is, and it proves there is none of that type in that scope.
"""
from __future__ import annotations
from collections.abc import Sequence
from typing import Any

import re

from .dump import kind_for_resource

# Header signatures read without a command line (the kind is plain from the columns).
SIGNATURES: list[tuple[str, list[str]]] = [
    ("Pod", ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]),
    # -o wide (pkg/printers/internalversion/printers.go: IP, Node, Nominated Node, Readiness
    # Gates since 1.11)
    ("Pod", ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE",
             "READINESS GATES"]),
    ("Node", ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]),
    # older and -o wide node tables: kubectl v1.6-v1.7 printed no ROLES (k8s.io/kubernetes
    # v1.7.0 pkg/printers/internalversion/printers.go:75-76 nodeColumns, nodeWideColumns);
    # wide adds EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME from v1.8 (v1.8.0
    # printers.go:217-227) and INTERNAL-IP before them from v1.11 (v1.11.0 printers.go:218-229)
    ("Node", ["NAME", "STATUS", "AGE", "VERSION"]),
    ("Node", ["NAME", "STATUS", "AGE", "VERSION", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION"]),
    ("Node", ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "EXTERNAL-IP", "OS-IMAGE",
              "KERNEL-VERSION", "CONTAINER-RUNTIME"]),
    ("Node", ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP",
              "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]),
    ("Workload", ["NAME", "QUEUE", "RESERVED IN", "ADMITTED", "FINISHED", "AGE"]),
    ("Workload", ["NAME", "QUEUE", "ADMITTED BY", "AGE"]),
    ("Job", ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]),
    ("Job", ["NAME", "COMPLETIONS", "DURATION", "AGE"]),
    ("Gateway", ["NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE"]),
    ("Gateway", ["NAME", "CLASS", "ADDRESS", "READY", "AGE"]),  # v0.5-v0.8 printer column
    # gateway-api config/crd (v0.6.0..v1.6.3): Controller, Accepted, Age (+ Description, -o wide)
    ("GatewayClass", ["NAME", "CONTROLLER", "ACCEPTED", "AGE"]),
    ("Service", ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]),
    ("Deployment", ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]),
    ("PersistentVolumeClaim", ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES",
                               "STORAGECLASS"]),
    # printers.go printPersistentVolumeClaim: ..., StorageClass, VolumeAttributesClass (1.29+),
    # Age, VolumeMode (-o wide)
    ("PersistentVolumeClaim", ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES",
                               "STORAGECLASS", "AGE"]),
    ("PersistentVolumeClaim", ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES",
                               "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"]),
    ("PersistentVolumeClaim", ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES",
                               "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE", "VOLUMEMODE"]),
    # sigs.k8s.io/lws v0.9.0 api/leaderworkerset/v1/leaderworkerset_types.go printcolumns
    ("LeaderWorkerSet", ["NAME", "READY", "DESIRED", "UP-TO-DATE", "AGE"]),
    # kueue apis/kueue/v1beta1/localqueue_types.go printcolumns (v0.1.0..v0.19.2: ClusterQueue,
    # Pending Workloads, Admitted Workloads; no Age)
    ("LocalQueue", ["NAME", "CLUSTERQUEUE", "PENDING WORKLOADS", "ADMITTED WORKLOADS"]),
]
# Training CRDs whose printer columns changed between releases, known by the columns only
# they print (any order, any others beside them):
# - RayJob, ray-project/kuberay ray-operator v1.6.2 apis/ray/v1/rayjob_types.go printcolumns
#   `job status` (.status.jobStatus), `deployment status` (.status.jobDeploymentStatus),
#   `ray cluster name`, `start time`, `end time`, `age`;
# - JobSet, sigs.k8s.io/jobset v0.12.0 api/jobset/v1alpha2/jobset_types.go printcolumns
#   TerminalState (.status.terminalState), Restarts, Completed (the Completed condition),
#   Suspended (.spec.suspend), Age; before TerminalState (jobset#594) `RESTARTS COMPLETED
#   [SUSPENDED] AGE` (jobset#165).
# The Kubeflow training-operator v1 kinds and TrainJob all print `NAME STATE AGE`
# (kubeflow/training-operator v1.9.3 *_types.go, kubeflow/trainer v2.2.1 trainjob_types.go:
# State = .status.conditions[-1:].type): the kind comes only from a pasted command line.
KEY_COLUMNS: list[tuple[str, set[str], set[str]]] = [  # (kind, all of these, none of these)
    ("RayJob", {"JOB STATUS", "DEPLOYMENT STATUS"}, set()),
    ("JobSet", {"TERMINALSTATE"}, set()),
    ("JobSet", {"RESTARTS", "COMPLETED"}, {"READY", "STATUS"}),
]
_NONE_FOUND = re.compile(r"^\s*No resources found(?: in (?P<ns>[\w.-]+) namespace)?\.?\s*$")
_POD_PHASES = ("Pending", "Running", "Succeeded", "Failed", "Unknown")
_WAITING = ("ContainerCreating", "PodInitializing", "SchedulingGated")
# The reasons the kubelet's admission gives a pod it refuses (pkg/kubelet/lifecycle/
# predicate.go: OutOf<resource>, the failed filter's name NodeAffinity / NodeName /
# MatchNodeSelector before 1.19, UnexpectedAdmissionError; cm/topologymanager
# TopologyAffinityError). Also the failed predicate's name of v1.8.0-v1.13.0 GeneralPredicates
# (HostName, PodFitsHostPorts: plugin/pkg/scheduler/algorithm/predicates/error.go), v1.37.2
# generalFilter's plugin names (NodePorts, TaintToleration: lifecycle/predicate.go:432) and its
# own reasons (InvalidNodeInfo, UnknownReason, UnexpectedPredicateFailureType, PodOSNotSupported,
# PodOSSelectorNodeLabelDoesNotMatch), and the other admit handlers' reasons (v1.37.2
# pkg/kubelet/kubelet.go:248 admissionRejectionReasons)
ADMISSION_REASON = re.compile(r"OutOf[\w./-]+|NodeAffinity|NodeName|MatchNodeSelector|"
                              r"UnexpectedAdmissionError|TopologyAffinityError|HostName|"
                              r"PodFitsHostPorts|NodePorts|TaintToleration|InvalidNodeInfo|"
                              r"UnknownReason|UnexpectedPredicateFailureType|AppArmor|"
                              r"SysctlForbidden|PodOSNotSupported|"
                              r"PodOSSelectorNodeLabelDoesNotMatch|"
                              r"InitContainerRestartPolicyForbidden|"
                              r"SupplementalGroupsPolicyNotSupported|"
                              r"PodLevelResourcesNotSupported|PodFeatureUnsupported|"
                              r"VolumeAttachmentLimitExceeded")
# STATUS prints pod.status.reason when set (pkg/printers/internalversion/printers.go printPod):
# the reasons of a pod the kubelet failed: refused at admission, evicted (eviction manager),
# shut down with its node (nodeshutdown NodeShutdown / Shutdown), past activeDeadlineSeconds
_FAILED_REASON = re.compile(ADMISSION_REASON.pattern + r"|Evicted|NodeShutdown|Shutdown|"
                            r"DeadlineExceeded")


def header(line: str, resource: str = "") -> tuple[str, list[tuple[str, int]]] | None:
    """(kind, [(column, offset)]) when the line is a `kubectl get` header: a known signature,
    or any all-caps header starting with NAME under a pasted `kubectl get <resource>`."""
    text = line.rstrip()
    for kind, names in SIGNATURES:
        for lead in ([], ["NAMESPACE"]):
            offsets = _offsets(text, lead + names)
            if offsets:
                return kind, offsets
    stripped = text.strip()
    if not re.match(r"^(NAMESPACE\s{2,})?NAME\s{2,}\S", stripped) or \
            re.search(r"[a-z]", stripped):
        return None
    # cells are 3+ spaces apart; one space stays inside a name (RESERVED IN)
    columns = [(m.group(0), m.start()) for m in re.finditer(r"\S+(?: \S+)*", text)]
    if resource:
        return kind_for_resource(resource) or _kind_of(resource), columns
    present = {name for name, _ in columns}
    for kind, needed, excluded in KEY_COLUMNS:
        if needed <= present and not present & excluded:
            return kind, columns
    return None


# A pods table whose header a filter dropped (`kubectl get pods -o wide | grep NAME`,
# kubernetes/kubernetes#109663): the rows keep kubectl's column alignment, so the first row's
# cells give the offsets of the narrow or the wide columns (printers.go printPod)
# (-o wide: IP and NODE since 1.x, NOMINATED NODE from 1.11, READINESS GATES from 1.12: each
# later column optional)
_POD_ROW = re.compile(r"^(?:(?P<namespace>[a-z0-9][a-z0-9-]*)\s+)?"  # -A adds NAMESPACE first
                      r"(?P<name>[a-z0-9][\w.-]*)\s+(?P<ready>\d+/\d+)\s+(?P<status>\S+)\s+"
                      r"(?P<restarts>\d+(?: \([^)]*\))?)\s+(?P<age>\d+[smhdy]\w*)(?:\s+"
                      r"(?P<ip>\S+)\s+(?P<node>\S+)(?:\s+(?P<nominated>\S+)(?:\s+"
                      r"(?P<gates>\S+))?)?)?\s*$")
_POD_COLUMNS = (("NAME", "name"), ("READY", "ready"), ("STATUS", "status"),
                ("RESTARTS", "restarts"), ("AGE", "age"), ("IP", "ip"), ("NODE", "node"),
                ("NOMINATED NODE", "nominated"), ("READINESS GATES", "gates"))


# `kubectl get resourceclaims [-A] | grep ...`: NAMESPACE (with -A), NAME, STATE, AGE, the STATE
# words from printers.go resourceClaimState (kubernetes v1.37.2): deleted, pending, allocated,
# reserved (kubernetes-sigs/dra-driver-nvidia-gpu#725: `| grep dele`)
_CLAIM_ROW = re.compile(r"^(?:(?P<namespace>[a-z0-9][a-z0-9-]*)\s+)?(?P<name>[a-z0-9][\w.-]*)\s+"
                        r"(?P<state>(?:deleted|pending|allocated|reserved)"
                        r"(?:,(?:allocated|reserved))*)\s+(?P<age>\d+[smhdy]\w*)\s*$")


def headerless(line: str, resource: str, below: Sequence[str] = (),
               all_namespaces: bool = False) -> tuple[str, list[tuple[str, int]]] | None:
    """(kind, columns) of a row under a pasted `kubectl get pods`, `kubectl get
    resourceclaims` or `kubectl get workloads` whose header is gone (`below`: the lines
    after it, for a kind whose rows leave empty cells, so one row cannot give the columns;
    `all_namespaces`: the command had -A, so a leading NAMESPACE column)."""
    kind = _kind_of(resource)
    if kind in ("Workload", "Wl"):
        return _headerless_workloads([line, *below], all_namespaces)
    if kind == "Resourceclaim":
        claim = _CLAIM_ROW.match(line)
        if claim is None:
            return None
        names: tuple[tuple[str, str], ...] = (("NAME", "name"), ("STATE", "state"), ("AGE", "age"))
        if claim.group("namespace"):
            names = (("NAMESPACE", "namespace"),) + names
        return "ResourceClaim", [(name, claim.start(group)) for name, group in names]
    if kind not in ("Pod", "Po"):
        return None
    m = _POD_ROW.match(line)
    if m is None:
        return None
    columns = _POD_COLUMNS[:5 + sum(m.group(g) is not None
                                    for g in ("ip", "node", "nominated", "gates"))]
    if m.group("namespace") is not None:
        columns = (("NAMESPACE", "namespace"),) + columns
    return "Pod", [(name, m.start(group)) for name, group in columns]


# `kubectl get workloads` rows without their header (a write-up quoting the rows only): the
# columns of Kueue's printcolumns, apis/kueue/v1beta2/workload_types.go:1180-1185 @v0.19.2
# (NAME, Queue, Reserved in, Admitted, Finished, Age; v1beta1 @v0.6.3 :317-321 has no
# Finished). An unreserved Workload leaves RESERVED IN and ADMITTED empty, so the row's cells
# are told apart by their shape and the columns by their offsets over the whole block.
_DNS = r"[a-z0-9][a-z0-9.-]*"
_AGE = r"(?:\d+[smhdy][\w]*|<unknown>)"
_WL_ROW = re.compile(rf"^(?P<NAME>{_DNS})\s{{2,}}(?P<QUEUE>{_DNS})"
                     rf"(?:\s{{2,}}(?!{_AGE}\s*$)(?P<RESERVED_IN>{_DNS}))?"
                     r"(?:\s{2,}(?P<ADMITTED>True|False))?(?:\s{2,}(?P<FINISHED>True|False))?"
                     rf"(?:\s{{2,}}(?P<AGE>{_AGE}))?\s*$")


def _headerless_workloads(lines: Sequence[str],
                          all_namespaces: bool) -> tuple[str, list[tuple[str, int]]] | None:
    """The columns of the block of Workload rows starting at lines[0]: each column at the one
    offset its cells share (rows of one tabwriter table), else not such a table."""
    offsets: dict[str, int] = {}
    for line in lines:
        body = line.rstrip()
        lead = re.match(rf"^({_DNS})\s{{2,}}", body) if all_namespaces else None
        if all_namespaces and lead is None:
            break
        row = _WL_ROW.match(body[lead.end():] if lead else body)
        if row is None:
            break
        shift = lead.end() if lead else 0
        cells = {name.replace("_", " "): row.start(name) + shift
                 for name, value in row.groupdict().items() if value is not None}
        if lead:
            cells["NAMESPACE"] = 0
        for name, at in cells.items():
            if offsets.setdefault(name, at) != at:
                return None
    if not offsets:
        return None
    return "Workload", sorted(offsets.items(), key=lambda column: column[1])


def _kind_of(resource: str) -> str:
    """`jobsets.jobset.x-k8s.io` / `jobset` -> JobSet-like name when the kit does not know
    the type: the singular of the plural, capitalized (a best effort for CRDs)."""
    plural = resource.split("/")[0].split(".")[0]
    singular = plural[:-1] if plural.endswith("s") else plural
    known = {"jobset": "JobSet", "rayjob": "RayJob", "raycluster": "RayCluster",
             "pytorchjob": "PyTorchJob", "mpijob": "MPIJob", "trainjob": "TrainJob",
             "leaderworkerset": "LeaderWorkerSet", "inferencepool": "InferencePool",
             "httproute": "HTTPRoute", "grpcroute": "GRPCRoute", "gatewayclass": "GatewayClass",
             "provisioningrequest": "ProvisioningRequest", "provreq": "ProvisioningRequest"}
    return known.get(singular.lower(), singular[:1].upper() + singular[1:])


def _offsets(text: str, names: list[str]) -> list[tuple[str, int]] | None:
    offsets, pos = [], 0
    for name in names:
        at = text.find(name, pos)
        if at < 0 or text[pos:at].strip():
            return None
        offsets.append((name, at))
        pos = at + len(name)
    return offsets if not text[pos:].strip() else None


def is_row(line: str, columns: list[tuple[str, int]]) -> bool:
    """The line is a row of the table with these columns (the reader stops at the first
    line that is not)."""
    return _cells(line, columns) is not None


def rows(lines: list[str], kind: str, columns: list[tuple[str, int]],
         namespace: str = "", label_columns: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The table's rows (header excluded) as partial objects of `kind`; the label columns a
    pasted `-L` / `--label-columns` asked for become metadata.labels (an empty cell: the
    object has no such label)."""
    out = []
    for line in lines:
        cells = _cells(line, columns)
        if cells is None:
            break  # prose under the table
        if namespace and not cells.get("NAMESPACE"):
            cells["NAMESPACE"] = namespace
        obj = to_object(kind, cells)
        labels = _labels_of(cells, label_columns)
        if labels:  # only the keys asked for: a table row is partial (`_source: table`)
            obj["metadata"]["labels"] = labels
        out.append(obj)
    return out


def label_header(key: str) -> str:
    """The column kubectl prints for a label key: its last path part in capitals
    (k8s.io/cli-runtime v0.37.2 pkg/printers/tableprinter.go formatLabelHeaders)."""
    return key.split("/")[-1].upper()


def _labels_of(cells: dict[str, Any], label_columns: Sequence[str]) -> dict[str, str]:
    return {key: cells[label_header(key)] for key in label_columns
            if cells.get(label_header(key))}


def _cells(line: str, columns: list[tuple[str, int]]) -> dict[str, Any] | None:
    if not line.strip():
        return None
    aligned = not any(start and line[start - 1:start] not in (" ", "") for _, start in columns)
    if len(line.rstrip()) < columns[-1][1] or not aligned:
        # not aligned with the header (a cell boundary inside a word, or too short): a row
        # whose cells were edited by hand (redacted addresses) still has one cell per column,
        # 2+ spaces apart; else, aligned, its last cells are empty (a label column of a
        # label the object lacks: kubectl prints "" and the tabwriter no trailing blanks)
        split = _split_cells(line, columns)
        if split is not None or not aligned or not _empty_tail_ok(line, columns):
            return split
    cells = {}
    for index, (name, start) in enumerate(columns):
        end = columns[index + 1][1] if index + 1 < len(columns) else None
        cells[name] = (line[start:end] if end else line[start:]).strip()
    name = cells.get("NAME", "")
    return cells if name and not re.search(r"\s", name) else None


def _empty_tail_ok(line: str, columns: list[tuple[str, int]]) -> bool:
    """An aligned row may end before its last columns when those cells are empty (a label
    column of a label the object lacks, a Workload not yet reserved), never when AGE is one
    of them (kubectl always prints an age, `<unknown>` at worst: printers.go
    translateTimestampSince), nor with a single cell: a line cut mid-row
    (`n1-gpu.exam`, a stored listing cut there)."""
    end = len(line.rstrip())
    missing = [name for name, start in columns if start >= end]
    filled = len(re.split(r"\s{2,}", line.strip()))
    return "AGE" not in missing and filled >= 2


def _split_cells(line: str, columns: list[tuple[str, int]]) -> dict[str, Any] | None:
    parts = re.split(r"\s{2,}", line.strip())
    if len(parts) != len(columns) or re.search(r"\s", parts[0]):
        return None
    return {name: value for (name, _), value in zip(columns, parts)}


def to_object(kind: str, cells: dict[str, Any]) -> dict[str, Any]:
    name = cells.get("NAME", "")
    if "/" in name:  # `kubectl get pods,jobs`: kind.group/name
        prefix, name = name.split("/", 1)
        kind = kind_for_resource(prefix) or kind
    meta = {"name": name}
    if cells.get("NAMESPACE"):
        meta["namespace"] = cells["NAMESPACE"]
    obj = {"kind": kind, "metadata": meta, "_source": "table", "_columns": dict(cells)}
    shape = _SHAPES.get(kind)
    if shape:
        shape(obj, cells)
    return obj


def _pod(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    state = cells.get("STATUS", "")
    phase = state if state in _POD_PHASES else "Pending" if (
        state in _WAITING or state.startswith("Init:")) else "Failed" if (
        _FAILED_REASON.fullmatch(state)) else ""
    obj["status"] = {"phase": phase, "reason": state}
    ready = cells.get("READY", "")
    if re.fullmatch(r"\d+/\d+", ready):
        obj["status"]["_ready"] = ready
    restarts = re.match(r"\d+", cells.get("RESTARTS", ""))
    if restarts:
        obj["status"]["_restarts"] = int(restarts.group(0))


def _node(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    states = cells.get("STATUS", "").split(",")
    ready = {"Ready": "True", "NotReady": "False", "Unknown": "Unknown"}.get(states[0], "")
    obj["status"] = {"conditions": [{"type": "Ready", "status": ready}] if ready else []}
    if "SchedulingDisabled" in states:
        obj["spec"] = {"unschedulable": True}


def _workload(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    # "ADMITTED BY" (Kueue v0.3-v0.6) printed status.admission.clusterQueue: the quota
    # reservation; admission checks may still be pending then (kueue#1790).
    reserved = cells.get("RESERVED IN") or cells.get("ADMITTED BY") or ""
    admitted = cells.get("ADMITTED", "")
    conditions = [{"type": "QuotaReserved", "status": "True"}] if reserved else []
    if admitted in ("True", "False"):
        conditions.append({"type": "Admitted", "status": admitted})
    if cells.get("FINISHED") == "True":
        conditions.append({"type": "Finished", "status": "True"})
    # a custom-columns table without QUEUE says nothing about the queue name
    obj["spec"] = {"queueName": cells["QUEUE"]} if "QUEUE" in cells else {}
    obj["status"] = {"conditions": conditions}
    if reserved:
        obj["status"]["admission"] = {"clusterQueue": reserved}


def _job(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    state = cells.get("STATUS", "")
    if state:
        obj["spec"] = {"suspend": state == "Suspended"}
    obj["status"] = {"conditions": [{"type": "Suspended", "status": "True"}]} \
        if state == "Suspended" else {}


def _suspended_column(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    """JobSet (`SUSPENDED` printer column) and other CRDs that print .spec.suspend."""
    if cells.get("SUSPENDED") in ("true", "false"):
        obj["spec"] = {"suspend": cells["SUSPENDED"] == "true"}


def _gateway(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    address = cells.get("ADDRESS", "")
    obj["spec"] = {"gatewayClassName": cells.get("CLASS", "")}
    status: dict[str, Any] = {"addresses": [{"value": address}] if address else []}
    programmed = cells.get("PROGRAMMED") or cells.get("READY")
    if programmed in ("True", "False", "Unknown"):
        kind = "Programmed" if "PROGRAMMED" in cells else "Ready"
        status["conditions"] = [{"type": kind, "status": programmed}]
    obj["status"] = status


def _gateway_class(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    obj["spec"] = {"controllerName": cells.get("CONTROLLER", "")}
    accepted = cells.get("ACCEPTED", "")
    obj["status"] = {"conditions": [{"type": "Accepted", "status": accepted}]
                     if accepted in ("True", "False", "Unknown") else []}


def _service(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    obj["spec"] = {"type": cells.get("TYPE", "")}
    external = cells.get("EXTERNAL-IP", "")
    ingress = [] if external in ("", "<none>", "<pending>") else \
        [{"ip": ip} for ip in external.split(",")]
    obj["status"] = {"loadBalancer": {"ingress": ingress}}


def _pvc(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    spec: dict[str, Any] = {}
    if cells.get("STORAGECLASS"):
        spec["storageClassName"] = cells["STORAGECLASS"]
    if cells.get("VOLUME"):
        spec["volumeName"] = cells["VOLUME"]
    obj["spec"] = spec
    phase = cells.get("STATUS", "")
    # STATUS is "Terminating" for a claim with a deletionTimestamp (printers.go v1.37.2:2186):
    # kept as the printed state, as a pod row's STATUS is, not as a phase
    obj["status"] = ({"phase": phase} if phase in ("Pending", "Bound", "Lost") else
                     {"reason": phase} if phase == "Terminating" else {})


def _local_queue(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    obj["spec"] = {"clusterQueue": cells.get("CLUSTERQUEUE", "")}
    counts = {key: int(cells[col]) for col, key in (("PENDING WORKLOADS", "pendingWorkloads"),
                                                   ("ADMITTED WORKLOADS", "admittedWorkloads"))
              if re.fullmatch(r"\d+", cells.get(col, ""))}
    obj["status"] = counts


def _rayjob(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    fields = {"JOB STATUS": "jobStatus", "DEPLOYMENT STATUS": "jobDeploymentStatus",
              "RAY CLUSTER NAME": "rayClusterName", "START TIME": "startTime",
              "END TIME": "endTime"}
    obj["status"] = {key: cells[col] for col, key in fields.items() if cells.get(col)}


def _jobset(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    _suspended_column(obj, cells)
    status: dict[str, Any] = {"conditions": []}
    terminal = cells.get("TERMINALSTATE", "")
    if terminal:  # set with the Completed / Failed condition (jobset_controller.go,
        status["terminalState"] = terminal  # failure_policy.go v0.12.0)
    if terminal in ("Completed", "Failed"):
        status["conditions"].append({"type": terminal, "status": "True"})
    elif cells.get("COMPLETED") == "True":
        status["conditions"].append({"type": "Completed", "status": "True"})
    if re.fullmatch(r"\d+", cells.get("RESTARTS", "")):
        status["restarts"] = int(cells["RESTARTS"])
    obj["status"] = status


def _last_condition(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    """Kubeflow v1 jobs and TrainJob print the last condition's type as STATE; empty when
    no controller has written a condition."""
    state = cells.get("STATE", "")
    obj["status"] = {"conditions": [{"type": state, "status": "True"}]} if state else {}


def _leaderworkerset(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    counts = {key: int(cells[col]) for col, key in (("READY", "readyReplicas"),
                                                   ("UP-TO-DATE", "updatedReplicas"))
              if re.fullmatch(r"\d+", cells.get(col, ""))}
    obj["status"] = counts
    if re.fullmatch(r"\d+", cells.get("DESIRED", "")):
        obj["spec"] = {"replicas": int(cells["DESIRED"])}


def _provisioning_request(obj: dict[str, Any], cells: dict[str, Any]) -> None:
    """ACCEPTED / PROVISIONED / FAILED columns (a cluster's ProvisioningRequest CRD that prints
    them, as GKE's does in KubeRay's RayJob + Kueue gang-scheduling guide) as the conditions
    they show (k8s.io/autoscaler cluster-autoscaler/apis provisioningrequest v1 types.go:
    condition types Accepted, Provisioned, Failed)."""
    obj["status"] = {"conditions": [
        {"type": col.title(), "status": cells[col]} for col in ("ACCEPTED", "PROVISIONED",
                                                               "FAILED")
        if cells.get(col) in ("True", "False", "Unknown")]}


_SHAPES = {"Pod": _pod, "Node": _node, "Workload": _workload, "Job": _job,
           "Gateway": _gateway, "GatewayClass": _gateway_class, "Service": _service,
           "JobSet": _jobset, "RayJob": _rayjob, "LeaderWorkerSet": _leaderworkerset,
           "LocalQueue": _local_queue, "PersistentVolumeClaim": _pvc,
           "ProvisioningRequest": _provisioning_request,
           **{kind: _last_condition for kind in ("PyTorchJob", "TFJob", "MPIJob", "XGBoostJob",
                                                 "PaddleJob", "JAXJob", "TrainJob")}}


def none_found(line: str) -> str | None:
    """The namespace kubectl named in "No resources found in NS namespace." ("" when it named
    none: a cluster-scoped type or -A), None when the line is something else."""
    match = _NONE_FOUND.match(line)
    return None if match is None else (match.group("ns") or "")
