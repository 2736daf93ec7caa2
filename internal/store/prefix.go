package store

import (
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// startingWith narrows q to the rows whose column starts with prefix
// (nothing when prefix is empty), as a range over the column's bytewise
// order (BINARY on SQLite, COLLATE "C" on PostgreSQL) so that an index on
// it serves the search: prefix ≤ column < the first string past every
// string starting with prefix.
func startingWith(q *bun.SelectQuery, column, prefix string) *bun.SelectQuery {
	if prefix == "" {
		return q
	}
	q = q.Where("? >= ?", bun.Ident(column), prefix)
	if end, ok := prefixEnd(prefix); ok {
		q = q.Where("? < ?", bun.Ident(column), end)
	}
	return q
}

// prefixEnd is the least string above every string starting with p, in
// code point (UTF-8 byte) order: p with its last character raised by one,
// after dropping trailing characters that cannot be raised. ok is false when
// none can (p is all U+10FFFF): then nothing bounds the range.
func prefixEnd(p string) (string, bool) {
	for p != "" {
		r, size := utf8.DecodeLastRuneInString(p)
		p = p[:len(p)-size]
		switch {
		case r == utf8.MaxRune:
			continue
		case r == 0xD7FF: // the surrogates in between are no characters
			return p + string(rune(0xE000)), true
		default:
			return p + string(r+1), true
		}
	}
	return "", false
}
