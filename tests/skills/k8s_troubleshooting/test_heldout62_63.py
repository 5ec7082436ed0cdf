"""Held-out rounds 62-63 of triage.py (pods-nodes, not GPU). Expected values come from the
upstream source or the public thread named at each test, never from triage.py:

- the kubelet's HTTP probe seen in the container's access log: success is 200-399
  (k8s.io/kubernetes v1.37.2 pkg/probe/http/http.go:137), the agent `kube-probe/<v>` since 1.8
  (kubernetes/kubernetes#47729), Go's `Go-http-client/1.1` before (kubernetes/kubernetes#29025);
  kubernetes-retired/contrib#1818 (probe path answered 404, then SIGTERM);
- a probe said in words to fail ("readiness/liveness-check ... fails with an HTTP-Error-Code
  401", devops-ia/helm-opencti#235) and the kubelet's structured "Probe failed" line
  (pkg/kubelet/prober/prober.go v1.37.2:123);
- containerd's registry request that failed (remotes/docker/resolver.go "failed to do request",
  containerd/cri#1333) and the docker daemon's registry ping (kubernetes/minikube#12944);
- the external provisioner library's "provision %q class %q: unexpected error getting claim
  reference: selfLink was empty, can't make reference" (sig-storage-lib-external-provisioner
  controller/controller.go; kubernetes-sigs/nfs-subdir-external-provisioner#25);
- `kubectl get ns` rows Terminating beside client-go's cached-discovery failure "couldn't get
  resource list for G/V: ..." (client-go discovery/cached/memory/memcache.go;
  kubeflow/kubeflow#4778), printNamespace's columns NAME STATUS AGE (printers.go v1.37.2).
"""
from __future__ import annotations

import pytest

from .conftest import run_script


def _run(text: str) -> tuple[int, list[dict]]:
    res = run_script("triage.py", "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    return res.code, res.doc["findings"]


def _first(text: str) -> dict:
    return _run(text)[1][0]


# --- probes in the container's access log -------------------------------------------------------
# kubernetes-retired/contrib#1818 (k8s 1.4: the probe's agent was Go's default)
CONTRIB_1818 = (
    '172.17.0.1 - [172.17.0.1] - - [30/Sep/2016:20:56:26 +0000] "GET /ingress-controller-healthz '
    'HTTP/1.1" 404 21 "-" "Go-http-client/1.1" 139 0.000 172.17.0.4:8080 21 0.000 404\n'
    '172.17.0.1 - [172.17.0.1] - - [30/Sep/2016:20:56:36 +0000] "GET /ingress-controller-healthz '
    'HTTP/1.1" 404 21 "-" "Go-http-client/1.1" 139 0.000 172.17.0.4:8080 21 0.000 404\n'
    "I0930 20:56:27.108540       1 main.go:187] Received SIGTERM, shutting down\n")


def test_pre_18_probe_answered_404_then_sigterm_is_a_failing_probe():
    first = _first(CONTRIB_1818)
    assert (first["cause"], first["basis"]) == ("probe_failing", "inferred"), first
    assert "404" in first["message"] and "SIGTERM" in " ".join(first["evidence"])
    assert "Unhealthy" in first["confirm"]


# the combined log format nginx writes (log_format combined), the kubelet's agent since 1.8
KUBE_PROBE = ('10.244.1.1 - - [12/Mar/2024:10:01:02 +0000] "GET /healthz HTTP/1.1" {status} 153 '
              '"-" "kube-probe/1.29"\n')


def test_kube_probe_answered_503_fails_without_a_kill_in_the_paste():
    first = _first(KUBE_PROBE.format(status=503))
    assert first["cause"] == "probe_failing" and "503" in first["message"], first


@pytest.mark.parametrize("status", ["200", "302"])  # 200-399 is success (http.go:137)
def test_kube_probe_answered_2xx_or_3xx_is_not_a_failure(status):
    code, found = _run(KUBE_PROBE.format(status=status) + "some other line\n")
    assert not [f for f in found if f["cause"] == "probe_failing"], found


def test_go_client_failures_without_a_kill_stay_silent():
    # any Go program uses Go-http-client: without the container being stopped it is not the
    # kubelet's probe that can be told
    res = run_script("triage.py", "-f", "-", "--json", stdin=CONTRIB_1818.rsplit("I0930", 1)[0])
    found = (res.doc or {}).get("findings", []) if res.code in (0, 1) else []
    assert res.code in (0, 1, 2) and not [f for f in found if f["cause"] == "probe_failing"]


# --- probes in words and in the kubelet's structured log ------------------------------------
# devops-ia/helm-opencti#235
OPENCTI = ("The OpenCTI-Pods regularly restart because of failing Health-Checks.\n\n"
           "The readiness/liveness-check for the OpenCTI-Containers fails with an "
           "HTTP-Error-Code 401. This could be caused by hardcoded values in the http-get-request "
           "of the Probes.\n")


def test_a_check_said_to_fail_with_401_is_a_failing_probe():
    first = _first(OPENCTI)
    assert (first["cause"], first["basis"]) == ("probe_failing", "inferred"), first
    assert any("401" in e and "200-399" in e for e in first["evidence"]), first["evidence"]


def test_another_wording_liveness_check_times_out():
    first = _first("After the upgrade the liveness check of the api container keeps timing out "
                   "and the pod is restarted every few minutes.\n")
    assert first["cause"] == "probe_failing", first


def test_a_check_said_to_pass_is_not_a_failing_probe():
    code, found = _run("The readiness check passes but the worker pod keeps restarting "
                       "anyway, I have no idea why.\n")
    assert not [f for f in found if f["cause"] == "probe_failing"], found


def test_a_check_that_passed_at_first_and_then_fails_is_a_failing_probe():
    first = _first("The liveness probe passed at first but then fails after a minute and the "
                   "container is killed.\n")
    assert first["cause"] == "probe_failing", first


# pkg/kubelet/prober/prober.go v1.37.2:123 and pkg/probe/http/http.go:147
STRUCTURED = ('I0312 10:01:02.345678    2817 prober.go:107] "Probe failed" probeType="Liveness" '
              'pod="default/web-5d9f8c-x2x4p" podUID="0f9a2c1e-5b7d-4c3e-9a1f-2b6c8d4e7f10" '
              'containerName="web" probeResult="failure" output="HTTP probe failed with '
              'statuscode: 401"\n')


def test_the_kubelets_structured_probe_line_is_reported():
    first = _first(STRUCTURED)
    assert (first["cause"], first["basis"]) == ("probe_failing", "reported"), first


# --- a registry request the runtime made ------------------------------------------------------
# containerd/cri#1333 (containerd 1.2.9, crictl pull)
CRI_1333 = ('[plugins.cri.registry.configs."registry.example.org".tls]\n'
            '  ca_file = "/etc/certs/ca.crt"\n\n'
            "failed to do request: Head https://registry.example.org/v2/team/api/manifests/1: "
            "x509: certificate signed by unknown authority\n")


def test_containerd_registry_request_failing_on_x509_is_an_image_pull():
    first = _first(CRI_1333)
    assert first["cause"] == "image_pull" and "TLS" in first["message"], first


def test_go114_quoted_url_and_a_blob_request():
    first = _first('failed to do request: Get "https://reg.example.org/v2/a/b/blobs/sha256:'
                   'abc": dial tcp 10.0.0.5:443: i/o timeout\n')
    assert first["cause"] == "image_pull" and "unreachable" in first["message"], first


def test_docker_daemons_registry_ping():  # kubernetes/minikube#12944
    first = _first('Error response from daemon: Get "https://registry-1.docker.io/v2/": x509: '
                   "certificate signed by unknown authority\n")
    assert first["cause"] == "image_pull", first


def test_failed_request_to_another_api_is_not_an_image_pull():
    code, found = _run('failed to do request: Post "https://hooks.example.org/v2/events": x509: '
                       "certificate signed by unknown authority\n")
    assert not [f for f in found if f["cause"] == "image_pull"], found


# --- the external provisioner library -------------------------------------------------------
# kubernetes-sigs/nfs-subdir-external-provisioner#25
NFS_25 = ('I1210 14:42:01.497152       1 controller.go:987] provision "default/pvc1" class '
          '"managed-nfs-storage": started\n'
          'E1210 14:42:01.500487       1 controller.go:1004] provision "default/pvc1" class '
          '"managed-nfs-storage": unexpected error getting claim reference: selfLink was empty, '
          "can't make reference\n")


def test_selflink_empty_keeps_the_claim_pending():
    first = _first(NFS_25)
    assert first["cause"] == "pvc_pending", first
    assert first["object"] == {"kind": "PersistentVolumeClaim", "namespace": "default",
                               "name": "pvc1"}, first["object"]
    assert "selfLink" in first["message"] and "upgrade" in first["fix"], first


def test_another_lib_refusal_names_the_claim():
    first = _first('E0301 09:00:00.000000       1 controller.go:1100] provision "apps/data-0" class '
                   '"local-path": failed to provision volume: rancher.io/local-path does not '
                   "support block volume provisioning\n")
    assert first["cause"] == "pvc_pending" and first["object"]["name"] == "data-0", first
    assert "selfLink" not in first["message"]


def test_the_lib_starting_a_provision_is_not_a_fault():
    code, found = _run('I1210 14:42:01.497152       1 controller.go:987] provision "default/pvc1" '
                       'class "managed-nfs-storage": started\n')
    assert not [f for f in found if f["cause"] == "pvc_pending"], found


# --- namespaces Terminating and the discovery failure beside them ----------------------------
# kubeflow/kubeflow#4778 (a prompt the kit does not read before `kubectl get ns`)
KF_4778 = ("\u279c  ~ kubectl get ns\n"
           "NAME              STATUS        AGE\n"
           "anonymous         Active        31m\n"
           "cert-manager      Terminating   11h\n"
           "default           Active        12h\n"
           "kubeflow          Terminating   11h\n\n"
           "E0218 19:20:26.662720       1 memcache.go:199] couldn't get resource list for "
           "webhook.cert-manager.io/v1beta1: the server is currently unable to handle the "
           "request\n")


def test_namespaces_terminating_beside_a_dead_apiservice():
    found = _run(KF_4778)[1]
    stuck = [f for f in found if f["cause"] == "stuck_terminating"]
    assert {f["object"]["name"] for f in stuck} == {"cert-manager", "kubeflow"}, found
    first = found[0]
    assert first["cause"] == "stuck_terminating" and first["basis"] == "inferred"
    assert "v1beta1.webhook.cert-manager.io" in first["fix"], first


def test_structured_memcache_wording_and_a_plain_header():
    text = ("NAME          STATUS        AGE\nmonitoring    Terminating   3d\n\n"
            'E0101 10:00:00.000000  1 memcache.go:133] "Couldn\'t get resource list" '
            'err="the server is currently unable to handle the request" '
            'gv="metrics.k8s.io/v1beta1"\n')
    first = _first(text)
    assert first["cause"] == "stuck_terminating", first
    assert "v1beta1.metrics.k8s.io" in first["fix"], first


def test_a_terminating_row_without_a_discovery_line_is_inferred_without_a_blocker():
    first = _first("NAME          STATUS        AGE\nmonitoring    Terminating   3d\n")
    assert (first["cause"], first["basis"]) == ("stuck_terminating", "inferred"), first
    assert "does not show what blocks it" in first["message"]


def test_the_discovery_line_alone_is_no_stuck_namespace():
    code, found = _run(KF_4778.split("\n\n", 1)[1])
    assert not [f for f in found if f["cause"] == "stuck_terminating"], found


def test_active_namespaces_with_the_discovery_line_are_not_stuck():
    text = KF_4778.replace("Terminating", "Active     ")
    code, found = _run(text)
    assert not [f for f in found if f["cause"] == "stuck_terminating"], found
