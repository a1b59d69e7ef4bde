{{/* Names and labels. */}}
{{- define "nuthatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "nuthatch.fullname" -}}
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

{{- define "nuthatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nuthatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "nuthatch.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "nuthatch.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "nuthatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "nuthatch.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the password, and its key. */}}
{{- define "nuthatch.secretName" -}}
{{- default (include "nuthatch.fullname" .) .Values.password.existingSecret }}
{{- end }}

{{/*
The image. An upstream Redis or Valkey image cannot run the Nuthatch launcher, so a values file
written for one (the seed chart's `redis:7-alpine`) gets the Nuthatch image of this chart's
appVersion instead of a pod that can never start.
*/}}
{{- define "nuthatch.upstreamImage" -}}
{{- $repo := .Values.image.repository | lower }}
{{- $last := last (splitList "/" $repo) }}
{{- if or (eq $last "redis") (eq $last "valkey") (eq $last "redis-stack-server") (eq $last "redis-stack") }}true{{ end }}
{{- end }}

{{- define "nuthatch.image" -}}
{{- if include "nuthatch.upstreamImage" . }}
{{- printf "nuthatch:%s" .Chart.AppVersion }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Bytes of a Kubernetes quantity (512Mi, 1Gi, 1G, 500M, 0.5Gi, 536870912): the suffix chooses the
multiplier, the number may carry a fraction.
*/}}
{{- define "nuthatch.quantityBytes" -}}
{{- $q := toString . }}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" $q }}
{{- $suffix := trimPrefix $number $q }}
{{- $units := dict "" 1 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 }}
{{- if or (not $number) (not (hasKey $units $suffix)) }}
{{- fail (printf "resources.limits.memory %q is not a quantity this chart reads (use Ki, Mi, Gi, Ti, k, M, G or T)" $q) }}
{{- end }}
{{- mulf (float64 $number) (index $units $suffix) | int64 }}
{{- end }}

{{/*
maxmemory as the config file writes it: a percentage of the container's memory limit becomes
bytes, so that `maxmemory: 75%` follows the limit when it changes; anything else is passed on.
*/}}
{{- define "nuthatch.maxmemory" -}}
{{- $value := toString .Values.settings.maxmemory }}
{{- if hasSuffix "%" $value }}
{{- $limit := "" }}
{{- if and .Values.resources .Values.resources.limits }}{{ $limit = .Values.resources.limits.memory }}{{ end }}
{{- if not $limit }}
{{- fail (printf "settings.maxmemory %s is a share of resources.limits.memory, which is not set" $value) }}
{{- end }}
{{- $percent := trimSuffix "%" $value | int64 }}
{{- div (mul (include "nuthatch.quantityBytes" $limit | int64) $percent) 100 }}
{{- else }}
{{- $value }}
{{- end }}
{{- end }}
