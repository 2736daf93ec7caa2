package tenants_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/tenants"
)

// forgetful is a secret store that lost one version of every path.
type forgetful struct {
	secrets.Store
	lost int
}

func (f forgetful) GetVersion(ctx context.Context, path string, version int) (secrets.Secret, error) {
	if version == f.lost {
		return secrets.Secret{}, fmt.Errorf("version %d: %w", version, secrets.ErrNotFound)
	}
	return f.Store.GetVersion(ctx, path, version)
}

func TestAppSecretCandidates(t *testing.T) {
	s, _, a := withAccount(t)
	ctx := context.Background()
	set := func(value string) func() error {
		return func() error { _, err := s.SetAppSecret(ctx, a.TenantID, a.AppID, value); return err }
	}
	confirm := func(version int) func() error {
		return func() error { return s.Store.ConfirmSecretVersion(ctx, a.TenantID, a.AppID, version) }
	}
	candidates := func() ([]tenants.AppSecretCandidate, error) {
		acct, err := s.Store.GetAccount(ctx, a.TenantID, a.AppID)
		if err != nil {
			return nil, err
		}
		return s.AppSecretCandidates(ctx, acct)
	}
	type c = tenants.AppSecretCandidate
	// Each step acts on the account as the steps before it left it.
	steps := []struct {
		name string
		act  func() error
		want []c
	}{
		{"a new account: its one secret", nil, []c{{1, "first-secret"}}},
		{"confirmed", confirm(1), []c{{1, "first-secret"}}},
		{"rotated: the confirmed one stays a candidate", set("second-secret"), []c{{2, "second-secret"}, {1, "first-secret"}}},
		{"rotated again before it worked", set("third-secret"), []c{{3, "third-secret"}, {1, "first-secret"}}},
		{"the new one worked", confirm(3), []c{{3, "third-secret"}}},
	}
	for _, tc := range steps {
		if tc.act != nil {
			if err := tc.act(); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		got, err := candidates()
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: AppSecretCandidates = %#v, %v; want %#v", tc.name, got, err, tc.want)
		}
	}

	if got, err := s.AppSecretCandidates(ctx, tenants.Account{TenantID: a.TenantID, AppID: a.AppID}); err != nil || len(got) != 0 {
		t.Errorf("account without an AppSecret: %v, %v; want none", got, err)
	}
}

func TestAppSecretCandidatesWithoutTheConfirmedVersion(t *testing.T) {
	s, _, a := withAccount(t)
	ctx := context.Background()
	if err := s.Store.ConfirmSecretVersion(ctx, a.TenantID, a.AppID, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetAppSecret(ctx, a.TenantID, a.AppID, "second-secret"); err != nil {
		t.Fatal(err)
	}
	s.Secrets = forgetful{Store: s.Secrets, lost: 1}
	acct, err := s.Store.GetAccount(ctx, a.TenantID, a.AppID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.AppSecretCandidates(ctx, acct)
	if want := []tenants.AppSecretCandidate{{Version: 2, Value: "second-secret"}}; err != nil || !slices.Equal(got, want) {
		t.Errorf("AppSecretCandidates = %v, %v; want version 2 alone", got, err)
	}
}

func TestAppSecretCandidatePrintsNoValue(t *testing.T) {
	c := tenants.AppSecretCandidate{Version: 2, Value: "s3cr3t"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		if out := fmt.Sprintf(verb, c); strings.Contains(out, "s3cr3t") || !strings.Contains(out, "2") {
			t.Errorf("Sprintf(%q) = %q", verb, out)
		}
	}
}
