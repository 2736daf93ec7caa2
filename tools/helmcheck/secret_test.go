package helmcheck

import (
	"encoding/base64"
	"path"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// secretSettings are the settings that must reach wxlogin only as files.
var secretSettings = []string{"WXLOGIN_DATABASE_URL", "WXLOGIN_VAULT_TOKEN", "WXLOGIN_VAULT_APPROLE_SECRET_ID", "WXLOGIN_REDIS_URL"}

func TestSecretValuesOnlyInSecrets(t *testing.T) {
	const (
		dbURL    = "postgres://wx:pw-Zq81@db:5432/wx"
		token    = "hvs.token-Zq81"
		secretID = "secret-id-Zq81"
		redisURL = "rediss://:redis-pw-Zq81@cache:6380/0"
	)
	for _, auth := range []string{"token", "approle"} {
		t.Run(auth, func(t *testing.T) {
			r := mustRender(t, values(t, allOn(t),
				"existingSecret: ''\nsecrets: {databaseURL: '"+dbURL+"', vaultToken: '"+token+"', vaultAppRoleSecretID: '"+secretID+"', redisURL: '"+redisURL+"'}",
				"vault: {auth: "+auth+", approle: {roleID: role-1}}"))
			plain := []string{dbURL, "pw-Zq81", token, secretID, redisURL, "redis-pw-Zq81"}
			var leaks []string
			for _, p := range plain {
				leaks = append(leaks, p, base64.StdEncoding.EncodeToString([]byte(p)))
			}
			for _, m := range r.manifests {
				if m.Kind == "Secret" {
					continue
				}
				for _, l := range leaks {
					if strings.Contains(m.YAML, l) {
						t.Errorf("%s %s holds the secret value %q", m.Kind, m.Name, l)
					}
				}
			}
			for _, l := range leaks {
				if strings.Contains(r.notes, l) {
					t.Errorf("NOTES hold the secret value %q", l)
				}
			}
			for _, m := range r.all("Secret") {
				for k, v := range m.Object.(*corev1.Secret).Data {
					if !slices.Contains(plain, string(v)) {
						t.Errorf("Secret %s key %s holds %q, not one of the given secrets", m.Name, k, v)
					}
				}
			}
			checkSecretsAreFiles(t, r)
		})
	}
}

// checkSecretsAreFiles checks that no container gets a secret setting as an
// environment value, nor anything from a Secret through its environment, and
// that every WXLOGIN_*_FILE names a file of a mounted Secret volume.
func checkSecretsAreFiles(t *testing.T, r *rendered) {
	t.Helper()
	cm := get[corev1.ConfigMap](t, r, "ConfigMap", fullname).Data
	for _, s := range secretSettings {
		if _, ok := cm[s]; ok {
			t.Errorf("ConfigMap holds %s; it must come from %s_FILE", s, s)
		}
	}
	for name, spec := range podSpecs(t, r) {
		for _, c := range spec.Containers {
			env := map[string]string{}
			for _, e := range c.EnvFrom {
				if e.SecretRef != nil {
					t.Errorf("%s: envFrom Secret %s", name, e.SecretRef.Name)
				}
				if e.ConfigMapRef != nil {
					for k, v := range cm {
						env[k] = v
					}
				}
			}
			for _, e := range c.Env {
				if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
					t.Errorf("%s: env %s from a Secret", name, e.Name)
				}
				if slices.Contains(secretSettings, e.Name) {
					t.Errorf("%s: env %s given as a value", name, e.Name)
				}
				env[e.Name] = e.Value
			}
			for k, v := range env {
				if strings.HasSuffix(k, "_FILE") && !mountsSecretFile(spec, c, v) {
					t.Errorf("%s: %s=%s is no file of a mounted Secret", name, k, v)
				}
			}
		}
	}
}

// mountsSecretFile tells whether container c of spec sees file as one of the
// items of a Secret volume.
func mountsSecretFile(spec corev1.PodSpec, c corev1.Container, file string) bool {
	for _, m := range c.VolumeMounts {
		for _, v := range spec.Volumes {
			if v.Name != m.Name || v.Secret == nil {
				continue
			}
			for _, it := range v.Secret.Items {
				if path.Join(m.MountPath, it.Path) == file {
					return true
				}
			}
		}
	}
	return false
}

func TestExistingSecret(t *testing.T) {
	r := mustRender(t, values(t, allOn(t), "existingSecret: wxlogin-prod\nsecrets: {databaseURL: '', vaultToken: '', vaultAppRoleSecretID: '', redisURL: ''}"))
	if s := r.all("Secret"); len(s) != 0 {
		t.Errorf("%d Secrets rendered with existingSecret, want none", len(s))
	}
	d := get[appsv1.Deployment](t, r, "Deployment", fullname).Spec.Template.Spec
	j := get[batchv1.Job](t, r, "Job", fullname+"-migrate").Spec.Template.Spec
	for name, spec := range map[string]corev1.PodSpec{"Deployment": d, "Job": j} {
		if got := secretVolumeName(spec); got != "wxlogin-prod" {
			t.Errorf("%s mounts Secret %q, want wxlogin-prod", name, got)
		}
	}
	if _, ok := get[appsv1.Deployment](t, r, "Deployment", fullname).Spec.Template.Annotations["checksum/secret"]; ok {
		t.Error("checksum/secret annotation with an existing Secret the chart cannot see")
	}
	checkSecretsAreFiles(t, r)
}

func TestChartSecret(t *testing.T) {
	r := mustRender(t, values(t, "existingSecret: ''\nsecrets: {databaseURL: 'postgres://db/wx'}"))
	d := get[appsv1.Deployment](t, r, "Deployment", fullname).Spec.Template.Spec
	if got := secretVolumeName(d); got != fullname {
		t.Errorf("Deployment mounts Secret %q, want the chart's %q", got, fullname)
	}
	j := get[batchv1.Job](t, r, "Job", fullname+"-migrate").Spec.Template.Spec
	if got := secretVolumeName(j); got != fullname+"-migrate" {
		t.Errorf("Job mounts Secret %q, want the hook Secret %q", got, fullname+"-migrate")
	}
	if got := string(get[corev1.Secret](t, r, "Secret", fullname+"-migrate").Data["database-url"]); got != "postgres://db/wx" {
		t.Errorf("hook Secret database-url %q", got)
	}
}

func secretVolumeName(spec corev1.PodSpec) string {
	for _, v := range spec.Volumes {
		if v.Secret != nil {
			return v.Secret.SecretName
		}
	}
	return ""
}
