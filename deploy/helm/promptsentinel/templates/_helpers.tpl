{{/* Names, labels and the few derived values every template shares. */}}

{{- define "promptsentinel.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "promptsentinel.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "promptsentinel.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "promptsentinel.selectorLabels" -}}
app.kubernetes.io/name: {{ include "promptsentinel.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "promptsentinel.labels" -}}
helm.sh/chart: {{ include "promptsentinel.chart" . }}
{{ include "promptsentinel.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "promptsentinel.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "promptsentinel.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "promptsentinel.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "promptsentinel.secretName" -}}
{{- default (printf "%s-secrets" (include "promptsentinel.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{- define "promptsentinel.redis.fullname" -}}
{{- printf "%s-redis" (include "promptsentinel.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "promptsentinel.redis.secretName" -}}
{{- default (include "promptsentinel.redis.fullname" .) .Values.redis.auth.existingSecret }}
{{- end }}

{{- define "promptsentinel.redis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "promptsentinel.name" . }}-redis
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The Redis password: given, else the one already stored, else a new random one. */}}
{{- define "promptsentinel.redis.password" -}}
{{- if .Values.redis.auth.password }}
{{- .Values.redis.auth.password }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "promptsentinel.redis.fullname" .) }}
{{- if and $existing $existing.data (hasKey $existing.data "redis-password") }}
{{- index $existing.data "redis-password" | b64dec }}
{{- else }}
{{- randAlphaNum 32 }}
{{- end }}
{{- end }}
{{- end }}

{{/* True (non-empty) when the service can reach some shared Redis. */}}
{{- define "promptsentinel.hasRedis" -}}
{{- if or .Values.redis.enabled .Values.redis.external.url .Values.redis.external.cluster }}true{{ end }}
{{- end }}

{{/* Refuse combinations that would stop every pod at start-up. */}}
{{- define "promptsentinel.validate" -}}
{{- if not (has .Values.auth.mode (list "none" "optional" "required")) }}
{{- fail (printf "auth.mode must be none, optional or required (got %q)" .Values.auth.mode) }}
{{- end }}
{{- if and .Values.redis.external.url .Values.redis.external.cluster }}
{{- fail "redis.external: set url or cluster, not both (REDIS_URL or REDIS_CLUSTER)" }}
{{- end }}
{{- if and .Values.redis.enabled (or .Values.redis.external.url .Values.redis.external.cluster) }}
{{- fail "redis.enabled runs Redis in the chart: leave redis.external empty, or disable it" }}
{{- end }}
{{- if not (has .Values.redis.architecture (list "standalone" "replication")) }}
{{- fail "redis.architecture must be standalone or replication" }}
{{- end }}
{{- if and (eq .Values.auth.mode "required") (not (include "promptsentinel.hasRedis" .)) (not .Values.auth.existingSecret) (not .Values.auth.apiKeysSecret) (not .Values.secrets.adminApiKey) }}
{{- fail "auth.mode=required but no key can ever be valid: enable redis (or redis.external), or set auth.apiKeysSecret, auth.existingSecret or secrets.adminApiKey" }}
{{- end }}
{{- if and .Values.secrets.adminApiKey (lt (len .Values.secrets.adminApiKey) 32) }}
{{- fail "secrets.adminApiKey must be at least 32 characters (ADMIN_API_KEY)" }}
{{- end }}
{{- end }}
