package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"syscall"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/wxlogin/wxlogin/internal/browser"
)

// maxDetail bounds an example message in the report, in bytes.
const maxDetail = 200

// failure is why a login failed: kind groups failures in the report (the
// step and what went wrong there), detail is one example's message.
type failure struct{ kind, detail string }

func (f *failure) Error() string { return f.kind + ": " + f.detail }

// pageFailure describes the page where a login stopped instead of reaching
// the tenant: the step (known by its path), the status and the page's text.
func pageFailure(p browser.Page) *failure {
	return &failure{kind: fmt.Sprintf("%s: HTTP %d", step(p.URL), p.Status), detail: pageText(p.Body)}
}

func step(u *url.URL) string {
	switch {
	case strings.HasSuffix(u.Path, "/login"):
		return "login"
	case strings.HasSuffix(u.Path, "/callback"):
		return "callback"
	case strings.HasSuffix(u.Path, authorizePath):
		return "authorize"
	}
	return "page " + u.Path
}

// transportFailure describes a request that got no answer. The detail
// names the host and path but not the query, which carries codes.
func transportFailure(step string, err error) *failure {
	detail := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			detail = ue.Op + " " + u.Host + u.Path + ": " + ue.Err.Error()
		}
	}
	return &failure{kind: step + ": " + cause(err), detail: clip(detail, maxDetail)}
}

func cause(err error) string {
	var t interface{ Timeout() bool }
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &t) && t.Timeout()):
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection lost"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "out of local ports"
	}
	return "error"
}

// pageText is the text a person would read on a page, on one line.
func pageText(body []byte) string {
	z := html.NewTokenizer(bytes.NewReader(body))
	var b strings.Builder
	hidden := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return clip(strings.Join(strings.Fields(b.String()), " "), maxDetail)
		case html.StartTagToken:
			name, _ := z.TagName()
			hidden = string(name) == "style" || string(name) == "script" || string(name) == "title"
		case html.EndTagToken:
			hidden = false
		case html.TextToken:
			if !hidden {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		}
	}
}

// clip cuts s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
