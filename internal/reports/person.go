package reports

import (
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// Person is one person of a tenant: the identities that share a unionid.
// Identities without a unionid are not persons of this report.
type Person struct {
	UnionID string
	// Accounts holds the person's identities, ordered by AppID.
	Accounts []PersonAccount
	// FirstAppID is the account of the person's earliest first login (the
	// smallest AppID among equally early ones).
	FirstAppID   string
	FirstLoginAt time.Time
	LastLoginAt  time.Time
	// Logins is the sum of the login counts of the person's identities.
	Logins int64
}

// PersonAccount is the identity of a person in one account.
type PersonAccount struct{ AppID, OpenID string }

// PersonFilter selects persons.
type PersonFilter struct {
	// AppID, when set, keeps only the persons with an identity in it.
	AppID string
	// Page is ordered by UnionID, which is the cursor.
	Page tenants.Page
}

// EachPersonBatch is how many persons EachPerson reads at a time when its
// filter sets no page size: an export's statements, each with its fixed
// cost, are few.
const EachPersonBatch = 1000
