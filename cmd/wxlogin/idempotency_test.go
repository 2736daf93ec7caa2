package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// idem is the header of a request sent with Idempotency-Key key.
func idem(key ...string) http.Header { return http.Header{"Idempotency-Key": key} }

// newAccountBody is a request body that creates the sandbox account appID.
func newAccountBody(appID string) map[string]any {
	return map[string]any{"appid": appID, "name": "New", "mode": "sandbox", "default_scope": "snsapi_base", "redirect_uris": []string{redirectURI}}
}

// itemCount counts the items of the list at path, which fits one page.
func (s *stack) itemCount(key, path string) int {
	s.t.Helper()
	res := s.admin(key, http.MethodGet, path, nil)
	var list struct{ Items []json.RawMessage }
	if res.status != http.StatusOK || json.Unmarshal(res.body, &list) != nil {
		s.t.Fatalf("GET %s: %d %s", path, res.status, res.body)
	}
	return len(list.Items)
}

// wantProblem fails t unless res is a problem of status and type kind.
func wantProblem(t *testing.T, what string, res adminCall, status int, kind string) {
	t.Helper()
	var p struct{ Type, Detail string }
	if res.status != status || json.Unmarshal(res.body, &p) != nil || p.Type != "https://wxlogin.dev/problems/"+kind {
		t.Errorf("%s: %d %s, want %d %s", what, res.status, res.body, status, kind)
	}
}

// TestAdminAPIIdempotency: a POST retried with its Idempotency-Key gets its
// first answer again and changes nothing more, per API key; another request
// with the key, and a retry of an answer that carried a secret, get 409.
func TestAdminAPIIdempotency(t *testing.T) {
	s := newStack(t, backends[0])
	operator := strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
	_, admin := s.keyValue(operator, tenantID, "admin", nil)
	_, admin2 := s.keyValue(operator, tenantID, "admin", nil)
	accounts := "/v1/tenants/" + tenantID + "/accounts"
	accountCount := func() int { return s.itemCount(admin, accounts+"?limit=200") }
	createEvents := func() int {
		return s.itemCount(admin, "/v1/tenants/"+tenantID+"/audit-events?action=account.create&limit=200")
	}

	t.Run("retry replays", func(t *testing.T) {
		before, events := accountCount(), createEvents()
		first := s.adminWith(admin, http.MethodPost, accounts, newAccountBody("wx00000000000000d1"), idem("create-d1"))
		if first.status != http.StatusCreated {
			t.Fatalf("create: %d %s", first.status, first.body)
		}
		again := s.adminWith(admin, http.MethodPost, accounts, newAccountBody("wx00000000000000d1"), idem("create-d1"))
		if again.status != first.status || !bytes.Equal(again.body, first.body) {
			t.Errorf("retry: %d %s, want %d %s", again.status, again.body, first.status, first.body)
		}
		for _, h := range []string{"Location", "ETag", "Content-Type"} {
			if again.header.Get(h) != first.header.Get(h) {
				t.Errorf("retry's %s = %q, want %q", h, again.header.Get(h), first.header.Get(h))
			}
		}
		if n := accountCount(); n != before+1 {
			t.Errorf("accounts: %d, want %d", n, before+1)
		}
		if n := createEvents(); n != events+1 {
			t.Errorf("account.create audit events: %d, want %d", n, events+1)
		}

		other := s.adminWith(admin, http.MethodPost, accounts, newAccountBody("wx00000000000000d2"), idem("create-d1"))
		wantProblem(t, "same key, other body", other, http.StatusConflict, "conflict")
		if n := accountCount(); n != before+1 {
			t.Errorf("accounts after the other body: %d, want %d", n, before+1)
		}
	})

	t.Run("client errors replay too", func(t *testing.T) {
		secrets := accounts + "/wx00000000000000d3/client-secrets"
		first := s.adminWith(admin, http.MethodPost, secrets, nil, idem("secret-d3"))
		wantProblem(t, "client secret of a missing account", first, http.StatusNotFound, "not-found")
		if res := s.admin(admin, http.MethodPost, accounts, newAccountBody("wx00000000000000d3")); res.status != http.StatusCreated {
			t.Fatalf("create the account: %d %s", res.status, res.body)
		}
		again := s.adminWith(admin, http.MethodPost, secrets, nil, idem("secret-d3"))
		if again.status != first.status || !bytes.Equal(again.body, first.body) {
			t.Errorf("retry: %d %s, want %d %s", again.status, again.body, first.status, first.body)
		}
		if n := s.itemCount(admin, secrets); n != 0 {
			t.Errorf("client secrets: %d, want 0", n)
		}
	})

	t.Run("conflicts are not kept", func(t *testing.T) {
		dup := s.adminWith(admin, http.MethodPost, accounts, newAccountBody(appB), idem("create-b"))
		wantProblem(t, "existing AppId", dup, http.StatusConflict, "conflict")
		s.deleteAccount(admin, appB)
		retry := s.adminWith(admin, http.MethodPost, accounts, newAccountBody(appB), idem("create-b"))
		if retry.status != http.StatusCreated {
			t.Errorf("retry once the AppId is free: %d %s", retry.status, retry.body)
		}
	})

	t.Run("secrets are never replayed", func(t *testing.T) {
		keys := "/v1/tenants/" + tenantID + "/api-keys"
		before := s.itemCount(admin, keys+"?limit=200")
		body := map[string]any{"name": "ci", "role": "viewer"}
		first := s.adminWith(admin, http.MethodPost, keys, body, idem("key-1"))
		if first.status != http.StatusCreated {
			t.Fatalf("create key: %d %s", first.status, first.body)
		}
		again := s.adminWith(admin, http.MethodPost, keys, body, idem("key-1"))
		wantProblem(t, "retried API key creation", again, http.StatusConflict, "conflict")
		if !strings.Contains(string(again.body), "shown only once") {
			t.Errorf("retry's detail does not say why: %s", again.body)
		}
		if n := s.itemCount(admin, keys+"?limit=200"); n != before+1 {
			t.Errorf("API keys: %d, want %d", n, before+1)
		}

		secrets := accounts + "/" + appA + "/client-secrets"
		if res := s.adminWith(admin, http.MethodPost, secrets, nil, idem("secret-1")); res.status != http.StatusCreated {
			t.Fatalf("create client secret: %d %s", res.status, res.body)
		}
		res := s.adminWith(admin, http.MethodPost, secrets, nil, idem("secret-1"))
		wantProblem(t, "retried client secret creation", res, http.StatusConflict, "conflict")
		if n := s.itemCount(admin, secrets); n != 1 {
			t.Errorf("client secrets: %d, want 1", n)
		}
	})

	t.Run("keys are per API key", func(t *testing.T) {
		before := accountCount()
		for i, k := range []string{admin, admin2} {
			res := s.adminWith(k, http.MethodPost, accounts, newAccountBody("wx00000000000000e"+string(rune('1'+i))), idem("shared"))
			if res.status != http.StatusCreated {
				t.Errorf("create with API key %d: %d %s", i, res.status, res.body)
			}
		}
		if n := accountCount(); n != before+2 {
			t.Errorf("accounts: %d, want %d", n, before+2)
		}
	})

	t.Run("bad keys", func(t *testing.T) {
		before := accountCount()
		body := newAccountBody("wx00000000000000f1")
		// openapi.yaml declares the key's form, so the validator refuses
		// a malformed one first: 422, naming the header.
		for name, key := range map[string]string{"256 characters": strings.Repeat("k", 256), "non-ASCII": "schlüssel", "a space": "a b", "empty": ""} {
			res := s.adminWith(admin, http.MethodPost, accounts, body, idem(key))
			wantProblem(t, name, res, http.StatusUnprocessableEntity, "validation")
			if !strings.Contains(string(res.body), "Idempotency-Key") {
				t.Errorf("%s: the problem does not name the header: %s", name, res.body)
			}
		}
		wantProblem(t, "two keys", s.adminWith(admin, http.MethodPost, accounts, body, idem("a", "b")), http.StatusBadRequest, "bad-request")
		if res := s.adminWith(admin, http.MethodPost, accounts, body, idem(strings.Repeat("k", 255))); res.status != http.StatusCreated {
			t.Errorf("255-character key: %d %s", res.status, res.body)
		}
		if n := accountCount(); n != before+1 {
			t.Errorf("accounts: %d, want %d", n, before+1)
		}
	})
}

// TestAdminAPIIdempotencyConcurrent sends one POST ten times at once: one
// runs, and the others get its answer or 409 while it is in flight.
func TestAdminAPIIdempotencyConcurrent(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := newStack(t, b)
			operator := strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
			_, admin := s.keyValue(operator, tenantID, "admin", nil)
			accounts := "/v1/tenants/" + tenantID + "/accounts"
			before := s.itemCount(admin, accounts+"?limit=200")

			const n = 10
			answers := make([]adminCall, n)
			var wg sync.WaitGroup
			for i := range answers {
				wg.Go(func() {
					answers[i] = s.adminWith(admin, http.MethodPost, accounts, newAccountBody("wx00000000000000c9"), idem("concurrent"))
				})
			}
			wg.Wait()
			var created []byte
			for i, res := range answers {
				switch res.status {
				case http.StatusCreated:
					if created != nil && !bytes.Equal(res.body, created) {
						t.Errorf("answer %d: %s, another 201 was %s", i, res.body, created)
					}
					created = res.body
				case http.StatusConflict:
					if !strings.Contains(string(res.body), "in progress") {
						t.Errorf("answer %d: %s, want the first's answer or in progress", i, res.body)
					}
				default:
					t.Errorf("answer %d: %d %s", i, res.status, res.body)
				}
			}
			if created == nil {
				t.Error("no request got 201")
			}
			if got := s.itemCount(admin, accounts+"?limit=200"); got != before+1 {
				t.Errorf("accounts: %d, want %d", got, before+1)
			}
			events := s.itemCount(admin, "/v1/tenants/"+tenantID+"/audit-events?action=account.create&limit=200")
			if events != 1 {
				t.Errorf("account.create audit events: %d, want 1", events)
			}
		})
	}
}
