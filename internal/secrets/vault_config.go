package secrets

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// VaultConfig says how to reach Vault's KV v2 engine and how to log in.
type VaultConfig struct {
	// Address is Vault's base URL, e.g. https://vault.internal:8200.
	Address string
	// Auth is how wxlogin gets its Vault token: AuthToken (the default),
	// AuthAppRole or AuthKubernetes.
	Auth string
	// Token is the token of AuthToken. It never appears when the config
	// is printed (any fmt verb) or encoded as JSON.
	Token string `json:"-"`
	// AppRole configures AuthAppRole.
	AppRole AppRoleConfig
	// Kubernetes configures AuthKubernetes.
	Kubernetes KubernetesConfig
	// Mount is where the KV v2 engine is mounted; default "secret".
	Mount string
	// Prefix is put before every path, so that wxlogin's secrets live
	// under Mount/Prefix/…; default "wxlogin".
	Prefix string
	// HTTP, when set, replaces the client's default http.Client (for
	// custom TLS or proxies).
	HTTP *http.Client `json:"-"`
	// Timeout bounds each request, retries included; default 60s (the
	// Vault client's).
	Timeout time.Duration
	// Logger records logins, renewals and their failures (never a token
	// or a credential); default discards.
	Logger *slog.Logger `json:"-"`
}

// AppRoleConfig is the AppRole login: a role id and a secret id.
type AppRoleConfig struct {
	// RoleID names the role. It is printed only as set or unset.
	RoleID string `json:"-"`
	// SecretID is the secret id itself, for when it is not in a file.
	SecretID string `json:"-"`
	// SecretIDFile holds the secret id; it is read again at every login,
	// so a rotated secret id written there is used from the next login.
	// It wins over SecretID.
	SecretIDFile string
	// Mount is where the AppRole auth method is enabled; default "approle".
	Mount string
}

// KubernetesConfig is the Kubernetes login: the pod's service account token
// exchanged for a Vault token of Role.
type KubernetesConfig struct {
	// Role is the Vault role bound to the pod's service account.
	Role string
	// Mount is where the Kubernetes auth method is enabled; default
	// "kubernetes".
	Mount string
	// TokenFile holds the service account token; it is read again at
	// every login, since Kubernetes rotates projected tokens. Default
	// DefaultKubernetesTokenFile.
	TokenFile string
}

// Auth methods of VaultConfig.Auth.
const (
	AuthToken      = "token"
	AuthAppRole    = "approle"
	AuthKubernetes = "kubernetes"
)

// Defaults for VaultConfig.
const (
	DefaultVaultMount          = "secret"
	DefaultVaultPrefix         = "wxlogin"
	DefaultAppRoleMount        = "approle"
	DefaultKubernetesMount     = "kubernetes"
	DefaultKubernetesTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token"
)

// String describes c with its credentials redacted.
func (c VaultConfig) String() string {
	return fmt.Sprintf("VaultConfig{Address:%s Auth:%s Token:%s AppRole:{RoleID:%s SecretID:%s SecretIDFile:%s Mount:%s} "+
		"Kubernetes:{Role:%s Mount:%s TokenFile:%s} Mount:%s Prefix:%s Timeout:%s}",
		c.Address, c.Auth, redacted(c.Token), redacted(c.AppRole.RoleID), redacted(c.AppRole.SecretID), c.AppRole.SecretIDFile,
		c.AppRole.Mount, c.Kubernetes.Role, c.Kubernetes.Mount, c.Kubernetes.TokenFile, c.Mount, c.Prefix, c.Timeout)
}

// redacted says whether a credential is set, and nothing else about it.
func redacted(credential string) string {
	if credential == "" {
		return ""
	}
	return "REDACTED"
}

// Format prints String for every verb (%v, %+v, %#v, %s, %d, …), so that no
// verb can reach a credential.
func (c VaultConfig) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// withDefaults fills the zero fields that have defaults.
func (c VaultConfig) withDefaults() VaultConfig {
	defaultPath := func(p *string, def string) {
		*p = strings.Trim(*p, "/")
		if *p == "" {
			*p = def
		}
	}
	defaultPath(&c.Mount, DefaultVaultMount)
	defaultPath(&c.Prefix, DefaultVaultPrefix)
	defaultPath(&c.AppRole.Mount, DefaultAppRoleMount)
	defaultPath(&c.Kubernetes.Mount, DefaultKubernetesMount)
	if c.Auth == "" {
		c.Auth = AuthToken
	}
	if c.Kubernetes.TokenFile == "" {
		c.Kubernetes.TokenFile = DefaultKubernetesTokenFile
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// validate reports the first thing wrong with c, never quoting a credential.
func (c VaultConfig) validate() error {
	u, err := url.Parse(c.Address)
	checks := []struct {
		bad    bool
		errMsg string
	}{
		{err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "", "address must be an http(s) URL"},
		{c.Auth != AuthToken && c.Auth != AuthAppRole && c.Auth != AuthKubernetes, "auth must be token, approle or kubernetes"},
		{c.Auth == AuthToken && c.Token == "", "a token is required"},
		{c.Auth == AuthAppRole && c.AppRole.RoleID == "", "approle auth needs a role id"},
		{c.Auth == AuthAppRole && c.AppRole.SecretID == "" && c.AppRole.SecretIDFile == "", "approle auth needs a secret id or a secret id file"},
		{c.Auth == AuthKubernetes && c.Kubernetes.Role == "", "kubernetes auth needs a role"},
		{ValidatePath(c.AppRole.Mount) != nil, "approle mount must be a relative path"},
		{ValidatePath(c.Kubernetes.Mount) != nil, "kubernetes mount must be a relative path"},
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
