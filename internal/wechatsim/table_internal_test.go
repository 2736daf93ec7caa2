package wechatsim

import (
	"testing"
	"time"
)

func TestTable(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		puts    []time.Duration // pruneAt of keys "0", "1", … relative to t0, all put at t0…
		lastAt  time.Duration   // …except the last, put at t0+lastAt
		max     int
		present []bool
	}{
		{"keeps live entries", []time.Duration{time.Hour, time.Hour, time.Hour}, 0, 10, []bool{true, true, true}},
		{"evicts the oldest when full", []time.Duration{time.Hour, time.Hour, time.Hour, time.Hour}, 0, 3, []bool{false, true, true, true}},
		{"prunes entries due", []time.Duration{time.Minute, time.Minute, time.Hour, time.Hour}, 2 * time.Minute, 10, []bool{false, false, true, true}},
		{"stops at the first entry not due", []time.Duration{time.Hour, time.Minute, time.Hour}, 2 * time.Minute, 10, []bool{true, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := newTable[int](tt.max)
			for i, d := range tt.puts {
				now := t0
				if i == len(tt.puts)-1 {
					now = t0.Add(tt.lastAt)
				}
				tab.put(string(rune('0'+i)), i, t0.Add(d), now)
			}
			for i, want := range tt.present {
				if v, ok := tab.get(string(rune('0' + i))); ok != want || (ok && v != i) {
					t.Errorf("entry %d: present %v (value %d), want %v", i, ok, v, want)
				}
			}
		})
	}
}
