package store_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	_ "time/tzdata" // the zones below wherever the tests run
)

// TestLocalDays checks that the SQL of the rollups numbers days as Go does,
// in zones with daylight saving time, with half- and quarter-hour offsets,
// and with clocks that skip midnight, for random times and the seconds
// around each of their transitions.
func TestLocalDays(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		db := openMigrated(t, url)
		rng := rand.New(rand.NewPCG(12, 2))
		lo, hi := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, zone := range []string{"Asia/Shanghai", "UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu",
			"Australia/Lord_Howe", "America/Havana", "Pacific/Chatham", "America/St_Johns"} {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			times := []time.Time{lo, hi}
			for range 200 {
				times = append(times, lo.Add(time.Duration(rng.Int64N(int64(hi.Sub(lo))))).Truncate(time.Microsecond))
			}
			for at := lo.In(loc); ; {
				_, end := at.ZoneBounds()
				if end.IsZero() || end.After(hi) {
					break
				}
				times = append(times, end.Add(-time.Microsecond), end, end.Add(time.Second))
				at = end
			}
			inSQL, inGo, err := db.LocalDays(context.Background(), times, zone)
			if err != nil {
				t.Fatalf("%s: %v", zone, err)
			}
			for i := range times {
				if inSQL[i] != inGo[i] {
					t.Errorf("%s: day of %v is %d in SQL, %d in Go", zone, times[i], inSQL[i], inGo[i])
				}
			}
		}
	})
}
