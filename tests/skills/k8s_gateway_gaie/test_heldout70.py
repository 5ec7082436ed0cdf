"""Held-out round 70 of check_routes.py: a controller's fatal log line. Ground truth:

- a Go program that logs at fatal level exits right after: zap's Logger.Fatal "calls
  os.Exit(1), even if logging at FatalLevel is disabled" (go.uber.org/zap@v1.28.0
  logger.go:288-294, zapcore.WriteThenFatal at logger.go:350-351, zapcore/entry.go:185-198),
  level written "fatal" (zapcore/level.go:127-128) or "FATAL" (level.go:151-152); klog's Fatal
  "prints stack trace(s), then calls OsExit(255)" (k8s.io/klog/v2@v2.140.0 klog.go:1670-1686,
  header letter F: internal/severity/severity.go:39); logrus's Fatal logs then Exit(1)
  (github.com/sirupsen/logrus@v1.9.3 logger.go:247-250, level "fatal": logrus.go:71-72);
  Istio's pkg/log writes the console form with a lowercase level (pkg/log/config.go:90) and
  exits (config.go:350).
- so a gateway controller's fatal line means it is down and nothing it serves is reconciled:
  aws/aws-application-networking-k8s#794 (the controller exits at start with a fatal `init
  config failed: vpcId is not specified: EC2MetadataError ...`, main.go:163@v2.1.3
  `setupLog.Fatalf("init config failed: %s", err)`; the thread's resolution: the pod cannot
  reach instance metadata, raise the IMDSv2 hop limit or set vpcId).
- a fatal whose message names a cause another reader knows keeps that cause (cilium/cilium
  operator's fatal when gateway.networking.k8s.io/v1 is not served: crd_not_installed); an
  error-level line is no exit and says nothing of the controller being down.
"""
from __future__ import annotations

from .conftest import paste_findings as _findings
from .conftest import problem_causes as _causes

# aws/aws-application-networking-k8s#794 as pasted: the kubectl command, then the zap JSON
# record pretty-printed over several lines
_AWS_794 = (
    "```bash\n"
    "kubectl logs gateway-api-controller-aws-gateway-controller-chart-66877dtxxqn -n "
    "aws-application-networking-system\n"
    "```\n"
    "```json\n"
    "{\n"
    '    "level": "fatal",\n'
    '    "ts": "2025-08-24T00:57:37.700Z",\n'
    '    "logger": "setup",\n'
    '    "caller": "runtime/proc.go:272",\n'
    '    "msg": "init config failed: vpcId is not specified: EC2MetadataError: failed to make '
    'EC2Metadata request\\n\\n\\tstatus code: 401, request id: "\n'
    "}\n"
    "```\n")


def test_a_pretty_printed_zap_fatal_is_no_controller_reported(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _AWS_794)
    first = found[0]
    assert (first["cause"], first["basis"], first["severity"]) == \
        ("no_controller", "reported", "error")
    assert any("vpcId is not specified" in e for e in first["evidence"])  # quoted
    # the command that shows its restarts, for the pod the paste names
    assert "kubectl get pod gateway-api-controller-aws-gateway-controller-chart-66877dtxxqn " \
           "-n aws-application-networking-system" in first["confirm"]
    assert "fatal message" in first["fix"]


def test_a_one_line_zap_json_fatal_with_an_error_field(gw_run, tmp_path):
    # the same controller's start-up fatal in zap's production JSON on one line (another
    # Fatalf of main.go at v2.1.3 fails the same way), with the error as a field
    text = ('{"level":"fatal","ts":"2024-03-02T10:00:00.000Z","logger":"setup","caller":'
            '"aws-application-networking-k8s/main.go:163","msg":"init config failed: region is '
            'not specified: EC2MetadataError: failed to get EC2 instance identity document"}\n')
    found = _findings(gw_run, tmp_path, text)
    assert (found[0]["cause"], found[0]["basis"]) == ("no_controller", "reported")


def test_a_logrus_fatal_with_its_error_field(gw_run, tmp_path):
    # Contour's serve (cmd/contour/serve.go: `s.log.WithError(err).WithField("resource",
    # name).Fatal("failed to create informer")`), logrus TextFormatter
    text = ('time="2024-05-01T09:00:00Z" level=fatal msg="failed to create informer" '
            'error="Get \\"https://10.96.0.1:443/api\\": dial tcp 10.96.0.1:443: i/o timeout" '
            'resource=httpproxies\n')
    assert _causes(gw_run, tmp_path, text)[0] == "no_controller"


def test_a_klog_fatal_line(gw_run, tmp_path):
    # klog's header `Fmmdd hh:mm:ss.uuuuuu PID file:line] msg` (internal/buffer/buffer.go:117)
    text = ("F0824 00:57:37.700123       1 main.go:163] init config failed: vpcId is not "
            "specified: EC2MetadataError: failed to make EC2Metadata request\n")
    assert _causes(gw_run, tmp_path, text)[0] == "no_controller"


def test_istio_console_fatal_lowercase(gw_run, tmp_path):
    # istiod: pilot/pkg/bootstrap/istio_ca.go `log.Fatalf("failed to create istio ca server:
    # %v", startErr)`, pkg/log console encoder (time, level lowercase, message)
    text = ("2025-01-10T08:00:00.000000Z\tfatal\tfailed to create istio ca server: failed to "
            "create a listener: address already in use\n")
    assert _causes(gw_run, tmp_path, text)[0] == "no_controller"


# --- near misses: the rule stays silent -----------------------------------------------------

def _said(gw_run, tmp_path, text: str) -> list[str]:
    """The causes check_routes gives, or none when it refuses the paste (exit 2: nothing in
    it is a line it reads, which is silence too)."""
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    if result.code == 2:
        return []
    return [f["cause"] for f in result.doc["findings"] if f["severity"] != "info"]


def test_an_error_level_record_is_not_no_controller(gw_run, tmp_path):
    # the same message at error level: no exit is implied (the program may retry)
    text = _AWS_794.replace('"level": "fatal"', '"level": "error"')
    assert "no_controller" not in _said(gw_run, tmp_path, text)


def test_a_klog_error_line_and_a_logrus_error_are_not_no_controller(gw_run, tmp_path):
    text = ("E0824 00:57:37.700123       1 main.go:163] init config failed: vpcId is not "
            "specified: EC2MetadataError: failed to make EC2Metadata request\n"
            'time="2024-05-01T09:00:00Z" level=error msg="non-fatal: failed to create '
            'informer" error="i/o timeout"\n')
    assert "no_controller" not in _said(gw_run, tmp_path, text)


def test_a_fatal_that_says_the_api_is_not_served_stays_crd_not_installed(gw_run, tmp_path):
    # cilium-operator's fatal when Gateway API v1 is not served (held-out round 70 gateway-x)
    text = ('2023-11-03T11:53:45.585078169Z level=fatal msg="failed to start: failed to create '
            'gateway controller: failed to get API group resources: unable to retrieve the '
            'complete list of server APIs: gateway.networking.k8s.io/v1: the server could not '
            'find the requested resource" subsys=cilium-operator-generic\n')
    assert _causes(gw_run, tmp_path, text) == ["crd_not_installed"]


def test_a_fatal_rbac_denial_stays_controller_forbidden(gw_run, tmp_path):
    # apiserver responsewriters forbiddenMessage, in a zap JSON fatal
    text = ('{"level":"fatal","ts":"2024-03-02T10:00:00Z","logger":"setup","msg":"unable to '
            'start manager","error":"gatewayclasses.gateway.networking.k8s.io is forbidden: '
            'User \\"system:serviceaccount:gw-system:gw-controller\\" cannot list resource '
            '\\"gatewayclasses\\" in API group \\"gateway.networking.k8s.io\\" at the cluster '
            'scope"}\n')
    causes = _causes(gw_run, tmp_path, text)
    assert causes[0] == "controller_forbidden" and "no_controller" not in causes


def test_an_rbac_error_line_beside_a_bare_fatal_is_read_first(gw_run, tmp_path):
    # the denial (error level) says why; the fatal after it only that the program exits
    text = ('E0301 10:00:00.000000       1 reflector.go:158] "Unhandled Error" err="failed to '
            'list *v1.Gateway: gateways.gateway.networking.k8s.io is forbidden: User '
            '\\"system:serviceaccount:gw-system:gw-controller\\" cannot list resource '
            '\\"gateways\\" in API group \\"gateway.networking.k8s.io\\" at the cluster scope"\n'
            "F0301 10:02:00.000000       1 main.go:90] timed out waiting for caches to sync\n")
    causes = _causes(gw_run, tmp_path, text)
    assert causes[0] == "controller_forbidden" and "no_controller" in causes


def test_prose_that_mentions_a_fatal_error_is_no_fatal_line(gw_run, tmp_path):
    text = ("The gateway pod logs show a fatal error on startup, and my HTTPRoute gets no "
            "traffic.\n")
    assert "no_controller" not in _said(gw_run, tmp_path, text)


def test_an_endpoint_picker_fatal_is_not_a_gateway_controller_down(gw_run, tmp_path):
    text = ("kubectl logs deploy/vllm-pool-epp -n llm\n"
            '{"level":"fatal","ts":"2024-03-02T10:00:00Z","logger":"setup","msg":"failed to '
            'create metrics client"}\n')
    assert "no_controller" not in _said(gw_run, tmp_path, text)
