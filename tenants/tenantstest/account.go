package tenantstest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

func testAccounts(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)

	full := account(tenantA.ID, "wx00000000000000b2")
	full.Kind = tenants.KindWebsite
	full.Mode = tenants.ModeLive
	full.DefaultScope = tenants.ScopeLogin
	full.TokenTTL = 90 * time.Minute
	full.OpenPlatformID = "open-platform_1"
	full.SecretVersion = 3
	full.SecretUpdatedAt = Now().Add(-time.Hour)
	full.UpdatedAt = Now().Add(time.Minute)
	bare := account(tenantA.ID, "wx00000000000000a1")
	// Another tenant may register the same official account.
	shared := account(tenantB.ID, full.AppID)
	shared.Name = "B's view"
	for _, a := range []tenants.Account{full, bare, shared} {
		IsErr(t, "CreateAccount "+a.AppID, s.CreateAccount(ctx, a), nil)
	}

	gets := []struct {
		name            string
		tenantID, appID string
		want            tenants.Account
		wantErr         error
	}{
		{name: "every field round trips", tenantID: tenantA.ID, appID: full.AppID, want: full},
		{name: "zero secret time round trips", tenantID: tenantA.ID, appID: bare.AppID, want: bare},
		{name: "same AppID, other tenant's row", tenantID: tenantB.ID, appID: full.AppID, want: shared},
		{name: "other tenant's account", tenantID: tenantB.ID, appID: bare.AppID, wantErr: tenants.ErrNotFound},
		{name: "unknown AppID", tenantID: tenantA.ID, appID: "wx0000000000000000", wantErr: tenants.ErrNotFound},
		{name: "unknown tenant", tenantID: "nobody", appID: full.AppID, wantErr: tenants.ErrNotFound},
	}
	for _, tc := range gets {
		t.Run("get "+tc.name, func(t *testing.T) {
			got, err := s.GetAccount(ctx, tc.tenantID, tc.appID)
			IsErr(t, "GetAccount", err, tc.wantErr)
			if tc.wantErr == nil {
				Equal(t, "GetAccount", got, tc.want)
			}
		})
	}

	creates := []struct {
		name    string
		account tenants.Account
		wantErr error
	}{
		{name: "duplicate AppID", account: account(tenantA.ID, bare.AppID), wantErr: tenants.ErrConflict},
		{name: "unknown tenant", account: account("nobody", "wx00000000000000c3"), wantErr: tenants.ErrNotFound},
	}
	for _, tc := range creates {
		t.Run("create "+tc.name, func(t *testing.T) {
			IsErr(t, "CreateAccount", s.CreateAccount(ctx, tc.account), tc.wantErr)
		})
	}

	lists := []struct {
		name     string
		tenantID string
		page     tenants.Page
		want     []tenants.Account
	}{
		{name: "ordered by AppID", tenantID: tenantA.ID, want: []tenants.Account{bare, full}},
		{name: "first page", tenantID: tenantA.ID, page: tenants.Page{Limit: 1}, want: []tenants.Account{bare}},
		{name: "next page", tenantID: tenantA.ID, page: tenants.Page{After: bare.AppID, Limit: 1}, want: []tenants.Account{full}},
		{name: "past the end", tenantID: tenantA.ID, page: tenants.Page{After: full.AppID}, want: nil},
		{name: "only the tenant's", tenantID: tenantB.ID, want: []tenants.Account{shared}},
		{name: "other tenant, after a cursor of A's", tenantID: tenantB.ID, page: tenants.Page{After: bare.AppID}, want: []tenants.Account{shared}},
		{name: "unknown tenant", tenantID: "nobody", want: nil},
	}
	for _, tc := range lists {
		t.Run("list "+tc.name, func(t *testing.T) {
			got, err := s.ListAccounts(ctx, tc.tenantID, tc.page)
			IsErr(t, "ListAccounts", err, nil)
			EqualList(t, "ListAccounts", got, tc.want)
		})
	}
}

func testUpdateAccount(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	a := account(tenantA.ID, "wx00000000000000a1")
	a.OpenPlatformID = "platform"
	shared := a
	shared.TenantID = tenantB.ID
	for _, acct := range []tenants.Account{a, shared} {
		IsErr(t, "CreateAccount", s.CreateAccount(ctx, acct), nil)
	}

	changed := a
	changed.Name = "Renamed"
	changed.Mode = tenants.ModeLive
	changed.DefaultScope = tenants.ScopeUserInfo
	changed.RedirectURIs = []string{"https://shop.example/new"}
	changed.TokenTTL = 2 * time.Hour
	changed.OpenPlatformID = ""
	changed.UpdatedAt = a.UpdatedAt.Add(time.Hour)
	// Fields UpdateAccount leaves alone.
	update := changed
	update.Kind = tenants.KindWebsite
	update.SecretVersion, update.SecretConfirmedVersion, update.SecretUpdatedAt = 7, 5, Now()
	update.CreatedAt = Now().Add(time.Hour)
	var seen tenants.Account
	got, err := s.UpdateAccount(ctx, a.TenantID, a.AppID, func(old tenants.Account) (tenants.Account, error) {
		seen = old
		return update, nil
	})
	IsErr(t, "UpdateAccount", err, nil)
	Equal(t, "the account update was given", seen, a)
	Equal(t, "UpdateAccount's answer", got, changed)

	for _, tc := range []struct {
		name     string
		tenantID string
		want     tenants.Account
	}{
		{name: "mutable fields change, the others stay", tenantID: tenantA.ID, want: changed},
		{name: "other tenant's row of the AppID untouched", tenantID: tenantB.ID, want: shared},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.GetAccount(ctx, tc.tenantID, a.AppID)
			IsErr(t, "GetAccount", err, nil)
			Equal(t, "account after UpdateAccount", got, tc.want)
		})
	}

	t.Run("an error of update changes nothing", func(t *testing.T) {
		refused := errors.New("refused")
		_, err := s.UpdateAccount(ctx, a.TenantID, a.AppID, func(old tenants.Account) (tenants.Account, error) {
			old.Name = "Not written"
			return old, refused
		})
		IsErr(t, "UpdateAccount", err, refused)
		got, err := s.GetAccount(ctx, a.TenantID, a.AppID)
		IsErr(t, "GetAccount", err, nil)
		Equal(t, "account after a refused update", got, changed)
	})

	other := NewAccount(t, s, tenantA.ID)
	for _, tc := range []struct{ name, tenantID, appID string }{
		{"other tenant's account", tenantB.ID, other.AppID},
		{"unknown AppID", tenantA.ID, "wx0000000000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.UpdateAccount(ctx, tc.tenantID, tc.appID, func(tenants.Account) (tenants.Account, error) {
				t.Error("update called for a missing account")
				return changed, nil
			})
			IsErr(t, "UpdateAccount", err, tenants.ErrNotFound)
		})
	}
}

// testConcurrentAccountWrites: updates, AppSecret writes and client
// secret writes of one account from many goroutines at once take turns
// on the account's lock, so each update sees every one before it (none is
// lost) and no two secret writes overlap, recorded in the order they ran.
func testConcurrentAccountWrites(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	a := NewAccount(t, s, NewTenant(t, s).ID)
	const writers = 12
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		inside   int // secret writes running
		versions int // the last version a write made
	)
	for i := range writers {
		wg.Go(func() {
			_, err := s.UpdateAccount(ctx, a.TenantID, a.AppID, func(old tenants.Account) (tenants.Account, error) {
				old.RedirectURIs = append(old.RedirectURIs, fmt.Sprintf("https://example.com/w/%d", i))
				old.UpdatedAt = Now()
				return old, nil
			})
			IsErr(t, "UpdateAccount", err, nil)
		})
		wg.Go(func() {
			_, err := s.SetSecretVersion(ctx, a.TenantID, a.AppID, Now(), func(context.Context) (int, error) {
				mu.Lock()
				inside++
				versions++
				v, overlap := versions, inside > 1
				mu.Unlock()
				if overlap {
					t.Error("two AppSecret writes of one account ran at once")
				}
				time.Sleep(2 * time.Millisecond)
				mu.Lock()
				inside--
				mu.Unlock()
				return v, nil
			})
			IsErr(t, "SetSecretVersion", err, nil)
		})
		wg.Go(func() {
			cs := clientSecret(a, Now())
			IsErr(t, "CreateClientSecret", s.CreateClientSecret(ctx, cs), nil)
			IsErr(t, "RevokeClientSecret", s.RevokeClientSecret(ctx, a.TenantID, a.AppID, cs.ID, Now()), nil)
		})
	}
	wg.Wait()
	got, err := s.GetAccount(ctx, a.TenantID, a.AppID)
	IsErr(t, "GetAccount", err, nil)
	if n := len(got.RedirectURIs) - len(a.RedirectURIs); n != writers {
		t.Errorf("the account has %d of the %d redirect URIs the updates added: updates were lost", n, writers)
	}
	Equal(t, "the recorded AppSecret version, the last written", got.SecretVersion, writers)
	secrets, err := s.ListClientSecrets(ctx, a.TenantID, a.AppID)
	IsErr(t, "ListClientSecrets", err, nil)
	if len(secrets) != writers || slices.ContainsFunc(secrets, func(cs tenants.ClientSecret) bool { return cs.RevokedAt == nil }) {
		t.Errorf("client secrets %+v, want %d, all revoked", secrets, writers)
	}
}
