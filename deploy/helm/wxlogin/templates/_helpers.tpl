{{- define "wxlogin.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "wxlogin.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "wxlogin.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "wxlogin.env" -}}
- name: WXLOGIN_HTTP_ADDR
  value: ":8080"
- name: WXLOGIN_PUBLIC_URL
  value: {{ .Values.publicURL | quote }}
- name: WXLOGIN_VAULT_ADDR
  value: {{ .Values.vault.addr | quote }}
- name: WXLOGIN_VAULT_MOUNT
  value: {{ .Values.vault.mount | quote }}
- name: WXLOGIN_VAULT_PREFIX
  value: {{ .Values.vault.prefix | quote }}
- name: WXLOGIN_SANDBOX
  value: {{ .Values.sandbox | quote }}
- name: WXLOGIN_DATA_DIR
  value: /tmp/wxlogin
{{- end -}}
