"""A panic in Kueue's code that kueue-controller-manager survives is a Kueue defect
(kueue_bug), not the controller down: controller-runtime v0.19+ recovers a reconciler's panic
and logs `Reconciler error` with `panic: <v> [recovered]` (pkg/internal/controller/
controller.go:203@v0.24.1), and a webhook handler's panic is recovered by controller-runtime
v0.19+ (500 `panic: <v> [recovered]`, pkg/webhook/admission/webhook.go:165@v0.24.1) or, before,
by net/http (`http: panic serving <addr>: <v>`, Go src/net/http/server.go:1898), so the API
server sees EOF. A crash (Go's fatal header over the goroutine dump) stays
kueue_controller_down.

Fixtures: lines of kubernetes-sigs/kueue#10033 (tas-node-reconciler, v0.16.4), #786 (the
ClusterQueue webhook, v0.3), #1669 (the same webhook after an upgrade from v0.5) and #2459
(a crash under controller-runtime v0.17.3), as posted."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "skills" / "k8s-kueue" / "scripts" / "explain_pending.py"

# kueue#10033: a log viewer's key/value layout of the two records
RECONCILER_KV = """After upgrading to Kueue 0.16.4, `tas-node-reconciler` started running into a panic.
```
caller:  controller/controller.go:474
    error:  panic: runtime error: invalid memory address or nil pointer dereference [recovered]
    level:  error
    logger:  tas-node-reconciler
    msg:  Reconciler error
    name:  node-abc
```

```
caller:  runtime/runtime.go:142
    level:  error
    logger:  tas-node-reconciler
    msg:  Observed a panic
    panic:  runtime error: invalid memory address or nil pointer dereference
```
"""
# the same two records as Kueue's JSON log writes them (zap, controller-runtime v0.22)
RECONCILER_JSON = (
    '{"level":"error","ts":"2026-03-19T17:59:59.93Z","caller":"runtime/runtime.go:142",'
    '"msg":"Observed a panic","controller":"tas-node-reconciler","panic":"runtime error: '
    'invalid memory address or nil pointer dereference","stacktrace":"goroutine 5 [running]:'
    '\\nsigs.k8s.io/kueue/pkg/controller/tas.(*nodeReconciler).getWorkloadsOnNode(...)"}\n'
    '{"level":"error","ts":"2026-03-19T17:59:59.94Z","logger":"kueue","caller":'
    '"controller/controller.go:474","msg":"Reconciler error","controller":"tas-node-reconciler",'
    '"error":"panic: runtime error: invalid memory address or nil pointer dereference '
    '[recovered]"}\n')
# kueue#786
WEBHOOK_EOF = """Error from server (InternalError): error when creating "example/kueue.yaml": Internal error occurred: failed calling webhook "vclusterqueue.kb.io": failed to call webhook: Post "https://kueue-webhook-service.kueue-system.svc:443/validate-kueue-x-k8s-io-v1beta1-clusterqueue?timeout=10s": EOF

2023/05/20 14:22:30 http: panic serving 172.18.0.4:44099: runtime error: index out of range [2] with length 2
goroutine 4173 [running]:
net/http.(*conn).serve.func1()
        /usr/local/go/src/net/http/server.go:1850 +0xbf
panic({0x1709c20, 0xc000c3c420})
        /usr/local/go/src/runtime/panic.go:890 +0x262
sigs.k8s.io/kueue/apis/kueue/webhooks.validateFlavorQuotas({{0xc000b37490, 0xe}}, 0xc00014bbf0)
        /workspace/apis/kueue/webhooks/clusterqueue_webhook.go:163 +0x990
"""
# kueue#1669: the server's log alone, no client error
WEBHOOK_LOG_ONLY = """2024/01/29 16:04:41 http: panic serving 10.244.0.1:59326: runtime error: invalid memory address or nil pointer dereference
goroutine 2941 [running]:
net/http.(*conn).serve.func1()
	/usr/local/go/src/net/http/server.go:1868 +0x13d
panic({0x32b73a0?, 0x4d26160?})
	/usr/local/go/src/runtime/panic.go:920 +0x290
sigs.k8s.io/kueue/pkg/webhooks.validatePreemption(0xc000d21440, 0xc000d21cb0)
	/Users/antonin/Development/kueue/pkg/webhooks/clusterqueue_webhook.go:143 +0x153
"""
# controller-runtime v0.19+: the handler's panic answered 500, which the API server returns
# as a denial (k8s.io/apiserver statuserror.go ToStatusErr)
WEBHOOK_DENIED = ('Error from server (InternalError): error when creating "cq.yaml": admission '
                  'webhook "vclusterqueue.kb.io" denied the request: panic: runtime error: '
                  'index out of range [2] with length 2 [recovered]\n')
# kueue#2459 (controller-runtime v0.17.3 re-panics: the process dies)
CRASH = """panic: runtime error: invalid memory address or nil pointer dereference [recovered]
	panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0xa0 pc=0x195926c]

goroutine 1014 [running]:
sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).Reconcile.func1()
	/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.17.3/pkg/internal/controller/controller.go:116 +0x1e5
sigs.k8s.io/kueue/pkg/queue.(*ClusterQueue).Pending(0x23d8420?)
	/workspace/pkg/queue/cluster_queue.go:283 +0x2c
"""


def _findings(text: str) -> list[dict]:
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", "-", "--json"], input=text,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1, 2), proc.stderr
    return json.loads(proc.stdout)["findings"] if proc.stdout.strip() else []


def test_a_recovered_reconciler_panic_is_a_kueue_bug():
    top = _findings(RECONCILER_KV)[0]
    assert (top["cause"], top["basis"]) == ("kueue_bug", "reported"), top
    assert "tas-node-reconciler" in top["message"]
    assert "keeps running" in top["message"]


def test_the_same_records_as_json_name_the_first_kueue_frame():
    top = _findings(RECONCILER_JSON)[0]
    assert top["cause"] == "kueue_bug", top
    assert "pkg/controller/tas.(*nodeReconciler).getWorkloadsOnNode" in top["message"]


def test_a_reconciler_error_that_is_not_a_panic_says_nothing_of_a_bug():
    quiet = RECONCILER_KV.replace("panic: runtime error: invalid memory address or nil pointer "
                                  "dereference [recovered]", 'nodes "node-abc" not found')
    assert all(f["cause"] != "kueue_bug" for f in _findings(quiet))


def test_a_webhook_panic_behind_an_eof_is_a_bug_not_the_manager_down():
    found = _findings(WEBHOOK_EOF)
    assert (found[0]["cause"], found[0]["basis"]) == ("kueue_bug", "reported"), found[0]
    assert "webhooks.validateFlavorQuotas" in found[0]["message"]
    assert "vclusterqueue.kb.io" in found[0]["message"]
    assert all(f["cause"] != "kueue_controller_down" for f in found)


def test_the_webhook_servers_log_alone_is_enough():
    top = _findings(WEBHOOK_LOG_ONLY)[0]
    assert top["cause"] == "kueue_bug", top
    assert "pkg/webhooks.validatePreemption" in top["message"]


def test_a_newer_controller_runtime_answers_the_panic_as_a_denial():
    top = _findings(WEBHOOK_DENIED)[0]
    assert top["cause"] == "kueue_bug", top
    assert "vclusterqueue.kb.io" in top["message"]


def test_an_eof_without_a_panic_stays_the_manager_not_serving():
    eof_only = WEBHOOK_EOF.split("\n\n")[0] + "\n"
    assert _findings(eof_only)[0]["cause"] == "kueue_controller_down"


def test_another_servers_panic_is_not_kueues():
    other = WEBHOOK_LOG_ONLY.replace("sigs.k8s.io/kueue/pkg/webhooks", "example.com/op/hooks")
    other = other.replace("/kueue/", "/op/")
    assert all(f["cause"] != "kueue_bug" for f in _findings(other))


def test_a_panic_that_kills_the_process_stays_the_controller_down():
    top = _findings(CRASH)[0]
    assert top["cause"] == "kueue_controller_down", top
    # the first Kueue frame, without the call's arguments
    assert top["message"].split(" panics in ")[1].startswith("pkg/queue.(*ClusterQueue).Pending:")
