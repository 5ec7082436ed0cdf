"""`kubectl get resourceslices` tables in a paste: partial evidence of which driver publishes
devices on which node.

The columns are `NAME NODE DRIVER POOL AGE` (k8s.io/kubernetes pkg/printers/internalversion/
printers.go resourceSliceColumnDefinitions: v1.36.0 l.690-695, v1.37.2 l.696-701; the same
header in the 1.32 and 1.33 outputs of dra-driver-nvidia-gpu#330 and #438). A row carries no
devices, and a pasted table may be cut, so a table never proves that a slice is missing. One
thing it does show: when a paste holds the same listing twice (before/after a restart, say),
a node/driver pair the earlier listing had and the last one lacks is a slice that went away.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.get_table import header, rows, to_object
from k8s_skillkit.objects import name_of

SLICE_COLUMNS = ["NAME", "NODE", "DRIVER", "POOL", "AGE"]
# the kubelet deletes a node's ResourceSlices when it starts and when a driver's plugin
# deregisters; the plugin must publish them again
WIPE_SOURCE = ("k8s.io/kubernetes v1.37.2 pkg/kubelet/cm/dra/plugin/dra_plugin_manager.go:180 "
               "(kubelet startup wipes all of the node's ResourceSlices) and :162 (a "
               "deregistered plugin's slices, after a delay)")


def slice_listings(lines: list[str]) -> list[list[dict[str, str]]]:
    """Each pasted `kubectl get resourceslices` table, in paste order, as its rows' cells."""
    out = []
    for index, line in enumerate(lines):
        if re.split(r"\s{2,}", line.strip()) != SLICE_COLUMNS:
            continue
        found = header(line, "resourceslices")
        if found is None:
            continue
        listing = [dict(row["_columns"]) for row in
                   rows(lines[index + 1:], "ResourceSlice", found[1])]
        after = lines[index + 1 + len(listing)] if index + 1 + len(listing) < len(lines) else ""
        if after.strip() and " " not in after.strip() and "`" not in after:
            # one word where a row belongs: the paste (or a store) cut the table there
            listing.append({"NAME": after.strip(), "_cut": "yes"})
        out.append(listing)
    return out


def _rows(listing: list[dict[str, str]]) -> list[dict[str, str]]:
    return [cells for cells in listing if not cells.get("_cut")]


def _cut(listing: list[dict[str, str]]) -> str:
    return next((cells["NAME"] for cells in listing if cells.get("_cut")), "")


def slice_objects(lines: list[str], known) -> list[dict]:
    """Partial ResourceSlice objects for the pasted rows that `known` (the objects read so
    far) lacks: the header names the kind even without a `kubectl get` line above it."""
    names = {name_of(o) for o in known if o.get("kind") == "ResourceSlice"}
    out = []
    for listing in slice_listings(lines):
        for cells in _rows(listing):
            if cells["NAME"] not in names:
                names.add(cells["NAME"])
                out.append(to_object("ResourceSlice", cells))
    return out


def summary(listings: list[list[dict[str, str]]]) -> list[str]:
    """Which driver has slices on which node, per the last pasted listing."""
    if not listings:
        return []
    by_driver: dict[str, list[str]] = {}
    for cells in _rows(listings[-1]):
        by_driver.setdefault(cells.get("DRIVER", "?"), []).append(cells.get("NODE") or
                                                                   "(no node)")
    return [f"ResourceSlice table (partial, no devices): driver {driver} on "
            f"{', '.join(sorted(set(nodes)))}" for driver, nodes in sorted(by_driver.items())]


def vanished(listings: list[list[dict[str, str]]]) -> list[dict]:
    """A node/driver pair that an earlier listing had and the last one lacks (inferred)."""
    if len(listings) < 2:
        return []
    last = {(c.get("NODE", ""), c.get("DRIVER", "")) for c in _rows(listings[-1])}
    cut = _cut(listings[-1])
    gone: dict[str, list[tuple[str, str]]] = {}
    for listing in listings[:-1]:
        for cells in _rows(listing):
            pair = (cells.get("NODE", ""), cells.get("DRIVER", ""))
            # the apiserver lists a cluster-scoped kind in storage-key (= name) order, so a
            # listing cut at `cut` says nothing about names from there on
            after_cut = bool(cut) and cells["NAME"] >= cut
            if pair[0] and pair not in last and not after_cut and (
                    pair[0], cells["NAME"]) not in gone.get(pair[1], []):
                gone.setdefault(pair[1], []).append((pair[0], cells["NAME"]))
    out = []
    for driver, pairs in sorted(gone.items()):
        nodes = [node for node, _ in pairs]
        out.append(finding(
            "warning", "no_resource_slices", {"kind": "ResourceSlice", "name": pairs[0][1]},
            f"driver {driver}'s ResourceSlice for node(s) {', '.join(nodes)} is in an earlier "
            "`kubectl get resourceslices` listing of the paste but not in the last one: its "
            "devices are no longer published there, so claims cannot be allocated on "
            "those nodes",
            [f"earlier: {', '.join(name for _, name in pairs)}; last listing: "
             f"{len(_rows(listings[-1]))} row(s)" + (
                 f", then cut at `{cut}`: slices named from there on (kubectl lists by "
                 "name) are unknown, not gone"
                 if cut else ""),
             WIPE_SOURCE + ": the driver's kubelet plugin must publish again",
             "a pasted table may be cut: a row missing only from the paste is not gone"],
            "check the driver's kubelet plugin pod on those nodes (logs, restart it so it "
            "republishes its ResourceSlices)",
            confirm=f"kubectl get resourceslices --field-selector spec.nodeName={nodes[0]},"
                    f"spec.driver={driver}"))
    return out


def table_drivers(slices: list[dict]) -> dict[str, set[str]]:
    """driver -> nodes, from ResourceSlice objects read from a table (no spec, no devices)."""
    out: dict[str, set[str]] = {}
    for obj in slices:
        cells = obj.get("_columns") or {}
        if obj.get("_source") == "table" and cells.get("DRIVER"):
            out.setdefault(cells["DRIVER"], set()).add(cells.get("NODE") or "(no node)")
    return out


def driver_not_listed(obj: dict, where: str, cls_name: str, wanted: list[str],
                      listed: dict[str, set[str]]) -> dict | None:
    """The class's driver has no row in the pasted `kubectl get resourceslices` list: said
    as what the list shows (inferred), never as proof (a pasted table may be cut)."""
    if not wanted or not listed or set(wanted) & set(listed):
        return None
    return finding(
        "warning", "no_resource_slices", obj,
        f"{where}: no ResourceSlice of driver {wanted[0]}, which DeviceClass {cls_name} "
        f"selects, in the pasted `kubectl get resourceslices` list (drivers in it: "
        f"{', '.join(sorted(listed))})",
        [f"{driver}: slices on {', '.join(sorted(nodes))}"
         for driver, nodes in sorted(listed.items())][:3] +
        ["a table carries no devices and may be cut: confirm before acting"],
        f"install/start the {wanted[0]} DRA driver's kubelet plugin on the nodes (its pods "
        "and logs), or use a DeviceClass of a driver that publishes here",
        confirm=f"kubectl get resourceslices --field-selector spec.driver={wanted[0]}")


def class_drivers(cls: dict) -> list[str]:
    """The drivers a DeviceClass's selectors name (`device.driver == "x"`)."""
    exprs = [str(((sel or {}).get("cel") or {}).get("expression") or "")
             for sel in ((cls.get("spec") or {}).get("selectors") or [])]
    return re.findall(r'device\.driver\s*==\s*"([^"]+)"', " ".join(exprs))


def classes_not_listed(inv) -> list[dict]:
    """check_dra: each DeviceClass whose driver has no row in a pasted slice table."""
    listed = table_drivers(inv.slices)
    if inv.devices or not listed:
        return []
    out = []
    for name, cls in sorted(inv.classes.items()):
        found = driver_not_listed(cls, f"DeviceClass {name}", name, class_drivers(cls), listed)
        if found:
            out.append(found)
    return out


def slice_fragments(fragments: list[dict]) -> list[dict]:
    """A ResourceSlice's `spec:` pasted without its kind (an excerpt of `kubectl get
    resourceslice -o yaml`, or of its spec alone): a mapping with a driver and a list of
    devices is a slice's, read as one (named by its driver and node: its own name is not
    there)."""
    out = []
    for fragment in fragments:
        spec = fragment.get("spec") if isinstance(fragment.get("spec"), dict) else fragment
        if not isinstance(spec.get("driver"), str) or not isinstance(spec.get("devices"), list):
            continue
        name = "-".join(str(part) for part in (spec.get("nodeName"), spec["driver"]) if part)
        out.append({"apiVersion": "resource.k8s.io/v1", "kind": "ResourceSlice",
                    "metadata": {"name": f"{name} (pasted spec)"}, "spec": spec})
    return out
