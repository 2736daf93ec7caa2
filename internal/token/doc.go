// Package token signs wxlogin's access tokens and exposes the keys that
// verify them.
//
// Tokens are ES256 JWTs (RFC 7519, RFC 7518 §3.4). Each tenant has its own
// P-256 keys: the public half and the key's state live in the database
// (KeyStore, implemented by internal/store), the private half in the secret
// store at PrivateKeyPath, never in the database. A tenant's JWKS lists its
// active and passive keys.
//
// Rotation overlaps: Rotate makes a new active key and demotes the old one
// to passive, so tokens it signed keep verifying until Retire removes it.
// Each replica caches a tenant's key set for Config.CacheTTL, so a rotation
// made elsewhere reaches its JWKS within that time; for the same reason a
// new key starts signing only once it is CacheTTL old, and until then the
// newest passive key signs. Every replica's JWKS thus lists a key before
// any token carries its kid.
//
// Verification is pinned to ES256 and checks the issuer, the audience, exp
// (required), nbf and iat, with 30 seconds of leeway for clock skew.
package token
