package token_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/wxlogin/wxlogin/internal/token"
)

// jwksServer serves tenant A's JWKS from the Manager, as the jwks.json
// endpoint does.
func jwksServer(t *testing.T, e *env) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/t/acme/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		set, err := e.m.JWKS(r.Context(), tenantA)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestVerifyWithJWKS(t *testing.T) {
	e := newEnv(t)
	k1 := e.rotate(t, tenantA)
	e.rotate(t, tenantB)
	srv := jwksServer(t, e)
	url := srv.URL + "/t/acme/.well-known/jwks.json"
	ctx := context.Background()
	want := e.claims()
	raw := e.sign(t, tenantA, want)

	got, err := token.VerifyWithJWKS(ctx, srv.Client(), url, issuerA, audience, raw)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("VerifyWithJWKS = %+v, %v; want %+v", got, err, want)
	}
	if _, err := token.VerifyWithJWKS(ctx, srv.Client(), url, issuerA, "wx-other", raw); !errors.Is(err, token.ErrInvalidToken) {
		t.Errorf("wrong audience: %v, want ErrInvalidToken", err)
	}
	if _, err := token.VerifyWithJWKS(ctx, srv.Client(), url, issuerA, audience, e.sign(t, tenantB, e.claims())); !errors.Is(err, token.ErrInvalidToken) {
		t.Errorf("tenant B's token: %v, want ErrInvalidToken", err)
	}

	e.rotate(t, tenantA)
	if err := e.m.Retire(ctx, tenantA, k1.KID); err != nil {
		t.Fatal(err)
	}
	if _, err := token.VerifyWithJWKS(ctx, srv.Client(), url, issuerA, audience, raw); !errors.Is(err, token.ErrInvalidToken) {
		t.Errorf("token of a retired key: %v, want ErrInvalidToken", err)
	}
}

func TestVerifyWithJWKSUnreachable(t *testing.T) {
	e := newEnv(t)
	e.rotate(t, tenantA)
	srv := jwksServer(t, e)
	raw := e.sign(t, tenantA, e.claims())
	_, err := token.VerifyWithJWKS(context.Background(), srv.Client(), srv.URL+"/wrong", issuerA, audience, raw)
	if err == nil || errors.Is(err, token.ErrInvalidToken) {
		t.Errorf("JWKS answering 404: %v, want an error that does not blame the token", err)
	}
}
