"""One shared list+watch cache per resource, informer style: list once, then watch from
the list's resourceVersion (with bookmarks) and re-list only when the apiserver says the
version is gone (410). Objects stay plain dicts; managedFields and last-applied annotations
are dropped on the way in (they are often half an object and no diagnosis reads them).
"""
from __future__ import annotations
from typing import Any

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import urllib3
from kubernetes.client.exceptions import ApiException
from kubernetes.watch.watch import iter_resp_lines

from agent.kube import Kube

log = logging.getLogger("k8s-agent.informer")
WATCH_SECONDS = 290
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


@dataclass(frozen=True)
class Resource:
    """A listable resource: `path` like /api/v1/pods or /apis/kueue.x-k8s.io/v1beta2/workloads."""
    kind: str
    path: str
    api_version: str


class Informer:
    def __init__(self, kube: Kube, resource: Resource,
                 on_change: Callable[[str, str | None, dict[str, Any] | None], object]
                 | None = None,
                 namespaces: list[str] | None = None) -> None:
        self.kube = kube
        self.resource = resource
        self.on_change = on_change          # fn(kind, event_type, obj) after each change
        self.namespaces = namespaces or []  # [] = all
        self.objects: dict[tuple[str, str], dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.synced = threading.Event()
        self.lists = 0                      # how many full lists (should stay 1)
        self._rv = ""

    # --- reading the cache ---------------------------------------------------------------
    def items(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.objects.values())

    def __len__(self) -> int:
        return len(self.objects)

    # --- list + watch --------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                if not self._rv:
                    self._list()
                self._watch(stop)
            except _Gone:
                self._rv = ""
            except ApiException as err:
                if err.status in (403, 404):
                    log.warning("%s: %s %s; not watched", self.resource.kind, err.status,
                                err.reason)
                    self.synced.set()
                    return
                log.warning("%s watch: %s; retrying", self.resource.kind, err.reason)
                stop.wait(2)
            except Exception as err:  # noqa: BLE001 - the cache survives API hiccups
                log.warning("%s watch: %s; retrying", self.resource.kind, err)
                stop.wait(2)

    def _get(self, params: list[tuple[str, str]],
             timeout: float | tuple[float, float]) -> urllib3.BaseHTTPResponse:
        return self.kube.raw_get(self.resource.path, params, timeout)

    def _list(self) -> None:
        objects, rv, token = {}, "", ""
        while True:
            params = [("limit", "500")] + ([("continue", token)] if token else [])
            response = self._get(params, 120)
            page = json.loads(response.data)
            for obj in page.get("items") or []:
                obj.setdefault("kind", self.resource.kind)
                obj.setdefault("apiVersion", self.resource.api_version)
                if self._wanted(obj):
                    objects[_key(obj)] = slim(obj)
            meta = page.get("metadata") or {}
            rv, token = meta.get("resourceVersion", ""), meta.get("continue", "")
            if not token:
                break
        with self.lock:
            self.objects = objects
        self._rv = rv
        self.lists += 1
        self.synced.set()
        if self.on_change:
            self.on_change(self.resource.kind, "SYNCED", None)

    def _watch(self, stop: threading.Event) -> None:
        params = [("watch", "true"), ("allowWatchBookmarks", "true"),
                  ("resourceVersion", self._rv), ("timeoutSeconds", str(WATCH_SECONDS))]
        response = self._get(params, (10, WATCH_SECONDS + 30))
        try:
            for line in iter_resp_lines(response):
                if stop.is_set():
                    return
                if line:
                    self._apply(json.loads(line))
        finally:
            response.release_conn()

    def _apply(self, event: dict[str, Any]) -> None:
        kind, obj = event.get("type"), event.get("object") or {}
        if kind == "ERROR":
            if obj.get("code") == 410:
                raise _Gone()
            raise RuntimeError(obj.get("message", "watch error"))
        rv = (obj.get("metadata") or {}).get("resourceVersion")
        if rv:
            self._rv = rv
        if kind == "BOOKMARK" or not self._wanted(obj):
            return
        obj.setdefault("kind", self.resource.kind)
        obj.setdefault("apiVersion", self.resource.api_version)
        with self.lock:
            if kind == "DELETED":
                self.objects.pop(_key(obj), None)
            else:
                self.objects[_key(obj)] = slim(obj)
        if self.on_change:
            self.on_change(self.resource.kind, kind, obj)

    def _wanted(self, obj: dict[str, Any]) -> bool:
        ns = (obj.get("metadata") or {}).get("namespace", "")
        return not self.namespaces or not ns or ns in self.namespaces


class _Gone(Exception):
    pass


def _key(obj: dict[str, Any]) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return meta.get("namespace", ""), meta.get("name", "")


def slim(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj.get("metadata") or {}
    meta.pop("managedFields", None)
    annotations = meta.get("annotations")
    if annotations and LAST_APPLIED in annotations:
        annotations.pop(LAST_APPLIED)
    return obj


def discover(kube: Kube, wanted: list[tuple[str, str, str]]) -> list[Resource]:
    """[(kind, group, plural)] -> Resources at each group's preferred version; groups the
    cluster does not serve are left out (the watcher says which)."""
    found = []
    for kind, group, plural in wanted:
        if not group:
            found.append(Resource(kind, f"/api/v1/{plural}", "v1"))
            continue
        try:
            info = json.loads(kube.raw_get(f"/apis/{group}", timeout=20).data)
        except Exception:  # noqa: BLE001 - not served: skipped
            continue
        version = (info.get("preferredVersion") or {}).get("groupVersion")
        if version:
            found.append(Resource(kind, f"/apis/{version}/{plural}", version))
    return found


def wait_synced(informers: list[Informer], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    return all(i.synced.wait(max(0.0, deadline - time.monotonic())) for i in informers)
