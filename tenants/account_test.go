package tenants

import (
	"errors"
	"testing"
	"time"
)

func TestValidateRedirectURI(t *testing.T) {
	tests := []struct {
		uri string
		ok  bool
	}{
		{"https://shop.example/wechat/callback", true},
		{"https://shop.example:8443/cb?tenant=1", true},
		{"http://localhost:3000/cb", true},
		{"http://127.0.0.1/cb", true},
		{"http://shop.example/cb", false},
		{"http://localhost.evil.example/cb", false},
		{"https://shop.example/cb#frag", false},
		{"https://shop.example/cb#", false},
		{"https://user@shop.example/cb", false},
		{"javascript:alert(1)", false},
		{"//shop.example/cb", false},
		{"/cb", false},
		{"", false},
		{"https:///cb", false},
	}
	for _, tt := range tests {
		err := ValidateRedirectURI(tt.uri)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInvalid)) {
			t.Errorf("ValidateRedirectURI(%q) = %v, want ok=%v", tt.uri, err, tt.ok)
		}
	}
}

func TestAccountValidate(t *testing.T) {
	good := Account{TenantID: "acme", AppID: "wx1234567890abcdef", Name: "Shop", Mode: ModeLive,
		DefaultScope: ScopeBase, RedirectURIs: []string{"https://shop.example/cb"}, TokenTTL: time.Hour}
	if err := good.Validate(); err != nil {
		t.Fatalf("good account: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(*Account)
		field string
	}{
		{"appid not wx", func(a *Account) { a.AppID = "ab1234567890abcdef" }, "appid"},
		{"appid too short", func(a *Account) { a.AppID = "wx1234" }, "appid"},
		{"no name", func(a *Account) { a.Name = "" }, "name"},
		{"unknown mode", func(a *Account) { a.Mode = "test" }, "mode"},
		{"unknown scope", func(a *Account) { a.DefaultScope = "snsapi_login" }, "default_scope"},
		{"no redirect URIs", func(a *Account) { a.RedirectURIs = nil }, "redirect_uris"},
		{"bad redirect URI", func(a *Account) { a.RedirectURIs = []string{"http://shop.example/cb"} }, "redirect_uris"},
		{"token lifetime too short", func(a *Account) { a.TokenTTL = time.Second }, "token_ttl"},
		{"token lifetime too long", func(a *Account) { a.TokenTTL = 48 * time.Hour }, "token_ttl"},
		{"bad open platform", func(a *Account) { a.OpenPlatformID = "a b" }, "open_platform_id"},
		{"unknown kind", func(a *Account) { a.Kind = "miniprogram" }, "kind"},
		{"website app with an official scope", func(a *Account) { a.Kind, a.OpenPlatformID = KindWebsite, "open" }, "default_scope"},
		{"website app without Open Platform", func(a *Account) { a.Kind, a.DefaultScope = KindWebsite, ScopeLogin }, "open_platform_id"},
	}
	website := good
	website.Kind, website.DefaultScope, website.OpenPlatformID = KindWebsite, ScopeLogin, "open"
	if err := website.Validate(); err != nil {
		t.Fatalf("good website app: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := good
			tt.edit(&a)
			var ie *InvalidError
			if err := a.Validate(); !errors.As(err, &ie) || ie.Field != tt.field {
				t.Errorf("got %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func TestAllowsRedirectIsExact(t *testing.T) {
	a := Account{RedirectURIs: []string{"https://shop.example/cb"}}
	for _, uri := range []string{"https://shop.example/cb/", "https://SHOP.example/cb", "https://shop.example/cb?x=1", "https://shop.example/c%62", "https://shop.example:443/cb"} {
		if a.AllowsRedirect(uri) {
			t.Errorf("%q allowed by an allowlist of https://shop.example/cb", uri)
		}
	}
	if !a.AllowsRedirect("https://shop.example/cb") {
		t.Error("the allowlisted URI itself is refused")
	}
}

func TestTenantValidate(t *testing.T) {
	for id, ok := range map[string]bool{"acme": true, "a-1": true, "ab": false, "-acme": false, "acme-": false, "Acme": false, "ac_me": false} {
		if err := (Tenant{ID: id, Name: "x", TimeZone: DefaultTimeZone}).Validate(); (err == nil) != ok {
			t.Errorf("tenant id %q: %v, want ok=%v", id, err, ok)
		}
	}
	for zone, ok := range map[string]bool{"Asia/Shanghai": true, "America/Los_Angeles": true, "UTC": true, "Etc/GMT-8": true,
		"": false, "Local": false, "Mars/Olympus": false, "asia/shanghai": false, "../../etc/passwd": false, "Asia/Shanghai\x00": false} {
		err := (Tenant{ID: "acme", Name: "x", TimeZone: zone}).Validate()
		if (err == nil) != ok || (err != nil && !errors.Is(err, ErrInvalid)) {
			t.Errorf("time zone %q: %v, want ok=%v", zone, err, ok)
		}
	}
}
