package spec

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// htmlDecoder registers, once, how kin-openapi reads a page: as the text it
// is (openapi.yaml documents pages as strings). Its registry is one per
// process.
var htmlDecoder sync.Once

// ValidateResponse checks a real answer against openapi.yaml: the operation
// its request (resp.Request) matches must document its status, and its
// content type, headers and body must match what is documented. It reads
// resp.Body and leaves an unread copy in its place. Tests call it on what
// the server really sent, pages included.
func (s *Spec) ValidateResponse(resp *http.Response) error {
	htmlDecoder.Do(func() { openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder) })
	req := resp.Request
	if req == nil {
		return fmt.Errorf("validate response: it carries no request")
	}
	route, pathParams, err := s.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("validate response to %s %s: %w", req.Method, req.URL.Path, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("validate response to %s %s: read body: %w", req.Method, req.URL.Path, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		return fmt.Errorf("validate response %d to %s %s: %w", resp.StatusCode, req.Method, req.URL.Path, err)
	}
	return nil
}
