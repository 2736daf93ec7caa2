package wechatsim_test

import (
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

// TestFaultErrcodes checks which answers a series of /sns/auth calls gets
// under a fault.
func TestFaultErrcodes(t *testing.T) {
	tests := []struct {
		name  string
		fault wechatsim.Fault
		want  []int
	}{
		{"busy twice", wechatsim.Fault{Path: "/sns/auth", ErrCode: -1, Times: 2}, []int{-1, -1, 0, 0}},
		{"until cleared", wechatsim.Fault{Path: "/sns/auth", ErrCode: 45011}, []int{45011, 45011, 45011, 45011}},
		{"every path", wechatsim.Fault{ErrCode: 40001, Times: 1}, []int{40001, 0}},
		{"other path", wechatsim.Fault{Path: "/sns/userinfo", ErrCode: -1}, []int{0, 0}},
		{"delay only", wechatsim.Fault{Path: "/sns/auth", Delay: time.Millisecond, Times: 1}, []int{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, wechatsim.Config{})
			tok := e.exchange(t, oaApp, e.code(t, oaApp, "snsapi_base", "alice"))
			e.sim.InjectFault(tt.fault)
			var got []int
			for range tt.want {
				a := e.api(t, "/sns/auth", "access_token", tok.str("access_token"), "openid", tok.str("openid"))
				if a.errcode() != 0 {
					wantErr(t, a, a.errcode())
				}
				got = append(got, a.errcode())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("errcodes %v, want %v", got, tt.want)
			}
			e.sim.ClearFaults()
			wantOK(t, e.api(t, "/sns/auth", "access_token", tok.str("access_token"), "openid", tok.str("openid")))
		})
	}
}

func TestFaultHTML(t *testing.T) {
	tests := []struct {
		status, want int
	}{
		{0, http.StatusOK},
		{http.StatusBadGateway, http.StatusBadGateway},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.want), func(t *testing.T) {
			e := newEnv(t, wechatsim.Config{})
			e.sim.InjectFault(wechatsim.Fault{Path: "/sns/oauth2/access_token", HTML: true, Status: tt.status})
			r := fetch(t, http.DefaultClient, http.MethodGet, e.url+"/sns/oauth2/access_token?appid="+oaApp, nil)
			if r.status != tt.want || !strings.HasPrefix(r.contentType, "text/html") || !strings.HasPrefix(r.body, "<!DOCTYPE html>") {
				t.Errorf("got %d %q %q", r.status, r.contentType, r.body)
			}
		})
	}
}

func TestFaultDelayAndDrop(t *testing.T) {
	tests := []struct {
		name        string
		fault       wechatsim.Fault
		wantTimeout bool
	}{
		{"delay shorter than the client's patience", wechatsim.Fault{Delay: 50 * time.Millisecond}, false},
		{"delay longer than the client's patience", wechatsim.Fault{Delay: time.Minute}, true},
		{"drop", wechatsim.Fault{Drop: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, wechatsim.Config{})
			e.sim.InjectFault(tt.fault)
			c := &http.Client{Timeout: 300 * time.Millisecond}
			start := time.Now()
			resp, err := c.Get(e.url + "/sns/auth")
			if err == nil {
				resp.Body.Close()
			}
			var ne net.Error
			if timedOut := errors.As(err, &ne) && ne.Timeout(); timedOut != tt.wantTimeout {
				t.Fatalf("timed out = %v (%v), want %v", timedOut, err, tt.wantTimeout)
			}
			if !tt.wantTimeout && (resp.StatusCode != http.StatusOK || time.Since(start) < tt.fault.Delay) {
				t.Errorf("want a 200 after %v, got %d after %v", tt.fault.Delay, resp.StatusCode, time.Since(start))
			}
		})
	}
}

func TestControlEndpoint(t *testing.T) {
	tests := []struct {
		name       string
		control    bool
		method     string
		body       string
		wantStatus int
		wantErr    int // errcode of /sns/auth afterwards
	}{
		{"inject", true, http.MethodPost, `{"path":"/sns/auth","errcode":-1,"delay":"1ms","times":1}`, http.StatusNoContent, -1},
		{"bad json", true, http.MethodPost, `{"path":`, http.StatusBadRequest, 41001},
		{"bad delay", true, http.MethodPost, `{"errcode":-1,"delay":"soon"}`, http.StatusBadRequest, 41001},
		{"clear", true, http.MethodDelete, "", http.StatusNoContent, 41001},
		{"disabled", false, http.MethodPost, `{"errcode":-1}`, http.StatusNotFound, 41001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, wechatsim.Config{Control: tt.control})
			e.sim.InjectFault(wechatsim.Fault{Path: "/sns/userinfo", ErrCode: -1})
			req, _ := http.NewRequest(tt.method, e.url+"/__sim/faults", strings.NewReader(tt.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			wantErr(t, e.api(t, "/sns/auth"), tt.wantErr)
			if tt.method == http.MethodDelete {
				wantErr(t, e.api(t, "/sns/userinfo"), 41001)
			}
		})
	}
}
