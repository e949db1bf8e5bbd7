{{/* Shared by the monitoring templates (Prometheus Operator objects and the Grafana dashboard). */}}

{{/* Labels of every monitoring object: the chart's own, then monitoring.labels (e.g. release: kube-prometheus-stack). */}}
{{- define "eevee.monitoring.labels" -}}
{{- $labels := dict
  "app.kubernetes.io/name" "eevee"
  "app.kubernetes.io/instance" .Release.Name
  "app.kubernetes.io/part-of" "eevee-operator"
  "app.kubernetes.io/component" "monitoring"
  "app.kubernetes.io/version" .Chart.AppVersion
  "app.kubernetes.io/managed-by" .Release.Service
  "helm.sh/chart" (printf "%s-%s" .Chart.Name .Chart.Version)
-}}
{{- toYaml (merge (deepCopy (.Values.monitoring.labels | default dict)) $labels) -}}
{{- end -}}

{{/* The enabled components of the release, in order: controllers (leader-elected) first, then the gateway. */}}
{{- define "eevee.monitoring.controllers" -}}
{{- range $name := list "module-controller" "ipc-controller" "backup-controller" -}}
{{- if (index $.Values $name).enabled }}{{ $name }} {{ end -}}
{{- end -}}
{{- end -}}

{{/* A component's Deployment name, as its subchart names it (eevee.fullname). Call with (list $ "<component>"). */}}
{{- define "eevee.monitoring.fullname" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" $root.Release.Name (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The `job` label of a component's targets: <release namespace>/<Deployment name>, the Prometheus Operator's
default form, set explicitly so that the rules can select exactly this release's controllers. Call with
(list $ "<component>").
*/}}
{{- define "eevee.monitoring.job" -}}
{{- $root := index . 0 -}}
{{- printf "%s/%s" $root.Release.Namespace (include "eevee.monitoring.fullname" .) -}}
{{- end -}}

{{/* Whether a component serves every namespace (its own watchOtherNamespaces or the global one). */}}
{{- define "eevee.monitoring.clusterWide" -}}
{{- $root := index . 0 -}}
{{- if or $root.Values.global.watchOtherNamespaces (index $root.Values (index . 1)).watchOtherNamespaces -}}true{{- end -}}
{{- end -}}

{{/* namespaceSelector for objects the component creates in the namespaces it serves. Call with (list $ "<component>"). */}}
{{- define "eevee.monitoring.namespaceSelector" -}}
{{- $root := index . 0 -}}
{{- if include "eevee.monitoring.clusterWide" . }}
any: true
{{- else }}
matchNames:
  - {{ $root.Release.Namespace }}
{{- end }}
{{- end -}}
