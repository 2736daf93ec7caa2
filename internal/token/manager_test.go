package token_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/token"
)

func TestSignVerifyRoundTrip(t *testing.T) {
	e := newEnv(t)
	k := e.rotate(t, tenantA)
	want := e.claims()
	raw := e.sign(t, tenantA, want)

	got, err := e.m.Verify(context.Background(), tenantA, issuerA, audience, raw)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Verify = %+v\nwant %+v", got, want)
	}
	header := decodeSegment(t, raw, 0)
	if header["alg"] != "ES256" || header["typ"] != "JWT" || header["kid"] != k.KID {
		t.Errorf("header = %v, want alg ES256, typ JWT, kid %s", header, k.KID)
	}
}

func TestSignStampsTenant(t *testing.T) {
	e := newEnv(t)
	e.rotate(t, tenantA)
	c := e.claims()
	c.Tenant = tenantB
	if got := decodeSegment(t, e.sign(t, tenantA, c), 1)["tenant"]; got != tenantA {
		t.Errorf("tenant claim = %v, want %s", got, tenantA)
	}
}

func TestSignFailures(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Sign(context.Background(), tenantA, e.claims()); !errors.Is(err, token.ErrNoSigningKey) {
		t.Errorf("Sign without a key = %v, want ErrNoSigningKey", err)
	}
	e.rotate(t, tenantA)
	c := e.claims()
	c.ExpiresAt = nil
	if _, err := e.m.Sign(context.Background(), tenantA, c); err == nil {
		t.Error("Sign of claims without exp succeeded")
	}
}

func TestJWKS(t *testing.T) {
	e := newEnv(t)
	empty, err := e.m.JWKS(context.Background(), tenantA)
	if b, _ := json.Marshal(empty); err != nil || string(b) != `{"keys":[]}` {
		t.Errorf("JWKS without keys = %s, %v; want an empty set", b, err)
	}
	k := e.rotate(t, tenantA)
	set, err := e.m.JWKS(context.Background(), tenantA)
	if err != nil || len(set.Keys) != 1 {
		t.Fatalf("JWKS = %+v, %v; want one key", set, err)
	}
	j := set.Keys[0]
	if j.KID != k.KID || j.Kty != "EC" || j.Crv != "P-256" || j.Use != "sig" || j.Alg != "ES256" {
		t.Errorf("JWK = %+v", j)
	}
	for _, coord := range []string{j.X, j.Y} {
		if b, err := base64.RawURLEncoding.DecodeString(coord); err != nil || len(b) != 32 {
			t.Errorf("coordinate %q is not 32 base64url bytes", coord)
		}
	}
	var stored token.JWK
	if err := json.Unmarshal(k.PublicJWK, &stored); err != nil || stored != j {
		t.Errorf("Key.PublicJWK = %s, want the JWKS entry", k.PublicJWK)
	}
}

func TestPrivateKeyOnlyInSecretStore(t *testing.T) {
	e := newEnv(t)
	e.rotate(t, tenantA)
	keys, err := e.keys.Keys(context.Background(), tenantA)
	if err != nil || len(keys) != 1 {
		t.Fatalf("Keys = %v, %v", keys, err)
	}
	var members map[string]any
	if err := json.Unmarshal(keys[0].PublicJWK, &members); err != nil {
		t.Fatal(err)
	}
	for _, private := range []string{"d", "p", "q", "dp", "dq", "qi", "k"} {
		if _, ok := members[private]; ok {
			t.Errorf("PublicJWK in the database has private member %q", private)
		}
	}
	s, err := e.secrets.Get(context.Background(), token.PrivateKeyPath(tenantA, keys[0].KID))
	if err != nil || !strings.HasPrefix(s.Data["private_key"], "-----BEGIN PRIVATE KEY-----") {
		t.Errorf("secret store holds no PEM private key at PrivateKeyPath: %v", err)
	}
}

func TestRotationKeepsOldKeyVerifying(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	k1 := e.rotate(t, tenantA)
	old := e.sign(t, tenantA, e.claims())
	e.clock.Advance(cacheTTL)
	k2 := e.rotate(t, tenantA)

	set, err := e.m.JWKS(ctx, tenantA)
	if err != nil || len(set.Keys) != 2 || set.Keys[0].KID != k2.KID || set.Keys[1].KID != k1.KID {
		t.Fatalf("JWKS after rotation = %+v, %v; want %s then %s", set, err, k2.KID, k1.KID)
	}
	if _, err := e.m.Verify(ctx, tenantA, issuerA, audience, old); err != nil {
		t.Errorf("token of the passive key: %v", err)
	}
	if kid := decodeSegment(t, e.sign(t, tenantA, e.claims()), 0)["kid"]; kid != k1.KID {
		t.Errorf("right after rotation Sign used %v, want the passive %s until every replica publishes %s", kid, k1.KID, k2.KID)
	}
	e.clock.Advance(cacheTTL)
	fresh := e.sign(t, tenantA, e.claims())
	if kid := decodeSegment(t, fresh, 0)["kid"]; kid != k2.KID {
		t.Errorf("a CacheTTL after rotation Sign used %v, want %s", kid, k2.KID)
	}
	if _, err := e.m.Verify(ctx, tenantA, issuerA, audience, fresh); err != nil {
		t.Errorf("token of the new key: %v", err)
	}
}

func TestRetire(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	k1 := e.rotate(t, tenantA)
	old := e.sign(t, tenantA, e.claims())
	k2 := e.rotate(t, tenantA)
	if err := e.m.Retire(ctx, tenantA, k2.KID); err == nil {
		t.Error("Retire of the active key succeeded")
	}
	if err := e.m.Retire(ctx, tenantA, k1.KID); err != nil {
		t.Fatalf("Retire: %v", err)
	}
	set, err := e.m.JWKS(ctx, tenantA)
	if err != nil || len(set.Keys) != 1 || set.Keys[0].KID != k2.KID {
		t.Errorf("JWKS after retiring %s = %+v, %v", k1.KID, set, err)
	}
	if _, err := e.m.Verify(ctx, tenantA, issuerA, audience, old); !errors.Is(err, token.ErrInvalidToken) {
		t.Errorf("token of a retired key: %v, want ErrInvalidToken", err)
	}
	if _, err := e.secrets.Get(ctx, token.PrivateKeyPath(tenantA, k1.KID)); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("private key of a retired key: %v, want deleted", err)
	}
	if kid := decodeSegment(t, e.sign(t, tenantA, e.claims()), 0)["kid"]; kid != k2.KID {
		t.Errorf("after retiring the passive key Sign used %v, want %s", kid, k2.KID)
	}
}

func TestRotateFailureLeavesNoPrivateKey(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Rotate(context.Background(), "no-such-tenant"); err == nil {
		t.Fatal("Rotate for an unknown tenant succeeded")
	}
	if _, err := e.secrets.Get(context.Background(), token.PrivateKeyPath("no-such-tenant", "x")); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("unexpected secret store state: %v", err)
	}
	if e.secrets.puts.Load() != 1 || e.secrets.deletes.Load() != 1 {
		t.Errorf("puts %d, deletes %d: want the stored private key deleted again", e.secrets.puts.Load(), e.secrets.deletes.Load())
	}
}

func TestKeySetLoadedOncePerTTL(t *testing.T) {
	e := newEnv(t)
	e.rotate(t, tenantA)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { e.sign(t, tenantA, e.claims()) })
	}
	wg.Wait()
	if k, s := e.keys.reads.Load(), e.secrets.reads.Load(); k != 1 || s != 1 {
		t.Errorf("50 concurrent Signs read keys %d and secrets %d times, want once each", k, s)
	}
	e.clock.Advance(cacheTTL)
	e.sign(t, tenantA, e.claims())
	if k := e.keys.reads.Load(); k != 2 {
		t.Errorf("Sign after CacheTTL: %d key reads, want a second one", k)
	}
}

func TestRotationReachesOtherReplicaWithinTTL(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	replica := e.manager()
	e.rotate(t, tenantA)
	if set, _ := replica.JWKS(ctx, tenantA); len(set.Keys) != 1 {
		t.Fatalf("replica JWKS has %d keys", len(set.Keys))
	}
	e.clock.Advance(time.Second)
	k2 := e.rotate(t, tenantA)
	if set, _ := replica.JWKS(ctx, tenantA); len(set.Keys) != 1 {
		t.Errorf("replica JWKS changed before its cache expired")
	}
	e.clock.Advance(cacheTTL)
	if set, _ := replica.JWKS(ctx, tenantA); len(set.Keys) != 2 || set.Keys[0].KID != k2.KID {
		t.Errorf("replica JWKS a CacheTTL after rotation = %+v, want %s first", set, k2.KID)
	}
}

// decodeSegment decodes the JSON of a compact JWS segment (0 header, 1
// payload).
func decodeSegment(t *testing.T, raw string, i int) map[string]any {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", raw)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSignFailsWithoutItsPrivateKey(t *testing.T) {
	e := newEnv(t)
	k := e.rotate(t, tenantA)
	kb := e.rotate(t, tenantB)
	path := token.PrivateKeyPath(tenantA, k.KID)
	other, err := e.secrets.Get(context.Background(), token.PrivateKeyPath(tenantB, kb.KID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.secrets.Put(context.Background(), path, other.Data); err != nil {
		t.Fatal(err)
	}
	if _, err := e.manager().Sign(context.Background(), tenantA, e.claims()); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("Sign with a mismatched private key = %v", err)
	}
	if err := e.secrets.Delete(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	if _, err := e.manager().Sign(context.Background(), tenantA, e.claims()); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("Sign with the private key gone = %v, want ErrNotFound", err)
	}
}

// TestRotationDuringBurst signs tokens from several goroutines while the
// key is rotated again and again and time moves on; another replica, whose
// key set is cached as a replica's is, verifies every token as soon as it
// is signed, and again once the burst is over.
func TestRotationDuringBurst(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.rotate(t, tenantA)
	replica := e.manager()
	const signers, rotations = 8, 5
	var (
		mu     sync.Mutex
		tokens []string
		kids   = map[any]bool{}
		signed = make(chan struct{}) // a token signed while the test waits
		stop   = make(chan struct{})
		wg     sync.WaitGroup
	)
	errs := make(chan error, signers)
	for range signers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				raw, err := e.m.Sign(ctx, tenantA, e.claims())
				if err == nil {
					_, err = replica.Verify(ctx, tenantA, issuerA, audience, raw)
				}
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				tokens = append(tokens, raw)
				mu.Unlock()
				select {
				case signed <- struct{}{}:
				default:
				}
			}
		}()
	}
	// Each step waits for tokens signed after it, so every key in turn signs.
	waitForTokens := func(n int) {
		for range n {
			select {
			case <-signed:
			case err := <-errs:
				close(stop)
				wg.Wait()
				t.Fatalf("sign or verify during the burst: %v", err)
			}
		}
	}
	for range rotations {
		waitForTokens(20)
		e.clock.Advance(cacheTTL / 2)
		waitForTokens(20)
		e.rotate(t, tenantA)
	}
	waitForTokens(20)
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("sign or verify during the burst: %v", err)
	}

	late := e.manager()
	for _, raw := range tokens {
		kids[decodeSegment(t, raw, 0)["kid"]] = true
		if _, err := late.Verify(ctx, tenantA, issuerA, audience, raw); err != nil {
			t.Fatalf("after the burst, a token of key %v: %v", decodeSegment(t, raw, 0)["kid"], err)
		}
	}
	if len(kids) < 3 {
		t.Errorf("%d tokens were signed by %d keys across %d rotations; want the burst to span them", len(tokens), len(kids), rotations)
	}
}
