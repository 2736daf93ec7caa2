package logintest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

func isNotFound(err error) bool { return errors.Is(err, tenants.ErrNotFound) }

func sortedByID(ids []tenants.Identity) []tenants.Identity {
	return slices.SortedFunc(slices.Values(ids), func(a, b tenants.Identity) int { return strings.Compare(a.ID, b.ID) })
}

func testIdentities(t *testing.T, f *fixture) {
	ctx := context.Background()
	second := tenantstest.NewAccount(t, f.tenants, f.account.TenantID)
	// Seven identities: o-0…o-5 on the first account, o-0 on the second;
	// o-0 on both accounts is one person (unionid u-0).
	var all []tenants.Identity
	for i := range 6 {
		_, ident := f.loginAs(t, f.account, fmt.Sprintf("o-%d", i), func(l *tenants.IdentityLogin) {
			l.UnionID = fmt.Sprintf("u-%d", i)
		})
		all = append(all, ident)
	}
	_, twin := f.loginAs(t, second, "o-0", func(l *tenants.IdentityLogin) { l.UnionID = "u-0" })
	all = append(all, twin)
	byID := sortedByID(all)

	lists := []struct {
		name     string
		tenantID string
		filter   tenants.IdentityFilter
		want     []tenants.Identity
	}{
		{name: "all, ordered by ID", tenantID: f.account.TenantID, want: byID},
		{name: "by account", tenantID: f.account.TenantID, filter: tenants.IdentityFilter{AppID: second.AppID}, want: []tenants.Identity{twin}},
		{name: "by openid", tenantID: f.account.TenantID, filter: tenants.IdentityFilter{OpenID: "o-0"}, want: sortedByID([]tenants.Identity{all[0], twin})},
		{name: "by account and openid", tenantID: f.account.TenantID, filter: tenants.IdentityFilter{AppID: f.account.AppID, OpenID: "o-0"}, want: all[:1]},
		{name: "by unionid", tenantID: f.account.TenantID, filter: tenants.IdentityFilter{UnionID: "u-0"}, want: sortedByID([]tenants.Identity{all[0], twin})},
		{name: "first page", tenantID: f.account.TenantID, filter: tenants.IdentityFilter{Limit: 3}, want: byID[:3]},
		{name: "next page", tenantID: f.account.TenantID, filter: tenants.IdentityFilter{After: byID[2].ID, Limit: 3}, want: byID[3:6]},
		{name: "last page", tenantID: f.account.TenantID, filter: tenants.IdentityFilter{After: byID[5].ID, Limit: 3}, want: byID[6:]},
		{name: "past the end", tenantID: f.account.TenantID, filter: tenants.IdentityFilter{After: byID[6].ID}, want: nil},
		{name: "other tenant sees none", tenantID: f.other.TenantID, want: nil},
		{name: "other tenant, same account and openid", tenantID: f.other.TenantID, filter: tenants.IdentityFilter{AppID: f.account.AppID, OpenID: "o-0"}, want: nil},
	}
	for _, tc := range lists {
		t.Run("list "+tc.name, func(t *testing.T) {
			got, err := f.tenants.ListIdentities(ctx, tc.tenantID, tc.filter)
			tenantstest.IsErr(t, "ListIdentities", err, nil)
			tenantstest.EqualList(t, "ListIdentities", got, tc.want)
		})
	}

	t.Run("list default page of 50", func(t *testing.T) {
		for i := len(all); i <= 50; i++ {
			f.loginAs(t, second, fmt.Sprintf("o-page-%d", i), nil)
		}
		got, err := f.tenants.ListIdentities(ctx, f.account.TenantID, tenants.IdentityFilter{})
		tenantstest.IsErr(t, "ListIdentities", err, nil)
		if len(got) != 50 {
			t.Errorf("ListIdentities returned %d identities, want 50", len(got))
		}
	})

	gets := []struct {
		name         string
		tenantID, id string
		wantErr      error
	}{
		{name: "round trip", tenantID: f.account.TenantID, id: all[1].ID},
		{name: "other tenant", tenantID: f.other.TenantID, id: all[1].ID, wantErr: tenants.ErrNotFound},
		{name: "unknown", tenantID: f.account.TenantID, id: "nobody", wantErr: tenants.ErrNotFound},
	}
	for _, tc := range gets {
		t.Run("get "+tc.name, func(t *testing.T) {
			got, err := f.tenants.GetIdentity(ctx, tc.tenantID, tc.id)
			tenantstest.IsErr(t, "GetIdentity", err, tc.wantErr)
			if tc.wantErr == nil {
				tenantstest.Equal(t, "GetIdentity", got, all[1])
			}
		})
	}
}

func testLoginEvents(t *testing.T, f *fixture) {
	ctx := context.Background()
	var events []tenants.LoginEvent
	var ident tenants.Identity
	start := tenantstest.Now()
	for i, scope := range []string{tenants.ScopeUserInfo, tenants.ScopeBase, tenants.ScopeBase} {
		c, id := f.loginAs(t, f.account, "o-events", func(l *tenants.IdentityLogin) {
			l.Scope, l.At = scope, start.Add(time.Duration(i)*time.Second)
			if i == 0 {
				l.UnionID = "u-events"
			}
		})
		ident = id
		l := c.Login
		// Newest first.
		events = append([]tenants.LoginEvent{{
			TenantID: l.TenantID, AppID: l.AppID, IdentityID: ident.ID, OpenID: l.OpenID,
			UnionID: "u-events", Scope: l.Scope, At: l.At, IP: l.IP, UserAgent: l.UserAgent,
		}}, events...)
	}

	got, err := f.tenants.LoginEvents(ctx, f.account.TenantID, ident.ID)
	tenantstest.IsErr(t, "LoginEvents", err, nil)
	for i := range got {
		got[i].ID = "" // minted by the store
	}
	tenantstest.EqualList(t, "LoginEvents", got, events)

	got, err = f.tenants.LoginEvents(ctx, f.other.TenantID, ident.ID)
	tenantstest.IsErr(t, "LoginEvents of another tenant", err, nil)
	tenantstest.EqualList(t, "LoginEvents of another tenant", got, nil)
}
