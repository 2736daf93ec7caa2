package config

import (
	"strings"
	"testing"
	"time"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		HTTPAddr: ":8080", PublicURL: "http://localhost:8080", DataDir: "./data", DatabaseURL: "sqlite:data/wxlogin.db",
		VaultMount: "secret", VaultPrefix: "wxlogin", WeChatAPIURL: "https://api.weixin.qq.com",
		WeChatOpenURL: "https://open.weixin.qq.com", Sandbox: true, SecretCacheTTL: time.Minute, AccountCacheTTL: 5 * time.Second, ShutdownTimeout: 20 * time.Second,
		APIRate: 50, APIBurst: 100,
	}
	if c != want {
		t.Errorf("defaults:\n got %+v\nwant %+v", c, want)
	}
}

func TestLoadRejectsBadSettings(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"public URL with a query", map[string]string{"WXLOGIN_PUBLIC_URL": "https://login.example/?x=1"}, "WXLOGIN_PUBLIC_URL"},
		{"public URL not http", map[string]string{"WXLOGIN_PUBLIC_URL": "ftp://login.example"}, "WXLOGIN_PUBLIC_URL"},
		{"unknown database", map[string]string{"WXLOGIN_DATABASE_URL": "mysql://db"}, "WXLOGIN_DATABASE_URL"},
		{"vault without token", map[string]string{"WXLOGIN_VAULT_ADDR": "http://127.0.0.1:8200"}, "WXLOGIN_VAULT_TOKEN"},
		{"vault address not a URL", map[string]string{"WXLOGIN_VAULT_ADDR": "vault:8200", "WXLOGIN_VAULT_TOKEN": "t"}, "WXLOGIN_VAULT_ADDR"},
		{"vault token file missing", map[string]string{"WXLOGIN_VAULT_TOKEN_FILE": "/nonexistent/token"}, "WXLOGIN_VAULT_TOKEN_FILE"},
		{"bad duration", map[string]string{"WXLOGIN_SECRET_CACHE_TTL": "soon"}, "WXLOGIN_SECRET_CACHE_TTL"},
		{"cache too long", map[string]string{"WXLOGIN_SECRET_CACHE_TTL": "2h"}, "WXLOGIN_SECRET_CACHE_TTL"},
		{"sandbox not a bool", map[string]string{"WXLOGIN_SANDBOX": "maybe"}, "WXLOGIN_SANDBOX"},
		{"wechat API URL", map[string]string{"WXLOGIN_WECHAT_API_URL": "api.weixin.qq.com"}, "WXLOGIN_WECHAT_API_URL"},
		{"shutdown timeout zero", map[string]string{"WXLOGIN_SHUTDOWN_TIMEOUT": "0s"}, "WXLOGIN_SHUTDOWN_TIMEOUT"},
		{"rate not a number", map[string]string{"WXLOGIN_API_RATE": "fast"}, "WXLOGIN_API_RATE"},
		{"rate zero", map[string]string{"WXLOGIN_API_RATE": "0"}, "WXLOGIN_API_RATE"},
		{"rate not a number at all", map[string]string{"WXLOGIN_API_RATE": "NaN"}, "WXLOGIN_API_RATE"},
		{"rate infinite", map[string]string{"WXLOGIN_API_RATE": "+Inf"}, "WXLOGIN_API_RATE"},
		{"burst zero", map[string]string{"WXLOGIN_API_BURST": "0"}, "WXLOGIN_API_BURST"},
		{"burst fractional", map[string]string{"WXLOGIN_API_BURST": "1.5"}, "WXLOGIN_API_BURST"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(env(c.env))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error naming %s", err, c.want)
			}
		})
	}
}

func TestVaultTokenNeverPrinted(t *testing.T) {
	_, err := Load(env(map[string]string{"WXLOGIN_VAULT_ADDR": "not a url", "WXLOGIN_VAULT_TOKEN": "s.supersecret"}))
	if err == nil || strings.Contains(err.Error(), "supersecret") {
		t.Errorf("error %v", err)
	}
}
