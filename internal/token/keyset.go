package token

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// keySet is a tenant's keys as a Manager caches them.
type keySet struct {
	jwks   []JWK
	public map[string]*ecdsa.PublicKey // by kid
	signer *signer                     // nil when the tenant has no active key
}

// signer is the key that signs the tenant's new tokens.
type signer struct {
	kid string
	key *ecdsa.PrivateKey
}

// keySet returns the tenant's key set, cached for m.ttl.
func (m *Manager) keySet(ctx context.Context, tenantID string) (*keySet, error) {
	return m.sets.Get(ctx, tenantID, func(ctx context.Context) (*keySet, error) {
		return m.loadKeySet(ctx, tenantID)
	})
}

// loadKeySet reads the tenant's keys from KeyStore and the signing key's
// private half from the secret store.
func (m *Manager) loadKeySet(ctx context.Context, tenantID string) (*keySet, error) {
	keys, err := m.keys.Keys(ctx, tenantID)
	if err != nil {
		return nil, fmt.Errorf("load keys: %w", err)
	}
	set := &keySet{public: make(map[string]*ecdsa.PublicKey, len(keys))}
	for _, k := range keys {
		jwk, pub, err := parseKey(k)
		if err != nil {
			return nil, fmt.Errorf("load keys: %w", err)
		}
		set.jwks = append(set.jwks, jwk)
		set.public[k.KID] = pub
	}
	if k := chooseSigner(keys, m.now(), m.ttl); k != nil {
		priv, err := m.loadPrivateKey(ctx, tenantID, k.KID, set.public[k.KID])
		if err != nil {
			return nil, err
		}
		set.signer = &signer{kid: k.KID, key: priv}
	}
	return set, nil
}

// chooseSigner picks the key that signs, from keys newest first: the
// newest active or passive key that is publishDelay old, so every replica's
// cached JWKS lists it; when none is that old (a new tenant, or keys
// rotated again and again), the oldest of them. It returns nil when no key
// is active. A passive key is younger than publishDelay when the key after
// it came soon after it: signing with it then could reach a replica that
// has not seen it yet.
func chooseSigner(keys []Key, now time.Time, publishDelay time.Duration) *Key {
	var signer *Key
	hasActive := false
	for i := range keys {
		k := &keys[i]
		if k.State != KeyActive && k.State != KeyPassive {
			continue
		}
		hasActive = hasActive || k.State == KeyActive
		if now.Sub(k.CreatedAt) >= publishDelay {
			signer = k
			break
		}
		signer = k
	}
	if !hasActive {
		return nil
	}
	return signer
}

// parseKey reads a KeyStore record's public half.
func parseKey(k Key) (JWK, *ecdsa.PublicKey, error) {
	var jwk JWK
	if err := json.Unmarshal(k.PublicJWK, &jwk); err != nil {
		return JWK{}, nil, fmt.Errorf("key %s: public JWK: %w", k.KID, err)
	}
	if k.Alg != Alg || jwk.KID != k.KID {
		return JWK{}, nil, fmt.Errorf("key %s: not an %s key with a matching kid", k.KID, Alg)
	}
	pub, err := jwk.publicKey()
	if err != nil {
		return JWK{}, nil, err
	}
	return jwk, pub, nil
}

// loadPrivateKey reads kid's private half and checks it matches pub.
func (m *Manager) loadPrivateKey(ctx context.Context, tenantID, kid string, pub *ecdsa.PublicKey) (*ecdsa.PrivateKey, error) {
	s, err := m.secrets.Get(ctx, PrivateKeyPath(tenantID, kid))
	if err != nil {
		return nil, fmt.Errorf("load private key %s: %w", kid, err)
	}
	priv, err := decodePrivateKey(s.Data[privateKeyField])
	if err == nil && !priv.PublicKey.Equal(pub) {
		err = errors.New("private key does not match the recorded public key")
	}
	if err != nil {
		return nil, fmt.Errorf("load private key %s: %w", kid, err)
	}
	return priv, nil
}
