"""Read the objects explain_pending.py needs: from a paste/dump, or live with one kubectl get
per type.

Optional CRDs (JobSet, LWS, Ray, Kubeflow, Cohort, ...) may be absent from a cluster: the kit
raises ResourceTypeAbsent and the type is skipped. A Forbidden list is skipped without being
counted as read (RBAC denial proves nothing); every other kubectl error is fatal.

A paste is whatever the user had: YAML, describe text, event tables, controller log lines.
The kit reads the forms it knows (`parse_paste` returns a Dump that also keeps the lines it
could not read as objects); a paste the kit refuses but that carries Kueue's words (a log
line, a quoted condition message) is kept as text, because Kueue's message is the evidence.
"""
from __future__ import annotations

from k8s_skillkit.errors import InputError
from k8s_skillkit.dump import Dump
from k8s_skillkit.objects import dig
from k8s_skillkit.event_table import join_error_chains, unwrap_free_text
from k8s_skillkit.prose import refuse_unless_report
from k8s_skillkit import surface
from k8s_skillkit.loading import (ResourceTypeAbsent, kubectl_get, parse_documents, parse_paste,
                                   read_text)

import re

import yaml

from _kueue import controller_down, prose, rbac_denied, recovered_panic, text_evictions
from _kueue import preemption_loop, tas_node_selector, unregistered_webhook, unserved_api
from _kueue import visibility_api, webhook_crossed
from _kueue.messages import clauses
from _kueue.objects import Cluster, as_kueue_object, check_states, workload_status
from _kueue.orphans import PROSE_NO_WORKLOAD, messages_in
from _kueue.tables import empty_listings, objects_from_tables


# (resource, kind, namespaced)
LIVE_TYPES = [
    ("workloads.kueue.x-k8s.io", "Workload", True),
    ("localqueues.kueue.x-k8s.io", "LocalQueue", True),
    ("clusterqueues.kueue.x-k8s.io", "ClusterQueue", False),
    ("resourceflavors.kueue.x-k8s.io", "ResourceFlavor", False),
    ("admissionchecks.kueue.x-k8s.io", "AdmissionCheck", False),
    ("cohorts.kueue.x-k8s.io", "Cohort", False),
    ("multikueueclusters.kueue.x-k8s.io", "MultiKueueCluster", False),
    ("namespaces", "Namespace", False),
    ("nodes", "Node", False),
    ("jobs.batch", "Job", True),
    ("jobsets.jobset.x-k8s.io", "JobSet", True),
    ("leaderworkersets.leaderworkerset.x-k8s.io", "LeaderWorkerSet", True),
    ("rayjobs.ray.io", "RayJob", True),
    ("pytorchjobs.kubeflow.org", "PyTorchJob", True),
    ("trainjobs.trainer.kubeflow.org", "TrainJob", True),
    ("pods", "Pod", True),
    ("events", "Event", True),
    ("resourceclaimtemplates.resource.k8s.io", "ResourceClaimTemplate", True),
]


def read_live(namespace: str | None) -> tuple[Dump, set[str], list[str], list[str]]:
    """All objects (a kit Dump that knows each listing was full, so an object it lacks does
    not exist) plus the kinds actually read. An optional CRD that is not installed is skipped
    (ResourceTypeAbsent); a list RBAC denies is skipped too but proves nothing (the kind is
    not marked as read), and its error line goes into the texts."""
    objects, kinds, denied = Dump(live=True), set(), []
    for resource, kind, namespaced in LIVE_TYPES:
        # Workloads are read everywhere: quota holders live in other namespaces.
        scoped = namespaced and namespace is not None and kind != "Workload"
        try:
            items = kubectl_get(resource, namespace=namespace if scoped else None,
                                all_namespaces=namespaced and not scoped)
        except ResourceTypeAbsent:
            if kind == "Workload":
                raise InputError("no Kueue Workload API on this cluster: is Kueue installed?")
            continue
        except InputError as err:
            if kind != "Workload" and "forbidden" in str(err).lower():
                denied.append(str(err))
                continue
            raise
        kinds.add(kind)
        for item in items:
            item.setdefault("kind", kind)
        objects = objects + items
    return objects, kinds, denied, []


def read_dump(path: str) -> tuple[list[dict], set[str], list[str], list[str]]:
    """(objects, kinds read in full, text lines that are not objects, every line in order).

    The paste's own lines go along because `kubectl get` tables and "No resources found"
    answers are read from them in order (the kit keeps a command line as a hint only, and
    reads no `kubectl get` table of these kinds)."""
    text, label = read_text(path)
    # a log line or message a terminal cut at its width is read whole (kit event_table)
    # (the lines as kubectl printed them: CRLF, a GitHub quote's `> ` markers off)
    # (and an error message broken by hand after its colons, joined: kit join_error_chains)
    lines = join_error_chains(unwrap_free_text(surface.clean(text).splitlines()))
    try:
        objects = parse_paste(text, label)
    except InputError:  # e.g. a List whose items the user cut to `...`
        if not _kueue_text(lines):
            raise
        return [], set(), lines, lines
    if any(_is_object(o) for o in objects):
        return (objects, set(), unwrap_free_text(list(getattr(objects, "texts", []) or []))
                + _typeless_messages(objects), lines)
    if any(isinstance(f, dict) and as_kueue_object(f).get("kind")
           for f in getattr(objects, "fragments", ())):
        # kind-less YAML the kit read through fences, quotes and padding (a Workload's
        # status block): the Cluster gives it its kind
        return (objects, set(), unwrap_free_text(list(getattr(objects, "texts", []) or [])),
                lines)
    # e.g. a pasted `status:` block (_kueue.objects gives it its kind), read whole or as the
    # kit decoded it past a command line above it
    fragments = _kindless_fragments(text) or [
        f for f in getattr(objects, "fragments", ()) if _status_fragment(f)]
    if fragments:
        # (and a log line beside it that says on its own what failed: the visibility
        # server's listener, kueue#2205)
        said = _untyped_messages(fragments) + [
            line for line in lines if visibility_api.findings([line])]
        return fragments, set(), said, said
    if _kueue_text(lines):
        # No object, but Kueue's own words (logs, a quoted message) or a table it reads.
        return [], set(), lines, lines
    why = f"{label}: no Kubernetes object, Kueue message or kubectl table found"
    try:
        parse_documents(text, label)  # the kit's one-line reason (not YAML, no object)
    except InputError as err:
        why = str(err)
    raise refuse_unless_report(text, label, why, PASTE_ASKS)


# What decides a Kueue question, for a paste that holds none of it
PASTE_ASKS = ("kubectl get workloads.kueue.x-k8s.io -n NAMESPACE -o yaml",
              "kubectl describe clusterqueue NAME",
              "kubectl get events -n NAMESPACE --sort-by=.lastTimestamp")


def _kueue_text(lines: list[str]) -> bool:
    """Kueue's words, or a `kubectl get` table / "No resources found" this skill reads."""
    return any(clauses(line) or PROSE_NO_WORKLOAD.search(line) for line in lines) \
        or bool(messages_in("\n".join(lines))) \
        or bool(objects_from_tables(lines, lines)) or bool(empty_listings(lines)) \
        or prose.said(lines) or bool(prose.preemption_lines(lines)) \
        or bool(controller_down.findings([], lines)) \
        or bool(recovered_panic.findings(lines)) or bool(unserved_api.findings(lines)) \
        or bool(rbac_denied.findings(lines)) or bool(unregistered_webhook.findings(lines)) \
        or bool(text_evictions.events(lines)) or bool(visibility_api.findings(lines)) \
        or bool(preemption_loop.findings(lines)) or bool(webhook_crossed.findings(lines)) \
        or bool(tas_node_selector.refused_line(lines))
    # (text_evictions: an eviction message alone, for explain_eviction; tas_node_selector:
    # Kueue's topology ungater refused over the pod's nodeSelector, kueue#4571)


def _is_object(obj) -> bool:
    return isinstance(obj, dict) and any(obj.get(k) for k in ("kind", "apiVersion", "metadata",
                                                              "status", "msg", "involvedObject"))


def _kindless_fragments(text: str) -> list[dict]:
    """A YAML fragment without kind/apiVersion (a Workload's `status:` block cut from
    `kubectl get -o yaml`), which the kit keeps as text: the whole paste, or each fenced
    block of it (prose around a ``` block). Only mappings with a `status.conditions` list
    count (a conditions list pasted alone is given its `status:`); _kueue.objects gives them
    a kind from their condition types."""
    out = []
    for block in [text] + re.findall(r"```[\w-]*\n(.*?)```", text, re.S):
        try:
            docs = [_as_status(d) for d in yaml.safe_load_all(block)]
        except yaml.YAMLError:
            continue
        out += [d for d in docs if _status_fragment(d)]
        if out:
            break
    return out


def _as_status(doc):
    """A list of conditions copied alone (the `- lastTransitionTime: ...` / `message: ...`
    lines under `conditions:`, without the keys above them) as the status that holds them."""
    if isinstance(doc, list) and doc and all(isinstance(c, dict) and "message" in c
                                            for c in doc):
        return {"status": {"conditions": doc}}
    return doc


def _status_fragment(doc) -> bool:
    """A kind-less mapping with a status this skill reads: conditions, admission check states,
    or a Workload status's own fields pasted without `status:`."""
    if not isinstance(doc, dict) or doc.get("kind"):
        return False
    status = doc.get("status")
    return (isinstance(status, dict) and (isinstance(status.get("conditions"), list)
                                          or check_states(status))) or workload_status(doc)


def _untyped_messages(fragments: list[dict]) -> list[str]:
    """The condition messages of a status no kind can be given to: conditions cut from their
    `type:` (a doc's excerpt keeps only lastTransitionTime and message; OpenShift AI's
    troubleshooting page shows a suspended RayCluster's Workload condition this way), or a
    queue's `Active` condition, which a ClusterQueue and a LocalQueue both have (Kueue's
    troubleshooting page shows `Can't admit new workloads: FlavorNotFound` so). Kueue's words
    in them are read as quoted text."""
    return _condition_messages([f for f in fragments if not as_kueue_object(f).get("kind")],
                               typeless_only=False)


def _typeless_messages(objects) -> list[str]:
    """The messages of an object's conditions cut from their `type:` (a docs page keeps only
    lastTransitionTime and message of a Workload's condition): no rule can read a condition
    without its type, so its words are read as quoted text."""
    return _condition_messages(objects, typeless_only=True)


def _condition_messages(objects, typeless_only: bool) -> list[str]:
    return [str(c["message"]) for o in objects if isinstance(o, dict)
            for c in dig(o, "status", "conditions", default=[]) or []
            if isinstance(c, dict) and c.get("message")
            and not (typeless_only and c.get("type"))]


def add_input_args(parser) -> None:
    """-n/-A and -f, the same for every script that reads Workloads live or from a paste."""
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("-n", "--namespace", help="only workloads/jobs in this namespace")
    scope.add_argument("-A", "--all-namespaces", action="store_true",
                       help="all namespaces (the default)")
    parser.add_argument("-f", "--filename", metavar="DUMP",
                        help="read a kubectl get -o yaml|json dump (List or multi-doc), "
                             "describe text or events (- = stdin) instead of the live cluster")


def load_cluster(args) -> Cluster:
    """The Cluster the scripts read: the pasted dump (-f) or the live cluster (-n/-A)."""
    if args.filename:
        objects, kinds, texts, lines = read_dump(args.filename)
    else:
        objects, kinds, texts, lines = read_live(args.namespace)
    return Cluster(objects, kinds, texts, lines)
