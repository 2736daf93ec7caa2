package store

import "time"

// Row models (the *Row types, one per table, each in its entity's file)
// carry bun's struct tags and convert to and from the domain types, which
// stay free of storage concerns.

// utcPtr returns *t in UTC, or nil. Drivers return times in a location of
// their choosing; domain values are UTC.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// convert maps rows to domain values with conv.
func convert[R, D any](rows []R, conv func(*R) D) []D {
	out := make([]D, len(rows))
	for i := range rows {
		out[i] = conv(&rows[i])
	}
	return out
}
