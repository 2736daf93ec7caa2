package tenants_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/clock"
	"github.com/wxlogin/wxlogin/tenants"
)

func TestConsoleBindingValidate(t *testing.T) {
	ok := tenants.ConsoleBinding{TenantID: "acme", Name: "Ming", UnionID: "o6_bmasdasdsad6_2sgVt7hMZOPfL", Role: tenants.RoleAdmin}
	for _, tc := range []struct {
		name  string
		edit  func(*tenants.ConsoleBinding)
		field string
	}{
		{"a unionid", func(*tenants.ConsoleBinding) {}, ""},
		{"an openid", func(b *tenants.ConsoleBinding) { b.UnionID, b.OpenID = "", "oLVPpjqs9BhvzwPj5A-vTYAX3GLc" }, ""},
		{"no name", func(b *tenants.ConsoleBinding) { b.Name = "" }, "name"},
		{"the operator's role", func(b *tenants.ConsoleBinding) { b.Role = tenants.RoleOperator }, "role"},
		{"both ids", func(b *tenants.ConsoleBinding) { b.OpenID = "oLVPpjqs9BhvzwPj5A" }, "unionid"},
		{"neither id", func(b *tenants.ConsoleBinding) { b.UnionID = "" }, "unionid"},
		{"a unionid WeChat would not give", func(b *tenants.ConsoleBinding) { b.UnionID = "o' OR '1'='1" }, "unionid"},
		{"an openid too long", func(b *tenants.ConsoleBinding) { b.UnionID, b.OpenID = "", strings.Repeat("o", 129) }, "openid"},
	} {
		b := ok
		tc.edit(&b)
		err := b.Validate()
		var invalid *tenants.InvalidError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (!errors.As(err, &invalid) || invalid.Field != tc.field):
			t.Errorf("%s: %v, want a problem with %s", tc.name, err, tc.field)
		}
	}
}

// TestStartWeChatConsoleSession: a person with one binding acts as it at
// once; with several, as none until they choose one of theirs; bindings in
// a disabled tenant do not count.
func TestStartWeChatConsoleSession(t *testing.T) {
	s := newService(t)
	clk := clock.New(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	s.Now = clk.Now
	ctx := context.Background()
	for _, id := range []string{"acme", "beta", "gone"} {
		if _, err := s.CreateTenant(ctx, tenants.Tenant{ID: id, Name: id}); err != nil {
			t.Fatal(err)
		}
	}
	bind := func(tenantID string, b tenants.ConsoleBinding) tenants.ConsoleBinding {
		b.TenantID, b.Name = tenantID, "Ming"
		created, err := s.CreateConsoleBinding(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		return created
	}
	inA := bind("acme", tenants.ConsoleBinding{UnionID: "u-ming", Role: tenants.RoleAdmin})
	inB := bind("beta", tenants.ConsoleBinding{OpenID: "o-ming", Role: tenants.RoleViewer})
	bind("gone", tenants.ConsoleBinding{UnionID: "u-ming", Role: tenants.RoleAdmin})
	bind("gone", tenants.ConsoleBinding{UnionID: "u-li", Role: tenants.RoleAdmin})
	if _, err := s.UpdateTenant(ctx, tenants.Tenant{ID: "gone", Name: "gone", Disabled: true}); err != nil {
		t.Fatal(err)
	}

	if _, _, err := s.StartWeChatConsoleSession(ctx, "o-li", "u-li"); !errors.Is(err, tenants.ErrConsoleUnbound) {
		t.Errorf("a person bound in a disabled tenant alone: %v, want ErrConsoleUnbound", err)
	}
	token, choices, err := s.StartWeChatConsoleSession(ctx, "o-other", "u-ming")
	if err != nil || len(choices) != 1 {
		t.Fatalf("one binding: %v %+v", err, choices)
	}
	if who, err := s.ConsolePrincipal(ctx, token); err != nil || who != inA.Principal() {
		t.Errorf("one binding acts as %+v, %v; want %+v", who, err, inA.Principal())
	}

	token, choices, err = s.StartWeChatConsoleSession(ctx, "o-ming", "u-ming")
	if err != nil || len(choices) != 2 || choices[0].Tenant.ID != "acme" || choices[1].Tenant.ID != "beta" {
		t.Fatalf("two bindings: %v %+v", err, choices)
	}
	if _, err := s.ConsolePrincipal(ctx, token); !errors.Is(err, tenants.ErrConsoleUnchosen) {
		t.Errorf("before the choice: %v, want ErrConsoleUnchosen", err)
	}
	if _, err := s.ChooseConsoleBinding(ctx, token, "not-theirs"); !errors.Is(err, tenants.ErrNotFound) {
		t.Errorf("choosing a binding that is not the person's: %v, want ErrNotFound", err)
	}
	if _, err := s.ChooseConsoleBinding(ctx, token, inB.ID); err != nil {
		t.Fatal(err)
	}
	if who, err := s.ConsolePrincipal(ctx, token); err != nil || who != inB.Principal() {
		t.Errorf("after the choice: %+v, %v; want %+v", who, err, inB.Principal())
	}
	clk.Advance(tenants.ConsoleSessionTTL)
	if _, err := s.ConsolePrincipal(ctx, token); !errors.Is(err, tenants.ErrSessionUnknown) {
		t.Errorf("after %v: %v, want ErrSessionUnknown", tenants.ConsoleSessionTTL, err)
	}
}
