{{/* Pod pieces every eevee process shares: security, the NATS event bus, scheduling. */}}

{{- define "eevee.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "eevee.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
The controllers' NATS event bus (hints only; off by default, and everything converges without it): an existing
NATS (`url` and `tokenSecret`), or the NATS of an IpcConfig in the release namespace (`ipcConfig`: its Service
on the default client port and its token Secret).
*/}}
{{- define "eevee.eventsNats" -}}
{{- $nats := .Values.global.events.nats -}}
{{- if $nats.url -}}
{{- dict "url" $nats.url "secret" $nats.tokenSecret.name "key" ($nats.tokenSecret.key | default "token") | toJson -}}
{{- else if $nats.ipcConfig -}}
{{- $url := printf "nats://eevee-%s-nats.%s.svc:4222" $nats.ipcConfig .Release.Namespace -}}
{{- dict "url" $url "secret" ($nats.tokenSecret.name | default "nats-token") "key" ($nats.tokenSecret.key | default "token") | toJson -}}
{{- else -}}
{}
{{- end -}}
{{- end -}}

{{- define "eevee.eventsEnv" -}}
{{- $nats := include "eevee.eventsNats" . | fromJson -}}
{{- if $nats.url }}
- name: EEVEE_EVENTS_NATS_URL
  value: {{ $nats.url | quote }}
{{- if $nats.secret }}
- name: EEVEE_EVENTS_NATS_TOKEN_FILE
  value: /var/run/eevee/nats/{{ $nats.key }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "eevee.eventsVolumeMount" -}}
{{- $nats := include "eevee.eventsNats" . | fromJson -}}
{{- if and $nats.url $nats.secret }}
- name: nats-token
  mountPath: /var/run/eevee/nats
  readOnly: true
{{- end }}
{{- end -}}

{{- define "eevee.eventsVolume" -}}
{{- $nats := include "eevee.eventsNats" . | fromJson -}}
{{- if and $nats.url $nats.secret }}
- name: nats-token
  secret:
    secretName: {{ $nats.secret }}
    items:
      - key: {{ $nats.key }}
        path: {{ $nats.key }}
{{- end }}
{{- end -}}

{{- define "eevee.scheduling" -}}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .Values.affinity }}
affinity:
  {{- toYaml .Values.affinity | nindent 2 }}
{{- else }}
# Replicas on different nodes when possible, so a node loss does not take every replica.
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "eevee.selectorLabels" . | nindent 14 }}
{{- end }}
{{- with .Values.global.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}

{{- define "eevee.pdb" -}}
{{- if and .Values.podDisruptionBudget.enabled (gt (int .Values.replicas) 1) }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "eevee.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "eevee.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .Values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "eevee.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}
