package token

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wxlogin/wxlogin/internal/memo"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/secrets"
)

// DefaultCacheTTL is how long a tenant's key set is cached when
// Config.CacheTTL is zero.
const DefaultCacheTTL = 30 * time.Second

// Config tunes a Manager.
type Config struct {
	// Now is the clock for key timestamps, token checks and the cache;
	// default time.Now.
	Now func() time.Time
	// CacheTTL is how long a tenant's key set (public keys and the private
	// signing key) stays cached in memory, and so how soon a rotation by
	// another replica shows up here; default DefaultCacheTTL.
	CacheTTL time.Duration
}

// Manager signs and verifies tenants' tokens and manages their keys. It is
// safe for concurrent use; each replica has its own.
type Manager struct {
	keys    KeyStore
	secrets secrets.Store
	now     func() time.Time
	ttl     time.Duration
	sets    *memo.Cache[string, *keySet]
}

// NewManager returns a Manager keeping key metadata in keys and private
// keys in store.
func NewManager(keys KeyStore, store secrets.Store, cfg Config) *Manager {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = DefaultCacheTTL
	}
	return &Manager{
		keys:    keys,
		secrets: store,
		now:     cfg.Now,
		ttl:     cfg.CacheTTL,
		sets:    memo.New[string, *keySet](cfg.CacheTTL, cfg.Now),
	}
}

// Rotate makes a new P-256 key the tenant's active key and demotes the
// previous one to passive. The private half is stored in the secret store
// before the key is recorded, so a recorded key always has one; if
// recording fails, the private half is deleted again. The returned Key is
// what KeyStore recorded: public half only.
func (m *Manager) Rotate(ctx context.Context, tenantID string) (Key, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Key{}, fmt.Errorf("rotate key: %w", err)
	}
	kid := opaque.New("", 12)
	k, err := newKey(tenantID, kid, &priv.PublicKey, m.now())
	if err != nil {
		return Key{}, fmt.Errorf("rotate key: %w", err)
	}
	pemKey, err := encodePrivateKey(priv)
	if err != nil {
		return Key{}, fmt.Errorf("rotate key: %w", err)
	}
	path := PrivateKeyPath(tenantID, kid)
	if _, err := m.secrets.Put(ctx, path, map[string]string{privateKeyField: pemKey}); err != nil {
		return Key{}, fmt.Errorf("rotate key: store private key: %w", err)
	}
	if err := m.keys.RotateKey(ctx, k); err != nil {
		cleanup := m.secrets.Delete(context.WithoutCancel(ctx), path)
		return Key{}, errors.Join(fmt.Errorf("rotate key: %w", err), cleanup)
	}
	m.sets.Forget(tenantID)
	return k, nil
}

// Retire takes a passive key out of the JWKS (tokens it signed stop
// verifying) and then deletes its private half. Retiring the active key is
// an error from KeyStore; rotate first.
func (m *Manager) Retire(ctx context.Context, tenantID, kid string) error {
	if err := m.keys.RetireKey(ctx, tenantID, kid, m.now().UTC()); err != nil {
		return fmt.Errorf("retire key %s: %w", kid, err)
	}
	m.sets.Forget(tenantID)
	if err := m.secrets.Delete(ctx, PrivateKeyPath(tenantID, kid)); err != nil {
		return fmt.Errorf("retire key %s: delete private key: %w", kid, err)
	}
	return nil
}

// JWKS returns the tenant's active and passive public keys, newest first.
// A tenant without keys has an empty set.
func (m *Manager) JWKS(ctx context.Context, tenantID string) (JWKS, error) {
	set, err := m.keySet(ctx, tenantID)
	if err != nil {
		return JWKS{}, fmt.Errorf("jwks: %w", err)
	}
	return JWKS{Keys: append([]JWK{}, set.jwks...)}, nil
}

// newKey is the KeyStore record of a new active key.
func newKey(tenantID, kid string, pub *ecdsa.PublicKey, now time.Time) (Key, error) {
	jwk, err := newJWK(kid, pub)
	if err != nil {
		return Key{}, err
	}
	b, err := json.Marshal(jwk)
	if err != nil {
		return Key{}, err
	}
	return Key{TenantID: tenantID, KID: kid, Alg: Alg, PublicJWK: b, State: KeyActive, CreatedAt: now.UTC()}, nil
}
