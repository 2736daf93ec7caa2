package tenants

import (
	"context"
	"time"
)

// Store persists the domain. Every method that reads or writes tenant-owned
// rows takes the tenant ID and never touches another tenant's rows: a row of
// tenant A looked up with tenant B's ID is ErrNotFound. Errors wrap
// ErrNotFound, ErrConflict or ErrInvalid where those apply.
type Store interface {
	// CreateTenant inserts t; ErrConflict if its ID is taken.
	CreateTenant(ctx context.Context, t Tenant) error
	// GetTenant returns the tenant with that ID.
	GetTenant(ctx context.Context, id string) (Tenant, error)
	// ListTenants returns all tenants ordered by ID.
	ListTenants(ctx context.Context) ([]Tenant, error)

	// CreateAccount inserts a; ErrConflict if the tenant already has that AppID.
	CreateAccount(ctx context.Context, a Account) error
	// GetAccount returns the tenant's account with that AppID.
	GetAccount(ctx context.Context, tenantID, appID string) (Account, error)
	// ListAccounts returns the tenant's accounts ordered by AppID.
	ListAccounts(ctx context.Context, tenantID string) ([]Account, error)
	// SetSecretVersion records that the account's AppSecret is now at
	// version, changed at.
	SetSecretVersion(ctx context.Context, tenantID, appID string, version int, at time.Time) error

	// CreateAPIKey inserts k.
	CreateAPIKey(ctx context.Context, k APIKey) error
	// APIKeyByHash returns the key with that hash, revoked or not.
	APIKeyByHash(ctx context.Context, hash string) (APIKey, error)

	// CreateClientSecret inserts s.
	CreateClientSecret(ctx context.Context, s ClientSecret) error
	// ActiveClientSecrets returns the account's unrevoked client secrets,
	// oldest first.
	ActiveClientSecrets(ctx context.Context, tenantID, appID string) ([]ClientSecret, error)

	// GetIdentity returns the tenant's identity with that ID.
	GetIdentity(ctx context.Context, tenantID, id string) (Identity, error)
	// ListIdentities returns the tenant's identities matching f, ordered by ID.
	ListIdentities(ctx context.Context, tenantID string, f IdentityFilter) ([]Identity, error)
	// LoginEvents returns the identity's login events, newest first.
	LoginEvents(ctx context.Context, tenantID, identityID string) ([]LoginEvent, error)
}
