package secrets_test

import (
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/secrets/secretstest"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

func TestConformance(t *testing.T) {
	stores := []struct {
		name     string
		newStore func(t *testing.T) secrets.Store
	}{
		{"local", func(t *testing.T) secrets.Store { return openLocal(t, t.TempDir()) }},
		{"vault", func(t *testing.T) secrets.Store { return newVault(t, secrets.VaultConfig{}) }},
		{"cached local", func(t *testing.T) secrets.Store {
			return secrets.Cached(openLocal(t, t.TempDir()), secrets.CacheConfig{TTL: time.Minute, MaxStale: 10 * time.Minute})
		}},
		{"cached vault", func(t *testing.T) secrets.Store {
			return secrets.Cached(newVault(t, secrets.VaultConfig{}), secrets.CacheConfig{TTL: time.Minute, MaxStale: 10 * time.Minute})
		}},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) { secretstest.Run(t, s.newStore) })
	}
}

func openLocal(t testing.TB, dir string) *secrets.Local {
	t.Helper()
	l, err := secrets.OpenLocal(dir)
	if err != nil {
		t.Fatalf("OpenLocal: %v", err)
	}
	return l
}

// newVault returns a store on the test Vault server. cfg's zero address and
// token are filled in from the environment.
func newVault(t testing.TB, cfg secrets.VaultConfig) *secrets.Vault {
	t.Helper()
	addr, token := testenv.Vault(t)
	if cfg.Address == "" {
		cfg.Address = addr
	}
	if cfg.Token == "" {
		cfg.Token = token
	}
	v, err := secrets.NewVault(cfg)
	if err != nil {
		t.Fatalf("NewVault: %v", err)
	}
	t.Cleanup(v.Close)
	return v
}
