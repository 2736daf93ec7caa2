package tenantstest

import (
	"context"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

func testTenants(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	now := Now()
	a := tenants.Tenant{ID: "acme", Name: "Acme", TimeZone: "Asia/Shanghai", CreatedAt: now, UpdatedAt: now.Add(time.Second)}
	b := tenants.Tenant{ID: "beta-co", Name: "Beta", Disabled: true, TimeZone: "America/Los_Angeles", CreatedAt: now, UpdatedAt: now}
	c := tenants.Tenant{ID: "a-z9", Name: "Ordered before acme bytewise", TimeZone: "UTC", CreatedAt: now, UpdatedAt: now}
	for _, tn := range []tenants.Tenant{b, a, c} {
		IsErr(t, "CreateTenant "+tn.ID, s.CreateTenant(ctx, tn), nil)
	}

	tests := []struct {
		name    string
		id      string
		want    tenants.Tenant
		wantErr error
	}{
		{name: "round trip", id: a.ID, want: a},
		{name: "disabled round trip", id: b.ID, want: b},
		{name: "unknown", id: "nobody", wantErr: tenants.ErrNotFound},
		{name: "case matters", id: "ACME", wantErr: tenants.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.GetTenant(ctx, tc.id)
			IsErr(t, "GetTenant", err, tc.wantErr)
			if tc.wantErr == nil {
				Equal(t, "GetTenant", got, tc.want)
			}
		})
	}

	t.Run("duplicate ID", func(t *testing.T) {
		dup := a
		dup.Name = "Impostor"
		IsErr(t, "CreateTenant", s.CreateTenant(ctx, dup), tenants.ErrConflict)
		got, err := s.GetTenant(ctx, a.ID)
		IsErr(t, "GetTenant", err, nil)
		Equal(t, "tenant after conflict", got, a)
	})

	t.Run("list ordered by ID", func(t *testing.T) {
		got, err := s.ListTenants(ctx)
		IsErr(t, "ListTenants", err, nil)
		EqualList(t, "ListTenants", got, []tenants.Tenant{c, a, b})
	})
}

func testUpdateTenant(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	a, b := NewTenant(t, s), NewTenant(t, s)

	disabled := a
	disabled.Name, disabled.Disabled, disabled.UpdatedAt = "Renamed", true, a.UpdatedAt.Add(time.Hour)
	elsewhere := disabled
	elsewhere.TimeZone, elsewhere.UpdatedAt = "Europe/Berlin", disabled.UpdatedAt.Add(time.Minute)
	enabled := elsewhere
	enabled.Disabled, enabled.UpdatedAt = false, elsewhere.UpdatedAt.Add(time.Hour)
	moved := enabled
	moved.CreatedAt = Now().Add(time.Hour)
	for _, tc := range []struct {
		name   string
		update tenants.Tenant
		want   tenants.Tenant
	}{
		{name: "name, disabled and time change", update: disabled, want: disabled},
		{name: "time zone changes", update: elsewhere, want: elsewhere},
		{name: "enabled again", update: enabled, want: enabled},
		{name: "created time stays", update: moved, want: enabled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			IsErr(t, "UpdateTenant", s.UpdateTenant(ctx, tc.update), nil)
			got, err := s.GetTenant(ctx, a.ID)
			IsErr(t, "GetTenant", err, nil)
			Equal(t, "tenant after UpdateTenant", got, tc.want)
		})
	}

	t.Run("other tenant untouched", func(t *testing.T) {
		got, err := s.GetTenant(ctx, b.ID)
		IsErr(t, "GetTenant", err, nil)
		Equal(t, "other tenant", got, b)
	})
	t.Run("unknown", func(t *testing.T) {
		IsErr(t, "UpdateTenant", s.UpdateTenant(ctx, tenants.Tenant{ID: "nobody", Name: "x", UpdatedAt: Now()}), tenants.ErrNotFound)
	})
}
