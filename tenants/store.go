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
	// UpdateAccount calls update with the tenant's account with that AppID
	// and writes the mutable fields of what it returns (Name, Mode,
	// DefaultScope, RedirectURIs, TokenTTL, OpenPlatformID, UpdatedAt);
	// it returns the account as written. The account stays locked from the
	// read to the write: UpdateAccount, SetSecretVersion, DeleteAccount and
	// the client secret writes of one account take turns, each on what the
	// one before left, so no update is lost and update may check a
	// precondition (an ETag) against the account as it is. An error of
	// update is returned as it is and nothing is written. ErrNotFound if
	// there is no such account. The secret fields, Kind and CreatedAt are
	// never changed by it.
	UpdateAccount(ctx context.Context, tenantID, appID string, update func(Account) (Account, error)) (Account, error)
	// DeleteAccount deletes the tenant's account with that AppID for every
	// reader at once and records its deletion, returned, for PurgeAccount
	// to carry out: from then on no method sees the account (GetAccount,
	// ListAccounts, UpdateAccount, SetSecretVersion, ConfirmSecretVersion,
	// the client secret methods and a second DeleteAccount are ErrNotFound;
	// its identities are not listed or got, its client secrets not listed,
	// logins through it are not completed, reports leave it out), and its
	// AppID stays taken (CreateAccount is ErrConflict) until the deletion
	// finished. It takes the account's lock (see UpdateAccount), so a
	// SetSecretVersion runs wholly before it or finds no account, and it
	// waits for logins adding an identity to the account: once it
	// returned, no identity of the account appears.
	// ErrNotFound if there is no such account. The AppSecret in the secret
	// store is the caller's to delete, once the deletion is recorded.
	DeleteAccount(ctx context.Context, tenantID, appID string, at time.Time) (AccountDeletion, error)
	// AccountDeletion returns the tenant's deletion with that ID, running
	// or finished.
	AccountDeletion(ctx context.Context, tenantID, id string) (AccountDeletion, error)
	// RunningAccountDeletions returns the deletions of every tenant that
	// have not finished, oldest first.
	RunningAccountDeletions(ctx context.Context) ([]AccountDeletion, error)
	// PurgeAccount carries deletion d one batch further, in one
	// transaction, while l.Holder holds lease l.Name (renewing it to
	// l.Expires in that transaction, so that two holders never purge at
	// once; ErrLeaseLost if another holder has it): it deletes the next
	// limit identities of the account with their login events and refresh
	// tokens, and relinks their persons. The batch that finds fewer than
	// limit left deletes them and then the account row with everything
	// else that hangs on it (client secrets, logins in flight and their
	// codes), and marks d finished at now. Progress is
	// recorded with each batch, so a purge interrupted anywhere goes on
	// where it stopped. It returns d as recorded; a finished d is returned
	// as it is.
	PurgeAccount(ctx context.Context, d AccountDeletion, limit int, l Lease, now time.Time) (AccountDeletion, error)
	// SetSecretVersion calls write, which stores a new version of the
	// account's AppSecret in the secret store and returns its number, with
	// the account locked (see UpdateAccount), and records that version
	// as the account's, changed at at; the confirmed version stays. So
	// writing the secret and recording its version are one step to the
	// account's other writers: versions are recorded in the order they
	// were written, and once DeleteAccount has returned, write is never
	// called for the account. ErrNotFound, without calling write, if there
	// is no such account; an error of write is returned and nothing is
	// recorded. It returns the account as recorded.
	SetSecretVersion(ctx context.Context, tenantID, appID string, at time.Time, write func(context.Context) (int, error)) (Account, error)
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

	// CreateClientSecret inserts s, with its account locked (see
	// UpdateAccount); ErrNotFound if there is no such account.
	CreateClientSecret(ctx context.Context, s ClientSecret) error
	// ActiveClientSecrets returns the account's unrevoked client secrets,
	// oldest first.
	ActiveClientSecrets(ctx context.Context, tenantID, appID string) ([]ClientSecret, error)
	// ListClientSecrets returns all the account's client secrets, revoked
	// ones included, oldest first.
	ListClientSecrets(ctx context.Context, tenantID, appID string) ([]ClientSecret, error)
	// RevokeClientSecret marks the account's client secret revoked at at,
	// with the account locked (see UpdateAccount). Revoking a revoked
	// secret succeeds and keeps the first revocation time; ErrNotFound if
	// the account has no such secret.
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

	// ClaimLease gives lease l.Name to l.Holder until l.Expires, and
	// reports whether it did: it does when no one holds the lease, when
	// l.Holder does already (renewing it), or when another holder's lease
	// expired at or before now. Of concurrent claims, one wins.
	ClaimLease(ctx context.Context, l Lease, now time.Time) (bool, error)
	// ReleaseLease ends l.Holder's hold on lease l.Name; releasing a lease
	// one does not hold is no error.
	ReleaseLease(ctx context.Context, l Lease) error

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
