// Package secrets keeps the values wxlogin must never put in its database:
// AppSecrets and private signing keys.
//
// Store has two implementations. Vault (HashiCorp Vault KV v2) is the
// production store; it logs in by itself (token, AppRole or Kubernetes
// auth), renews its token and logs in again when it must. Local, an
// AES-256-GCM encrypted directory guarded by a 0600 key file, is the
// embedded default for a single binary. Cached wraps either with a short
// read-through cache, which also serves the last value read, for a bounded
// time, while the store is unreachable. The conformance suite in
// secrets/secretstest runs against all of them, so they keep one contract:
//
//   - Paths are relative and slash-separated; see ValidatePath.
//   - Put appends a version (1, 2, …); Get reads the newest, GetVersion any
//     kept one; Delete drops every version, so a later Put starts at 1 again.
//   - Errors wrap ErrNotFound, ErrInvalidPath or ErrUnavailable where those
//     apply, and never carry a secret value.
package secrets
