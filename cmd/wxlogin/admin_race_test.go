package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/secretscan"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/internal/testenv"
	"github.com/wxlogin/wxlogin/tenants"
)

// raceApp is the account the bursts of TestConcurrentAdminWrites write to.
// Each round registers it again, so an AppId whose deletion finished is
// taken anew.
const raceApp = "wxe0000000000000e5"

// Burst sizes: requests per round, from that many goroutines at once.
const (
	raceRequests   = 200
	raceGoroutines = 16
	raceRounds     = 4
)

// TestConcurrentAdminWrites sends bursts of admin writes to one account
// from many clients at once: updates with and without If-Match, AppSecret
// rotations, client secrets made and revoked, logins, and in every other
// round deletes of the account. Whatever the interleaving, the end state
// must be one that a serial order of the acknowledged requests gives,
// checked against the database and the secret store themselves: the
// acknowledged updates form one chain, each applied to the one before (and
// each If-Match names its predecessor); the account's AppSecret version is
// the last acknowledged rotation's and holds its value; after a delete no
// AppSecret, identity, client secret, person, login or audit-free write of
// the account is left, and no request sent after the delete was answered
// succeeded; every acknowledged write has its one audit event and nothing
// else has any; every person row is what the identities left make.
func TestConcurrentAdminWrites(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := newStack(t, b, unlimited("WXLOGIN_API_RATE=100000", "WXLOGIN_API_BURST=100000", "WXLOGIN_ACCOUNT_CACHE_TTL=0s")...)
			operator := strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
			_, admin := s.keyValue(operator, tenantID, "admin", nil)
			r := &adminRace{t: t, s: s, admin: admin, db: openSQL(t, s.dbURL), secrets: s.secretStore(t)}
			for round := range raceRounds {
				r.round(round, round%2 == 1)
			}
			s.assertNoSecrets(r.sent...)
		})
	}
}

// adminRace runs the rounds of TestConcurrentAdminWrites on one stack.
type adminRace struct {
	t       *testing.T
	s       *stack
	admin   string
	db      *sqlDB
	secrets secrets.Store
	// sent holds every AppSecret sent, none of which may be logged; each
	// is recorded for the secret scan as it is made (see send), as the
	// secret store no longer holds those of a deleted account at the end.
	sent []string

	mu sync.Mutex
	// created is the client secrets whose creation has been answered, the
	// ones a revoke may name.
	created []string
}

// raceOp is one request of a burst and its answer.
type raceOp struct {
	kind  string
	reqID string
	// ifMatch is the If-Match sent, if any; patch the update's body;
	// secret the AppSecret sent; target the client secret revoked.
	ifMatch, secret, target string
	patch                   map[string]any
	start, end              time.Time
	res                     adminCall
	// err: the request got no answer, or the login did not end with a
	// token.
	err error
}

// Kinds of raceOp, and how many of each a burst sends; rounds that delete
// the account send three "delete" among them (see plan).
var raceMix = []struct {
	kind string
	n    int
}{
	{"rename", 30}, // PATCH name, no If-Match
	{"ttl", 30},    // PATCH token_ttl_seconds, no If-Match
	{"uris", 30},   // GET, then PATCH redirect_uris with its ETag in If-Match
	{"stale", 10},  // PATCH name with the ETag from before the burst
	{"secret", 40}, // PUT the AppSecret
	{"create", 25}, // POST a client secret
	{"revoke", 25}, // DELETE a client secret whose creation was answered
	{"login", 10},  // a hosted login through the sandbox
}

var updateKinds = []string{"rename", "ttl", "uris", "stale"}

// auditAction is the audit action an acknowledged op records.
var auditAction = map[string]string{
	"rename": "account.update", "ttl": "account.update", "uris": "account.update", "stale": "account.update",
	"secret": "app_secret.put", "create": "client_secret.create", "revoke": "client_secret.revoke", "delete": "account.delete",
}

// answers lists each kind's possible answers; 404 only once a delete was
// acknowledged (checked apart).
var answers = map[string][]int{
	"rename": {200, 404}, "ttl": {200, 404}, "uris": {200, 404, 412}, "stale": {200, 404, 412},
	"secret": {200, 404}, "create": {201, 404}, "revoke": {204, 404}, "delete": {202, 404}, "login": {0},
}

func (r *adminRace) path(rest string) string {
	return "/v1/tenants/" + tenantID + "/accounts/" + raceApp + rest
}

// round sets the account up (an AppSecret, identities shared with another
// account, client secrets), sends one burst and checks what it left.
func (r *adminRace) round(n int, deleting bool) {
	t, s := r.t, r.s
	ctx := context.Background()
	decode[gen.Account](t, s.admin(r.admin, http.MethodPost, "/v1/tenants/"+tenantID+"/accounts", map[string]any{
		"appid": raceApp, "name": fmt.Sprintf("Race %d", n), "mode": "sandbox", "default_scope": "snsapi_userinfo",
		"redirect_uris": []string{redirectURI}, "open_platform_id": openPlatform,
	}), http.StatusCreated)
	r.putSecret(fmt.Sprintf("setup-%d", n))
	for k := range 4 {
		user := fmt.Sprintf("r%d-u%d", n, k)
		s.loginAs(ctx, newBrowser(), raceApp, user, "snsapi_userinfo")
		if k%2 == 0 {
			s.loginAs(ctx, newBrowser(), appSandbox, user, "snsapi_userinfo")
		}
	}
	s.loginAs(ctx, newBrowser(), raceApp, fmt.Sprintf("r%d-base", n), "snsapi_base")
	r.created = nil
	for range 3 {
		cs := decode[gen.ClientSecretCreated](t, s.admin(r.admin, http.MethodPost, r.path("/client-secrets"), nil), http.StatusCreated)
		r.created = append(r.created, cs.ID)
	}
	before := s.admin(r.admin, http.MethodGet, r.path(""), nil)
	initial := decode[gen.Account](t, before, http.StatusOK)

	from := time.Now()
	ops := r.plan(n, deleting, before.header.Get("ETag"))
	r.burst(ops)
	r.check(ops, initial, before.header.Get("ETag"), from)
}

// putSecret sets the AppSecret outside a burst.
func (r *adminRace) putSecret(label string) {
	value := r.secret("app-secret-" + label + "-" + opaque.Hex(8))
	decode[gen.SecretStatus](r.t, r.s.admin(r.admin, http.MethodPut, r.path("/secret"), map[string]string{"app_secret": value}), http.StatusOK)
}

// secret keeps value as an AppSecret the test sends, and returns it.
func (r *adminRace) secret(value string) string {
	r.sent = append(r.sent, value)
	testenv.RecordSecret(r.t, secretscan.AppSecret, value)
	return value
}

// plan makes round n's burst in a random order; rounds that delete send
// three deletes among rotations somewhere in its second half.
func (r *adminRace) plan(n int, deleting bool, staleETag string) []*raceOp {
	rng := rand.New(rand.NewPCG(uint64(n), 8))
	var ops []*raceOp
	for _, m := range raceMix {
		for range m.n {
			ops = append(ops, &raceOp{kind: m.kind})
		}
	}
	rng.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
	if deleting {
		// Among a run of rotations, so that they race the deletes.
		at := raceRequests/2 + rng.IntN(raceRequests/2-raceGoroutines)
		for i := range raceGoroutines {
			kind := "secret"
			if i%5 == 2 {
				kind = "delete"
			}
			ops[at+i] = &raceOp{kind: kind}
		}
	}
	for i, o := range ops {
		o.reqID = fmt.Sprintf("race-%d-%03d-%s", n, i, opaque.Hex(4))
		switch o.kind {
		case "rename":
			o.patch = map[string]any{"name": "name " + o.reqID}
		case "stale":
			o.patch, o.ifMatch = map[string]any{"name": "stale " + o.reqID}, staleETag
		case "ttl":
			o.patch = map[string]any{"token_ttl_seconds": 600 + n*1000 + i}
		case "uris":
			o.patch = map[string]any{"redirect_uris": []string{redirectURI, "https://" + tenantSite + "/r/" + o.reqID}}
		case "secret":
			o.secret = r.secret("app-secret-" + o.reqID)
		}
	}
	if len(ops) != raceRequests {
		r.t.Fatalf("a burst of %d requests, want %d", len(ops), raceRequests)
	}
	return ops
}

// burst sends ops from raceGoroutines goroutines at once, in order.
func (r *adminRace) burst(ops []*raceOp) {
	next := make(chan *raceOp)
	var wg sync.WaitGroup
	for range raceGoroutines {
		wg.Go(func() {
			for o := range next {
				r.send(o)
			}
		})
	}
	for _, o := range ops {
		next <- o
	}
	close(next)
	wg.Wait()
}

// send sends o and records its answer.
func (r *adminRace) send(o *raceOp) {
	s := r.s
	header := http.Header{"X-Request-Id": {o.reqID}}
	if o.kind == "uris" {
		got, err := s.tryAdmin(r.admin, http.MethodGet, r.path(""), nil, nil)
		if err != nil {
			o.err = err
			return
		}
		o.ifMatch = got.header.Get("ETag")
	}
	if o.ifMatch != "" {
		header.Set("If-Match", o.ifMatch)
	}
	o.start = time.Now()
	defer func() { o.end = time.Now() }()
	switch o.kind {
	case "login":
		if tr := s.tryLogin(context.Background(), raceApp, "login-"+o.reqID, "snsapi_userinfo"); !tr.ok() {
			o.err = errors.New(tr.String())
		}
	case "secret":
		o.res, o.err = s.tryAdmin(r.admin, http.MethodPut, r.path("/secret"), map[string]string{"app_secret": o.secret}, header)
	case "create":
		o.res, o.err = s.tryAdmin(r.admin, http.MethodPost, r.path("/client-secrets"), nil, header)
		var cs gen.ClientSecretCreated
		if o.err == nil && o.res.status == http.StatusCreated && json.Unmarshal(o.res.body, &cs) == nil {
			r.mu.Lock()
			r.created = append(r.created, cs.ID)
			r.mu.Unlock()
			o.target = cs.ID
		}
	case "revoke":
		r.mu.Lock()
		o.target = r.created[rand.IntN(len(r.created))]
		r.mu.Unlock()
		o.res, o.err = s.tryAdmin(r.admin, http.MethodDelete, r.path("/client-secrets/"+o.target), nil, header)
	case "delete":
		o.res, o.err = s.tryAdmin(r.admin, http.MethodDelete, r.path(""), nil, header)
	default:
		o.res, o.err = s.tryAdmin(r.admin, http.MethodPatch, r.path(""), o.patch, header)
	}
}

// acknowledged reports whether the op took effect by its answer.
func (o *raceOp) acknowledged() bool {
	if o.kind == "login" {
		return o.err == nil
	}
	return o.err == nil && o.res.status/100 == 2
}

// check holds the burst's answers and what it left against one serial
// order of the acknowledged requests.
func (r *adminRace) check(ops []*raceOp, initial gen.Account, initialETag string, from time.Time) {
	t := r.t
	var deleted *raceOp
	for _, o := range ops {
		switch {
		case o.err != nil && o.kind != "login":
			t.Errorf("%s %s: %v", o.kind, o.reqID, o.err)
		case o.kind != "login" && !slices.Contains(answers[o.kind], o.res.status):
			t.Errorf("%s %s: %d %s", o.kind, o.reqID, o.res.status, o.res.body)
		case o.kind == "delete" && o.acknowledged():
			if deleted != nil {
				t.Errorf("deletes %s and %s both acknowledged", deleted.reqID, o.reqID)
			}
			deleted = o
		}
	}
	acked, notFound := map[string]int{}, 0
	for _, o := range ops {
		if o.acknowledged() {
			acked[o.kind]++
		}
		if o.res.status == http.StatusNotFound {
			notFound++
		}
	}
	t.Logf("acknowledged: %v; 404: %d", acked, notFound)
	if deleted == nil {
		// Logins may fail: the sandbox, as WeChat would, takes only the
		// newest AppSecret, which a login that read the account before a
		// rotation does not send.
		for _, o := range ops {
			if o.res.status == http.StatusNotFound {
				t.Errorf("%s %s: 404 although the account was never deleted: %s", o.kind, o.reqID, o.res.body)
			}
		}
	} else {
		r.checkAfterDelete(ops, deleted)
	}
	last := r.checkUpdates(ops, initial, initialETag)
	r.checkSecret(ops, initial, deleted != nil)
	if deleted == nil {
		r.checkAccountRow(last)
		r.checkClientSecrets(ops)
	}
	r.checkAudit(ops, from)
	if deleted == nil {
		// The next round registers the account again.
		deleted = &raceOp{res: r.s.admin(r.admin, http.MethodDelete, r.path(""), nil)}
	}
	r.s.awaitDeletion(r.admin, deleted.res)
	r.checkGone()
	r.checkPersons()
}

// checkAfterDelete: nothing sent after the delete was answered succeeded,
// and nothing failed for want of the account before the delete was sent.
func (r *adminRace) checkAfterDelete(ops []*raceOp, deleted *raceOp) {
	for _, o := range ops {
		if o.start.After(deleted.end) && o.acknowledged() {
			r.t.Errorf("%s %s, sent %v after the delete was answered, succeeded: %d %s",
				o.kind, o.reqID, o.start.Sub(deleted.end), o.res.status, o.res.body)
		}
		if o.res.status == http.StatusNotFound && o.end.Before(deleted.start) {
			r.t.Errorf("%s %s: 404 before the delete was sent", o.kind, o.reqID)
		}
	}
}

// accountFields are an account's fields that updates change.
type accountFields struct {
	Name, Mode, Scope, OpenPlatform string
	URIs                            []string
	TTL                             int
}

func fieldsOf(a gen.Account) accountFields {
	return accountFields{Name: a.Name, Mode: string(a.Mode), Scope: string(a.DefaultScope), OpenPlatform: a.OpenPlatformID,
		URIs: a.RedirectUris, TTL: a.TokenTTLSeconds}
}

// with is f after the update patch.
func (f accountFields) with(patch map[string]any) accountFields {
	if v, ok := patch["name"]; ok {
		f.Name = v.(string)
	}
	if v, ok := patch["token_ttl_seconds"]; ok {
		f.TTL = v.(int)
	}
	if v, ok := patch["redirect_uris"]; ok {
		f.URIs = v.([]string)
	}
	return f
}

// checkUpdates: ordered by the time they changed the account, each
// acknowledged update answered the account before it with its own change
// applied, and its If-Match, if any, was the ETag of the one before. It
// returns the account's fields after the last.
func (r *adminRace) checkUpdates(ops []*raceOp, initial gen.Account, initialETag string) accountFields {
	type update struct {
		op      *raceOp
		account gen.Account
	}
	var chain []update
	for _, o := range ops {
		if slices.Contains(updateKinds, o.kind) && o.acknowledged() {
			var a gen.Account
			if err := json.Unmarshal(o.res.body, &a); err != nil {
				r.t.Fatalf("%s %s: %v", o.kind, o.reqID, err)
			}
			chain = append(chain, update{o, a})
		}
	}
	slices.SortFunc(chain, func(a, b update) int { return a.account.UpdatedAt.Compare(b.account.UpdatedAt) })
	prev, prevETag, prevAt := fieldsOf(initial), initialETag, initial.UpdatedAt
	for _, u := range chain {
		o := u.op
		if !u.account.UpdatedAt.After(prevAt) {
			r.t.Errorf("update %s changed the account at %v, not after the update before it (%v)", o.reqID, u.account.UpdatedAt, prevAt)
		}
		if want := prev.with(o.patch); !reflect.DeepEqual(fieldsOf(u.account), want) {
			r.t.Errorf("update %s answered\n%+v\nbut the update before it left\n%+v\nand it changed %v", o.reqID, fieldsOf(u.account), prev, o.patch)
		}
		if o.ifMatch != "" && o.ifMatch != prevETag {
			r.t.Errorf("update %s with If-Match %s succeeded on the account of ETag %s", o.reqID, o.ifMatch, prevETag)
		}
		prev, prevETag, prevAt = fieldsOf(u.account), o.res.header.Get("ETag"), u.account.UpdatedAt
	}
	if len(chain) == 0 {
		r.t.Error("no update was acknowledged")
	}
	return prev
}

// checkSecret: acknowledged rotations got distinct versions, each holding
// its value in the secret store; the account records the last one, the
// store's latest; after a delete the store holds nothing for the account.
func (r *adminRace) checkSecret(ops []*raceOp, initial gen.Account, deleted bool) {
	t := r.t
	ctx := context.Background()
	path := tenants.AppSecretPath(tenantID, raceApp)
	if deleted {
		return // checked once the deletion finished: see checkGone
	}
	versions := map[int]*raceOp{}
	for _, o := range ops {
		if o.kind != "secret" || !o.acknowledged() {
			continue
		}
		var st gen.SecretStatus
		if err := json.Unmarshal(o.res.body, &st); err != nil {
			t.Fatal(err)
		}
		if other := versions[st.Version]; other != nil {
			t.Errorf("rotations %s and %s both answered version %d", other.reqID, o.reqID, st.Version)
		}
		if st.Version <= initial.Secret.Version {
			t.Errorf("rotation %s answered version %d, not above %d", o.reqID, st.Version, initial.Secret.Version)
		}
		versions[st.Version] = o
		// Vault keeps the newest versions only (10 by default).
		got, err := r.secrets.GetVersion(ctx, path, st.Version)
		if !errors.Is(err, secrets.ErrNotFound) && (err != nil || got.Data["app_secret"] != o.secret) {
			t.Errorf("version %d of the AppSecret does not hold what %s sent (%v)", st.Version, o.reqID, err)
		}
	}
	if len(versions) == 0 {
		t.Fatal("no rotation was acknowledged")
	}
	newest := slices.Max(slices.Collect(func(yield func(int) bool) {
		for v := range versions {
			if !yield(v) {
				return
			}
		}
	}))
	var recorded int
	r.db.row(t, "SELECT secret_version FROM accounts WHERE tenant_id = ? AND app_id = ?", []any{tenantID, raceApp}, &recorded)
	if recorded != newest {
		t.Errorf("the account records AppSecret version %d, the last acknowledged rotation made %d", recorded, newest)
	}
	latest, err := r.secrets.Get(ctx, path)
	if err != nil || latest.Version != newest || latest.Data["app_secret"] != versions[newest].secret {
		t.Errorf("the secret store's latest AppSecret is version %d (%v), want %d as %s sent it", latest.Version, err, newest, versions[newest].reqID)
	}
}

// checkAccountRow: the database holds the account as the last
// acknowledged update left it.
func (r *adminRace) checkAccountRow(want accountFields) {
	var name, uris string
	var ttl int
	r.db.row(r.t, "SELECT name, redirect_uris, token_ttl_seconds FROM accounts WHERE tenant_id = ? AND app_id = ?",
		[]any{tenantID, raceApp}, &name, &uris, &ttl)
	got := want
	got.Name, got.TTL, got.URIs = name, ttl, nil
	if err := json.Unmarshal([]byte(uris), &got.URIs); err != nil {
		r.t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		r.t.Errorf("the account row is\n%+v\nthe last acknowledged update answered\n%+v", got, want)
	}
}

// checkClientSecrets: the account has the client secrets made before the
// burst and those whose creation was acknowledged, and those whose
// revocation was acknowledged are revoked, and only those.
func (r *adminRace) checkClientSecrets(ops []*raceOp) {
	want := map[string]bool{} // ID → revoked
	for _, id := range r.created {
		want[id] = false
	}
	for _, o := range ops {
		if o.kind == "revoke" && o.acknowledged() {
			want[o.target] = true
		}
	}
	got := map[string]bool{}
	rows := r.db.query(r.t, "SELECT id, revoked_at IS NOT NULL FROM client_secrets WHERE tenant_id = ? AND app_id = ?", tenantID, raceApp)
	for rows.Next() {
		var id string
		var revoked bool
		if err := rows.Scan(&id, &revoked); err != nil {
			r.t.Fatal(err)
		}
		got[id] = revoked
	}
	if err := rows.Close(); err != nil {
		r.t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		r.t.Errorf("client secrets (ID → revoked):\n got %v\nwant %v", got, want)
	}
}

// accountTables are the tables whose rows name an account by app_id.
var accountTables = []string{"accounts", "identities", "login_events", "client_secrets", "login_transactions", "auth_codes", "refresh_tokens"}

// checkGone: nothing of the deleted account is left in the database or
// the secret store.
func (r *adminRace) checkGone() {
	t := r.t
	for _, table := range accountTables {
		if n := r.db.count(t, "SELECT COUNT(*) FROM "+table+" WHERE tenant_id = ? AND app_id = ?", tenantID, raceApp); n != 0 {
			t.Errorf("%d rows of %s are the deleted account's", n, table)
		}
	}
	if n := r.db.count(t, "SELECT COUNT(*) FROM persons WHERE tenant_id = ? AND accounts LIKE ?", tenantID, "%"+raceApp+"%"); n != 0 {
		t.Errorf("%d persons are still in the deleted account", n)
	}
	if _, err := r.secrets.Get(context.Background(), tenants.AppSecretPath(tenantID, raceApp)); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("the deleted account's AppSecret: %v, want it gone", err)
	}
}

// checkAudit: each acknowledged write has one audit event, of its action
// and target, and nothing else since the burst began has any.
func (r *adminRace) checkAudit(ops []*raceOp, from time.Time) {
	t := r.t
	type event struct{ action, target string }
	events := map[string][]event{}
	rows := r.db.query(t, "SELECT request_id, action, target FROM audit_events WHERE tenant_id = ? AND at >= ?", tenantID, from.UTC())
	for rows.Next() {
		var id string
		var e event
		if err := rows.Scan(&id, &e.action, &e.target); err != nil {
			t.Fatal(err)
		}
		events[id] = append(events[id], e)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	for _, o := range ops {
		got := events[o.reqID]
		delete(events, o.reqID)
		var want []event
		if o.kind != "login" && o.acknowledged() {
			target := "account:" + raceApp
			if o.kind == "create" || o.kind == "revoke" {
				target = "client_secret:" + o.target
			}
			want = []event{{auditAction[o.kind], target}}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s (%d): audit events %v, want %v", o.kind, o.reqID, o.res.status, got, want)
		}
	}
	for id, e := range events {
		t.Errorf("audit events %v of request %q, which the burst did not send", e, id)
	}
}

// checkPersons: the tenant's person rows are what its identities make:
// one per unionid (or identity without one), in exactly the accounts of
// its identities.
func (r *adminRace) checkPersons() {
	t := r.t
	want := map[string][]string{}
	rows := r.db.query(t, "SELECT id, app_id, unionid FROM identities WHERE tenant_id = ?", tenantID)
	for rows.Next() {
		var id, appID string
		var unionID sql.NullString
		if err := rows.Scan(&id, &appID, &unionID); err != nil {
			t.Fatal(err)
		}
		person := "i:" + id
		if unionID.Valid {
			person = unionID.String
		}
		if !slices.Contains(want[person], appID) {
			want[person] = append(want[person], appID)
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	rows = r.db.query(t, "SELECT person, accounts FROM persons WHERE tenant_id = ?", tenantID)
	for rows.Next() {
		var person, accounts string
		if err := rows.Scan(&person, &accounts); err != nil {
			t.Fatal(err)
		}
		got[person] = strings.Fields(accounts)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	for p := range want {
		slices.Sort(want[p])
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("persons (person → accounts):\n got %v\nwant %v", got, want)
	}
}

// secretStore opens the stack's secret store beside wxlogin: its Vault
// prefix, or its local store's directory.
func (s *stack) secretStore(t *testing.T) secrets.Store {
	t.Helper()
	if prefix := s.setting("WXLOGIN_VAULT_PREFIX"); prefix != "" {
		addr, tok := testenv.Vault(t)
		v, err := secrets.NewVault(secrets.VaultConfig{Address: addr, Token: tok, Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(v.Close)
		return v
	}
	l, err := secrets.OpenLocal(filepath.Join(s.setting("WXLOGIN_DATA_DIR"), "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// sqlDB reads a stack's database directly, with ? placeholders on both
// dialects.
type sqlDB struct {
	db *sql.DB
	pg bool
}

func openSQL(t *testing.T, dbURL string) *sqlDB {
	t.Helper()
	db, err := store.Open(context.Background(), dbURL, store.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return &sqlDB{db: db.SQL(), pg: db.Dialect() == store.DialectPostgres}
}

// rebind numbers the placeholders for PostgreSQL.
func (d *sqlDB) rebind(query string) string {
	if !d.pg {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (d *sqlDB) query(t *testing.T, query string, args ...any) *sql.Rows {
	t.Helper()
	rows, err := d.db.Query(d.rebind(query), args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return rows
}

// row scans the one row query selects into dest.
func (d *sqlDB) row(t *testing.T, query string, args []any, dest ...any) {
	t.Helper()
	if err := d.db.QueryRow(d.rebind(query), args...).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (d *sqlDB) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	d.row(t, query, args, &n)
	return n
}

// TestAccountDeletionSurvivesRestart deletes an account with identities
// shared with another account and stops wxlogin while the background purge
// is halfway (two identities a batch, a pause between batches): the
// deletion is recorded unfinished; started again (on PostgreSQL as two
// replicas on one database), wxlogin finishes it, all on one replica, and
// nothing of the account is left while the persons rows are what the
// identities left make.
func TestAccountDeletionSurvivesRestart(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := newStack(t, b, "WXLOGIN_DELETE_BATCH_SIZE=2", "WXLOGIN_DELETE_BATCH_PAUSE=150ms", "WXLOGIN_LOG_LEVEL=debug")
			ctx := context.Background()
			operator := strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
			_, admin := s.keyValue(operator, tenantID, "admin", nil)
			r := &adminRace{t: t, s: s, admin: admin, db: openSQL(t, s.dbURL), secrets: s.secretStore(t)}
			decode[gen.Account](t, s.admin(admin, http.MethodPost, "/v1/tenants/"+tenantID+"/accounts", map[string]any{
				"appid": raceApp, "name": "Restarted", "mode": "sandbox", "default_scope": "snsapi_userinfo",
				"redirect_uris": []string{redirectURI}, "open_platform_id": openPlatform,
			}), http.StatusCreated)
			r.putSecret("restart")
			const identities = 12
			for k := range identities {
				user := fmt.Sprintf("restart-%d", k)
				s.loginAs(ctx, newBrowser(), raceApp, user, "snsapi_userinfo")
				if k%3 == 0 {
					s.loginAs(ctx, newBrowser(), appSandbox, user, "snsapi_userinfo")
				}
			}

			res := s.admin(admin, http.MethodDelete, r.path(""), nil)
			deletion := decode[gen.AccountDeletion](t, res, http.StatusAccepted)
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				d := decode[gen.AccountDeletion](t, s.admin(admin, http.MethodGet, res.header.Get("Location"), nil), http.StatusOK)
				if d.IdentitiesDeleted >= 2 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the purge did not start: %+v", d)
				}
			}
			s.process.stop(t)
			var deleted int
			var finished sql.NullTime
			r.db.row(t, "SELECT identities, finished_at FROM account_deletions WHERE id = ?", []any{deletion.ID}, &deleted, &finished)
			if finished.Valid || deleted >= identities {
				t.Fatalf("the purge was not stopped midway: %d identities deleted, finished %v", deleted, finished)
			}

			replicas := []*process{s.start([]string{"serve"}, "listening")}
			if !strings.HasPrefix(s.dbURL, "sqlite:") {
				second := *s
				second.env = append(slices.Clip(s.env), "WXLOGIN_HTTP_ADDR=127.0.0.1:"+freePort(t))
				replicas = append(replicas, second.start([]string{"serve"}, "listening"))
			}
			s.waitHealthy()
			d := s.awaitDeletion(admin, res)
			if d.IdentitiesDeleted != identities || d.LoginEventsDeleted != identities {
				t.Errorf("the deletion removed %d identities and %d login events, want %d of each", d.IdentitiesDeleted, d.LoginEventsDeleted, identities)
			}
			var purging []int // batches each replica logged
			for _, p := range replicas {
				if n := strings.Count(p.output(), `"msg":"purged a batch of a deleted account"`); n > 0 {
					purging = append(purging, n)
				}
			}
			if len(purging) != 1 {
				t.Errorf("batches logged by each replica that purged: %v, want all by one", purging)
			}
			r.checkGone()
			r.checkPersons()
		})
	}
}
