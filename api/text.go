package api

import (
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/tenants"
)

// storable reports whether s is text that both databases store and compare
// as written: UTF-8 without NUL. The SQL wxlogin writes refuses a NUL
// (which would read as an outage) and writes bytes that are not UTF-8 as
// U+FFFD, altering them; no identifier, code, state, cursor or name of
// wxlogin's is anything else.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// storableRule is what a field that is not storable must be.
const storableRule = "UTF-8 text without NUL characters"

// storableQuery refuses, 422 naming it, an admin API query parameter that
// is not storable, before any handler compares it with stored text (a
// filter's free text; a cursor is checked once decoded).
func storableQuery(c *gin.Context) {
	if name, found := unstorableParam(c.Request.URL.Query()); found {
		writeProblem(c, tenants.Invalid(name, storableRule))
	}
}

// unstorableParam names a parameter of values whose name or one of whose
// values is not storable.
func unstorableParam(values url.Values) (string, bool) {
	for name, vs := range values {
		if !storable(name) || slices.ContainsFunc(vs, func(v string) bool { return !storable(v) }) {
			return name, true
		}
	}
	return "", false
}
