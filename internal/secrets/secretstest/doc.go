// Package secretstest is the conformance suite every secrets.Store
// implementation runs: the same behaviour from Local, Vault and Cached.
package secretstest
