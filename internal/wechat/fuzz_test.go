package wechat_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/wechat"
)

// answer is a transport that gives every request the same answer.
type answer struct {
	status      int
	contentType string
	body        string
}

func (a answer) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Header: http.Header{"Content-Type": {a.contentType}},
		Body: io.NopCloser(strings.NewReader(a.body)), Request: req}, nil
}

// FuzzWeChatAnswer feeds any answer (status, Content-Type, body) to the
// token exchange and the userinfo call: the result is a complete value or
// one of the client's typed errors, an errcode is reported as WeChat sent
// it, and no error quotes the AppSecret, code or access token sent.
func FuzzWeChatAnswer(f *testing.F) {
	for _, a := range []answer{
		{200, "text/plain", `{"access_token":"AT","expires_in":7200,"refresh_token":"RT","openid":"o1","scope":"snsapi_userinfo,","unionid":"u1"}`},
		{200, "application/json", `{"access_token":"AT","openid":"o1","scope":"snsapi_base","is_snapshotuser":1}`},
		{200, "application/json", `{"openid":"o1","nickname":"小明","sex":"1","headimgurl":"https://x/0","privilege":["p"],"unionid":"u1"}`},
		{200, "application/json", `{"errcode":40029,"errmsg":"invalid code, rid: 1"}`},
		{200, "application/json", `{"errcode":-1,"errmsg":"system error"}`},
		{502, "text/html", `<html><body>Bad Gateway</body></html>`},
		{500, "application/json", `{"errcode":0}`},
		{200, "application/json", `{"errcode":"40029"}`},
		{200, "application/json", `{"errcode":1e400}`},
		{200, "application/json", `{"access_token":null,"openid":123}`},
		{200, "application/json", `{"openid":"o1","sex":1.5}`},
		{200, "application/json", `{"access_token":"AT","openid":"o1"}{"errcode":1}`},
		{200, "application/json", ``},
		{204, "", `null`},
	} {
		f.Add(a.status, a.contentType, a.body)
	}
	const code, accessToken = "the-code-sent-0001", "the-access-token-sent-0001"
	f.Fuzz(func(t *testing.T, status int, contentType, body string) {
		if status < 100 || status > 999 {
			status = 200
		}
		c := wechat.New(wechat.Config{APIURL: "https://api.wechat.test", HTTP: &http.Client{Transport: answer{status, contentType, body}}, Retries: -1})
		tok, err := c.Exchange(context.Background(), boundApp, secret, code)
		check(t, body, err, secret, code)
		switch {
		case err == nil && (tok.AccessToken == "" || tok.OpenID == "" || tok.SnapshotUser):
			t.Fatalf("token %+v without error", tok)
		case errors.Is(err, wechat.ErrSnapshotUser) && (!tok.SnapshotUser || tok.OpenID == ""):
			t.Fatalf("snapshot error with token %+v", tok)
		case err != nil && !errors.Is(err, wechat.ErrSnapshotUser) && tok.AccessToken != "":
			t.Fatalf("token %+v with error %v", tok, err)
		}
		info, err := c.UserInfo(context.Background(), accessToken, "o1")
		check(t, body, err, accessToken)
		if (err == nil) != (info.OpenID != "") {
			t.Fatalf("userinfo %+v, error %v", info, err)
		}
	})
}

// check holds an error to the client's contract for the answer body.
func check(t *testing.T, body string, err error, sent ...string) {
	t.Helper()
	if err == nil {
		return
	}
	var we *wechat.Error
	switch {
	case errors.As(err, &we):
		var status struct{ ErrCode int }
		if json.Unmarshal([]byte(body), &status) != nil || status.ErrCode != we.Code || we.Code == 0 {
			t.Fatalf("errcode %d for body %q", we.Code, body)
		}
	case !errors.Is(err, wechat.ErrBadResponse) && !errors.Is(err, wechat.ErrSnapshotUser):
		t.Fatalf("untyped error %v for body %q", err, body)
	}
	for _, s := range sent {
		if strings.Contains(err.Error(), s) && !strings.Contains(body, s) {
			t.Fatalf("error %q quotes %q", err, s)
		}
	}
}
