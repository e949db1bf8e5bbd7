{{/* The backup-controller has no settings beyond the runtime's. */}}
{{- define "backup-controller.env" -}}
{{- end -}}
