package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/testenv"
)

// browserTestDir holds the Node side of TestBrowserLogin: playwright-core,
// pinned in its package-lock.json, login.test.js and sdk.test.js.
var browserTestDir = filepath.Join("..", "..", "e2e", "browser")

// TestBrowserLogin runs e2e/browser (`node --test`: login.test.js, and
// sdk.test.js, which tests the SDK's checks in Node) against
// `wxlogin demo`: headless Chromium with WeChat's user agent logs in on the
// demo's browser-only page with the SDK, through the sandbox's WeChat pages,
// and sees openid and unionid; with a desktop user agent it logs in through
// the demo website app's QR login, with the same unionid. Screenshots of
// each step land in out/browser/. Without Chromium, Node or the installed
// Node modules it skips, except under CI=true, where it fails.
func TestBrowserLogin(t *testing.T) {
	node := testenv.Node(t, browserTestDir)
	chromium := testenv.Browser(t)
	s := startDemo(t)
	shots, err := filepath.Abs(filepath.Join("..", "..", "out", "browser"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(shots); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec")
	cmd.Dir = browserTestDir
	cmd.Env = append(os.Environ(), "WXLOGIN_URL="+s.public, "WXLOGIN_SCREENSHOTS="+shots, "WXLOGIN_CHROMIUM="+chromium)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("the browser test took %v; screenshots in %s\n%s", time.Since(start).Round(time.Millisecond), shots, out)
	if err != nil {
		t.Fatalf("node --test in e2e/browser: %v\nwxlogin's log:\n%s", err, s.process.output())
	}
	for _, name := range []string{"01-demo-page", "02-wechat-choose-user", "03-wechat-consent", "04-logged-in-account-a", "06-logged-in-account-b", "08-desktop-qr-login", "10-desktop-logged-in"} {
		if _, err := os.Stat(filepath.Join(shots, name+".png")); err != nil {
			t.Errorf("screenshot %s: %v", name, err)
		}
	}
}
