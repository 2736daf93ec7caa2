package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/login/logintest"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/internal/token/tokentest"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

func TestTenantsConformance(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		tenantstest.Run(t, func(t *testing.T) tenantstest.Backend {
			db := openMigrated(t, url)
			return tenantstest.Backend{Store: db, Login: logIn(db)}
		})
	})
}

// logIn records logins the way a callback does: by completing a login
// transaction of the account.
func logIn(db *store.DB) func(t testing.TB, l tenants.IdentityLogin) tenants.Identity {
	return func(t testing.TB, l tenants.IdentityLogin) tenants.Identity {
		t.Helper()
		ident, err := completeLogin(db, l)
		if err != nil {
			t.Fatal(err)
		}
		return ident
	}
}

// completeLogin records login l as a callback does.
func completeLogin(db *store.DB, l tenants.IdentityLogin) (tenants.Identity, error) {
	ctx := context.Background()
	a, err := db.GetAccount(ctx, l.TenantID, l.AppID)
	if err != nil {
		return tenants.Identity{}, fmt.Errorf("GetAccount: %w", err)
	}
	tx := logintest.Transaction(a, l.At.Add(time.Hour))
	if err := db.CreateTransaction(ctx, tx); err != nil {
		return tenants.Identity{}, fmt.Errorf("CreateTransaction: %w", err)
	}
	c := logintest.Completion(tx, l.OpenID)
	c.Login = l
	ident, err := db.CompleteLogin(ctx, c)
	if err != nil {
		return tenants.Identity{}, fmt.Errorf("CompleteLogin: %w", err)
	}
	return ident, nil
}

func TestLoginConformance(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		logintest.Run(t, func(t *testing.T) (tenants.Store, login.Store) {
			db := openMigrated(t, url)
			return db, db
		})
	})
}

func TestKeyConformance(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		tokentest.Run(t, func(t *testing.T) (tenants.Store, token.KeyStore) {
			db := openMigrated(t, url)
			return db, db
		})
	})
}
