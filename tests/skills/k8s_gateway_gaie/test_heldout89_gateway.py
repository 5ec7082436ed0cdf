"""Round-89 held-out families of check_routes.py, each a one-line log paste or a fragment:
Envoy Gateway's xDS translation failing on an extension server's gRPC size limit, Kong's
publish Service without a load-balancer address, NGINX Gateway Fabric skipping status writes
after losing its lease, nginx unable to bind its sockets, and a status write refused on a
conflict.

Expected values: envoyproxy/ai-gateway commit de0bd517 (#1291) and envoyproxy/gateway
internal/xds/runner/runner.go; Kong/kubernetes-ingress-controller commit 0712b6e1 and
internal/manager/setup.go; nginx/nginx-gateway-fabric tests/results (longevity 1.0.0,
graceful-recovery 1.1.0, ngf-upgrade 1.0.0) @e55bfe33, internal/framework/status/updater.go
@v1.0.0; nginx src/core/ngx_connection.c."""
from __future__ import annotations

from .conftest import causes_or_refused, paste_findings, problem_causes



# --- Envoy Gateway: the xDS IR not translated (an extension server's size limit) -----------

_EG_TOO_LARGE = ('2025-10-07T10:26:44.625Z        ERROR   xds     runner/runner.go:245    '
                 'failed to translate xds ir      {"runner": "xds", "error": "rpc error: code = '
                 'ResourceExhausted desc = grpc: received message larger than max (6683527 vs. '
                 '4194304)"}\n')


def test_eg_translation_over_the_extension_size_limit_is_read(gw_run, tmp_path):
    found = paste_findings(gw_run, tmp_path, _EG_TOO_LARGE)
    assert [f["cause"] for f in found][:1] == ["xds_config_rejected"]
    assert "maxRecvMsgSize" in found[0]["fix"]


def test_eg_newer_translation_wording_with_another_error(gw_run, tmp_path):
    text = ('{"level":"error","ts":"2026-01-05T10:00:00Z","logger":"xds","msg":"skipped '
            'publishing xds resources: failed to translate xds ir","runner":"xds","error":'
            '"rpc error: code = Unavailable desc = connection error"}\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["xds_config_rejected"]


def test_a_size_limit_outside_the_xds_translation_is_not_a_rejected_config(gw_run, tmp_path):
    text = ('E0101 00:00:00.000000 1 reflector.go:158] failed to list *v1.Secret: rpc error: '
            'code = ResourceExhausted desc = grpc: received message larger than max (6683527 '
            'vs. 4194304)\n')
    assert "xds_config_rejected" not in causes_or_refused(gw_run, tmp_path, text)


# --- Kong: the publish Service has no load-balancer address -------------------------------

def test_kong_publish_service_waiting_for_addresses_logfmt(gw_run, tmp_path):
    text = ('[kong-controller-75896f8d9b-4hwbq] time="2023-05-24T11:26:03Z" level=error '
            'msg="Reconciler error" error="waiting for addresses to be provisioned for publish '
            'service kong/kong-proxy-proxy" logger=controllers.Ingress.netv1 reconcileID='
            '"\\"f97e4634-0d72-4882-bdd9-9a5b2e5339b6\\""\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["gateway_no_address"]


def test_kong_publish_service_json_and_later_wording(gw_run, tmp_path):
    text = ('{"level":"error","ts":"2024-02-01T00:00:00Z","msg":"Reconciler error","error":'
            '"waiting for addresses to be provisioned for publish service ns-a/proxy-b"}\n'
            '{"level":"info","msg":"LoadBalancer service has no external address","service":'
            '"ns-a/proxy-b"}\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["gateway_no_address"]


def test_kong_publish_service_not_found_is_not_a_missing_address(gw_run, tmp_path):
    text = ('time="2023-05-24T11:26:03Z" level=error msg="Reconciler error" error="Service '
            '\\"proxy-b\\" not found" logger=controllers.Ingress.netv1\n')
    assert "gateway_no_address" not in causes_or_refused(gw_run, tmp_path, text)


# --- NGINX Gateway Fabric: lease lost, status writes skipped -------------------------------

_LOST_LEASE = (
    'I0927 08:09:25.830070       6 leaderelection.go:285] failed to renew lease ns-a/'
    'ngf-leader-election: timed out waiting for the condition\n'
    '{"level":"info","ts":"2023-09-27T08:09:25Z","logger":"leaderElector","msg":"Stopped '
    'leading"}\n')
_SKIPS = (
    '{"level":"info","ts":"2023-09-27T17:19:27Z","logger":"statusUpdater","msg":"Skipping '
    'updating Nginx Gateway status because not leader"}\n'
    '{"level":"info","ts":"2023-09-27T19:54:13Z","logger":"statusUpdater","msg":"Skipping '
    'updating Gateway API status because not leader"}\n')


def test_skipped_status_writes_after_the_lost_lease_are_stale(gw_run, tmp_path):
    assert problem_causes(gw_run, tmp_path, _LOST_LEASE + _SKIPS)[:1] == ["stale_status"]


def test_controller_runtime_lease_loss_then_a_skip(gw_run, tmp_path):
    text = ('E0101 00:00:00.000000 1 leaderelection.go:340] leader election lost\n'
            + _SKIPS.splitlines(keepends=True)[1])
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["stale_status"]


def test_a_non_leader_replica_skipping_is_no_stale_status(gw_run, tmp_path):
    # every replica that does not lead logs the skip: no sign this one ever lost a lease
    assert "stale_status" not in causes_or_refused(gw_run, tmp_path, _SKIPS)


# --- nginx cannot bind its sockets: the data plane does not start -------------------------

_BIND = ('2023/12/05 21:53:51 [emerg] 29#29: bind() to unix:/var/run/nginx/nginx-status.sock '
         'failed (98: Address in use)\n'
         '2023/12/05 21:53:51 [notice] 29#29: try again to bind() after 500ms\n'
         '2023/12/05 21:53:51 [emerg] 29#29: still could not bind()\n\n'
         'failed to start control loop: cannot create nginx metrics collector: failed to get '
         'http://config-status/stub_status: Get "http://config-status/stub_status": dial unix '
         '/var/run/nginx/nginx-status.sock: connect: connection refused\n')


def test_nginx_unix_socket_in_use_is_a_gateway_not_ready(gw_run, tmp_path):
    causes = problem_causes(gw_run, tmp_path, _BIND)
    assert causes[:1] == ["gateway_not_ready"]
    assert "xds_config_rejected" not in causes


def test_nginx_tcp_port_in_use_glibc_wording(gw_run, tmp_path):
    text = 'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n'
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["gateway_not_ready"]


def test_nginx_config_error_stays_a_rejected_config(gw_run, tmp_path):
    text = ('2025/01/01 00:00:00 [emerg] 1#1: cannot load certificate "/etc/nginx/secrets/x.pem":'
            ' BIO_new_file() failed\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["xds_config_rejected"]


# --- a status write refused on a conflict --------------------------------------------------

_CONFLICT_JSON = """{
  "name": "nginx",
  "logger": "statusUpdater",
  "error": "Operation cannot be fulfilled on gatewayclasses.gateway.networking.k8s.io \\"nginx\\": the object has been modified; please apply your changes to the latest version and try again",
  "kind": "GatewayClass",
  "namespace": "",
  "msg": "Failed to update status",
  "level": "error"
}
"""


def test_status_write_conflict_json_record(gw_run, tmp_path):
    assert problem_causes(gw_run, tmp_path, _CONFLICT_JSON)[:1] == ["status_update_rejected"]


def test_status_write_conflict_logfmt_on_a_route(gw_run, tmp_path):
    text = ('time="2024-01-01T00:00:00Z" level=error msg="failed to update status" error='
            '"Operation cannot be fulfilled on httproutes.gateway.networking.k8s.io \\"r\\": the '
            'object has been modified; please apply your changes to the latest version and try '
            'again"\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["status_update_rejected"]


def test_a_users_apply_conflict_is_no_status_write(gw_run, tmp_path):
    text = ('Error from server (Conflict): error when applying patch: Operation cannot be '
            'fulfilled on httproutes.gateway.networking.k8s.io "r": the object has been '
            'modified; please apply your changes to the latest version and try again\n')
    assert "status_update_rejected" not in causes_or_refused(gw_run, tmp_path, text)


def test_a_retried_conflict_is_no_refused_status(gw_run, tmp_path):
    # nginx/nginx-gateway-fabric#2562: the debug line of a conflict NGF retries
    text = _CONFLICT_JSON.replace('"Failed to update status"',
                                  '"Encountered error updating status"').replace(
        '"level": "error"', '"level": "debug"')
    assert "status_update_rejected" not in causes_or_refused(gw_run, tmp_path, text)
