package tenants

import "time"

// AuditEvent records one admin write: who (the API key or console
// binding), what (action and
// target), when, and from where. It never holds a secret: callers put
// names and IDs in Action and Target (e.g. "account.secret.set" on
// "accounts/wx…"), never a value that was written.
type AuditEvent struct {
	// ID is minted by the store when the event is recorded: a UUIDv7, so
	// IDs sort by recording time.
	ID string
	// TenantID is empty for operator-level actions (creating a tenant).
	TenantID string
	At       time.Time
	// ActorKeyID is the ID of the API key that acted, and ActorBindingID
	// that of the console binding of a person signed in with WeChat; both
	// are empty for the operator commands, which run without either.
	ActorKeyID     string
	ActorBindingID string
	Action         string
	Target         string
	RequestID      string
	SourceIP       string
}

// AuditFilter narrows ListAuditEvents. Zero fields do not filter; After and
// Before are exclusive bounds on At.
type AuditFilter struct {
	Action         string
	ActorKeyID     string
	ActorBindingID string
	Target         string
	After          time.Time
	Before         time.Time
	// Cursor is the ID of the last event of the previous page.
	Cursor string
	// Limit is the page size, as in Page.
	Limit int
}

// Page is the page of the list f asks for.
func (f AuditFilter) Page() Page { return Page{After: f.Cursor, Limit: f.Limit} }
