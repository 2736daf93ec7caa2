package spec

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func docsServer(t *testing.T) *httptest.Server {
	t.Helper()
	gin.SetMode(gin.TestMode)
	r := gin.New()
	load(t).Mount(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestServesTheDocument(t *testing.T) {
	srv := docsServer(t)
	resp, body := get(t, srv.URL+"/openapi.yaml", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/yaml") || !bytes.Equal(body, document) {
		t.Fatalf("GET /openapi.yaml: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	etag := resp.Header.Get("ETag")
	if resp, _ = get(t, srv.URL+"/openapi.yaml", map[string]string{"If-None-Match": etag}); etag == "" || resp.StatusCode != http.StatusNotModified {
		t.Errorf("GET /openapi.yaml with If-None-Match %s: %d, want 304", etag, resp.StatusCode)
	}
}

// externalLoad matches markup that would make a browser fetch something
// from elsewhere: scripts, styles, images, fonts, frames.
var externalLoad = regexp.MustCompile(`(?i)<(script|link|img|iframe|source)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//|@import\s+url\(\s*["']?(https?:)?//|url\(\s*["']?https?://`)

func TestServesAnOfflineReferencePage(t *testing.T) {
	srv := docsServer(t)
	resp, body := get(t, srv.URL+"/docs", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /docs: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if m := externalLoad.Find(body); m != nil {
		t.Errorf("/docs loads something from elsewhere: %s", m)
	}
	for _, op := range []string{"createAccount", "putAppSecret", "erasePerson", "listAuditEvents"} {
		if !bytes.Contains(body, []byte(op)) {
			t.Errorf("/docs does not mention %s", op)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || strings.Count(csp, "'sha256-") != len(inlineScript.FindAll(docsPage, -1)) ||
		strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "http") {
		t.Errorf("CSP %q: want only the page's own scripts and nothing from elsewhere", csp)
	}
}
