package reports

import (
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// Interval is the length of the buckets of an activity report.
type Interval string

// Intervals. Weeks start on Monday.
const (
	Day   Interval = "day"
	Week  Interval = "week"
	Month Interval = "month"
)

// MaxBuckets is the largest number of buckets an activity report may have.
const MaxBuckets = 400

// Shanghai is China Standard Time, the default time zone of activity
// reports. China has kept UTC+8 without daylight saving time since 1991.
var Shanghai = time.FixedZone("Asia/Shanghai", 8*60*60)

// ActivityQuery asks for the activity of a tenant in Window, in buckets of
// Interval that start at midnight, on a Monday or on the 1st in Location
// (Shanghai when nil).
type ActivityQuery struct {
	Window   Window
	Interval Interval
	Location *time.Location
}

// ActivityBucket counts the activity of one bucket.
type ActivityBucket struct {
	// Start is the start of the bucket, in the query's location; the bucket
	// ends where the next one starts.
	Start time.Time
	// NewPersons counts the persons whose first login falls in the bucket;
	// ActivePersons the distinct persons who logged in during it; Logins
	// their login events.
	NewPersons, ActivePersons, Logins int64
}

// AccountActivity is the activity of one account, or of a whole tenant
// when AppID is "".
type AccountActivity struct {
	AppID   string
	Buckets []ActivityBucket
}

// Activity is the activity report of a tenant.
type Activity struct {
	// Total is the whole tenant (AppID ""). A person counts once in each
	// of its buckets however many accounts they use, and is new in the
	// bucket of their first login to any account.
	Total AccountActivity
	// Accounts holds every account of the tenant, ordered by AppID. A
	// person is new to an account in the bucket of their first login to it.
	Accounts []AccountActivity
}

// Validate reports an invalid query: an unknown interval, an invalid
// window, or a window of more than MaxBuckets buckets.
func (q ActivityQuery) Validate() error {
	switch q.Interval {
	case Day, Week, Month:
	default:
		return tenants.Invalid("interval", "must be day, week or month")
	}
	if err := q.Window.Validate(); err != nil {
		return err
	}
	n := 0
	for start := q.first(); start.Before(q.Window.To); start = q.Next(start) {
		if n++; n > MaxBuckets {
			return tenants.Invalid("interval", "too many buckets in the window")
		}
	}
	return nil
}

// Buckets returns the starts of the buckets covering the window, in the
// query's location. The first starts at the interval boundary at or before
// Window.From; the last one before Window.To. The query must be valid.
func (q ActivityQuery) Buckets() []time.Time {
	var starts []time.Time
	for start := q.first(); start.Before(q.Window.To); start = q.Next(start) {
		starts = append(starts, start)
	}
	return starts
}

func (q ActivityQuery) location() *time.Location {
	if q.Location == nil {
		return Shanghai
	}
	return q.Location
}

// first returns the start of the bucket holding Window.From.
func (q ActivityQuery) first() time.Time {
	from := q.Window.From.In(q.location())
	y, m, d := from.Date()
	switch q.Interval {
	case Week:
		d -= (int(from.Weekday()) + 6) % 7
	case Month:
		d = 1
	}
	return time.Date(y, m, d, 0, 0, 0, 0, q.location())
}

// Next returns the start of the bucket after the one starting at start,
// which is where that bucket ends.
func (q ActivityQuery) Next(start time.Time) time.Time {
	y, m, d := start.Date()
	switch q.Interval {
	case Week:
		d += 7
	case Month:
		m++
	default:
		d++
	}
	return time.Date(y, m, d, 0, 0, 0, 0, q.location())
}
