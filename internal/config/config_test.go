package config

import (
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func env(kv map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := kv[k]
		return v, ok
	}
}

// file writes content to a new file and returns its path.
func file(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		HTTPAddr: ":8080", PublicURL: "http://localhost:8080", DataDir: "./data", DatabaseURL: "sqlite:data/wxlogin.db",
		VaultAuth: "token", VaultMount: "secret", VaultPrefix: "wxlogin",
		VaultAppRoleMount: "approle", VaultKubernetesMount: "kubernetes", VaultKubernetesTokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token",
		WeChatAPIURL: "https://api.weixin.qq.com", WeChatOpenURL: "https://open.weixin.qq.com", Sandbox: true,
		SecretCacheTTL: time.Minute, SecretMaxStale: 10 * time.Minute, AccountCacheTTL: 5 * time.Second, ShutdownTimeout: 20 * time.Second,
		DeleteBatchSize: 1000, LoginRate: 10, LoginBurst: 50, TokenRate: 100, TokenBurst: 500, APIRate: 50, APIBurst: 100, RedisPrefix: "wxlogin:",
		LogLevel: slog.LevelInfo, MetricsAddr: ":9090",
		DatabaseMaxConns: 32, VaultTimeout: 5 * time.Second, RequestTimeout: 15 * time.Second,
		WeChatTimeout: 5 * time.Second, WeChatBudget: 8 * time.Second, WeChatMaxInFlight: 256,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", c, want)
	}
}

func TestLoadRejectsBadSettings(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"HTTP address empty", map[string]string{"WXLOGIN_HTTP_ADDR": ""}, "WXLOGIN_HTTP_ADDR"},
		{"public URL with a query", map[string]string{"WXLOGIN_PUBLIC_URL": "https://login.example/?x=1"}, "WXLOGIN_PUBLIC_URL"},
		{"public URL not http", map[string]string{"WXLOGIN_PUBLIC_URL": "ftp://login.example"}, "WXLOGIN_PUBLIC_URL"},
		{"unknown database", map[string]string{"WXLOGIN_DATABASE_URL": "mysql://db"}, "WXLOGIN_DATABASE_URL"},
		{"vault without token", map[string]string{"WXLOGIN_VAULT_ADDR": "http://127.0.0.1:8200"}, "WXLOGIN_VAULT_TOKEN"},
		{"vault address not a URL", map[string]string{"WXLOGIN_VAULT_ADDR": "vault:8200", "WXLOGIN_VAULT_TOKEN": "t"}, "WXLOGIN_VAULT_ADDR"},
		{"vault token file missing", map[string]string{"WXLOGIN_VAULT_TOKEN_FILE": "/nonexistent/token"}, "WXLOGIN_VAULT_TOKEN_FILE"},
		{"unknown vault auth", map[string]string{"WXLOGIN_VAULT_AUTH": "ldap"}, "WXLOGIN_VAULT_AUTH"},
		{"approle without role id", map[string]string{"WXLOGIN_VAULT_ADDR": "http://127.0.0.1:8200", "WXLOGIN_VAULT_AUTH": "approle",
			"WXLOGIN_VAULT_APPROLE_SECRET_ID": "s"}, "WXLOGIN_VAULT_APPROLE_ROLE_ID"},
		{"approle without secret id", map[string]string{"WXLOGIN_VAULT_ADDR": "http://127.0.0.1:8200", "WXLOGIN_VAULT_AUTH": "approle",
			"WXLOGIN_VAULT_TOKEN": "t", "WXLOGIN_VAULT_APPROLE_ROLE_ID": "r"}, "WXLOGIN_VAULT_APPROLE_SECRET_ID"},
		{"approle secret id file missing", map[string]string{"WXLOGIN_VAULT_ADDR": "http://127.0.0.1:8200", "WXLOGIN_VAULT_AUTH": "approle",
			"WXLOGIN_VAULT_APPROLE_ROLE_ID": "r", "WXLOGIN_VAULT_APPROLE_SECRET_ID_FILE": "/nonexistent/secret-id"}, "WXLOGIN_VAULT_APPROLE_SECRET_ID_FILE"},
		{"kubernetes without role", map[string]string{"WXLOGIN_VAULT_ADDR": "http://127.0.0.1:8200", "WXLOGIN_VAULT_AUTH": "kubernetes"}, "WXLOGIN_VAULT_KUBERNETES_ROLE"},
		{"max stale negative", map[string]string{"WXLOGIN_SECRET_MAX_STALE": "-1m"}, "WXLOGIN_SECRET_MAX_STALE"},
		{"max stale not a duration", map[string]string{"WXLOGIN_SECRET_MAX_STALE": "long"}, "WXLOGIN_SECRET_MAX_STALE"},
		{"bad duration", map[string]string{"WXLOGIN_SECRET_CACHE_TTL": "soon"}, "WXLOGIN_SECRET_CACHE_TTL"},
		{"cache too long", map[string]string{"WXLOGIN_SECRET_CACHE_TTL": "2h"}, "WXLOGIN_SECRET_CACHE_TTL"},
		{"sandbox not a bool", map[string]string{"WXLOGIN_SANDBOX": "maybe"}, "WXLOGIN_SANDBOX"},
		{"wechat API URL", map[string]string{"WXLOGIN_WECHAT_API_URL": "api.weixin.qq.com"}, "WXLOGIN_WECHAT_API_URL"},
		{"shutdown timeout zero", map[string]string{"WXLOGIN_SHUTDOWN_TIMEOUT": "0s"}, "WXLOGIN_SHUTDOWN_TIMEOUT"},
		{"request timeout zero", map[string]string{"WXLOGIN_REQUEST_TIMEOUT": "0s"}, "WXLOGIN_REQUEST_TIMEOUT"},
		{"one database connection", map[string]string{"WXLOGIN_DATABASE_MAX_CONNS": "1"}, "WXLOGIN_DATABASE_MAX_CONNS"},
		{"database connections not a number", map[string]string{"WXLOGIN_DATABASE_MAX_CONNS": "many"}, "WXLOGIN_DATABASE_MAX_CONNS"},
		{"vault timeout zero", map[string]string{"WXLOGIN_VAULT_TIMEOUT": "0s"}, "WXLOGIN_VAULT_TIMEOUT"},
		{"wechat timeout negative", map[string]string{"WXLOGIN_WECHAT_TIMEOUT": "-1s"}, "WXLOGIN_WECHAT_TIMEOUT"},
		{"wechat budget below its timeout", map[string]string{"WXLOGIN_WECHAT_TIMEOUT": "5s", "WXLOGIN_WECHAT_BUDGET": "4s"}, "WXLOGIN_WECHAT_BUDGET"},
		{"nothing in flight to wechat", map[string]string{"WXLOGIN_WECHAT_MAX_IN_FLIGHT": "0"}, "WXLOGIN_WECHAT_MAX_IN_FLIGHT"},
		{"delete batch zero", map[string]string{"WXLOGIN_DELETE_BATCH_SIZE": "0"}, "WXLOGIN_DELETE_BATCH_SIZE"},
		{"delete batch not a number", map[string]string{"WXLOGIN_DELETE_BATCH_SIZE": "many"}, "WXLOGIN_DELETE_BATCH_SIZE"},
		{"delete pause negative", map[string]string{"WXLOGIN_DELETE_BATCH_PAUSE": "-1s"}, "WXLOGIN_DELETE_BATCH_PAUSE"},
		{"rate not a number", map[string]string{"WXLOGIN_API_RATE": "fast"}, "WXLOGIN_API_RATE"},
		{"rate zero", map[string]string{"WXLOGIN_API_RATE": "0"}, "WXLOGIN_API_RATE"},
		{"rate not a number at all", map[string]string{"WXLOGIN_API_RATE": "NaN"}, "WXLOGIN_API_RATE"},
		{"rate infinite", map[string]string{"WXLOGIN_API_RATE": "+Inf"}, "WXLOGIN_API_RATE"},
		{"burst zero", map[string]string{"WXLOGIN_API_BURST": "0"}, "WXLOGIN_API_BURST"},
		{"burst fractional", map[string]string{"WXLOGIN_API_BURST": "1.5"}, "WXLOGIN_API_BURST"},
		{"login rate zero", map[string]string{"WXLOGIN_LOGIN_RATE": "0"}, "WXLOGIN_LOGIN_RATE"},
		{"login rate negative", map[string]string{"WXLOGIN_LOGIN_RATE": "-1"}, "WXLOGIN_LOGIN_RATE"},
		{"login burst zero", map[string]string{"WXLOGIN_LOGIN_BURST": "0"}, "WXLOGIN_LOGIN_BURST"},
		{"token rate infinite", map[string]string{"WXLOGIN_TOKEN_RATE": "Inf"}, "WXLOGIN_TOKEN_RATE"},
		{"token burst not a number", map[string]string{"WXLOGIN_TOKEN_BURST": "many"}, "WXLOGIN_TOKEN_BURST"},
		{"redis URL of another scheme", map[string]string{"WXLOGIN_REDIS_URL": "http://cache:6379"}, "WXLOGIN_REDIS_URL"},
		{"redis URL without a scheme", map[string]string{"WXLOGIN_REDIS_URL": "cache:6379"}, "WXLOGIN_REDIS_URL"},
		{"trusted proxy not an address", map[string]string{"WXLOGIN_TRUSTED_PROXIES": "10.0.0.0/8, proxy.example"}, "WXLOGIN_TRUSTED_PROXIES"},
		{"log level unknown", map[string]string{"WXLOGIN_LOG_LEVEL": "verbose"}, "WXLOGIN_LOG_LEVEL"},
		{"log level in capitals", map[string]string{"WXLOGIN_LOG_LEVEL": "INFO"}, "WXLOGIN_LOG_LEVEL"},
		{"metrics address without port", map[string]string{"WXLOGIN_METRICS_ADDR": "9090"}, "WXLOGIN_METRICS_ADDR"},
		{"metrics on the HTTP address", map[string]string{"WXLOGIN_METRICS_ADDR": ":8080"}, "WXLOGIN_METRICS_ADDR"},
		{"console WeChat tenant without its account", map[string]string{"WXLOGIN_CONSOLE_WECHAT_TENANT": "demo"}, "WXLOGIN_CONSOLE_WECHAT_APPID"},
		{"console WeChat account without its tenant", map[string]string{"WXLOGIN_CONSOLE_WECHAT_APPID": "wxdemo000000000001"}, "WXLOGIN_CONSOLE_WECHAT_TENANT"},
		{"config file missing", map[string]string{"WXLOGIN_CONFIG_FILE": "/nonexistent/wxlogin.conf"}, "WXLOGIN_CONFIG_FILE"},
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

func TestLogLevelAndMetricsAddr(t *testing.T) {
	c, err := Load(env(map[string]string{"WXLOGIN_LOG_LEVEL": "debug", "WXLOGIN_METRICS_ADDR": ""}))
	if err != nil {
		t.Fatal(err)
	}
	if c.LogLevel != slog.LevelDebug || c.MetricsAddr != "" {
		t.Errorf("got level %v and metrics address %q, want debug and \"\" (off)", c.LogLevel, c.MetricsAddr)
	}
}

// TestFileSettings: every setting X may be given as X_FILE, a file holding
// the value without its trailing newline.
func TestFileSettings(t *testing.T) {
	c, err := Load(env(map[string]string{
		"WXLOGIN_VAULT_ADDR":        "http://127.0.0.1:8200",
		"WXLOGIN_VAULT_TOKEN_FILE":  file(t, "s.token\n"),
		"WXLOGIN_DATABASE_URL_FILE": file(t, "postgres://wx:pw@db/wx\r\n"),
		"WXLOGIN_API_BURST_FILE":    file(t, "7\n"),
		"WXLOGIN_PUBLIC_URL_FILE":   file(t, "https://login.example"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.VaultToken != "s.token" || c.DatabaseURL != "postgres://wx:pw@db/wx" || c.APIBurst != 7 || c.PublicURL != "https://login.example" {
		t.Errorf("got token %q, database %q, burst %d, public URL %q", c.VaultToken, c.DatabaseURL, c.APIBurst, c.PublicURL)
	}
}

func TestSettingAndItsFileBothGiven(t *testing.T) {
	_, err := Load(env(map[string]string{"WXLOGIN_API_RATE": "5", "WXLOGIN_API_RATE_FILE": file(t, "6")}))
	if err == nil || !strings.Contains(err.Error(), "WXLOGIN_API_RATE and WXLOGIN_API_RATE_FILE") {
		t.Errorf("got %v, want an error naming both", err)
	}
	conf := file(t, "WXLOGIN_API_RATE=5\nWXLOGIN_API_RATE_FILE="+file(t, "6")+"\n")
	_, err = Load(env(map[string]string{"WXLOGIN_CONFIG_FILE": conf}))
	if err == nil || !strings.Contains(err.Error(), "WXLOGIN_API_RATE and WXLOGIN_API_RATE_FILE") || !strings.Contains(err.Error(), conf) {
		t.Errorf("got %v, want an error naming both and the config file", err)
	}
}

func TestConfigFile(t *testing.T) {
	conf := file(t, strings.Join([]string{
		"# wxlogin settings",
		"",
		"WXLOGIN_PUBLIC_URL=https://login.example",
		"WXLOGIN_API_RATE=5",
		"WXLOGIN_API_BURST_FILE=" + file(t, "9\n"),
		"WXLOGIN_LOG_LEVEL=warn\r",
		"WXLOGIN_METRICS_ADDR=",
		"WXLOGIN_SHUTDOWN_TIMEOUT=30s",
	}, "\n"))
	c, err := Load(env(map[string]string{"WXLOGIN_CONFIG_FILE": conf, "WXLOGIN_SHUTDOWN_TIMEOUT": "5s"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.ConfigFile != conf || c.PublicURL != "https://login.example" || c.APIRate != 5 || c.APIBurst != 9 ||
		c.LogLevel != slog.LevelWarn || c.MetricsAddr != "" || c.HTTPAddr != ":8080" {
		t.Errorf("config file settings not applied: %+v", c)
	}
	if c.ShutdownTimeout != 5*time.Second {
		t.Errorf("shutdown timeout %v: the environment's 5s must override the file's 30s", c.ShutdownTimeout)
	}
}

// TestPrecedence: the environment (directly or as X_FILE) overrides the
// config file (directly or as X_FILE), which overrides the default.
func TestPrecedence(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		file string
		want int
	}{
		{"default", nil, "", 100},
		{"file", nil, "WXLOGIN_API_BURST=2", 2},
		{"file's _FILE", nil, "WXLOGIN_API_BURST_FILE=" + file(t, "3"), 3},
		{"environment over file", map[string]string{"WXLOGIN_API_BURST": "4"}, "WXLOGIN_API_BURST=2", 4},
		{"environment's _FILE over file", map[string]string{"WXLOGIN_API_BURST_FILE": file(t, "5\n")}, "WXLOGIN_API_BURST=2", 5},
		{"environment over file's _FILE", map[string]string{"WXLOGIN_API_BURST": "6"}, "WXLOGIN_API_BURST_FILE=" + file(t, "3"), 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := map[string]string{"WXLOGIN_CONFIG_FILE": file(t, c.file+"\n")}
			for k, v := range c.env {
				e[k] = v
			}
			got, err := Load(env(e))
			if err != nil {
				t.Fatal(err)
			}
			if got.APIBurst != c.want {
				t.Errorf("burst %d, want %d", got.APIBurst, c.want)
			}
		})
	}
}

func TestConfigFileRejects(t *testing.T) {
	cases := []struct {
		name, content, want string
	}{
		{"unknown setting", "WXLOGIN_HTTP_ADDR=:8081\nWXLOGIN_HTTP_ADRR=:8082\n", "line 2: unknown setting WXLOGIN_HTTP_ADRR"},
		{"unknown setting without prefix", "HTTP_ADDR=:8081\n", "line 1: unknown setting HTTP_ADDR"},
		{"not NAME=value", "# comment\nWXLOGIN_HTTP_ADDR\n", "line 2: want NAME=value"},
		{"lower case name", "wxlogin_http_addr=:8081\n", "line 1: want NAME=value"},
		{"set twice", "WXLOGIN_API_RATE=1\nWXLOGIN_API_RATE=2\n", "line 2: WXLOGIN_API_RATE is set twice"},
		{"config file in a config file", "WXLOGIN_CONFIG_FILE=/etc/other\n", "line 1: WXLOGIN_CONFIG_FILE is read from the environment only"},
		{"bad value", "WXLOGIN_API_RATE=fast\n", `WXLOGIN_API_RATE="fast"`},
		{"missing _FILE", "WXLOGIN_API_RATE_FILE=/nonexistent/rate\n", "WXLOGIN_API_RATE_FILE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(env(map[string]string{"WXLOGIN_CONFIG_FILE": file(t, c.content)}))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

// TestSecretsNeverPrinted: however a secret setting is given, no error
// quotes it.
func TestSecretsNeverPrinted(t *testing.T) {
	const secret = "supersecret"
	badVault := map[string]string{"WXLOGIN_VAULT_ADDR": "not a url"}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	cases := []struct {
		name string
		env  map[string]string
	}{
		{"vault token", with(badVault, "WXLOGIN_VAULT_TOKEN", "s."+secret)},
		{"vault token file", with(badVault, "WXLOGIN_VAULT_TOKEN_FILE", file(t, "s."+secret+"\n"))},
		{"vault token in the config file", with(badVault, "WXLOGIN_CONFIG_FILE", file(t, "WXLOGIN_VAULT_TOKEN=s."+secret+"\n"))},
		{"bad database URL", map[string]string{"WXLOGIN_DATABASE_URL": "mysql://wx:" + secret + "@db/wx"}},
		{"bad database URL file", map[string]string{"WXLOGIN_DATABASE_URL_FILE": file(t, "mysql://wx:"+secret+"@db/wx\n")}},
		{"bad database URL in the config file", map[string]string{"WXLOGIN_CONFIG_FILE": file(t, "WXLOGIN_DATABASE_URL=mysql://wx:"+secret+"@db/wx\n")}},
		{"database URL on a line without a name", map[string]string{"WXLOGIN_CONFIG_FILE": file(t, "postgres://wx:"+secret+"@db/wx?sslmode=disable\n")}},
		{"database URL and its file", map[string]string{"WXLOGIN_DATABASE_URL": "postgres://wx:" + secret + "@db/wx", "WXLOGIN_DATABASE_URL_FILE": file(t, "x")}},
		{"bad redis URL", map[string]string{"WXLOGIN_REDIS_URL": "http://:" + secret + "@cache:6379"}},
		{"unparsable redis URL", map[string]string{"WXLOGIN_REDIS_URL": "redis://:" + secret + "@cache:port/0"}},
		{"bad redis URL file", map[string]string{"WXLOGIN_REDIS_URL_FILE": file(t, "http://:"+secret+"@cache:6379\n")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(env(c.env))
			if err == nil || strings.Contains(err.Error(), secret) {
				t.Errorf("error %v: want one, without the secret", err)
			}
		})
	}
}

// TestVaultLogins: each auth method loads with what it needs; the AppRole
// secret id given as a file keeps its path, to be read at every login.
func TestVaultLogins(t *testing.T) {
	secretIDFile := file(t, "secret-id\n")
	cases := []struct {
		name         string
		env          map[string]string
		wantIDFile   string
		wantSecretID string
	}{
		{"token", map[string]string{"WXLOGIN_VAULT_TOKEN": "t"}, "", ""},
		{"approle with a secret id file", map[string]string{"WXLOGIN_VAULT_AUTH": "approle",
			"WXLOGIN_VAULT_APPROLE_ROLE_ID": "r", "WXLOGIN_VAULT_APPROLE_SECRET_ID_FILE": secretIDFile}, secretIDFile, "secret-id"},
		{"approle with a secret id", map[string]string{"WXLOGIN_VAULT_AUTH": "approle",
			"WXLOGIN_VAULT_APPROLE_ROLE_ID": "r", "WXLOGIN_VAULT_APPROLE_SECRET_ID": "s"}, "", "s"},
		{"kubernetes", map[string]string{"WXLOGIN_VAULT_AUTH": "kubernetes", "WXLOGIN_VAULT_KUBERNETES_ROLE": "wxlogin"}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.env["WXLOGIN_VAULT_ADDR"] = "http://127.0.0.1:8200"
			got, err := Load(env(c.env))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got.VaultAppRoleSecretIDFile != c.wantIDFile || got.VaultAppRoleSecretID != c.wantSecretID {
				t.Errorf("secret id file %q, secret id %q; want %q, %q", got.VaultAppRoleSecretIDFile, got.VaultAppRoleSecretID, c.wantIDFile, c.wantSecretID)
			}
		})
	}
}
