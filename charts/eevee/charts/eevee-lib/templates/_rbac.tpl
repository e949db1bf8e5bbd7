{{/*
ServiceAccount and RBAC of a controller. The rules are in the chart's files/rbac.yaml, generated from the
controller's code (pnpm --filter @eevee/charts generate): `rules` for the namespaces it serves, `ownNamespaceRules`
for its own (its leader-election Lease). Namespace-scoped (Role) by default; a ClusterRole when it watches all
namespaces.
*/}}
{{- define "eevee.rbac" -}}
{{- $name := include "eevee.fullname" . -}}
{{- $rbac := .Files.Get "files/rbac.yaml" | fromYaml -}}
{{- $clusterWide := include "eevee.clusterWide" . -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "eevee.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: true
---
apiVersion: rbac.authorization.k8s.io/v1
kind: {{ if $clusterWide }}ClusterRole{{ else }}Role{{ end }}
metadata:
  name: {{ $name }}
  {{- if not $clusterWide }}
  namespace: {{ .Release.Namespace }}
  {{- end }}
  labels:
    {{- include "eevee.labels" . | nindent 4 }}
rules:
  {{- toYaml (ternary $rbac.rules (concat $rbac.rules ($rbac.ownNamespaceRules | default list)) (eq $clusterWide "true")) | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: {{ if $clusterWide }}ClusterRoleBinding{{ else }}RoleBinding{{ end }}
metadata:
  name: {{ $name }}
  {{- if not $clusterWide }}
  namespace: {{ .Release.Namespace }}
  {{- end }}
  labels:
    {{- include "eevee.labels" . | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: {{ if $clusterWide }}ClusterRole{{ else }}Role{{ end }}
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ $name }}
    namespace: {{ .Release.Namespace }}
{{- if and $clusterWide $rbac.ownNamespaceRules }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}-leader-election
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "eevee.labels" . | nindent 4 }}
rules:
  {{- toYaml $rbac.ownNamespaceRules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $name }}-leader-election
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "eevee.labels" . | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $name }}-leader-election
subjects:
  - kind: ServiceAccount
    name: {{ $name }}
    namespace: {{ .Release.Namespace }}
{{- end }}
{{- end -}}
