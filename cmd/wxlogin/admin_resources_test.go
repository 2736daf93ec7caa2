package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/internal/token"
)

// decode unmarshals an admin answer, failing on an unexpected status.
func decode[T any](t *testing.T, res adminCall, want int) T {
	t.Helper()
	var v T
	if res.status != want {
		t.Fatalf("got %d %s, want %d", res.status, res.body, want)
	}
	if want != http.StatusNoContent {
		if err := json.Unmarshal(res.body, &v); err != nil {
			t.Fatalf("decode %s: %v", res.body, err)
		}
	}
	return v
}

// TestAdminAPIResources drives the rest of the admin API over HTTP: client
// secrets, identities and person erasure, signing keys, the audit log and
// disabling a tenant, each checked by its effect on logins and tokens.
func TestAdminAPIResources(t *testing.T) {
	s := newStack(t, backends[0])
	ctx := context.Background()
	operator := strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
	_, admin := s.keyValue(operator, tenantID, "admin", nil)
	base := "/v1/tenants/" + tenantID

	t.Run("client secrets", func(t *testing.T) {
		cs := decode[gen.ClientSecretCreated](t, s.admin(admin, http.MethodPost, base+"/accounts/"+appA+"/client-secrets", nil), http.StatusCreated)
		redeem := func() int {
			p := s.authorize(ctx, newBrowser(), s.loginURL(appA, "snsapi_base", "cs", ""), "mia")
			status, _ := s.redeem(url.Values{"grant_type": {"authorization_code"}, "code": {p.URL.Query().Get("code")}, "redirect_uri": {redirectURI}}, cs.ClientID, cs.ClientSecret)
			return status
		}
		if status := redeem(); status != http.StatusOK {
			t.Fatalf("token with the API-made client secret: %d", status)
		}
		decode[struct{}](t, s.admin(admin, http.MethodDelete, base+"/accounts/"+appA+"/client-secrets/"+cs.ID, nil), http.StatusNoContent)
		if status := redeem(); status != http.StatusUnauthorized {
			t.Errorf("token with a revoked client secret: %d, want 401", status)
		}
	})

	t.Run("identities and erasure", func(t *testing.T) {
		br := newBrowser()
		nora := s.loginAs(ctx, br, appA, "nora", "snsapi_userinfo")
		s.loginAs(ctx, br, appB, "nora", "snsapi_userinfo")
		list := decode[gen.IdentityList](t, s.admin(admin, http.MethodGet, base+"/identities?unionid="+nora.UnionID, nil), http.StatusOK)
		if len(list.Items) != 2 {
			t.Fatalf("identities of nora's unionid: %+v", list.Items)
		}
		for prefix, want := range map[string]int{"nor": 2, "nora": 2, "Nor": 0, "norah": 0} {
			byName := decode[gen.IdentityList](t, s.admin(admin, http.MethodGet, base+"/identities?nickname="+prefix, nil), http.StatusOK)
			if len(byName.Items) != want || (want > 0 && byName.Items[0].Unionid != nora.UnionID) {
				t.Errorf("identities whose nickname starts with %q: %+v, want %d of nora's", prefix, byName.Items, want)
			}
		}
		one := decode[gen.Identity](t, s.admin(admin, http.MethodGet, base+"/identities/"+nora.Subject, nil), http.StatusOK)
		if one.Openid != nora.OpenID || one.Unionid != nora.UnionID || one.LoginCount != 1 {
			t.Errorf("identity %+v, want openid %s", one, nora.OpenID)
		}
		page := decode[gen.IdentityList](t, s.admin(admin, http.MethodGet, base+"/identities?limit=1", nil), http.StatusOK)
		if len(page.Items) != 1 || page.NextCursor == nil {
			t.Fatalf("first page of 1: %+v", page)
		}
		next := decode[gen.IdentityList](t, s.admin(admin, http.MethodGet, base+"/identities?limit=1&cursor="+*page.NextCursor, nil), http.StatusOK)
		if len(next.Items) != 1 || next.Items[0].ID == page.Items[0].ID {
			t.Errorf("second page %+v repeats or is empty", next)
		}
		erased := decode[gen.PersonErasure](t, s.admin(admin, http.MethodDelete, base+"/persons/"+nora.UnionID, nil), http.StatusOK)
		if erased.IdentitiesErased != 2 || erased.LoginEventsErased != 2 {
			t.Errorf("erasure %+v, want 2 identities and 2 login events", erased)
		}
		if res := s.admin(admin, http.MethodGet, base+"/identities/"+nora.Subject, nil); res.status != http.StatusNotFound {
			t.Errorf("erased identity: %d", res.status)
		}
	})

	t.Run("signing keys", func(t *testing.T) {
		raw := s.loginRaw(ctx, newBrowser(), appA, "omar", "snsapi_base") // signed by the first key
		keys := decode[gen.SigningKeyList](t, s.admin(admin, http.MethodGet, base+"/signing-keys", nil), http.StatusOK)
		if len(keys.Items) != 1 || keys.Items[0].State != "active" {
			t.Fatalf("keys of a new tenant: %+v", keys.Items)
		}
		old := keys.Items[0].Kid
		rotated := decode[gen.SigningKey](t, s.admin(admin, http.MethodPost, base+"/signing-keys", nil), http.StatusCreated)
		if rotated.Kid == old || rotated.State != "active" {
			t.Fatalf("rotated key %+v", rotated)
		}
		if res := s.admin(admin, http.MethodDelete, base+"/signing-keys/"+rotated.Kid, nil); res.status != http.StatusUnprocessableEntity {
			t.Errorf("retiring the active key: %d %s, want 422", res.status, res.body)
		}
		s.verify(ctx, appA, raw) // the passive key still verifies through the JWKS
		decode[struct{}](t, s.admin(admin, http.MethodDelete, base+"/signing-keys/"+old, nil), http.StatusNoContent)
		iss := s.public + "/t/" + tenantID
		if _, err := token.VerifyWithJWKS(ctx, http.DefaultClient, iss+"/.well-known/jwks.json", iss, appA, raw); err == nil {
			t.Errorf("a token of the retired key %s still verifies through the JWKS", old)
		}
	})

	t.Run("If-Match", func(t *testing.T) {
		path := base + "/accounts/" + appB
		tag := s.admin(admin, http.MethodGet, path, nil).header.Get("ETag")
		if tag == "" {
			t.Fatal("no ETag on an account")
		}
		stale := s.adminWith(admin, http.MethodPatch, path, map[string]any{"name": "Stale"}, http.Header{"If-Match": {`"0"`}})
		if stale.status != http.StatusPreconditionFailed {
			t.Fatalf("PATCH with a stale If-Match: %d %s, want 412", stale.status, stale.body)
		}
		fresh := s.adminWith(admin, http.MethodPatch, path, map[string]any{"name": "Fresh"}, http.Header{"If-Match": {tag}})
		if fresh.status != http.StatusOK || fresh.header.Get("ETag") == tag || !strings.Contains(string(fresh.body), `"name":"Fresh"`) {
			t.Fatalf("PATCH with the current If-Match: %d %s (ETag %s)", fresh.status, fresh.body, fresh.header.Get("ETag"))
		}
		if again := s.adminWith(admin, http.MethodPatch, path, map[string]any{"name": "Again"}, http.Header{"If-Match": {tag}}); again.status != http.StatusPreconditionFailed {
			t.Errorf("PATCH with the ETag it replaced: %d, want 412", again.status)
		}
	})

	t.Run("delete an identity and an account", func(t *testing.T) {
		pia := s.loginAs(ctx, newBrowser(), appB, "pia", "snsapi_base")
		decode[struct{}](t, s.admin(admin, http.MethodDelete, base+"/identities/"+pia.Subject, nil), http.StatusNoContent)
		if res := s.admin(admin, http.MethodGet, base+"/identities/"+pia.Subject, nil); res.status != http.StatusNotFound {
			t.Errorf("deleted identity: %d", res.status)
		}
		s.loginAs(ctx, newBrowser(), appSandbox, "pia", "snsapi_base")
		deleted := s.admin(admin, http.MethodDelete, base+"/accounts/"+appSandbox, nil)
		if res := s.admin(admin, http.MethodGet, base+"/accounts/"+appSandbox, nil); res.status != http.StatusNotFound {
			t.Errorf("deleted account: %d", res.status)
		}
		if res := s.admin(admin, http.MethodDelete, base+"/accounts/"+appSandbox, nil); res.status != http.StatusNotFound {
			t.Errorf("deleting it again: %d, want 404", res.status)
		}
		if d := s.awaitDeletion(admin, deleted); d.Appid != appSandbox || d.IdentitiesDeleted != 1 || d.LoginEventsDeleted != 1 {
			t.Errorf("the finished deletion: %+v, want 1 identity and 1 login event of %s", d, appSandbox)
		}
	})

	t.Run("audit log", func(t *testing.T) {
		events := decode[gen.AuditEventList](t, s.admin(admin, http.MethodGet, base+"/audit-events?action=person.erase", nil), http.StatusOK)
		if len(events.Items) != 1 || !strings.HasPrefix(events.Items[0].Target, "person:") || events.Items[0].ActorKeyID == nil {
			t.Errorf("person.erase events: %+v", events.Items)
		}
	})

	t.Run("tenant time zone", func(t *testing.T) {
		_, viewer := s.keyValue(operator, tenantID, "viewer", nil)
		if got := decode[gen.Tenant](t, s.admin(viewer, http.MethodGet, base, nil), http.StatusOK); got.TimeZone != "Asia/Shanghai" {
			t.Errorf("a new tenant's time zone: %q", got.TimeZone)
		}
		for _, tc := range []struct {
			name, key string
			body      map[string]any
			want      int
		}{
			{"a zone that does not exist", admin, map[string]any{"time_zone": "Mars/Olympus"}, http.StatusUnprocessableEntity},
			{"the machine's own zone", admin, map[string]any{"time_zone": "Local"}, http.StatusUnprocessableEntity},
			{"a viewer", viewer, map[string]any{"time_zone": "Asia/Tokyo"}, http.StatusForbidden},
			{"an admin disabling the tenant", admin, map[string]any{"time_zone": "Asia/Tokyo", "disabled": true}, http.StatusForbidden},
		} {
			if res := s.admin(tc.key, http.MethodPatch, base, tc.body); res.status != tc.want {
				t.Errorf("%s: %d %s, want %d", tc.name, res.status, res.body, tc.want)
			}
		}
		if got := decode[gen.Tenant](t, s.admin(viewer, http.MethodGet, base, nil), http.StatusOK); got.TimeZone != "Asia/Shanghai" || got.Disabled {
			t.Fatalf("refused changes changed the tenant: %+v", got)
		}
		got := decode[gen.Tenant](t, s.admin(admin, http.MethodPatch, base, map[string]any{"time_zone": "Asia/Tokyo"}), http.StatusOK)
		if got.TimeZone != "Asia/Tokyo" {
			t.Errorf("the admin's time zone: %+v", got)
		}
		events := decode[gen.AuditEventList](t, s.admin(admin, http.MethodGet, base+"/audit-events?action=tenant.update", nil), http.StatusOK)
		if len(events.Items) != 1 || events.Items[0].ActorKeyID == nil {
			t.Errorf("tenant.update events: %+v", events.Items)
		}
	})

	t.Run("disabled tenant", func(t *testing.T) {
		decode[struct{}](t, s.admin(operator, http.MethodDelete, base, nil), http.StatusNoContent)
		if res := s.admin(admin, http.MethodGet, base+"/accounts", nil); res.status != http.StatusForbidden {
			t.Errorf("admin of a disabled tenant: %d", res.status)
		}
	})
}
