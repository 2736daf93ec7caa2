package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/login/logintest"
	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// deleteAccount deletes the tenant's account and purges it to the end,
// batch identities at a time, and returns its deletion.
func deleteAccount(t *testing.T, db *store.DB, tenantID, appID string, batch int) tenants.AccountDeletion {
	t.Helper()
	ctx := context.Background()
	d, err := db.DeleteAccount(ctx, tenantID, appID, tenantstest.Now())
	tenantstest.IsErr(t, "DeleteAccount", err, nil)
	return purgeAll(t, db, d, batch)
}

// purgeAll purges deletion d to the end, batch identities at a
// time, and returns it finished.
func purgeAll(t *testing.T, db *store.DB, d tenants.AccountDeletion, batch int) tenants.AccountDeletion {
	t.Helper()
	ctx := context.Background()
	lease := tenants.Lease{Name: tenants.PurgeLease, Holder: "test-" + d.ID, Expires: tenantstest.Now().Add(time.Minute)}
	claimed, err := db.ClaimLease(ctx, lease, tenantstest.Now())
	if err != nil || !claimed {
		t.Fatalf("ClaimLease: %v, %v", claimed, err)
	}
	defer func() { tenantstest.IsErr(t, "ReleaseLease", db.ReleaseLease(ctx, lease), nil) }()
	for d.FinishedAt == nil {
		d, err = db.PurgeAccount(ctx, d, batch, lease, tenantstest.Now())
		tenantstest.IsErr(t, "PurgeAccount", err, nil)
	}
	return d
}

// checkHidden fails t unless the reports leave out the deleted accounts
// that h no longer has, whose rows the purge has not all removed yet:
// overlap, and the summary but for the tenant's active persons (logins of
// people whose previous login was in a deleted account may not count them
// until the purge relinked them), are as if the accounts were gone.
func checkHidden(t *testing.T, db *store.DB, tenantID string, h *history, base time.Time, stage string) {
	t.Helper()
	ctx := context.Background()
	for _, w := range reportWindows(base) {
		got, err := db.Summary(ctx, tenantID, w)
		tenantstest.IsErr(t, stage+": Summary", err, nil)
		want := h.summary(w)
		want.Total.ActivePersons = got.Total.ActivePersons
		tenantstest.Equal(t, fmt.Sprintf("%s: Summary of %v", stage, w), got, want)
	}
	o, err := db.Overlap(ctx, tenantID)
	tenantstest.IsErr(t, stage+": Overlap", err, nil)
	tenantstest.Equal(t, stage+": Overlap", o, h.overlap())
	q := reports.ActivityQuery{Window: reports.Window{From: base, To: base.AddDate(0, 0, 10)}, Interval: reports.Day}
	a, err := db.Activity(ctx, tenantID, q)
	tenantstest.IsErr(t, stage+": Activity", err, nil)
	tenantstest.Equal(t, stage+": Activity of the accounts", a.Accounts, h.activity(q).Accounts)
}

// TestAccountPurge deletes an account of a tenant whose people log in to
// several accounts, and purges it a few identities at a time: the reports
// leave the account out at once, a login in flight through it cannot
// complete, and the replica purging it stops midway (the database closed
// under it, its lease left to expire); another one takes over only once
// the lease expired, and the first cannot go on after. At the end every
// report equals a brute-force count of the history without the account,
// as it does after the rollups are rebuilt from scratch.
func TestAccountPurge(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		ctx := context.Background()
		dbURL := url(t)
		db, err := store.Open(ctx, dbURL, store.Options{})
		tenantstest.IsErr(t, "Open", err, nil)
		tenantstest.IsErr(t, "MigrateUp", db.MigrateUp(ctx, io.Discard), nil)
		tenantID, h := newHistory(t, db)
		base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		rng := rand.New(rand.NewPCG(12, 2))
		for range 400 {
			l := h.randomLogin(rng, tenantID, base, 50)
			ident, err := completeLogin(db, l)
			tenantstest.IsErr(t, "login", err, nil)
			o := h.identities[ident.ID]
			if o == nil {
				o = &oracleIdentity{appID: l.AppID}
				h.identities[ident.ID] = o
			}
			o.unionID = ident.UnionID
			o.logins = append(o.logins, l.At)
		}
		deleting := h.appIDs[1]
		gone := h.without(deleting)
		identities := int64(len(h.identities) - len(gone.identities))
		acct, err := db.GetAccount(ctx, tenantID, deleting)
		tenantstest.IsErr(t, "GetAccount", err, nil)
		inFlight := logintest.Transaction(acct, base.Add(time.Hour))
		tenantstest.IsErr(t, "CreateTransaction", db.CreateTransaction(ctx, inFlight), nil)

		d, err := db.DeleteAccount(ctx, tenantID, deleting, tenantstest.Now())
		tenantstest.IsErr(t, "DeleteAccount", err, nil)
		checkHidden(t, db, tenantID, gone, base, "once deleted")
		c := logintest.Completion(inFlight, "o-late")
		c.Login.At = base
		if _, err := db.CompleteLogin(ctx, c); !errors.Is(err, tenants.ErrNotFound) {
			t.Errorf("a login in flight through the deleted account completed: %v", err)
		}

		const batch = 4
		now := tenantstest.Now()
		first := tenants.Lease{Name: tenants.PurgeLease, Holder: "first", Expires: now.Add(tenants.PurgeLeaseTTL)}
		if ok, err := db.ClaimLease(ctx, first, now); !ok || err != nil {
			t.Fatalf("ClaimLease: %v, %v", ok, err)
		}
		for range 3 {
			d, err = db.PurgeAccount(ctx, d, batch, first, now)
			tenantstest.IsErr(t, "PurgeAccount", err, nil)
		}
		if d.Identities != 3*batch || d.FinishedAt != nil {
			t.Fatalf("after 3 batches of %d: %+v", batch, d)
		}
		checkHidden(t, db, tenantID, gone, base, "midway")
		tenantstest.IsErr(t, "Close", db.Close(), nil) // the first replica stops

		db = open(t, dbURL) // the next one starts
		second := tenants.Lease{Name: tenants.PurgeLease, Holder: "second", Expires: now.Add(2 * tenants.PurgeLeaseTTL)}
		if ok, err := db.ClaimLease(ctx, second, now.Add(tenants.PurgeLeaseTTL-time.Second)); ok || err != nil {
			t.Fatalf("ClaimLease before the first replica's lease expired: %v, %v; want refused", ok, err)
		}
		if ok, err := db.ClaimLease(ctx, second, now.Add(tenants.PurgeLeaseTTL)); !ok || err != nil {
			t.Fatalf("ClaimLease once the first replica's lease expired: %v, %v", ok, err)
		}
		running, err := db.RunningAccountDeletions(ctx)
		tenantstest.IsErr(t, "RunningAccountDeletions", err, nil)
		tenantstest.Equal(t, "running deletions", running, []tenants.AccountDeletion{d})
		if _, err := db.PurgeAccount(ctx, d, batch, first, now); !errors.Is(err, tenants.ErrLeaseLost) {
			t.Fatalf("PurgeAccount under the lost lease: %v, want ErrLeaseLost", err)
		}
		batches := 0
		for d.FinishedAt == nil {
			d, err = db.PurgeAccount(ctx, d, batch, second, tenantstest.Now())
			tenantstest.IsErr(t, "PurgeAccount", err, nil)
			batches++
		}
		if d.Identities != identities || batches != int(identities-3*batch)/batch+1 {
			t.Errorf("the purge removed %d identities in %d more batches of %d; the account had %d", d.Identities, batches, batch, identities)
		}
		if _, err := db.GetTransaction(ctx, tenantID, inFlight.ID); !errors.Is(err, tenants.ErrNotFound) {
			t.Errorf("the login in flight outlived its account: %v", err)
		}
		checkHistory(t, db, tenantID, gone, base, "purged")
		tenantstest.IsErr(t, "RebuildPersons", db.RebuildPersons(ctx, tenantID), nil)
		checkHistory(t, db, tenantID, gone, base, "purged, rebuilt")
	})
}

// TestDeleteAccountWaitsForIdentitiesBeingAdded: a DeleteAccount sent while
// a transaction (a login's) adds an identity to the account returns only
// once that transaction committed, so the purge, which goes through the
// identities once in openid order, finds it.
func TestDeleteAccountWaitsForIdentitiesBeingAdded(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		ctx := context.Background()
		db := openMigrated(t, url)
		a := tenantstest.NewAccount(t, db, tenantstest.NewTenant(t, db).ID)
		login, err := db.SQL().BeginTx(ctx, nil)
		tenantstest.IsErr(t, "BeginTx", err, nil)
		_, err = login.ExecContext(ctx, fmt.Sprintf(`INSERT INTO identities (id, tenant_id, app_id, openid, first_login_at, last_login_at, login_count)
			VALUES ('being-added', '%s', '%s', 'o-late', '2026-11-01 00:00:00', '2026-11-01 00:00:00', 1)`, a.TenantID, a.AppID))
		tenantstest.IsErr(t, "insert an identity", err, nil)
		deleted := make(chan error, 1)
		go func() {
			_, err := db.DeleteAccount(ctx, a.TenantID, a.AppID, tenantstest.Now())
			deleted <- err
		}()
		select {
		case err := <-deleted:
			t.Fatalf("DeleteAccount returned (%v) while a login was adding an identity to the account", err)
		case <-time.After(300 * time.Millisecond):
		}
		tenantstest.IsErr(t, "commit the login", login.Commit(), nil)
		tenantstest.IsErr(t, "DeleteAccount", <-deleted, nil)
		running, err := db.RunningAccountDeletions(ctx)
		tenantstest.IsErr(t, "RunningAccountDeletions", err, nil)
		if len(running) != 1 {
			t.Fatalf("running deletions: %+v", running)
		}
		if d := purgeAll(t, db, running[0], 10); d.Identities != 1 {
			t.Errorf("the purge removed %d identities, want the one added", d.Identities)
		}
	})
}
