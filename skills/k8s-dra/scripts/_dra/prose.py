"""What a DRA report says in words about a missing object or a lost driver (basis inferred).

Issue threads often state the decisive fact in a sentence rather than in output: "the
resourceclass is not created", "`kubectl get deviceclasses` doesn't include `gpu.nvidia.com`",
"the driver's socket disappeared ... loss of connection between the driver and kubelet", "a
pod scheduled onto a node even if the allocated device resides on a different node". A
script cannot verify a sentence, so these are warnings with basis `inferred`, the sentence as
evidence and a `confirm` command; they are used only when nothing a component reported and
nothing inferred from objects found a problem (the weakest evidence comes last). The
wordings are the users' (threads cited in references/causes.md, "said in the report"); the
object names are the API kinds of every version (ResourceClass before 1.31, DeviceClass after).
"""
from __future__ import annotations

import re

from k8s_skillkit.event_table import unwrap_free_text
from k8s_skillkit.findings import finding

_NOT = r"(?:not|n't|never)"
_CLASS = r"(?:resource|device)[ -]?class(?:es)?"
# "the resourceclass is not created", "DeviceClass gpu.nvidia.com was never installed"
_CLASS_NOT_CREATED = re.compile(
    rf"\b{_CLASS}\b(?:\s+`?[\w./-]+`?)?\s+(?:is|are|was|were|has|have)\s+{_NOT}\s+(?:been\s+)?"
    r"(?:created|installed|deployed|found|present|there)\b"
    # "The DeviceClass gpu.example.com does not exist", "... is missing"
    rf"|\b{_CLASS}\b(?:\s+`?[\w./-]+`?)?\s+(?:(?:does|do)\s*{_NOT}\s+exists?|doesn't\s+exist|"
    r"(?:is|are|was|were)\s+missing)\b", re.IGNORECASE)
# "`kubectl get deviceclasses` doesn't include `gpu.nvidia.com`"
_CLASS_NOT_LISTED = re.compile(
    rf"\bget\s+{_CLASS}`?\s+(?:does\s*{_NOT}|doesn't|do\s*{_NOT}|don't)\s+"
    r"(?:include|show|list|contain|have)\s+`?([\w./-]+)", re.IGNORECASE)
# "`kubectl get resourceslices` doesn't include any resource with the driver `gpu.nvidia.com`"
_SLICES_NOT_LISTED = re.compile(
    r"\bget\s+resourceslices?`?\s+(?:does\s*not|doesn't|do\s*not|don't)\s+"
    r"(?:include|show|list|contain|have)\b([^.\n]*)", re.IGNORECASE)
# "No ResourceSlice is produced", "no AMD GPU `ResourceSlice` is created", "the API server
# rejects the entire ResourceSlice": the driver runs and publishes nothing the scheduler can
# allocate from (dra-driver-nvidia-gpu#1092, ROCm/gpu-operator#609)
_NO_SLICES = re.compile(
    r"\bno\s+(?:[\w`-]+\s+){0,3}?`?resource[ -]?slices?`?\s+(?:(?:is|are|was|were|gets?|got)"
    r"\s+)?(?:being\s+)?(?:created|produced|published|generated|appear\w*)\b"
    rf"|\bresource[ -]?slices?`?\s+(?:is|are|was|were)\s+{_NOT}\s+(?:being\s+)?"
    r"(?:created|produced|published|generated)\b"
    r"|\brejects?\s+(?:the\s+)?(?:entire\s+|whole\s+)?`?resource[ -]?slices?\b"
    # "there were no resource slices for that node", "the node has no ResourceSlices": what
    # `kubectl get resourceslices` showed, said in words (kubernetes#129310: the driver was not
    # running on the node, so an allocationMode All claim got zero devices on 1.32). Only when
    # the slices end the phrase or a place/time follows: "no ResourceSlice errors" is not it.
    r"|\b(?:there\s+(?:is|are|was|were)|has|have|had)\s+no\s+(?:[\w`-]+\s+){0,2}?`?"
    r"resource[ -]?slices?`?(?=\s*(?:$|[.,;:!?)]|(?:for|on|in|at|from|published|listed|exist\w*|"
    r"left|anymore|yet|whatsoever)\b))"
    r"|\bno\s+(?:[\w`-]+\s+){0,3}?`?resource[ -]?slices?`?\s+(?:exist\w*|(?:is|are|was|were)\s+"
    r"(?:listed|present|there|found))\b",
    re.IGNORECASE)
# "`device.attributes['gpu.nvidia.com'].index` isn't found in ResourceSlice", "the attribute
# `index` is missing": a CEL selector that reads an attribute no device publishes fails on
# every device ("no such key"), so the claim is never allocated (dra-driver-nvidia-gpu#744:
# the driver stopped publishing `index`, #563/#624)
_ATTR_MISSING = re.compile(
    r"(?:device\.(?:attributes|capacity)\[['\"][\w./-]+['\"]\]\.(?P<attr>\w+)|\battributes?\s+`?"
    r"(?P<named>[\w./-]+)`?)`?[^.!?\n]{0,60}?(?:\b(?:is|are|was|were)\s+(?:missing|removed|gone)\b"
    rf"|(?:\b(?:is|are|was|were)\s*{_NOT}|\bisn't|\baren't|\bwasn't|\bno\s+longer|\bnot)\s+"
    r"(?:being\s+)?(?:found|present|published|advertised|exposed|available|there)\b)",
    re.IGNORECASE)
# "the driver's Unix domain socket file disappeared", "loss of connection between the
# dra-example-driver and kubelet"
# ... and "NodePrepareResources never arrives" at the driver, "the kubelet-to-DRA-driver gRPC
# connection sits idle ... deadlock" (modelplaneai/modelplane#419: kindest/node v1.34.0, the
# kubelet deadlock fixed in v1.34.2 by kubernetes#133934)
_CONNECTION_LOST = re.compile(
    r"\b(?:loss of|lost(?: the)?|losing(?: the)?)\s+connection\s+between\s+(?:the\s+)?"
    r"([\w.-]+)(?:\s+(?:driver|plugin))?\s+and\s+(?:the\s+)?kubelet|"
    r"\b(?:driver|plugin)(?:'s)?\s+(?:\w+\s+){0,4}socket(?:\s+file)?\s+(?:\w+\s+){0,2}"
    r"(?:disappeared|vanished|was\s+removed|is\s+gone|went\s+away)|"
    r"`?NodePrepareResources`?\s+(?:call\s+)?(?:never|does\s+not|doesn't)\s+(?:arrives?|reach"
    r"(?:es)?|gets?\s+called|comes?)|"
    r"\bkubelet[- ]to[- ](?:the[- ])?(?:DRA[- ])?(?:driver|plugin)\b[^.\n]{0,60}?"
    r"\b(?:idle|deadlock\w*|hangs?|stuck|lost|broken)\b", re.IGNORECASE)

# "the kubelet plugin pod keeps crashing", "the `nvidia-dra-driver-gpu-kubelet-plugin` pod on
# that node kept crash-looping", "the kubelet-plugin pod remains stuck in `Init:0/1`": the
# driver's kubelet plugin is not running, so it never registers with the kubelet nor publishes
# the node's ResourceSlices (dra-driver-nvidia-gpu#4, #692, #1272).
_PLUGIN_DOWN = re.compile(
    r"\bkubelet[- ]?plugin\b[^.\n]{0,80}?(?:\bcrash\w*|CrashLoopBackOff|\bstuck\s+(?:\w+\s+)?"
    r"`?Init|\bInit:\d+/\d+|\bkeeps?\s+(?:restarting|failing|erroring)|\bfails?\s+to\s+start)"
    # the driver's pod said gone from the node ("driver pod gone", "the driver pods were
    # deleted"): nothing serves the kubelet there, whatever its ResourceSlice still says
    # (kubernetes#141912: slices are the driver's to remove, so they outlive it)
    r"|\bdriver(?:'s)?\s+(?:kubelet[- ]?plugin\s+)?pods?\s+(?:(?:is|are|was|were)\s+)?"
    r"(?:gone|down|deleted|missing|not\s+running)\b"
    # the plugin said not registered with the kubelet (the kubelet's "DRA driver X is not
    # registered" is the same state in its own words)
    r"|\b(?:kubelet[- ]?plugin|(?:DRA\s+)?driver)\b[^.\n]{0,40}?\b(?:is|was|are|were|gets?|got)\s+"
    r"(?:not|never)\s+(?:been\s+)?registered\b",
    re.IGNORECASE)
# every device said allocated already ("All GPUs are already allocated to other claims"): the
# allocator finds no free device that fits (the scheduler's "cannot allocate all claims")
_ALL_ALLOCATED = re.compile(
    r"\b(?:all|every)\s+(?:(?:of\s+)?(?:the|our|my)\s+)?(?:\w+\s+){0,2}?(?:GPUs?|devices?|NICs?|"
    r"accelerators?|NPUs?|TPUs?)\b[^.\n]{0,20}?\b(?:are|were|is|was)\s+(?:already\s+)?(?:allocated|"
    r"in\s+use|taken|claimed|reserved)\b"
    r"|\bno\s+(?:free|available|unallocated)\s+(?:\w+\s+)?(?:GPUs?|devices?)\s+(?:left|remain\w*)\b",
    re.IGNORECASE)


def _paragraphs(lines: list[str]) -> list[str]:
    """Each run of non-blank lines joined (a sentence wrapped by an editor is read whole;
    one a console cut inside a word is glued back first, kit unwrap_free_text)."""
    out, run = [], []
    for line in unwrap_free_text([str(line) for line in lines]) + [""]:
        if str(line).strip():
            run.append(str(line).strip())
            continue
        if run:
            out.append(" ".join(run))
        run = []
    return out


def _sentence(text: str, match: re.Match[str]) -> str:
    before = re.split(r"[.?!]\s", text[:match.start()])[-1]
    after = re.split(r"(?<=[.?!])\s", text[match.end():])[0]
    return " ".join((before + match.group(0) + after).split())[:240]


def findings(lines: list[str]) -> list[dict]:
    """Warnings for what the report says in words, first match of each kind, in rule order."""
    out: list[dict] = []
    seen: set[str] = set()
    for text in _paragraphs(lines):
        for rule, build in _RULES:
            match = rule.search(text)
            if match is None or build.__name__ in seen:
                continue
            seen.add(build.__name__)
            out.append(build(match, _sentence(text, match)))
    if "_connection_lost" not in seen and "_plugin_down" not in seen:
        out += _terminating_after_uninstall("\n".join(str(line) for line in lines))
    return out


# Pods whose DRA claims the kubelet prepared stay Terminating until the driver's kubelet plugin
# unprepares them (NodeUnprepareResources); uninstalling the driver (its operator or chart)
# while they run removes the plugin first, so they never finish (kubernetes#129402, intended
# kubelet behaviour; NVIDIA/gpu-operator#2571: `helm uninstall gpu-operator` with pods on
# adminAccess claims)
_UNINSTALLED = re.compile(r"\brelease \\?\"?[\w.-]+\\?\"? uninstalled\b|"
                          r"\b(?:helm\s+(?:uninstall|delete)|uninstall(?:ed|ing)?\s+(?:the\s+)?"
                          r"(?:[\w.-]+\s+)?(?:driver|operator|chart))\b", re.IGNORECASE)
_TERMINATING_ROW = re.compile(r"^(?:\S+\s+)?\S+\s+\d+/\d+\s+Terminating\b", re.MULTILINE)
_USES_CLAIMS = re.compile(r"\bResourceClaim(?:Template)?s?\b|\bDRA\s+claims?\b", re.IGNORECASE)


def _terminating_after_uninstall(text: str) -> list[dict]:
    removed, stuck = _UNINSTALLED.search(text), _TERMINATING_ROW.findall(text)
    if not (removed and stuck and _USES_CLAIMS.search(text)):
        return []
    return [finding("warning", "driver_not_registered", {"kind": "Node", "name": ""},
                    "pods that hold prepared DRA claims stay Terminating after the driver was "
                    "uninstalled: the kubelet finishes a pod only once the driver's kubelet "
                    "plugin has unprepared its claims (NodeUnprepareResources), and that plugin "
                    "is gone", [f"in the text: {removed.group(0)}", stuck[0].strip()],
                    "reinstall the driver (its kubelet plugin) so it can unprepare the claims, "
                    "let the pods finish, then uninstall it after deleting the workloads that "
                    "use its claims; force-deleting the pods leaves the devices prepared on the "
                    "node", basis="inferred",
                    confirm="kubectl get pods -A -o wide | grep -i kubelet-plugin; "
                            "ls /var/lib/kubelet/plugins_registry on the node")]


def _class_missing(match: re.Match[str], said: str) -> dict:
    name = match.group(1) if match.re is _CLASS_NOT_LISTED else ""
    what = f"DeviceClass {name}" if name else "the DeviceClass (ResourceClass before 1.31)"
    return finding("warning", "device_class_missing", {"kind": "DeviceClass", "name": name},
                   f"the report says {what} the claims name does not exist: the scheduler "
                   "cannot allocate a claim whose class is missing (its driver's Helm chart "
                   "creates it, or the class name is wrong)", [f"in the text: {said}"],
                   "install the driver part that creates the class, or fix deviceClassName",
                   basis="inferred", confirm="kubectl get deviceclasses (resourceclasses "
                   "before 1.31)")


def _slices_missing(match: re.Match[str], said: str) -> dict:
    return finding("warning", "no_resource_slices", {"kind": "ResourceSlice", "name": ""},
                   "the report says the driver publishes no ResourceSlice for these devices: "
                   "nothing can be allocated until its kubelet plugin runs on the node and "
                   "publishes them", [f"in the text: {said}"],
                   "check the driver's kubelet plugin pods and Helm values (the part that "
                   "serves these devices enabled?) and its log",
                   basis="inferred", confirm="kubectl get resourceslices -o wide")


def _attribute_missing(match: re.Match[str], said: str) -> dict:
    attr = match.group("attr") or match.group("named") or ""
    return finding("warning", "selector_error", {"kind": "ResourceClaim", "name": ""},
                   f"the report says the attribute {attr or 'a selector reads'} is not in the "
                   "driver's ResourceSlices: a CEL selector that reads an attribute a device "
                   "does not publish fails on that device (no such key), so no device "
                   "matches and the claim is never allocated (drivers add and drop "
                   "attributes between releases)", [f"in the text: {said}"],
                   "select by an attribute the installed driver publishes (kubectl get "
                   "resourceslices -o yaml shows them), or guard it: '\"ATTR\" in "
                   "device.attributes[\"DOMAIN\"] && ...'",
                   basis="inferred", confirm="kubectl get resourceslices -o yaml | grep -A40 "
                   "attributes")


def _connection_lost(match: re.Match[str], said: str) -> dict:
    return finding("warning", "driver_not_registered", {"kind": "Node", "name": ""},
                   "the report says the kubelet lost its connection to the DRA driver's kubelet "
                   "plugin: without it NodePrepareResources/NodeUnprepareResources cannot be "
                   "called, so pods hang in ContainerCreating and Terminating",
                   [f"in the text: {said}"],
                   "restart the driver's kubelet plugin on the node (it re-registers); upgrade "
                   "the kubelet if it drops idle plugin connections (kubernetes#133934)",
                   basis="inferred", confirm="journalctl -u kubelet | grep -i -e 'DRA plugin' "
                   "-e plugins_registry; ls /var/lib/kubelet/plugins_registry")


def _plugin_down(match: re.Match[str], said: str) -> dict:
    return finding("warning", "driver_not_registered", {"kind": "Pod", "name": ""},
                   "the report says the DRA driver's kubelet plugin pod does not run (crash "
                   "loop or stuck init): it never registers with the kubelet nor publishes the "
                   "node's ResourceSlices, so nothing there can be allocated or prepared",
                   [f"in the text: {said}"],
                   "read why it stops: kubectl logs on the plugin pod (--previous, and -c for "
                   "the init container); a driver library or driver root not found is fixed "
                   "in the Helm values (e.g. the NVIDIA driver root) or on the host",
                   basis="inferred", confirm="kubectl get pods -A -o wide | grep kubelet-plugin;"
                   " kubectl logs <plugin pod> -n <namespace> --all-containers --previous")


# "matchAttribute cannot match across drivers", "constraints using matchAttribute fail": the
# allocator needs every device of the constrained requests to carry the attribute, under the
# same fully qualified name, with one value; a device without it never matches (DRA v0.37.2
# structured/internal/stable/allocator_stable.go matchAttributeConstraint.add: "Doesn't have
# the attribute"), so a driver publishing it under its own domain makes the claim unallocatable
# (intel/intel-resource-drivers-for-kubernetes#60: gpu.intel.com/pciRoot beside DRAnet's
# resource.kubernetes.io/pcieRoot)
_CONSTRAINT_FAILS = re.compile(
    r"\b(?:match|distinct)[ -]?attributes?\b`?[^.!?\n]{0,80}?(?:\b(?:cannot|can't|can\s+not|"
    r"never|won't|will\s+not|does\s*n[o']t|do\s*n[o']t|is\s*n[o']t)\s+(?:\w+\s+){0,2}?"
    r"(?:match\w*|be\s+(?:satisfied|met)|work\w*|align\w*)|\bfail\w*|\bunsatisfiable)\b"
    r"|\bconstraints?\b[^.!?\n]{0,40}?\b(?:match|distinct)[ -]?attributes?\b`?[^.!?\n]{0,40}?"
    r"\bfail\w*"
    # "the matchAttribute constraint requires ... the same pciRoot, but no two devices do"
    r"|(?:match|distinct)[ -]?attributes?\b[^.!?\n]{0,100}?\bbut\s+(?:no|none|not)\b",
    re.IGNORECASE)


def _constraint_fails(match: re.Match[str], said: str) -> dict:
    return finding("warning", "constraint_unsatisfiable", {"kind": "ResourceClaim", "name": ""},
                   "the report says a matchAttribute/distinctAttribute constraint cannot be "
                   "met: every device of the constrained requests must carry the attribute, "
                   "under the same fully qualified name, with one value (distinct: different "
                   "values); a device without it never matches, so the claim is never "
                   "allocated", [f"in the text: {said}"],
                   "constrain on an attribute every driver of the requests publishes under one "
                   "name (kubectl get resourceslices -o yaml shows each device's attributes), "
                   "or drop the constraint",
                   basis="inferred", confirm="kubectl get resourceslices -o yaml | grep -B2 -A2 "
                   "-i -e pcieRoot -e pciRoot; kubectl get resourceclaim NAME -o yaml")


# "pod1 [is] successfully scheduled onto a node (worker-1) even if the allocated device
# physically resides on a different node", "skipping node selector validation": the report
# says the scheduler put a pod on a node its claim's allocation does not select. The
# DynamicResources plugin's Filter refuses such nodes (K8S v1.37.2 dynamicresources.go:977,
# availableOnNodes from the allocation's nodeSelector), so a pod placed there means the plugin
# skipped that check: a scheduler bug (pods of a PodGroup reusing a shared pending allocation,
# kubernetes#140087, fixed by PR #140089). A pod given spec.nodeName by hand bypasses the
# scheduler instead and the kubelet refuses it (claim_not_reserved_for_pod): confirm tells.
_PLACED_ELSEWHERE = re.compile(
    r"\bscheduled\s+(?:on|onto|to)\s+(?:a\s+|another\s+|the\s+wrong\s+)?node\b[^.!?\n]{0,80}?"
    r"\b(?:even\s+(?:if|though)|although|though|while|but|whereas)\b[^.!?\n]{0,60}?"
    r"\b(?:device|claim|allocation)s?\b[^.!?\n]{0,60}?\b(?:different|another|other)\s+node\b",
    re.IGNORECASE)
_SELECTOR_CHECK_SKIPPED = re.compile(
    r"\b(?:skip|skips|skipped|skipping|bypass|bypasses|bypassed|bypassing)\s+(?:the\s+)?"
    r"(?:allocation's\s+|claim's\s+)?node[ -]?selector\s+(?:check|validation|match)\w*"
    r"|\bnode[ -]?selector\s+(?:check|validation)\s+(?:is\s+|was\s+|gets?\s+|got\s+)?"
    r"(?:skipped|bypassed)\b", re.IGNORECASE)


def _wrong_node(match: re.Match[str], said: str) -> dict:
    return finding("warning", "scheduler_plugin_error", {"kind": "Pod", "name": ""},
                   "the report says the scheduler placed a pod on a node its claim's "
                   "allocation does not select: the DynamicResources plugin refuses such nodes "
                   "in Filter, so placing it there means the plugin skipped that check (a "
                   "scheduler bug)", [f"in the text: {said}"],
                   "upgrade kube-scheduler (a known trigger: pods of a PodGroup sharing one "
                   "claim, fixed in 1.37 development, v1.37.2 has it); meanwhile give each pod "
                   "its own claim, and delete the misplaced pod so it is scheduled again",
                   basis="inferred",
                   confirm="kubectl get resourceclaim <claim> -n <ns> -o jsonpath="
                           "'{.status.allocation.nodeSelector}'; kubectl get pod <pod> -n <ns> "
                           "-o jsonpath='{.spec.nodeName}' (a node the selector does not match, "
                           "with the pod scheduled by kube-scheduler and not given nodeName by "
                           "hand)")


def _all_allocated(match: re.Match[str], said: str) -> dict:
    return finding("warning", "insufficient_devices", {"kind": "ResourceClaim", "name": ""},
                   "the report says every matching device is allocated already: the scheduler "
                   "finds no free device for the claim (\"cannot allocate all claims\") until "
                   "a claim that holds one is deallocated",
                   [f"in the text: {said}"],
                   "free a device (delete a pod and its claim, or share one claim), add "
                   "devices, or ask for fewer (count, allocationMode)",
                   basis="inferred", confirm="kubectl get resourceclaims -A -o wide (which "
                   "claims hold devices); kubectl get resourceslices -o yaml (the devices)")



# The states a report says in words that each have one cause id (references/causes.md): the
# wording is the user's, the id is what the component would have reported for that state.
# "the ResourceClaimTemplate ... does not exist" (resourceclaim controller: "resource claim
# template ... not found", claim_template_missing); the DynamicResourceAllocation gate said off
# (dra_feature_disabled); resource.k8s.io said not served (dra_api_missing); a CEL selector said
# to fail evaluating (selector_error: "CEL runtime error"); a claim said stuck deallocating
# (claim_deallocating); a device said tainted and not tolerated (device_taint_not_tolerated);
# no device said to match the request (no_matching_device).
_TEMPLATE_MISSING = re.compile(
    rf"\bResource ?Claim ?Templates?\b(?:\s+`?[\w./-]+`?)?[^.!?\n]{{0,40}}?\b(?:(?:does|do)\s*"
    rf"{_NOT}\s+exists?|doesn't\s+exist|(?:is|are|was|were)\s+(?:missing|deleted|{_NOT}\s+"
    r"(?:been\s+)?(?:found|created|there|present))|not\s+found)\b", re.IGNORECASE)
_GATE_OFF = re.compile(
    rf"\bDynamicResourceAllocation\b`?(?:\s+feature)?(?:\s+gate)?[^.!?\n]{{0,40}}?\b(?:(?:is|was|"
    rf"are|were)\s+{_NOT}\s+(?:\w+\s+)?(?:enabled|on|set)|(?:is|was|are|were)\s+(?:disabled|off)|"
    r"isn't\s+enabled|not\s+enabled|disabled)\b", re.IGNORECASE)
_API_UNSERVED = re.compile(
    rf"\bresource\.k8s\.io(?:/v\w+)?`?[^.!?\n]{{0,30}}?\b(?:(?:is|was|are|were)\s*{_NOT}\s+"
    r"(?:being\s+)?(?:served|enabled|available)|isn't\s+(?:served|enabled|available)|"
    r"not\s+(?:served|enabled|available))\b", re.IGNORECASE)
_CEL_FAILS = re.compile(
    r"\bCEL\b[^.!?\n]{0,60}?\b(?:fails?\s+to\s+(?:evaluate|compile)|failed\s+to\s+(?:evaluate|"
    r"compile)|runtime\s+error|evaluation\s+(?:error|fails?|failed)|errors?\s+out)\b"
    r"|\bno\s+such\s+key\b", re.IGNORECASE)
_DEALLOCATING = re.compile(
    r"\bclaims?\b[^.!?\n]{0,60}?\b(?:stuck|hangs?|hanging|remains?|stays?)\s+(?:in\s+)?"
    r"(?:deallocat\w*|(?:being\s+)?deallocated)\b"
    r"|\bclaims?\b[^.!?\n]{0,60}?\b(?:is|was|are|were)\s+(?:never|not)\s+deallocated\b"
    r"|\bclaims?\b[^.!?\n]{0,40}?\bstill\s+(?:allocated|reserved)\b[^.!?\n]{0,40}?\bafter\s+"
    r"(?:the\s+)?pods?\b[^.!?\n]{0,20}?\b(?:deleted|terminated|gone|finished|completed)\b",
    re.IGNORECASE)
_TAINT_UNTOLERATED = re.compile(
    r"\bdevices?\b[^.!?\n]{0,40}?\b(?:is|are|was|were|gets?|got)\s+tainted\b"
    r"|\b(?:device\s+taints?|DeviceTaintRules?)\b[^.!?\n]{0,80}?(?:\bnot\s+tolerat\w*|"
    r"\buntolerated|\bdo(?:es)?\s*n[o']?t\s+tolerate|\bevict\w*|\bNoSchedule|\bNoExecute)"
    r"|(?:\bnot\s+tolerat\w*|\buntolerated|\bdo(?:es)?\s*n[o']?t\s+tolerate)[^.!?\n]{0,60}?"
    r"\bdevice\s+taints?\b", re.IGNORECASE)
_NO_DEVICE_MATCHES = re.compile(
    r"\bno\s+(?:\w+\s+)?devices?\s+(?:matches|match|satisfies|satisfy|fits|fit|selected)\b"
    r"|\bnone\s+of\s+the\s+(?:\w+\s+)?devices?\s+(?:matches|match|satisfies|satisfy|fits|fit)\b"
    r"|\bselectors?\b[^.!?\n]{0,40}?\b(?:matches|match|selects?)\s+no\s+(?:\w+\s+)?devices?\b"
    r"|\bselectors?\b[^.!?\n]{0,40}?\b(?:does\s*n[o']?t|do\s*n[o']?t)\s+(?:match|select)\s+"
    r"any\s+(?:\w+\s+)?devices?\b", re.IGNORECASE)


def _said(cause: str, kind: str, lead: str, fix: str, confirm: str):
    def build(match: re.Match[str], said: str) -> dict:
        return finding("warning", cause, {"kind": kind, "name": ""}, f"the report says {lead}",
                       [f"in the text: {said}"], fix, basis="inferred", confirm=confirm)
    build.__name__ = f"_said_{cause}"
    return build


_template_missing = _said(
    "claim_template_missing", "ResourceClaimTemplate",
    "the ResourceClaimTemplate the pod names does not exist in its namespace: the resourceclaim "
    "controller cannot generate the pod's claim, so the pod waits", "create the template in the "
    "pod's namespace (or fix spec.resourceClaims[].resourceClaimTemplateName)",
    "kubectl get resourceclaimtemplates -n <ns>; kubectl get pod <pod> -n <ns> -o jsonpath="
    "'{.spec.resourceClaims}'")
_gate_off = _said(
    "dra_feature_disabled", "Node",
    "the DynamicResourceAllocation feature gate is off: every component that takes part (API "
    "server, scheduler, controller-manager, kubelet) needs it before 1.34 (GA in 1.34)",
    "enable --feature-gates=DynamicResourceAllocation=true on each of them (and the "
    "resource.k8s.io API version with --runtime-config before 1.34)",
    "kubectl get --raw /metrics | grep 'kubernetes_feature_enabled{name=\"DynamicResourceAllocation\"'")
_api_unserved = _said(
    "dra_api_missing", "APIService",
    "the resource.k8s.io API version in use is not served: claims, classes and slices of that "
    "version cannot be created or read",
    "use a version the API server serves, or enable it (--runtime-config=resource.k8s.io/<version>"
    "=true before it is on by default)", "kubectl api-versions | grep resource.k8s.io")
_cel_fails = _said(
    "selector_error", "ResourceClaim",
    "a CEL selector fails to evaluate on a device (a missing attribute, a type mismatch): the "
    "allocation fails, so the claim is never allocated",
    "guard optional attributes ('\"ATTR\" in device.attributes[\"DOMAIN\"] && ...') and compare "
    "like types (quantities with quantity(), versions with semver())",
    "kubectl describe pod <pod> -n <ns> (FailedScheduling: 'CEL runtime error'); kubectl get "
    "resourceslices -o yaml")
_deallocating = _said(
    "claim_deallocating", "ResourceClaim",
    "a claim stays allocated or deallocating after its pod: until the kubelet and the driver "
    "unprepare it (or its finalizer is removed), its devices are not free",
    "check the driver's kubelet plugin on the node (NodeUnprepareResources errors) and the "
    "claim's finalizers and status.reservedFor",
    "kubectl get resourceclaim <claim> -n <ns> -o yaml (metadata.finalizers, "
    "status.reservedFor, status.deallocationRequested before 1.32)")
_taint_untolerated = _said(
    "device_taint_not_tolerated", "ResourceClaim",
    "a device is tainted and the claim does not tolerate the taint: the allocator skips it "
    "(NoSchedule), or the device taint eviction controller deletes the pods using it (NoExecute)",
    "add a matching toleration to the claim's request (spec.devices.requests[].tolerations), or "
    "remove the taint (the DeviceTaintRule, or the driver's slice taint)",
    "kubectl get resourceslices -o yaml | grep -B3 -A5 taints; kubectl get devicetaintrules")
_no_device_matches = _said(
    "no_matching_device", "ResourceClaim",
    "no device matches the claim's request: its selectors (with the DeviceClass's) select none of "
    "the devices the drivers publish, so the claim is never allocated",
    "compare the request's and the class's selectors with the devices' attributes and capacity "
    "(kubectl get resourceslices -o yaml), and fix the selector or the class",
    "kubectl get resourceslices -o yaml; kubectl get resourceclaim <claim> -n <ns> -o yaml")


_RULES = ((_TEMPLATE_MISSING, _template_missing),
          (_CLASS_NOT_CREATED, _class_missing), (_CLASS_NOT_LISTED, _class_missing),
          (_SLICES_NOT_LISTED, _slices_missing), (_NO_SLICES, _slices_missing),
          (_ATTR_MISSING, _attribute_missing),
          (_CONSTRAINT_FAILS, _constraint_fails),
          (_CONNECTION_LOST, _connection_lost),
          (_PLUGIN_DOWN, _plugin_down),
          (_PLACED_ELSEWHERE, _wrong_node), (_SELECTOR_CHECK_SKIPPED, _wrong_node),
          (_ALL_ALLOCATED, _all_allocated),
          (_GATE_OFF, _gate_off), (_API_UNSERVED, _api_unserved), (_CEL_FAILS, _cel_fails),
          (_DEALLOCATING, _deallocating), (_TAINT_UNTOLERATED, _taint_untolerated),
          (_NO_DEVICE_MATCHES, _no_device_matches))
