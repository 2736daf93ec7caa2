package token_test

import (
	"context"
	"github.com/wxlogin/wxlogin/internal/clock"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/secrets/secretstest"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/internal/testenv"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/tenants"
)

const (
	tenantA  = "acme"
	tenantB  = "bravo"
	issuerA  = "https://login.example.com/t/acme"
	audience = "wx0123456789abcdef"
	cacheTTL = 30 * time.Second
)

// env is a Manager on real stores: SQLite through internal/store, and the
// local secret store. Reads reaching either store are counted.
type env struct {
	m       *token.Manager
	keys    *countingKeys
	secrets *countingSecrets
	clock   *clock.Settable
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, testenv.SQLiteFile(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.MigrateUp(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{tenantA, tenantB} {
		if err := db.CreateTenant(ctx, tenants.Tenant{ID: id, Name: id}); err != nil {
			t.Fatal(err)
		}
	}
	local, err := secrets.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := &env{keys: &countingKeys{KeyStore: db}, secrets: &countingSecrets{Store: secretstest.Recorded(t, local)}, clock: clock.New(time.Now().Truncate(time.Second))}
	e.m = e.manager()
	return e
}

// manager returns another Manager on e's stores, as another replica has.
func (e *env) manager() *token.Manager {
	return token.NewManager(e.keys, e.secrets, token.Config{Now: e.clock.Now, CacheTTL: cacheTTL})
}

func (e *env) rotate(t testing.TB, tenantID string) token.Key {
	t.Helper()
	k, err := e.m.Rotate(context.Background(), tenantID)
	if err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	return k
}

func (e *env) sign(t testing.TB, tenantID string, c token.Claims) string {
	t.Helper()
	raw, err := e.m.Sign(context.Background(), tenantID, c)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return raw
}

// claims returns valid claims for tenant A issued now.
func (e *env) claims() token.Claims {
	now := e.clock.Now()
	return token.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuerA,
			Subject:   "0190f3a2-identity",
			Audience:  jwt.ClaimStrings{audience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
			ID:        "jti-1",
		},
		OpenID: "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", UnionID: "union-1", AppID: audience,
		Tenant: tenantA, Scope: "snsapi_userinfo", Nickname: "小明 🐼", Picture: "https://thirdwx.qlogo.cn/x.png",
	}
}

// countingKeys counts Keys calls reaching the database.
type countingKeys struct {
	token.KeyStore
	reads atomic.Int64
}

func (c *countingKeys) Keys(ctx context.Context, tenantID string) ([]token.Key, error) {
	c.reads.Add(1)
	return c.KeyStore.Keys(ctx, tenantID)
}

// countingSecrets counts the calls reaching the secret store.
type countingSecrets struct {
	secrets.Store
	reads, puts, deletes atomic.Int64
}

func (c *countingSecrets) Put(ctx context.Context, path string, data map[string]string) (int, error) {
	c.puts.Add(1)
	return c.Store.Put(ctx, path, data)
}

func (c *countingSecrets) Delete(ctx context.Context, path string) error {
	c.deletes.Add(1)
	return c.Store.Delete(ctx, path)
}

func (c *countingSecrets) Get(ctx context.Context, path string) (secrets.Secret, error) {
	c.reads.Add(1)
	return c.Store.Get(ctx, path)
}
