package tenants

import "time"

// Identity is one WeChat user as seen by one official account: unique on
// (tenant, account, openid). UnionID is set when the account is bound to an
// Open Platform and WeChat returned it; it is the same for one person across
// the tenant's accounts bound to that platform.
type Identity struct {
	ID           string
	TenantID     string
	AppID        string
	OpenID       string
	UnionID      string
	Nickname     string
	AvatarURL    string
	FirstLoginAt time.Time
	LastLoginAt  time.Time
	LoginCount   int64
}

// IdentityLogin is what one successful WeChat login says about a user. It is
// upserted into an Identity: created on the first login, updated after.
// Empty UnionID, Nickname or AvatarURL never overwrite known values (an
// snsapi_base login carries none of them).
type IdentityLogin struct {
	TenantID  string
	AppID     string
	OpenID    string
	UnionID   string
	Nickname  string
	AvatarURL string
	Scope     string
	At        time.Time
	IP        string
	UserAgent string
}

// LoginEvent records one successful login.
type LoginEvent struct {
	ID         string
	TenantID   string
	AppID      string
	IdentityID string
	OpenID     string
	UnionID    string
	Scope      string
	At         time.Time
	IP         string
	UserAgent  string
}

// IdentityFilter narrows ListIdentities. Zero fields do not filter;
// LastLoginAfter and LastLoginBefore are exclusive bounds on LastLoginAt.
type IdentityFilter struct {
	AppID   string
	OpenID  string
	UnionID string
	// NicknamePrefix keeps the identities whose nickname starts with it,
	// compared character by character as written (no case folding); it
	// must be valid UTF-8 without NUL.
	NicknamePrefix  string
	LastLoginAfter  time.Time
	LastLoginBefore time.Time
	// After is the cursor: the ID of the last identity of the previous
	// page.
	After string
	// Limit is the page size, as in Page.
	Limit int
}

// Page is the page of the list f asks for.
func (f IdentityFilter) Page() Page { return Page{After: f.After, Limit: f.Limit} }

// Erasure counts what erasing a person deleted.
type Erasure struct {
	Identities  int64
	LoginEvents int64
}
