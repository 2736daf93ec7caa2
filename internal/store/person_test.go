package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// history is what a tenant went through, kept in Go: its identities as
// they are now and their login events. Its reports, computed here by
// brute force, are what the store's rollups must give.
type history struct {
	appIDs     []string
	identities map[string]*oracleIdentity // by identity ID
}

type oracleIdentity struct {
	appID, unionID string
	logins         []time.Time
}

// person is the identity's person, as the store defines it.
func (h *history) person(id string) string {
	if u := h.identities[id].unionID; u != "" {
		return u
	}
	return "i:" + id
}

// summary counts as reports.Store.Summary does.
func (h *history) summary(w reports.Window) reports.Summary {
	s := reports.Summary{Accounts: make([]reports.AccountSummary, len(h.appIDs))}
	persons := map[string]bool{}
	active := map[string]bool{}
	for i, appID := range h.appIDs {
		a := &s.Accounts[i]
		a.AppID = appID
		inAccount, activeInAccount := map[string]bool{}, map[string]bool{}
		for id, ident := range h.identities {
			if ident.appID != appID {
				continue
			}
			a.Identities++
			if ident.unionID != "" {
				a.WithUnionID++
			}
			inAccount[h.person(id)] = true
			persons[h.person(id)] = true
			for _, at := range ident.logins {
				if !at.Before(w.From) && at.Before(w.To) {
					a.Logins++
					activeInAccount[h.person(id)] = true
					active[h.person(id)] = true
				}
			}
		}
		a.WithoutUnionID = a.Identities - a.WithUnionID
		a.Persons, a.ActivePersons = int64(len(inAccount)), int64(len(activeInAccount))
		s.Total.Identities += a.Identities
		s.Total.WithUnionID += a.WithUnionID
		s.Total.WithoutUnionID += a.WithoutUnionID
		s.Total.Logins += a.Logins
	}
	s.Total.Persons, s.Total.ActivePersons = int64(len(persons)), int64(len(active))
	return s
}

// overlap computes reports.Store.Overlap.
func (h *history) overlap() reports.Overlap {
	n := len(h.appIDs)
	o := reports.Overlap{AppIDs: h.appIDs, Both: make([][]int64, n), OnlyOne: make([]int64, n)}
	accounts := map[string]map[int]bool{}
	for id, ident := range h.identities {
		p := h.person(id)
		if accounts[p] == nil {
			accounts[p] = map[int]bool{}
		}
		accounts[p][slices.Index(h.appIDs, ident.appID)] = true
	}
	for i := range o.Both {
		o.Both[i] = make([]int64, n)
	}
	for _, in := range accounts {
		for i := range in {
			for j := range in {
				o.Both[i][j]++
			}
			if len(in) == 1 {
				o.OnlyOne[i]++
			}
		}
	}
	return o
}

// activity computes reports.Store.Activity.
func (h *history) activity(q reports.ActivityQuery) reports.Activity {
	starts := q.Buckets()
	bucket := func(at time.Time) int {
		for i := len(starts) - 1; i >= 0; i-- {
			if !at.Before(starts[i]) {
				if i == len(starts)-1 && !at.Before(q.Next(starts[i])) {
					return -1
				}
				return i
			}
		}
		return -1
	}
	count := func(appID string) reports.AccountActivity {
		a := reports.AccountActivity{AppID: appID, Buckets: make([]reports.ActivityBucket, len(starts))}
		first := map[string]time.Time{}
		active := make([]map[string]bool, len(starts))
		for i := range active {
			active[i] = map[string]bool{}
		}
		for id, ident := range h.identities {
			if appID != "" && ident.appID != appID {
				continue
			}
			p := h.person(id)
			for _, at := range ident.logins {
				if f, ok := first[p]; !ok || at.Before(f) {
					first[p] = at
				}
				if b := bucket(at); b >= 0 {
					a.Buckets[b].Logins++
					active[b][p] = true
				}
			}
		}
		for i := range a.Buckets {
			a.Buckets[i].Start = starts[i]
			a.Buckets[i].ActivePersons = int64(len(active[i]))
		}
		for _, at := range first {
			if b := bucket(at); b >= 0 {
				a.Buckets[b].NewPersons++
			}
		}
		return a
	}
	a := reports.Activity{Total: count("")}
	for _, appID := range h.appIDs {
		a.Accounts = append(a.Accounts, count(appID))
	}
	return a
}

// newHistory creates a tenant with 4 accounts, and their empty history.
func newHistory(t *testing.T, db *store.DB) (string, *history) {
	t.Helper()
	tenantID := tenantstest.NewTenant(t, db).ID
	h := &history{identities: map[string]*oracleIdentity{}}
	for range 4 {
		h.appIDs = append(h.appIDs, tenantstest.NewAccount(t, db, tenantID).AppID)
	}
	slices.Sort(h.appIDs)
	return tenantID, h
}

// randomLogin is a login to one of h's accounts of one of people users
// at a random time in the 10 days from base: users below 30 have a
// unionid, which only some logins carry.
func (h *history) randomLogin(rng *rand.Rand, tenantID string, base time.Time, people int) tenants.IdentityLogin {
	u := rng.IntN(people)
	appID := h.appIDs[rng.IntN(len(h.appIDs))]
	unionID := ""
	if u < 30 && rng.IntN(3) > 0 {
		unionID = fmt.Sprintf("u%02d", u)
	}
	return tenants.IdentityLogin{
		TenantID: tenantID, AppID: appID, OpenID: fmt.Sprintf("o-%s-%02d", appID, u), UnionID: unionID,
		Scope: tenants.ScopeUserInfo,
		At:    base.Add(time.Duration(rng.Int64N(int64(10 * 24 * time.Hour)))).Truncate(time.Microsecond),
	}
}

// without is h once account appID and its identities are gone.
func (h *history) without(appID string) *history {
	g := &history{appIDs: slices.DeleteFunc(slices.Clone(h.appIDs), func(id string) bool { return id == appID }),
		identities: map[string]*oracleIdentity{}}
	for id, o := range h.identities {
		if o.appID != appID {
			g.identities[id] = o
		}
	}
	return g
}

// reportWindows are the windows checkHistory asks the summary of, around
// the 10 days from base.
func reportWindows(base time.Time) []reports.Window {
	return []reports.Window{
		{From: base, To: base.AddDate(0, 0, 10)},
		{From: base.AddDate(0, 0, 3), To: base.AddDate(0, 0, 5)},
		{From: base.Add(37 * time.Hour), To: base.Add(40 * time.Hour)},
		{From: base.Add(-8 * time.Hour), To: base.AddDate(0, 0, 10)},
		{From: base.AddDate(0, 0, 3).Add(-8 * time.Hour), To: base.AddDate(0, 0, 5).Add(-8 * time.Hour)},
		{From: base.Add(4 * time.Hour), To: base.AddDate(0, 0, 8)},
		// From 08:00 in Shanghai, long enough to count the 16 hours
		// to midnight, and the rest, apart.
		{From: base, To: base.AddDate(0, 0, 40)},
	}
}

// checkHistory fails t unless the tenant's summary (in reportWindows),
// overlap and activity (by day in Shanghai and New York, by week in UTC)
// are what the history h says.
func checkHistory(t *testing.T, db *store.DB, tenantID string, h *history, base time.Time, stage string) {
	t.Helper()
	ctx := context.Background()
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range reportWindows(base) {
		got, err := db.Summary(ctx, tenantID, w)
		tenantstest.IsErr(t, stage+": Summary", err, nil)
		tenantstest.Equal(t, fmt.Sprintf("%s: Summary of %v", stage, w), got, h.summary(w))
	}
	o, err := db.Overlap(ctx, tenantID)
	tenantstest.IsErr(t, stage+": Overlap", err, nil)
	tenantstest.Equal(t, stage+": Overlap", o, h.overlap())
	for _, q := range []reports.ActivityQuery{
		{Window: reports.Window{From: base, To: base.AddDate(0, 0, 10)}, Interval: reports.Day},
		{Window: reports.Window{From: base, To: base.AddDate(0, 0, 10)}, Interval: reports.Week, Location: time.UTC},
		{Window: reports.Window{From: base, To: base.AddDate(0, 0, 10)}, Interval: reports.Day, Location: newYork},
	} {
		a, err := db.Activity(ctx, tenantID, q)
		tenantstest.IsErr(t, stage+": Activity", err, nil)
		tenantstest.Equal(t, fmt.Sprintf("%s: Activity by %v", stage, q.Interval), a, h.activity(q))
	}
}

// TestPersonRollups logs a tenant's people in at random times, in no
// order, with unionids that some identities only gain later, and deletes
// identities, a person and an account along the way, then logs a few
// people in from many goroutines at once; at each stage the reports must
// be what the history says, and rebuilding the rollups from the identities
// and events must change nothing.
func TestPersonRollups(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		ctx := context.Background()
		db := openMigrated(t, url)
		tenantID, h := newHistory(t, db)
		appIDs := slices.Clone(h.appIDs)
		rng := rand.New(rand.NewPCG(4, 25))
		base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		login := logIn(db)
		// Days are rolled up in Shanghai, where base is 08:00, then in New
		// York, where it is midnight and clocks go back that night.
		zone := "Asia/Shanghai"
		rollUp := func() int {
			t.Helper()
			n, err := db.RollUpDays(ctx, tenantID, zone, base.AddDate(0, 0, 12), 100)
			tenantstest.IsErr(t, "RollUpDays", err, nil)
			return n
		}
		checkReports := func(stage string) {
			t.Helper()
			checkHistory(t, db, tenantID, h, base, stage)
		}
		// check checks the reports as they are, with the days that the
		// stage's writes left rolled up, and with every day rolled up
		// again; it returns how many were. The next stage writes to
		// rolled-up days.
		check := func(stage string) int {
			t.Helper()
			checkReports(stage)
			n := rollUp()
			checkReports(stage + ", rolled up")
			return n
		}
		rebuilt := func(stage string) {
			t.Helper()
			tenantstest.IsErr(t, "RebuildPersons", db.RebuildPersons(ctx, tenantID), nil)
			check(stage + ", rebuilt")
		}

		randomLogin := func(rng *rand.Rand, people int) tenants.IdentityLogin {
			return h.randomLogin(rng, tenantID, base, people)
		}
		var mu sync.Mutex
		record := func(l tenants.IdentityLogin, ident tenants.Identity) {
			mu.Lock()
			defer mu.Unlock()
			o := h.identities[ident.ID]
			if o == nil {
				o = &oracleIdentity{appID: l.AppID}
				h.identities[ident.ID] = o
			}
			o.unionID = ident.UnionID
			o.logins = append(o.logins, l.At)
		}
		logins := func(n int) {
			for range n {
				l := randomLogin(rng, 40)
				record(l, login(t, l))
			}
		}
		// concurrentLogins logs a few people in from several goroutines at
		// once, so that logins of one person in several accounts race.
		concurrentLogins := func(goroutines, n int) {
			// Days are rolled up all along, as a replica's background job
			// may while logins change them.
			done := make(chan struct{})
			rolling := make(chan error)
			go func() {
				for {
					select {
					case <-done:
						close(rolling)
						return
					default:
					}
					if _, err := db.RollUpDays(ctx, tenantID, "Asia/Shanghai", base.AddDate(0, 0, 12), 100); err != nil {
						rolling <- err
						<-done
						close(rolling)
						return
					}
				}
			}()
			defer func() {
				close(done)
				tenantstest.IsErr(t, "RollUpDays while logging in", <-rolling, nil)
			}()
			var g errgroup.Group
			for k := range goroutines {
				rng := rand.New(rand.NewPCG(uint64(k), 7))
				g.Go(func() error {
					for range n {
						l := randomLogin(rng, 6)
						ident, err := completeLogin(db, l)
						if err != nil {
							return err
						}
						record(l, ident)
					}
					return nil
				})
			}
			tenantstest.IsErr(t, "concurrent logins", g.Wait(), nil)
		}
		deleteIdentity := func() {
			ids := slices.Sorted(func(yield func(string) bool) {
				for id := range h.identities {
					if !yield(id) {
						return
					}
				}
			})
			id := ids[rng.IntN(len(ids))]
			tenantstest.IsErr(t, "DeleteIdentity", db.DeleteIdentity(ctx, tenantID, id), nil)
			delete(h.identities, id)
		}

		logins(150)
		if n := check("after 150 logins"); n < 10 {
			t.Fatalf("%d days rolled up, want the 10 days of the logins", n)
		}
		for range 5 {
			deleteIdentity()
		}
		logins(100)
		check("after deletes and 100 more logins")
		_, err := db.ErasePerson(ctx, tenantID, "u07")
		tenantstest.IsErr(t, "ErasePerson", err, nil)
		for id, o := range h.identities {
			if o.unionID == "u07" {
				delete(h.identities, id)
			}
		}
		check("after erasing a person")
		deleteAccount(t, db, tenantID, appIDs[1], 7)
		h = h.without(appIDs[1])
		check("after deleting an account")
		logins(50)
		zone = "America/New_York"
		check("after 50 more logins")
		// PostgreSQL's logins race a background rollup for real; SQLite
		// takes one write at a time.
		if db.Dialect() == store.DialectPostgres {
			concurrentLogins(8, 100)
		} else {
			concurrentLogins(8, 20)
		}
		check("at the end")
		rebuilt("at the end")
		backfill(t, db)
		check("after the migration's backfill")
	})
}

// backfill empties the report rollups and makes them again with the
// statements of the migration that introduced them, as it did for the
// rows that existed then.
func backfill(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	dir := map[string]string{store.DialectPostgres: "postgres", store.DialectSQLite: "sqlite"}[db.Dialect()]
	up, err := os.ReadFile(filepath.Join("..", "..", "migrations", dir, "20261127000001_report_rollups.tx.up.sql"))
	if err != nil {
		t.Fatal(err)
	}
	statements := []string{"DELETE FROM persons", "UPDATE login_events SET person_prev_at = NULL, account_prev_at = NULL"}
	for s := range strings.SplitSeq(string(up), "--bun:split") {
		if s = strings.TrimSpace(s); strings.HasPrefix(s, "INSERT") || strings.HasPrefix(s, "UPDATE") {
			statements = append(statements, s)
		}
	}
	if len(statements) != 4 {
		t.Fatalf("the migration has %d backfill statements, want 2", len(statements)-2)
	}
	for _, s := range statements {
		if err := db.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestOnePersonRacing logs one person in to two accounts 1,000 times at
// once (200 on SQLite), each login a second after the one started before it (they commit in
// whatever order they get the person's row): there are two identities and
// one person, and every report counts the person once and every login once,
// as a rebuild of the rollups does.
func TestOnePersonRacing(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		ctx := context.Background()
		db := openMigrated(t, url)
		tenantID := tenantstest.NewTenant(t, db).ID
		a, b := tenantstest.NewAccount(t, db, tenantID), tenantstest.NewAccount(t, db, tenantID)
		base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		// SQLite's one connection takes the logins one at a time anyway.
		logins := int64(1000)
		if db.Dialect() == store.DialectSQLite {
			logins = 200
		}
		var g errgroup.Group
		for i := range logins {
			account := []tenants.Account{a, b}[i%2]
			g.Go(func() error {
				_, err := completeLogin(db, tenants.IdentityLogin{
					TenantID: tenantID, AppID: account.AppID, OpenID: "o-" + account.AppID, UnionID: "u-racing",
					Scope: tenants.ScopeUserInfo, At: base.Add(time.Duration(i) * time.Second),
				})
				return err
			})
		}
		tenantstest.IsErr(t, "logins", g.Wait(), nil)

		idents, err := db.ListIdentities(ctx, tenantID, tenants.IdentityFilter{})
		tenantstest.IsErr(t, "ListIdentities", err, nil)
		if len(idents) != 2 || idents[0].LoginCount+idents[1].LoginCount != logins {
			t.Fatalf("identities: %+v, want 2 with %d logins in all", idents, logins)
		}
		w := reports.Window{From: base, To: base.Add(time.Hour)}
		check := func(stage string) {
			t.Helper()
			s, err := db.Summary(ctx, tenantID, w)
			tenantstest.IsErr(t, stage+": Summary", err, nil)
			tenantstest.Equal(t, stage+": Summary", s.Total, reports.AccountSummary{
				Identities: 2, WithUnionID: 2, Persons: 1, Logins: logins, ActivePersons: 1,
			})
			for _, acct := range s.Accounts {
				if acct.Persons != 1 || acct.Logins != logins/2 || acct.ActivePersons != 1 {
					t.Errorf("%s: Summary of %s: %+v", stage, acct.AppID, acct)
				}
			}
			q := reports.ActivityQuery{Window: w, Interval: reports.Day, Location: time.UTC}
			act, err := db.Activity(ctx, tenantID, q)
			tenantstest.IsErr(t, stage+": Activity", err, nil)
			tenantstest.Equal(t, stage+": Activity", act.Total.Buckets, []reports.ActivityBucket{
				{Start: base, NewPersons: 1, ActivePersons: 1, Logins: logins},
			})
		}
		check("after the logins")
		tenantstest.IsErr(t, "RebuildPersons", db.RebuildPersons(ctx, tenantID), nil)
		check("rebuilt")
	})
}
