// Package sdk embeds wxlogin.js, the browser SDK of the hosted login, so
// that wxlogin serves it at Path: a dependency-free ES module a tenant's
// page imports (see README.md). The same file is the npm package
// described by package.json.
package sdk

import (
	_ "embed"
	"net/http"
)

// Path is where wxlogin serves the SDK.
const Path = "/sdk/wxlogin.js"

//go:embed wxlogin.js
var script []byte

// Serve answers GET Path with the module.
func Serve(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(script)
}
