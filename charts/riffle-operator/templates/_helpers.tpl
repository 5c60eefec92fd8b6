{{/* Name of the chart, or nameOverride. */}}
{{- define "riffle-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the objects: fullnameOverride, else the release name, suffixed with the chart name unless the
release name already contains it. Truncated to 52 characters so that derived names stay valid.
*/}}
{{- define "riffle-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels that select the operator pods (never change them: Deployment selectors are immutable). */}}
{{- define "riffle-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "riffle-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{/* Labels of every object of the chart. */}}
{{- define "riffle-operator.labels" -}}
{{ include "riffle-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: riffle
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the operator's ServiceAccount. */}}
{{- define "riffle-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "riffle-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false: name an existing ServiceAccount that has the operator's permissions" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the leader-election Lease. */}}
{{- define "riffle-operator.leaseName" -}}
{{- default (include "riffle-operator.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{/* The operator image: repository@digest, or repository:tag (tag defaults to the appVersion). */}}
{{- define "riffle-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The namespaces whose StreamJobs the operator reconciles, comma-separated (RIFFLE_WATCH_NAMESPACES): empty for
all namespaces, else watchNamespaces, else the release namespace.
*/}}
{{- define "riffle-operator.watchNamespaces" -}}
{{- if .Values.watchAllNamespaces }}
{{- else if .Values.watchNamespaces }}
{{- join "," .Values.watchNamespaces }}
{{- else }}
{{- .Release.Namespace }}
{{- end }}
{{- end }}

{{/*
Checks across values that values.schema.json cannot state clearly. Each message names the values and the fix.
*/}}
{{- define "riffle-operator.validate" -}}
{{- if and .Values.watchAllNamespaces .Values.watchNamespaces }}
{{- fail (printf "watchAllNamespaces: true watches every namespace, so watchNamespaces must be empty (got %s): remove watchNamespaces, or set watchAllNamespaces: false to watch only those namespaces" (join ", " .Values.watchNamespaces)) }}
{{- end }}
{{- if and (gt (int .Values.replicas) 1) (not .Values.leaderElection.enabled) }}
{{- fail (printf "replicas: %d needs leaderElection.enabled: true, otherwise the replicas would reconcile the same StreamJobs at once: enable leader election or set replicas: 1" (int .Values.replicas)) }}
{{- end }}
{{- if eq (int .Values.metrics.port) (int .Values.health.port) }}
{{- fail (printf "metrics.port and health.port are both %d: give them different ports" (int .Values.metrics.port)) }}
{{- end }}
{{- end }}
