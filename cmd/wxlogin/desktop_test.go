package main

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/skip2/go-qrcode"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
)

// desktopUserAgent is Chrome on Windows: not WeChat.
const desktopUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

// TestDesktopLogin: a person opens an official account's hosted login in a
// desktop browser. While the tenant has no website app, the page shows the
// same login URL as a QR code, which logs in when opened in WeChat. Once
// the tenant registers a website app of the same Open Platform over the
// admin API, the login goes to its QR login (qrconnect) and returns with
// the unionid the person has in the official account, and the reports join
// both identities into one person.
func TestDesktopLogin(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := newStack(t, b, "WXLOGIN_ACCOUNT_CACHE_TTL=0s")
			ctx := context.Background()
			inWeChat := s.loginAs(ctx, newBrowser(), appA, "alice", "snsapi_userinfo")
			desktop := newBrowser()
			desktop.UserAgent = desktopUserAgent

			state, verifier := opaque.Hex(8), opaque.New("", 32)
			start := s.loginURL(appA, "snsapi_userinfo", state, verifier)
			page, err := desktop.Get(ctx, start)
			if err != nil || page.Status != http.StatusOK || page.URL.String() != start || !strings.Contains(string(page.Body), "请用微信扫码登录") {
				t.Fatalf("desktop without a website app: want the QR page at %s, got %v (%d, %v):\n%s", start, page.URL, page.Status, err, page.Body)
			}
			if got := qrModules(t, page.Body); got != qrBitmap(t, start) {
				t.Errorf("the page's QR code does not encode the login URL %s", start)
			}
			link := scanLink.FindSubmatch(page.Body)
			if link == nil || html.UnescapeString(string(link[1])) != start {
				t.Fatalf("the page's link %q is not the login URL %s", link, start)
			}
			scanned := s.verify(ctx, appA, s.redeemAt(s.authorize(ctx, newBrowser(), start, "alice"), appA, state, verifier))
			if scanned.OpenID != inWeChat.OpenID || scanned.UnionID != inWeChat.UnionID {
				t.Errorf("the scanned login is %+v, want alice's %+v", scanned, inWeChat)
			}

			operator := strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
			_, admin := s.keyValue(operator, tenantID, "admin", nil)
			accounts := "/v1/tenants/" + tenantID + "/accounts"
			web := decode[gen.Account](t, s.admin(admin, http.MethodPost, accounts, map[string]any{
				"appid": appWeb, "name": "Acme website", "kind": "website", "mode": "live", "default_scope": tenants.ScopeLogin,
				"redirect_uris": []string{redirectURI}, "open_platform_id": openPlatform,
			}), http.StatusCreated)
			if web.Kind != gen.Website {
				t.Errorf("website app created as %+v", web)
			}
			if res := s.admin(admin, http.MethodPut, accounts+"/"+appWeb+"/secret", map[string]string{"app_secret": secretWeb}); res.status != http.StatusOK {
				t.Fatalf("set the website app's AppSecret: %d %s", res.status, res.body)
			}

			state, verifier = opaque.Hex(8), opaque.New("", 32)
			page, err = desktop.Get(ctx, s.loginURL(appA, "", state, verifier))
			if q := page.URL.Query(); err != nil || page.URL.Path != "/connect/qrconnect" || q.Get("appid") != appWeb || q.Get("scope") != tenants.ScopeLogin {
				t.Fatalf("desktop with a website app: want its qrconnect, got %v (%v)", page.URL, err)
			}
			tenantPage := s.authorize(ctx, desktop, page.URL.String(), "alice")
			c := s.verify(ctx, appA, s.redeemAt(tenantPage, appA, state, verifier))
			if c.AppID != appWeb || c.Scope != tenants.ScopeLogin || c.OpenID == "" || c.OpenID == inWeChat.OpenID || c.UnionID != inWeChat.UnionID {
				t.Errorf("QR login claims %+v: want appid %s, scope snsapi_login, the website app's openid and unionid %s", c, appWeb, inWeChat.UnionID)
			}

			person := decode[gen.Person](t, s.admin(admin, http.MethodGet, "/v1/tenants/"+tenantID+"/reports/persons/"+inWeChat.UnionID, nil), http.StatusOK)
			if len(person.Accounts) != 2 || person.Accounts[0].Appid != appA || person.Accounts[1].Appid != appWeb ||
				person.Accounts[1].Openid != c.OpenID || person.Logins != 3 {
				t.Errorf("alice in the reports: %+v, want one person in %s and %s with 3 logins", person, appA, appWeb)
			}
		})
	}
}

var (
	scanLink    = regexp.MustCompile(`id="scan-link" href="([^"]+)"`)
	qrViewBox   = regexp.MustCompile(`<svg [^>]*id="qr" viewBox="0 0 (\d+) (\d+)"`)
	qrModule    = regexp.MustCompile(`M(\d+) (\d+)h1v1h-1z`)
	darkPattern = "#"
)

// qrModules reads the QR code of a page back into rows of '#' (dark) and
// ' ' (light).
func qrModules(t *testing.T, body []byte) string {
	t.Helper()
	box := qrViewBox.FindSubmatch(body)
	if box == nil {
		t.Fatalf("no QR code on the page:\n%s", body)
	}
	n, _ := strconv.Atoi(string(box[1]))
	rows := make([][]byte, n)
	for i := range rows {
		rows[i] = []byte(strings.Repeat(" ", n))
	}
	for _, m := range qrModule.FindAllSubmatch(body, -1) {
		x, _ := strconv.Atoi(string(m[1]))
		y, _ := strconv.Atoi(string(m[2]))
		if x >= n || y >= n {
			t.Fatalf("module (%d,%d) outside the %d×%d code", x, y, n, n)
		}
		rows[y][x] = darkPattern[0]
	}
	return string(joinRows(rows))
}

// qrBitmap is the library's own encoding of text, as qrModules reads it.
func qrBitmap(t *testing.T, text string) string {
	t.Helper()
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]byte
	for _, row := range code.Bitmap() {
		r := []byte(strings.Repeat(" ", len(row)))
		for x, dark := range row {
			if dark {
				r[x] = darkPattern[0]
			}
		}
		rows = append(rows, r)
	}
	return string(joinRows(rows))
}

func joinRows(rows [][]byte) []byte {
	var out []byte
	for _, r := range rows {
		out = append(append(out, r...), '\n')
	}
	return out
}
