// Package config is wxlogin's typed configuration, read from WXLOGIN_*
// environment variables and checked by Validate. Only cmd/wxlogin reads it;
// every other package takes plain values in its constructor.
package config

import (
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of wxlogin. Secret values (the Vault token) are
// never printed: Config has no String method that would show them, and
// callers log only the fields they name.
type Config struct {
	HTTPAddr    string
	PublicURL   string
	DataDir     string
	DatabaseURL string

	VaultAddr   string
	VaultToken  string
	VaultMount  string
	VaultPrefix string

	WeChatAPIURL  string
	WeChatOpenURL string
	// Sandbox serves the built-in WeChat emulator for sandbox accounts.
	Sandbox bool

	SecretCacheTTL  time.Duration
	AccountCacheTTL time.Duration
	ShutdownTimeout time.Duration

	// APIRate and APIBurst are each API key's token bucket on the admin
	// API, per replica: requests per second and the largest burst.
	APIRate  float64
	APIBurst int
}

// Setting is one environment variable: its name, default and meaning. The
// README's configuration table lists the same.
type Setting struct {
	Name, Default, Meaning string
	set                    func(*Config, string) error
}

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
	return []Setting{
		{"WXLOGIN_HTTP_ADDR", ":8080", "address the HTTP server listens on", str(func(c *Config) *string { return &c.HTTPAddr })},
		{"WXLOGIN_PUBLIC_URL", "http://localhost:8080", "external base URL; JWT issuers are {public_url}/t/{tenant}", str(func(c *Config) *string { return &c.PublicURL })},
		{"WXLOGIN_DATA_DIR", "./data", "directory of the SQLite file and the local secret store", str(func(c *Config) *string { return &c.DataDir })},
		{"WXLOGIN_DATABASE_URL", "sqlite:{data_dir}/wxlogin.db", "sqlite:PATH or postgres://…", str(func(c *Config) *string { return &c.DatabaseURL })},
		{"WXLOGIN_VAULT_ADDR", "", "Vault address; unset means the local encrypted secret store in {data_dir}/secrets", str(func(c *Config) *string { return &c.VaultAddr })},
		{"WXLOGIN_VAULT_TOKEN", "", "Vault token (or WXLOGIN_VAULT_TOKEN_FILE: a file holding it)", str(func(c *Config) *string { return &c.VaultToken })},
		{"WXLOGIN_VAULT_MOUNT", "secret", "Vault KV v2 mount", str(func(c *Config) *string { return &c.VaultMount })},
		{"WXLOGIN_VAULT_PREFIX", "wxlogin", "path prefix of wxlogin's secrets in the mount", str(func(c *Config) *string { return &c.VaultPrefix })},
		{"WXLOGIN_WECHAT_API_URL", "https://api.weixin.qq.com", "where live accounts call WeChat's /sns APIs", str(func(c *Config) *string { return &c.WeChatAPIURL })},
		{"WXLOGIN_WECHAT_OPEN_URL", "https://open.weixin.qq.com", "where live accounts send people to authorize", str(func(c *Config) *string { return &c.WeChatOpenURL })},
		{"WXLOGIN_SANDBOX", "true", "serve the WeChat sandbox for sandbox accounts (true/false)", func(c *Config, v string) error {
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
		{"WXLOGIN_SECRET_CACHE_TTL", "60s", "how long AppSecrets and keys read from the secret store are cached", dur(func(c *Config) *time.Duration { return &c.SecretCacheTTL })},
		{"WXLOGIN_ACCOUNT_CACHE_TTL", "5s", "how long a replica reuses an account it read for logins; changes reach it within this time", dur(func(c *Config) *time.Duration { return &c.AccountCacheTTL })},
		{"WXLOGIN_SHUTDOWN_TIMEOUT", "20s", "how long in-flight requests may finish after SIGTERM", dur(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
		{"WXLOGIN_API_RATE", "50", "admin API requests per second per API key, on each replica", func(c *Config, v string) error {
			r, err := strconv.ParseFloat(v, 64)
			c.APIRate = r
			return err
		}},
		{"WXLOGIN_API_BURST", "100", "most admin API requests an API key may make at once (its token bucket's size), on each replica", func(c *Config, v string) error {
			b, err := strconv.Atoi(v)
			c.APIBurst = b
			return err
		}},
	}
}

// Load reads the settings through getenv (os.Getenv in production), applies
// defaults and validates the result.
func Load(getenv func(string) string) (Config, error) {
	var c Config
	for _, s := range Settings() {
		v := getenv(s.Name)
		if v == "" {
			v = s.Default
		}
		if err := s.set(&c, v); err != nil {
			return Config{}, fmt.Errorf("config: %s=%q: %v", s.Name, v, err)
		}
	}
	if f := getenv("WXLOGIN_VAULT_TOKEN_FILE"); f != "" && c.VaultToken == "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return Config{}, fmt.Errorf("config: WXLOGIN_VAULT_TOKEN_FILE: %w", err)
		}
		c.VaultToken = strings.TrimSpace(string(b))
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.DatabaseURL == "sqlite:{data_dir}/wxlogin.db" {
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "wxlogin.db")
	}
	return c, c.Validate()
}

// Validate checks the settings and names the first bad one.
func (c Config) Validate() error {
	checks := []struct {
		bad bool
		msg string
	}{
		{c.HTTPAddr == "", "WXLOGIN_HTTP_ADDR is empty"},
		{!absoluteHTTP(c.PublicURL), "WXLOGIN_PUBLIC_URL must be an absolute http(s) URL without query or fragment"},
		{c.DataDir == "", "WXLOGIN_DATA_DIR is empty"},
		{!strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://"),
			"WXLOGIN_DATABASE_URL must start with sqlite:, postgres:// or postgresql://"},
		{c.VaultAddr != "" && !absoluteHTTP(c.VaultAddr), "WXLOGIN_VAULT_ADDR must be an absolute http(s) URL"},
		{c.VaultAddr != "" && c.VaultToken == "", "WXLOGIN_VAULT_TOKEN (or WXLOGIN_VAULT_TOKEN_FILE) is required with WXLOGIN_VAULT_ADDR"},
		{c.VaultAddr != "" && (c.VaultMount == "" || c.VaultPrefix == ""), "WXLOGIN_VAULT_MOUNT and WXLOGIN_VAULT_PREFIX must not be empty"},
		{!absoluteHTTP(c.WeChatAPIURL), "WXLOGIN_WECHAT_API_URL must be an absolute http(s) URL"},
		{!absoluteHTTP(c.WeChatOpenURL), "WXLOGIN_WECHAT_OPEN_URL must be an absolute http(s) URL"},
		{c.SecretCacheTTL < 0 || c.SecretCacheTTL > time.Hour, "WXLOGIN_SECRET_CACHE_TTL must be between 0 and 1h"},
		{c.AccountCacheTTL < 0 || c.AccountCacheTTL > time.Minute, "WXLOGIN_ACCOUNT_CACHE_TTL must be between 0 and 1m"},
		{c.ShutdownTimeout <= 0 || c.ShutdownTimeout > 10*time.Minute, "WXLOGIN_SHUTDOWN_TIMEOUT must be between 0 and 10m"},
		{!(c.APIRate > 0) || math.IsInf(c.APIRate, 1), "WXLOGIN_API_RATE must be a positive number"},
		{c.APIBurst < 1, "WXLOGIN_API_BURST must be at least 1"},
	}
	for _, ch := range checks {
		if ch.bad {
			return fmt.Errorf("config: %s", ch.msg)
		}
	}
	return nil
}

func absoluteHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.RawQuery == "" && u.Fragment == ""
}
