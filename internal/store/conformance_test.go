package store_test

import (
	"testing"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/login/logintest"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/internal/token/tokentest"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

func TestTenantsConformance(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		tenantstest.Run(t, func(t *testing.T) tenants.Store { return openMigrated(t, url) })
	})
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
