package tenants

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Mode says which WeChat an account talks to.
type Mode string

const (
	// ModeSandbox accounts log in through wxlogin's built-in WeChat emulator
	// (served under /sandbox/wechat/), so a tenant can integrate before it
	// has a verified service account.
	ModeSandbox Mode = "sandbox"
	// ModeLive accounts log in through WeChat itself (or whatever
	// WeChat-compatible server the install is configured to reach).
	ModeLive Mode = "live"
)

// Kind says what sort of WeChat app an account is.
type Kind string

const (
	// KindOfficial is an official account (公众号): its logins run inside
	// WeChat (oauth2/authorize, snsapi_base or snsapi_userinfo).
	KindOfficial Kind = "official"
	// KindWebsite is an Open Platform website app (网站应用): its logins run
	// in a desktop browser by scanning a QR code (qrconnect, snsapi_login).
	// Visitors of an official account's hosted login from outside WeChat
	// log in through the tenant's website app bound to the same Open
	// Platform, so they get the same unionid.
	KindWebsite Kind = "website"
)

// WeChat web-authorization scopes: those of official accounts, and
// ScopeLogin of website apps.
const (
	ScopeBase     = "snsapi_base"
	ScopeUserInfo = "snsapi_userinfo"
	ScopeLogin    = "snsapi_login"
)

// Token lifetime bounds and default for an account's JWTs.
const (
	MinTokenTTL     = time.Minute
	MaxTokenTTL     = 24 * time.Hour
	DefaultTokenTTL = time.Hour
)

// Account is an official account (公众号) or a website app a tenant
// registered. Its AppSecret is not here: it lives in the secret store
// only, and the account records just its version and when it last changed.
type Account struct {
	TenantID string
	AppID    string
	Name     string
	// Kind is fixed when the account is created; empty means KindOfficial.
	Kind         Kind
	Mode         Mode
	DefaultScope string
	// RedirectURIs is the allowlist the tenant's redirect_uri must match
	// exactly, byte for byte.
	RedirectURIs []string
	TokenTTL     time.Duration
	// OpenPlatformID names the WeChat Open Platform account the official
	// account is bound to; empty when it is not bound, in which case WeChat
	// never returns a unionid for it.
	OpenPlatformID string
	// SecretVersion is the AppSecret's current version in the secret store.
	SecretVersion int
	// SecretConfirmedVersion is the last version WeChat accepted (0 when
	// none was confirmed yet). While it is below SecretVersion, the new
	// secret has not worked once and the confirmed one stays a candidate
	// (see Service.AppSecretCandidates).
	SecretConfirmedVersion int
	SecretUpdatedAt        time.Time
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

var (
	appIDPattern        = regexp.MustCompile(`^wx[0-9a-z]{16}$`)
	openPlatformPattern = regexp.MustCompile(`^[0-9A-Za-z_-]{1,64}$`)
)

// ValidScope reports whether s is a web-authorization scope of an official
// account.
func ValidScope(s string) bool { return s == ScopeBase || s == ScopeUserInfo }

// Scopes reports whether s is a scope of the account's kind.
func (a Account) Scopes(s string) bool {
	if a.Kind == KindWebsite {
		return s == ScopeLogin
	}
	return ValidScope(s)
}

// Validate checks the account's fields, including every redirect URI.
func (a Account) Validate() error {
	switch {
	case !appIDPattern.MatchString(a.AppID):
		return Invalid("appid", "'wx' followed by 16 lower-case letters or digits")
	case a.Name == "" || len(a.Name) > 200:
		return Invalid("name", "1 to 200 characters")
	case a.Kind != "" && a.Kind != KindOfficial && a.Kind != KindWebsite:
		return Invalid("kind", "official or website")
	case a.Mode != ModeSandbox && a.Mode != ModeLive:
		return Invalid("mode", "sandbox or live")
	case a.Kind != KindWebsite && !ValidScope(a.DefaultScope):
		return Invalid("default_scope", "snsapi_base or snsapi_userinfo")
	case a.Kind == KindWebsite && a.DefaultScope != ScopeLogin:
		return Invalid("default_scope", "snsapi_login, the only scope of a website app")
	case a.Kind == KindWebsite && a.OpenPlatformID == "":
		return Invalid("open_platform_id", "required of a website app: it logs in the visitors of the official accounts bound to the same Open Platform")
	case len(a.RedirectURIs) == 0 || len(a.RedirectURIs) > 50:
		return Invalid("redirect_uris", "1 to 50 URIs")
	case a.TokenTTL < MinTokenTTL || a.TokenTTL > MaxTokenTTL:
		return Invalid("token_ttl", "between 1 minute and 24 hours")
	case a.OpenPlatformID != "" && !openPlatformPattern.MatchString(a.OpenPlatformID):
		return Invalid("open_platform_id", "up to 64 letters, digits, '_' or '-'")
	}
	for _, u := range a.RedirectURIs {
		if err := ValidateRedirectURI(u); err != nil {
			return err
		}
	}
	return nil
}

// ValidateRedirectURI checks one allowlist entry: an absolute https URL, or
// http on localhost or 127.0.0.1 for development; no fragment, no userinfo.
func ValidateRedirectURI(raw string) error {
	bad := func(reason string) error { return Invalid("redirect_uris", raw+": "+reason) }
	if len(raw) > 2000 {
		return bad("longer than 2000 characters")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "":
		return bad("not an absolute URL")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return bad("has a fragment")
	case u.User != nil:
		return bad("has userinfo")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1"):
		return nil
	}
	return bad("must be https (http only on localhost or 127.0.0.1)")
}

// AllowsRedirect reports whether uri is on the allowlist. The match is exact:
// no normalisation, no prefix, no case folding.
func (a Account) AllowsRedirect(uri string) bool { return slices.Contains(a.RedirectURIs, uri) }

// AppSecretPath is where the account's AppSecret lives in the secret store.
func AppSecretPath(tenantID, appID string) string {
	return "tenants/" + tenantID + "/accounts/" + appID + "/appsecret"
}

// withDefaults returns a with its zero token lifetime and kind set to the
// defaults.
func (a Account) withDefaults() Account {
	if a.TokenTTL == 0 {
		a.TokenTTL = DefaultTokenTTL
	}
	if a.Kind == "" {
		a.Kind = KindOfficial
	}
	return a
}
