package helmcheck

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart/loader"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

func TestProbes(t *testing.T) {
	d := get[appsv1.Deployment](t, mustRender(t, values(t)), "Deployment", fullname)
	c := d.Spec.Template.Spec.Containers[0]
	for _, p := range []struct {
		name  string
		probe *corev1.Probe
		path  string
	}{{"liveness", c.LivenessProbe, "/healthz"}, {"readiness", c.ReadinessProbe, "/readyz"}} {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Fatalf("%s probe: %+v, want an HTTP GET", p.name, p.probe)
		}
		// The metrics listener stays open while the HTTP port drains.
		if p.probe.HTTPGet.Path != p.path || p.probe.HTTPGet.Port.String() != "metrics" {
			t.Errorf("%s probe gets %s on port %s, want %s on metrics", p.name, p.probe.HTTPGet.Path, p.probe.HTTPGet.Port.String(), p.path)
		}
	}
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["http"] != 8080 || ports["metrics"] != 9090 {
		t.Errorf("container ports %v, want http 8080 and metrics 9090", ports)
	}
	if !slices.Equal(c.Args, []string{"serve"}) {
		t.Errorf("args %v, want [serve]", c.Args)
	}
}

// podSpecs are the pod templates of everything the chart runs: the server,
// the migration Job and the test pod.
func podSpecs(t *testing.T, r *rendered) map[string]corev1.PodSpec {
	t.Helper()
	return map[string]corev1.PodSpec{
		"Deployment": get[appsv1.Deployment](t, r, "Deployment", fullname).Spec.Template.Spec,
		"Job":        get[batchv1.Job](t, r, "Job", fullname+"-migrate").Spec.Template.Spec,
		"test Pod":   get[corev1.Pod](t, r, "Pod", fullname+"-test").Spec,
	}
}

func TestPodsAreLockedDown(t *testing.T) {
	for _, vals := range []map[string]any{values(t), values(t, allOn(t))} {
		for name, spec := range podSpecs(t, mustRender(t, vals)) {
			sc := spec.SecurityContext
			if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 {
				t.Errorf("%s: pod securityContext %+v, want runAsNonRoot and a non-zero runAsUser", name, sc)
			}
			if sc == nil || sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
				t.Errorf("%s: seccomp profile is not RuntimeDefault", name)
			}
			for _, c := range spec.Containers {
				checkContainerLockedDown(t, name+" container "+c.Name, c)
			}
			for _, v := range spec.Volumes {
				if v.EmptyDir == nil && v.Secret == nil {
					t.Errorf("%s: volume %s is neither an emptyDir nor a Secret", name, v.Name)
				}
			}
		}
	}
}

func checkContainerLockedDown(t *testing.T, name string, c corev1.Container) {
	t.Helper()
	sc := c.SecurityContext
	if sc == nil {
		t.Errorf("%s: no securityContext", name)
		return
	}
	if sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
		t.Errorf("%s: runAsNonRoot is not true", name)
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Errorf("%s: readOnlyRootFilesystem is not true", name)
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Errorf("%s: allowPrivilegeEscalation is not false", name)
	}
	if sc.Privileged != nil && *sc.Privileged {
		t.Errorf("%s: privileged", name)
	}
	if sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0 {
		t.Errorf("%s: capabilities %+v, want all dropped and none added", name, sc.Capabilities)
	}
	if c.Resources.Limits.Memory().IsZero() || c.Resources.Requests.Memory().IsZero() {
		t.Errorf("%s: resources %+v, want memory requests and limits", name, c.Resources)
	}
	for _, m := range c.VolumeMounts {
		if m.Name == "secrets" && !m.ReadOnly {
			t.Errorf("%s: secrets mounted writable", name)
		}
	}
}

func TestRollingUpdateAndReplicas(t *testing.T) {
	d := get[appsv1.Deployment](t, mustRender(t, values(t)), "Deployment", fullname)
	if d.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType || d.Spec.Strategy.RollingUpdate.MaxUnavailable.IntValue() != 0 {
		t.Errorf("strategy %+v, want rolling updates that keep every pod until its replacement is ready", d.Spec.Strategy)
	}
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
		t.Errorf("replicas %v, want 2", d.Spec.Replicas)
	}
	d = get[appsv1.Deployment](t, mustRender(t, values(t, "autoscaling: {enabled: true}")), "Deployment", fullname)
	if d.Spec.Replicas != nil {
		t.Errorf("replicas %d with autoscaling, want them left to the HorizontalPodAutoscaler", *d.Spec.Replicas)
	}
}

func TestGracePeriodExceedsShutdownTimeout(t *testing.T) {
	for _, tt := range []struct{ shutdown, preStop int }{{20, 5}, {600, 60}, {1, 0}} {
		t.Run(fmt.Sprintf("shutdown %ds, preStop %ds", tt.shutdown, tt.preStop), func(t *testing.T) {
			r := mustRender(t, values(t, fmt.Sprintf("config: {shutdownTimeoutSeconds: %d}\npreStopSleepSeconds: %d", tt.shutdown, tt.preStop)))
			cm := get[corev1.ConfigMap](t, r, "ConfigMap", fullname)
			timeout, err := time.ParseDuration(cm.Data["WXLOGIN_SHUTDOWN_TIMEOUT"])
			if err != nil || timeout != time.Duration(tt.shutdown)*time.Second {
				t.Fatalf("WXLOGIN_SHUTDOWN_TIMEOUT %q (%v), want %ds", cm.Data["WXLOGIN_SHUTDOWN_TIMEOUT"], err, tt.shutdown)
			}
			spec := get[appsv1.Deployment](t, r, "Deployment", fullname).Spec.Template.Spec
			var sleep time.Duration
			if h := spec.Containers[0].Lifecycle; h != nil && h.PreStop != nil && h.PreStop.Sleep != nil {
				sleep = time.Duration(h.PreStop.Sleep.Seconds) * time.Second
			}
			if sleep != time.Duration(tt.preStop)*time.Second {
				t.Errorf("preStop sleep %v, want %ds", sleep, tt.preStop)
			}
			grace := time.Duration(*spec.TerminationGracePeriodSeconds) * time.Second
			if grace <= sleep+timeout {
				t.Errorf("terminationGracePeriodSeconds %v, want more than the preStop sleep and the shutdown timeout (%v)", grace, sleep+timeout)
			}
		})
	}
}

func TestVaultAuth(t *testing.T) {
	tests := []struct {
		auth       string
		values     string
		automount  bool
		settings   map[string]string
		secretKeys []string
	}{
		{"kubernetes", "vault: {auth: kubernetes, kubernetes: {role: wx, mount: k8s}}", true,
			map[string]string{"WXLOGIN_VAULT_KUBERNETES_ROLE": "wx", "WXLOGIN_VAULT_KUBERNETES_MOUNT": "k8s"},
			[]string{"database-url"}},
		{"approle", "vault: {auth: approle, approle: {roleID: r-1, mount: ar}}\nsecrets: {vaultAppRoleSecretID: s-1}", false,
			map[string]string{"WXLOGIN_VAULT_APPROLE_ROLE_ID": "r-1", "WXLOGIN_VAULT_APPROLE_MOUNT": "ar", "WXLOGIN_VAULT_APPROLE_SECRET_ID_FILE": "/etc/wxlogin/secrets/vault-approle-secret-id"},
			[]string{"database-url", "vault-approle-secret-id"}},
		{"token", "vault: {auth: token}\nsecrets: {vaultToken: t-1}", false,
			map[string]string{"WXLOGIN_VAULT_TOKEN_FILE": "/etc/wxlogin/secrets/vault-token"},
			[]string{"database-url", "vault-token"}},
	}
	for _, tt := range tests {
		t.Run(tt.auth, func(t *testing.T) {
			r := mustRender(t, values(t, "existingSecret: ''\nsecrets: {databaseURL: 'postgres://db/wx'}", tt.values))
			cm := get[corev1.ConfigMap](t, r, "ConfigMap", fullname)
			want := map[string]string{"WXLOGIN_VAULT_AUTH": tt.auth, "WXLOGIN_VAULT_ADDR": "https://vault.example.com:8200", "WXLOGIN_DATABASE_URL_FILE": "/etc/wxlogin/secrets/database-url"}
			for k, v := range tt.settings {
				want[k] = v
			}
			for k, v := range want {
				if cm.Data[k] != v {
					t.Errorf("ConfigMap %s=%q, want %q", k, cm.Data[k], v)
				}
			}
			for k := range cm.Data {
				if _, ok := want[k]; !ok && slices.ContainsFunc([]string{"WXLOGIN_VAULT_KUBERNETES_", "WXLOGIN_VAULT_APPROLE_", "WXLOGIN_VAULT_TOKEN"}, func(p string) bool { return strings.HasPrefix(k, p) }) {
					t.Errorf("ConfigMap has %s, which %s auth does not use", k, tt.auth)
				}
			}
			spec := get[appsv1.Deployment](t, r, "Deployment", fullname).Spec.Template.Spec
			if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken != tt.automount {
				t.Errorf("automountServiceAccountToken %v, want %v", spec.AutomountServiceAccountToken, tt.automount)
			}
			if spec.ServiceAccountName != fullname {
				t.Errorf("serviceAccountName %q, want %q", spec.ServiceAccountName, fullname)
			}
			if got := secretItems(spec, "secrets"); !slices.Equal(got, tt.secretKeys) {
				t.Errorf("mounted secret files %v, want %v", got, tt.secretKeys)
			}
			if got := slices.Sorted(maps.Keys(get[corev1.Secret](t, r, "Secret", fullname).Data)); !slices.Equal(got, tt.secretKeys) {
				t.Errorf("Secret keys %v, want %v", got, tt.secretKeys)
			}
		})
	}
}

// secretItems lists the keys that the Secret volume named volume mounts.
func secretItems(spec corev1.PodSpec, volume string) []string {
	var keys []string
	for _, v := range spec.Volumes {
		if v.Name == volume && v.Secret != nil {
			for _, it := range v.Secret.Items {
				keys = append(keys, it.Key)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

func TestPlacementAndPullSecrets(t *testing.T) {
	r := mustRender(t, values(t, allOn(t)))
	for name, spec := range podSpecs(t, r) {
		if name == "test Pod" {
			continue
		}
		if spec.NodeSelector["kubernetes.io/os"] != "linux" || len(spec.Tolerations) != 1 {
			t.Errorf("%s: nodeSelector %v, tolerations %v, want those of the values", name, spec.NodeSelector, spec.Tolerations)
		}
		if len(spec.ImagePullSecrets) != 1 || spec.ImagePullSecrets[0].Name != "registry" {
			t.Errorf("%s: imagePullSecrets %v, want registry", name, spec.ImagePullSecrets)
		}
		if want := "ghcr.io/wxlogin/wxlogin@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"; spec.Containers[0].Image != want {
			t.Errorf("%s: image %s, want %s", name, spec.Containers[0].Image, want)
		}
	}
	spec := get[appsv1.Deployment](t, r, "Deployment", fullname).Spec.Template.Spec
	if spec.Affinity == nil || spec.Affinity.PodAntiAffinity == nil || len(spec.TopologySpreadConstraints) != 1 {
		t.Errorf("Deployment: affinity %v, topologySpreadConstraints %v, want those of the values", spec.Affinity, spec.TopologySpreadConstraints)
	}
	chart, err := loader.Load(chartDir)
	if err != nil {
		t.Fatal(err)
	}
	for name, spec := range podSpecs(t, mustRender(t, values(t))) {
		if want := "ghcr.io/wxlogin/wxlogin:" + chart.Metadata.AppVersion; name != "test Pod" && spec.Containers[0].Image != want {
			t.Errorf("%s: image %s, want the chart's appVersion %s", name, spec.Containers[0].Image, want)
		}
	}
}
