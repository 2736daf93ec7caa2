package reports

import (
	"context"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// Window is the half-open time range [From, To).
type Window struct{ From, To time.Time }

// Validate reports an invalid window: both ends must be set and From must
// come before To.
func (w Window) Validate() error {
	switch {
	case w.From.IsZero():
		return tenants.Invalid("from", "required")
	case w.To.IsZero():
		return tenants.Invalid("to", "required")
	case !w.From.Before(w.To):
		return tenants.Invalid("to", "must be after from")
	}
	return nil
}

// AccountSummary counts the identities and logins of one account, or of a
// whole tenant when AppID is "".
type AccountSummary struct {
	AppID string
	// Identities = WithUnionID + WithoutUnionID.
	Identities     int64
	WithUnionID    int64
	WithoutUnionID int64
	// Persons is the number of distinct persons among the identities.
	Persons int64
	// Logins counts the login events in the window; ActivePersons the
	// distinct persons who made them.
	Logins        int64
	ActivePersons int64
}

// Summary is the summary report of a tenant.
type Summary struct {
	// Total is the whole tenant (AppID ""). Its Persons and ActivePersons
	// count each person once, however many accounts they appear in.
	Total AccountSummary
	// Accounts holds every account of the tenant, ordered by AppID.
	Accounts []AccountSummary
}

// Overlap is the overlap report of a tenant: how its accounts share persons.
type Overlap struct {
	// AppIDs are the tenant's accounts, ordered; they index the rows and
	// columns below.
	AppIDs []string
	// Both[i][j] is the number of persons in both account i and account j.
	// The matrix is symmetric, and Both[i][i] is the number of persons of
	// account i.
	Both [][]int64
	// OnlyOne[i] is the number of persons found in account i and in no
	// other account.
	OnlyOne []int64
}

// Store computes reports. Every method reads only the rows of tenantID; an
// unknown tenant has empty reports, not an error.
type Store interface {
	// Summary counts identities and persons as they are now, and logins and
	// active persons in w. A login belongs to the person its identity is
	// now, even when the identity gained its unionid after that login.
	Summary(ctx context.Context, tenantID string, w Window) (Summary, error)
	// Overlap returns the overlap of persons between the tenant's accounts.
	Overlap(ctx context.Context, tenantID string) (Overlap, error)
	// AccountsWithoutUnionID returns, ordered, the accounts that have
	// identities but none with a unionid: accounts likely not bound to the
	// tenant's Open Platform.
	AccountsWithoutUnionID(ctx context.Context, tenantID string) ([]string, error)
	// Persons returns a page of the tenant's persons, ordered by unionid.
	Persons(ctx context.Context, tenantID string, f PersonFilter) ([]Person, error)
	// Person returns the person with unionID, or tenants.ErrNotFound.
	Person(ctx context.Context, tenantID, unionID string) (Person, error)
	// EachPerson calls fn, in unionid order, with every person f selects
	// after f.Page.After, reading f.Page.Limit persons at a time
	// (EachPersonBatch when it is not set; MaxPageSize does not apply); it
	// stops at fn's first error and returns it.
	EachPerson(ctx context.Context, tenantID string, f PersonFilter, fn func(Person) error) error
	// Activity returns the tenant's activity in the buckets of q, or
	// q.Validate's error; every account has every bucket, zeros included.
	Activity(ctx context.Context, tenantID string, q ActivityQuery) (Activity, error)
	// RollUpDays rolls up, newest first, up to max of the tenant's days in
	// the IANA time zone timeZone that ended an hour or more before until
	// and are not rolled up yet, from the day of its first login on, and
	// returns how many it rolled up; rolled-up days of another time zone
	// are dropped. Reports are the same with or without rolled-up days:
	// they only get faster over the whole days of the zone they cover.
	RollUpDays(ctx context.Context, tenantID, timeZone string, until time.Time, max int) (int, error)
}
