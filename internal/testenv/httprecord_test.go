package testenv

import (
	"net/http"
	"strings"
	"testing"
)

// TestExchanges: a connection's answers are kept whole (a chunked body
// joined again), each after its request's path (not its query) and
// through redact; what no
// longer reads as HTTP is kept as it came.
func TestExchanges(t *testing.T) {
	toServer := "GET /a?secret=s3cr3t HTTP/1.1\r\nHost: x\r\n\r\n" +
		"POST /keys HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}" +
		"GET /c HTTP/1.1\r\nHost: x\r\n\r\n"
	toClient := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nsecre\r\n3\r\nt-1\r\n0\r\n\r\n" +
		"HTTP/1.1 201 Created\r\nContent-Length: 14\r\nSet-Cookie: s=tok-2\r\n\r\n{\"key\":\"key2\"}" +
		"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\ncut short"
	var seen []string
	out := string(exchanges([]byte(toServer), []byte(toClient), func(req *http.Request, resp *http.Response, body []byte) []byte {
		seen = append(seen, req.Method+" "+req.URL.Path)
		if req.URL.Path == "/keys" {
			resp.Header.Set("Set-Cookie", "s=(redacted)")
			return []byte(`{"key":"(redacted)"}`)
		}
		return body
	}))
	for _, want := range []string{"GET /a\nHTTP/1.1 200 OK\n", "secret-1", "POST /keys\nHTTP/1.1 201 Created\n", `{"key":"(redacted)"}`,
		"Set-Cookie: s=(redacted)", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\ncut short"} {
		if !strings.Contains(out, want) {
			t.Errorf("the record lacks %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"s3cr3t", "tok-2", `"key2"`, "secre\r\n"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("the record holds %q:\n%s", unwanted, out)
		}
	}
	if strings.Join(seen, ",") != "GET /a,POST /keys" {
		t.Errorf("redact saw %v", seen)
	}
}
