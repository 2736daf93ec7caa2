package store_test

import (
	"context"
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
		ctx := context.Background()
		a, err := db.GetAccount(ctx, l.TenantID, l.AppID)
		if err != nil {
			t.Fatalf("GetAccount: %v", err)
		}
		tx := logintest.Transaction(a, l.At.Add(time.Hour))
		if err := db.CreateTransaction(ctx, tx); err != nil {
			t.Fatalf("CreateTransaction: %v", err)
		}
		c := logintest.Completion(tx, l.OpenID)
		c.Login = l
		ident, err := db.CompleteLogin(ctx, c)
		if err != nil {
			t.Fatalf("CompleteLogin: %v", err)
		}
		return ident
	}
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
