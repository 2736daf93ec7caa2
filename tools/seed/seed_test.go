package main

import (
	"context"
	"database/sql"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/tenants"
)

func TestSeedSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wxlogin.db")
	apps := []string{"wxseed0000000001", "wxseed0000000002", "wxseed0000000003"}
	sdb, err := store.Open(ctx, "sqlite:"+path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := sdb.MigrateUp(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := sdb.CreateTenant(ctx, tenants.Tenant{ID: "acme", Name: "Acme", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		if err := sdb.CreateAccount(ctx, tenants.Account{TenantID: "acme", AppID: a, Name: a, Mode: tenants.ModeLive,
			DefaultScope: "snsapi_base", RedirectURIs: []string{"https://acme.example/cb"}, TokenTTL: time.Hour,
			CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sdb.Close(); err != nil {
		t.Fatal(err)
	}

	var out strings.Builder
	start := time.Now().UTC()
	if err := run(ctx, []string{"-database-url", "sqlite:" + path, "-tenant", "acme", "-appids", strings.Join(apps, ","),
		"-identities", "1000", "-events", "5000", "-days", "90", "-seed", "7"}, &out); err != nil {
		t.Fatal(err)
	}
	t.Log(strings.TrimSpace(out.String()))

	sqldb, err := sql.Open(sqliteshim.ShimName, path)
	if err != nil {
		t.Fatal(err)
	}
	db := bun.NewDB(sqldb, sqlitedialect.New())
	defer db.Close()
	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n
	}

	if n := count("SELECT count(*) FROM identities WHERE tenant_id = 'acme'"); n != 1000 {
		t.Errorf("identities: %d, want 1000", n)
	}
	if n := count("SELECT count(*) FROM login_events WHERE tenant_id = 'acme'"); n != 5000 {
		t.Errorf("login events: %d, want 5000", n)
	}
	if n := count("SELECT count(DISTINCT app_id) FROM identities"); n != 3 {
		t.Errorf("accounts with identities: %d, want 3", n)
	}
	if n := count("SELECT count(*) FROM identities WHERE unionid IS NULL"); math.Abs(float64(n)/1000-0.1) > 0.03 {
		t.Errorf("identities without unionid: %d of 1000, want 10%% ± 3", n)
	}
	if n := count("SELECT count(*) FROM (SELECT unionid FROM identities WHERE unionid IS NOT NULL GROUP BY unionid HAVING count(*) >= 2)"); n == 0 {
		t.Error("no unionid is in 2 accounts or more")
	}
	if n := count("SELECT count(*) FROM (SELECT unionid FROM identities WHERE unionid IS NOT NULL GROUP BY unionid HAVING count(*) > count(DISTINCT app_id))"); n != 0 {
		t.Errorf("%d unionids have two identities in one account", n)
	}
	if n := count(`SELECT count(*) FROM login_events e LEFT JOIN identities i ON i.id = e.identity_id
		WHERE i.id IS NULL OR i.openid != e.openid OR i.app_id != e.app_id OR i.unionid IS NOT e.unionid`); n != 0 {
		t.Errorf("%d login events without their identity", n)
	}
	if n := count(`SELECT count(*) FROM identities i WHERE login_count != (SELECT count(*) FROM login_events e WHERE e.identity_id = i.id)
		OR first_login_at != (SELECT min(at) FROM login_events e WHERE e.identity_id = i.id)
		OR last_login_at != (SELECT max(at) FROM login_events e WHERE e.identity_id = i.id)`); n != 0 {
		t.Errorf("%d identities whose login count or first or last login disagree with their events", n)
	}
	if n := count("SELECT count(*) FROM login_events WHERE at < ? OR at > ?",
		start.Add(-90*24*time.Hour), time.Now().UTC()); n != 0 {
		t.Errorf("%d login events outside the last 90 days", n)
	}

	// The report rollups are made: every person logged in in the last 90
	// days, as many times as there are events.
	persons := count("SELECT count(DISTINCT COALESCE(unionid, 'i:' || id)) FROM identities WHERE tenant_id = 'acme'")
	sdb, err = store.Open(ctx, "sqlite:"+path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	if n := count("SELECT count(*) FROM report_days WHERE tenant_id = 'acme'"); n < 89 {
		t.Errorf("%d days rolled up, want the 89 or more that ended", n)
	}
	// From 91 days ago, and from the midnight in Shanghai before: the same
	// counts from events alone and from rolled-up days.
	shanghai, err := time.LoadLocation(reports.DefaultTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	from := start.Add(-91 * 24 * time.Hour)
	y, m, d := from.In(shanghai).Date()
	for _, from := range []time.Time{from, time.Date(y, m, d, 0, 0, 0, 0, shanghai)} {
		summary, err := sdb.Summary(ctx, "acme", reports.Window{From: from, To: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		want := reports.AccountSummary{Identities: 1000, Persons: int64(persons), Logins: 5000, ActivePersons: int64(persons)}
		got := summary.Total
		got.WithUnionID, got.WithoutUnionID = 0, 0
		if got != want {
			t.Errorf("summary of the seeded tenant from %v: %+v, want %+v", from, got, want)
		}
	}
}
