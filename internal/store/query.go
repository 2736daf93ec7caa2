package store

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

// whereQuery is any bun query that takes WHERE conditions.
type whereQuery[Q any] interface {
	Where(query string, args ...any) Q
}

// ownedBy narrows q to the rows of tenantID or, when tenantID is empty, to
// the operator's rows, whose tenant_id is NULL.
func ownedBy[Q whereQuery[Q]](q Q, tenantID string) Q {
	if tenantID == "" {
		return q.Where("tenant_id IS NULL")
	}
	return q.Where("tenant_id = ?", tenantID)
}

// filter is an optional condition of a list: column = value, unless value
// is empty.
type filter struct{ column, value string }

// matching narrows q to the rows that meet every filter with a value.
func matching(q *bun.SelectQuery, filters ...filter) *bun.SelectQuery {
	for _, f := range filters {
		if f.value != "" {
			q = q.Where("? = ?", bun.Ident(f.column), f.value)
		}
	}
	return q
}

// within narrows q to the rows whose column lies strictly between after and
// before; a zero bound does not narrow.
func within(q *bun.SelectQuery, column string, after, before time.Time) *bun.SelectQuery {
	if !after.IsZero() {
		q = q.Where("? > ?", bun.Ident(column), after)
	}
	if !before.IsZero() {
		q = q.Where("? < ?", bun.Ident(column), before)
	}
	return q
}

// order is the direction a list runs along its key.
type order struct{ past, dir string }

var (
	ascending  = order{past: ">", dir: "ASC"}
	descending = order{past: "<", dir: "DESC"}
)

// paged narrows q to page p of a list running in o along key, a unique
// column: the rows past the cursor, in order, at most p.Size() of them.
func paged(q *bun.SelectQuery, key string, o order, p tenants.Page) *bun.SelectQuery {
	if p.After != "" {
		q = q.Where("? "+o.past+" ?", bun.Ident(key), p.After)
	}
	return q.OrderExpr("? "+o.dir, bun.Ident(key)).Limit(int64(p.Size()))
}
