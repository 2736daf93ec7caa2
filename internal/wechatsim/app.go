package wechatsim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// App is an application registered with the emulated WeChat.
type App struct {
	AppID  string `json:"appid"`
	Secret string `json:"secret"`
	// OpenPlatformID is the Open Platform account the app is bound to; ""
	// means unbound, and then no unionid is ever issued.
	OpenPlatformID string `json:"open_platform_id,omitempty"`
	// Domains are the 网页授权域名 (or 授权回调域 for a website app): the
	// host, or host:port, a redirect_uri must have exactly.
	Domains []string `json:"domains"`
	// Website marks an Open Platform website app (qrconnect, snsapi_login)
	// rather than an official account.
	Website bool `json:"website,omitempty"`
	// Banned makes the authorize page answer 10004.
	Banned bool `json:"banned,omitempty"`
}

// ErrUnknownApp is returned by a Registry for an AppID it does not hold.
var ErrUnknownApp = errors.New("wechatsim: unknown app")

// Registry finds apps by AppID. App returns ErrUnknownApp when there is no
// such app; any other error is answered as WeChat's "system error".
type Registry interface {
	App(ctx context.Context, appID string) (App, error)
}

// StaticRegistry is a fixed set of apps keyed by AppID.
type StaticRegistry map[string]App

// App implements Registry.
func (r StaticRegistry) App(_ context.Context, appID string) (App, error) {
	app, ok := r[appID]
	if !ok {
		return App{}, ErrUnknownApp
	}
	return app, nil
}

// LoadRegistry reads a JSON list of apps, as used by a standalone emulator.
// Every app needs an appid and a secret; appids must be unique.
func LoadRegistry(path string) (StaticRegistry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load registry: %w", err)
	}
	var apps []App
	if err := json.Unmarshal(b, &apps); err != nil {
		return nil, fmt.Errorf("load registry %s: %w", path, err)
	}
	reg := make(StaticRegistry, len(apps))
	for i, app := range apps {
		switch {
		case app.AppID == "" || app.Secret == "":
			return nil, fmt.Errorf("load registry %s: app %d: appid and secret are required", path, i)
		case reg[app.AppID].AppID != "":
			return nil, fmt.Errorf("load registry %s: duplicate appid %q", path, app.AppID)
		}
		reg[app.AppID] = app
	}
	return reg, nil
}
