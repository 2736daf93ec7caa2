// Package memo caches the results of slow loads (a Vault read, a database
// query) in memory for a bounded time, and makes concurrent callers that
// miss the same key share one load.
//
// It depends only on the standard library, so any package may use it; it
// lives here because the secret cache needed it first.
package memo
