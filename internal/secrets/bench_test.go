package secrets_test

import (
	"context"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/secrets"
)

func BenchmarkGet(b *testing.B) {
	local := openLocal(b, b.TempDir())
	stores := []struct {
		name  string
		store secrets.Store
	}{
		{"local", local},
		{"cached", secrets.Cached(local, secrets.CacheConfig{TTL: time.Minute})},
	}
	ctx := context.Background()
	if _, err := local.Put(ctx, "tenants/acme/accounts/wx1/appsecret", map[string]string{"appsecret": secretValue}); err != nil {
		b.Fatal(err)
	}
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.store.Get(ctx, "tenants/acme/accounts/wx1/appsecret"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
