package api

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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

// TestStreamOutlivesServerTimeouts: an answer written through streamWriter
// goes on for longer than the HTTP server's read and write timeouts as long
// as each chunk follows the last within the request timeout, and is cut
// when one does not; written to the answer as it is, the same stream is cut
// at the server's timeouts.
func TestStreamOutlivesServerTimeouts(t *testing.T) {
	gin.SetMode(gin.TestMode)
	const (
		chunks  = 10
		size    = 16 << 10
		timeout = 400 * time.Millisecond
	)
	r := gin.New()
	r.Use(deadline(timeout))
	stream := func(writer func(*gin.Context) io.Writer, pause time.Duration) gin.HandlerFunc {
		return func(c *gin.Context) {
			c.Status(http.StatusOK)
			w := writer(c)
			for i := range chunks {
				if i > 0 {
					time.Sleep(pause)
				}
				if err := streamContext(c).Err(); err != nil {
					return // as a database statement would fail
				}
				if _, err := w.Write(bytes.Repeat([]byte("x"), size)); err != nil {
					return
				}
			}
		}
	}
	r.GET("/stream", stream(streamWriter, timeout/4))
	r.GET("/stalled", stream(streamWriter, timeout*2))
	r.GET("/plain", stream(func(c *gin.Context) io.Writer { return c.Writer }, timeout/4))
	srv := httptest.NewUnstartedServer(r)
	srv.Config.ReadTimeout = timeout
	srv.Config.WriteTimeout = timeout
	srv.Start()
	t.Cleanup(srv.Close)

	for _, c := range []struct {
		path  string
		whole bool
	}{{"/stream", true}, {"/stalled", false}, {"/plain", false}} {
		res, err := srv.Client().Get(srv.URL + c.path)
		if err != nil {
			t.Fatalf("GET %s: %v", c.path, err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		whole := err == nil && len(body) == chunks*size
		if whole != c.whole {
			t.Errorf("GET %s: read %d of %d bytes (error %v), want whole %v", c.path, len(body), chunks*size, err, c.whole)
		}
	}
}
