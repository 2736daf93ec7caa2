package store_test

import (
	"testing"

	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

func TestTenantsConformance(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		tenantstest.Run(t, func(t *testing.T) tenants.Store { return openMigrated(t, url) })
	})
}
