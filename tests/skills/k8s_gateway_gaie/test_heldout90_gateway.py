"""Round-90 held-out families of check_routes.py, each a one-line log paste or a fragment: a
pool-managing controller refused a write of InferencePools, a Gateway reconciler whose
generated Service the API server refused, a controller's cloud IAM denial, Envoy's proto
validation NACK as a control plane logs it, and a `describe | grep "Supported Kinds"`
fragment.

Expected values: gateway-api-inference-extension config/charts/inferencepool/templates/
rbac.yaml@v1.0.0 (the picker only gets/lists/watches) and llm-d/llm-d-deployer#56; cilium
operator/pkg/gateway-api/gateway_reconcile.go@00159e53 (ensureService) and apimachinery
NewInvalid; aws/aws-application-networking-k8s@v2.1.3 recommended-inline-policy.json and
pkg/deploy/lattice/target_group_synthesizer.go; envoy source/common/protobuf/utility.cc
(ProtoValidationException) and istio/istio#12761; gateway-api apis/v1/gateway_types.go
ListenerStatus.SupportedKinds and cilium/cilium#40922."""
from __future__ import annotations

from .conftest import causes_or_refused, paste_findings, problem_causes



# --- a write of the picker's kinds refused: the controller that creates pools --------------

# the held-out line (llm-d/llm-d-deployer#56), its stacktrace left off
_MODELSERVICE = (
    '{"level":"error","ts":"2025-05-08T00:18:13.033529948Z","caller":"controller/child_'
    'resources.go:887","msg":"unable to create inference pool","controller":"modelservice",'
    '"controllerGroup":"llm-d.ai","controllerKind":"ModelService","ModelService":{"name":'
    '"llm-d-vllm-sim","namespace":"llm-d"},"namespace":"llm-d","name":"llm-d-vllm-sim",'
    '"reconcileID":"485f31cd-3888-4f45-b9ec-f88c36af3836","error":"inferencepools.inference.'
    'networking.x-k8s.io is forbidden: User \\"system:serviceaccount:llm-d:llm-d-llm-d-'
    'modelservice\\" cannot create resource \\"inferencepools\\" in API group \\"inference.'
    'networking.x-k8s.io\\" in the namespace \\"llm-d\\""}\n')


def test_a_refused_create_of_inferencepools_is_the_controllers_rbac(gw_run, tmp_path):
    found = [f for f in paste_findings(gw_run, tmp_path, _MODELSERVICE)
             if f["severity"] != "info"]
    assert [f["cause"] for f in found][:1] == ["controller_forbidden"]
    assert "endpoint_picker_misconfigured" not in [f["cause"] for f in found]
    assert "can-i create inferencepools" in found[0]["fix"]
    assert "-n llm-d" in found[0]["fix"]


def test_a_refused_status_update_in_klog_form_is_the_controllers_rbac(gw_run, tmp_path):
    text = ('E0301 10:00:00.000000       1 controller.go:120] failed to update pool status: '
            'inferencepools.inference.networking.k8s.io "vllm-pool" is forbidden: User '
            '"system:serviceaccount:serving:pool-sync" cannot update resource '
            '"inferencepools/status" in API group "inference.networking.k8s.io" in the '
            'namespace "serving"\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["controller_forbidden"]


def test_the_pickers_refused_list_stays_the_pickers(gw_run, tmp_path):
    text = ('E0301 10:00:00.000000       1 reflector.go:166] failed to list *v1.InferencePool: '
            'inferencepools.inference.networking.k8s.io is forbidden: User '
            '"system:serviceaccount:default:vllm-llama3-8b-instruct-epp" cannot list resource '
            '"inferencepools" in API group "inference.networking.k8s.io" in the namespace '
            '"default"\n')
    causes = problem_causes(gw_run, tmp_path, text)
    assert causes[:1] == ["endpoint_picker_misconfigured"]
    assert "controller_forbidden" not in causes


# --- a Gateway reconciler whose generated Service the API server refused -------------------

_CILIUM_SERVICE = (
    'time=2025-04-09T19:32:26Z level=error msg="Reconciler error" module=operator.operator-'
    'controlplane.leader-lifecycle.controller-runtime controller=gateway controllerGroup='
    'gateway.networking.k8s.io controllerKind=Gateway Gateway.name=hello-upstream '
    'Gateway.namespace=waypoint-test namespace=waypoint-test name=hello-upstream reconcileID='
    '57a45317-c807-4282-b73c-ba45dd259af7 error="Service \\"cilium-gateway-hello-upstream\\" '
    'is invalid: spec.externalTrafficPolicy: Invalid value: \\"Cluster\\": may only be set for '
    'externally-accessible services"\n')


def test_a_gateway_reconcilers_refused_service_leaves_it_without_address(gw_run, tmp_path):
    found = [f for f in paste_findings(gw_run, tmp_path, _CILIUM_SERVICE)
             if f["severity"] != "info"]
    assert [f["cause"] for f in found][:1] == ["gateway_no_address"]
    assert "cilium-gateway-hello-upstream" in found[0]["fix"]


def test_the_zap_json_reconciler_error_with_another_refusal(gw_run, tmp_path):
    text = ('2025-06-01T08:00:00Z\tERROR\tReconciler error\t{"controller": "gateway", '
            '"controllerGroup": "gateway.networking.k8s.io", "controllerKind": "Gateway", '
            '"Gateway": {"name":"edge","namespace":"infra"}, "reconcileID": "1f0c", "error": '
            '"Service \\"edge-gw\\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
            'provided port is already allocated"}\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["gateway_no_address"]


def test_a_users_own_refused_service_is_not_a_gateway_without_address(gw_run, tmp_path):
    text = ('The Service "web" is invalid: spec.externalTrafficPolicy: Invalid value: '
            '"Cluster": may only be set for externally-accessible services\n')
    assert "gateway_no_address" not in causes_or_refused(gw_run, tmp_path, text)


def test_another_reconcilers_refused_service_is_not_the_gateways(gw_run, tmp_path):
    text = ('time=2025-04-09T19:32:26Z level=error msg="Reconciler error" controller=ingress '
            'controllerGroup=networking.k8s.io controllerKind=Ingress name=web error="Service '
            '\\"cilium-ingress-web\\" is invalid: spec.ports: Required value"\n')
    assert "gateway_no_address" not in causes_or_refused(gw_run, tmp_path, text)


# --- the controller's cloud IAM denial ----------------------------------------------------

_LATTICE_IAM = (
    'gateway-api-controller-64d56cbbf-k9cqh manager {"level":"debug","ts":"2024-02-12T15:38:'
    '39.783Z","logger":"controller.route.tg-gc","caller":"deploy/stack_deployer.go:176","msg":'
    '"gc cycle error: failed TargetGroupManager.List due to AccessDeniedException: User: arn:'
    'aws:sts::012345678901:assumed-role/eksdemo.eksworkshop-eksctl-2.vpc-lattice.gateway-api-'
    'controller/1707752289275307002 is not authorized to perform: tag:GetResources because no '
    'identity-based policy allows the tag:GetResources action\\n\\tstatus code: 400, request '
    'id: faebe8bd-4c62-4e36-8ae5-db8eab335230"}\n')


def test_a_controllers_iam_denial_is_a_missing_permission(gw_run, tmp_path):
    found = [f for f in paste_findings(gw_run, tmp_path, _LATTICE_IAM)
             if f["severity"] != "info"]
    assert [f["cause"] for f in found][:1] == ["missing_permission"]
    assert "tag:GetResources" in found[0]["fix"]


def test_another_services_iam_denial_with_a_resource(gw_run, tmp_path):
    text = ('{"level":"error","msg":"Reconciler error","controller":"targetGroupBinding",'
            '"error":"AccessDenied: User: arn:aws:sts::111122223333:assumed-role/lbc-role/1700 '
            'is not authorized to perform: elasticloadbalancing:RegisterTargets on resource: '
            'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/k8s-x/abc"}\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["missing_permission"]


def test_an_authorization_policys_denial_is_not_a_missing_permission(gw_run, tmp_path):
    text = ('$ curl -s http://gateway.example/api\n'
            'RBAC: access denied\n')
    assert "missing_permission" not in causes_or_refused(gw_run, tmp_path, text)


# --- Envoy's proto validation NACK of an xDS resource -------------------------------------

_LDS_NACK = (
    'code:13 message:"Proto constraint validation failed (ListenerValidationError.FilterChains'
    '[i]: [\\"embedded message failed validation\\"] | caused by FilterChainValidationError.'
    'TlsContext: [\\"embedded message failed validation\\"] | caused by DownstreamTlsContext'
    'ValidationError.CommonTlsContext: [\\"embedded message failed validation\\"] | caused by '
    'CommonTlsContextValidationError.TlsCertificates[i]: [\\"embedded message failed '
    'validation\\"] | caused by TlsCertificateValidationError.CertificateChain: [\\"embedded '
    'message failed validation\\"] | caused by DataSourceValidationError.Filename: [\\"value '
    'length must be at least \\" \'\\\\x01\' \\" bytes\\"]\n')


def test_an_lds_proto_validation_nack_is_a_rejected_config(gw_run, tmp_path):
    assert problem_causes(gw_run, tmp_path, _LDS_NACK)[:1] == ["xds_config_rejected"]


def test_a_config_dump_error_state_of_a_cluster_is_a_rejected_config(gw_run, tmp_path):
    text = ('"error_state": {"details": "Proto constraint validation failed '
            '(ClusterValidationError.ConnectTimeout: value must be greater than 0s)", '
            '"last_update_attempt": "2026-04-13T12:34:56.789Z"}\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["xds_config_rejected"]


def test_a_bootstrap_refusal_is_not_an_xds_nack(gw_run, tmp_path):
    text = ("[critical][main][source/server/server.cc:412] error initializing config "
            "'/etc/envoy/envoy.yaml': Proto constraint validation failed "
            "(BootstrapValidationError.Admin: embedded message failed validation | caused by "
            "SocketAddressValidationError.PortValue: value must be less than or equal to "
            "65535)\n")
    assert "xds_config_rejected" not in causes_or_refused(gw_run, tmp_path, text)


# --- a describe fragment of the listeners' Supported Kinds --------------------------------

_SUPPORTED_KINDS = ("    Supported Kinds:\n      Group:          gateway.networking.k8s.io\n"
                    "      Kind:           HTTPRoute\n--\n    Supported Kinds:\n"
                    "      Group:          gateway.networking.k8s.io\n"
                    "      Kind:           HTTPRoute\n--\n    Supported Kinds:\n"
                    "      Group:          gateway.networking.k8s.io\n"
                    "      Kind:           TLSRoute\n")


def test_a_grep_of_supported_kinds_is_read_and_decides_nothing(gw_run, tmp_path):
    found = paste_findings(gw_run, tmp_path, _SUPPORTED_KINDS)
    assert [f["severity"] for f in found] == ["info"]
    assert found[0]["cause"] == "not_evaluated"
    assert "HTTPRoute, TLSRoute" in found[0]["message"]


def test_a_longer_grep_with_two_kinds_per_listener_is_read(gw_run, tmp_path):
    text = ("Supported Kinds:\n  Group:  gateway.networking.k8s.io\n  Kind:   HTTPRoute\n"
            "  Group:  gateway.networking.k8s.io\n  Kind:   GRPCRoute\n")
    found = paste_findings(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["not_evaluated"]
    assert "GRPCRoute, HTTPRoute" in found[0]["message"]


def test_supported_kinds_beside_other_text_is_not_this_reading(gw_run, tmp_path):
    text = ("Supported Kinds:\n  Group:  gateway.networking.k8s.io\n  Kind:   HTTPRoute\n"
            "my grpc route does not work, any idea?\n")
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    if result.code != 2:
        assert not any("supportedKinds" in f["message"] for f in result.doc["findings"])
