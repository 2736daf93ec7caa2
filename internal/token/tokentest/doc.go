// Package tokentest is the conformance suite of token.KeyStore, run by each
// backend's tests against a real database. Keys belong to tenants, so the
// suite takes a tenants.Store over the same data to create them; the
// KeyStore contract states its errors in tenants' error kinds.
package tokentest
