"""Paste forms the kit missed on real cases (issue 12, Deliver 5; reported by the diagnosis
helpers): kind-less YAML, YAML lists of Events, log lines after a describe block, event
reporters with spaces, numbered log excerpts, `kubectl get` tables and "No resources found".

Every paste is a real one from a public thread (tests/resources/real-world/<area>/<case>/,
its case.yaml names the URL, quoted here too); the expected values are read off the paste
itself, never from what the kit prints. Column layouts: kubectl's tabwriter (k8s.io/cli-runtime
pkg/printers/tablewriter.go) and the printers cited in skills/_shared/k8s_skillkit/get_table.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.dump import ABSENT, NOT_IN_DUMP, PRESENT
from k8s_skillkit.loading import parse_paste
from k8s_skillkit.paste import command_of

CASES = ROOT / "tests" / "resources" / "real-world"


def paste(case: str):
    path = CASES / case / "paste.txt"
    return parse_paste(path.read_text(), str(path))


def kinds(dump) -> list[str]:
    return [o.get("kind") for o in dump]


def test_kindless_status_block_is_a_fragment_not_an_object():
    # kubernetes-sigs/kueue#8079: ClusterQueue + Job manifests, then the Workload's `status:`
    # block cut from `kubectl get -o yaml` (no kind, no apiVersion).
    dump = paste("kueue/resource-zero-request-not-covered")
    assert kinds(dump) == ["ClusterQueue", "Job"]
    assert len(dump.fragments) == 1
    condition = dump.fragments[0]["status"]["conditions"][0]
    assert condition["type"] == "QuotaReserved" and condition["status"] == "False"
    assert condition["message"] == ("couldn't assign flavors to pod set main: resource "
                                    "nvidia.com/gpu unavailable in ClusterQueue")
    assert any("unavailable in ClusterQueue" in line for line in dump.texts)


def test_fenced_status_fragment_inside_prose_is_decoded():
    # envoyproxy/gateway#9012: prose, then ```yaml with a listener status list.
    dump = paste("gateway/envoy-gateway-listenerset-cert-secret-missing")
    assert len(dump) == 0
    listener = dump.fragments[0]["listeners"][0]
    assert listener["attachedRoutes"] == 1
    assert [c["reason"] for c in listener["conditions"]] == \
        ["InvalidCertificateRef", "Accepted", "ListenersNotValid"]


def test_yaml_list_of_events_is_read_as_events():
    # UKHomeOffice/kb8or#68: the `items:` of `kubectl get events -o yaml` pasted alone.
    dump = paste("pods-nodes/image-tag-not-found-event-yaml-2016")
    assert set(kinds(dump)) == {"Event"}
    first = dump[0]
    assert first["reason"] == "Failed" and first["count"] == 61
    assert first["involvedObject"]["name"] == "registry-v1-j6noi"
    assert first["source"] == {"component": "kubelet",
                               "host": "ip-10-50-1-50.eu-west-1.compute.internal"}


def test_log_lines_after_a_describe_block_stay_text():
    # google/dranet#30: `kubectl describe po pod1`, then `grep -i pod1 syslog | tail` and the
    # kubelet's journal lines.
    dump = paste("dra/dranet-30-not-allowed-to-use-claim")
    assert kinds(dump) == ["Pod"] and dump[0]["metadata"]["name"] == "pod1"
    assert "grep -i pod1 syslog | tail" in dump.texts
    assert any("is not allowed to use resource claim pve-interfaces" in line
               for line in dump.texts)


def test_event_reporter_with_spaces_stays_one_component():
    # kubernetes-sigs/dra-driver-nvidia-gpu#47: classic DRA drivers report as
    # "resource driver <name>" (dynamic-resource-allocation v0.27.0 controller.go:178).
    dump = paste("dra/nvidia-47-classic-immediate-allocation-failed")
    sources = [e["source"] for e in dump if e.get("kind") == "Event"
               and e.get("reason") == "Failed"]
    assert {"component": "resource driver gpu.resource.nvidia.com"} in sources


def test_numbered_log_excerpt_is_text_not_json():
    # kubernetes/kubernetes#119850: "[1] - Aug 09 ... kubelet[1851]: E0809 ..." decodes as
    # the JSON list [1] but is a footnoted log line.
    dump = paste("dra/k8s-119850-prepare-not-called-after-reboot")
    assert len(dump) == 0
    assert any(line.startswith("[1] - Aug 09") and "unresolvable CDI devices" in line
               for line in dump.texts)


def test_get_pods_table_rows_become_partial_pods():
    # ibm-cloud-labs/iks-handson#7: `kubectl get po` then `kubectl describe pod`.
    dump = paste("pods-nodes/config-init-secret-not-found-iks")
    pod = next(o for o in dump if o.get("_source") == "table")
    assert pod["kind"] == "Pod"
    assert pod["metadata"] == {"name": "sample-mychart-6bfc89db65-j9g9z"}
    assert pod["status"]["reason"] == "Init:CreateContainerConfigError"
    assert pod["status"]["phase"] == "Pending"  # an Init: state is a pod not yet running
    assert pod["status"]["_ready"] == "0/1" and pod["status"]["_restarts"] == 0
    assert "get-table" in dump.forms


def test_get_nodes_table_gives_ready_condition():
    # kubeedge/kubeedge#1302: `kubectl get nodes` on a fresh control plane.
    dump = paste("pods-nodes/node-cni-uninitialized-kubeedge")
    node = next(o for o in dump if o.get("_source") == "table")
    assert node["kind"] == "Node" and node["metadata"]["name"] == "kubemaster"
    assert node["status"]["conditions"] == [{"type": "Ready", "status": "False"}]
    assert node["_columns"]["ROLES"] == "master" and node["_columns"]["VERSION"] == "v1.14.1"


def test_workload_and_crd_tables_under_their_get_lines():
    # kubernetes-sigs/kueue#3349: `oc get workloads -n kueue-demo`, `oc get jobset -n ...`
    # (JobSet additionalPrinterColumns: TERMINALSTATE RESTARTS COMPLETED SUSPENDED AGE).
    dump = paste("kueue/jobset-admitted-suspended-network-immutable")
    workloads = [o for o in dump if o["kind"] == "Workload"]
    assert [w["metadata"] for w in workloads] == [
        {"name": "job-sample-job-55pkz-a624b", "namespace": "kueue-demo"},
        {"name": "jobset-paralleljobs-b13e4", "namespace": "kueue-demo"}]
    pending = workloads[1]
    assert {"type": "Admitted", "status": "True"} in pending["status"]["conditions"]
    assert pending["status"]["admission"] == {"clusterQueue": "cluster-queue"}
    assert not any(c["type"] == "Finished" for c in pending["status"]["conditions"])
    jobset = next(o for o in dump if o["kind"] == "JobSet")
    assert jobset["metadata"] == {"name": "paralleljobs", "namespace": "kueue-demo"}
    assert jobset["spec"] == {"suspend": True}
    assert not dump.full_lists  # a table is never a full listing


def test_get_gateways_all_namespaces_table():
    # cilium/cilium#39322: `kubectl get gateway -A`; ADDRESS empty on every row.
    dump = paste("gateway/cilium-gateway-programmed-no-lb-provider")
    gateways = [o for o in dump if o["kind"] == "Gateway"]
    assert [(g["metadata"]["namespace"], g["metadata"]["name"]) for g in gateways] == [
        ("default", "test-gateway"), ("kube-system", "gateway1"),
        ("kube-system", "hubble-gateway")]
    assert all(g["spec"]["gatewayClassName"] == "cilium" for g in gateways)
    assert all(g["status"]["addresses"] == [] for g in gateways)
    assert all(g["status"]["conditions"] == [{"type": "Programmed", "status": "True"}]
               for g in gateways)


def test_a_get_row_not_aligned_with_its_header_is_read_by_its_cells():
    # envoyproxy/gateway#5715: the reporter redacted the address (35.XX.XXX.XX), so the row's
    # cells no longer sit under the header's columns; one cell per column, 2+ spaces apart.
    dump = paste("gateway/eg-programmed-false-while-lb-ip-present")
    (gateway,) = [o for o in dump if o.get("kind") == "Gateway"]
    assert (gateway["metadata"]["namespace"], gateway["metadata"]["name"]) == ("gw", "gw-public")
    assert gateway["spec"]["gatewayClassName"] == "eg-public"
    assert gateway["status"]["addresses"] == [{"value": "35.XX.XXX.XX"}]
    assert gateway["status"]["conditions"] == [{"type": "Programmed", "status": "False"}]


def test_prose_under_a_table_is_not_a_row():
    # kubectl prints cells 3+ spaces apart; a sentence under the table has a different count
    text = ("$ kubectl get gateway\nNAME   CLASS   ADDRESS   PROGRAMMED   AGE\n"
            "eg     eg      10.0.0.1  True         1m\n"
            "Sometimes the gateway  is set to False  for no reason.\n")
    dump = parse_paste(text, "paste")
    assert [o["metadata"]["name"] for o in dump if o.get("kind") == "Gateway"] == ["eg"]


def test_no_resources_found_after_a_get_is_an_empty_full_list():
    # kubernetes-sigs/kueue#2612: `kubectl get workloads --all-namespaces` answered
    # "No resources found".
    dump = paste("kueue/workload-missing-jobset-crd-after-kueue")
    assert dump.presence("Workload", "anything", "default").state == ABSENT
    assert dump.presence("LocalQueue", "test-queue", "default").state == PRESENT
    assert dump.presence("Pod", "p", "default").state == NOT_IN_DUMP


def test_no_resources_found_needs_its_command_line():
    alone = parse_paste("No resources found in ml namespace.\n", "p")
    assert not alone.full_lists and alone.texts == ["No resources found in ml namespace."]
    named = parse_paste("$ kubectl get pods -n ml\nNo resources found in ml namespace.\n", "p")
    assert named.presence("Pod", "x", "ml").state == ABSENT
    assert named.presence("Pod", "x", "other").state == NOT_IN_DUMP
    # kubectl answers a get of named objects with NotFound, never "No resources found"
    some = parse_paste("$ kubectl get pods a b -n ml\nNo resources found in ml namespace.\n",
                       "p")
    assert not some.full_lists



def test_oh_my_zsh_prompt_with_cwd_and_git_branch_carries_its_command():
    # ohmyzsh themes/robbyrussell.zsh-theme: `➜  <cwd> git:(<branch>) ✗ ` before the command
    for prompt in ("\u279c  ~ ", "\u279c  infra git:(main) \u2717 ", "\u279c  infra git:(main) "):
        dump = parse_paste(prompt + "kubectl get pods -n ml\nNo resources found in ml namespace.\n",
                           "p")
        assert dump.presence("Pod", "x", "ml").state == ABSENT, prompt
    # a command only named after the prompt is not one that was run
    echoed = parse_paste("\u279c  ~ echo kubectl get pods -n ml\n"
                         "No resources found in ml namespace.\n", "p")
    assert not echoed.full_lists


def test_another_programs_prompted_command_is_kept_and_ends_the_last_gets_output():
    # helm/helm#2687: `ubuntu@ip-...:/opt$ helm-exec list` (a wrapper of helm 2) answered
    # with a denial
    text = ("me@box:~$ kubectl get pods -n ml\nNo resources found in ml namespace.\n"
            "me@box:/opt$ helm-exec list\nError: User \"system:serviceaccount:kube-system:"
            "default\" cannot list configmaps in the namespace \"kube-system\".\n")
    dump = parse_paste(text, "p")
    line, answer = dump.commands[-1]
    assert line == "me@box:/opt$ helm-exec list" and answer.startswith("Error: User")
    assert any("cannot list configmaps" in t for t in dump.texts)
    # the get's full list is still read; the helm line is no kubectl command
    assert dump.presence("Pod", "x", "ml").state == ABSENT
    assert [c for c, _ in dump.commands] == ["me@box:~$ kubectl get pods -n ml", line]

# --- held-out round of session 3 -----------------------------------------------------------

def test_gatewayclass_table_under_the_k_alias():
    # cilium/cilium#33239: `k get gatewayclasses...` (alias k=kubectl), printer columns of
    # gateway-api config/crd v1.6.3 gatewayclasses: NAME CONTROLLER ACCEPTED AGE
    dump = paste("gateway/cilium-gatewayclass-unknown-crds-after-install")
    cls = next(o for o in dump if o.get("kind") == "GatewayClass")
    assert cls["metadata"]["name"] == "cilium"
    assert cls["spec"]["controllerName"] == "io.cilium/gateway-controller"
    assert cls["status"]["conditions"] == [{"type": "Accepted", "status": "Unknown"}]
    assert cls["_source"] == "table"


def test_status_block_after_an_elision_is_a_fragment():
    # kgateway-dev/kgateway#11979: `...` then the status block of `k get httproute -oyaml`
    dump = paste("gateway/kgateway-route-rule-dropped-invalid-regex")
    assert len(dump) == 0
    status = dump.fragments[0]["status"]
    cond = status["parents"][0]["conditions"][0]
    assert (cond["type"], cond["status"], cond["reason"]) == ("Accepted", "False",
                                                              "RouteRuleDropped")
    assert status["parents"][0]["controllerName"] == "kgateway.dev/kgateway"


def test_yaml_with_elided_lines_is_read():
    # flux-iac/tofu-controller#1291: the user replaced fields with `...` inside the Pod
    dump = paste("pods-nodes/foreground-deletion-finalizer-pod-terminating")
    pod = next(o for o in dump if o.get("kind") == "Pod")
    assert pod["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert (pod["metadata"]["name"], pod["metadata"]["namespace"]) == ("tf-runner", "foobar")


def test_yaml_looking_text_that_is_not_yaml_stays_text():
    # envoyproxy/gateway#788: a controller log line and a Go stack trace in a fence
    dump = paste("gateway/envoy-gateway-controller-log-service-not-found")
    assert len(dump) == 0
    assert any("unable to find associated Services" in line for line in dump.texts)


def test_a_broken_yaml_dump_alone_is_still_refused():
    from k8s_skillkit.errors import InputError
    from k8s_skillkit.loading import parse_documents
    import pytest
    with pytest.raises(InputError, match="not valid YAML"):
        parse_documents("apiVersion: v1\nkind: Pod\nmetadata: [\n", "x")


# --- held-out round 70 ----------------------------------------------------------------------

def test_a_gets_output_commented_out_in_a_runbook_is_read_as_the_table():
    # rrbanda/GPUaaS-RHACM docs/99-troubleshooting.md @245ecc0: the symptom block writes the
    # output of `oc get multikueuecluster` as `# NAME  CONNECTED` / `# spoke-cluster1  False`
    # (printer columns of kueue's MultiKueueCluster CRD: NAME, CONNECTED, AGE)
    text = "oc get multikueuecluster\n# NAME             CONNECTED\n# spoke-cluster1   False\n"
    dump = parse_paste(text, "p")
    assert [(o["kind"], o["metadata"]["name"]) for o in dump] == [
        ("MultiKueueCluster", "spoke-cluster1")]
    # another kind and no space after `#`: kubectl get pods' columns (NAME READY STATUS ...)
    pods = parse_paste("kubectl get pods -n ml\n#NAME    READY   STATUS    RESTARTS   AGE\n"
                       "#train-0 0/1     Pending   0          5m\n", "p")
    assert [(o["kind"], o["metadata"]["name"]) for o in pods] == [("Pod", "train-0")]


def test_a_comment_under_a_get_that_is_no_table_stays_text():
    text = "kubectl get pods -n ml\n# the pod never starts, see below\n"
    dump = parse_paste(text, "p")
    assert not list(dump)
    assert any("never starts" in t for t in dump.texts)


def test_a_logs_command_names_its_target_past_valued_flags():
    # kubectl logs' flags that take a value (k8s.io/kubectl v0.37.2 pkg/cmd/logs: --tail,
    # --since, --since-time, --limit-bytes, -c/--container) are not the pod
    for line, target, namespace in (
            ("kubectl logs gw-controller-66877d -n aws-system", "gw-controller-66877d",
             "aws-system"),
            ("$ kubectl logs -n ns --tail 50 deploy/envoy-gateway", "deploy/envoy-gateway", "ns"),
            ("kubectl logs --since 1h -c main pod-a --namespace=x", "pod-a", "x")):
        command = command_of(line)
        assert command is not None and command.verb == "logs"
        assert (command.target, command.namespace) == (target, namespace), line
