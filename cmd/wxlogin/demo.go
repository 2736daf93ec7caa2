package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/wxlogin/wxlogin/api"
	"github.com/wxlogin/wxlogin/internal/demo"
	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
	"github.com/wxlogin/wxlogin/tenants"
)

// The demo tenant and its two sandbox accounts, bound to one Open Platform
// so that one person gets two openids and one unionid, and to its website
// app.
const (
	demoTenant   = "demo"
	demoPlatform = "demo-platform"
)

var demoAccounts = []demo.Account{
	{AppID: "wxdemo000000000001", Name: "示例服务号 A · Demo account A"},
	{AppID: "wxdemo000000000002", Name: "示例服务号 B · Demo account B"},
}

// demoWebsite is the demo tenant's website app, bound to the same Open
// Platform: visitors from a desktop browser log in through its QR login.
var demoWebsite = demo.Account{AppID: "wxdemo00000000web1", Name: "示例网站应用 · Demo website app"}

// demoSandboxSeed makes the demo's sandbox people the same on every run, so
// that the console bindings the demo makes for them keep working.
var demoSandboxSeed = []byte("wxlogin demo sandbox")

// demoMembers are the sandbox people the demo binds to its tenant's
// console, by unionid: they sign in with WeChat.
var demoMembers = []struct {
	user string
	role tenants.Role
}{{"alice", tenants.RoleAdmin}, {"bob", tenants.RoleViewer}}

func runDemo(ctx context.Context, env *environment, args []string) error {
	return withApp(ctx, env, flag.NewFlagSet("demo", flag.ContinueOnError), args, func(a *app) error {
		return a.runDemo(ctx, env)
	})
}

func (a *app) runDemo(ctx context.Context, env *environment) error {
	if err := a.db.MigrateUp(ctx, env.stderr); err != nil {
		return err
	}
	// The console's sign-in with WeChat runs the demo's account A, unless
	// the settings name another.
	if a.cfg.ConsoleWeChatTenant == "" {
		a.cfg.ConsoleWeChatTenant, a.cfg.ConsoleWeChatAppID = demoTenant, demoAccounts[0].AppID
	}
	a.sandboxSeed = demoSandboxSeed
	app := &demo.App{PublicURL: a.cfg.PublicURL, TenantID: demoTenant, Accounts: demoAccounts, HTTP: &http.Client{Timeout: 10 * time.Second}}
	if err := a.ensureDemo(ctx, append(app.RedirectURIs(), a.cfg.PublicURL+api.ConsoleWeChatCallbackPath)); err != nil {
		return err
	}
	if err := a.ensureDemoMembers(ctx); err != nil {
		return err
	}
	extra := map[string]http.Handler{demo.Prefix: app.Handler()}
	return a.serve(ctx, extra, func(string) {
		fmt.Fprintf(env.stdout, `
wxlogin is running on its embedded defaults (SQLite and local secrets in %s, WeChat sandbox).

  1. Open %s/demo/ in a browser.
  2. Click "Log in" and pick a test user on the sandbox WeChat page (choose snsapi_userinfo to see a unionid;
     in a desktop browser the demo website app's QR login runs, where picking a user stands for scanning).
  3. You land back on the demo page, which shows the verified JWT's openid and unionid.
  4. Open %s/console/ and click "微信登录 / Sign in with WeChat": pick alice to manage the demo tenant
     as its admin, bob to look around as a viewer, anyone else to be told how to get bound.

Hosted login URL of the demo account: %s
Stop with Ctrl-C.
`, a.cfg.DataDir, a.cfg.PublicURL, a.cfg.PublicURL, a.login.LoginURL(demoTenant, demoAccounts[0].AppID))
	})
}

// ensureDemo creates the demo tenant, its official accounts and website
// app unless they exist, and makes the accounts allowlist the demo's
// redirect URIs (a data directory
// made by an older wxlogin may lack one).
func (a *app) ensureDemo(ctx context.Context, redirectURIs []string) error {
	_, err := a.tenants.CreateTenant(ctx, tenants.Tenant{ID: demoTenant, Name: "wxlogin demo"})
	if err != nil && !errors.Is(err, tenants.ErrConflict) {
		return err
	}
	accounts := make([]tenants.Account, 0, len(demoAccounts)+1)
	for _, d := range demoAccounts {
		accounts = append(accounts, tenants.Account{AppID: d.AppID, Name: d.Name, Kind: tenants.KindOfficial, DefaultScope: tenants.ScopeBase})
	}
	accounts = append(accounts, tenants.Account{AppID: demoWebsite.AppID, Name: demoWebsite.Name, Kind: tenants.KindWebsite, DefaultScope: tenants.ScopeLogin})
	for _, d := range accounts {
		d.TenantID, d.Mode, d.RedirectURIs, d.OpenPlatformID = demoTenant, tenants.ModeSandbox, redirectURIs, demoPlatform
		_, err := a.tenants.CreateAccount(ctx, d, opaque.Hex(16))
		if errors.Is(err, tenants.ErrConflict) {
			err = a.allowDemoRedirects(ctx, d.AppID, redirectURIs)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ensureDemoMembers binds the demo's sandbox people to its console unless
// they are bound.
func (a *app) ensureDemoMembers(ctx context.Context) error {
	for _, m := range demoMembers {
		_, err := a.tenants.CreateConsoleBinding(ctx, tenants.ConsoleBinding{TenantID: demoTenant, Name: m.user + " (sandbox)",
			UnionID: wechatsim.UnionID(demoSandboxSeed, login.SandboxOpenPlatform(demoTenant, demoPlatform), m.user), Role: m.role})
		if err != nil && !errors.Is(err, tenants.ErrConflict) {
			return err
		}
	}
	return nil
}

func (a *app) allowDemoRedirects(ctx context.Context, appID string, redirectURIs []string) error {
	acct, err := a.tenants.Store.GetAccount(ctx, demoTenant, appID)
	if err != nil || !slices.ContainsFunc(redirectURIs, func(u string) bool { return !acct.AllowsRedirect(u) }) {
		return err
	}
	_, err = a.tenants.UpdateAccount(ctx, demoTenant, appID, func(a *tenants.Account) error {
		a.RedirectURIs = redirectURIs
		return nil
	})
	return err
}
