package tenantstest

import (
	"context"
	"testing"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
)

// newBinding binds the person with unionID or openID to role in the tenant.
func newBinding(t *testing.T, s tenants.Store, tenantID string, role tenants.Role, unionID, openID string) tenants.ConsoleBinding {
	t.Helper()
	b := tenants.ConsoleBinding{ID: opaque.Hex(16), TenantID: tenantID, Name: "Person " + unionID + openID, UnionID: unionID, OpenID: openID,
		Role: role, CreatedAt: Now()}
	IsErr(t, "CreateConsoleBinding", s.CreateConsoleBinding(context.Background(), b), nil)
	return b
}

func testConsoleBindings(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	a, b := NewTenant(t, s), NewTenant(t, s)
	// ming is bound in A by unionid and in B by openid; hong in A by openid.
	mingA := newBinding(t, s, a.ID, tenants.RoleAdmin, "u-ming", "")
	mingB := newBinding(t, s, b.ID, tenants.RoleViewer, "", "o-ming")
	hongA := newBinding(t, s, a.ID, tenants.RoleViewer, "", "o-hong")

	t.Run("a tenant binds a person once", func(t *testing.T) {
		for _, dup := range []tenants.ConsoleBinding{
			{ID: opaque.Hex(16), TenantID: a.ID, Name: "again", UnionID: "u-ming", Role: tenants.RoleViewer, CreatedAt: Now()},
			{ID: opaque.Hex(16), TenantID: a.ID, Name: "again", OpenID: "o-hong", Role: tenants.RoleAdmin, CreatedAt: Now()},
		} {
			IsErr(t, "CreateConsoleBinding of a bound person", s.CreateConsoleBinding(ctx, dup), tenants.ErrConflict)
		}
		nowhere := tenants.ConsoleBinding{ID: opaque.Hex(16), TenantID: "nobody", Name: "x", UnionID: "u-x", Role: tenants.RoleAdmin, CreatedAt: Now()}
		IsErr(t, "CreateConsoleBinding in an unknown tenant", s.CreateConsoleBinding(ctx, nowhere), tenants.ErrNotFound)
	})

	t.Run("lists are the tenant's own", func(t *testing.T) {
		got, err := s.ListConsoleBindings(ctx, a.ID, tenants.Page{})
		IsErr(t, "ListConsoleBindings", err, nil)
		EqualList(t, "ListConsoleBindings of A", got, sortedBindings(mingA, hongA))
		got, err = s.ListConsoleBindings(ctx, a.ID, tenants.Page{Limit: 1, After: sortedBindings(mingA, hongA)[0].ID})
		IsErr(t, "ListConsoleBindings", err, nil)
		EqualList(t, "second page of A", got, sortedBindings(mingA, hongA)[1:])
		got, err = s.ListConsoleBindings(ctx, b.ID, tenants.Page{})
		IsErr(t, "ListConsoleBindings", err, nil)
		EqualList(t, "ListConsoleBindings of B", got, []tenants.ConsoleBinding{mingB})
	})

	t.Run("a person is looked up in every tenant", func(t *testing.T) {
		for _, tc := range []struct {
			name            string
			unionID, openID string
			want            []tenants.ConsoleBinding
		}{
			{"by unionid and openid", "u-ming", "o-ming", sortedByTenant(mingA, mingB)},
			{"by unionid alone", "u-ming", "o-other", []tenants.ConsoleBinding{mingA}},
			{"by openid, without a unionid", "", "o-hong", []tenants.ConsoleBinding{hongA}},
			{"an openid is no unionid", "o-hong", "o-none", nil},
			{"nobody", "", "", nil},
			{"someone unbound", "u-stranger", "o-stranger", nil},
		} {
			got, err := s.ConsoleBindingsOf(ctx, tc.unionID, tc.openID)
			IsErr(t, "ConsoleBindingsOf "+tc.name, err, nil)
			EqualList(t, "ConsoleBindingsOf "+tc.name, got, tc.want)
		}
	})

	t.Run("delete", func(t *testing.T) {
		IsErr(t, "DeleteConsoleBinding of another tenant", s.DeleteConsoleBinding(ctx, b.ID, mingA.ID), tenants.ErrNotFound)
		IsErr(t, "DeleteConsoleBinding", s.DeleteConsoleBinding(ctx, a.ID, mingA.ID), nil)
		IsErr(t, "DeleteConsoleBinding again", s.DeleteConsoleBinding(ctx, a.ID, mingA.ID), tenants.ErrNotFound)
		got, err := s.ConsoleBindingsOf(ctx, "u-ming", "o-ming")
		IsErr(t, "ConsoleBindingsOf", err, nil)
		EqualList(t, "ConsoleBindingsOf after the delete", got, []tenants.ConsoleBinding{mingB})
	})
}

func sortedBindings(bs ...tenants.ConsoleBinding) []tenants.ConsoleBinding {
	return sortBy(bs, func(b tenants.ConsoleBinding) string { return b.ID })
}

func sortedByTenant(bs ...tenants.ConsoleBinding) []tenants.ConsoleBinding {
	return sortBy(bs, func(b tenants.ConsoleBinding) string { return b.TenantID + "/" + b.ID })
}
