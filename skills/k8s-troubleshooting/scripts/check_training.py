#!/usr/bin/env python3
"""Explain the status of distributed training jobs: JobSet, LeaderWorkerSet, RayJob, TrainJob
(Kubeflow Trainer v2) and PyTorchJob / TFJob / MPIJob / XGBoostJob / PaddleJob / JAXJob
(Kubeflow training-operator v1). Names what failed first (the child Job, the replica type,
the pod), restarts against maxRestarts / backoffLimit, the failure-policy rule that matched,
and a job held suspended by Kueue; rank logs in the input are read for NCCL, Xid and
out-of-memory errors."""
from __future__ import annotations

import os
import re
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.dump import Dump
from k8s_skillkit.errors import InputError
from k8s_skillkit.event_table import unwrap_free_text
from k8s_skillkit.findings import exit_code, finding, render_text
from k8s_skillkit.objects import name_of, namespace_of
from k8s_skillkit.loading import ResourceTypeAbsent, kubectl_get, parse_paste, read_text
from k8s_skillkit.prose import refuse_unless_report, report_lines

from _tshoot import jobset_leader, py_traceback, ray_submit, training_logs
from _tshoot.gpu import read as read_logs
from _tshoot.model import Cluster
from _tshoot.rendezvous_met import rendezvous_lines, rendezvous_only
from _tshoot.training import KINDS, RESOURCES
from _tshoot.training_forms import complete_rayjobs
from _tshoot.training_report import WEBHOOK_CALL_FIX, findings_for, training_objects
from explain_gpu_failure import findings_for as log_findings_for

EXAMPLES = """what it reads (references/training-jobs.md):
  live: the training objects of the namespace (each CRD optional), their Jobs, pods, events;
  -f:   kubectl get -o yaml|json dumps, describe text or `kubectl get` tables of those objects
        (a `NAME STATE AGE` table needs its `kubectl get <kind>` line), their Jobs and pods,
        and rank logs (kubectl logs --prefix) in the same or another file.

examples:
  check_training.py -n ml                          every training job in namespace ml
  check_training.py -n ml llama-70b                one job by name
  kubectl get jobsets,jobs,pods -n ml -o yaml > d.yaml; check_training.py -f d.yaml
  check_training.py -f d.yaml -f ranks.log         status and the ranks' logs together
causes: training_failed training_restarts_exhausted training_failure_policy
  training_deadline_exceeded training_restarting training_suspended training_invalid
  training_group_not_ready training_not_reconciled, master_not_ready (a RayJob submitter that
  cannot reach the head's dashboard, JobSet followers refused while their leader pod is
  unscheduled), admission_webhook_denied (a webhook refusing or not answering for a child),
  plus the pod's own cause (oom_killed, crash_loop, image_pull, unschedulable_*, ...) and the
  log causes of explain_gpu_failure.py; a replica's Python traceback pasted alone (up to
  <module>): training_failed.
exit: 0 nothing wrong, 1 findings, 2 bad input."""

LIVE_TYPES = "jobs,pods,events"


def load(args) -> Cluster:
    if args.file:
        dump = Dump()
        for path in args.file:
            text, label = read_text(path)
            dump = dump.extended(parse_paste(text, label))
        objects = complete_rayjobs([o for o in dump if o.get("kind")], list(dump.texts))
        # a controller's log line a terminal cut at its width is read whole (kit event_table)
        jobs = [o for o in objects if o.get("kind") in KINDS]
        stubs, events = training_logs.read(unwrap_free_text(list(dump.texts)), jobs)
        have = {(o.get("kind"), namespace_of(o), name_of(o)) for o in objects}
        objects += [s for s in stubs if (s["kind"], namespace_of(s), name_of(s)) not in have]
        return Cluster(objects + events, args.namespace, dump=dump)
    dump = kubectl_get(LIVE_TYPES, args.namespace, args.all_namespaces)
    for kind in KINDS:
        try:
            dump = dump.extended(kubectl_get(RESOURCES[kind], args.namespace,
                                             args.all_namespaces))
        except ResourceTypeAbsent:
            continue  # that operator is not installed
    return Cluster(list(dump), None if args.all_namespaces else args.namespace, True,
                   dump=dump)


def body(args):
    if args.world_size is not None and args.world_size < 1:
        raise InputError("--world-size must be at least 1")
    cluster = load(args)
    objects = training_objects(cluster, args.name)
    # the controllers' and components' words: free text, and the messages of pasted events
    said = unwrap_free_text(list(cluster.dump.texts)) + [
        f"{e.get('reason', '')} {e.get('message', '')}" for e in cluster.by_kind.get("Event", ())]
    logs = log_findings_for(read_logs("\n".join(cluster.dump.texts)), args.world_size)
    logs += ray_submit.findings(said) + jobset_leader.findings(said)
    if not objects and cluster.live:
        where = "every namespace" if args.all_namespaces else f"namespace {args.namespace}" \
            if args.namespace else "the current namespace"
        head = (f"no training job{' named ' + repr(args.name) if args.name else ''} in "
                f"{where} (JobSet, LeaderWorkerSet, RayJob, TrainJob, Kubeflow jobs)")
        return {"summary": head, "jobs": [], "findings": []}, head, 0
    if not objects:
        # the operator's log lines, and its Warning events when the paste's Events block was
        # read as events (kubeflow/trainer#1091: InvalidTFJobSpec)
        refused = training_logs.setup_refusals(said)
        if refused and not args.name:
            return _setup_refused(refused)
        if logs and not args.name:
            return _logs_only(logs)
        webhooks = training_logs.webhook_refusals(said)
        if webhooks and not args.name:
            return _webhook_refused(webhooks)
        # a replica's Python traceback up to its top level: the program exited, the replica
        # failed (_tshoot/py_traceback.py)
        crashed = py_traceback.findings(["\n".join(cluster.dump.texts)])
        if crashed and not args.name:
            return _logs_only(crashed)
        met = rendezvous_lines(list(cluster.dump.texts))
        if met and not args.name:  # ranks' logs with no fault in them: say so, not exit 2
            return _logs_only([rendezvous_only(met)])
        why = _nothing_to_read(cluster, args.name, bool(logs))
        sentences = [t for t in report_lines(list(cluster.dump.texts)) if len(t.split()) >= 6]
        if ":" in why or ";" in why or args.name or not sentences:
            raise InputError(why)  # a table, other kinds or logs: the line says which script
        # a person's report with nothing of the job in it: not_evaluated, with what to paste
        raise refuse_unless_report("\n".join(cluster.dump.texts), "the paste", why, PASTE_ASKS)
    findings, jobs = [], []
    for obj in objects:
        found = findings_for(cluster, obj, logs)
        findings += found
        job = next((f for f in found if f["object"]["kind"] == obj.get("kind")), None)
        jobs.append({"kind": obj.get("kind"), "namespace": namespace_of(obj), "name": name_of(obj),
                     "verdict": job["cause"] if job else "ok"})
    for i, f in enumerate(findings, 1):
        f["rank"] = i
    bad = [j for j in jobs if j["verdict"] != "ok"]
    head = (f"{len(jobs)} training job(s), {len(bad)} with findings: "
            + ", ".join(f"{j['kind']}/{j['name']} {j['verdict']}" for j in bad)
            if bad else f"{len(jobs)} training job(s), none failed, restarting or held")
    text = head + ("\n\n" + render_text(findings) if findings else "")
    return {"summary": head, "jobs": jobs, "findings": findings}, text, exit_code(findings)




# kubeflow/training-operator v1.9.3 *_types.go and kubeflow/trainer v2.2.1 trainjob_types.go
# print the same two columns (State = .status.conditions[-1:].type, Age)
_KINDLESS_TABLE = re.compile(r"^\s*(?:NAMESPACE\s{2,})?NAME\s{2,}STATE\s{2,}AGE\s*$", re.M)


PASTE_ASKS = ("kubectl get <kind> NAME -n NAMESPACE -o yaml (PyTorchJob, TFJob, MPIJob, "
              "TrainJob, JobSet, RayJob, LeaderWorkerSet)",
              "kubectl describe <kind> NAME -n NAMESPACE",
              "kubectl logs -n <operator namespace> deploy/<operator> --tail=200")


def _setup_refused(refused: list[tuple[str, str]]):
    """The operator's own log refusing a job's spec, with no job in the paste."""
    kind, line = refused[0]
    found = finding("error", "training_invalid", {"kind": kind, "name": ""},
                    f"the {kind} operator refused the job's spec and did not set it up (the job "
                    "may show an empty status, as if not reconciled)", [f"the operator said: {line}"],
                    "fix the spec field the message names and recreate the job; "
                    "'Failed to marshal the object ... the spec is invalid' names none: the "
                    "operator's replica validation refused it (one Chief/Master, at most one "
                    "Evaluator, a container named after the framework: tensorflow, pytorch)",
                    basis="reported")
    found["rank"] = 1
    head = f"no {kind} object in the input; its operator's log refuses the job's spec"
    return ({"summary": head, "jobs": [], "findings": [found]},
            head + "\n\n" + render_text([found]), exit_code([found]))


def _webhook_refused(refused: list):
    """An admission webhook refusing (or not answering for) what a controller creates, with no
    job in the paste: the job gets no children, whatever its own status says."""
    refusal, line = refused[0]
    if refusal.call_error:
        message = (f"the API server cannot call admission webhook {refusal.webhook} "
                   f"({refusal.call_error[:240]}), and its failurePolicy Fail refuses the "
                   "object a controller creates for the job: nothing below it (Jobs, pods) is "
                   "created")
        fix = WEBHOOK_CALL_FIX
    else:
        message = (f"admission webhook {refusal.webhook or '(a policy)'} refuses the object a "
                   "controller creates for the job, so it gets no children")
        fix = ("fix what the webhook's message names in the job's template, or the webhook "
               "(its configuration, its release) when the message is its own error")
    found = finding("error", refusal.cause, {"kind": "Webhook", "name": refusal.webhook},
                    message, [f"the paste says: {line}"], fix, basis="reported")
    found["rank"] = 1
    head = "no training job in the input; an admission webhook stops its children being created"
    return ({"summary": head, "jobs": [], "findings": [found]},
            head + "\n\n" + render_text([found]), exit_code([found]))


def _logs_only(logs: list[dict]):
    """A rank's log with no job in the paste: what the log says (the GPU/NCCL/rendezvous
    readers explain_gpu_failure.py uses), not a refusal to read it."""
    for i, f in enumerate(logs, 1):
        f["rank"] = i
    said = [f["cause"] for f in logs if f["severity"] != "info"]
    head = ("no training job in the input; its log says: " + ", ".join(said) if said else
            "no training job in the input; nothing in its log is a fault (notes below)")
    return ({"summary": head, "jobs": [], "findings": logs},
            head + "\n\n" + render_text(logs), exit_code(logs))


def _nothing_to_read(cluster: Cluster, name: str | None, logs: bool) -> str:
    """The one line for input without a training object: which script reads what it holds."""
    where = f" named {name!r}" if name else ""
    head = f"no JobSet, LeaderWorkerSet, RayJob, TrainJob or Kubeflow job{where} in the input"
    if any(_KINDLESS_TABLE.search(text) for text in cluster.dump.texts):
        return (f"{head}: a `NAME STATE AGE` table does not say its kind (PyTorchJob, TFJob, "
                "MPIJob, XGBoostJob, PaddleJob, JAXJob and TrainJob all print those columns); "
                "paste it with its `kubectl get <kind>` line, or -o yaml")
    kinds = sorted({o.get("kind", "") for o in cluster.dump if o.get("kind")})
    if kinds:
        return (f"{head}, only {', '.join(kinds)}: triage.py -f FILE reads pods, nodes, Jobs "
                "and events")
    return head + ("; for logs alone run explain_gpu_failure.py" if logs else "")


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    parser.add_argument("name", nargs="?", help="one training object by name")
    parser.add_argument("-f", "--file", action="append", metavar="FILE",
                        help="a dump, describe text or log file (repeatable; - for stdin)")
    parser.add_argument("-n", "--namespace", help="namespace (live, or to filter -f input)")
    parser.add_argument("-A", "--all-namespaces", action="store_true",
                        help="live: every namespace")
    parser.add_argument("--world-size", type=int, metavar="N",
                        help="ranks in the job, for the logs: a rank that never reports is "
                             "the suspect")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
