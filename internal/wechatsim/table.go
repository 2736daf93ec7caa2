package wechatsim

import "time"

// table is a map with bounded memory: entries are kept in insertion order;
// putting one first drops the oldest entries that are due for pruning, then
// evicts the oldest ones while the table is full. Callers must still check
// expiry on get: pruning is lazy and stops at the first entry not yet due.
type table[V any] struct {
	max   int
	items map[string]entry[V]
	order []string
}

type entry[V any] struct {
	val     V
	pruneAt time.Time
}

func newTable[V any](max int) *table[V] {
	return &table[V]{max: max, items: make(map[string]entry[V])}
}

func (t *table[V]) get(key string) (V, bool) {
	e, ok := t.items[key]
	return e.val, ok
}

// put stores val under a new key; it may be dropped from now on once now
// reaches pruneAt.
func (t *table[V]) put(key string, val V, pruneAt, now time.Time) {
	for len(t.order) > 0 && (len(t.items) >= t.max || !now.Before(t.items[t.order[0]].pruneAt)) {
		delete(t.items, t.order[0])
		t.order[0] = ""
		t.order = t.order[1:]
	}
	t.items[key] = entry[V]{val: val, pruneAt: pruneAt}
	t.order = append(t.order, key)
}
