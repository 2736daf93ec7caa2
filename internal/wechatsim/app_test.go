package wechatsim_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

func TestLoadRegistry(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		want    wechatsim.StaticRegistry
		wantErr bool
	}{
		{"apps", `[{"appid":"wxa","secret":"s","open_platform_id":"op","domains":["a.example","127.0.0.1:8080"]},
			{"appid":"wxw","secret":"t","domains":["w.example"],"website":true,"banned":true}]`,
			wechatsim.StaticRegistry{
				"wxa": {AppID: "wxa", Secret: "s", OpenPlatformID: "op", Domains: []string{"a.example", "127.0.0.1:8080"}},
				"wxw": {AppID: "wxw", Secret: "t", Domains: []string{"w.example"}, Website: true, Banned: true},
			}, false},
		{"empty list", `[]`, wechatsim.StaticRegistry{}, false},
		{"not a list", `{"appid":"wxa"}`, nil, true},
		{"no secret", `[{"appid":"wxa"}]`, nil, true},
		{"no appid", `[{"secret":"s"}]`, nil, true},
		{"duplicate", `[{"appid":"wxa","secret":"s"},{"appid":"wxa","secret":"t"}]`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "apps.json")
			if err := os.WriteFile(path, []byte(tt.json), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := wechatsim.LoadRegistry(path)
			if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
	if _, err := wechatsim.LoadRegistry(filepath.Join(t.TempDir(), "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestStaticRegistryUnknownApp(t *testing.T) {
	if _, err := registry.App(context.Background(), "wxnope"); !errors.Is(err, wechatsim.ErrUnknownApp) {
		t.Errorf("got %v, want ErrUnknownApp", err)
	}
	if app, err := registry.App(context.Background(), oaApp); err != nil || app.AppID != oaApp {
		t.Errorf("got %v, %v", app, err)
	}
}
