package main

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/api/gen"
)

// TestAdminAPIReports: the reports over HTTP agree with the logins made.
func TestAdminAPIReports(t *testing.T) {
	s := newStack(t, backends[0])
	ctx := context.Background()
	operator := strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
	_, viewer := s.keyValue(operator, tenantID, "viewer", nil)
	alice := newBrowser()
	s.loginAs(ctx, alice, appA, "alice", "snsapi_userinfo")
	s.loginAs(ctx, alice, appB, "alice", "snsapi_userinfo")
	s.loginAs(ctx, newBrowser(), appA, "bob", "snsapi_userinfo")
	s.loginAs(ctx, newBrowser(), appA, "carol", "snsapi_base") // no unionid: a person of her own

	base := "/v1/tenants/" + tenantID + "/reports"
	now := time.Now().UTC()
	window := url.Values{"from": {now.Add(-time.Hour).Format(time.RFC3339)}, "to": {now.Add(time.Hour).Format(time.RFC3339)}}
	sum := decode[gen.ReportSummary](t, s.admin(viewer, http.MethodGet, base+"/summary?"+window.Encode(), nil), http.StatusOK)
	counts := func(app string, identities, with, without, persons, logins, active int64) gen.ReportCounts {
		return gen.ReportCounts{Appid: app, Identities: identities, WithUnionid: with, WithoutUnionid: without, Persons: persons, Logins: logins, ActivePersons: active}
	}
	if want := counts("", 4, 3, 1, 3, 4, 3); sum.Total != want {
		t.Errorf("total %+v, want %+v", sum.Total, want)
	}
	wantAccounts := []gen.ReportCounts{counts(appA, 3, 2, 1, 3, 3, 3), counts(appB, 1, 1, 0, 1, 1, 1), counts(appSandbox, 0, 0, 0, 0, 0, 0)}
	if !reflect.DeepEqual(sum.Accounts, wantAccounts) {
		t.Errorf("accounts %+v, want %+v", sum.Accounts, wantAccounts)
	}

	overlap := decode[gen.ReportOverlap](t, s.admin(viewer, http.MethodGet, base+"/overlap", nil), http.StatusOK)
	want := gen.ReportOverlap{Appids: []string{appA, appB, appSandbox}, Both: [][]int64{{3, 1, 0}, {1, 1, 0}, {0, 0, 0}}, OnlyOne: []int64{2, 0, 0}}
	if !reflect.DeepEqual(overlap, want) {
		t.Errorf("overlap %+v, want %+v", overlap, want)
	}

	missing := decode[gen.AccountsWithoutUnionID](t, s.admin(viewer, http.MethodGet, base+"/accounts-without-unionid", nil), http.StatusOK)
	if len(missing.Appids) != 0 {
		t.Errorf("accounts without unionid: %v, want none", missing.Appids)
	}

	persons := decode[gen.PersonList](t, s.admin(viewer, http.MethodGet, base+"/persons", nil), http.StatusOK)
	if len(persons.Items) != 2 || persons.NextCursor != nil {
		t.Fatalf("persons %+v, want alice and bob (carol has no unionid)", persons)
	}
	var alicePerson gen.Person
	for _, p := range persons.Items {
		if len(p.Accounts) == 2 {
			alicePerson = p
		}
	}
	if alicePerson.Unionid == "" || alicePerson.FirstAppid != appA || alicePerson.Logins != 2 ||
		alicePerson.Accounts[0].Appid != appA || alicePerson.Accounts[1].Appid != appB {
		t.Errorf("alice across accounts: %+v", alicePerson)
	}
	one := decode[gen.Person](t, s.admin(viewer, http.MethodGet, base+"/persons/"+alicePerson.Unionid, nil), http.StatusOK)
	if !reflect.DeepEqual(one, alicePerson) {
		t.Errorf("person by unionid %+v, want %+v", one, alicePerson)
	}
	if res := s.admin(viewer, http.MethodGet, base+"/persons/ounknown", nil); res.status != http.StatusNotFound {
		t.Errorf("unknown person: %d", res.status)
	}
	csv := s.adminWith(viewer, http.MethodGet, base+"/persons", nil, http.Header{"Accept": {"text/csv"}})
	lines := strings.Split(strings.TrimSpace(string(csv.body)), "\n")
	if csv.status != http.StatusOK || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") || len(lines) != 3 ||
		lines[0] != "unionid,first_appid,first_login_at,last_login_at,logins,accounts" || !strings.Contains(string(csv.body), appA+":") {
		t.Errorf("CSV export: %d %q\n%s", csv.status, csv.header.Get("Content-Type"), csv.body)
	}

	// Activity by day in Beijing time: today's bucket holds the 4 logins of
	// 3 new persons (alice, bob, carol); every account is listed.
	today := time.Now().In(time.FixedZone("CST", 8*3600))
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, today.Location())
	day := url.Values{"from": {midnight.Format(time.RFC3339)}, "to": {midnight.Add(24 * time.Hour).Format(time.RFC3339)}, "interval": {"day"}}
	act := decode[gen.ReportActivity](t, s.admin(viewer, http.MethodGet, base+"/activity?"+day.Encode(), nil), http.StatusOK)
	if len(act.Total.Buckets) != 1 || act.Total.Buckets[0].Logins != 4 || act.Total.Buckets[0].NewPersons != 3 ||
		act.Total.Buckets[0].ActivePersons != 3 || len(act.Accounts) != 3 || act.TimeZone != "Asia/Shanghai" {
		t.Errorf("activity %+v", act)
	}
	actCSV := s.adminWith(viewer, http.MethodGet, base+"/activity?"+day.Encode(), nil, http.Header{"Accept": {"text/csv"}})
	if rows := strings.Split(strings.TrimSpace(string(actCSV.body)), "\n"); actCSV.status != http.StatusOK || len(rows) != 5 {
		t.Errorf("activity CSV: %d\n%s", actCSV.status, actCSV.body)
	}
	if res := s.admin(viewer, http.MethodGet, base+"/activity?"+day.Encode()+"&time_zone=Mars/Olympus", nil); res.status != http.StatusUnprocessableEntity {
		t.Errorf("unknown time zone: %d %s", res.status, res.body)
	}

	// A tenant in another time zone gets its days by default.
	if res := s.admin(operator, http.MethodPatch, "/v1/tenants/"+tenantID, map[string]string{"time_zone": "America/Los_Angeles"}); res.status != http.StatusOK {
		t.Fatalf("set the tenant's time zone: %d %s", res.status, res.body)
	}
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	act = decode[gen.ReportActivity](t, s.admin(viewer, http.MethodGet, base+"/activity?"+day.Encode(), nil), http.StatusOK)
	if act.TimeZone != "America/Los_Angeles" || len(act.Total.Buckets) == 0 || act.Total.Buckets[0].Start.In(la).Hour() != 0 {
		t.Errorf("activity of a tenant in Los Angeles: %+v", act)
	}

	backwards := url.Values{"from": window["to"], "to": window["from"]}
	if res := s.admin(viewer, http.MethodGet, base+"/summary?"+backwards.Encode(), nil); res.status != http.StatusUnprocessableEntity {
		t.Errorf("window ending before it starts: %d %s, want 422", res.status, res.body)
	}
}
