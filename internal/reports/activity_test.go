package reports_test

import (
	"errors"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // America/New_York wherever the tests run

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/tenants"
)

func TestActivityQueryBuckets(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	cst := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, reports.Shanghai) }
	est := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, ny) }
	for _, tc := range []struct {
		name     string
		q        reports.ActivityQuery
		want     []time.Time
		lastEnds time.Time
	}{{
		name: "days in Shanghai by default, from a UTC time",
		q: reports.ActivityQuery{Interval: reports.Day, Window: reports.Window{
			From: time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 22, 16, 0, 0, 1, time.UTC)}},
		want:     []time.Time{cst(11, 21, 0), cst(11, 22, 0), cst(11, 23, 0)},
		lastEnds: cst(11, 24, 0),
	}, {
		name: "day buckets hold 23:30 and 00:30 apart",
		q:    reports.ActivityQuery{Interval: reports.Day, Window: reports.Window{From: cst(11, 21, 23).Add(30 * time.Minute), To: cst(11, 22, 0).Add(31 * time.Minute)}},
		want: []time.Time{cst(11, 21, 0), cst(11, 22, 0)}, lastEnds: cst(11, 23, 0),
	}, {
		name: "weeks start on Monday",
		q:    reports.ActivityQuery{Interval: reports.Week, Window: reports.Window{From: cst(11, 22, 23), To: cst(11, 30, 0)}},
		want: []time.Time{cst(11, 16, 0), cst(11, 23, 0)}, lastEnds: cst(11, 30, 0),
	}, {
		name: "a week from its Monday",
		q:    reports.ActivityQuery{Interval: reports.Week, Window: reports.Window{From: cst(11, 16, 0), To: cst(11, 16, 1)}},
		want: []time.Time{cst(11, 16, 0)}, lastEnds: cst(11, 23, 0),
	}, {
		name:     "months across a year",
		q:        reports.ActivityQuery{Interval: reports.Month, Window: reports.Window{From: cst(12, 31, 23), To: time.Date(2027, 2, 1, 0, 0, 0, 0, reports.Shanghai)}},
		want:     []time.Time{cst(12, 1, 0), time.Date(2027, 1, 1, 0, 0, 0, 0, reports.Shanghai)},
		lastEnds: time.Date(2027, 2, 1, 0, 0, 0, 0, reports.Shanghai),
	}, {
		name: "days across the start of daylight saving time",
		q:    reports.ActivityQuery{Interval: reports.Day, Location: ny, Window: reports.Window{From: est(3, 7, 12), To: est(3, 9, 12)}},
		want: []time.Time{est(3, 7, 0), est(3, 8, 0), est(3, 9, 0)}, lastEnds: est(3, 10, 0),
	}, {
		name: "weeks across the start of daylight saving time",
		q:    reports.ActivityQuery{Interval: reports.Week, Location: ny, Window: reports.Window{From: est(3, 4, 12), To: est(3, 16, 0)}},
		want: []time.Time{est(3, 2, 0), est(3, 9, 0)}, lastEnds: est(3, 16, 0),
	}, {
		name: "months across the end of daylight saving time",
		q:    reports.ActivityQuery{Interval: reports.Month, Location: ny, Window: reports.Window{From: est(10, 15, 0), To: est(11, 2, 0)}},
		want: []time.Time{est(10, 1, 0), est(11, 1, 0)}, lastEnds: est(12, 1, 0),
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.q.Validate(); err != nil {
				t.Fatalf("Validate() = %v", err)
			}
			got := tc.q.Buckets()
			if !slices.EqualFunc(got, tc.want, func(a, b time.Time) bool { return a.Equal(b) && a.Location() == b.Location() }) {
				t.Errorf("Buckets() = %v, want %v", got, tc.want)
			}
			if end := tc.q.Next(got[len(got)-1]); !end.Equal(tc.lastEnds) {
				t.Errorf("last bucket ends at %v, want %v", end, tc.lastEnds)
			}
		})
	}

	// Midnight to midnight is 23 hours on the day clocks go forward, 25 on
	// the day they go back.
	q := reports.ActivityQuery{Interval: reports.Day, Location: ny}
	if d := q.Next(est(3, 8, 0)).Sub(est(3, 8, 0)); d != 23*time.Hour {
		t.Errorf("8 March 2026 in New York lasts %v, want 23h", d)
	}
	if d := q.Next(est(11, 1, 0)).Sub(est(11, 1, 0)); d != 25*time.Hour {
		t.Errorf("1 November 2026 in New York lasts %v, want 25h", d)
	}
}

func TestActivityQueryValidate(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, reports.Shanghai)
	window := reports.Window{From: from, To: from.AddDate(0, 0, 400)}
	for _, tc := range []struct {
		name string
		q    reports.ActivityQuery
		ok   bool
	}{
		{"400 days", reports.ActivityQuery{Window: window, Interval: reports.Day}, true},
		{"401 days", reports.ActivityQuery{Window: reports.Window{From: from, To: window.To.Add(1)}, Interval: reports.Day}, false},
		{"401 days from a day's middle", reports.ActivityQuery{Window: reports.Window{From: from.Add(time.Hour), To: window.To.Add(1)}, Interval: reports.Day}, false},
		{"400 months", reports.ActivityQuery{Window: reports.Window{From: from, To: from.AddDate(0, 400, 0)}, Interval: reports.Month}, true},
		{"401 weeks", reports.ActivityQuery{Window: reports.Window{From: from, To: from.AddDate(0, 0, 7*401)}, Interval: reports.Week}, false},
		{"unknown interval", reports.ActivityQuery{Window: window, Interval: "year"}, false},
		{"no interval", reports.ActivityQuery{Window: window}, false},
		{"invalid window", reports.ActivityQuery{Window: reports.Window{From: from, To: from}, Interval: reports.Day}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.q.Validate()
			if tc.ok != (err == nil) || (err != nil && !errors.Is(err, tenants.ErrInvalid)) {
				t.Errorf("Validate() = %v, want ok %v", err, tc.ok)
			}
		})
	}
}
