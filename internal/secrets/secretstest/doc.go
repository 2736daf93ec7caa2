// Package secretstest is the conformance suite every secrets.Store
// implementation runs: the same behaviour from Local, Vault and Cached;
// and Recorded, the store through which other packages' tests record the
// secrets they write for the secret scan.
package secretstest
