package login

import (
	"context"
	"errors"
	"fmt"

	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
	"github.com/wxlogin/wxlogin/tenants"
)

// SandboxRegistry shows the WeChat sandbox one tenant's sandbox accounts:
// official accounts and website apps, their AppSecrets from the secret
// store, their Open Platform binding, and wxlogin's own host as the
// 网页授权域名 or 授权回调域 (the callback is wxlogin's).
type SandboxRegistry struct {
	Tenants  *tenants.Service
	TenantID string
	Host     string
}

// App implements wechatsim.Registry.
func (r SandboxRegistry) App(ctx context.Context, appID string) (wechatsim.App, error) {
	acct, err := r.Tenants.Store.GetAccount(ctx, r.TenantID, appID)
	if errors.Is(err, tenants.ErrNotFound) || (err == nil && acct.Mode != tenants.ModeSandbox) {
		return wechatsim.App{}, wechatsim.ErrUnknownApp
	}
	if err != nil {
		return wechatsim.App{}, fmt.Errorf("sandbox app: %w", err)
	}
	secret, err := r.Tenants.AppSecret(ctx, r.TenantID, appID)
	if err != nil {
		return wechatsim.App{}, err
	}
	app := wechatsim.App{AppID: appID, Secret: secret, Domains: []string{r.Host}, Website: acct.Kind == tenants.KindWebsite}
	if acct.OpenPlatformID != "" {
		app.OpenPlatformID = SandboxOpenPlatform(r.TenantID, acct.OpenPlatformID)
	}
	return app, nil
}

// SandboxOpenPlatform is the sandbox's Open Platform of a tenant's accounts
// bound to openPlatformID. Open Platform IDs are the tenant's own names, so
// the tenant's ID keeps tenants apart: the same name in two tenants gives
// a person two unionids.
func SandboxOpenPlatform(tenantID, openPlatformID string) string {
	return tenantID + "/" + openPlatformID
}

// Clients returns the WeChat client to use for an account: live accounts
// share one client of WeChat (or the configured WeChat-compatible server),
// sandbox accounts get one pointed at the tenant's sandbox under
// {publicURL}/sandbox/wechat/{tenant}.
func Clients(live wechat.Config, publicURL string) func(tenantID string, mode tenants.Mode) *wechat.Client {
	liveClient := wechat.New(live)
	return func(tenantID string, mode tenants.Mode) *wechat.Client {
		if mode == tenants.ModeLive {
			return liveClient
		}
		sandbox := live
		sandbox.APIURL = SandboxURL(publicURL, tenantID)
		sandbox.OpenURL = sandbox.APIURL
		return wechat.New(sandbox)
	}
}

// SandboxURL is the base URL of a tenant's WeChat sandbox: it answers both
// WeChat's open.weixin.qq.com and api.weixin.qq.com paths.
func SandboxURL(publicURL, tenantID string) string {
	return publicURL + "/sandbox/wechat/" + tenantID
}
