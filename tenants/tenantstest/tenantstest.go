package tenantstest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
)

// Backend is what the suite runs against: a new, empty store, and a way to
// log people in to it. tenants.Store only reads identities and login events;
// a backend writes them when its login store completes a login.
type Backend struct {
	Store tenants.Store
	// Login records l as a completed login does (l's account must exist)
	// and returns the identity.
	Login func(t testing.TB, l tenants.IdentityLogin) tenants.Identity
}

// Run runs the suite. newBackend returns a new, empty backend for each test.
func Run(t *testing.T, newBackend func(t *testing.T) Backend) {
	for _, test := range []struct {
		name string
		run  func(t *testing.T, b Backend)
	}{
		{"Tenants", onStore(testTenants)},
		{"UpdateTenant", onStore(testUpdateTenant)},
		{"Accounts", onStore(testAccounts)},
		{"UpdateAccount", onStore(testUpdateAccount)},
		{"ConcurrentAccountWrites", onStore(testConcurrentAccountWrites)},
		{"DeleteAccount", testDeleteAccount},
		{"DeleteAccountWaitsForSecretWrite", onStore(testDeleteAccountWaitsForSecretWrite)},
		{"Leases", onStore(testLeases)},
		{"SecretVersion", onStore(testSecretVersion)},
		{"ConfirmSecretVersion", onStore(testConfirmSecretVersion)},
		{"APIKeys", onStore(testAPIKeys)},
		{"ListAPIKeys", onStore(testListAPIKeys)},
		{"RevokeAPIKey", onStore(testRevokeAPIKey)},
		{"TouchAPIKey", onStore(testTouchAPIKey)},
		{"ClientSecrets", onStore(testClientSecrets)},
		{"RevokeClientSecret", onStore(testRevokeClientSecret)},
		{"IdentitiesByLastLogin", testIdentitiesByLastLogin},
		{"IdentitiesByNickname", testIdentitiesByNickname},
		{"DeleteIdentity", testDeleteIdentity},
		{"ErasePerson", testErasePerson},
		{"AuditEvents", onStore(testAuditEvents)},
		{"IdempotencyKeys", onStore(testIdempotencyKeys)},
		{"IdempotencyKeyExpiry", onStore(testIdempotencyKeyExpiry)},
		{"IdempotencyKeyRace", onStore(testIdempotencyKeyRace)},
		{"ConsoleSessions", onStore(testConsoleSessions)},
		{"ConsoleBindings", onStore(testConsoleBindings)},
		{"WeChatConsoleSessions", onStore(testWeChatConsoleSessions)},
	} {
		t.Run(test.name, func(t *testing.T) { test.run(t, newBackend(t)) })
	}
}

// onStore adapts a test that needs only the store.
func onStore(test func(t *testing.T, s tenants.Store)) func(t *testing.T, b Backend) {
	return func(t *testing.T, b Backend) { test(t, b.Store) }
}

// sortBy returns xs sorted by key, bytewise, the order of the stores' IDs.
func sortBy[T any](xs []T, key func(T) string) []T {
	return slices.SortedFunc(slices.Values(xs), func(a, b T) int { return strings.Compare(key(a), key(b)) })
}

// Now returns the current time as stores keep it: UTC, whole microseconds.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// NewTenant creates a tenant with a random ID.
func NewTenant(t testing.TB, s tenants.Store) tenants.Tenant {
	t.Helper()
	now := Now()
	tn := tenants.Tenant{ID: "t-" + opaque.Hex(6), Name: "Tenant", TimeZone: tenants.DefaultTimeZone, CreatedAt: now, UpdatedAt: now}
	if err := s.CreateTenant(context.Background(), tn); err != nil {
		t.Fatalf("CreateTenant: %v", err)
	}
	return tn
}

// NewAccount creates an account of the tenant with a random AppID.
func NewAccount(t testing.TB, s tenants.Store, tenantID string) tenants.Account {
	t.Helper()
	a := account(tenantID, "wx"+opaque.Hex(8))
	if err := s.CreateAccount(context.Background(), a); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	return a
}

func account(tenantID, appID string) tenants.Account {
	now := Now()
	return tenants.Account{
		TenantID:     tenantID,
		AppID:        appID,
		Name:         "Account " + appID,
		Kind:         tenants.KindOfficial,
		Mode:         tenants.ModeSandbox,
		DefaultScope: tenants.ScopeBase,
		RedirectURIs: []string{"https://example.com/cb", "http://localhost:3000/cb?x=1"},
		TokenTTL:     tenants.DefaultTokenTTL,
		CreatedAt:    now,
		UpdatedAt:    now,
	}
}

// Equal fails t unless got and want are deeply equal.
func Equal[T any](t testing.TB, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// EqualList is Equal for lists, where nil and empty are the same.
func EqualList[T any](t testing.TB, what string, got, want []T) {
	t.Helper()
	if len(got) != 0 || len(want) != 0 {
		Equal(t, what, got, want)
	}
}

// IsErr fails t unless errors.Is(err, want); a nil want expects no error.
func IsErr(t testing.TB, what string, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("%s: %v", what, err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("%s: got error %v, want %v", what, err, want)
	}
}
