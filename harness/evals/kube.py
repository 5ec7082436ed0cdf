"""Reading and writing the scenario cluster.

Reads, namespace creation and cleanup go straight to the API server over HTTP (the
`kubernetes` client's connection handling: certificates, tokens, exec plugins), because a
kubectl process costs a few hundred milliseconds of CPU and the harness polls a lot;
applies go through the cluster's own kubectl (server-side apply, strict validation).
Objects stay dicts. A missing object is None; any other failure is an InfraError, so a
flaky apiserver turns a run into `error` instead of a wrong `fail`.
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from harness.cluster.kubectl import Kubectl
from harness.cluster.topology import Topology
from harness.errors import UserError
from harness.evals.errors import InfraError

if TYPE_CHECKING:  # imported when first needed: the client library is slow to import
    from kubernetes.client import ApiClient


@dataclass(frozen=True)
class Resource:
    api_version: str
    plural: str
    namespaced: bool
    kind: str
    verbs: frozenset[str] = frozenset()

    def path(self, namespace: str | None = None, name: str | None = None) -> str:
        base = f"/api/{self.api_version}" if "/" not in self.api_version \
            else f"/apis/{self.api_version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{quote(namespace)}"
        return base + f"/{self.plural}" + (f"/{quote(name)}" if name else "")


# Requests run at once by _all_or_first_error; named here because inside Kube the method
# Kube.list shadows the builtin in annotations.
Calls = list[Callable[[], object]]


class Kube:
    def __init__(self, kubectl: Kubectl, use_http: bool = True) -> None:
        self.kubectl = kubectl
        self._resources: dict[str, Resource] | None = None
        self._lock = threading.Lock()
        self._http = _http_client(kubectl) if use_http else None
        self._pinned: Path | None = None
        # Readiness URLs of components the apiserver cannot vouch for (a local cluster's
        # Envoy Gateway: no webhook, no lease); set by whoever knows the cluster's layout.
        self.readiness: dict[str, str] = {}
        # The fake hardware the cluster was started with (its state.json), which the
        # safeguards protect; None: unknown (the default topology's objects, where they exist).
        self.topology: Topology | None = None

    @property
    def kubeconfig(self) -> Path:
        return self.kubectl.kubeconfig

    def shell_env(self, kubeconfig: Path | None = None) -> dict[str, str]:
        """KUBECONFIG and a PATH whose `kubectl` is the one we use.

        kubectl reads no context variable, so a --context the harness was given only holds
        in a kubeconfig whose current-context is set: the per-run one (harness.evals.access)
        is written that way; without it, the admin kubeconfig is used as it is."""
        env = {"KUBECONFIG": str(Path(kubeconfig or self.pinned_kubeconfig()).resolve())}
        bin_dir = str(Path(self.kubectl.executable).resolve().parent)
        env["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "/usr/bin:/bin")])
        return env

    def pinned_kubeconfig(self) -> Path:
        """The harness's kubeconfig, or (with --context) a flattened copy whose
        current-context is that context, so every kubectl the harness starts uses it."""
        if not self.kubectl.context:
            return self.kubectl.kubeconfig
        with self._lock:
            if self._pinned is None:
                proc = self.run("config", "view", "--raw", "--minify", "--flatten")
                if proc.returncode != 0:
                    raise InfraError(f"kubectl config view: {_one_line(proc.stderr)}")
                folder = Path(tempfile.mkdtemp(prefix="k8s-skills-eval-kube-"))
                self._pinned = folder / "kubeconfig"
                self._pinned.write_text(proc.stdout)
                self._pinned.chmod(0o600)
            return self._pinned

    def cluster_entry(self) -> dict[str, Any]:
        """The server and CA of the harness's context, from `kubectl config view --raw`."""
        proc = self.run("config", "view", "--raw", "--minify", "-o", "json")
        if proc.returncode != 0:
            raise InfraError(f"kubectl config view: {_one_line(proc.stderr)}")
        clusters = json.loads(proc.stdout).get("clusters") or []
        if not clusters:
            raise InfraError("the kubeconfig has no cluster for its context")
        entry = dict(clusters[0]["cluster"])
        ca = entry.get("certificate-authority")
        if ca and not Path(ca).is_absolute():
            entry["certificate-authority"] = str((self.kubeconfig.parent / ca).resolve())
        return entry

    # --- kubectl ---------------------------------------------------------------------------
    def run(self, *args: str, stdin: str | None = None,
            timeout: float = 30) -> subprocess.CompletedProcess[str]:
        try:
            return self.kubectl.run(*args, stdin=stdin, timeout=timeout, check=False)
        except (UserError, OSError) as err:
            raise InfraError(f"kubectl {' '.join(args[:3])}: {err}") from err

    def apply(self, objects: list[dict[str, Any]], timeout: float = 60) -> None:
        if not objects:
            return
        doc = json.dumps({"apiVersion": "v1", "kind": "List", "items": objects})
        proc = self.run("apply", "--server-side", "--force-conflicts",
                        "--field-manager=k8s-skills-eval", "-f", "-", stdin=doc, timeout=timeout)
        if proc.returncode != 0:
            raise InfraError(f"kubectl apply: {_one_line(proc.stderr)}")

    # --- reads -------------------------------------------------------------------------------
    def get(self, kind: str, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        res = self.resource(kind)
        if self._http and res:
            status, body = self._request("GET", res.path(namespace, name))
            if status == 404:
                return None
            return _ok(status, body, f"get {kind}/{name}")
        args = ["get", kind, name, "-o", "json"] + (["-n", namespace] if namespace else [])
        proc = self.run(*args)
        if proc.returncode != 0:
            if "NotFound" in proc.stderr or "not found" in proc.stderr:
                return None
            raise InfraError(f"kubectl get {kind}/{name}: {_one_line(proc.stderr)}")
        obj: dict[str, Any] = json.loads(proc.stdout)  # kubectl get NAME -o json: one object
        return obj

    def get_many(self, refs: list[str]) -> dict[str, dict[str, Any]]:
        """Cluster-scoped objects by "kind/name"; missing ones are left out."""
        found = {}
        for ref in refs:
            kind, name = ref.rsplit("/", 1)
            obj = self.get(kind, name)
            if obj is not None:
                found[ref] = obj
        return found

    def list(self, kind: str, namespace: str | None = None, selector: str | None = None,
             all_namespaces: bool = False) -> list[dict[str, Any]]:
        res = self.resource(kind)
        if self._http and res:
            query = f"?labelSelector={quote(selector)}" if selector else ""
            ns = None if all_namespaces else namespace
            status, body = self._request("GET", res.path(ns) + query)
            return _items(_ok(status, body, f"list {kind}"))
        args = ["get", kind, "-o", "json"]
        args += ["-A"] if all_namespaces else (["-n", namespace] if namespace else [])
        args += ["-l", selector] if selector else []
        proc = self.run(*args)
        if proc.returncode != 0:
            raise InfraError(f"kubectl get {kind}: {_one_line(proc.stderr)}")
        return _items(json.loads(proc.stdout))

    # --- writes used for isolation ---------------------------------------------------------
    def create(self, obj: dict[str, Any]) -> None:
        res = self.resource(obj["kind"], obj.get("apiVersion", ""))
        if not (self._http and res):
            return self.apply([obj])
        ns = obj["metadata"].get("namespace")
        status, body = self._request("POST", res.path(ns), obj)
        _ok(status, body, f"create {obj['kind']}/{obj['metadata'].get('name')}")

    def delete_labelled(self, kinds: Sequence[str], selector: str,
                        known: Mapping[str, Sequence[str]] | None = None) -> None:
        """Delete every object of `kinds` carrying `selector`, without waiting for
        finalizers: every kind at once, each with one `deletecollection` where the server
        serves it (one request; the apiserver deletes the matching objects), else one
        labelled list and the deletes in parallel (namespaces have no deletecollection).
        `known` ({kind: names}) are deleted by name at once, beside that list, so the usual
        case costs one round trip. Every kind is attempted; the first failure is raised
        after all of them ran."""
        if not self._http:
            proc = self.run("delete", ",".join(kinds), "-l", selector, "--wait=false",
                            "--ignore-not-found", timeout=60)
            if proc.returncode != 0:
                raise InfraError(f"kubectl delete: {_one_line(proc.stderr)}")
            return
        known = known or {}
        calls: Calls = []
        for kind in kinds:
            res = self.resource(kind)
            if res is None:
                raise InfraError(f"the API server does not serve {kind}")
            names = sorted(known.get(kind, []))
            calls.append(partial(self._delete_kind, res, selector, set(names)))
            calls += [partial(self._delete_one, res, {"name": name}) for name in names]
        _all_or_first_error(calls)

    def _delete_kind(self, res: Resource, selector: str, skip: set[str]) -> None:
        query = f"?labelSelector={quote(selector)}"
        if "deletecollection" in res.verbs and not res.namespaced:
            status, body = self._request("DELETE", res.path() + query, _BACKGROUND)
            _ok(status, body, f"deletecollection {res.plural} -l {selector}")
            return
        status, body = self._request("GET", res.path() + query)
        items = _ok(status, body, f"list {res.plural}").get("items", [])
        _all_or_first_error([partial(self._delete_one, res, obj["metadata"])
                             for obj in items if obj["metadata"]["name"] not in skip])

    def delete(self, kind: str, name: str, namespace: str | None = None) -> None:
        """Delete one object (background propagation); gone already is fine."""
        res = self.resource(kind)
        if res is None:
            raise InfraError(f"the apiserver does not serve {kind}")
        if not self._http:
            proc = self.run("delete", kind, name, "--ignore-not-found", "--wait=false",
                            *(["-n", namespace] if namespace else []))
            if proc.returncode != 0:
                raise InfraError(f"kubectl delete {kind}/{name}: {_one_line(proc.stderr)}")
            return
        self._delete_one(res, {"name": name, "namespace": namespace})

    def _delete_one(self, res: Resource, meta: dict[str, Any]) -> None:
        status, body = self._request("DELETE", res.path(meta.get("namespace"), meta["name"]),
                                     _BACKGROUND)
        if status not in (200, 202, 404):
            _ok(status, body, f"delete {res.plural}/{meta['name']}")

    # --- discovery -------------------------------------------------------------------------
    def resource(self, kind: str, api_version: str = "") -> Resource | None:
        """How the server serves `kind` ("pods", "job", "clusterqueues.kueue.x-k8s.io", or a
        manifest's Kind with its apiVersion); None when it does not know it."""
        table = self._discovery()
        group = api_version.split("/")[0] if "/" in api_version else ""
        if api_version:
            return table.get(f"{kind.lower()}.{group}".rstrip(".")) or table.get(kind.lower())
        return table.get(kind.lower())

    def is_namespaced(self, kind: str, api_version: str = "") -> bool:
        """Unknown kinds count as namespaced."""
        res = self.resource(kind, api_version)
        return res.namespaced if res else True

    def _discovery(self) -> dict[str, Resource]:
        with self._lock:
            if self._resources is None:
                proc = self.run("api-resources", "-o", "wide", timeout=30)
                if proc.returncode != 0:
                    raise InfraError(f"kubectl api-resources: {_one_line(proc.stderr)}")
                self._resources = parse_api_resources(proc.stdout)
            return self._resources

    def request(self, method: str, path: str, body: dict[str, Any] | None = None,
                timeout: float = 30) -> tuple[int, dict[str, Any]]:
        """One API request: (HTTP status, JSON body); InfraError when nothing answered."""
        if not self._http:
            raise InfraError("no HTTP client for this kubeconfig (kubectl-only auth)")
        return self._request(method, path, body, timeout)

    def get_raw(self, path: str) -> tuple[int, str]:
        """GET a non-JSON endpoint (`/readyz?verbose`): (HTTP status, text)."""
        if not self._http:
            proc = self.run("get", "--raw", path)
            return (200, proc.stdout) if proc.returncode == 0 else (500, proc.stderr)
        status, raw = self._call("GET", path, None, "text/plain")
        return status, raw.decode(errors="replace")

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None,
                 timeout: float = 30) -> tuple[int, dict[str, Any]]:
        status, raw = self._call(method, path, body, "application/json", timeout)
        try:
            return status, json.loads(raw) if raw.strip() else {}
        except ValueError as err:
            raise InfraError(f"{method} {path}: HTTP {status}, not JSON: {raw[:200]!r}") \
                from err

    def _call(self, method: str, path: str, body: dict[str, Any] | None, accept: str,
              timeout: float = 30) -> tuple[int, bytes]:
        headers = {"Accept": accept}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            if self._http is None:  # callers check first; kubectl serves them otherwise
                raise RuntimeError("no API client for this kubeconfig")
            m, url, hdrs, data, _ = self._http.param_serialize(
                method, path, header_params=headers, body=body, auth_settings=["BearerToken"])
            response = self._http.call_api(m, url, hdrs, data, _request_timeout=timeout)
            response.read()
            return response.status, response.data or b""
        except Exception as err:  # connection refused, TLS, timeouts: the cluster broke
            raise InfraError(f"{method} {path}: {type(err).__name__}: {err}") from err


_BACKGROUND = {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"}


def _all_or_first_error(calls: Sequence[Callable[[], object]]) -> None:
    """Run the calls at once (each is one or two HTTP requests, so threads suffice); every
    call runs to its end, then the first InfraError (in call order) is raised."""
    if len(calls) <= 1:
        for call in calls:
            call()
        return
    with ThreadPoolExecutor(max_workers=min(len(calls), 8)) as pool:
        futures = [pool.submit(call) for call in calls]
    errors = [err for err in (f.exception() for f in futures) if err is not None]
    if errors:
        raise errors[0]


def _items(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The objects of a List (a list answer of the apiserver or of kubectl get -o json)."""
    items: list[dict[str, Any]] = body.get("items", [])
    return items


def _http_client(kubectl: Kubectl) -> ApiClient | None:
    """An API client for the kubeconfig, or None (then everything goes through kubectl)."""
    try:
        from kubernetes import config
        api: ApiClient = config.new_client_from_config(config_file=str(kubectl.kubeconfig),
                                                       context=kubectl.context)
        return api
    except Exception:  # an auth setup only kubectl understands: fall back to kubectl
        return None


def _ok(status: int, body: dict[str, Any], what: str) -> dict[str, Any]:
    if 200 <= status < 300:
        return body
    raise InfraError(f"{what}: HTTP {status}: {str(body.get('message', body))[:300]}")


def parse_api_resources(text: str) -> dict[str, Resource]:
    """Lookup keys (plural, kind, short names, each also with `.group`) -> Resource,
    from `kubectl api-resources -o wide`; the first (core) entry wins a shared name.
    VERBS is comma-separated (kubectl >= 1.2x) or, in older kubectl, `[get list]`.

    >>> table = parse_api_resources(
    ...     "NAME  SHORTNAMES  APIVERSION  NAMESPACED  KIND  VERBS                CATEGORIES\\n"
    ...     "nodes no          v1          false       Node  get,list,delete      \\n")
    >>> table["node"].path(name="a"), table["nodes"].namespaced, sorted(table["no"].verbs)
    ('/api/v1/nodes/a', False, ['delete', 'get', 'list'])
    """
    lines = text.splitlines()
    if not lines:
        return {}
    header = lines[0]
    cols = {name: header.index(name) for name in ("SHORTNAMES", "APIVERSION", "NAMESPACED",
                                                  "KIND")}
    verbs_at = header.find("VERBS")
    out: dict[str, Resource] = {}
    for line in lines[1:]:
        plural = line.split()[0]
        shorts = line[cols["SHORTNAMES"]:cols["APIVERSION"]].strip()
        api = line[cols["APIVERSION"]:].split()[0]
        namespaced = line[cols["NAMESPACED"]:].split()[0] == "true"
        kind = line[cols["KIND"]:].split()[0]
        verbs = _verbs(line[verbs_at:]) if verbs_at >= 0 else frozenset()
        res = Resource(api, plural, namespaced, kind, verbs)
        group = api.split("/")[0] if "/" in api else ""
        names = [plural, kind.lower()] + [s for s in shorts.split(",") if s]
        for name in names:
            out.setdefault(f"{name}.{group}".rstrip("."), res)
            out.setdefault(name, res)
    return out


def _verbs(cell: str) -> frozenset[str]:
    cell = cell.strip()
    if cell.startswith("["):
        return frozenset(cell[1:cell.find("]")].split())
    return frozenset(v for v in (cell.split() or [""])[0].split(",") if v)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:400]
