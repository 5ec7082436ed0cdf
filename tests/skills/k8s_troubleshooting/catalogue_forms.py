"""Every wording of references/catalogue/*.yaml, rendered in each input form users paste.

The catalogue lists the components' format strings (Go verbs kept) with example values; this
module fills the verbs and wraps the message the way kubectl, the components' logs and users'
sentences carry it. It never decides what a message means: the catalogue's `cause` (taken from
the upstream source and the threads cited there) is the expectation.
"""
from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "skills" / "k8s-troubleshooting" / "references" / "catalogue"
VERB = re.compile(r"%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[vsdqfgtx]")
NAME = {"Pod": "web-5d9f8c-x2x4p", "Node": "worker-2", "Job": "train-llm",
        "Deployment": "web", "ReplicaSet": "web-7d9f8c", "StatefulSet": "db",
        "PersistentVolumeClaim": "data-db-0"}


@dataclass
class Entry:
    file: str
    index: int
    wording: str
    message: str
    versions: str
    source: str
    cause: str = ""                  # "" for not-a-fault / unknown-on-purpose entries
    why_not: str = ""                # the reason given for not_a_fault / unknown_on_purpose
    repeated: str = ""               # a not-a-fault event's cause once it repeats (count > 1)
    event_reason: str = ""
    object: str = "Pod"
    component: str = ""
    state: dict = field(default_factory=dict)
    condition: dict = field(default_factory=dict)
    pod_reason: str = ""
    log: bool = False
    fill: list = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.file}#{self.index}:{self.message[:50]}"


def fill(wording: str, values: list) -> str:
    """Put the example values into the Go verbs, in order (%q quotes as Go does)."""
    values = list(values)
    verbs = VERB.findall(wording)
    if len(verbs) != len(values):
        raise ValueError(f"{wording!r}: {len(verbs)} verbs, {len(values)} values")

    def one(match: re.Match) -> str:
        value = values.pop(0)
        return json.dumps(str(value)) if match.group(0).endswith("q") else str(value)
    return VERB.sub(one, wording)


def load() -> list[Entry]:
    entries = []
    for path in sorted(CATALOGUE.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        for i, raw in enumerate(doc["entries"]):
            entries.append(Entry(
                file=path.name, index=i, wording=raw["wording"],
                message=fill(raw["wording"], raw.get("fill", [])),
                versions=str(raw["versions"]), source=raw["source"],
                cause=raw.get("cause", ""),
                why_not=raw.get("not_a_fault", raw.get("unknown_on_purpose", "")),
                repeated=raw.get("repeated_cause", ""),
                event_reason=raw.get("event_reason", doc.get("event_reason", "")),
                object=raw.get("object", "Pod"), component=doc["component"],
                state=raw.get("state") or {}, condition=raw.get("condition") or {},
                pod_reason=raw.get("pod_reason", ""), log=bool(raw.get("log")),
                fill=list(raw.get("fill", []))))
    return entries


def _source(entry: Entry) -> str:
    if entry.component == "kube-scheduler":
        return "default-scheduler"
    if entry.component == "kubelet":
        return "kubelet"
    return {"Job": "job-controller", "Deployment": "deployment-controller",
            "ReplicaSet": "replicaset-controller", "StatefulSet": "statefulset-controller",
            "PersistentVolumeClaim": "persistentvolume-controller",
            "Node": "node-controller"}.get(entry.object, "node-controller")


def _type(entry: Entry) -> str:
    return "Normal" if entry.why_not or entry.event_reason in (
        "ExternalProvisioning", "NodeControllerEviction") else "Warning"


# --- the forms --------------------------------------------------------------------------------

def describe(entry: Entry) -> str:
    """`kubectl describe KIND NAME`: a few header lines and the Events table (the message as
    kubectl prints it: one row, continuation lines of a multi-line message under it)."""
    name = NAME.get(entry.object, "x")
    head = [f"Name:         {name}"]
    if entry.object != "Node":
        head.append("Namespace:    apps")
    head.append(f"Status:       {'Pending' if entry.object == 'Pod' else ''}".rstrip())
    reason = entry.event_reason or "Warning"
    rows = ["Events:",
            "  Type     Reason     Age   From     Message",
            "  ----     ------     ----  ----     -------",
            f"  {_type(entry):<8} {reason:<10} 12s   {_source(entry):<8} {entry.message}"]
    return "\n".join(head + rows) + "\n"


def events_table(entry: Entry) -> str:
    """`kubectl get events` (plain table, namespaced)."""
    kind = "node" if entry.object == "Node" else entry.object.lower()
    obj = f"{kind}/{NAME.get(entry.object, 'x')}"
    reason = entry.event_reason or "Warning"
    return ("LAST SEEN   TYPE      REASON     OBJECT     MESSAGE\n"
            f"12s         {_type(entry):<9} {reason:<10} {obj:<10} {entry.message}\n")


def event_yaml(entry: Entry) -> str:
    """`kubectl get events -o yaml`: a List of core/v1 Events."""
    event = {"apiVersion": "v1", "kind": "Event", "type": _type(entry),
             "reason": entry.event_reason or "Warning", "message": entry.message,
             "count": 3, "source": {"component": _source(entry)},
             "metadata": {"name": f"{NAME.get(entry.object, 'x')}.17e1", "namespace": "apps"},
             "involvedObject": {"kind": entry.object, "name": NAME.get(entry.object, "x"),
                                "namespace": "" if entry.object == "Node" else "apps"}}
    return yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": [event]},
                          sort_keys=False)


def status_yaml(entry: Entry) -> str | None:
    """`kubectl get KIND -o yaml` whose status carries the wording (a container state, a pod's
    reason, a condition), or None when the component writes it to no status."""
    # the scheduler writes only its FailedScheduling message to a status (PodScheduled); its
    # other events (Preempted on a victim) live in events alone
    scheduling = entry.component == "kube-scheduler" and entry.event_reason == "FailedScheduling"
    if not (entry.state or entry.condition or entry.pod_reason or scheduling):
        return None
    name = NAME.get(entry.object, "x")
    meta = {"name": name} if entry.object == "Node" else {"name": name, "namespace": "apps"}
    if entry.object == "Pod":
        return yaml.safe_dump(_pod(entry, meta), sort_keys=False)
    cond = dict(entry.condition, message=entry.message,
                lastTransitionTime="2026-12-02T12:00:00Z")
    kind_api = {"Node": "v1", "Job": "batch/v1", "Deployment": "apps/v1"}
    obj = {"apiVersion": kind_api.get(entry.object, "v1"), "kind": entry.object,
           "metadata": meta, "status": {"conditions": [cond]}}
    return yaml.safe_dump(obj, sort_keys=False)


def _pod(entry: Entry, meta: dict) -> dict:
    container = {"name": "app", "image": "registry.example.com/team/app:1.4"}
    status: dict = {"phase": "Pending"}
    if entry.component == "kube-scheduler":
        status["conditions"] = [{"type": "PodScheduled", "status": "False",
                                 "reason": "Unschedulable", "message": entry.message}]
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
                "spec": {"containers": [container]}, "status": status}
    if entry.pod_reason:
        status.update(phase="Failed", reason=entry.pod_reason, message=entry.message)
    if entry.state:
        state = dict(entry.state)
        exit_code = state.pop("exitCode", 1)
        if "waiting" in state:
            st = {"waiting": {"reason": state["waiting"], "message": entry.message}}
            status["phase"] = "Pending"
        else:
            st = {"terminated": {"reason": state["terminated"], "exitCode": exit_code,
                                 "message": entry.message}}
            status["phase"] = "Running"
        status["containerStatuses"] = [{"name": "app", "ready": False, "restartCount": 4,
                                        "image": container["image"], "state": st}]
    if entry.condition:
        status["conditions"] = [dict(entry.condition, message=entry.message)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"nodeName": "worker-2", "containers": [container]}, "status": status}


def log_line(entry: Entry) -> str:
    """The message in a component's klog line (as the recorder or the component logs it)."""
    first, *rest = entry.message.split("\n")
    return "\n".join([f"E1202 12:00:03.118245    2817 {_logfile(entry)}] {first}", *rest]) + "\n"


def _logfile(entry: Entry) -> str:
    return {"kube-scheduler": "schedule_one.go:1004", "kubelet": "pod_workers.go:1301"}.get(
        entry.component, "controller_utils.go:600")


def prose(entry: Entry) -> str:
    """A user's sentence around the message (an issue report)."""
    thing = {"Pod": "my pod", "Node": "one of my nodes", "Job": "my training job",
             "Deployment": "my deployment", "ReplicaSet": "my deployment",
             "StatefulSet": "my statefulset", "PersistentVolumeClaim": "my PVC"}
    return (f"After upgrading the cluster {thing.get(entry.object, 'it')} is broken. "
            f"The only thing I can find is this message:\n{entry.message}\n"
            "Any idea what is going on? Thanks!\n")


def wrapped(text: str, width: int = 80) -> str:
    """A terminal that hard-wraps every line at `width` columns (issue pastes from a narrow
    window): the continuation starts at column 0."""
    out = []
    for line in text.split("\n"):
        out.extend(textwrap.wrap(line, width, break_long_words=True, break_on_hyphens=False,
                                 drop_whitespace=False) or [""])
    return "\n".join(out)


def _evented(form):
    """Event forms exist for wordings a component writes as an event (the scheduler's all are)."""
    def render(entry: Entry) -> str | None:
        return form(entry) if entry.event_reason else None
    render.__name__ = form.__name__
    return render


def message(entry: Entry) -> str:
    """The message copied alone, without its event row, object or log header."""
    return entry.message + "\n"


FORMS = {"describe": _evented(describe), "events_table": _evented(events_table),
         "event_yaml": _evented(event_yaml),
         "status_yaml": status_yaml, "log": log_line, "prose": prose, "message": message}
