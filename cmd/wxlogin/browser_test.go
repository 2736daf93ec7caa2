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
	runBrowserSpecs(t, s, node, "browser", []string{"WXLOGIN_CHROMIUM=" + chromium},
		[]string{"01-demo-page", "02-wechat-choose-user", "03-wechat-consent", "04-logged-in-account-a", "06-logged-in-account-b", "08-desktop-qr-login", "10-desktop-logged-in"})
}

// runBrowserSpecs runs `node --test` in e2e/browser against s, with env
// and further args (spec files), writing screenshots to out/{name}, and
// checks that the screenshots named shots are there.
func runBrowserSpecs(t *testing.T, s *stack, node, name string, env, shots []string, args ...string) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "out", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{"--test", "--test-reporter=spec"}, args...)...)
	cmd.Dir = browserTestDir
	cmd.Env = append(append(os.Environ(), "WXLOGIN_URL="+s.public, "WXLOGIN_SCREENSHOTS="+dir), env...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("node --test %v took %v; screenshots in %s\n%s", args, time.Since(start).Round(time.Millisecond), dir, out)
	if err != nil {
		t.Fatalf("node --test %v in e2e/browser: %v\nwxlogin's log:\n%s", args, err, s.process.output())
	}
	for _, shot := range shots {
		if _, err := os.Stat(filepath.Join(dir, shot+".png")); err != nil {
			t.Errorf("screenshot %s: %v", shot, err)
		}
	}
}
