package reports

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// DefaultTimeZone is the time zone of a tenant's days: activity reports
// default to it, and its days are the ones rolled up.
const DefaultTimeZone = "Asia/Shanghai"

// RollUpPerRound is how many days of one tenant a round of RollUp rolls up
// at most: a month, so that a tenant's history is rolled up a month a
// round and no round runs long.
const RollUpPerRound = 31

// RollUp rolls up, for each tenant, its days in DefaultTimeZone that ended
// an hour or more before now, at most RollUpPerRound of them, and returns
// how many it rolled up. A tenant's failure does not stop the others; the
// errors are joined.
func RollUp(ctx context.Context, s Store, ts []tenants.Tenant, now time.Time) (int, error) {
	var (
		total int
		errs  []error
	)
	for _, t := range ts {
		n, err := s.RollUpDays(ctx, t.ID, DefaultTimeZone, now, RollUpPerRound)
		total += n
		if err != nil {
			errs = append(errs, fmt.Errorf("roll up days of %s: %w", t.ID, err))
		}
	}
	return total, errors.Join(errs...)
}
