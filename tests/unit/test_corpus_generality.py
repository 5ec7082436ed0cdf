"""No script knows a corpus case (issue 12, Deliver 6): the diagnoses must be general rules.

From every case under tests/resources/real-world we collect what only that case has — the
names of its objects, namespaces and nodes, tagged images, the quoted names in its messages,
its URLs and unusual literal values — and fail when one of them appears in the code of a
skill script or of the shared kit. Not distinctive, so ignored: tokens shared by two or more
cases, short tokens (< 6 characters), plain words (letters only), Kubernetes vocabulary (API
groups and versions, domain-style driver and resource names, code identifiers) and
well-known defaults. Comments and docstrings are not searched: a citation there cannot
change a diagnosis (references/ is where sources are cited). For the same reason a thread URL
may stand in a script when the skill's references/ cite it too (a message registry that keeps
each pattern's source beside it, checked against the references table): names, namespaces
and values never may.
"""
from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.errors import InputError
from k8s_skillkit.loading import parse_paste

CORPUS = ROOT / "tests" / "resources" / "real-world"
MIN_LENGTH = 6
# Names every tutorial and default install uses: not evidence of special-casing.
GENERIC = {"default", "kube-system", "kube-public", "kube-node-lease", "cluster-queue",
           "user-queue", "default-flavor", "local-queue", "kueue-system", "gpu-operator",
           "envoy-gateway-system", "istio-system", "localhost", "127.0.0.1", "0.0.0.0",
           "sample-job", "kubernetes", "example.com", "nvidia.com/gpu", "main-container",
           "inference-gateway", "vllm-llama3-8b-instruct", "kube-scheduler", "kube-dns",
           "coredns", "kube-proxy", "default-scheduler", "kubelet", "my-namespace",
           "kube-apiserver", "metrics-server", "ingress-nginx", "cert-manager",
           "gateway-system", "monitoring", "observability",
           "gateway-api",  # the Gateway API project's name (its CRD bundle, row ids)
           "ephemeral-storage",  # a core resource name (ResourceList key), not a case name
           "status.loadbalancer.ingress",  # a core/v1 ServiceStatus field path (lowercased)
           "qwen/qwen2.5-1.5b-instruct",  # the GAIE guide's CPU model (the manifests default)
           "nvidia-smi",  # NVIDIA's CLI, named by every GPU skill
           "team-a", "team-b",  # the usual tenants of every queue/namespace example in --help
           "team-a-cq", "team-b-cq",  # ... and their ClusterQueues (make_queue.py --help)
           "cluster-autoscaler",  # the Kubernetes autoscaler's component name
           "resources.deviceclassmappings",  # the Kueue Configuration field (lowercased)
           # a gateway-api Listener field path (apis/v1/gateway_types.go, lowercased)
           "allowedroutes.namespaces.from",
           "external-ip",  # a kubectl get services column header (lowercased)
           "1000000",  # the Gateway API backendRef weight maximum (apis/v1/shared_types.go)
           "dra-driver-nvidia-gpu",  # the NVIDIA DRA driver's repository and namespace
           "test-infra",  # kubernetes/test-infra, a repository sources cite (a PR's URL)
           # product vocabulary of gateway implementations, not names from one case:
           "x-gateway-model-name",  # GAIE body-based routing's model header (pkg/bbr)
           "x-ai-eg-model",  # Envoy AI Gateway's model header (internal/controller)
           "gke-l7-gxlb",  # a GKE GatewayClass (cloud.google.com/gateway-api docs)
           "envoy-gateway",  # Envoy Gateway's controller Deployment and log name
           "x-api-key",  # a conventional credential header (the command guard's list)
           "nginx-gateway",  # NGINX Gateway Fabric's install namespace and component name
           "queue-name",  # Kueue's job label, kueue.x-k8s.io/queue-name (apis/kueue constants)
           # Kueue's own ConfigMap of its Configuration and that ConfigMap's data key
           # (config/components/manager, every install), and the NVIDIA DRA driver's GPU
           # kubelet plugin (cmd/gpu-kubelet-plugin)
           "kueue-manager-config", "controller_manager_config.yaml", "gpu-kubelet-plugin",
           # component, library, source-file and product names every install shares: the
           # NVML library, a kubelet source file, the controller manager, APISIX's controller,
           # the Python interpreter the guard recognises
           "libnvidia-ml", "kubelet.go", "kube-controller-manager",
           "apisix-ingress-controller", "python3",
           # the NVIDIA container toolkit's OCI hook binary (nvidia-container-toolkit cmd/)
           "nvidia-container-runtime-hook",
           # Kueue's controller Deployment in every install (config/components/manager)
           "kueue-controller-manager",
           # the DRA term for a driver's node component (k8s.io/dynamic-resource-allocation
           # kubeletplugin; every DRA driver's "<driver>-kubelet-plugin" DaemonSet)
           "kubelet-plugin",
           # a Kubernetes distribution's name (Canonical's), and Docker's daemon.json key for
           # the default runtime (docker/cli docs/reference/dockerd.md): every GPU setup guide's
           "microk8s", "default-runtime",
           # the built-in ClusterRole every cluster has (the RBAC bootstrap policy)
           "cluster-admin",
           # the NFS mount helper's packages (Debian, RHEL): what a node needs for NFS volumes
           "nfs-common", "nfs-utils",
           # Kueue's webhook Service in every install (config/components/webhook/service.yaml
           # `webhook-service` with the kustomize namePrefix `kueue-`; the Helm chart the same)
           "kueue-webhook-service",
           # the built-in PriorityClasses every cluster has (pkg/apis/scheduling
           # SystemPriorityClasses: system-node-critical, system-cluster-critical)
           "system-node-critical", "system-cluster-critical",
           # the DRA example driver's DeviceClass (kubernetes-sigs/dra-example-driver, the
           # Kubernetes DRA docs' example) and Kubeflow's MPI operator (its repository and
           # Deployment name): product vocabulary the scripts named before any case did
           "gpu.example.com", "mpi-operator",
           "tls.certificaterefs",  # a gateway-api Listener field path (apis/v1/gateway_types.go)
           # kubectl describe pod's field label (k8s.io/kubectl pkg/describe describePod), and
           # the install namespaces of JobSet (config/default, `jobset-system`) and of Kubeflow's
           # training operator (its repository and Deployment name), which the training readers
           # name as components, not as anything from one case
           "node-selectors", "jobset-system", "training-operator",
           # the Job controller's pod label (job-name, batch.kubernetes.io/job-name) and the
           # training operators' training.kubeflow.org/job-name
           "job-name",
           # a gateway-api Listener field path (apis/v1/gateway_types.go AllowedRoutes.Kinds)
           "allowedroutes.kinds",
           # Istio's waypoint GatewayClass (pilot/pkg/config/kube/gatewaycommon/classinfo.go)
           "istio-waypoint",
           # OpenShift 4.11+'s default SCC (openshift/apiserver-library-go) and the GPU
           # Operator's device plugin label value (NVIDIA/gpu-operator assets)
           "restricted-v2", "nvidia-device-plugin-daemonset",
           # the HTTP request header (RFC 9110 10.1.5) the command guard reads in curl lines
           "user-agent"}
_QUOTED = re.compile(r"[\"'`]([A-Za-z0-9][A-Za-z0-9._/-]{%d,})[\"'`]" % (MIN_LENGTH - 1))
_REF = re.compile(r"\b(?:pod|node|job|workload|service|deployment|httproute|gateway|"
                  r"inferencepool|resourceclaim|clusterqueue|localqueue)s?/([A-Za-z0-9][\w.-]+)",
                  re.I)
_URL = re.compile(r"https?://([^\s)\"'<>\]]+)")
_URL_TOKEN = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}/")
_ODD_QUANTITY = re.compile(r"\b\d{4,}(?:[KMGTPE]i|[kMGTPEm])\b")


def _object_names(text: str) -> set[str]:
    try:
        dump = parse_paste(text, "case")
    except InputError:
        return set()
    names = set()
    for obj in dump:
        meta = obj.get("metadata") or {}
        names |= {meta.get("name") or "", meta.get("namespace") or ""}
        ref = obj.get("involvedObject") or {}
        names |= {ref.get("name") or "", ref.get("namespace") or ""}
        spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
        names.add(str(spec.get("nodeName") or ""))
        for container in spec.get("containers") or []:
            if isinstance(container, dict):
                image = str(container.get("image") or "")
                names |= {image if ":" in image else "", str(container.get("name") or "")}
    return {n for n in names if isinstance(n, str)}


_API_VERSION = re.compile(r"^([a-z0-9-]+(\.[a-z0-9-]+)*/)?v\d+((alpha|beta)\d+)?$")
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(/[a-z0-9.-]+)?$")
_IDENTIFIER = re.compile(r"^[A-Za-z]+(_[A-Za-z0-9]+)+$")
# resource/subresource names of the Kubernetes API (RBAC rules name them): vocabulary
_SUBRESOURCE = re.compile(r"^[a-z]+/(proxy|exec|attach|log|status|portforward|eviction|binding|"
                          r"scale|token|ephemeralcontainers|resize|finalize|approval)$")


# field paths of the Kubernetes API (spec.activeDeadlineSeconds, status.conditions[0].reason):
# every object of a kind has them, so a script that names one names no case
_FIELD_PATH = re.compile(r"^(spec|status|metadata)(\.[a-z][A-Za-z0-9]*(\[\d+\])?)+$")


def vocabulary(token: str) -> bool:
    """API versions, domain-style names (drivers, resources, label keys), identifiers and
    API field paths."""
    return bool(_API_VERSION.match(token) or _DOMAIN.match(token) or _IDENTIFIER.match(token)
                or _SUBRESOURCE.match(token) or _FIELD_PATH.match(token))


def case_tokens(folder: Path) -> set[str]:
    spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8")) or {}
    paste = folder / str(spec.get("input", "paste.txt"))
    text = paste.read_text(encoding="utf-8", errors="replace") if paste.is_file() else ""
    names = _object_names(text) | set(_REF.findall(text))
    quoted = {t for t in _QUOTED.findall(text) if not vocabulary(t)}
    tokens = {t for t in names | quoted if len(t) >= MIN_LENGTH and re.search(r"[-._/0-9]", t)
              and not _IDENTIFIER.match(t) and not _API_VERSION.match(t)}
    urls = set(_URL.findall(text + "\n" + str(spec.get("source", ""))))
    tokens |= {u.rstrip(".,;:") for u in urls if re.search(r"[./]", u.rstrip(".,;:/"))
               and len(u) >= MIN_LENGTH}  # "https://registry" alone names nothing
    tokens |= set(_ODD_QUANTITY.findall(text))
    return {t for t in tokens if t.lower() not in GENERIC}


def distinctive_tokens() -> dict[str, set[str]]:
    """token -> the case folders it comes from, keeping only tokens of exactly one case."""
    where: dict[str, set[str]] = defaultdict(set)
    for spec_path in sorted(CORPUS.glob("*/*/case.yaml")):
        folder = spec_path.parent
        for token in case_tokens(folder):
            where[token].add(f"{folder.parent.name}/{folder.name}")
    return {token: cases for token, cases in where.items() if len(cases) == 1}


def searched_files() -> list[Path]:
    return sorted(set(ROOT.glob("skills/*/scripts/**/*.py")) |
                  set(ROOT.glob("skills/_shared/k8s_skillkit/*.py")))


def code_of(source: str) -> str:
    """The source with comments and docstrings blanked (line numbers kept)."""
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(
                    getattr(body[0], "value", None), ast.Constant) and isinstance(
                    body[0].value.value, str):
                docstrings.add((body[0].lineno, body[0].col_offset))
    lines = source.splitlines(keepends=True)
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        blank = tok.type == tokenize.COMMENT or (tok.type == tokenize.STRING
                                                 and tok.start in docstrings)
        if blank:
            (row0, col0), (row1, col1) = tok.start, tok.end
            for row in range(row0, row1 + 1):
                line = lines[row - 1]
                start = col0 if row == row0 else 0
                end = col1 if row == row1 else len(line.rstrip("\n"))
                lines[row - 1] = line[:start] + " " * (end - start) + line[end:]
    return "".join(lines)


def cited_in_references(path: Path) -> str:
    """The skill's references/*.md text (for the URL citations a script may mirror)."""
    skill = next((p for p in path.parents if p.parent.name == "skills"),  # scripts/_pkg/ too
                 path.parent.parent)
    folder = skill / "references"
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md")))


def find_leaks(tokens: dict[str, set[str]], files: list[Path]) -> list[str]:
    leaks = []
    for path in files:
        text = code_of(path.read_text(encoding="utf-8"))
        references = None
        for token, cases in tokens.items():
            if token not in text:
                continue
            if _URL_TOKEN.match(token):
                references = cited_in_references(path) if references is None else references
                if token in references:
                    continue
            pattern = r"(?<![A-Za-z0-9-])" + re.escape(token) + r"(?![A-Za-z0-9-])"
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                leaks.append(f"{shown}:{line}: {token!r} "
                             f"(only in {', '.join(sorted(cases))})")
    return leaks


def test_no_script_contains_anything_specific_to_one_case():
    tokens = distinctive_tokens()
    assert tokens, "the real-world corpus yields no distinctive tokens: is it empty?"
    leaks = find_leaks(tokens, searched_files())
    assert not leaks, "scripts name things from one corpus case:\n" + "\n".join(leaks)


def test_the_check_catches_a_leak(tmp_path):
    """The check can fail: a script naming a case's object is caught."""
    tokens = distinctive_tokens()
    assert tokens, "the real-world corpus yields no distinctive tokens: is it empty?"
    token = sorted(tokens)[0]
    planted = tmp_path / "leaky.py"
    planted.write_text(f'"""Doc naming {token}."""\n# {token}\nif name == {token!r}:\n'
                       "    cause = 'x'\n")
    (leak,) = find_leaks({token: tokens[token]}, [planted])
    assert leak.startswith(f"{planted}:3:")  # the code line, not the docstring or comment
    # a URL not cited in the skill's references is a leak too
    url = "github.com/example/project/issues/1"
    planted.write_text(f"SOURCE = {'https://' + url!r}\n")
    assert find_leaks({url: {"area/case"}}, [planted])


def test_tokens_of_a_case_are_names_not_words(tmp_path):
    case = tmp_path / "area" / "some-case"
    case.mkdir(parents=True)
    (case / "case.yaml").write_text("source: https://github.com/o/r/issues/7\ninput: p.txt\n")
    (case / "p.txt").write_text(
        "LAST SEEN   TYPE      REASON             OBJECT                 MESSAGE\n"
        "2m          Warning   FailedScheduling   pod/trainer-7f9c-xk2   0/3 nodes are "
        "available: 3 Insufficient nvidia.com/gpu. quota 171000Gi\n")
    tokens = case_tokens(case)
    assert "trainer-7f9c-xk2" in tokens and "github.com/o/r/issues/7" in tokens
    assert "171000Gi" in tokens
    assert "nvidia.com/gpu" not in tokens and "FailedScheduling" not in tokens
    assert not vocabulary("trainer-7f9c-xk2")
    assert vocabulary("resource.k8s.io/v1") and vocabulary("gpu.nvidia.com")
    assert vocabulary("spec.activeDeadlineSeconds")
