// Package config is wxlogin's typed configuration, read from WXLOGIN_*
// environment variables (and an optional file of the same names) and
// checked by Validate. Only cmd/wxlogin reads it; every other package takes
// plain values in its constructor.
package config

//go:generate go test -run ^TestREADMETable$ -update .

import (
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of wxlogin. Secret values (the database URL, the
// Vault token) are never printed: Config has no String method that would
// show them, and callers log only the fields they name.
type Config struct {
	// ConfigFile is the file the settings not in the environment were
	// read from, if any.
	ConfigFile string

	HTTPAddr    string
	PublicURL   string
	DataDir     string
	DatabaseURL string
	// DatabaseMaxConns caps the PostgreSQL connection pool.
	DatabaseMaxConns int

	VaultAddr string
	// VaultAuth is how wxlogin logs in to Vault: token, approle or
	// kubernetes.
	VaultAuth   string
	VaultToken  string
	VaultMount  string
	VaultPrefix string
	// VaultTimeout bounds each request to Vault, its retries included.
	VaultTimeout time.Duration
	// AppRole login. VaultAppRoleSecretIDFile is the file the secret id
	// was read from when it was given as WXLOGIN_VAULT_APPROLE_SECRET_ID_FILE:
	// it is read again at every login, so that a rotated secret id is used.
	VaultAppRoleRoleID       string
	VaultAppRoleSecretID     string
	VaultAppRoleSecretIDFile string
	VaultAppRoleMount        string
	// Kubernetes login; the token file too is read at every login.
	VaultKubernetesRole      string
	VaultKubernetesMount     string
	VaultKubernetesTokenFile string

	WeChatAPIURL  string
	WeChatOpenURL string
	// WeChatTimeout bounds each request to WeChat, WeChatBudget one call
	// with its retries; WeChatMaxInFlight bounds the requests waiting for
	// WeChat at once.
	WeChatTimeout     time.Duration
	WeChatBudget      time.Duration
	WeChatMaxInFlight int
	// Sandbox serves the built-in WeChat emulator for sandbox accounts.
	Sandbox bool

	SecretCacheTTL time.Duration
	// SecretMaxStale is how long past SecretCacheTTL a cached secret is
	// still served while the secret store is unavailable.
	SecretMaxStale  time.Duration
	AccountCacheTTL time.Duration
	// RequestTimeout bounds what one HTTP request may wait for.
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	// DeleteBatchSize is how many identities of a deleted account one
	// transaction of the background purge removes; DeleteBatchPause how
	// long the purge waits between two.
	DeleteBatchSize  int
	DeleteBatchPause time.Duration

	// Rate limits, each a token bucket: requests per second and the
	// largest burst. LoginRate and LoginBurst are each client address's on
	// the hosted login, TokenRate and TokenBurst each client address's on
	// the token endpoint, APIRate and APIBurst each API key's on the admin
	// API.
	LoginRate  float64
	LoginBurst int
	TokenRate  float64
	TokenBurst int
	APIRate    float64
	APIBurst   int
	// RedisURL, when set, is where the rate limits' buckets are shared by
	// every replica; unset: each replica keeps its own in memory.
	// RedisPrefix starts wxlogin's keys there.
	RedisURL    string
	RedisPrefix string

	LogLevel slog.Level
	// MetricsAddr is where /metrics is served; empty turns it off.
	MetricsAddr string
	// TrustedProxies are the addresses and networks of the reverse proxies
	// whose X-Forwarded-For is believed; empty: none, the client address is
	// the connection's.
	TrustedProxies []string

	// ConsoleWeChatTenant and ConsoleWeChatAppID name the platform tenant
	// and its official account whose hosted login signs people in to the
	// admin console with WeChat; both empty turns that sign-in off.
	ConsoleWeChatTenant string
	ConsoleWeChatAppID  string
}

// Setting is one environment variable: its name, default and meaning (in
// Markdown: the README's configuration table is made from these).
type Setting struct {
	Name, Default, Meaning string
	// Secret settings hold credentials: their values never appear in an
	// error.
	Secret bool
	set    func(*Config, string) error
}

// ConfigFileSetting names the file of further settings. It is read from
// the environment only.
const ConfigFileSetting = "WXLOGIN_CONFIG_FILE"

// FileSuffix turns a setting's name into that of its file form: X_FILE
// names a file holding the value of X.
const FileSuffix = "_FILE"

// Settings lists every setting in the order the README documents them.
func Settings() []Setting {
	str := func(f func(*Config) *string) func(*Config, string) error {
		return func(c *Config, v string) error { *f(c) = v; return nil }
	}
	dur := func(f func(*Config) *time.Duration) func(*Config, string) error {
		return func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			*f(c) = d
			return err
		}
	}
	num := func(f func(*Config) *float64) func(*Config, string) error {
		return func(c *Config, v string) error {
			n, err := strconv.ParseFloat(v, 64)
			*f(c) = n
			return err
		}
	}
	integer := func(f func(*Config) *int) func(*Config, string) error {
		return func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			*f(c) = n
			return err
		}
	}
	return []Setting{
		{ConfigFileSetting, "", "a file of `NAME=value` lines setting any of the others; the environment overrides it", false, str(func(c *Config) *string { return &c.ConfigFile })},
		{"WXLOGIN_HTTP_ADDR", ":8080", "address the HTTP server listens on", false, str(func(c *Config) *string { return &c.HTTPAddr })},
		{"WXLOGIN_PUBLIC_URL", "http://localhost:8080", "external base URL; JWT issuers are `{public_url}/t/{tenant}`", false, str(func(c *Config) *string { return &c.PublicURL })},
		{"WXLOGIN_DATA_DIR", "./data", "directory of the SQLite file and the local secret store", false, str(func(c *Config) *string { return &c.DataDir })},
		{"WXLOGIN_DATABASE_URL", "sqlite:{data_dir}/wxlogin.db", "`sqlite:PATH` or `postgres://…`", true, str(func(c *Config) *string { return &c.DatabaseURL })},
		{"WXLOGIN_DATABASE_MAX_CONNS", "32", "most PostgreSQL connections a replica opens; a request waiting for one gives up at `WXLOGIN_REQUEST_TIMEOUT` (SQLite uses one)", false, integer(func(c *Config) *int { return &c.DatabaseMaxConns })},
		{"WXLOGIN_VAULT_ADDR", "", "Vault address; unset means the local encrypted secret store in `{data_dir}/secrets`", false, str(func(c *Config) *string { return &c.VaultAddr })},
		{"WXLOGIN_VAULT_AUTH", "token", "how wxlogin logs in to Vault: `token`, `approle` or `kubernetes`; it renews the token and logs in again before it expires", false, str(func(c *Config) *string { return &c.VaultAuth })},
		{"WXLOGIN_VAULT_TOKEN", "", "Vault token of `token` auth", true, str(func(c *Config) *string { return &c.VaultToken })},
		{"WXLOGIN_VAULT_APPROLE_ROLE_ID", "", "role id of `approle` auth", false, str(func(c *Config) *string { return &c.VaultAppRoleRoleID })},
		{"WXLOGIN_VAULT_APPROLE_SECRET_ID", "", "secret id of `approle` auth; given as `WXLOGIN_VAULT_APPROLE_SECRET_ID_FILE`, the file is read again at every login, so a rotated secret id written there is used", true, str(func(c *Config) *string { return &c.VaultAppRoleSecretID })},
		{"WXLOGIN_VAULT_APPROLE_MOUNT", "approle", "where Vault's AppRole auth method is enabled", false, str(func(c *Config) *string { return &c.VaultAppRoleMount })},
		{"WXLOGIN_VAULT_KUBERNETES_ROLE", "", "Vault role of `kubernetes` auth, bound to the pod's service account", false, str(func(c *Config) *string { return &c.VaultKubernetesRole })},
		{"WXLOGIN_VAULT_KUBERNETES_MOUNT", "kubernetes", "where Vault's Kubernetes auth method is enabled", false, str(func(c *Config) *string { return &c.VaultKubernetesMount })},
		{"WXLOGIN_VAULT_KUBERNETES_TOKEN_FILE", "/var/run/secrets/kubernetes.io/serviceaccount/token", "the pod's service account token, read again at every login", false, str(func(c *Config) *string { return &c.VaultKubernetesTokenFile })},
		{"WXLOGIN_VAULT_MOUNT", "secret", "Vault KV v2 mount", false, str(func(c *Config) *string { return &c.VaultMount })},
		{"WXLOGIN_VAULT_PREFIX", "wxlogin", "path prefix of wxlogin's secrets in the mount", false, str(func(c *Config) *string { return &c.VaultPrefix })},
		{"WXLOGIN_VAULT_TIMEOUT", "5s", "how long one request to Vault may take, its retries included", false, dur(func(c *Config) *time.Duration { return &c.VaultTimeout })},
		{"WXLOGIN_WECHAT_API_URL", "https://api.weixin.qq.com", "where live accounts call WeChat's `/sns` APIs", false, str(func(c *Config) *string { return &c.WeChatAPIURL })},
		{"WXLOGIN_WECHAT_OPEN_URL", "https://open.weixin.qq.com", "where live accounts send people to authorize", false, str(func(c *Config) *string { return &c.WeChatOpenURL })},
		{"WXLOGIN_WECHAT_TIMEOUT", "5s", "how long one request to WeChat may take", false, dur(func(c *Config) *time.Duration { return &c.WeChatTimeout })},
		{"WXLOGIN_WECHAT_BUDGET", "8s", "how long one call to WeChat may take, its retries (of errcode `-1` and failed connections) and the waits between them included", false, dur(func(c *Config) *time.Duration { return &c.WeChatBudget })},
		{"WXLOGIN_WECHAT_MAX_IN_FLIGHT", "256", "most requests a replica has waiting for WeChat at once; a login step that would be one more gets the retry page at once", false, integer(func(c *Config) *int { return &c.WeChatMaxInFlight })},
		{"WXLOGIN_SANDBOX", "true", "serve the WeChat sandbox for sandbox accounts (`true` or `false`)", false, func(c *Config, v string) error {
			switch v {
			case "true", "1":
				c.Sandbox = true
			case "false", "0":
				c.Sandbox = false
			default:
				return fmt.Errorf("want true or false")
			}
			return nil
		}},
		{"WXLOGIN_SECRET_CACHE_TTL", "60s", "how long AppSecrets and keys read from the secret store are cached", false, dur(func(c *Config) *time.Duration { return &c.SecretCacheTTL })},
		{"WXLOGIN_SECRET_MAX_STALE", "10m", "how long past `WXLOGIN_SECRET_CACHE_TTL` a cached secret is still served while the secret store is unreachable (`0`: never)", false, dur(func(c *Config) *time.Duration { return &c.SecretMaxStale })},
		{"WXLOGIN_ACCOUNT_CACHE_TTL", "5s", "how long a replica reuses an account it read for logins; changes reach it within this time", false, dur(func(c *Config) *time.Duration { return &c.AccountCacheTTL })},
		{"WXLOGIN_REQUEST_TIMEOUT", "15s", "how long one HTTP request may wait for the database (a pooled connection included), Vault and WeChat before it is answered 503; the HTTP server's write timeout is 15 s longer; a streamed CSV export goes on for as long as each of its writes, and the wait for its next rows, takes less than this", false, dur(func(c *Config) *time.Duration { return &c.RequestTimeout })},
		{"WXLOGIN_SHUTDOWN_TIMEOUT", "20s", "how long in-flight requests may finish after SIGTERM", false, dur(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
		{"WXLOGIN_DELETE_BATCH_SIZE", "1000", "how many identities of a deleted account (with their login events, and the relinking of their persons) one transaction of the background purge removes", false, func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			c.DeleteBatchSize = n
			return err
		}},
		{"WXLOGIN_DELETE_BATCH_PAUSE", "0s", "how long the purge of a deleted account waits between two batches, leaving the database to logins", false, dur(func(c *Config) *time.Duration { return &c.DeleteBatchPause })},
		{"WXLOGIN_LOGIN_RATE", "10", "hosted-login requests (login, callback and OpenID Connect authorize pages) per second per client address; see Rate limits", false, num(func(c *Config) *float64 { return &c.LoginRate })},
		{"WXLOGIN_LOGIN_BURST", "50", "most hosted-login requests a client address may make at once (its token bucket's size)", false, integer(func(c *Config) *int { return &c.LoginBurst })},
		{"WXLOGIN_TOKEN_RATE", "100", "token endpoint requests per second per client address (a tenant's backend redeems every login's code)", false, num(func(c *Config) *float64 { return &c.TokenRate })},
		{"WXLOGIN_TOKEN_BURST", "500", "most token endpoint requests a client address may make at once", false, integer(func(c *Config) *int { return &c.TokenBurst })},
		{"WXLOGIN_API_RATE", "50", "admin API requests per second per API key (or console binding)", false, num(func(c *Config) *float64 { return &c.APIRate })},
		{"WXLOGIN_API_BURST", "100", "most admin API requests an API key (or console binding) may make at once", false, integer(func(c *Config) *int { return &c.APIBurst })},
		{"WXLOGIN_REDIS_URL", "", "Redis (`redis://[user:password@]host:port/db`, `rediss://…` for TLS) where every replica shares the rate limits' buckets; unset: each replica limits on its own, in memory", true, str(func(c *Config) *string { return &c.RedisURL })},
		{"WXLOGIN_REDIS_PREFIX", "wxlogin:", "prefix of wxlogin's keys in Redis", false, str(func(c *Config) *string { return &c.RedisPrefix })},
		{"WXLOGIN_LOG_LEVEL", "info", "least severe log level written: `debug`, `info`, `warn` or `error`", false, func(c *Config, v string) error {
			levels := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}
			l, ok := levels[v]
			if !ok {
				return fmt.Errorf("want debug, info, warn or error")
			}
			c.LogLevel = l
			return nil
		}},
		{"WXLOGIN_METRICS_ADDR", ":9090", "address of the Prometheus `/metrics` listener, apart from the HTTP server's; empty turns it off", false, str(func(c *Config) *string { return &c.MetricsAddr })},
		{"WXLOGIN_TRUSTED_PROXIES", "", "comma-separated IP addresses and CIDR networks of the reverse proxies whose `X-Forwarded-For` gives the client's address (logged with logins and admin changes, and charged by the rate limits); unset: none is trusted, the address is the connection's", false, func(c *Config, v string) error {
			c.TrustedProxies = nil
			for p := range strings.SplitSeq(v, ",") {
				if p = strings.TrimSpace(p); p == "" {
					continue
				}
				if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
					return fmt.Errorf("%q is neither an IP address nor a CIDR network", p)
				}
				c.TrustedProxies = append(c.TrustedProxies, p)
			}
			return nil
		}},
		{"WXLOGIN_CONSOLE_WECHAT_TENANT", "", "the platform tenant whose hosted login signs people in to the admin console with WeChat (\"微信登录\"), with `WXLOGIN_CONSOLE_WECHAT_APPID`; unset: the console has no WeChat sign-in, except under `wxlogin demo`, which uses its `demo` tenant", false, str(func(c *Config) *string { return &c.ConsoleWeChatTenant })},
		{"WXLOGIN_CONSOLE_WECHAT_APPID", "", "the platform tenant's official account (or website app) of that sign-in; its redirect URIs must allow `{public_url}/console/wechat/callback`; unset under `wxlogin demo`: its account A", false, str(func(c *Config) *string { return &c.ConsoleWeChatAppID })},
	}
}

// Load reads the settings through lookupEnv (os.LookupEnv in production)
// and, for those the environment leaves unset, the file named by
// WXLOGIN_CONFIG_FILE; applies defaults and validates the result. A
// variable set to the empty string is set: only an unset one takes the
// default.
func Load(lookupEnv func(string) (string, bool)) (Config, error) {
	sources := []source{envSource(lookupEnv)}
	path, _, err := sources[0].value(ConfigFileSetting)
	if err != nil {
		return Config{}, err
	}
	if path != "" {
		file, err := readFile(path)
		if err != nil {
			return Config{}, err
		}
		sources = append(sources, file)
	}
	var c Config
	for _, s := range Settings() {
		v, ok, err := lookup(sources, s.Name)
		if err != nil {
			return Config{}, err
		}
		if !ok {
			v = s.Default
		}
		if err := s.set(&c, v); err != nil {
			if s.Secret {
				return Config{}, fmt.Errorf("config: %s: %v", s.Name, err)
			}
			return Config{}, fmt.Errorf("config: %s=%q: %v", s.Name, v, err)
		}
	}
	c.VaultAppRoleSecretIDFile = filePath(sources, "WXLOGIN_VAULT_APPROLE_SECRET_ID")
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.DatabaseURL == "sqlite:{data_dir}/wxlogin.db" {
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "wxlogin.db")
	}
	return c, c.Validate()
}

// lookup returns the value of setting name from the first source that
// sets it.
func lookup(sources []source, name string) (string, bool, error) {
	for _, src := range sources {
		v, ok, err := src.value(name)
		if ok || err != nil {
			return v, ok, err
		}
	}
	return "", false, nil
}

// filePath returns the file setting name was read from, if the first
// source that sets it gives it as name_FILE.
func filePath(sources []source, name string) string {
	for _, src := range sources {
		if _, ok := src.lookup(name); ok {
			return ""
		}
		if path, ok := src.lookup(name + FileSuffix); ok {
			return path
		}
	}
	return ""
}

// Validate checks the settings and names the first bad one.
func (c Config) Validate() error {
	checks := []struct {
		bad bool
		msg string
	}{
		{!hostPort(c.HTTPAddr), "WXLOGIN_HTTP_ADDR must be host:port or :port"},
		{!absoluteHTTP(c.PublicURL), "WXLOGIN_PUBLIC_URL must be an absolute http(s) URL without query or fragment"},
		{c.DataDir == "", "WXLOGIN_DATA_DIR is empty"},
		{!strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://"),
			"WXLOGIN_DATABASE_URL must start with sqlite:, postgres:// or postgresql://"},
		{c.VaultAddr != "" && !absoluteHTTP(c.VaultAddr), "WXLOGIN_VAULT_ADDR must be an absolute http(s) URL"},
		{c.VaultAuth != "token" && c.VaultAuth != "approle" && c.VaultAuth != "kubernetes", "WXLOGIN_VAULT_AUTH must be token, approle or kubernetes"},
		{c.VaultAddr != "" && c.VaultAuth == "token" && c.VaultToken == "", "WXLOGIN_VAULT_TOKEN (or WXLOGIN_VAULT_TOKEN_FILE) is required with WXLOGIN_VAULT_ADDR and token auth"},
		{c.VaultAddr != "" && c.VaultAuth == "approle" && c.VaultAppRoleRoleID == "", "WXLOGIN_VAULT_APPROLE_ROLE_ID is required with WXLOGIN_VAULT_AUTH=approle"},
		{c.VaultAddr != "" && c.VaultAuth == "approle" && c.VaultAppRoleSecretID == "",
			"WXLOGIN_VAULT_APPROLE_SECRET_ID_FILE (or WXLOGIN_VAULT_APPROLE_SECRET_ID) is required with WXLOGIN_VAULT_AUTH=approle"},
		{c.VaultAddr != "" && c.VaultAuth == "kubernetes" && c.VaultKubernetesRole == "", "WXLOGIN_VAULT_KUBERNETES_ROLE is required with WXLOGIN_VAULT_AUTH=kubernetes"},
		{c.VaultAddr != "" && (c.VaultMount == "" || c.VaultPrefix == ""), "WXLOGIN_VAULT_MOUNT and WXLOGIN_VAULT_PREFIX must not be empty"},
		{c.DatabaseMaxConns < 2, "WXLOGIN_DATABASE_MAX_CONNS must be at least 2"},
		{c.VaultTimeout <= 0 || c.VaultTimeout > time.Minute, "WXLOGIN_VAULT_TIMEOUT must be between 0 and 1m"},
		{!absoluteHTTP(c.WeChatAPIURL), "WXLOGIN_WECHAT_API_URL must be an absolute http(s) URL"},
		{!absoluteHTTP(c.WeChatOpenURL), "WXLOGIN_WECHAT_OPEN_URL must be an absolute http(s) URL"},
		{c.WeChatTimeout <= 0 || c.WeChatTimeout > time.Minute, "WXLOGIN_WECHAT_TIMEOUT must be between 0 and 1m"},
		{c.WeChatBudget < c.WeChatTimeout || c.WeChatBudget > 2*time.Minute, "WXLOGIN_WECHAT_BUDGET must be between WXLOGIN_WECHAT_TIMEOUT and 2m"},
		{c.WeChatMaxInFlight < 1, "WXLOGIN_WECHAT_MAX_IN_FLIGHT must be at least 1"},
		{c.SecretCacheTTL < 0 || c.SecretCacheTTL > time.Hour, "WXLOGIN_SECRET_CACHE_TTL must be between 0 and 1h"},
		{c.SecretMaxStale < 0 || c.SecretMaxStale > 24*time.Hour, "WXLOGIN_SECRET_MAX_STALE must be between 0 and 24h"},
		{c.AccountCacheTTL < 0 || c.AccountCacheTTL > time.Minute, "WXLOGIN_ACCOUNT_CACHE_TTL must be between 0 and 1m"},
		{c.RequestTimeout <= 0 || c.RequestTimeout > 10*time.Minute, "WXLOGIN_REQUEST_TIMEOUT must be between 0 and 10m"},
		{c.ShutdownTimeout <= 0 || c.ShutdownTimeout > 10*time.Minute, "WXLOGIN_SHUTDOWN_TIMEOUT must be between 0 and 10m"},
		{c.DeleteBatchSize < 1 || c.DeleteBatchSize > 100000, "WXLOGIN_DELETE_BATCH_SIZE must be between 1 and 100000"},
		{c.DeleteBatchPause < 0 || c.DeleteBatchPause > time.Minute, "WXLOGIN_DELETE_BATCH_PAUSE must be between 0 and 1m"},
		{badRate(c.LoginRate), "WXLOGIN_LOGIN_RATE must be a positive number"},
		{c.LoginBurst < 1, "WXLOGIN_LOGIN_BURST must be at least 1"},
		{badRate(c.TokenRate), "WXLOGIN_TOKEN_RATE must be a positive number"},
		{c.TokenBurst < 1, "WXLOGIN_TOKEN_BURST must be at least 1"},
		{badRate(c.APIRate), "WXLOGIN_API_RATE must be a positive number"},
		{c.APIBurst < 1, "WXLOGIN_API_BURST must be at least 1"},
		{c.RedisURL != "" && !redisURL(c.RedisURL), "WXLOGIN_REDIS_URL must be a redis://, rediss:// or unix:// URL"},
		{c.MetricsAddr != "" && !hostPort(c.MetricsAddr), "WXLOGIN_METRICS_ADDR must be host:port, :port or empty"},
		{c.MetricsAddr != "" && c.MetricsAddr == c.HTTPAddr, "WXLOGIN_METRICS_ADDR must differ from WXLOGIN_HTTP_ADDR"},
		{(c.ConsoleWeChatTenant == "") != (c.ConsoleWeChatAppID == ""), "WXLOGIN_CONSOLE_WECHAT_TENANT and WXLOGIN_CONSOLE_WECHAT_APPID are set together or not at all"},
	}
	for _, ch := range checks {
		if ch.bad {
			return fmt.Errorf("config: %s", ch.msg)
		}
	}
	return nil
}

// badRate: a rate of requests per second must be a positive, finite number.
func badRate(r float64) bool {
	return !(r > 0) || math.IsInf(r, 1)
}

func redisURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "redis" || u.Scheme == "rediss" || u.Scheme == "unix")
}

func absoluteHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.RawQuery == "" && u.Fragment == ""
}

func hostPort(addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	return err == nil && port != ""
}
