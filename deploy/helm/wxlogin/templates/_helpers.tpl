{{/* The chart's name, or nameOverride. */}}
{{- define "wxlogin.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The prefix of every resource's name: fullnameOverride, or {release}-{name} (the release name alone when it holds the name). */}}
{{- define "wxlogin.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "wxlogin.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the release's pods; a component label tells the server from the Jobs and test pods. */}}
{{- define "wxlogin.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wxlogin.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of every resource. */}}
{{- define "wxlogin.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "wxlogin.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The wxlogin image, by digest when one is given. */}}
{{- define "wxlogin.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}
{{- end -}}

{{/* The ServiceAccount of the pods. */}}
{{- define "wxlogin.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "wxlogin.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding wxlogin's secrets: existingSecret, or the chart's own. */}}
{{- define "wxlogin.secretName" -}}
{{- .Values.existingSecret | default (include "wxlogin.fullname" .) -}}
{{- end -}}

{{/* Where the Secret's keys are mounted as files. */}}
{{- define "wxlogin.secretDir" -}}/etc/wxlogin/secrets{{- end -}}

{{/*
The keys of the Secret that the server reads, each as "KEY=SETTING" on its own
line: the file KEY holds the value of WXLOGIN_<SETTING>.
*/}}
{{- define "wxlogin.secretFiles" -}}
database-url=DATABASE_URL
{{- if eq .Values.vault.auth "token" }}
vault-token=VAULT_TOKEN
{{- else if eq .Values.vault.auth "approle" }}
vault-approle-secret-id=VAULT_APPROLE_SECRET_ID
{{- end -}}
{{- if .Values.redis.enabled }}
redis-url=REDIS_URL
{{- end -}}
{{- end -}}

{{/* The volume of the Secret's files, restricted to the keys in "keys". */}}
{{- define "wxlogin.secretVolume" -}}
- name: secrets
  secret:
    secretName: {{ .secretName }}
    defaultMode: 0440
    items:
      {{- range .keys }}
      - key: {{ . }}
        path: {{ . }}
      {{- end }}
{{- end -}}

{{/* The security context of every container: non-root, read-only, no capabilities. */}}
{{- define "wxlogin.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* The security context of every pod; 65532 is the image's nonroot user. */}}
{{- define "wxlogin.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The keys of the Secret that the server reads, as a list. */}}
{{- define "wxlogin.secretKeys" -}}
{{- range (include "wxlogin.secretFiles" . | splitList "\n") }}
{{ first (splitList "=" .) }}
{{- end -}}
{{- end -}}

{{/* The data of a Secret the chart makes: the values of the keys in "keys". */}}
{{- define "wxlogin.secretData" -}}
{{- $s := .root.Values.secrets -}}
{{- $values := dict "database-url" $s.databaseURL "vault-token" $s.vaultToken "vault-approle-secret-id" $s.vaultAppRoleSecretID "redis-url" $s.redisURL -}}
{{- range .keys }}
{{ . }}: {{ get $values . | b64enc | quote }}
{{- end -}}
{{- end -}}

{{/* The image pull Secrets of every pod that runs the wxlogin image. */}}
{{- define "wxlogin.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets -}}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end -}}
{{- end -}}

{{/* The nodes the server and the migration Job may run on. */}}
{{- define "wxlogin.placement" -}}
{{- $placement := dict -}}
{{- with .Values.nodeSelector }}{{ $_ := set $placement "nodeSelector" . }}{{ end -}}
{{- with .Values.tolerations }}{{ $_ := set $placement "tolerations" . }}{{ end -}}
{{- with $placement }}{{ toYaml . }}{{ end -}}
{{- end -}}
