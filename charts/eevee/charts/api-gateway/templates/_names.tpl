{{- define "api-gateway.tokenSecret" -}}
{{- .Values.apiToken.existingSecret | default .Values.global.apiToken.secretName | default (printf "%s-api-gateway-token" .Release.Name) -}}
{{- end -}}
