"""The `local` provider: a real control plane from upstream binaries, as local processes.

kwokctl's binary runtime starts etcd, kube-apiserver, kube-controller-manager,
kube-scheduler and kwok-controller with our cached binaries; we add Kueue as a process with
its webhooks on 127.0.0.1, the domain CRDs, and the fake hardware topology.
All state lives in one folder (paths.cluster_dir); `down` stops every process whose command
line mentions it and deletes it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from harness import yamlio
from harness.cluster import (access, build, etcd_snapshot, health, kwok_stages, node,
                             paths, pki, procs, state_json, topology)
from harness.cluster.envoy_ai_gateway import config as aigw_config
from harness.cluster.envoy_ai_gateway import process as aigw_process
from harness.cluster.envoy_gateway import process as eg_process
from harness.cluster.https_api import HttpsApi
from harness.cluster.kubectl import (FIELD_MANAGER, ApplyProcess, Kubectl,
                                     openapi_read_timed_out)
from harness.cluster.kueue import config as kueue
from harness.cluster.kueue.process import KueueProcess
from harness.errors import UserError

# Per wait of start-up (control plane, CRDs, Kueue, nodes). Ready takes 10-30 s on an idle
# 2-core machine; at load 30 (eight other jobs' clusters and test suites) the KWOK nodes
# took over 90 s, so a stuck start is reported after 3 minutes, a slow one is waited for.
READY_TIMEOUT = 180
NODE_STALL = 60  # s until kwok-controller, stateless, is started again (_wait_nodes)


class LocalCluster:
    provider = "local"

    def __init__(self, name: str, log: Callable[[str], None] | None = None) -> None:
        self.name = name
        self.dir = paths.cluster_dir(name)
        self.log: Callable[[str], None] = log or (lambda message: None)
        # Kept in every write of state.json from `up` on: the topology it started with
        # (what the safeguards protect) and whether a failure keeps the cluster.
        self._recorded: dict[str, Any] = {}

    # -- paths -----------------------------------------------------------------------
    @property
    def kubeconfig(self) -> Path:
        return self.dir / "kubeconfig"

    @property
    def kwok_workdir(self) -> Path:
        return self.dir / "kwok"

    @property
    def state_file(self) -> Path:
        return self.dir / "state.json"

    def state(self) -> dict[str, Any]:
        return state_json.read(self.state_file)

    def kubectl(self) -> Kubectl:
        return Kubectl(self.kubeconfig)

    # -- lifecycle -------------------------------------------------------------------
    def is_running(self) -> bool:
        state = self.state()
        return (state.get("phase") == "running" and procs.is_alive(state.get("kueue_pid"))
                and self.kubectl().ok("get", "--raw", "/readyz"))

    @property
    def kwok_pki(self) -> Path:
        return self.kwok_workdir / "clusters" / self.name / "pki"

    def kueue(self) -> KueueProcess:
        return KueueProcess(self.dir, self.kubeconfig)

    def real_node(self) -> node.RealNode:
        return node.RealNode(self.dir, self.name, self.log)

    def up(self, topology_file: str | None = None, port: int | None = None,
           gateway_channel: str = "experimental", gateway_controller: bool = True,
           real_node: bool = True, ai_gateway: bool = True, retain: bool = False) -> bool:
        """Start the cluster; False when it was already running. Cleans up on any failure.

        gateway_controller: also run Envoy Gateway (see harness.cluster.envoy_gateway);
        ai_gateway: with it, Envoy AI Gateway's controller (InferencePool support, see
        harness.cluster.envoy_ai_gateway);
        real_node: also the real kubelet node and its image registries (see node.py);
        retain: a failed start stops the processes but keeps the folder (data, logs) for
        debugging, with phase "failed" in state.json; `down` removes it."""
        recorded = topology.record(topology_file)
        # bad topology: fail before building anything
        topo = topology.parse(recorded["content"], str(topology_file or topology.DEFAULT_FILE))
        if port is not None and not procs.port_is_free(port):
            raise UserError(f"port {port} is already in use: stop what uses it or pick "
                            "another with --port")
        if gateway_controller and os.geteuid() != 0:
            raise UserError("Envoy Gateway runs in its own network namespace, which needs "
                            "root: run as root, or start without it: --no-gateway-controller")
        ai_gateway = ai_gateway and gateway_controller
        skip = (() if gateway_controller else ("envoy-gateway",)) + \
            (() if ai_gateway else ("envoy-ai-gateway",)) + \
            (() if real_node else build.NODE_COMPONENTS)
        build.ensure_built(log=self.log, skip=skip)
        if self.is_running():
            return False
        if self.dir.exists():
            self.log(f"removing the stale state of cluster {self.name!r}")
            self.down()
        self._recorded = {"topology": recorded, **({"retain": True} if retain else {})}
        try:
            self._start(topo, port, gateway_channel, gateway_controller, real_node, ai_gateway)
        except BaseException:
            if retain:
                self.log("start-up failed: stopping its processes, keeping its data (--retain)")
                self.keep_failed()
            else:
                self.log("start-up failed: stopping everything that was started")
                self.down()
            raise
        return True

    def keep_failed(self) -> int:
        """Stop every process of a failed start and keep its folder (data, logs), marked
        "failed" in state.json; returns how many processes were stopped."""
        killed = self.real_node().stop()
        stopped = self._stop_processes()
        if self.dir.exists():
            self._write_state({**self.state(), "provider": self.provider, "phase": "failed"})
        return stopped + killed

    def down(self) -> int:
        """Stop every process of this cluster and delete its state; returns how many."""
        killed = self.real_node().stop()  # its containers do not name our folder
        stopped = self._stop_processes()
        if eg_process.mounted_on_host(self.dir) or aigw_process.mounted_on_host(self.dir):
            raise UserError(f"{self.dir}: a gateway sandbox root is mounted on the host; "
                            "unmount it (umount -R) before deleting the cluster folder")
        shutil.rmtree(self.dir, ignore_errors=True)
        return stopped + killed

    def _stop_processes(self) -> int:
        """Stop every process naming this cluster's folder, scanning again until none is left;
        returns how many were stopped.

        kwokctl stopped while it installs the cluster uninstalls it, deleting its folder
        (etcd's data, the components' logs): kwok v0.8.0 pkg/kwokctl/cmd/create/cluster/
        cluster.go, cleanUp() when rt.Install fails on the cancelled signal context. So it
        gets SIGKILL, which it cannot handle, before the others their SIGTERM. A kwokctl
        killed while it starts the control plane may have forked a component after the scan
        (CI: kube-apiserver and kwok-controller outlived the watchdog's `down` of a killed
        `up`), hence the scans until one finds nothing.
        """
        stopped: set[int] = set()
        for _ in range(STOP_SCANS):
            found = procs.processes_using(self.dir)
            if not found:
                break
            procs.kill_now([p for p in found if procs.named(p, "kwokctl")])
            procs.stop_all(found)
            stopped |= {p.pid for p in found}
        return len(stopped)

    def _start(self, topo: topology.Topology, port: int | None, gateway_channel: str,
               gateway_controller: bool, real_node: bool = True,
               ai_gateway: bool = False) -> None:
        """Restore the fixed objects into etcd (etcd_snapshot.py), start the control plane,
        re-point what is this cluster's own, then Kueue and the controllers in parallel."""
        started = time.monotonic()
        self.dir.mkdir(parents=True)
        self._write_state({"phase": "starting", "provider": self.provider})
        self._start_watchdog()
        the_node = self.real_node() if real_node else None
        if the_node:
            the_node.prepare()
        snapshot = self._snapshot(topo, gateway_channel, gateway_controller, ai_gateway)
        etcd_snapshot.restore(snapshot, self.kwok_workdir / "clusters" / self.name
                              / etcd_snapshot.ETCD_DIR)
        control_plane = self._spawn_control_plane(
            port, the_node.apiserver_args(self.kwok_pki) if the_node else [])
        if the_node:
            the_node.start_runtime()
        plan = self._prepare(topo, snapshot)
        # Kueue and the per-start objects need the apiserver serving and kwokctl's Stage CRD,
        # not its post-start hooks (the RBAC bootstrap alone took 8 s at load 13): they
        # start while kwokctl waits for /healthz.
        self._wait_serving(control_plane)
        self.log(f"apiserver serving ({time.monotonic() - started:.1f}s)")
        kubectl, logs = self.kubectl(), self.dir / "logs"
        api = HttpsApi(self.kubeconfig)  # the polls and small applies of the critical path
        gateway = eg_process.EnvoyGateway(
            self.dir, self.kubeconfig,
            aigw_config.extension_manager(aigw_process.extension_ip()) if ai_gateway
            else None) if gateway_controller else None
        ai = aigw_process.AIGateway(self.dir, self.kubeconfig) if ai_gateway else None
        if plan["conversions"]:  # another cluster holds the snapshot's webhook port
            # Updating the CRDs restarts their watches: before Kueue starts its informers.
            kubectl.apply(plan["conversions"], validate=False, field_manager=REPOINT_MANAGER)
        # Kueue first: its own start is the longest wait that follows.
        pid = self.kueue().start(plan["port_claim"])
        self._write_state({"phase": "starting", "provider": self.provider, "kueue_pid": pid,
                           "ports": plan["ports"], "etcd_snapshot": str(snapshot)})
        # KWOK's stages, then kwok-controller again (it lists them at once), then the nodes:
        # a node the old controller saw carries a Lease held by that process's random id,
        # and the new one leaves it alone until the Lease expires (kwok v0.8.0
        # pkg/kwok/controllers/node_lease_controller.go tryAcquireOrRenew; kwokctl's
        # --node-lease-duration-seconds=200): nodes applied before were never Ready in 180 s.
        # The webhooks meanwhile (generated objects: the server validates them, no
        # client-side OpenAPI read).
        stages = kwok_stages.stages()
        applying = {"webhooks": kubectl.apply_in_background(plan["webhooks"],
                                                            logs / "apply-webhooks.log",
                                                            validate=False),
                    "stages": kubectl.apply_in_background(stages, logs / "apply-stages.log",
                                                          validate=False)}
        if gateway:
            gateway.begin()  # certgen runs while Kueue starts
        _wait_applied_or_retry(kubectl, applying["stages"], stages, self.log)
        self._restart_kwok_controller()
        applying["nodes"] = kubectl.apply_in_background(
            plan["per_start"], logs / "apply-hardware.log", validate=False)
        # The flavors come after these: Kueue's mutating webhook must see them.
        _wait_applied_or_retry(kubectl, applying["webhooks"], plan["webhooks"], self.log)
        self._wait_control_plane(control_plane)
        self.log(f"control plane ready ({time.monotonic() - started:.1f}s)")
        if the_node:
            the_node.join(self.kwok_pki, self._apiserver_port())
        _wait_applied_or_retry(kubectl, applying["nodes"], plan["per_start"], self.log)
        gateway_state = {"envoy_gateway": gateway.start(kubectl)} if gateway else {}
        if ai:  # needs Envoy Gateway's network namespace: the extension calls go straight there
            gateway_state["envoy_ai_gateway"] = ai.start(
                kubectl, gateway_state["envoy_gateway"]["pid"])
        self.kueue().wait_ready(pid, plan["ports"], plan["ca"])
        # Validated by Kueue's webhook, so after Kueue.
        api.apply(plan["flavors"], FIELD_MANAGER)
        self._wait_nodes(api, sum(p.count for p in topo.pools))
        if gateway:
            gateway.wait_ready(kubectl, gateway_state["envoy_gateway"])
        if ai:
            ai.wait_ready(gateway_state["envoy_ai_gateway"])
        if the_node:
            the_node.wait_ready(kubectl)
        self._restart_exited_control_plane(api)
        self.log(f"cluster {self.name!r} ready in {time.monotonic() - started:.1f}s")
        self._write_state({"phase": "running", "provider": self.provider, "kueue_pid": pid,
                           "ports": plan["ports"], "etcd_snapshot": str(snapshot),
                           "nodes": sum(p.count for p in topo.pools),
                           "real_node": bool(the_node),
                           "started_seconds": round(time.monotonic() - started, 2),
                           **gateway_state})

    def _prepare(self, topo: topology.Topology, snapshot: Path) -> dict[str, Any]:
        """Certificates, Kueue's config and the objects that are this cluster's own (runs
        while kwokctl works)."""
        claim = etcd_snapshot.claim_webhook_port(snapshot)
        ports = {"webhook": claim[0] if claim else procs.free_port(),
                 "health": procs.free_port()}
        kueue_process = self.kueue()
        ca = kueue_process.make_certs(etcd_snapshot.webhook_ca(snapshot))
        hardware = topology.objects(topo)
        converted = etcd_snapshot.meta(snapshot)["converted_crds"]
        return {
            "ports": ports, "ca": ca, "config_path": kueue_process.write_config(topo, ports),
            "port_claim": claim[1] if claim else None,
            "conversions": [] if claim else kueue.conversion_patches(
                converted, ports["webhook"], ca.cert_pem),
            "webhooks": kueue.webhook_configurations(ports["webhook"], ca.cert_pem),
            "per_start": [o for o in hardware if o["kind"] == "Node"],
            "flavors": [o for o in hardware if o["kind"] == "ResourceFlavor"],
        }

    # -- the etcd snapshot: fixed objects every start restores --------------------------
    def ensure_snapshot(self, topology_file: str | None = None,
                        gateway_channel: str = "experimental", gateway_controller: bool = True,
                        ai_gateway: bool = True) -> Path:
        """Make the etcd snapshot `up` with these options restores, if missing (a benchmark
        warms it like the cached binaries; `up` does it by itself otherwise)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            return self._snapshot(topology.load(topology_file), gateway_channel,
                                  gateway_controller, ai_gateway and gateway_controller)
        finally:
            if not self.is_running():
                self.down()

    def _snapshot(self, topo: topology.Topology, gateway_channel: str,
                  gateway_controller: bool, ai_gateway: bool) -> Path:
        inputs = etcd_snapshot.inputs(topo, gateway_channel, gateway_controller, ai_gateway)
        return etcd_snapshot.ensure(
            etcd_snapshot.key(inputs),
            lambda data_dir: self._build_snapshot(data_dir, topo, gateway_channel,
                                                  gateway_controller, ai_gateway), self.log)

    def _build_snapshot(self, data_dir: Path, topo: topology.Topology, gateway_channel: str,
                        gateway_controller: bool, ai_gateway: bool) -> dict[str, Any]:
        """etcd and kube-apiserver only, the fixed objects applied and their CRDs
        Established; then both stopped and etcd's data folder copied to `data_dir`."""
        ca, port = pki.make_ca(), procs.free_port()
        etcd_snapshot.write_webhook_ca(data_dir.parent, ca)
        objects = etcd_snapshot.fixed_objects(topo, gateway_channel, gateway_controller,
                                              ai_gateway, port, ca.cert_pem)
        work, name = self.dir / "snapshot-build", "snapshot"
        kubeconfig = work / "kubeconfig"
        argv = kwokctl_create_argv(name, kubeconfig) + etcd_snapshot.kwokctl_argv_extra() \
            + extra_args({
                "etcd": [("unsafe-no-fsync", "true")],
                # No `kubernetes` Service endpoint of this throwaway apiserver in the data.
                "kube-apiserver": [("endpoint-reconciler-type", "none")]})
        log_path = self.dir / "logs" / "snapshot-kwokctl.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "w") as log:
            proc = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT,
                                  env={**os.environ, "KWOK_WORKDIR": str(work)},
                                  stdin=subprocess.DEVNULL, timeout=READY_TIMEOUT + 30)
        if proc.returncode != 0:
            raise UserError(f"kwokctl could not start the snapshot's control plane: "
                            f"{procs.last_error_line(log_path)} (log: {log_path})")
        kubectl = Kubectl(kubeconfig)
        kubectl.apply(objects, validate=False, timeout=READY_TIMEOUT)
        crd_names = _crd_names(objects)
        self._wait_crds_established(kubectl, crd_names)
        etcd_snapshot.stop_and_copy(work, work / "clusters" / name / etcd_snapshot.ETCD_DIR,
                                    data_dir)
        shutil.rmtree(work, ignore_errors=True)
        return {"converted_crds": sorted(
                    o["metadata"]["name"] for o in objects
                    if o["kind"] == "CustomResourceDefinition"
                    and o["spec"].get("conversion", {}).get("strategy") == "Webhook"),
                "webhook_port": port, "crds": len(crd_names), "objects": len(objects)}

    def _start_watchdog(self) -> None:
        """A sentinel that cleans up if this process dies before the cluster is ready.

        Its command line does not mention the cluster folder, so `down` leaves it alone;
        it exits by itself once the state says running (see watchdog.py).
        """
        import sys
        subprocess.Popen([sys.executable, "-m", "harness.cluster.watchdog", str(os.getpid()),
                          self.name], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)

    def _spawn_control_plane(self, port: int | None,
                             apiserver_args: list[tuple[str, str]]) -> subprocess.Popen[bytes]:
        """kwokctl create cluster, in the background; _wait_control_plane collects it."""
        # Stages are API objects (Stage CRD), so scenarios and tests can add fault stages
        # to a running cluster; ours are applied before the first node exists.
        argv = kwokctl_create_argv(self.name, self.kubeconfig, port) + [
            "--enable-crds=Stage", access.audit_policy_flag(self.dir)] + extra_args({
                # A throwaway cluster: etcd need not fsync every write.
                "etcd": [("unsafe-no-fsync", "true")],
                # Users with tokens (TokenReview tests need people, not only ServiceAccounts).
                "kube-apiserver": apiserver_args + access.apiserver_args(self.dir),
                # KWOK keeps its hands off the real node: only nodes annotated as fake.
                "kwok-controller": [("manage-all-nodes", "false"), (
                    "manage-nodes-with-annotation-selector",
                    f"{topology.KWOK_ANNOTATION}=fake")]})
        env = {**os.environ, "KWOK_WORKDIR": str(self.kwok_workdir)}
        log_path = self.dir / "logs" / "kwokctl.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "w") as log:
            # Its own session: a terminal's Ctrl-C reaches only the CLI, whose cleanup (or
            # --retain's keep_failed) stops kwokctl; kwokctl given SIGINT itself would
            # uninstall the half-made cluster, which --retain must keep.
            return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env,
                                    stdin=subprocess.DEVNULL, start_new_session=True)

    def _wait_serving(self, control_plane: subprocess.Popen[bytes]) -> None:
        """Until the apiserver serves kwokctl's Stage CRD, Established (read over HTTPS
        with the kubeconfig's certificates: polling with kubectl costs 50 ms of CPU each).
        Returns early when kwokctl exits (and reports its failure)."""
        def serving() -> bool:
            if control_plane.poll() is not None:
                return True
            if not self.kubeconfig.is_file():
                return False
            return _crd_established(self.kubeconfig, "stages.kwok.x-k8s.io")

        try:
            procs.wait_until(serving, READY_TIMEOUT + 30, interval=0.2,
                             what="the apiserver to serve the Stage CRD")
        except TimeoutError as err:
            raise UserError(f"{err} (log: {self.dir / 'logs' / 'kwokctl.log'})") from err
        if control_plane.poll():
            self._wait_control_plane(control_plane)  # says why kwokctl failed

    def _wait_control_plane(self, proc: subprocess.Popen[bytes]) -> None:
        try:
            code = proc.wait(timeout=READY_TIMEOUT + 30)
        except subprocess.TimeoutExpired as err:
            proc.kill()
            raise UserError("kwokctl did not bring the control plane up in "
                            f"{READY_TIMEOUT + 30}s (log: {self.dir / 'logs' / 'kwokctl.log'})") \
                from err
        if code != 0:
            log_path = self.dir / "logs" / "kwokctl.log"
            raise UserError(f"kwokctl could not start the control plane: "
                            f"{procs.last_error_line(log_path)} (log: {log_path})")

    def _restart_exited_control_plane(self, api: HttpsApi) -> None:
        """kube-controller-manager gives the apiserver 10 s to report healthy and exits
        otherwise (k8s.io/kubernetes v1.37.2 cmd/kube-controller-manager/app/
        controllermanager.go:567, WaitForAPIServer(client, 10*time.Second)); an apiserver
        that loads the snapshot's CRDs on a loaded machine can take longer (its
        rbac/bootstrap-roles hook). kwokctl starts each component once, so once the apiserver
        is healthy, what exited is started again (`kwokctl start cluster` starts only the
        components that are not running)."""
        if not api.ok("/healthz"):
            try:
                procs.wait_until(lambda: api.ok("/healthz"),
                                 READY_TIMEOUT, interval=0.5, what="the apiserver's /healthz")
            except TimeoutError as err:
                raise UserError(str(err)) from err
            time.sleep(1.5)  # a component polling it once a second sees it healthy too
        kwok_dir = self.kwok_workdir / "clusters" / self.name
        exited = [c.name for c in health.control_plane(kwok_dir)
                  if c.detail == "process not running"]
        if exited:
            self._start_again(exited, kwok_dir)
        # kube-controller-manager's serviceaccount controller makes each namespace's
        # `default` ServiceAccount (the snapshot has none): pods are refused without it.
        try:
            procs.wait_until(lambda: api.ok("/api/v1/namespaces/default/serviceaccounts/default"),
                             READY_TIMEOUT, interval=0.1, what="the default ServiceAccount")
        except TimeoutError as err:
            raise UserError(f"{err}: kube-controller-manager is not working (log: "
                            f"{kwok_dir / 'logs' / 'kube-controller-manager.log'})") from err

    def _restart_kwok_controller(self) -> None:
        """Stop kwok-controller and start it again as kwokctl did, once the stages exist.

        kwokctl starts every component before it creates the Stage CRD (kwok v0.8.0
        pkg/kwokctl/cmd/create/cluster/cluster.go: rt.Up, then rt.InitCRDs), so the
        controller's first list of Stages fails and its informer backs off (client-go
        v0.36.1 tools/cache/reflector.go: 800 ms, doubling, jitter 1.0): its node stages
        started about 5 s after the nodes existed, the longest step of `up`. Started again
        once the CRD serves, it lists the stages at once (measured: 50 ms). It keeps no
        state of its own (what it does lives in Nodes, Pods and Leases).
        `kwokctl start cluster` cannot do it yet: the killed controller stays a zombie of
        `kwokctl create` until that exits, and kwokctl takes a zombie for running. So it is
        started the way kwokctl's ForkExec does (pkg/kwokctl/runtime/exec.go): the
        component's binary, args, envs and workDir from kwok.yaml, output appended to its
        log, its pid in its pid file."""
        kwok_dir = self.kwok_workdir / "clusters" / self.name
        component = kwok_component(kwok_dir, "kwok-controller")
        pid_file = kwok_dir / "pids" / "kwok-controller.pid"
        pid = health.read_pid(pid_file)
        if procs.is_alive(pid):
            try:
                psutil.Process(pid).kill()  # stateless; SIGTERM waits for a graceful stop
            except psutil.NoSuchProcess:
                pass
            procs.wait_until(lambda: not procs.is_alive(pid), 10, interval=0.02,
                             what="kwok-controller to stop")
        env = {**os.environ, **{e["name"]: str(e.get("value", ""))
                                for e in component.get("envs") or []}}
        new_pid = procs.start_background(
            [component["binary"], *component.get("args", [])],
            kwok_dir / "logs" / "kwok-controller.log", env, cwd=component.get("workDir"))
        pid_file.write_text(str(new_pid))

    def _start_again(self, exited: list[str], kwok_dir: Path) -> None:
        self.log(f"{', '.join(exited)} exited while the apiserver started; starting again")
        for name, port in move_off_taken_ports(kwok_dir, exited).items():
            self.log(f"{name}'s port was taken meanwhile; it starts on {port}")
        log_path = self.dir / "logs" / "kwokctl-start.log"
        with open(log_path, "w") as log:
            code = subprocess.run(
                [str(build.binary("kwokctl")), "start", "cluster", "--name", self.name,
                 "--wait", f"{READY_TIMEOUT}s"], stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "KWOK_WORKDIR": str(self.kwok_workdir)},
                stdin=subprocess.DEVNULL, timeout=READY_TIMEOUT + 30).returncode
        still = [c.name for c in health.control_plane(kwok_dir)
                 if c.detail == "process not running"]
        if code != 0:
            raise UserError(f"could not start {', '.join(exited)} again: "
                            f"{procs.last_error_line(log_path)} (log: {log_path})")
        if still:  # kwokctl started it and it exited again: its own log says why
            own_log = kwok_dir / "logs" / f"{still[0]}.log"
            raise UserError(f"{', '.join(still)} exited again after its restart: "
                            f"{procs.last_error_line(own_log)} (log: {own_log})")

    def _apiserver_port(self) -> int:
        """The port kwokctl chose, read back from the kubeconfig it wrote."""
        config = yamlio.load(self.kubeconfig.read_text())
        server = config["clusters"][0]["cluster"]["server"]
        return int(server.rsplit(":", 1)[1].rstrip("/"))

    def restart_kueue(self, add_device_class_mappings: list[dict[str, Any]] | None = None,
                      settings: dict[str, object] | None = None,
                      feature_gates: dict[str, bool] | None = None) -> None:
        """Restart Kueue, optionally with more `resources.deviceClassMappings` entries,
        top-level Configuration `settings` (a None value removes the key, e.g.
        {"fairSharing": {}} turns fair sharing on, {"fairSharing": None} off again) and
        Kueue `feature_gates` (kept for later restarts).

        Kueue reads its configuration only at start-up, so a DRA mapping fix needs this
        (on a real cluster: edit the kueue-manager-config ConfigMap, restart the Deployment).
        """
        state = self.state()
        if state.get("phase") != "running":
            raise UserError(f"cluster {self.name!r} is not running")
        process = self.kueue()
        if feature_gates:
            process.set_feature_gates(feature_gates)
        process.update_config(add_device_class_mappings or [], settings or {})
        process.stop(state.get("kueue_pid"))
        pid = process.start(etcd_snapshot.reclaim_webhook_port(
            state.get("etcd_snapshot"), state["ports"]["webhook"]))
        self._write_state({**state, "kueue_pid": pid})
        process.wait_ready(pid, state["ports"], process.ca())

    def _wait_crds_established(self, kubectl: Kubectl, names: list[str]) -> None:
        """Poll the CRDs' Established condition (`kubectl wait` adds seconds of latency
        here, and this is on the critical path of `up`)."""
        template = ('{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Established")]'
                    '.status}{"\\n"}{end}')

        def established() -> bool:
            proc = kubectl.run("get", "crd", *names, "-o", f"jsonpath={template}",
                               check=False)  # NotFound while the apply is still in flight
            lines = proc.stdout.split()
            return proc.returncode == 0 and len(lines) == len(names) and \
                all(line.endswith("=True") for line in lines)

        try:
            procs.wait_until(established, READY_TIMEOUT, interval=0.1,
                             what=f"{len(names)} CRDs to be Established")
        except TimeoutError as err:
            raise UserError(str(err)) from err

    def _wait_nodes(self, api: HttpsApi, expected: int) -> None:
        """Until `expected` nodes are Ready. KWOK's controller makes them Ready within
        seconds (over 90 s at load 30); when not one is Ready after NODE_STALL seconds it is
        started again, the Leases of the nodes not Ready deleted first (a node whose Lease another holder
        renews stays with that holder until it expires: kwok v0.8.0
        node_lease_controller.go tryAcquireOrRenew). CI once saw 0 of 8 Ready after 180 s
        on a cluster started right after another of the same name was torn down."""
        seen: dict[str, list[str]] = {"ready": [], "not_ready": []}

        def all_ready() -> bool:
            status, body = api.get("/api/v1/nodes")
            if status != 200:
                raise UserError(f"listing nodes: HTTP {status}: {body}")
            for key, want in (("ready", True), ("not_ready", False)):
                seen[key] = [n["metadata"]["name"] for n in body["items"]
                             if _node_ready(n) is want]
            return len(seen["ready"]) >= expected

        what = f"{expected} Ready nodes"
        try:
            procs.wait_until(all_ready, NODE_STALL, interval=0.2, what=what)
            return
        except TimeoutError:
            pass
        if not seen["ready"]:  # some Ready: a slow machine, not a stuck controller
            self.log(f"no node Ready after {NODE_STALL}s; kwok-controller "
                     f"{self._kwok_controller_state()}: starting it again")
            for name in seen["not_ready"]:
                api.delete("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/"
                           + name)
            self._restart_kwok_controller()
        try:
            procs.wait_until(all_ready, READY_TIMEOUT - NODE_STALL, interval=0.2, what=what)
        except TimeoutError as err:
            raise UserError(f"{err}; {len(seen['ready'])} were Ready when last seen; "
                            f"kwok-controller {self._kwok_controller_state()}") from err

    def _kwok_controller_state(self) -> str:
        kwok_dir = self.kwok_workdir / "clusters" / self.name
        log = kwok_dir / "logs" / "kwok-controller.log"
        alive = procs.is_alive(health.read_pid(kwok_dir / "pids" / "kwok-controller.pid"))
        return (f"{'running' if alive else 'not running'}, its log's last error: "
                f"{procs.last_error_line(log)} ({log})")

    def _write_state(self, state: dict[str, Any]) -> None:
        state = {"name": self.name, "kubeconfig": str(self.kubeconfig), **self._recorded,
                 **state}
        state_json.write(self.state_file, state)


REPOINT_MANAGER = "k8s-skills-repoint"
STOP_SCANS = 5  # a scan, a stop, again: a component forked during a stop is found next time


def extra_args(by_component: dict[str, list[tuple[str, str]]]) -> list[str]:
    """kwokctl --extra-args, first one per component, then the rest: kwokctl v0.8.0
    indexes each component's patch by the position of its first --extra-args flag
    (pkg/kwokctl/cmd/create/cluster/cluster.go mutationComponentPatches), which is only
    right when no component repeats before every component has appeared once."""
    pending = {c: list(a) for c, a in by_component.items() if a}
    first = [(c, *a.pop(0)) for c, a in pending.items()]
    rest = [(c, k, v) for c, a in pending.items() for k, v in a]
    return [f"--extra-args={c}={k}={v}" for c, k, v in first + rest]


def kwokctl_create_argv(name: str, kubeconfig: Path, port: int | None = None) -> list[str]:
    """`kwokctl create cluster --runtime binary` with the cached binaries (also the
    benchmark's baseline)."""
    argv = [str(build.binary("kwokctl")), "create", "cluster", "--name", name,
            "--runtime", "binary", "--kubeconfig", str(kubeconfig),
            "--wait", f"{READY_TIMEOUT}s"]
    for flag, binary in (("--kube-apiserver-binary", "kube-apiserver"),
                         ("--kube-controller-manager-binary", "kube-controller-manager"),
                         ("--kube-scheduler-binary", "kube-scheduler"),
                         ("--kwok-controller-binary", "kwok"), ("--etcd-binary", "etcd")):
        argv += [flag, str(build.binary(binary))]
    if port is not None:
        argv += ["--kube-apiserver-port", str(port)]
    return argv


def kwok_component(kwok_cluster_dir: Path, name: str) -> dict[str, Any]:
    """One component as kwokctl runs it (binary, args, envs, workDir), from its kwok.yaml."""
    for doc in yamlio.load_all((kwok_cluster_dir / "kwok.yaml").read_text()):
        if doc and doc.get("kind") == "KwokctlConfiguration":
            for component in doc.get("components") or []:
                if isinstance(component, dict) and component.get("name") == name:
                    return component
    raise UserError(f"{kwok_cluster_dir / 'kwok.yaml'} has no component {name!r}")


# The components that exit when the apiserver is slow (WaitForAPIServer), with the flag
# and kwok.yaml option that hold their port: kwokctl gave each a free port at create time,
# and while the component was down another process (another cluster on a shared machine)
# can have bound it, which makes `kwokctl start cluster` fail with "address already in use".
_RESTARTABLE_PORTS = {"kube-controller-manager": "kubeControllerManagerPort",
                      "kube-scheduler": "kubeSchedulerPort"}


def move_off_taken_ports(kwok_cluster_dir: Path, names: list[str]) -> dict[str, int]:
    """Give each named component whose port another process holds a free one, in kwok.yaml
    (its `--secure-port` argument, its ports list and the cluster's option), which
    `kwokctl start cluster` reads to start it. Returns the components moved."""
    path = kwok_cluster_dir / "kwok.yaml"
    docs = yamlio.load_all(path.read_text())
    moved: dict[str, int] = {}
    for doc in docs:
        if not doc or doc.get("kind") != "KwokctlConfiguration":
            continue
        options = doc.setdefault("options", {})
        for component in doc.get("components") or []:
            key = _RESTARTABLE_PORTS.get(component.get("name"))
            old = options.get(key) if key and component["name"] in names else None
            if not old or procs.port_is_free(int(old)):
                continue
            new = procs.free_port()
            component["args"] = [f"--secure-port={new}" if a == f"--secure-port={old}" else a
                                 for a in component.get("args") or []]
            for port in component.get("ports") or []:
                if port.get("port") == old:
                    port["port"] = new
            options[key] = moved[component["name"]] = new
    if moved:
        path.write_text(yamlio.dump_all(docs))
    return moved


def _wait_applied_or_retry(kubectl: Kubectl, proc: ApplyProcess, objects: list[dict[str, Any]],
                           log: Callable[[str], None],
                           field_manager: str = FIELD_MANAGER) -> None:
    """kubectl reads the apiserver's OpenAPI document before an apply; on a loaded machine
    that read can time out ("Please retry", or "error validating data: Get .../openapi/v2
    ... context deadline exceeded"). Retry such an apply once, in the foreground."""
    try:
        kubectl.wait_applied(proc)
    except UserError as err:
        if not openapi_read_timed_out(err):
            raise
        log("kubectl apply timed out reading the apiserver's answer; retrying once")
        kubectl.apply(objects, validate=False, timeout=180, field_manager=field_manager)


def _crd_names(objects: list[dict[str, Any]]) -> list[str]:
    return [o["metadata"]["name"] for o in objects if o["kind"] == "CustomResourceDefinition"]


def _crd_established(kubeconfig: Path, name: str) -> bool:
    """One HTTPS read of a CRD with the kubeconfig's CA and client certificate (files)."""
    status, crd = HttpsApi(kubeconfig, timeout=2).get(
        f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}")
    if status != 200:
        return False  # not created yet (404), or the apiserver not ready to answer
    return any(c.get("type") == "Established" and c.get("status") == "True"
               for c in crd.get("status", {}).get("conditions", []))


def _node_ready(node: dict[str, Any]) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in node.get("status", {}).get("conditions", []))
