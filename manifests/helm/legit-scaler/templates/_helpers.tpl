{{/* Chart name. */}}
{{- define "legit-scaler.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: "<release>-legit-scaler" unless the release name already contains the chart name. */}}
{{- define "legit-scaler.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Selector labels: stable, shared by the Deployment, Service, PDB and NetworkPolicy. */}}
{{- define "legit-scaler.selectorLabels" -}}
app.kubernetes.io/name: {{ include "legit-scaler.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: scaler
{{- end -}}

{{/* Labels on every resource. */}}
{{- define "legit-scaler.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "legit-scaler.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: legit-scaler
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels for objects that are not scaler pods (same as labels, component overridden). */}}
{{- define "legit-scaler.labelsFor" -}}
{{- $ctx := index . 0 -}}
{{- $component := index . 1 -}}
helm.sh/chart: {{ printf "%s-%s" $ctx.Chart.Name $ctx.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "legit-scaler.name" $ctx }}
app.kubernetes.io/instance: {{ $ctx.Release.Name }}
app.kubernetes.io/component: {{ $component }}
app.kubernetes.io/version: {{ $ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $ctx.Release.Service }}
app.kubernetes.io/part-of: legit-scaler
{{- with $ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of monitoring objects: the kube-prometheus-stack pickup label plus user labels.
     Args: list $ctx $component $extraLabels */}}
{{- define "legit-scaler.monitoringLabels" -}}
{{- $ctx := index . 0 -}}
{{ include "legit-scaler.labelsFor" (list $ctx (index . 1)) }}
release: {{ $ctx.Values.monitoring.prometheusRelease | quote }}
{{- with $ctx.Values.monitoring.labels }}
{{ toYaml . }}
{{- end }}
{{- with (index . 2) }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* "annotations:" block under metadata (common + given map), or nothing when both are empty.
     Args: list $ctx $extra. Call as {{- include ... }} right after the labels block. */}}
{{- define "legit-scaler.annotations" -}}
{{- $all := merge (deepCopy ((index . 1) | default dict)) ((index . 0).Values.commonAnnotations | default dict) -}}
{{- if $all }}
  annotations:
    {{- toYaml $all | nindent 4 }}
{{- end }}
{{- end -}}

{{- define "legit-scaler.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "legit-scaler.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Namespace of the ScaledObject and the model. */}}
{{- define "legit-scaler.modelNamespace" -}}
{{- default .Release.Namespace .Values.scaledObject.namespace -}}
{{- end -}}

{{/* host:port KEDA dials: scaledObject.scalerAddress, or the chart's Service. */}}
{{- define "legit-scaler.scalerAddress" -}}
{{- if .Values.scaledObject.scalerAddress -}}
{{- .Values.scaledObject.scalerAddress -}}
{{- else -}}
{{- printf "%s.%s.svc.cluster.local:%d" (include "legit-scaler.fullname" .) .Release.Namespace (int .Values.ports.grpc) -}}
{{- end -}}
{{- end -}}

{{- define "legit-scaler.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Cross-field checks that values.schema.json cannot express (or that make a clearer message). */}}
{{- define "legit-scaler.validate" -}}
{{- $so := .Values.scaledObject -}}
{{- if gt (int $so.minReplicaCount) (int $so.maxReplicaCount) -}}
{{- fail (printf "scaledObject.minReplicaCount (%v) must not exceed scaledObject.maxReplicaCount (%v)" $so.minReplicaCount $so.maxReplicaCount) -}}
{{- end -}}
{{- if or (lt (int $so.fallback.replicas) (int $so.minReplicaCount)) (gt (int $so.fallback.replicas) (int $so.maxReplicaCount)) -}}
{{- fail (printf "scaledObject.fallback.replicas (%v) must lie within [minReplicaCount, maxReplicaCount] = [%v, %v]" $so.fallback.replicas $so.minReplicaCount $so.maxReplicaCount) -}}
{{- end -}}
{{- if eq (int .Values.ports.grpc) (int .Values.ports.metrics) -}}
{{- fail "ports.grpc and ports.metrics must differ" -}}
{{- end -}}
{{- if and .Values.tls.enabled (not .Values.tls.secretName) -}}
{{- fail "tls.enabled needs tls.secretName (a Secret with tls.crt, tls.key and ca.crt)" -}}
{{- end -}}
{{- if and .Values.tls.enabled $so.enabled (not $so.tlsClientSecret) -}}
{{- fail "tls.enabled with scaledObject.enabled needs scaledObject.tlsClientSecret (ca.crt, and tls.crt/tls.key for mTLS, in the ScaledObject's namespace)" -}}
{{- end -}}
{{- if lt (int .Values.replicaCount) 2 -}}
{{- fail "replicaCount must be at least 2" -}}
{{- end -}}
{{- end -}}
