{{/* The module-controller's own settings: where modules reach the API gateway and its token Secret. */}}
{{- define "module-controller.env" -}}
- name: EEVEE_OPERATOR_API_URL
  value: {{ .Values.operatorApiUrl | default (printf "http://%s-api-gateway.%s.svc:9000" .Release.Name .Release.Namespace) | quote }}
- name: EEVEE_OPERATOR_API_TOKEN_SECRET
  value: {{ include "eevee.apiTokenSecret" . | quote }}
- name: EEVEE_OPERATOR_API_TOKEN_SECRET_KEY
  value: {{ .Values.global.apiToken.key | quote }}
{{- end -}}
