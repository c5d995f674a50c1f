{{/* The text of NOTES.txt (a named template so that the chart tests can render it with `helm template`). */}}
{{- define "legit-scaler.notes" -}}
legit-scaler {{ .Chart.AppVersion }} is installed as {{ include "legit-scaler.fullname" . }} in namespace {{ .Release.Namespace }}.
KEDA dials it at {{ include "legit-scaler.scalerAddress" . }}{{ if .Values.tls.enabled }} with TLS{{ if .Values.tls.clientAuth }} (mTLS){{ end }}{{ end }}.

1. The scaler pods are ready ({{ .Values.replicaCount }} expected):
     kubectl -n {{ .Release.Namespace }} rollout status deploy/{{ include "legit-scaler.fullname" . }}
     kubectl -n {{ .Release.Namespace }} get pods,svc,pdb,networkpolicy -l app.kubernetes.io/instance={{ .Release.Name }}
{{- if .Values.scaledObject.enabled }}

2. KEDA accepted the ScaledObject and created its HPA (READY=True, MIN {{ .Values.scaledObject.minReplicaCount }}, MAX {{ .Values.scaledObject.maxReplicaCount }}):
     kubectl -n {{ include "legit-scaler.modelNamespace" . }} get scaledobject,hpa
     kubectl -n {{ include "legit-scaler.modelNamespace" . }} describe scaledobject {{ default .Values.scaledObject.scaleTargetRef.name .Values.scaledObject.name }}
{{- else }}

2. No ScaledObject was rendered (scaledObject.enabled=false). Point your own ScaledObject's external
   trigger at scalerAddress: "{{ include "legit-scaler.scalerAddress" . }}".
{{- end }}

3. gRPC health and the current decision through a port-forward (grpcurl uses server reflection):
     kubectl -n {{ .Release.Namespace }} port-forward svc/{{ include "legit-scaler.fullname" . }} {{ .Values.ports.grpc }}:{{ .Values.ports.grpc }} &
{{- if .Values.tls.enabled }}
     # TLS: give grpcurl the CA{{ if .Values.tls.clientAuth }} and a client certificate it signed{{ end }}; the name must match the certificate.
     grpcurl -cacert ca.crt {{ if .Values.tls.clientAuth }}-cert client.crt -key client.key {{ end }}-authority {{ include "legit-scaler.fullname" . }}.{{ .Release.Namespace }}.svc.cluster.local \
       localhost:{{ .Values.ports.grpc }} grpc.health.v1.Health/Check
     grpcurl -cacert ca.crt {{ if .Values.tls.clientAuth }}-cert client.crt -key client.key {{ end }}-authority {{ include "legit-scaler.fullname" . }}.{{ .Release.Namespace }}.svc.cluster.local \
       -d '{"name":"{{ default .Values.scaledObject.scaleTargetRef.name .Values.scaledObject.name }}","namespace":"{{ include "legit-scaler.modelNamespace" . }}"}' \
       localhost:{{ .Values.ports.grpc }} legitscaler.diagnostics.v1.Diagnostics/Explain
{{- else }}
     grpcurl -plaintext localhost:{{ .Values.ports.grpc }} grpc.health.v1.Health/Check      # "status": "SERVING"
     grpcurl -plaintext localhost:{{ .Values.ports.grpc }} legitscaler.diagnostics.v1.Diagnostics/List
     grpcurl -plaintext -d '{"name":"{{ default .Values.scaledObject.scaleTargetRef.name .Values.scaledObject.name }}","namespace":"{{ include "legit-scaler.modelNamespace" . }}"}' \
       localhost:{{ .Values.ports.grpc }} legitscaler.diagnostics.v1.Diagnostics/Explain
{{- end }}

4. Metrics:
     kubectl -n {{ .Release.Namespace }} port-forward svc/{{ include "legit-scaler.fullname" . }} {{ .Values.ports.metrics }}:{{ .Values.ports.metrics }} &
     curl -s localhost:{{ .Values.ports.metrics }}/metrics | grep '^legitscaler_published_value'
{{- if .Values.monitoring.serviceMonitor.enabled }}
   Prometheus picks up the ServiceMonitor{{ if .Values.monitoring.prometheusRule.enabled }} and PrometheusRules{{ end }} by the label release={{ .Values.monitoring.prometheusRelease }}:
     kubectl get servicemonitor,podmonitor,prometheusrule -A -l app.kubernetes.io/instance={{ .Release.Name }}
{{- end }}
{{- if .Values.monitoring.alertmanagerConfig.enabled }}

5. Alertmanager routing is in Secret {{ default (printf "%s-alertmanager" (include "legit-scaler.fullname" .)) .Values.monitoring.alertmanagerConfig.secretName }} (namespace {{ default .Release.Namespace .Values.monitoring.alertmanagerConfig.namespace }}).
   kube-prometheus-stack uses it once you set alertmanager.alertmanagerSpec.configSecret to that name
   (the Secret must be in the Alertmanager's namespace).
{{- end }}
{{- if .Values.networkPolicy.enabled }}

NetworkPolicy: gRPC is open only to the KEDA operator, metrics only to Prometheus (see networkPolicy.* values).
{{- end }}
{{- end -}}
