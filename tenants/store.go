package tenants

import (
	"context"
	"time"
)

// Store persists the domain. Every method that reads or writes tenant-owned
// rows takes the tenant ID and never touches another tenant's rows: a row of
// tenant A looked up with tenant B's ID is ErrNotFound. Errors wrap
// ErrNotFound, ErrConflict or ErrInvalid where those apply. Lists that take a
// Page return it in a stable order, the order its cursor follows.
type Store interface {
	// CreateTenant inserts t; ErrConflict if its ID is taken.
	CreateTenant(ctx context.Context, t Tenant) error
	// GetTenant returns the tenant with that ID.
	GetTenant(ctx context.Context, id string) (Tenant, error)
	// ListTenants returns all tenants ordered by ID.
	ListTenants(ctx context.Context) ([]Tenant, error)
	// UpdateTenant writes t's Name, Disabled, TimeZone and UpdatedAt to the tenant
	// with t's ID (its CreatedAt stays); ErrNotFound if there is none.
	UpdateTenant(ctx context.Context, t Tenant) error

	// CreateAccount inserts a; ErrConflict if the tenant already has that AppID.
	CreateAccount(ctx context.Context, a Account) error
	// GetAccount returns the tenant's account with that AppID.
	GetAccount(ctx context.Context, tenantID, appID string) (Account, error)
	// ListAccounts returns a page of the tenant's accounts ordered by AppID;
	// the cursor is an AppID.
	ListAccounts(ctx context.Context, tenantID string, p Page) ([]Account, error)
	// UpdateAccount writes a's mutable fields (Name, Mode, DefaultScope,
	// RedirectURIs, TokenTTL, OpenPlatformID, UpdatedAt) to the tenant's
	// account with a's AppID; ErrNotFound if there is none. The secret
	// fields and CreatedAt are never changed by it.
	UpdateAccount(ctx context.Context, a Account) error
	// DeleteAccount deletes the tenant's account with that AppID, and with
	// it everything that hangs on it: client secrets, identities and their
	// login events, logins in flight and their codes. ErrNotFound if there
	// is none. The AppSecret in the secret store is the caller's to delete.
	DeleteAccount(ctx context.Context, tenantID, appID string) error
	// SetSecretVersion records that the account's AppSecret is now at
	// version, changed at. The confirmed version stays as it was.
	SetSecretVersion(ctx context.Context, tenantID, appID string, version int, at time.Time) error
	// ConfirmSecretVersion records that WeChat accepted version of the
	// account's AppSecret. The confirmed version only moves forward:
	// confirming one at or below it changes nothing and succeeds. A version
	// above the current SecretVersion is ErrInvalid; ErrNotFound if there is
	// no such account.
	ConfirmSecretVersion(ctx context.Context, tenantID, appID string, version int) error

	// CreateAPIKey inserts k.
	CreateAPIKey(ctx context.Context, k APIKey) error
	// APIKeyByHash returns the key with that hash, revoked or not.
	APIKeyByHash(ctx context.Context, hash string) (APIKey, error)
	// ListAPIKeys returns a page of the tenant's keys, revoked and expired
	// ones included, ordered by ID. An empty tenantID lists the operator
	// keys (and only those).
	ListAPIKeys(ctx context.Context, tenantID string, p Page) ([]APIKey, error)
	// RevokeAPIKey marks the tenant's key (an operator key when tenantID is
	// empty) revoked at at. Revoking a revoked key succeeds and keeps the
	// first revocation time; ErrNotFound if the tenant has no such key.
	RevokeAPIKey(ctx context.Context, tenantID, id string, at time.Time) error
	// TouchAPIKey records that key id was used at at. It is called on every
	// authenticated request, so it writes only when the recorded use is
	// older than LastUsedResolution before at (or missing), and a missing
	// key is no error.
	TouchAPIKey(ctx context.Context, id string, at time.Time) error

	// CreateConsoleBinding inserts b; ErrConflict if b's tenant binds its
	// unionid or openid already, ErrNotFound if there is no such tenant.
	CreateConsoleBinding(ctx context.Context, b ConsoleBinding) error
	// ListConsoleBindings returns a page of the tenant's console bindings
	// ordered by ID.
	ListConsoleBindings(ctx context.Context, tenantID string, p Page) ([]ConsoleBinding, error)
	// DeleteConsoleBinding deletes the tenant's binding with that ID and
	// the console sessions acting as it; ErrNotFound if the tenant has no
	// such binding.
	DeleteConsoleBinding(ctx context.Context, tenantID, id string) error
	// ConsoleBindingsOf returns the bindings, in every tenant, of the
	// person a WeChat sign-in named: those of unionID, unless it is empty,
	// and those of openID; ordered by tenant, then ID. It is the one
	// lookup across tenants: a person's sign-in comes before any tenant.
	ConsoleBindingsOf(ctx context.Context, unionID, openID string) ([]ConsoleBinding, error)

	// CreateConsoleSession inserts s, a session of an API key (its
	// APIKeyID must name a key) or of WeChat (OpenID set; BindingID, when
	// set, must name a binding); ErrNotFound when a key or binding named is
	// missing.
	CreateConsoleSession(ctx context.Context, s ConsoleSession) error
	// ConsoleSession returns the console session with that hash, expired
	// or not, and what it acts as; ErrNotFound if there is none.
	ConsoleSession(ctx context.Context, hash string) (ConsoleSession, ConsoleActor, error)
	// ChooseConsoleBinding makes the WeChat session with that hash act as
	// the binding with that ID; ErrNotFound if there is no such WeChat
	// session or binding.
	ChooseConsoleBinding(ctx context.Context, hash, bindingID string) error
	// DeleteConsoleSession deletes the session with that hash; a missing
	// one is no error.
	DeleteConsoleSession(ctx context.Context, hash string) error
	// DeleteConsoleSessions deletes the sessions expiring at or before
	// cutoff and returns how many it deleted.
	DeleteConsoleSessions(ctx context.Context, cutoff time.Time) (int64, error)

	// CreateClientSecret inserts s.
	CreateClientSecret(ctx context.Context, s ClientSecret) error
	// ActiveClientSecrets returns the account's unrevoked client secrets,
	// oldest first.
	ActiveClientSecrets(ctx context.Context, tenantID, appID string) ([]ClientSecret, error)
	// ListClientSecrets returns all the account's client secrets, revoked
	// ones included, oldest first.
	ListClientSecrets(ctx context.Context, tenantID, appID string) ([]ClientSecret, error)
	// RevokeClientSecret marks the account's client secret revoked at at.
	// Revoking a revoked secret succeeds and keeps the first revocation
	// time; ErrNotFound if the account has no such secret.
	RevokeClientSecret(ctx context.Context, tenantID, appID, id string, at time.Time) error

	// GetIdentity returns the tenant's identity with that ID.
	GetIdentity(ctx context.Context, tenantID, id string) (Identity, error)
	// ListIdentities returns a page of the tenant's identities matching f,
	// ordered by ID.
	ListIdentities(ctx context.Context, tenantID string, f IdentityFilter) ([]Identity, error)
	// LoginEvents returns the identity's login events, newest first.
	LoginEvents(ctx context.Context, tenantID, identityID string) ([]LoginEvent, error)
	// DeleteIdentity deletes the tenant's identity with that ID and its
	// login events; ErrNotFound if there is none.
	DeleteIdentity(ctx context.Context, tenantID, id string) error
	// ErasePerson deletes, in one transaction, every identity with that
	// unionid in any of the tenant's accounts, with their login events, and
	// counts what went. A unionid the tenant does not hold erases nothing
	// and succeeds; an empty one is ErrInvalid.
	ErasePerson(ctx context.Context, tenantID, unionID string) (Erasure, error)

	// RecordAudit stores e under a new ID (e.ID is ignored). e.TenantID is
	// empty for operator-level actions, and must otherwise name a tenant
	// (ErrNotFound if it does not). The caller keeps secrets out of e.
	RecordAudit(ctx context.Context, e AuditEvent) error
	// ListAuditEvents returns a page of the tenant's audit events matching
	// f, newest first (by ID). An empty tenantID lists the operator-level
	// events.
	ListAuditEvents(ctx context.Context, tenantID string, f AuditFilter) ([]AuditEvent, error)

	// ClaimIdempotencyKey stores r, a request in flight (Status 0), as its
	// principal's record for r.Key and returns it and true, unless the
	// principal holds a live record for r.Key already: then it returns
	// that record and false. A record is live, at r.CreatedAt, for
	// IdempotencyTTL, and while in flight only for IdempotencyLease; a
	// claim replaces a record that is no longer live. Of concurrent claims
	// of one key, one wins.
	ClaimIdempotencyKey(ctx context.Context, r IdempotencyRecord) (IdempotencyRecord, bool, error)
	// CompleteIdempotencyKey writes r's answer (Status, Header, Body,
	// Withheld) to the in-flight record of r's principal and Key with r's
	// RequestHash; ErrNotFound if there is none.
	CompleteIdempotencyKey(ctx context.Context, r IdempotencyRecord) error
	// ReleaseIdempotencyKey deletes the in-flight record of r's principal
	// and Key with r's RequestHash, so that the request may be sent again. An
	// answered or missing record is no error, and an answered one stays.
	ReleaseIdempotencyKey(ctx context.Context, r IdempotencyRecord) error
	// DeleteIdempotencyRecords deletes the records created at or before
	// cutoff and returns how many went.
	DeleteIdempotencyRecords(ctx context.Context, cutoff time.Time) (int64, error)
}
