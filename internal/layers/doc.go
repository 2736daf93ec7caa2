// Package layers holds the test that keeps wxlogin's imports going one way:
// cmd → api → domain (tenants, internal/login,
// internal/reports) → adapters (wechat,
// wechatsim, secrets, token, ratelimit) → leaf helpers, with internal/store importing
// the domain and never imported by it. The operational helpers
// (internal/metrics, internal/health) import none of these: the domain and
// adapters declare small observer interfaces, and cmd wires the helpers in.
package layers
