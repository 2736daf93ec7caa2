package helmcheck

import (
	"strings"
	"testing"
)

func TestSchemaRejectsWrongValues(t *testing.T) {
	tests := []struct {
		name, values string
		want         []string // what the error must name: the value's path and the broken rule
	}{
		{"wrong type", "replicaCount: two", []string{"/replicaCount", "got string, want integer"}},
		{"negative replicas", "replicaCount: -1", []string{"/replicaCount", "minimum"}},
		{"unknown key", "replicas: 3", []string{"'replicas' not allowed"}},
		{"unknown nested key", "vault: {namespace: ops}", []string{"/vault", "'namespace' not allowed"}},
		{"bad enum", "vault: {auth: ldap}", []string{"/vault/auth", "must be one of"}},
		{"bad log level", "config: {logLevel: verbose}", []string{"/config/logLevel", "must be one of"}},
		{"malformed URL", "publicURL: login.example.com", []string{"/publicURL", "login.example.com"}},
		{"malformed Vault URL", "vault: {addr: 'vault:8200'}", []string{"/vault/addr", "vault:8200"}},
		{"not a Go duration", "config: {secretCacheTTL: 1 minute}", []string{"/config/secretCacheTTL", "1 minute"}},
		{"shutdown timeout of zero", "config: {shutdownTimeoutSeconds: 0}", []string{"/config/shutdownTimeoutSeconds", "minimum"}},
		{"database URL not PostgreSQL", "existingSecret: ''\nsecrets: {databaseURL: 'sqlite:/tmp/wx.db'}", []string{"/secrets/databaseURL", "sqlite:/tmp/wx.db"}},
		{"secret in plain text beside existingSecret", "secrets: {databaseURL: 'postgres://wx:pw@db/wx'}", []string{"/secrets/databaseURL", "maxLength"}},
		{"secret setting in config", "config: {databaseURL: 'postgres://wx:pw@db/wx'}", []string{"/config", "'databaseURL' not allowed"}},
		{"no database URL and no existingSecret", "existingSecret: ''", []string{"/secrets/databaseURL", "minLength"}},
		{"token auth without a token", "existingSecret: ''\nsecrets: {databaseURL: 'postgres://db/wx'}\nvault: {auth: token}", []string{"/secrets/vaultToken", "minLength"}},
		{"zero login rate", "config: {loginRate: 0}", []string{"/config/loginRate", "exclusiveMinimum"}},
		{"fractional token burst", "config: {tokenBurst: 1.5}", []string{"/config/tokenBurst", "want integer"}},
		{"Redis without its URL", "existingSecret: ''\nsecrets: {databaseURL: 'postgres://db/wx'}\nvault: {auth: kubernetes}\nredis: {enabled: true}", []string{"/secrets/redisURL", "minLength"}},
		{"Redis URL not Redis", "existingSecret: ''\nsecrets: {databaseURL: 'postgres://db/wx', redisURL: 'http://cache:6379'}\nredis: {enabled: true}", []string{"/secrets/redisURL", "http://cache:6379"}},
		{"Redis URL that would be ignored", "existingSecret: ''\nsecrets: {databaseURL: 'postgres://db/wx', redisURL: 'redis://cache:6379/0'}", []string{"/secrets/redisURL", "maxLength"}},
		{"AppRole without a role_id", "vault: {auth: approle}", []string{"/vault/approle/roleID", "minLength"}},
		{"autoscaling without a CPU request", "autoscaling: {enabled: true}\nresources: {requests: {cpu: null}}", []string{"/resources/requests", "missing property 'cpu'"}},
		{"sandbox on two pods", "config: {sandbox: true}", []string{"/replicaCount", "maximum"}},
		{"TLS Ingress with an http public URL", "publicURL: http://login.example.com\ningress: {enabled: true}", []string{"/publicURL", "https://"}},
		{"bad tenant of the test", "tests: {tenant: 'Acme Corp'}", []string{"/tests/tenant", "Acme Corp"}},
		{"bad digest", "image: {digest: 'sha256:abc'}", []string{"/image/digest", "sha256:abc"}},
		{"bad PDB percentage", "podDisruptionBudget: {maxUnavailable: 'half'}", []string{"/podDisruptionBudget/maxUnavailable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := render(values(t, tt.values))
			if err == nil {
				t.Fatalf("%s: accepted", tt.values)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not name %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestTemplateRejectsAutoscalingBounds(t *testing.T) {
	_, err := render(values(t, "autoscaling: {enabled: true, minReplicas: 5, maxReplicas: 3}"))
	if err == nil || !strings.Contains(err.Error(), "autoscaling.maxReplicas must be at least autoscaling.minReplicas") {
		t.Fatalf("render: %v, want the bounds refused", err)
	}
}

func TestSchemaAcceptsEdgeValues(t *testing.T) {
	for _, v := range []string{
		"config: {sandbox: true}\nreplicaCount: 1",
		"publicURL: http://localhost:8080\ningress: {enabled: true, tls: {enabled: false}}",
		"podDisruptionBudget: {maxUnavailable: 50%}\nrollingUpdate: {maxSurge: 25%, maxUnavailable: 0}",
		"config: {secretCacheTTL: '0', accountCacheTTL: 1m30s, secretMaxStale: 1h, apiRate: 0.5}",
		"existingSecret: ''\nsecrets: {databaseURL: 'postgresql://wx@db/wx?sslmode=require', vaultToken: hvs.x}\nvault: {auth: token}",
		"image: {repository: registry.example.com:5000/identity/wxlogin, tag: v0.1.0}",
		"preStopSleepSeconds: 0",
	} {
		if _, err := render(values(t, v)); err != nil {
			t.Errorf("%s: %v", v, err)
		}
	}
}
