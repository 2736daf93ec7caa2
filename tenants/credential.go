package tenants

import "time"

// Roles of an API key.
type Role string

const (
	// RoleOperator keys belong to whoever runs wxlogin; they alone create
	// tenants. Their TenantID is empty.
	RoleOperator Role = "operator"
	// RoleAdmin keys change one tenant's configuration.
	RoleAdmin Role = "admin"
	// RoleViewer keys read one tenant's configuration and data.
	RoleViewer Role = "viewer"
)

// APIKey authenticates an admin. The key itself is shown once at creation;
// only its SHA-256 hash is stored (keys carry 256 random bits, so a slow
// password hash would add nothing).
type APIKey struct {
	ID         string
	TenantID   string
	Name       string
	Role       Role
	Hash       string
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// LastUsedResolution is how precisely an API key's LastUsedAt is kept: a
// use less than this after the recorded one is not written, so that
// authenticated requests do not each write their key's row.
const LastUsedResolution = time.Minute

// ClientSecret is a credential a tenant's backend presents at the token
// endpoint for logins started without PKCE. The client_id is the account's
// AppID; only the secret's SHA-256 hash is stored.
type ClientSecret struct {
	ID        string
	TenantID  string
	AppID     string
	Hash      string
	CreatedAt time.Time
	RevokedAt *time.Time
}
