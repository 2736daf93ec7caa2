package store_test

import (
	"testing"

	"github.com/wxlogin/wxlogin/internal/reports/reportstest"
)

func TestReportsConformance(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		reportstest.Run(t, func(t *testing.T) reportstest.Backend {
			db := openMigrated(t, url)
			return reportstest.Backend{Reports: db, Tenants: db, Login: logIn(db)}
		})
	})
}
