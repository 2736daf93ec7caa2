package testenv

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// Redact is given each answer a recording proxy keeps, with its request
// and body, and returns the body to keep. It takes out (and records with
// RecordSecret) a secret the answer shows its caller by design, such as a
// new API key, editing resp.Header where the secret is in a header.
type Redact func(req *http.Request, resp *http.Response, body []byte) []byte

// NewRecordingProxy is a Proxy in front of an HTTP server at target that,
// while artifacts are recorded, keeps every answer the server sent on it,
// whoever the client (Go, Node, Chromium): when a connection ends, its
// answers, read back as HTTP so that chunked bodies are whole, are added
// to an artifact of class Responses, each after redact.
func NewRecordingProxy(t testing.TB, target string, redact Redact) *Proxy {
	t.Helper()
	if !Recording() {
		return newProxy(t, target, nil)
	}
	file := artifacts().file(t, Responses, "http")
	return newProxy(t, target, func(toServer, toClient []byte) {
		if len(toClient) == 0 {
			return
		}
		if err := artifacts().write(file, exchanges(toServer, toClient, redact)); err != nil {
			t.Errorf("record HTTP answers: %v", err)
		}
	})
}

// exchanges writes out the answers of one connection, each after its
// request's method and path. Where the answers stop reading as HTTP (a connection cut
// short, a request that was not HTTP) the rest is kept as it came.
func exchanges(toServer, toClient []byte, redact Redact) []byte {
	requests := bufio.NewReader(bytes.NewReader(toServer))
	raw := bytes.NewReader(toClient)
	answers := bufio.NewReader(raw)
	var out bytes.Buffer
	for {
		at := len(toClient) - raw.Len() - answers.Buffered()
		if at == len(toClient) {
			return out.Bytes()
		}
		req, resp, body, err := exchange(requests, answers)
		if err != nil {
			out.Write(toClient[at:])
			return out.Bytes()
		}
		body = redact(req, resp, body)
		// The request's path only: a query may carry secrets by design
		// (WeChat's token API takes the AppSecret there).
		fmt.Fprintf(&out, "%s %s\n%s %s\n", req.Method, req.URL.Path, resp.Proto, resp.Status)
		_ = resp.Header.Write(&out)
		out.WriteString("\n")
		out.Write(body)
		out.WriteString("\n\n")
	}
}

// exchange reads the next request and its answer.
func exchange(requests, answers *bufio.Reader) (*http.Request, *http.Response, []byte, error) {
	req, err := http.ReadRequest(requests)
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := io.Copy(io.Discard, req.Body); err != nil {
		return nil, nil, nil, err
	}
	resp, err := http.ReadResponse(answers, req)
	for err == nil && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
		resp, err = http.ReadResponse(answers, req) // after 100 Continue, the answer
	}
	if err != nil {
		return nil, nil, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, nil, err
	}
	return req, resp, body, nil
}
