package tenantstest

import (
	"context"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// logIn logs openid in to account a at at, with unionid (none when empty).
func logIn(t *testing.T, b Backend, a tenants.Account, openid, unionid string, at time.Time) tenants.Identity {
	t.Helper()
	return b.Login(t, tenants.IdentityLogin{
		TenantID: a.TenantID, AppID: a.AppID, OpenID: openid, UnionID: unionid,
		Scope: tenants.ScopeBase, At: at, IP: "203.0.113.7", UserAgent: "tenantstest",
	})
}

func sortedByID(ids ...tenants.Identity) []tenants.Identity {
	return sortBy(ids, func(i tenants.Identity) string { return i.ID })
}

// sharedAccount creates an account of tenant A and, with the same AppID,
// one of tenant B.
func sharedAccount(t *testing.T, s tenants.Store) (a, b tenants.Account) {
	t.Helper()
	a = NewAccount(t, s, NewTenant(t, s).ID)
	b = a
	b.TenantID = NewTenant(t, s).ID
	IsErr(t, "CreateAccount", s.CreateAccount(context.Background(), b), nil)
	return a, b
}

func testIdentitiesByLastLogin(t *testing.T, b Backend) {
	ctx := context.Background()
	a, shared := sharedAccount(t, b.Store)
	second := NewAccount(t, b.Store, a.TenantID)
	start := Now().Add(-time.Hour)
	at := func(minutes int) time.Time { return start.Add(time.Duration(minutes) * time.Minute) }
	i0, i1, i2 := logIn(t, b, a, "o-0", "", at(0)), logIn(t, b, a, "o-1", "", at(1)), logIn(t, b, second, "o-2", "", at(2))
	logIn(t, b, shared, "o-1", "", at(1))

	for _, tc := range []struct {
		name     string
		tenantID string
		filter   tenants.IdentityFilter
		want     []tenants.Identity
	}{
		{name: "after", tenantID: a.TenantID, filter: tenants.IdentityFilter{LastLoginAfter: at(0)}, want: sortedByID(i1, i2)},
		{name: "before", tenantID: a.TenantID, filter: tenants.IdentityFilter{LastLoginBefore: at(2)}, want: sortedByID(i0, i1)},
		{name: "between", tenantID: a.TenantID, filter: tenants.IdentityFilter{LastLoginAfter: at(0), LastLoginBefore: at(2)}, want: []tenants.Identity{i1}},
		{name: "with an account", tenantID: a.TenantID, filter: tenants.IdentityFilter{AppID: second.AppID, LastLoginAfter: at(0)}, want: []tenants.Identity{i2}},
		{name: "paged", tenantID: a.TenantID, filter: tenants.IdentityFilter{LastLoginAfter: at(0), Limit: 1}, want: sortedByID(i1, i2)[:1]},
		{name: "past the last", tenantID: a.TenantID, filter: tenants.IdentityFilter{LastLoginAfter: at(2)}, want: nil},
		{name: "other tenant sees only its own", tenantID: shared.TenantID, filter: tenants.IdentityFilter{LastLoginBefore: at(1)}, want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := b.Store.ListIdentities(ctx, tc.tenantID, tc.filter)
			IsErr(t, "ListIdentities", err, nil)
			EqualList(t, "ListIdentities", got, tc.want)
		})
	}
}

// named logs openid in to account a with a nickname, as snsapi_userinfo.
func named(t *testing.T, b Backend, a tenants.Account, openid, nickname string) tenants.Identity {
	t.Helper()
	return b.Login(t, tenants.IdentityLogin{
		TenantID: a.TenantID, AppID: a.AppID, OpenID: openid, Nickname: nickname,
		Scope: tenants.ScopeUserInfo, At: Now(), IP: "203.0.113.7", UserAgent: "tenantstest",
	})
}

func testIdentitiesByNickname(t *testing.T, b Backend) {
	ctx := context.Background()
	a, shared := sharedAccount(t, b.Store)
	xiaoming, xiaohong := named(t, b, a, "o-1", "小明"), named(t, b, a, "o-2", "小红")
	alice, alicia := named(t, b, a, "o-3", "Alice"), named(t, b, a, "o-4", "Alicia")
	top := named(t, b, a, "o-5", "a\U0010FFFF\U0010FFFF")
	below := named(t, b, a, "o-6", "a\uD7FF")
	after := named(t, b, a, "o-7", "a\uE000") // past "a\uD7FF" in code point order, with nothing between
	percent := named(t, b, a, "o-8", "100%")
	named(t, b, a, "o-9", "1000")
	logIn(t, b, a, "o-10", "", Now()) // no nickname
	named(t, b, shared, "o-1", "小明")

	for _, tc := range []struct {
		name, tenantID, prefix string
		want                   []tenants.Identity
	}{
		{name: "a Chinese prefix", tenantID: a.TenantID, prefix: "小", want: sortedByID(xiaoming, xiaohong)},
		{name: "the whole nickname", tenantID: a.TenantID, prefix: "小明", want: []tenants.Identity{xiaoming}},
		{name: "longer than any nickname", tenantID: a.TenantID, prefix: "小明明", want: nil},
		{name: "case matters", tenantID: a.TenantID, prefix: "Ali", want: sortedByID(alice, alicia)},
		{name: "no case folding", tenantID: a.TenantID, prefix: "ali", want: nil},
		{name: "the last character there is", tenantID: a.TenantID, prefix: "a\U0010FFFF", want: []tenants.Identity{top}},
		{name: "before the surrogates", tenantID: a.TenantID, prefix: "a\uD7FF", want: []tenants.Identity{below}},
		{name: "after the surrogates", tenantID: a.TenantID, prefix: "a\uE000", want: []tenants.Identity{after}},
		{name: "LIKE's wildcards are text", tenantID: a.TenantID, prefix: "100%", want: []tenants.Identity{percent}},
		{name: "paged", tenantID: a.TenantID, prefix: "小", want: sortedByID(xiaoming, xiaohong)[1:]},
		{name: "another tenant's nicknames are its own", tenantID: shared.TenantID, prefix: "小红", want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tenants.IdentityFilter{NicknamePrefix: tc.prefix}
			if tc.name == "paged" {
				f.After = sortedByID(xiaoming, xiaohong)[0].ID
			}
			got, err := b.Store.ListIdentities(ctx, tc.tenantID, f)
			IsErr(t, "ListIdentities", err, nil)
			EqualList(t, "ListIdentities", got, tc.want)
		})
	}
}

// checkIdentity fails t unless the identity and its login events are there
// (want) or gone (!want).
func checkIdentity(t *testing.T, s tenants.Store, ident tenants.Identity, want bool) {
	t.Helper()
	ctx := context.Background()
	_, err := s.GetIdentity(ctx, ident.TenantID, ident.ID)
	events, eventsErr := s.LoginEvents(ctx, ident.TenantID, ident.ID)
	IsErr(t, "LoginEvents", eventsErr, nil)
	if want {
		IsErr(t, "GetIdentity", err, nil)
		if len(events) == 0 {
			t.Errorf("identity %s kept no login event", ident.OpenID)
		}
		return
	}
	IsErr(t, "GetIdentity", err, tenants.ErrNotFound)
	if len(events) != 0 {
		t.Errorf("identity %s left %d login events", ident.OpenID, len(events))
	}
}

func testDeleteIdentity(t *testing.T, b Backend) {
	ctx := context.Background()
	a, shared := sharedAccount(t, b.Store)
	gone := logIn(t, b, a, "o-1", "u-1", Now())
	logIn(t, b, a, "o-1", "u-1", Now())
	kept := []tenants.Identity{logIn(t, b, a, "o-2", "u-1", Now()), logIn(t, b, shared, "o-1", "u-1", Now())}

	for _, tc := range []struct {
		name         string
		tenantID, id string
		wantErr      error
	}{
		{name: "other tenant's identity", tenantID: shared.TenantID, id: gone.ID, wantErr: tenants.ErrNotFound},
		{name: "delete", tenantID: a.TenantID, id: gone.ID},
		{name: "twice", tenantID: a.TenantID, id: gone.ID, wantErr: tenants.ErrNotFound},
		{name: "unknown", tenantID: a.TenantID, id: "nobody", wantErr: tenants.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			IsErr(t, "DeleteIdentity", b.Store.DeleteIdentity(ctx, tc.tenantID, tc.id), tc.wantErr)
		})
	}
	t.Run("the identity goes with its login events", func(t *testing.T) { checkIdentity(t, b.Store, gone, false) })
	t.Run("other identities stay", func(t *testing.T) {
		for _, ident := range kept {
			checkIdentity(t, b.Store, ident, true)
		}
	})
}

func testErasePerson(t *testing.T, b Backend) {
	ctx := context.Background()
	a, shared := sharedAccount(t, b.Store)
	second := NewAccount(t, b.Store, a.TenantID)
	// The person logs in twice to each of the tenant's accounts; on the
	// second account WeChat returned no unionid the first time.
	var erased []tenants.Identity
	for _, l := range []struct {
		account         tenants.Account
		openid, unionid string
	}{{a, "o-1", "u-1"}, {a, "o-1", "u-1"}, {second, "o-2", ""}, {second, "o-2", "u-1"}} {
		erased = append(erased, logIn(t, b, l.account, l.openid, l.unionid, Now()))
	}
	kept := []tenants.Identity{logIn(t, b, a, "o-3", "u-3", Now()), logIn(t, b, shared, "o-1", "u-1", Now())}

	for _, tc := range []struct {
		name              string
		tenantID, unionID string
		want              tenants.Erasure
		wantErr           error
	}{
		{name: "every account of the tenant, with the login events", tenantID: a.TenantID, unionID: "u-1", want: tenants.Erasure{Identities: 2, LoginEvents: 4}},
		{name: "twice erases nothing", tenantID: a.TenantID, unionID: "u-1"},
		{name: "unknown person", tenantID: a.TenantID, unionID: "u-unknown"},
		{name: "no unionid", tenantID: a.TenantID, unionID: "", wantErr: tenants.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := b.Store.ErasePerson(ctx, tc.tenantID, tc.unionID)
			IsErr(t, "ErasePerson", err, tc.wantErr)
			Equal(t, "Erasure", got, tc.want)
		})
	}
	t.Run("the person is gone", func(t *testing.T) {
		for _, ident := range erased {
			checkIdentity(t, b.Store, ident, false)
		}
	})
	t.Run("other people and other tenants' identities stay", func(t *testing.T) {
		for _, ident := range kept {
			checkIdentity(t, b.Store, ident, true)
		}
	})
}
