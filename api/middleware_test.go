package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestRequestID: every answer carries X-Request-Id; a well-formed incoming
// one is kept, anything else is replaced by a fresh id.
func TestRequestID(t *testing.T) {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.Use(requestID())
	r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, c.GetString(requestIDKey)) })
	cases := []struct {
		name, incoming string
		kept           bool
	}{
		{"none", "", false},
		{"well-formed", "4bf92f3577b34da6-a3ce929d0e0e4736", true},
		{"too long", strings.Repeat("a", 65), false},
		{"with a space", "req 1", false},
		{"with a newline", "req\n1", false},
		{"not ASCII", "请求", false},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if c.incoming != "" {
				req.Header["X-Request-Id"] = []string{c.incoming}
			}
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			got := rec.Header().Get("X-Request-Id")
			switch {
			case got == "" || got != rec.Body.String():
				t.Errorf("header %q, logged id %q: want one id in both", got, rec.Body.String())
			case c.kept && got != c.incoming:
				t.Errorf("id %q, want the incoming %q", got, c.incoming)
			case !c.kept && (got == c.incoming || seen[got]):
				t.Errorf("id %q, want a fresh one", got)
			}
			seen[got] = true
		})
	}
}
