// Package spec holds openapi.yaml, the contract of wxlogin's HTTP API, and
// makes the running server keep it: Validator checks every admin request
// against the document before a handler runs, ValidateResponse lets tests
// check real answers against it, and Mount serves the document at
// /openapi.yaml and its reference page at /docs.
//
// openapi.yaml and docs.html here are copies made by `go generate` from the
// repository's openapi.yaml (docs.html by Redocly CLI, its scripts inlined so
// that /docs needs nothing but wxlogin); tests fail when they are stale.
package spec
