package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func TestSessionCookieAttributes(t *testing.T) {
	for _, tc := range []struct {
		publicURL, name string
		secure          bool
	}{
		{"https://login.example.com", "__Host-wxlogin-console", true},
		{"http://127.0.0.1:8080", "wxlogin-console", false},
	} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		newSessionCookie(tc.publicURL).set(c, "wxs_token", 8*time.Hour)
		got := w.Result().Cookies()
		if len(got) != 1 {
			t.Fatalf("%s: %d cookies", tc.publicURL, len(got))
		}
		ck := got[0]
		if ck.Name != tc.name || ck.Secure != tc.secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.MaxAge != 8*3600 {
			t.Errorf("%s: cookie %+v, want %s, Secure=%v, HttpOnly, SameSite=Strict, Path=/, 8 hours", tc.publicURL, ck, tc.name, tc.secure)
		}
	}
}

func TestCheckCSRF(t *testing.T) {
	cookie := newSessionCookie("https://login.example.com")
	const session = "wxs_session"
	token := csrfToken(session)
	for _, tc := range []struct {
		name, method string
		header       map[string]string
		form         string
		ok           bool
	}{
		{"a read needs no token", http.MethodGet, nil, "", true},
		{"a change without the token", http.MethodPost, nil, "", false},
		{"a change with the token", http.MethodPost, map[string]string{csrfHeader: token}, "", true},
		{"a change with another session's token", http.MethodDelete, map[string]string{csrfHeader: csrfToken("wxs_other")}, "", false},
		{"a change with the session token itself", http.MethodPut, map[string]string{csrfHeader: session}, "", false},
		{"a form with the token", http.MethodPost, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "csrf=" + token, true},
		{"the token from another origin", http.MethodPatch, map[string]string{csrfHeader: token, "Origin": "https://evil.example"}, "", false},
		{"the token from the http origin", http.MethodPatch, map[string]string{csrfHeader: token, "Origin": "http://login.example.com"}, "", false},
		{"the token from wxlogin's origin", http.MethodPatch, map[string]string{csrfHeader: token, "Origin": "https://login.example.com", "Sec-Fetch-Site": "same-origin"}, "", true},
		{"the token from a sibling site", http.MethodPost, map[string]string{csrfHeader: token, "Sec-Fetch-Site": "same-site"}, "", false},
		{"the token with Origin null", http.MethodPost, map[string]string{csrfHeader: token, "Origin": "null"}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			c.Request = httptest.NewRequest(tc.method, "/v1/tenants/acme/accounts", strings.NewReader(tc.form))
			for k, v := range tc.header {
				c.Request.Header.Set(k, v)
			}
			err := cookie.checkCSRF(c, session)
			if (err == nil) != tc.ok {
				t.Errorf("checkCSRF: %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

// TestSignInCookie: a WeChat sign-in's cookie is HttpOnly, goes back to
// the sign-in's own paths only, survives the navigation back from WeChat
// (SameSite=Lax) and is read once.
func TestSignInCookie(t *testing.T) {
	for _, tc := range []struct {
		publicURL, name string
		secure          bool
	}{
		{"https://login.example.com", "__Secure-wxlogin-console-wechat", true},
		{"http://127.0.0.1:8080", "wxlogin-console-wechat", false},
	} {
		cookie := newSessionCookie(tc.publicURL)
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		cookie.setSignIn(c, "state.verifier", 10*time.Minute)
		got := w.Result().Cookies()
		if len(got) != 1 {
			t.Fatalf("%s: %d cookies", tc.publicURL, len(got))
		}
		ck := got[0]
		if ck.Name != tc.name || ck.Secure != tc.secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/console/wechat" || ck.MaxAge != 600 {
			t.Errorf("%s: cookie %+v, want %s, Secure=%v, HttpOnly, SameSite=Lax, Path=/console/wechat, 10 minutes", tc.publicURL, ck, tc.name, tc.secure)
		}

		w = httptest.NewRecorder()
		c, _ = gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodGet, "/console/wechat/callback", nil)
		c.Request.AddCookie(&http.Cookie{Name: tc.name, Value: "state.verifier"})
		if v := cookie.takeSignIn(c); v != "state.verifier" {
			t.Errorf("%s: takeSignIn = %q", tc.publicURL, v)
		}
		if cleared := w.Result().Cookies(); len(cleared) != 1 || cleared[0].Name != tc.name || cleared[0].MaxAge >= 0 {
			t.Errorf("%s: takeSignIn left the cookie: %+v", tc.publicURL, cleared)
		}
	}
}
