package spec

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

//go:embed docs.html
var docsPage []byte

// inlineScript matches the inline scripts of docs.html; their hashes are
// the only scripts its Content-Security-Policy allows.
var inlineScript = regexp.MustCompile(`(?s)<script(?:\s+type="module")?>(.*?)</script>`)

// docsCSP lets docs.html run its own inline scripts and styles and load
// nothing from anywhere: the page works offline, and cannot be made to
// reach out.
func docsCSP() string {
	var hashes []string
	for _, m := range inlineScript.FindAllSubmatch(docsPage, -1) {
		sum := sha256.Sum256(m[1])
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	return "default-src 'none'; script-src " + strings.Join(hashes, " ") +
		"; style-src 'unsafe-inline'; img-src data:; font-src data:; worker-src blob:; connect-src 'self'" +
		"; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
}

// Mount serves openapi.yaml at GET /openapi.yaml and the API reference page
// at GET /docs, both embedded in the binary.
func (s *Spec) Mount(r gin.IRoutes) {
	r.GET("/openapi.yaml", serveEmbedded(document, "application/yaml; charset=utf-8", ""))
	r.GET("/docs", serveEmbedded(docsPage, "text/html; charset=utf-8", docsCSP()))
}

// serveEmbedded answers with body and a strong ETag, so that a client that
// has it gets 304; csp, when set, replaces the default policy.
func serveEmbedded(body []byte, contentType, csp string) gin.HandlerFunc {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Type", contentType)
		h.Set("ETag", etag)
		h.Set("Cache-Control", "no-cache")
		if csp != "" {
			h.Set("Content-Security-Policy", csp)
		}
		http.ServeContent(c.Writer, c.Request, "", time.Time{}, bytes.NewReader(body))
	}
}
