"""Topology-aware scheduling (TAS): what Kueue's not-fit message says, and at which level.

Kueue v0.19.2 words (pkg/cache/scheduler/tas_flavor_snapshot.go):
- l.2006/2008 `topology "T" doesn't allow to fit any of M pod(s)` /
  `topology "T" allows to fit only N out of M pod(s)` (`slice(s)` when the pod set asks for
  slices, v0.13+; `pod(s)` only before);
- l.2013/2065 `. Total nodes: K; excluded: nodeSelector: a, affinity: b, taint "t": c,
  resource "r": d` (v0.16+): why nodes were not counted at all;
- l.2037/2060 `topology "T" doesn't allow to fit; n/m slice(s) fit on level L` (v0.17+,
  podset-slice-required-topology-constraints): the best domain's count per slice layer;
- l.1342 `no topology domains at level: L` (v0.9+): no node carries the level's label.

What N counts depends on the pod set's request (findLevelWithFitDomains, l.1336-1440):
- required level L: Kueue looks at the domains of level L only and N is what the best
  single domain of L holds now (l.1390);
- preferred level L: Kueue climbs to the levels above L when no domain of L fits, and fails
  only at the top level, so N is what the whole flavor's topology holds now (l.1392-1393, l.1435-1436);
- unconstrained: the whole topology too.
"""
from __future__ import annotations

import re

from k8s_skillkit.objects import dig

REQUIRED = "kueue.x-k8s.io/podset-required-topology"
PREFERRED = "kueue.x-k8s.io/podset-preferred-topology"
UNCONSTRAINED = "kueue.x-k8s.io/podset-unconstrained-topology"

_FIT = re.compile(r"topology \"?(?P<topology>[^\" ]+)\"? (?:doesn'?t allow to fit any of "
                  r"(?P<total0>\d+)|allows to fit only (?P<fit>-?\d+) out of (?P<total>\d+)) "
                  r"(?P<unit>pod|slice)\(s\)")
_LAYERS = re.compile(r"topology \"?(?P<topology>[^\" ]+)\"? doesn'?t allow to fit"
                     r"(?P<layers>(?:; \d+/\d+ slice\(s\) fit on level [^;\s]+)+)")
_LAYER = re.compile(r"(\d+)/(\d+) slice\(s\) fit on level ([^;\s]+)")
_EXCLUDED = re.compile(r"Total nodes: (?P<nodes>\d+); excluded: (?P<reasons>.+?)"
                       r"(?=; couldn't|; \S+ pod set|\.\s*$|$)")
_REASON = re.compile(r"(?P<what>nodeSelector|affinity|topologyDomain|schedulerLibraryNoFit|"
                     r"taint \"[^\"]*\"|resource \"[^\"]*\"): (?P<n>\d+)")
_MISSING_LEVEL = re.compile(r"Flavor \"?(?P<flavor>[^\" ]+)\"? does not contain the requested "
                            r"level|no requested topology level(?: for slices)?: (?P<level>\S+)")
_NO_DOMAINS = re.compile(r"no topology domains at level:? (?P<level>\S+)")


def parse(message: str) -> dict:
    """The numbers of a TAS not-fit message ({} when the message has none)."""
    out: dict = {}
    layers = _LAYERS.search(message or "")
    if layers:
        out["topology"] = layers["topology"]
        out["layers"] = [{"fit": int(f), "need": int(n), "level": lvl.rstrip(".")}
                         for f, n, lvl in _LAYER.findall(layers["layers"])]
    else:
        fit = _FIT.search(message or "")
        if fit:
            out["topology"] = fit["topology"]
            out["fit"] = int(fit["fit"]) if fit["fit"] is not None else 0
            out["total"] = int(fit["total"] or fit["total0"])
            out["unit"] = fit["unit"]
    excluded = _EXCLUDED.search(message or "")
    if excluded:
        out["nodes"] = int(excluded["nodes"])
        out["excluded"] = {m["what"]: int(m["n"]) for m in _REASON.finditer(excluded["reasons"])}
    none_at = _NO_DOMAINS.search(message or "")
    if none_at:
        out["no_domains_level"] = none_at["level"]
    return out


def requests(wl: dict) -> dict[str, tuple[str, str]]:
    """Pod set name -> (mode, level): mode required / preferred / unconstrained / implicit.

    Read from spec.podSets[].topologyRequest (Kueue copies the annotations there) or, for an
    older or partial Workload, from the pod template's annotations."""
    out: dict[str, tuple[str, str]] = {}
    for podset in dig(wl, "spec", "podSets", default=[]) or []:
        name = str(podset.get("name") or "main")
        request = podset.get("topologyRequest") or {}
        anns = dig(podset, "template", "metadata", "annotations", default={}) or {}
        if request.get("required") or anns.get(REQUIRED):
            out[name] = ("required", str(request.get("required") or anns.get(REQUIRED)))
        elif request.get("preferred") or anns.get(PREFERRED):
            out[name] = ("preferred", str(request.get("preferred") or anns.get(PREFERRED)))
        elif request.get("unconstrained") or anns.get(UNCONSTRAINED):
            out[name] = ("unconstrained", "")
        elif request:
            out[name] = ("implicit", "")
    return out


def summary(wl: dict, podset: str, message: str) -> str:
    """One sentence naming the level and how many pods fit; '' when the message has no count."""
    facts = parse(message)
    mode, level = requests(wl).get(podset, ("", ""))
    if facts.get("no_domains_level"):
        return (f"no node of the flavor carries the topology level label "
                f"{facts['no_domains_level']}, so TAS has no domain to place pod set "
                f"{podset or '?'} in")
    missing = _MISSING_LEVEL.search(message or "")
    if missing:
        flavor = f"flavor {missing['flavor']}" if missing["flavor"] else "the flavor"
        return (f"{flavor} has a Topology without the level "
                f"{missing['level'] or level or '(the one requested)'} that pod set "
                f"{podset or '?'} asks for"
                f"{' (' + mode + ')' if mode else ''}: use a level of that Topology or add it")
    if facts.get("layers"):
        worst = min(facts["layers"], key=lambda lay: lay["fit"] - lay["need"])
        return (f"topology {facts['topology']}: in the best domain"
                f"{' of required level ' + level if mode == 'required' else ''}, only "
                f"{worst['fit']} of {worst['need']} slice(s) fit on level {worst['level']}")
    if "total" not in facts:
        return ""
    unit, fit, total = facts["unit"], facts["fit"], facts["total"]
    where = {"required": f"one domain of the required level {level}",
             "preferred": f"the whole topology (preferred level {level} was relaxed up to "
                          "the top level)",
             "unconstrained": "the whole topology"}.get(mode, "")
    if not where:
        where = ("one domain of its required level, or the whole topology if the level is "
                 "only preferred")
    return (f"topology {facts['topology']}: only {fit} of the {total} {unit}(s) of pod set "
            f"{podset or '?'} fit in {where} with the nodes free now")


def evidence(wl: dict, podset: str, message: str) -> list[str]:
    """Exclusions and the request, as lines of evidence."""
    facts, out = parse(message), []
    mode, level = requests(wl).get(podset, ("", ""))
    if mode:
        out.append(f"pod set {podset} asks topology {mode}{' ' + level if level else ''}"
                   + (f" ({REQUIRED}); a domain of {level} that fits must exist now: relaxing "
                      f"it to {PREFERRED} lets Kueue spread the pods over several domains"
                      if mode == "required" else ""))
    if facts.get("excluded"):
        parts = ", ".join(f"{k}: {v}" for k, v in facts["excluded"].items())
        out.append(f"of the flavor's {facts['nodes']} nodes, Kueue did not count {parts} "
                   "(nodeSelector/affinity/taint: the pod template excludes them; resource: "
                   "too little free on the node for one pod)")
    return out
