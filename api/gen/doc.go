// Package gen is generated from openapi.yaml by oapi-codegen (pinned in
// go.mod's tool directive; `go generate ./api/gen`): the admin API's types,
// its gin server interfaces (ServerInterface, and StrictServerInterface
// with typed answers) and the embedded document. Subpackage client is a Go
// client of the same API. Never edit these files by hand: change
// openapi.yaml and regenerate; a test fails when they are stale.
//
// The hosted-login, token and documentation endpoints are left out (only
// the admin tags are generated): hand-written handlers in api serve them.
package gen
