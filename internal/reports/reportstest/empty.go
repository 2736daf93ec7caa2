package reportstest

import (
	"context"
	"testing"

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// testEmptyTenant: a tenant without accounts, or with an account nobody
// logged in to, has reports of zeros; so has an unknown tenant.
func testEmptyTenant(t *testing.T, b Backend) {
	ctx := context.Background()
	for _, tenantID := range []string{tenantstest.NewTenant(t, b.Tenants).ID, "t-unknown"} {
		sum, err := b.Reports.Summary(ctx, tenantID, window)
		tenantstest.IsErr(t, "Summary", err, nil)
		tenantstest.Equal(t, "Summary total", sum.Total, reports.AccountSummary{})
		tenantstest.EqualList(t, "Summary accounts", sum.Accounts, nil)

		o, err := b.Reports.Overlap(ctx, tenantID)
		tenantstest.IsErr(t, "Overlap", err, nil)
		tenantstest.EqualList(t, "Overlap accounts", o.AppIDs, nil)
		tenantstest.EqualList(t, "Overlap both", o.Both, nil)
		tenantstest.EqualList(t, "Overlap only one", o.OnlyOne, nil)

		none, err := b.Reports.AccountsWithoutUnionID(ctx, tenantID)
		tenantstest.IsErr(t, "AccountsWithoutUnionID", err, nil)
		tenantstest.EqualList(t, "AccountsWithoutUnionID", none, nil)
	}

	tenantID := tenantstest.NewTenant(t, b.Tenants).ID
	a := tenantstest.NewAccount(t, b.Tenants, tenantID)
	sum, err := b.Reports.Summary(ctx, tenantID, window)
	tenantstest.IsErr(t, "Summary", err, nil)
	tenantstest.Equal(t, "Summary", sum, reports.Summary{
		Accounts: []reports.AccountSummary{{AppID: a.AppID}},
	})
	o, err := b.Reports.Overlap(ctx, tenantID)
	tenantstest.IsErr(t, "Overlap", err, nil)
	tenantstest.Equal(t, "Overlap", o, reports.Overlap{
		AppIDs: []string{a.AppID}, Both: [][]int64{{0}}, OnlyOne: []int64{0},
	})
}
