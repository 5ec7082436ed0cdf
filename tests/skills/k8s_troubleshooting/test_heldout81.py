"""Held-out round 81 (pods-nodes, triage.py). Expected values come from the upstream source or
the public page named at each test, never from the scripts:

- The kubelet starts no container before every volume of the pod is attached and mounted
  (kubernetes v1.37.2 pkg/kubelet/kubelet.go:2230 WaitForAttachAndMount; FailedMount at
  :2238), so a Started event (pkg/kubelet/events/event.go:22) newer than the last
  FailedAttachVolume / FailedMount makes the failure history (andyzhangx/demo
  linux/statefulset/README.md "Note 3": a Multi-Attach while an Azure disk moved nodes).
- kubectl prints a node's STATUS as Ready / NotReady / Unknown joined with SchedulingDisabled
  (v1.37.2 pkg/printers/internalversion/printers.go:2032-2047), VERSION the kubelet's version.
- A PodDisruptionBudget's "Allowed disruptions: 0" (kubectl v0.37.2 pkg/describe/
  describe.go:4742), disruptionsAllowed 0 or a `get pdb` row at 0 (printers.go:127-131) beside
  a drain said to hang: the eviction API refuses (eviction.go:309) and drain retries
  (kubectl pkg/drain/drain.go:328).
- The liveness probe kills a container between initialDelay + (failureThreshold-1) x period and
  initialDelay + failureThreshold x period + grace (pkg/kubelet/prober/worker.go:160-166,331,
  373; defaults pkg/apis/core/v1/defaults.go:267,275-287) (ronaldlokers/homelab
  docs/war-stories/liveness-without-startup-probe.md).
"""
from __future__ import annotations

import sys
from pathlib import Path

from .conftest import paste_findings, loud as _loud

SKILLS = Path(__file__).resolve().parents[3] / "skills"
for _path in (SKILLS / "k8s-troubleshooting" / "scripts", SKILLS / "_shared"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

TRIAGE = "triage.py"


# ---- an attach/mount failure answered by Started -------------------------------------------

# andyzhangx/demo linux/statefulset/README.md (held-out paste, the decisive rows)
MULTI_ATTACH_THEN_STARTED = """\
Events:
  Type     Reason                 Age               From                                Message
  ----     ------                 ----              ----                                -------
  Normal   Scheduled              3m                default-scheduler                   Successfully assigned web-0 to node-b
  Warning  FailedAttachVolume     3m (x25 over 3m)  attachdetach                        Multi-Attach error for volume "pvc-c048" Volume is already exclusively attached to one node and can't be attached to another
  Warning  FailedMount            1m                kubelet, node-b                     Unable to mount volumes for pod "web-0_default(f253)": timeout expired waiting for volumes to attach/mount for pod "default"/"web-0". list of unattached/unmounted volumes=[data]
  Normal   SuccessfulMountVolume  57s               kubelet, node-b                     MountVolume.SetUp succeeded for volume "pvc-c048"
  Normal   Pulled                 44s               kubelet, node-b                     Successfully pulled image "nginx"
  Normal   Started                44s               kubelet, node-b                     Started container
"""

# another form: `kubectl get events` rows of a 1.2x cluster ("Waiting for detach" wording,
# reconciler.go:433; "Unable to attach or mount volumes" kubelet.go:2238)
EVENTS_TABLE_THEN_STARTED = """\
LAST SEEN   TYPE      REASON               OBJECT       MESSAGE
5m          Warning   FailedAttachVolume   pod/db-0     Multi-Attach error for volume "pvc-1" Volume is already used by pod(s) db-0-old
3m          Warning   FailedMount          pod/db-0     Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data]: timed out waiting for the condition
1m          Normal    SuccessfulAttachVolume pod/db-0   AttachVolume.Attach succeeded for volume "pvc-1"
30s         Normal    Started              pod/db-0     Started container db
"""

# near miss: the container started before, then the mount failed again (still failing)
STARTED_THEN_FAILED = """\
Events:
  Type     Reason              Age                From      Message
  ----     ------              ----               ----      -------
  Normal   Started             10m                kubelet   Started container app
  Warning  FailedAttachVolume  2m (x5 over 8m)    attachdetach-controller  Multi-Attach error for volume "pvc-9" Volume is already exclusively attached to one node and can't be attached to another
  Warning  FailedMount         1m (x3 over 5m)    kubelet   Unable to attach or mount volumes: unmounted volumes=[data]: timed out waiting for the condition
"""


def test_multi_attach_answered_by_started_is_history():
    found = paste_findings(TRIAGE, MULTI_ATTACH_THEN_STARTED)
    assert not _loud(found), found
    assert found[0]["cause"] == "mount_failed" and found[0]["severity"] == "info"


def test_events_table_answered_by_started_is_history():
    found = paste_findings(TRIAGE, EVENTS_TABLE_THEN_STARTED)
    assert not [f for f in _loud(found) if f["cause"] == "mount_failed"], found


def test_mount_failure_after_started_stays_an_error():
    found = paste_findings(TRIAGE, STARTED_THEN_FAILED)
    assert found[0]["cause"] == "mount_failed" and found[0]["severity"] == "error", found


# ---- node status cells copied out of `kubectl get nodes` -----------------------------------

# mj006648/netai-devsecops-runbook twinx-kubernetes-upgrade-run-2026-06-26.md (held-out paste)
NODE_LIST = """\
Current edgebox status:

```text
edgebox1: v1.35.4, Ready,SchedulingDisabled
edgebox3: v1.34.3, NotReady,SchedulingDisabled
```
"""

# another form: `kubectl get nodes --no-headers | grep -v ' Ready'` rows (printers.go printNode)
NO_HEADER_ROWS = """\
worker-7   NotReady   <none>   41d   v1.29.4
worker-9   Unknown    <none>   41d   v1.29.4
"""

# near miss: a sentence that mentions NotReady without a node row; and Ready rows only
SENTENCE = "Yesterday a node went NotReady for a minute after we upgraded to v1.29.4, it is fine now.\n"
READY_ROWS = "worker-1   Ready   <none>   41d   v1.29.4\nworker-2   Ready   <none>   41d   v1.29.4\n"


def test_node_list_not_ready():
    found = _loud(paste_findings(TRIAGE, NODE_LIST))
    assert found[0]["cause"] == "node_not_ready" and found[0]["object"]["name"] == "edgebox3"


def test_headerless_node_rows_not_ready():
    found = _loud(paste_findings(TRIAGE, NO_HEADER_ROWS))
    assert {f["object"]["name"] for f in found if f["cause"] == "node_not_ready"} == {
        "worker-7", "worker-9"}


def test_node_sentence_and_ready_rows_are_not_rows():
    from _tshoot.node_rows import rows
    assert rows(SENTENCE, []) == []
    assert not [f for f in paste_findings(TRIAGE, READY_ROWS) if f["cause"] == "node_not_ready"]


# ---- a drain said stuck beside a budget at 0 allowed disruptions ---------------------------

# mj006648/netai-devsecops-runbook minix-kubespray-upgrade-2026-06-25.md (held-out paste)
DRAIN_STUCK_PDB = """\
The worker drain step got stuck on `com2`:

```text
rook-ceph-mon-pdb allowed disruptions: 0
rook-ceph-osd     allowed disruptions: 0
```
"""

# another form: `kubectl get pdb -A` (printers.go:127-131) under a drain that hangs
DRAIN_HANGS_GET_PDB = """\
kubectl drain node-3 --ignore-daemonsets hangs forever.

NAMESPACE   NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
kafka       kafka     N/A             1                 0                     12d
"""

# near miss: the budget allows one disruption; and a zero budget with no drain trouble said
DRAIN_HANGS_PDB_ONE = DRAIN_HANGS_GET_PDB.replace("1                 0 ", "1                 1 ")
ZERO_NO_DRAIN = "The kafka pods restart a lot.\n\nAllowed disruptions:  0\n"


def test_drain_stuck_with_zero_budget():
    found = paste_findings(TRIAGE, DRAIN_STUCK_PDB)
    assert found[0]["cause"] == "eviction_blocked_pdb"
    assert any("allowed disruptions: 0" in e for e in found[0]["evidence"])


def test_drain_hangs_with_get_pdb_row_at_zero():
    assert paste_findings(TRIAGE, DRAIN_HANGS_GET_PDB)[0]["cause"] == "eviction_blocked_pdb"


def test_budget_with_room_or_no_drain_is_not_blocked():
    for text in (DRAIN_HANGS_PDB_ONE, ZERO_NO_DRAIN):
        assert "eviction_blocked_pdb" not in [f["cause"] for f in paste_findings(TRIAGE, text)]


# ---- a clean exit inside the liveness kill window ------------------------------------------

# ronaldlokers/homelab liveness-without-startup-probe.md (held-out paste, the decisive blocks)
LIVENESS_KILL = """\
Noticed while auditing restart counts after a host reboot:

```
restarts  podAge   lastRestart   pod
      47   18.1h      18m ago    linkding/linkding-84bf655c4c-p5n6q  Completed
```

```
reason: Completed   exit: 0   signal: None
started:  2026-08-04T11:14:12Z
finished: 2026-08-04T11:16:11Z
```

```yaml
livenessProbe:
  httpGet: { path: /health, port: http }
  initialDelaySeconds: 30
  periodSeconds: 30
  failureThreshold: 3
```
"""

# another form: describe pod's Last State block (RFC1123Z, describe.go:2116) and probe defaults
# (period 10, threshold 3: a kill 20-60 s after start with initialDelaySeconds 0 and grace 30)
DESCRIBE_FORM = """\
The pod keeps restarting, exit code 143 each time.
    Last State:     Terminated
      Reason:       Error
      Exit Code:    143
      Started:      Mon, 04 Aug 2026 11:14:12 +0000
      Finished:     Mon, 04 Aug 2026 11:14:52 +0000
    Restart Count:  12
    livenessProbe:
      tcpSocket: {port: 8080}
"""

# near misses: a startupProbe holds liveness back; a run far past the window
WITH_STARTUP = LIVENESS_KILL.replace("livenessProbe:", "startupProbe:\n  httpGet: {path: /health, "
                                     "port: http}\nlivenessProbe:")
LONG_RUN = LIVENESS_KILL.replace("finished: 2026-08-04T11:16:11Z", "finished: 2026-08-04T13:16:11Z")


def test_liveness_window_kill():
    found = paste_findings(TRIAGE, LIVENESS_KILL)
    assert found[0]["cause"] == "probe_failing" and found[0]["basis"] == "inferred"


def test_liveness_window_describe_form_defaults():
    from _tshoot.liveness_window import findings
    assert [f["cause"] for f in findings(DESCRIBE_FORM)] == ["probe_failing"]


def test_liveness_window_near_misses():
    from _tshoot.liveness_window import findings
    assert findings(WITH_STARTUP) == [] and findings(LONG_RUN) == []


# ---- pods said ContainerCreating beside a ReadWriteOnce claim ------------------------------
# (the RWO access-mode cell: kubernetes v1.37.2 pkg/apis/core/helper/helpers.go:358; the
# attach-detach controller's Multi-Attach: reconciler.go:398,433)

# mj006648/netai-devsecops-runbook twinx-harbor-rwo-pvc-rollout-deadlock-2026-06-29.md
RWO_ROLLOUT = """\
The new `registry` and `jobservice` pods stay in `ContainerCreating` for a long time.

```text
habor-harbor-jobservice   Bound   rook-ceph-block   RWO
habor-harbor-registry     Bound   rook-ceph-block   RWO
```
"""

# another form: the claim's YAML (accessModes: [ReadWriteOnce]) under a pod said stuck
RWO_YAML = """\
After the rolling update the new pod is stuck in ContainerCreating forever.

```yaml
spec:
  accessModes:
    - ReadWriteOnce
  storageClassName: gp3
```
"""

# near miss: ContainerCreating beside a ReadWriteMany claim only
RWX = RWO_ROLLOUT.replace("RWO", "RWX")


def test_container_creating_beside_rwo_claim():
    found = paste_findings(TRIAGE, RWO_ROLLOUT)
    assert found[0]["cause"] == "mount_failed" and found[0]["basis"] == "inferred"


def test_container_creating_beside_rwo_yaml():
    assert paste_findings(TRIAGE, RWO_YAML)[0]["cause"] == "mount_failed"


def test_container_creating_beside_rwx_is_not_read_as_rwo():
    assert "mount_failed" not in [f["cause"] for f in paste_findings(TRIAGE, RWX)]


# ---- a Kustomize-hashed ConfigMap referenced by its bare name ------------------------------
# (sigs.k8s.io/kustomize/api v0.21.1 types/generatoroptions.go:14-17, hasher/hasher.go:28-49)

# ronaldlokers/homelab docs/war-stories/kustomize-configmap-hash-suffix.md (held-out paste)
HASHED = """\
The pods are crashing on startup (`CrashLoopBackOff`).

```
Error: failed to load config file: open /etc/alloy/config.alloy: no such file or directory
```

```bash
kubectl get configmap -n monitoring | grep alloy
# NAME                           DATA   AGE
# alloy-config-cgbd86b72m        1      5m
```

```yaml
alloy:
  configMap:
    create: false
    name: alloy-config
    key: config.alloy
```

```yaml
configMapGenerator:
  - name: alloy-config
    files:
      - config.alloy
```
"""

# another form: a secretGenerator with key=path files, an operator CR naming it, the file
# quoted by stat
HASHED_SECRET = """\
The exporter is in CrashLoopBackOff: stat /etc/exporter/creds.json: no such file or directory

```
NAME                         TYPE     DATA   AGE
exporter-creds-5hk9m2b8tg    Opaque   1      2m
```

```yaml
spec:
  credentials:
    name: exporter-creds
```

```yaml
secretGenerator:
- name: exporter-creds
  files:
  - creds.json=secrets/creds.json
```
"""

# near misses: the suffix disabled; and an app's own "no such file" on another path
DISABLED = HASHED.replace("    files:\n", "    options:\n      disableNameSuffixHash: true\n"
                          "    files:\n")
OTHER_FILE = HASHED.replace("/etc/alloy/config.alloy", "/var/lib/alloy/data/wal")


def test_hashed_configmap_named_before_the_crash_loop():
    found = paste_findings(TRIAGE, HASHED)
    assert found[0]["cause"] == "config_missing" and found[0]["basis"] == "inferred"
    assert "crash_loop" in [f["cause"] for f in found]


def test_hashed_secret_generator_form():
    from _tshoot.kustomize_suffix import findings
    assert [f["cause"] for f in findings(HASHED_SECRET)] == ["config_missing"]


def test_suffix_disabled_or_other_file_stays_crash_loop():
    for text in (DISABLED, OTHER_FILE):
        assert paste_findings(TRIAGE, text)[0]["cause"] == "crash_loop"
