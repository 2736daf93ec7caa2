package tenantstest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// withoutIDs returns events with their IDs cleared, failing t if one had
// none or two had the same.
func withoutIDs(t *testing.T, events []tenants.AuditEvent) []tenants.AuditEvent {
	t.Helper()
	seen := map[string]bool{}
	out := slices.Clone(events)
	for i := range out {
		if out[i].ID == "" || seen[out[i].ID] {
			t.Errorf("audit event %d has ID %q, empty or seen before", i, out[i].ID)
		}
		seen[out[i].ID] = true
		out[i].ID = ""
	}
	return out
}

func testAuditEvents(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	start := Now()
	at := func(minutes int) time.Time { return start.Add(time.Duration(minutes) * time.Minute) }
	event := func(tenantID string, minutes int, actor, action, target string) tenants.AuditEvent {
		return tenants.AuditEvent{
			TenantID: tenantID, At: at(minutes), ActorKeyID: actor, Action: action, Target: target,
			RequestID: fmt.Sprintf("req-%d", minutes), SourceIP: "203.0.113.9",
		}
	}
	ofA := []tenants.AuditEvent{
		event(tenantA.ID, 0, "key-1", "account.create", "accounts/wx1"),
		event(tenantA.ID, 1, "key-2", "account.update", "accounts/wx1"),
		event(tenantA.ID, 2, "key-1", "account.secret.set", "accounts/wx1"),
		event(tenantA.ID, 3, "key-1", "account.update", "accounts/wx2"),
	}
	ofB := event(tenantB.ID, 1, "key-9", "account.update", "accounts/wx1")
	operator := event("", 1, "", "tenant.create", "tenants/"+tenantA.ID)
	for _, e := range slices.Concat(ofA, []tenants.AuditEvent{ofB, operator}) {
		IsErr(t, "RecordAudit", s.RecordAudit(ctx, e), nil)
	}
	IsErr(t, "RecordAudit of an unknown tenant", s.RecordAudit(ctx, event("nobody", 0, "k", "a", "t")), tenants.ErrNotFound)

	// a is A's log as listed: newest first, with the IDs the store gave.
	a, err := s.ListAuditEvents(ctx, tenantA.ID, tenants.AuditFilter{})
	IsErr(t, "ListAuditEvents", err, nil)
	if len(a) != len(ofA) {
		t.Fatalf("tenant A has %d audit events, want %d", len(a), len(ofA))
	}
	newestFirst := slices.Clone(ofA)
	slices.Reverse(newestFirst)
	Equal(t, "tenant A's events, newest first", withoutIDs(t, a), newestFirst)

	for _, tc := range []struct {
		name     string
		tenantID string
		filter   tenants.AuditFilter
		want     []tenants.AuditEvent
	}{
		{name: "by action", tenantID: tenantA.ID, filter: tenants.AuditFilter{Action: "account.update"}, want: []tenants.AuditEvent{a[0], a[2]}},
		{name: "by actor", tenantID: tenantA.ID, filter: tenants.AuditFilter{ActorKeyID: "key-1"}, want: []tenants.AuditEvent{a[0], a[1], a[3]}},
		{name: "by target", tenantID: tenantA.ID, filter: tenants.AuditFilter{Target: "accounts/wx2"}, want: a[:1]},
		{name: "after", tenantID: tenantA.ID, filter: tenants.AuditFilter{After: at(0)}, want: a[:3]},
		{name: "before", tenantID: tenantA.ID, filter: tenants.AuditFilter{Before: at(3)}, want: a[1:]},
		{name: "between", tenantID: tenantA.ID, filter: tenants.AuditFilter{After: at(0), Before: at(3)}, want: a[1:3]},
		{name: "first page", tenantID: tenantA.ID, filter: tenants.AuditFilter{Limit: 2}, want: a[:2]},
		{name: "next page", tenantID: tenantA.ID, filter: tenants.AuditFilter{Cursor: a[1].ID, Limit: 2}, want: a[2:]},
		{name: "next page of a filter", tenantID: tenantA.ID, filter: tenants.AuditFilter{Action: "account.update", Cursor: a[0].ID}, want: a[2:3]},
		{name: "unknown tenant", tenantID: "nobody", want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListAuditEvents(ctx, tc.tenantID, tc.filter)
			IsErr(t, "ListAuditEvents", err, nil)
			EqualList(t, "ListAuditEvents", got, tc.want)
		})
	}

	for _, tc := range []struct {
		name     string
		tenantID string
		want     tenants.AuditEvent
	}{
		{name: "only the tenant's", tenantID: tenantB.ID, want: ofB},
		{name: "operator-level events under the empty tenant", tenantID: "", want: operator},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListAuditEvents(ctx, tc.tenantID, tenants.AuditFilter{})
			IsErr(t, "ListAuditEvents", err, nil)
			Equal(t, "ListAuditEvents", withoutIDs(t, got), []tenants.AuditEvent{tc.want})
		})
	}
}
