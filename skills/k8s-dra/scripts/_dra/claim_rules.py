"""Why a ResourceClaim (or a pod's claims) is not allocated: one finding per cause.

Causes and their sources are documented in references/causes.md. Each finding may come
with a machine-readable change ({object, path, value}) that the explain script lists under
`changes` so a caller can apply the proposed fix.
"""
from __future__ import annotations

import difflib
import re

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig, name_of, namespace_of
from k8s_skillkit.scheduling import required_affinity_matches

from k8s_skillkit import cel as _cel
from _dra import tables
from _dra.partition_rules import why_blocked
from _dra.alloc import allocate_on_node, matching, requests_of
from _dra.model import TABLE_CLASS_NOTE, Inventory, claim_label, claim_node, match_all, table_row

ADMIN_LABEL = "resource.kubernetes.io/admin-access"
MAX_RESERVED = 256  # resource/v1 ResourceClaimReservedForMaxSize


class Target:
    """A claim spec to explain: its owner object, namespace, and the pod using it."""

    def __init__(self, obj, spec, namespace, pod=None, base_path="spec", claim=None):
        self.obj, self.spec, self.namespace, self.pod = obj, spec, namespace, pod
        self.base_path, self.claim = base_path, claim


def _change(obj, path, value) -> dict:
    return {"object": {"kind": obj.get("kind", ""), "namespace": namespace_of(obj),
                       "name": name_of(obj)}, "path": path, "value": value}


# ------------------------------------------------------------------ partial dumps

GET = {"DeviceClass": "deviceclasses", "ResourceSlice": "resourceslices",
       "ResourceClass": "resourceclasses",
       "ResourceClaim": "resourceclaims", "ResourceClaimTemplate": "resourceclaimtemplates"}


def not_in_dump(obj: dict, kind: str, name: str, namespace: str = "") -> dict:
    """An object the input does not hold is unknown, not absent (a paste is partial).

    The one place the DRA scripts decide this; the kit's Dump.presence replaces it."""
    what = f"{kind} {name}".strip() if name else f"{kind}s"
    cmd = f"kubectl get {GET.get(kind, kind.lower())}{' ' + name if name else ''}" + (
        f" -n {namespace}" if namespace else "") + " -o yaml"
    return finding("info", f"{_snake(kind)}_not_in_dump", obj,
                   f"{what} {'is' if name else 'are'} not in the dump, so the claim cannot be "
                   "checked against it (not evidence that it is missing)",
                   [], "add it to the dump, or run this script live", confirm=cmd)


def _snake(kind: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()


# ------------------------------------------------------------------ pods

def pod_targets(inv: Inventory, pod: dict, findings: list, changes: list) -> list[Target]:
    """Resolve each pod.spec.resourceClaims entry to a claim (or its template)."""
    ns = namespace_of(pod)
    generated = {s.get("name"): s.get("resourceClaimName")
                 for s in dig(pod, "status", "resourceClaimStatuses", default=[]) or []}
    out = []
    for item in dig(pod, "spec", "resourceClaims", default=[]) or []:
        # before 1.31 the references sat under `source:` (core/v1 ClaimSource)
        entry = {**item, **(item.get("source") or {})}
        claim_name = entry.get("resourceClaimName") or generated.get(entry.get("name"))
        tname = entry.get("resourceClaimTemplateName")
        template = inv.templates.get((ns, tname)) if tname else None
        claim = inv.claims.get((ns, claim_name)) if claim_name else None
        if claim is not None and template is not None:
            # generated from the template: the fix goes into the template, which the user owns
            out.append(Target(template, dig(template, "spec", "spec", default={}) or {}, ns,
                              pod, "spec.spec", claim))
            continue
        if claim is not None:
            out.append(Target(claim, claim.get("spec") or {}, ns, pod, "spec", claim))
            continue
        if entry.get("resourceClaimName") and not inv.complete("ResourceClaim", ns):
            findings.append(not_in_dump(pod, "ResourceClaim", entry["resourceClaimName"], ns))
            continue
        if tname and template is None and not inv.complete("ResourceClaimTemplate", ns):
            findings.append(not_in_dump(pod, "ResourceClaimTemplate", tname, ns))
            continue
        if entry.get("resourceClaimName"):
            findings.append(finding(
                "error", "claim_missing", pod,
                f"pod uses ResourceClaim {entry['resourceClaimName']} which does not exist",
                [f"spec.resourceClaims[name={entry.get('name')}].resourceClaimName"],
                f"create ResourceClaim {ns}/{entry['resourceClaimName']} (make_claim.py "
                "--kind claim) or switch to resourceClaimTemplateName"))
            continue
        if template is None:
            findings.append(finding(
                "error", "claim_template_missing", pod,
                f"pod uses ResourceClaimTemplate {tname} which does not exist in {ns}, so "
                "no claim can be generated", [f"templates in {ns}: " + (", ".join(
                    sorted(n for (t_ns, n) in inv.templates if t_ns == ns)) or "none")],
                f"create ResourceClaimTemplate {ns}/{tname} (make_claim.py)"))
            continue
        out.append(Target(template, dig(template, "spec", "spec", default={}) or {}, ns, pod,
                          "spec.spec"))
    return out


def check_reserved_elsewhere(inv: Inventory, t: Target) -> list[dict]:
    """A shared claim pins every user to its node; a pod that cannot go there waits."""
    claim, pod = t.claim, t.pod
    if claim is None or pod is None or dig(pod, "spec", "nodeName"):
        return []
    if dig(claim, "status", "allocation") is None:
        return []
    reserved = dig(claim, "status", "reservedFor", default=[]) or []
    if not reserved or any(r.get("uid") == dig(pod, "metadata", "uid") for r in reserved):
        return []
    node = claim_node(claim)
    users = ", ".join(f"{r.get('resource', 'pods')}/{r.get('name')}" for r in reserved[:3])
    why = ""
    if len(reserved) >= MAX_RESERVED:
        why = f"reservedFor is full ({MAX_RESERVED} consumers)"
    selector = dig(pod, "spec", "nodeSelector", default={}) or {}
    node_obj = inv.nodes.get(node)
    clash = bool(node and node_obj is not None
                 and not required_affinity_matches(pod, node_obj))
    if clash:
        shown = {k: v for k, v in selector.items()
                 if (dig(node_obj, "metadata", "labels", default={}) or {}).get(k) != v}
        why = (f"the pod's nodeSelector {shown} excludes node {node}" if shown else
               f"the pod's required node affinity (nodeSelector terms) excludes node {node}")
    if not why:
        why = f"the pod can only run on node {node}, where the claim's devices are"
    return [finding(
        "error" if clash or len(reserved) >= MAX_RESERVED else "warning",
        "claim_reserved_elsewhere", pod,
        f"ResourceClaim {claim_label(claim)} is allocated on node {node or '?'} and reserved "
        f"for {users}; {why}",
        [f"claim {claim_label(claim)} reservedFor: {users}", f"allocated on node {node}"],
        "give each pod its own devices with resourceClaimTemplateName instead of a shared "
        "resourceClaimName, or drop the conflicting nodeSelector so the pod can join "
        f"node {node}")]


def check_admin_access(inv: Inventory, t: Target) -> list[dict]:
    admin = [name for name, alts in requests_of(t.spec) for rv in alts if rv.admin]
    if not admin or t.claim is not None and dig(t.claim, "status", "allocation"):
        return []
    labels = inv.namespace_labels(t.namespace)
    if labels is not None and labels.get(ADMIN_LABEL) == "true":
        return []
    unknown = labels is None
    fix = (f"kubectl label namespace {t.namespace} {ADMIN_LABEL}=true (cluster admin "
           "decision: admin access sees devices in use by others), or drop adminAccess")
    return [finding(
        "warning" if unknown else "error", "admin_access_forbidden", t.pod or t.obj,
        f"request(s) {', '.join(admin)} set adminAccess but namespace {t.namespace} "
        + ("labels are unknown (no Namespace object in the input)" if unknown else
           f"lacks label {ADMIN_LABEL}=true, so the apiserver rejects "
           + ("the scheduler's allocation (status) of this existing claim"
              if t.claim is not None else "the claim")),
        ["apiserver: admin access to devices requires the `resource.kubernetes.io/"
         "admin-access: true` label on the containing namespace"], fix)]


# ------------------------------------------------------------------ spec

def explain_spec(inv: Inventory, t: Target, changes: list) -> list[dict]:
    obj = t.pod or t.obj
    if t.spec.get("resourceClassName") and not t.spec.get("devices"):
        return _classic(inv, t, obj)
    reqs = requests_of(t.spec)
    if not reqs:
        # no device request: the allocator has nothing to find (an empty allocation), so no
        # placement can fail; "no node has enough for all requests" would be vacuous
        return []
    out = []
    for index, (name, alts) in enumerate(reqs):
        for alt_index, rv in enumerate(alts):
            path = _request_path(t, index) if len(alts) == 1 and rv.name == name else (
                f"{t.base_path}.devices.requests[{index}].firstAvailable[{alt_index}]")
            problem = _request_problem(inv, t, rv, path, changes)
            if problem is None:
                break  # this alternative can match devices: the request is fine
            if alt_index == len(alts) - 1 or problem["cause"] in ("device_class_missing",):
                out.append(problem)
                break
    if out:
        return out
    return _placement(inv, t, obj, changes)


def _request_path(t: Target, index: int) -> str:
    """Where a request's fields live: `exactly` in v1beta2/v1, the request itself before."""
    raw = (dig(t.spec, "devices", "requests", default=[]) or [{}])[index]
    base = f"{t.base_path}.devices.requests[{index}]"
    return base + ".exactly" if "exactly" in raw else base


def _classic(inv, t, obj) -> list[dict]:
    """Classic DRA (resource.k8s.io/v1alpha2, 1.26-1.30): a ResourceClass names a driver
    whose own controller allocates the claim; the scheduler only waits for it."""
    name = t.spec["resourceClassName"]
    known = {name_of(c) for c in inv.by_kind["ResourceClass"]}
    if name not in known and not inv.complete("ResourceClass"):
        return [not_in_dump(obj, "ResourceClass", name)]
    if name not in known:
        return [finding("error", "device_class_missing", obj,
                        f"ResourceClass {name} does not exist (classic DRA, v1alpha2)",
                        [f"ResourceClasses: {', '.join(sorted(known)) or 'none'}"],
                        "install the driver that creates it, or correct resourceClassName")]
    cls = next(c for c in inv.by_kind["ResourceClass"] if name_of(c) == name)
    return [finding("warning", "classic_driver_not_allocating", obj,
                    f"classic DRA: claim for ResourceClass {name} waits for driver "
                    f"{cls.get('driverName', '?')}'s controller to allocate it",
                    [f"ResourceClass {name} driverName: {cls.get('driverName', '?')}"],
                    "check that driver's controller pod and its logs; classic DRA was removed "
                    "in 1.31: move to structured parameters (DeviceClass, 1.32+)",
                    confirm="kubectl get pods -A | grep -i " + str(cls.get("driverName", "dra"))
                    .split(".")[0])]


def _request_problem(inv, t, rv, path, changes):
    obj = t.pod or t.obj
    where = f"request {rv.name} ({rv.describe()})"
    if rv.class_name not in inv.classes and not inv.complete("DeviceClass"):
        listed = sorted(n for n, c in inv.classes.items() if table_row(c))
        if listed:  # a pasted `kubectl get deviceclasses` list without it: what it shows
            close = difflib.get_close_matches(rv.class_name, listed, n=1)
            return finding(
                "warning", "device_class_missing", obj,
                f"{where}: DeviceClass {rv.class_name} is not in the pasted `kubectl get "
                f"deviceclasses` list ({len(listed)} class(es): {', '.join(listed[:5])})",
                ["a pasted table may be cut: confirm before acting"] +
                ([f"closest listed: {close[0]}"] if close else []),
                (f"use deviceClassName: {close[0]} if that is the class meant (recreate the "
                 f"{t.obj.get('kind')}: its spec is immutable), or " if close else "") +
                "install the DRA driver that creates the class",
                confirm=f"kubectl get deviceclass {rv.class_name}")
        return _selects_nothing(inv, t, rv, where) or \
            not_in_dump(obj, "DeviceClass", rv.class_name)
    if rv.class_name not in inv.classes:
        close = difflib.get_close_matches(rv.class_name, list(inv.classes), n=1)
        options = close or sorted(inv.classes)[:1]
        if options:
            changes.append(_change(t.obj, f"{path}.deviceClassName", options[0]))
        return finding(
            "error", "device_class_missing", obj,
            f"{where}: DeviceClass {rv.class_name} does not exist",
            [f"DeviceClasses: {', '.join(sorted(inv.classes)) or 'none'}",
             f"scheduler: request {rv.name}: device class {rv.class_name} does not exist"],
            (f"use deviceClassName: {options[0]} (recreate the "
             f"{t.obj.get('kind')}: its spec is immutable)") if options else
            "install a DRA driver that creates the DeviceClass (see references/drivers.md)")
    if not inv.devices and not inv.complete("ResourceSlice"):
        listed = tables.driver_not_listed(
            obj, where, rv.class_name, tables.class_drivers(inv.classes.get(rv.class_name) or {}),
            tables.table_drivers(inv.slices))
        return listed or not_in_dump(obj, "ResourceSlice", "")
    if not inv.devices:
        return finding("error", "no_resource_slices", obj,
                       f"{where}: no ResourceSlice publishes any device in this cluster",
                       ["0 ResourceSlices with devices"],
                       "install and start a DRA driver on the GPU nodes (see "
                       "references/drivers.md); check its kubelet plugin pods")
    class_devs, notes = inv.class_devices(rv.class_name)
    if not class_devs:
        return _class_empty(inv, t, rv, where, notes)
    devs, errors, unknown = matching(inv, rv, class_devs)
    if errors:
        return finding("error", "selector_error", obj,
                       f"{where}: a selector fails with a CEL runtime error on {len(errors)} "
                       "device(s); the scheduler then fails the whole claim",
                       errors[:3], "guard optional attributes with "
                       "'\"attr\" in device.attributes[\"domain\"] && ...'")
    if not devs and unknown:
        return finding("warning", "selector_not_evaluated", obj,
                       f"{where}: the selector was not evaluated ({unknown}); cannot tell "
                       "whether any device matches", [f"CEL engine: {_cel.engine_name()}"],
                       "install cel-python for full CEL, or compare the selector by hand with "
                       "`kubectl get resourceslices -o yaml`")
    if not devs:
        return _nearest(inv, t, rv, where, class_devs, path, changes)
    return None


def _selects_nothing(inv, t, rv, where) -> dict | None:
    """With the DeviceClass not in the input: the request's own selectors already select none
    of the devices the input publishes. A class only narrows (ALLOC selectorsMatch ANDs the
    class's and the request's selectors), so no class makes a device match; inferred, since
    the input may not hold every ResourceSlice."""
    if not rv.selectors or not inv.devices:
        return None
    statuses = [(dev, match_all(rv.selectors, dev)) for dev in inv.devices]
    if any(status != _cel.NO_MATCH for _, (status, _) in statuses):
        return None  # one matches, or a selector could not be evaluated on one
    complete = inv.complete("ResourceSlice")
    _, best, best_fail = _nearest_device(rv, inv.devices)
    nearest = _nearest_evidence(best, best_fail)
    return finding(
        "error" if complete else "warning", "no_matching_device", t.pod or t.obj,
        f"{where}: its selectors select none of the {len(inv.devices)} device(s) the input "
        "publishes, whatever DeviceClass " + rv.class_name + " adds (a class only narrows)",
        nearest or [f"selector: {e}" for e in rv.selectors[:2]],
        "relax the selector to what the devices publish (kubectl get resourceslices -o yaml "
        "shows their attributes and capacity), or add devices that have it; recreate the "
        f"{t.obj.get('kind')} (its spec is immutable)", basis="inferred",
        confirm="kubectl get resourceslices -o yaml")


def _class_empty(inv, t, rv, where, notes):
    obj = t.pod or t.obj
    cls = inv.classes[rv.class_name]
    exprs = [dig(s, "cel", "expression", default="") for s in
             dig(cls, "spec", "selectors", default=[]) or []]
    drivers = sorted(inv.drivers())
    wanted = re.findall(r'device\.driver\s*==\s*"([^"]+)"', " ".join(exprs))
    if TABLE_CLASS_NOTE in notes:
        return finding("info", "device_class_not_in_dump", obj,
                       f"{where}: DeviceClass {rv.class_name} is {TABLE_CLASS_NOTE}, so which "
                       "devices it selects is unknown (not evidence that none match)", [],
                       "add the class's YAML to the paste, or run this script live",
                       confirm=f"kubectl get deviceclass {rv.class_name} -o yaml")
    if notes and not any(n.startswith("CEL") for n in notes):
        return finding("warning", "selector_not_evaluated", obj,
                       f"{where}: DeviceClass selectors were not evaluated ({notes[0]})",
                       exprs[:2], "install cel-python, or check the class selectors by hand")
    if wanted and not set(wanted) & set(drivers):
        return finding("error", "no_resource_slices", obj,
                       f"{where}: no ResourceSlice from driver {wanted[0]}, which DeviceClass "
                       f"{rv.class_name} selects; drivers publishing: {', '.join(drivers)}",
                       [f"DeviceClass {rv.class_name} selector: {e}" for e in exprs[:2]],
                       f"install/start the {wanted[0]} DRA driver on the nodes, or use a "
                       f"DeviceClass of a driver that runs here ({', '.join(drivers)})")
    return finding("error", "no_matching_device", obj,
                   f"{where}: DeviceClass {rv.class_name} selects none of the "
                   f"{len(inv.devices)} published devices", (notes + exprs)[:3],
                   "fix the DeviceClass selectors (admin) or use another class")


def _refs(expr: str) -> list[tuple[str, str, str]]:
    return [(section, domain, name or "") for section, domain, name in _cel.refs_in(expr)]


def _nearest(inv, t, rv, where, class_devs, path, changes):
    """Which selector clause fails, and how close the nearest device comes."""
    obj = t.pod or t.obj
    clauses, best, best_fail = _nearest_device(rv, class_devs)
    fix = "relax or correct the failing selector clause"
    if len(best_fail) == len(clauses) == 1 and len(rv.selectors) == 1:
        fix = (f"remove the selector, or match what exists, e.g. {_suggest(best_fail[0][1], best)}"
               f" (recreate the {t.obj.get('kind')}: its spec is immutable)")
        changes.append(_change(t.obj, f"{path}.selectors[0].cel.expression",
                               _suggest(best_fail[0][1], best)))
    return finding("error", "no_matching_device", obj,
                   f"{where}: none of {len(class_devs)} {rv.class_name} devices matches; "
                   f"nearest fails {len(best_fail)} of {len(clauses)} clause(s)",
                   _nearest_evidence(best, best_fail), fix)


def _nearest_device(rv, devices):
    """(the request's selector clauses, the device failing fewest of them, those it fails);
    devices that publish the same attributes and capacity are tried once."""
    clauses = [(i, c) for i, expr in enumerate(rv.selectors) for c in _cel.split_and(expr)]
    best, best_fail = None, None
    seen = set()
    for dev in devices:
        sig = repr((dev.driver, sorted(dev.view["attributes"].items(), key=lambda kv: kv[0]),
                    dev.view["capacity"]))
        if sig in seen:
            continue
        seen.add(sig)
        failing = [(i, c) for i, c in clauses if _cel.evaluate(c, dev.view)[0] != _cel.MATCH]
        if best is None or len(failing) < len(best_fail):
            best, best_fail = dev, failing
    return clauses, best, best_fail


def _nearest_evidence(best, best_fail) -> list[str]:
    """The failing clauses, each with the nearest device's value of what it reads."""
    evidence = []
    for _, clause in best_fail[:3]:
        actual = []
        for section, domain, name in _refs(clause):
            value = (best.view[section].get(domain) or {}).get(name, "(absent)") if name else \
                sorted((best.view[section].get(domain) or {}))
            actual.append(f"{domain}/{name}={_show(value)}")
        evidence.append(f"fails: {clause}  (nearest device {best.label()} on "
                        f"{best.node or 'all nodes'}: {', '.join(actual) or 'n/a'})")
    return evidence


def _show(value) -> str:
    if isinstance(value, _cel.Quantity):
        gi = value.value / 2**30
        return f"{float(gi):.1f}Gi"
    if isinstance(value, _cel.Semver):
        return value.text
    return repr(value) if isinstance(value, str) else str(value)


def _suggest(clause: str, dev) -> str:
    """The failing clause rewritten to what the nearest device has (equality forms only)."""
    refs = _refs(clause)
    if len(refs) == 1 and refs[0][2]:
        section, domain, name = refs[0]
        value = (dev.view[section].get(domain) or {}).get(name)
        if isinstance(value, str):
            return f'device.{section}["{domain}"].{name} == "{value}"'
        if isinstance(value, _cel.Quantity):
            return (f'device.{section}["{domain}"].{name}.compareTo(quantity('
                    f'"{_show(value)}")) >= 0')
        if isinstance(value, (int, bool)):
            return f'device.{section}["{domain}"].{name} == {str(value).lower()}'
    return "true"


# ------------------------------------------------------------------ placement

def check_together(inv: Inventory, pod: dict, targets: list) -> list[dict]:
    """Each claim fits somewhere, but do all of the pod's claims fit on ONE node?"""
    open_specs = [t.spec for t in targets if t.claim is None or
                  not dig(t.claim, "status", "allocation")]
    pinned = {claim_node(t.claim) for t in targets
              if t.claim is not None and dig(t.claim, "status", "allocation")}
    if len(targets) < 2 or not open_specs:
        return []
    nodes = [n for n in candidate_nodes(inv, pod) if not pinned or n in pinned]
    for node in nodes:
        taken: set = set()
        for spec in open_specs:
            picked, _ = allocate_on_node(inv, spec, node, taken)
            if not picked:
                break
            taken.update(d.key for d in picked)
        else:
            return []
    where = f"node {', '.join(sorted(pinned))} (where its allocated claim is)" if pinned \
        else f"any of {len(nodes)} candidate node(s)"
    return [finding("error", "insufficient_devices", pod,
                    f"each of the pod's {len(targets)} claims can be satisfied alone, but not "
                    f"all together on {where}: the scheduler needs them on one node",
                    [f"claims: {', '.join(name_of(t.claim or t.obj) for t in targets)}"],
                    "lower the counts so they fit one node together, or split the pod")]



def candidate_nodes(inv: Inventory, pod: dict | None) -> list[str]:
    """Nodes the pod may use: nodeSelector AND required node affinity (the kit's model of
    the scheduler's NodeAffinity filter); nodes not in the input are kept (unknown)."""
    nodes = inv.node_names() or sorted(inv.nodes)
    if pod and inv.nodes:
        nodes = [n for n in nodes if n not in inv.nodes
                 or required_affinity_matches(pod, inv.nodes[n])]
    return nodes


def _placement(inv, t, obj, changes):
    nodes = candidate_nodes(inv, t.pod)
    per_node = {}
    for node in nodes:
        picked, stats = allocate_on_node(inv, t.spec, node, set())
        if picked:
            return []  # allocatable now: not a device problem
        per_node[node] = stats
    return [_why_no_node(inv, t, obj, per_node, changes)]


def _why_no_node(inv, t, obj, per_node, changes):
    blocked = why_blocked(inv, t, obj, per_node, _request_path)
    if blocked is not None:
        return blocked
    reqs = requests_of(t.spec)
    capacity_short, busy_short = True, True
    for stats in per_node.values():
        for name, alts in reqs:
            if any(stats[rv.name]["matching"] >= rv.count for rv in alts):
                continue
            break
        else:
            capacity_short = False
        for name, alts in reqs:
            if any(stats[rv.name]["free"] >= rv.count for rv in alts):
                continue
            break
        else:
            busy_short = False
    summary = _node_summary(per_node)
    constraints = dig(t.spec, "devices", "constraints", default=[]) or []
    if capacity_short:
        return _too_big(inv, t, obj, reqs, per_node, summary, changes)
    if busy_short:
        return _busy(inv, t, obj, reqs, summary)
    if constraints:
        attrs = ", ".join(c.get("matchAttribute") or c.get("distinctAttribute") or "?"
                          for c in constraints)
        group = _largest_group(inv, t, reqs, constraints, per_node)
        if group:
            changes.append(_change(t.obj, f"{_request_path(t, 0)}.count",
                                   group))
            summary = summary + [f"largest group of free devices sharing {attrs}: {group}"]
        return finding("error", "constraint_unsatisfiable", obj,
                       f"enough matching devices exist per node, but none of "
                       f"{len(per_node)} node(s) has them with the constraint(s) on {attrs}",
                       summary, (f"set count: {group} (the largest group that shares "
                       f"{attrs}), or drop the constraint" if group else "drop or relax the "
                       "constraint, lower counts so one attribute group (e.g. one PCIe root) "
                       "can hold them, or use firstAvailable with a smaller alternative"))
    return _busy(inv, t, obj, reqs, summary)


def _largest_group(inv, t, reqs, constraints, per_node) -> int:
    """For one request under one matchAttribute: the most free devices sharing a value."""
    match_c = [c for c in constraints if c.get("matchAttribute")]
    if len(reqs) != 1 or len(reqs[0][1]) != 1 or len(match_c) != 1:
        return 0
    rv = reqs[0][1][0]
    domain, _, ident = match_c[0]["matchAttribute"].partition("/")
    best = 0
    for node in per_node:
        devs, _, _ = matching(inv, rv, inv.devices_on(node))
        counts: dict = {}
        for dev in devs:
            if inv.free(dev):
                value = (dev.view["attributes"].get(domain) or {}).get(ident)
                if value is not None:
                    counts[repr(value)] = counts.get(repr(value), 0) + 1
        best = max([best] + list(counts.values()))
    return best if best < rv.count else 0


def _node_summary(per_node) -> list[str]:
    """One line per distinct per-node situation, most common first (a digest)."""
    groups: dict[str, list[str]] = {}
    for node, stats in sorted(per_node.items()):
        line = "; ".join(f"{n}: {s['free']} free of {s['matching']} matching (need "
                         f"{s['need']})" for n, s in stats.items())
        groups.setdefault(line, []).append(node)
    lines = []
    for line, nodes in sorted(groups.items(), key=lambda kv: -len(kv[1]))[:4]:
        who = (f"node {nodes[0]}" if len(nodes) == 1 else
               f"{len(nodes)} nodes ({', '.join(nodes[:2])}{', ...' if len(nodes) > 2 else ''})")
        lines.append(f"{who}: {line}")
    if len(groups) > 4:
        lines.append(f"... and {len(groups) - 4} more kind(s) of node")
    return lines


def _too_big(inv, t, obj, reqs, per_node, summary, changes):
    """Capacity: some request needs more matching devices than any single node has."""
    for index, (name, alts) in enumerate(reqs):
        if any(st[rv.name]["matching"] >= rv.count for st in per_node.values() for rv in alts):
            continue
        rv = max(alts, key=lambda a: max((st[a.name]["matching"] for st in per_node.values()),
                                         default=0))
        most = max((st[rv.name]["matching"] for st in per_node.values()), default=0)
        need = rv.count
        name = rv.name
        if most and len(alts) == 1 and rv.mode != "All":
            changes.append(_change(t.obj, f"{_request_path(t, index)}.count", most))
        return finding("error", "insufficient_devices", obj,
                       f"request {name} wants {need} device(s) on one node, but no node has "
                       f"more than {most} matching device(s) even when all are free",
                       summary, f"set count: {most} (a claim's devices all come from one "
                       "node) and spread the rest over more pods, or add nodes with more "
                       "devices")
    return finding("error", "insufficient_devices", obj,
                   "each request fits on some node, but no single node has enough matching "
                   "devices for all requests of the claim together", summary,
                   "split the requests into separate pods/claims, or lower the counts")


def _busy(inv, t, obj, reqs, summary):
    holders: dict[str, int] = {}
    shared: list[str] = []
    for name, alts in reqs:
        for rv in alts:
            class_devs, _ = inv.class_devices(rv.class_name)
            devs, _, _ = matching(inv, rv, class_devs)
            for dev in devs:
                short = inv.capacity_short(dev, rv.capacity)
                if short:
                    users = ", ".join(claim_label(c) for c in inv.consumers.get(dev.key, []))
                    shared.append(f"shareable device {dev.label()}: {'; '.join(short)}"
                                  + (f" (consumed by {users})" if users else ""))
                    continue
                claim = inv.holders.get(dev.key)
                if claim is not None:
                    users = ", ".join(r.get("name", "") for r in
                                      dig(claim, "status", "reservedFor", default=[]) or [])
                    label = claim_label(claim) + (f" (pod {users})" if users else "")
                    holders[label] = holders.get(label, 0) + 1
    top = sorted(holders.items(), key=lambda kv: -kv[1])[:3]
    evidence = summary + [f"held by {who}: {n} device(s)" for who, n in top]
    if shared and not top:
        # consumable capacity: the matching devices are shared and their capacity is taken
        return finding("error", "insufficient_devices", obj,
                       "the matching devices are shareable (allowMultipleAllocations) and "
                       "the claims allocated on them leave less capacity than this request "
                       "asks for", summary + shared[:4],
                       "ask for less (spec.devices.requests[].exactly.capacity.requests), wait "
                       "for a consuming claim to be deallocated (delete its pod), or widen the "
                       "selectors so another device with room matches")
    return finding("error", "insufficient_devices", obj,
                   "matching devices exist but too few are free on any single node right now"
                   + (f"; top holder {top[0][0]}" if top else ""),
                   evidence, "wait for the holders to finish, lower the count, or free "
                   "devices (delete finished pods whose claims hold them)")
