{{/* The ipc-controller has no settings beyond the runtime's. */}}
{{- define "ipc-controller.env" -}}
{{- end -}}
