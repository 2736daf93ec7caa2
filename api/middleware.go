package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/internal/opaque"
)

const requestIDKey = "request_id"

// requestID gives every request an ID, echoed in X-Request-Id and logs. An
// incoming X-Request-Id is kept when it is short and printable.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-Id")
		if id == "" || len(id) > 64 || !printable(id) {
			id = opaque.Hex(8)
		}
		c.Set(requestIDKey, id)
		c.Header("X-Request-Id", id)
		c.Next()
	}
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x21 || r > 0x7e {
			return false
		}
	}
	return true
}

// observe tells metrics of every request, and logs one line per request:
// method, route (not the raw URL, whose query may carry codes), status and
// latency.
func observe(logger *slog.Logger, metrics RequestObserver) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		metrics.RequestStarted()
		defer func() { // also when a handler aborts its answer with a panic
			d := time.Since(start)
			metrics.RequestDone(c.FullPath(), c.Writer.Status(), d)
			logger.LogAttrs(c.Request.Context(), slog.LevelInfo, "http",
				slog.String("request_id", c.GetString(requestIDKey)),
				slog.String("method", c.Request.Method),
				slog.String("route", c.FullPath()),
				slog.Int("status", c.Writer.Status()),
				slog.Float64("latency_ms", float64(d.Microseconds())/1000))
		}()
		c.Next()
	}
}

// recovery turns a panic into a 500 and a log line instead of a dropped
// connection.
func recovery(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler { // a handler cutting its answer short on purpose
					panic(r)
				}
				logger.Error("panic", slog.String("request_id", c.GetString(requestIDKey)), slog.Any("panic", r))
				c.AbortWithStatus(http.StatusInternalServerError)
			}
		}()
		c.Next()
	}
}

// securityHeaders applies to every answer: no framing, no sniffing, no
// referrer (hosted-login URLs carry codes and states), and a strict CSP.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'none'; base-uri 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		c.Next()
	}
}

const (
	streamContextKey = "stream_context"
	streamTimeoutKey = "stream_timeout"
)

// deadline ends each request's context d after it came in, so that
// whatever the request waits for (a database connection or statement,
// Vault, WeChat) gives up and the request is answered, 503 when a
// dependency was too slow, instead of piling up behind it. A handler that
// streams an answer for as long as the client reads it takes
// streamContext and streamWriter instead. d <= 0: no deadline.
func deadline(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(streamContextKey, c.Request.Context())
		c.Set(streamTimeoutKey, d)
		if d <= 0 {
			c.Next()
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// streamContext is the request's context without deadline's bound, for
// an answer streamed row by row (an export): streamWriter bounds it
// instead.
func streamContext(c *gin.Context) context.Context {
	if ctx, ok := c.Value(streamContextKey).(context.Context); ok {
		return ctx
	}
	return c.Request.Context()
}

// streamWriter is c's answer for a handler that streams it row by row
// (an export, which may take minutes): each write, and the wait for the
// rows before it, may take deadline's d, in place of the HTTP server's
// write timeout, which counts from the start of the request. Each write
// moves the connection's write deadline d ahead, and its read deadline
// too: when that passes, the server's read of the idle connection fails
// and cancels the request's context, and with it the statement reading
// the next rows. A client that stops reading is cut off d after its last
// read.
func streamWriter(c *gin.Context) io.Writer {
	w := &deadlineWriter{w: c.Writer, rc: http.NewResponseController(c.Writer), d: c.GetDuration(streamTimeoutKey)}
	w.extend()
	return w
}

type deadlineWriter struct {
	w  io.Writer
	rc *http.ResponseController
	d  time.Duration
}

// extend moves the connection's deadlines to d from now (none when d <=
// 0). A writer with no connection under it (a test's recorder) has none.
func (w *deadlineWriter) extend() {
	var t time.Time
	if w.d > 0 {
		t = time.Now().Add(w.d)
	}
	_ = w.rc.SetReadDeadline(t)
	_ = w.rc.SetWriteDeadline(t)
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	w.extend()
	return w.w.Write(p)
}
