{{/* Names and labels shared by every eevee chart. Template names are global across the release. */}}

{{- define "eevee.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "eevee.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "eevee.labels" -}}
{{ include "eevee.selectorLabels" . }}
app.kubernetes.io/part-of: eevee-operator
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "eevee.image" -}}
{{- $repository := .Values.image.repository | default (printf "%s/%s" .Values.global.image.registry .Chart.Name) -}}
{{- $tag := .Values.image.tag | default .Values.global.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{ $repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ $repository }}:{{ $tag }}
{{- end -}}
{{- end -}}

{{/* The namespaces a controller serves: its release namespace, or every namespace. */}}
{{- define "eevee.clusterWide" -}}
{{- if or .Values.watchOtherNamespaces .Values.global.watchOtherNamespaces -}}true{{- end -}}
{{- end -}}

{{/* The API token Secret: the gateway reads it, modules with mountOperatorApiToken mount it. */}}
{{- define "eevee.apiTokenSecret" -}}
{{- .Values.global.apiToken.secretName | default (printf "%s-api-gateway-token" .Release.Name) -}}
{{- end -}}
