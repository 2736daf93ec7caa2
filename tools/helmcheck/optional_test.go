package helmcheck

import (
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

func TestOptionalObjectsOnlyWhenEnabled(t *testing.T) {
	tests := []struct {
		kind, on, off string
	}{
		{"Ingress", "ingress: {enabled: true}", "ingress: {enabled: false}"},
		{"HorizontalPodAutoscaler", "autoscaling: {enabled: true}", "autoscaling: {enabled: false}"},
		{"PodDisruptionBudget", "podDisruptionBudget: {enabled: true}", "podDisruptionBudget: {enabled: false}"},
		{"NetworkPolicy", "networkPolicy: {enabled: true}", "networkPolicy: {enabled: false}"},
		{"ServiceMonitor", "serviceMonitor: {enabled: true}", "serviceMonitor: {enabled: false}"},
		{"ServiceAccount", "serviceAccount: {create: true}", "serviceAccount: {create: false}"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			if n := len(mustRender(t, values(t, tt.on)).all(tt.kind)); n != 1 {
				t.Errorf("%s: %d objects, want 1", tt.on, n)
			}
			if n := len(mustRender(t, values(t, allOn(t), tt.off)).all(tt.kind)); n != 0 {
				t.Errorf("every option on but %s: %d objects, want none", tt.off, n)
			}
		})
	}
}

func TestIngress(t *testing.T) {
	tests := []struct {
		name, values, host, tlsSecret string
	}{
		{"TLS by default", "publicURL: https://id.example.cn/", "id.example.cn", "wx-wxlogin-tls"},
		{"named certificate", "publicURL: https://id.example.cn:8443\ningress: {tls: {secretName: id-cert}}", "id.example.cn", "id-cert"},
		{"no TLS", "publicURL: http://id.example.cn\ningress: {tls: {enabled: false}}", "id.example.cn", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ing := get[networkingv1.Ingress](t, mustRender(t, values(t, "ingress: {enabled: true}", tt.values)), "Ingress", fullname)
			rule := ing.Spec.Rules[0]
			if rule.Host != tt.host {
				t.Errorf("host %q, want %q", rule.Host, tt.host)
			}
			backend := rule.HTTP.Paths[0].Backend.Service
			if backend.Name != fullname || backend.Port.Name != "http" {
				t.Errorf("backend %+v, want %s port http", backend, fullname)
			}
			var secret string
			if len(ing.Spec.TLS) > 0 {
				secret = ing.Spec.TLS[0].SecretName
				if ing.Spec.TLS[0].Hosts[0] != tt.host {
					t.Errorf("TLS hosts %v, want %s", ing.Spec.TLS[0].Hosts, tt.host)
				}
			}
			if secret != tt.tlsSecret {
				t.Errorf("TLS Secret %q, want %q", secret, tt.tlsSecret)
			}
		})
	}
}

func TestServiceMonitorScrapesMetricsPort(t *testing.T) {
	r := mustRender(t, values(t, allOn(t)))
	sm := get[monitoringv1.ServiceMonitor](t, r, "ServiceMonitor", fullname)
	svc := get[corev1.Service](t, r, "Service", fullname)
	for k, v := range sm.Spec.Selector.MatchLabels {
		if svc.Labels[k] != v {
			t.Errorf("ServiceMonitor selects %s=%s, which the Service lacks", k, v)
		}
	}
	if sm.Labels["release"] != "prometheus" {
		t.Errorf("ServiceMonitor labels %v lack serviceMonitor.labels", sm.Labels)
	}
	if len(sm.Spec.Endpoints) != 1 || sm.Spec.Endpoints[0].Port != "metrics" || sm.Spec.Endpoints[0].Path != "/metrics" {
		t.Fatalf("endpoints %+v, want /metrics on port metrics", sm.Spec.Endpoints)
	}
	var target string
	for _, p := range svc.Spec.Ports {
		if p.Name == "metrics" {
			target = p.TargetPort.String()
		}
	}
	if target != "metrics" {
		t.Errorf("Service port metrics targets %q, want the container port metrics", target)
	}
	if addr := get[corev1.ConfigMap](t, r, "ConfigMap", fullname).Data["WXLOGIN_METRICS_ADDR"]; addr != ":9090" {
		t.Errorf("WXLOGIN_METRICS_ADDR %q, want :9090 (the container port metrics)", addr)
	}
}

func TestNetworkPolicy(t *testing.T) {
	r := mustRender(t, values(t, allOn(t)))
	np := get[networkingv1.NetworkPolicy](t, r, "NetworkPolicy", fullname)
	pod := get[corev1.Pod](t, r, "Pod", fullname+"-test")
	http := np.Spec.Ingress[0]
	if http.Ports[0].Port.String() != "http" || len(http.From) != 2 {
		t.Fatalf("first ingress rule %+v, want port http from httpFrom and the test pod", http)
	}
	if sel := http.From[1].PodSelector; sel == nil || !labelsMatch(sel.MatchLabels, pod.Labels) {
		t.Errorf("the helm test pod (labels %v) may not reach the HTTP port", pod.Labels)
	}
	if np.Spec.Ingress[1].Ports[0].Port.String() != "metrics" || len(np.Spec.Ingress[1].From) != 1 {
		t.Errorf("second ingress rule %+v, want port metrics from metricsFrom", np.Spec.Ingress[1])
	}
	if len(np.Spec.Egress) != 2 || np.Spec.Egress[0].Ports[0].Port.IntValue() != 53 {
		t.Errorf("egress %+v, want DNS then the given rule", np.Spec.Egress)
	}
	open := get[networkingv1.NetworkPolicy](t, mustRender(t, values(t, allOn(t), "networkPolicy: {egress: []}")), "NetworkPolicy", fullname)
	for _, p := range open.Spec.PolicyTypes {
		if p == networkingv1.PolicyTypeEgress {
			t.Error("egress restricted although networkPolicy.egress is empty")
		}
	}
}

func labelsMatch(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return len(selector) > 0
}

func TestServiceSelectsOnlyServerPods(t *testing.T) {
	r := mustRender(t, values(t, allOn(t)))
	sel := get[corev1.Service](t, r, "Service", fullname).Spec.Selector
	if server := get[appsv1.Deployment](t, r, "Deployment", fullname).Spec.Template.Labels; !labelsMatch(sel, server) {
		t.Errorf("the Service (selector %v) does not select the server pods (%v)", sel, server)
	}
	for name, labels := range map[string]map[string]string{
		"migration Job's pods": get[batchv1.Job](t, r, "Job", fullname+"-migrate").Spec.Template.Labels,
		"test pod":             get[corev1.Pod](t, r, "Pod", fullname+"-test").Labels,
	} {
		if labelsMatch(sel, labels) {
			t.Errorf("the Service sends traffic to the %s", name)
		}
	}
}

func TestNotes(t *testing.T) {
	notes := mustRender(t, values(t, "publicURL: https://id.example.cn/")).notes
	for _, want := range []string{
		"https://id.example.cn/t/{tenant}/wechat/{appid}/login",
		"https://id.example.cn/t/{tenant}/.well-known/jwks.json",
		"helm test wx -n identity",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("NOTES lack %q:\n%s", want, notes)
		}
	}
	const perPod = "Rate limits are each pod's own"
	if !strings.Contains(notes, perPod) {
		t.Errorf("NOTES of two pods without Redis do not say the rate limits are per pod:\n%s", notes)
	}
	for name, vals := range map[string]map[string]any{"Redis on": values(t, allOn(t)), "one pod": values(t, "replicaCount: 1")} {
		if notes := mustRender(t, vals).notes; strings.Contains(notes, perPod) {
			t.Errorf("%s: NOTES say the rate limits are per pod:\n%s", name, notes)
		}
	}
}

// TestTrustedProxies: the ConfigMap names the trusted proxies only when
// config.trustedProxies lists some, as one comma-separated value.
func TestTrustedProxies(t *testing.T) {
	for _, tt := range []struct {
		name string
		vals map[string]any
		want string
	}{
		{"default", values(t), ""},
		{"every option on", values(t, allOn(t)), "10.0.0.0/8,fd00::/8"},
	} {
		got, set := get[corev1.ConfigMap](t, mustRender(t, tt.vals), "ConfigMap", fullname).Data["WXLOGIN_TRUSTED_PROXIES"]
		if got != tt.want || set != (tt.want != "") {
			t.Errorf("%s: WXLOGIN_TRUSTED_PROXIES %q (set %v), want %q", tt.name, got, set, tt.want)
		}
	}
}

// TestTimeoutsAndBounds: the pods get the chart's timeouts and bounds of
// PostgreSQL, Vault, WeChat and each request.
func TestTimeoutsAndBounds(t *testing.T) {
	vals := values(t, `config: {wechatTimeout: 3s, wechatBudget: 6s, wechatMaxInFlight: 64, databaseMaxConns: 16, requestTimeout: 12s}
vault: {timeout: 2s}`)
	data := get[corev1.ConfigMap](t, mustRender(t, vals), "ConfigMap", fullname).Data
	for k, want := range map[string]string{
		"WXLOGIN_WECHAT_TIMEOUT": "3s", "WXLOGIN_WECHAT_BUDGET": "6s", "WXLOGIN_WECHAT_MAX_IN_FLIGHT": "64",
		"WXLOGIN_DATABASE_MAX_CONNS": "16", "WXLOGIN_REQUEST_TIMEOUT": "12s", "WXLOGIN_VAULT_TIMEOUT": "2s",
	} {
		if data[k] != want {
			t.Errorf("%s %q, want %q", k, data[k], want)
		}
	}
}

// TestRedis: with redis.enabled the pods read the Redis URL from the
// Secret's key redis-url as a file and get the key prefix; without it
// neither, and the limits are each pod's.
func TestRedis(t *testing.T) {
	for _, tt := range []struct {
		name string
		vals map[string]any
		want map[string]string
	}{
		{"default", values(t), nil},
		{"every option on", values(t, allOn(t)), map[string]string{
			"WXLOGIN_REDIS_URL_FILE": "/etc/wxlogin/secrets/redis-url", "WXLOGIN_REDIS_PREFIX": "wxlogin-prod:"}},
	} {
		r := mustRender(t, tt.vals)
		cm := get[corev1.ConfigMap](t, r, "ConfigMap", fullname).Data
		for _, k := range []string{"WXLOGIN_REDIS_URL_FILE", "WXLOGIN_REDIS_PREFIX"} {
			if got, set := cm[k]; got != tt.want[k] || set != (tt.want != nil) {
				t.Errorf("%s: %s %q (set %v), want %q", tt.name, k, got, set, tt.want[k])
			}
		}
		if tt.want != nil {
			if got := string(get[corev1.Secret](t, r, "Secret", fullname).Data["redis-url"]); got != "rediss://:redis-password-in-values@redis:6380/0" {
				t.Errorf("%s: Secret redis-url %q", tt.name, got)
			}
		}
		checkSecretsAreFiles(t, r)
	}
}
