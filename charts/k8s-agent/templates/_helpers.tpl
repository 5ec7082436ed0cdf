{{- define "agent.name" -}}{{ .Release.Name | trunc 40 | trimSuffix "-" }}{{- end -}}
{{- define "agent.labels" -}}
app.kubernetes.io/name: k8s-agent
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
{{- define "agent.rules" -}}
{{- if .Values.rbac.rules -}}{{ toYaml .Values.rbac.rules }}{{- else -}}{{ .Files.Get "files/rbac-generated.yaml" }}{{- end -}}
{{- end -}}
{{- define "agent.validate" -}}
{{- if not (has .Values.mode (list "advisory" "semi-autonomous" "operator")) -}}
{{- fail (printf "mode %q: choose advisory, semi-autonomous or operator" .Values.mode) -}}
{{- end -}}
{{- if and (ne .Values.mode "advisory") (not .Values.writeNamespaces) -}}
{{- fail (printf "mode %s needs writeNamespaces (where the applier may write)" .Values.mode) -}}
{{- end -}}
{{- if and (ne .Values.mode "operator") (or .Values.autoApply.namespaces .Values.autoApply.kinds) -}}
{{- fail "autoApply is for mode operator only" -}}
{{- end -}}
{{- range .Values.autoApply.namespaces -}}
{{- if not (has . $.Values.writeNamespaces) -}}
{{- fail (printf "autoApply namespace %s is not in writeNamespaces" .) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- /* Cluster-scoped objects carry the namespace too: two releases of the same name in
two namespaces must not share (and overwrite) one ClusterRoleBinding. */ -}}
{{- define "agent.clusterName" -}}{{ printf "%s-%s" .Release.Namespace (include "agent.name" .) | trunc 52 | trimSuffix "-" }}{{- end -}}
