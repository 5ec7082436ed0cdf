"""A chart whose binding template names its subject by the full name while the values set
serviceAccount.name: the pods run as the values' name (helm v3.22.0 pkg/chartutil/create.go:618,
the `<CHARTNAME>.serviceAccountName` helper), the binding grants another account
(JetBrains/datalore-configs#29)."""
from __future__ import annotations

from .test_rbac_prose import _audit

PASTE = """values.yaml:
serviceAccount:
  create: true
  name: {values}

templates/clusterrolebinding.yaml:
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{{{ include "exporter.fullname" . }}}}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{{{ include "exporter.fullname" . }}}}
subjects:
  - kind: ServiceAccount
    name: {subject}
    namespace: {{{{ .Release.Namespace }}}}

E0101 00:00:00.000000 1 reflector.go:147] failed to list *v1.Node: nodes is forbidden: User "system:serviceaccount:monitoring:metrics-sa" cannot list resource "nodes" in API group "" at the cluster scope
"""


def test_a_subject_templated_by_the_full_name_beside_a_values_name(script, tmp_path):
    paste = PASTE.format(values="metrics-sa", subject='{{ include "exporter.fullname" . }}')
    first = _audit(script, tmp_path, paste)[0]
    assert first["cause"] == "binding_subject_mismatch" and first["basis"] == "inferred"
    assert "serviceAccountName" in first["fix"]


def test_a_subject_templated_by_the_service_account_helper_is_fine(script, tmp_path):
    paste = PASTE.format(values="metrics-sa",
                         subject='{{ include "exporter.serviceAccountName" . }}')
    assert _audit(script, tmp_path, paste)[0]["cause"] != "binding_subject_mismatch"


def test_a_values_name_of_another_account_says_nothing(script, tmp_path):
    paste = PASTE.format(values="other-sa", subject='{{ include "exporter.fullname" . }}')
    assert _audit(script, tmp_path, paste)[0]["cause"] != "binding_subject_mismatch"
