package tenants

// Page sizes shared by every list: the admin API promises them.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Page selects one page of a list in its stable order (keyset pagination):
// the page starts after the cursor and holds at most Size() items.
type Page struct {
	// After is the cursor: the key (the ID, or the AppID for accounts) of
	// the last item of the previous page; empty for the first page.
	After string
	// Limit is the page size: DefaultPageSize when zero or negative, at
	// most MaxPageSize.
	Limit int
}

// Size is the most items the page holds.
func (p Page) Size() int {
	switch {
	case p.Limit <= 0:
		return DefaultPageSize
	case p.Limit > MaxPageSize:
		return MaxPageSize
	}
	return p.Limit
}
