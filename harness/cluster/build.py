"""Build the local cluster's binaries from pinned Go modules, once, cached by version.

Layout: <cache>/<versions>/bin/<binary> plus <cache>/<versions>/stamps/<component>.json,
written only after every binary of that component is in place. A missing stamp, a missing
binary or a size that differs from the stamp means a partial or corrupt cache: that
component is rebuilt, the others are reused.
"""
from __future__ import annotations
from collections.abc import Callable, Collection, Iterator
from typing import Any

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from harness import gomod, pins
from harness.cluster import paths
from harness.errors import UserError

Log = Callable[[str], None]


@dataclass(frozen=True)
class Component:
    name: str
    binaries: tuple[str, ...]
    cold_minutes: str  # measured on a 2-core machine, said up front


COMPONENTS = (
    Component("kubernetes", ("kube-apiserver", "kube-controller-manager", "kube-scheduler",
                             "kubectl"), "6-12"),
    Component("etcd", ("etcd",), "1-3"),
    Component("kwok", ("kwok", "kwokctl"), "1-3"),
    Component("kueue", ("kueue",), "3-6"),
    # Optional: `cluster up --no-gateway-controller` neither builds nor starts it.
    Component("envoy-gateway", ("envoy-gateway",), "4-8"),
    # Optional with it (`--no-ai-gateway`): InferencePool support, see envoy_ai_gateway/.
    Component("envoy-ai-gateway", ("envoy-ai-gateway-controller",), "3-6"),
    # The real node and its registry (see node.py); `--no-real-node` skips them.
    Component("node", ("kubelet", "kube-proxy"), "1-8"),
    Component("registry", ("registry",), "3-10"),
    Component("toolbox", ("k8s-skills-toolbox",), "0-1"),
)
ALL_BINARIES = tuple(b for c in COMPONENTS for b in c.binaries)
NODE_COMPONENTS = ("node", "registry", "toolbox")
TOOLBOX_SOURCE = Path(__file__).parent / "toolbox"


def binary(name: str) -> Path:
    return paths.bin_dir() / name


def missing_components(skip: Collection[str] = ()) -> list[Component]:
    """Components whose cached binaries are absent, partial or do not match their stamp
    (leaving out the optional components named in `skip`)."""
    return [c for c in COMPONENTS if c.name not in skip and not _is_intact(c)]


def ensure_built(log: Log | None = None, skip: Collection[str] = ()) -> Path:
    """Build whatever is missing (but `skip`); return the bin folder. Fast when cached.

    Unless the real node is skipped (NODE_COMPONENTS), also its Debian packages (as root)
    and the local registry's images (image_store.py)."""
    log = log or _stderr
    from harness.cluster import image_store, node_packages
    node = not set(NODE_COMPONENTS) & set(skip)
    if not missing_components(skip) and (not node or image_store.is_ready()):
        return paths.bin_dir()
    with _build_lock():  # another checkout may be building the same cache right now
        _build_missing(log, skip)
        if node and node_packages.ensure(log):
            image_store.ensure(log)
    return paths.bin_dir()


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    paths.versions_dir().mkdir(parents=True, exist_ok=True)
    with open(paths.versions_dir() / ".build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_missing(log: Log, skip: Collection[str]) -> None:
    todo = missing_components(skip)
    if not todo:
        return
    go = gomod.require_go()
    log(f"building {', '.join(c.name for c in todo)} from pinned Go modules into "
        f"{paths.versions_dir()}")
    low, high = (sum(int(c.cold_minutes.split("-")[i]) for c in todo) for i in (0, 1))
    log(f"a cold build takes {low}-{high} minutes on 2 cores (about "
        + ", ".join(f"{c.name} {c.cold_minutes} min" for c in todo)
        + "); later runs reuse the cache")
    started = time.monotonic()
    for index, component in enumerate(todo, 1):
        _build_component(go, component, f"[{index}/{len(todo)}]", log)
    log(f"all binaries ready in {_elapsed(started)}")


def verify_hashes() -> list[str]:
    """Full check (sha256 of every binary against its stamp); returns problems found."""
    problems = []
    for component in COMPONENTS:
        stamp = _read_stamp(component)
        if stamp is None:
            problems.append(f"{component.name}: not built")
            continue
        for name, meta in stamp["binaries"].items():
            path = binary(name)
            if not path.exists() or _sha256(path) != meta["sha256"]:
                problems.append(f"{component.name}: {name} is missing or corrupt")
    return problems


def _is_intact(component: Component) -> bool:
    stamp = _read_stamp(component)
    if stamp is None or stamp.get("version") != _component_version(component):
        return False
    for name in component.binaries:
        path = binary(name)
        meta = stamp["binaries"].get(name)
        if not meta or not path.is_file() or path.stat().st_size != meta["size"] \
                or not os.access(path, os.X_OK):
            return False
    return True


def _stamp_path(component: Component) -> Path:
    return paths.versions_dir() / "stamps" / f"{component.name}.json"


def _read_stamp(component: Component) -> dict[str, Any] | None:
    try:
        stamp = json.loads(_stamp_path(component).read_text())
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def _component_version(component: Component) -> str:
    if component.name == "toolbox":
        return "src-" + _toolbox_digest()
    return {"kubernetes": pins.KUBERNETES, "etcd": pins.ETCD, "kwok": pins.KWOK,
            "kueue": pins.KUEUE, "envoy-gateway": pins.ENVOY_GATEWAY,
            "envoy-ai-gateway": pins.ENVOY_AI_GATEWAY,
            "node": pins.KUBERNETES, "registry": pins.DISTRIBUTION}[component.name]


def _toolbox_digest() -> str:
    """The toolbox is our own source: its cache key is the hash of its files."""
    digest = hashlib.sha256()
    for path in sorted(TOOLBOX_SOURCE.glob("*")):
        if path.suffix in (".go", ".mod"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _build_component(go: str, component: Component, counter: str, log: Log) -> None:
    version = _component_version(component)
    stage = paths.versions_dir() / "staging" / component.name
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    stamp = _stamp_path(component)
    stamp.unlink(missing_ok=True)
    log(f"{counter} {component.name} {version}: {', '.join(component.binaries)} "
        f"(about {component.cold_minutes} min cold)")
    started = time.monotonic()
    logfile = paths.versions_dir() / "logs" / f"build-{component.name}.log"
    logfile.parent.mkdir(parents=True, exist_ok=True)
    command, cwd, extra_env = _build_command(go, component, stage)
    _run_with_heartbeat(command, cwd, extra_env, logfile, f"{counter} {component.name}", log)
    _install_binaries(component, stage)
    log(f"{counter} {component.name} done in {_elapsed(started)}")


def _build_command(go: str, component: Component, stage: Path
                   ) -> tuple[list[str], str, dict[str, str]]:
    """(argv, cwd, env) that builds the component's binaries into `stage`."""
    if component.name in ("kubernetes", "node"):
        workdir = _wrapper_module_kubernetes(go, stage, component)
        mod_version = pins.KUBERNETES.removeprefix("v")
        major, minor = mod_version.split(".")[:2]
        ldflags = " ".join([
            "-s", "-w",
            f"-X k8s.io/component-base/version.gitVersion={pins.KUBERNETES}",
            f"-X k8s.io/component-base/version.gitMajor={major}",
            f"-X k8s.io/component-base/version.gitMinor={minor}",
            "-X k8s.io/component-base/version.gitTreeState=clean",
        ])
        pkgs = [f"k8s.io/kubernetes/cmd/{b}" for b in component.binaries]
        return ([go, "build", "-trimpath", "-ldflags", ldflags, "-o", str(stage) + "/"] + pkgs,
                workdir, {})
    if component.name == "etcd":
        workdir = _wrapper_module(go, stage, "go.etcd.io/etcd/server/v3", pins.ETCD, [],
                                  ["go.etcd.io/etcd/server/v3"])
        return ([go, "build", "-trimpath", "-ldflags", "-s -w", "-o", str(stage / "etcd"),
                 "go.etcd.io/etcd/server/v3"], workdir, {})
    if component.name == "envoy-ai-gateway":
        # Not `go install module@version`: that also reads the module's version list, which
        # the Go module proxy refuses for this module (403), while it serves the version.
        # Static, because it runs in the same minimal root as Envoy Gateway.
        module = "github.com/envoyproxy/ai-gateway"
        workdir = _wrapper_module(go, stage, module, pins.ENVOY_AI_GATEWAY, [],
                                  [f"{module}/cmd/controller"])
        return ([go, "build", "-trimpath", "-ldflags", "-s -w", "-o",
                 str(stage / "envoy-ai-gateway-controller"), f"{module}/cmd/controller"],
                workdir, {"CGO_ENABLED": "0"})
    if component.name == "toolbox":
        # Static: it runs on a bare busybox root filesystem inside containers.
        return ([go, "build", "-trimpath", "-ldflags", "-s -w", "-o",
                 str(stage / "k8s-skills-toolbox"), "."], str(TOOLBOX_SOURCE),
                {"CGO_ENABLED": "0"})
    module = {"kwok": "sigs.k8s.io/kwok/cmd/", "kueue": "sigs.k8s.io/kueue/cmd/",
              "envoy-gateway": "github.com/envoyproxy/gateway/cmd/",
              "registry": "github.com/distribution/distribution/v3/cmd/"}[component.name]
    version = _component_version(component)
    targets = [f"{module}{b}@{version}" for b in component.binaries]
    ldflags, env = "-s -w", {"GOBIN": str(stage)}
    if component.name == "envoy-gateway":
        # `envoy-gateway version` prints this (internal/cmd/version); static, because it
        # runs in a minimal root with no shared libraries (see envoy_gateway/sandbox.py).
        ldflags += (" -X github.com/envoyproxy/gateway/internal/cmd/version."
                    f"envoyGatewayVersion={version}")
        env["CGO_ENABLED"] = "0"
    return ([go, "install", "-trimpath", "-ldflags", ldflags] + targets, str(stage), env)


def _wrapper_module_kubernetes(go: str, stage: Path, component: Component) -> str:
    """k8s.io/kubernetes lists its ~30 staging modules at v0.0.0: replace each with v0.X.Y."""
    kube_dir = gomod.module_dir("k8s.io/kubernetes", pins.KUBERNETES)
    text = (kube_dir / "go.mod").read_text()
    staging = sorted(set(re.findall(r"^\s+(k8s\.io/[\w.-]+) v0\.0\.0$", text, re.M)))
    replaces = [f"{m} => {m} {pins.staging_version()}" for m in staging]
    imports = [f"k8s.io/kubernetes/cmd/{b}" for b in component.binaries]
    return _wrapper_module(go, stage, "k8s.io/kubernetes", pins.KUBERNETES, replaces, imports)


def _wrapper_module(go: str, stage: Path, module: str, version: str,
                    replaces: list[str], imports: list[str]) -> str:
    """A throwaway main module requiring `module@version`, with go.sum filled by tidy."""
    workdir = stage / "src"
    workdir.mkdir(parents=True, exist_ok=True)
    lines = ["module k8sskills.local/build", "", "go 1.26.0", "",
             f"require {module} {version}", ""]
    if replaces:
        lines += ["replace ("] + [f"\t{r}" for r in replaces] + [")", ""]
    (workdir / "go.mod").write_text("\n".join(lines))
    # A build-tagged file importing the main packages makes `go mod tidy` record their deps.
    (workdir / "tools.go").write_text("//go:build tools\n\npackage tools\n\n" + "".join(
        f'import _ "{path}"\n' for path in imports))
    _run_quiet([go, "mod", "tidy"], workdir, f"resolving {module}@{version}")
    return str(workdir)


def _run_quiet(command: list[str], cwd: str | Path, what: str) -> None:
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=1800,
                          env=_go_env({}))
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise UserError(f"{what} failed: {last} (check access to the Go module proxy)")


def _run_with_heartbeat(command: list[str], cwd: str, extra_env: dict[str, str], logfile: Path,
                        label: str, log: Log) -> None:
    """Run a long build, saying every 30 s that it is still going and for how long."""
    started = time.monotonic()
    done = threading.Event()

    def heartbeat() -> None:
        while not done.wait(30):
            log(f"{label}: still building, {_elapsed(started)} elapsed")

    thread = threading.Thread(target=heartbeat, daemon=True)
    thread.start()
    try:
        with open(logfile, "w") as out:
            proc = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                  env=_go_env(extra_env), timeout=3600)
    except subprocess.TimeoutExpired as err:
        raise UserError(f"{label}: build took over an hour, see {logfile}") from err
    finally:
        done.set()
    if proc.returncode != 0:
        tail = [line for line in logfile.read_text(errors="replace").splitlines() if line.strip()][-1:]
        raise UserError(f"{label}: go build failed ({tail[0] if tail else 'no output'}); "
                        f"full log: {logfile}")


def _go_env(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("GOFLAGS", "-mod=mod")
    env["GOTOOLCHAIN"] = env.get("GOTOOLCHAIN", "local")
    env.update(extra)
    return env


def _install_binaries(component: Component, stage: Path) -> None:
    bindir = paths.bin_dir()
    bindir.mkdir(parents=True, exist_ok=True)
    meta = {}
    for name in component.binaries:
        built = stage / name
        if not built.is_file():
            raise UserError(f"{component.name}: the build produced no {name} binary")
        os.replace(built, bindir / name)
        meta[name] = {"size": (bindir / name).stat().st_size, "sha256": _sha256(bindir / name)}
    stamp = _stamp_path(component)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    tmp = stamp.with_suffix(".tmp")
    tmp.write_text(json.dumps({"version": _component_version(component), "binaries": meta},
                              indent=1))
    os.replace(tmp, stamp)
    shutil.rmtree(stage, ignore_errors=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _elapsed(started: float) -> str:
    seconds = int(time.monotonic() - started)
    return f"{seconds // 60}m{seconds % 60:02d}s"


def _stderr(message: str) -> None:
    print(f"[k8s-skills] {message}", file=sys.stderr, flush=True)
