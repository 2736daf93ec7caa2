package login_test

import (
	"context"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
)

// outcomes records what an Observer is told.
type outcomes struct {
	mu     sync.Mutex
	logins []string
	tokens []string
}

func (o *outcomes) Login(tenantID, appID, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.logins = append(o.logins, tenantID+"/"+appID+" "+outcome)
}

func (o *outcomes) TokenIssued(tenantID, appID string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tokens = append(o.tokens, tenantID+"/"+appID)
}

// TestObserverHearsEveryCallback: each callback's outcome is told once,
// labelled with the account its transaction proved, or none.
func TestObserverHearsEveryCallback(t *testing.T) {
	f := newFixture(t)
	obs := &outcomes{}
	f.svc.Observer = obs
	ctx := context.Background()

	verifier := opaque.New("", 32)
	cb := f.wechatCallback("snsapi_base", "alice", verifier, nil)
	to, err := f.svc.Callback(ctx, cb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Callback(ctx, cb); err != nil { // WeChat calls twice
		t.Fatal(err)
	}
	if _, err := f.redeem(to, verifier); !isOAuth(err, login.OAuthInvalidGrant) { // the replay replaced the code
		t.Fatalf("first code after a replay: %v", err)
	}
	refused := f.wechatCallback("snsapi_base", "bob", opaque.New("", 32), nil)
	refused.Code = ""
	_, _ = f.svc.Callback(ctx, refused)
	_, _ = f.svc.Callback(ctx, f.wechatCallback("snsapi_userinfo", "carol", opaque.New("", 32), url.Values{"snapshot": {"1"}}))
	forged := cb
	forged.TenantID, forged.AppID, forged.State = "nobody", "wx-nobody", opaque.Hex(16)
	_, _ = f.svc.Callback(ctx, forged)
	verifier = opaque.New("", 32)
	to, err = f.svc.Callback(ctx, f.wechatCallback("snsapi_base", "dave", verifier, nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.redeem(to, verifier); err != nil {
		t.Fatal(err)
	}

	acct := tenantID + "/" + appID
	want := []string{acct + " ok", acct + " replayed", acct + " refused", acct + " snapshot_user", "/ unknown_state", acct + " ok"}
	if !slices.Equal(obs.logins, want) {
		t.Errorf("logins observed\n%q\nwant\n%q", obs.logins, want)
	}
	if !slices.Equal(obs.tokens, []string{acct}) {
		t.Errorf("tokens observed %q, want one for %s", obs.tokens, acct)
	}
}
