"""Kit readers for two forms of a write-up's `kubectl get` captures: kubectl's global flags
typed before the verb (`kubectl --context kind-x -n ns get workloads`), and Workload rows
quoted without their header, where an unreserved Workload's row stops after QUEUE.

Ground truth: kubectl's global flags, k8s.io/cli-runtime v0.37.2 pkg/genericclioptions/
config_flags.go (--kubeconfig, --context, --cluster, --user, --server, ...; cobra accepts
persistent flags before the subcommand). Workload columns, Kueue printcolumns
apis/kueue/v1beta2/workload_types.go:1180-1185 @v0.19.2 (NAME, Queue, Reserved in, Admitted,
Finished, Age) and apis/kueue/v1beta1/workload_types.go:317-321 @v0.6.3 (no Finished).
The first fixture's rows are from netai-devsecops-runbook experiment 28 (Kueue v0.18.2).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.loading import parse_paste  # noqa: E402
from k8s_skillkit.paste import command_of  # noqa: E402


def _workloads(text: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in parse_paste(text, "paste")
            if o.get("kind") == "Workload"}


def test_global_flags_before_the_verb_keep_the_verb_and_the_namespace():
    found = command_of("kubectl --context kind-datax -n demo-ns get workloads -o wide")
    assert (found.verb, found.resource, found.namespace) == ("get", "workloads", "demo-ns")
    found = command_of("$ kubectl --kubeconfig ~/.kube/other.config -n team get job,pods")
    assert (found.verb, found.resource, found.namespace) == ("get", "job,pods", "team")
    found = command_of("kubectl --insecure-skip-tls-verify get pods")  # a flag with no value
    assert (found.verb, found.resource) == ("get", "pods")


def test_prose_that_starts_with_kubectl_is_not_a_command():
    assert command_of("kubectl -n is the short flag for the namespace") is None


# experiment 28: the command in a ```bash fence, its rows in a ```text fence, no header
EXP28 = """```bash
kubectl --context kind-datax -n demo-argocd-kueue-datax get workloads -o wide
```

```text
job-demo-argocd-kueue-hold-a-b6d6b   argocd-datax-user-queue
job-demo-argocd-kueue-hold-b-94242   argocd-datax-user-queue   argocd-datax-cpu-queue   True
```
"""


def test_headerless_workload_rows_under_a_get_are_read():
    found = _workloads(EXP28)
    pending = found["job-demo-argocd-kueue-hold-a-b6d6b"]
    admitted = found["job-demo-argocd-kueue-hold-b-94242"]
    assert pending["metadata"]["namespace"] == "demo-argocd-kueue-datax"
    assert pending["spec"]["queueName"] == "argocd-datax-user-queue"
    assert not pending["status"]["conditions"] and "admission" not in pending["status"]
    assert admitted["status"]["admission"]["clusterQueue"] == "argocd-datax-cpu-queue"
    assert {"type": "Admitted", "status": "True"} in admitted["status"]["conditions"]


def test_headerless_rows_of_all_namespaces_with_age_and_finished():
    # the full -o wide row of v0.19 (FINISHED, AGE), and -A's leading NAMESPACE, aligned as
    # the tabwriter aligned them under the header a `| grep` dropped
    text = ("$ kubectl get wl -A\n"
            "team-a      job-train-1-aaaaa   team-a-queue                                       3m\n"
            "team-a      job-train-0-bbbbb   team-a-queue   team-a-cq     True       True       9m\n")
    found = _workloads(text)
    assert found["job-train-1-aaaaa"]["metadata"]["namespace"] == "team-a"
    assert not found["job-train-1-aaaaa"]["status"]["conditions"]
    done = found["job-train-0-bbbbb"]
    assert done["status"]["admission"]["clusterQueue"] == "team-a-cq"
    assert {"type": "Finished", "status": "True"} in done["status"]["conditions"]


def test_the_same_rows_without_a_get_workloads_line_are_not_guessed():
    text = EXP28.replace("get workloads -o wide", "get localqueues -o wide")
    assert not _workloads(text)
    assert not _workloads(EXP28.split("```text")[1])


def test_a_custom_columns_table_without_queue_leaves_the_queue_name_unknown():
    # kubectl -o custom-columns=NAME:...,ADMITTED:... (the QUEUE column not asked for)
    text = ("$ kubectl -n gpu-lab get workloads -o custom-columns=NAME:.metadata.name,"
            "ADMITTED:.status.conditions[?(@.type==\"Admitted\")].status\n"
            "NAME                     ADMITTED\n"
            "job-contention-b-c4362   <none>\n")
    found = _workloads(text)["job-contention-b-c4362"]
    assert "queueName" not in (found.get("spec") or {})
