#!/usr/bin/env python3
"""Validate Kubernetes manifests offline: schema check plus best-practice rules."""
from __future__ import annotations

import os
import re
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import SEVERITIES, exit_code, finding, render_text
from k8s_skillkit.loading import load_objects

from _manifest.admission import REJECTING, admit
from _manifest.rules import run_rules
from _manifest.openapi import validate
from _manifest.rules_objects import OUTDATED_CRDS, removed_entry
from _manifest.schema_store import ENV_VAR, load_store

DEFAULT_KUBE_MINOR = 37  # harness/pins.py KUBERNETES; the schema file says which it was built from
TEXT_LIMIT = 40

EPILOG = f"""\
examples:
  validate_manifest.py -f app.yaml
  helm template my-release ./chart | validate_manifest.py -f -
  kubectl get deploy,svc -n prod -o yaml | validate_manifest.py -f - --json
  validate_manifest.py -f job.yaml --kube-version 1.33 --fail-on error

what it checks (what the apiserver and the webhooks would reject, then best practice):
  1. schema: unknown fields, types, required fields, enums, limits, list keys, against the
     OpenAPI schemas of Kubernetes and of the Kueue (v1beta1 + v1beta2), JobSet,
     LeaderWorkerSet, Gateway API (standard + experimental) and Inference Extension CRDs,
     pinned to the versions the local cluster runs (assets/schemas/, shipped with the
     skill; --schemas DIR or ${ENV_VAR} override it). CRDs in the same file are learnt.
  2. CRD validation rules (x-kubernetes-validations, CEL) with the CRD's own messages; a
     rule it cannot evaluate is reported as rule_not_checked, never as passed.
  3. the apiserver's Go validation no schema expresses (selector vs template labels,
     names, ports, probes, requests vs limits, extended resources, Job completion modes,
     PDB, DRA requests) and Kueue v0.19's admission webhooks (resource groups,
     borrowing/lending limits, flavor order, queue-name label).
  4. with --live FILE (kubectl get -o yaml output): immutable fields and CEL transition
     rules, as for an update of those objects.
  5. best-practice rules: security context, requests/limits, probes, images, GPUs, Kueue,
     Jobs, PDB/HPA/Service cross-checks. Every finding id is in references/rules.md.
  --json adds "admission": {{"rejected": true|false, "not_checked": [...]}}. Finish with
  `kubectl apply --dry-run=server -f FILE`: the server is the final word.

exit codes: 0 nothing at or above --fail-on, 1 findings, 2 bad input (malformed YAML, an
empty file, an unknown apiVersion/kind) with one line on stderr.
"""


def build_parser():
    parser = make_parser(__doc__.strip(), EPILOG)
    parser.add_argument("-f", "--filename", required=True, metavar="FILE",
                        help="manifest file (multi-document YAML, JSON, a List) or - for stdin")
    parser.add_argument("--schemas", metavar="DIR",
                        help="folder holding k8s-schemas.json.gz (overrides the bundled one)")
    parser.add_argument("--kube-version", metavar="1.N",
                        help="target Kubernetes version for removed/deprecated API checks "
                             f"(default 1.{DEFAULT_KUBE_MINOR})")
    parser.add_argument("--fail-on", choices=SEVERITIES, default="warning",
                        help="lowest severity that makes the exit code 1 (default warning)")
    parser.add_argument("--allow-unknown", action="store_true",
                        help="report kinds without a schema as a warning instead of exit 2 "
                             "(third-party CRDs in Helm output)")
    parser.add_argument("--live", metavar="FILE",
                        help="the objects as they are in the cluster (kubectl get -o yaml); "
                             "validates FILE as an update of them")
    parser.add_argument("--all", action="store_true",
                        help=f"print every finding (text mode shows the first {TEXT_LIMIT})")
    return parser


def body(args):
    objects = load_objects(args.filename)
    _require_identity(objects)
    kube_minor = _kube_minor(args.kube_version)
    store, skipped = load_store(args.schemas)
    if store is None:
        print(f"schema validation skipped: {skipped}; unknown kinds are not detected",
              file=sys.stderr)
    else:
        for obj in objects:
            if obj.get("kind") == "CustomResourceDefinition":
                store.add_crd(obj)
    live = _live_index(load_objects(args.live)) if args.live else {}
    findings, not_checked, mistyped = [], [], set()
    for index, obj in enumerate(objects):
        found, skipped_rules, well_typed = _admission_findings(store, obj, index,
                                                               args.allow_unknown, live)
        findings += found
        not_checked += skipped_rules
        if not well_typed:
            mistyped.add(id(obj))
    findings += run_rules(objects, kube_minor, mistyped)
    return _payload(objects, findings, store, skipped, args, not_checked)


def _require_identity(objects):
    for index, obj in enumerate(objects):
        missing = [k for k in ("apiVersion", "kind") if not obj.get(k)]
        if missing:
            raise InputError(f"object {index + 1}: missing {' and '.join(missing)}: every "
                             "manifest needs apiVersion and kind")


def _kube_minor(text):
    if not text:
        return DEFAULT_KUBE_MINOR
    match = re.fullmatch(r"v?1\.(\d+)(\.\d+)?", text.strip())
    if not match:
        raise InputError(f"--kube-version {text}: expected a version like 1.33")
    return int(match.group(1))


def _admission_findings(store, obj, index, allow_unknown, live) -> tuple[list, list, bool]:
    """(findings, rules not checked, well typed?) for one object."""
    if store is None:
        return [], [], True
    api, kind = str(obj["apiVersion"]), str(obj["kind"])
    if store.schema_for(api, kind) is None:
        if removed_entry(api, kind) or (api, kind) in OUTDATED_CRDS:
            return [], [], True  # the removed/deprecated API rules explain these
        return [_unknown_kind(store, obj, index, allow_unknown)], [], True
    verdict = admit(store, obj, live.get(_identity(obj)))
    extra = [] if verdict.rejected else _experimental_fields(store, obj)
    return verdict.findings + extra, verdict.not_checked, verdict.well_typed


def _identity(obj: dict) -> tuple:
    """Objects match across versions of a group: (group, kind, namespace, name)."""
    api = str(obj.get("apiVersion", ""))
    meta = obj.get("metadata") or {}
    return (api.split("/")[0] if "/" in api else "", obj.get("kind"),
            meta.get("namespace") or "", meta.get("name") or "")


def _live_index(objects: list[dict]) -> dict:
    return {_identity(o): o for o in objects}


def _experimental_fields(store, obj) -> list[dict]:
    """Valid against Gateway API experimental CRDs but not the standard channel ones."""
    standard = store.standard_schema_for(str(obj["apiVersion"]), str(obj["kind"]))
    if standard is None:
        return []
    extra = [e for e in validate(obj, standard, store.definitions) if e.startswith("unknown")]
    if not extra:
        return []
    return [finding("warning", "gateway_experimental_field", obj,
                    "uses fields that exist only in the Gateway API experimental channel",
                    extra[:12], "install the experimental-channel CRDs, or remove these fields "
                    "for clusters with the standard channel")]


def _unknown_kind(store, obj, index, allow_unknown) -> dict:
    api, kind = obj["apiVersion"], obj["kind"]
    message = f"unknown apiVersion/kind {api} {kind}{_known_hint(store, api, kind)}"
    if not allow_unknown:
        name = (obj.get("metadata") or {}).get("name", "?")
        raise InputError(f"object {index + 1} ({kind}/{name}): {message} "
                         "(pass --allow-unknown to skip kinds without a schema)")
    return finding("warning", "unknown_kind", obj, message, [f"apiVersion: {api}"],
                   "fix the apiVersion/kind, or include the CustomResourceDefinition in the file")


def _known_hint(store, api: str, kind: str) -> str:
    """Point at the right version (kind known elsewhere) or the group's real kinds."""
    versions = sorted({k.rsplit("/", 1)[0] for k in store.kinds if k.endswith(f"/{kind}")})
    if versions:
        return f"; {kind} is served as {', '.join(versions)}"
    group = api.split("/")[0] if "/" in api else ""
    kinds = [k.rsplit("/", 1)[1] for k in store.kinds_of_group(group)] if group else []
    return f"; known kinds in this group: {', '.join(sorted(set(kinds))[:8])}" if kinds else ""


def _payload(objects, findings, store, skipped, args, not_checked):
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    findings = sorted(findings, key=lambda f: rank[f["severity"]])
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES}
    summary = (f"{len(objects)} object(s) checked; schema: "
               f"{'pinned ' + os.path.basename(store.origin) if store else 'skipped'}; "
               f"{counts['error']} error(s), {counts['warning']} warning(s), "
               f"{counts['info']} info")
    shown = findings if args.all else findings[:TEXT_LIMIT]
    text = summary + ("\n" + render_text(shown) if shown else "")
    if len(shown) < len(findings):
        text += f"\n... {len(findings) - len(shown)} more (use --all or --json)"
    payload = {"summary": summary, "counts": counts, "objects": len(objects),
               "schema": {"validated": store is not None, "skipped_reason": skipped,
                          "sources": store.sources if store else {}},
               "admission": {"rejected": any(f["cause"] in REJECTING for f in findings),
                             "not_checked": not_checked},
               "findings": findings}
    return payload, text, exit_code(findings, args.fail_on)


def main(argv=None) -> int:
    return run(build_parser(), argv, body)


if __name__ == "__main__":
    sys.exit(main())
