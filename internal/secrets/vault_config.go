package secrets

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// VaultConfig says how to reach Vault's KV v2 engine.
type VaultConfig struct {
	// Address is Vault's base URL, e.g. https://vault.internal:8200.
	Address string
	// Token authenticates every request. It never appears when the config
	// is printed (any fmt verb) or encoded as JSON.
	Token string `json:"-"`
	// Mount is where the KV v2 engine is mounted; default "secret".
	Mount string
	// Prefix is put before every path, so that wxlogin's secrets live
	// under Mount/Prefix/…; default "wxlogin".
	Prefix string
	// HTTP, when set, replaces the client's default http.Client (for
	// custom TLS or proxies).
	HTTP *http.Client `json:"-"`
	// Timeout bounds each request, retries included; default 60s.
	Timeout time.Duration
}

// Defaults for VaultConfig.
const (
	DefaultVaultMount  = "secret"
	DefaultVaultPrefix = "wxlogin"
)

// String describes c with its token redacted.
func (c VaultConfig) String() string {
	token := ""
	if c.Token != "" {
		token = "REDACTED"
	}
	return fmt.Sprintf("VaultConfig{Address:%s Token:%s Mount:%s Prefix:%s Timeout:%s}",
		c.Address, token, c.Mount, c.Prefix, c.Timeout)
}

// Format prints String for every verb (%v, %+v, %#v, %s, %d, …), so that no
// verb can reach the token field.
func (c VaultConfig) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// withDefaults fills the zero fields that have defaults.
func (c VaultConfig) withDefaults() VaultConfig {
	c.Mount = strings.Trim(c.Mount, "/")
	c.Prefix = strings.Trim(c.Prefix, "/")
	if c.Mount == "" {
		c.Mount = DefaultVaultMount
	}
	if c.Prefix == "" {
		c.Prefix = DefaultVaultPrefix
	}
	return c
}

// validate reports the first thing wrong with c, never quoting the token.
func (c VaultConfig) validate() error {
	u, err := url.Parse(c.Address)
	checks := []struct {
		bad    bool
		errMsg string
	}{
		{err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "", "address must be an http(s) URL"},
		{c.Token == "", "a token is required"},
		{ValidatePath(c.Mount) != nil, "mount must be a relative path"},
		{ValidatePath(c.Prefix) != nil, "prefix must be a relative path"},
		{c.Timeout < 0, "timeout must not be negative"},
	}
	for _, check := range checks {
		if check.bad {
			return fmt.Errorf("vault config: %s", check.errMsg)
		}
	}
	return nil
}
