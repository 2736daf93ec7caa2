package reportstest

import (
	"context"
	"testing"

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

func testSummary(t *testing.T, b Backend) {
	ctx := context.Background()
	f := newFixture(t, b)

	got, err := b.Reports.Summary(ctx, f.tenantID, window)
	tenantstest.IsErr(t, "Summary", err, nil)
	tenantstest.Equal(t, "Summary", got, reports.Summary{
		Total: reports.AccountSummary{AppID: "", Identities: 20, WithUnionID: 18, WithoutUnionID: 2,
			Persons: 12, Logins: 8, ActivePersons: 4},
		Accounts: []reports.AccountSummary{
			{AppID: f.a.AppID, Identities: 8, WithUnionID: 8, WithoutUnionID: 0, Persons: 8, Logins: 4, ActivePersons: 3},
			{AppID: f.b.AppID, Identities: 7, WithUnionID: 7, WithoutUnionID: 0, Persons: 7, Logins: 2, ActivePersons: 2},
			{AppID: f.c.AppID, Identities: 5, WithUnionID: 3, WithoutUnionID: 2, Persons: 5, Logins: 2, ActivePersons: 2},
		},
	})

	got, err = b.Reports.Summary(ctx, f.otherID, window)
	tenantstest.IsErr(t, "Summary of the other tenant", err, nil)
	other := reports.AccountSummary{Identities: 8, WithUnionID: 7, WithoutUnionID: 1, Persons: 8, Logins: 8, ActivePersons: 8}
	tenantstest.Equal(t, "Summary of the other tenant", got.Total, other)
	other.AppID = f.a.AppID
	tenantstest.Equal(t, "Summary of the other tenant", got.Accounts, []reports.AccountSummary{other})

	// Identities and persons are as they are now; only logins depend on
	// the window.
	before := reports.Window{From: window.From.AddDate(0, 0, -7), To: window.From}
	got, err = b.Reports.Summary(ctx, f.tenantID, before)
	tenantstest.IsErr(t, "Summary before the window", err, nil)
	tenantstest.Equal(t, "Summary before the window", got.Total, reports.AccountSummary{
		Identities: 20, WithUnionID: 18, WithoutUnionID: 2, Persons: 12, Logins: 21, ActivePersons: 12,
	})
}
