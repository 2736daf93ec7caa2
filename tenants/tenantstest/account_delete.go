package tenantstest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// accountRows is what hangs on one account: a client secret, and
// identities with a login event each.
type accountRows struct {
	account    tenants.Account
	secret     tenants.ClientSecret
	identities []tenants.Identity
}

func newAccountRows(t *testing.T, b Backend, a tenants.Account, identities int) accountRows {
	t.Helper()
	cs := clientSecret(a, Now())
	IsErr(t, "CreateClientSecret", b.Store.CreateClientSecret(context.Background(), cs), nil)
	r := accountRows{account: a, secret: cs}
	for i := range identities {
		r.identities = append(r.identities, logIn(t, b, a, fmt.Sprintf("o-%d", i), fmt.Sprintf("u-%d", i), Now()))
	}
	return r
}

// check fails t unless the account and its rows are all there to be read,
// or none is.
func (r accountRows) check(t *testing.T, s tenants.Store, present bool) {
	t.Helper()
	ctx := context.Background()
	a := r.account
	wantErr, want := tenants.ErrNotFound, 0
	if present {
		wantErr, want = nil, 1
	}
	_, err := s.GetAccount(ctx, a.TenantID, a.AppID)
	IsErr(t, "GetAccount", err, wantErr)
	for _, ident := range r.identities {
		_, err = s.GetIdentity(ctx, a.TenantID, ident.ID)
		IsErr(t, "GetIdentity", err, wantErr)
	}
	listed, err := s.ListIdentities(ctx, a.TenantID, tenants.IdentityFilter{AppID: a.AppID})
	IsErr(t, "ListIdentities", err, nil)
	secrets, err := s.ListClientSecrets(ctx, a.TenantID, a.AppID)
	IsErr(t, "ListClientSecrets", err, nil)
	if len(secrets) != want || len(listed) != want*len(r.identities) {
		t.Errorf("%d client secrets and %d identities listed, want %d and %d", len(secrets), len(listed), want, want*len(r.identities))
	}
}

// checkEvents fails t unless the account's identities have their login
// events, or have none.
func (r accountRows) checkEvents(t *testing.T, s tenants.Store, present bool) {
	t.Helper()
	want := 0
	if present {
		want = 1
	}
	for _, ident := range r.identities {
		events, err := s.LoginEvents(context.Background(), r.account.TenantID, ident.ID)
		IsErr(t, "LoginEvents", err, nil)
		if len(events) != want {
			t.Errorf("identity %s: %d login events, want %d", ident.ID, len(events), want)
		}
	}
}

func testDeleteAccount(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	a := NewAccount(t, s, tenantA.ID)
	shared := a
	shared.TenantID = tenantB.ID
	IsErr(t, "CreateAccount", s.CreateAccount(ctx, shared), nil)
	deleted := newAccountRows(t, b, a, 5)
	kept := []accountRows{newAccountRows(t, b, NewAccount(t, s, tenantA.ID), 1), newAccountRows(t, b, shared, 1)}

	at := Now()
	d, err := s.DeleteAccount(ctx, a.TenantID, a.AppID, at)
	IsErr(t, "DeleteAccount", err, nil)
	if d.ID == "" || d.TenantID != a.TenantID || d.AppID != a.AppID || !d.RequestedAt.Equal(at) || d.FinishedAt != nil {
		t.Fatalf("DeleteAccount recorded %+v", d)
	}
	got, err := s.AccountDeletion(ctx, a.TenantID, d.ID)
	IsErr(t, "AccountDeletion", err, nil)
	Equal(t, "AccountDeletion", got, d)
	_, err = s.AccountDeletion(ctx, tenantB.ID, d.ID)
	IsErr(t, "AccountDeletion of another tenant", err, tenants.ErrNotFound)
	running, err := s.RunningAccountDeletions(ctx)
	IsErr(t, "RunningAccountDeletions", err, nil)
	if !slices.Contains(running, d) {
		t.Errorf("RunningAccountDeletions = %+v, want it to hold %+v", running, d)
	}

	t.Run("the account is gone at once", func(t *testing.T) {
		deleted.check(t, s, false)
		accounts, err := s.ListAccounts(ctx, a.TenantID, tenants.Page{})
		IsErr(t, "ListAccounts", err, nil)
		if slices.ContainsFunc(accounts, func(x tenants.Account) bool { return x.AppID == a.AppID }) {
			t.Error("ListAccounts lists the deleted account")
		}
		_, err = s.UpdateAccount(ctx, a.TenantID, a.AppID, func(x tenants.Account) (tenants.Account, error) {
			t.Error("update called for a deleted account")
			return x, nil
		})
		IsErr(t, "UpdateAccount", err, tenants.ErrNotFound)
		_, err = s.SetSecretVersion(ctx, a.TenantID, a.AppID, Now(), func(context.Context) (int, error) {
			t.Error("AppSecret written for a deleted account")
			return 1, nil
		})
		IsErr(t, "SetSecretVersion", err, tenants.ErrNotFound)
		IsErr(t, "ConfirmSecretVersion", s.ConfirmSecretVersion(ctx, a.TenantID, a.AppID, 0), tenants.ErrNotFound)
		IsErr(t, "CreateClientSecret", s.CreateClientSecret(ctx, clientSecret(a, Now())), tenants.ErrNotFound)
		IsErr(t, "RevokeClientSecret", s.RevokeClientSecret(ctx, a.TenantID, a.AppID, deleted.secret.ID, Now()), tenants.ErrNotFound)
		IsErr(t, "CreateAccount of its AppID", s.CreateAccount(ctx, a), tenants.ErrConflict)
	})
	for _, tc := range []struct{ name, tenantID, appID string }{
		{"twice", a.TenantID, a.AppID},
		{"other tenant's account", tenantB.ID, kept[0].account.AppID},
		{"unknown AppID", a.TenantID, "wx0000000000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.DeleteAccount(ctx, tc.tenantID, tc.appID, Now())
			IsErr(t, "DeleteAccount", err, tenants.ErrNotFound)
		})
	}

	lease := tenants.Lease{Name: "purge-" + d.ID, Holder: "this", Expires: Now().Add(time.Minute)}
	t.Run("no purge without the lease", func(t *testing.T) {
		_, err := s.PurgeAccount(ctx, d, 2, lease, Now())
		IsErr(t, "PurgeAccount", err, tenants.ErrLeaseLost)
		deleted.checkEvents(t, s, true)
	})
	claimed, err := s.ClaimLease(ctx, lease, Now())
	IsErr(t, "ClaimLease", err, nil)
	if !claimed {
		t.Fatal("ClaimLease of a new lease failed")
	}
	t.Run("in batches, recorded as they go", func(t *testing.T) {
		for i, want := range []int64{2, 4} {
			d, err = s.PurgeAccount(ctx, d, 2, lease, Now())
			IsErr(t, "PurgeAccount", err, nil)
			if d.Identities != want || d.LoginEvents != want || d.FinishedAt != nil {
				t.Fatalf("batch %d: %+v, want %d identities and login events gone, not finished", i, d, want)
			}
			got, err := s.AccountDeletion(ctx, a.TenantID, d.ID)
			IsErr(t, "AccountDeletion", err, nil)
			Equal(t, "AccountDeletion", got, d)
		}
		finished := Now()
		d, err = s.PurgeAccount(ctx, d, 2, lease, finished)
		IsErr(t, "PurgeAccount", err, nil)
		if d.Identities != 5 || d.LoginEvents != 5 || d.FinishedAt == nil || !d.FinishedAt.Equal(finished) {
			t.Fatalf("last batch: %+v, want 5 identities and login events gone, finished at %v", d, finished)
		}
		again, err := s.PurgeAccount(ctx, d, 2, lease, Now())
		IsErr(t, "PurgeAccount of a finished deletion", err, nil)
		Equal(t, "PurgeAccount of a finished deletion", again, d)
	})
	t.Run("then the rows are gone", func(t *testing.T) {
		deleted.check(t, s, false)
		deleted.checkEvents(t, s, false)
		running, err := s.RunningAccountDeletions(ctx)
		IsErr(t, "RunningAccountDeletions", err, nil)
		if slices.ContainsFunc(running, func(r tenants.AccountDeletion) bool { return r.ID == d.ID }) {
			t.Error("a finished deletion is still running")
		}
		IsErr(t, "CreateAccount of its AppID again", s.CreateAccount(ctx, a), nil)
		listed, err := s.ListIdentities(ctx, a.TenantID, tenants.IdentityFilter{AppID: a.AppID})
		IsErr(t, "ListIdentities", err, nil)
		secrets, err := s.ListClientSecrets(ctx, a.TenantID, a.AppID)
		IsErr(t, "ListClientSecrets", err, nil)
		if len(listed) != 0 || len(secrets) != 0 {
			t.Errorf("the account registered again has %d identities and %d client secrets of the deleted one", len(listed), len(secrets))
		}
	})
	t.Run("other accounts keep theirs", func(t *testing.T) {
		for _, r := range kept {
			r.check(t, s, true)
			r.checkEvents(t, s, true)
		}
	})
}

// testDeleteAccountWaitsForSecretWrite: a DeleteAccount sent while an
// AppSecret write of the account runs returns only after that write was
// recorded, so the deletion's purge removes the secret it wrote.
func testDeleteAccountWaitsForSecretWrite(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	a := NewAccount(t, s, NewTenant(t, s).ID)
	writing := make(chan struct{})
	var mu sync.Mutex
	written := false
	var wg sync.WaitGroup
	wg.Go(func() {
		_, err := s.SetSecretVersion(ctx, a.TenantID, a.AppID, Now(), func(context.Context) (int, error) {
			close(writing)
			time.Sleep(100 * time.Millisecond)
			mu.Lock()
			defer mu.Unlock()
			written = true
			return 1, nil
		})
		IsErr(t, "SetSecretVersion", err, nil)
	})
	<-writing
	_, err := s.DeleteAccount(ctx, a.TenantID, a.AppID, Now())
	IsErr(t, "DeleteAccount", err, nil)
	mu.Lock()
	if !written {
		t.Error("DeleteAccount returned while an AppSecret write of the account ran")
	}
	mu.Unlock()
	wg.Wait()
}

func testLeases(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	now := Now()
	name := "lease-" + fmt.Sprint(now.UnixNano())
	lease := func(holder string, ttl time.Duration) tenants.Lease {
		return tenants.Lease{Name: name, Holder: holder, Expires: now.Add(ttl)}
	}
	steps := []struct {
		name string
		do   func() (bool, error)
		want bool
	}{
		{"a free lease is taken", func() (bool, error) { return s.ClaimLease(ctx, lease("a", time.Minute), now) }, true},
		{"not by another holder", func() (bool, error) { return s.ClaimLease(ctx, lease("b", time.Minute), now) }, false},
		{"its holder renews it", func() (bool, error) { return s.ClaimLease(ctx, lease("a", 2*time.Minute), now) }, true},
		{"another holder, when it has not yet expired", func() (bool, error) {
			return s.ClaimLease(ctx, lease("b", time.Hour), now.Add(2*time.Minute-time.Microsecond))
		}, false},
		{"another holder, once it expired", func() (bool, error) {
			return s.ClaimLease(ctx, lease("b", time.Hour), now.Add(2*time.Minute))
		}, true},
		{"the old holder then cannot renew it", func() (bool, error) { return s.ClaimLease(ctx, lease("a", time.Hour), now) }, false},
		{"a release by another holder changes nothing", func() (bool, error) {
			IsErr(t, "ReleaseLease", s.ReleaseLease(ctx, lease("a", 0)), nil)
			return s.ClaimLease(ctx, lease("a", time.Hour), now)
		}, false},
		{"once released, it is free", func() (bool, error) {
			IsErr(t, "ReleaseLease", s.ReleaseLease(ctx, lease("b", 0)), nil)
			return s.ClaimLease(ctx, lease("a", time.Hour), now)
		}, true},
	}
	for _, step := range steps {
		got, err := step.do()
		IsErr(t, step.name, err, nil)
		if got != step.want {
			t.Fatalf("%s: claimed %v, want %v", step.name, got, step.want)
		}
	}

	t.Run("of concurrent claims one wins", func(t *testing.T) {
		race := tenants.Lease{Name: name + "-race", Expires: now.Add(time.Minute)}
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for i := range 8 {
			wg.Go(func() {
				l := race
				l.Holder = fmt.Sprint("holder-", i)
				ok, err := s.ClaimLease(ctx, l, now)
				if err != nil {
					t.Errorf("ClaimLease: %v", err)
				}
				mu.Lock()
				defer mu.Unlock()
				if ok {
					won++
				}
			})
		}
		wg.Wait()
		Equal(t, "claims won", won, 1)
	})
}
