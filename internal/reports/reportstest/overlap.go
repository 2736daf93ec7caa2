package reportstest

import (
	"context"
	"testing"

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

func testOverlap(t *testing.T, b Backend) {
	ctx := context.Background()
	f := newFixture(t, b)

	got, err := b.Reports.Overlap(ctx, f.tenantID)
	tenantstest.IsErr(t, "Overlap", err, nil)
	tenantstest.Equal(t, "Overlap", got, reports.Overlap{
		AppIDs: []string{f.a.AppID, f.b.AppID, f.c.AppID},
		Both: [][]int64{
			{8, 5, 1},
			{5, 7, 3},
			{1, 3, 5},
		},
		OnlyOne: []int64{3, 0, 2},
	})

	got, err = b.Reports.Overlap(ctx, f.otherID)
	tenantstest.IsErr(t, "Overlap of the other tenant", err, nil)
	tenantstest.Equal(t, "Overlap of the other tenant", got, reports.Overlap{
		AppIDs:  []string{f.a.AppID},
		Both:    [][]int64{{8}},
		OnlyOne: []int64{8},
	})
}
