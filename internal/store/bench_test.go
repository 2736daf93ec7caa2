package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/login/logintest"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// benchParallelism multiplies GOMAXPROCS into the goroutines RunParallel
// starts: logins wait on the database, so a server runs many at once.
const benchParallelism = 8

// benchEachDB runs bench on each database, with a tenant's account to log
// in to. The database is opened once (a benchmark function runs once per
// b.N tried), so it fills up across runs as a real one does.
func benchEachDB(b *testing.B, bench func(b *testing.B, db *store.DB, a tenants.Account)) {
	for _, d := range databases {
		db := openMigrated(b, d.url)
		a := tenantstest.NewAccount(b, db, tenantstest.NewTenant(b, db).ID)
		b.Run(d.name, func(b *testing.B) {
			b.SetParallelism(benchParallelism)
			bench(b, db, a)
		})
	}
}

// prepare runs fn for 0…n-1 on a few goroutines, before the timer starts.
func prepare(b *testing.B, n int, fn func(i int) error) {
	b.Helper()
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		errs = make([]error, benchParallelism)
	)
	for w := range errs {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n && errs[w] == nil; i = int(next.Add(1)) - 1 {
				errs[w] = fn(i)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
}

// parallel runs op with 0…b.N-1 on RunParallel's goroutines.
func parallel(b *testing.B, op func(i int) error) {
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := op(int(next.Add(1)) - 1); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// completions creates b.N open login transactions of a, one person each.
func completions(b *testing.B, db *store.DB, a tenants.Account) []login.Completion {
	cs := make([]login.Completion, b.N)
	prepare(b, b.N, func(i int) error {
		tx := logintest.Transaction(a, tenantstest.Now().Add(time.Hour))
		cs[i] = logintest.Completion(tx, fmt.Sprintf("o-%s-%d", tx.ID, i))
		return db.CreateTransaction(context.Background(), tx)
	})
	return cs
}

func BenchmarkCompleteLogin(b *testing.B) {
	benchEachDB(b, func(b *testing.B, db *store.DB, a tenants.Account) {
		cs := completions(b, db, a)
		parallel(b, func(i int) error {
			_, err := db.CompleteLogin(context.Background(), cs[i])
			return err
		})
	})
}

func BenchmarkRedeemCode(b *testing.B) {
	benchEachDB(b, func(b *testing.B, db *store.DB, a tenants.Account) {
		cs := completions(b, db, a)
		prepare(b, b.N, func(i int) error {
			_, err := db.CompleteLogin(context.Background(), cs[i])
			return err
		})
		parallel(b, func(i int) error {
			return redeem(context.Background(), db, cs[i])
		})
	})
}

// BenchmarkLogin is one whole login's storage work, its three commits:
// create the transaction, complete the login, redeem the code. ops/s is
// logins per second.
func BenchmarkLogin(b *testing.B) {
	benchEachDB(b, func(b *testing.B, db *store.DB, a tenants.Account) {
		ctx := context.Background()
		b.ResetTimer()
		parallel(b, func(i int) error {
			tx := logintest.Transaction(a, tenantstest.Now().Add(time.Hour))
			c := logintest.Completion(tx, fmt.Sprintf("o-%s-%d", tx.ID, i))
			if err := db.CreateTransaction(ctx, tx); err != nil {
				return err
			}
			if _, err := db.CompleteLogin(ctx, c); err != nil {
				return err
			}
			return redeem(ctx, db, c)
		})
	})
}

// redeem is the token endpoint's storage work for a code: read it with
// its identity, then spend it.
func redeem(ctx context.Context, db *store.DB, c login.Completion) error {
	if _, _, err := db.GetCode(ctx, c.Code.TenantID, c.Code.Hash, c.Login.At); err != nil {
		return err
	}
	return db.RedeemCode(ctx, c.Code.TenantID, c.Code.Hash, c.Login.At)
}
