package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/wxlogin/wxlogin/internal/opaque"
)

// scrape reads wxlogin's /metrics from its metrics listener.
func (s *stack) scrape() map[string]*dto.MetricFamily {
	s.t.Helper()
	resp, err := http.Get(s.ops + "/metrics")
	if err != nil {
		s.t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("scrape: %s", resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		s.t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// sample is the value of the series of family name with exactly labels (a
// histogram's sample count), and whether there is one.
func sample(fams map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	f, ok := fams[name]
	if !ok {
		return 0, false
	}
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		if len(got) != len(labels) {
			continue
		}
		match := true
		for k, v := range labels {
			match = match && got[k] == v
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

// TestMetrics: a few logins, ok and failing, show up in /metrics as exact
// counts on the metrics listener, with bounded labels.
func TestMetrics(t *testing.T) {
	s := newStack(t, backends[0])
	ctx := context.Background()
	s.loginAs(ctx, newBrowser(), appA, "alice", "snsapi_base")
	s.loginAs(ctx, newBrowser(), appA, "bob", "snsapi_base")
	s.loginAs(ctx, newBrowser(), appB, "alice", "snsapi_userinfo")

	refused := s.wechatCallback(ctx, appA, "carol", "r1", opaque.New("", 32))
	q := refused.Query()
	q.Del("code")
	refused.RawQuery = q.Encode()
	if status, h, _ := get(t, refused.String()); status != http.StatusFound || !strings.Contains(h.Get("Location"), "error=access_denied") {
		t.Fatalf("refusal: %d to %s", status, h.Get("Location"))
	}

	busy := s.wechatCallback(ctx, appA, "dave", "b1", opaque.New("", 32))
	s.fault(t, map[string]any{"path": "/sns/oauth2/access_token", "errcode": -1, "times": 3})
	if status, _, _ := get(t, busy.String()); status != http.StatusServiceUnavailable {
		t.Fatalf("WeChat busy: got %d, want 503", status)
	}
	if status, _, _ := get(t, s.public+"/t/"+tenantID+"/wechat/"+appA+"/callback?code=c&state="+opaque.Hex(16)); status != http.StatusBadRequest {
		t.Fatalf("forged state: got %d, want 400", status)
	}
	if status, _, _ := get(t, s.public+"/no/such/page?code=secret"); status != http.StatusNotFound {
		t.Fatalf("unknown page: got %d, want 404", status)
	}

	fams := s.scrape()
	login := func(tenant, app, outcome string) map[string]string {
		return map[string]string{"tenant": tenant, "appid": app, "outcome": outcome}
	}
	tokenAPI, userinfoAPI := "/sns/oauth2/access_token", "/sns/userinfo"
	want := []struct {
		name   string
		labels map[string]string
		value  float64
	}{
		{"wxlogin_logins_total", login(tenantID, appA, "ok"), 2},
		{"wxlogin_logins_total", login(tenantID, appB, "ok"), 1},
		{"wxlogin_logins_total", login(tenantID, appA, "refused"), 1},
		{"wxlogin_logins_total", login(tenantID, appA, "wechat_error"), 1},
		{"wxlogin_logins_total", login("", "", "unknown_state"), 1},
		{"wxlogin_tokens_issued_total", map[string]string{"tenant": tenantID, "appid": appA}, 2},
		{"wxlogin_tokens_issued_total", map[string]string{"tenant": tenantID, "appid": appB}, 1},
		{"wxlogin_wechat_request_duration_seconds", map[string]string{"api": tokenAPI, "result": "ok"}, 3},
		{"wxlogin_wechat_request_duration_seconds", map[string]string{"api": tokenAPI, "result": "errcode"}, 3}, // one try and two retries
		{"wxlogin_wechat_request_duration_seconds", map[string]string{"api": userinfoAPI, "result": "ok"}, 1},
		{"wxlogin_wechat_errcodes_total", map[string]string{"api": tokenAPI, "errcode": "-1"}, 3},
		{"wxlogin_http_request_duration_seconds", map[string]string{"route": "/t/:tenant/oauth/token", "status": "2xx"}, 3},
		{"wxlogin_http_request_duration_seconds", map[string]string{"route": "/t/:tenant/wechat/:appid/callback", "status": "3xx"}, 4},
		{"wxlogin_http_request_duration_seconds", map[string]string{"route": "/t/:tenant/wechat/:appid/callback", "status": "5xx"}, 1},
		{"wxlogin_http_request_duration_seconds", map[string]string{"route": "/t/:tenant/wechat/:appid/callback", "status": "4xx"}, 1},
		{"wxlogin_http_request_duration_seconds", map[string]string{"route": "", "status": "4xx"}, 1},
		{"wxlogin_http_requests_in_flight", map[string]string{}, 0},
		{"go_sql_max_open_connections", map[string]string{"db_name": "wxlogin"}, 1},
	}
	for _, w := range want {
		if got, ok := sample(fams, w.name, w.labels); !ok || got != w.value {
			t.Errorf("%s%v = %v (found %v), want %v", w.name, w.labels, got, ok, w.value)
		}
	}
	if _, ok := sample(fams, "wxlogin_logins_total", login(tenantID, appA, "error")); ok {
		t.Errorf("a login counted as an internal error")
	}
	for _, m := range fams["wxlogin_http_request_duration_seconds"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" && (strings.Contains(l.GetValue(), tenantID) || strings.Contains(l.GetValue(), "such")) {
				t.Errorf("route label %q is a raw path, not a route template", l.GetValue())
			}
		}
	}
	if status, _, _ := get(t, s.public+"/metrics"); status != http.StatusNotFound {
		t.Errorf("/metrics on the public port: %d, want 404", status)
	}
}

// TestMetricsListenerOff: an empty WXLOGIN_METRICS_ADDR serves no metrics.
func TestMetricsListenerOff(t *testing.T) {
	s := newStack(t, backends[0], "WXLOGIN_METRICS_ADDR=")
	if s.ops != "" {
		t.Errorf("a metrics listener started on %s", s.ops)
	}
}
