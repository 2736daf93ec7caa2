package tenants

import "testing"

func TestPageSize(t *testing.T) {
	for _, tc := range []struct{ limit, want int }{
		{0, DefaultPageSize}, {-1, DefaultPageSize}, {1, 1}, {MaxPageSize, MaxPageSize}, {MaxPageSize + 1, MaxPageSize},
	} {
		if got := (Page{Limit: tc.limit}).Size(); got != tc.want {
			t.Errorf("Page{Limit: %d}.Size() = %d, want %d", tc.limit, got, tc.want)
		}
	}
}
