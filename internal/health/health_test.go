package health_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/health"
)

func TestReady(t *testing.T) {
	ok := func(context.Context) error { return nil }
	down := func(context.Context) error {
		return errors.New("store: ping: dial tcp db.internal:5432: connection refused")
	}
	cases := []struct {
		name   string
		checks []health.Check
		status int
		want   health.Report
	}{
		{"all pass", []health.Check{{"database", ok}, {"secrets", ok}}, http.StatusOK,
			health.Report{Ready: true, Checks: map[string]string{"database": "ok", "secrets": "ok"}}},
		{"one fails", []health.Check{{"database", down}, {"secrets", ok}}, http.StatusServiceUnavailable,
			health.Report{Ready: false, Checks: map[string]string{"database": "fail", "secrets": "ok"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			h := health.Ready(slog.New(slog.NewJSONHandler(&logs, nil)), c.checks...)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			var got health.Report
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if rec.Code != c.status || !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %d %+v, want %d %+v", rec.Code, got, c.status, c.want)
			}
			if strings.Contains(rec.Body.String(), "db.internal") {
				t.Errorf("body leaks the check's error: %s", rec.Body)
			}
			if !c.want.Ready && !strings.Contains(logs.String(), `"check":"database"`) {
				t.Errorf("failure not logged: %s", logs.String())
			}
		})
	}
}
