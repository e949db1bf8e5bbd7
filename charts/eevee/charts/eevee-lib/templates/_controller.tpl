{{/*
The Deployment of a controller (module-, ipc-, backup-controller): leader election among its replicas, health
on :8081 (/healthz, /readyz), metrics on :8080, and the chart's own settings from the `<chart>.env` template.
*/}}
{{- define "eevee.controller.deployment" -}}
{{- $name := include "eevee.fullname" . -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "eevee.labels" . | nindent 4 }}
    app.kubernetes.io/component: controller
spec:
  replicas: {{ .Values.replicas }}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      {{- include "eevee.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        {{- include "eevee.labels" . | nindent 8 }}
        app.kubernetes.io/component: controller
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ $name }}
      securityContext:
        {{- include "eevee.podSecurityContext" . | nindent 8 }}
      # A graceful shutdown finishes in-flight reconciles and releases the Lease (SHUTDOWN_TIMEOUT_SECONDS).
      terminationGracePeriodSeconds: {{ add .Values.shutdownTimeoutSeconds 5 }}
      {{- with (include "eevee.scheduling" . | trim) }}{{ . | nindent 6 }}{{- end }}
      containers:
        - name: controller
          image: {{ include "eevee.image" . }}
          imagePullPolicy: {{ .Values.image.pullPolicy | default .Values.global.image.pullPolicy }}
          env:
            - name: NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: WATCH_OTHER_NAMESPACES
              value: {{ include "eevee.clusterWide" . | default "false" | quote }}
            - name: KUBE_IN_CLUSTER_CONFIG
              value: "true"
            - name: LEADER_ELECT
              value: {{ .Values.leaderElection | quote }}
            - name: LOG_LEVEL
              value: {{ .Values.logLevel | default .Values.global.logLevel | quote }}
            - name: METRICS_PORT
              value: "8080"
            - name: HEALTH_PORT
              value: "8081"
            - name: RECONCILE_CONCURRENCY
              value: {{ .Values.concurrency | quote }}
            - name: RESYNC_SECONDS
              value: {{ .Values.resyncSeconds | quote }}
            - name: SHUTDOWN_TIMEOUT_SECONDS
              value: {{ .Values.shutdownTimeoutSeconds | quote }}
            {{- with (include "eevee.eventsEnv" . | trim) }}{{ . | nindent 12 }}{{- end }}
            {{- with (include (printf "%s.env" .Chart.Name) . | trim) }}{{ . | nindent 12 }}{{- end }}
            {{- with .Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          ports:
            - name: metrics
              containerPort: 8080
              protocol: TCP
            - name: health
              containerPort: 8081
              protocol: TCP
          startupProbe:
            httpGet:
              path: /healthz
              port: health
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet:
              path: /healthz
              port: health
            periodSeconds: 10
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /readyz
              port: health
            periodSeconds: 5
            failureThreshold: 3
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            {{- include "eevee.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with (include "eevee.eventsVolumeMount" . | trim) }}{{ . | nindent 12 }}{{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- with (include "eevee.eventsVolume" . | trim) }}{{ . | nindent 8 }}{{- end }}
{{- end -}}
