package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/browser"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

var cellPattern = regexp.MustCompile(`id="(openid|unionid|nickname)">([^<]*)<`)

// TestDemo runs `wxlogin demo` (the README's first command) and logs in as a
// person would: the demo page shows the verified openid and unionid, one
// unionid across both demo accounts. Every page has the headers of
// checkPageHeaders. alice and bob sign in to the console with WeChat.
func TestDemo(t *testing.T) {
	s := startDemo(t)
	ctx := context.Background()
	br := browser.New(http.DefaultTransport, nil)
	claims := func(account string) map[string]string {
		t.Helper()
		page, err := br.Get(ctx, s.public+"/demo/")
		if err != nil {
			t.Fatal(err)
		}
		checkPageHeaders(t, "demo page", page.Header, true)
		link := regexp.MustCompile(`id="login-userinfo-` + account + `" href="([^"]+)"`).FindSubmatch(page.Body)
		if link == nil {
			t.Fatalf("no log-in link for account %s on the demo page:\n%s", account, page.Body)
		}
		href, _ := url.Parse(strings.ReplaceAll(string(link[1]), "&amp;", "&"))
		page, err = br.Get(ctx, page.URL.ResolveReference(href).String())
		for step := 0; err == nil && page.URL.Path != "/demo/callback" && step < 3; step++ {
			if strings.Contains(string(page.Body), `name="decision"`) {
				page, err = br.Submit(ctx, page, "decision", "allow", nil)
			} else {
				page, err = br.Submit(ctx, page, "user", "alice", nil)
			}
		}
		if err != nil || page.Status != http.StatusOK || !strings.Contains(string(page.Body), `id="verified"`) {
			t.Fatalf("demo login ended at %v (%d, %v):\n%s", page.URL, page.Status, err, page.Body)
		}
		checkPageHeaders(t, "demo page with the code", page.Header, true)
		got := map[string]string{}
		for _, m := range cellPattern.FindAllSubmatch(page.Body, -1) {
			got[string(m[1])] = string(m[2])
		}
		return got
	}
	a, b := claims("0"), claims("1")
	if page, err := br.Get(ctx, s.public+"/demo/sdk/"); err != nil {
		t.Fatal(err)
	} else {
		checkPageHeaders(t, "demo's browser-only page", page.Header, true)
	}
	t.Logf("account A %v, account B %v", a, b)
	if a["openid"] == "" || a["openid"] == b["openid"] || !strings.HasPrefix(a["unionid"], "o") || a["unionid"] != b["unionid"] || a["nickname"] == "" {
		t.Errorf("demo claims: account A %v, account B %v; want two openids and one unionid", a, b)
	}

	// The demo's console takes alice with WeChat as its admin and bob as a
	// viewer, out of the box.
	for user, role := range map[string]string{"alice": "admin", "bob": "viewer"} {
		br := browser.New(http.DefaultTransport, nil)
		if p := s.wechatSignIn(ctx, br, user, "allow"); p.Status != http.StatusOK {
			t.Fatalf("%s's WeChat sign-in to the demo console: %d\n%s", user, p.Status, p.Body)
		}
		status, page := s.signedIn(br).do(http.MethodGet, "/console/accounts", "", nil)
		if status != http.StatusOK || !strings.Contains(page, `data-tenant="demo"`) || !strings.Contains(page, `data-role="`+role+`"`) {
			t.Errorf("%s's demo console: %d\n%s", user, status, page)
		}
	}
}

// startDemo runs `wxlogin demo` until the test ends.
func startDemo(t *testing.T) *stack {
	t.Helper()
	s := &stack{t: t}
	s.front()
	s.dbURL = "sqlite:" + testenv.SQLiteFile(t)
	s.env = []string{"WXLOGIN_HTTP_ADDR=" + s.listen, "WXLOGIN_METRICS_ADDR=127.0.0.1:0", "WXLOGIN_PUBLIC_URL=" + s.public,
		"WXLOGIN_DATA_DIR=" + t.TempDir(), "WXLOGIN_DATABASE_URL=" + s.dbURL}
	t.Cleanup(s.recordStoredSecrets)
	s.process = s.start([]string{"demo"}, "Stop with Ctrl-C.")
	if out := s.process.output(); !strings.Contains(out, "Open "+s.public+"/demo/ in a browser") {
		t.Fatalf("demo did not say where to go:\n%s", out)
	}
	return s
}
