package api

import (
	"strings"
	"unicode/utf8"

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

// checkText refuses a free-text value that is not storable.
func checkText(field, v string) error {
	if !storable(v) {
		return tenants.Invalid(field, storableRule)
	}
	return nil
}
