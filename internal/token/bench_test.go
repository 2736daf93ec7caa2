package token_test

import (
	"context"
	"testing"
)

func BenchmarkSign(b *testing.B) {
	e := newEnv(b)
	e.rotate(b, tenantA)
	c := e.claims()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.m.Sign(ctx, tenantA, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	e := newEnv(b)
	e.rotate(b, tenantA)
	raw := e.sign(b, tenantA, e.claims())
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.m.Verify(ctx, tenantA, issuerA, audience, raw); err != nil {
			b.Fatal(err)
		}
	}
}
