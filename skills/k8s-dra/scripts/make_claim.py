#!/usr/bin/env python3
"""Write a ResourceClaimTemplate (or ResourceClaim) and the workload wiring for DRA devices."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.quantity import parse_quantity

try:
    import yaml
except ImportError:  # pragma: no cover
    yaml = None

EXAMPLES = """examples:
  # 2 GPUs with >= 40Gi each on the same PCIe root, plus 1 InfiniBand device, for a Job
  make_claim.py --name train --count 2 --min-memory 40Gi --same-attribute pcieRoot \\
      --extra ib=rdma.example.com:1 --wire job --workers 4
  # an H200 if there is one, else 2 H100s (firstAvailable)
  make_claim.py --name infer --attr productName="NVIDIA H200" \\
      --fallback 'gpu.nvidia.com:2:productName=NVIDIA H100 80GB HBM3'
  # one GPU time-sliced between containers of a pod
  make_claim.py --name shared --kind claim --sharing TimeSlicing --wire pod
  # check with the cluster (server-side dry-run), then create
  make_claim.py --name train --count 2 --wire job --validate [--apply]
  # no claim: ask the class's devices as an extended resource (Kubernetes 1.34+ with gate
  # DRAExtendedResource, GA 1.37); NAME defaults to deviceclass.resource.kubernetes.io/CLASS
  make_claim.py --name train --class gpu.example.com --count 2 --extended-resource --wire job
notes: attribute names without a domain get the class's driver domain (gpu.nvidia.com);
  use resource.kubernetes.io/pcieRoot to align devices of different drivers.
  Kueue v0.19 supports only ResourceClaimTemplates with ExactCount (no firstAvailable,
  no adminAccess, no allocationMode All); make_claim.py warns when --queue is set.
exit: 0 written (and validated), 1 the cluster rejected it, 2 bad usage"""

API = "resource.k8s.io/v1"
NVIDIA_SHARING_API = "resource.nvidia.com/v1beta1"
DRIVER_OF_CLASS = {"gpu.nvidia.com": "gpu.nvidia.com", "mig.nvidia.com": "gpu.nvidia.com",
                   "vfio.gpu.nvidia.com": "gpu.nvidia.com"}


def driver_domain(class_name: str, override: str | None) -> str:
    return override or DRIVER_OF_CLASS.get(class_name, class_name)


def cel_literal(value: str) -> str:
    if value in ("true", "false") or value.lstrip("-").isdigit():
        return value
    return json.dumps(value)


def attr_selector(domain: str, pair: str) -> str:
    key, sep, value = pair.partition("=")
    if not sep or not key:
        raise InputError(f"--attr {pair!r}: expected KEY=VALUE")
    dom, _, ident = key.rpartition("/")
    return f'device.attributes["{dom or domain}"].{ident} == {cel_literal(value)}'


def memory_selector(domain: str, quantity: str) -> str:
    try:
        parse_quantity(quantity)
    except ValueError as err:
        raise InputError(f"--min-memory: {err}") from err
    return f'device.capacity["{domain}"].memory.compareTo(quantity("{quantity}")) >= 0'


def qualified(attr: str, domain: str) -> str:
    return attr if "/" in attr else f"{domain}/{attr}"


def exactly(class_name, count, selectors, admin=False) -> dict:
    out = {"deviceClassName": class_name, "allocationMode": "ExactCount", "count": count}
    if selectors:
        out["selectors"] = [{"cel": {"expression": s}} for s in selectors]
    if admin:
        out["adminAccess"] = True
    return out


def parse_fallback(text: str, driver: str | None) -> dict:
    """CLASS:COUNT[:KEY=VALUE[,KEY=VALUE]] -> exactly-like dict for firstAvailable."""
    parts = text.split(":", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise InputError(f"--fallback {text!r}: expected CLASS:COUNT[:KEY=VALUE,...]")
    cls, count = parts[0], int(parts[1])
    domain = driver_domain(cls, driver)
    sels = [attr_selector(domain, p) for p in parts[2].split(",")] if len(parts) > 2 else []
    return exactly(cls, count, sels)


def parse_extra(text: str) -> tuple[str, str, int]:
    name, sep, rest = text.partition("=")
    cls, _, count = rest.partition(":")
    if not sep or not name or not cls or (count and not count.isdigit()):
        raise InputError(f"--extra {text!r}: expected NAME=CLASS[:COUNT]")
    return name, cls, int(count or 1)


def claim_spec(args) -> dict:
    domain = driver_domain(args.device_class, args.driver)
    sels = [attr_selector(domain, p) for p in args.attr] + list(args.selector)
    if args.min_memory:
        sels.append(memory_selector(domain, args.min_memory))
    main = exactly(args.device_class, args.count, sels, args.admin_access)
    if args.all_devices:
        main["allocationMode"] = "All"
        main.pop("count")
    if args.fallback:
        alts = [dict(main, name="preferred")] + [
            dict(parse_fallback(f, args.driver), name=f"alt{i + 1}")
            for i, f in enumerate(args.fallback)]
        for alt in alts:
            alt.pop("adminAccess", None)
        requests = [{"name": args.request, "firstAvailable": alts}]
    else:
        requests = [{"name": args.request, "exactly": main}]
    for text in args.extra:
        name, cls, count = parse_extra(text)
        requests.append({"name": name, "exactly": exactly(cls, count, [])})
    spec: dict = {"devices": {"requests": requests}}
    names = [r["name"] for r in requests]
    constraints = []
    if args.same_attribute:
        constraints.append({"requests": names, "matchAttribute": qualified(args.same_attribute,
                                                                           domain)})
    if args.distinct_attribute:
        constraints.append({"requests": [args.request],
                            "distinctAttribute": qualified(args.distinct_attribute, domain)})
    if constraints:
        spec["devices"]["constraints"] = constraints
    if args.sharing:
        spec["devices"]["config"] = [{"requests": [args.request], "opaque": {
            "driver": "gpu.nvidia.com", "parameters": {
                "apiVersion": NVIDIA_SHARING_API, "kind": "GpuConfig",
                "sharing": {"strategy": args.sharing}}}}]
    return spec


def claim_object(args, spec) -> dict:
    meta = {"name": args.name}
    if args.namespace:
        meta["namespace"] = args.namespace
    if args.kind == "claim":
        return {"apiVersion": API, "kind": "ResourceClaim", "metadata": meta, "spec": spec}
    return {"apiVersion": API, "kind": "ResourceClaimTemplate", "metadata": meta,
            "spec": {"spec": spec}}


def pod_spec(args, request_names) -> dict:
    ref = ({"resourceClaimName": args.name} if args.kind == "claim"
           else {"resourceClaimTemplateName": args.name})
    return {"restartPolicy": "Never" if args.wire in ("job", "jobset") else "Always",
            "resourceClaims": [{"name": "devices", **ref}],
            "containers": [{"name": "main", "image": args.image, "resources": {
                "requests": {"cpu": "1", "memory": "4Gi"},
                "limits": {"cpu": "1", "memory": "4Gi"},
                "claims": [{"name": "devices"}]}}]}


def workload(args, request_names) -> dict | None:
    if args.wire == "none":
        return None
    spec = pod_spec(args, request_names)
    meta = {"name": f"{args.name}-{args.wire}"}
    if args.namespace:
        meta["namespace"] = args.namespace
    if args.queue:
        meta["labels"] = {"kueue.x-k8s.io/queue-name": args.queue}
    n = args.workers
    if args.wire == "pod":
        spec["restartPolicy"] = "Never"
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}
    job_spec = {"parallelism": n, "completions": n, "template": {"spec": spec}}
    if args.wire == "job":
        if n > 1:
            job_spec["completionMode"] = "Indexed"
        return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": job_spec}
    if args.wire == "jobset":
        return {"apiVersion": "jobset.x-k8s.io/v1alpha2", "kind": "JobSet", "metadata": meta,
                "spec": {"replicatedJobs": [{"name": "workers", "replicas": 1,
                                             "template": {"spec": job_spec}}]}}
    return {"apiVersion": "leaderworkerset.x-k8s.io/v1", "kind": "LeaderWorkerSet",
            "metadata": meta, "spec": {"replicas": 1, "leaderWorkerTemplate": {
                "size": n, "workerTemplate": {"spec": spec}}}}


def warnings_for(args) -> list[str]:
    out = []
    if args.queue:
        if args.fallback:
            out.append("Kueue v0.19 rejects firstAvailable: 'FirstAvailable device selection "
                       "is not supported' (pkg/dra/claims.go)")
        if args.admin_access:
            out.append("Kueue v0.19 rejects adminAccess: 'AdminAccess is not supported'")
        if args.all_devices:
            out.append("Kueue v0.19 rejects allocationMode All")
        if args.kind == "claim":
            out.append("Kueue rejects pods with resourceClaimName; use a template (--kind "
                       "template)")
    if args.kind == "claim" and args.wire != "none" and args.workers > 1:
        out.append("one ResourceClaim shared by several pods pins them all to one node and "
                   "shares the same devices; use --kind template for per-pod devices")
    if args.admin_access:
        out.append("adminAccess needs namespace label resource.kubernetes.io/admin-access="
                   "\"true\"")
    return out


def dry_run(docs: list[dict], apply: bool) -> tuple[bool, str]:
    exe = shutil.which("kubectl")
    if not exe:
        raise InputError("--validate needs kubectl on PATH")
    text = yaml.safe_dump_all(docs, sort_keys=False)
    modes = [["--dry-run=server"]] + ([[]] if apply else [])
    out = []
    for extra in modes:
        try:
            proc = subprocess.run([exe, "apply", "-f", "-", *extra], input=text,
                                  capture_output=True, text=True, timeout=60)
        except (subprocess.TimeoutExpired, OSError) as err:
            raise InputError(f"kubectl apply: {err}") from err
        out.append((proc.stdout + proc.stderr).strip())
        if proc.returncode != 0:
            return False, "\n".join(out)
    return True, "\n".join(out)


EXTENDED_PREFIX = "deviceclass.resource.kubernetes.io/"
# what a claim can say that `limits: {<name>: N}` cannot (the scheduler's claim is N x class)
NOT_WITH_EXTENDED = {"attr": "--attr", "selector": "--selector", "min_memory": "--min-memory",
                     "same_attribute": "--same-attribute", "fallback": "--fallback",
                     "distinct_attribute": "--distinct-attribute", "extra": "--extra",
                     "sharing": "--sharing", "admin_access": "--admin-access",
                     "all_devices": "--all-devices"}


def extended_workload(args) -> dict:
    """The workload asking the class's devices as an extended resource, without a claim."""
    used = [flag for key, flag in NOT_WITH_EXTENDED.items() if getattr(args, key)]
    if used or args.kind == "claim":
        raise InputError(f"--extended-resource asks {args.count} device(s) of the class only; "
                         f"{', '.join(used) or '--kind claim'} needs a ResourceClaim (drop "
                         "--extended-resource)")
    if args.wire == "none":
        raise InputError("--extended-resource needs --wire pod|job|jobset|lws")
    name = args.extended_resource or EXTENDED_PREFIX + args.device_class
    wl = workload(args, [])
    assert wl is not None
    pods = _pod_specs(wl)
    for pod in pods:
        pod.pop("resourceClaims", None)
        for c in pod["containers"]:
            c["resources"].pop("claims", None)
            c["resources"]["limits"][name] = str(args.count)
    return wl


def _pod_specs(obj) -> list[dict]:
    if isinstance(obj, dict):
        if "containers" in obj:
            return [obj]
        return [p for v in obj.values() for p in _pod_specs(v)]
    if isinstance(obj, list):
        return [p for v in obj for p in _pod_specs(v)]
    return []


def body(args):
    if yaml is None:
        raise InputError("PyYAML is required")
    if args.count < 1:
        raise InputError("--count must be at least 1")
    if args.workers < 1:
        raise InputError("--workers must be at least 1")
    if args.extended_resource is not None:
        docs = [extended_workload(args)]
        wl = None
    else:
        spec = claim_spec(args)
        docs = [claim_object(args, spec)]
        wl = workload(args, [r["name"] for r in spec["devices"]["requests"]])
    if wl:
        docs.append(wl)
    warns = warnings_for(args)
    text = "\n".join(f"# warning: {w}" for w in warns)
    text = (text + "\n" if text else "") + yaml.safe_dump_all(docs, sort_keys=False).rstrip()
    payload = {"objects": docs, "warnings": warns}
    code = 0
    if args.validate or args.apply:
        ok, out = dry_run(docs, args.apply)
        payload["validation"] = {"ok": ok, "output": out}
        text += f"\n# server-side dry-run: {'accepted' if ok else 'REJECTED'}\n# " + \
            out.replace("\n", "\n# ")
        code = 0 if ok else 1
    return payload, text, code


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    add = parser.add_argument
    add("--name", required=True, help="name of the claim/template (workload gets -<wire>)")
    add("-n", "--namespace", help="namespace to put in metadata")
    add("--kind", choices=("template", "claim"), default="template",
        help="ResourceClaimTemplate (per pod, default) or one shared ResourceClaim")
    add("--class", dest="device_class", default="gpu.nvidia.com", help="DeviceClass")
    add("--driver", help="attribute domain when it differs from the class name")
    add("--count", type=int, default=1, help="devices per pod (default 1)")
    add("--all-devices", action="store_true", help="allocationMode All (every match on a node)")
    add("--request", default="gpus", help="request name (default gpus)")
    add("--attr", action="append", default=[], metavar="KEY=VALUE",
        help='attribute equality, e.g. productName="NVIDIA H200" (repeatable)')
    add("--min-memory", metavar="QTY", help="capacity memory at least QTY, e.g. 40Gi")
    add("--selector", action="append", default=[], metavar="CEL", help="raw CEL selector")
    add("--same-attribute", metavar="ATTR",
        help="matchAttribute over all requests, e.g. pcieRoot or resource.kubernetes.io/pcieRoot")
    add("--distinct-attribute", metavar="ATTR", help="distinctAttribute for the main request")
    add("--fallback", action="append", default=[], metavar="CLASS:COUNT[:K=V,...]",
        help="firstAvailable alternative after the main request (repeatable)")
    add("--extra", action="append", default=[], metavar="NAME=CLASS[:COUNT]",
        help="another request, e.g. ib=rdma.example.com:1 (repeatable)")
    add("--sharing", choices=("TimeSlicing", "MPS"), help="NVIDIA GpuConfig sharing strategy")
    add("--admin-access", action="store_true", help="adminAccess (monitoring; needs ns label)")
    add("--extended-resource", nargs="?", const="", default=None, metavar="NAME",
        help="no claim: limits {NAME: COUNT}, served from the class's devices by the scheduler "
             "(DeviceClass extendedResourceName NAME; default deviceclass.resource.kubernetes."
             "io/CLASS)")
    add("--wire", choices=("none", "pod", "job", "jobset", "lws"), default="none",
        help="also print a workload using the claim")
    add("--workers", type=int, default=1, help="pods in the workload (default 1)")
    add("--queue", help="Kueue LocalQueue label for the workload")
    add("--image", default="cuda-app:1.0", help="container image (default cuda-app:1.0)")
    add("--validate", action="store_true", help="kubectl apply --dry-run=server")
    add("--apply", action="store_true", help="create after a successful dry-run")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
