package reports

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// DefaultTimeZone is the time zone of the days of a tenant that names
// none.
const DefaultTimeZone = tenants.DefaultTimeZone

// RollUpPerRound is how many days of one tenant a round of RollUp rolls up
// at most: a month, so that a tenant's history is rolled up a month a
// round and no round runs long.
const RollUpPerRound = 31

// RollUp rolls up, for each tenant, its days in its own time zone (the
// one its activity reports default to) that ended an hour or more before
// now, at most RollUpPerRound of them, and returns how many it rolled up.
// A tenant whose zone changed has its days rolled up anew in the new one.
// A tenant's failure does not stop the others; the errors are joined.
func RollUp(ctx context.Context, s Store, ts []tenants.Tenant, now time.Time) (int, error) {
	var (
		total int
		errs  []error
	)
	for _, t := range ts {
		zone := t.TimeZone
		if zone == "" {
			zone = DefaultTimeZone
		}
		n, err := s.RollUpDays(ctx, t.ID, zone, now, RollUpPerRound)
		total += n
		if err != nil {
			errs = append(errs, fmt.Errorf("roll up days of %s: %w", t.ID, err))
		}
	}
	return total, errors.Join(errs...)
}
