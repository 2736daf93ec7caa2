package helmcheck

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

func TestMigrationJobIsAHook(t *testing.T) {
	r := mustRender(t, values(t, allOn(t)))
	var job, secret manifest
	for _, m := range r.manifests {
		switch {
		case m.Kind == "Job":
			job = m
		case m.Kind == "Secret" && m.Name == fullname+"-migrate":
			secret = m
		}
	}
	for _, m := range []manifest{job, secret} {
		if m.Annotations["helm.sh/hook"] != "pre-install,pre-upgrade" {
			t.Errorf("%s %s: helm.sh/hook %q, want pre-install,pre-upgrade", m.Kind, m.Name, m.Annotations["helm.sh/hook"])
		}
		if !strings.Contains(m.Annotations["helm.sh/hook-delete-policy"], "hook-succeeded") {
			t.Errorf("%s %s: left behind after a successful migration", m.Kind, m.Name)
		}
	}
	if weight(t, secret) >= weight(t, job) {
		t.Errorf("hook Secret weight %d not below the Job's %d: the Job may start before its Secret exists", weight(t, secret), weight(t, job))
	}
	spec := job.Object.(*batchv1.Job).Spec.Template.Spec
	c := spec.Containers[0]
	if !slices.Equal(c.Args, []string{"migrate", "up"}) {
		t.Errorf("Job args %v, want [migrate up]", c.Args)
	}
	if spec.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("Job restartPolicy %s, want Never", spec.RestartPolicy)
	}
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		t.Error("the migration Job gets a ServiceAccount token it does not need")
	}
	if len(c.EnvFrom) > 0 {
		t.Errorf("Job envFrom %v: the release's ConfigMap does not exist yet on install", c.EnvFrom)
	}
	for _, e := range c.Env {
		if strings.HasPrefix(e.Name, "WXLOGIN_VAULT_") {
			t.Errorf("Job gets %s; migrations need only the database", e.Name)
		}
	}
	if got := secretItems(spec, "secrets"); !slices.Equal(got, []string{"database-url"}) {
		t.Errorf("Job mounts secret files %v, want only database-url", got)
	}
}

func weight(t *testing.T, m manifest) int {
	t.Helper()
	w, err := strconv.Atoi(m.Annotations["helm.sh/hook-weight"])
	if err != nil {
		t.Fatalf("%s %s: hook weight: %v", m.Kind, m.Name, err)
	}
	return w
}

func TestHelmTestPod(t *testing.T) {
	tests := []struct {
		name, values string
		want, absent []string
	}{
		{"no tenant", "", []string{"http://wx-wxlogin:80/readyz"}, []string{"jwks.json"}},
		{"tenant and port", "tests: {tenant: acme}\nservice: {port: 8000}",
			[]string{"http://wx-wxlogin:8000/readyz", "http://wx-wxlogin:8000/t/acme/.well-known/jwks.json"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRender(t, values(t, tt.values))
			pods := r.all("Pod")
			if len(pods) != 1 || pods[0].Annotations["helm.sh/hook"] != "test" {
				t.Fatalf("want one Pod with helm.sh/hook test, got %+v", pods)
			}
			c := pods[0].Object.(*corev1.Pod).Spec.Containers[0]
			if c.Image != "busybox:1.37.0" {
				t.Errorf("test image %s, want busybox pinned to 1.37.0", c.Image)
			}
			script := strings.Join(append(c.Command, c.Args...), " ")
			for _, w := range tt.want {
				if !strings.Contains(script, "wget -q -T 10 -O - "+w) {
					t.Errorf("test script does not fetch %s:\n%s", w, script)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(script, a) {
					t.Errorf("test script fetches %s:\n%s", a, script)
				}
			}
		})
	}
}
