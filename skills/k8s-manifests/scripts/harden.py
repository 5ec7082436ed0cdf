#!/usr/bin/env python3
"""Add missing securityContext, requests/limits, probes and labels to existing manifests."""
from __future__ import annotations

import difflib
import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

import yaml

from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.findings import finding
from k8s_skillkit.loading import load_objects

from _manifest.hardening import harden_object

EPILOG = """\
examples:
  harden.py -f deploy.yaml > deploy.hardened.yaml
  harden.py -f deploy.yaml --diff               # review what would change
  helm template r ./chart | harden.py -f - --cpu 200m --memory 512Mi
  harden.py -f job.yaml --no-read-only-root     # the app writes outside /tmp

what it adds (only where missing; explicit values are never overwritten):
  pod: securityContext.runAsNonRoot true, seccompProfile RuntimeDefault
  containers: allowPrivilegeEscalation false, capabilities.drop [ALL],
    readOnlyRootFilesystem true + an emptyDir at /tmp, requests cpu/memory and a memory
    limit (--cpu/--memory/--memory-limit), tcpSocket readiness/liveness probes for
    long-running workloads when exactly one container port is known (otherwise reported)
  metadata.labels app.kubernetes.io/name (selectors are never touched: they are immutable)

caveats: runAsNonRoot makes the kubelet refuse images whose USER is root ("container has
runAsNonRoot and image will run as root"): check the image, or pass --run-as-user UID.
PyYAML drops comments and normalises quoting; use --diff to see the real changes.
Unknown fields and custom resources pass through unchanged; a `kind: List` comes back as
separate documents. Nothing is applied: run `kubectl diff -f` and
`kubectl apply --dry-run=server -f` on the output. Exit 0 = nothing left to fix by hand,
1 = something is reported (probes without a port, privileged containers), 2 = bad input.
"""


def build_parser():
    parser = make_parser(__doc__.strip(), EPILOG)
    parser.add_argument("-f", "--filename", required=True, metavar="FILE",
                        help="manifest file or - for stdin")
    parser.add_argument("--diff", action="store_true",
                        help="print a unified diff instead of the hardened YAML")
    parser.add_argument("--cpu", default="100m", help="CPU request to add (default 100m)")
    parser.add_argument("--memory", default="128Mi", help="memory request to add (default 128Mi)")
    parser.add_argument("--memory-limit", default=None,
                        help="memory limit to add (default: the memory request)")
    parser.add_argument("--run-as-user", type=int, metavar="UID",
                        help="also set pod securityContext.runAsUser (needed when the "
                             "image's USER is root, or runAsNonRoot stops it from starting)")
    parser.add_argument("--no-read-only-root", dest="read_only_root", action="store_false",
                        help="do not add readOnlyRootFilesystem and the /tmp emptyDir")
    return parser


def body(args):
    objects = load_objects(args.filename)
    before = _dump(objects)
    opts = {"cpu": args.cpu, "memory": args.memory, "memory_limit": args.memory_limit,
            "read_only_root": args.read_only_root, "run_as_user": args.run_as_user}
    changes, findings = [], []
    for obj in objects:
        made, left = harden_object(obj, opts)
        changes += [{"object": _ref(obj), "change": c} for c in made]
        findings += [finding("warning", "harden_manual_fix_needed", obj, text, [],
                             "edit the manifest by hand as described") for text in left]
    after = _dump(objects)
    if args.diff:
        text = "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                            "original (normalised)", "hardened"))
        text = text.rstrip("\n") or "no changes"
    else:
        text = after.rstrip("\n")
    for item in findings:
        print(f"note: {item['object']['kind']}/{item['object']['name']}: {item['message']}",
              file=sys.stderr)
    payload = {"changes": changes, "findings": findings, "objects": objects}
    return payload, text, 1 if findings else 0


def _dump(objects) -> str:
    return yaml.safe_dump_all(objects, sort_keys=False, default_flow_style=False, width=100)


def _ref(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    return f"{obj.get('kind')}/{meta.get('name', '')}"


def main(argv=None) -> int:
    return run(build_parser(), argv, body)


if __name__ == "__main__":
    sys.exit(main())
