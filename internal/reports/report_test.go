package reports_test

import (
	"errors"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/tenants"
)

func TestWindowValidate(t *testing.T) {
	from := time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		w    reports.Window
		ok   bool
	}{
		{"one day", reports.Window{From: from, To: from.Add(24 * time.Hour)}, true},
		{"one nanosecond", reports.Window{From: from, To: from.Add(1)}, true},
		{"empty", reports.Window{From: from, To: from}, false},
		{"backwards", reports.Window{From: from, To: from.Add(-1)}, false},
		{"no from", reports.Window{To: from}, false},
		{"no to", reports.Window{From: from}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.w.Validate()
			if tc.ok != (err == nil) || (err != nil && !errors.Is(err, tenants.ErrInvalid)) {
				t.Errorf("Validate() = %v, want ok %v", err, tc.ok)
			}
		})
	}
}
