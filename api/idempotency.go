package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/tenants"
)

// idempotencyHeader names the key that makes a POST safe to retry.
const idempotencyHeader = "Idempotency-Key"

// maxIdempotencyKey is the longest Idempotency-Key taken, in bytes.
const maxIdempotencyKey = 255

// replayedHeaders are the headers of an answer that its replays carry.
var replayedHeaders = []string{"Location", "ETag", "Content-Type"}

// idempotencyConflict is a 409 about an Idempotency-Key; it reads as its
// own text and unwraps to tenants.ErrConflict.
type idempotencyConflict string

func (e idempotencyConflict) Error() string { return string(e) }

// Unwrap makes errors.Is(err, tenants.ErrConflict) hold.
func (idempotencyConflict) Unwrap() error { return tenants.ErrConflict }

const (
	errKeyReused = idempotencyConflict("this Idempotency-Key was sent with another request " +
		"(another method, path or body); use a new key for a new request")
	errKeyInFlight = idempotencyConflict("a request with this Idempotency-Key is in progress; " +
		"retry once it has been answered")
	errKeyWithheld = idempotencyConflict("the request with this Idempotency-Key succeeded, but its " +
		"answer carried a one-time secret, which is shown only once and never stored; list the " +
		"resources to find what it created, or use a new key to create another")
)

// idempotent makes the admin API's POSTs safe to retry. It runs after
// authentication and validation. A POST with an Idempotency-Key first
// claims the key for the caller's API key in the database, so that of
// concurrent duplicates on any replica only one runs; the others, and later
// retries, get its answer again, or 409 while it is in flight, when they
// differ from it, or when its answer carried a one-time secret (one marked
// Cache-Control: no-store), whose body is never kept. An answer that might
// be different on a retry (409, 429, 5xx) is not kept: the claim is
// released instead.
func (h *adminHandler) idempotent(c *gin.Context) {
	if c.Request.Method != http.MethodPost {
		return
	}
	key, ok, err := idempotencyKey(c.Request.Header)
	switch {
	case err != nil:
		writeProblem(c, err)
		return
	case !ok:
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		writeProblem(c, fmt.Errorf("%w: read body: %v", errBadRequest, err))
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))

	// The record outlives the request: a client that hangs up must not
	// leave its claim behind.
	ctx := context.WithoutCancel(c.Request.Context())
	claim := tenants.IdempotencyRecord{
		PrincipalID: caller(c).ID,
		Key:         key,
		RequestHash: requestHash(c.Request.Method, c.Request.URL.Path, body),
		CreatedAt:   h.tenants.Now().UTC(),
	}
	held, claimed, err := h.tenants.Store.ClaimIdempotencyKey(ctx, claim)
	switch {
	case err != nil:
		writeProblem(c, err)
		return
	case !claimed:
		replay(c, held, claim.RequestHash)
		return
	}

	w := &capturingWriter{ResponseWriter: c.Writer}
	c.Writer = w
	defer func() {
		if p := recover(); p != nil {
			h.release(ctx, c, claim)
			panic(p)
		}
	}()
	c.Next()

	status := w.Status()
	if !replayable(status) {
		h.release(ctx, c, claim)
		return
	}
	claim.Status, claim.Header = status, map[string]string{}
	for _, name := range replayedHeaders {
		if v := w.Header().Get(name); v != "" {
			claim.Header[name] = v
		}
	}
	if strings.Contains(w.Header().Get("Cache-Control"), "no-store") {
		claim.Withheld = true
	} else {
		claim.Body = w.body.Bytes()
	}
	if err := h.tenants.Store.CompleteIdempotencyKey(ctx, claim); err != nil {
		h.logIdempotency(c, "record idempotent answer", err)
	}
}

// idempotencyKey returns the request's Idempotency-Key and whether it has
// one: one value of 1 to 255 visible ASCII characters, as openapi.yaml
// says, else a 400 error.
func idempotencyKey(header http.Header) (string, bool, error) {
	values := header.Values(idempotencyHeader)
	switch {
	case len(values) == 0:
		return "", false, nil
	case len(values) > 1:
		return "", false, fmt.Errorf("%w: send one Idempotency-Key, not %d", errBadRequest, len(values))
	}
	key := values[0]
	valid := key != "" && len(key) <= maxIdempotencyKey
	for i := 0; valid && i < len(key); i++ {
		valid = key[i] >= 0x21 && key[i] <= 0x7e
	}
	if !valid {
		return "", false, fmt.Errorf("%w: an Idempotency-Key is 1 to %d visible ASCII characters", errBadRequest, maxIdempotencyKey)
	}
	return key, true, nil
}

// requestHash is the hex SHA-256 of what a retry must repeat. Neither the
// method nor the path holds a newline, so the parts cannot run together.
func requestHash(method, path string, body []byte) string {
	sum := sha256.New()
	fmt.Fprintf(sum, "%s\n%s\n", method, path)
	sum.Write(body)
	return hex.EncodeToString(sum.Sum(nil))
}

// replayable reports whether an answer with status is the one every retry
// should get: a success, or a client error other than a conflict or a rate
// limit, which may go away.
func replayable(status int) bool {
	switch {
	case status >= 200 && status < 300:
		return true
	case status >= 400 && status < 500:
		return status != http.StatusConflict && status != http.StatusTooManyRequests
	}
	return false
}

// replay answers a request that lost the claim of its key to held.
func replay(c *gin.Context, held tenants.IdempotencyRecord, hash string) {
	switch {
	case held.RequestHash != hash:
		writeProblem(c, errKeyReused)
	case held.InFlight():
		writeProblem(c, errKeyInFlight)
	case held.Withheld:
		writeProblem(c, errKeyWithheld)
	default:
		for name, v := range held.Header {
			c.Header(name, v)
		}
		c.Data(held.Status, held.Header["Content-Type"], held.Body)
		c.Abort()
	}
}

// release gives the claim up so that the request may be sent again.
func (h *adminHandler) release(ctx context.Context, c *gin.Context, claim tenants.IdempotencyRecord) {
	if err := h.tenants.Store.ReleaseIdempotencyKey(ctx, claim); err != nil {
		h.logIdempotency(c, "release idempotency key", err)
	}
}

func (h *adminHandler) logIdempotency(c *gin.Context, msg string, err error) {
	h.logger.Error(msg, slog.String("request_id", c.GetString(requestIDKey)), slog.String("error", err.Error()))
}

// capturingWriter keeps a copy of the body written through it.
type capturingWriter struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (w *capturingWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *capturingWriter) WriteString(s string) (int, error) {
	w.body.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}
